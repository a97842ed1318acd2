//! Dialpad offices beyond their record: main-line operators, the plan and available licences,
//! and off-duty statuses.

use serde_json::json;
use switchboard_domain::ids::OfficeId;
use switchboard_domain::telephony::changelog::Actor;

use crate::dialpad_kit::{assert_error, change_log, company, dp, main_office, new_user};
use crate::kit::Server;

#[tokio::test]
async fn main_line_operators_are_added_listed_and_removed() {
    // Operators are listed in the order they were added (ties of the same millisecond by id):
    // the clock moves between the two adds.
    let clock = std::sync::Arc::new(switchboard_domain::clock::OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let office = main_office(&s, &c).await;
    let path = format!("/offices/{office}/operators");
    let a = new_user(&s, &c, "a@acme.example", json!({})).await;
    let b = new_user(&s, &c, "b@acme.example", json!({})).await;

    let empty = dp(&s, "GET", &path, &c.user_key, None).await;
    assert_eq!(
        (empty.status, empty.body.clone()),
        (200, json!({"users": []}))
    );
    let added = dp(
        &s,
        "POST",
        &path,
        &c.company_key,
        Some(json!({"operator_id": a, "operator_type": "user", "role": "admin"})),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body["id"], a);
    assert_eq!(added.body["office_id"], office);
    assert_eq!(added.body["state"], "active");
    assert_eq!(added.body["phone_numbers"], json!([]));
    clock.advance(1);
    let r = dp(
        &s,
        "POST",
        &path,
        &c.admin_key,
        Some(json!({"operator_id": b.to_string(), "operator_type": "user"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = dp(&s, "GET", &path, &c.user_key, None).await;
    let ids: Vec<i64> = list.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [a, b]);
    assert_eq!(list.body["users"][0]["emails"], json!(["a@acme.example"]));

    // Duplicates, foreign or missing users, rooms, bad input, plain users, other companies.
    let foreign = new_user(&s, &other, "x@other.example", json!({})).await;
    let add = |id: serde_json::Value, kind: &str| json!({"operator_id": id, "operator_type": kind});
    let dup = dp(
        &s,
        "POST",
        &path,
        &c.company_key,
        Some(add(json!(a), "user")),
    )
    .await;
    assert_error(&dup, 409, "conflict");
    for (body, status) in [
        (add(json!(foreign), "user"), 404),
        (add(json!(123456), "user"), 404),
        (add(json!(a), "room"), 404),
        (add(json!(a), "robot"), 400),
        (json!({"operator_id": a}), 400),
        (json!({"operator_type": "user"}), 400),
        (
            json!({"operator_id": a, "operator_type": "user", "role": "supervisor"}),
            400,
        ),
        (json!({"operator_id": "x", "operator_type": "user"}), 400),
    ] {
        let r = dp(&s, "POST", &path, &c.company_key, Some(body)).await;
        assert_error(
            &r,
            status,
            if status == 400 {
                "badRequest"
            } else {
                "notFound"
            },
        );
    }
    assert_error(
        &dp(&s, "POST", &path, &c.user_key, Some(add(json!(a), "user"))).await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(
            &s,
            "DELETE",
            &path,
            &c.user_key,
            Some(add(json!(a), "user")),
        )
        .await,
        403,
        "forbidden",
    );
    for (method, body) in [
        ("GET", None),
        ("POST", Some(add(json!(foreign), "user"))),
        ("DELETE", Some(add(json!(a), "user"))),
    ] {
        assert_error(
            &dp(&s, method, &path, &other.company_key, body).await,
            404,
            "notFound",
        );
    }
    assert_error(
        &dp(&s, "GET", "/offices/abc/operators", &c.company_key, None).await,
        400,
        "badRequest",
    );

    let removed = dp(
        &s,
        "DELETE",
        &path,
        &c.company_key,
        Some(add(json!(a), "user")),
    )
    .await;
    assert_eq!(
        (removed.status, removed.body["id"].as_i64()),
        (200, Some(a)),
        "{}",
        removed.text
    );
    assert_error(
        &dp(
            &s,
            "DELETE",
            &path,
            &c.company_key,
            Some(add(json!(a), "user")),
        )
        .await,
        404,
        "notFound",
    );
    let with_role = json!({"operator_id": b, "operator_type": "user", "role": "admin"});
    assert_error(
        &dp(&s, "DELETE", &path, &c.company_key, Some(with_role)).await,
        400,
        "badRequest",
    );
    let list = dp(&s, "GET", &path, &c.company_key, None).await;
    assert_eq!(list.body["users"].as_array().unwrap().len(), 1);

    let log = change_log(&s, c.id).await;
    let ours: Vec<_> = log
        .iter()
        .filter(|e| e["target"]["type"] == "Office")
        .collect();
    let actions: Vec<&str> = ours.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["operator_added", "operator_added", "operator_removed"]
    );
    assert_eq!(ours[0]["target"], json!({"type": "Office", "id": office}));
    assert_eq!(
        ours[0]["additional_data"],
        json!({"user_id": a, "role": "admin"})
    );
    assert_eq!(ours[1]["changed_by"]["type"], "User");
    assert_eq!(ours[2]["additional_data"]["user_id"], a);
}

#[tokio::test]
async fn deleting_a_user_takes_them_off_every_main_line() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let office = main_office(&s, &c).await;
    let path = format!("/offices/{office}/operators");
    let a = new_user(&s, &c, "a@acme.example", json!({})).await;
    let r = dp(
        &s,
        "POST",
        &path,
        &c.company_key,
        Some(json!({"operator_id": a, "operator_type": "user"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        dp(&s, "DELETE", &format!("/users/{a}"), &c.company_key, None)
            .await
            .status,
        200
    );
    assert_eq!(
        dp(&s, "GET", &path, &c.company_key, None).await.body,
        json!({"users": []})
    );
    let again = dp(
        &s,
        "POST",
        &path,
        &c.company_key,
        Some(json!({"operator_id": a, "operator_type": "user"})),
    )
    .await;
    assert_error(&again, 404, "notFound");
    let rows = s
        .raw_texts(&format!(
            "SELECT role FROM office_operators WHERE user_id = {a}"
        ))
        .await;
    assert!(rows.is_empty());
}

fn berlin() -> serde_json::Value {
    json!({
        "name": "Berlin", "country": "DE", "currency": "EUR", "plan_period": "monthly",
        "annual_commit_monthly_billing": false, "invoiced": true, "unified_billing": true,
        "billing_address": {"address_line_1": "Str. 1", "city": "Berlin", "country": "DE",
                            "postal_code": "10115", "region": "BE", "extra": "dropped"}
    })
}

#[tokio::test]
async fn the_plan_counts_the_licences_of_the_offices_users() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let main = main_office(&s, &c).await;
    let made = dp(&s, "POST", "/offices", &c.company_key, Some(berlin())).await;
    let second = made.body["office"]["id"].as_i64().unwrap();

    // The two users of the set-up have no licence: talk lines.
    let plan = |office: i64, key: String| {
        let s = &s;
        async move { dp(s, "GET", &format!("/offices/{office}/plan"), &key, None).await }
    };
    let p = plan(main, c.user_key.clone()).await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(
        p.body,
        json!({
            "additional_number_lines": 0, "balance": "0.0000", "contact_center_lines": 0,
            "fax_lines": 0, "room_lines": 0, "sell_lines": 0, "talk_lines": 2,
            "tollfree_additional_number_lines": 0, "tollfree_room_lines": 0,
            "tollfree_uberconference_lines": 0, "uberconference_lines": 0
        })
    );

    let agent = new_user(&s, &c, "agent@acme.example", json!({"license": "agents"})).await;
    new_user(&s, &c, "agent2@acme.example", json!({"license": "agents"})).await;
    new_user(
        &s,
        &c,
        "support@acme.example",
        json!({"license": "lite_support_agents"}),
    )
    .await;
    new_user(&s, &c, "admin@acme.example", json!({"license": "admins"})).await;
    let p = plan(main, c.company_key.clone()).await.body;
    assert_eq!(
        (
            p["talk_lines"].as_u64(),
            p["sell_lines"].as_u64(),
            p["contact_center_lines"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );

    // Moving, relicensing and deleting users move the counts.
    let r = dp(
        &s,
        "PATCH",
        &format!("/users/{agent}/move_office"),
        &c.company_key,
        Some(json!({"office_id": second})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let moved = plan(second, c.company_key.clone()).await.body;
    assert_eq!(
        (moved["sell_lines"].as_u64(), moved["talk_lines"].as_u64()),
        (Some(1), Some(0))
    );
    let r = dp(
        &s,
        "PATCH",
        &format!("/users/{agent}"),
        &c.company_key,
        Some(json!({"license": "talk"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let relicensed = plan(second, c.company_key.clone()).await.body;
    assert_eq!(
        (
            relicensed["sell_lines"].as_u64(),
            relicensed["talk_lines"].as_u64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(
        dp(
            &s,
            "DELETE",
            &format!("/users/{agent}"),
            &c.company_key,
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        plan(second, c.company_key.clone()).await.body["talk_lines"],
        0
    );
    assert_eq!(
        plan(main, c.company_key.clone()).await.body["sell_lines"],
        1
    );

    // The place of primary use: the billing address given, else the emergency address.
    assert_eq!(
        plan(second, c.company_key.clone()).await.body["ppu_address"],
        json!({"address_line_1": "Str. 1", "city": "Berlin", "country": "DE", "postal_code": "10115", "region": "BE"})
    );
    assert!(plan(main, c.company_key.clone())
        .await
        .body
        .get("ppu_address")
        .is_none());
    let e911 = json!({"address": "1 Main St", "address2": "Floor 2", "city": "Springfield", "state": "IL", "zip": "62701", "country": "us"});
    assert_eq!(
        dp(
            &s,
            "PUT",
            &format!("/offices/{main}/e911"),
            &c.company_key,
            Some(e911)
        )
        .await
        .status,
        200
    );
    assert_eq!(
        plan(main, c.company_key.clone()).await.body["ppu_address"],
        json!({"address_line_1": "1 Main St", "address_line_2": "Floor 2", "city": "Springfield", "country": "us", "postal_code": "62701", "region": "IL"})
    );

    let available = dp(
        &s,
        "GET",
        &format!("/offices/{main}/available_licenses"),
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(
        available.body,
        json!({
            "additional_number_lines": 0, "contact_center_lines": 0, "fax_lines": 0, "room_lines": 0,
            "sell_lines": 0, "talk_lines": 0, "tollfree_additional_number_lines": 0,
            "tollfree_room_lines": 0, "uberconference_lines": 0
        })
    );
    for p in ["plan", "available_licenses"] {
        let r = dp(
            &s,
            "GET",
            &format!("/offices/{main}/{p}"),
            &other.company_key,
            None,
        )
        .await;
        assert_error(&r, 404, "notFound");
        let r = dp(&s, "GET", &format!("/offices/0/{p}"), &c.company_key, None).await;
        assert_error(&r, 400, "badRequest");
    }
}

#[tokio::test]
async fn off_duty_statuses_are_the_defaults_and_the_offices_own() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let office = main_office(&s, &c).await;
    let path = format!("/offices/{office}/offdutystatuses");
    let r = dp(&s, "GET", &path, &c.user_key, None).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (
            200,
            json!({"id": office, "off_duty_statuses": ["Lunch Time", "Off Duty"]})
        )
    );

    let t = s.core.telephony();
    let actor = Actor::company(c.id);
    let set = t
        .set_off_duty_statuses(
            &actor,
            OfficeId(office),
            vec!["Training".into(), " Meeting ".into()],
        )
        .await
        .unwrap();
    assert_eq!(set, ["Lunch Time", "Off Duty", "Training", "Meeting"]);
    assert_eq!(
        dp(&s, "GET", &path, &c.company_key, None).await.body["off_duty_statuses"],
        json!(set)
    );
    // Repeats and defaults are refused; nothing changes.
    for bad in [
        vec!["Off duty".to_owned()],
        vec!["A".into(), "a".into()],
        vec!["".into()],
    ] {
        assert!(t
            .set_off_duty_statuses(&actor, OfficeId(office), bad)
            .await
            .is_err());
    }
    assert_eq!(
        dp(&s, "GET", &path, &c.company_key, None).await.body["off_duty_statuses"],
        json!(set)
    );
    // Another company's office is not found, to the domain as to the dialect.
    let foreign = main_office(&s, &other).await;
    assert!(t
        .set_off_duty_statuses(&actor, OfficeId(foreign), vec![])
        .await
        .is_err());
    let r = dp(
        &s,
        "GET",
        &format!("/offices/{foreign}/offdutystatuses"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_error(
        &dp(
            &s,
            "GET",
            "/offices/x/offdutystatuses",
            &c.company_key,
            None,
        )
        .await,
        400,
        "badRequest",
    );
    // The office itself shows none of it.
    let o = dp(
        &s,
        "GET",
        &format!("/offices/{office}"),
        &c.company_key,
        None,
    )
    .await;
    assert!(o.body.get("off_duty_statuses").is_none());

    let log = change_log(&s, c.id).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["action"], "off_duty_statuses_updated");
    assert_eq!(
        log[0]["additional_data"]["off_duty_statuses"],
        json!(["Training", "Meeting"])
    );
}
