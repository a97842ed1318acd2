//! Calls: legs that ring, wait, connect and end, moved by the people on them (through the
//! telephony driver: the simulator or a real network), by the routing engine (`crate::routing`)
//! and by timers that follow the server's clock.
//!
//! Every use case records its decisions in one transaction (the legs, the operators they hold,
//! the queue, the timers, one `call` outbox event per state change) and only then tells the
//! network what to do ([`Effect`]s applied through the driver). What the network then reports
//! (an auto-answering simulated device, a SIP 200 OK) comes back as a
//! [`NetworkEvent`](crate::telephony::driver::NetworkEvent) and is applied the same way.
//!
//! "One operator, one call" is decided in one place: [`store::CallLegTx::claim_operator`], a
//! row per operator that only one transaction in any process can insert.

mod active;
mod ai_operators;
mod callback;
mod control;
pub mod event;
mod flow;
pub mod leg;
mod outbound;
mod participants;
mod queue;
mod routers;
mod service;
pub mod share_link;
mod share_link_service;
pub mod store;
pub mod timer;
mod timers;
mod transcript_link;
mod transfer;
mod views;

use crate::ids::{CallId, CompanyId, UserId};

pub use active::RecordingScope;
pub use outbound::{IvrCall, OutboundCall, DIAL_SECONDS, MAX_CUSTOM_DATA};
pub use participants::Participant;
pub use routers::{RoutingClient, ROUTER_TIMEOUT_SECONDS};
pub use service::{InboundCall, Side};
pub use share_link_service::Shared;
pub use transcript_link::Transcript;
pub use transfer::{Arrival, TransferTo, Transferred};
pub use views::{GroupStatus, Journey, OperatorNow};

crate::facade::context_service!(
    /// The calls use cases: inbound calls, answering, hanging up, timers, call lists.
    Calls,
    calls
);

/// What the network is told once a transaction committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    Ring {
        company: CompanyId,
        /// The call's entry leg (the leg itself when it rings a user directly).
        entry: CallId,
        leg: CallId,
        user: UserId,
    },
    StopRinging {
        leg: CallId,
    },
    /// Call the outside number of the user's outbound leg, now that their device answered.
    Dial {
        company: CompanyId,
        leg: CallId,
        from: String,
        to: String,
    },
    Bridge {
        entry: CallId,
        operator: CallId,
    },
    HangUp {
        leg: CallId,
    },
    /// The entry leg went to voicemail.
    Voicemail {
        leg: CallId,
    },
    Play {
        leg: CallId,
        prompt: String,
    },
    /// Not the network's: ask a call router's URL where the call goes.
    AskRouter {
        company: CompanyId,
        entry: CallId,
        router: crate::ids::CallRouterId,
    },
    Record {
        leg: CallId,
        on: bool,
    },
}

/// What a committed transaction leaves to do: effects on the network, and operators who became
/// free (and may take a waiting call).
#[derive(Debug, Default)]
pub(crate) struct Step {
    pub effects: Vec<Effect>,
    pub freed: Vec<UserId>,
}

impl Step {
    /// Ends the entry leg in voicemail and tells the network.
    pub(crate) fn voicemail(&mut self, entry: &mut leg::CallLeg, now: jiff::Timestamp) {
        entry.end(leg::CallState::Voicemail, leg::Outcome::Voicemail, now);
        self.effects.push(Effect::Voicemail { leg: entry.id });
    }
}
