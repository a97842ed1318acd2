//! Text messages and the opt-out list, and the rules that need no storage: limits, the
//! recipients of a message, the opt-out keywords, the event payload and what a subscription
//! matcher reads from it.

use jiff::Timestamp;
use serde_json::{json, Value};

use crate::ids::{CompanyId, MediaId, MessageId, UserId};
use crate::phone::E164;
use crate::telephony::number::{Target, TargetKind};
use crate::{DomainError, Result};

/// Most recipients of one message (the vendor's limit).
pub const MAX_RECIPIENTS: usize = 10;
/// Longest text, in characters (ten concatenated SMS segments of 160).
pub const MAX_TEXT_CHARS: usize = 1600;
/// Largest attachment, in bytes (the vendor's 500 KiB).
pub const MAX_MEDIA_BYTES: usize = 500 * 1024;

/// Inbound texts that opt their sender out of the company's messages.
pub const STOP_KEYWORDS: [&str; 6] = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
/// Inbound texts that opt their sender back in.
pub const START_KEYWORDS: [&str; 3] = ["START", "UNSTOP", "YES"];

/// Which way a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "inbound" => Ok(Self::Inbound),
            "outbound" => Ok(Self::Outbound),
            other => Err(DomainError::invalid(format!(
                "direction must be 'inbound' or 'outbound', not '{other}'"
            ))),
        }
    }
}

/// Where a message stands. Outbound messages move forward only: `pending` (recorded), then
/// what the network reports (`sending`, `sent`, and one of the last three). Inbound messages
/// are `delivered` when recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pending,
    Sending,
    Sent,
    Delivered,
    Failed,
    Undelivered,
}

impl Status {
    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Sending,
        Self::Sent,
        Self::Delivered,
        Self::Failed,
        Self::Undelivered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Undelivered => "undelivered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Nothing follows these.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::Failed | Self::Undelivered)
    }

    /// Whether a message in this state may move to `next`.
    pub fn may_become(self, next: Self) -> bool {
        !self.is_final() && next > self
    }
}

/// The network's last word on an outbound message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryResult {
    /// Every recipient's network took it.
    Accepted,
    /// A recipient cannot be reached.
    NoRoute,
    /// The recipient's network refused it.
    Rejected,
    /// The network could not take it.
    InternalError,
}

impl DeliveryResult {
    pub const ALL: [Self; 4] = [
        Self::Accepted,
        Self::NoRoute,
        Self::Rejected,
        Self::InternalError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::NoRoute => "no_route",
            Self::Rejected => "rejected",
            Self::InternalError => "internal_error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A message's attachment: a `media` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageMedia {
    pub media_id: MediaId,
    pub content_type: String,
    pub size: i64,
}

/// The company's side of a message: a user, an office, a call center or a department, with
/// its name when the message was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub target: Target,
    pub name: String,
}

/// A text message (SMS, or MMS with an attachment).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: MessageId,
    pub company_id: CompanyId,
    pub direction: Direction,
    /// Who sends (outbound) or receives (inbound) it on the company's side.
    pub party: Party,
    /// The user who sent it (outbound; for a group sender, the user acting for the group).
    pub sender_user: Option<UserId>,
    pub from_number: String,
    pub to_numbers: Vec<String>,
    pub text: String,
    pub media: Option<MessageMedia>,
    pub status: Status,
    pub delivery_result: Option<DeliveryResult>,
    /// Between two numbers of the company (every recipient is one of its numbers).
    pub is_internal: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Message {
    /// The outside number: the first recipient of an outbound message, the sender of an
    /// inbound one.
    pub fn external_number(&self) -> &str {
        match self.direction {
            Direction::Outbound => self.to_numbers.first().map_or("", String::as_str),
            Direction::Inbound => &self.from_number,
        }
    }

    /// The event payload: the message in neutral field names, with what the event reports
    /// (`change`: `created` for a new message, `status` for a delivery-status change) and
    /// when (`event_timestamp`, Unix milliseconds). Every timestamp is Unix milliseconds.
    pub fn payload(&self, change: Change, at: Timestamp) -> Value {
        json!({
            "id": self.id.0,
            "company_id": self.company_id.0,
            "change": change.as_str(),
            "direction": self.direction.as_str(),
            "target": {
                "kind": self.party.target.kind.as_str(),
                "id": self.party.target.id,
                "name": self.party.name,
            },
            "sender_user_id": self.sender_user.map(|u| u.0),
            "from_number": self.from_number,
            "to_numbers": self.to_numbers,
            "text": self.text,
            "media": self.media.as_ref().map(|m| json!({
                "media_id": m.media_id.0,
                "content_type": m.content_type,
                "size": m.size,
            })),
            "status": self.status.as_str(),
            "delivery_result": self.delivery_result.map(DeliveryResult::as_str),
            "is_internal": self.is_internal,
            "created_at": self.created_at.as_millisecond(),
            "updated_at": self.updated_at.as_millisecond(),
            "event_timestamp": at.as_millisecond(),
        })
    }
}

