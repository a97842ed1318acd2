//! The dashboard's webhooks page over HTTP: a company admin sees its webhooks, subscriptions
//! and deliveries with every attempt, and replays a failed delivery, which the worker then
//! sends; a forged form changes nothing; another company's delivery is not found, a plain user
//! has no such page. A partner sees its webhook URL and its deliveries.

use reqwest::StatusCode;
use switchboard_domain::clients::client::NewClient;
use switchboard_domain::events::event::DeliveryStatus;
use switchboard_domain::ids::DeliveryId;
use switchboard_domain::page::PageRequest;
use switchboard_domain::tenancy::PartnerChange;

use crate::calls_kit::manual_server;
use crate::dialpad_events::{contact_hook, drain, shared_contact};
use crate::dialpad_kit::{company, Company};
use crate::kit::Server;
use crate::receiver::Receiver;
use crate::ui::{hidden, Browser};

/// The company's only delivery.
async fn only_delivery(s: &Server, c: &Company) -> (DeliveryStatus, i64, DeliveryId) {
    let req = PageRequest {
        limit: 10,
        ..PageRequest::default()
    };
    let page = s
        .core
        .events()
        .company_deliveries(c.id, &req)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let (d, attempts) = &page.items[0];
    (d.status, attempts.len() as i64, d.id)
}

/// The text of the status cell of the delivery's row.
fn status_of(html: &str, id: DeliveryId) -> String {
    let row = &html[html
        .find(&format!("id=\"delivery-{}\"", id.0))
        .expect("the row")..];
    let cell = &row[row.find("data-field=\"status\">").unwrap() + 20..];
    cell[..cell.find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn a_company_admin_replays_a_failed_delivery() {
    let s = manual_server().await;
    let c = company(&s, "Acme").await;
    let rx = Receiver::start().await;
    rx.answer(500, None);
    contact_hook(&s, &c, &rx.url).await;
    shared_contact(&s, &c).await;
    // The first try and four retries, each due within a second of the one before.
    for k in 0..6 {
        drain(&s, k).await;
    }
    let (status, attempts, id) = only_delivery(&s, &c).await;
    assert_eq!((status, attempts), (DeliveryStatus::Exhausted, 5));

    let mut b = Browser::new(&s);
    b.sign_in(&c.admin_key).await;
    let page = b.get("/ui/webhooks").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains(&rx.url), "the endpoint: {}", page.html);
    assert!(page.html.contains("<td>contact</td>"), "the subscription");
    assert_eq!(status_of(&page.html, id), "failed");
    assert_eq!(page.html.matches("HTTP 500").count(), 5, "each attempt");
    let replay = format!("/ui/webhooks/deliveries/{}/replay", id.0);
    assert!(page.html.contains(&replay), "a replay button");
    let token = hidden(&page.html, "form_token");

    // A forged form, another company's admin, a plain user: refused, nothing changes.
    assert_eq!(
        b.post(&replay, &[("form_token", "forged")]).await.status,
        StatusCode::BAD_REQUEST
    );
    let other = company(&s, "Other").await;
    let mut theirs = Browser::new(&s);
    theirs.sign_in(&other.admin_key).await;
    let their_page = theirs.get("/ui/webhooks").await;
    assert!(!their_page.html.contains(&rx.url));
    assert!(their_page.html.contains("No deliveries yet."));
    let their_token = hidden(&their_page.html, "form_token");
    let r = theirs.post(&replay, &[("form_token", &their_token)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut user = Browser::new(&s);
    user.sign_in(&c.user_key).await;
    assert_eq!(user.get("/ui/webhooks").await.status, StatusCode::FORBIDDEN);
    drain(&s, 3600).await;
    assert_eq!(
        only_delivery(&s, &c).await,
        (DeliveryStatus::Exhausted, 5, id)
    );

    // The receiver works again: the replay is sent at once and succeeds.
    rx.answer(200, None);
    let before = rx.received().len();
    let r = b.post(&replay, &[("form_token", &token)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/ui/webhooks?replayed={}", id.0).as_str())
    );
    let page = b.get(r.location.as_deref().unwrap()).await;
    assert!(page.html.contains("is queued again"), "{}", page.html);
    assert_eq!(status_of(&page.html, id), "pending");
    drain(&s, 0).await;
    assert_eq!(rx.received().len(), before + 1);
    let page = b.get("/ui/webhooks").await;
    assert_eq!(status_of(&page.html, id), "delivered");
    assert!(page.html.contains("HTTP 200"));
    assert!(!page.html.contains(&replay), "nothing to replay");
    assert_eq!(
        b.get("/ui/webhooks/deliveries/nope/replay").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        b.post(
            "/ui/webhooks/deliveries/nope/replay",
            &[("form_token", &token)]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_partner_sees_its_webhook_and_its_deliveries() {
    let s = manual_server().await;
    let rx = Receiver::start().await;
    let tenancy = s.core.tenancy();
    let (partner, key) = tenancy.create_partner("Reseller").await.unwrap();
    let change = PartnerChange {
        webhook_url: Some(Some(rx.url.clone())),
        ..PartnerChange::default()
    };
    tenancy.update_partner(partner.id, change).await.unwrap();
    let new = NewClient {
        name: "Acme Dental".into(),
        status: None,
        max_channels: None,
        text: Vec::new(),
    };
    s.core
        .partner_clients()
        .create_client(partner.id, new, None)
        .await
        .unwrap();
    drain(&s, 0).await;
    let mut b = Browser::new(&s);
    b.sign_in(&key.secret).await;
    let page = b.get("/ui/webhooks").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page
        .html
        .contains(&format!("Client events go to <code>{}</code>", rx.url)));
    assert!(page.html.contains(">delivered<"), "{}", page.html);
    assert!(!page.html.contains(">Replay<"));
}
