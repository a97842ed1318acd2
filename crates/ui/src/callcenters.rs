//! Call centers: the company's call centers, and each one live: open or closed and why,
//! operators on duty and available, callers waiting and the longest wait, calls today; and the
//! routing preview ("who would get the next call, and why"); and its operators, each with
//! their duty and the call they are on. The live figures update
//! themselves from `/ui/callcenters/{id}/live` (server-sent events, sent when they change);
//! without JavaScript, reloading the page shows them.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::Html;
use futures::Stream;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use switchboard_domain::calls::{GroupStatus, OperatorNow};
use switchboard_domain::ids::{CompanyId, GroupId, UserId};
use switchboard_domain::page::PageRequest;
use switchboard_domain::telephony::directory::UserFilter;
use switchboard_domain::telephony::group::{GroupFilter, GroupKind};
use switchboard_domain::Core;

use crate::error::UiError;
use crate::layout;
use crate::session::Signed;
use crate::MOUNT;

/// How often a live page's figures are read again.
const LIVE_EVERY: Duration = Duration::from_secs(1);

/// The company whose call centers the signed-in key may see: a company key's, or a company
/// admin's.
pub(crate) fn company_of(signed: &Signed) -> Result<CompanyId, UiError> {
    signed.principal.admin_company().ok_or_else(|| {
        UiError::Forbidden(
            "Call centers are for company admins: sign in with a company key or an admin's key."
                .into(),
        )
    })
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
}

/// `GET /ui/callcenters`.
pub(crate) async fn list(
    State(core): State<Core>,
    signed: Signed,
    Query(params): Query<ListQuery>,
) -> Result<Html<String>, UiError> {
    let company = company_of(&signed)?;
    let filter = GroupFilter {
        kind: GroupKind::CallCenter,
        office_id: None,
        name_search: None,
    };
    let request = crate::page_from(params.cursor, 25);
    let page = core.telephony().groups(company, &filter, &request).await?;
    let body = html! {
        h1 { "Call centers" }
        @if page.items.is_empty() {
            p { "The company has no call centers yet." }
        } @else {
            ul {
                @for g in &page.items {
                    li { a href=(format!("{MOUNT}/callcenters/{}", g.id.0)) { (g.name) } }
                }
            }
        }
        @if let Some(next) = &page.next {
            p { a rel="next" href=(format!("{MOUNT}/callcenters?{}", crate::agents::query(&[("cursor", next)]))) { "Next page" } }
        }
    };
    Ok(Html(
        layout::page(&signed, "Call centers", body).into_string(),
    ))
}

