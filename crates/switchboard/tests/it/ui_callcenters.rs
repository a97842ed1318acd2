//! The dashboard's call centers and calls over HTTP: a company key (or a company admin) sees
//! the company's call centers and each one live — callers waiting, operators on duty, calls
//! today — with the routing preview; the live figures stream as server-sent events when they
//! change; the calls list and a call's journey. Plain users and other companies see none of it.

use reqwest::StatusCode;
use serde_json::json;

use crate::calls_kit::*;
use crate::dialpad_kit::{company, new_user};
use crate::ui::Browser;

/// The figure `field` as the page shows it.
fn figure(html: &str, field: &str) -> String {
    let marker = format!("data-live=\"{field}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {field} on {html}"))
        + marker.len();
    html[start..][..html[start..].find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn a_call_center_live_with_its_queue_and_routing_preview() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let mut b = Browser::new(&s);
    let page = b.sign_in(&c.company_key).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = b.get("/ui").await;
    assert_eq!(page.location.as_deref(), Some("/ui/callcenters"));
    let page = b.get("/ui/callcenters").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains(&format!("/ui/callcenters/{cc}")));

    let path = format!("/ui/callcenters/{cc}");
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(figure(&page.html, "waiting"), "0");
    assert_eq!(figure(&page.html, "on_duty"), "1");
    assert_eq!(figure(&page.html, "available"), "1");
    let (duty, on_call) = (format!("op_{}_duty", ops[0]), format!("op_{}_call", ops[0]));
    assert_eq!(figure(&page.html, &duty), "on duty, available");
    assert_eq!(figure(&page.html, &on_call), "none");
    assert!(
        page.html.contains("rings in wave 1"),
        "the one operator is next: {}",
        page.html
    );

    // One call answered, a second one waits.
    let first = dial(&s, &c, "+12125550123", &number).await;
    answer(&s, &c, ops[0]).await;
    advance(&s, &c, 5).await;
    let second = dial(&s, &c, "+12125550124", &number).await;
    assert_eq!(call_state(&s, &c, second).await, "queued");
    advance(&s, &c, 30).await;
    let page = b.get(&path).await;
    assert_eq!(figure(&page.html, "waiting"), "1");
    assert_eq!(figure(&page.html, "longest_wait"), "0:30");
    assert_eq!(figure(&page.html, "calls_today"), "2");
    assert_eq!(figure(&page.html, "available"), "0");
    assert!(page.html.contains("not rung: "), "{}", page.html);
    // The duty state is the operator's own setting; the call is beside it.
    assert_eq!(figure(&page.html, &duty), "on duty, available");
    assert_eq!(
        figure(&page.html, &on_call),
        "connected inbound with +12125550123"
    );

    // The live stream starts with the figures as they are.
    let live = b
        .with_cookie(reqwest::Client::new().get(format!("{}{path}/live", s.base)))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    assert_eq!(
        live.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut live = live;
    let chunk = live.chunk().await.unwrap().unwrap();
    let text = String::from_utf8_lossy(&chunk);
    assert!(text.starts_with("event: status"), "{text}");
    assert!(text.contains("\"waiting\":\"1\""), "{text}");
    assert!(
        text.contains(&format!(
            "\"{on_call}\":\"connected inbound with +12125550123\""
        )),
        "{text}"
    );
    drop(live);

    // The first caller hangs up: the operator is offered the waiting call and answers it.
    let r = sim(
        &s,
        &c,
        &format!("/calls/{first}/hangup"),
        json!({"side": "external"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    answer(&s, &c, ops[0]).await;
    let page = b.get(&path).await;
    assert_eq!(figure(&page.html, "waiting"), "0");
    assert_eq!(call_state(&s, &c, second).await, "connected");
    // Answered calls are counted as they end: the first so far.
    assert_eq!(figure(&page.html, "answered_today"), "1");

    // Both calls in the list, newest first; the first one's journey.
    let page = b.get("/ui/calls").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let (at_second, at_first) = (
        page.html.find(&format!("/ui/calls/{second}\"")).unwrap(),
        page.html.find(&format!("/ui/calls/{first}\"")).unwrap(),
    );
    assert!(at_second < at_first, "newest first");
    let page = b.get("/ui/calls?ended=on").await;
    assert!(page.html.contains(&format!("/ui/calls/{first}\"")));
    assert!(!page.html.contains(&format!("/ui/calls/{second}\"")));
    let page = b.get("/ui/calls?from=1999-01-01&to=1999-01-02").await;
    assert!(page.html.contains("No calls."), "{}", page.html);
    let page = b.get("/ui/calls?from=yesterday").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);

    let page = b.get(&format!("/ui/calls/{first}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html.contains("Call from +12125550123"),
        "{}",
        page.html
    );
    assert!(page.html.contains(&format!("operator (user {})", ops[0])));
    assert!(page.html.contains("hangup (answered)"), "{}", page.html);
    assert!(page.html.contains("connected "), "{}", page.html);
    // An operator's leg leads to the same journey.
    let r = dp_call(&s, &c, first).await;
    let operator_leg = r["operator_call_id"].as_i64().unwrap();
    let again = b.get(&format!("/ui/calls/{operator_leg}")).await;
    assert!(again.html.contains("Call from +12125550123"));
}

async fn dp_call(
    s: &crate::kit::Server,
    c: &crate::dialpad_kit::Company,
    id: i64,
) -> serde_json::Value {
    let r = crate::dialpad_kit::dp(s, "GET", &format!("/call/{id}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

#[tokio::test]
async fn call_centers_are_for_the_companys_admins_only() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let ops = operators(&s, &c, 1).await;
    let (cc, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let other = company(&s, "Other").await;
    let plain = new_user(&s, &c, "plain@acme.example", json!({})).await;
    let plain_key = s
        .core
        .tenancy()
        .create_user_key(switchboard_domain::ids::UserId(plain))
        .await
        .unwrap()
        .secret;

    let mut b = Browser::new(&s);
    b.sign_in(&other.company_key).await;
    let call = dial(&s, &c, "+12125550123", &number).await;
    for path in [
        format!("/ui/callcenters/{cc}"),
        format!("/ui/callcenters/{cc}/live"),
        "/ui/callcenters/nope".to_owned(),
        format!("/ui/calls/{call}"),
        "/ui/calls/nope".to_owned(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.html.contains("Support"), "{}", page.html);
    }
    let mut b = Browser::new(&s);
    b.sign_in(&plain_key).await;
    assert_eq!(b.get("/ui/callcenters").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        b.get(&format!("/ui/callcenters/{cc}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(b.get("/ui/calls").await.status, StatusCode::FORBIDDEN);
}
