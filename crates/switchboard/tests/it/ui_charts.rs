//! The dashboard's charts over HTTP: a day of the company's calls per hour by outcome, the
//! callers' waits, and per call center, in the viewer's time zone; a bad day is shown back
//! beside its field; another company's calls are not counted.

use reqwest::StatusCode;
use serde_json::json;

use crate::calls_kit::*;
use crate::dialpad_kit::company;
use crate::ui::Browser;

/// The cells after the first of the table row that starts with `first`.
fn row(html: &str, first: &str) -> Vec<String> {
    let start = html
        .find(&format!("<td>{first}</td>"))
        .unwrap_or_else(|| panic!("no row {first}: {html}"));
    let row = &html[start..html[start..].find("</tr>").unwrap() + start];
    row.split("<td>")
        .skip(2)
        .map(|c| c[..c.find("</td>").unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn a_day_of_calls_per_hour_per_outcome_and_per_call_center() {
    let s = manual_server().await;
    let c = acme(&s).await;
    // Well inside an hour, so that every call falls in the same one.
    let now = s.core.clock().now();
    let into_hour = now.as_second().rem_euclid(3600);
    if into_hour > 3000 {
        advance(&s, &c, 3600 - into_hour + 5).await;
    }
    let ops = operators(&s, &c, 2).await;
    let mut first = routing("fixedorder");
    first["name"] = json!("Front desk");
    let (_, front) = call_center(&s, &c, first, &ops[..1], "415").await;
    let mut second = routing("fixedorder");
    second["name"] = json!("Billing");
    let (_, billing) = call_center(&s, &c, second, &ops[1..], "646").await;

    // Front desk: one call answered after 14 s, one the caller gave up on after 10 s (each
    // within the 20 s a phone rings).
    let answered = dial(&s, &c, "+12125550123", &front).await;
    advance(&s, &c, 14).await;
    answer(&s, &c, ops[0]).await;
    advance(&s, &c, 60).await;
    caller_hangs_up(&s, &c, answered).await;
    advance(&s, &c, 120).await;
    let gave_up = dial(&s, &c, "+12125550124", &front).await;
    advance(&s, &c, 10).await;
    caller_hangs_up(&s, &c, gave_up).await;
    // Billing: one call still ringing.
    dial(&s, &c, "+12125550125", &billing).await;

    let mut b = Browser::new(&s);
    b.sign_in(&c.company_key).await;
    let page = b.get("/ui/charts").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let today = s.core.clock().now().to_zoned(jiff::tz::TimeZone::UTC);
    assert!(page.html.contains(&format!("Charts of {}", today.date())));
    assert!(
        page.html.contains("<p data-field=\"total\">3 calls.</p>"),
        "{}",
        page.html
    );
    assert_eq!(page.html.matches("<svg").count(), 3);
    let hour = format!("{:02}:00", today.hour());
    // answered, missed, voicemail, blocked, in progress.
    assert_eq!(row(&page.html, &hour), ["1", "1", "0", "0", "1"]);
    // Two calls waited, 14 s and 10 s; the ringing one has no wait yet. (The wait table's
    // row comes second.)
    let waits = &page.html[page.html.find("id=\"waiting\"").unwrap()..];
    assert_eq!(row(waits, &hour), ["2", "12", "14"]);
    assert_eq!(row(&page.html, "Front desk"), ["1", "1", "0", "0", "0"]);
    assert_eq!(row(&page.html, "Billing"), ["0", "0", "0", "0", "1"]);
    assert!(
        page.html.find(">Front desk<").unwrap() < page.html.find(">Billing<").unwrap(),
        "busiest first"
    );

    // Seen from New York, the same calls fall in New York's day and hour.
    b.zone = Some("America%2FNew_York".into());
    let there = s
        .core
        .clock()
        .now()
        .to_zoned(jiff::tz::TimeZone::get("America/New_York").unwrap());
    let page = b.get("/ui/charts").await;
    assert!(page.html.contains(&format!("Charts of {}", there.date())));
    assert_eq!(
        row(&page.html, &format!("{:02}:00", there.hour())),
        ["1", "1", "0", "0", "1"]
    );
    let page = b.get("/ui/charts?day=1999-01-01").await;
    assert!(page.html.contains("<p data-field=\"total\">0 calls.</p>"));
    assert!(page.html.contains("No call center had calls this day."));
    let page = b.get("/ui/charts?day=someday").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.html.contains("id=\"day-error\""));
    assert!(!page.html.contains("<svg"));

    // Another company sees none of it; a plain user has no charts.
    let other = company(&s, "Other").await;
    let mut theirs = Browser::new(&s);
    theirs.sign_in(&other.company_key).await;
    let page = theirs.get("/ui/charts").await;
    assert!(page.html.contains("<p data-field=\"total\">0 calls.</p>"));
    let mut user = Browser::new(&s);
    user.sign_in(&c.user_key).await;
    assert_eq!(user.get("/ui/charts").await.status, StatusCode::FORBIDDEN);
}
