//! Dialpad statistics exports: calls made through the simulator come back in the CSV with the
//! vendor's columns, in the requested zone; stats add them up; on-duty records list duty
//! changes; equal requests share a job; bad input is refused and stores nothing; links are
//! signed and expire; finished exports expire into the vendor's 404.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{assert_error, company, dp, new_user, Company};
use crate::kit::{Resp, Server};

/// Splits CSV text into rows of cells (quoted cells may hold commas and quotes).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
        let mut chars = line.chars().peekable();
        while let Some(ch) = chars.next() {
            match (ch, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => cells.push(std::mem::take(&mut cell)),
                _ => cell.push(ch),
            }
        }
        cells.push(cell);
        rows.push(cells);
    }
    rows
}

/// A CSV as maps from column to cell, with its header.
pub fn records(text: &str) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let mut rows = parse_csv(text);
    assert!(!rows.is_empty(), "no header in {text:?}");
    let header = rows.remove(0);
    let maps = rows
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "{r:?}");
            header.iter().cloned().zip(r).collect()
        })
        .collect();
    (header, maps)
}

/// `POST /stats`; answers the response.
pub async fn start(s: &Server, c: &Company, body: Value) -> Resp {
    dp(s, "POST", "/stats", &c.company_key, Some(body)).await
}

/// The path and query of a link (the server's own address is the test's).
pub fn path_of(url: &str) -> &str {
    &url[url.find("/api/v2/").expect("a link into the API")..]
}

/// Runs the report runner until nothing is left, then downloads the export's CSV.
pub async fn finish_and_download(s: &Server, c: &Company, id: &str) -> String {
    s.core.reporting().run_due().await.unwrap();
    let r = dp(s, "GET", &format!("/stats/{id}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "complete", "{}", r.text);
    assert_eq!(r.body["file_type"], "csv");
    let url = r.body["download_url"].as_str().unwrap();
    let file = s.req("GET", path_of(url)).send().await;
    assert_eq!(file.status, 200, "{}", file.text);
    assert_eq!(file.header("content-type"), Some("text/csv; charset=utf-8"));
    file.text
}

/// Moves the manual clock past UTC midnight when midnight is less than 15 minutes away, so
/// that a test's calls fall on one day.
pub async fn away_from_midnight(s: &Server, c: &Company) {
    let into_day = s.core.clock().now().as_second().rem_euclid(86_400);
    if into_day > 86_400 - 900 {
        advance(s, c, 86_400 - into_day + 60).await;
    }
}

fn local(ms: i64, zone: &str) -> String {
    Timestamp::from_millisecond(ms)
        .unwrap()
        .to_zoned(TimeZone::get(zone).unwrap())
        .strftime("%Y-%m-%d %H:%M:%S%.6f")
        .to_string()
}

/// Ann (with a name and a number) takes one call of 42 s after 3 s of ringing, and lets one
/// ring out to voicemail; answers (ann, her number, answered call, voicemail call).
async fn two_calls(s: &Server, c: &Company) -> (i64, String, i64, i64) {
    away_from_midnight(s, c).await;
    let ann = new_user(
        s,
        c,
        "ann@acme.example",
        json!({"first_name": "Ann", "last_name": "Lee"}),
    )
    .await;
    let r = dp(
        s,
        "POST",
        &format!("/users/{ann}/assign_number"),
        &c.company_key,
        Some(json!({"area_code": "415"})),
    )
    .await;
    let number = r.body["number"].as_str().unwrap().to_owned();
    let answered = dial(s, c, "+12125550123", &number).await;
    advance(s, c, 3).await;
    answer(s, c, ann).await;
    advance(s, c, 42).await;
    let r = sim(
        s,
        c,
        &format!("/calls/{answered}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let missed = dial(s, c, "+12125550199", &number).await;
    advance(s, c, 30).await;
    assert_eq!(call_state(s, c, missed).await, "voicemail");
    (ann, number, answered, missed)
}

#[tokio::test]
async fn a_calls_export_matches_the_calls_that_were_made() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, number, answered, missed) = two_calls(&s, &c).await;
    let zone = "America/Los_Angeles";
    // Yesterday and today, so that a midnight during the test changes nothing.
    let body = json!({"export_type": "records", "stat_type": "calls", "days_ago_start": 0,
                      "days_ago_end": 1, "timezone": zone});
    let r = start(&s, &c, body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["already_started"], false);
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let r = dp(&s, "GET", &format!("/stats/{id}"), &c.company_key, None).await;
    assert_eq!(r.body, json!({"status": "processing"}));
    // The same request while it runs is the same job.
    let again = start(&s, &c, body.clone()).await;
    assert_eq!(again.body["request_id"], id.as_str());
    assert_eq!(again.body["already_started"], true);

    let text = finish_and_download(&s, &c, &id).await;
    let (header, rows) = records(&text);
    assert_eq!(header.len(), 54);
    assert_eq!(
        header[..4],
        ["date_started", "call_id", "category", "direction"]
    );
    assert_eq!(header.last().unwrap(), "is_internal");
    assert_eq!(rows.len(), 2, "{text}");
    let row = |call: i64| {
        rows.iter()
            .find(|r| r["call_id"] == call.to_string())
            .unwrap()
    };
    let a = row(answered);
    let call = dp(
        &s,
        "GET",
        &format!("/call/{answered}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(
        a["date_started"],
        local(call.body["date_started"].as_i64().unwrap(), zone)
    );
    assert_eq!(
        a["date_ended"],
        local(call.body["date_ended"].as_i64().unwrap(), zone)
    );
    assert_eq!(a["category"], "incoming");
    assert_eq!(a["direction"], "inbound");
    assert_eq!(a["external_number"], "+12125550123");
    assert_eq!(a["internal_number"], number);
    assert_eq!(a["target_id"], ann.to_string());
    assert_eq!(a["target_kind"], "UserProfile");
    assert_eq!(a["target_type"], "user");
    assert_eq!(a["name"], "Ann Lee");
    assert_eq!(a["email"], "ann@acme.example");
    assert_eq!(a["company_id"], c.id.0.to_string());
    assert_eq!(a["timezone"], zone);
    assert_eq!(a["time_in_system"], "0.75");
    assert_eq!(a["time_to_answer"], "0.05");
    assert_eq!(a["talk_duration"], "0.7");
    assert_eq!(a["ringing_duration"], "0.05");
    assert_eq!(a["voicemail"], "false");
    assert_eq!(a["categories"], "inbound,answered");
    let m = row(missed);
    assert_eq!(m["category"], "missed");
    assert_eq!(m["voicemail"], "true");
    assert_eq!(m["categories"], "inbound,unanswered,voicemail");
    assert_eq!(m["date_connected"], "");
    assert_eq!(m["talk_duration"], "0");
    assert_eq!(m["ringing_duration"], "0.5");
    // Oldest first.
    assert_eq!(rows[0]["call_id"], answered.to_string());

    // Voicemail records are the one leg that went to voicemail.
    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "voicemails",
                                 "days_ago_start": 0, "days_ago_end": 1}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    let (_, rows) = records(&text);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["call_id"], missed.to_string());
    assert_eq!(rows[0]["timezone"], "UTC");
    // Nothing was recorded; another user's target has no rows.
    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "recordings",
                                 "days_ago_start": 0, "days_ago_end": 1}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    assert_eq!(records(&text).1.len(), 0);
    let bob = new_user(&s, &c, "bob@acme.example", json!({})).await;
    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "calls", "is_today": true,
                                 "target_type": "user", "target_id": bob}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    assert_eq!(records(&text).1.len(), 0);
}

