//! The SIP endpoint of the real binary: started by `SWITCHBOARD_SIP_LISTEN`, it answers
//! `OPTIONS` with 200 on UDP and on TCP, challenges a `REGISTER` without credentials, and
//! answers requests it does not serve yet with 501; without the setting nothing listens for
//! SIP. The registrar itself is tested with sipp in `sip_registrar`.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::binary::serve_with;
use crate::kit::Server;

/// A request from a client at `from` (its Via) to `to`.
fn request(method: &str, transport: &str, from: &str, to: &str, call: &str) -> String {
    format!(
        "{method} sip:{to} SIP/2.0\r\n\
         Via: SIP/2.0/{transport} {from};branch=z9hG4bK-{call}\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:probe@{from}>;tag=probe-{call}\r\n\
         To: <sip:{to}>\r\n\
         Call-ID: {call}@switchboard.test\r\n\
         CSeq: 1 {method}\r\n\
         Contact: <sip:probe@{from}>\r\n\
         Expires: 60\r\n\
         Content-Length: 0\r\n\r\n"
    )
}

/// The status line of a response.
fn status_line(response: &str) -> &str {
    response.lines().next().unwrap_or_default()
}

/// The first final (non-1xx) response read from `socket`, within a guard against a hang.
async fn udp_final(socket: &tokio::net::UdpSocket) -> String {
    let mut buf = vec![0u8; 8192];
    loop {
        let (n, _) = tokio::time::timeout(Duration::from_secs(10), socket.recv_from(&mut buf))
            .await
            .expect("a SIP response")
            .unwrap();
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        if !status_line(&text).starts_with("SIP/2.0 1") {
            return text;
        }
    }
}

#[tokio::test]
async fn the_sip_endpoint_answers_options_on_udp_and_tcp_and_refuses_what_it_does_not_serve() {
    let s = Server::start().await;
    let mut sip = None;
    let mut running = serve_with(&s, &[("SWITCHBOARD_SIP_LISTEN", "127.0.0.1:0")], |entry| {
        if entry["fields"]["message"] == "SIP endpoint listening on udp and tcp" {
            sip = entry["fields"]["address"].as_str().map(str::to_owned);
        }
    });
    let sip = sip.expect("the SIP endpoint's address in the log");
    assert!(!sip.ends_with(":0"), "{sip}");

    // UDP: a malformed datagram is dropped (nothing to answer to) and changes nothing; then
    // OPTIONS is 200, REGISTER without credentials is challenged (401), and INVITE is not
    // served yet (501).
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let me = udp.local_addr().unwrap().to_string();
    udp.send_to(b"NOT SIP AT ALL\r\n\r\n", &sip).await.unwrap();
    for (method, want) in [
        ("OPTIONS", "SIP/2.0 200"),
        ("REGISTER", "SIP/2.0 401"),
        ("INVITE", "SIP/2.0 501"),
    ] {
        let call = format!("udp-{method}");
        udp.send_to(request(method, "UDP", &me, &sip, &call).as_bytes(), &sip)
            .await
            .unwrap();
        let response = udp_final(&udp).await;
        assert!(status_line(&response).starts_with(want), "{response}");
        assert!(
            response.contains(&format!("Call-ID: {call}@switchboard.test")),
            "{response}"
        );
    }

    // TCP: the same answer on a stream.
    let mut tcp = tokio::net::TcpStream::connect(&sip).await.unwrap();
    let me = tcp.local_addr().unwrap().to_string();
    tcp.write_all(request("OPTIONS", "TCP", &me, &sip, "tcp-options").as_bytes())
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains("\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut buf))
            .await
            .expect("a SIP response over TCP")
            .unwrap();
        assert!(n > 0, "the connection closed");
        got.extend_from_slice(&buf[..n]);
    }
    let response = String::from_utf8_lossy(&got);
    assert!(
        status_line(&response).starts_with("SIP/2.0 200"),
        "{response}"
    );

    let _ = running.child.kill();
    let _ = running.child.wait();
}

