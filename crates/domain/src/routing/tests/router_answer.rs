use serde_json::json;

use super::ts;
use crate::routing::{parse_router_answer, router_disabled, Breadcrumb, RouterAnswer};
use crate::telephony::router::TargetKind;

fn route(body: &str) -> Result<RouterAnswer, String> {
    parse_router_answer(body.as_bytes())
}

#[test]
fn route_answers_with_string_or_number_ids() {
    let cases = [
        (
            r#"{"action":"route","target_id":"123","target_type":"user"}"#,
            123,
            TargetKind::User,
        ),
        (
            r#"{"action":"route","target_id":123,"target_type":"department"}"#,
            123,
            TargetKind::Department,
        ),
        (
            r#"{"action":"route","target_id":"4503599627370495","target_type":"callcenter"}"#,
            4_503_599_627_370_495,
            TargetKind::CallCenter,
        ),
        (
            r#"{"action":"route","target_id":9,"target_type":"call_center"}"#,
            9,
            TargetKind::CallCenter,
        ),
        (
            r#"{"action":"route","target_id":" 77 ","target_type":"office","extra":true}"#,
            77,
            TargetKind::Office,
        ),
    ];
    for (body, target_id, target_kind) in cases {
        assert_eq!(
            route(body),
            Ok(RouterAnswer::Route {
                target_id,
                target_kind
            }),
            "{body}"
        );
    }
}

#[test]
fn forward_and_end_answers() {
    match route(r#"{"action":"forward","forward_to":"+1 415 555 0100"}"#) {
        Ok(RouterAnswer::Forward { to }) => assert_eq!(to.as_str(), "+14155550100"),
        other => panic!("{other:?}"),
    }
    assert_eq!(route(r#"{"action":"end"}"#), Ok(RouterAnswer::End));
    assert_eq!(
        route(r#"{"action":"end","message":["goodbye"]}"#),
        Ok(RouterAnswer::End)
    );
}

#[test]
fn bad_answers_say_why() {
    let cases = [
        ("", "answer is not JSON"),
        ("<html>502</html>", "answer is not JSON"),
        ("[1,2]", "answer is not a JSON object"),
        (r#"{"target_id":1}"#, "answer has no action"),
        (r#"{"action":7}"#, "action is not a string"),
        (
            r#"{"action":"ask","message":["press 1"]}"#,
            "unknown action 'ask'",
        ),
        (
            r#"{"action":"ROUTE","target_id":1,"target_type":"user"}"#,
            "unknown action 'ROUTE'",
        ),
        (
            r#"{"action":"route","target_type":"user"}"#,
            "route needs target_id",
        ),
        (
            r#"{"action":"route","target_id":null,"target_type":"user"}"#,
            "route needs target_id",
        ),
        (
            r#"{"action":"route","target_id":"abc","target_type":"user"}"#,
            "target_id is not a positive integer",
        ),
        (
            r#"{"action":"route","target_id":-5,"target_type":"user"}"#,
            "target_id is not a positive integer",
        ),
        (
            r#"{"action":"route","target_id":1.5,"target_type":"user"}"#,
            "target_id is not a positive integer",
        ),
        (
            r#"{"action":"route","target_id":0,"target_type":"user"}"#,
            "target_id is not a positive integer",
        ),
        (
            r#"{"action":"route","target_id":1}"#,
            "route needs target_type",
        ),
        (
            r#"{"action":"route","target_id":1,"target_type":"room"}"#,
            "unknown target_type 'room'",
        ),
        (r#"{"action":"forward"}"#, "forward needs forward_to"),
        (
            r#"{"action":"forward","forward_to":"4155550100"}"#,
            "forward_to '4155550100' is not an E.164 number",
        ),
        (
            r#"{"action":"forward","forward_to":"+1"}"#,
            "forward_to '+1' is not an E.164 number",
        ),
    ];
    for (body, reason) in cases {
        let err = route(body).expect_err(body);
        assert!(err.starts_with(reason), "{body}: {err}");
    }
    let huge = format!(r#"{{"action":"end","pad":"{}"}}"#, "x".repeat(70_000));
    assert!(route(&huge).unwrap_err().contains("more than 65536"));
}

#[test]
fn a_router_is_disabled_at_the_eleventh_error() {
    assert!(!router_disabled(0));
    assert!(!router_disabled(10));
    assert!(router_disabled(11));
    assert!(router_disabled(u32::MAX));
}

#[test]
fn breadcrumbs_record_the_request_and_the_target() {
    let answer = RouterAnswer::Route {
        target_id: 123,
        target_kind: TargetKind::CallCenter,
    };
    let b = Breadcrumb::callrouter(
        "https://example.com/route",
        ts("2026-12-02T14:00:00Z"),
        json!({"call_id": 1}),
        json!({"action": "route", "target_id": "123", "target_type": "callcenter"}),
        Some(&answer),
    );
    assert_eq!(
        serde_json::to_value(&b).unwrap(),
        json!({
            "breadcrumb_type": "callrouter",
            "date": "2026-12-02T14:00:00Z",
            "request": {"call_id": 1},
            "response": {"action": "route", "target_id": "123", "target_type": "callcenter"},
            "target_id": 123,
            "target_type": "call_center",
            "url": "https://example.com/route",
        })
    );
    let failed = Breadcrumb::callrouter(
        "https://example.com/route",
        ts("2026-12-02T14:00:00Z"),
        json!({}),
        json!("<html>502</html>"),
        None,
    );
    assert_eq!(failed.target_id, None);
    assert_eq!(failed.target_type, None);
    let back: Breadcrumb = serde_json::from_value(serde_json::to_value(&b).unwrap()).unwrap();
    assert_eq!(back, b);
}
