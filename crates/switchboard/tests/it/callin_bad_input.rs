//! Callin bad input: every operation answers a clear 4xx in `{success: false, error}` and
//! changes nothing.

use serde_json::{json, Value};

use crate::kit::{Resp, Server};

fn assert_error(r: &Resp, status: u16, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.text);
    assert_eq!(r.body["success"], false, "{what}: {}", r.text);
    assert!(r.body["error"]["code"].is_string(), "{what}: {}", r.text);
    assert!(
        !r.body["error"]["message"].as_str().unwrap_or("").is_empty(),
        "{what}: {}",
        r.text
    );
}

#[tokio::test]
async fn callin_bad_create_bodies_get_400_and_create_nothing() {
    let s = Server::start().await;
    let u = s.user().await;
    let ok = json!({"name": "A", "conversationConfig": {}});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    let bodies = [
        json!({"conversationConfig": {}}),
        json!({"name": "A"}),
        json!([]),
        with("name", json!(5)),
        with("name", json!("  ")),
        with("conversationConfig", json!([])),
        with("direction", json!("sideways")),
        with("direction", json!(1)),
        with("tags", json!("a")),
        with("tags", json!([1])),
        with(
            "platformSettings",
            json!({"callRetry": {"retryDelay": "soon"}}),
        ),
        with("phoneNumbers", json!(["+15550100"])),
        with(
            "workflow",
            json!({"edges": {"e": {"source": "a", "target": "b"}}}),
        ),
        with("colour", json!("blue")),
    ];
    for body in bodies {
        let r = s
            .cl(&u, "POST", "/agents/create")
            .json(body.clone())
            .send()
            .await;
        assert_error(&r, 400, &body.to_string());
    }
    let malformed = s
        .cl(&u, "POST", "/agents/create")
        .raw("{\"name\": ")
        .send()
        .await;
    assert_error(&malformed, 400, "malformed JSON");
    let not_json = s
        .cl(&u, "POST", "/agents/create")
        .header("content-type", "text/plain")
        .send()
        .await;
    assert_error(&not_json, 415, "no JSON content type");
    let big = s
        .cl(&u, "POST", "/agents/create")
        .raw(format!(
            "{{\"name\": \"{}\", \"conversationConfig\": {{}}}}",
            "x".repeat(2 * 1024 * 1024)
        ))
        .send()
        .await;
    assert_error(&big, 413, "oversize body");
    let list = s.cl(&u, "GET", "/agents").send().await;
    assert_eq!(list.body["data"], json!([]), "nothing was created");
}

#[tokio::test]
async fn callin_bad_patches_get_400_and_change_nothing() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.callin_agent(&u, "Keep").await;
    let before = s.cl(&u, "GET", &format!("/agents/{id}")).send().await;
    let bodies = [
        json!(["name"]),
        json!({"name": null}),
        json!({"name": 7}),
        json!({"direction": "sideways"}),
        json!({"tags": [1, 2]}),
        json!({"tags": null}),
        json!({"conversationConfig": "x"}),
        json!({"platformSettings": []}),
        json!({"platformSettings": {"callActions": {"smartOptOut": "yes"}}}),
        json!({"platformSettings": {"callActions": {"postCallEmail": {"emailConfiguration": 1}}}}),
        json!({"platformSettings": {"callRetry": {"retryCount": -1}}}),
        json!({"platformSettings": {"telephony": {"rotationNumbers": "+1"}}}),
        json!({"platformSettings": {"summaryLanguage": 5}}),
        json!({"platformSettings": {"dataCollection": {"storeData": 1}}}),
        json!({"phoneNumbers": [{"provider": "twilio"}]}),
        json!({"phoneNumbers": [{"number": 5550100}]}),
        json!({"phoneNumbers": {"number": "+1"}}),
        json!({"workflow": {"nodes": []}}),
        json!({"workflow": {"nodes": {"a": {"type": "warp"}}}}),
        json!({"workflow": {"preventSubagentLoops": "yes"}}),
        json!({"unknown": 1}),
    ];
    for body in bodies {
        let r = s
            .cl(&u, "PATCH", &format!("/agents/{id}"))
            .json(body.clone())
            .send()
            .await;
        assert_error(&r, 400, &body.to_string());
    }
    let malformed = s
        .cl(&u, "PATCH", &format!("/agents/{id}"))
        .raw("{oops")
        .send()
        .await;
    assert_error(&malformed, 400, "malformed JSON");
    let after = s.cl(&u, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(after.body, before.body, "nothing changed");
    let versions = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(versions.body["totalCount"], 1, "no version was recorded");
}

#[tokio::test]
async fn callin_bad_list_queries_and_unknown_routes_get_the_envelope() {
    let s = Server::start().await;
    let u = s.user().await;
    for q in [
        "pageSize=0",
        "pageSize=101",
        "pageSize=ten",
        "sortBy=updated_at",
        "sortDirection=up",
        "cursor=garbage",
        "cursor=eyJzIjoibmFtZSJ9",
    ] {
        let r = s.cl(&u, "GET", &format!("/agents?{q}")).send().await;
        assert_error(&r, 400, q);
    }
    let missing = s.cl(&u, "GET", "/nothing/here").send().await;
    assert_error(&missing, 404, "unknown path");
    assert_eq!(missing.body["error"]["code"], "not_found");
    let wrong = s.cl(&u, "PUT", "/agents").send().await;
    assert_error(&wrong, 405, "wrong method");
    assert_eq!(wrong.body["error"]["code"], "method_not_allowed");
    let wrong = s.cl(&u, "GET", "/agents/create/x").send().await;
    assert_error(&wrong, 404, "unknown sub-path");
}
