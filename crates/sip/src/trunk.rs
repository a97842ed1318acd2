//! Calls that carriers send: an INVITE whose request-URI names one of a company's numbers
//! (E.164, with or without `+`) comes in when one of the company's trunks admits its source
//! address, or its digest answer (407 challenge, MD5) when the trunk has credentials. It then
//! becomes the call's entry leg, routed by the control plane as any other call.
//!
//! Answers: a number no company holds, 404; a source no trunk of the company admits, or wrong
//! credentials, 403 (logged without secrets); `Max-Forwards: 0`, 483; a caller that is not a
//! telephone number (anonymous, withheld), 433 Anonymity Disallowed (RFC 5079: a call without
//! a number cannot be called back, and Dialpad's calls carry one); a blocked caller, 603; a number that rings nothing, or a call that goes to
//! voicemail (no media here to take a message), 480.

use std::sync::Arc;

use rsipstack::dialog::authenticate::verify_digest;
use rsipstack::dialog::dialog_layer::DialogLayer;
use rsipstack::sip::typed;
use rsipstack::sip::{Header, HeadersExt, Method, StatusCode, Uri};
use rsipstack::transaction::transaction::Transaction;
use switchboard_domain::calls::leg::CallState;
use switchboard_domain::calls::InboundCall;
use switchboard_domain::ids::{CallId, CompanyId, Id};
use switchboard_domain::telephony::e164_of;
use switchboard_domain::telephony::trunk::Admission;
use switchboard_domain::{Core, DomainError};

use crate::driver::Shared;
use crate::nonce::{Asker, Nonces};

/// The carriers' way in.
pub(crate) struct Trunks {
    pub(crate) core: Core,
    pub(crate) realm: String,
    pub(crate) nonces: Nonces,
    pub(crate) shared: Arc<Shared>,
    pub(crate) dialogs: Arc<DialogLayer>,
    pub(crate) contact: Uri,
}

/// A refusal: its status and headers.
struct Refusal(StatusCode, Vec<Header>);

impl From<StatusCode> for Refusal {
    fn from(code: StatusCode) -> Self {
        Self(code, Vec::new())
    }
}

/// A call let in: whose, from whom, to which number.
struct Admitted {
    company: CompanyId,
    from: String,
    to: String,
}

impl Trunks {
    /// Takes a new INVITE (one that belongs to no dialog).
    pub(crate) async fn invite(&self, mut tx: Transaction) {
        let admitted = match self.admit(&tx).await {
            Ok(admitted) => admitted,
            Err(Refusal(status, headers)) => {
                if let Err(e) = tx.reply_with(status, headers, None).await {
                    tracing::warn!(error = %e, "a SIP response could not be sent");
                }
                return;
            }
        };
        let id = CallId::generate();
        let (states_tx, states) = self.dialogs.new_dialog_state_channel();
        let dialog = match self.dialogs.get_or_create_server_invite(
            &tx,
            states_tx,
            None,
            Some(self.contact.clone()),
        ) {
            Ok(dialog) => dialog,
            Err(e) => {
                tracing::warn!(error = %e, "an INVITE could not open a dialog");
                let _ = tx.reply(StatusCode::BadRequest).await;
                return;
            }
        };
        let caller = Uri::try_from(format!("sip:{}@{}", admitted.from, self.realm).as_str())
            .unwrap_or_else(|_| self.contact.clone());
        self.shared.add_entry(
            id,
            admitted.company,
            dialog.clone(),
            tx.original.body.clone(),
            caller,
            states,
        );
        let mut handler = dialog;
        tokio::spawn(async move {
            if let Err(e) = handler.handle(&mut tx).await {
                tracing::debug!(error = %e, "an incoming call's transaction ended with an error");
            }
        });
        let call = InboundCall {
            from: admitted.from,
            to: admitted.to,
        };
        match self
            .core
            .calls()
            .inbound_as(admitted.company, call, id)
            .await
        {
            Ok(leg) => {
                let ended = match leg.state {
                    CallState::Blocked => Some(StatusCode::Decline),
                    state if state.is_final() => Some(StatusCode::TemporarilyUnavailable),
                    _ => None,
                };
                self.shared.entry_taken(id, ended);
            }
            Err(DomainError::NotFound(_)) => self.shared.entry_refused(id, StatusCode::NotFound),
            Err(DomainError::Invalid(reason)) => {
                tracing::info!(%reason, "a carrier's call was not taken");
                self.shared
                    .entry_refused(id, StatusCode::TemporarilyUnavailable);
            }
            Err(error) => {
                tracing::error!(error = %error, "a carrier's call failed");
                self.shared
                    .entry_refused(id, StatusCode::ServerInternalError);
            }
        }
    }

    async fn admit(&self, tx: &Transaction) -> Result<Admitted, Refusal> {
        let request = &tx.original;
        if let Ok(hops) = request.max_forwards_header() {
            if hops.value().trim() == "0" {
                return Err(StatusCode::TooManyHops.into());
            }
        }
        let dialled = request
            .uri
            .auth
            .as_ref()
            .map(|a| a.user.clone())
            .unwrap_or_default();
        let source = crate::source_of(tx).ok_or(StatusCode::Forbidden)?;
        let telephony = self.core.telephony();
        let admission = telephony
            .admit_trunk_call(&dialled, source)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "trunk admission failed");
                Refusal::from(StatusCode::ServerInternalError)
            })?;
        let company = match admission {
            Admission::UnknownNumber => return Err(StatusCode::NotFound.into()),
            Admission::Refused => {
                tracing::info!(%source, "an INVITE from an address no trunk admits was refused");
                return Err(StatusCode::Forbidden.into());
            }
            Admission::Admitted { company, .. } => company,
            Admission::Challenge { company, trunks } => {
                let Some(raw) = request.header_value("Proxy-Authorization") else {
                    return Err(self.challenge(false));
                };
                let Ok(auth) = typed::Authorization::parse(&raw) else {
                    return Err(StatusCode::BadRequest.into());
                };
                if auth.realm != self.realm {
                    return Err(self.challenge(false));
                }
                if !self.nonces.is_fresh(&auth.nonce) {
                    return Err(self.challenge(true));
                }
                let passes = trunks.iter().any(|(trunk, password)| {
                    trunk.username.as_deref() == Some(auth.username.as_str())
                        && verify_digest(&auth, password, &Method::Invite, &raw)
                });
                if !passes {
                    tracing::info!(username = %auth.username, %source, "an INVITE was refused: wrong trunk credentials");
                    return Err(StatusCode::Forbidden.into());
                }
                company
            }
        };
        let to = e164_of(&dialled).ok_or(StatusCode::NotFound)?;
        let from = request
            .from_header()
            .ok()
            .and_then(|h| h.uri().ok())
            .and_then(|uri| uri.auth.map(|a| a.user))
            .and_then(|user| e164_of(&user))
            .ok_or(StatusCode::AnonymityDisallowed)?;
        Ok(Admitted {
            company,
            from: from.as_str().to_owned(),
            to: to.as_str().to_owned(),
        })
    }

    /// 407 with a fresh nonce (`stale`: the old one only aged).
    fn challenge(&self, stale: bool) -> Refusal {
        let (status, header) = self.nonces.challenge(Asker::Proxy, &self.realm, stale);
        Refusal(status, vec![header])
    }
}
