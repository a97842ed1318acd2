//! Dialpad channels: created (named uniquely in the company, owned by a user who is the first
//! member), listed by state a page at a time, read, deleted; members listed, added, removed.

use serde_json::{json, Value};

use crate::dialpad_kit::{assert_error, company, dp};
use crate::dialpad_rooms::{actions, all_pages, change_log, main_office, user_of};
use crate::kit::Server;

fn channel(name: &str) -> Value {
    json!({"name": name, "description": "talk", "privacy_type": "public"})
}

#[tokio::test]
async fn channels_are_created_listed_read_and_deleted() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let admin = user_of(&s, &c.admin_key).await;
    let plain = user_of(&s, &c.user_key).await;

    // An admin user's channel is theirs, and they are its first member.
    let r = dp(
        &s,
        "POST",
        "/channels",
        &c.admin_key,
        Some(channel(" General ")),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body, json!({"id": id, "name": "General"}));
    let r = dp(
        &s,
        "GET",
        &format!("/channels/{id}/members"),
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(
        r.body,
        json!({"items": [{"id": admin, "name": "Person0 Example"}]})
    );
    // A company key names the owner, or none.
    let mut named = channel("Sales");
    named["user_id"] = json!(plain);
    named["privacy_type"] = json!("private");
    let r = dp(&s, "POST", "/channels", &c.company_key, Some(named)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let sales = r.body["id"].as_i64().unwrap();
    let r = dp(
        &s,
        "GET",
        &format!("/channels/{sales}/members"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["items"][0]["id"], plain);
    let r = dp(
        &s,
        "POST",
        "/channels",
        &c.company_key,
        Some(channel("Ownerless")),
    )
    .await;
    let ownerless = r.body["id"].as_i64().unwrap();
    let r = dp(
        &s,
        "GET",
        &format!("/channels/{ownerless}/members"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body, json!({"items": []}));

    // Get: a plain user reads; another company, unknown and malformed ids.
    let path = format!("/channels/{id}");
    let r = dp(&s, "GET", &path, &c.user_key, None).await;
    assert_eq!(r.body, json!({"id": id, "name": "General"}));
    assert_error(
        &dp(&s, "GET", &path, &other.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/channels/5", &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/channels/x", &c.company_key, None).await,
        400,
        "badRequest",
    );

    // Lists: every channel a page at a time; by state; another company sees none.
    for i in 0..4 {
        let r = dp(
            &s,
            "POST",
            "/channels",
            &c.company_key,
            Some(channel(&format!("c{i}"))),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let (items, pages) = all_pages(&s, "/channels", &c.user_key, 3).await;
    assert_eq!((items.len(), pages), (7, 3));
    let (items, _) = all_pages(&s, "/channels?state=active", &c.user_key, 100).await;
    assert_eq!(items.len(), 7);
    let r = dp(&s, "GET", "/channels?state=deleted", &c.user_key, None).await;
    assert_eq!(r.body, json!({"items": []}));
    assert_error(
        &dp(&s, "GET", "/channels?state=gone", &c.user_key, None).await,
        400,
        "badRequest",
    );
    let r = dp(&s, "GET", "/channels", &other.company_key, None).await;
    assert_eq!(r.body, json!({"items": []}));

    // Delete: answers the channel; then it and its memberships are gone.
    assert_error(
        &dp(&s, "DELETE", &path, &c.user_key, None).await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(&s, "DELETE", &path, &other.company_key, None).await,
        404,
        "notFound",
    );
    let r = dp(&s, "DELETE", &path, &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"id": id, "name": "General"}));
    assert_error(
        &dp(&s, "GET", &path, &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "DELETE", &path, &c.company_key, None).await,
        404,
        "notFound",
    );
    let members = format!("{path}/members");
    assert_error(
        &dp(&s, "GET", &members, &c.company_key, None).await,
        404,
        "notFound",
    );
    // Its name is free again.
    let r = dp(
        &s,
        "POST",
        "/channels",
        &c.company_key,
        Some(channel("general")),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let log = actions(&s, c.id).await;
    assert_eq!(log.iter().filter(|a| *a == "channel_created").count(), 8);
    assert_eq!(log.len(), 9);
    assert_eq!(log[7], "channel_deleted");
    let events = change_log(&s, c.id).await;
    assert_eq!(events[0]["target"], json!({"type": "Channel", "id": id}));
    assert_eq!(
        events[0]["changed_by"],
        json!({"type": "User", "id": admin})
    );
    assert_eq!(
        events[0]["additional_data"],
        json!({"name": "General", "privacy_type": "public"})
    );
}

#[tokio::test]
async fn bad_channels_are_refused_and_nothing_is_made() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let foreign = user_of(&s, &other.user_key).await;
    let plain = user_of(&s, &c.user_key).await;
    let r = dp(
        &s,
        "POST",
        "/channels",
        &c.company_key,
        Some(channel("General")),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let before = actions(&s, c.id).await;

    let without = |field: &str| {
        let mut b = channel("New");
        b.as_object_mut().unwrap().remove(field);
        b
    };
    let with = |field: &str, v: Value| {
        let mut b = channel("New");
        b[field] = v;
        b
    };
    for (key, body, code, reason) in [
        (&c.company_key, without("name"), 400, "badRequest"),
        (&c.company_key, without("description"), 400, "badRequest"),
        (&c.company_key, without("privacy_type"), 400, "badRequest"),
        (
            &c.company_key,
            with("privacy_type", json!("secret")),
            400,
            "badRequest",
        ),
        (&c.company_key, with("name", json!("")), 400, "badRequest"),
        (
            &c.company_key,
            with("name", json!("a\nb")),
            400,
            "badRequest",
        ),
        (&c.company_key, with("name", json!(7)), 400, "badRequest"),
        (&c.company_key, with("topic", json!("x")), 400, "badRequest"),
        (
            &c.company_key,
            with("user_id", json!(-3)),
            400,
            "badRequest",
        ),
        (
            &c.admin_key,
            with("user_id", json!(plain)),
            400,
            "badRequest",
        ),
        (
            &c.company_key,
            with("user_id", json!(foreign)),
            404,
            "notFound",
        ),
        (&c.company_key, channel("GENERAL"), 409, "conflict"),
        (&c.user_key, channel("Mine"), 403, "forbidden"),
    ] {
        let r = dp(&s, "POST", "/channels", key, Some(body)).await;
        assert_error(&r, code, reason);
    }
    assert_eq!(actions(&s, c.id).await, before);
    let (items, _) = all_pages(&s, "/channels", &c.company_key, 100).await;
    assert_eq!(items.len(), 1);
}

#[tokio::test]
async fn channel_members_are_added_listed_and_removed() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, c.id).await;
    let plain = user_of(&s, &c.user_key).await;
    let foreign = user_of(&s, &other.user_key).await;
    let r = dp(
        &s,
        "POST",
        "/channels",
        &c.company_key,
        Some(channel("General")),
    )
    .await;
    let members = format!("/channels/{}/members", r.body["id"]);
    let start = actions(&s, c.id).await.len();

    let user = |id: i64| Some(json!({"user_id": id}));
    let r = dp(&s, "POST", &members, &c.company_key, user(plain)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"id": plain, "name": "Person1 Example"}));
    let mut joined = vec![plain];
    for i in 0..4 {
        let r = dp(
            &s,
            "POST",
            "/users",
            &c.company_key,
            Some(json!({"email": format!("u{i}@acme.example"), "office_id": main})),
        )
        .await;
        let id = r.body["id"].as_i64().unwrap();
        // Ids as decimal strings too; an admin user's key adds as well.
        let r = dp(
            &s,
            "POST",
            &members,
            &c.admin_key,
            Some(json!({"user_id": id.to_string()})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        joined.push(id);
    }
    joined.sort();
    let (items, pages) = all_pages(&s, &members, &c.user_key, 2).await;
    assert_eq!(pages, 3);
    let ids: Vec<i64> = items.iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, joined);

    for (method, body, code, reason) in [
        ("POST", user(plain), 409, "conflict"),
        ("POST", user(foreign), 404, "notFound"),
        ("POST", user(99), 404, "notFound"),
        ("POST", Some(json!({})), 400, "badRequest"),
        ("POST", Some(json!({"user_id": "x"})), 400, "badRequest"),
        (
            "POST",
            Some(json!({"user_id": plain, "role": "admin"})),
            400,
            "badRequest",
        ),
        ("DELETE", user(foreign), 404, "notFound"),
        ("DELETE", Some(json!({})), 400, "badRequest"),
    ] {
        let r = dp(&s, method, &members, &c.company_key, body).await;
        assert_error(&r, code, reason);
    }
    assert_error(
        &dp(&s, "POST", &members, &c.user_key, user(plain)).await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(&s, "DELETE", &members, &c.user_key, user(plain)).await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(&s, "POST", &members, &other.company_key, user(foreign)).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", &members, &other.company_key, None).await,
        404,
        "notFound",
    );

    let r = dp(&s, "DELETE", &members, &c.company_key, user(plain)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"id": plain, "name": "Person1 Example"}));
    assert_error(
        &dp(&s, "DELETE", &members, &c.company_key, user(plain)).await,
        404,
        "notFound",
    );

    // A deleted user leaves every channel.
    let gone = joined.iter().copied().find(|id| *id != plain).unwrap();
    dp(
        &s,
        "DELETE",
        &format!("/users/{gone}"),
        &c.company_key,
        None,
    )
    .await;
    let (items, _) = all_pages(&s, &members, &c.company_key, 100).await;
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|m| m["id"] != gone && m["id"] != plain));

    // The channel's own events (user writes may record theirs in between).
    let log: Vec<String> = actions(&s, c.id).await[start..]
        .iter()
        .filter(|a| a.starts_with("channel_"))
        .cloned()
        .collect();
    let mut expected = vec!["channel_member_added"; 5];
    expected.push("channel_member_removed");
    assert_eq!(log, expected);
    // Events of the same millisecond may come in any order: the first add is among them.
    let events = change_log(&s, c.id).await;
    assert!(
        events[start..]
            .iter()
            .any(|e| e["action"] == "channel_member_added"
                && e["additional_data"] == json!({"user_id": plain})),
        "{events:?}"
    );
}
