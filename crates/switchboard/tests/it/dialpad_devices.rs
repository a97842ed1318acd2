//! Dialpad user devices (recorded as they register: the tests write them directly) and
//! conference rooms and meetings (a meeting room per user; no meetings before calls exist).

use serde_json::json;
use switchboard_domain::ids::{CompanyId, DeviceId, Id, UserId};
use switchboard_domain::telephony::device::Device;

use crate::dialpad_kit::{assert_error, company, dp};
use crate::dialpad_rooms::{all_pages, user_of};
use crate::kit::Server;

async fn device(s: &Server, company: CompanyId, user: i64, kind: &str, name: Option<&str>) -> i64 {
    let now = s.core.clock().now();
    let d = Device {
        id: DeviceId::generate(),
        company_id: company,
        user_id: UserId(user),
        kind: kind.into(),
        display_name: name.map(str::to_owned),
        phone_number: name.map(|_| "+14155550100".to_owned()),
        app_version: None,
        registered_at: None,
        sip: None,
        created_at: now,
        updated_at: now,
    };
    let mut tx = s.core.store().begin().await.unwrap();
    tx.insert_device(&d).await.unwrap();
    tx.commit().await.unwrap();
    d.id.0
}

#[tokio::test]
async fn user_devices_are_listed_by_user_and_read() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let admin = user_of(&s, &c.admin_key).await;
    let plain = user_of(&s, &c.user_key).await;
    let foreign = user_of(&s, &other.user_key).await;

    let phone = device(&s, c.id, plain, "yealink", Some("Desk")).await;
    let mut mine = vec![phone];
    for kind in ["iphone", "web", "android", "native"] {
        mine.push(device(&s, c.id, plain, kind, None).await);
    }
    mine.sort();
    let admins = device(&s, c.id, admin, "web", None).await;
    let theirs = device(&s, other.id, foreign, "web", None).await;

    // One device, in the document's shape (its id a decimal string).
    let r = dp(
        &s,
        "GET",
        &format!("/userdevices/{phone}"),
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let date = r.body["date_created"].as_str().unwrap().to_owned();
    assert!(date.ends_with('Z'), "{date}");
    assert_eq!(
        r.body,
        json!({"date_created": date, "date_updated": date, "display_name": "Desk",
               "id": phone.to_string(), "phone_number": "+14155550100", "type": "yealink",
               "user_id": plain})
    );
    let r = dp(
        &s,
        "GET",
        &format!("/userdevices/{theirs}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_error(
        &dp(&s, "GET", "/userdevices/12345", &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", "/userdevices/abc", &c.company_key, None).await,
        400,
        "badRequest",
    );

    // One user's, a page at a time; `me` with a user key; the whole company's.
    let (items, pages) = all_pages(
        &s,
        &format!("/userdevices?user_id={plain}"),
        &c.company_key,
        2,
    )
    .await;
    assert_eq!(pages, 3);
    let ids: Vec<String> = items
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, mine.iter().map(i64::to_string).collect::<Vec<_>>());
    let (items, _) = all_pages(&s, "/userdevices?user_id=me", &c.user_key, 100).await;
    assert_eq!(items.len(), 5);
    let (items, _) = all_pages(&s, "/userdevices", &c.user_key, 100).await;
    assert_eq!(items.len(), 6);
    let admins = admins.to_string();
    assert!(items.iter().any(|d| d["id"] == admins.as_str()));
    let r = dp(&s, "GET", "/userdevices", &other.company_key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1, "{}", r.text);

    // Another company's user, an unknown one or a malformed id; `me` without a user.
    for (url, code, reason) in [
        (format!("/userdevices?user_id={foreign}"), 404, "notFound"),
        ("/userdevices?user_id=42".to_owned(), 404, "notFound"),
        ("/userdevices?user_id=someone".to_owned(), 400, "badRequest"),
        ("/userdevices?user_id=me".to_owned(), 400, "badRequest"),
    ] {
        assert_error(
            &dp(&s, "GET", &url, &c.company_key, None).await,
            code,
            reason,
        );
    }
    // A cursor of one user's list does not continue another's.
    let r = dp(
        &s,
        "GET",
        &format!("/userdevices?user_id={plain}&limit=1"),
        &c.company_key,
        None,
    )
    .await;
    let cursor = r.body["cursor"].as_str().unwrap().to_owned();
    let url = format!("/userdevices?user_id={admin}&cursor={cursor}");
    assert_error(
        &dp(&s, "GET", &url, &c.company_key, None).await,
        400,
        "badRequest",
    );

    // A deleted user's devices are not listed.
    let r = dp(
        &s,
        "DELETE",
        &format!("/users/{plain}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(
        &s,
        "GET",
        &format!("/userdevices?user_id={plain}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
}

#[tokio::test]
async fn every_user_has_a_meeting_room_and_no_meetings_yet() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let admin = user_of(&s, &c.admin_key).await;
    let plain = user_of(&s, &c.user_key).await;
    let mut extra = Vec::new();
    for i in 0..3 {
        let r = dp(
            &s,
            "POST",
            "/users",
            &c.company_key,
            Some(json!({"email": format!("m{i}@acme.example"), "office_id":
                s.core.telephony().company_profile(c.id).await.unwrap().main_office.id.0,
                "first_name": format!("M{i}")})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        extra.push(r.body["id"].as_i64().unwrap());
    }

    let (rooms, pages) = all_pages(&s, "/conference/rooms", &c.user_key, 2).await;
    assert_eq!((rooms.len(), pages), (5, 3));
    let plain_room = plain.to_string();
    let mine = rooms
        .iter()
        .find(|r| r["id"] == plain_room.as_str())
        .unwrap();
    assert_eq!(
        mine,
        &json!({"company_name": "Acme", "display_name": "Person1 Example",
                "email": "person1@acme.example", "id": plain.to_string()})
    );
    let r = dp(&s, "GET", "/conference/rooms", &other.company_key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);

    // A deleted user's room goes with them.
    dp(
        &s,
        "DELETE",
        &format!("/users/{}", extra[0]),
        &c.company_key,
        None,
    )
    .await;
    let (rooms, _) = all_pages(&s, "/conference/rooms", &c.company_key, 100).await;
    assert_eq!(rooms.len(), 4);
    let gone = extra[0].to_string();
    assert!(rooms.iter().all(|r| r["id"] != gone.as_str()));

    // Meetings: none in any of the company's rooms; another company's room is 404.
    for url in [
        "/conference/meetings".to_owned(),
        format!("/conference/meetings?room_id={admin}"),
    ] {
        let r = dp(&s, "GET", &url, &c.user_key, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body, json!({"items": []}));
    }
    let foreign = user_of(&s, &other.user_key).await;
    for (url, code, reason) in [
        (
            format!("/conference/meetings?room_id={foreign}"),
            404,
            "notFound",
        ),
        (
            format!("/conference/meetings?room_id={}", extra[0]),
            404,
            "notFound",
        ),
        (
            "/conference/meetings?room_id=lobby".to_owned(),
            400,
            "badRequest",
        ),
        (
            "/conference/meetings?cursor=abc".to_owned(),
            400,
            "badRequest",
        ),
        ("/conference/rooms?cursor=abc".to_owned(), 400, "badRequest"),
    ] {
        assert_error(
            &dp(&s, "GET", &url, &c.company_key, None).await,
            code,
            reason,
        );
    }
}
