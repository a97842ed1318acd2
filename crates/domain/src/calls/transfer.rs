//! Transfers: the outside party of a connected call goes to another target (a user, a call
//! center, a department, an office's main line, which the call is routed to as a new inbound
//! call would be), to an outside number, or to voicemail. The operator who had the call is
//! released (and wraps up). The call keeps its entry leg, so its transcript — what was said
//! with the AI agent or the first operator — is what the next operator reads.

use jiff::Timestamp;
use serde_json::json;

use crate::calls::control::save;
use crate::calls::leg::{Breadcrumb, CallLeg, CallState, Outcome, Party, PartyKind};
use crate::calls::{Calls, Effect, Step};
use crate::ids::{CallId, CompanyId};
use crate::phone::E164;
use crate::store::WriteTx;
use crate::{DomainError, Result};

/// Where a call is transferred to.
#[derive(Debug, Clone)]
pub enum TransferTo {
    Target(Party),
    Number(String),
}

/// How the transferred call arrives (`transfer_state`): rung at the target (the default), or
/// straight to the target's voicemail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Arrival {
    #[default]
    Ring,
    Voicemail,
}

/// What a transfer did.
#[derive(Debug, Clone)]
pub struct Transferred {
    pub call: CallLeg,
    pub number: Option<String>,
}

impl Calls<'_> {
    /// Transfers one of the company's connected calls (given by its entry leg or the leg of
    /// the operator who has it).
    pub async fn transfer(
        &self,
        company: CompanyId,
        id: CallId,
        to: TransferTo,
        arrival: Arrival,
        custom_data: Option<String>,
    ) -> Result<Transferred> {
        let number = match &to {
            TransferTo::Number(n) => Some(
                E164::parse(n, None)
                    .map_err(|_| DomainError::invalid(format!("'{n}' is not an E.164 number")))?
                    .as_str()
                    .to_owned(),
            ),
            TransferTo::Target(t) => {
                self.check_target(company, *t).await?;
                None
            }
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut entry = self.locked_entry(tx.as_mut(), company, id).await?;
        if !entry.state.is_live() {
            return Err(DomainError::invalid(
                "only a connected call can be transferred",
            ));
        }
        let mut step = Step::default();
        self.release_talker(tx.as_mut(), &mut entry, &mut step, now)
            .await?;
        let before = entry.state;
        entry.is_transferred = true;
        if custom_data.is_some() {
            entry.custom_data = custom_data;
        }
        let target = match &to {
            TransferTo::Target(t) => Some(*t),
            TransferTo::Number(_) => None,
        };
        entry.breadcrumbs.push(Breadcrumb {
            breadcrumb_type: "transfer".into(),
            date: now.as_millisecond(),
            request: json!({"number": number}),
            response: json!({}),
            target_id: target.map(|t| t.id),
            target_type: target.map(|t| t.kind.as_str().to_owned()),
            url: None,
        });
        match (to, arrival) {
            (TransferTo::Number(_), _) => {
                // The outside number answers (on the simulator at once): the caller talks to it.
                entry.user_id = None;
                save(tx.as_mut(), &mut entry, before, now).await?;
            }
            (TransferTo::Target(_), Arrival::Voicemail) => {
                step.voicemail(&mut entry, now);
                save(tx.as_mut(), &mut entry, before, now).await?;
            }
            (TransferTo::Target(t), Arrival::Ring) => {
                entry.state = CallState::Ringing;
                entry.date_rang = Some(now);
                entry.group_id = None;
                entry.user_id = None;
                entry.operator_call_id = None;
                save(tx.as_mut(), &mut entry, before, now).await?;
                self.route(tx.as_mut(), &mut entry, t, 0, &mut step, now)
                    .await?;
            }
        }
        tx.commit().await?;
        self.finish(step).await?;
        Ok(Transferred {
            call: self.call(company, entry.id).await?,
            number,
        })
    }

    /// A blind transfer asked for by a phone (SIP `REFER`): `address` is the `Refer-To` URI's
    /// user part, either one of the company's numbers (E.164, with or without `+`: the call
    /// goes to the number's target, as a call to that number would) or the username of one of
    /// the company's SIP accounts (its user is rung). An outside number, or anything else, is
    /// not found: this network reaches outside numbers only through a carrier.
    pub async fn transfer_to_address(
        &self,
        company: CompanyId,
        id: CallId,
        address: &str,
    ) -> Result<Transferred> {
        let target = self.address_target(company, address).await?;
        self.transfer(company, id, TransferTo::Target(target), Arrival::Ring, None)
            .await
    }

    /// The company's party that `address` (a number or a SIP username) names.
    pub async fn address_target(&self, company: CompanyId, address: &str) -> Result<Party> {
        let missing = || DomainError::NotFound("transfer target");
        if let Some(number) = crate::telephony::e164_of(address) {
            let held = self
                .store
                .number(company, number.as_str())
                .await?
                .ok_or_else(missing)?;
            let target = held.target.ok_or_else(missing)?;
            let kind = PartyKind::from_target_name(target.kind.as_str()).ok_or_else(missing)?;
            return Ok(Party {
                kind,
                id: target.id,
            });
        }
        match self.store.sip_account(address).await? {
            Some(account) if account.company_id == company => Ok(Party {
                kind: PartyKind::User,
                id: account.user_id.0,
            }),
            _ => Err(missing()),
        }
    }

    /// The party on Switchboard's side of a connected call hangs up their leg and is free (after
    /// wrap-up); the caller stays.
    async fn release_talker(
        &self,
        tx: &mut dyn WriteTx,
        entry: &mut CallLeg,
        step: &mut Step,
        now: Timestamp,
    ) -> Result<()> {
        match entry.operator_call_id {
            Some(op_id) => {
                let mut op = tx
                    .call_leg_for_update(entry.company_id, op_id)
                    .await?
                    .ok_or(DomainError::NotFound("call"))?;
                let was = op.state;
                op.end(CallState::Hangup, Outcome::Answered, now);
                save(tx, &mut op, was, now).await?;
                step.effects.push(Effect::HangUp { leg: op.id });
                if let Some(user) = op.user_id {
                    tx.release_operator(user, op.id).await?;
                    self.wrap_up(tx, entry, user, step, now).await?;
                }
            }
            None => {
                if let Some(user) = entry.user_id {
                    tx.release_operator(user, entry.id).await?;
                    self.wrap_up(tx, entry, user, step, now).await?;
                }
            }
        }
        Ok(())
    }

    /// A transfer target must be one of the company's (a live user, an office, a call center
    /// or department of that kind).
    pub(crate) async fn check_target(&self, company: CompanyId, t: Party) -> Result<()> {
        match self.party_office(company, t).await {
            Ok(_) => Ok(()),
            Err(DomainError::NotFound(_)) => Err(DomainError::NotFound("transfer target")),
            Err(e) => Err(e),
        }
    }
}
