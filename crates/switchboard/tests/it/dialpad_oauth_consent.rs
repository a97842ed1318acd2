//! Dialpad OAuth2 around the flow: the consent form's answers (deny, wrong keys, a tampered
//! form), client authentication at the token endpoint, `GET /api/v2/app/settings`, and the
//! `oauth-app` commands.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use crate::dialpad_contacts::plain_user;
use crate::dialpad_kit::{assert_error, company, dp, main_office};
use crate::dialpad_oauth::{
    answer, assert_oauth_error, authorize, consent_of, exchange, http, param, query, read, setup,
    token, App, REDIRECT, VERIFIER,
};
use crate::kit::Server;

#[tokio::test]
async fn dialpad_oauth_consent_form_answers() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let other = company(&s, "Elsewhere").await;
    let page = authorize(&s, &query(&app, &[])).await;
    let consent = consent_of(&page);

    let r = answer(&s, &consent, "", "deny").await;
    assert_eq!(r.status, 302, "{}", r.text);
    let location = r.header("location").unwrap();
    assert!(location.starts_with(REDIRECT));
    assert_eq!(param(location, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(location, "state").as_deref(), Some("xyz 1"));
    assert!(param(location, "code").is_none());

    // Keys that do not sign in a user of the app's company show the form again.
    for (key, why) in [
        ("sbu_not-a-key", "invalid API key"),
        (other.user_key.as_str(), "user of its company"),
        (c.company_key.as_str(), "user of its company"),
        ("", "enter your API key"),
    ] {
        let r = answer(&s, &consent, key, "allow").await;
        assert_eq!(r.status, 401, "{why}: {}", r.text);
        assert!(r.text.contains(why), "{why}: {}", r.text);
        assert_eq!(consent_of(&r), consent);
    }
    let r = answer(&s, &consent, &c.user_key, "maybe").await;
    assert_eq!(r.status, 401);
    assert!(r.text.contains("Allow or Deny"));

    // A form this server did not sign, or one altered, goes nowhere.
    let mut tampered = consent.clone().into_bytes();
    let i = tampered.len() / 2;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    for bad in [String::from_utf8(tampered).unwrap(), "junk".into()] {
        let r = answer(&s, &bad, &c.user_key, "allow").await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(r.header("location").is_none());
    }
    let count = s.raw_texts("SELECT hash FROM oauth_codes").await;
    assert!(count.is_empty(), "no code was issued: {count:?}");

    // An admin's consent gives an admin's token.
    let r = answer(&s, &consent, &c.admin_key, "allow").await;
    let code = param(r.header("location").unwrap(), "code").unwrap();
    let t = exchange(&s, &app, &code).await;
    let access = t.body["access_token"].as_str().unwrap();
    let office = json!({"name": "Annex", "country": "us"});
    let r = dp(&s, "POST", "/offices", access, Some(office)).await;
    assert_ne!(r.status, 403, "{}", r.text);
}

#[tokio::test]
async fn dialpad_oauth_clients_are_authenticated() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let other = crate::dialpad_oauth::app(&s, c.id).await;
    let code = crate::dialpad_oauth::code(&s, &app, &c.user_key).await;
    let with = |id: &str, secret: &str| {
        vec![
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("code".to_owned(), code.clone()),
            ("code_verifier".to_owned(), VERIFIER.to_owned()),
            ("client_id".to_owned(), id.to_owned()),
            ("client_secret".to_owned(), secret.to_owned()),
        ]
    };
    let send = |p: Vec<(String, String)>| {
        let s = &s;
        async move {
            let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            token(s, &p).await
        }
    };
    assert_oauth_error(
        &send(with(&app.id, "sbcs_wrong")).await,
        401,
        "invalid_client",
    );
    assert_oauth_error(
        &send(with(&app.id, &other.secret)).await,
        401,
        "invalid_client",
    );
    // Another app's client cannot redeem the code.
    assert_oauth_error(
        &send(with(&other.id, &other.secret)).await,
        400,
        "invalid_grant",
    );
    let mut p = with(&app.id, &app.secret);
    p[0].1 = "password".into();
    assert_oauth_error(&send(p).await, 400, "unsupported_grant_type");
    let basic = STANDARD.encode(format!("{}:wrong", app.id));
    let r = http()
        .post(format!("{}/oauth2/token", s.base))
        .header("authorization", format!("Basic {basic}"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    let r = read(r).await;
    assert_oauth_error(&r, 401, "invalid_client");
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));
    let r = http()
        .post(format!("{}/oauth2/token", s.base))
        .header("content-type", "text/plain")
        .body("grant_type=authorization_code")
        .send()
        .await
        .unwrap();
    assert_oauth_error(&read(r).await, 400, "invalid_request");
    let r = http()
        .post(format!("{}/oauth2/token", s.base))
        .json(&json!({"grant_type": 7}))
        .send()
        .await
        .unwrap();
    assert_oauth_error(&read(r).await, 400, "invalid_request");
    // The code is still good for its own client.
    assert_eq!(send(with(&app.id, &app.secret)).await.status, 200);
}

