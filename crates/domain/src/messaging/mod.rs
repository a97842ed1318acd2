//! Messaging: text messages (SMS, and MMS with an attachment) sent from and received by the
//! company's users, offices, call centers and departments through the telephony network, and
//! the company's opt-out list, kept by the stop and start keywords of inbound texts.
//!
//! Every new message writes an `sms` event and every delivery-status change of an outbound
//! one an `sms_status` event, in the transaction that records it; the payload is
//! [`Message::payload`], and [`SmsFacts`] is what a subscription matcher reads from it.

pub mod model;
mod receive;
mod service;
pub mod store;

pub use model::{
    Change, DeliveryResult, Direction, Message, MessageMedia, OptOut, OptOutState, Party, SmsFacts,
    Status, MAX_MEDIA_BYTES, MAX_RECIPIENTS, MAX_TEXT_CHARS, START_KEYWORDS, STOP_KEYWORDS,
};
pub use receive::InboundSms;
pub use service::NewSms;

crate::facade::context_service!(
    /// The messaging use cases: sending texts, the network's reports, the opt-out list.
    Messaging,
    messaging
);
