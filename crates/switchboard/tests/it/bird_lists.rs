//! Bird dialect: the agent list (paging, order, filters) and the all-agents read.

use std::sync::Arc;

use serde_json::{json, Value};
use switchboard_domain::ids::Id;
use switchboard_domain::OffsetClock;

use crate::bird_agents::new_agent;
use crate::kit::{Resp, Server, TestUser};

async fn list(s: &Server, u: &TestUser, query: &str) -> Resp {
    s.bird(u, "GET", &format!("/agents{query}")).send().await
}

fn names(r: &Resp) -> Vec<String> {
    r.body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.text))
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn bird_list_pages_orders_and_filters() {
    // Creation order is by time: the clock moves between creations so that no two share a
    // millisecond.
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    // Ann plus 11 agents: more than the default page of 10.
    let mut ids = Vec::new();
    for i in 0..11 {
        clock.advance(1);
        let a = new_agent(
            &s,
            &ann,
            &format!("Agent {i:02}"),
            &format!("agent{i}@example.com"),
        )
        .await;
        ids.push(a["id"].as_str().unwrap().to_owned());
    }
    let r = list(&s, &ann, "").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["total"], 12);
    assert_eq!(names(&r).len(), 10);
    assert!(r.body["nextPageToken"].is_string());

    // Walk all pages of 5, oldest first.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let q = match &token {
            Some(t) => format!("?limit=5&pageToken={t}"),
            None => "?limit=5".into(),
        };
        let r = list(&s, &ann, &q).await;
        assert_eq!(r.status, 200, "{}", r.text);
        seen.extend(names(&r));
        match r.body["nextPageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 12);
    assert_eq!(seen[1], "Agent 00");
    assert_eq!(seen[11], "Agent 10");

    let r = list(&s, &ann, "?reverse=true&limit=2").await;
    assert_eq!(names(&r), ["Agent 10", "Agent 09"]);
    let r = list(&s, &ann, "?sortBy=name&limit=3").await;
    assert_eq!(names(&r), ["Agent 00", "Agent 01", "Agent 02"]);
    let r = list(&s, &ann, "?sortBy=name&reverse=true&limit=1").await;
    assert_eq!(names(&r), [ann.user.display_name()]);
    let r = list(&s, &ann, "?name=agent%2003").await;
    assert_eq!(names(&r), ["Agent 03"]);
    assert_eq!(r.body["total"], 1);
    assert!(r.body.get("nextPageToken").is_none());
    let r = list(&s, &ann, "?email=AGENT7@").await;
    assert_eq!(names(&r), ["Agent 07"]);

    // agentIds overrides every other filter; both list forms are read.
    let q = format!("?name=nobody&agentIds={}&agentIds={}", ids[0], ids[1]);
    assert_eq!(names(&list(&s, &ann, &q).await), ["Agent 00", "Agent 01"]);
    let q = format!("?agentIds={},{}", ids[2], ids[3]);
    assert_eq!(names(&list(&s, &ann, &q).await), ["Agent 02", "Agent 03"]);
    // Ids of another workspace match nothing.
    let other = s.user().await;
    let q = format!("?agentIds={}", other.user.id.to_uuid());
    assert_eq!(list(&s, &ann, &q).await.body["total"], 0);

    // Status filters and last status change.
    clock.advance(1);
    let r = s
        .bird(&ann, "PATCH", &format!("/agents/{}/availability", ids[4]))
        .json(json!({"status": "active"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let set_at = r.body["lastStatusSet"].as_str().unwrap().to_owned();
    assert_eq!(names(&list(&s, &ann, "?status=active").await), ["Agent 04"]);
    assert_eq!(
        names(&list(&s, &ann, "?agentStatuses=active").await),
        ["Agent 04"]
    );
    assert_eq!(list(&s, &ann, "?status=away").await.body["total"], 11);
    let q = format!("?lastStatusActivitySince={set_at}");
    assert_eq!(names(&list(&s, &ann, &q).await), ["Agent 04"]);
    let q = format!("?lastStatusActivityUpto={set_at}&limit=100");
    assert_eq!(list(&s, &ann, &q).await.body["total"], 12);
    let r = list(&s, &ann, "?sortBy=statusAssignedCount&limit=1").await;
    assert_eq!(names(&r), ["Agent 04"]);
    assert_eq!(list(&s, &ann, "?sortBy=assignedCount").await.status, 200);
    let q = "?roleIds=123e4567-e89b-12d3-a456-426614174000";
    assert_eq!(list(&s, &ann, q).await.body["total"], 0);

    for bad in [
        "?limit=0",
        "?limit=101",
        "?limit=ten",
        "?pageToken=garbage!",
        "?reverse=maybe",
        "?sortBy=age",
        "?status=sleeping",
        "?agentIds=nope",
        "?roleIds=nope",
        "?lastStatusActivitySince=yesterday",
    ] {
        let r = list(&s, &ann, bad).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
        assert!(r.body["message"].is_string());
    }
}

#[tokio::test]
async fn bird_all_agents_lists_minimal_fields() {
    let s = Server::start().await;
    let ann = s.user().await;
    new_agent(&s, &ann, "Bob", "bob@example.com").await;
    let r = s.bird(&ann, "GET", "/all-agents").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    let results = r.body["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for a in results {
        let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["activity", "avatarUrl", "createdAt", "id", "name", "status"]
        );
    }
    assert_eq!(results[1]["name"], "Bob");
    assert_eq!(results[1]["status"], Value::from("away"));
}
