//! Dialpad rooms: created in an office, read, renamed, listed a page at a time, deleted; the
//! PIN for international calls (kept only as a keyed hash); a room's desk phones. Every write
//! records one change-log event; bad input, a plain user's key and another company's ids change
//! nothing.

use serde_json::{json, Value};
use switchboard_domain::ids::CompanyId;
use switchboard_domain::tenancy::account::Principal;

use crate::dialpad_kit::{assert_error, company, dp, Company};
use crate::dialpad_users::second_office;
use crate::kit::Server;

/// The change-log events written for the company, oldest first.
pub(crate) async fn change_log(s: &Server, company: CompanyId) -> Vec<Value> {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'change_log' AND company_id = {} \
         ORDER BY created_at, id",
        company.0
    ))
    .await
    .iter()
    .map(|t| serde_json::from_str(t).unwrap())
    .collect()
}

/// The actions of the company's change-log events, oldest first.
pub(crate) async fn actions(s: &Server, company: CompanyId) -> Vec<String> {
    change_log(s, company)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) async fn main_office(s: &Server, company: CompanyId) -> i64 {
    let p = s.core.telephony().company_profile(company).await.unwrap();
    p.main_office.id.0
}

/// The user id behind a user key.
pub(crate) async fn user_of(s: &Server, key: &str) -> i64 {
    match s.core.tenancy().authenticate(key).await.unwrap() {
        Principal::User(u) => u.id.0,
        _ => panic!("not a user key"),
    }
}

/// Every page of a list at `limit` a page: the items, and how many pages it took.
pub(crate) async fn all_pages(s: &Server, path: &str, key: &str, limit: u32) -> (Vec<Value>, u32) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (mut items, mut pages, mut cursor) = (Vec::new(), 0, None::<String>);
    loop {
        let url = match &cursor {
            None => format!("{path}{sep}limit={limit}"),
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
        };
        let r = dp(s, "GET", &url, key, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        pages += 1;
        let page = r.body["items"].as_array().unwrap();
        assert!(page.len() <= limit as usize);
        items.extend(page.iter().cloned());
        match r.body.get("cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => return (items, pages),
        }
    }
}

