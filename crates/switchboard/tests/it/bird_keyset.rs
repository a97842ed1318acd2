//! Bird dialect: keyset paging of the agent, team, skill and capacity-rule lists, signed page
//! tokens, the open-work order, the agent total and the all-agents read. The back-fill of migration 0006 is in
//! `bird_migration`.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use switchboard_domain::ids::{Id, UserId};
use switchboard_domain::workforce::collab::WorkChannel;
use switchboard_domain::OffsetClock;

use crate::bird_agents::new_agent;
use crate::kit::{Resp, Server, TestUser};

async fn get(s: &Server, u: &TestUser, path: &str) -> Resp {
    s.bird(u, "GET", path).send().await
}

fn ids(r: &Resp) -> Vec<String> {
    r.body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.text))
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every id of `path` (whose query is `query`), page by page.
async fn walk(s: &Server, u: &TestUser, path: &str, query: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..100 {
        let q = match &token {
            Some(t) => format!("{path}?{query}&pageToken={t}"),
            None => format!("{path}?{query}"),
        };
        let r = get(s, u, &q).await;
        assert_eq!(r.status, 200, "{q}: {}", r.text);
        seen.extend(ids(&r));
        match r.body["nextPageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => return seen,
        }
    }
    panic!("{path}?{query} does not end");
}

fn assert_bad_token(r: &Resp, what: &str) {
    assert_eq!(r.status, 400, "{what}: {}", r.text);
    assert_eq!(r.body["code"], "bad_request", "{what}");
    assert!(r.body["message"].is_string(), "{what}");
}

/// One agent as the test made it: what each order sorts by.
struct Made {
    id: String,
    created: usize,
    name: String,
    work: i64,
    active: bool,
}

#[tokio::test]
async fn bird_agent_pages_visit_every_agent_once_in_every_order() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    let wf = s.core.workforce();
    let co = ann.user.company_id;
    let mut made = vec![Made {
        id: ann.user.id.to_uuid(),
        created: 0,
        name: ann.user.display_name().to_lowercase(),
        work: 0,
        active: false,
    }];
    // 59 agents; names in mixed case and not in creation order, so each order differs.
    for i in 1..60usize {
        clock.advance(1);
        let n = (i * 37) % 60;
        let name = if i % 2 == 0 {
            format!("agent {n:02}")
        } else {
            format!("Agent {n:02}")
        };
        let a = new_agent(&s, &ann, &name, &format!("a{i}@agents.example.com")).await;
        let id = a["id"].as_str().unwrap().to_owned();
        let user = UserId::from_uuid(&id).unwrap();
        let work = (i % 4) as i64;
        for _ in 0..work {
            wf.open_work_item(co, user, WorkChannel::Messaging)
                .await
                .unwrap();
        }
        let active = i % 3 == 0;
        if active {
            let r = s
                .bird(&ann, "PATCH", &format!("/agents/{id}/availability"))
                .json(json!({"status": "active"}))
                .send()
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
        made.push(Made {
            id,
            created: i,
            name: name.to_lowercase(),
            work,
            active,
        });
    }
    let by = |key: &dyn Fn(&Made) -> (i64, i64, String, usize)| {
        let mut order: Vec<&Made> = made.iter().collect();
        order.sort_by_key(|m| key(m));
        order.into_iter().map(|m| m.id.clone()).collect::<Vec<_>>()
    };
    let orders = [
        ("createdAt", by(&|m| (0, 0, String::new(), m.created))),
        ("name", by(&|m| (0, 0, m.name.clone(), 0))),
        (
            "assignedCount",
            by(&|m| (0, m.work, String::new(), m.created)),
        ),
        (
            "statusAssignedCount",
            by(&|m| (i64::from(!m.active), m.work, String::new(), m.created)),
        ),
    ];
    for (sort, expected) in &orders {
        let seen = walk(&s, &ann, "/agents", &format!("limit=7&sortBy={sort}")).await;
        assert_eq!(&seen, expected, "{sort}");
        let back = walk(
            &s,
            &ann,
            "/agents",
            &format!("limit=7&sortBy={sort}&reverse=true"),
        )
        .await;
        let mut reversed = expected.clone();
        reversed.reverse();
        assert_eq!(back, reversed, "{sort} reversed");
    }
    let r = get(&s, &ann, "/agents?limit=7").await;
    assert_eq!(r.body["total"], 60);

    // Filters with paging: active agents whose name holds "agent 1", by name.
    let mut expected: Vec<&Made> = made
        .iter()
        .filter(|m| m.active && m.name.contains("agent 1"))
        .collect();
    expected.sort_by_key(|m| m.name.clone());
    let expected: Vec<String> = expected.iter().map(|m| m.id.clone()).collect();
    assert!(expected.len() > 2, "the filter must span pages");
    let q = "limit=2&sortBy=name&status=active&name=AGENT%201";
    assert_eq!(walk(&s, &ann, "/agents", q).await, expected);
    let r = get(&s, &ann, &format!("/agents?{q}")).await;
    assert_eq!(r.body["total"], expected.len());
    // An email filter with paging, oldest first: a5@, a15@, ... a55@ (the domain keeps the
    // test user's random address out of it).
    let expected: Vec<String> = made
        .iter()
        .filter(|m| m.created > 0 && m.created % 10 == 5)
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(expected.len(), 6);
    assert_eq!(
        walk(&s, &ann, "/agents", "limit=4&email=5%40AGENTS.EXAMPLE").await,
        expected
    );
}

