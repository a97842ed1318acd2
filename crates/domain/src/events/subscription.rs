//! Event subscriptions: which of a company's events go to which endpoint. A subscription has a
//! type (call, SMS, agent status, contact, change log), an endpoint, whether it is enabled, an
//! optional target (a user, office, call center, … of the company; none means the company
//! itself) and the filters of its type. Matching an event against a subscription is pure code
//! here; the destination that renders events calls it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{CompanyId, EndpointId, SubscriptionId};
use crate::telephony::number::{Target, TargetKind};
use crate::{DomainError, Result};

/// Subscriptions of one type a company may have, all targets together.
pub const MAX_PER_TYPE: u64 = 100;
/// Subscriptions of one type on the company itself (no target).
pub const MAX_COMPANY_LEVEL: u64 = 10;

/// The call states a call subscription may name (the vendor's list; `all` means every one).
pub const CALL_STATES: &[&str] = &[
    "admin",
    "admin_recording",
    "ai_playbook",
    "all",
    "barge",
    "blocked",
    "call_transcription",
    "calling",
    "connected",
    "csat",
    "dispositions",
    "eavesdrop",
    "hangup",
    "hold",
    "merged",
    "missed",
    "monitor",
    "parked",
    "pcsat",
    "postcall",
    "preanswer",
    "queued",
    "recap_action_items",
    "recap_outcome",
    "recap_purposes",
    "recap_summary",
    "recording",
    "ringing",
    "takeover",
    "transcription",
    "voicemail",
    "voicemail_uploaded",
];

/// The scope a change-log subscription needs.
pub const SCOPE_CHANGE_LOG: &str = "change_log";
/// The scope recording URLs in call events need.
pub const SCOPE_RECORDINGS: &str = "recordings_export";
/// The scope SMS text needs on a subscription with a target.
pub const SCOPE_MESSAGES: &str = "message_content_export";
/// The scope SMS text needs on a subscription without a target.
pub const SCOPE_MESSAGES_ALL: &str = "message_content_export:all";

/// The type of a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionKind {
    Call,
    Sms,
    AgentStatus,
    Contact,
    ChangeLog,
}

impl SubscriptionKind {
    pub const ALL: [Self; 5] = [
        Self::Call,
        Self::Sms,
        Self::AgentStatus,
        Self::Contact,
        Self::ChangeLog,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Sms => "sms",
            Self::AgentStatus => "agent_status",
            Self::Contact => "contact",
            Self::ChangeLog => "changelog",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether subscriptions of this type may name a target.
    pub fn takes_target(self) -> bool {
        matches!(self, Self::Call | Self::Sms)
    }
}

/// SMS directions a subscription listens to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsDirection {
    All,
    Inbound,
    Outbound,
}

impl SmsDirection {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "all" => Ok(Self::All),
            "inbound" => Ok(Self::Inbound),
            "outbound" => Ok(Self::Outbound),
            other => Err(DomainError::invalid(format!(
                "direction must be all, inbound or outbound, not '{other}'"
            ))),
        }
    }
}

/// The filters of a subscription, by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Filter {
    Call {
        /// The states to send; `all` sends every one.
        states: Vec<String>,
        group_calls_only: bool,
    },
    Sms {
        direction: SmsDirection,
        include_internal: bool,
        /// Delivery-status updates of outbound messages too.
        status: bool,
    },
    AgentStatus {
        agent_type: String,
    },
    Contact {
        /// `shared` or `local`.
        contact_type: String,
    },
    ChangeLog,
}

impl Filter {
    pub fn kind(&self) -> SubscriptionKind {
        match self {
            Self::Call { .. } => SubscriptionKind::Call,
            Self::Sms { .. } => SubscriptionKind::Sms,
            Self::AgentStatus { .. } => SubscriptionKind::AgentStatus,
            Self::Contact { .. } => SubscriptionKind::Contact,
            Self::ChangeLog => SubscriptionKind::ChangeLog,
        }
    }

