//! SIP signalling for the telephony driver: the endpoint `switchboard serve` starts when
//! `sip.listen` (env `SWITCHBOARD_SIP_LISTEN`) names an address, on UDP and TCP, built on the
//! `rsipstack` SIP stack (its transactions, transports and parser; pinned to an exact version
//! because its API still moves between releases).
//!
//! It answers `OPTIONS` (what phones and carriers send to see that a server is up) with 200 and
//! serves the registrar ([`registrar`]): users' phones register with the accounts
//! `switchboard sip credentials create` makes. Other requests get 501 Not Implemented until
//! call handling arrives.

mod nonce;
pub mod registrar;

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;

use rsipstack::sip::{Method, StatusCode};
use rsipstack::transaction::{Endpoint, TransactionReceiver};
use rsipstack::transport::udp::UdpConnection;
use rsipstack::transport::{TcpListenerConnection, TransportLayer};
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
}

impl SipServer {
    /// Binds UDP and TCP on `listen` (port 0: a free port, the same for both) and serves until
    /// stopped; `realm` is the SIP domain phones register in (the digest realm).
    pub async fn start(listen: SocketAddr, core: Core, realm: String) -> Result<Self, String> {
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
        let endpoint = EndpointBuilder::new()
            .with_cancel_token(cancel.clone())
            .with_transport_layer(transports)
            .with_user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
            .with_allows(ALLOWED.to_vec())
            .build();
        let incoming = endpoint
            .incoming_transactions()
            .map_err(|e| format!("the SIP endpoint has no request stream: {e}"))?;
        let registrar = Arc::new(Registrar {
            core,
            realm,
            nonces: nonce::Nonces::new(),
        });
        tokio::spawn(answer(incoming, registrar));
        tokio::spawn(serve(endpoint));
        tracing::info!(%address, "SIP endpoint listening on udp and tcp");
        Ok(Self { address, cancel })
    }

    /// Where it listens (UDP and TCP).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Stops listening.
    pub fn stop(&self) {
        self.cancel.cancel();
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

/// Answers each new request: `OPTIONS` 200, `REGISTER` by the registrar (each in a task of its
/// own: it reads and writes the store), anything else 501 for now.
async fn answer(mut incoming: TransactionReceiver, registrar: Arc<Registrar>) {
    while let Some(mut tx) = incoming.recv().await {
        let status = match tx.original.method {
            Method::Register => {
                let registrar = registrar.clone();
                tokio::spawn(async move { registrar.handle(&mut tx).await });
                continue;
            }
            Method::Options => StatusCode::OK,
            // Answered inside the stack; nothing to do.
            Method::Ack => continue,
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
