//! What the control plane asks of a telephone network, and what the network reports back.
//!
//! The control plane decides (who rings, who is connected, when a call ends) and records its
//! decisions first; then it tells the network through [`TelephonyDriver`]. The network reports
//! what people do with their telephones as [`NetworkEvent`]s, which the calls context applies
//! (`core.calls().network_event(…)`). A SIP engine sits behind this port as well as the
//! embedded [`Simulator`], a network that exists only inside Switchboard and is driven through
//! the simulator's control API (`/sim/v1/…`).
//!
//! Text messages go the same way: the messaging context records a message, then hands it to
//! [`TelephonyDriver::send_sms`]; what the network says about it afterwards (sent, delivered,
//! failed) and the texts it brings in arrive as [`SmsReport`]s, which the messaging context
//! applies (`core.messaging().network_report(…)`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use crate::ids::{CallId, CompanyId, MessageId, UserId};
use crate::messaging::{DeliveryResult, Message, MessageMedia, Status};
use crate::store::Store;
use crate::Result;

/// Something a person did on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkEvent {
    /// The user's ringing device answered the leg.
    Answered {
        company: CompanyId,
        leg: CallId,
        user: UserId,
    },
    /// The user's device declined the leg.
    Rejected {
        company: CompanyId,
        leg: CallId,
        user: UserId,
    },
    /// An outside caller dialled one of the company's numbers (E.164 texts as received).
    Inbound {
        company: CompanyId,
        from: String,
        to: String,
    },
    /// A party hung up: the outside caller (`by_caller`) or the company's side.
    HungUp {
        company: CompanyId,
        leg: CallId,
        by_caller: bool,
    },
    /// The caller pressed keys.
    Digits {
        company: CompanyId,
        leg: CallId,
        digits: String,
    },
    /// A party put the leg on hold (`on`) or took it off hold.
    Hold {
        company: CompanyId,
        leg: CallId,
        on: bool,
    },
    /// The outside party of a user's outbound call answered (the number dialled on
    /// [`TelephonyDriver::dial`]). An outside party that is busy, declines or is not reached
    /// is reported as hanging up (`HungUp` with `by_caller`).
    Reached { company: CompanyId, leg: CallId },
}

/// What the network says about text messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsReport {
    /// An outbound message moved on: sent, delivered, failed.
    Status {
        company: CompanyId,
        message: MessageId,
        status: Status,
        result: Option<DeliveryResult>,
    },
    /// A text arrived for one of the company's numbers (its attachment already stored).
    Inbound {
        company: CompanyId,
        from: String,
        to: String,
        text: String,
        media: Option<MessageMedia>,
    },
}

/// A telephone network that Switchboard drives.
#[async_trait]
pub trait TelephonyDriver: Send + Sync {
    /// Numbers of `area_code` that the network could give the company, best first. The caller
    /// takes the first that no company holds yet; an empty list means the network has none.
    async fn offer_numbers(&self, area_code: &str) -> Result<Vec<String>>;
    /// Rings the user's devices for the leg (the caller's audio is offered to them); `entry` is
    /// the call's entry leg, where the caller is (the leg itself when it rings a user directly,
    /// and for an outbound call).
    async fn ring(
        &self,
        company: CompanyId,
        entry: CallId,
        leg: CallId,
        user: UserId,
    ) -> Result<()>;
    /// Stops ringing the leg's devices (another operator answered, or the ring timed out).
    async fn stop_ringing(&self, leg: CallId) -> Result<()>;
    /// The user's device answered their outbound leg: calls the outside number `to`,
    /// showing `from` (the company's number, or `blocked`). Its answer comes back as
    /// [`NetworkEvent::Reached`], and then the leg is bridged with itself.
    async fn dial(&self, company: CompanyId, leg: CallId, from: &str, to: &str) -> Result<()>;
    /// Connects the outside party of `entry` with the operator's leg.
    async fn bridge(&self, entry: CallId, operator: CallId) -> Result<()>;
    /// Ends the leg on the network.
    async fn hang_up(&self, leg: CallId) -> Result<()>;
    /// The entry leg went to voicemail: a network with media takes the caller's message, one
    /// without ends the call as unanswered.
    async fn voicemail(&self, leg: CallId) -> Result<()>;
    /// Plays a prompt to the outside party (queue announcements, voicemail greeting).
    async fn play(&self, leg: CallId, prompt: &str) -> Result<()>;
    /// Starts or stops recording the leg.
    async fn record(&self, leg: CallId, on: bool) -> Result<()>;
    /// Puts the leg on hold (music for the other party) or takes it off.
    async fn hold(&self, leg: CallId, on: bool) -> Result<()>;
    /// Events reported since the last call, oldest first. The simulator reports here what its
    /// auto-answering devices do; a network with its own connection reports through
    /// `core.calls().network_event` instead and returns nothing.
    fn take_events(&self) -> Vec<NetworkEvent>;
    /// Sends a recorded text message; what becomes of it is reported as [`SmsReport`]s.
    async fn send_sms(&self, message: &Message) -> Result<()>;
    /// Text-message reports since the last call, oldest first (as [`Self::take_events`]).
    fn take_sms_reports(&self) -> Vec<SmsReport>;
}

