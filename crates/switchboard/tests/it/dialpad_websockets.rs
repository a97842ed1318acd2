//! Dialpad websockets with real clients: the vendor's key handshake (a wrong key, another
//! company's key, a forged token, a client that never sends its key), several clients each
//! getting every subscribed event, resuming after a drop, and the token's one-hour expiry.

use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_events::{acme_named, drain, one_call, subscribe};
use crate::dialpad_kit::dp;

/// A websocket client: connects to `url`, checks the greeting, sends `key`.
async fn client(
    url: &str,
    key: &str,
) -> (
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    String,
) {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connects");
    let hello = next_text(&mut ws).await;
    assert!(hello.contains("please send your api key"), "{hello}");
    ws.send(Message::Text(key.into())).await.unwrap();
    let answer = next_text(&mut ws).await;
    (ws, answer)
}

async fn next_text(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> String {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    // A guard against a hanging test, not a wait for work.
    let limit = std::time::Duration::from_secs(20);
    loop {
        match tokio::time::timeout(limit, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return t.to_string(),
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) => return "<closed>".into(),
            Ok(Some(Ok(_))) => continue,
            other => panic!("no frame: {other:?}"),
        }
    }
}

#[tokio::test]
async fn websocket_clients_get_every_subscribed_event_after_the_key_handshake() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = acme_named(&s, "Other").await;
    let ops = operators(&s, &c, 1).await;
    let (_, number) = call_center(&s, &c, routing("fixedorder"), &ops, "415").await;
    let r = dp(&s, "POST", "/websockets", &c.company_key, Some(json!({}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let socket = r.body["id"].as_i64().unwrap();
    let sub = subscribe(
        &s,
        &c,
        "call",
        json!({"endpoint_id": socket, "call_states": ["hangup"]}),
    )
    .await;
    assert!(sub["websocket"]["websocket_url"]
        .as_str()
        .unwrap()
        .starts_with("ws://"));
    let url = r.body["websocket_url"].as_str().unwrap().to_owned();

    // A wrong key, or another company's, is refused with the vendor's message.
    let (_, refused) = client(&url, "not-a-key").await;
    assert!(refused.contains("not valid"), "{refused}");
    let (_, refused) = client(&url, &other.company_key).await;
    assert!(refused.contains("not valid"), "{refused}");
    // A forged token: 401 before the upgrade.
    let forged = format!("{url}x");
    assert!(tokio_tungstenite::connect_async(&forged).await.is_err());

    let (mut a, ok) = client(&url, &c.company_key).await;
    assert!(ok.contains("valid"), "{ok}");
    let (mut b, _) = client(&url, &c.admin_key).await;
    one_call(&s, &c, &number, ops[0]).await;
    drain(&s, 0).await;
    for ws in [&mut a, &mut b] {
        let frame: Value = serde_json::from_str(&next_text(ws).await).unwrap();
        assert_eq!(frame["state"], "hangup", "{frame}");
    }
    // A client that was away resumes: `since` sends what it missed.
    let (mut late, _) = client(&format!("{url}?since=0"), &c.company_key).await;
    let frame: Value = serde_json::from_str(&next_text(&mut late).await).unwrap();
    assert_eq!(frame["state"], "hangup");

    // The token expires after an hour; reading the websocket answers a fresh one.
    advance(&s, &c, 3601).await;
    assert!(tokio_tungstenite::connect_async(&url).await.is_err());
    let fresh = dp(
        &s,
        "GET",
        &format!("/websockets/{socket}"),
        &c.company_key,
        None,
    )
    .await;
    let fresh_url = fresh.body["websocket_url"].as_str().unwrap();
    assert_ne!(fresh_url, url);
    let (_, ok) = client(fresh_url, &c.company_key).await;
    assert!(ok.contains("valid"), "{ok}");
}

#[tokio::test]
async fn a_client_that_never_sends_its_key_is_closed_when_the_wait_runs_out() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let s = manual_server().await;
    let c = acme(&s).await;
    let r = dp(&s, "POST", "/websockets", &c.company_key, Some(json!({}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let url = r.body["websocket_url"].as_str().unwrap().to_owned();
    let (mut ws, _) = tokio_tungstenite::connect_async(&url)
        .await
        .expect("connects");
    let hello = next_text(&mut ws).await;
    assert!(hello.contains("please send your api key"), "{hello}");
    let (mut patient, _) = tokio_tungstenite::connect_async(&url)
        .await
        .expect("connects");
    next_text(&mut patient).await;

    // The wait follows the server's clock: 29 seconds in, a key is still taken.
    advance(&s, &c, 29).await;
    patient
        .send(Message::Text(c.company_key.clone().into()))
        .await
        .unwrap();
    let ok = next_text(&mut patient).await;
    assert!(ok.contains("you are now receiving events"), "{ok}");

    // Past 30 seconds: the vendor's message, then a close with policy violation (1008).
    advance(&s, &c, 2).await;
    let refused = next_text(&mut ws).await;
    assert_eq!(
        refused,
        "The api key is not valid or does not have access to this subscription."
    );
    let limit = std::time::Duration::from_secs(20);
    match tokio::time::timeout(limit, ws.next()).await {
        Ok(Some(Ok(Message::Close(Some(frame))))) => assert_eq!(u16::from(frame.code), 1008),
        other => panic!("expected a close frame: {other:?}"),
    }
}
