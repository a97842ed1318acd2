//! A call leg: one party's part of a call, the unit Dialpad calls "a call". An inbound call to a
//! call center is an entry-point leg (the caller waiting on the group) and one operator leg per
//! operator rung (`entry_point_call_id` names the entry-point leg; the entry-point leg's
//! `operator_call_id` names the leg that answered). A call to a user is one leg.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{CallId, CompanyId, GroupId, Id, OfficeId, UserId};

/// The states a leg moves through (Dialpad's call states, those the control plane produces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// An outbound leg dialing.
    Calling,
    /// An inbound leg arrived, or an operator's device rings.
    Ringing,
    /// Waiting in a group's hold queue.
    Queued,
    Connected,
    Hold,
    /// Refused: the caller is on the company's blocked list.
    Blocked,
    /// Nobody answered (or the operator declined, or the caller gave up first).
    Missed,
    /// The caller was sent to voicemail.
    Voicemail,
    /// The leg ended.
    Hangup,
}

impl CallState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Calling => "calling",
            Self::Ringing => "ringing",
            Self::Queued => "queued",
            Self::Connected => "connected",
            Self::Hold => "hold",
            Self::Blocked => "blocked",
            Self::Missed => "missed",
            Self::Voicemail => "voicemail",
            Self::Hangup => "hangup",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Calling,
            Self::Ringing,
            Self::Queued,
            Self::Connected,
            Self::Hold,
            Self::Blocked,
            Self::Missed,
            Self::Voicemail,
            Self::Hangup,
        ]
        .into_iter()
        .find(|s2| s2.as_str() == s)
    }

    /// Whether the leg is over.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Blocked | Self::Missed | Self::Voicemail | Self::Hangup
        )
    }

    /// Whether the leg's parties talk (or are on hold) now.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Connected | Self::Hold)
    }
}

/// How a leg ended, once it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Answered,
    Missed,
    Voicemail,
    Blocked,
    /// An operator leg that stopped ringing because another operator answered first.
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::Missed => "missed",
            Self::Voicemail => "voicemail",
            Self::Blocked => "blocked",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Answered,
            Self::Missed,
            Self::Voicemail,
            Self::Blocked,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// What a leg is for Switchboard's side of the call: a user, an office's main line, a call
/// center, a department, a call router, an AI agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Party {
    /// `user`, `office`, `call_center`, `department`, `call_router`, `ai_agent`.
    pub kind: PartyKind,
    pub id: i64,
}

/// The kinds of [`Party`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    User,
    Office,
    CallCenter,
    Department,
    CallRouter,
    AiAgent,
}

impl PartyKind {
    pub const ALL: [Self; 6] = [
        Self::User,
        Self::Office,
        Self::CallCenter,
        Self::Department,
        Self::CallRouter,
        Self::AiAgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Office => "office",
            Self::CallCenter => "call_center",
            Self::Department => "department",
            Self::CallRouter => "call_router",
            Self::AiAgent => "ai_agent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A target kind as routing settings, call routers and numbers name it (`callcenter` or
    /// `call_center`, …); AI agents and kinds that take no calls are `None`.
    pub fn from_target_name(name: &str) -> Option<Self> {
        match name {
            "user" => Some(Self::User),
            "office" => Some(Self::Office),
            "callcenter" | "call_center" => Some(Self::CallCenter),
            "department" => Some(Self::Department),
            "callrouter" | "call_router" => Some(Self::CallRouter),
            _ => None,
        }
    }

    /// The kind of number holder this party is (AI agents hold no numbers).
    pub fn number_target(self) -> Option<crate::telephony::number::TargetKind> {
        crate::telephony::number::TargetKind::parse(self.as_str()).ok()
    }
}

/// Direction of a leg, seen from the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inbound" => Some(Self::Inbound),
            "outbound" => Some(Self::Outbound),
            _ => None,
        }
    }
}

/// A routing step recorded on the leg (call routers, the engine's own decisions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breadcrumb {
    /// `callrouter`, `external_api`, or `engine` for the routing engine's own steps.
    pub breadcrumb_type: String,
    /// Unix milliseconds.
    pub date: i64,
    pub request: serde_json::Value,
    pub response: serde_json::Value,
    pub target_id: Option<i64>,
    pub target_type: Option<String>,
    pub url: Option<String>,
}