#[tokio::test]
async fn links_are_signed_and_exports_expire() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "calls"}),
    )
    .await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let text = finish_and_download(&s, &c, &id).await;
    assert_eq!(parse_csv(&text).len(), 1, "the header alone: {text}");
    let r = dp(&s, "GET", &format!("/stats/{id}"), &c.company_key, None).await;
    let link = path_of(r.body["download_url"].as_str().unwrap()).to_owned();
    // The last character of the signature, changed (whatever it was).
    let last = if link.ends_with('0') { "1" } else { "0" };
    let tampered = format!("{}{last}", &link[..link.len() - 1]);
    let r = s.req("GET", &tampered).send().await;
    assert_error(&r, 403, "forbidden");
    // Another company's key does not see it.
    let other = company(&s, "Other").await;
    let r = dp(&s, "GET", &format!("/stats/{id}"), &other.company_key, None).await;
    assert_error(&r, 404, "notFound");
    // A link is good for 15 minutes; a new read gives a new one.
    advance(&s, &c, 16 * 60).await;
    assert_error(&s.req("GET", &link).send().await, 403, "forbidden");
    let r = dp(&s, "GET", &format!("/stats/{id}"), &c.company_key, None).await;
    let fresh = path_of(r.body["download_url"].as_str().unwrap()).to_owned();
    assert_eq!(s.req("GET", &fresh).send().await.status, 200);
    // An hour after it finished the export is gone.
    advance(&s, &c, 45 * 60).await;
    let r = dp(&s, "GET", &format!("/stats/{id}"), &c.company_key, None).await;
    assert_error(&r, 404, "notFound");
    assert_eq!(
        r.body["error"]["message"],
        format!("Request with id {id} not found.")
    );
    // Links never outlive their export.
    assert_error(&s.req("GET", &fresh).send().await, 403, "forbidden");
    // The runner forgot it and its file.
    s.core.reporting().run_due().await.unwrap();
    let left = s
        .raw_texts("SELECT CAST(COUNT(*) AS TEXT) FROM stats_chunks")
        .await;
    assert_eq!(left, ["0"]);
    // The same request now starts a new job.
    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "calls"}),
    )
    .await;
    assert_eq!(r.body["already_started"], false);
    assert_ne!(r.body["request_id"], id.as_str());
}

