//! 360dialog dialect: the partner account, authentication and the error body.

use serde_json::{json, Value};

use crate::kit::{Resp, Server};

/// A partner with its key, and helpers for its requests.
pub struct TestPartner {
    pub id: String,
    pub key: String,
}

/// Creates a partner (the CLI's use case) and returns its wire id and key.
pub async fn partner(s: &Server, brand: &str) -> TestPartner {
    let (p, key) = s.core.tenancy().create_partner(brand).await.unwrap();
    TestPartner {
        id: format!("{}PA", p.id),
        key: key.secret,
    }
}

/// A request under `/api/v2/partners/{partner}` with the partner's key.
pub fn d3(s: &Server, p: &TestPartner, method: &str, rest: &str) -> crate::kit::Req {
    s.req(method, &format!("/api/v2/partners/{}{rest}", p.id))
        .header("X-API-Key", &p.key)
}

/// Asserts 360dialog's error body with `status`.
pub fn assert_error(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{}", r.text);
    let meta = &r.body["meta"];
    assert_eq!(meta["success"], false, "{}", r.text);
    assert_eq!(meta["http_code"], status, "{}", r.text);
    assert!(
        meta["developer_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        r.text
    );
    assert!(meta["details"].is_array(), "{}", r.text);
    assert_eq!(
        r.body.as_object().unwrap().len(),
        1,
        "only meta: {}",
        r.text
    );
}

/// The seed's partner fields, in its order.
const SEED_FIELDS: [&str; 13] = [
    "id",
    "brand_name",
    "payment_required",
    "logo_url",
    "onboarding_deeplink_add_params",
    "webhook_url",
    "partner_redirect_url",
    "country",
    "blocked_new_submission",
    "allow_client_to_add_phone_no",
    "settings",
    "billing_system",
    "publishable_key",
];

fn assert_partner_shape(body: &Value) {
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, SEED_FIELDS, "{body}");
    assert!(body["id"].as_str().unwrap().ends_with("PA"));
    assert!(body["payment_required"].is_boolean());
    assert!(body["onboarding_deeplink_add_params"].is_boolean());
    assert!(body["blocked_new_submission"].is_boolean());
    assert!(body["allow_client_to_add_phone_no"].is_boolean());
    assert!(body["billing_system"].is_string());
    assert_eq!(body["publishable_key"], Value::Null, "the seed's default");
}

#[tokio::test]
async fn get_partner_has_the_seed_fields_and_the_brand_name() {
    let s = Server::start().await;
    let p = partner(&s, "360dialog").await;
    let r = d3(&s, &p, "GET", "").send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_partner_shape(&r.body);
    assert_eq!(r.body["id"], p.id.as_str());
    assert_eq!(r.body["brand_name"], "360dialog");
    assert_eq!(r.body["allow_client_to_add_phone_no"], true);
    assert_eq!(r.body["webhook_url"], Value::Null);
    // The bare decimal id names the same partner.
    let bare = p.id.trim_end_matches("PA");
    let r = s
        .req("GET", &format!("/api/v2/partners/{bare}"))
        .header("X-API-Key", &p.key)
        .send()
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn patch_partner_writes_only_the_documented_fields() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    let r = d3(&s, &p, "PATCH", "")
        .json(json!({
            "webhook_url": "https://company.com/webhook",
            "partner_redirect_url": "https://company.com/onboarding-redirect",
            "allow_client_to_add_phone_no": false
        }))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_partner_shape(&r.body);
    assert_eq!(r.body["webhook_url"], "https://company.com/webhook");
    assert_eq!(
        r.body["partner_redirect_url"],
        "https://company.com/onboarding-redirect"
    );
    assert_eq!(r.body["allow_client_to_add_phone_no"], false);
    let again = d3(&s, &p, "GET", "").send().await;
    assert_eq!(again.body, r.body, "the change is stored");

    // Read-only, unknown, mistyped and invalid input: 400 in the vendor's shape, nothing changed.
    for bad in [
        json!({"brand_name": "Other"}),
        json!({"publishable_key": "pk"}),
        json!({"surprise": 1}),
        json!({"webhook_url": 5}),
        json!({"webhook_url": "not a url"}),
        json!({"webhook_url": "ftp://example.com/x"}),
        json!({"allow_client_to_add_phone_no": "yes"}),
        json!(["webhook_url"]),
    ] {
        let r = d3(&s, &p, "PATCH", "").json(bad.clone()).send().await;
        assert_error(&r, 400);
    }
    let r = d3(&s, &p, "PATCH", "")
        .raw("{\"webhook_url\": ")
        .send()
        .await;
    assert_error(&r, 400);
    let after = d3(&s, &p, "GET", "").send().await;
    assert_eq!(after.body, again.body);

    // null clears a URL.
    let r = d3(&s, &p, "PATCH", "")
        .json(json!({"webhook_url": null}))
        .send()
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["webhook_url"], Value::Null);
}

