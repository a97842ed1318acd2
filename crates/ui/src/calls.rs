//! Calls: the company's calls, newest first, narrowed by the filters of `call_filters.rs`,
//! and one call's journey: its entry leg and every operator's leg it rang, each with
//! its moments (started, rang, queued, connected, ended) and how it ended, the routing
//! breadcrumbs, the transcript and the labels.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use maud::{html, Markup};
use switchboard_domain::calls::leg::{CallLeg, Party};
use switchboard_domain::ids::CallId;
use switchboard_domain::Core;

use crate::call_filters::{self, Fields};
use crate::callcenters::company_of;
use crate::error::UiError;
use crate::layout;
use crate::session::Signed;
use crate::MOUNT;

/// `GET /ui/calls?from=&to=&ended=&direction=&state=&target=&number=&cursor=`.
pub(crate) async fn list(
    State(core): State<Core>,
    signed: Signed,
    Query(params): Query<Fields>,
) -> Result<Response, UiError> {
    let company = company_of(&signed)?;
    let filter = match params.filter(&signed) {
        Ok(f) => f,
        Err(errors) => {
            let form = call_filters::form(&core, company, &signed, &params, &errors).await?;
            let body = html! { h1 { "Calls" } (form) };
            let page = layout::page(&signed, "Calls", body).into_string();
            return Ok((StatusCode::BAD_REQUEST, Html(page)).into_response());
        }
    };
    let request = crate::page_from(params.cursor.clone(), 25);
    let page = core.calls().calls(company, &filter, &request).await?;
    let form = call_filters::form(&core, company, &signed, &params, &[]).await?;
    let mut parties: Vec<Party> = page.items.iter().filter_map(|l| l.target).collect();
    parties.sort_by_key(|p| (p.kind.as_str(), p.id));
    parties.dedup();
    let names = core.calls().names(company, &parties).await?;
    let body = html! {
        h1 { "Calls" }
        (form)
        @if page.items.is_empty() {
            p { "No calls." }
        } @else {
            div.scroll {
                table {
                    thead { tr { th { "Started" } th { "Direction" } th { "Outside number" } th { "Company number" } th { "State" } th { "Target" } } }
                    tbody {
                        @for leg in &page.items {
                            tr {
                                td { a href=(format!("{MOUNT}/calls/{}", leg.id.0)) { (signed.when(leg.date_started)) } }
                                td { (leg.direction.as_str()) }
                                td { (leg.external_number) }
                                td { (leg.internal_number) }
                                td { (leg.state.as_str()) }
                                td { (target(leg, &names)) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &page.next {
            p { a rel="next" href=(format!("{MOUNT}/calls?{}", crate::agents::query(&next_query(&params, next)))) { "Older calls" } }
        }
    };
    Ok(Html(layout::page(&signed, "Calls", body).into_string()).into_response())
}

fn next_query<'a>(fields: &'a Fields, next: &'a str) -> Vec<(&'static str, &'a str)> {
    let mut q = fields.query();
    q.push(("cursor", next));
    q
}

/// The leg's target as the page names it: its kind and name (its id when it has none).
fn target(leg: &CallLeg, names: &[(Party, String)]) -> String {
    leg.target.map_or_else(String::new, |t| {
        let kind = t.kind.as_str().replace('_', " ");
        match names.iter().find(|(p, _)| *p == t) {
            Some((_, name)) => format!("{kind} {name}"),
            None => format!("{kind} {}", t.id),
        }
    })
}

/// `GET /ui/calls/{id}`: the journey of the call the leg belongs to.
pub(crate) async fn show(
    State(core): State<Core>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Html<String>, UiError> {
    let company = company_of(&signed)?;
    let id: CallId = crate::id_in_path(&id)?;
    let journey = core.calls().journey(company, id).await?;
    let entry = &journey.entry;
    let names = core.calls().names(company, entry.target.as_slice()).await?;
    let title = format!(
        "Call {} {}",
        if entry.direction.as_str() == "inbound" {
            "from"
        } else {
            "to"
        },
        entry.external_number
    );
    let body = html! {
        p { a href=(format!("{MOUNT}/calls")) { "All calls" } }
        h1 { (title) }
        dl {
            dt { "Direction" } dd { (entry.direction.as_str()) }
            dt { "Company number" } dd { (entry.internal_number) }
            dt { "Target" } dd { (target(entry, &names)) }
            dt { "State" } dd data-field="state" { (entry.state.as_str()) }
            @if let Some(o) = entry.outcome { dt { "Outcome" } dd { (o.as_str()) } }
            @if !entry.labels.is_empty() { dt { "Labels" } dd { (entry.labels.join(", ")) } }
        }
        h2 { "Legs" }
        div.scroll {
            table {
                thead { tr { th { "Leg" } th { "Moments" } th { "Ended as" } } }
                tbody {
                    (leg_row(&signed, "the caller's leg", entry))
                    @for op in &journey.operators {
                        (leg_row(&signed, &format!("operator (user {})", op.user_id.map(|u| u.0).unwrap_or_default()), op))
                    }
                }
            }
        }
        @if !entry.breadcrumbs.is_empty() {
            h2 { "Routing" }
            div.scroll {
                table {
                    thead { tr { th { "When" } th { "Step" } th { "Target" } th { "Response" } } }
                    tbody {
                        @for b in &entry.breadcrumbs {
                            tr {
                                td { (Timestamp::from_millisecond(b.date).map(|t| signed.when(t)).unwrap_or_default()) }
                                td { (b.breadcrumb_type) }
                                td { (b.target_type.as_deref().unwrap_or("")) " " (b.target_id.map(|t| t.to_string()).unwrap_or_default()) }
                                td { pre { (b.response) } }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Transcript" }
        @if journey.transcript.is_empty() {
            p { "Nothing was transcribed." }
        } @else {
            ol {
                @for line in &journey.transcript {
                    li { (signed.when(line.at)) " — " strong { (line.speaker.as_deref().unwrap_or(&line.side)) } ": " (line.text) }
                }
            }
        }
    };
    Ok(Html(layout::page(&signed, &title, body).into_string()))
}

fn leg_row(signed: &Signed, name: &str, leg: &CallLeg) -> Markup {
    let moments = [
        ("started", Some(leg.date_started)),
        ("rang", leg.date_rang),
        ("queued", leg.date_queued),
        ("connected", leg.date_connected),
        ("ended", leg.date_ended),
    ];
    html! {
        tr {
            td { (name) }
            td {
                ul {
                    @for (label, at) in moments {
                        @if let Some(at) = at { li { (label) " " (signed.when(at)) } }
                    }
                }
            }
            td { (leg.state.as_str()) @if let Some(o) = leg.outcome { " (" (o.as_str()) ")" } }
        }
    }
}