#[test]
fn the_sip_address_must_be_an_address_with_a_port() {
    use std::collections::BTreeMap;
    use switchboard::config::{Config, Overrides};
    let env = |v: &str| BTreeMap::from([("SWITCHBOARD_SIP_LISTEN".to_owned(), v.to_owned())]);
    let (config, _) = Config::resolve(&Overrides::default(), &BTreeMap::new()).unwrap();
    assert_eq!(config.sip_listen, None, "no SIP unless asked");
    let (config, _) = Config::resolve(&Overrides::default(), &env("127.0.0.1:5070")).unwrap();
    assert_eq!(config.sip_listen, Some("127.0.0.1:5070".parse().unwrap()));
    let err = Config::resolve(&Overrides::default(), &env("localhost")).unwrap_err();
    assert!(
        format!("{err:#}").contains("SWITCHBOARD_SIP_LISTEN"),
        "{err:#}"
    );

    // The SIP domain: as given, else the SIP address's IP, else localhost.
    let (config, _) = Config::resolve(&Overrides::default(), &env("127.0.0.1:5070")).unwrap();
    assert_eq!(config.sip_domain(), "127.0.0.1");
    let (config, _) = Config::resolve(&Overrides::default(), &env("0.0.0.0:5070")).unwrap();
    assert_eq!(config.sip_domain(), "localhost");
    let domain = |v: &str| BTreeMap::from([("SWITCHBOARD_SIP_DOMAIN".to_owned(), v.to_owned())]);
    let (config, _) = Config::resolve(&Overrides::default(), &domain("pbx.example.com")).unwrap();
    assert_eq!(config.sip_domain(), "pbx.example.com");
    let err = Config::resolve(&Overrides::default(), &domain("ann@pbx")).unwrap_err();
    assert!(
        format!("{err:#}").contains("SWITCHBOARD_SIP_DOMAIN"),
        "{err:#}"
    );
}

#[tokio::test]
async fn requests_for_dialogs_that_are_not_there_get_481_with_sip_calls_on() {
    let s = Server::start().await;
    let mut sip = None;
    let env = [
        ("SWITCHBOARD_SIP_LISTEN", "127.0.0.1:0"),
        ("SWITCHBOARD_TELEPHONY", "sip"),
    ];
    let mut running = serve_with(&s, &env, |entry| {
        if entry["fields"]["message"] == "SIP endpoint listening on udp and tcp" {
            sip = entry["fields"]["address"].as_str().map(str::to_owned);
        }
    });
    let sip = sip.expect("the SIP endpoint's address in the log");
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let me = udp.local_addr().unwrap().to_string();
    // A BYE or CANCEL for a call that ended (or never was), and a re-INVITE inside a dialog
    // that is not there: 481 Call/Transaction Does Not Exist (RFC 3261 §12.2.2, §9.2).
    for (method, in_dialog) in [
        ("BYE", true),
        ("BYE", false),
        ("CANCEL", false),
        ("INVITE", true),
    ] {
        let call = format!("gone-{method}-{in_dialog}");
        let mut text = request(method, "UDP", &me, &sip, &call);
        if in_dialog {
            text = text.replace(
                &format!("To: <sip:{sip}>"),
                &format!("To: <sip:{sip}>;tag=ended"),
            );
        }
        udp.send_to(text.as_bytes(), &sip).await.unwrap();
        let response = udp_final(&udp).await;
        assert!(
            status_line(&response).starts_with("SIP/2.0 481"),
            "{method} (in a dialog: {in_dialog}): {response}"
        );
    }
    let _ = running.child.kill();
    let _ = running.child.wait();
    let calls = s
        .raw_texts("SELECT CAST(COUNT(*) AS TEXT) FROM calls")
        .await;
    assert_eq!(calls, vec!["0".to_owned()], "no call came of them");
}
