//! Dialpad users beyond create/get/list/delete: update, move office, status message,
//! do-not-disturb (the presence Bird shows, one agent-status event per change), caller id,
//! emergency address, personas and desk phones.

use std::sync::Arc;

use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, Id};
use switchboard_domain::telephony::office::{EntryState, Office};
use switchboard_domain::OffsetClock;

use crate::dialpad_kit::{assert_error, dp};
use crate::kit::{Server, TestUser};

/// A company with a company key and a plain user (with their key).
pub(crate) struct Company {
    pub(crate) id: CompanyId,
    pub(crate) key: String,
    pub(crate) user: TestUser,
}

pub(crate) async fn company(s: &Server, name: &str) -> Company {
    let c = s.core.tenancy().create_company(name, None).await.unwrap();
    let key = s
        .core
        .tenancy()
        .create_company_key(c.id)
        .await
        .unwrap()
        .secret;
    Company {
        id: c.id,
        key,
        user: s.user_in(c.id, true).await,
    }
}

/// A secondary office of the company, written directly (offices are made elsewhere).
pub(crate) async fn second_office(s: &Server, company: CompanyId) -> i64 {
    let co = s
        .core
        .tenancy()
        .create_company("Scratch", None)
        .await
        .unwrap();
    let mut o = Office::main_of(&co);
    o.company_id = company;
    o.is_primary = false;
    o.name = "Branch".into();
    o.state = EntryState::Active;
    let mut tx = s.core.store().begin().await.unwrap();
    tx.insert_office(&o).await.unwrap();
    tx.commit().await.unwrap();
    o.id.0
}

pub(crate) async fn agent_status_events(s: &Server, company: CompanyId) -> Vec<Value> {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'agent_status_changed' AND company_id = {}",
        company.0
    ))
    .await
    .iter()
    .map(|t| serde_json::from_str(t).unwrap())
    .collect()
}

#[tokio::test]
async fn dialpad_user_update_changes_the_person_every_dialect_shows() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = c.user.user.id.0;
    let path = format!("/users/{id}");
    let main = dp(&s, "GET", &path, &c.key, None).await.body["office_id"].clone();
    let before = dp(&s, "GET", &path, &c.key, None).await;

    // Bad input: each refused with the envelope, and nothing changes.
    let taken = other.user.user.email.as_str().to_owned();
    for (body, code, reason) in [
        (json!({"license": "platinum"}), 400, "badRequest"),
        (json!({"state": "deleted"}), 400, "badRequest"),
        (json!({"state": 3}), 400, "badRequest"),
        (json!({"emails": []}), 400, "badRequest"),
        (json!({"emails": ["not an email"]}), 400, "badRequest"),
        (json!({"first_name": 12}), 400, "badRequest"),
        (json!({"first_name": "x".repeat(201)}), 400, "badRequest"),
        (json!({"job_title": "two\nlines"}), 400, "badRequest"),
        (
            json!({"forwarding_numbers": ["4155550100"]}),
            400,
            "badRequest",
        ),
        (
            json!({"phone_numbers": ["+14155550100"]}),
            400,
            "badRequest",
        ),
        (
            json!({"presence_status": {"type": "party", "message": "x"}}),
            400,
            "badRequest",
        ),
        (json!({"office_id": "nope"}), 400, "badRequest"),
        (json!({"office_id": other.user.user.id.0}), 404, "notFound"),
        (json!({"admin_office_ids": [1]}), 404, "notFound"),
        (json!({"emails": [taken]}), 409, "conflict"),
    ] {
        let r = dp(&s, "PATCH", &path, &c.key, Some(body.clone())).await;
        assert_error(&r, code, reason);
        assert_eq!(
            dp(&s, "GET", &path, &c.key, None).await.body,
            before.body,
            "{body}"
        );
    }
    // A plain user may not update people; another company's user is not found.
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.user.key,
        Some(json!({"job_title": "x"})),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    let r = dp(
        &s,
        "PATCH",
        &path,
        &other.key,
        Some(json!({"job_title": "x"})),
    )
    .await;
    assert_error(&r, 404, "notFound");

    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.key,
        Some(json!({
            "first_name": "Grace", "last_name": "Hopper",
            "emails": ["grace@acme.example", "g.hopper@acme.example"],
            "extension": "204", "job_title": "Rear Admiral", "license": "agents",
            "forwarding_numbers": ["+14155550100"], "international_dialing_enabled": true,
            "admin_office_ids": [main.clone()], "keep_paid_numbers": true, "phone_numbers": [],
            "presence_status": {"type": "conference", "provider": "Zoom", "message": "Planning"},
        })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let b = &r.body;
    assert_eq!(b["display_name"], "Grace Hopper");
    assert_eq!(
        b["emails"],
        json!(["grace@acme.example", "g.hopper@acme.example"])
    );
    assert_eq!(b["extension"], "204");
    assert_eq!(b["job_title"], "Rear Admiral");
    assert_eq!(b["license"], "agents");
    assert_eq!(b["forwarding_numbers"], json!(["+14155550100"]));
    assert_eq!(b["international_dialing_enabled"], true);
    assert_eq!(b["admin_office_ids"], json!([main]));
    assert_eq!(b["status_message"], "On Zoom: in the Planning meeting");
    assert_eq!(dp(&s, "GET", &path, &c.key, None).await.body, r.body);

    // The primary email is the person's: the email filter finds it, the old one nothing,
    // and the user's key (read again after the change) still works with the new name.
    let found = dp(&s, "GET", "/users?email=grace@acme.example", &c.key, None).await;
    assert_eq!(found.body["items"][0]["id"], id);
    let old = c.user.user.email.as_str();
    let gone = dp(&s, "GET", &format!("/users?email={old}"), &c.key, None).await;
    assert_eq!(gone.body["items"], json!([]));
    let me = s.bird(&c.user, "GET", "/agents/me").send().await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(
        me.body["user"]["defaultEmail"], "grace@acme.example",
        "{}",
        me.text
    );
    assert_eq!(me.body["name"], "Grace Hopper");

    // Clearing with empty strings; a super admin is the company's admin.
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.key,
        Some(json!({"extension": "", "job_title": null, "is_super_admin": true})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body.get("extension").is_none(), "{}", r.text);
    assert_eq!(r.body["job_title"], "Rear Admiral");
    assert_eq!(r.body["is_admin"], true);
    assert_eq!(r.body["is_super_admin"], true);
    let company = dp(&s, "GET", "/company", &c.user.key, None).await;
    assert_eq!(company.status, 200, "an admin now: {}", company.text);
}

