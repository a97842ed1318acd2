//! Opening hours in the office's time zone decide open or closed routing, and follow the
//! manual clock.

use jiff::tz::TimeZone;
use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::dp;
use crate::kit::Server;

/// An office in `tz` (country `country`); answers its id.
async fn office(
    s: &Server,
    c: &crate::dialpad_kit::Company,
    name: &str,
    country: &str,
    tz: &str,
) -> i64 {
    let r = dp(
        s,
        "POST",
        "/offices",
        &c.company_key,
        Some(json!({
            "name": name, "country": country, "currency": "USD", "plan_period": "monthly",
            "annual_commit_monthly_billing": false, "invoiced": true, "unified_billing": true,
            "billing_address": {"address_line_1": "1 Main St", "city": "X", "country": country,
                                "postal_code": "10001", "region": "NY"},
            "timezone": tz,
        })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["office"]["id"].as_i64().unwrap()
}

/// Settings open for the hour that starts at the current hour in `tz`, today only.
fn this_hour_in(tz: &str, now_ms: i64, office: i64) -> Value {
    let now = jiff::Timestamp::from_millisecond(now_ms).unwrap();
    let local = now.to_zoned(TimeZone::get(tz).unwrap());
    let h = local.hour();
    let close = if h == 23 {
        "24:00".to_owned()
    } else {
        format!("{:02}:00", h + 1)
    };
    let day = [
        "monday_hours",
        "tuesday_hours",
        "wednesday_hours",
        "thursday_hours",
        "friday_hours",
        "saturday_hours",
        "sunday_hours",
    ][local.weekday().to_monday_zero_offset() as usize];
    let mut settings = routing("fixedorder");
    settings["office_id"] = json!(office);
    settings["hours_on"] = json!(true);
    for d in [
        "monday_hours",
        "tuesday_hours",
        "wednesday_hours",
        "thursday_hours",
        "friday_hours",
        "saturday_hours",
        "sunday_hours",
    ] {
        settings[d] = json!([]);
    }
    settings[day] = json!([format!("{h:02}:00"), close]);
    settings
}

#[tokio::test]
async fn hours_in_the_office_time_zone_switch_open_and_closed_routing() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let tokyo = office(&s, &c, "Tokyo", "JP", "Asia/Tokyo").await;
    let clock = s
        .req("GET", "/sim/v1/clock")
        .header("authorization", &format!("Bearer {}", c.company_key))
        .send()
        .await;
    let now = clock.body["now"].as_i64().unwrap();
    let (cc, number) =
        call_center(&s, &c, this_hour_in("Asia/Tokyo", now, tokyo), &ops, "415").await;
    let r = dp(
        &s,
        "GET",
        &format!("/callcenters/{cc}/status"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["availability"]["status"], "open", "{}", r.text);
    let open = dial(&s, &c, "+12125550123", &number).await;
    assert_eq!(ringing(&s, &c).await, vec![ops[0]]);
    sim(
        &s,
        &c,
        &format!("/calls/{open}/hangup"),
        json!({"side": "external"}),
    )
    .await;

    // The same hours read in Mexico City are closed now (15 hours behind Tokyo).
    let ny = office(&s, &c, "Mexico City", "MX", "America/Mexico_City").await;
    let (_, ny_number) =
        call_center(&s, &c, this_hour_in("Asia/Tokyo", now, ny), &ops, "303").await;
    let closed = dial(&s, &c, "+12125550124", &ny_number).await;
    assert_eq!(call_state(&s, &c, closed).await, "voicemail");
    assert!(ringing(&s, &c).await.is_empty());

    // An hour later Tokyo is closed too.
    advance(&s, &c, 3600).await;
    let r = dp(
        &s,
        "GET",
        &format!("/callcenters/{cc}/status"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.body["availability"]["status"], "closed", "{}", r.text);
    let later = dial(&s, &c, "+12125550125", &number).await;
    assert_eq!(call_state(&s, &c, later).await, "voicemail");
    let r = dp(&s, "GET", &format!("/call/{later}"), &c.company_key, None).await;
    let crumbs = r.body["routing_breadcrumbs"].as_array().unwrap();
    assert_eq!(crumbs[0]["response"]["open"], false, "{}", r.text);
}
