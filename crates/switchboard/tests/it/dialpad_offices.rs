//! Dialpad offices (a secondary office, the emergency address) and number formatting.

use serde_json::json;

use crate::dialpad_kit::{assert_error, company, dp};
use crate::kit::Server;

fn new_office() -> serde_json::Value {
    json!({
        "name": "Berlin", "country": "DE", "currency": "EUR", "plan_period": "monthly",
        "annual_commit_monthly_billing": false, "invoiced": true, "unified_billing": true,
        "billing_address": {"address_line_1": "Str. 1", "city": "Berlin", "country": "DE",
                            "postal_code": "10115", "region": "BE"},
        "timezone": "Europe/Berlin", "first_action": "operators", "ring_seconds": 30,
        "monday_hours": ["08:00", "12:00", "13:00", "18:00"], "saturday_hours": []
    })
}

#[tokio::test]
async fn a_secondary_office_is_created_listed_and_kept_apart() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;

    let made = dp(&s, "POST", "/offices", &c.company_key, Some(new_office())).await;
    assert_eq!(made.status, 200, "{}", made.text);
    let office = &made.body["office"];
    assert_eq!(office["name"], "Berlin");
    assert_eq!(office["is_primary_office"], false);
    assert_eq!(office["country"], "de");
    assert_eq!(office["timezone"], "Europe/Berlin");
    assert_eq!(office["first_action"], "operators");
    assert_eq!(office["ring_seconds"], 30);
    assert_eq!(
        office["monday_hours"],
        json!(["08:00", "12:00", "13:00", "18:00"])
    );
    assert!(office.get("billing").is_none(), "{}", made.text);
    let id = office["id"].as_i64().unwrap();

    let list = dp(&s, "GET", "/offices", &c.user_key, None).await;
    let ids: Vec<i64> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&id));
    let company_info = dp(&s, "GET", "/company", &c.company_key, None).await;
    assert_eq!(company_info.body["office_count"], 2);
    assert_error(
        &dp(
            &s,
            "GET",
            &format!("/offices/{id}"),
            &other.company_key,
            None,
        )
        .await,
        404,
        "notFound",
    );
    // Users can be created in it.
    let u = dp(
        &s,
        "POST",
        "/users",
        &c.company_key,
        Some(json!({"email": "b@acme.example", "office_id": id})),
    )
    .await;
    assert_eq!(u.body["office_id"], id, "{}", u.text);
}

#[tokio::test]
async fn bad_offices_are_refused_and_nothing_is_made() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let with = |k: &str, v: serde_json::Value| {
        let mut b = new_office();
        b[k] = v;
        b
    };
    let without = |k: &str| {
        let mut b = new_office();
        b.as_object_mut().unwrap().remove(k);
        b
    };
    for body in [
        without("name"),
        without("currency"),
        without("billing_address"),
        with("country", json!("XX")),
        with("currency", json!("BTC")),
        with("plan_period", json!("weekly")),
        with("first_action", json!("dance")),
        with("ring_seconds", json!("thirty")),
        with("ring_seconds", json!(0)),
        with("timezone", json!("Mars/Olympus")),
        with("monday_hours", json!(["18:00", "08:00"])),
        with("monday_hours", json!(["08:00"])),
        with("monday_hours", json!(["8am", "6pm"])),
        with("name", json!("")),
        with("surprise", json!(true)),
        // An office in the US needs an emergency address.
        with("country", json!("US")),
    ] {
        let r = dp(&s, "POST", "/offices", &c.company_key, Some(body.clone())).await;
        assert_error(&r, 400, "badRequest");
    }
    assert_error(
        &dp(&s, "POST", "/offices", &c.user_key, Some(new_office())).await,
        403,
        "forbidden",
    );
    // Malformed JSON is 400, a body over the limit 413, both in the envelope.
    let garbled = s
        .req("POST", "/api/v2/offices")
        .header("authorization", &format!("Bearer {}", c.company_key))
        .raw("{\"name\": ")
        .send()
        .await;
    assert_error(&garbled, 400, "badRequest");
    let huge = with("group_description", json!("x".repeat(2 * 1024 * 1024)));
    let r = dp(&s, "POST", "/offices", &c.company_key, Some(huge)).await;
    assert_error(&r, 413, "requestEntityTooLarge");
    let list = dp(&s, "GET", "/offices", &c.company_key, None).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_emergency_address_is_read_and_replaced() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let other = company(&s, "Other").await;
    let id = dp(&s, "GET", "/offices", &c.company_key, None).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/offices/{id}/e911");

    let before = dp(&s, "GET", &path, &c.user_key, None).await;
    assert_eq!((before.status, before.body.clone()), (200, json!({})));
    let address = json!({"address": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701", "country": "us", "update_all": true});
    let put = dp(&s, "PUT", &path, &c.company_key, Some(address)).await;
    assert_eq!(put.status, 200, "{}", put.text);
    let want = json!({"address": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701", "country": "us"});
    assert_eq!(put.body, want);
    assert_eq!(dp(&s, "GET", &path, &c.user_key, None).await.body, want);
    assert_eq!(
        dp(&s, "GET", &format!("/offices/{id}"), &c.user_key, None)
            .await
            .body["e911_address"],
        want
    );

    for bad in [
        json!({"city": "x", "state": "y", "zip": "1", "country": "us"}),
        json!({"address": " ", "city": "x", "state": "y", "zip": "1", "country": "us"}),
        json!({"address": 5}),
    ] {
        assert_error(
            &dp(&s, "PUT", &path, &c.company_key, Some(bad)).await,
            400,
            "badRequest",
        );
    }
    assert_error(
        &dp(&s, "PUT", &path, &c.user_key, Some(want.clone())).await,
        403,
        "forbidden",
    );
    assert_error(
        &dp(&s, "PUT", &path, &other.company_key, Some(want.clone())).await,
        404,
        "notFound",
    );
    assert_error(
        &dp(&s, "GET", &path, &other.company_key, None).await,
        404,
        "notFound",
    );
    assert_eq!(dp(&s, "GET", &path, &c.user_key, None).await.body, want);
}

#[tokio::test]
async fn numbers_are_formatted_both_ways() {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let local = dp(
        &s,
        "POST",
        "/numbers/format?country_code=US&number=(415)%20555-2671",
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(local.status, 200, "{}", local.text);
    assert_eq!(
        local.body,
        json!({"area_code": "415", "country_code": "US", "e164_number": "+14155552671", "local_number": "(415) 555-2671"})
    );
    let e164 = dp(
        &s,
        "POST",
        "/numbers/format?number=%2B442071838750",
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(e164.body["e164_number"], "+442071838750");
    assert_eq!(e164.body["country_code"], "GB");
    // The country beside an E.164 number does not change it.
    let mixed = dp(
        &s,
        "POST",
        "/numbers/format?country_code=US&number=%2B442071838750",
        &c.user_key,
        None,
    )
    .await;
    assert_eq!(mixed.body["e164_number"], "+442071838750");
    for bad in [
        "/numbers/format",
        "/numbers/format?number=4155552671",
        "/numbers/format?country_code=XX&number=4155552671",
        "/numbers/format?country_code=US&number=hello",
        "/numbers/format?number=%2B1415",
    ] {
        assert_error(
            &dp(&s, "POST", bad, &c.user_key, None).await,
            400,
            "badRequest",
        );
    }
}
