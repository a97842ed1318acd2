//! Dialpad custom IVRs: base64 MP3 audio stored by the media context and served back through
//! its signed link; IVRs listed by kind for a target, renamed, selected and deleted; targets
//! and kinds checked; oversized audio 413; bad and foreign input changing nothing; one
//! change-log event per write.

use base64::Engine;
use serde_json::{json, Value};

use crate::dialpad_contacts::{all_changes, changes, plain_user};
use crate::dialpad_kit::{assert_error, company, dp};
use crate::kit::Server;

fn mp3(tag: &str) -> String {
    let mut bytes = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    bytes.extend_from_slice(tag.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn ivr(kind: &str, id: i64, ivr_type: &str, name: &str) -> Value {
    json!({"target_type": kind, "target_id": id, "ivr_type": ivr_type, "name": name,
           "description": "a prompt", "file": mp3(name)})
}

async fn office(s: &Server, key: &str) -> i64 {
    dp(s, "GET", "/offices", key, None).await.body["items"][0]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn ivrs_are_created_listed_selected_and_deleted() {
    let s = Server::start().await;
    let c = company(&s, "Voice").await;
    let office = office(&s, &c.company_key).await;
    let r = dp(
        &s,
        "POST",
        "/customivrs",
        &c.company_key,
        Some(ivr("office", office, "GREETING", "hello")),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let first = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["name"], "hello");
    assert_eq!(r.body["description"], "a prompt");
    assert_eq!(r.body["selected"], true);
    assert!(r.body["date_added"].as_i64().unwrap() > 0);
    // The audio comes back through its signed link, without a key.
    let url = r.body["audio_url"].as_str().unwrap().to_owned();
    let path = url.split_once("/api/v2").unwrap().1.to_owned();
    let audio = s.req("GET", &format!("/api/v2{path}")).send().await;
    assert_eq!(audio.status, 200, "{}", audio.text);
    assert_eq!(audio.header("content-type"), Some("audio/mpeg"));
    assert!(audio.text.starts_with("ID3") && audio.text.ends_with("hello"));
    let forged = path.replace("signature=", "signature=00");
    let r = s.req("GET", &format!("/api/v2{forged}")).send().await;
    assert_error(&r, 403, "forbidden");

    let second = dp(
        &s,
        "POST",
        "/customivrs",
        &c.admin_key,
        Some(ivr("office", office, "GREETING", "welcome")),
    )
    .await;
    assert_eq!(second.status, 200, "{}", second.text);
    let second = second.body["id"].as_i64().unwrap();
    let hold = dp(
        &s,
        "POST",
        "/customivrs",
        &c.company_key,
        Some(ivr("office", office, "HOLD_MUSIC", "tune")),
    )
    .await;
    assert_eq!(hold.status, 200, "{}", hold.text);
    let list = dp(
        &s,
        "GET",
        &format!("/customivrs?target_type=office&target_id={office}"),
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.body.get("cursor").is_none());
    let kinds: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["ivr_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["GREETING", "HOLD_MUSIC"]);
    let greetings = &list.body["items"][0]["ivrs"];
    assert_eq!(greetings[0]["id"], first.min(second));
    let selected: Vec<i64> = greetings
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["selected"] == true)
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(selected, [second]);

    // Selecting the first deselects the second.
    let sel = format!("/customivrs/office/{office}/GREETING");
    let r = dp(
        &s,
        "PATCH",
        &sel,
        &c.company_key,
        Some(json!({"ivr_id": first})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["ivr_type"], "GREETING");
    let now: Vec<(i64, bool)> = r.body["ivrs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_i64().unwrap(), i["selected"].as_bool().unwrap()))
        .collect();
    assert!(now.contains(&(first, true)) && now.contains(&(second, false)));

    let r = dp(
        &s,
        "PATCH",
        &format!("/customivrs/{first}"),
        &c.company_key,
        Some(json!({"name": "Hello again", "description": ""})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Hello again");
    assert!(r.body.get("description").is_none());

    let r = dp(
        &s,
        "DELETE",
        &sel,
        &c.company_key,
        Some(json!({"ivr_id": first})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], first);
    assert_eq!(r.body["selected"], false);
    let r = dp(
        &s,
        "DELETE",
        &sel,
        &c.company_key,
        Some(json!({"ivr_id": first})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    for (action, n) in [
        ("custom_ivr_created", 3),
        ("custom_ivr_selected", 1),
        ("custom_ivr_updated", 1),
        ("custom_ivr_deleted", 1),
    ] {
        assert_eq!(changes(&s, c.id, action).await, n, "{action}");
    }
}

#[tokio::test]
async fn ivr_targets_are_the_companys_offices_groups_and_users() {
    let s = Server::start().await;
    let c = company(&s, "Targets").await;
    let other = company(&s, "Foreign").await;
    let office = office(&s, &c.company_key).await;
    let cc = dp(
        &s,
        "POST",
        "/callcenters",
        &c.company_key,
        Some(json!({"name": "Desk", "office_id": office})),
    )
    .await;
    let cc = cc.body["id"].as_i64().unwrap();
    let dept = dp(
        &s,
        "POST",
        "/departments",
        &c.company_key,
        Some(json!({"name": "Sales", "office_id": office})),
    )
    .await;
    let dept = dept.body["id"].as_i64().unwrap();
    let user = plain_user(&s, &c.company_key).await;
    for (kind, id) in [("callcenter", cc), ("department", dept), ("user", user)] {
        let r = dp(
            &s,
            "POST",
            "/customivrs",
            &c.company_key,
            Some(ivr(kind, id, "AUTO_RECORDING", kind)),
        )
        .await;
        assert_eq!(r.status, 200, "{kind}: {}", r.text);
    }
    // A call center's auto-recording IVR may be selected for one direction.
    let list = dp(
        &s,
        "GET",
        &format!("/customivrs?target_type=callcenter&target_id={cc}"),
        &c.company_key,
        None,
    )
    .await;
    let id = list.body["items"][0]["ivrs"][0]["id"].as_i64().unwrap();
    let r = dp(
        &s,
        "PATCH",
        &format!("/customivrs/callcenter/{cc}/AUTO_RECORDING"),
        &c.company_key,
        Some(json!({"ivr_id": id, "select_option": "inbound"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(
        &s,
        "PATCH",
        &format!("/customivrs/department/{dept}/AUTO_RECORDING"),
        &c.company_key,
        Some(json!({"ivr_id": id})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "PATCH",
        &format!("/customivrs/callcenter/{cc}/GREETING"),
        &c.company_key,
        Some(json!({"ivr_id": id})),
    )
    .await;
    assert_error(&r, 404, "notFound");

    let foreign_office = office_of(&s, &other.company_key).await;
    for (kind, id) in [
        ("office", foreign_office),
        ("callcenter", dept),
        ("department", cc),
        ("user", 1),
        ("coachingteam", 5),
    ] {
        let r = dp(
            &s,
            "POST",
            "/customivrs",
            &c.company_key,
            Some(ivr(kind, id, "GREETING", "x")),
        )
        .await;
        assert_error(&r, 404, "notFound");
    }
    for (kind, id) in [("office", foreign_office), ("room", 5)] {
        let r = dp(
            &s,
            "GET",
            &format!("/customivrs?target_type={kind}&target_id={id}"),
            &c.company_key,
            None,
        )
        .await;
        assert_error(&r, 404, "notFound");
    }
    let r = dp(
        &s,
        "GET",
        &format!("/customivrs?target_type=callcenter&target_id={cc}"),
        &other.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(
        &s,
        "PATCH",
        &format!("/customivrs/{id}"),
        &other.company_key,
        Some(json!({"name": "mine"})),
    )
    .await;
    assert_error(&r, 404, "notFound");
}

async fn office_of(s: &Server, key: &str) -> i64 {
    office(s, key).await
}

#[tokio::test]
async fn bad_ivr_input_changes_nothing() {
    let s = Server::start().await;
    let c = company(&s, "Strict").await;
    let office = office(&s, &c.company_key).await;
    let made = dp(
        &s,
        "POST",
        "/customivrs",
        &c.company_key,
        Some(ivr("office", office, "MENU", "menu")),
    )
    .await;
    let id = made.body["id"].as_i64().unwrap();
    let before = all_changes(&s, c.id).await;
    let with = |extra: Value| {
        let mut b = ivr("office", office, "GREETING", "x");
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    let wav = base64::engine::general_purpose::STANDARD.encode(b"RIFF0000WAVEfmt ");
    for body in [
        with(json!({"file": "not base64!"})),
        with(json!({"file": wav})),
        with(json!({"file": ""})),
        with(json!({"ivr_type": "SING_ALONG"})),
        with(json!({"target_type": "room"})),
        with(json!({"target_id": "abc"})),
        with(json!({"name": "two\nlines"})),
        with(json!({"volume": 11})),
        json!({"target_type": "office", "target_id": office, "ivr_type": "GREETING"}),
    ] {
        let r = dp(&s, "POST", "/customivrs", &c.company_key, Some(body)).await;
        assert_error(&r, 400, "badRequest");
    }
    let sel = format!("/customivrs/office/{office}/MENU");
    for (method, path, body) in [
        ("PATCH", sel.clone(), json!({})),
        (
            "PATCH",
            sel.clone(),
            json!({"ivr_id": id, "select_option": "inbound"}),
        ),
        (
            "PATCH",
            format!("/customivrs/office/{office}/NOPE"),
            json!({"ivr_id": id}),
        ),
        (
            "PATCH",
            format!("/customivrs/planet/{office}/MENU"),
            json!({"ivr_id": id}),
        ),
        (
            "DELETE",
            "/customivrs/office/x/MENU".to_owned(),
            json!({"ivr_id": id}),
        ),
        ("PATCH", format!("/customivrs/{id}"), json!({"name": ""})),
        ("PATCH", "/customivrs/abc".to_owned(), json!({"name": "n"})),
    ] {
        let r = dp(&s, method, &path, &c.company_key, Some(body)).await;
        assert_error(&r, 400, "badRequest");
    }
    let r = dp(
        &s,
        "GET",
        "/customivrs?target_type=office",
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
    for (method, path, body) in [
        (
            "POST",
            "/customivrs".to_owned(),
            ivr("office", office, "GREETING", "x"),
        ),
        ("PATCH", format!("/customivrs/{id}"), json!({"name": "n"})),
        ("PATCH", sel.clone(), json!({"ivr_id": id})),
        ("DELETE", sel.clone(), json!({"ivr_id": id})),
    ] {
        let r = dp(&s, method, &path, &c.user_key, Some(body)).await;
        assert_error(&r, 403, "forbidden");
    }
    // Audio over 5 MiB is 413, whether the body limit or the decoded size catches it.
    let big = base64::engine::general_purpose::STANDARD.encode(vec![0xFFu8; 5 * 1024 * 1024 + 10]);
    let r = dp(
        &s,
        "POST",
        "/customivrs",
        &c.company_key,
        Some(with(json!({"file": big}))),
    )
    .await;
    assert_error(&r, 413, "requestEntityTooLarge");
    let huge = "A".repeat(8 * 1024 * 1024);
    let r = dp(
        &s,
        "POST",
        "/customivrs",
        &c.company_key,
        Some(with(json!({"file": huge}))),
    )
    .await;
    assert_error(&r, 413, "requestEntityTooLarge");
    let list = dp(
        &s,
        "GET",
        &format!("/customivrs?target_type=office&target_id={office}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["items"][0]["ivrs"][0]["name"], "menu");
    assert_eq!(all_changes(&s, c.id).await, before);
}
