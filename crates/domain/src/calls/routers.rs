//! Call routers: a call to a router's number is described to the customer's `routing_url`
//! (a JWT signed with the router's secret when it has one, JSON otherwise), and the answer
//! decides where it goes: `{"action": "route", "target_id", "target_type"}` (a user, call
//! center, department or office of the company), `{"action": "forward", "forward_to": E.164}`
//! or `{"action": "end"}`. A router that is off, that fails (no answer in time, not 2xx,
//! garbage, a target the company does not have) or that has failed more than ten times within
//! the hour sends the call to its default target; every failure is counted. Request and answer
//! are the call's routing breadcrumbs.
//!
//! The request leaves after the call is recorded (an [`Effect::AskRouter`]), never inside a
//! transaction; a timer sends the call to the default target should the process stop meanwhile.

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::{json, Value};

use crate::calls::control::{after, save};
use crate::calls::leg::{Breadcrumb, CallLeg, CallState, Outcome, Party, PartyKind};
use crate::calls::timer::{Timer, TimerKind};
use crate::calls::{Calls, Effect, Step};
use crate::ids::{CallId, CallRouterId, CompanyId};
use crate::routing::{self, RouterAnswer};
use crate::store::WriteTx;
use crate::{DomainError, Result};

/// How long a routing URL has to answer, in seconds.
pub const ROUTER_TIMEOUT_SECONDS: u32 = 5;

/// Sends routing requests to routers' URLs.
#[async_trait]
pub trait RoutingClient: Send + Sync {
    /// POSTs `body` to `url` — as a compact JWT (HS256, the body's fields as claims) when a
    /// secret is given, as JSON otherwise — and answers the body of a 2xx answer received
    /// within [`ROUTER_TIMEOUT_SECONDS`], or why there is none.
    async fn ask(
        &self,
        url: &str,
        body: &Value,
        secret: Option<&str>,
    ) -> std::result::Result<Vec<u8>, String>;
}

/// What the router is told about a call.
fn request(entry: &CallLeg, router: CallRouterId) -> Value {
    json!({
        "call_id": entry.id.0,
        "direction": entry.direction.as_str(),
        "external_number": entry.external_number,
        "internal_number": entry.internal_number,
        "date_started": entry.date_started.as_millisecond(),
        "state": entry.state.as_str(),
        "target": {"id": router.0, "type": "callrouter"},
    })
}