#[tokio::test]
async fn bird_page_tokens_are_signed_and_bound_to_their_list() {
    let s = Server::start().await;
    let ann = s.user().await;
    for i in 0..4 {
        new_agent(
            &s,
            &ann,
            &format!("Agent {i}"),
            &format!("t{i}@example.com"),
        )
        .await;
    }
    let r = get(&s, &ann, "/agents?limit=2").await;
    let token = r.body["nextPageToken"].as_str().unwrap().to_owned();
    assert_eq!(
        get(&s, &ann, &format!("/agents?limit=2&pageToken={token}"))
            .await
            .status,
        200
    );

    // Altered: every position changed in turn.
    for i in 0..token.len() {
        let mut chars: Vec<char> = token.chars().collect();
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        let altered: String = chars.into_iter().collect();
        let r = get(&s, &ann, &format!("/agents?limit=2&pageToken={altered}")).await;
        assert_bad_token(&r, &format!("altered at {i}"));
    }
    // Truncated.
    for cut in [1, 5, token.len() / 2] {
        let r = get(
            &s,
            &ann,
            &format!("/agents?pageToken={}", &token[..token.len() - cut]),
        )
        .await;
        assert_bad_token(&r, "truncated");
    }
    // Forged: a well-formed position without the server's signature, and the old offset form.
    let forged = URL_SAFE_NO_PAD
        .encode(br#"{"r":1,"w":0,"c":0,"n":"","u":0}0123456789abcdef0123456789abcdef"#);
    assert_bad_token(
        &get(&s, &ann, &format!("/agents?pageToken={forged}")).await,
        "forged",
    );
    let offset = URL_SAFE_NO_PAD.encode("offset:2");
    assert_bad_token(
        &get(&s, &ann, &format!("/agents?pageToken={offset}")).await,
        "offset",
    );
    // Another order or direction of the same list.
    for other in ["sortBy=name", "reverse=true"] {
        let r = get(&s, &ann, &format!("/agents?{other}&pageToken={token}")).await;
        assert_bad_token(&r, other);
    }
    // Another company's token.
    let bob = s.user().await;
    for i in 0..3 {
        new_agent(&s, &bob, &format!("Bob {i}"), &format!("b{i}@example.com")).await;
    }
    let theirs = get(&s, &bob, "/agents?limit=1").await.body["nextPageToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_bad_token(
        &get(&s, &ann, &format!("/agents?pageToken={theirs}")).await,
        "other company",
    );
    // Another list's token.
    for i in 0..3 {
        let r = s
            .bird(&ann, "POST", "/teams")
            .json(json!({"name": format!("Team {i}"), "description": "d"}))
            .send()
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let teams = get(&s, &ann, "/teams?limit=1").await.body["nextPageToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_bad_token(
        &get(&s, &ann, &format!("/agents?pageToken={teams}")).await,
        "team token",
    );
    assert_bad_token(
        &get(&s, &ann, &format!("/teams?pageToken={token}")).await,
        "agent token",
    );
    for path in ["/inbox/skills", "/inbox/capacity"] {
        assert_bad_token(
            &get(&s, &ann, &format!("{path}?pageToken={token}")).await,
            path,
        );
    }
    // Not written as a token at all: a validation error.
    assert_eq!(get(&s, &ann, "/agents?pageToken=a+b").await.status, 422);
    let long = "A".repeat(8001);
    assert_eq!(
        get(&s, &ann, &format!("/agents?pageToken={long}"))
            .await
            .status,
        422
    );
}

#[tokio::test]
async fn bird_assigned_count_order_follows_work_opened_and_closed() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    let wf = s.core.workforce();
    let co = ann.user.company_id;
    let mut agents = Vec::new();
    for i in 0..3 {
        clock.advance(1);
        let a = new_agent(&s, &ann, &format!("W{i}"), &format!("w{i}@example.com")).await;
        agents.push(a["id"].as_str().unwrap().to_owned());
    }
    let user = |i: usize| UserId::from_uuid(&agents[i]).unwrap();
    let order = || async { ids(&get(&s, &ann, "/agents?sortBy=assignedCount&limit=100").await) };
    let me = ann.user.id.to_uuid();
    assert_eq!(
        order().await,
        [
            me.clone(),
            agents[0].clone(),
            agents[1].clone(),
            agents[2].clone()
        ]
    );
    let a0 = wf
        .open_work_item(co, user(0), WorkChannel::Messaging)
        .await
        .unwrap();
    let a0b = wf
        .open_work_item(co, user(0), WorkChannel::Email)
        .await
        .unwrap();
    wf.open_work_item(co, user(1), WorkChannel::Email)
        .await
        .unwrap();
    assert_eq!(
        order().await,
        [
            me.clone(),
            agents[2].clone(),
            agents[1].clone(),
            agents[0].clone()
        ]
    );
    wf.close_work_item(co, a0.id).await.unwrap();
    wf.close_work_item(co, a0b.id).await.unwrap();
    assert_eq!(
        order().await,
        [
            me.clone(),
            agents[0].clone(),
            agents[2].clone(),
            agents[1].clone()
        ]
    );
    // Closing twice, or another company's item, changes nothing.
    assert!(wf.close_work_item(co, a0.id).await.is_err());
    let bob = s.user().await;
    let theirs = wf
        .open_work_item(bob.user.company_id, bob.user.id, WorkChannel::Email)
        .await
        .unwrap();
    assert!(wf.close_work_item(co, theirs.id).await.is_err());
    assert!(wf
        .open_work_item(co, bob.user.id, WorkChannel::Email)
        .await
        .is_err());
    let r = get(&s, &bob, "/agents?sortBy=assignedCount").await;
    assert_eq!(
        r.body["results"][0]["workload"]["workload"],
        json!({"messaging": 0, "email": 1, "voice": 0})
    );
    // The status order puts active agents first, then by open work.
    let r = s
        .bird(
            &ann,
            "PATCH",
            &format!("/agents/{}/availability", agents[1]),
        )
        .json(json!({"status": "active"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = get(&s, &ann, "/agents?sortBy=statusAssignedCount&limit=100").await;
    assert_eq!(
        ids(&r),
        [agents[1].clone(), me, agents[0].clone(), agents[2].clone()]
    );
}

#[tokio::test]
async fn bird_agent_total_follows_creates_and_removes() {
    let s = Server::start().await;
    let ann = s.user().await;
    let total = |r: Resp| r.body["total"].clone();
    assert_eq!(total(get(&s, &ann, "/agents").await), 1);
    let mut made = Vec::new();
    for i in 0..3 {
        let a = new_agent(&s, &ann, &format!("T{i}"), &format!("tot{i}@example.com")).await;
        made.push(a["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(total(get(&s, &ann, "/agents").await), 4);
    // A user made outside the agent API is an agent too.
    let carl = s.user_in(ann.user.company_id, false).await;
    assert_eq!(total(get(&s, &ann, "/agents").await), 5);
    let r = s
        .bird(&ann, "DELETE", &format!("/agents/{}", made[0]))
        .send()
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    // Removing twice counts once.
    let r = s
        .bird(&ann, "DELETE", &format!("/agents/{}", made[0]))
        .send()
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = get(&s, &ann, "/agents?limit=100").await;
    assert_eq!(r.body["total"], 4);
    assert_eq!(ids(&r).len(), 4);
    assert!(!ids(&r).contains(&made[0]));
    // Making the removed user an agent again counts it again; an update does not.
    let r = s
        .bird(&ann, "POST", "/agents")
        .json(json!({"userId": made[0]}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = s
        .bird(
            &ann,
            "PATCH",
            &format!("/agents/{}", carl.user.id.to_uuid()),
        )
        .json(json!({"name": "Carl"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(total(get(&s, &ann, "/agents").await), 5);
    // Another workspace's agents are not counted.
    let bob = s.user().await;
    assert_eq!(total(get(&s, &bob, "/agents").await), 1);
    assert_eq!(total(get(&s, &ann, "/agents?name=carl").await), 1);
}

#[tokio::test]
async fn bird_team_skill_and_rule_lists_page_by_keyset() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    let mut teams = Vec::new();
    let mut skills = Vec::new();
    let mut rules = Vec::new();
    for i in 0..7 {
        clock.advance(1);
        // Team names out of creation order.
        let name = format!("Team {}", (i * 3) % 7);
        let r = s
            .bird(&ann, "POST", "/teams")
            .json(json!({"name": name, "description": "d", "members": [{"type": "user", "id": ann.user.id.to_uuid()}]}))
            .send()
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        teams.push((name, r.body["id"].as_str().unwrap().to_owned()));
        let r = s
            .bird(&ann, "POST", "/inbox/skills")
            .json(json!({"name": format!("Skill {i}"), "description": "d", "valueType": "boolean", "values": []}))
            .send()
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        skills.push(r.body["id"].as_str().unwrap().to_owned());
        let r = s
            .bird(&ann, "POST", "/inbox/capacity")
            .json(json!({"name": format!("Rule {i}"), "description": "d", "capacity": {"messaging": 1, "email": 1}}))
            .send()
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        rules.push(r.body["id"].as_str().unwrap().to_owned());
    }
    teams.sort();
    let teams: Vec<String> = teams.into_iter().map(|(_, id)| id).collect();
    for (path, expected) in [
        ("/teams", &teams),
        ("/inbox/skills", &skills),
        ("/inbox/capacity", &rules),
    ] {
        assert_eq!(&walk(&s, &ann, path, "limit=2").await, expected, "{path}");
        let mut back = expected.clone();
        back.reverse();
        assert_eq!(
            walk(&s, &ann, path, "limit=3&reverse=true").await,
            back,
            "{path}"
        );
    }
    let r = get(&s, &ann, "/teams?limit=2").await;
    assert_eq!(r.body["total"], 7);
    assert_eq!(r.body["results"][0]["activeMemberCount"], Value::from(1));
}

#[tokio::test]
async fn bird_status_change_filters_follow_a_lapsed_activity() {
    // Someone who never changed status: the last change is the presence's last update, which
    // moves to the moment an activity lapses (as the availability read shows it).
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    clock.advance(5);
    let bob = new_agent(&s, &ann, "Bob", "bob@example.com").await;
    let bob = bob["id"].as_str().unwrap().to_owned();
    clock.advance(5);
    let r = s
        .bird(&ann, "PATCH", &format!("/agents/{bob}/availability"))
        .json(json!({"status": "away", "activity": "lunch", "activityTtl": 60}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["lastStatusSet"], Value::Null);
    let set_at = r.body["updatedAt"].as_str().unwrap().to_owned();
    let since = |t: &str| format!("/agents?lastStatusActivitySince={t}");
    let upto = |t: &str| format!("/agents?lastStatusActivityUpto={t}");
    assert_eq!(ids(&get(&s, &ann, &since(&set_at)).await), [bob.as_str()]);
    clock.advance(61);
    let a = get(&s, &ann, &format!("/agents/{bob}/availability")).await;
    let lapsed_at = a.body["updatedAt"].as_str().unwrap().to_owned();
    assert_ne!(lapsed_at, set_at);
    assert_eq!(
        ids(&get(&s, &ann, &since(&lapsed_at)).await),
        [bob.as_str()]
    );
    // Before the lapse only Ann (who never set a presence: her creation) is at or before it.
    let r = get(&s, &ann, &upto(&set_at)).await;
    assert_eq!(ids(&r), [ann.user.id.to_uuid()]);
    assert_eq!(r.body["total"], 1);
}

#[tokio::test]
async fn bird_all_agents_pages_by_keyset_and_answers_every_agent_without_paging() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    // More than one internal step of 100.
    for i in 0..104 {
        clock.advance(1);
        new_agent(
            &s,
            &ann,
            &format!("Agent {i:03}"),
            &format!("all{i}@example.com"),
        )
        .await;
    }
    let listed = walk(&s, &ann, "/agents", "limit=100").await;
    assert_eq!(listed.len(), 105);

    let all = get(&s, &ann, "/all-agents").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(ids(&all), listed, "every agent, oldest first");
    assert!(all.body.get("nextPageToken").is_none());

    // Extension: paged like the other lists, in both directions.
    assert_eq!(walk(&s, &ann, "/all-agents", "limit=7").await, listed);
    let mut newest_first = listed.clone();
    newest_first.reverse();
    assert_eq!(
        walk(&s, &ann, "/all-agents", "limit=10&reverse=true").await,
        newest_first
    );
    let page = get(&s, &ann, "/all-agents?limit=3").await;
    assert_eq!(ids(&page), listed[..3]);
    let token = page.body["nextPageToken"].as_str().unwrap().to_owned();

    // A token of another list, another order or altered is 400; a bad limit is 422.
    let agents_token = get(&s, &ann, "/agents?limit=3").await.body["nextPageToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = get(
        &s,
        &ann,
        &format!("/all-agents?limit=3&pageToken={agents_token}"),
    )
    .await;
    assert_bad_token(&r, "a token of /agents");
    let r = get(
        &s,
        &ann,
        &format!("/all-agents?limit=3&reverse=true&pageToken={token}"),
    )
    .await;
    assert_bad_token(&r, "a token of the other direction");
    let mut chars: Vec<char> = token.chars().collect();
    chars[5] = if chars[5] == 'A' { 'B' } else { 'A' };
    let altered: String = chars.into_iter().collect();
    let r = get(
        &s,
        &ann,
        &format!("/all-agents?limit=3&pageToken={altered}"),
    )
    .await;
    assert_bad_token(&r, "altered");
    let other = s.user().await;
    let r = get(
        &s,
        &other,
        &format!("/all-agents?limit=3&pageToken={token}"),
    )
    .await;
    assert_bad_token(&r, "another workspace's token");
    assert_eq!(get(&s, &ann, "/all-agents?limit=0").await.status, 422);
}
