//! Bird dialect: availability (with the activity lapsing after its TTL) and workload.

use std::sync::Arc;

use serde_json::{json, Value};
use switchboard_domain::ids::Id;
use switchboard_domain::workforce::collab::WorkChannel;
use switchboard_domain::OffsetClock;

use crate::kit::Server;

#[tokio::test]
async fn bird_availability_set_shows_in_me_and_lapses_after_its_ttl() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    let id = ann.user.id.to_uuid();
    let r = s
        .bird(&ann, "PATCH", &format!("/agents/{id}/availability"))
        .json(json!({"status": "active", "activity": "busy", "activityTtl": 60, "activityText": "On a call"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["activity"], "busy");
    assert_eq!(r.body["activityTtl"], 60);
    assert_eq!(r.body["activityText"], "On a call");

    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(me.body["status"], "active");
    assert_eq!(me.body["availability"]["activity"], "busy");
    assert_eq!(me.body["availability"]["activityText"], "On a call");

    clock.advance(59);
    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(me.body["availability"]["activity"], "busy");

    clock.advance(2);
    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    let a = &me.body["availability"];
    assert_eq!(a["activity"], "available", "{}", me.text);
    assert_eq!(a["activityText"], Value::Null);
    assert_eq!(a["activityTtl"], Value::Null);
    assert_eq!(a["status"], "active");
    let got = s
        .bird(&ann, "GET", &format!("/agents/{id}/availability"))
        .send()
        .await;
    assert_eq!(got.body["activity"], "available");
    let all = s.bird(&ann, "GET", "/all-agents").send().await;
    assert_eq!(all.body["results"][0]["activity"], "available");

    // The presence is one fact per user, stored once.
    let stored = s
        .raw_texts(&format!(
            "SELECT status FROM user_presence WHERE user_id = {}",
            ann.user.id.0
        ))
        .await;
    assert_eq!(stored, ["active"]);
}

#[tokio::test]
async fn bird_availability_refuses_bad_input_and_changes_nothing() {
    let s = Server::start().await;
    let ann = s.user().await;
    let path = format!("/agents/{}/availability", ann.user.id.to_uuid());
    for body in [
        json!({}),
        json!({"activity": "busy"}),
        json!({"status": "sleeping"}),
        json!({"status": "active", "activity": "napping"}),
        json!({"status": "active", "activityTtl": 9}),
        json!({"status": "active", "activityTtl": 86401}),
        json!({"status": "active", "activityText": "x".repeat(49)}),
        json!({"status": 1}),
    ] {
        let r = s.bird(&ann, "PATCH", &path).json(body.clone()).send().await;
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert!(r.body["code"].is_string());
    }
    let r = s.bird(&ann, "GET", &path).send().await;
    assert_eq!(r.body["status"], "away");
    assert_eq!(r.body["lastStatusSet"], Value::Null);
    let r = s
        .bird(&ann, "PATCH", &path)
        .json(json!({"status": "away", "activityTtl": 10, "activityText": "x".repeat(48)}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let other = s.user().await;
    let r = s
        .bird(
            &ann,
            "PATCH",
            &format!("/agents/{}/availability", other.user.id.to_uuid()),
        )
        .json(json!({"status": "active"}))
        .send()
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn bird_status_in_an_agent_update_is_the_presence() {
    let s = Server::start().await;
    let ann = s.user().await;
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({"status": "active"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({"status": "offline"}))
        .send()
        .await;
    assert_eq!(r.body["status"], "offline");
    assert_eq!(r.body["statusBeforeOffline"], "active");
    assert_eq!(r.body["availability"]["status"], "offline");
    let r = s
        .bird(&ann, "PATCH", "/agents/me")
        .json(json!({"status": "away"}))
        .send()
        .await;
    assert!(r.body["lastSetToAwayAt"].is_string(), "{}", r.text);
}

#[tokio::test]
async fn bird_workload_counts_open_work_against_the_capacity_rule() {
    let s = Server::start().await;
    let ann = s.user().await;
    let id = ann.user.id.to_uuid();
    let path = format!("/agents/{id}/workload");
    let r = s.bird(&ann, "GET", &path).send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], id);
    assert_eq!(
        r.body["workload"],
        json!({"messaging": 0, "email": 0, "voice": 0})
    );
    assert_eq!(r.body["rule"], Value::Null);
    assert_eq!(r.body["ruleId"], Value::Null);

    let default = s
        .bird(&ann, "POST", "/inbox/capacity")
        .json(json!({"name": "Default", "description": "Everyone", "default": true, "capacity": {"messaging": 5, "email": 3}}))
        .send()
        .await;
    assert_eq!(default.status, 201, "{}", default.text);
    let r = s.bird(&ann, "GET", &path).send().await;
    assert_eq!(r.body["ruleId"], default.body["id"]);
    assert_eq!(
        r.body["rule"]["capacity"],
        json!({"messaging": 5, "email": 3})
    );

    let wf = s.core.workforce();
    let co = ann.user.company_id;
    for (channel, closed) in [
        (WorkChannel::Messaging, false),
        (WorkChannel::Messaging, false),
        (WorkChannel::Email, false),
        (WorkChannel::Email, true),
    ] {
        let item = wf.open_work_item(co, ann.user.id, channel).await.unwrap();
        if closed {
            wf.close_work_item(co, item.id).await.unwrap();
        }
    }
    let own = s
        .bird(&ann, "POST", "/inbox/capacity")
        .json(json!({"name": "Seniors", "description": "More", "capacity": {"messaging": 10, "email": 10}, "agents": [id]}))
        .send()
        .await;
    assert_eq!(own.status, 201, "{}", own.text);
    let r = s.bird(&ann, "GET", &path).send().await;
    assert_eq!(
        r.body["workload"],
        json!({"messaging": 2, "email": 1, "voice": 0})
    );
    assert_eq!(r.body["ruleId"], own.body["id"]);
    assert_eq!(r.body["rule"]["assignedAgentIds"], json!([id]));
    let me = s.bird(&ann, "GET", "/agents/me").send().await;
    assert_eq!(
        me.body["workload"]["workload"],
        json!({"messaging": 2, "email": 1, "voice": 0})
    );
}

#[tokio::test]
async fn bird_presence_changes_write_one_agent_status_event_each() {
    let s = Server::start().await;
    let ann = s.user().await;
    let id = ann.user.id.to_uuid();
    let path = format!("/agents/{id}/availability");
    for body in [
        json!({"status": "active", "activity": "busy"}),
        json!({"status": "active", "activity": "busy"}),
        json!({"status": "offline"}),
    ] {
        let r = s.bird(&ann, "PATCH", &path).json(body).send().await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let refused = s
        .bird(&ann, "PATCH", &path)
        .json(json!({"status": "dancing"}))
        .send()
        .await;
    assert_eq!(refused.status, 422);
    let events = s
        .raw_texts(&format!(
            "SELECT payload FROM events WHERE kind = 'agent_status_changed' AND company_id = {}",
            ann.user.company_id.0
        ))
        .await;
    assert_eq!(
        events.len(),
        2,
        "a repeated status is no change, a refused one writes nothing: {events:?}"
    );
    // Events of one millisecond have no order of their own: compare them as a set.
    let mut seen: Vec<(String, String, String)> = events
        .iter()
        .map(|e| {
            let e: Value = serde_json::from_str(e).unwrap();
            assert_eq!(e["user_id"], ann.user.id.to_string());
            let field = |k: &str| e[k].as_str().unwrap().to_owned();
            (field("previous_status"), field("status"), field("activity"))
        })
        .collect();
    seen.sort();
    let expected = [("active", "offline", "busy"), ("away", "active", "busy")];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(seen, expected);
}
