//! Event subscriptions (`/subscriptions/{call,sms,agent_status,contact,changelog}`): which of
//! the company's events go to which webhook or websocket (`endpoint_id`). One set of handlers
//! serves the five types; each type takes its own fields (another type's field is 400).
//!
//! Choices where the vendor is silent: `endpoint_id` is required on create and must be one of
//! the company's webhooks or websockets (404 otherwise); a call subscription without
//! `call_states` gets every state (`all`); targets are users, offices, call centers,
//! departments, rooms and call routers of the company (other kinds 400); `target_type` and
//! `target_id` go together. Limits: 100 subscriptions per type per company, 10 per type
//! without a target (the company itself). A change-log subscription needs the `change_log`
//! scope (API keys have every scope; OAuth tokens the ones granted). Admin keys only.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::events::endpoint::{Endpoint, EndpointKind};
use switchboard_domain::events::subscription::{
    Filter, SmsDirection, Subscription, SubscriptionKind,
};
use switchboard_domain::events::SubscriptionChange;
use switchboard_domain::ids::{EndpointId, SubscriptionId};
use switchboard_domain::telephony::number::{Target, TargetKind};
use switchboard_domain::{Core, DomainError};

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiError, ApiResult, Body, JsonBody, Params, PathParams, QueryParams};
use crate::handlers::{numbers, webhooks, websockets};
use crate::wire::{page, path_id, IdValue};

/// Every type's create and update message in one: `CreateCallEventSubscription`,
/// `CreateSmsEventSubscription`, … and their `Update…` forms.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubscriptionBody {
    endpoint_id: Option<IdValue>,
    enabled: Option<bool>,
    target_id: Option<IdValue>,
    target_type: Option<String>,
    call_states: Option<Vec<String>>,
    group_calls_only: Option<bool>,
    direction: Option<String>,
    include_internal: Option<bool>,
    status: Option<bool>,
    agent_type: Option<String>,
    contact_type: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    target_type: Option<String>,
    target_id: Option<String>,
}

fn kind_of(raw: &str) -> ApiResult<SubscriptionKind> {
    SubscriptionKind::parse(raw).ok_or(ApiError(DomainError::NotFound("resource")))
}

fn target_kind(wire: &str) -> ApiResult<TargetKind> {
    if let Some(kind) = numbers::target_kind_named(wire) {
        return Ok(kind);
    }
    Err(match wire {
        "channel" | "coachinggroup" | "coachingteam" | "staffgroup" => invalid(format!(
            "events of a {wire} cannot be subscribed to; choose a user, office, callcenter, \
             department, room or callrouter"
        )),
        other => invalid(format!("unknown target_type '{other}'")),
    })
}

/// The target a body or query names: both fields or neither.
fn target(kind: Option<&str>, id: Option<i64>) -> ApiResult<Option<Target>> {
    match (kind, id) {
        (None, None) => Ok(None),
        (Some(k), Some(id)) if id > 0 => Ok(Some(Target {
            kind: target_kind(k)?,
            id,
        })),
        (Some(_), Some(_)) => Err(invalid("target_id must be a positive integer id")),
        _ => Err(invalid("target_type and target_id go together")),
    }
}

impl SubscriptionBody {
    /// Refuses fields that belong to another type.
    fn check_fields(&self, kind: SubscriptionKind) -> ApiResult<()> {
        let given = [
            (
                "call_states",
                self.call_states.is_some(),
                SubscriptionKind::Call,
            ),
            (
                "group_calls_only",
                self.group_calls_only.is_some(),
                SubscriptionKind::Call,
            ),
            ("direction", self.direction.is_some(), SubscriptionKind::Sms),
            (
                "include_internal",
                self.include_internal.is_some(),
                SubscriptionKind::Sms,
            ),
            ("status", self.status.is_some(), SubscriptionKind::Sms),
            (
                "agent_type",
                self.agent_type.is_some(),
                SubscriptionKind::AgentStatus,
            ),
            (
                "contact_type",
                self.contact_type.is_some(),
                SubscriptionKind::Contact,
            ),
        ];
        for (field, present, owner) in given {
            if present && owner != kind {
                return Err(invalid(format!(
                    "{field} is not a field of {} subscriptions",
                    kind.as_str()
                )));
            }
        }
        if !kind.takes_target() && (self.target_id.is_some() || self.target_type.is_some()) {
            return Err(invalid(format!(
                "{} subscriptions are company-wide and take no target",
                kind.as_str()
            )));
        }
        Ok(())
    }

