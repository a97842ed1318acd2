//! The telephony driver over SIP: a back-to-back user agent. A carrier's INVITE (see
//! [`crate::trunk`]) is the call's entry leg; the control plane decides who rings, and this
//! driver carries it out: it rings every registered phone of the chosen user with the caller's
//! SDP, takes the first phone that answers and cancels the others, answers the carrier with
//! that phone's SDP when the control plane bridges them, and ends one side when the other
//! hangs up. Media flows between the endpoints; no RTP passes through here.
//!
//! What people do (a phone answers, a side hangs up, a phone puts the call on hold) is
//! reported as [`NetworkEvent`]s on a channel that one task applies in order (see
//! [`crate::SipServer`]); what the driver learns while the control plane waits on it (a user
//! has no phone to ring) is queued for [`TelephonyDriver::take_events`].

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rsipstack::dialog::dialog::DialogStateReceiver;
use rsipstack::dialog::dialog_layer::DialogLayer;
use rsipstack::dialog::invitation::InviteOption;
use rsipstack::dialog::invite_dialog::InviteDialog;
use rsipstack::sip::{Header, StatusCode, Uri};
use switchboard_domain::ids::{CallId, CompanyId, UserId};
use switchboard_domain::messaging::Message;
use switchboard_domain::telephony::driver::{NetworkEvent, SmsReport, TelephonyDriver};
use switchboard_domain::{Core, DomainError, Result};
use tokio::sync::mpsc::UnboundedSender;

use crate::sdp;

mod dialogs;
mod outbound;

use dialogs::{follow_entry, follow_operator};

/// A call's entry leg: the carrier's INVITE, answered by us; or, for a user's outbound call,
/// our INVITE to the carrier (`outbound`).
struct Entry {
    company: CompanyId,
    dialog: InviteDialog,
    /// The caller's SDP offer, passed to the phones rung; for an outbound call, the outside
    /// party's answer (empty until it answers).
    offer: Vec<u8>,
    /// Who calls, as the phones are shown it.
    caller: Uri,
    /// The phone's SDP the carrier was answered with.
    answered: bool,
    ringing_sent: bool,
    /// Ended by the control plane (so its end is not reported back).
    ended_here: bool,
    /// Our call to the outside number of a user's outbound leg.
    outbound: bool,
}

/// One phone rung for a leg.
struct Fork {
    dialog: InviteDialog,
    call_id: String,
}

/// An operator's leg: the phones rung for it, then the one that answered.
struct Operator {
    company: CompanyId,
    entry: CallId,
    user: UserId,
    forks: Vec<Fork>,
    winner: Option<Fork>,
    /// The answering phone's SDP.
    answer: Vec<u8>,
    /// The control plane stopped the ringing or ended the leg.
    ended_here: bool,
    /// Where the answering phone's REFER, accepted, sends the caller.
    transfer_to: Option<String>,
}

#[derive(Default)]
struct Table {
    entries: HashMap<CallId, Entry>,
    operators: HashMap<CallId, Operator>,
}

/// The SIP network behind the control plane.
pub struct SipDriver {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    table: Mutex<Table>,
    /// Set when the endpoint starts.
    link: Mutex<Option<Link>>,
    immediate: Mutex<VecDeque<NetworkEvent>>,
}

/// What the driver needs of the running endpoint; dropped when it stops (the core holds the
/// driver, so the driver holds the core only while the endpoint runs).
#[derive(Clone)]
pub(crate) struct Link {
    pub(crate) core: Core,
    pub(crate) dialogs: Arc<DialogLayer>,
    pub(crate) contact: Uri,
    pub(crate) reports: UnboundedSender<NetworkEvent>,
}

impl Default for SipDriver {
    fn default() -> Self {
        Self::new()
    }
}

impl SipDriver {
    /// A driver that takes effect once [`crate::SipServer::start`] is given it.
    pub fn new() -> Self {
        Self {
            shared: Arc::new(Shared {
                table: Mutex::default(),
                link: Mutex::default(),
                immediate: Mutex::default(),
            }),
        }
    }

    pub(crate) fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }
}

impl Shared {
    pub(crate) fn attach(&self, link: Link) {
        *self.link.lock().expect("link lock") = Some(link);
    }

    pub(crate) fn detach(&self) {
        self.link.lock().expect("link lock").take();
        let mut table = self.table.lock().expect("table lock");
        table.entries.clear();
        table.operators.clear();
    }

    pub(crate) fn link(&self) -> Option<Link> {
        self.link.lock().expect("link lock").clone()
    }

