//! Calls over SIP with the real binary (`SWITCHBOARD_TELEPHONY=sip`), sipp playing both the
//! carrier's trunk and the operators' phones: a trunk's INVITE to a call center's number rings
//! the operator's registered phone and is answered; either side's BYE ends both; the caller
//! giving up (CANCEL) stops the ringing; with two operators the first answer wins; calls from
//! unknown sources or to unknown numbers are refused. The call and its events read through the
//! Dialpad API exactly as a simulated call's do. Skipped, with the reason printed, where sipp is
//! not installed (`scripts/test` installs it).

use std::path::Path;
use std::process::ExitStatus;

use serde_json::json;

use crate::calls_kit::{call_center, routing};
use crate::dialpad_kit::company;
use crate::kit::Server;
use crate::sip_kit::*;
use crate::sip_registrar::{sipp, sipp_available};

#[tokio::test]
async fn a_trunk_call_rings_the_phone_is_answered_and_ends_with_the_callers_bye() {
    if !sipp_available() {
        return;
    }
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let (ops, number) = center(&s, &c, "fixedorder", 1).await;
    let made = trunk(&s, &c, &["--allow", "127.0.0.0/8"]);
    assert_eq!(made["allow"], json!(["127.0.0.0/8"]));
    let (running, sip) = serve_calls(&s);
    let port = free_port();
    register(&s, &sip, ops[0], port);

    let phone = Phone::start("device_answer.xml", port);
    let status = sipp(&sip, "trunk_call_bye.xml", &["-s", &number]);
    assert!(
        status.success(),
        "the carrier's call was answered and hung up: {status}"
    );
    assert!(
        phone.finish().success(),
        "the phone rang, answered and got the BYE"
    );

    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    assert_eq!(
        seen,
        simulated("external").await,
        "the same journey as a simulated call"
    );

    // Through Dialpad's calls API: answered, with both legs ended.
    let r = crate::dialpad_kit::dp(&s, "GET", "/call?limit=10", &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.body["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{}", r.text);
    for call in items {
        assert_eq!(call["state"], "hangup", "{call}");
        assert_eq!(call["external_number"], CALLER, "{call}");
    }
}

#[tokio::test]
async fn the_operators_bye_ends_the_call_for_the_caller() {
    if !sipp_available() {
        return;
    }
    let Desk {
        s,
        c,
        number,
        running,
        sip,
        port,
    } = desk().await;

    let phone = Phone::start("device_answer_bye.xml", port);
    let status = sipp(&sip, "trunk_call_answered_bye.xml", &["-s", &number]);
    assert!(status.success(), "the carrier got the BYE: {status}");
    assert!(phone.finish().success(), "the phone's BYE was answered");

    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    assert_eq!(seen, simulated("internal").await);
}

#[tokio::test]
async fn a_caller_who_gives_up_while_it_rings_stops_the_phone() {
    if !sipp_available() {
        return;
    }
    let Desk {
        s,
        c,
        number,
        running,
        sip,
        port,
    } = desk().await;

    let phone = Phone::start("device_ring_cancelled.xml", port);
    let status = sipp(&sip, "trunk_cancel.xml", &["-s", &number]);
    assert!(status.success(), "the CANCEL was taken: {status}");
    assert!(phone.finish().success(), "the phone got its CANCEL");

    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    assert!(
        seen.contains(&(0, "missed".to_owned())),
        "the caller's call was missed: {seen:?}"
    );
    assert!(
        !seen.iter().any(|(_, state)| state == "connected"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn with_two_operators_ringing_the_first_answer_wins() {
    if !sipp_available() {
        return;
    }
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let (ops, number) = center(&s, &c, "simultaneous", 2).await;
    trunk(&s, &c, &["--allow", "127.0.0.1"]);
    let (running, sip) = serve_calls(&s);
    let (answering, ringing) = (free_port(), free_port());
    register(&s, &sip, ops[0], answering);
    register(&s, &sip, ops[1], ringing);

    let winner = Phone::start("device_answer.xml", answering);
    let loser = Phone::start("device_ring_cancelled.xml", ringing);
    let status = sipp(&sip, "trunk_call_bye.xml", &["-s", &number]);
    assert!(status.success(), "{status}");
    assert!(winner.finish().success(), "the first phone answered");
    assert!(loser.finish().success(), "the other phone was cancelled");

    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    let connected: Vec<_> = seen.iter().filter(|(_, st)| st == "connected").collect();
    // The entry and the winner's leg connect; the other leg is missed.
    assert_eq!(connected.len(), 2, "{seen:?}");
    assert!(
        seen.iter().any(|(leg, st)| *leg > 0 && st == "missed"),
        "{seen:?}"
    );
}

/// A refusal scenario: the trunk scenario expecting `status`.
fn refused(sip: &str, number: &str, status: u16, max_forwards: u8) -> ExitStatus {
    refused_from(sip, CALLER, number, status, max_forwards)
}

/// [`refused`] with the caller (`From` user) given.
fn refused_from(
    sip: &str,
    caller: &str,
    number: &str,
    status: u16,
    max_forwards: u8,
) -> ExitStatus {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/sipp/trunk_refused.xml");
    let scratch = tempfile::tempdir().unwrap();
    let scenario = scratch.path().join("refused.xml");
    let text = std::fs::read_to_string(template)
        .unwrap()
        .replace("[status]", &status.to_string())
        .replace("[max_forwards]", &max_forwards.to_string())
        .replace("[caller]", caller);
    std::fs::write(&scenario, text).unwrap();
    sipp(sip, scenario.to_str().unwrap(), &["-s", number])
}

#[tokio::test]
async fn calls_from_unknown_sources_to_unknown_numbers_or_looping_are_refused() {
    if !sipp_available() {
        return;
    }
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let (_, number) = center(&s, &c, "fixedorder", 1).await;
    // The company's only trunk takes calls from elsewhere.
    trunk(&s, &c, &["--allow", "192.0.2.0/24"]);
    let other = company(&s, "Other").await;
    let op = crate::dialpad_kit::new_user(&s, &other, "op@other.example", json!({})).await;
    let (_, open_number) = call_center(&s, &other, routing("fixedorder"), &[op], "212").await;
    trunk(&s, &other, &["--allow", "127.0.0.1"]);
    let (running, sip) = serve_calls(&s);

    assert!(
        refused(&sip, &number, 403, 70).success(),
        "unknown source: 403"
    );
    assert!(
        refused(&sip, "+15550009999", 404, 70).success(),
        "unknown number: 404"
    );
    assert!(
        refused(&sip, &open_number, 483, 0).success(),
        "no hops left: 483"
    );
    assert!(
        refused_from(&sip, "anonymous", &open_number, 433, 70).success(),
        "a caller without a number: 433"
    );
    // The number's digits without '+' reach the same company: the caller hears it ring (its
    // operator has no phone, so it waits in the queue) until it gives up.
    let digits = open_number.trim_start_matches('+');
    let status = sipp(&sip, "trunk_cancel.xml", &["-s", digits]);
    assert!(status.success(), "a number without '+' is taken: {status}");
    stop(running);
    assert!(
        journey(&s, &c).await.is_empty(),
        "no call for refused INVITEs"
    );
}

#[tokio::test]
async fn a_trunk_with_credentials_is_let_in_only_with_the_right_password() {
    if !sipp_available() {
        return;
    }
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let (_, number) = center(&s, &c, "fixedorder", 1).await;
    let password = "carrier-secret-1";
    let made = trunk(&s, &c, &["--username", "carrier", "--password", password]);
    assert_eq!(made["username"], "carrier");
    assert_eq!(made["allow"], json!([]));
    assert!(made.get("password").is_none(), "{made}");
    let (running, sip) = serve_calls(&s);

    let wrong = sipp(
        &sip,
        "trunk_auth_refused.xml",
        &["-s", &number, "-au", "carrier", "-ap", "not-the-password"],
    );
    assert!(wrong.success(), "wrong credentials: 407, then 403: {wrong}");
    let other_user = sipp(
        &sip,
        "trunk_auth_refused.xml",
        &["-s", &number, "-au", "someone", "-ap", password],
    );
    assert!(other_user.success(), "another username: 403: {other_user}");
    assert!(
        journey(&s, &c).await.is_empty(),
        "no call for a refused INVITE"
    );

    // The right ones: let in, it rings (the operator has no phone: the caller waits), and the
    // caller gives up.
    let right = sipp(
        &sip,
        "trunk_auth_cancel.xml",
        &["-s", &number, "-au", "carrier", "-ap", password],
    );
    assert!(right.success(), "the right credentials: let in: {right}");
    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    assert_eq!(seen.first(), Some(&(0, "ringing".to_owned())), "{seen:?}");
    assert!(seen.contains(&(0, "missed".to_owned())), "{seen:?}");
    // The password is kept sealed: not in the database's text.
    let sealed = s
        .raw_texts("SELECT ciphertext FROM secrets WHERE purpose = 'sip_trunk_password'")
        .await;
    assert_eq!(sealed.len(), 1, "{sealed:?}");
    assert!(!sealed[0].contains(password));
}

/// A call answered by the operator, moved to `colleague` (whose phone answers and later hangs
/// up): the carrier is moved to the new phone by a re-INVITE. Returns the journey.
async fn transferred_call(by_refer: bool) -> Vec<Vec<String>> {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let (ops, number) = center(&s, &c, "fixedorder", 1).await;
    let colleague = crate::dialpad_kit::new_user(&s, &c, "colleague@acme.example", json!({})).await;
    trunk(&s, &c, &["--allow", "127.0.0.1"]);
    let (running, sip) = serve_calls(&s);
    let (first, second) = (free_port(), free_port());
    register(&s, &sip, ops[0], first);
    let colleague_phone = register(&s, &sip, colleague, second);

    let operator = if by_refer {
        Phone::start_with(
            "device_answer_refer.xml",
            first,
            &["-key", "transfer_to", &colleague_phone],
        )
    } else {
        Phone::start("device_answer.xml", first)
    };
    let next = Phone::start("device_answer_bye.xml", second);
    let carrier = Phone::call(&sip, "trunk_call_transferred.xml", &number);
    if !by_refer {
        // Through Dialpad's API, once the operator has answered.
        let seen = settled(&s, &c, |seen| seen.contains(&(1, "connected".to_owned()))).await;
        assert_eq!(seen.len(), 4, "{seen:?}");
        let call = s
            .raw_texts(&format!(
                "SELECT CAST(id AS TEXT) FROM calls WHERE company_id = {} AND entry_point_call_id IS NULL",
                c.id.0
            ))
            .await[0]
            .clone();
        // To the server that carries the call (its SIP driver moves the phones).
        let r = reqwest::Client::new()
            .post(format!("{}/api/v2/call/{call}/transfer", running.base))
            .bearer_auth(&c.company_key)
            .json(&json!({"to": {"target_type": "user", "target_id": colleague}}))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert_eq!(status, 200, "{}", r.text().await.unwrap_or_default());
    }
    assert!(operator.finish().success(), "the first phone was let go");
    assert!(
        next.finish().success(),
        "the colleague's phone answered and hung up"
    );
    assert!(
        carrier.finish().success(),
        "the carrier was moved and hung up"
    );
    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    per_leg(&seen)
        .into_iter()
        .map(|leg| leg.into_iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn a_phone_transfers_the_caller_with_refer_and_the_dialpad_api_does_the_same() {
    if !sipp_available() {
        return;
    }
    let by_refer = transferred_call(true).await;
    // The operator's leg ends; the caller's leg rings the colleague (a user is rung on the
    // call's own leg), who answers and hangs up.
    assert_eq!(
        by_refer,
        vec![
            vec!["ringing", "connected", "ringing", "connected", "hangup"],
            vec!["ringing", "connected", "hangup"],
        ]
    );
    assert_eq!(
        transferred_call(false).await,
        by_refer,
        "the API's transfer does the same"
    );
}

#[tokio::test]
async fn a_re_invite_with_sendonly_puts_the_call_on_hold_and_sendrecv_takes_it_off() {
    if !sipp_available() {
        return;
    }
    let Desk {
        s,
        c,
        number,
        running,
        sip,
        port,
    } = desk().await;

    let phone = Phone::start("device_answer.xml", port);
    let status = sipp(&sip, "trunk_call_hold.xml", &["-s", &number]);
    assert!(
        status.success(),
        "held (answered recvonly), resumed, hung up: {status}"
    );
    assert!(phone.finish().success());
    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    let legs = per_leg(&seen);
    let held: Vec<_> = legs.iter().filter(|leg| leg.contains(&"hold")).collect();
    assert_eq!(held.len(), 1, "one leg was held: {legs:?}");
    let states = held[0];
    let at = states.iter().position(|s| *s == "hold").unwrap();
    assert_eq!(
        states.get(at + 1),
        Some(&"connected"),
        "and taken off hold: {legs:?}"
    );
    assert_eq!(states.last(), Some(&"hangup"), "{legs:?}");
}
