//! One agent, two dialects: writes through Dialgood and Callin are versions of the same agent,
//! and each dialect sees the other's writes.

use serde_json::json;

use crate::kit::Server;

#[tokio::test]
async fn callin_and_dialgood_share_one_versioned_agent() {
    let s = Server::start().await;
    let u = s.user().await;
    let editor = s.user().await;
    // Created in Dialgood, with a phone number stored as a plain string.
    let r = s
        .dg(&u, "POST", "/agents")
        .json(json!({"agentName": "Cross", "settings": {"language": "en"}, "phoneNumbers": ["+15550100"],
            "metadata": {"commit_message": "Initial setup"}}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["agent"]["agentId"].as_str().unwrap().to_owned();
    s.dg(&u, "POST", &format!("/agents/{id}/shares"))
        .json(json!({"email": editor.user.email.as_str(), "rights": ["agents"]}))
        .send()
        .await;

    let got = s.cl(&u, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body["data"]["name"], "Cross");
    assert_eq!(
        got.body["data"]["phoneNumbers"],
        json!([{"provider": "", "number": "+15550100", "label": ""}])
    );

    // Patched in Callin by the user it is shared with.
    let r = s
        .cl(&editor, "PATCH", &format!("/agents/{id}"))
        .json(json!({"direction": "inbound", "tags": ["cross"],
            "conversationConfig": {"agent": {"prompt": {"prompt": "Hi", "llm": "gpt-4o"}}}}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Dialgood's history has both writes, with author and time.
    let versions = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(versions.body["totalCount"], 2, "{}", versions.text);
    let newest = &versions.body["versions"][0];
    let oldest = &versions.body["versions"][1];
    assert_eq!(newest["version_number"], 2);
    assert_eq!(newest["metadata"]["userId"], editor.user.id.to_string());
    assert_eq!(newest["metadata"]["user"], editor.user.display_name());
    assert_eq!(newest["metadata"]["action"], "update");
    assert_eq!(oldest["metadata"]["userId"], u.user.id.to_string());
    assert_eq!(oldest["commit_message"], "Initial setup");
    let (t1, t2) = (
        oldest["metadata"]["timestamp"].as_i64().unwrap(),
        newest["metadata"]["timestamp"].as_i64().unwrap(),
    );
    assert!(t1 > 1_700_000_000_000 && t2 >= t1);
    let vid = newest["version_id"].as_str().unwrap();
    let one = s
        .dg(&u, "GET", &format!("/agents/{id}/versions/{vid}"))
        .send()
        .await;
    assert_eq!(one.body["version"]["updates"]["direction"], "inbound");
    assert_eq!(one.body["version"]["snapshot"]["tags"], json!(["cross"]));

    // Dialgood sees the Callin write.
    let dg = s.dg(&u, "GET", &format!("/agents/{id}")).send().await;
    let agent = &dg.body["agent"];
    assert_eq!(agent["direction"], "inbound");
    assert_eq!(agent["tags"], json!(["cross"]));
    assert_eq!(
        agent["conversationConfig"]["agent"]["prompt"]["llm"],
        "gpt-4o"
    );
    assert_eq!(agent["settings"], json!({"language": "en"}), "untouched");

    // Callin sees a Dialgood write (and Dialgood's top-level replace of a Callin field).
    let r = s
        .dg(&u, "PATCH", &format!("/agents/{id}"))
        .json(
            json!({"agentName": "Renamed in Dialgood", "direction": "both",
            "conversationConfig": {"agent": {"prompt": {"prompt": "Replaced"}}}}),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let got = s.cl(&u, "GET", &format!("/agents/{id}")).send().await;
    let data = &got.body["data"];
    assert_eq!(data["name"], "Renamed in Dialgood");
    assert_eq!(data["direction"], "both");
    assert_eq!(
        data["conversationConfig"],
        json!({"agent": {"prompt": {"prompt": "Replaced"}}})
    );
    assert_eq!(data["tags"], json!(["cross"]));
    assert_eq!(got.header("etag"), Some("\"3\""));

    // The type rules hold whichever dialect writes.
    let bad = s
        .dg(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"direction": "sideways"}))
        .send()
        .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    assert!(bad.body["error"].is_string(), "Dialgood's own shape");

    // Deleted through Callin, gone from Dialgood.
    let del = s.cl(&u, "DELETE", &format!("/agents/{id}")).send().await;
    assert_eq!(del.status, 200, "{}", del.text);
    assert_eq!(
        s.dg(&u, "GET", &format!("/agents/{id}"))
            .send()
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn callin_shows_platform_settings_another_dialect_mistyped_as_their_defaults() {
    let s = Server::start().await;
    let u = s.user().await;
    // Dialgood does not know Callin's sections: it keeps `platformSettings` as an object.
    let r = s
        .dg(&u, "POST", "/agents")
        .json(json!({"agentName": "Typed", "settings": {"language": "en"},
            "platformSettings": {"callRetry": {"retryCount": 2, "retryDelay": "soon"},
                "privacy": "off", "custom": {"kept": true}},
            "metadata": {"commit_message": "Initial setup"}}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["agent"]["agentId"].as_str().unwrap().to_owned();
    let r = s
        .dg(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"platformSettings": [], "metadata": {"commit_message": "x"}}))
        .send()
        .await;
    assert_eq!(r.status, 400, "still an object: {}", r.text);

    let got = s.cl(&u, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(got.status, 200, "{}", got.text);
    let ps = &got.body["data"]["platformSettings"];
    assert_eq!(ps["callRetry"], json!({"retryCount": 2, "retryDelay": 0}));
    assert_eq!(ps["privacy"], json!({"recordVoice": false}));
    assert_eq!(ps["custom"], json!({"kept": true}));
    // Callin's own writes are type-checked.
    let r = s
        .cl(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"platformSettings": {"callRetry": {"retryDelay": "soon"}}}))
        .send()
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
}
