//! Callin agent lists: the name filter, both sorts in both directions, and cursors that page
//! exactly through ties.

use serde_json::{json, Value};

use crate::kit::{Server, TestUser};

/// Walks every page of `query` and returns the agent ids in order.
async fn walk(s: &Server, u: &TestUser, query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut path = format!("/agents?{query}");
    for _ in 0..50 {
        let r = s.cl(u, "GET", &path).send().await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        for item in r.body["data"].as_array().unwrap() {
            out.push(item["agentId"].as_str().unwrap().to_owned());
        }
        let p = &r.body["pagination"];
        match p["nextCursor"].as_str() {
            Some(cursor) => {
                assert_eq!(p["hasMore"], true);
                path = format!("/agents?{query}&cursor={cursor}");
            }
            None => {
                assert_eq!(p["hasMore"], false);
                return out;
            }
        }
    }
    panic!("paging did not end");
}

fn sorted_numeric(mut ids: Vec<String>, desc: bool) -> Vec<String> {
    ids.sort_by_key(|id| id.parse::<i64>().unwrap());
    if desc {
        ids.reverse();
    }
    ids
}

#[tokio::test]
async fn callin_list_shape_defaults_and_visibility() {
    let s = Server::start().await;
    let u = s.user().await;
    let other = s.user().await;
    let shared = s.agent(&other, "Shared To Me").await;
    let own = s.callin_agent(&u, "Own").await;
    // Newer by a clear margin, so the order does not depend on the clock's resolution.
    s.raw_texts(&format!(
        "UPDATE ai_agents SET created_at = created_at + 1000 WHERE id = {own}"
    ))
    .await;
    s.agent(&other, "Not Mine").await;
    let r = s
        .dg(&other, "POST", &format!("/agents/{shared}/shares"))
        .json(json!({"userId": u.user.id.to_string(), "rights": ["view"]}))
        .send()
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    s.cl(&u, "PATCH", &format!("/agents/{own}"))
        .json(json!({"tags": ["a", "b"]}))
        .send()
        .await;

    let list = s.cl(&u, "GET", "/agents").send().await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.body["success"], true);
    assert_eq!(
        list.body["pagination"],
        json!({"pageSize": 30, "hasMore": false, "nextCursor": null,
               "sortBy": "created_at", "sortDirection": "desc"})
    );
    let data = list.body["data"].as_array().unwrap();
    let ids: Vec<_> = data
        .iter()
        .map(|a| a["agentId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [own.as_str(), shared.as_str()],
        "newest first, owned and shared"
    );
    let item = &data[0];
    let keys: Vec<_> = item.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["agentId", "name", "tags", "metadata"]);
    assert_eq!(item["tags"], json!(["a", "b"]));
    let meta = &item["metadata"];
    assert_eq!(meta["createdBy"]["userEmail"], u.user.email.as_str());
    assert!(meta["createdAt"].is_string() && meta["updatedAt"].is_string());
    assert_eq!(
        data[1]["metadata"]["createdBy"]["userId"],
        other.user.id.to_string()
    );
    assert_eq!(data[1]["tags"], json!([]));
}