/// What an SMS event reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new message, inbound or outbound (event kind `sms`).
    Created,
    /// An outbound message's delivery status changed (event kind `sms_status`).
    Status,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Status => "status",
        }
    }
}

/// The facts of an `sms` or `sms_status` event payload that decide which subscriptions get it.
/// The subscription matcher of the events context calls [`SmsFacts::of`] on the payload of
/// each such event, rather than reading the payload's fields itself, and hands
/// [`SmsFacts::for_subscriptions`] to `Subscription::wants_sms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsFacts {
    pub direction: Direction,
    /// The company's side of the message: user, office, call center or department.
    pub target_kind: TargetKind,
    pub target_id: i64,
    /// Between two of the company's numbers.
    pub is_internal: bool,
    /// A delivery-status change (`sms_status`) rather than a new message (`sms`).
    pub is_status: bool,
}

impl SmsFacts {
    /// The facts of a payload written by the messaging context; `None` for anything else.
    pub fn of(payload: &Value) -> Option<Self> {
        let direction = Direction::parse(payload["direction"].as_str()?).ok()?;
        let target = &payload["target"];
        Some(Self {
            direction,
            target_kind: TargetKind::parse(target["kind"].as_str()?).ok()?,
            target_id: target["id"].as_i64()?,
            is_internal: payload["is_internal"].as_bool()?,
            is_status: payload["change"].as_str()? == Change::Status.as_str(),
        })
    }

    /// The facts in the form `Subscription::wants_sms` takes.
    pub fn for_subscriptions(&self) -> crate::events::subscription::SmsFacts {
        crate::events::subscription::SmsFacts {
            inbound: self.direction == Direction::Inbound,
            target: Some(Target {
                kind: self.target_kind,
                id: self.target_id,
            }),
            internal: self.is_internal,
            status_update: self.is_status,
        }
    }
}

/// Where a number stands on the company's opt-out list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptOutState {
    OptedOut,
    OptedBackIn,
}

impl OptOutState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OptedOut => "opted_out",
            Self::OptedBackIn => "opted_back_in",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "opted_out" => Ok(Self::OptedOut),
            "opted_back_in" => Ok(Self::OptedBackIn),
            other => Err(DomainError::invalid(format!(
                "opt_out_state must be 'opted_out' or 'opted_back_in', not '{other}'"
            ))),
        }
    }
}

/// An outside number on the company's opt-out list: it texted a stop keyword (and perhaps a
/// start keyword since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptOut {
    pub company_id: CompanyId,
    pub number: String,
    pub state: OptOutState,
    /// The keyword of the last change, upper case.
    pub keyword: String,
    pub changed_at: Timestamp,
}

/// The opt-out change an inbound text asks for: its trimmed body, in any case, is exactly one
/// of the keywords.
pub fn keyword(text: &str) -> Option<(OptOutState, String)> {
    let word = text.trim().to_uppercase();
    if STOP_KEYWORDS.contains(&word.as_str()) {
        Some((OptOutState::OptedOut, word))
    } else if START_KEYWORDS.contains(&word.as_str()) {
        Some((OptOutState::OptedBackIn, word))
    } else {
        None
    }
}

/// A message's text: at most [`MAX_TEXT_CHARS`] characters; with no attachment it must say
/// something.
pub fn check_content(text: &str, media: Option<&[u8]>) -> Result<()> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(DomainError::invalid(format!(
            "text is longer than {MAX_TEXT_CHARS} characters"
        )));
    }
    match media {
        Some([]) => Err(DomainError::invalid("media is empty")),
        Some(m) if m.len() > MAX_MEDIA_BYTES => Err(DomainError::invalid(format!(
            "media is larger than {MAX_MEDIA_BYTES} bytes (500 KiB)"
        ))),
        None if text.trim().is_empty() => {
            Err(DomainError::invalid("a message needs text or media"))
        }
        _ => Ok(()),
    }
}

