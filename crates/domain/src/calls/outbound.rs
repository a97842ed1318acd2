//! Outbound calls: a user calls a number, and a call center, department or office calls a
//! number with its IVR (the outside party answers at once).
//!
//! A user's call rings their device first (the leg is `calling`). When it answers, the
//! network dials the outside number ([`Effect::Dial`]; the simulated outside party answers
//! at once, a SIP carrier when its callee does) and the leg stays `calling` until the outside
//! party answers ([`NetworkEvent::Reached`](crate::telephony::driver::NetworkEvent)): then it
//! is `connected`. An outside party that does not answer within [`DIAL_SECONDS`], is busy or
//! declines leaves the call `missed`.
//!
//! The number a call shows (`internal_number`) is the one asked for — `blocked`, one of the
//! user's caller ids (their numbers, then their office's) or a number of the group the call is
//! made for — or else the group's primary number, the user's chosen caller id, their first
//! caller id. A user with no number to call from cannot call (400).

use jiff::Timestamp;

use crate::calls::control::{after, on_call, save};
use crate::calls::flow::DIRECT_RING_SECONDS;
use crate::calls::leg::{CallLeg, CallState, Direction, Party, PartyKind};
use crate::calls::timer::{Timer, TimerKind};
use crate::calls::{event, Calls, Effect, Step};
use crate::ids::{CallId, CompanyId, DeviceId, GroupId, Id as _, OfficeId, UserId};
use crate::page::PageRequest;
use crate::phone::E164;
use crate::store::WriteTx;
use crate::telephony::device::{Device, DeviceFilter};
use crate::telephony::directory::DirectoryUser;
use crate::telephony::group::GroupKind;
use crate::telephony::people::BLOCKED_CALLER_ID;
use crate::{DomainError, Result};

/// Longest `custom_data`, in characters.
pub const MAX_CUSTOM_DATA: usize = 2000;

/// How long the outside party of a user's call may ring before the call is given up.
pub const DIAL_SECONDS: u32 = 60;

/// A user's call to a number.
#[derive(Debug, Clone)]
pub struct OutboundCall {
    pub user: UserId,
    pub phone_number: String,
    /// `blocked`, or the E.164 number the call shows.
    pub caller_id: Option<String>,
    /// The call center, department or office the call is made for.
    pub group: Option<Party>,
    pub custom_data: Option<String>,
    /// The one device to ring (one of the user's); all of them when `None`.
    pub device: Option<DeviceId>,
}

/// A group's (or office's) IVR calling a number.
#[derive(Debug, Clone)]
pub struct IvrCall {
    /// A call center, department or office.
    pub target: Party,
    pub phone_number: String,
    pub caller_id: Option<String>,
    pub custom_data: Option<String>,
}

/// A number to call, in E.164 (400 naming `field` otherwise).
pub(crate) fn e164(field: &str, raw: &str) -> Result<String> {
    E164::parse(raw, None)
        .map(|n| n.as_str().to_owned())
        .map_err(|_| DomainError::invalid(format!("{field} '{raw}' is not an E.164 number")))
}

fn check_custom_data(data: &Option<String>) -> Result<()> {
    match data {
        Some(d) if d.chars().count() > MAX_CUSTOM_DATA => Err(DomainError::invalid(format!(
            "custom_data is longer than {MAX_CUSTOM_DATA} characters"
        ))),
        _ => Ok(()),
    }
}

/// A new outbound leg from `internal` to `external`, calling at `now`.
pub(crate) fn outbound_leg(
    company: CompanyId,
    external: &str,
    internal: &str,
    target: Option<Party>,
    now: Timestamp,
) -> CallLeg {
    let mut leg = CallLeg::inbound(company, external, internal, target, now);
    leg.direction = Direction::Outbound;
    leg.state = CallState::Calling;
    leg.entry_target = None;
    leg
}

