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
use rsipstack::dialog::dialog::{DialogState, DialogStateReceiver, TransactionHandle};
use rsipstack::dialog::dialog_layer::DialogLayer;
use rsipstack::dialog::invitation::InviteOption;
use rsipstack::dialog::invite_dialog::InviteDialog;
use rsipstack::sip::event_packages::parse_refer_to;
use rsipstack::sip::{Header, HeadersExt, Request, StatusCode, Uri};
use switchboard_domain::ids::{CallId, CompanyId, UserId};
use switchboard_domain::messaging::Message;
use switchboard_domain::telephony::driver::{NetworkEvent, SmsReport, TelephonyDriver};
use switchboard_domain::{Core, DomainError, Result};
use tokio::sync::mpsc::UnboundedSender;

use crate::sdp;

/// A call's entry leg: the carrier's INVITE, answered by us.
struct Entry {
    company: CompanyId,
    dialog: InviteDialog,
    /// The caller's SDP offer, passed to the phones rung.
    offer: Vec<u8>,
    /// Who calls, as the phones are shown it.
    caller: Uri,
    /// The phone's SDP the carrier was answered with.
    answered: bool,
    ringing_sent: bool,
    /// Ended by the control plane (so its end is not reported back).
    ended_here: bool,
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

/// Follows the carrier's side of a call: it hanging up (BYE, or CANCEL before the answer) is
/// the caller hanging up.
async fn follow_entry(shared: Arc<Shared>, id: CallId, mut states: DialogStateReceiver) {
    while let Some(state) = states.recv().await {
        match state {
            DialogState::Terminated(dialog, _reason) => {
                if let Some(link) = shared.link() {
                    link.dialogs.remove_dialog(&dialog);
                }
                let entry = shared.table.lock().expect("table lock").entries.remove(&id);
                if let Some(entry) = entry {
                    if !entry.ended_here {
                        shared.report(NetworkEvent::HungUp {
                            company: entry.company,
                            leg: id,
                            by_caller: true,
                        });
                    }
                }
                return;
            }
            DialogState::Updated(_, request, handle) => {
                // A re-INVITE (hold, resume) or UPDATE from the carrier.
                let peer = {
                    let table = shared.table.lock().expect("table lock");
                    peer_of_entry(&table, id)
                };
                answer_session_change(&shared, id, &request, handle, peer).await;
            }
            DialogState::Options(_, _, handle) | DialogState::Info(_, _, handle) => {
                let _ = handle.respond(StatusCode::OK, None, None).await;
            }
            DialogState::Refer(_, _, handle) | DialogState::Notify(_, _, handle) => {
                let _ = handle.respond(StatusCode::NotImplemented, None, None).await;
            }
            _ => {}
        }
    }
}

/// The SDP of the phone bridged with the entry, and the entry's company.
fn peer_of_entry(table: &Table, entry: CallId) -> Option<(Vec<u8>, CompanyId)> {
    table
        .operators
        .iter()
        .find(|(_, op)| op.entry == entry && op.winner.is_some())
        .map(|(_, op)| (op.answer.clone(), op.company))
}

/// Answers a re-INVITE or UPDATE on `leg`: with the other side's SDP (`peer`, and the call's
/// company), its direction mirrored, and the leg reported on hold (`sendonly`, `inactive`) or
/// off it; a leg with nobody on the other side yet gets a plain 200.
async fn answer_session_change(
    shared: &Shared,
    leg: CallId,
    request: &Request,
    handle: TransactionHandle,
    peer: Option<(Vec<u8>, CompanyId)>,
) {
    let offered = sdp::direction(&request.body);
    match peer {
        Some((sdp, company)) => {
            let body = sdp::answering(&sdp, offered);
            let _ = handle
                .respond(StatusCode::OK, Some(vec![sdp_type()]), Some(body))
                .await;
            shared.report(NetworkEvent::Hold {
                company,
                leg,
                on: offered.is_hold(),
            });
        }
        None => {
            let _ = handle.respond(StatusCode::OK, None, None).await;
        }
    }
}

fn sdp_type() -> Header {
    Header::ContentType("application/sdp".into())
}

/// Follows the phones rung for an operator's leg: the first to answer wins; a leg whose phones
/// all declined is declined; the answering phone hanging up ends the leg.
async fn follow_operator(shared: Arc<Shared>, leg: CallId, mut states: DialogStateReceiver) {
    while let Some(state) = states.recv().await {
        match state {
            DialogState::Confirmed(dialog, response) => {
                let mut late = None;
                let mut losers = Vec::new();
                let mut answered = None;
                {
                    let mut table = shared.table.lock().expect("table lock");
                    let Some(op) = table.operators.get_mut(&leg) else {
                        continue;
                    };
                    if op
                        .winner
                        .as_ref()
                        .is_some_and(|w| w.call_id == dialog.call_id)
                    {
                        // The answering phone's dialog is back from a request inside it: a
                        // REFER now answered goes ahead (its NOTIFY after the 202).
                        if let Some((address, winner)) = op
                            .transfer_to
                            .take()
                            .zip(op.winner.as_ref().map(|w| w.dialog.clone()))
                        {
                            let company = op.company;
                            let shared = shared.clone();
                            tokio::spawn(async move {
                                carry_out_refer(&shared, company, leg, winner, &address).await;
                            });
                        }
                        continue;
                    }
                    let position = op.forks.iter().position(|f| f.call_id == dialog.call_id);
                    match position {
                        Some(i) if op.winner.is_none() && !op.ended_here => {
                            let fork = op.forks.remove(i);
                            losers = std::mem::take(&mut op.forks);
                            op.winner = Some(fork);
                            op.answer = response.body.clone();
                            answered = Some((op.company, op.user));
                        }
                        Some(i) => late = Some(op.forks.remove(i).dialog),
                        None => {}
                    }
                }
                for loser in losers {
                    tokio::spawn(async move {
                        let _ = loser.dialog.hangup().await;
                    });
                }
                if let Some(dialog) = late {
                    tokio::spawn(async move {
                        let _ = dialog.bye().await;
                    });
                }
                if let Some((company, user)) = answered {
                    shared.report(NetworkEvent::Answered { company, leg, user });
                }
            }
            DialogState::Terminated(dialog, reason) => {
                if let Some(link) = shared.link() {
                    link.dialogs.remove_dialog(&dialog);
                }
                let mut report = None;
                {
                    let mut table = shared.table.lock().expect("table lock");
                    let Some(op) = table.operators.get_mut(&leg) else {
                        continue;
                    };
                    if op
                        .winner
                        .as_ref()
                        .is_some_and(|w| w.call_id == dialog.call_id)
                    {
                        // The call ended on the phone's side, or here.
                        if !op.ended_here {
                            report = Some(NetworkEvent::HungUp {
                                company: op.company,
                                leg,
                                by_caller: false,
                            });
                        }
                        table.operators.remove(&leg);
                    } else {
                        op.forks.retain(|f| f.call_id != dialog.call_id);
                        if op.forks.is_empty() && op.winner.is_none() {
                            if !op.ended_here {
                                tracing::debug!(%leg, ?reason, "no phone answered");
                                report = Some(NetworkEvent::Rejected {
                                    company: op.company,
                                    leg,
                                    user: op.user,
                                });
                            }
                            table.operators.remove(&leg);
                        }
                    }
                }
                if let Some(event) = report {
                    shared.report(event);
                }
            }
            DialogState::Updated(_, request, handle) => {
                // The phone puts the caller on hold, or takes them off it.
                let peer = {
                    let table = shared.table.lock().expect("table lock");
                    table.operators.get(&leg).and_then(|op| {
                        table
                            .entries
                            .get(&op.entry)
                            .map(|e| (e.offer.clone(), op.company))
                    })
                };
                answer_session_change(&shared, leg, &request, handle, peer).await;
            }
            DialogState::Options(_, _, handle) | DialogState::Info(_, _, handle) => {
                let _ = handle.respond(StatusCode::OK, None, None).await;
            }
            DialogState::Refer(_, request, handle) => {
                refer(&shared, leg, &request, handle).await;
            }
            DialogState::Notify(_, _, handle) => {
                let _ = handle.respond(StatusCode::NotImplemented, None, None).await;
            }
            _ => {}
        }
    }
}

/// The answering phone transfers the caller (blind `REFER`, RFC 3515): the `Refer-To` user is
/// one of the company's numbers or SIP usernames. Accepted with 202; once that is sent, a
/// `NOTIFY` of `200 OK` ends the implicit subscription (the transfer is carried out at once)
/// and the phone gets its BYE as the caller moves on ([`carry_out_refer`]). A target the
/// company does not have gets 404; a `Refer-To` without a user, 400; a leg that is not
/// answered, 403.
async fn refer(shared: &Arc<Shared>, leg: CallId, request: &Request, handle: TransactionHandle) {
    let found = {
        let table = shared.table.lock().expect("table lock");
        table
            .operators
            .get(&leg)
            .filter(|op| !op.ended_here && op.winner.is_some())
            .map(|op| op.company)
    };
    let (Some(company), Some(link)) = (found, shared.link()) else {
        let _ = handle.respond(StatusCode::Forbidden, None, None).await;
        return;
    };
    let Some(address) = refer_to_user(request) else {
        let _ = handle.respond(StatusCode::BadRequest, None, None).await;
        return;
    };
    // What the phone asks for is checked before it hears "accepted".
    match link.core.calls().address_target(company, &address).await {
        Ok(_) => {}
        Err(DomainError::NotFound(_)) => {
            let _ = handle.respond(StatusCode::NotFound, None, None).await;
            return;
        }
        Err(e) => {
            tracing::error!(%leg, error = %e, "a REFER could not be checked");
            let _ = handle
                .respond(StatusCode::ServerInternalError, None, None)
                .await;
            return;
        }
    }
    if let Some(op) = shared
        .table
        .lock()
        .expect("table lock")
        .operators
        .get_mut(&leg)
    {
        op.transfer_to = Some(address);
    }
    let _ = handle.respond(StatusCode::Accepted, None, None).await;
}

/// A REFER accepted: the phone is told it worked, and the caller is transferred.
async fn carry_out_refer(
    shared: &Arc<Shared>,
    company: CompanyId,
    leg: CallId,
    phone: InviteDialog,
    address: &str,
) {
    let _ = phone
        .notify_refer(StatusCode::OK, "terminated;reason=noresource")
        .await;
    let Some(link) = shared.link() else {
        return;
    };
    if let Err(e) = link
        .core
        .calls()
        .transfer_to_address(company, leg, address)
        .await
    {
        tracing::info!(%leg, error = %e, "a phone's transfer was not carried out");
    }
}

/// The user part of a `REFER`'s `Refer-To` URI.
fn refer_to_user(request: &Request) -> Option<String> {
    let value = request.refer_to_header()?.value().to_owned();
    let target = parse_refer_to(&value);
    let uri = Uri::try_from(target.uri.as_str()).ok()?;
    uri.auth.map(|a| a.user).filter(|u| !u.is_empty())
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
        let decline = || {
            shared
                .immediate
                .lock()
                .expect("events lock")
                .push_back(NetworkEvent::Rejected { company, leg, user });
        };
        let Some(link) = shared.link() else {
            decline();
            return Ok(());
        };
        let (offer, caller) = {
            let mut table = shared.table.lock().expect("table lock");
            match table.entries.get_mut(&entry) {
                Some(e) if !e.ended_here => {
                    if !e.answered && !e.ringing_sent {
                        e.ringing_sent = true;
                        let _ = e.dialog.ringing(None, None);
                    }
                    (e.offer.clone(), e.caller.clone())
                }
                // A call that no carrier brought (or that ended): nothing to offer a phone.
                _ => {
                    drop(table);
                    decline();
                    return Ok(());
                }
            }
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

    async fn bridge(&self, entry: CallId, operator: CallId) -> Result<()> {
        let mut table = self.shared.table.lock().expect("table lock");
        let answer = match table.operators.get(&operator) {
            Some(op) if op.winner.is_some() => op.answer.clone(),
            _ => return Ok(()),
        };
        if let Some(e) = table.entries.get_mut(&entry) {
            if e.ended_here {
                return Ok(());
            }
            if !e.answered {
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
                if e.answered {
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
