//! SIP signalling for the telephony driver: the endpoint `switchboard serve` starts when
//! `sip.listen` (env `SWITCHBOARD_SIP_LISTEN`) names an address, on UDP and TCP, built on the
//! `rsipstack` SIP stack (its transactions, transports and parser; pinned to an exact version
//! because its API still moves between releases).
//!
//! It answers `OPTIONS` (what phones and carriers send to see that a server is up) with 200 and
//! serves the registrar ([`registrar`]): users' phones register with the accounts
//! `switchboard sip credentials create` makes. With the SIP driver ([`SipDriver`], selected by
//! `SWITCHBOARD_TELEPHONY=sip`) it also takes carriers' calls through trunks ([`trunk`]) and
//! carries them to the registered phones of whoever the control plane rings ([`driver`]);
//! without it, INVITEs get 501 Not Implemented. A request inside a dialog that is not (or no
//! longer) there gets 481.

pub mod driver;
pub mod limits;
mod nonce;
pub mod registrar;
mod sdp;
pub mod trunk;

pub use driver::SipDriver;

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;

use rsipstack::dialog::dialog_layer::DialogLayer;
use rsipstack::sip::{HeadersExt, Host, Method, StatusCode};
use rsipstack::transaction::{Endpoint, TransactionReceiver};
use rsipstack::transport::udp::UdpConnection;
use rsipstack::transport::{SipConnection, TcpListenerConnection, TransportLayer};
use rsipstack::EndpointBuilder;
use switchboard_domain::Core;
use tokio_util::sync::CancellationToken;

use crate::registrar::Registrar;

/// Methods the endpoint will accept once the registrar and calls are served.
const ALLOWED: [Method; 7] = [
    Method::Register,
    Method::Invite,
    Method::Ack,
    Method::Bye,
    Method::Cancel,
    Method::Options,
    Method::Refer,
];

/// A running SIP endpoint; dropping it (or [`SipServer::stop`]) stops it.
pub struct SipServer {
    address: SocketAddr,
    cancel: CancellationToken,
    driver: Option<Arc<driver::Shared>>,
}

impl SipServer {
    /// Binds UDP and TCP on `listen` (port 0: a free port, the same for both) and serves until
    /// stopped; `realm` is the SIP domain phones register in (the digest realm). With `driver`
    /// (the one `core` drives), calls are taken and carried too.
    pub async fn start(
        listen: SocketAddr,
        core: Core,
        realm: String,
        driver: Option<&SipDriver>,
        request_rate: u32,
    ) -> Result<Self, String> {
        let address = free_port(listen)?;
        let cancel = CancellationToken::new();
        let transports = TransportLayer::new(cancel.child_token());
        let udp = UdpConnection::create_connection(address, None, Some(cancel.child_token()))
            .await
            .map_err(|e| format!("cannot listen for SIP on udp {address}: {e}"))?;
        transports.add_transport(udp.into());
        // The stack binds TCP when it starts serving and only logs a failure, so the port is
        // tried here first to report it.
        std::net::TcpListener::bind(address)
            .map_err(|e| format!("cannot listen for SIP on tcp {address}: {e}"))?;
        let tcp = TcpListenerConnection::new(address, None)
            .await
            .map_err(|e| format!("cannot listen for SIP on tcp {address}: {e}"))?;
        transports.add_transport(tcp.into());
        // Call-IDs this endpoint makes (ringing phones) end in the SIP domain.
        let option = rsipstack::transaction::endpoint::EndpointOption {
            callid_suffix: Some(realm.clone()),
            ..Default::default()
        };
        let endpoint = EndpointBuilder::new()
            .with_option(option)
            .with_cancel_token(cancel.clone())
            .with_transport_layer(transports)
            .with_user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
            .with_allows(ALLOWED.to_vec())
            .build();
        let incoming = endpoint
            .incoming_transactions()
            .map_err(|e| format!("the SIP endpoint has no request stream: {e}"))?;
        let calls = match driver {
            Some(driver) => {
                let dialogs = Arc::new(DialogLayer::new(endpoint.inner.clone()));
                let contact = dialogs
                    .build_local_contact(None, None)
                    .map_err(|e| format!("the SIP endpoint has no address: {e}"))?;
                let (reports, reported) = tokio::sync::mpsc::unbounded_channel();
                let shared = driver.shared();
                shared.attach(driver::Link {
                    core: core.clone(),
                    dialogs: dialogs.clone(),
                    contact: contact.clone(),
                    reports,
                });
                tokio::spawn(apply_reports(core.clone(), reported, cancel.clone()));
                Some(Arc::new(trunk::Trunks {
                    core: core.clone(),
                    realm: realm.clone(),
                    nonces: nonce::Nonces::new(),
                    shared,
                    dialogs,
                    contact,
                }))
            }
            None => None,
        };
        let registrar = Arc::new(Registrar {
            core,
            realm,
            nonces: nonce::Nonces::new(),
        });
        let flood = Arc::new(limits::Flood::new(request_rate));
        tokio::spawn(answer(incoming, registrar, calls, flood));
        tokio::spawn(serve(endpoint));
        tracing::info!(%address, "SIP endpoint listening on udp and tcp");
        Ok(Self {
            address,
            cancel,
            driver: driver.map(SipDriver::shared),
        })
    }

    /// Where it listens (UDP and TCP).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops listening (calls in progress are forgotten, not ended).
    pub fn stop(&self) {
        self.cancel.cancel();
        if let Some(driver) = &self.driver {
            driver.detach();
        }
    }
}

