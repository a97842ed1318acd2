//! Dialpad scheduled reports: create, read, list, update and delete with bad input refused and
//! another company's schedules out of sight; a daily schedule fires at its hour on the manual
//! clock, builds its export and writes exactly one `scheduled_report` event, which reaches its
//! webhook (a real receiver) as a JWT signed with the webhook's secret.

use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{assert_error, company, dp, new_user, Company};
use crate::dialpad_stats::{away_from_midnight, path_of, records};
use crate::kit::Server;
use crate::receiver::Receiver;

/// A webhook of the company (a websocket when `hook_url` is `None`); answers its id.
async fn endpoint(s: &Server, c: &Company, hook_url: Option<&str>, secret: Option<&str>) -> i64 {
    let (path, mut body) = match hook_url {
        Some(url) => ("/webhooks", json!({"hook_url": url})),
        None => ("/websockets", json!({})),
    };
    if let Some(secret) = secret {
        body["secret"] = json!(secret);
    }
    let r = dp(s, "POST", path, &c.company_key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

fn daily(name: &str, endpoint: i64) -> Value {
    json!({"name": name, "endpoint_id": endpoint, "report_type": "call_logs", "frequency": "daily",
           "at": 9, "on_day": 0, "timezone": "Europe/Paris"})
}

fn with(base: &Value, extra: Value) -> Value {
    let mut b = base.clone();
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

#[tokio::test]
async fn schedule_reports_are_kept_read_changed_and_deleted() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ann = new_user(&s, &c, "ann@acme.example", json!({})).await;
    let hook = endpoint(&s, &c, Some("https://hooks.example.com/reports"), None).await;
    let socket = endpoint(&s, &c, None, None).await;
    let r = dp(
        &s,
        "POST",
        "/schedulereports",
        &c.company_key,
        Some(daily("Calls", hook)),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(
        r.body,
        json!({"id": id, "name": "Calls", "report_type": "call_logs", "frequency": "daily",
               "at": 9, "on_day": 0, "timezone": "Europe/Paris", "enabled": true,
               "coaching_group": false, "target_type": "company", "target_id": c.id.0,
               "webhook": {"id": hook, "hook_url": "https://hooks.example.com/reports",
                           "signature": {"algo": "HS256", "type": "jwt"}}})
    );
    let got = dp(
        &s,
        "GET",
        &format!("/schedulereports/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(got.body, r.body);
    let r = dp(
        &s,
        "PATCH",
        &format!("/schedulereports/{id}"),
        &c.company_key,
        Some(
            json!({"name": "Ann's calls", "frequency": "weekly", "on_day": 6,
                           "target_type": "user", "target_id": ann, "enabled": false,
                           "endpoint_id": socket}),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Ann's calls");
    assert_eq!(r.body["frequency"], "weekly");
    assert_eq!(
        (r.body["at"].clone(), r.body["on_day"].clone()),
        (json!(9), json!(6))
    );
    assert_eq!(
        (r.body["target_type"].clone(), r.body["target_id"].clone()),
        (json!("user"), json!(ann))
    );
    assert_eq!(r.body["enabled"], false);
    assert_eq!(r.body["websocket"]["id"], socket);
    let url = r.body["websocket"]["websocket_url"].as_str().unwrap();
    assert!(url.contains("/websockets/events/"), "{url}");
    assert!(r.body.get("webhook").is_none());

    let other = company(&s, "Other").await;
    let theirs = new_user(&s, &other, "eve@other.example", json!({})).await;
    let their_hook = endpoint(&s, &other, Some("https://hooks.example.com/other"), None).await;
    let base = daily("Bad", hook);
    for (body, code, reason) in [
        (
            json!({"endpoint_id": 42, "report_type": "call_logs", "frequency": "daily", "at": 9, "on_day": 0}),
            400,
            "badRequest",
        ),
        (with(&base, json!({"name": "  "})), 400, "badRequest"),
        (
            with(&base, json!({"name": "two\nlines"})),
            400,
            "badRequest",
        ),
        (
            with(&base, json!({"name": "nul\u{0}byte"})),
            400,
            "badRequest",
        ),
        (with(&base, json!({"at": 24})), 400, "badRequest"),
        (with(&base, json!({"at": null})), 400, "badRequest"),
        (with(&base, json!({"on_day": 1})), 400, "badRequest"),
        (
            with(&base, json!({"frequency": "weekly", "on_day": 7})),
            400,
            "badRequest",
        ),
        (
            with(&base, json!({"frequency": "monthly", "on_day": 31})),
            400,
            "badRequest",
        ),
        (
            with(&base, json!({"frequency": "hourly"})),
            400,
            "badRequest",
        ),
        (
            with(&base, json!({"report_type": "everything"})),
            400,
            "badRequest",
        ),
        (
            with(&base, json!({"timezone": "Nowhere/Land"})),
            400,
            "badRequest",
        ),
        (with(&base, json!({"endpoint_id": -3})), 400, "badRequest"),
        (
            with(&base, json!({"endpoint_id": 987654321})),
            404,
            "notFound",
        ),
        (
            with(&base, json!({"endpoint_id": their_hook})),
            404,
            "notFound",
        ),
        (
            with(&base, json!({"target_type": "room", "target_id": 5})),
            400,
            "badRequest",
        ),
        (with(&base, json!({"target_id": ann})), 400, "badRequest"),
        (
            with(&base, json!({"coaching_group": true})),
            400,
            "badRequest",
        ),
        (with(&base, json!({"extra": 1})), 400, "badRequest"),
        (
            with(&base, json!({"target_type": "user", "target_id": theirs})),
            404,
            "notFound",
        ),
    ] {
        let r = dp(
            &s,
            "POST",
            "/schedulereports",
            &c.company_key,
            Some(body.clone()),
        )
        .await;
        assert_error(&r, code, reason);
    }
    let r = dp(
        &s,
        "PATCH",
        &format!("/schedulereports/{id}"),
        &c.company_key,
        Some(json!({"on_day": 9})),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    // Another company's schedule is missing; a plain user may not touch schedules.
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(json!({"at": 1}))),
        ("DELETE", None),
    ] {
        let r = dp(
            &s,
            method,
            &format!("/schedulereports/{id}"),
            &other.company_key,
            body,
        )
        .await;
        assert_error(&r, 404, "notFound");
    }
    let r = dp(&s, "GET", "/schedulereports", &c.user_key, None).await;
    assert_error(&r, 403, "forbidden");
    let r = dp(&s, "GET", "/schedulereports", &other.company_key, None).await;
    assert_eq!(r.body["items"], json!([]));
    // Nothing bad was stored, nothing changed.
    let r = dp(&s, "GET", "/schedulereports", &c.company_key, None).await;
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "Ann's calls");
    assert_eq!(items[0]["on_day"], 6);

    // At most 100 per company; the list pages through them all.
    for i in 1..100 {
        let r = dp(
            &s,
            "POST",
            "/schedulereports",
            &c.company_key,
            Some(daily(&format!("R{i}"), hook)),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = dp(
        &s,
        "POST",
        "/schedulereports",
        &c.company_key,
        Some(daily("R100", hook)),
    )
    .await;
    assert_error(&r, 409, "conflict");
    let r = dp(&s, "GET", "/schedulereports", &c.company_key, None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 100);
    assert!(r.body.get("cursor").is_none(), "{}", r.text);

    let r = dp(
        &s,
        "DELETE",
        &format!("/schedulereports/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Ann's calls");
    let r = dp(
        &s,
        "GET",
        &format!("/schedulereports/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
}

fn decode(token: &str, secret: &str) -> Value {
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(secret.as_bytes()),
        &v,
    )
    .expect("a JWT signed with the webhook's secret")
    .claims
}

/// The company's `scheduled_report` events, oldest first.
async fn announcements(s: &Server, c: &Company) -> Vec<Value> {
    s.raw_texts(&format!(
        "SELECT payload FROM events WHERE kind = 'scheduled_report' AND company_id = {} \
         ORDER BY created_at, id",
        c.id.0
    ))
    .await
    .iter()
    .map(|p| serde_json::from_str(p).unwrap())
    .collect()
}

#[tokio::test]
async fn a_daily_schedule_fires_at_its_hour_and_announces_its_report() {
    let s = manual_server().await;
    let c = acme(&s).await;
    away_from_midnight(&s, &c).await;
    let (ann, number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    answer(&s, &c, ann).await;
    advance(&s, &c, 60).await;
    sim(
        &s,
        &c,
        &format!("/calls/{call}/hangup"),
        json!({"side": "external"}),
    )
    .await;

    // Daily at this hour (UTC): the next run is tomorrow at the hour, reporting today.
    let rx = Receiver::start().await;
    let hook = endpoint(&s, &c, Some(&rx.url), Some("report-hook-secret")).await;
    let now = s.core.clock().now().as_second();
    let hour = now.rem_euclid(86_400) / 3600;
    let body = json!({"name": "Daily calls", "endpoint_id": hook, "report_type": "call_logs",
                      "frequency": "daily", "at": hour, "on_day": 0});
    let r = dp(&s, "POST", "/schedulereports", &c.company_key, Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    let next_run = now - now.rem_euclid(3600) + 86_400;
    advance(&s, &c, next_run - now - 1).await;
    assert!(announcements(&s, &c).await.is_empty());
    advance(&s, &c, 2).await;
    let sent = announcements(&s, &c).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let a = &sent[0];
    assert_eq!(a["endpoint_id"], hook);
    assert_eq!(a["schedule_report_id"], id.to_string());
    assert_eq!(a["name"], "Daily calls");
    assert_eq!(a["report_type"], "call_logs");
    let day_start = next_run - next_run.rem_euclid(86_400) - 86_400;
    let iso = |t: i64| {
        jiff::Timestamp::from_second(t)
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%S+00:00")
            .to_string()
    };
    assert_eq!(a["period_start"], iso(day_start));
    assert_eq!(a["period_end"], iso(day_start + 86_400));
    // The announced link serves the report, which holds the call.
    let file = s
        .req("GET", path_of(a["download_url"].as_str().unwrap()))
        .send()
        .await;
    assert_eq!(file.status, 200, "{}", file.text);
    let (_, rows) = records(&file.text);
    assert_eq!(rows.len(), 1, "{}", file.text);
    assert_eq!(rows[0]["call_id"], call.to_string());
    // The delivery worker takes it to the webhook, signed with its secret.
    let at = s.core.clock().now();
    s.worker.try_execute_task(at).await.unwrap();
    let got = rx.received();
    assert_eq!(got.len(), 1);
    let claims = decode(&got[0].body, "report-hook-secret");
    assert_eq!(claims["download_url"], a["download_url"]);
    assert_eq!(claims["schedule_report_id"], id.to_string());
    assert_eq!(claims["period_start"], a["period_start"]);
    // Running again changes nothing; the next day fires once more.
    s.core.reporting().run_due().await.unwrap();
    assert_eq!(announcements(&s, &c).await.len(), 1);
    advance(&s, &c, 86_400).await;
    assert_eq!(announcements(&s, &c).await.len(), 2);
    // A disabled schedule stays quiet.
    let r = dp(
        &s,
        "PATCH",
        &format!("/schedulereports/{id}"),
        &c.company_key,
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    advance(&s, &c, 2 * 86_400).await;
    assert_eq!(announcements(&s, &c).await.len(), 2);
    let events = s
        .raw_texts(&format!(
            "SELECT CAST(company_id AS TEXT) FROM events WHERE kind = 'scheduled_report' \
             AND company_id = {}",
            c.id.0
        ))
        .await;
    assert_eq!(events.len(), 2);
}