/// The simulated network. Its state (which devices answer at once) is kept with the rest in
/// the store; what happens on it is what the control plane recorded. It hands out North
/// American numbers of the area code from the fictional range `555-0100`–`555-0199` (reserved
/// for fiction, so no real telephone is ever rung), a hundred per area code.
///
/// A text message is sent at once and then delivered, unless a recipient is marked
/// unreachable (`POST /sim/v1/sms/unreachable`): then it fails (`no_route`). A recipient that
/// is one of the sending company's own numbers also receives it, as an inbound message.
#[derive(Clone)]
pub struct Simulator {
    store: Option<Arc<dyn Store>>,
    events: Arc<Mutex<VecDeque<NetworkEvent>>>,
    sms: Arc<Mutex<VecDeque<SmsReport>>>,
}

impl Simulator {
    /// The simulator over the server's store.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store: Some(store),
            events: Arc::default(),
            sms: Arc::default(),
        }
    }

    /// A simulator with no devices (numbers only), for tools that place no calls.
    pub fn numbers_only() -> Self {
        Self {
            store: None,
            events: Arc::default(),
            sms: Arc::default(),
        }
    }

    fn push(&self, event: NetworkEvent) {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(event);
    }

    fn report(&self, report: SmsReport) {
        self.sms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(report);
    }
}

#[async_trait]
impl TelephonyDriver for Simulator {
    async fn offer_numbers(&self, area_code: &str) -> Result<Vec<String>> {
        Ok(fictional_numbers(area_code))
    }

    /// A device set to auto-answer answers at once.
    async fn ring(
        &self,
        company: CompanyId,
        _entry: CallId,
        leg: CallId,
        user: UserId,
    ) -> Result<()> {
        if let Some(store) = &self.store {
            if store.sim_auto_answer(user).await? {
                self.push(NetworkEvent::Answered { company, leg, user });
            }
        }
        Ok(())
    }

    async fn stop_ringing(&self, _leg: CallId) -> Result<()> {
        Ok(())
    }

    /// The outside party answers at once.
    async fn dial(&self, company: CompanyId, leg: CallId, _from: &str, _to: &str) -> Result<()> {
        self.push(NetworkEvent::Reached { company, leg });
        Ok(())
    }

    async fn bridge(&self, _entry: CallId, _operator: CallId) -> Result<()> {
        Ok(())
    }

    async fn hang_up(&self, _leg: CallId) -> Result<()> {
        Ok(())
    }

    async fn voicemail(&self, _leg: CallId) -> Result<()> {
        Ok(())
    }

    async fn play(&self, _leg: CallId, _prompt: &str) -> Result<()> {
        Ok(())
    }

    async fn record(&self, _leg: CallId, _on: bool) -> Result<()> {
        Ok(())
    }

    async fn hold(&self, _leg: CallId, _on: bool) -> Result<()> {
        Ok(())
    }

    fn take_events(&self) -> Vec<NetworkEvent> {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
            .collect()
    }

    async fn send_sms(&self, m: &Message) -> Result<()> {
        let mut unreachable = false;
        let mut own = Vec::new();
        if let Some(store) = &self.store {
            for to in &m.to_numbers {
                if store.sim_unreachable(m.company_id, to).await? {
                    unreachable = true;
                } else if store
                    .number(m.company_id, to)
                    .await?
                    .is_some_and(|n| n.target.is_some())
                {
                    own.push(to.clone());
                }
            }
        }
        let status = |status, result| SmsReport::Status {
            company: m.company_id,
            message: m.id,
            status,
            result,
        };
        self.report(status(Status::Sent, None));
        if unreachable {
            self.report(status(Status::Failed, Some(DeliveryResult::NoRoute)));
            return Ok(());
        }
        self.report(status(Status::Delivered, Some(DeliveryResult::Accepted)));
        for to in own {
            self.report(SmsReport::Inbound {
                company: m.company_id,
                from: m.from_number.clone(),
                to,
                text: m.text.clone(),
                media: m.media.clone(),
            });
        }
        Ok(())
    }

    fn take_sms_reports(&self) -> Vec<SmsReport> {
        self.sms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
            .collect()
    }
}

/// `+1 AREA 555-0100` to `+1 AREA 555-0199` for a North American area code; none otherwise.
fn fictional_numbers(area_code: &str) -> Vec<String> {
    let nanp = area_code.len() == 3
        && area_code.bytes().all(|b| b.is_ascii_digit())
        && !area_code.starts_with(['0', '1']);
    if !nanp {
        return Vec::new();
    }
    (100..200)
        .map(|n| format!("+1{area_code}5550{n}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulator_offers_fictional_numbers_of_the_area_code() {
        let offered = fictional_numbers("415");
        assert_eq!(offered.len(), 100);
        assert_eq!(offered[0], "+14155550100");
        assert_eq!(offered[99], "+14155550199");
        for n in &offered {
            crate::phone::E164::parse(n, None).unwrap();
        }
        assert!(fictional_numbers("12").is_empty());
        assert!(fictional_numbers("115").is_empty());
    }
}