impl Drop for SipServer {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(endpoint: Endpoint) {
    endpoint.serve().await;
}

/// Applies what the network reports, in the order it happened.
async fn apply_reports(
    core: Core,
    mut reported: tokio::sync::mpsc::UnboundedReceiver<
        switchboard_domain::telephony::driver::NetworkEvent,
    >,
    cancel: CancellationToken,
) {
    loop {
        let event = tokio::select! {
            event = reported.recv() => event,
            () = cancel.cancelled() => None,
        };
        let Some(event) = event else {
            return;
        };
        match core.calls().network_event(event.clone()).await {
            Ok(()) => {}
            // The call moved on meanwhile (it ended, or someone else answered).
            Err(
                switchboard_domain::DomainError::Conflict(reason)
                | switchboard_domain::DomainError::Invalid(reason),
            ) => {
                tracing::debug!(?event, %reason, "a network event came too late");
            }
            Err(error) => tracing::warn!(?event, error = %error, "a network event failed"),
        }
    }
}

/// How long a re-INVITE waits for the ACK of the dialog's first INVITE to be taken in.
const ACK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether the dialog is past waiting for the ACK of its first INVITE, waiting up to
/// [`ACK_WAIT`] for it. A carrier may send a re-INVITE right behind its ACK; should the
/// re-INVITE reach the dialog before the ACK's transaction has confirmed it, the stack would
/// take it for the first INVITE and never answer it. The stack reports no confirmation to
/// wait on, so the state is looked at again every few milliseconds.
async fn confirmed_in_time(dialog: &rsipstack::dialog::dialog::Dialog) -> bool {
    let deadline = tokio::time::Instant::now() + ACK_WAIT;
    while dialog.state().waiting_ack() {
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    true
}

/// Answers each new request: requests inside a known dialog by the dialog; `OPTIONS` 200,
/// `REGISTER` by the registrar, a new `INVITE` by the trunks (each in a task of its own: they
/// read and write the store); a request for a dialog that is not there 481; anything else 501.
async fn answer(
    mut incoming: TransactionReceiver,
    registrar: Arc<Registrar>,
    calls: Option<Arc<trunk::Trunks>>,
    flood: Arc<limits::Flood>,
) {
    while let Some(mut tx) = incoming.recv().await {
        if let Some(calls) = &calls {
            if let Some(mut dialog) = calls.dialogs.match_dialog(&tx) {
                tokio::spawn(async move {
                    if tx.original.method == Method::Invite && !confirmed_in_time(&dialog).await {
                        // RFC 3261 §14.2: the sender tries again a little later.
                        if let Err(e) = tx.reply(StatusCode::RequestPending).await {
                            tracing::warn!(error = %e, "a SIP response could not be sent");
                        }
                        return;
                    }
                    if let Err(e) = dialog.handle(&mut tx).await {
                        tracing::debug!(error = %e, "an in-dialog request failed");
                    }
                });
                continue;
            }
        }
        let in_dialog = tx
            .original
            .to_header()
            .ok()
            .and_then(|to| to.tag().ok().flatten())
            .is_some();
        // What costs work before the sender is known is counted per address.
        if matches!(tx.original.method, Method::Register | Method::Invite) && !in_dialog {
            if let Some(source) = source_of(&tx) {
                if !flood.admits(source) {
                    tracing::debug!(%source, method = %tx.original.method, "a request over the rate was turned away");
                    let retry = rsipstack::sip::Header::RetryAfter("1".into());
                    if let Err(e) = tx
                        .reply_with(StatusCode::ServiceUnavailable, vec![retry], None)
                        .await
                    {
                        tracing::warn!(error = %e, "a SIP response could not be sent");
                    }
                    continue;
                }
            }
        }
        let status = match tx.original.method {
            Method::Register => {
                let registrar = registrar.clone();
                tokio::spawn(async move { registrar.handle(&mut tx).await });
                continue;
            }
            Method::Options if !in_dialog => StatusCode::OK,
            // Answered inside the stack; nothing to do.
            Method::Ack => continue,
            Method::Invite if !in_dialog => match &calls {
                Some(calls) => {
                    let calls = calls.clone();
                    tokio::spawn(async move { calls.invite(tx).await });
                    continue;
                }
                None => StatusCode::NotImplemented,
            },
            _ if in_dialog => StatusCode::CallTransactionDoesNotExist,
            Method::Bye | Method::Cancel => StatusCode::CallTransactionDoesNotExist,
            _ => StatusCode::NotImplemented,
        };
        if let Err(e) = tx.reply(status).await {
            tracing::warn!(error = %e, "a SIP response could not be sent");
        }
    }
}

/// `listen`, with a port that is free for both UDP and TCP when it asks for port 0.
fn free_port(listen: SocketAddr) -> Result<SocketAddr, String> {
    if listen.port() != 0 {
        return Ok(listen);
    }
    for _ in 0..20 {
        let udp = UdpSocket::bind(listen).map_err(|e| format!("cannot bind {listen}: {e}"))?;
        let found = udp.local_addr().map_err(|e| e.to_string())?;
        if std::net::TcpListener::bind(found).is_ok() {
            return Ok(found);
        }
    }
    Err(format!(
        "no port free for both udp and tcp on {}",
        listen.ip()
    ))
}

/// Where a request came from: the top Via as the transport rewrote it (`received`, `rport`
/// from the packet's real source), so a sender cannot choose it.
pub(crate) fn source_of(tx: &rsipstack::transaction::transaction::Transaction) -> Option<IpAddr> {
    let via = tx.original.via_header().ok()?;
    let (_, host) = SipConnection::parse_target_from_via(via).ok()?;
    match host.host {
        Host::IpAddr(ip) => Some(ip),
        Host::Domain(name) => name.to_string().parse().ok(),
    }
}
