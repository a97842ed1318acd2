//! Credentials: encrypted at rest, never in agent reads, versions or logs.

use serde_json::json;

use crate::kit::Server;

const SECRET: &str = "decrypted-secret-value-4fd1c0";

#[tokio::test]
async fn credentials_round_trip_and_the_plaintext_is_absent_at_rest() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "C").await;
    let path = format!("/agents/{id}/credentials");
    let empty = s.dg(&u, "GET", &path).send().await;
    assert_eq!(empty.body, json!({"credentials": []}));

    let r = s
        .dg(&u, "PUT", &path)
        .json(
            json!({"credentials": [{"key": "SERVICE_API_KEY", "value": SECRET}],
                     "metadata": {"commit_message": "rotate service key"}}),
        )
        .send()
        .await;
    assert_eq!(
        (r.status, r.body.clone()),
        (200, json!({"status": true})),
        "{}",
        r.text
    );
    let got = s.dg(&u, "GET", &path).send().await;
    assert_eq!(
        got.body,
        json!({"credentials": [{"key": "SERVICE_API_KEY", "value": SECRET}]})
    );

    // Never in agent reads or versions.
    let agent = s.dg(&u, "GET", &format!("/agents/{id}")).send().await;
    assert!(!agent.text.contains(SECRET));
    let versions = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(
        versions.body["versions"][0]["commit_message"],
        "rotate service key"
    );
    let vid = versions.body["versions"][0]["version_id"].as_str().unwrap();
    let version = s
        .dg(&u, "GET", &format!("/agents/{id}/versions/{vid}"))
        .send()
        .await;
    assert!(!version.text.contains(SECRET), "{}", version.text);
    assert_eq!(
        version.body["version"]["updates"],
        json!({"credentials": {"keys": ["SERVICE_API_KEY"]}})
    );

    // Nor anywhere in the stored data.
    let mut stored = s.raw_texts("SELECT ciphertext FROM secrets").await;
    assert_eq!(stored.len(), 1);
    stored.extend(s.raw_texts("SELECT snapshot FROM ai_agent_versions").await);
    stored.extend(s.raw_texts("SELECT updates FROM ai_agent_versions").await);
    stored.extend(s.raw_texts("SELECT settings FROM ai_agents").await);
    stored.extend(s.raw_texts("SELECT extra FROM ai_agents").await);
    assert!(stored.iter().all(|t| !t.contains(SECRET)));
    if !crate::kit::on_postgres() {
        for entry in std::fs::read_dir(s.data_dir()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(
                !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
                "plaintext in a data file"
            );
        }
    }
}

#[tokio::test]
async fn patch_merges_keys_and_bare_arrays_are_accepted() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "C").await;
    let path = format!("/agents/{id}/credentials");
    let r = s
        .dg(&u, "PUT", &path)
        .json(json!([{"key": "A", "value": "1"}, {"key": "B", "value": "2"}]))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s
        .dg(&u, "PATCH", &path)
        .json(json!({"credentials": [{"key": "B", "value": null}, {"key": "C", "value": "3"}, {"key": "A", "value": "9"}]}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let got = s.dg(&u, "GET", &path).send().await;
    assert_eq!(
        got.body,
        json!({"credentials": [{"key": "A", "value": "9"}, {"key": "C", "value": "3"}]})
    );

    for bad in [
        json!({"credentials": "x"}),
        json!({"credentials": [{"key": "A"}]}),
        json!([{"key": "", "value": "x"}]),
        json!([{"key": "A", "value": "1"}, {"key": "A", "value": "2"}]),
        json!([{"key": "A", "value": null}]),
        json!(5),
    ] {
        let r = s.dg(&u, "PUT", &path).json(bad.clone()).send().await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert!(r.body["error"].is_string());
    }
    let got = s.dg(&u, "GET", &path).send().await;
    assert_eq!(
        got.body["credentials"].as_array().unwrap().len(),
        2,
        "failed writes changed nothing"
    );
}

#[tokio::test]
async fn an_unreadable_secret_is_a_500_in_the_error_shape_without_details() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "C").await;
    let path = format!("/agents/{id}/credentials");
    s.dg(&u, "PUT", &path)
        .json(json!([{"key": "K", "value": "v"}]))
        .send()
        .await;
    s.raw_texts("UPDATE secrets SET ciphertext = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'")
        .await;
    let r = s.dg(&u, "GET", &path).send().await;
    assert_eq!(
        (r.status, r.body.clone()),
        (500, json!({"error": "internal server error"}))
    );
}
