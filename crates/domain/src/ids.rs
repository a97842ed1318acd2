//! Entity identities.
//!
//! Every entity has one identity: a positive 64-bit integer below 2^53 (so that JavaScript clients
//! read it exactly). Dialects render it in their own form: Dialpad as a JSON integer, Dialgood and
//! Callin as a decimal string, Bird as a UUID that embeds the integer (see [`Id::to_uuid`]).

use std::fmt;
use std::str::FromStr;

use rand::Rng;

/// Smallest generated id: every id has 16 decimal digits.
const MIN_ID: i64 = 1_000_000_000_000_000;
/// Largest id that a JavaScript number holds exactly, plus one.
const MAX_ID: i64 = 1 << 53;

/// Behaviour shared by all id newtypes.
pub trait Id: Copy + Sized {
    /// The raw integer.
    fn get(self) -> i64;
    /// Wraps a raw integer.
    fn from_raw(raw: i64) -> Self;

    /// A new random id.
    fn generate() -> Self {
        Self::from_raw(rand::thread_rng().gen_range(MIN_ID..MAX_ID))
    }

    /// Parses the decimal string form; `None` for anything else.
    fn parse_str(s: &str) -> Option<Self> {
        let n: i64 = s.trim().parse().ok()?;
        (n > 0).then(|| Self::from_raw(n))
    }

    /// The UUID form: version-8 layout with the integer in the first and last groups.
    fn to_uuid(self) -> String {
        let n = self.get() as u64;
        format!(
            "00000000-{:04x}-8000-8000-{:012x}",
            n >> 48,
            n & 0xffff_ffff_ffff
        )
    }

    /// Reads the UUID form back; `None` for UUIDs this server did not make.
    fn from_uuid(s: &str) -> Option<Self> {
        let hex: String = s.chars().filter(|c| *c != '-').collect();
        if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let lower = hex.to_ascii_lowercase();
        if &lower[..8] != "00000000" {
            return None;
        }
        let high = u64::from_str_radix(&lower[8..12], 16).ok()?;
        let low = u64::from_str_radix(&lower[20..], 16).ok()?;
        if &lower[12..20] != "80008000" {
            return None;
        }
        let n = (high << 48) | low;
        (n > 0 && n < MAX_ID as u64).then(|| Self::from_raw(n as i64))
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl Id for $name {
            fn get(self) -> i64 {
                self.0
            }
            fn from_raw(raw: i64) -> Self {
                Self(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                <Self as Id>::parse_str(s).ok_or(())
            }
        }
    };
}

id_type!(/// A reseller.
    PartnerId);
id_type!(/// A tenant.
    CompanyId);
id_type!(/// A person in a company.
    UserId);
id_type!(/// An API key.
    ApiKeyId);
id_type!(/// An AI voice agent.
    AgentId);
id_type!(/// One version of an AI agent.
    VersionId);
id_type!(/// A call.
    CallId);
id_type!(/// A SIP trunk: a carrier's way into a company's numbers.
    TrunkId);
id_type!(/// An event in the outbox.
    EventId);
id_type!(/// One event on its way to one destination.
    DeliveryId);
id_type!(/// One try at a delivery.
    AttemptId);
id_type!(/// A team of users (Bird workspace team).
    TeamId);
id_type!(/// A skill agents can be given.
    SkillId);
id_type!(/// One value of a skill.
    SkillValueId);
id_type!(/// A capacity rule.
    CapacityRuleId);
id_type!(/// An uploaded media file.
    MediaId);
id_type!(/// A work item (conversation, email) assigned to an agent.
    WorkItemId);
id_type!(/// An office of a company (Dialpad offices; every company has a main one).
    OfficeId);
id_type!(/// A group of operators: a call center or a department (Dialpad).
    GroupId);
id_type!(/// A call router: a customer's URL that decides where inbound calls go (Dialpad).
    CallRouterId);
id_type!(/// A room: a shared phone in an office, such as a meeting room's (Dialpad rooms).
    RoomId);
id_type!(/// A PIN for international calls from the company's room phones.
    PinId);
id_type!(/// A user's device: an app or a phone the user signs in on.
    DeviceId);
id_type!(/// A coaching team: coaches and trainees of an office.
    CoachingTeamId);
id_type!(/// A channel: a named conversation space with members.
    ChannelId);
id_type!(/// An address-book contact: shared by a company or local to one user (Dialpad).
    ContactId);
id_type!(/// An access-control policy: permission sets granted to users at a level (Dialpad).
    PolicyId);
id_type!(/// A custom IVR: an audio prompt a target plays for one kind of prompt (Dialpad).
    IvrId);
id_type!(/// A text message (SMS or MMS), inbound or outbound.
    MessageId);
id_type!(/// A statistics export: one CSV built in the background (Dialpad `request_id`).
    ReportId);
id_type!(/// A scheduled report: a statistics export built at a set hour and announced.
    ScheduleReportId);
id_type!(/// A place events go: a webhook or a websocket (Dialpad event subscriptions).
    EndpointId);
id_type!(/// A subscription of an endpoint to one type of event (Dialpad).
    SubscriptionId);
id_type!(/// An OAuth app a company registered for its users to authorize.
    OAuthAppId);
id_type!(/// One authorization of an OAuth app by a user: its code and the tokens issued from it.
    OAuthGrantId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_form_round_trips() {
        for raw in [1, MIN_ID, MAX_ID - 1, 0x1234_5678_9abc] {
            let id = UserId(raw);
            let uuid = id.to_uuid();
            assert_eq!(uuid.len(), 36, "{uuid}");
            assert_eq!(UserId::from_uuid(&uuid), Some(id), "{uuid}");
        }
        assert_eq!(
            UserId::from_uuid("123e4567-e89b-12d3-a456-426614174000"),
            None
        );
    }

    #[test]
    fn generated_ids_are_in_range_and_parse_back() {
        let id = AgentId::generate();
        assert!(id.0 >= MIN_ID && id.0 < MAX_ID);
        assert_eq!(id.to_string().parse::<AgentId>(), Ok(id));
        assert!("-5".parse::<AgentId>().is_err());
        assert!("agent".parse::<AgentId>().is_err());
    }
}
