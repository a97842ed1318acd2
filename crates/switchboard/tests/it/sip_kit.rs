//! What the SIP call tests share: sipp as phones and as the carrier's trunk, a call center with
//! a registered phone, the SIP server, and a call's journey read from its events.

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::binary::Running;
use crate::calls_kit::{call_center, operators, routing, sim};
use crate::dialpad_kit::{company, Company};
use crate::kit::Server;
use crate::sip_registrar::{credentials, serve_sip_with, sipp};

/// The caller every trunk scenario sends (`From`).
pub(crate) const CALLER: &str = "+12125550123";

/// A UDP port nobody holds now, with the three above it (sipp's media takes a port and the
/// ones above it), for a sipp to bind. Handed out in turn from below the range the system
/// picks from for port 0, so that no socket another test binds meanwhile can take them, and
/// no two sipps of one run get the same ones.
pub(crate) fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    const FIRST: u32 = 20_000;
    const SPAN: u32 = 12_000;
    // Test processes running at once start far apart (a multiplicative hash of the pid).
    let start = std::process::id().wrapping_mul(2_654_435_761) % SPAN / 4 * 4;
    loop {
        let port = FIRST + (start + NEXT.fetch_add(4, Ordering::Relaxed)) % SPAN;
        let free =
            (port..port + 4).all(|p| std::net::UdpSocket::bind(("127.0.0.1", p as u16)).is_ok());
        if free {
            return port as u16;
        }
    }
}

/// Whether a UDP socket is bound to `port` on this machine (Linux's `/proc/net/udp`).
pub(crate) fn udp_bound(port: u16) -> bool {
    let wanted = format!(":{port:04X}");
    std::fs::read_to_string("/proc/net/udp")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .any(|line| {
            line.split_whitespace()
                .nth(1)
                .is_some_and(|local| local.ends_with(&wanted))
        })
}

/// A sipp phone answering on `port` with a scenario of `tests/it/sipp`.
pub(crate) struct Phone {
    child: Child,
    _scratch: tempfile::TempDir,
}

impl Phone {
    /// Starts it and waits until it holds its port.
    pub(crate) fn start(scenario: &str, port: u16) -> Self {
        Self::start_with(scenario, port, &[])
    }

    /// [`Phone::start`] with more of sipp's arguments (`-key NAME VALUE`, say).
    pub(crate) fn start_with(scenario: &str, port: u16, extra: &[&str]) -> Self {
        let phone = Self::spawn(None, scenario, port, extra);
        // Waits until sipp listens (read from the kernel's socket table: binding the port here
        // to find out would race sipp's own bind).
        let deadline = Instant::now() + Duration::from_secs(10);
        while !udp_bound(port) {
            assert!(Instant::now() < deadline, "sipp did not listen on {port}");
            std::thread::yield_now();
        }
        phone
    }

    /// A carrier's call to `number` at the server `sip`, run in the background.
    pub(crate) fn call(sip: &str, scenario: &str, number: &str) -> Self {
        Self::spawn(Some(sip), scenario, free_port(), &["-s", number])
    }

