//! A user's outbound call over SIP (`POST /api/v2/call` to the binary with
//! `SWITCHBOARD_TELEPHONY=sip`): the user's registered phone rings first (sipp as the phone);
//! once it answers, the outside number is called through the company's trunk (sipp as the
//! carrier behind `--outbound-uri`); when the outside party answers, the phone is given its
//! media and the call is `connected`. The outside party hanging up ends the call for the phone;
//! an outside party that is busy leaves the call `missed` and the phone is hung up; a carrier
//! that challenges the INVITE gets the trunk's username and password. Skipped,
//! with the reason printed, where sipp is not installed.

use serde_json::{json, Value};

use crate::binary::Running;
use crate::calls_kit::user_with_number;
use crate::dialpad_kit::{company, Company};
use crate::kit::Server;
use crate::sip_kit::*;
use crate::sip_registrar::sipp_available;

/// The outside number the carrier scenarios expect.
const OUTSIDE: &str = "+12125550177";

/// A user with a number and a registered phone at `phone_port`, a trunk whose outbound URI is
/// a carrier at `carrier_port`, and the binary taking calls over SIP.
/// `more` are more of `sip trunk create`'s arguments.
async fn caller_desk_with(
    phone_port: u16,
    carrier_port: u16,
    more: &[&str],
) -> (Server, Company, i64, Running) {
    let s = Server::start().await;
    let c = company(&s, "Acme").await;
    let (ann, _) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let uri = format!("sip:127.0.0.1:{carrier_port}");
    let mut args = vec!["--allow", "127.0.0.1", "--outbound-uri", &uri];
    args.extend_from_slice(more);
    let made = trunk(&s, &c, &args);
    assert_eq!(
        made["outbound_uri"],
        format!("sip:127.0.0.1:{carrier_port}")
    );
    let (running, sip) = serve_calls(&s);
    register(&s, &sip, ann, phone_port);
    (s, c, ann, running)
}

/// `POST /api/v2/call` to the server that carries the call; the call's id.
async fn call_out(running: &Running, c: &Company, user: i64) -> i64 {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v2/call", running.base))
        .bearer_auth(&c.company_key)
        .json(&json!({"user_id": user, "phone_number": OUTSIDE}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body["call_id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_users_call_rings_their_phone_then_the_outside_number_through_the_trunk() {
    if !sipp_available() {
        return;
    }
    let (phone_port, carrier_port) = (free_port(), free_port());
    let phone = Phone::start("device_answer_dialled.xml", phone_port);
    let carrier = Phone::start("carrier_answer_bye.xml", carrier_port);
    let (s, c, ann, running) = caller_desk_with(phone_port, carrier_port, &[]).await;
    let call = call_out(&running, &c, ann).await;

    assert!(
        carrier.finish().success(),
        "the carrier was called with the phone's media, answered and hung up"
    );
    assert!(
        phone.finish().success(),
        "the phone answered, got the outside party's media, then the BYE"
    );
    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    // What the simulator records for the same call (`calls_outbound`).
    assert_eq!(per_leg(&seen), vec![vec!["calling", "connected", "hangup"]]);
    let r = crate::dialpad_kit::dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["direction"], "outbound");
    assert_eq!(r.body["external_number"], OUTSIDE);
    assert_eq!(r.body["state"], "hangup");
    assert!(r.body["date_connected"].is_number(), "{}", r.text);
}

/// A call out that the carrier (`scenario`, at a trunk made with `more`) turns down: the phone
/// answers and is then hung up. The call's journey, and the call read through the API.
async fn turned_down(scenario: &str, more: &[&str]) -> (Vec<Vec<String>>, Value) {
    let (phone_port, carrier_port) = (free_port(), free_port());
    let phone = Phone::start("device_answer.xml", phone_port);
    let carrier = Phone::start(scenario, carrier_port);
    let (s, c, ann, running) = caller_desk_with(phone_port, carrier_port, more).await;
    let call = call_out(&running, &c, ann).await;
    assert!(
        carrier.finish().success(),
        "the carrier's side of {scenario}"
    );
    assert!(
        phone.finish().success(),
        "the phone answered, then was hung up"
    );
    let seen = settled(&s, &c, entry_ended).await;
    stop(running);
    let r = crate::dialpad_kit::dp(&s, "GET", &format!("/call/{call}"), &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let legs = per_leg(&seen)
        .into_iter()
        .map(|leg| leg.into_iter().map(str::to_owned).collect())
        .collect();
    (legs, r.body)
}

#[tokio::test]
async fn a_busy_outside_number_leaves_the_call_missed_and_hangs_up_the_phone() {
    if !sipp_available() {
        return;
    }
    let (legs, call) = turned_down("carrier_busy.xml", &[]).await;
    assert_eq!(legs, vec![vec!["calling", "missed"]]);
    assert_eq!(call["state"], "missed", "{call}");
    assert!(call["date_connected"].is_null(), "{call}");
}

#[tokio::test]
async fn a_carrier_that_challenges_gets_the_trunks_credentials() {
    if !sipp_available() {
        return;
    }
    // The carrier's scenario fails unless the retried INVITE carries the trunk's digest.
    let more = ["--username", "carrier", "--password", "outbound secret"];
    let (legs, _) = turned_down("carrier_challenge_busy.xml", &more).await;
    assert_eq!(legs, vec![vec!["calling", "missed"]]);
}
