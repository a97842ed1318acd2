//! AI agents: the signed-in user's agents (their own and those shared with them) with search
//! and paging, an agent's settings and version history, a side-by-side diff of any two of its
//! versions, and restoring a version (recorded as a new version).

use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::ai_agents::agent::{AgentVersion, Precondition};
use switchboard_domain::ai_agents::list::AgentListRequest;
use switchboard_domain::ids::{AgentId, VersionId};
use switchboard_domain::page::Page;
use switchboard_domain::tenancy::account::{Principal, User};
use switchboard_domain::Core;

use crate::error::UiError;
use crate::layout;
use crate::session::Signed;
use crate::MOUNT;

/// Agents a list page shows.
const PAGE_SIZE: i64 = 25;
/// Versions a page of an agent's history shows.
const VERSIONS_PER_PAGE: u32 = 20;

fn user_of(signed: &Signed) -> Result<&User, UiError> {
    match &signed.principal {
        Principal::User(u) => Ok(u),
        _ => Err(UiError::Forbidden(
            "AI agents belong to users: sign in with a user's key to see theirs.".into(),
        )),
    }
}

/// A URL's query from its pairs, each encoded.
pub(crate) fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
}

/// `GET /ui/agents?q=&cursor=`.
pub(crate) async fn list(
    State(core): State<Core>,
    signed: Signed,
    Query(params): Query<ListQuery>,
) -> Result<Html<String>, UiError> {
    let user = user_of(&signed)?;
    let search = crate::search_text(params.q.as_deref());
    let page = core
        .ai_agents()
        .list_agent_page(
            user,
            AgentListRequest {
                name: search.clone(),
                sort: None,
                direction: None,
                cursor: params.cursor.filter(|c| !c.is_empty()),
                page_size: Some(PAGE_SIZE),
            },
        )
        .await?;
    let search = search.unwrap_or_default();
    let body = html! {
        h1 { "AI agents" }
        form method="get" action=(format!("{MOUNT}/agents")) role="search" {
            label for="q" { "Name contains" }
            input id="q" name="q" type="search" value=(search);
            " "
            button type="submit" { "Search" }
        }
        @if page.items.is_empty() {
            p { "No agents" @if !search.is_empty() { " match “" (search) "”" } "." }
        } @else {
            div.scroll {
                table {
                    thead { tr { th { "Name" } th { "Owner" } th { "Version" } th { "Updated" } } }
                    tbody {
                        @for view in &page.items {
                            @let agent = &view.visible.agent;
                            tr {
                                td { a href=(format!("{MOUNT}/agents/{}", agent.id)) { (agent.name) } }
                                td { (view.owner.as_ref().map(User::display_name).unwrap_or_default()) }
                                td { (agent.revision) }
                                td { (signed.when(agent.updated_at)) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &page.next {
            p { a rel="next" href=(format!("{MOUNT}/agents?{}", query(&[("q", &search), ("cursor", next)]))) { "Next page" } }
        }
    };
    Ok(Html(layout::page(&signed, "AI agents", body).into_string()))
}

#[derive(Deserialize)]
pub(crate) struct ShowQuery {
    skip: Option<u64>,
    restored: Option<i64>,
}

/// `GET /ui/agents/{id}?skip=`: settings and version history, newest first.
pub(crate) async fn show(
    State(core): State<Core>,
    signed: Signed,
    Path(id): Path<String>,
    Query(params): Query<ShowQuery>,
) -> Result<Html<String>, UiError> {
    let user = user_of(&signed)?;
    let id = crate::id_in_path::<AgentId>(&id)?;
    let view = core.ai_agents().agent_view(user, id).await?;
    let page = Page {
        limit: VERSIONS_PER_PAGE,
        skip: params.skip.unwrap_or(0),
    };
    let versions = core.ai_agents().versions(user, id, page).await?;
    let agent = &view.visible.agent;
    let writable = view.visible.access.can_write();
    let document = serde_json::to_string_pretty(&agent.document()).unwrap_or_default();
    let newest = versions.items.first().map(|v| v.id);
    let older = versions.items.get(1).map(|v| v.id).or(newest);
    let base = format!("{MOUNT}/agents/{}", agent.id);
    let body = html! {
        p { a href=(format!("{MOUNT}/agents")) { "All agents" } }
        h1 { (agent.name) }
        @if let Some(n) = params.restored {
            p.notice role="status" { "Version " (n) " was restored as version " (agent.revision) "." }
        }
        dl {
            dt { "Owner" } dd { (view.owner.as_ref().map(User::display_name).unwrap_or_default()) }
            dt { "Current version" } dd { (agent.revision) }
            dt { "Created" } dd { (signed.when(agent.created_at)) }
            dt { "Updated" } dd { (signed.when(agent.updated_at)) }
        }
        h2 { "Settings" }
        pre { code { (document) } }
        h2 id="versions" { "Versions" }
        @if versions.items.len() > 1 || page.skip > 0 {
            form method="get" action=(format!("{base}/diff")) {
                label for="from" { "Compare version" }
                (version_select("from", &versions.items, older))
                label for="to" { "with version" }
                (version_select("to", &versions.items, newest))
                " "
                button type="submit" { "Show the differences" }
            }
        }
        div.scroll {
            table {
                thead { tr { th { "Version" } th { "Change" } th { "Message" } th { "By" } th { "When" } @if writable { th { "Restore" } } } }
                tbody {
                    @for v in &versions.items {
                        tr {
                            td { (v.number) }
                            td { (v.action.as_str()) }
                            td { (v.commit_message.as_deref().unwrap_or("")) }
                            td { (v.author_name) }
                            td { (signed.when(v.created_at)) }
                            @if writable {
                                td {
                                    @if v.number != agent.revision {
                                        form.inline method="post" action=(format!("{base}/versions/{}/restore", v.id)) {
                                            input type="hidden" name="form_token" value=(signed.form_token);
                                            input type="hidden" name="revision" value=(agent.revision);
                                            button type="submit" aria-label=(format!("Restore version {}", v.number)) { "Restore" }
                                        }
                                    } @else {
                                        "current"
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
                a href=(format!("{base}?skip={}#versions", page.skip.saturating_sub(u64::from(VERSIONS_PER_PAGE)))) { "Newer versions" }
                " "
            }
            @if versions.has_more(page) {
                a href=(format!("{base}?skip={}#versions", page.skip + u64::from(VERSIONS_PER_PAGE))) { "Older versions" }
            }
        }
    };
    Ok(Html(layout::page(&signed, &agent.name, body).into_string()))
}

fn version_select(name: &str, versions: &[AgentVersion], chosen: Option<VersionId>) -> Markup {
    html! {
        select id=(name) name=(name) {
            @for v in versions {
                option value=(v.id) selected[Some(v.id) == chosen] {
                    (v.number) @if let Some(m) = &v.commit_message { " — " (m) }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct DiffQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn shown(value: &Option<Value>) -> String {
    match value {
        None => "(none)".into(),
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
    }
}

/// `GET /ui/agents/{id}/diff?from=&to=`: what changed from one version to the other, field by
/// field, side by side.
pub(crate) async fn diff(
    State(core): State<Core>,
    signed: Signed,
    Path(id): Path<String>,
    Query(params): Query<DiffQuery>,
) -> Result<Html<String>, UiError> {
    let user = user_of(&signed)?;
    let id = crate::id_in_path::<AgentId>(&id)?;
    let (from, to) = (
        crate::id_in_path::<VersionId>(&params.from)?,
        crate::id_in_path::<VersionId>(&params.to)?,
    );
    let view = core.ai_agents().agent_view(user, id).await?;
    let diff = core
        .ai_agents()
        .diff_versions(user, id, to, Some(from))
        .await?;
    let agent = &view.visible.agent;
    let title = format!(
        "{}: version {} → {}",
        agent.name, diff.from.number, diff.to.number
    );
    let body = html! {
        p { a href=(format!("{MOUNT}/agents/{}", agent.id)) { "Back to " (agent.name) } }
        h1 { (title) }
        @if diff.changes.is_empty() {
            p { "These versions are the same." }
        } @else {
            div.scroll {
                table {
                    thead { tr { th { "Field" } th { "Version " (diff.from.number) } th { "Version " (diff.to.number) } } }
                    tbody {
                        @for change in &diff.changes {
                            tr {
                                th scope="row" { code { (change.path) } }
                                td.before { pre { (shown(&change.before)) } }
                                td.after { pre { (shown(&change.after)) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(layout::page(&signed, &title, body).into_string()))
}

#[derive(Deserialize)]
pub(crate) struct RestoreForm {
    #[serde(default)]
    form_token: String,
    revision: Option<i64>,
}

/// `POST /ui/agents/{id}/versions/{version}/restore`: the version's state becomes current, as a
/// new version; refused when the agent changed since the page was shown.
pub(crate) async fn restore(
    State(core): State<Core>,
    signed: Signed,
    Path((id, version)): Path<(String, String)>,
    Form(form): Form<RestoreForm>,
) -> Result<Redirect, UiError> {
    signed.check_form(&form.form_token)?;
    let user = user_of(&signed)?;
    let (id, version) = (
        crate::id_in_path::<AgentId>(&id)?,
        crate::id_in_path::<VersionId>(&version)?,
    );
    let restored = core.ai_agents().version(user, id, version).await?;
    let precondition = match form.revision {
        Some(r) => Precondition::Revisions(vec![r]),
        None => Precondition::None,
    };
    core.ai_agents()
        .restore_version(user, id, version, None, &precondition)
        .await?;
    Ok(Redirect::to(&format!(
        "{MOUNT}/agents/{id}?restored={}",
        restored.number
    )))
}
