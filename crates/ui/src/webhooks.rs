//! Webhooks: where the events of the signed-in company or partner go, and what became of them.
//! A company sees its Dialpad webhooks and websockets, its event subscriptions and its
//! deliveries (Dialpad subscriptions', AI agents' post-call webhooks'); a partner sees its
//! webhook URL and its deliveries. Each delivery shows its attempts (when, the receiver's
//! status or the error, how long), and a failed one can be replayed: it goes back in the queue
//! with a fresh retry budget and the same `webhook-id`, and the worker sends it at once.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use switchboard_domain::events::endpoint::EndpointKind;
use switchboard_domain::events::event::{Delivery, DeliveryAttempt, DeliveryStatus};
use switchboard_domain::events::subscription::SubscriptionKind;
use switchboard_domain::ids::{CompanyId, DeliveryId, PartnerId};
use switchboard_domain::page::Page;
use switchboard_domain::tenancy::account::Principal;
use switchboard_domain::Core;

use crate::agents::query;
use crate::error::UiError;
use crate::layout;
use crate::session::Signed;
use crate::MOUNT;

/// Deliveries a page shows.
const PAGE_SIZE: usize = 25;
/// Endpoints and subscriptions shown of each kind.
const SHOWN: usize = 50;

/// Whose webhooks the signed-in key sees.
enum Owner {
    Company(CompanyId),
    Partner(PartnerId),
}

fn owner_of(signed: &Signed) -> Result<Owner, UiError> {
    if let Principal::Partner(p) = &signed.principal {
        return Ok(Owner::Partner(p.id));
    }
    signed.principal.admin_company().map(Owner::Company).ok_or_else(|| {
        UiError::Forbidden(
            "Webhooks are for company admins and partners: sign in with a company key, an admin's key or a partner key."
                .into(),
        )
    })
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    skip: Option<u64>,
    replayed: Option<String>,
}

/// `GET /ui/webhooks`.
pub(crate) async fn list(
    State(core): State<Core>,
    signed: Signed,
    Query(params): Query<ListQuery>,
) -> Result<Html<String>, UiError> {
    let (destinations, deliveries, more) = match owner_of(&signed)? {
        Owner::Company(company) => {
            let page = core
                .events()
                .company_deliveries(company, &crate::page_from(params.cursor, PAGE_SIZE))
                .await?;
            let more = page.next.map(|next| query(&[("cursor", &next)]));
            (
                company_destinations(&core, company).await?,
                page.items,
                more,
            )
        }
        Owner::Partner(partner) => {
            let page = Page {
                limit: PAGE_SIZE as u32,
                skip: params.skip.unwrap_or(0),
            };
            let found = core.events().partner_deliveries(partner, page).await?;
            let more = found
                .has_more(page)
                .then(|| query(&[("skip", &(page.skip + PAGE_SIZE as u64).to_string())]));
            let url = core
                .store()
                .partner(partner)
                .await?
                .and_then(|p| p.webhook_url);
            let destinations = html! {
                h2 { "Webhook" }
                @match url {
                    Some(url) => p { "Client events go to " code { (url) } "." },
                    None => p { "No webhook URL is set: client events are not sent anywhere." },
                }
            };
            (destinations, found.items, more)
        }
    };
    let body = html! {
        h1 { "Webhooks" }
        @if let Some(id) = &params.replayed {
            p.notice role="status" { "Delivery " (id) " is queued again and is being sent." }
        }
        (destinations)
        h2 { "Recent deliveries" }
        (deliveries_table(&signed, &deliveries))
        @if let Some(more) = more {
            p { a rel="next" href=(format!("{MOUNT}/webhooks?{more}")) { "Older deliveries" } }
        }
    };
    Ok(Html(layout::page(&signed, "Webhooks", body).into_string()))
}

