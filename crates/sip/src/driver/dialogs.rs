//! What the driver does with the SIP dialogs it follows: the carrier's side of a call (its
//! BYE or CANCEL, its re-INVITEs, its answer when we called out) and the phones rung for an operator (the first answer wins,
//! declines, hang-ups, hold, and a blind transfer by `REFER`).

use std::sync::Arc;

use rsipstack::dialog::dialog::{DialogState, DialogStateReceiver, TransactionHandle};
use rsipstack::dialog::invite_dialog::InviteDialog;
use rsipstack::sip::event_packages::parse_refer_to;
use rsipstack::sip::{HeadersExt, Request, StatusCode, Uri};
use switchboard_domain::ids::{CallId, CompanyId};
use switchboard_domain::telephony::driver::NetworkEvent;
use switchboard_domain::DomainError;

use super::{sdp_type, Shared, Table};
use crate::sdp;

/// Follows the carrier's side of a call: it hanging up (BYE, or CANCEL before the answer) is
/// the caller hanging up.
pub(super) async fn follow_entry(shared: Arc<Shared>, id: CallId, mut states: DialogStateReceiver) {
    while let Some(state) = states.recv().await {
        match state {
            DialogState::Confirmed(_, response) => {
                // Our call to an outside number was answered (a carrier's call confirmed by
                // its ACK needs nothing more).
                let reached = {
                    let mut table = shared.table.lock().expect("table lock");
                    match table.entries.get_mut(&id) {
                        Some(e) if e.outbound && !e.answered && !e.ended_here => {
                            e.answered = true;
                            e.offer = response.body.clone();
                            Some(e.company)
                        }
                        _ => None,
                    }
                };
                if let Some(company) = reached {
                    shared.report(NetworkEvent::Reached { company, leg: id });
                }
            }
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

/// Follows the phones rung for an operator's leg: the first to answer wins; a leg whose phones
/// all declined is declined; the answering phone hanging up ends the leg.
pub(super) async fn follow_operator(
    shared: Arc<Shared>,
    leg: CallId,
    mut states: DialogStateReceiver,
) {
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
                            .filter(|e| !e.offer.is_empty())
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
