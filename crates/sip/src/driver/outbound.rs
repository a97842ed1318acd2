//! A user's outbound call over SIP. Their phones are rung first with a holding offer (no
//! media address: the outside party's is not known yet). When a phone answers, the control
//! plane has the driver dial: an INVITE to the company's trunk (its outbound URI with the
//! number as user part), offering the phone's media. The carrier's dialog is kept as the leg's
//! entry, so hanging up, hold and the bridge work as for a carrier's incoming call: when the
//! outside party answers, the control plane bridges the leg and the phone is re-INVITEd with
//! the outside party's media. A carrier that refuses, or a company with no outbound trunk,
//! shows as the outside party hanging up before answering.

use std::sync::Arc;

use rsipstack::dialog::authenticate::Credential;
use rsipstack::dialog::invitation::InviteOption;
use rsipstack::sip::uri::Auth;
use rsipstack::sip::Uri;
use switchboard_domain::calls::leg::Direction;
use switchboard_domain::ids::{CallId, CompanyId};
use switchboard_domain::telephony::driver::NetworkEvent;
use switchboard_domain::telephony::people::BLOCKED_CALLER_ID;
use switchboard_domain::Result;

use super::dialogs::follow_entry;
use super::{Entry, Link, Shared};
use crate::sdp;

/// The origin (session id) of the SDP the driver offers a phone for the leg.
pub(super) fn origin(leg: CallId) -> u64 {
    leg.0.unsigned_abs()
}

/// What a phone is rung with for its user's outbound leg: the holding offer, and the number
/// called as who the call is with. `None` when the leg is not an outbound call.
pub(super) async fn ringing_offer(
    link: &Link,
    company: CompanyId,
    leg: CallId,
) -> Result<Option<(Vec<u8>, Uri)>> {
    let call = link.core.calls().call(company, leg).await?;
    if call.direction != Direction::Outbound {
        return Ok(None);
    }
    let shown = at_host(&link.contact, &call.external_number);
    Ok(Some((sdp::holding_offer(origin(leg)), shown)))
}

/// `user` at the endpoint's own address.
fn at_host(contact: &Uri, user: &str) -> Uri {
    let mut uri = contact.clone();
    uri.auth = Some(Auth {
        user: user.to_owned(),
        password: None,
    });
    uri.params.clear();
    uri.headers.clear();
    uri
}

impl Shared {
    /// Calls `to` through the company's outbound trunk for the leg whose phone answered,
    /// showing `from` (`blocked`: anonymous).
    pub(super) async fn dial(
        self: &Arc<Self>,
        company: CompanyId,
        leg: CallId,
        from: &str,
        to: &str,
    ) -> Result<()> {
        let gone = || NetworkEvent::HungUp {
            company,
            leg,
            by_caller: true,
        };
        let Some(link) = self.link() else {
            self.report_now(gone());
            return Ok(());
        };
        let phone_sdp = {
            let table = self.table.lock().expect("table lock");
            if table.entries.contains_key(&leg) {
                // Dialled already (the phone's answer was reported twice).
                return Ok(());
            }
            match table.operators.get(&leg) {
                Some(op) if op.winner.is_some() && !op.ended_here => op.answer.clone(),
                _ => return Ok(()),
            }
        };
        let route = link.core.telephony().outbound_route(company).await?;
        let Some(route) = route else {
            tracing::info!(%leg, "the company has no trunk with an outbound URI: not dialled");
            self.report_now(gone());
            return Ok(());
        };
        let mut callee = match Uri::try_from(route.uri.as_str()) {
            Ok(uri) => uri,
            Err(e) => {
                tracing::warn!(%leg, trunk = %route.trunk, error = %e, "the trunk's outbound URI does not parse");
                self.report_now(gone());
                return Ok(());
            }
        };
        callee.auth = Some(Auth {
            user: to.to_owned(),
            password: None,
        });
        let caller = if from == BLOCKED_CALLER_ID {
            at_host(&link.contact, "anonymous")
        } else {
            at_host(&link.contact, from)
        };
        let option = InviteOption {
            caller: caller.clone(),
            callee,
            contact: link.contact.clone(),
            content_type: Some("application/sdp".into()),
            offer: Some(sdp::answering(&phone_sdp, sdp::Direction::SendRecv)),
            credential: route.credentials.map(|(username, password)| Credential {
                username,
                password,
                ..Default::default()
            }),
            ..Default::default()
        };
        let (states_tx, states) = link.dialogs.new_dialog_state_channel();
        let dialog = match link.dialogs.do_invite_async(option, states_tx) {
            Ok((dialog, _done)) => dialog,
            Err(e) => {
                tracing::warn!(%leg, error = %e, "the outside number could not be called");
                self.report_now(gone());
                return Ok(());
            }
        };
        self.table.lock().expect("table lock").entries.insert(
            leg,
            Entry {
                company,
                dialog,
                offer: Vec::new(),
                caller,
                answered: false,
                ringing_sent: true,
                ended_here: false,
                outbound: true,
            },
        );
        tokio::spawn(follow_entry(self.clone(), leg, states));
        Ok(())
    }
}
