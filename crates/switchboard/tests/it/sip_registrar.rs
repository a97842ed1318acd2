//! The registrar of the real binary, driven by sipp as a phone: an account made on the command
//! line registers with digest authentication, shows as one of the user's devices in Dialpad's
//! `GET /userdevices`, and is gone when the phone unregisters; a wrong password is refused and
//! registers nothing. Skipped, with the reason printed, where sipp is not installed
//! (`scripts/test` installs it: Debian's `sip-tester`).

use std::path::Path;
use std::process::{Command, ExitStatus};

use serde_json::Value;

use crate::binary::{serve_with, Running};
use crate::dialpad_kit::{company, dp};
use crate::dialpad_rooms::user_of;
use crate::kit::Server;

/// The SIP domain both the server and the command line are given.
pub(crate) const DOMAIN: &str = "sip.switchboard.test";

/// Whether sipp can run here; prints why not when it cannot.
pub(crate) fn sipp_available() -> bool {
    let found = Command::new("sipp").arg("-v").output().is_ok();
    if !found {
        eprintln!("skipped: sipp is not installed (Debian package sip-tester)");
    }
    found
}

/// Runs one sipp phone against `server` with `scenario` (a file of `tests/it/sipp`).
pub(crate) fn sipp(server: &str, scenario: &str, args: &[&str]) -> ExitStatus {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/sipp");
    let scratch = tempfile::tempdir().unwrap();
    let port = crate::sip_kit::free_port().to_string();
    Command::new("sipp")
        .arg(server)
        .arg("-sf")
        .arg(scenarios.join(scenario))
        .args(["-t", "u1", "-p", &port, "-m", "1"])
        .args(if args.contains(&"-i") {
            &[][..]
        } else {
            &["-i", "127.0.0.1"][..]
        })
        .args(["-timeout", "20s", "-timeout_error", "-nostdin"])
        // Its own media port (sipp's default is the same for every sipp running at once).
        .args(["-mp", &crate::sip_kit::free_port().to_string()])
        // A contact port for scenarios that register one, unless the caller gives its own
        // (sipp keeps the first value of a key).
        .args(if args.contains(&"contact_port") {
            &[][..]
        } else {
            &["-key", "contact_port", "15999"][..]
        })
        .args(args)
        .args(crate::sip_registrar::trace_args())
        .current_dir(crate::binary::trace_dir().unwrap_or(scratch.path().to_path_buf()))
        .output()
        .unwrap()
        .status
}

/// sipp's message and error traces, kept when the run keeps traces (see
/// [`crate::binary::trace_dir`]).
pub(crate) fn trace_args() -> &'static [&'static str] {
    if crate::binary::trace_dir().is_some() {
        &["-trace_msg", "-trace_err"]
    } else {
        &[]
    }
}

/// The binary with SIP on a free port; returns it and the SIP address.
fn serve_sip(s: &Server) -> (Running, String) {
    serve_sip_with(s, &[])
}

/// [`serve_sip`] with more environment.
pub(crate) fn serve_sip_with(s: &Server, more: &[(&str, &str)]) -> (Running, String) {
    let mut sip = None;
    let mut env = vec![
        ("SWITCHBOARD_SIP_LISTEN", "127.0.0.1:0"),
        ("SWITCHBOARD_SIP_DOMAIN", DOMAIN),
    ];
    env.extend_from_slice(more);
    let running = serve_with(s, &env, |entry| {
        if entry["fields"]["message"] == "SIP endpoint listening on udp and tcp" {
            sip = entry["fields"]["address"].as_str().map(str::to_owned);
        }
    });
    (running, sip.expect("the SIP endpoint's address in the log"))
}