#[tokio::test]
async fn stats_add_up_the_calls_per_day_and_per_user() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let (ann, _, _, _) = two_calls(&s, &c).await;
    let today = Timestamp::from_millisecond(s.core.clock().now().as_millisecond())
        .unwrap()
        .to_zoned(TimeZone::UTC)
        .date()
        .to_string();
    let r = start(
        &s,
        &c,
        json!({"export_type": "stats", "stat_type": "calls", "group_by": "date",
                                 "days_ago_start": 0, "days_ago_end": 2}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    let (header, rows) = records(&text);
    assert_eq!(
        header[..4],
        ["date", "all_calls", "inbound_calls", "outbound_calls"]
    );
    // Every day of the window, the days without calls as zeros.
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows[..2].iter().all(|r| r["all_calls"] == "0"));
    let day = &rows[2];
    assert_eq!(day["date"], today);
    assert_eq!(day["all_calls"], "2");
    assert_eq!(day["inbound_calls"], "2");
    assert_eq!(day["answered"], "1");
    assert_eq!(day["voicemails"], "1");
    assert_eq!(day["talk_duration"], "0.7");
    assert_eq!(day["avg_time_to_answer"], "0.05");

    let r = start(
        &s,
        &c,
        json!({"export_type": "stats", "stat_type": "calls", "is_today": true}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    let (header, rows) = records(&text);
    assert_eq!(
        header[..5],
        ["date", "target_id", "name", "email", "target_type"]
    );
    assert_eq!(rows.len(), 1, "{text}");
    assert_eq!(rows[0]["target_id"], ann.to_string());
    assert_eq!(rows[0]["name"], "Ann Lee");
    assert_eq!(rows[0]["all_calls"], "2");
}

#[tokio::test]
async fn onduty_records_list_duty_changes() {
    let s = manual_server().await;
    let c = acme(&s).await;
    away_from_midnight(&s, &c).await;
    let ann = new_user(&s, &c, "ann@acme.example", json!({"first_name": "Ann"})).await;
    let (cc, _) = call_center(&s, &c, routing("longestidle"), &[ann], "415").await;
    for (on, reason) in [(false, "lunch"), (true, "")] {
        let r = dp(
            &s,
            "PATCH",
            &format!("/callcenters/operators/{ann}/dutystatus"),
            &c.company_key,
            Some(json!({"on_duty": on, "duty_status_reason": reason})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        advance(&s, &c, 1).await;
    }
    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "onduty", "is_today": true,
                                 "target_type": "callcenter", "target_id": cc}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    let (header, rows) = records(&text);
    assert_eq!(
        header[..4],
        ["date", "record_id", "target_id", "availability_status"]
    );
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(rows[0]["availability_status"], "off_duty");
    assert_eq!(rows[0]["on_duty_status"], "unavailable");
    assert_eq!(rows[0]["reason"], "lunch");
    assert_eq!(rows[1]["availability_status"], "on_duty");
    assert_eq!(rows[1]["on_duty_status"], "available");
    assert!(rows
        .iter()
        .all(|r| r["name"] == "Ann" && r["call_center_id"] == cc.to_string()));
}

#[tokio::test]
async fn bad_stats_requests_are_refused_and_store_nothing() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let theirs = new_user(&s, &other, "eve@other.example", json!({})).await;
    let base = json!({"export_type": "records", "stat_type": "calls"});
    let with = |extra: Value| {
        let mut b = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    for (body, code, reason) in [
        (json!({"stat_type": "calls"}), 400, "badRequest"),
        (json!({"export_type": "records"}), 400, "badRequest"),
        (with(json!({"stat_type": "csat"})), 400, "badRequest"),
        (
            with(json!({"stat_type": "dispositions"})),
            400,
            "badRequest",
        ),
        (with(json!({"stat_type": "screenshare"})), 400, "badRequest"),
        (with(json!({"stat_type": "everything"})), 400, "badRequest"),
        (
            with(json!({"export_type": "stats", "stat_type": "onduty"})),
            400,
            "badRequest",
        ),
        (with(json!({"group_by": "week"})), 400, "badRequest"),
        (with(json!({"timezone": "Mars/Olympus"})), 400, "badRequest"),
        (
            with(json!({"days_ago_start": 5, "days_ago_end": 2})),
            400,
            "badRequest",
        ),
        (with(json!({"days_ago_end": 5000})), 400, "badRequest"),
        (with(json!({"days_ago_start": "one"})), 400, "badRequest"),
        (with(json!({"target_type": "user"})), 400, "badRequest"),
        (
            with(json!({"target_type": "room", "target_id": 5})),
            400,
            "badRequest",
        ),
        (with(json!({"coaching_team": true})), 400, "badRequest"),
        (with(json!({"surprise": 1})), 400, "badRequest"),
        (
            with(json!({"target_type": "user", "target_id": theirs})),
            404,
            "notFound",
        ),
        (with(json!({"office_id": 12345})), 404, "notFound"),
    ] {
        let r = start(&s, &c, body.clone()).await;
        assert_error(&r, code, reason);
        assert!(!r.text.contains("internal"), "{body}: {}", r.text);
    }
    let r = start(&s, &c, with(json!({"stat_type": "csat"}))).await;
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("csat"));
    let r = dp(&s, "POST", "/stats", &c.user_key, Some(base.clone())).await;
    assert_error(&r, 403, "forbidden");
    for id in ["12345", "not-a-request"] {
        let r = dp(&s, "GET", &format!("/stats/{id}"), &c.company_key, None).await;
        assert_error(&r, 404, "notFound");
        assert_eq!(
            r.body["error"]["message"],
            format!("Request with id {id} not found.")
        );
    }
    let stored = s
        .raw_texts("SELECT CAST(COUNT(*) AS TEXT) FROM stats_jobs")
        .await;
    assert_eq!(stored, ["0"]);
}

#[tokio::test]
async fn large_exports_page_through_every_row_in_order() {
    use switchboard_domain::calls::leg::{CallLeg, CallState, Outcome, Party, PartyKind};
    use switchboard_domain::ids::UserId;
    let s = manual_server().await;
    let c = acme(&s).await;
    away_from_midnight(&s, &c).await;
    let ann = new_user(&s, &c, "ann@acme.example", json!({})).await;
    // 1,234 ended calls over the two days before now (today and the two days before it),
    // written straight to the store.
    let now = s.core.clock().now();
    let mut per_day = std::collections::BTreeMap::<String, u64>::new();
    let mut tx = s.core.store().begin().await.unwrap();
    for i in 0..1234_i64 {
        let at = now
            .checked_sub(jiff::SignedDuration::from_secs(60 + i * 140))
            .unwrap();
        let mut leg = CallLeg::inbound(
            c.id,
            "+12125550123",
            "+14155550100",
            Some(Party {
                kind: PartyKind::User,
                id: ann,
            }),
            at,
        );
        leg.user_id = Some(UserId(ann));
        let end = at.checked_add(jiff::SignedDuration::from_secs(30)).unwrap();
        leg.end(
            CallState::Hangup,
            if i % 2 == 0 {
                Outcome::Answered
            } else {
                Outcome::Missed
            },
            end,
        );
        tx.insert_call_leg(&leg).await.unwrap();
        *per_day
            .entry(at.to_zoned(TimeZone::UTC).date().to_string())
            .or_default() += 1;
    }
    tx.commit().await.unwrap();
    assert!(per_day.len() >= 2, "{per_day:?}");

    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "calls",
                                 "days_ago_start": 0, "days_ago_end": 2}),
    )
    .await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let text = finish_and_download(&s, &c, &id).await;
    let (_, rows) = records(&text);
    assert_eq!(rows.len(), 1234);
    let starts: Vec<&String> = rows.iter().map(|r| &r["date_started"]).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    let ids: std::collections::HashSet<&String> = rows.iter().map(|r| &r["call_id"]).collect();
    assert_eq!(ids.len(), 1234);
    let chunks = s
        .raw_texts(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM stats_chunks WHERE job_id = {id}"
        ))
        .await;
    assert_eq!(chunks, ["3"], "one chunk per page of 500");

    // Per-day stats carry a day across pages and add up to the same calls.
    let r = start(
        &s,
        &c,
        json!({"export_type": "stats", "stat_type": "calls", "group_by": "date",
                                 "days_ago_start": 0, "days_ago_end": 2}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    let (_, rows) = records(&text);
    let got: std::collections::BTreeMap<String, u64> = rows
        .iter()
        .map(|r| (r["date"].clone(), r["all_calls"].parse().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(rows.len(), 3, "every day of the window: {text}");
    assert_eq!(got, per_day);
    let answered: u64 = rows
        .iter()
        .map(|r| r["answered"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(answered, 617);
}
