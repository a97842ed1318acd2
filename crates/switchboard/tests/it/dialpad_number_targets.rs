//! Dialpad numbers beyond assignment: a user's numbers re-ordered, removed and following them
//! to another office, numbers added one by one from the command line, fax lines, and rooms and
//! call routers as targets.

use serde_json::json;

use crate::accounts_cli::cli;
use crate::dialpad_groups::{company, new_user};
use crate::dialpad_kit::{assert_error, dp};
use crate::dialpad_numbers::{change_log, company_id, import};
use crate::kit::Server;

#[tokio::test]
async fn a_users_numbers_are_reordered_removed_and_follow_them_to_another_office() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let id = company_id(&s, &c).await;
    let ann = new_user(&s, &c, "ann@acme.example").await;
    let target = format!("user:{ann}");
    for n in ["+14155550170", "+14155550171", "+14155550172"] {
        let added = cli(
            &s,
            &["numbers", "add", n, "--company", &id, "--target", &target],
        );
        assert_eq!(added["status"], "user", "{added}");
    }
    let r = dp(&s, "GET", &format!("/users/{ann}"), &c.key, None).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550170", "+14155550171", "+14155550172"])
    );
    // Another order, one left out: it goes back to the pool.
    let user = format!("/users/{ann}");
    let body = json!({"phone_numbers": ["+14155550172", "+14155550170"]});
    let r = dp(&s, "PATCH", &user, &c.key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550172", "+14155550170"])
    );
    let r = dp(&s, "GET", "/numbers/+14155550171", &c.key, None).await;
    assert_eq!(r.body["status"], "available");
    // A number the user does not have is refused, and nothing changes.
    let body = json!({"phone_numbers": ["+14155550171"]});
    let r = dp(&s, "PATCH", &user, &c.key, Some(body)).await;
    assert_error(&r, 400, "badRequest");
    // Moving office takes the numbers along.
    let r = dp(&s, "GET", &format!("/users/{ann}"), &c.key, None).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550172", "+14155550170"])
    );
    let company_id_typed = switchboard_domain::ids::CompanyId(id.parse().unwrap());
    let office = crate::dialpad_users::second_office(&s, company_id_typed).await;
    let body = json!({"office_id": office});
    let r = dp(
        &s,
        "PATCH",
        &format!("/users/{ann}/move_office"),
        &c.key,
        Some(body),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(&s, "GET", "/numbers/+14155550170", &c.key, None).await;
    assert_eq!(r.body["office_id"], office);
    // A number another company holds cannot be added.
    let other = company_id(&s, &company(&s, "Other").await).await;
    let out = s
        .command()
        .args(["numbers", "add", "+14155550170", "--company", &other])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("another company"));
}

#[tokio::test]
async fn fax_lines_are_numbers_that_users_and_departments_do_not_call_from() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let id = company_id(&s, &c).await;
    import(&s, &id, "+14155550180\n+18885550180\n");
    let ann = new_user(&s, &c, "ann@acme.example").await;
    let user = json!({"target_type": "user", "target_id": ann});
    let body = json!({"line": {"type": "reserved", "number": "+14155550180"}, "target": user});
    let r = dp(&s, "POST", "/faxline", &c.key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["number"], "+14155550180");
    assert_eq!(r.body["target_type"], "user");
    assert_eq!(r.body["target_id"], ann);
    let r = dp(
        &s,
        "POST",
        "/faxline",
        &c.key,
        Some(json!({"line": {"type": "toll-free"}, "target": user})),
    )
    .await;
    assert_eq!(r.body["number"], "+18885550180", "{}", r.text);
    let r = dp(
        &s,
        "POST",
        "/faxline",
        &c.key,
        Some(json!({"line": {"type": "toll-free"}, "target": user})),
    )
    .await;
    assert_eq!(r.body["number"], "+18005550100", "{}", r.text);
    let search = json!({"line": {"type": "search", "area_code": "415"}, "target": user});
    let r = dp(&s, "POST", "/faxline", &c.key, Some(search)).await;
    assert_eq!(r.body["number"], "+14155550100", "{}", r.text);
    // Fax lines are not phone numbers: a new phone number is the user's primary.
    let r = dp(&s, "GET", &format!("/users/{ann}"), &c.key, None).await;
    assert_eq!(r.body["phone_numbers"], json!([]));
    let r = dp(
        &s,
        "POST",
        &format!("/users/{ann}/assign_number"),
        &c.key,
        Some(json!({"area_code": "415"})),
    )
    .await;
    assert_eq!(r.body["number"], "+14155550101");
    let r = dp(&s, "GET", &format!("/users/{ann}"), &c.key, None).await;
    assert_eq!(r.body["phone_numbers"], json!(["+14155550101"]));

    for (body, code, reason) in [
        (
            json!({"line": {"type": "reserved"}, "target": user}),
            400,
            "badRequest",
        ),
        (
            json!({"line": {"type": "fancy"}, "target": user}),
            400,
            "badRequest",
        ),
        (
            json!({"line": {"type": "toll-free"}, "target": {"target_type": "office", "target_id": c.office}}),
            400,
            "badRequest",
        ),
        (
            json!({"line": {"type": "toll-free"}, "target": {"target_type": "department", "target_id": 42}}),
            404,
            "notFound",
        ),
        (
            json!({"line": {"type": "reserved", "number": "+14155550180"}, "target": user}),
            409,
            "conflict",
        ),
        (json!({"target": user}), 400, "badRequest"),
    ] {
        let r = dp(&s, "POST", "/faxline", &c.key, Some(body)).await;
        assert_error(&r, code, reason);
    }
    let r = dp(
        &s,
        "POST",
        "/faxline",
        &c.user_key,
        Some(json!({"line": {"type": "toll-free"}, "target": user})),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    assert_eq!(change_log(&s, "fax_line_assigned").await.len(), 4);
}