    pub(crate) fn spawn(remote: Option<&str>, scenario: &str, port: u16, extra: &[&str]) -> Self {
        let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/sipp");
        let scratch = tempfile::tempdir().unwrap();
        let child = Command::new("sipp")
            .args(remote)
            .args(extra)
            .arg("-sf")
            .arg(scenarios.join(scenario))
            .args(["-t", "u1", "-i", "127.0.0.1", "-p", &port.to_string()])
            .args(["-m", "1", "-timeout", "30s", "-timeout_error", "-nostdin"])
            .args(["-mp", &free_port().to_string()])
            .args(crate::sip_registrar::trace_args())
            .current_dir(crate::binary::trace_dir().unwrap_or(scratch.path().to_path_buf()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Self {
            child,
            _scratch: scratch,
        }
    }

    /// Waits for its one call to end (sipp's own timeout bounds it).
    pub(crate) fn finish(mut self) -> ExitStatus {
        self.child.wait().unwrap()
    }
}

/// A phone of `user` registered at `port` (its account made on the command line); the
/// account's username.
pub(crate) fn register(s: &Server, sip: &str, user: i64, port: u16) -> String {
    let account = credentials(s, user);
    let username = account["username"].as_str().unwrap();
    let password = account["password"].as_str().unwrap();
    let status = sipp(
        sip,
        "register.xml",
        &[
            "-s",
            username,
            "-au",
            username,
            "-ap",
            password,
            "-key",
            "contact_port",
            &port.to_string(),
        ],
    );
    assert!(status.success(), "the phone registered: {status}");
    username.to_owned()
}

/// `switchboard sip trunk create` for the company.
pub(crate) fn trunk(s: &Server, c: &Company, args: &[&str]) -> Value {
    let out = s
        .command()
        .args(["sip", "trunk", "create", "--company", &c.id.0.to_string()])
        .args(["--name", "Carrier"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A call center with `n` operators and a number, and a trunk from 127.0.0.1.
pub(crate) async fn center(
    s: &Server,
    c: &Company,
    strategy: &str,
    n: usize,
) -> (Vec<i64>, String) {
    let ops = operators(s, c, n).await;
    let (_, number) = call_center(s, c, routing(strategy), &ops, "415").await;
    (ops, number)
}

/// A call center of one operator with a phone registered at `port`, a trunk from 127.0.0.1 and
/// the binary taking calls over SIP.
pub(crate) struct Desk {
    pub(crate) s: Server,
    pub(crate) c: Company,
    pub(crate) number: String,
    pub(crate) running: Running,
    pub(crate) sip: String,
    pub(crate) port: u16,
}

pub(crate) async fn desk() -> Desk {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let (ops, number) = center(&s, &c, "fixedorder", 1).await;
    trunk(&s, &c, &["--allow", "127.0.0.1"]);
    let (running, sip) = serve_calls(&s);
    let port = free_port();
    register(&s, &sip, ops[0], port);
    Desk {
        s,
        c,
        number,
        running,
        sip,
        port,
    }
}

/// The binary with SIP calls.
pub(crate) fn serve_calls(s: &Server) -> (Running, String) {
    serve_sip_with(s, &[("SWITCHBOARD_TELEPHONY", "sip")])
}

/// The company's call events as (which leg, state): what a call did, without its ids. The
/// entry leg is 0, operators' legs are numbered in order of their first event; the states are
/// listed leg by leg, each leg's in the order they happened (events written in one transaction
/// have no order between legs).
pub(crate) async fn journey(s: &Server, c: &Company) -> Vec<(usize, String)> {
    let events: Vec<Value> = s
        .raw_texts(&format!(
            "SELECT payload FROM events WHERE kind = 'call' AND company_id = {} ORDER BY created_at, id",
            c.id.0
        ))
        .await
        .iter()
        .map(|p| serde_json::from_str(p).unwrap())
        .collect();
    let mut operators = Vec::new();
    let mut seen: Vec<(usize, String)> = events
        .iter()
        .map(|v| {
            let id = v["id"].as_i64().unwrap();
            let entry = v
                .get("entry_point_call_id")
                .unwrap_or_else(|| panic!("a call event names its entry leg: {v}"));
            let leg = if entry.is_null() || entry.as_i64() == Some(id) {
                0
            } else {
                match operators.iter().position(|l| *l == id) {
                    Some(i) => i + 1,
                    None => {
                        operators.push(id);
                        operators.len()
                    }
                }
            };
            (leg, v["state"].as_str().unwrap().to_owned())
        })
        .collect();
    seen.sort_by_key(|(leg, _)| *leg);
    seen
}

/// Waits until the server in the other process has recorded what `done` looks for.
pub(crate) async fn settled(
    s: &Server,
    c: &Company,
    done: impl Fn(&[(usize, String)]) -> bool,
) -> Vec<(usize, String)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = journey(s, c).await;
        if done(&seen) {
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "the call did not settle: {seen:?}"
        );
        tokio::task::yield_now().await;
    }
}

/// Whether the entry leg (the first) has ended.
pub(crate) fn entry_ended(states: &[(usize, String)]) -> bool {
    states.iter().any(|(leg, state)| {
        *leg == 0 && ["hangup", "missed", "voicemail"].contains(&state.as_str())
    })
}

pub(crate) fn stop(mut running: Running) {
    let _ = running.child.kill();
    let _ = running.child.wait();
}

/// The same call on the simulator: dialled, answered by the first operator, hung up by `side`.
pub(crate) async fn simulated(side: &str) -> Vec<(usize, String)> {
    let s = Server::start().await;
    let c = company(&s, "Sim").await;
    let (ops, number) = center(&s, &c, "fixedorder", 1).await;
    let r = sim(
        &s,
        &c,
        "/inbound_calls",
        json!({"from": CALLER, "to": number}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let entry = r.body["call_id"].as_i64().unwrap();
    let r = sim(&s, &c, &format!("/devices/{}/answer", ops[0]), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let leg = r.body["call_id"].as_i64().unwrap();
    let hung = if side == "external" { entry } else { leg };
    let r = sim(
        &s,
        &c,
        &format!("/calls/{hung}/hangup"),
        json!({"side": side}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    journey(&s, &c).await
}

/// Each leg's states, the entry's first.
pub(crate) fn per_leg(seen: &[(usize, String)]) -> Vec<Vec<&str>> {
    let legs = seen.iter().map(|(leg, _)| *leg + 1).max().unwrap_or(0);
    (0..legs)
        .map(|leg| {
            seen.iter()
                .filter(|(l, _)| *l == leg)
                .map(|(_, state)| state.as_str())
                .collect()
        })
        .collect()
}
