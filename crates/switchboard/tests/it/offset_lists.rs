//! The offset-paged lists (360dialog clients and webhook deliveries, Dialgood call logs): their
//! totals are counters the writes keep (migration 0008), not a count per read; a filtered list
//! is counted (up to a bound); the counters follow inserts, moves and pruning, and the migration
//! back-fills them from the rows written before it.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::json;
use switchboard_domain::clock::{Clock, OffsetClock};
use switchboard_domain::ids::{AgentId, CallId, CompanyId, Id};
use switchboard_domain::telephony::call::Call;

use crate::d360_partner::{d3, partner, TestPartner};
use crate::kit::Server;
use crate::receiver::Receiver;

/// The bare id of a partner (`…PA` on the wire).
fn bare(p: &TestPartner) -> &str {
    p.id.trim_end_matches("PA")
}

async fn counter(s: &Server, sql: &str) -> i64 {
    let got = s.raw_texts(&format!("SELECT CAST(({sql}) AS TEXT)")).await;
    got[0].parse().unwrap_or(-1)
}

async fn new_client(s: &Server, p: &TestPartner, name: &str) -> String {
    let r = d3(s, p, "POST", "/clients")
        .json(json!({"name": name}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"]
        .as_str()
        .unwrap()
        .trim_end_matches("CL")
        .to_owned()
}

async fn client_total(s: &Server, p: &TestPartner, query: &str) -> (u64, usize) {
    let r = d3(s, p, "GET", &format!("/clients?{query}")).send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    (
        r.body["total"].as_u64().unwrap(),
        r.body["clients"].as_array().unwrap().len(),
    )
}

#[tokio::test]
async fn client_totals_are_the_partner_counter_and_filtered_totals_are_counted() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    let q = partner(&s, "Other").await;
    for name in ["Acme", "Beta", "Gamma"] {
        new_client(&s, &p, name).await;
    }
    let moved = new_client(&s, &p, "Delta").await;
    new_client(&s, &q, "Theirs").await;
    assert_eq!(client_total(&s, &p, "limit=2").await, (4, 2));
    assert_eq!(client_total(&s, &q, "").await, (1, 1));

    // A client that moves to another partner moves its count.
    s.raw_texts(&format!(
        "UPDATE companies SET partner_id = {} WHERE id = {moved}",
        bare(&q)
    ))
    .await;
    assert_eq!(client_total(&s, &p, "").await, (3, 3));
    assert_eq!(client_total(&s, &q, "").await, (2, 2));

    // The unfiltered total is the counter row, not a count of the rows; a filter counts.
    s.raw_texts(&format!(
        "UPDATE partner_client_counts SET clients = 777 WHERE partner_id = {}",
        bare(&p)
    ))
    .await;
    assert_eq!(client_total(&s, &p, "limit=1").await, (777, 1));
    let filtered = format!("filters={}", "%7B%22name%22%3A%22a%22%7D");
    let (total, shown) = client_total(&s, &p, &filtered).await;
    assert_eq!((total, shown), (3, 3), "Acme, Beta and Gamma contain an a");
}

fn call(agent: AgentId, company: CompanyId, n: i64) -> Call {
    Call {
        id: CallId::generate(),
        company_id: company,
        ai_agent_id: Some(agent),
        direction: "inbound".into(),
        status: if n % 2 == 0 { "failed" } else { "completed" }.into(),
        from_number: format!("+1555000{n:04}"),
        to_number: "+15557654321".into(),
        campaign_id: None,
        conversation_id: None,
        contact_id: None,
        is_web_call: false,
        duration_secs: Some(n),
        started_at: Timestamp::from_second(1_780_000_000 + n).unwrap(),
        agent_version: None,
    }
}

#[tokio::test]
async fn call_log_totals_are_the_agent_counter_and_filtered_totals_are_counted() {
    let s = Server::start().await;
    let u = s.user().await;
    let id = s.agent(&u, "Caller").await;
    let agent = id.parse::<AgentId>().unwrap();
    let other = s.agent(&u, "Other").await.parse::<AgentId>().unwrap();
    let mut tx = s.core.store().begin().await.unwrap();
    for n in 1..=7 {
        tx.insert_call(&call(agent, u.user.company_id, n))
            .await
            .unwrap();
    }
    tx.insert_call(&call(other, u.user.company_id, 1))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let page = |query: &'static str| {
        let path = format!("/agents/{id}/call-logs?{query}");
        let req = s.dg(&u, "GET", &path);
        async move {
            let r = req.send().await;
            assert_eq!(r.status, 200, "{}", r.text);
            (
                r.body["totalRecords"].as_u64().unwrap(),
                r.body["totalPages"].as_u64().unwrap(),
                r.body["data"].as_array().unwrap().len(),
            )
        }
    };
    assert_eq!(page("limit=3").await, (7, 3, 3));
    assert_eq!(page("limit=3&page=3").await, (7, 3, 1));
    assert_eq!(
        counter(
            &s,
            &format!("SELECT calls FROM agent_call_counts WHERE agent_id = {other}")
        )
        .await,
        1
    );

    s.raw_texts(&format!(
        "UPDATE agent_call_counts SET calls = 100 WHERE agent_id = {id}"
    ))
    .await;
    assert_eq!(
        page("limit=10").await,
        (100, 10, 7),
        "the counter, not a count"
    );
    assert_eq!(page("limit=10&status=failed").await, (3, 1, 3));
    assert_eq!(page("limit=2&fromnumber=%2B15550000005").await, (1, 1, 1));
}

