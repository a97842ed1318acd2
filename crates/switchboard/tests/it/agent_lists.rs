//! The agents a user sees are their own and the ones others shared with them: one list, merged
//! in order, whose total is kept by the writes (create, share, re-share, unshare, delete).

use std::sync::Arc;

use serde_json::json;
use switchboard_domain::OffsetClock;

use crate::kit::{Server, TestUser};

async fn share(s: &Server, owner: &TestUser, id: &str, with: &TestUser, rights: &[&str]) {
    let r = s
        .dg(owner, "POST", &format!("/agents/{id}/shares"))
        .json(json!({"email": with.user.email.as_str(), "rights": rights}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

/// Every agent id of the user's Dialgood list, walked two at a time, and the total it reports.
async fn dialgood_list(s: &Server, u: &TestUser) -> (Vec<String>, u64) {
    let mut ids = Vec::new();
    let mut total = None;
    for skip in (0..40).step_by(2) {
        let r = s
            .dg(u, "GET", &format!("/agents?limit=2&skip={skip}"))
            .send()
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let t = r.body["totalCount"].as_u64().unwrap();
        assert_eq!(
            *total.get_or_insert(t),
            t,
            "the total does not change between pages"
        );
        let page = r.body["agents"].as_array().unwrap();
        if page.is_empty() {
            break;
        }
        ids.extend(
            page.iter()
                .map(|a| a["agentId"].as_str().unwrap().to_owned()),
        );
    }
    (ids, total.unwrap())
}

#[tokio::test]
async fn totals_follow_creates_shares_and_deletes_and_pages_merge_owned_with_shared() {
    // A second between creations, so the oldest-first order does not hang on ties.
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let me = s.user().await;
    let other = s.user().await;
    let mut mine = Vec::new();
    for name in ["m1", "m2", "m3"] {
        mine.push(s.agent(&me, name).await);
        clock.advance(1);
    }
    let theirs_a = s.agent(&other, "t1").await;
    clock.advance(1);
    let theirs_b = s.agent(&other, "t2").await;
    clock.advance(1);
    let late = s.agent(&me, "m4").await;

    assert_eq!(dialgood_list(&s, &me).await.1, 4);
    share(&s, &other, &theirs_a, &me, &["view"]).await;
    share(&s, &other, &theirs_b, &me, &["view"]).await;
    // Sharing again changes the rights, not the count.
    share(&s, &other, &theirs_a, &me, &["view", "agents"]).await;

    let (ids, total) = dialgood_list(&s, &me).await;
    assert_eq!(total, 6);
    // Oldest first across both kinds: the shared agents were created between m3 and m4.
    let mut expected = mine.clone();
    expected.extend([theirs_a.clone(), theirs_b.clone(), late.clone()]);
    assert_eq!(ids, expected);
    assert_eq!(dialgood_list(&s, &other).await.1, 2);

    let r = s
        .dg(
            &other,
            "DELETE",
            &format!("/agents/{theirs_b}/shares/{}", me.user.id),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(dialgood_list(&s, &me).await.1, 5);

    // Deleting a shared agent takes it out of every list that showed it.
    let r = s
        .dg(&other, "DELETE", &format!("/agents/{theirs_a}"))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (ids, total) = dialgood_list(&s, &me).await;
    assert_eq!((ids.len(), total), (4, 4));
    assert_eq!(dialgood_list(&s, &other).await.1, 1);

    let r = s
        .dg(&me, "DELETE", &format!("/agents/{}", mine[0]))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (ids, total) = dialgood_list(&s, &me).await;
    assert_eq!(total, 3);
    assert_eq!(ids, [mine[1].clone(), mine[2].clone(), late]);
}

#[tokio::test]
async fn callin_pages_by_name_merge_owned_and_shared_agents() {
    let s = Server::start().await;
    let me = s.user().await;
    let other = s.user().await;
    for name in ["delta", "Alpha", "echo"] {
        s.callin_agent(&me, name).await;
    }
    for name in ["bravo", "Charlie"] {
        let id = s.callin_agent(&other, name).await;
        share(&s, &other, &id, &me, &["view"]).await;
    }
    s.callin_agent(&other, "not shared").await;

    let mut names = Vec::new();
    let mut path = "/agents?limit=1&sortBy=name&sortDirection=asc".to_owned();
    for _ in 0..10 {
        let r = s.cl(&me, "GET", &path).send().await;
        assert_eq!(r.status, 200, "{}", r.text);
        names.extend(
            r.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["name"].as_str().unwrap().to_owned()),
        );
        match r.body["pagination"]["nextCursor"].as_str() {
            Some(c) => path = format!("/agents?limit=1&sortBy=name&sortDirection=asc&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(names, ["Alpha", "bravo", "Charlie", "delta", "echo"]);
}