    fn target(&self) -> ApiResult<Option<Target>> {
        let id = self.target_id.as_ref().map(target_id).transpose()?;
        target(self.target_type.as_deref(), id)
    }

    /// The filter: the body's fields over `base` (the defaults on create).
    fn filter(&self, base: Filter) -> ApiResult<Filter> {
        Ok(match base {
            Filter::Call {
                states,
                group_calls_only,
            } => Filter::Call {
                states: self.call_states.clone().unwrap_or(states),
                group_calls_only: self.group_calls_only.unwrap_or(group_calls_only),
            },
            Filter::Sms {
                direction,
                include_internal,
                status,
            } => Filter::Sms {
                direction: match &self.direction {
                    Some(d) => SmsDirection::parse(d)?,
                    None => direction,
                },
                include_internal: self.include_internal.unwrap_or(include_internal),
                status: self.status.unwrap_or(status),
            },
            Filter::AgentStatus { agent_type } => Filter::AgentStatus {
                agent_type: self.agent_type.clone().unwrap_or(agent_type),
            },
            Filter::Contact { contact_type } => Filter::Contact {
                contact_type: self.contact_type.clone().unwrap_or(contact_type),
            },
            Filter::ChangeLog => Filter::ChangeLog,
        })
    }
}

fn target_id(v: &IdValue) -> ApiResult<i64> {
    match v {
        IdValue::Int(n) => Ok(*n),
        IdValue::Text(s) => s
            .trim()
            .parse()
            .map_err(|_| invalid("target_id must be a positive integer id")),
    }
}

/// The filter a new subscription of `kind` starts from; required fields must be given.
fn defaults(kind: SubscriptionKind, body: &SubscriptionBody) -> ApiResult<Filter> {
    Ok(match kind {
        SubscriptionKind::Call => Filter::Call {
            states: vec!["all".into()],
            group_calls_only: false,
        },
        SubscriptionKind::Sms => {
            if body.direction.is_none() {
                return Err(invalid("direction is required"));
            }
            Filter::Sms {
                direction: SmsDirection::All,
                include_internal: false,
                status: false,
            }
        }
        SubscriptionKind::AgentStatus => Filter::AgentStatus {
            agent_type: body
                .agent_type
                .clone()
                .ok_or_else(|| invalid("agent_type is required"))?,
        },
        SubscriptionKind::Contact => Filter::Contact {
            contact_type: body
                .contact_type
                .clone()
                .ok_or_else(|| invalid("contact_type is required"))?,
        },
        SubscriptionKind::ChangeLog => Filter::ChangeLog,
    })
}

/// The scopes a subscription made by `caller` carries (`None`: an API key, every scope; an
/// OAuth token's are those granted).
fn scopes_of(caller: &Caller) -> Option<Vec<String>> {
    caller.scopes.as_ref().map(|s| s.iter().cloned().collect())
}

/// The subscription's proto: its endpoint (a websocket with a token for this subscription),
/// target and type fields.
async fn render(
    core: &Core,
    headers: &HeaderMap,
    s: &Subscription,
    endpoint: Option<&Endpoint>,
) -> ApiResult<Value> {
    let mut v = json!({"id": s.id.0, "enabled": s.enabled});
    match endpoint {
        Some(e) if e.kind == EndpointKind::Webhook => {
            v["webhook"] = json!(webhooks::WebhookProto::from(e));
        }
        Some(e) => {
            v["websocket"] = json!(websockets::render(core, headers, e, Some(s.id)).await?);
        }
        None => {}
    }
    if let Some(t) = s.target {
        v["target_id"] = json!(t.id);
        v["target_type"] = json!(numbers::target_type(t.kind));
    }
    match &s.filter {
        Filter::Call {
            states,
            group_calls_only,
        } => {
            v["call_states"] = json!(states);
            v["group_calls_only"] = json!(group_calls_only);
        }
        Filter::Sms {
            direction,
            include_internal,
            status,
        } => {
            v["direction"] = json!(direction);
            v["include_internal"] = json!(include_internal);
            v["status"] = json!(status);
        }
        Filter::AgentStatus { agent_type } => v["agent_type"] = json!(agent_type),
        Filter::Contact { contact_type } => v["contact_type"] = json!(contact_type),
        Filter::ChangeLog => {}
    }
    Ok(v)
}

