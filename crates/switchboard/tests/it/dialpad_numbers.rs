//! Dialpad numbers: the inventory filled from the command line, lists and reads, assignment to
//! users, offices and call centers (a given number, a pool number of an area code, a new one
//! from the simulated network, any pool number), unassignment, swap and release; users show
//! their numbers and are found by them; bad input changes nothing. Re-ordering, fax lines,
//! rooms and call routers are in `dialpad_number_targets`.

use std::io::Write;

use serde_json::{json, Value};

use crate::accounts_cli::cli;
use crate::dialpad_groups::{company, new_user, Company};
use crate::dialpad_kit::{assert_error, dp};
use crate::kit::Server;

/// Adds numbers to the company's pool through `switchboard numbers import` (piped: JSON).
pub(crate) fn import(s: &Server, company: &str, lines: &str) -> Value {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(lines.as_bytes()).unwrap();
    let path = f.path().to_str().unwrap().to_owned();
    cli(s, &["numbers", "import", &path, "--company", company])
}

pub(crate) async fn company_id(s: &Server, c: &Company) -> String {
    let r = dp(s, "GET", "/company", &c.key, None).await;
    r.body["id"].as_i64().unwrap().to_string()
}

pub(crate) async fn change_log(s: &Server, action: &str) -> Vec<Value> {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'change_log' AND payload LIKE '%\"{action}\"%'"
    ))
    .await
    .iter()
    .map(|t| serde_json::from_str(t).unwrap())
    .collect()
}

#[tokio::test]
async fn numbers_are_imported_listed_and_read() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = company_id(&s, &c).await;
    let mut lines = String::from("number,area_code,target\n# the pool\n");
    for i in 0..150 {
        lines.push_str(&format!("+1415555{:04}\n", 1000 + i));
    }
    lines.push_str("(628) 555-0100\nnot a number\n+14155551000\n");
    let summary = import(&s, &id, &lines);
    assert_eq!(summary["added"], 150, "{summary}");
    assert_eq!(summary["unchanged"], 1);
    assert_eq!(summary["refused"], 2);
    assert_eq!(summary["errors"][0]["line"], 153);
    assert_eq!(summary["errors"][1]["line"], 154);
    // Another company cannot take the same numbers.
    let other_id = company_id(&s, &other).await;
    let refused = import(&s, &other_id, "+14155551000\n");
    assert_eq!(refused["added"], 0);
    assert_eq!(refused["refused"], 1);
    assert!(refused["errors"][0]["error"]
        .as_str()
        .unwrap()
        .contains("another company"));

    // Pages of 100 in number order, then the rest.
    let r = dp(&s, "GET", "/numbers", &c.key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 100);
    let first = &r.body["items"][0];
    assert_eq!(first["number"], "+14155551000");
    assert_eq!(first["status"], "available");
    assert_eq!(first["area_code"], "415");
    assert_eq!(first["type"], "local");
    assert_eq!(first["company_id"].to_string(), id);
    let cursor = r.body["cursor"].as_str().unwrap().to_owned();
    let r = dp(
        &s,
        "GET",
        &format!("/numbers?cursor={cursor}"),
        &c.key,
        None,
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 50);
    assert!(r.body.get("cursor").is_none());
    assert_eq!(r.body["items"][49]["number"], "+14155551149");
    // The cursor belongs to its list and company.
    let r = dp(
        &s,
        "GET",
        &format!("/numbers?cursor={cursor}"),
        &other.key,
        None,
    )
    .await;
    assert_error(&r, 400, "badRequest");
    let r = dp(&s, "GET", "/numbers?status=user", &c.key, None).await;
    assert_eq!(r.body["items"], json!([]));
    let r = dp(&s, "GET", "/numbers?status=porting", &c.key, None).await;
    assert_eq!(r.body["items"], json!([]));

    // One number: E.164 in the path, also URL-encoded; another company's is missing.
    let r = dp(&s, "GET", "/numbers/+14155551001", &c.key, None).await;
    assert_eq!(r.body["number"], "+14155551001");
    let r = dp(&s, "GET", "/numbers/%2B14155551001", &c.key, None).await;
    assert_eq!(r.body["number"], "+14155551001");
    let r = dp(&s, "GET", "/numbers/+14155551001", &other.key, None).await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "GET", "/numbers/12", &c.key, None).await;
    assert_error(&r, 400, "badRequest");
    // The inventory is for admins.
    let r = dp(&s, "GET", "/numbers", &c.user_key, None).await;
    assert_error(&r, 403, "forbidden");
    assert_eq!(change_log(&s, "numbers_added").await.len(), 1);
}