    /// Checks the filter's own values.
    pub fn check(&self) -> Result<()> {
        match self {
            Self::Call { states, .. } => {
                if let Some(bad) = states.iter().find(|s| !CALL_STATES.contains(&s.as_str())) {
                    return Err(DomainError::invalid(format!("unknown call state '{bad}'")));
                }
                Ok(())
            }
            Self::AgentStatus { agent_type } if agent_type != "callcenter" => Err(
                DomainError::invalid(format!("agent_type must be callcenter, not '{agent_type}'")),
            ),
            Self::Contact { contact_type }
                if contact_type != "shared" && contact_type != "local" =>
            {
                Err(DomainError::invalid(format!(
                    "contact_type must be shared or local, not '{contact_type}'"
                )))
            }
            _ => Ok(()),
        }
    }
}

/// A subscription of an endpoint to a company's events of one type.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub company_id: CompanyId,
    pub endpoint_id: EndpointId,
    pub enabled: bool,
    /// What the events must concern; `None` for the whole company.
    pub target: Option<Target>,
    pub filter: Filter,
    /// The scopes of whoever made it (`None`: an API key, every scope): content that needs a
    /// scope it lacks is left out of its events.
    pub scopes: Option<Vec<String>>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What an SMS event says about itself, for matching (see `messaging`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsFacts {
    pub inbound: bool,
    pub target: Option<Target>,
    /// Between two numbers of the same company.
    pub internal: bool,
    /// A delivery-status update of an outbound message rather than a new message.
    pub status_update: bool,
}

impl Subscription {
    pub fn kind(&self) -> SubscriptionKind {
        self.filter.kind()
    }

    /// Whether the subscriber holds `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == scope))
    }

    /// Whether SMS text may go to this subscription.
    pub fn may_read_messages(&self) -> bool {
        if self.target.is_some() {
            self.has_scope(SCOPE_MESSAGES) || self.has_scope(SCOPE_MESSAGES_ALL)
        } else {
            self.has_scope(SCOPE_MESSAGES_ALL)
        }
    }

    /// Whether a `call` event (the leg as the calls context records it) is for this
    /// subscription: its state is one of the subscription's, it concerns the target (the leg's
    /// target, the target the call first reached, its user, or its office), and it went
    /// through a group when only group calls are wanted.
    pub fn wants_call(&self, leg: &Value) -> bool {
        let Filter::Call {
            states,
            group_calls_only,
        } = &self.filter
        else {
            return false;
        };
        let state = leg.get("state").and_then(Value::as_str).unwrap_or_default();
        if !states.iter().any(|s| s == "all" || s == state) {
            return false;
        }
        let party = |field: &str| -> Option<(String, i64)> {
            let p = leg.get(field)?;
            Some((p.get("kind")?.as_str()?.to_owned(), p.get("id")?.as_i64()?))
        };
        if *group_calls_only {
            let group = leg.get("group_id").is_some_and(|g| !g.is_null())
                || party("entry_target").is_some_and(|(k, _)| {
                    matches!(k.as_str(), "office" | "call_center" | "department")
                });
            if !group {
                return false;
            }
        }
        let Some(target) = self.target else {
            return true;
        };
        let kind = target.kind.as_str();
        let is = |p: Option<(String, i64)>| p.is_some_and(|(k, id)| k == kind && id == target.id);
        is(party("target"))
            || is(party("entry_target"))
            || (target.kind == TargetKind::User
                && leg.get("user_id").and_then(Value::as_i64) == Some(target.id))
            || (target.kind == TargetKind::Office
                && leg.get("office_id").and_then(Value::as_i64) == Some(target.id))
            || (matches!(target.kind, TargetKind::CallCenter | TargetKind::Department)
                && leg.get("group_id").and_then(Value::as_i64) == Some(target.id))
    }

    /// Whether an SMS event is for this subscription.
    pub fn wants_sms(&self, sms: &SmsFacts) -> bool {
        let Filter::Sms {
            direction,
            include_internal,
            status,
        } = &self.filter
        else {
            return false;
        };
        let direction_ok = match direction {
            SmsDirection::All => true,
            SmsDirection::Inbound => sms.inbound,
            SmsDirection::Outbound => !sms.inbound,
        };
        direction_ok
            && (!sms.internal || *include_internal)
            && (!sms.status_update || *status)
            && self.target.is_none_or(|t| sms.target == Some(t))
    }

    /// Whether a contact event of `contact_type` (`shared` or `local`) is for this
    /// subscription.
    pub fn wants_contact(&self, contact_type: &str) -> bool {
        matches!(&self.filter, Filter::Contact { contact_type: t } if t == contact_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sub(filter: Filter, target: Option<Target>) -> Subscription {
        Subscription {
            id: SubscriptionId(1),
            company_id: CompanyId(1),
            endpoint_id: EndpointId(2),
            enabled: true,
            target,
            filter,
            scopes: None,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn call(states: &[&str], group_only: bool, target: Option<Target>) -> Subscription {
        let states = states.iter().map(|s| (*s).to_owned()).collect();
        sub(
            Filter::Call {
                states,
                group_calls_only: group_only,
            },
            target,
        )
    }

    #[test]
    fn call_states_and_targets_select_events() {
        let leg = json!({"state": "ringing", "target": {"kind": "user", "id": 7},
            "entry_target": {"kind": "call_center", "id": 9}, "group_id": 9, "user_id": 7,
            "office_id": 3});
        assert!(call(&["ringing"], false, None).wants_call(&leg));
        assert!(call(&["all"], false, None).wants_call(&leg));
        assert!(!call(&["hangup"], false, None).wants_call(&leg));
        let cc = Target {
            kind: TargetKind::CallCenter,
            id: 9,
        };
        let user = Target {
            kind: TargetKind::User,
            id: 7,
        };
        let office = Target {
            kind: TargetKind::Office,
            id: 3,
        };
        let other = Target {
            kind: TargetKind::User,
            id: 8,
        };
        assert!(call(&["all"], false, Some(cc)).wants_call(&leg));
        assert!(call(&["all"], false, Some(user)).wants_call(&leg));
        assert!(call(&["all"], false, Some(office)).wants_call(&leg));
        assert!(!call(&["all"], false, Some(other)).wants_call(&leg));
        assert!(call(&["all"], true, None).wants_call(&leg));
        let direct = json!({"state": "ringing", "target": {"kind": "user", "id": 7},
            "entry_target": {"kind": "user", "id": 7}, "group_id": null});
        assert!(!call(&["all"], true, None).wants_call(&direct));
        assert!(!sub(Filter::ChangeLog, None).wants_call(&leg));
    }

    #[test]
    fn sms_direction_internal_and_status_select_events() {
        let s = |direction, include_internal, status| {
            sub(
                Filter::Sms {
                    direction,
                    include_internal,
                    status,
                },
                None,
            )
        };
        let inbound = SmsFacts {
            inbound: true,
            target: None,
            internal: false,
            status_update: false,
        };
        assert!(s(SmsDirection::All, false, false).wants_sms(&inbound));
        assert!(s(SmsDirection::Inbound, false, false).wants_sms(&inbound));
        assert!(!s(SmsDirection::Outbound, false, false).wants_sms(&inbound));
        let internal = SmsFacts {
            internal: true,
            ..inbound
        };
        assert!(!s(SmsDirection::All, false, false).wants_sms(&internal));
        assert!(s(SmsDirection::All, true, false).wants_sms(&internal));
        let status = SmsFacts {
            inbound: false,
            status_update: true,
            ..inbound
        };
        assert!(!s(SmsDirection::All, false, false).wants_sms(&status));
        assert!(s(SmsDirection::Outbound, false, true).wants_sms(&status));
    }

    #[test]
    fn filters_check_their_values_and_scopes_gate_text() {
        assert!(Filter::Call {
            states: vec!["ringing".into(), "flying".into()],
            group_calls_only: false
        }
        .check()
        .is_err());
        assert!(Filter::AgentStatus {
            agent_type: "robot".into()
        }
        .check()
        .is_err());
        let mut s = sub(Filter::ChangeLog, None);
        assert!(s.may_read_messages());
        s.scopes = Some(vec![SCOPE_MESSAGES.into()]);
        assert!(!s.may_read_messages());
        s.target = Some(Target {
            kind: TargetKind::User,
            id: 1,
        });
        assert!(s.may_read_messages());
    }
}
