//! Every write to the directory records one change-log event in the outbox, in the same
//! transaction: what changed, on which target, and who changed it (the company through its
//! key, or the user whose key it was). Refused writes record nothing.

use serde_json::{json, Value};

use crate::dialpad_kit::{assert_error, company, dp};
use crate::kit::Server;

async fn log(s: &Server) -> Vec<Value> {
    s.raw_texts("SELECT payload FROM events WHERE kind = 'change_log'")
        .await
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect()
}

/// The actions, sorted (several writes can share a millisecond).
fn actions(rows: &[Value]) -> Vec<&str> {
    let mut a: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    a.sort_unstable();
    a
}

fn entry<'a>(rows: &'a [Value], action: &str) -> &'a Value {
    rows.iter().find(|r| r["action"] == action).unwrap()
}

#[tokio::test]
async fn directory_writes_are_in_the_change_log_with_who_made_them() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let me = dp(&s, "GET", "/users?company_admin=true", &c.admin_key, None).await;
    let admin_id = me.body["items"][0]["id"].as_i64().unwrap();
    let main = dp(&s, "GET", "/offices", &c.company_key, None).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();

    // Through the company key.
    let r = dp(
        &s,
        "POST",
        "/users",
        &c.company_key,
        Some(json!({"email": "bo@acme.example", "office_id": main})),
    )
    .await;
    let bo = r.body["id"].as_i64().unwrap();
    let caller_id = format!("/users/{bo}/caller_id");
    let r = dp(
        &s,
        "POST",
        &caller_id,
        &c.company_key,
        Some(json!({"caller_id": "blocked"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let e911 = json!({"address": "1 Main St", "city": "Springfield", "state": "or", "zip": "97477", "country": "us"});
    let r = dp(
        &s,
        "PUT",
        &format!("/users/{bo}/e911"),
        &c.company_key,
        Some(e911),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Through an admin's user key.
    let r = dp(
        &s,
        "POST",
        "/callcenters",
        &c.admin_key,
        Some(json!({"name": "Support", "office_id": main})),
    )
    .await;
    let cc = r.body["id"].as_i64().unwrap();
    let cc_path = format!("/callcenters/{cc}");
    dp(
        &s,
        "PATCH",
        &cc_path,
        &c.admin_key,
        Some(json!({"ring_seconds": 20})),
    )
    .await;
    let ops = format!("{cc_path}/operators");
    dp(
        &s,
        "POST",
        &ops,
        &c.company_key,
        Some(json!({"user_id": bo})),
    )
    .await;
    let skill = format!("{cc_path}/operators/{bo}/skill");
    dp(
        &s,
        "PATCH",
        &skill,
        &c.company_key,
        Some(json!({"skill_level": 80})),
    )
    .await;
    dp(
        &s,
        "DELETE",
        &ops,
        &c.company_key,
        Some(json!({"user_id": bo})),
    )
    .await;
    dp(
        &s,
        "PATCH",
        &format!("/users/{bo}"),
        &c.company_key,
        Some(json!({"job_title": "Lead"})),
    )
    .await;
    dp(&s, "DELETE", &cc_path, &c.company_key, None).await;
    dp(&s, "DELETE", &format!("/users/{bo}"), &c.company_key, None).await;

    // Refused writes leave no trace.
    let r = dp(
        &s,
        "PATCH",
        &cc_path,
        &c.company_key,
        Some(json!({"ring_seconds": 20})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "POST",
        "/callcenters",
        &c.user_key,
        Some(json!({"name": "X", "office_id": main})),
    )
    .await;
    assert_error(&r, 403, "forbidden");

    let rows = log(&s).await;
    assert_eq!(
        actions(&rows),
        [
            "call_center_created",
            "caller_id_updated",
            "group_deleted",
            "group_updated",
            "operator_added",
            "operator_removed",
            "operator_skill_updated",
            "user_created",
            "user_deleted",
            "user_e911_updated",
            "user_updated",
        ]
    );
    let created = entry(&rows, "user_created");
    assert_eq!(created["target"], json!({"type": "User", "id": bo}));
    assert_eq!(created["changed_by"]["type"], "Company");
    let cc_created = entry(&rows, "call_center_created");
    assert_eq!(
        cc_created["target"],
        json!({"type": "CallCenter", "id": cc})
    );
    assert_eq!(
        cc_created["changed_by"],
        json!({"type": "User", "id": admin_id})
    );
    assert_eq!(entry(&rows, "group_updated")["changed_by"]["id"], admin_id);
    assert_eq!(
        entry(&rows, "operator_added")["additional_data"]["user_id"],
        bo
    );
    assert!(rows
        .iter()
        .all(|r| r["note"].as_str().is_some_and(|n| !n.is_empty())));
    let events = s
        .raw_texts(&format!(
            "SELECT company_id FROM events WHERE kind = 'change_log' AND company_id = {}",
            c.id.0
        ))
        .await;
    assert_eq!(events.len(), rows.len());
}