#[tokio::test]
async fn users_get_numbers_show_them_and_give_them_back() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = company_id(&s, &c).await;
    import(&s, &id, "+14155550150\n+14155550151\n+16285550150,628\n");
    let ann = new_user(&s, &c, "ann@acme.example").await;
    let path = |p: &str| format!("/users/{ann}/{p}");

    // A given pool number, then one of an area code from the pool: the first is primary.
    let r = dp(
        &s,
        "POST",
        &path("assign_number"),
        &c.key,
        Some(json!({"number": "+14155550151"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "user");
    assert_eq!(r.body["target_type"], "user");
    assert_eq!(r.body["target_id"], ann);
    let r = dp(
        &s,
        "POST",
        &path("assign_number"),
        &c.key,
        Some(json!({"area_code": "628", "primary": false})),
    )
    .await;
    assert_eq!(r.body["number"], "+16285550150");
    // An area code the pool has nothing in: the simulated network gives a fictional number.
    let r = dp(
        &s,
        "POST",
        &path("assign_number"),
        &c.key,
        Some(json!({"area_code": "212", "primary": false})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["number"], "+12125550100");
    let r = dp(&s, "GET", &format!("/users/{ann}"), &c.key, None).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550151", "+16285550150", "+12125550100"])
    );
    // Found by number, in the list of users; caller ids offer them.
    let r = dp(&s, "GET", "/users?number=%2B16285550150", &c.key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["items"][0]["id"], ann);
    let r = dp(&s, "GET", "/users?number=+14155550150", &c.key, None).await;
    assert_eq!(r.body["items"], json!([]));
    let r = dp(&s, "GET", &path("caller_id"), &c.key, None).await;
    assert_eq!(r.body["caller_id"], "+14155550151");
    assert_eq!(r.body["phone_numbers"].as_array().unwrap().len(), 3);
    let r = dp(
        &s,
        "POST",
        &path("caller_id"),
        &c.key,
        Some(json!({"caller_id": "+16285550150"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["caller_id"], "+16285550150");

    // Bad input changes nothing.
    for (body, code, reason) in [
        (json!({"number": "+14155550151"}), 409, "conflict"),
        (json!({"number": "+19995550100"}), 400, "badRequest"),
        (json!({"number": "+14155559999"}), 404, "notFound"),
        (json!({"area_code": "4x5"}), 400, "badRequest"),
        (json!({"area_code": "999"}), 400, "badRequest"),
        (
            json!({"area_code": "415", "target_id": 1}),
            400,
            "badRequest",
        ),
        (json!({"numbr": "+14155550150"}), 400, "badRequest"),
    ] {
        let r = dp(
            &s,
            "POST",
            &path("assign_number"),
            &c.key,
            Some(body.clone()),
        )
        .await;
        assert_error(&r, code, reason);
    }
    let r = dp(
        &s,
        "POST",
        &path("assign_number"),
        &c.user_key,
        Some(json!({})),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    let r = dp(
        &s,
        "POST",
        &path("assign_number"),
        &other.key,
        Some(json!({})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "GET", "/numbers?status=available", &c.key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);

    // Unassigning the primary makes the next number primary.
    let r = dp(
        &s,
        "POST",
        &path("unassign_number"),
        &c.key,
        Some(json!({"number": "+14155550151"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "available");
    assert!(r.body.get("target_id").is_none());
    let r = dp(
        &s,
        "POST",
        &path("unassign_number"),
        &c.key,
        Some(json!({"number": "+14155550151"})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "GET", &format!("/users/{ann}"), &c.key, None).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+16285550150", "+12125550100"])
    );

    // Auto: any pool number. Deleting the user gives every number back to the pool.
    let r = dp(&s, "POST", &path("assign_number"), &c.key, Some(json!({}))).await;
    assert_eq!(r.body["number"], "+14155550150");
    let r = dp(&s, "DELETE", &format!("/users/{ann}"), &c.key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(&s, "GET", "/numbers?status=user", &c.key, None).await;
    assert_eq!(r.body["items"], json!([]));
    let r = dp(&s, "GET", "/numbers?status=available", &c.key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 4);

    let assigned = change_log(&s, "number_assigned").await;
    assert_eq!(assigned.len(), 4);
    assert_eq!(assigned[0]["target"]["type"], "User");
    assert_eq!(assigned[0]["target"]["id"], ann);
    assert_eq!(assigned[0]["changed_by"]["type"], "Company");
    assert_eq!(change_log(&s, "number_unassigned").await.len(), 1);
}

#[tokio::test]
async fn new_users_can_get_a_number_at_once() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    // No pool and no office number: refused, and no user is made.
    let body = json!({"email": "bo@acme.example", "office_id": c.office, "auto_assign": true});
    let r = dp(&s, "POST", "/users", &c.key, Some(body.clone())).await;
    assert_error(&r, 400, "badRequest");
    let r = dp(&s, "GET", "/users?email=bo@acme.example", &c.key, None).await;
    assert_eq!(r.body["items"], json!([]));
    // The office has a number: its area code gives the user one.
    let r = dp(
        &s,
        "POST",
        &format!("/offices/{}/assign_number", c.office),
        &c.key,
        Some(json!({"area_code": "303"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "office");
    assert_eq!(r.body["office_id"], c.office);
    let r = dp(&s, "POST", "/users", &c.key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["phone_numbers"], json!(["+13035550101"]));
    let r = dp(&s, "GET", &format!("/offices/{}", c.office), &c.key, None).await;
    assert_eq!(r.body["phone_numbers"], json!(["+13035550100"]));
    let r = dp(
        &s,
        "POST",
        &format!("/offices/{}/unassign_number", c.office),
        &c.key,
        Some(json!({"number": "+13035550100"})),
    )
    .await;
    assert_eq!(r.body["status"], "available");
    let r = dp(&s, "GET", "/offices", &c.key, None).await;
    assert_eq!(r.body["items"][0]["phone_numbers"], json!([]));
}

#[tokio::test]
async fn numbers_go_to_any_target_swap_and_are_released() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let id = company_id(&s, &c).await;
    import(&s, &id, "+14155550160\n+14155550161\n+14155550162\n");
    let r = dp(
        &s,
        "POST",
        "/callcenters",
        &c.key,
        Some(json!({"name": "Support", "office_id": c.office})),
    )
    .await;
    let cc = r.body["id"].as_i64().unwrap();
    let target = json!({"target_type": "callcenter", "target_id": cc});

    let mut body = target.clone();
    body["number"] = json!("+14155550160");
    let r = dp(&s, "POST", "/numbers/assign", &c.key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "call_center");
    assert_eq!(r.body["target_type"], "callcenter");
    let r = dp(
        &s,
        "POST",
        "/numbers/+14155550161/assign",
        &c.key,
        Some(json!({"target_type": "callcenter", "target_id": cc, "primary": false})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(&s, "GET", &format!("/callcenters/{cc}"), &c.key, None).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550160", "+14155550161"])
    );
    let r = dp(&s, "GET", "/callcenters", &c.key, None).await;
    assert_eq!(
        r.body["items"][0]["phone_numbers"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Targets are checked.
    for (body, code, reason) in [
        (
            json!({"target_type": "channel", "target_id": 1}),
            400,
            "badRequest",
        ),
        (
            json!({"target_type": "department", "target_id": cc}),
            404,
            "notFound",
        ),
        (
            json!({"target_type": "user", "target_id": 12345}),
            404,
            "notFound",
        ),
        (json!({"target_id": cc}), 400, "badRequest"),
        (
            json!({"target_type": "callcenter", "target_id": "x"}),
            400,
            "badRequest",
        ),
    ] {
        let r = dp(
            &s,
            "POST",
            "/numbers/+14155550162/assign",
            &c.key,
            Some(body),
        )
        .await;
        assert_error(&r, code, reason);
    }

    // Swap: the primary goes back to the pool and the new number takes its place.
    let swap = json!({"target": target, "swap_details": {"type": "provided_number", "number": "+14155550162"}});
    let r = dp(&s, "POST", "/numbers/swap", &c.key, Some(swap)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["number"], "+14155550162");
    let r = dp(&s, "GET", &format!("/callcenters/{cc}"), &c.key, None).await;
    assert_eq!(
        r.body["phone_numbers"],
        json!(["+14155550162", "+14155550161"])
    );
    let r = dp(&s, "GET", "/numbers/+14155550160", &c.key, None).await;
    assert_eq!(r.body["status"], "available");
    let swap = json!({"target": target, "swap_details": {"type": "area_code", "area_code": "646"}});
    let r = dp(&s, "POST", "/numbers/swap", &c.key, Some(swap)).await;
    assert_eq!(r.body["number"], "+16465550100");
    let r = dp(
        &s,
        "POST",
        "/numbers/swap",
        &c.key,
        Some(json!({"target": target, "swap_details": {"type": "sideways"}})),
    )
    .await;
    assert_error(&r, 400, "badRequest");

    // Delete: back to the pool; with release, gone from the company.
    let r = dp(&s, "DELETE", "/numbers/+14155550161", &c.key, None).await;
    assert_eq!(r.body["status"], "available");
    let r = dp(
        &s,
        "DELETE",
        "/numbers/+14155550161?release=true",
        &c.key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(&s, "GET", "/numbers/+14155550161", &c.key, None).await;
    assert_error(&r, 404, "notFound");
    // Deleting the call center gives its numbers back.
    let r = dp(&s, "DELETE", &format!("/callcenters/{cc}"), &c.key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = dp(&s, "GET", "/numbers?status=call_center", &c.key, None).await;
    assert_eq!(r.body["items"], json!([]));
    assert_eq!(change_log(&s, "number_released").await.len(), 1);
}