/// A company's webhooks, websockets and subscriptions (the first [`SHOWN`] of each kind).
async fn company_destinations(core: &Core, company: CompanyId) -> Result<Markup, UiError> {
    let first = crate::page_from(None, SHOWN);
    let events = core.events();
    let hooks = events
        .endpoints(company, EndpointKind::Webhook, &first)
        .await?;
    let sockets = events
        .endpoints(company, EndpointKind::Websocket, &first)
        .await?;
    let mut subscriptions = Vec::new();
    for kind in SubscriptionKind::ALL {
        let page = events.subscriptions(company, kind, None, &first).await?;
        subscriptions.extend(page.items);
    }
    Ok(html! {
        h2 { "Endpoints" }
        @if hooks.items.is_empty() && sockets.items.is_empty() {
            p { "No webhooks or websockets yet (Dialpad's " code { "POST /api/v2/webhooks" } ")." }
        } @else {
            div.scroll { table {
                thead { tr { th { "Id" } th { "Kind" } th { "Where" } th { "Signed" } } }
                tbody {
                    @for e in hooks.items.iter().chain(&sockets.items) {
                        tr {
                            td { (e.id.0) }
                            td { (e.kind.as_str()) }
                            td { (e.hook_url.as_deref().unwrap_or("(clients connect to it)")) }
                            td { @if e.has_secret { "yes (JWT)" } @else { "no" } }
                        }
                    }
                }
            } }
        }
        h2 { "Subscriptions" }
        @if subscriptions.is_empty() {
            p { "No event subscriptions yet." }
        } @else {
            div.scroll { table {
                thead { tr { th { "Id" } th { "Events" } th { "Endpoint" } th { "Concerning" } th { "Enabled" } } }
                tbody {
                    @for s in &subscriptions {
                        tr {
                            td { (s.id.0) }
                            td { (s.kind().as_str().replace('_', " ")) }
                            td { (s.endpoint_id.0) }
                            td { @match s.target {
                                Some(t) => { (t.kind.as_str()) " " (t.id) },
                                None => "the whole company",
                            } }
                            td { @if s.enabled { "yes" } @else { "no" } }
                        }
                    }
                }
            } }
        }
    })
}

fn status_text(d: &Delivery) -> &'static str {
    match d.status {
        DeliveryStatus::Delivered => "delivered",
        DeliveryStatus::Exhausted => "failed",
        DeliveryStatus::Pending if d.retrying() => "retrying",
        DeliveryStatus::Pending => "pending",
    }
}

fn attempt_text(a: &DeliveryAttempt) -> String {
    let outcome = match (a.status_code, &a.error) {
        (Some(code), Some(e)) => format!("HTTP {code}: {e}"),
        (Some(code), None) => format!("HTTP {code}"),
        (None, Some(e)) => e.clone(),
        (None, None) => "no answer".into(),
    };
    format!("{outcome} ({} ms)", a.duration_ms)
}

fn deliveries_table(signed: &Signed, deliveries: &[(Delivery, Vec<DeliveryAttempt>)]) -> Markup {
    html! {
        @if deliveries.is_empty() {
            p { "No deliveries yet." }
        } @else {
            div.scroll { table {
                thead { tr { th { "Created" } th { "To" } th { "Status" } th { "Attempts" } th { "" } } }
                tbody {
                    @for (d, attempts) in deliveries {
                        tr id=(format!("delivery-{}", d.id.0)) {
                            td { (signed.when(d.created_at)) }
                            td { code { (d.url) } }
                            td data-field="status" { (status_text(d)) }
                            td {
                                @if attempts.is_empty() {
                                    "none yet"
                                } @else {
                                    details {
                                        summary { (attempts.len()) @if attempts.len() == 1 { " attempt" } @else { " attempts" } }
                                        ol {
                                            @for a in attempts {
                                                li { (signed.when(a.attempted_at)) ": " (attempt_text(a)) }
                                            }
                                        }
                                    }
                                }
                            }
                            td {
                                @if d.failed() {
                                    form.inline method="post" action=(format!("{MOUNT}/webhooks/deliveries/{}/replay", d.id.0)) {
                                        input type="hidden" name="form_token" value=(signed.form_token);
                                        button type="submit" aria-label=(format!("Replay delivery {}", d.id.0)) { "Replay" }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ReplayForm {
    #[serde(default)]
    form_token: String,
}

/// `POST /ui/webhooks/deliveries/{id}/replay`: another owner's delivery is not found.
pub(crate) async fn replay(
    State(core): State<Core>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<ReplayForm>,
) -> Result<Redirect, UiError> {
    signed.check_form(&form.form_token)?;
    let id: DeliveryId = crate::id_in_path(&id)?;
    let events = core.events();
    match owner_of(&signed)? {
        Owner::Company(c) => events.replay_company_delivery(c, id).await?,
        Owner::Partner(p) => events.replay_partner_delivery(p, id).await?,
    };
    Ok(Redirect::to(&format!(
        "{MOUNT}/webhooks?{}",
        query(&[("replayed", &id.0.to_string())])
    )))
}
