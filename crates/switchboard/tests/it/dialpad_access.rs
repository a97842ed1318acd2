//! Dialpad access-control policies: created by admins for a company admin owner with the
//! document's permission sets, updated, deleted (assignments removed) and restored; users
//! assigned at the policy's level (company, office, call center), unassigned, listed a page
//! of users at a time; bad and foreign input changing nothing; one change-log event per write.

use serde_json::{json, Value};
use switchboard_domain::ids::{Id, PolicyId, UserId};
use switchboard_domain::telephony::access::PolicyLevel;
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::telephony::directory::NewDirectoryUser;

use crate::dialpad_contacts::{all_changes, all_pages, changes, plain_user};
use crate::dialpad_kit::{assert_error, company, dp};
use crate::kit::Server;

async fn admin_user(s: &Server, key: &str) -> i64 {
    let r = dp(s, "GET", "/users?company_admin=true", key, None).await;
    r.body["items"][0]["id"].as_i64().unwrap()
}

fn policy(owner: i64) -> Value {
    json!({
        "name": "Supervisors",
        "description": "call center leads",
        "owner_id": owner,
        "permission_sets": ["agent_settings_write", "csat_surveys_write"],
    })
}

#[tokio::test]
async fn policies_are_created_updated_deleted_and_restored() {
    let s = Server::start().await;
    let c = company(&s, "Policy").await;
    let owner = admin_user(&s, &c.company_key).await;
    let r = dp(
        &s,
        "POST",
        "/accesscontrolpolicies",
        &c.company_key,
        Some(policy(owner)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["company_id"], c.id.0);
    assert_eq!(r.body["owner_id"], owner);
    assert_eq!(r.body["state"], "active");
    assert_eq!(r.body["target_type"], "company");
    assert_eq!(
        r.body["permission_sets"],
        json!(["agent_settings_write", "csat_surveys_write"])
    );
    assert_eq!(r.body["description"], "call center leads");
    let got = dp(
        &s,
        "GET",
        &format!("/accesscontrolpolicies/{id}"),
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(got.body, r.body);

    let r = dp(
        &s,
        "PATCH",
        &format!("/accesscontrolpolicies/{id}"),
        &c.admin_key,
        Some(json!({"name": "Leads", "permission_sets": ["number_settings_write"], "user_id": owner})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Leads");
    assert_eq!(r.body["permission_sets"], json!(["number_settings_write"]));

    let user = plain_user(&s, &c.company_key).await;
    let r = dp(
        &s,
        "POST",
        &format!("/accesscontrolpolicies/{id}/assign"),
        &c.company_key,
        Some(json!({"user_id": user})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(
        &s,
        "DELETE",
        &format!("/accesscontrolpolicies/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "deleted");
    let (left, _) = all_pages(
        &s,
        &format!("/accesscontrolpolicies/{id}/assignments"),
        &c.company_key,
    )
    .await;
    assert!(left.is_empty());
    let again = dp(
        &s,
        "DELETE",
        &format!("/accesscontrolpolicies/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&again, 404, "notFound");
    let r = dp(
        &s,
        "POST",
        &format!("/accesscontrolpolicies/{id}/assign"),
        &c.company_key,
        Some(json!({"user_id": user})),
    )
    .await;
    assert_error(&r, 409, "conflict");
    let r = dp(
        &s,
        "PATCH",
        &format!("/accesscontrolpolicies/{id}"),
        &c.company_key,
        Some(json!({"state": "active"})),
    )
    .await;
    assert_eq!(r.body["state"], "active");

    for action in [
        "policy_created",
        "policy_updated",
        "policy_assigned",
        "policy_deleted",
        "policy_restored",
    ] {
        assert_eq!(changes(&s, c.id, action).await, 1, "{action}");
    }
}

#[tokio::test]
async fn bad_policy_input_changes_nothing() {
    let s = Server::start().await;
    let c = company(&s, "Strict").await;
    let other = company(&s, "Other").await;
    let owner = admin_user(&s, &c.company_key).await;
    let made = dp(
        &s,
        "POST",
        "/accesscontrolpolicies",
        &c.company_key,
        Some(policy(owner)),
    )
    .await;
    let id = made.body["id"].as_i64().unwrap();
    let before = all_changes(&s, c.id).await;
    let with = |extra: Value| {
        let mut b = policy(owner);
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    let plain = plain_user(&s, &c.company_key).await;
    for body in [
        with(json!({"permission_sets": ["agent_settings_read"]})),
        with(json!({"permission_sets": ["root"]})),
        with(json!({"permission_sets": []})),
        with(json!({"target_type": "room"})),
        with(json!({"name": ""})),
        with(json!({"name": "x".repeat(51)})),
        with(json!({"owner_id": plain})),
        with(json!({"color": "red"})),
        json!({"name": "No owner", "permission_sets": ["csat_surveys_write"]}),
        with(json!({"owner_id": "abc"})),
    ] {
        let r = dp(
            &s,
            "POST",
            "/accesscontrolpolicies",
            &c.company_key,
            Some(body),
        )
        .await;
        assert_error(&r, 400, "badRequest");
    }
    let foreign_owner = admin_user(&s, &other.company_key).await;
    let r = dp(
        &s,
        "POST",
        "/accesscontrolpolicies",
        &c.company_key,
        Some(with(json!({"owner_id": foreign_owner}))),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let path = format!("/accesscontrolpolicies/{id}");
    for body in [
        json!({"state": "deleted"}),
        json!({"permission_sets": ["nope"]}),
        json!({"user_id": plain}),
        json!({"owner_id": owner}),
    ] {
        let r = dp(&s, "PATCH", &path, &c.company_key, Some(body)).await;
        assert_error(&r, 400, "badRequest");
    }
    let r = dp(
        &s,
        "GET",
        "/accesscontrolpolicies/abc",
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
    for (method, p) in [
        ("GET", path.clone()),
        ("PATCH", path.clone()),
        ("DELETE", path.clone()),
        ("GET", format!("{path}/assignments")),
        ("POST", format!("{path}/assign")),
        ("POST", format!("{path}/unassign")),
    ] {
        let body = (method != "GET" && method != "DELETE")
            .then(|| json!({"user_id": foreign_owner, "name": "Z"}));
        let body = body.map(|mut b: Value| {
            if p.ends_with("assign") {
                b.as_object_mut().unwrap().remove("name");
            } else {
                b.as_object_mut().unwrap().remove("user_id");
            }
            b
        });
        let r = dp(&s, method, &p, &other.company_key, body).await;
        assert_error(&r, 404, "notFound");
    }
    for (method, p, body) in [
        (
            "POST",
            "/accesscontrolpolicies".to_owned(),
            Some(policy(owner)),
        ),
        ("PATCH", path.clone(), Some(json!({"name": "Z"}))),
        ("DELETE", path.clone(), None),
        (
            "POST",
            format!("{path}/assign"),
            Some(json!({"user_id": plain})),
        ),
        (
            "POST",
            format!("{path}/unassign"),
            Some(json!({"user_id": plain})),
        ),
    ] {
        let r = dp(&s, method, &p, &c.user_key, body).await;
        assert_error(&r, 403, "forbidden");
    }
    let still = dp(&s, "GET", &path, &c.user_key, None).await;
    assert_eq!(still.body, made.body);
    assert_eq!(all_changes(&s, c.id).await, before);
}

#[tokio::test]
async fn users_are_assigned_at_the_policy_level() {
    let s = Server::start().await;
    let c = company(&s, "Levels").await;
    let other = company(&s, "Foreign").await;
    let owner = admin_user(&s, &c.company_key).await;
    let user = plain_user(&s, &c.company_key).await;
    let offices = dp(&s, "GET", "/offices", &c.company_key, None).await;
    let office = offices.body["items"][0]["id"].as_i64().unwrap();
    let foreign_office = dp(&s, "GET", "/offices", &other.company_key, None)
        .await
        .body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let r = dp(
        &s,
        "POST",
        "/accesscontrolpolicies",
        &c.company_key,
        Some(
            json!({"name": "Office admins", "owner_id": owner, "target_type": "office",
                    "permission_sets": ["business_hours_write"]}),
        ),
    )
    .await;
    assert_eq!(r.body["target_type"], "office", "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    let assign = |body: Value| {
        let s = &s;
        let key = c.company_key.clone();
        async move {
            dp(
                s,
                "POST",
                &format!("/accesscontrolpolicies/{id}/assign"),
                &key,
                Some(body),
            )
            .await
        }
    };
    let r = assign(json!({"user_id": user, "target_type": "office", "target_id": office})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["user"]["id"], user);
    assert_eq!(
        r.body["policy_targets"],
        json!([{"target_id": office, "target_type": "office"}])
    );
    let r = assign(json!({"user_id": user, "target_type": "office", "target_id": office})).await;
    assert_error(&r, 409, "conflict");
    for body in [
        json!({"user_id": user, "target_type": "office"}),
        json!({"user_id": user}),
        json!({"user_id": user, "target_type": "callcenter", "target_id": office}),
        json!({"user_id": user, "target_type": "planet", "target_id": office}),
        json!({"target_type": "office", "target_id": office}),
    ] {
        let r = assign(body).await;
        assert_error(&r, 400, "badRequest");
    }
    for body in [
        json!({"user_id": user, "target_type": "office", "target_id": foreign_office}),
        json!({"user_id": admin_user(&s, &other.company_key).await, "target_type": "office", "target_id": office}),
    ] {
        let r = assign(body).await;
        assert_error(&r, 404, "notFound");
    }
    let unassign = |body: Value| {
        let s = &s;
        let key = c.company_key.clone();
        async move {
            dp(
                s,
                "POST",
                &format!("/accesscontrolpolicies/{id}/unassign"),
                &key,
                Some(body),
            )
            .await
        }
    };
    let r = unassign(json!({"user_id": owner, "target_type": "office", "target_id": office})).await;
    assert_error(&r, 404, "notFound");
    let r = unassign(json!({"user_id": user, "unassign_all": true})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["policy_targets"], json!([]));
    let r = unassign(json!({"user_id": user, "unassign_all": true})).await;
    assert_error(&r, 404, "notFound");
    assert_eq!(changes(&s, c.id, "policy_assigned").await, 1);
    assert_eq!(changes(&s, c.id, "policy_unassigned").await, 1);

    // A deleted user loses their assignments.
    let r = assign(json!({"user_id": user, "target_type": "office", "target_id": office})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(
        &s,
        "DELETE",
        &format!("/users/{user}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(
        &s,
        "GET",
        &format!("/accesscontrolpolicies/{id}/assignments"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["items"], json!([]), "{}", r.text);
}

#[tokio::test]
async fn policies_and_assignments_page_over_several_pages() {
    let s = Server::start().await;
    let c = company(&s, "Crowd").await;
    let owner = UserId::from_raw(admin_user(&s, &c.company_key).await);
    let actor = Actor::company(c.id);
    let t = s.core.telephony();
    let mut last = None;
    for i in 0..101 {
        let new = switchboard_domain::telephony::access::NewPolicy {
            name: format!("P{i}"),
            description: None,
            owner_id: owner,
            permissions: vec!["csat_surveys_write".into()],
            level: PolicyLevel::Company,
        };
        last = Some(t.create_policy(&actor, new).await.unwrap().id);
    }
    let (_, sizes) = all_pages(&s, "/accesscontrolpolicies", &c.user_key).await;
    assert_eq!(sizes, [100, 1]);
    let id: PolicyId = last.unwrap();
    let mut users = Vec::new();
    for i in 0..102 {
        let u = t
            .create_directory_user(
                &actor,
                NewDirectoryUser {
                    company_id: c.id,
                    email: format!("u{i}@crowd.example"),
                    first_name: None,
                    last_name: None,
                    office_id: None,
                    license: None,
                    auto_assign: false,
                },
            )
            .await
            .unwrap();
        t.assign_policy(&actor, id, u.user.id, PolicyLevel::Company, None)
            .await
            .unwrap();
        users.push(u.user.id.0);
    }
    let path = format!("/accesscontrolpolicies/{}/assignments", id.0);
    let (items, sizes) = all_pages(&s, &path, &c.user_key).await;
    assert_eq!(sizes, [100, 2]);
    users.sort();
    let listed: Vec<i64> = items
        .iter()
        .map(|a| a["user"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, users);
    assert_eq!(
        items[0]["policy_targets"],
        json!([{"target_id": c.id.0, "target_type": "company"}])
    );
    let r = dp(&s, "GET", "/accesscontrolpolicies", &c.user_key, None).await;
    let cursor = r.body["cursor"].as_str().unwrap();
    let r = dp(
        &s,
        "GET",
        &format!("{path}?cursor={cursor}"),
        &c.user_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
}
