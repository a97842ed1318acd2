//! Sharing: rights `view`, `agents`, `agent-control`; shared agents cannot be deleted.

use serde_json::json;

use crate::kit::{Server, TestUser};

async fn share(s: &Server, owner: &TestUser, id: &str, with: &TestUser, rights: serde_json::Value) {
    let r = s
        .dg(owner, "POST", &format!("/agents/{id}/shares"))
        .json(json!({"email": with.user.email.as_str(), "rights": rights}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn view_right_reads_but_cannot_write_delete_or_read_credentials() {
    let s = Server::start().await;
    let owner = s.user().await;
    let viewer = s.user().await;
    let id = s.agent(&owner, "Shared Sales Agent").await;
    share(&s, &owner, &id, &viewer, json!(["view"])).await;

    let list = s.dg(&viewer, "GET", "/agents").send().await;
    assert_eq!(list.body["totalCount"], 1);
    let a = &list.body["agents"][0];
    assert_eq!(a["owner"], false);
    assert_eq!(a["rights"], json!(["view"]));
    assert_eq!(a["userId"], owner.user.id.to_string());
    assert_eq!(a["metadata"]["sharedByEmail"], owner.user.email.as_str());
    assert_eq!(a["metadata"]["sharedByName"], owner.user.display_name());
    assert!(a["metadata"]["sharedAt"].as_str().unwrap().ends_with('Z'));

    for path in ["", "/settings", "/versions", "/call-logs"] {
        let r = s
            .dg(&viewer, "GET", &format!("/agents/{id}{path}"))
            .send()
            .await;
        assert_eq!(r.status, 200, "read {path}: {}", r.text);
    }
    let forbidden = [
        s.dg(&viewer, "PATCH", &format!("/agents/{id}"))
            .json(json!({"agentName": "x"}))
            .send()
            .await,
        s.dg(&viewer, "PUT", &format!("/agents/{id}/settings"))
            .json(json!({"a": 1}))
            .send()
            .await,
        s.dg(&viewer, "PUT", &format!("/agents/{id}/credentials"))
            .json(json!([]))
            .send()
            .await,
        s.dg(&viewer, "GET", &format!("/agents/{id}/credentials"))
            .send()
            .await,
        s.dg(&viewer, "POST", &format!("/agents/{id}/clone"))
            .send()
            .await,
        s.dg(&viewer, "DELETE", &format!("/agents/{id}"))
            .send()
            .await,
    ];
    for r in forbidden {
        assert_eq!(r.status, 403, "{}", r.text);
        assert!(r.body["error"].is_string());
    }
    let still = s.dg(&owner, "GET", &format!("/agents/{id}")).send().await;
    assert_eq!(still.body["agent"]["agentName"], "Shared Sales Agent");
}

#[tokio::test]
async fn agents_right_writes_and_agent_control_reads_credentials() {
    let s = Server::start().await;
    let owner = s.user().await;
    let writer = s.user().await;
    let controller = s.user().await;
    let id = s.agent(&owner, "A").await;
    share(&s, &owner, &id, &writer, json!(["agents"])).await;
    share(
        &s,
        &owner,
        &id,
        &controller,
        json!(["view", "agent-control"]),
    )
    .await;

    let r = s
        .dg(&writer, "PATCH", &format!("/agents/{id}"))
        .json(json!({"agentName": "by writer"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["agent"]["owner"], false);
    let r = s
        .dg(&writer, "PUT", &format!("/agents/{id}/credentials"))
        .json(json!([{"key": "K", "value": "v"}]))
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        s.dg(&writer, "GET", &format!("/agents/{id}/credentials"))
            .send()
            .await
            .status,
        403
    );
    assert_eq!(
        s.dg(&writer, "DELETE", &format!("/agents/{id}"))
            .send()
            .await
            .status,
        403,
        "shared agents cannot be deleted"
    );

    let creds = s
        .dg(&controller, "GET", &format!("/agents/{id}/credentials"))
        .send()
        .await;
    assert_eq!(
        creds.body,
        json!({"credentials": [{"key": "K", "value": "v"}]})
    );
    assert_eq!(
        s.dg(&controller, "PATCH", &format!("/agents/{id}"))
            .json(json!({}))
            .send()
            .await
            .status,
        403
    );

    let versions = s
        .dg(&owner, "GET", &format!("/agents/{id}/versions"))
        .send()
        .await;
    assert_eq!(
        versions.body["versions"][1]["metadata"]["userId"],
        writer.user.id.to_string(),
        "the writer authored it"
    );
}

#[tokio::test]
async fn owners_manage_shares_by_email_or_id_and_unshare() {
    let s = Server::start().await;
    let owner = s.user().await;
    let other = s.user().await;
    let id = s.agent(&owner, "A").await;
    let r = s
        .dg(&owner, "POST", &format!("/agents/{id}/shares"))
        .json(json!({"userId": other.user.id.to_string(), "rights": ["agents"]}))
        .send()
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["share"]["rights"], json!(["view", "agents"]));
    let list = s
        .dg(&owner, "GET", &format!("/agents/{id}/shares"))
        .send()
        .await;
    assert_eq!(list.body["shares"][0]["email"], other.user.email.as_str());

    assert_eq!(
        s.dg(&other, "GET", &format!("/agents/{id}/shares"))
            .send()
            .await
            .status,
        403
    );
    let bad = [
        json!({"email": "nobody@example.com", "rights": ["view"]}),
        json!({"rights": ["view"]}),
        json!({"email": other.user.email.as_str(), "rights": ["admin"]}),
        json!({"email": owner.user.email.as_str(), "rights": ["view"]}),
    ];
    let statuses: Vec<u16> = futures::future::join_all(bad.into_iter().map(|b| {
        s.dg(&owner, "POST", &format!("/agents/{id}/shares"))
            .json(b)
            .send()
    }))
    .await
    .iter()
    .map(|r| r.status)
    .collect();
    assert_eq!(statuses, [404, 400, 400, 400]);

    let r = s
        .dg(
            &owner,
            "DELETE",
            &format!("/agents/{id}/shares/{}", other.user.id),
        )
        .send()
        .await;
    assert_eq!((r.status, r.body.clone()), (200, json!({"status": true})));
    assert_eq!(
        s.dg(&other, "GET", &format!("/agents/{id}"))
            .send()
            .await
            .status,
        404
    );
    assert_eq!(
        s.dg(&other, "GET", "/agents").send().await.body["totalCount"],
        0
    );
    assert_eq!(
        s.dg(
            &owner,
            "DELETE",
            &format!("/agents/{id}/shares/{}", other.user.id)
        )
        .send()
        .await
        .status,
        404
    );
}