#[tokio::test]
async fn rooms_and_call_routers_take_numbers_too() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = company_id(&s, &c).await;
    import(&s, &id, "+14155550190\n+14155550191\n+14155550192\n");
    let r = dp(
        &s,
        "POST",
        "/rooms",
        &c.key,
        Some(json!({"name": "Lobby", "office_id": c.office})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let room = r.body["id"].as_i64().unwrap();
    let assign = format!("/rooms/{room}/assign_number");
    for n in ["+14155550190", "+14155550191"] {
        let r = dp(
            &s,
            "POST",
            &assign,
            &c.key,
            Some(json!({"number": n, "primary": false})),
        )
        .await;
        assert_eq!(r.body["status"], "room", "{}", r.text);
        assert_eq!(r.body["target_type"], "room");
    }
    let r = dp(&s, "GET", &format!("/rooms/{room}"), &c.key, None).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550190", "+14155550191"])
    );
    let body = json!({"phone_numbers": ["+14155550191", "+14155550190"]});
    let r = dp(&s, "PATCH", &format!("/rooms/{room}"), &c.key, Some(body)).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550191", "+14155550190"]),
        "{}",
        r.text
    );
    let body = json!({"phone_numbers": ["+14155550191", "+14155550191"]});
    let r = dp(&s, "PATCH", &format!("/rooms/{room}"), &c.key, Some(body)).await;
    assert_error(&r, 400, "badRequest");
    let r = dp(&s, "GET", "/rooms", &c.key, None).await;
    assert_eq!(
        r.body["items"][0]["phone_numbers"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let r = dp(
        &s,
        "POST",
        &format!("/rooms/{room}/unassign_number"),
        &c.key,
        Some(json!({"number": "+14155550190"})),
    )
    .await;
    assert_eq!(r.body["status"], "available");
    let r = dp(&s, "POST", &assign, &other.key, Some(json!({}))).await;
    assert_error(&r, 404, "notFound");

    let router = json!({
        "name": "Router", "routing_url": "http://127.0.0.1:9/route", "office_id": c.office,
        "default_target_id": c.office, "default_target_type": "office",
    });
    let r = dp(&s, "POST", "/callrouters", &c.key, Some(router)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cr = r.body["id"].as_i64().unwrap();
    let r = dp(
        &s,
        "POST",
        &format!("/callrouters/{cr}/assign_number"),
        &c.key,
        Some(json!({"number": "+14155550192"})),
    )
    .await;
    assert_eq!(r.body["status"], "call_router", "{}", r.text);
    assert_eq!(r.body["target_type"], "callrouter");
    let r = dp(&s, "GET", &format!("/callrouters/{cr}"), &c.key, None).await;
    assert_eq!(r.body["phone_numbers"], json!(["+14155550192"]));
    let r = dp(&s, "GET", "/callrouters", &c.key, None).await;
    assert_eq!(r.body["items"][0]["phone_numbers"], json!(["+14155550192"]));

    // Deleting them gives their numbers back.
    dp(&s, "DELETE", &format!("/rooms/{room}"), &c.key, None).await;
    dp(&s, "DELETE", &format!("/callrouters/{cr}"), &c.key, None).await;
    let r = dp(&s, "GET", "/numbers?status=available", &c.key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 3);
}