async fn render_one(core: &Core, headers: &HeaderMap, s: &Subscription) -> ApiResult<Json<Value>> {
    let endpoints = core
        .events()
        .endpoints_of(s.company_id, std::slice::from_ref(s))
        .await?;
    Ok(Json(
        render(core, headers, s, endpoints.get(&s.endpoint_id)).await?,
    ))
}

pub(crate) async fn list(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams(kind, _): PathParams<String, crate::Dialpad>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Value>> {
    let kind = kind_of(&kind)?;
    let id = q
        .target_id
        .as_deref()
        .map(|raw| target_id(&IdValue::Text(raw.to_owned())))
        .transpose()?;
    let target = target(q.target_type.as_deref(), id)?;
    let req = page(None, q.cursor)?;
    let found = core
        .events()
        .subscriptions(caller.company, kind, target, &req)
        .await?;
    let endpoints = core
        .events()
        .endpoints_of(caller.company, &found.items)
        .await?;
    let mut items = Vec::with_capacity(found.items.len());
    for s in &found.items {
        items.push(render(&core, &headers, s, endpoints.get(&s.endpoint_id)).await?);
    }
    let mut out = json!({"items": items});
    if let Some(next) = found.next {
        out["cursor"] = json!(next);
    }
    Ok(Json(out))
}

pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams(kind, _): PathParams<String, crate::Dialpad>,
    JsonBody(body, _): Body<SubscriptionBody>,
) -> ApiResult<Json<Value>> {
    let kind = kind_of(&kind)?;
    body.check_fields(kind)?;
    let endpoint: EndpointId = body
        .endpoint_id
        .as_ref()
        .ok_or_else(|| invalid("endpoint_id is required: a webhook or websocket id"))?
        .id("endpoint_id")?;
    let filter = body.filter(defaults(kind, &body)?)?;
    let s = core
        .events()
        .create_subscription(
            caller.company,
            endpoint,
            body.enabled.unwrap_or(true),
            body.target()?,
            filter,
            scopes_of(&caller),
        )
        .await?;
    render_one(&core, &headers, &s).await
}

pub(crate) async fn get(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams((kind, id), _): PathParams<(String, String), crate::Dialpad>,
) -> ApiResult<Json<Value>> {
    let kind = kind_of(&kind)?;
    let id: SubscriptionId = path_id(&id, "id")?;
    let s = core.events().subscription(caller.company, kind, id).await?;
    render_one(&core, &headers, &s).await
}

pub(crate) async fn update(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams((kind, id), _): PathParams<(String, String), crate::Dialpad>,
    JsonBody(body, _): Body<SubscriptionBody>,
) -> ApiResult<Json<Value>> {
    let kind = kind_of(&kind)?;
    let id: SubscriptionId = path_id(&id, "id")?;
    body.check_fields(kind)?;
    let current = core.events().subscription(caller.company, kind, id).await?;
    let target = if body.target_id.is_some() || body.target_type.is_some() {
        Some(body.target()?)
    } else {
        None
    };
    let change = SubscriptionChange {
        endpoint_id: body
            .endpoint_id
            .as_ref()
            .map(|e| e.id("endpoint_id"))
            .transpose()?,
        enabled: body.enabled,
        target,
        filter: Some(body.filter(current.filter)?),
    };
    let s = core
        .events()
        .update_subscription(caller.company, kind, id, change)
        .await?;
    render_one(&core, &headers, &s).await
}

pub(crate) async fn delete(
    State(core): State<Core>,
    Admin(caller): Admin,
    headers: HeaderMap,
    PathParams((kind, id), _): PathParams<(String, String), crate::Dialpad>,
) -> ApiResult<Json<Value>> {
    let kind = kind_of(&kind)?;
    let id: SubscriptionId = path_id(&id, "id")?;
    let s = core
        .events()
        .delete_subscription(caller.company, kind, id)
        .await?;
    Ok(Json(render(&core, &headers, &s, None).await?))
}
