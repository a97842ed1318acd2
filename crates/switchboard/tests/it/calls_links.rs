//! Transcripts and links over the Dialpad API: a call's transcript and its signed link, and
//! share links to recordings and call reviews (create, read, change privacy, delete, open).

use serde_json::{json, Value};

use crate::calls_kit::*;
use crate::dialpad_kit::{assert_error, company, dp, Company};
use crate::kit::{Resp, Server};

/// A connected call to Ann with two lines said; answers (call, ann).
async fn talked(s: &Server, c: &Company) -> (i64, i64) {
    let (ann, number) = user_with_number(s, c, "ann@acme.example", "415").await;
    let call = dial(s, c, "+12125550123", &number).await;
    sim(s, c, &format!("/devices/{ann}/answer"), json!({})).await;
    for (side, text) in [("external", "Hello?"), ("internal", "Hi, Acme here.")] {
        let r = sim(
            s,
            c,
            &format!("/calls/{call}/say"),
            json!({"side": side, "text": text}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        advance(s, c, 2).await;
    }
    (call, ann)
}

/// `GET` of an absolute link this server gave, with an optional key.
async fn open(s: &Server, link: &str, key: Option<&str>) -> Resp {
    let path = link.split_once("/api/v2").map(|(_, p)| p).unwrap();
    let mut r = s.req("GET", &format!("/api/v2{path}"));
    if let Some(k) = key {
        r = r.header("authorization", &format!("Bearer {k}"));
    }
    r.send().await
}

#[tokio::test]
async fn a_transcript_and_its_signed_link() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (call, ann) = talked(&s, &c).await;
    let r = dp(
        &s,
        "GET",
        &format!("/transcripts/{call}"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["call_id"], call);
    let lines = r.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["content"], "Hello?");
    assert_eq!(lines[0]["name"], "+12125550123");
    assert_eq!(lines[0]["type"], "transcript");
    assert!(lines[0].get("user_id").is_none());
    assert_eq!(lines[1]["content"], "Hi, Acme here.");
    assert_eq!(lines[1]["user_id"], ann);
    assert!(lines[1]["time"].as_str().unwrap().ends_with('Z'));
    let transcript = r.body.clone();

    let r = dp(
        &s,
        "GET",
        &format!("/transcripts/{call}/url"),
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["call_id"], call);
    let url = r.body["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&s.base), "{url}");
    let r = open(&s, &url, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, transcript);
    // Altered or expired links are refused.
    let r = open(&s, &url.replace("signature=", "signature=00"), None).await;
    assert_error(&r, 403, "forbidden");
    let r = open(
        &s,
        &url.replace(&format!("/transcripts/{call}/"), "/transcripts/1/"),
        None,
    )
    .await;
    assert_error(&r, 403, "forbidden");
    advance(&s, &c, 15 * 60).await;
    assert_error(&open(&s, &url, None).await, 403, "forbidden");

    for path in [
        format!("/transcripts/{call}"),
        format!("/transcripts/{call}/url"),
    ] {
        let r = dp(&s, "GET", &path, &other.company_key, None).await;
        assert_error(&r, 404, "notFound");
    }
    let r = dp(&s, "GET", "/transcripts/abc", &c.company_key, None).await;
    assert_error(&r, 400, "badRequest");
    let r = dp(&s, "GET", "/transcripts/12345", &c.company_key, None).await;
    assert_error(&r, 404, "notFound");
}

#[tokio::test]
async fn recording_share_links_follow_their_privacy() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (call, ann) = talked(&s, &c).await;
    let create = |key: &str, body: Value| {
        let (s, key) = (&s, key.to_owned());
        async move { dp(s, "POST", "/recordingsharelink", &key, Some(body)).await }
    };
    let body = json!({"recording_id": call.to_string(), "recording_type": "callrecording"});
    // Not recorded yet: there is no such recording.
    assert_error(&create(&c.company_key, body.clone()).await, 404, "notFound");
    let r = dp(
        &s,
        "PATCH",
        &format!("/users/{ann}/activecall"),
        &c.company_key,
        Some(json!({"is_recording": true})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = create(&c.user_key, body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let link = r.body.clone();
    let id = link["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32);
    assert_eq!(link["privacy"], "owner");
    assert_eq!(link["call_id"], call);
    assert_eq!(link["item_id"], call.to_string());
    assert_eq!(link["type"], "callrecording");
    assert!(link["created_by_id"].is_i64());
    assert!(link["date_added"].as_str().unwrap().ends_with('Z'));
    let access = link["access_link"].as_str().unwrap().to_owned();
    assert!(
        access.ends_with(&format!("/api/v2/shared/{id}")),
        "{access}"
    );

    let path = format!("/recordingsharelink/{id}");
    let r = dp(&s, "GET", &path, &c.company_key, None).await;
    assert_eq!(r.body, link);
    // The owner opens it; an admin of the company does not; nobody without a key.
    let r = open(&s, &access, Some(&c.user_key)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["call"]["call_id"], call);
    assert_eq!(r.body["transcript"]["lines"][0]["content"], "Hello?");
    assert_error(
        &open(&s, &access, Some(&c.admin_key)).await,
        403,
        "forbidden",
    );
    assert_error(&open(&s, &access, None).await, 403, "forbidden");
    assert_error(&open(&s, &access, Some("nope")).await, 401, "required");
    let r = dp(
        &s,
        "PUT",
        &path,
        &c.company_key,
        Some(json!({"privacy": "admin"})),
    )
    .await;
    assert_eq!(r.body["privacy"], "admin", "{}", r.text);
    assert_eq!(open(&s, &access, Some(&c.admin_key)).await.status, 200);
    assert_error(
        &open(&s, &access, Some(&c.user_key)).await,
        403,
        "forbidden",
    );
    dp(
        &s,
        "PUT",
        &path,
        &c.company_key,
        Some(json!({"privacy": "company"})),
    )
    .await;
    assert_eq!(open(&s, &access, Some(&c.user_key)).await.status, 200);
    assert_error(
        &open(&s, &access, Some(&other.company_key)).await,
        403,
        "forbidden",
    );
    dp(
        &s,
        "PUT",
        &path,
        &c.company_key,
        Some(json!({"privacy": "public"})),
    )
    .await;
    assert_eq!(open(&s, &access, None).await.status, 200);

    // Bad input and another company's link change nothing.
    let cases = [
        (json!({"recording_type": "callrecording"}), 400),
        (json!({"recording_id": call.to_string()}), 400),
        (
            json!({"recording_id": call.to_string(), "recording_type": "video"}),
            400,
        ),
        (
            json!({"recording_id": call.to_string(), "recording_type": "callrecording", "privacy": "everyone"}),
            400,
        ),
        (
            json!({"recording_id": call.to_string(), "recording_type": "voicemail"}),
            404,
        ),
        (
            json!({"recording_id": "abc", "recording_type": "callrecording"}),
            404,
        ),
    ];
    for (b, status) in cases {
        let r = create(&c.company_key, b.clone()).await;
        assert_eq!(r.status, status, "{b}: {}", r.text);
        assert_eq!(r.body["error"]["code"], status);
    }
    assert_error(&create(&other.company_key, body).await, 404, "notFound");
    for method in ["GET", "DELETE"] {
        let r = dp(&s, method, &path, &other.company_key, None).await;
        assert_error(&r, 404, "notFound");
    }
    let r = dp(
        &s,
        "PUT",
        &path,
        &other.company_key,
        Some(json!({"privacy": "owner"})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    for b in [json!({}), json!({"privacy": "nobody"})] {
        let r = dp(&s, "PUT", &path, &c.company_key, Some(b)).await;
        assert_error(&r, 400, "badRequest");
    }
    // Text that cannot be a link id never reaches the store.
    let r = dp(&s, "GET", "/recordingsharelink/a%00b", &c.company_key, None).await;
    assert_error(&r, 404, "notFound");
    // A call review link with the same id is another kind: 404.
    let r = dp(
        &s,
        "GET",
        &format!("/callreviewsharelink/{id}"),
        &c.company_key,
        None,
    )
    .await;
    assert_error(&r, 404, "notFound");
    let r = dp(&s, "DELETE", &path, &c.company_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["privacy"], "public");
    assert_error(
        &dp(&s, "GET", &path, &c.company_key, None).await,
        404,
        "notFound",
    );
    assert_error(&open(&s, &access, None).await, 404, "notFound");
}

#[tokio::test]
async fn call_review_share_links() {
    let s = manual_server().await;
    let c = acme(&s).await;
    let other = company(&s, "Other").await;
    let (call, _) = talked(&s, &c).await;
    let r = dp(
        &s,
        "POST",
        "/callreviewsharelink",
        &c.company_key,
        Some(json!({"call_id": call})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["privacy"], "company");
    assert_eq!(r.body["call_id"], call);
    assert!(r.body.get("created_by_id").is_none());
    let access = r.body["access_link"].as_str().unwrap().to_owned();
    assert_eq!(open(&s, &access, Some(&c.user_key)).await.status, 200);
    assert_error(&open(&s, &access, None).await, 403, "forbidden");
    let path = format!("/callreviewsharelink/{id}");
    let r = dp(
        &s,
        "PUT",
        &path,
        &c.user_key,
        Some(json!({"privacy": "public"})),
    )
    .await;
    assert_eq!(r.body["privacy"], "public", "{}", r.text);
    let r = open(&s, &access, None).await;
    assert_eq!(r.body["call"]["state"], "connected");
    let r = dp(&s, "GET", &path, &c.company_key, None).await;
    assert_eq!(r.body["privacy"], "public");
    // `owner` and `admin` are recording privacies only.
    for b in [
        json!({"call_id": call, "privacy": "owner"}),
        json!({}),
        json!({"call_id": "x"}),
    ] {
        let r = dp(
            &s,
            "POST",
            "/callreviewsharelink",
            &c.company_key,
            Some(b.clone()),
        )
        .await;
        assert_error(&r, 400, "badRequest");
    }
    let r = dp(
        &s,
        "PUT",
        &path,
        &c.company_key,
        Some(json!({"privacy": "admin"})),
    )
    .await;
    assert_error(&r, 400, "badRequest");
    let r = dp(
        &s,
        "POST",
        "/callreviewsharelink",
        &other.company_key,
        Some(json!({"call_id": call})),
    )
    .await;
    assert_error(&r, 404, "notFound");
    assert_error(
        &dp(&s, "DELETE", &path, &other.company_key, None).await,
        404,
        "notFound",
    );
    let r = dp(&s, "DELETE", &path, &c.company_key, None).await;
    assert_eq!(r.body["id"], id.as_str());
    assert_error(
        &dp(&s, "DELETE", &path, &c.company_key, None).await,
        404,
        "notFound",
    );
}
