//! A partner's clients (the companies it resells to): their status and usage (calls, talk
//! time, agents, AI agents), searched by name, and
//! suspending or reactivating one. A suspended client's keys stop working at once, dashboard
//! sessions included; reactivating it lets them work again. The partner hears of each change
//! through its webhook (`client_status_changed`), as it would through the API.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect};
use axum::Form;
use maud::html;
use serde::Deserialize;
use switchboard_domain::clients::client::{
    ClientChange, ClientFilter, ClientKey, ClientQuery, Usage,
};
use switchboard_domain::ids::{CompanyId, PartnerId};
use switchboard_domain::page::Page;
use switchboard_domain::tenancy::account::{CompanyStatus, Principal};
use switchboard_domain::Core;

use crate::agents::query;
use crate::error::UiError;
use crate::layout;
use crate::session::Signed;
use crate::MOUNT;

/// Clients a page shows.
const PAGE_SIZE: u32 = 25;

fn partner_of(signed: &Signed) -> Result<PartnerId, UiError> {
    match &signed.principal {
        Principal::Partner(p) => Ok(p.id),
        _ => Err(UiError::Forbidden(
            "Clients are for partners: sign in with a partner key.".into(),
        )),
    }
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    q: Option<String>,
    skip: Option<u64>,
    changed: Option<String>,
}

/// `GET /ui/clients?q=&skip=`.
pub(crate) async fn list(
    State(core): State<Core>,
    signed: Signed,
    Query(params): Query<ListQuery>,
) -> Result<Html<String>, UiError> {
    let partner = partner_of(&signed)?;
    let search = crate::search_text(params.q.as_deref());
    let page = Page {
        limit: PAGE_SIZE,
        skip: params.skip.unwrap_or(0),
    };
    let query_of = ClientQuery {
        partner,
        filters: search
            .iter()
            .cloned()
            .map(ClientFilter::NameContains)
            .collect(),
        sort: vec![(ClientKey::Name, false)],
        page,
    };
    let clients = core.partner_clients().clients(&query_of).await?;
    let ids: Vec<CompanyId> = clients.items.iter().map(|c| c.company.id).collect();
    let usage = core.partner_clients().usage(partner, &ids).await?;
    let usage_of = |id: CompanyId| {
        usage
            .iter()
            .find(|u| u.company_id == id)
            .copied()
            .unwrap_or_else(|| Usage::none(id))
    };
    let search = search.unwrap_or_default();
    let body = html! {
        h1 { "Clients" }
        @if let Some(name) = &params.changed {
            p.notice role="status" { (name) }
        }
        form method="get" action=(format!("{MOUNT}/clients")) role="search" {
            label for="q" { "Name contains" }
            input id="q" name="q" type="search" value=(search);
            " "
            button type="submit" { "Search" }
        }
        p { (clients.total) " clients" @if !search.is_empty() { " match “" (search) "”" } "." }
        div.scroll {
            table {
                thead { tr {
                    th { "Name" } th { "Status" } th { "Since" }
                    th { "Calls" } th { "Talk minutes" } th { "Agents" } th { "AI agents" }
                    th { "Change" }
                } }
                tbody {
                    @for client in &clients.items {
                        @let c = &client.company;
                        tr {
                            td { (c.name) }
                            td data-field="status" { (c.status.as_str()) }
                            td { (signed.when(c.created_at)) }
                            @let u = usage_of(c.id);
                            td data-field="calls" { (u.calls) }
                            td data-field="minutes" { (format!("{:.1}", u.talk_seconds as f64 / 60.0)) }
                            td data-field="agents" { (u.agents) }
                            td data-field="ai_agents" { (u.ai_agents) }
                            td {
                                @let (to, label) = match c.status {
                                    CompanyStatus::Suspended => ("active", "Reactivate"),
                                    CompanyStatus::Terminated => ("", ""),
                                    _ => ("suspended", "Suspend"),
                                };
                                @if !to.is_empty() {
                                    form.inline method="post" action=(format!("{MOUNT}/clients/{}/status", c.id.0)) {
                                        input type="hidden" name="form_token" value=(signed.form_token);
                                        input type="hidden" name="status" value=(to);
                                        button type="submit" aria-label=(format!("{label} {}", c.name)) { (label) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p {
            @if page.skip > 0 {
                a href=(format!("{MOUNT}/clients?{}", query(&[("q", &search), ("skip", &page.skip.saturating_sub(u64::from(PAGE_SIZE)).to_string())]))) { "Previous page" }
                " "
            }
            @if clients.has_more(page) {
                a rel="next" href=(format!("{MOUNT}/clients?{}", query(&[("q", &search), ("skip", &(page.skip + u64::from(PAGE_SIZE)).to_string())]))) { "Next page" }
            }
        }
    };
    Ok(Html(layout::page(&signed, "Clients", body).into_string()))
}

#[derive(Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    form_token: String,
    #[serde(default)]
    status: String,
}

/// `POST /ui/clients/{id}/status`: `suspended` or `active`; another client's is not found.
pub(crate) async fn set_status(
    State(core): State<Core>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Redirect, UiError> {
    signed.check_form(&form.form_token)?;
    let partner = partner_of(&signed)?;
    let id: CompanyId = crate::id_in_path(&id)?;
    let status = match form.status.as_str() {
        "suspended" => CompanyStatus::Suspended,
        "active" => CompanyStatus::Active,
        _ => return Err(UiError::Bad("status must be suspended or active".into())),
    };
    let change = ClientChange {
        status: Some(status),
        ..Default::default()
    };
    let client = core
        .partner_clients()
        .update_client(Some(partner), id, change, Some("dashboard".into()))
        .await?;
    let note = format!("{} is now {}.", client.company.name, status.as_str());
    Ok(Redirect::to(&format!(
        "{MOUNT}/clients?{}",
        query(&[("changed", &note)])
    )))
}