#[tokio::test]
async fn a_suspended_users_keys_stop_working_until_active_again() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let path = format!("/users/{}", c.user.user.id.0);
    assert_eq!(dp(&s, "GET", &path, &c.user.key, None).await.status, 200);
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.key,
        Some(json!({"state": "suspended"})),
    )
    .await;
    assert_eq!(r.body["state"], "suspended", "{}", r.text);
    assert_error(
        &dp(&s, "GET", &path, &c.user.key, None).await,
        401,
        "required",
    );
    assert_eq!(
        s.bird(&c.user, "GET", "/agents/me").send().await.status,
        401
    );
    let r = dp(&s, "PATCH", &path, &c.key, Some(json!({"state": "active"}))).await;
    assert_eq!(r.body["state"], "active", "{}", r.text);
    assert_eq!(dp(&s, "GET", &path, &c.user.key, None).await.status, 200);
    // A deleted user cannot be updated.
    dp(&s, "DELETE", &path, &c.key, None).await;
    let r = dp(&s, "PATCH", &path, &c.key, Some(json!({"state": "active"}))).await;
    assert_error(&r, 404, "notFound");
}

#[tokio::test]
async fn move_office_takes_an_office_of_the_company() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let branch = second_office(&s, c.id).await;
    let foreign = second_office(&s, other.id).await;
    let path = format!("/users/{}/move_office", c.user.user.id.0);
    for (body, code, reason) in [
        (json!({"office_id": foreign}), 404, "notFound"),
        (json!({"office_id": -4}), 400, "badRequest"),
        (json!({"office_id": [1]}), 400, "badRequest"),
    ] {
        assert_error(
            &dp(&s, "PATCH", &path, &c.key, Some(body)).await,
            code,
            reason,
        );
    }
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.user.key,
        Some(json!({"office_id": branch})),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    let r = dp(
        &s,
        "PATCH",
        &path,
        &other.key,
        Some(json!({"office_id": foreign})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.key,
        Some(json!({"office_id": branch.to_string()})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["office_id"], branch);
    let got = dp(
        &s,
        "GET",
        &format!("/users/{}", c.user.user.id.0),
        &c.key,
        None,
    )
    .await;
    assert_eq!(got.body["office_id"], branch);
}

#[tokio::test]
async fn a_status_message_lapses_after_its_expiration() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = c.user.user.id.0;
    let path = format!("/users/{id}/status");
    for body in [
        json!({"status_message": "x", "expiration": 0}),
        json!({"status_message": "x", "expiration": -5}),
        json!({"status_message": "x", "expiration": "soon"}),
        json!({"status_message": ["x"]}),
    ] {
        assert_error(
            &dp(&s, "PATCH", &path, &c.key, Some(body)).await,
            400,
            "badRequest",
        );
    }
    let r = dp(
        &s,
        "PATCH",
        &path,
        &other.key,
        Some(json!({"status_message": "x"})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let second = s.user_in(c.id, true).await;
    let theirs = format!("/users/{}/status", second.user.id.0);
    let r = dp(
        &s,
        "PATCH",
        &theirs,
        &c.user.key,
        Some(json!({"status_message": "x"})),
    )
    .await;
    assert_error(&r, 403, "forbidden");

    // The user sets their own, through `me`.
    let r = dp(
        &s,
        "PATCH",
        "/users/me/status",
        &c.user.key,
        Some(json!({"status_message": "At lunch", "expiration": 60})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"id": id, "status_message": "At lunch", "expiration": 60})
    );
    let user = format!("/users/{id}");
    assert_eq!(
        dp(&s, "GET", &user, &c.key, None).await.body["status_message"],
        "At lunch"
    );
    clock.advance(61);
    let got = dp(&s, "GET", &user, &c.key, None).await;
    assert!(got.body.get("status_message").is_none(), "{}", got.text);

    // Without expiration it stays; an empty message clears it.
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.key,
        Some(json!({"status_message": "Focus"})),
    )
    .await;
    assert_eq!(r.body, json!({"id": id, "status_message": "Focus"}));
    clock.advance(86_400);
    assert_eq!(
        dp(&s, "GET", &user, &c.key, None).await.body["status_message"],
        "Focus"
    );
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.key,
        Some(json!({"status_message": ""})),
    )
    .await;
    assert_eq!(r.body, json!({"id": id}));
}