#[tokio::test]
async fn webhook_url_endpoints_read_and_set_it() {
    let s = Server::start().await;
    let p = partner(&s, "Brand").await;
    let r = d3(&s, &p, "GET", "/webhook_url").send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({"webhook_url": null}));
    let r = d3(&s, &p, "POST", "/webhook_url")
        .json(json!({"webhook_url": "https://example.com/hook"}))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["webhook_url"], "https://example.com/hook");
    let r = d3(&s, &p, "GET", "/webhook_url").send().await;
    assert_eq!(r.body, json!({"webhook_url": "https://example.com/hook"}));
    assert_error(
        &d3(&s, &p, "POST", "/webhook_url")
            .json(json!({}))
            .send()
            .await,
        400,
    );
    assert_error(
        &d3(&s, &p, "POST", "/webhook_url")
            .json(json!({"webhook_url": "nope"}))
            .send()
            .await,
        400,
    );
}

#[tokio::test]
async fn only_the_partners_own_key_reaches_it() {
    let s = Server::start().await;
    let p = partner(&s, "Mine").await;
    let other = partner(&s, "Theirs").await;
    let user = s.user().await;

    // Another partner's id answers exactly like a missing one.
    let foreign = s
        .req("GET", &format!("/api/v2/partners/{}", other.id))
        .header("X-API-Key", &p.key)
        .send()
        .await;
    let missing = s
        .req("GET", "/api/v2/partners/1000000000000001PA")
        .header("X-API-Key", &p.key)
        .send()
        .await;
    assert_error(&foreign, 404);
    assert_eq!(foreign.body, missing.body);
    let patch = s
        .req("PATCH", &format!("/api/v2/partners/{}", other.id))
        .header("X-API-Key", &p.key)
        .json(json!({"webhook_url": "https://evil.example/"}))
        .send()
        .await;
    assert_error(&patch, 404);
    let r = d3(&s, &other, "GET", "").send().await;
    assert_eq!(r.body["webhook_url"], Value::Null, "unchanged");
    assert_error(
        &s.req("GET", &format!("/api/v2/partners/{}/clients", other.id))
            .header("X-API-Key", &p.key)
            .send()
            .await,
        404,
    );
    assert_error(
        &s.req("GET", "/api/v2/partners/garbage")
            .header("X-API-Key", &p.key)
            .send()
            .await,
        404,
    );

    // No key, a wrong key, a user key: 401.
    let path = format!("/api/v2/partners/{}", p.id);
    assert_error(&s.req("GET", &path).send().await, 401);
    assert_error(
        &s.req("GET", &path)
            .header("X-API-Key", "sbp_wrong")
            .send()
            .await,
        401,
    );
    assert_error(
        &s.req("GET", &path)
            .header("X-API-Key", &user.key)
            .send()
            .await,
        401,
    );
    // The legacy bearer scheme takes the same key.
    let r = s
        .req("GET", &path)
        .header("Authorization", &format!("Bearer {}", p.key))
        .send()
        .await;
    assert_eq!(r.status, 200);

    // Unknown paths and methods answer in the vendor's shape too.
    assert_error(&d3(&s, &p, "GET", "/nothing/here").send().await, 404);
    assert_error(&d3(&s, &p, "DELETE", "").send().await, 405);
}

#[tokio::test]
async fn the_openapi_document_is_served_and_listed() {
    let s = Server::start().await;
    let r = s.req("GET", "/api/v2/partners/openapi.json").send().await;
    assert_eq!(r.status, 200);
    assert!(
        r.body["paths"]["/{partner_id}"]["patch"].is_object(),
        "{}",
        r.text
    );
    assert!(r.body["paths"]["/{partner_id}/clients"]["get"].is_object());
    let docs = s.req("GET", "/docs").send().await;
    assert!(docs.text.contains("360dialog Partner API"));
}