#[tokio::test]
async fn callin_list_filters_names_case_insensitively_and_literally() {
    let s = Server::start().await;
    let u = s.user().await;
    for name in [
        "Alpha Sales",
        "alpha support",
        "Beta",
        "100% Pure",
        "a_b",
        "axb",
    ] {
        s.callin_agent(&u, name).await;
    }
    let names = |r: &Value| -> Vec<String> {
        let mut v: Vec<String> = r["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect();
        v.sort();
        v
    };
    for (q, want) in [
        ("ALPHA", vec!["Alpha Sales", "alpha support"]),
        ("pHa s", vec!["Alpha Sales", "alpha support"]),
        ("%25", vec!["100% Pure"]),
        ("_", vec!["a_b"]),
        ("zzz", vec![]),
    ] {
        let r = s.cl(&u, "GET", &format!("/agents?name={q}")).send().await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(names(&r.body), want, "name={q}");
    }
}

#[tokio::test]
async fn callin_list_sorts_by_name_case_insensitively_both_ways() {
    let s = Server::start().await;
    let u = s.user().await;
    for name in ["bravo", "Alpha", "charlie", "Delta"] {
        s.callin_agent(&u, name).await;
    }
    let r = s
        .cl(&u, "GET", "/agents?sortBy=name&sortDirection=asc")
        .send()
        .await;
    let names: Vec<_> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alpha", "bravo", "charlie", "Delta"]);
    assert_eq!(r.body["pagination"]["sortBy"], "name");
    assert_eq!(r.body["pagination"]["sortDirection"], "asc");
    let r = s.cl(&u, "GET", "/agents?sortBy=name").send().await;
    assert_eq!(r.body["data"][0]["name"], "Delta", "desc by default");
}

#[tokio::test]
async fn callin_cursors_page_exactly_through_tied_names_and_times() {
    let s = Server::start().await;
    let u = s.user().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let name = if i == 6 { "Zed" } else { "Same" };
        ids.push(s.callin_agent(&u, name).await);
    }
    // Every name but one ties: name order falls back to the id.
    let same: Vec<String> = ids[..6].to_vec();
    let asc = walk(&s, &u, "sortBy=name&sortDirection=asc&pageSize=2").await;
    let mut want = sorted_numeric(same.clone(), false);
    want.push(ids[6].clone());
    assert_eq!(asc, want);
    let desc = walk(&s, &u, "sortBy=name&sortDirection=desc&pageSize=4").await;
    let mut want = vec![ids[6].clone()];
    want.extend(sorted_numeric(same, true));
    assert_eq!(desc, want);

    // Every creation time ties too.
    s.raw_texts("UPDATE ai_agents SET created_at = 1700000000000")
        .await;
    let by_time = walk(&s, &u, "sortBy=created_at&sortDirection=desc&pageSize=3").await;
    assert_eq!(by_time, sorted_numeric(ids.clone(), true));
    let by_time = walk(&s, &u, "pageSize=1&sortDirection=asc").await;
    assert_eq!(by_time, sorted_numeric(ids.clone(), false));

    // The cursor carries its order: the follow-up request may omit it, not contradict it.
    let first = s
        .cl(
            &u,
            "GET",
            "/agents?sortBy=name&sortDirection=asc&pageSize=2",
        )
        .send()
        .await;
    let cursor = first.body["pagination"]["nextCursor"].as_str().unwrap();
    let next = s
        .cl(&u, "GET", &format!("/agents?cursor={cursor}&pageSize=2"))
        .send()
        .await;
    assert_eq!(next.status, 200);
    assert_eq!(next.body["pagination"]["sortBy"], "name");
    let clash = s
        .cl(
            &u,
            "GET",
            &format!("/agents?cursor={cursor}&sortBy=created_at"),
        )
        .send()
        .await;
    assert_eq!(clash.status, 400, "{}", clash.text);
    assert_eq!(clash.body["success"], false);

    // An agent deleted between pages does not disturb the rest.
    let page = s
        .cl(
            &u,
            "GET",
            "/agents?sortBy=name&sortDirection=asc&pageSize=3",
        )
        .send()
        .await;
    let last = page.body["data"][2]["agentId"].as_str().unwrap();
    let cursor = page.body["pagination"]["nextCursor"].as_str().unwrap();
    s.cl(&u, "DELETE", &format!("/agents/{last}")).send().await;
    let rest = s
        .cl(&u, "GET", &format!("/agents?cursor={cursor}&pageSize=10"))
        .send()
        .await;
    assert_eq!(rest.body["data"].as_array().unwrap().len(), 4);
}

/// A Callin error answer: the status, `success: false` and the `invalid_request` code.
fn assert_bad_cursor(r: &crate::kit::Resp, what: &str) {
    assert_eq!(r.status, 400, "{what}: {}", r.text);
    assert_eq!(r.body["success"], false, "{what}: {}", r.text);
    assert_eq!(
        r.body["error"]["code"], "invalid_request",
        "{what}: {}",
        r.text
    );
    assert!(r.body["error"]["message"].is_string(), "{what}: {}", r.text);
    assert!(r.body.get("data").is_none(), "{what}: no rows");
}

#[tokio::test]
async fn callin_cursors_are_signed_and_bound_to_their_user() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    let s = Server::start().await;
    let ann = s.user().await;
    let colleague = s.user_in(ann.user.company_id, true).await;
    let stranger = s.user().await;
    for i in 0..3 {
        s.callin_agent(&ann, &format!("Ann {i}")).await;
    }
    let theirs = s.callin_agent(&stranger, "Stranger's").await;
    s.callin_agent(&stranger, "Stranger's too").await;
    let first = s
        .cl(
            &ann,
            "GET",
            "/agents?sortBy=name&sortDirection=asc&pageSize=1",
        )
        .send()
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let token = first.body["pagination"]["nextCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let follow = s
        .cl(&ann, "GET", &format!("/agents?cursor={token}&pageSize=5"))
        .send()
        .await;
    assert_eq!(follow.status, 200, "{}", follow.text);
    assert_eq!(follow.body["data"].as_array().unwrap().len(), 2);

    // A position written by hand (the unsigned form of a position), even one naming another
    // tenant's agent, is not a cursor.
    for doc in [
        format!(r#"{{"s":"name","d":"asc","k":"","i":{theirs}}}"#),
        format!(r#"{{"s":"created_at","d":"desc","k":9999999999999,"i":{theirs}}}"#),
    ] {
        let forged = URL_SAFE_NO_PAD.encode(doc);
        let r = s
            .cl(&ann, "GET", &format!("/agents?cursor={forged}"))
            .send()
            .await;
        assert_bad_cursor(&r, "forged");
    }
    // Altered (each of a few characters), truncated, extended.
    let mut variants = vec![
        token[..token.len() - 1].to_owned(),
        token[..token.len() / 2].to_owned(),
        format!("{token}A"),
    ];
    for i in [0, token.len() / 3, token.len() / 2, token.len() - 1] {
        let mut chars: Vec<char> = token.chars().collect();
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        variants.push(chars.into_iter().collect());
    }
    for v in &variants {
        let r = s
            .cl(&ann, "GET", &format!("/agents?cursor={v}"))
            .send()
            .await;
        assert_bad_cursor(&r, v);
    }
    // Another user's list, in the same company or another one, refuses Ann's cursor.
    for other in [&colleague, &stranger] {
        let r = s
            .cl(other, "GET", &format!("/agents?cursor={token}"))
            .send()
            .await;
        assert_bad_cursor(&r, "another user's cursor");
    }
}