#[tokio::test]
async fn dnd_is_the_presence_bird_shows_with_one_agent_status_event_per_change() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = c.user.user.id.0;
    let path = format!("/users/{id}/togglednd");
    let user = format!("/users/{id}");
    assert_eq!(
        dp(&s, "GET", &user, &c.key, None).await.body["do_not_disturb"],
        false
    );

    for body in [
        json!({}),
        json!({"do_not_disturb": "yes"}),
        json!({"do_not_disturb": true, "group_type": "team"}),
        json!({"do_not_disturb": true, "group_type": "office", "group_id": 1}),
    ] {
        assert_error(
            &dp(&s, "PATCH", &path, &c.key, Some(body)).await,
            400,
            "badRequest",
        );
    }
    let on = json!({"do_not_disturb": true});
    assert_error(
        &dp(&s, "PATCH", &path, &other.key, Some(on.clone())).await,
        404,
        "notFound",
    );
    let second = s.user_in(c.id, true).await;
    let theirs = format!("/users/{}/togglednd", second.user.id.0);
    let r = dp(&s, "PATCH", &theirs, &c.user.key, Some(on.clone())).await;
    assert_error(&r, 403, "forbidden");
    assert!(agent_status_events(&s, c.id).await.is_empty());

    // On in Dialpad: Bird shows the agent busy; one event, and setting it again adds none.
    for _ in 0..2 {
        let r = dp(&s, "PATCH", &path, &c.key, Some(on.clone())).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body, json!({"do_not_disturb": true, "id": id}));
    }
    assert_eq!(
        dp(&s, "GET", &user, &c.key, None).await.body["do_not_disturb"],
        true
    );
    let me = s.bird(&c.user, "GET", "/agents/me").send().await;
    assert_eq!(me.body["availability"]["activity"], "busy", "{}", me.text);
    let events = agent_status_events(&s, c.id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["user_id"], c.user.user.id.to_string());
    assert_eq!(events[0]["activity"], "busy");
    assert_eq!(events[0]["previous_activity"], "available");

    // Available in Bird: Dialpad shows DND off; one more event.
    let bird_path = format!("/agents/{}/availability", c.user.user.id.to_uuid());
    let r = s
        .bird(&c.user, "PATCH", &bird_path)
        .json(json!({"status": "active", "activity": "available"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        dp(&s, "GET", &user, &c.key, None).await.body["do_not_disturb"],
        false
    );
    let listed = dp(&s, "GET", "/users", &c.key, None).await;
    let row = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .cloned()
        .unwrap();
    assert_eq!(row["do_not_disturb"], false);
    assert_eq!(agent_status_events(&s, c.id).await.len(), 2);

    // Busy in Bird is DND on in Dialpad; the user turns it off themselves through `me`.
    s.bird(&c.user, "PATCH", &bird_path)
        .json(json!({"status": "active", "activity": "busy"}))
        .send()
        .await;
    assert_eq!(
        dp(&s, "GET", &user, &c.key, None).await.body["do_not_disturb"],
        true
    );
    let off = json!({"do_not_disturb": false});
    let r = dp(&s, "PATCH", "/users/me/togglednd", &c.user.key, Some(off)).await;
    assert_eq!(
        r.body,
        json!({"do_not_disturb": false, "id": id}),
        "{}",
        r.text
    );
    let me = s.bird(&c.user, "GET", "/agents/me").send().await;
    assert_eq!(me.body["availability"]["activity"], "available");
    assert_eq!(
        me.body["status"], "active",
        "the status is kept: {}",
        me.text
    );
    assert_eq!(agent_status_events(&s, c.id).await.len(), 4);
}
