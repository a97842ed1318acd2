//! The texts export: the company's messages of the window, both directions, in the order they
//! were recorded, narrowed to a target when one is given.

use serde_json::json;

use crate::calls_kit::{acme, advance, manual_server, user_with_number};
use crate::dialpad_sms::{inbound, send, OUTSIDE};
use crate::dialpad_stats::{away_from_midnight, finish_and_download, records, start};

#[tokio::test]
async fn a_texts_export_lists_the_messages_sent_and_received() {
    let s = manual_server().await;
    let c = acme(&s).await;
    away_from_midnight(&s, &c).await;
    let (ann, ann_number) = user_with_number(&s, &c, "ann@acme.example", "415").await;
    let (_, bob_number) = user_with_number(&s, &c, "bob@acme.example", "628").await;
    let r = send(
        &s,
        &c.company_key,
        json!({"user_id": ann, "to_numbers": [OUTSIDE], "text": "Hello"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    advance(&s, &c, 1).await;
    assert_eq!(
        inbound(&s, &c, OUTSIDE, &bob_number, "Hi Bob").await.status,
        200
    );
    advance(&s, &c, 1).await;

    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "texts", "is_today": true,
               "timezone": "America/Los_Angeles"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    let (header, rows) = records(&text);
    assert_eq!(header[..3], ["date", "message_id", "direction"]);
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(rows[0]["direction"], "outbound");
    assert_eq!(rows[0]["from_phone"], ann_number);
    assert_eq!(rows[0]["to_phone"], OUTSIDE);
    assert_eq!(rows[0]["target_id"], ann.to_string());
    assert_eq!(rows[0]["target_type"], "user");
    assert_eq!(rows[1]["direction"], "inbound");
    assert_eq!(rows[1]["to_phone"], bob_number);
    assert!(rows.iter().all(|r| r["timezone"] == "America/Los_Angeles"));

    // Narrowed to Ann: her text only.
    let r = start(
        &s,
        &c,
        json!({"export_type": "records", "stat_type": "texts", "is_today": true,
               "target_type": "user", "target_id": ann}),
    )
    .await;
    let text = finish_and_download(&s, &c, r.body["request_id"].as_str().unwrap()).await;
    let (_, rows) = records(&text);
    assert_eq!(rows.len(), 1, "{text}");
    assert_eq!(rows[0]["from_phone"], ann_number);
}