async fn token_of(s: &Server, app: &App, key: &str) -> String {
    let code = crate::dialpad_oauth::code(s, app, key).await;
    let t = exchange(s, app, &code).await;
    t.body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn dialpad_oauth_app_settings() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let access = token_of(&s, &app, &c.user_key).await;
    let r = dp(&s, "GET", "/app/settings", &access, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"enabled": true, "is_preferred_service": false, "settings": {
            "call_logging_enabled": false, "call_recording_logging_enabled": false,
            "voicemail_logging_enabled": false, "sms_logging_enabled": false, "crm_sync": true}})
    );
    let me = plain_user(&s, &c.company_key).await;
    let admin = dp(&s, "GET", "/users?company_admin=true", &c.company_key, None).await;
    let admin = admin.body["items"][0]["id"].as_i64().unwrap();
    let office = main_office(&s, &c).await;
    let enabled = |r: &crate::kit::Resp| {
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["enabled"].clone()
    };
    let at = |t: &str, id: i64| format!("/app/settings?target_type={t}&target_id={id}");
    let get = |path: String| {
        let (s, access) = (&s, access.clone());
        async move { dp(s, "GET", &path, &access, None).await }
    };
    assert_eq!(enabled(&get(at("user", me)).await), json!(true));
    // The admin has not authorized the app.
    assert_eq!(enabled(&get(at("user", admin)).await), json!(false));
    assert_eq!(enabled(&get(at("office", office)).await), json!(true));

    let other = company(&s, "Elsewhere").await;
    let stranger = plain_user(&s, &other.company_key).await;
    assert_error(&get(at("user", stranger)).await, 404, "notFound");
    assert_error(&get(at("office", 99)).await, 404, "notFound");
    assert_error(&get(at("unknown", 1)).await, 400, "badRequest");
    assert_error(&get(at("planet", 1)).await, 400, "badRequest");
    assert_error(
        &get("/app/settings?target_type=user".into()).await,
        400,
        "badRequest",
    );
    assert_error(&get(at("user", -3)).await, 400, "badRequest");
    // An API key has no app.
    let r = dp(&s, "GET", "/app/settings", &c.user_key, None).await;
    assert_error(&r, 404, "notFound");
}

fn run(s: &Server, args: &[&str]) -> (bool, Value, String) {
    let out = s.command().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let body = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.success(),
        body,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test]
async fn dialpad_oauth_apps_from_the_command_line() {
    let s = Server::start().await;
    let c = company(&s, "Cli").await;
    let co = c.id.to_string();
    let (ok, created, err) = run(
        &s,
        &[
            "oauth-app",
            "create",
            "--company",
            &co,
            "--name",
            "Helpdesk",
            "--redirect-uri",
            "https://help.example/cb",
            "--redirect-uri",
            "http://127.0.0.1:5000/cb",
            "--settings",
            r#"{"sync": "daily"}"#,
        ],
    );
    assert!(ok, "{err}");
    let client_id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("sbcs_"));
    assert_eq!(created["company_id"], co.as_str());
    assert_eq!(created["name"], "Helpdesk");
    assert_eq!(
        created["redirect_uris"],
        json!(["https://help.example/cb", "http://127.0.0.1:5000/cb"])
    );
    assert_eq!(created["settings"], json!({"sync": "daily"}));
    let stored = s.raw_texts("SELECT secret_hash FROM oauth_apps").await;
    assert!(!stored[0].contains(&secret));

    let (ok, listed, err) = run(&s, &["oauth-app", "list", "--company", &co]);
    assert!(ok, "{err}");
    let apps = listed["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["client_id"], client_id.as_str());
    assert!(apps[0].get("client_secret").is_none());

    let app = App {
        id: client_id,
        secret,
    };
    let url = |app: &App| {
        let q = query(app, &[("redirect_uri", Some("https://help.example/cb"))]);
        format!("{}/oauth2/authorize?{q}", s.base)
    };
    let http = reqwest::Client::new();
    assert_eq!(http.get(url(&app)).send().await.unwrap().status(), 204);

    for bad in [
        vec!["--redirect-uri", "http://help.example/cb"],
        vec!["--redirect-uri", "https://help.example/cb#x"],
        vec![
            "--redirect-uri",
            "https://help.example/cb",
            "--settings",
            "[1]",
        ],
    ] {
        let mut args = vec!["oauth-app", "create", "--company", &co, "--name", "Bad"];
        args.extend(bad);
        let (ok, _, err) = run(&s, &args);
        assert!(!ok && err.contains("error"), "{err}");
    }
    let other = company(&s, "Other").await.id.to_string();
    let app_id = apps[0]["app_id"].as_str().unwrap();
    let (ok, _, _) = run(&s, &["oauth-app", "delete", app_id, "--company", &other]);
    assert!(!ok, "another company's app is not found");
    let (ok, deleted, err) = run(&s, &["oauth-app", "delete", app_id, "--company", &co]);
    assert!(ok, "{err}");
    assert_eq!(deleted["deleted"], true);
    let (_, listed, _) = run(&s, &["oauth-app", "list", "--company", &co]);
    assert_eq!(listed["apps"], json!([]));
    assert_eq!(http.get(url(&app)).send().await.unwrap().status(), 400);
}

#[tokio::test]
async fn dialpad_oauth_subscriptions_follow_the_tokens_scopes() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    // An admin's token, granted `recordings_export screen_pop` only.
    let access = token_of(&s, &app, &c.admin_key).await;
    let hook = dp(
        &s,
        "POST",
        "/webhooks",
        &access,
        Some(json!({"hook_url": "https://hooks.example.com/x"})),
    )
    .await;
    assert_eq!(hook.status, 200, "{}", hook.text);
    let endpoint = hook.body["id"].clone();
    let r = dp(
        &s,
        "POST",
        "/subscriptions/changelog",
        &access,
        Some(json!({"endpoint_id": endpoint})),
    )
    .await;
    assert_error(&r, 403, "forbidden");
    assert!(r.text.contains("change_log"), "{}", r.text);
    let r = dp(
        &s,
        "POST",
        "/subscriptions/call",
        &access,
        Some(json!({"endpoint_id": endpoint})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // The company key holds every scope.
    let r = dp(
        &s,
        "POST",
        "/subscriptions/changelog",
        &c.company_key,
        Some(json!({"endpoint_id": endpoint})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}
