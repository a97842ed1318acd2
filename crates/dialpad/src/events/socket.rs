//! The websocket clients connect to: `GET /api/v2/websockets/events/{token}` (the
//! `websocket_url` of a websocket or of one of its subscriptions).
//!
//! The handshake is the vendor's: an invalid or expired token is refused before the upgrade
//! (401 in Dialpad's envelope); after it the server says "You are connected without a valid
//! token, please send your api key for verification"; the client's first message must be an
//! API key of the endpoint's company (a company key or an admin's key), else the server says
//! "The api key is not valid or does not have access to this subscription." and closes
//! (policy violation). A client that sends nothing within [`KEY_WAIT`] (on the server's clock)
//! is closed the same way. On success the server says "Your api key is valid, you are now receiving events." and
//! then sends every event of the token's subscriptions as one text frame each (a JWT when the
//! websocket has a secret, JSON otherwise).
//!
//! Every event is kept as a numbered frame of its websocket for the event retention period,
//! so several clients on one websocket each get every frame, and a client that dropped
//! resumes where it left off: `?after=<event id>` (the `jti` of the last JWT it got) or
//! `?since=<unix ms>` (e.g. the last `event_timestamp` it saw; frames made from then on, which
//! may repeat some) sends the frames it missed before the live ones.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use switchboard_domain::events::endpoint::Endpoint;
use switchboard_domain::events::WebsocketGrant;
use switchboard_domain::ids::{EventId, Id};
use switchboard_domain::tenancy::account::Principal;
use switchboard_domain::Core;
use switchboard_http::Dialect;

use crate::error::ApiError;
use crate::Dialpad;

/// What the server says first.
pub const GREETING: &str =
    "You are connected without a valid token, please send your api key for verification";
/// What the server says to a wrong key before it closes.
pub const REFUSED: &str = "The api key is not valid or does not have access to this subscription.";
/// What the server says to a good key.
pub const ACCEPTED: &str = "Your api key is valid, you are now receiving events.";
/// How long the server waits for the key.
pub const KEY_WAIT: Duration = Duration::from_secs(30);
/// How often a wait for the key looks at the clock.
const CLOCK_CHECK: Duration = Duration::from_secs(1);
/// Frames read per query.
const BATCH: u32 = 100;
/// Longest wait between reads when no commit signal comes.
const POLL: Duration = Duration::from_secs(2);

#[derive(Deserialize)]
pub(crate) struct Resume {
    after: Option<String>,
    since: Option<i64>,
}

/// Upgrades a request with a valid token.
pub(crate) async fn connect(
    State(core): State<Core>,
    Path(token): Path<String>,
    Query(resume): Query<Resume>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let (endpoint, grant) = match core.events().open_websocket_token(&token).await {
        Ok(found) => found,
        Err(e) => return ApiError(e).into_response(),
    };
    let Ok(upgrade) = upgrade else {
        return Dialpad::error(
            axum::http::StatusCode::BAD_REQUEST,
            "connect with a websocket client (Upgrade: websocket)",
        );
    };
    let start = match start_position(&core, &endpoint, &resume).await {
        Ok(seq) => seq,
        Err(e) => return ApiError(e).into_response(),
    };
    upgrade.on_upgrade(move |socket| serve(core, endpoint, grant, start, socket))
}

async fn start_position(
    core: &Core,
    endpoint: &Endpoint,
    resume: &Resume,
) -> switchboard_domain::Result<i64> {
    let store = core.store();
    let event = match &resume.after {
        Some(raw) => Some(EventId::parse_str(raw).ok_or_else(|| {
            switchboard_domain::DomainError::invalid("after must be an event id (a jti)")
        })?),
        None => None,
    };
    let since = resume
        .since
        .map(jiff::Timestamp::from_millisecond)
        .transpose()
        .map_err(|_| switchboard_domain::DomainError::invalid("since must be unix milliseconds"))?;
    if event.is_some() || since.is_some() {
        if let Some(seq) = store.frame_position(endpoint.id, event, since).await? {
            return Ok(seq);
        }
    }
    store.last_frame_seq(endpoint.id).await
}

async fn serve(
    core: Core,
    endpoint: Endpoint,
    grant: WebsocketGrant,
    mut seq: i64,
    mut socket: WebSocket,
) {
    if socket.send(Message::Text(GREETING.into())).await.is_err() {
        return;
    }
    let key = match first_message(&core, &mut socket).await {
        Some(Ok(Message::Text(t))) => Some(t.to_string()),
        _ => None,
    };
    let allowed = match key {
        Some(key) => key_allows(&core, &endpoint, key.trim()).await,
        None => false,
    };
    if !allowed {
        let _ = socket.send(Message::Text(REFUSED.into())).await;
        let _ = socket
            .send(Message::Close(Some(CloseFrame {
                code: 1008,
                reason: REFUSED.into(),
            })))
            .await;
        return;
    }
    if socket.send(Message::Text(ACCEPTED.into())).await.is_err() {
        return;
    }
    let mut commits = core.store().subscribe_commits().await.ok();
    loop {
        let frames = match core.events().websocket_frames(&grant, seq, BATCH).await {
            Ok(f) => f,
            Err(e) => {
                tracing::error!(error = %e, "reading websocket frames failed");
                break;
            }
        };
        let full = frames.len() == BATCH as usize;
        for frame in frames {
            seq = frame.seq;
            if socket.send(Message::Text(frame.body.into())).await.is_err() {
                return;
            }
        }
        if full {
            continue;
        }
        let signal = async {
            match commits.as_mut() {
                Some(watch) => watch.changed().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            alive = signal => if !alive { commits = None; },
            () = tokio::time::sleep(POLL) => {}
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

/// The client's first message, or `None` once [`KEY_WAIT`] has passed on the server's clock
/// (so a manual clock moved past it closes a silent client, as the wall clock does in time).
async fn first_message(
    core: &Core,
    socket: &mut WebSocket,
) -> Option<Result<Message, axum::Error>> {
    let wait = jiff::SignedDuration::try_from(KEY_WAIT).unwrap_or(jiff::SignedDuration::ZERO);
    let started = core.clock().now();
    let deadline = started.saturating_add(wait).unwrap_or(started);
    loop {
        let left = deadline.duration_since(core.clock().now());
        if left <= jiff::SignedDuration::ZERO {
            return None;
        }
        // Looks at the clock again at least every second: a manual clock moves in jumps.
        let nap = Duration::try_from(left)
            .unwrap_or(Duration::ZERO)
            .min(CLOCK_CHECK);
        if let Ok(message) = tokio::time::timeout(nap, socket.recv()).await {
            return message;
        }
    }
}

/// Whether `key` is a company key or a company admin's key of the endpoint's company.
async fn key_allows(core: &Core, endpoint: &Endpoint, key: &str) -> bool {
    match core.tenancy().authenticate(key).await {
        Ok(Principal::Company(c)) => c.id == endpoint.company_id,
        Ok(Principal::User(u)) => u.company_id == endpoint.company_id && u.is_admin,
        _ => false,
    }
}
