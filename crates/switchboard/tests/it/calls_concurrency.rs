//! Two server processes on one database, 200 concurrent inbound calls and 20 operators
//! answering through either: no operator ever holds two calls, no call goes to two operators,
//! and every call ends answered, missed or voicemail.

use futures::future::join_all;
use serde_json::{json, Value};

use crate::binary::serve;
use crate::calls_kit::*;
use crate::dialpad_kit::Company;
use crate::kit::Server;

async fn post(base: &str, c: &Company, path: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}/sim/v1{path}"))
        .bearer_auth(&c.company_key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn ids(s: &Server, sql: String) -> Vec<i64> {
    s.raw_texts(&sql)
        .await
        .iter()
        .map(|v| v.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn two_servers_never_give_an_operator_two_calls() {
    let s = Server::start().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 20).await;
    let mut settings = routing("longestidle");
    settings["ring_seconds"] = json!(45);
    settings["hold_queue"] = json!({"max_hold_count": 1000, "max_hold_seconds": 18000,
                                    "announce_position": false});
    let (_, number) = call_center(&s, &c, settings, &ops, "415").await;
    let mut other = serve(&s);
    let bases = [s.base.clone(), other.base.clone()];

    let dials = (0..200).map(|i| {
        let base = bases[i % 2].clone();
        let number = number.clone();
        let c = &c;
        async move {
            let from = format!("+1212555{:04}", 1000 + i);
            post(
                &base,
                c,
                "/inbound_calls",
                json!({"from": from, "to": number}),
            )
            .await
        }
    });
    for (status, body) in join_all(dials).await {
        assert_eq!(status, 200, "{body}");
    }

    let live = |state: &str| {
        format!(
            "SELECT CAST(id AS TEXT) FROM calls WHERE company_id = {} AND entry_point_call_id \
             IS NULL AND state = '{state}'",
            c.id.0
        )
    };
    for _round in 0..60 {
        let answers = ops.iter().enumerate().map(|(i, op)| {
            let base = bases[i % 2].clone();
            let c = &c;
            async move { post(&base, c, &format!("/devices/{op}/answer"), json!({})).await }
        });
        for (status, body) in join_all(answers).await {
            assert!(status == 200 || status == 409, "{status} {body}");
        }
        let connected = ids(&s, live("connected")).await;
        let hangups = connected.iter().enumerate().map(|(i, call)| {
            let base = bases[(i + 1) % 2].clone();
            let c = &c;
            async move {
                post(
                    &base,
                    c,
                    &format!("/calls/{call}/hangup"),
                    json!({"side": "external"}),
                )
                .await
            }
        });
        for (status, body) in join_all(hangups).await {
            assert_eq!(status, 200, "{body}");
        }
        let open = s
            .raw_texts(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM calls WHERE company_id = {} AND \
                 date_ended IS NULL",
                c.id.0
            ))
            .await;
        if open[0] == "0" {
            break;
        }
    }
    let _ = other.child.kill();
    let _ = other.child.wait();

    // Every call ended answered, missed or voicemail; here every one was answered.
    let outcomes = s
        .raw_texts(&format!(
            "SELECT COALESCE(outcome, 'none') FROM calls WHERE company_id = {} AND \
             entry_point_call_id IS NULL",
            c.id.0
        ))
        .await;
    assert_eq!(outcomes.len(), 200);
    assert!(outcomes.iter().all(|o| o == "answered"), "{outcomes:?}");
    // One operator leg answered per call, and no operator talked on two calls at once.
    let legs = s
        .raw_texts(&format!(
            "SELECT CAST(user_id AS TEXT) || ',' || CAST(date_connected AS TEXT) || ',' || \
             CAST(date_ended AS TEXT) || ',' || CAST(entry_point_call_id AS TEXT) FROM calls \
             WHERE company_id = {} AND entry_point_call_id IS NOT NULL AND outcome = 'answered'",
            c.id.0
        ))
        .await;
    assert_eq!(legs.len(), 200);
    let mut per_call = std::collections::HashSet::new();
    let mut spans: std::collections::HashMap<i64, Vec<(i64, i64)>> = Default::default();
    for leg in &legs {
        let f: Vec<i64> = leg.split(',').map(|x| x.parse().unwrap()).collect();
        assert!(per_call.insert(f[3]), "call {} answered twice", f[3]);
        spans.entry(f[0]).or_default().push((f[1], f[2]));
    }
    for (user, mut list) in spans {
        list.sort();
        for pair in list.windows(2) {
            assert!(
                pair[0].1 <= pair[1].0,
                "operator {user} held two calls: {pair:?}"
            );
        }
    }
    let claims = s
        .raw_texts("SELECT CAST(COUNT(*) AS TEXT) FROM operator_claims")
        .await;
    assert_eq!(claims[0], "0");
}