/// The recipients of a message: 1 to [`MAX_RECIPIENTS`] numbers, E.164 unless `country` (ISO
/// 3166-1 alpha-2) lets local forms be read as its numbers; duplicates count once.
pub fn recipients(raw: &[String], country: Option<&str>) -> Result<Vec<String>> {
    if raw.is_empty() {
        return Err(DomainError::invalid(
            "to_numbers must list at least one number",
        ));
    }
    if raw.len() > MAX_RECIPIENTS {
        return Err(DomainError::invalid(format!(
            "to_numbers holds at most {MAX_RECIPIENTS} numbers"
        )));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for r in raw {
        let n = match country {
            Some(c) => E164::parse(r, Some(c)),
            None => crate::telephony::e164_only(r),
        }
        .map_err(|_| DomainError::invalid(format!("'{r}' is not an E.164 phone number")))?;
        if !out.iter().any(|o| o == n.as_str()) {
            out.push(n.as_str().to_owned());
        }
    }
    Ok(out)
}

/// The content type of an attachment, from its first bytes (common image, audio and video
/// formats; anything else is `application/octet-stream`).
pub fn sniff_content_type(bytes: &[u8]) -> &'static str {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => "video/mp4",
        [b'I', b'D', b'3', ..] | [0xFF, 0xFB, ..] => "audio/mpeg",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_whole_trimmed_bodies_in_any_case() {
        assert_eq!(
            keyword("  stop \n"),
            Some((OptOutState::OptedOut, "STOP".into()))
        );
        assert_eq!(
            keyword("Unsubscribe"),
            Some((OptOutState::OptedOut, "UNSUBSCRIBE".into()))
        );
        assert_eq!(
            keyword("yes"),
            Some((OptOutState::OptedBackIn, "YES".into()))
        );
        assert_eq!(keyword("please stop"), None);
        assert_eq!(keyword("STOP!"), None);
    }

    #[test]
    fn statuses_only_move_forward() {
        assert!(Status::Pending.may_become(Status::Sent));
        assert!(Status::Sent.may_become(Status::Delivered));
        assert!(!Status::Sent.may_become(Status::Sent));
        assert!(!Status::Delivered.may_become(Status::Failed));
        assert!(!Status::Sent.may_become(Status::Pending));
    }

    #[test]
    fn recipients_are_e164_unless_a_country_is_given() {
        assert_eq!(
            recipients(&["+14155550100".into(), "+1 415 555 0100".into()], None).unwrap(),
            vec!["+14155550100".to_owned()]
        );
        assert!(recipients(&["4155550100".into()], None).is_err());
        assert_eq!(
            recipients(&["(415) 555-0100".into()], Some("us")).unwrap(),
            vec!["+14155550100".to_owned()]
        );
        assert!(recipients(&[], None).is_err());
        assert!(recipients(&vec!["+14155550100".to_owned(); 11], None).is_err());
    }

    #[test]
    fn content_needs_text_or_media_within_limits() {
        assert!(check_content("hi", None).is_ok());
        assert!(check_content("  ", None).is_err());
        assert!(check_content("", Some(b"x")).is_ok());
        assert!(check_content("", Some(b"")).is_err());
        assert!(check_content(&"a".repeat(MAX_TEXT_CHARS + 1), None).is_err());
        assert!(check_content("", Some(&vec![0; MAX_MEDIA_BYTES + 1])).is_err());
        assert_eq!(sniff_content_type(b"\x89PNG\r\n"), "image/png");
        assert_eq!(sniff_content_type(b"hello"), "application/octet-stream");
    }

    #[test]
    fn facts_come_from_the_payload() {
        let now = Timestamp::UNIX_EPOCH;
        let m = Message {
            id: MessageId(7),
            company_id: CompanyId(1),
            direction: Direction::Outbound,
            party: Party {
                target: Target {
                    kind: TargetKind::CallCenter,
                    id: 9,
                },
                name: "Support".into(),
            },
            sender_user: Some(UserId(3)),
            from_number: "+14155550100".into(),
            to_numbers: vec!["+12125550123".into()],
            text: "hi".into(),
            media: None,
            status: Status::Sent,
            delivery_result: None,
            is_internal: false,
            created_at: now,
            updated_at: now,
        };
        let facts = SmsFacts::of(&m.payload(Change::Status, now)).unwrap();
        assert_eq!(facts.direction, Direction::Outbound);
        assert_eq!(facts.target_kind, TargetKind::CallCenter);
        assert_eq!(facts.target_id, 9);
        assert!(facts.is_status && !facts.is_internal);
        let matched = facts.for_subscriptions();
        assert!(matched.status_update && !matched.inbound && matched.target.is_some());
        assert!(
            !SmsFacts::of(&m.payload(Change::Created, now))
                .unwrap()
                .is_status
        );
        assert_eq!(SmsFacts::of(&json!({"state": "ringing"})), None);
    }
}