#[tokio::test]
async fn delivery_totals_follow_new_deliveries_and_pruning() {
    const DAY: i64 = 24 * 3600;
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let rx = Receiver::start().await;
    let p = partner(&s, "Brand").await;
    let r = d3(&s, &p, "PATCH", "")
        .json(json!({"webhook_url": rx.url}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for name in ["One", "Two", "Three"] {
        new_client(&s, &p, name).await;
    }
    s.worker.try_execute_task(clock.now()).await.unwrap();
    let total = |query: &'static str| {
        let req = d3(&s, &p, "GET", &format!("/webhook_deliveries?{query}"));
        async move {
            let r = req.send().await;
            assert_eq!(r.status, 200, "{}", r.text);
            (
                r.body["total"].as_u64().unwrap(),
                r.body["deliveries"].as_array().unwrap().len(),
            )
        }
    };
    assert_eq!(total("limit=2").await, (3, 2));
    s.raw_texts(&format!(
        "UPDATE partner_delivery_counts SET deliveries = 50 WHERE partner_id = {}",
        bare(&p)
    ))
    .await;
    assert_eq!(total("limit=2").await, (50, 2), "the counter, not a count");
    s.raw_texts(&format!(
        "UPDATE partner_delivery_counts SET deliveries = 3 WHERE partner_id = {}",
        bare(&p)
    ))
    .await;

    // Pruning after the retention takes the deliveries and their count.
    clock.advance(31 * DAY);
    let pruned = s.worker.prune(clock.now()).await.unwrap();
    assert_eq!(pruned.deliveries, 3);
    assert_eq!(total("").await, (0, 0));
    new_client(&s, &p, "Four").await;
    s.worker.try_execute_task(clock.now()).await.unwrap();
    assert_eq!(total("").await, (1, 1));
}

#[tokio::test]
async fn migration_0008_back_fills_the_offset_list_counters() {
    use sqlx::Row;
    let mut old = crate::kit::OldDatabase::before("0008").await;
    let db = old.db;
    let f = if db == "postgres" { "FALSE" } else { "0" };
    for sql in [
        "INSERT INTO partners (id, name, created_at) VALUES (1, 'P', 1), (2, 'Q', 1)".to_owned(),
        "INSERT INTO companies (id, name, partner_id, created_at) VALUES \
         (10, 'A', 1, 1), (11, 'B', 1, 2), (12, 'C', 2, 3), (13, 'D', NULL, 4)"
            .to_owned(),
        format!(
            "INSERT INTO calls (id, company_id, ai_agent_id, direction, status, from_number, \
             to_number, is_web_call, started_at) VALUES \
             (20, 10, 500, 'inbound', 'completed', '+1', '+2', {f}, 1), \
             (21, 10, 500, 'inbound', 'completed', '+1', '+2', {f}, 2), \
             (22, 10, 501, 'inbound', 'completed', '+1', '+2', {f}, 3), \
             (23, 10, NULL, 'inbound', 'completed', '+1', '+2', {f}, 4)"
        ),
        "INSERT INTO events (id, kind, partner_id, company_id, payload, created_at) VALUES \
         (30, 'client_created', 2, 12, '{}', 1)"
            .to_owned(),
        "INSERT INTO deliveries (id, event_id, partner_id, url, signing_owner, body, status, \
         attempts, next_attempt_at, created_at) VALUES \
         (40, 30, 2, 'http://x', 'p', '{}', 'pending', 0, 1, 1), \
         (41, 30, 2, 'http://x', 'p', '{}', 'pending', 0, 1, 2)"
            .to_owned(),
    ] {
        sqlx::query(&sql).execute(&mut old.conn).await.unwrap();
    }
    old.migrate().await;
    let mut got = Vec::new();
    for sql in [
        "SELECT partner_id, clients FROM partner_client_counts ORDER BY partner_id",
        "SELECT agent_id, calls FROM agent_call_counts ORDER BY agent_id",
        "SELECT partner_id, deliveries FROM partner_delivery_counts ORDER BY partner_id",
    ] {
        let rows = sqlx::query(sql).fetch_all(&mut old.conn).await.unwrap();
        got.push(
            rows.iter()
                .map(|r| (r.get::<i64, _>(0), r.get::<i64, _>(1)))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        got,
        [vec![(1, 2), (2, 1)], vec![(500, 2), (501, 1)], vec![(2, 2)]]
    );
    // From now on the writes keep them.
    sqlx::query("INSERT INTO companies (id, name, partner_id, created_at) VALUES (14, 'E', 2, 5)")
        .execute(&mut old.conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM deliveries WHERE id = 40")
        .execute(&mut old.conn)
        .await
        .unwrap();
    let n: i64 =
        sqlx::query_scalar("SELECT clients FROM partner_client_counts WHERE partner_id = 2")
            .fetch_one(&mut old.conn)
            .await
            .unwrap();
    let d: i64 =
        sqlx::query_scalar("SELECT deliveries FROM partner_delivery_counts WHERE partner_id = 2")
            .fetch_one(&mut old.conn)
            .await
            .unwrap();
    assert_eq!((n, d), (2, 1));
    sqlx::Connection::close(old.conn).await.unwrap();
}