impl Calls<'_> {
    /// Routes a call to a router: asks its URL (after commit), or goes to its default target
    /// when it is off or has failed too often.
    pub(crate) async fn ask_router(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        router_id: i64,
        hops: u8,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let before = entry.state;
        let id = CallRouterId(router_id);
        let Some(router) = self.store.call_router(entry.company_id, id).await? else {
            step.voicemail(entry, now);
            return save(tx, entry, before, now).await;
        };
        let default = router_default(&router);
        let skip = if !router.enabled {
            Some("the router is off")
        } else if routing::router_disabled(self.store.recent_router_errors(id, now).await?) {
            Some("the router failed more than ten times within the hour")
        } else if self.routing_client.is_none() {
            Some("this server sends no routing requests")
        } else {
            None
        };
        if let Some(why) = skip {
            entry.breadcrumbs.push(crumb(
                &router.routing_url,
                now,
                json!({}),
                json!({"skipped": why}),
                default,
            ));
            save(tx, entry, before, now).await?;
            return self.go_default(tx, entry, default, hops, step, now).await;
        }
        save(tx, entry, before, now).await?;
        let due = after(now, ROUTER_TIMEOUT_SECONDS * 2);
        let timer = Timer::new(
            entry.company_id,
            TimerKind::RouterFallback,
            Some(entry.id),
            None,
            due,
        );
        tx.insert_timer(&timer).await?;
        step.effects.push(Effect::AskRouter {
            company: entry.company_id,
            entry: entry.id,
            router: id,
        });
        Ok(())
    }

    /// Sends the request and follows the answer (in a transaction of its own).
    pub(crate) async fn consult_router(
        &self,
        company: CompanyId,
        entry_id: CallId,
        router_id: CallRouterId,
    ) -> Result<Step> {
        let Some(client) = self.routing_client.clone() else {
            return Ok(Step::default());
        };
        let Some(router) = self.store.call_router(company, router_id).await? else {
            return Ok(Step::default());
        };
        let Some(entry) = self.store.call_leg(company, entry_id).await? else {
            return Ok(Step::default());
        };
        let body = request(&entry, router_id);
        let secret = self
            .telephony()
            .call_router_secret(company, router_id)
            .await?;
        let answer = client
            .ask(
                &router.routing_url,
                &body,
                secret.as_ref().map(|s| s.expose()),
            )
            .await;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut step = Step::default();
        let Some(mut entry) = tx.call_leg_for_update(company, entry_id).await? else {
            return Ok(step);
        };
        // The fallback timer fired first, or the caller hung up: nothing to follow.
        if entry.state != CallState::Ringing
            || entry.target.map(|t| t.kind) != Some(PartyKind::CallRouter)
        {
            return Ok(step);
        }
        tx.drop_timers_of(entry.id).await?;
        let default = router_default(&router);
        let parsed = answer.and_then(|b| {
            let text: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
            routing::parse_router_answer(&b).map(|a| (a, text))
        });
        let followed = match parsed {
            Ok((
                RouterAnswer::Route {
                    target_id,
                    target_kind,
                },
                text,
            )) => {
                let party = PartyKind::from_target_name(target_kind.as_str()).map(|kind| Party {
                    kind,
                    id: target_id,
                });
                match party {
                    Some(p) if self.target_of_company(company, p).await? => Ok((p, text)),
                    _ => Err(format!(
                        "the answer names a target the company does not have: {text}"
                    )),
                }
            }
            Ok((RouterAnswer::Forward { to }, text)) => {
                entry
                    .breadcrumbs
                    .push(crumb(&router.routing_url, now, body, text, None));
                let before = entry.state;
                entry.state = CallState::Connected;
                entry.date_connected = Some(now);
                entry.is_transferred = true;
                entry.breadcrumbs.push(crumb(
                    &router.routing_url,
                    now,
                    json!({"forward_to": to.as_str()}),
                    json!({}),
                    None,
                ));
                save(tx.as_mut(), &mut entry, before, now).await?;
                tx.commit().await?;
                return Ok(step);
            }
            Ok((RouterAnswer::End, text)) => {
                entry
                    .breadcrumbs
                    .push(crumb(&router.routing_url, now, body, text, None));
                let before = entry.state;
                entry.end(CallState::Missed, Outcome::Missed, now);
                save(tx.as_mut(), &mut entry, before, now).await?;
                step.effects.push(Effect::HangUp { leg: entry.id });
                tx.commit().await?;
                return Ok(step);
            }
            Err(why) => Err(why),
        };
        match followed {
            Ok((target, text)) => {
                entry
                    .breadcrumbs
                    .push(crumb(&router.routing_url, now, body, text, Some(target)));
                save(tx.as_mut(), &mut entry, CallState::Ringing, now).await?;
                self.route(tx.as_mut(), &mut entry, target, 1, &mut step, now)
                    .await?;
            }
            Err(why) => {
                tx.count_router_error(router_id, now).await?;
                entry.breadcrumbs.push(crumb(
                    &router.routing_url,
                    now,
                    body,
                    json!({"error": why}),
                    default,
                ));
                save(tx.as_mut(), &mut entry, CallState::Ringing, now).await?;
                self.go_default(tx.as_mut(), &mut entry, default, 1, &mut step, now)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(step)
    }

    /// The router's request timed out on the clock (or its process stopped): default target.
    pub(crate) async fn router_fallback(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        let Some(target) = entry.target.filter(|t| t.kind == PartyKind::CallRouter) else {
            return Ok(());
        };
        if entry.state != CallState::Ringing {
            return Ok(());
        }
        let id = CallRouterId(target.id);
        let Some(router) = self.store.call_router(entry.company_id, id).await? else {
            return Ok(());
        };
        tx.count_router_error(id, now).await?;
        let default = router_default(&router);
        entry.breadcrumbs.push(crumb(
            &router.routing_url,
            now,
            json!({}),
            json!({"error": "no answer in time"}),
            default,
        ));
        save(tx, entry, CallState::Ringing, now).await?;
        self.go_default(tx, entry, default, 1, step, now).await
    }

    async fn go_default(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        default: Option<Party>,
        hops: u8,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        match default {
            Some(p) => Box::pin(self.route(tx, entry, p, hops + 1, step, now)).await,
            None => {
                let before = entry.state;
                step.voicemail(entry, now);
                save(tx, entry, before, now).await
            }
        }
    }

    /// Whether the party is one of the company's.
    async fn target_of_company(&self, company: CompanyId, p: Party) -> Result<bool> {
        match self.check_target(company, p).await {
            Ok(()) => Ok(true),
            Err(DomainError::NotFound(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn router_default(router: &crate::telephony::router::CallRouter) -> Option<Party> {
    PartyKind::from_target_name(router.default_target.kind.as_str()).map(|kind| Party {
        kind,
        id: router.default_target.id,
    })
}

fn crumb(
    url: &str,
    now: Timestamp,
    request: Value,
    response: Value,
    target: Option<Party>,
) -> Breadcrumb {
    Breadcrumb {
        breadcrumb_type: "callrouter".into(),
        date: now.as_millisecond(),
        request,
        response,
        target_id: target.map(|t| t.id),
        target_type: target.map(|t| t.kind.as_str().to_owned()),
        url: Some(url.to_owned()),
    }
}