async fn new_room(s: &Server, c: &Company, name: &str, office: i64) -> Value {
    let r = dp(
        s,
        "POST",
        "/rooms",
        &c.company_key,
        Some(json!({"name": name, "office_id": office})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

#[tokio::test]
async fn rooms_are_created_read_renamed_listed_and_deleted() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, c.id).await;
    let branch = second_office(&s, c.id).await;

    let room = new_room(&s, &c, " Boardroom ", main).await;
    let id = room["id"].as_i64().unwrap();
    assert_eq!(
        room,
        json!({"company_id": c.id.0, "country": "us", "id": id, "is_free": true,
               "is_on_duty": false, "name": "Boardroom", "office_id": main,
               "phone_numbers": [], "state": "active"})
    );
    // An admin user's key creates too, and ids may be decimal strings.
    let r = dp(
        &s,
        "POST",
        "/rooms",
        &c.admin_key,
        Some(json!({"name": "Lobby", "office_id": branch.to_string()})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["office_id"], branch);

    // Get: a plain user reads; another company and unknown ids are 404, a bad id 400.
    let path = format!("/rooms/{id}");
    assert_eq!(dp(&s, "GET", &path, &c.user_key, None).await.body, room);
    assert_error(
        &dp(&s, "GET", &path, &other.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/rooms/123", &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/rooms/abc", &c.company_key, None).await,
        400,
        "badRequest",
    );

    // Rename; `phone_numbers` may only keep the room's own numbers (none yet).
    let r = dp(
        &s,
        "PATCH",
        &path,
        &c.company_key,
        Some(json!({"name": "Board", "phone_numbers": []})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Board");
    assert_eq!(
        dp(&s, "GET", &path, &c.company_key, None).await.body["name"],
        "Board"
    );

    // The list: the company's rooms, or one office's.
    let r = dp(&s, "GET", "/rooms", &c.user_key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2, "{}", r.text);
    assert!(r.body.get("cursor").is_none());
    let r = dp(
        &s,
        "GET",
        &format!("/rooms?office_id={branch}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["items"][0]["name"], "Lobby", "{}", r.text);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        dp(&s, "GET", "/rooms", &other.company_key, None).await.body,
        json!({"items": []})
    );
    let foreign_office = main_office(&s, other.id).await;
    let r = dp(
        &s,
        "GET",
        &format!("/rooms?office_id={foreign_office}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_error(
        &dp(&s, "GET", "/rooms?office_id=x", &c.company_key, None).await,
        400,
        "badRequest",
    );

    // Delete: answers the room deleted; then it is gone.
    let r = dp(&s, "DELETE", &path, &other.company_key, None).await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "DELETE", &path, &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "deleted");
    assert_eq!(r.body["id"], id);
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

    // One event per write, saying who did what to which room.
    assert_eq!(
        actions(&s, c.id).await,
        [
            "room_created",
            "room_created",
            "room_updated",
            "room_deleted"
        ]
    );
    let log = change_log(&s, c.id).await;
    assert_eq!(log[0]["target"], json!({"type": "Room", "id": id}));
    assert_eq!(
        log[0]["changed_by"],
        json!({"type": "Company", "id": c.id.0})
    );
    assert_eq!(log[0]["additional_data"]["name"], "Boardroom");
    let admin = user_of(&s, &c.admin_key).await;
    assert_eq!(log[1]["changed_by"], json!({"type": "User", "id": admin}));
    assert!(change_log(&s, other.id).await.is_empty());
}

#[tokio::test]
async fn bad_room_writes_change_nothing() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, c.id).await;
    let foreign_office = main_office(&s, other.id).await;
    let room = new_room(&s, &c, "Boardroom", main).await;
    let path = format!("/rooms/{}", room["id"]);
    let before = actions(&s, c.id).await;

    for (body, code, reason) in [
        (json!({"office_id": main}), 400, "badRequest"),
        (json!({"name": "X"}), 400, "badRequest"),
        (json!({"name": "", "office_id": main}), 400, "badRequest"),
        (
            json!({"name": "a\nb", "office_id": main}),
            400,
            "badRequest",
        ),
        (
            json!({"name": "x".repeat(101), "office_id": main}),
            400,
            "badRequest",
        ),
        (json!({"name": 5, "office_id": main}), 400, "badRequest"),
        (json!({"name": "X", "office_id": -1}), 400, "badRequest"),
        (
            json!({"name": "X", "office_id": main, "color": "red"}),
            400,
            "badRequest",
        ),
        (
            json!({"name": "X", "office_id": foreign_office}),
            404,
            "notFound",
        ),
        (json!({"name": "X", "office_id": 42}), 404, "notFound"),
    ] {
        let r = dp(&s, "POST", "/rooms", &c.company_key, Some(body)).await;
        assert_error(&r, code, reason);
    }
    let r = dp(
        &s,
        "POST",
        "/rooms",
        &c.user_key,
        Some(json!({"name": "X", "office_id": main})),
    )
    .await;
    assert_error(&r, 403, "forbidden");

    for (body, code, reason) in [
        (json!({"name": ""}), 400, "badRequest"),
        (
            json!({"phone_numbers": ["+14155550100"]}),
            400,
            "badRequest",
        ),
        (json!({"phone_numbers": "none"}), 400, "badRequest"),
        (json!({"office_id": main}), 400, "badRequest"),
    ] {
        assert_error(
            &dp(&s, "PATCH", &path, &c.company_key, Some(body)).await,
            code,
            reason,
        );
    }
    let rename = Some(json!({"name": "New"}));
    assert_error(
        &dp(&s, "PATCH", &path, &c.user_key, rename.clone()).await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(&s, "PATCH", &path, &other.company_key, rename).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "DELETE", &path, &c.user_key, None).await,
        403,
        "forbidden",
    );

    assert_eq!(dp(&s, "GET", &path, &c.company_key, None).await.body, room);
    assert_eq!(actions(&s, c.id).await, before);
    let r = dp(&s, "GET", "/rooms", &c.company_key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn rooms_list_a_page_at_a_time() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, c.id).await;
    let branch = second_office(&s, c.id).await;
    let mut made = Vec::new();
    for i in 0..7 {
        let office = if i % 2 == 0 { main } else { branch };
        made.push(
            new_room(&s, &c, &format!("Room {i}"), office).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    made.sort();
    let (items, pages) = all_pages(&s, "/rooms", &c.user_key, 3).await;
    assert_eq!(pages, 3);
    let ids: Vec<i64> = items.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, made);
    let (items, pages) =
        all_pages(&s, &format!("/rooms?office_id={branch}"), &c.company_key, 2).await;
    assert_eq!((items.len(), pages), (3, 2));
    assert!(items.iter().all(|r| r["office_id"] == branch));

    // A cursor belongs to its list, filter and company.
    let first = dp(&s, "GET", "/rooms?limit=2", &c.company_key, None).await;
    let cursor = first.body["cursor"].as_str().unwrap().to_owned();
    let next = dp(
        &s,
        "GET",
        &format!("/rooms?limit=2&cursor={cursor}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(next.status, 200);
    assert_eq!(next.body["items"][0]["id"], made[2]);
    for url in [
        format!("/rooms?cursor={cursor}&office_id={main}"),
        format!("/rooms?cursor={cursor}x"),
        format!("/coachingteams?cursor={cursor}"),
    ] {
        assert_error(
            &dp(&s, "GET", &url, &c.company_key, None).await,
            400,
            "badRequest",
        );
    }
    let r = dp(
        &s,
        "GET",
        &format!("/rooms?cursor={cursor}"),
        &other.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
    assert_error(
        &dp(&s, "GET", "/rooms?limit=0", &c.company_key, None).await,
        400,
        "badRequest",
    );
}

#[tokio::test]
async fn international_pins_are_shown_once_and_kept_as_a_hash() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;

    let r = dp(
        &s,
        "POST",
        "/rooms/international_pin",
        &c.company_key,
        Some(json!({"customer_ref": "we_work_user"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["customer_ref"], "we_work_user");
    let pin = r.body["pin"].as_str().unwrap().to_owned();
    assert!(
        pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()),
        "{pin}"
    );
    let expires: jiff::Timestamp = r.body["expires_on"].as_str().unwrap().parse().unwrap();
    let lifetime = expires.as_second() - jiff::Timestamp::now().as_second();
    assert!((1790..=1800).contains(&lifetime), "{lifetime}");

    // At rest: a keyed hash, not the PIN; the room phones' check knows it for 30 minutes.
    let stored = s
        .raw_texts("SELECT pin_hash FROM room_international_pins")
        .await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].len(), 64);
    assert!(!stored[0].contains(&pin));
    let payloads = s.raw_texts("SELECT payload FROM events").await.join(" ");
    assert!(!payloads.contains(&format!("\"{pin}\"")));
    let t = s.core.telephony();
    let now = jiff::Timestamp::now();
    assert!(t.check_international_pin(c.id, &pin, now).await.unwrap());
    assert!(!t
        .check_international_pin(other.id, &pin, now)
        .await
        .unwrap());
    let later = expires + jiff::SignedDuration::from_secs(1);
    assert!(!t.check_international_pin(c.id, &pin, later).await.unwrap());

    // Without a customer reference; an admin user's key; each a new PIN.
    let r = dp(
        &s,
        "POST",
        "/rooms/international_pin",
        &c.admin_key,
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body.get("customer_ref").is_none());

    for body in [
        json!({"customer_ref": 5}),
        json!({"customer_ref": "a\nb"}),
        json!({"customer_ref": "x".repeat(256)}),
        json!({"pin": "1234"}),
    ] {
        let r = dp(
            &s,
            "POST",
            "/rooms/international_pin",
            &c.company_key,
            Some(body),
        )
        .await;
        assert_error(&r, 400, "badRequest");
    }
    let r = dp(
        &s,
        "POST",
        "/rooms/international_pin",
        &c.user_key,
        Some(json!({})),
    )
    .await;
    assert_error(&r, 403, "forbidden");

    assert_eq!(
        actions(&s, c.id).await,
        [
            "room_international_pin_created",
            "room_international_pin_created"
        ]
    );
    let log = change_log(&s, c.id).await;
    assert_eq!(log[0]["target"]["type"], "InternationalPin");
    assert_eq!(
        log[0]["additional_data"],
        json!({"customer_ref": "we_work_user"})
    );
    assert_eq!(
        s.raw_texts("SELECT pin_hash FROM room_international_pins")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_rooms_desk_phones_are_none_yet() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, c.id).await;
    let id = new_room(&s, &c, "Boardroom", main).await["id"]
        .as_i64()
        .unwrap();
    let phones = format!("/rooms/{id}/deskphones");

    let r = dp(&s, "GET", &phones, &c.user_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"items": []}));
    let one = format!("{phones}/+14155551002-room-1000-obi-hex_ce3e13a487");
    assert_error(
        &dp(&s, "GET", &one, &c.user_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "DELETE", &one, &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "DELETE", &one, &c.user_key, None).await,
        403,
        "forbidden",
    );

    // Another company's room, or none, is 404; a malformed room id 400.
    let key = &other.company_key;
    assert_error(&dp(&s, "GET", &phones, key, None).await, 404, "notFound");
    assert_error(&dp(&s, "GET", &one, key, None).await, 404, "notFound");
    assert_error(&dp(&s, "DELETE", &one, key, None).await, 404, "notFound");
    assert_error(
        &dp(&s, "GET", "/rooms/77/deskphones", &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/rooms/x/deskphones", &c.company_key, None).await,
        400,
        "badRequest",
    );
    assert_error(
        &dp(&s, "GET", "/rooms/x/deskphones/1", &c.company_key, None).await,
        400,
        "badRequest",
    );
    assert_eq!(actions(&s, c.id).await, ["room_created"]);
}
