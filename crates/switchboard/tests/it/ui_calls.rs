//! The dashboard's calls list filtered by direction, state, target and the outside party's
//! number (as the viewer writes it), each alone and together, on pages whose next-page links
//! keep the filters; bad values are shown beside their field (400) and list nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::calls_kit::*;
use crate::dialpad_kit::dp;
use crate::ui::Browser;

/// The ids of the calls a list page links to, in order.
fn listed(html: &str) -> Vec<i64> {
    html.split("href=\"/ui/calls/")
        .skip(1)
        .filter_map(|rest| rest[..rest.find('"')?].parse().ok())
        .collect()
}

#[tokio::test]
async fn the_calls_list_filters_by_direction_state_target_and_number() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "646").await;
    // An answered inbound call that has ended, and one still ringing.
    let answered = dial(&s, &c, "+12125550123", &number).await;
    answer(&s, &c, ops[0]).await;
    advance(&s, &c, 5).await;
    caller_hangs_up(&s, &c, answered).await;
    advance(&s, &c, 5).await;
    let ringing = dial(&s, &c, "+12125550199", &number).await;
    advance(&s, &c, 5).await;
    // An outbound call from Ann to the first caller's number.
    let r = dp(
        &s,
        "POST",
        "/call",
        &c.company_key,
        Some(json!({"user_id": ann, "phone_number": "+12125550123"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let outbound = r.body["call_id"].as_i64().unwrap();

    let mut b = Browser::new(&s);
    b.sign_in(&c.company_key).await;
    let entry_legs = |html: &str| {
        listed(html)
            .into_iter()
            .filter(|id| [answered, ringing, outbound].contains(id))
            .collect::<Vec<_>>()
    };
    let page = b.get("/ui/calls").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(entry_legs(&page.html), [outbound, ringing, answered]);
    // Targets by name.
    assert!(
        page.html.contains("<td>call center Support</td>"),
        "{}",
        page.html
    );

    let page = b.get("/ui/calls?direction=outbound").await;
    assert_eq!(listed(&page.html), [outbound], "{}", page.html);
    let page = b.get("/ui/calls?direction=inbound").await;
    assert_eq!(entry_legs(&page.html), [ringing, answered]);
    // The outside party's number, written as people write it.
    let page = b.get("/ui/calls?number=%28212%29+555-0123").await;
    assert_eq!(
        page.status,
        StatusCode::BAD_REQUEST,
        "a local form needs its country"
    );
    let page = b.get("/ui/calls?number=%2B1+212-555-0123").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(entry_legs(&page.html), [outbound, answered]);
    let page = b
        .get("/ui/calls?number=%2B12125550123&direction=inbound")
        .await;
    assert_eq!(entry_legs(&page.html), [answered]);
    let page = b.get("/ui/calls?state=ringing").await;
    assert_eq!(entry_legs(&page.html), [ringing], "{}", page.html);
    let page = b.get("/ui/calls?state=hangup").await;
    assert_eq!(entry_legs(&page.html), [answered]);
    let page = b.get(&format!("/ui/calls?target=call_center:{cc}")).await;
    assert_eq!(listed(&page.html), [ringing, answered], "{}", page.html);
    assert!(
        page.html
            .contains(&format!("<option value=\"call_center:{cc}\" selected>")),
        "{}",
        page.html
    );
    let page = b.get(&format!("/ui/calls?target=user:{ann}")).await;
    assert_eq!(listed(&page.html), [outbound]);

    // Bad values: each beside its field, 400, nothing listed.
    for (query, field) in [
        ("direction=sideways", "direction"),
        ("state=asleep", "state"),
        ("target=call_center:nope", "target"),
        ("target=planet:3", "target"),
        ("number=call+me", "number"),
        ("from=yesterday", "from"),
    ] {
        let page = b.get(&format!("/ui/calls?{query}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            page.html.contains(&format!("id=\"{field}-error\"")),
            "{query}: {}",
            page.html
        );
        assert!(page
            .html
            .contains(&format!("aria-describedby=\"{field}-error\"")));
        assert!(listed(&page.html).is_empty(), "{query}");
    }
}

#[tokio::test]
async fn next_pages_keep_the_filters_and_their_cursor_is_good_for_that_list_only() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let mut calls = Vec::new();
    for i in 0..27 {
        calls.push(dial(&s, &c, &format!("+121255501{i:02}"), &number).await);
        advance(&s, &c, 1).await;
    }
    let mut b = Browser::new(&s);
    b.sign_in(&c.company_key).await;
    let page = b
        .get(&format!(
            "/ui/calls?direction=inbound&target=call_center:{cc}"
        ))
        .await;
    let first = listed(&page.html);
    assert_eq!(first.len(), 25);
    let next = page
        .html
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a next page")
        .replace("&amp;", "&");
    assert!(
        next.contains("direction=inbound") && next.contains(&format!("target=call_center%3A{cc}")),
        "{next}"
    );
    let page = b.get(&next).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let mut all = first;
    all.extend(listed(&page.html));
    calls.reverse();
    assert_eq!(all, calls, "every caller's leg once, newest first");
    // The token is sealed to its filters: with others it is refused.
    let other = next.replace("direction=inbound", "direction=outbound");
    assert_eq!(b.get(&other).await.status, StatusCode::BAD_REQUEST);
    let forged = format!("{}x", next);
    assert_eq!(b.get(&forged).await.status, StatusCode::BAD_REQUEST);
}