impl Calls<'_> {
    /// A user, call center, department or office of the company (404 otherwise), with its
    /// office.
    pub(crate) async fn party_office(&self, company: CompanyId, party: Party) -> Result<OfficeId> {
        let group = |kind: GroupKind| async move {
            self.store
                .group(company, GroupId::from_raw(party.id))
                .await?
                .filter(|g| g.kind == kind)
                .map(|g| g.office_id)
                .ok_or(DomainError::NotFound("group"))
        };
        match party.kind {
            PartyKind::User => Ok(self
                .telephony()
                .live_directory_user(company, UserId(party.id))
                .await?
                .entry
                .office_id),
            PartyKind::Office => Ok(self
                .store
                .office(company, OfficeId(party.id))
                .await?
                .ok_or(DomainError::NotFound("office"))?
                .id),
            PartyKind::CallCenter => group(GroupKind::CallCenter).await,
            PartyKind::Department => group(GroupKind::Department).await,
            PartyKind::CallRouter | PartyKind::AiAgent => Err(DomainError::NotFound("target")),
        }
    }

    /// The party's numbers, primary first.
    pub(crate) async fn party_numbers(&self, party: Party) -> Result<Vec<String>> {
        let Some(kind) = party.kind.number_target() else {
            return Ok(Vec::new());
        };
        Ok(self
            .telephony()
            .numbers_of(kind, &[party.id])
            .await?
            .remove(&party.id)
            .unwrap_or_default())
    }

    /// The number a call shows: `asked` if it is one the caller may show (`allowed`), else the
    /// first of `defaults`.
    fn shown_number(
        asked: Option<&str>,
        allowed: &[String],
        defaults: &[String],
    ) -> Result<String> {
        match asked {
            Some(b) if b.eq_ignore_ascii_case(BLOCKED_CALLER_ID) => Ok(BLOCKED_CALLER_ID.into()),
            Some(raw) => {
                let n = e164("outbound_caller_id", raw)?;
                if allowed.contains(&n) {
                    Ok(n)
                } else {
                    Err(DomainError::invalid(format!(
                        "outbound_caller_id {n} is not a number this call may show"
                    )))
                }
            }
            None => defaults
                .first()
                .cloned()
                .ok_or_else(|| DomainError::invalid("there is no number to call from")),
        }
    }

    /// The first of the user's registered devices, if they have one.
    pub async fn first_device(&self, company: CompanyId, user: UserId) -> Result<Option<Device>> {
        let page = PageRequest {
            limit: 1,
            token: None,
            reverse: false,
        };
        let filter = DeviceFilter {
            user_id: Some(user),
        };
        Ok(self
            .telephony()
            .devices(company, &filter, &page)
            .await?
            .items
            .into_iter()
            .next())
    }

    /// A user calls a number: their device rings (on a leg `calling`, for the ring time); when
    /// it answers, the outside party answers at once. A user on another call is refused (409).
    pub async fn ring_out(&self, company: CompanyId, call: OutboundCall) -> Result<CallLeg> {
        let external = e164("phone_number", &call.phone_number)?;
        check_custom_data(&call.custom_data)?;
        let user: DirectoryUser = self
            .telephony()
            .live_directory_user(company, call.user)
            .await?;
        if let Some(device) = call.device {
            let found = self.telephony().device(company, device).await?;
            if found.user_id != call.user {
                return Err(DomainError::NotFound("device"));
            }
        }
        let mut allowed = self.telephony().caller_ids(&user).await?;
        let mut defaults = Vec::new();
        if let Some(group) = call.group {
            self.party_office(company, group).await?;
            let numbers = self.party_numbers(group).await?;
            defaults.extend(numbers.iter().cloned());
            allowed.extend(numbers);
        }
        defaults.extend(user.entry.fields.caller_id.iter().cloned());
        defaults.extend(allowed.iter().cloned());
        let internal = Self::shown_number(call.caller_id.as_deref(), &allowed, &defaults)?;
        let now = self.clock.now();
        let party = Party {
            kind: PartyKind::User,
            id: call.user.0,
        };
        let mut leg = outbound_leg(company, &external, &internal, Some(party), now);
        leg.user_id = Some(call.user);
        leg.office_id = Some(user.entry.office_id);
        leg.custom_data = call.custom_data;
        let mut tx = self.store.begin().await?;
        if !tx.claim_operator(company, call.user, leg.id, now).await? {
            return Err(DomainError::Conflict("the user is on another call".into()));
        }
        tx.insert_call_leg(&leg).await?;
        event::record(tx.as_mut(), &leg, now).await?;
        let due = after(now, DIRECT_RING_SECONDS);
        let timer = Timer::new(company, TimerKind::RingTimeout, Some(leg.id), None, due);
        tx.insert_timer(&timer).await?;
        tx.commit().await?;
        let step = Step {
            effects: vec![Effect::Ring {
                company,
                entry: leg.id,
                leg: leg.id,
                user: call.user,
            }],
            freed: Vec::new(),
        };
        self.finish(step).await?;
        self.call(company, leg.id).await
    }

    /// The user's device answered their outbound leg: the outside number is dialled, with
    /// [`DIAL_SECONDS`] to answer. The leg stays `calling`.
    pub(crate) async fn dial_out(
        &self,
        tx: &mut dyn WriteTx,
        leg: &CallLeg,
        now: Timestamp,
    ) -> Result<Step> {
        tx.drop_timers_of(leg.id).await?;
        let due = after(now, DIAL_SECONDS);
        let timer = Timer::new(
            leg.company_id,
            TimerKind::RingTimeout,
            Some(leg.id),
            None,
            due,
        );
        tx.insert_timer(&timer).await?;
        Ok(Step {
            effects: vec![Effect::Dial {
                company: leg.company_id,
                leg: leg.id,
                from: leg.internal_number.clone(),
                to: leg.external_number.clone(),
            }],
            freed: Vec::new(),
        })
    }

    /// The outside party of a user's outbound leg answered: the leg is `connected`, the user
    /// `occupied`, and the network bridges the two.
    pub(crate) async fn reached(&self, company: CompanyId, id: CallId) -> Result<Step> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut leg = self.locked_leg(tx.as_mut(), company, id).await?;
        let user = match leg.user_id {
            Some(user)
                if leg.direction == Direction::Outbound
                    && leg.entry_point_call_id.is_none()
                    && leg.state == CallState::Calling =>
            {
                user
            }
            _ => {
                return Err(DomainError::Conflict(
                    "the call is not a user's outbound call being dialled".into(),
                ))
            }
        };
        leg.state = CallState::Connected;
        leg.date_connected = Some(now);
        save(tx.as_mut(), &mut leg, CallState::Calling, now).await?;
        on_call(tx.as_mut(), company, user, "occupied", now).await?;
        tx.drop_timers_of(leg.id).await?;
        tx.commit().await?;
        Ok(Step {
            effects: vec![Effect::Bridge {
                entry: leg.id,
                operator: leg.id,
            }],
            freed: Vec::new(),
        })
    }

    /// A call center, department or office calls a number with its IVR; the simulated outside
    /// party answers at once, so the call is `connected` with the target as its target.
    pub async fn ivr_call(&self, company: CompanyId, call: IvrCall) -> Result<CallLeg> {
        let external = e164("phone_number", &call.phone_number)?;
        check_custom_data(&call.custom_data)?;
        if !matches!(
            call.target.kind,
            PartyKind::CallCenter | PartyKind::Department | PartyKind::Office
        ) {
            return Err(DomainError::invalid(
                "target_type must be callcenter, department or office",
            ));
        }
        let office = self.party_office(company, call.target).await?;
        let numbers = self.party_numbers(call.target).await?;
        let internal = Self::shown_number(call.caller_id.as_deref(), &numbers, &numbers)?;
        let now = self.clock.now();
        let mut leg = outbound_leg(company, &external, &internal, Some(call.target), now);
        leg.office_id = Some(office);
        leg.custom_data = call.custom_data;
        let mut tx = self.store.begin().await?;
        tx.insert_call_leg(&leg).await?;
        event::record(tx.as_mut(), &leg, now).await?;
        leg.state = CallState::Connected;
        leg.date_connected = Some(now);
        save(tx.as_mut(), &mut leg, CallState::Calling, now).await?;
        tx.commit().await?;
        let step = Step {
            effects: vec![Effect::Play {
                leg: leg.id,
                prompt: format!(
                    "the IVR of {} {}",
                    call.target.kind.as_str(),
                    call.target.id
                ),
            }],
            freed: Vec::new(),
        };
        self.finish(step).await?;
        self.call(company, leg.id).await
    }
}