/// `switchboard sip credentials create --user ID`.
pub(crate) fn credentials(s: &Server, user: i64) -> Value {
    let out = s
        .command()
        .env("SWITCHBOARD_SIP_DOMAIN", DOMAIN)
        .args(["sip", "credentials", "create", "--user", &user.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn a_phone_registers_with_digest_shows_as_a_device_and_unregisters() {
    if !sipp_available() {
        return;
    }
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let user = user_of(&s, &c.user_key).await;
    let (mut running, sip) = serve_sip(&s);

    let account = credentials(&s, user);
    assert_eq!(account["domain"], DOMAIN);
    let username = account["username"].as_str().unwrap().to_owned();
    let password = account["password"].as_str().unwrap().to_owned();
    assert!(password.len() >= 20, "{account}");
    // At rest the password is sealed, never in plaintext.
    let db = std::fs::read(s.data_dir().join("switchboard.db")).unwrap_or_default();
    assert!(
        !db.windows(password.len()).any(|w| w == password.as_bytes()),
        "the password is not stored in plaintext"
    );

    let devices = |key: String| {
        let s = &s;
        async move {
            let r = dp(
                s,
                "GET",
                &format!("/userdevices?user_id={user}"),
                &key,
                None,
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.body["items"].as_array().cloned().unwrap_or_default()
        }
    };

    // A wrong password registers nothing.
    let status = sipp(
        &sip,
        "register.xml",
        &["-s", &username, "-au", &username, "-ap", "wrong"],
    );
    assert!(!status.success(), "a wrong password is refused");
    assert!(devices(c.admin_key.clone()).await.is_empty());

    // The right one: 401, then 200 with the binding; the phone is one of the user's devices.
    let status = sipp(
        &sip,
        "register.xml",
        &["-s", &username, "-au", &username, "-ap", &password],
    );
    assert!(status.success(), "sipp registered: {status}");
    let listed = devices(c.admin_key.clone()).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["type"], "yealink");
    assert_eq!(listed[0]["user_id"], user);
    assert!(listed[0]["date_registered"].is_string(), "{listed:?}");
    assert!(listed[0]["app_version"]
        .as_str()
        .unwrap()
        .contains("SIP-T46U"));
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let one = dp(&s, "GET", &format!("/userdevices/{id}"), &c.user_key, None).await;
    assert_eq!(one.status, 200, "{}", one.text);

    // Registering again refreshes the same device rather than adding one.
    let status = sipp(
        &sip,
        "register.xml",
        &["-s", &username, "-au", &username, "-ap", &password],
    );
    assert!(status.success());
    assert_eq!(devices(c.admin_key.clone()).await.len(), 1);

    // Another company sees nothing of it.
    let other = company(&s, "Other").await;
    let r = dp(
        &s,
        "GET",
        &format!("/userdevices/{id}"),
        &other.admin_key,
        None,
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);

    // Unregistered (Expires: 0): gone.
    let status = sipp(
        &sip,
        "unregister.xml",
        &["-s", &username, "-au", &username, "-ap", &password],
    );
    assert!(status.success(), "sipp unregistered: {status}");
    assert!(devices(c.admin_key.clone()).await.is_empty());

    let _ = running.child.kill();
    let _ = running.child.wait();
}

#[tokio::test]
async fn credentials_are_refused_for_an_unknown_user() {
    let s = Server::start().await;
    let out = s
        .command()
        .args(["sip", "credentials", "create", "--user", "1234567"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not found"), "{err}");
    let out = s
        .command()
        .args(["sip", "credentials", "create", "--user", "nobody"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a user id"));
}

/// The registrar's rules that need no phone: a `REGISTER` past the account's phone limit keeps
/// nothing of itself, refreshing a phone does not count against the limit, and a registration
/// that lapsed is neither listed nor read.
#[tokio::test]
async fn the_phone_limit_is_all_or_none_and_lapsed_phones_are_gone() {
    use std::sync::Arc;
    use switchboard_domain::telephony::device::Registration;
    use switchboard_domain::telephony::{RegisterRefusal, MAX_BINDINGS_PER_ACCOUNT};
    use switchboard_domain::OffsetClock;

    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let c = company(&s, "Acme").await;
    let user = user_of(&s, &c.user_key).await;
    let telephony = s.core.telephony();
    let account = telephony
        .create_sip_account(switchboard_domain::ids::UserId(user))
        .await
        .unwrap()
        .account;
    let phone = |n: i64, expires: u32| Registration {
        key: format!("phone-{n}"),
        contact: format!("sip:{n}@192.0.2.1:5060"),
        expires,
        kind: "native".into(),
        user_agent: None,
    };
    let listed = || async {
        let r = dp(
            &s,
            "GET",
            &format!("/userdevices?user_id={user}&limit=50"),
            &c.admin_key,
            None,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["items"].as_array().cloned().unwrap_or_default()
    };

    let first: Vec<_> = (1..MAX_BINDINGS_PER_ACCOUNT)
        .map(|n| phone(n, 600))
        .collect();
    assert_eq!(
        telephony.register_sip(&account, first).await.unwrap(),
        Ok(())
    );
    // Two new phones where one fits: neither is kept.
    let over = vec![phone(100, 600), phone(101, 600)];
    assert_eq!(
        telephony.register_sip(&account, over).await.unwrap(),
        Err(RegisterRefusal::TooManyPhones)
    );
    assert_eq!(listed().await.len() as i64, MAX_BINDINGS_PER_ACCOUNT - 1);
    // A refresh and the one that fits.
    let refresh = vec![phone(1, 60), phone(100, 600)];
    assert_eq!(
        telephony.register_sip(&account, refresh).await.unwrap(),
        Ok(())
    );
    assert_eq!(listed().await.len() as i64, MAX_BINDINGS_PER_ACCOUNT);
    let bindings = telephony.sip_bindings(&account).await.unwrap();
    let left = bindings.iter().find(|(b, _)| b.key == "phone-1").unwrap().1;
    assert!((55..=60).contains(&left), "{left}");

    // Phone 1's minute passes: it is neither listed, nor read, nor among the bindings, and its
    // place is free again.
    let ids = |items: Vec<Value>| -> Vec<String> {
        items
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let before = ids(listed().await);
    clock.advance(61);
    let after = ids(listed().await);
    assert_eq!(after.len() as i64, MAX_BINDINGS_PER_ACCOUNT - 1);
    let lapsed: Vec<_> = before.iter().filter(|id| !after.contains(id)).collect();
    assert_eq!(lapsed.len(), 1);
    let r = dp(
        &s,
        "GET",
        &format!("/userdevices/{}", lapsed[0]),
        &c.admin_key,
        None,
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(telephony
        .sip_bindings(&account)
        .await
        .unwrap()
        .iter()
        .all(|(b, _)| b.key != "phone-1"));
    assert_eq!(
        telephony
            .register_sip(&account, vec![phone(102, 600)])
            .await
            .unwrap(),
        Ok(())
    );
}

#[tokio::test]
async fn one_address_flooding_registers_is_turned_away_and_others_are_not() {
    if !sipp_available() {
        return;
    }
    let s = Server::start().await;
    let (mut running, sip) = serve_sip_with(&s, &[("SWITCHBOARD_SIP_REQUEST_RATE", "2")]);
    let status = sipp(&sip, "register_flood.xml", &["-s", "nobody"]);
    assert!(
        status.success(),
        "two served, the third 503 with Retry-After: {status}"
    );
    // Another address (127.0.0.2 is loopback too) is still served.
    let status = sipp(
        &sip,
        "register_challenged.xml",
        &["-s", "nobody", "-i", "127.0.0.2"],
    );
    let _ = running.child.kill();
    let _ = running.child.wait();
    assert!(
        status.success(),
        "another address is challenged as usual: {status}"
    );
}