/// One leg of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallLeg {
    pub id: CallId,
    pub company_id: CompanyId,
    pub direction: Direction,
    pub state: CallState,
    pub outcome: Option<Outcome>,
    /// The outside party's number (E.164).
    pub external_number: String,
    /// The company's number on the call (E.164).
    pub internal_number: String,
    /// Who on Switchboard's side the leg is for.
    pub target: Option<Party>,
    /// Where an inbound call first arrived (entry-point and operator legs).
    pub entry_target: Option<Party>,
    /// The group the call waits on, if any.
    pub group_id: Option<GroupId>,
    pub office_id: Option<OfficeId>,
    /// The user whose device the leg rings or connects.
    pub user_id: Option<UserId>,
    pub master_call_id: Option<CallId>,
    pub entry_point_call_id: Option<CallId>,
    pub operator_call_id: Option<CallId>,
    pub date_started: Timestamp,
    pub date_rang: Option<Timestamp>,
    pub date_queued: Option<Timestamp>,
    pub date_connected: Option<Timestamp>,
    pub date_ended: Option<Timestamp>,
    /// Milliseconds spent on hold so far.
    pub hold_ms: i64,
    /// When the current hold began.
    pub hold_started: Option<Timestamp>,
    pub is_transferred: bool,
    pub recording: bool,
    pub was_recorded: bool,
    pub voice_intelligence: bool,
    pub callback_requested: bool,
    pub labels: Vec<String>,
    pub breadcrumbs: Vec<Breadcrumb>,
    pub custom_data: Option<String>,
    /// The AI agent version that handled the leg.
    pub ai_agent_version: Option<i64>,
    pub updated_at: Timestamp,
}

impl CallLeg {
    /// A new inbound leg from `external` to `internal`, ringing at `now`.
    pub fn inbound(
        company: CompanyId,
        external: &str,
        internal: &str,
        target: Option<Party>,
        now: Timestamp,
    ) -> Self {
        Self {
            id: CallId::generate(),
            company_id: company,
            direction: Direction::Inbound,
            state: CallState::Ringing,
            outcome: None,
            external_number: external.to_owned(),
            internal_number: internal.to_owned(),
            target,
            entry_target: target,
            group_id: None,
            office_id: None,
            user_id: None,
            master_call_id: None,
            entry_point_call_id: None,
            operator_call_id: None,
            date_started: now,
            date_rang: Some(now),
            date_queued: None,
            date_connected: None,
            date_ended: None,
            hold_ms: 0,
            hold_started: None,
            is_transferred: false,
            recording: false,
            was_recorded: false,
            voice_intelligence: false,
            callback_requested: false,
            labels: Vec::new(),
            breadcrumbs: Vec::new(),
            custom_data: None,
            ai_agent_version: None,
            updated_at: now,
        }
    }

    /// An operator leg of `entry`, ringing `user` at `now`.
    pub fn operator(entry: &CallLeg, user: UserId, now: Timestamp) -> Self {
        let mut leg = Self::inbound(
            entry.company_id,
            &entry.external_number,
            &entry.internal_number,
            Some(Party {
                kind: PartyKind::User,
                id: user.0,
            }),
            now,
        );
        leg.entry_target = entry.entry_target;
        leg.group_id = entry.group_id;
        leg.office_id = entry.office_id;
        leg.user_id = Some(user);
        leg.entry_point_call_id = Some(entry.id);
        leg
    }

    /// Milliseconds from start to end (or to `now` while the leg lasts).
    pub fn total_ms(&self, now: Timestamp) -> i64 {
        let end = self.date_ended.unwrap_or(now);
        (end.as_millisecond() - self.date_started.as_millisecond()).max(0)
    }

    /// Milliseconds connected (talking or on hold).
    pub fn talk_ms(&self, now: Timestamp) -> i64 {
        match self.date_connected {
            Some(c) => {
                let end = self.date_ended.unwrap_or(now);
                (end.as_millisecond() - c.as_millisecond()).max(0)
            }
            None => 0,
        }
    }

    /// Moves the leg to a final state with its outcome at `now`.
    pub fn end(&mut self, state: CallState, outcome: Outcome, now: Timestamp) {
        if let Some(h) = self.hold_started.take() {
            self.hold_ms += (now.as_millisecond() - h.as_millisecond()).max(0);
        }
        self.state = state;
        self.outcome = Some(outcome);
        self.date_ended = Some(now);
        self.recording = false;
        self.updated_at = now;
    }
}

/// Filters of a company's call list.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    pub started_after: Option<Timestamp>,
    pub started_before: Option<Timestamp>,
    pub target: Option<Party>,
    /// Only calls that have ended.
    pub concluded: bool,
    pub direction: Option<Direction>,
    pub state: Option<CallState>,
    /// The outside party's number (E.164): the caller of an inbound leg, the number an
    /// outbound one dialled.
    pub number: Option<String>,
}

impl CallFilter {
    /// What the filter narrows, as text: page tokens are sealed to it, so a token is only
    /// good for the list it came from.
    pub fn scope(&self) -> String {
        format!(
            "{}:{}:{}:{}:{}:{}:{}",
            self.concluded,
            self.started_after.map_or(0, |t| t.as_millisecond()),
            self.started_before.map_or(0, |t| t.as_millisecond()),
            self.target
                .map_or(String::new(), |p| format!("{}:{}", p.kind.as_str(), p.id)),
            self.direction.map_or("", Direction::as_str),
            self.state.map_or("", CallState::as_str),
            self.number.as_deref().unwrap_or_default(),
        )
    }
}

/// A line of a call's transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub call_id: CallId,
    pub seq: i64,
    /// `external` (the outside party) or `internal`.
    pub side: String,
    /// Who spoke: the number or the user's name.
    pub speaker: Option<String>,
    pub text: String,
    pub at: Timestamp,
}