/// The live figures as the page shows them, by field name: the group's, then each
/// operator's duty (`op_{id}_duty`) and current call (`op_{id}_call`).
fn figures(s: &GroupStatus, operators: &[OperatorNow]) -> Vec<(String, String)> {
    let wait = s.longest_wait_seconds;
    let mut out: Vec<(String, String)> = [
        ("open", if s.open { "open" } else { "closed" }.to_owned()),
        ("why", s.why.clone()),
        ("on_duty", s.on_duty.to_string()),
        ("available", s.available.to_string()),
        ("waiting", s.waiting.to_string()),
        ("longest_wait", format!("{}:{:02}", wait / 60, wait % 60)),
        ("calls_today", s.calls_today.to_string()),
        ("answered_today", s.answered_today.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for o in operators {
        let id = o.user_id.0;
        out.push((format!("op_{id}_duty"), duty_text(o)));
        out.push((format!("op_{id}_call"), call_text(o)));
    }
    out
}

fn duty_text(o: &OperatorNow) -> String {
    let mut text = if o.on_duty { "on duty, " } else { "off duty, " }.to_owned();
    text.push_str(o.duty_state.as_str());
    if o.do_not_disturb {
        text.push_str(", do not disturb");
    }
    text
}

fn call_text(o: &OperatorNow) -> String {
    o.call.as_ref().map_or_else(
        || "none".to_owned(),
        |c| {
            let with = if c.external_number.is_empty() {
                String::new()
            } else {
                format!(" with {}", c.external_number)
            };
            format!("{} {}{with}", c.state.as_str(), c.direction.as_str())
        },
    )
}

/// The group's live status and operators, read together.
async fn live_state(
    core: &Core,
    company: CompanyId,
    id: GroupId,
) -> Result<(GroupStatus, Vec<OperatorNow>), UiError> {
    let calls = core.calls();
    Ok((
        calls.group_status(company, id).await?,
        calls.operators_now(company, id).await?,
    ))
}

const LABELS: [(&str, &str); 8] = [
    ("open", "Now"),
    ("why", "Because"),
    ("on_duty", "Operators on duty"),
    ("available", "Available to take a call"),
    ("waiting", "Callers waiting"),
    ("longest_wait", "Longest wait (min:s)"),
    ("calls_today", "Calls today"),
    ("answered_today", "Answered today"),
];

/// Replaces each `[data-live]` element's text with the figure of that name, as they arrive.
const LIVE_SCRIPT: &str = r#"
const source = new EventSource(location.pathname + "/live");
source.addEventListener("status", (e) => {
  const figures = JSON.parse(e.data);
  for (const [name, value] of Object.entries(figures)) {
    const el = document.querySelector(`[data-live="${name}"]`);
    if (el) el.textContent = value;
  }
  document.getElementById("live-state").textContent = "updating live";
});
source.onerror = () => { document.getElementById("live-state").textContent = "reconnecting…"; };
"#;

/// `GET /ui/callcenters/{id}`.
pub(crate) async fn show(
    State(core): State<Core>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Html<String>, UiError> {
    let company = company_of(&signed)?;
    let id: GroupId = crate::id_in_path(&id)?;
    let group = core
        .telephony()
        .group(company, GroupKind::CallCenter, id)
        .await?;
    let (status, operators) = live_state(&core, company, id).await?;
    let preview = core.calls().routing_preview(company, id).await?;
    let mut ids: Vec<UserId> = preview.next.iter().map(|o| UserId(o.user_id)).collect();
    ids.extend(preview.not_now.iter().map(|o| UserId(o.user_id)));
    ids.extend(operators.iter().map(|o| o.user_id));
    ids.sort_by_key(|u| u.0);
    ids.dedup();
    let names = names_of(&core, company, ids).await?;
    let name = |id: i64| {
        names
            .iter()
            .find(|(u, _)| u.0 == id)
            .map_or_else(|| format!("user {id}"), |(_, n)| n.clone())
    };
    let figures = figures(&status, &operators);
    let figure = |field: &str| {
        figures
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let body = html! {
        p { a href=(format!("{MOUNT}/callcenters")) { "All call centers" } }
        h1 { (group.name) }
        h2 { "Now " small id="live-state" aria-live="polite" { "" } }
        dl.figures aria-live="polite" {
            @for (field, label) in LABELS {
                div {
                    dt { (label) }
                    dd data-live=(field) { (figure(field)) }
                }
            }
        }
        h2 { "Operators" }
        @if operators.is_empty() {
            p { "The call center has no operators." }
        } @else {
            div.scroll { table {
                thead { tr { th { "Operator" } th { "Duty" } th { "Current call" } } }
                tbody {
                    @for o in &operators {
                        @let duty = format!("op_{}_duty", o.user_id.0);
                        @let call = format!("op_{}_call", o.user_id.0);
                        tr {
                            td { (name(o.user_id.0)) }
                            td data-live=(duty) { (figure(&duty)) }
                            td data-live=(call) { (figure(&call)) }
                        }
                    }
                }
            } }
        }
        h2 { "Who would get the next call" }
        p { "Strategy " code { (preview.strategy) } ". If nobody answers: " (preview.if_unanswered) "." }
        (preview_table(&preview, &name))
        script { (PreEscaped(LIVE_SCRIPT)) }
    };
    Ok(Html(layout::page(&signed, &group.name, body).into_string()))
}

fn preview_table(
    preview: &switchboard_domain::routing::Preview,
    name: &dyn Fn(i64) -> String,
) -> Markup {
    html! {
        @if preview.next.is_empty() && preview.not_now.is_empty() {
            p { "The call center has no operators." }
        } @else {
            div.scroll {
                table {
                    thead { tr { th { "Operator" } th { "Next call" } } }
                    tbody {
                        @for offer in &preview.next {
                            tr {
                                td { (name(offer.user_id)) }
                                td { "rings in wave " (offer.wave) " for " (offer.ring_seconds) " s" }
                            }
                        }
                        @for skip in &preview.not_now {
                            tr { td { (name(skip.user_id)) } td { "not rung: " (skip.why) } }
                        }
                    }
                }
            }
        }
    }
}

/// The names of these users of the company, in one read.
async fn names_of(
    core: &Core,
    company: CompanyId,
    ids: Vec<UserId>,
) -> Result<Vec<(UserId, String)>, UiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let limit = ids.len();
    let filter = UserFilter {
        ids: Some(ids),
        ..Default::default()
    };
    let request = PageRequest {
        limit,
        token: None,
        reverse: false,
    };
    let found = core
        .telephony()
        .directory_users(company, &filter, &request)
        .await?;
    Ok(found
        .items
        .into_iter()
        .map(|u| (u.user.id, u.user.display_name()))
        .collect())
}

/// `GET /ui/callcenters/{id}/live`: the figures as server-sent `status` events, one when the
/// stream opens and one each time they change; the stream ends when the session does.
pub(crate) async fn live(
    State(core): State<Core>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, UiError> {
    let company = company_of(&signed)?;
    let id: GroupId = crate::id_in_path(&id)?;
    // Not found before the stream starts, like the page.
    live_state(&core, company, id).await?;
    let token = signed.token().to_owned();
    let stream = futures::stream::unfold(
        (core, token, None::<String>, true),
        move |(core, token, last, first)| async move {
            loop {
                if !first {
                    tokio::time::sleep(LIVE_EVERY).await;
                }
                core.tenancy().session(&token).await.ok()?;
                let (status, operators) = live_state(&core, company, id).await.ok()?;
                let data: serde_json::Map<String, serde_json::Value> = figures(&status, &operators)
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect();
                let data = serde_json::Value::Object(data).to_string();
                if last.as_deref() != Some(data.as_str()) {
                    let event = Event::default().event("status").data(data.clone());
                    return Some((Ok(event), (core, token, Some(data), false)));
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
