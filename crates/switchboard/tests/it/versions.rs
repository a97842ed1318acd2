//! Versions: lists, single reads, gap-free numbers under concurrency, If-Match, restore, diff.

use serde_json::json;

use crate::kit::Server;

#[tokio::test]
async fn versions_list_without_updates_and_get_with_them() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "V").await;
    s.dg(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"settings": {"language": "fr"}, "metadata": {"commit_message": "Partner dashboard update"}}))
        .send()
        .await;
    let list = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(list.status, 200);
    assert_eq!(
        (
            list.body["totalCount"].clone(),
            list.body["limit"].clone(),
            list.body["hasMore"].clone()
        ),
        (json!(2), json!(25), json!(false))
    );
    let newest = &list.body["versions"][0];
    assert_eq!(newest["version_number"], 2);
    assert_eq!(newest["agent_id"], id.as_str());
    assert_eq!(newest["commit_message"], "Partner dashboard update");
    assert_eq!(newest["metadata"]["userId"], u.user.id.to_string());
    assert_eq!(newest["metadata"]["user"], u.user.display_name());
    assert!(newest["metadata"]["timestamp"].as_i64().unwrap() > 1_700_000_000_000);
    assert!(newest.get("updates").is_none(), "lists omit updates");

    let vid = newest["version_id"].as_str().unwrap();
    let one = s
        .dg(&u, "GET", &format!("/agents/{id}/versions/{vid}"))
        .send()
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(
        one.body["version"]["updates"],
        json!({"settings": {"language": "fr"}})
    );
    assert_eq!(one.body["version"]["snapshot"]["agentName"], "V");

    let page = s
        .dg(&u, "GET", &format!("/agents/{id}/versions?limit=1&skip=1"))
        .send()
        .await;
    assert_eq!(page.body["versions"][0]["version_number"], 1);
    let missing = s
        .dg(
            &u,
            "GET",
            &format!("/agents/{id}/versions/1234567890123456"),
        )
        .send()
        .await;
    assert_eq!(
        (missing.status, missing.body.clone()),
        (404, json!({"error": "version not found"}))
    );
    let garbage = s
        .dg(&u, "GET", &format!("/agents/{id}/versions/abc"))
        .send()
        .await;
    assert_eq!(garbage.status, 404);
}

#[tokio::test]
async fn concurrent_patches_get_unique_gap_free_version_numbers() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "Busy").await;
    let writes = (0..24).map(|n| {
        s.dg(&u, "PATCH", &format!("/agents/{id}"))
            .json(json!({"settings": {"n": n}, "metadata": {"commit_message": format!("w{n}")}}))
            .send()
    });
    let results = futures::future::join_all(writes).await;
    assert!(
        results.iter().all(|r| r.status == 200),
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let list = s
        .dg(&u, "GET", &format!("/agents/{id}/versions?limit=100"))
        .send()
        .await;
    let mut numbers: Vec<i64> = list.body["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version_number"].as_i64().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=25).collect::<Vec<_>>());
    let mut messages: Vec<String> = list.body["versions"].as_array().unwrap()[..24]
        .iter()
        .map(|v| v["commit_message"].as_str().unwrap().to_owned())
        .collect();
    messages.sort();
    let mut expected: Vec<String> = (0..24).map(|n| format!("w{n}")).collect();
    expected.sort();
    assert_eq!(messages, expected, "every write has its own version");
}

#[tokio::test]
async fn if_match_refuses_stale_writes_with_412() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "E").await;
    let read = s.dg(&u, "GET", &format!("/agents/{id}")).send().await;
    let etag = read.header("etag").unwrap().to_owned();
    assert_eq!(etag, "\"1\"");

    let ok = s
        .dg(&u, "PATCH", &format!("/agents/{id}"))
        .header("if-match", &etag)
        .json(json!({"agentName": "E2"}))
        .send()
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("etag"), Some("\"2\""));

    for (method, path, body) in [
        (
            "PATCH",
            format!("/agents/{id}"),
            json!({"agentName": "lost"}),
        ),
        (
            "PUT",
            format!("/agents/{id}/settings"),
            json!({"language": "xx"}),
        ),
        (
            "PUT",
            format!("/agents/{id}/credentials"),
            json!([{"key": "K", "value": "v"}]),
        ),
        ("DELETE", format!("/agents/{id}"), json!({})),
    ] {
        let stale = s
            .dg(&u, method, &path)
            .header("if-match", &etag)
            .json(body)
            .send()
            .await;
        assert_eq!(stale.status, 412, "{method} {path}: {}", stale.text);
        assert!(stale.body["error"].is_string());
    }
    let now = s.dg(&u, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(now.body["agent"]["agentName"], "E2");
    assert_eq!(now.body["agent"]["settings"], json!({"language": "en"}));
    let any = s
        .dg(&u, "PATCH", &format!("/agents/{id}"))
        .header("if-match", "*")
        .json(json!({"agentName": "E3"}))
        .send()
        .await;
    assert_eq!(any.status, 200);
}

#[tokio::test]
async fn restore_records_a_new_version_and_diff_lists_field_changes() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "R").await;
    s.dg(&u, "PATCH", &format!("/agents/{id}"))
        .json(json!({"agentName": "R2", "settings": {"language": "en", "welcomeMessage": "hi"}}))
        .send()
        .await;
    let list = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    let v2 = list.body["versions"][0]["version_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let v1 = list.body["versions"][1]["version_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let diff = s
        .dg(&u, "GET", &format!("/agents/{id}/versions/{v2}/diff"))
        .send()
        .await;
    assert_eq!(diff.status, 200, "{}", diff.text);
    assert_eq!(diff.body["diff"]["fromVersionNumber"], 1);
    assert_eq!(
        diff.body["diff"]["changes"],
        json!([
            {"path": "agentName", "change": "changed", "before": "R", "after": "R2"},
            {"path": "settings.welcomeMessage", "change": "added", "before": null, "after": "hi"}
        ])
    );
    let back = s
        .dg(
            &u,
            "GET",
            &format!("/agents/{id}/versions/{v1}/diff?against={v2}"),
        )
        .send()
        .await;
    assert_eq!(back.body["diff"]["changes"][1]["change"], "removed");

    let r = s
        .dg(&u, "POST", &format!("/agents/{id}/versions/{v1}/restore"))
        .json(json!({"metadata": {"commit_message": "back to the start"}}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["agent"]["agentName"], "R");
    assert_eq!(r.body["agent"]["settings"], json!({"language": "en"}));
    let list = s
        .dg(&u, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(list.body["totalCount"], 3);
    assert_eq!(
        list.body["versions"][0]["commit_message"],
        "back to the start"
    );
    assert_eq!(list.body["versions"][0]["metadata"]["action"], "restore");
    let missing = s
        .dg(
            &u,
            "POST",
            &format!("/agents/{id}/versions/1234567890123456/restore"),
        )
        .send()
        .await;
    assert_eq!(missing.status, 404);
}