    /// An event learned while the control plane waits on the driver: it takes it on return
    /// (`take_events`), before anything the network reports later.
    fn report_now(&self, event: NetworkEvent) {
        self.immediate.lock().expect("events lock").push_back(event);
    }

    fn report(&self, event: NetworkEvent) {
        if let Some(link) = self.link() {
            let _ = link.reports.send(event);
        }
    }

    /// Records a carrier's call before the control plane hears of it, and follows its dialog.
    pub(crate) fn add_entry(
        self: &Arc<Self>,
        id: CallId,
        company: CompanyId,
        dialog: InviteDialog,
        offer: Vec<u8>,
        caller: Uri,
        states: DialogStateReceiver,
    ) {
        self.table.lock().expect("table lock").entries.insert(
            id,
            Entry {
                company,
                dialog,
                offer,
                caller,
                answered: false,
                ringing_sent: false,
                ended_here: false,
                outbound: false,
            },
        );
        tokio::spawn(follow_entry(self.clone(), id, states));
    }

    /// After the control plane took the call in: the carrier hears ringing while the call
    /// waits or rings, or is refused when it ended at once (blocked: 603; anything else: 480).
    pub(crate) fn entry_taken(&self, id: CallId, ended: Option<StatusCode>) {
        let mut table = self.table.lock().expect("table lock");
        let Some(entry) = table.entries.get_mut(&id) else {
            return;
        };
        match ended {
            Some(code) => refuse(entry, code),
            None if !entry.answered && !entry.ringing_sent => {
                entry.ringing_sent = true;
                let _ = entry.dialog.ringing(None, None);
            }
            None => {}
        }
    }

    /// The control plane refused the call: the carrier is told `code`.
    pub(crate) fn entry_refused(&self, id: CallId, code: StatusCode) {
        if let Some(entry) = self.table.lock().expect("table lock").entries.get_mut(&id) {
            refuse(entry, code);
        }
    }
}

fn refuse(entry: &mut Entry, code: StatusCode) {
    if !entry.answered && !entry.ended_here {
        entry.ended_here = true;
        let _ = entry.dialog.reject(Some(code), None);
    }
}

fn sdp_type() -> Header {
    Header::ContentType("application/sdp".into())
}

#[async_trait]
impl TelephonyDriver for SipDriver {
    /// Numbers come from the carrier, not from here: none to offer.
    async fn offer_numbers(&self, _area_code: &str) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    async fn ring(
        &self,
        company: CompanyId,
        entry: CallId,
        leg: CallId,
        user: UserId,
    ) -> Result<()> {
        let shared = &self.shared;
        let decline = || shared.report_now(NetworkEvent::Rejected { company, leg, user });
        let Some(link) = shared.link() else {
            decline();
            return Ok(());
        };
        let found = {
            let mut table = shared.table.lock().expect("table lock");
            match table.entries.get_mut(&entry) {
                Some(e) if !e.ended_here => {
                    if !e.answered && !e.ringing_sent {
                        e.ringing_sent = true;
                        let _ = e.dialog.ringing(None, None);
                    }
                    Some((e.offer.clone(), e.caller.clone()))
                }
                _ => None,
            }
        };
        let found = match found {
            Some(found) => Some(found),
            // The user's own outbound call: rung with a holding offer.
            None if entry == leg => outbound::ringing_offer(&link, company, leg).await?,
            None => None,
        };
        // A call that no carrier brought (or that ended): nothing to offer a phone.
        let Some((offer, caller)) = found else {
            decline();
            return Ok(());
        };
        let contacts = link
            .core
            .telephony()
            .ringing_contacts(company, user)
            .await?;
        let (states_tx, states) = link.dialogs.new_dialog_state_channel();
        let mut forks = Vec::new();
        for contact in contacts {
            let Ok(callee) = Uri::try_from(contact.as_str()) else {
                tracing::warn!(%leg, "a registered contact does not parse; skipped");
                continue;
            };
            let option = InviteOption {
                caller: caller.clone(),
                callee,
                contact: link.contact.clone(),
                content_type: Some("application/sdp".into()),
                offer: Some(offer.clone()),
                ..Default::default()
            };
            match link.dialogs.do_invite_async(option, states_tx.clone()) {
                Ok((dialog, _done)) => {
                    let call_id = dialog.id().call_id;
                    forks.push(Fork { dialog, call_id });
                }
                Err(e) => tracing::warn!(%leg, error = %e, "a phone could not be rung"),
            }
        }
        if forks.is_empty() {
            decline();
            return Ok(());
        }
        shared.table.lock().expect("table lock").operators.insert(
            leg,
            Operator {
                company,
                entry,
                user,
                forks,
                winner: None,
                answer: Vec::new(),
                ended_here: false,
                transfer_to: None,
            },
        );
        tokio::spawn(follow_operator(shared.clone(), leg, states));
        Ok(())
    }

