//! The dashboard's clients page over HTTP: a partner sees its clients (searched by name) and
//! suspends or reactivates one; a suspended client's keys, dashboard sessions included, stop
//! working at once and work again once it is reactivated. Another partner's client is not
//! found; a company key has no clients page.

use reqwest::StatusCode;
use switchboard_domain::clients::client::NewClient;
use switchboard_domain::ids::CompanyId;

use crate::kit::Server;
use crate::ui::{hidden, Browser};

async fn client(s: &Server, partner: switchboard_domain::ids::PartnerId, name: &str) -> CompanyId {
    let new = NewClient {
        name: name.into(),
        status: None,
        max_channels: None,
        text: Vec::new(),
    };
    s.core
        .partner_clients()
        .create_client(partner, new, None)
        .await
        .unwrap()
        .company
        .id
}

#[tokio::test]
async fn a_partner_suspends_and_reactivates_a_client() {
    let s = Server::start().await;
    let (partner, partner_key) = s.core.tenancy().create_partner("Reseller").await.unwrap();
    let (other, _) = s
        .core
        .tenancy()
        .create_partner("Someone else")
        .await
        .unwrap();
    let acme = client(&s, partner.id, "Acme Dental").await;
    client(&s, partner.id, "Bolt Garage").await;
    let theirs = client(&s, other.id, "Not yours").await;
    let acme_key = s
        .core
        .tenancy()
        .create_company_key(acme)
        .await
        .unwrap()
        .secret;
    let mut acme_browser = Browser::new(&s);
    assert_eq!(
        acme_browser.sign_in(&acme_key).await.status,
        StatusCode::SEE_OTHER
    );

    let mut b = Browser::new(&s);
    b.sign_in(&partner_key.secret).await;
    let page = b.get("/ui").await;
    assert_eq!(page.location.as_deref(), Some("/ui/clients"));
    let page = b.get("/ui/clients").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Acme Dental") && page.html.contains("Bolt Garage"));
    assert!(!page.html.contains("Not yours"));
    let page = b.get("/ui/clients?q=bolt").await;
    assert!(!page.html.contains("Acme Dental") && page.html.contains("Bolt Garage"));

    let form_token = hidden(&page.html, "form_token");
    let path = format!("/ui/clients/{}/status", acme.0);
    // A forged form, or a status the page does not offer, changes nothing.
    let page = b
        .post(&path, &[("form_token", "forged"), ("status", "suspended")])
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let page = b
        .post(
            &path,
            &[("form_token", &form_token), ("status", "terminated")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    // Another partner's client is not found.
    let page = b
        .post(
            &format!("/ui/clients/{}/status", theirs.0),
            &[("form_token", &form_token), ("status", "suspended")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        acme_browser.get("/ui/callcenters").await.status,
        StatusCode::OK
    );

    let page = b
        .post(
            &path,
            &[("form_token", &form_token), ("status", "suspended")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = b.get(page.location.as_deref().unwrap()).await;
    assert!(
        page.html.contains("Acme Dental is now suspended."),
        "{}",
        page.html
    );
    assert!(page.html.contains("aria-label=\"Reactivate Acme Dental\""));
    // The client's key and its session stop working at once.
    let page = acme_browser.get("/ui/callcenters").await;
    assert_eq!(page.location.as_deref(), Some("/ui/login"));
    let r = s
        .req("GET", "/api/v2/company")
        .header("authorization", &format!("Bearer {acme_key}"))
        .send()
        .await;
    assert_eq!(r.status, 401, "{}", r.text);

    let page = b
        .post(&path, &[("form_token", &form_token), ("status", "active")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        acme_browser.get("/ui/callcenters").await.status,
        StatusCode::OK
    );

    // A company key has no clients page.
    assert_eq!(
        acme_browser.get("/ui/clients").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The usage figure `field` of the client named `name` on the clients page.
fn usage(html: &str, name: &str, field: &str) -> String {
    let row = &html[html
        .find(&format!("<td>{name}</td>"))
        .expect("the client's row")..];
    let marker = format!("data-field=\"{field}\">");
    let cell = &row[row.find(&marker).unwrap() + marker.len()..];
    cell[..cell.find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn a_partners_clients_show_their_usage() {
    use crate::calls_kit::*;
    use crate::dialpad_kit::company_of;
    use serde_json::json;

    let s = manual_server().await;
    let (partner, partner_key) = s.core.tenancy().create_partner("Reseller").await.unwrap();
    let acme = company_of(&s, "Acme Dental", Some(partner.id)).await;
    company_of(&s, "Bolt Garage", Some(partner.id)).await;
    let ops = operators(&s, &acme, 1).await;
    let (_, number) = call_center(&s, &acme, routing("fixedorder"), &ops, "415").await;
    // One call answered and talked for 90 s; one the caller gave up on; one still waiting.
    let talked = dial(&s, &acme, "+12125550123", &number).await;
    answer(&s, &acme, ops[0]).await;
    advance(&s, &acme, 90).await;
    caller_hangs_up(&s, &acme, talked).await;
    let gave_up = dial(&s, &acme, "+12125550124", &number).await;
    advance(&s, &acme, 5).await;
    caller_hangs_up(&s, &acme, gave_up).await;
    dial(&s, &acme, "+12125550125", &number).await;
    advance(&s, &acme, 10).await;
    // Two AI agents made, one of them deleted.
    let mut agents = Vec::new();
    for name in ["Front desk", "Night line"] {
        let r = s
            .req("POST", "/partner/v1/agents")
            .header("api_token", &acme.user_key)
            .json(json!({"agentName": name, "settings": {"language": "en"}}))
            .send()
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        agents.push(r.body["agent"]["agentId"].as_str().unwrap().to_owned());
    }
    let r = s
        .req("DELETE", &format!("/partner/v1/agents/{}", agents[0]))
        .header("api_token", &acme.user_key)
        .send()
        .await;
    assert!((200..300).contains(&r.status), "{}", r.text);

    let mut b = Browser::new(&s);
    b.sign_in(&partner_key.secret).await;
    let page = b.get("/ui/clients").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(usage(&page.html, "Acme Dental", "calls"), "3");
    // 90 s of talk; the call still waiting adds its talk once it ends.
    assert_eq!(usage(&page.html, "Acme Dental", "minutes"), "1.5");
    // The admin and the user the kit makes, and the operator.
    assert_eq!(usage(&page.html, "Acme Dental", "agents"), "3");
    assert_eq!(usage(&page.html, "Acme Dental", "ai_agents"), "1");
    for field in ["calls", "ai_agents"] {
        assert_eq!(usage(&page.html, "Bolt Garage", field), "0", "{field}");
    }
    assert_eq!(usage(&page.html, "Bolt Garage", "agents"), "2");
    assert_eq!(usage(&page.html, "Bolt Garage", "minutes"), "0.0");
}