    async fn stop_ringing(&self, leg: CallId) -> Result<()> {
        let forks = {
            let mut table = self.shared.table.lock().expect("table lock");
            match table.operators.get_mut(&leg) {
                Some(op) => {
                    op.ended_here = true;
                    std::mem::take(&mut op.forks)
                }
                None => Vec::new(),
            }
        };
        for fork in forks {
            tokio::spawn(async move {
                let _ = fork.dialog.hangup().await;
            });
        }
        Ok(())
    }

    async fn dial(&self, company: CompanyId, leg: CallId, from: &str, to: &str) -> Result<()> {
        self.shared.dial(company, leg, from, to).await
    }

    async fn bridge(&self, entry: CallId, operator: CallId) -> Result<()> {
        let mut table = self.shared.table.lock().expect("table lock");
        let (answer, phone) = match table.operators.get(&operator) {
            Some(op) => match &op.winner {
                Some(w) => (op.answer.clone(), w.dialog.clone()),
                None => return Ok(()),
            },
            None => return Ok(()),
        };
        if let Some(e) = table.entries.get_mut(&entry) {
            if e.ended_here {
                return Ok(());
            }
            if e.outbound {
                // The outside party answered: the phone now gets its media.
                let body = sdp::reoffer(&e.offer, outbound::origin(operator), 2);
                tokio::spawn(async move {
                    if let Err(e) = phone.reinvite(Some(vec![sdp_type()]), Some(body)).await {
                        tracing::warn!(error = %e, "the phone could not be given the outside party's media");
                    }
                });
            } else if !e.answered {
                e.answered = true;
                e.dialog
                    .accept(Some(vec![sdp_type()]), Some(answer))
                    .map_err(|e| DomainError::internal(format!("SIP answer failed: {e}")))?;
            } else {
                // A transferred call: the carrier now talks to another phone.
                let dialog = e.dialog.clone();
                tokio::spawn(async move {
                    if let Err(e) = dialog.reinvite(Some(vec![sdp_type()]), Some(answer)).await {
                        tracing::warn!(error = %e, "the carrier could not be moved to the new phone");
                    }
                });
            }
        }
        Ok(())
    }

    async fn hang_up(&self, leg: CallId) -> Result<()> {
        let mut table = self.shared.table.lock().expect("table lock");
        if let Some(e) = table.entries.get_mut(&leg) {
            if !e.ended_here {
                e.ended_here = true;
                let dialog = e.dialog.clone();
                if e.outbound {
                    // Our call to the outside number: cancelled, or ended once answered.
                    tokio::spawn(async move {
                        let _ = dialog.hangup().await;
                    });
                } else if e.answered {
                    tokio::spawn(async move {
                        let _ = dialog.bye().await;
                    });
                } else {
                    let _ = dialog.reject(Some(StatusCode::TemporarilyUnavailable), None);
                }
            }
        }
        if let Some(op) = table.operators.get_mut(&leg) {
            op.ended_here = true;
            let mut dialogs: Vec<InviteDialog> = std::mem::take(&mut op.forks)
                .into_iter()
                .map(|f| f.dialog)
                .collect();
            if let Some(w) = &op.winner {
                dialogs.push(w.dialog.clone());
            }
            for dialog in dialogs {
                tokio::spawn(async move {
                    let _ = dialog.hangup().await;
                });
            }
        }
        Ok(())
    }

    /// No media here to take a message with: the carrier hears the call refused (480).
    async fn voicemail(&self, leg: CallId) -> Result<()> {
        self.shared
            .entry_refused(leg, StatusCode::TemporarilyUnavailable);
        Ok(())
    }

    async fn play(&self, leg: CallId, prompt: &str) -> Result<()> {
        tracing::debug!(%leg, prompt, "no media over SIP: prompt not played");
        Ok(())
    }

    async fn record(&self, leg: CallId, on: bool) -> Result<()> {
        tracing::debug!(%leg, on, "no media over SIP: recording is not taken");
        Ok(())
    }

    async fn hold(&self, _leg: CallId, _on: bool) -> Result<()> {
        Ok(())
    }

    fn take_events(&self) -> Vec<NetworkEvent> {
        self.shared
            .immediate
            .lock()
            .expect("events lock")
            .drain(..)
            .collect()
    }

    async fn send_sms(&self, _message: &Message) -> Result<()> {
        Err(DomainError::invalid(
            "text messages need the simulated network; SIP carries calls only",
        ))
    }

    fn take_sms_reports(&self) -> Vec<SmsReport> {
        Vec::new()
    }
}
