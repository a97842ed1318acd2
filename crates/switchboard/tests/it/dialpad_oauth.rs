//! Dialpad OAuth2: an app registered for a company, the consent page (form, signed value, the
//! user's API key), codes with PKCE S256 exchanged once, tokens that act as their user,
//! refresh with rotation, deauthorize; every refusal in RFC 6749's shapes, and nothing stored
//! in plaintext.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use switchboard_domain::ids::CompanyId;
use switchboard_domain::oauth::app::NewApp;

use crate::dialpad_kit::{assert_error, company, dp, Company};
use crate::kit::{Resp, Server};

pub(crate) const REDIRECT: &str = "https://app.example/callback?tenant=7";
pub(crate) const VERIFIER: &str = "verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG";

pub(crate) fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A registered app: its client id and secret.
pub(crate) struct App {
    pub id: String,
    pub secret: String,
}

pub(crate) async fn app(s: &Server, company: CompanyId) -> App {
    let new = NewApp {
        name: "Acme <CRM>".into(),
        redirect_uris: vec![REDIRECT.into(), "http://localhost:9000/cb".into()],
        settings: Some(json!({"crm_sync": true}).as_object().unwrap().clone()),
    };
    let r = s.core.oauth().create_app(company, new).await.unwrap();
    App {
        id: r.app.client_id,
        secret: r.client_secret,
    }
}

/// A client that shows redirects instead of following them.
pub(crate) fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(crate) async fn read(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        text,
        body,
    }
}

/// The authorization request's query for `app` with `extra` parameters (`None` drops one).
pub(crate) fn query(app: &App, extra: &[(&str, Option<&str>)]) -> String {
    let c = challenge(VERIFIER);
    let mut params: Vec<(&str, Option<&str>)> = vec![
        ("client_id", Some(&app.id)),
        ("redirect_uri", Some(REDIRECT)),
        ("response_type", Some("code")),
        ("state", Some("xyz 1")),
        ("scope", Some("recordings_export screen_pop")),
        ("code_challenge", Some(&c)),
        ("code_challenge_method", Some("S256")),
    ];
    for (k, v) in extra {
        params.retain(|(p, _)| p != k);
        params.push((k, *v));
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if let Some(v) = v {
            q.append_pair(k, v);
        }
    }
    q.finish()
}

/// `GET /oauth2/authorize` as a browser.
pub(crate) async fn authorize(s: &Server, query: &str) -> Resp {
    let r = http()
        .get(format!("{}/oauth2/authorize?{query}", s.base))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    read(r).await
}

/// The consent form's signed value on a page.
pub(crate) fn consent_of(page: &Resp) -> String {
    let at = page
        .text
        .find("name=\"consent\" value=\"")
        .expect("a consent form")
        + 22;
    let rest = &page.text[at..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Posts the consent form.
pub(crate) async fn answer(s: &Server, consent: &str, key: &str, decision: &str) -> Resp {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("consent", consent)
        .append_pair("api_key", key)
        .append_pair("decision", decision)
        .finish();
    let r = http()
        .post(format!("{}/oauth2/authorize", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    read(r).await
}

/// A query parameter of a redirect's `Location`.
pub(crate) fn param(location: &str, name: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Consents with `key` and answers the code.
pub(crate) async fn code(s: &Server, app: &App, key: &str) -> String {
    let page = authorize(s, &query(app, &[])).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let r = answer(s, &consent_of(&page), key, "allow").await;
    assert_eq!(r.status, 302, "{}", r.text);
    param(r.header("location").unwrap(), "code").unwrap()
}

/// `POST /oauth2/token` as a form.
pub(crate) async fn token(s: &Server, params: &[(&str, &str)]) -> Resp {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let r = http()
        .post(format!("{}/oauth2/token", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    read(r).await
}

/// Exchanges a code with the right verifier; answers the token response.
pub(crate) async fn exchange(s: &Server, app: &App, code: &str) -> Resp {
    token(
        s,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_id", &app.id),
            ("client_secret", &app.secret),
        ],
    )
    .await
}

/// An RFC 6749 error body.
pub(crate) fn assert_oauth_error(r: &Resp, status: u16, error: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["error"], error, "{}", r.text);
    assert!(r.body["error_description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
}

pub(crate) async fn setup(s: &Server) -> (Company, App) {
    let c = company(s, "Oauth").await;
    let a = app(s, c.id).await;
    (c, a)
}

#[tokio::test]
async fn dialpad_oauth_flow_from_consent_to_deauthorize() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let page = authorize(&s, &query(&app, &[])).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert!(
        page.text.contains("Authorize Acme &lt;CRM&gt;"),
        "{}",
        page.text
    );
    assert!(page.text.contains("get links to call recordings"));
    assert!(page.text.contains("type=\"password\""));
    let r = answer(&s, &consent_of(&page), &c.user_key, "allow").await;
    assert_eq!(r.status, 302, "{}", r.text);
    let location = r.header("location").unwrap();
    assert!(
        location.starts_with(&format!("{REDIRECT}&code=")),
        "{location}"
    );
    assert_eq!(param(location, "tenant").as_deref(), Some("7"));
    assert_eq!(param(location, "state").as_deref(), Some("xyz 1"));
    let code = param(location, "code").unwrap();

    let t = exchange(&s, &app, &code).await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.header("cache-control"), Some("no-store"));
    assert_eq!(t.body["token_type"], "bearer");
    assert_eq!(t.body["expires_in"], 3600);
    let access = t.body["access_token"].as_str().unwrap().to_owned();
    let refresh = t.body["refresh_token"].as_str().unwrap().to_owned();

    // The token acts as its (plain) user.
    let me = dp(
        &s,
        "PATCH",
        "/users/me/status",
        &access,
        Some(json!({"status_message": "Away"})),
    )
    .await;
    assert_eq!(me.status, 200, "{}", me.text);
    let user = dp(
        &s,
        "GET",
        "/users?company_admin=false",
        &c.company_key,
        None,
    )
    .await;
    assert_eq!(me.body["id"], user.body["items"][0]["id"]);
    assert_eq!(dp(&s, "GET", "/offices", &access, None).await.status, 200);
    let office = json!({"name": "Annex", "country": "us"});
    assert_error(
        &dp(&s, "POST", "/offices", &access, Some(office)).await,
        403,
        "forbidden",
    );

    // Refresh with a JSON body and HTTP Basic credentials: a new pair; the old refresh token
    // stops working, the old access token keeps working until it expires.
    let basic = STANDARD.encode(format!("{}:{}", app.id, app.secret));
    let r = http()
        .post(format!("{}/oauth2/token", s.base))
        .header("authorization", format!("Basic {basic}"))
        .json(&json!({"grant_type": "refresh_token", "refresh_token": refresh}))
        .send()
        .await
        .unwrap();
    let fresh = read(r).await;
    assert_eq!(fresh.status, 200, "{}", fresh.text);
    let access2 = fresh.body["access_token"].as_str().unwrap().to_owned();
    assert_ne!(access2, access);
    assert_ne!(fresh.body["refresh_token"], json!(refresh));
    assert_eq!(dp(&s, "GET", "/offices", &access2, None).await.status, 200);
    assert_eq!(dp(&s, "GET", "/offices", &access, None).await.status, 200);

    // Nothing secret is stored as it was given.
    let stored = s
        .raw_texts("SELECT hash FROM oauth_tokens UNION ALL SELECT hash FROM oauth_codes UNION ALL SELECT secret_hash FROM oauth_apps")
        .await;
    assert_eq!(stored.len(), 6);
    for secret in [&access, &refresh, &access2, &code, &app.secret] {
        assert!(stored.iter().all(|h| !h.contains(secret.as_str())));
    }

    // Deauthorize with the token: every token of the app for the user stops working.
    let r = http()
        .post(format!("{}/oauth2/deauthorize", s.base))
        .header("authorization", format!("Bearer {access2}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    for t in [&access, &access2] {
        assert_error(&dp(&s, "GET", "/offices", t, None).await, 401, "required");
    }
    let again = token(
        &s,
        &[
            ("grant_type", "refresh_token"),
            (
                "refresh_token",
                fresh.body["refresh_token"].as_str().unwrap(),
            ),
            ("client_id", &app.id),
            ("client_secret", &app.secret),
        ],
    )
    .await;
    assert_oauth_error(&again, 400, "invalid_grant");
    // An API key is not a token to deauthorize.
    let r = http()
        .post(format!("{}/oauth2/deauthorize", s.base))
        .header("authorization", format!("Bearer {}", c.user_key))
        .send()
        .await
        .unwrap();
    assert_error(&read(r).await, 401, "required");
}

#[tokio::test]
async fn dialpad_oauth_pkce_is_required_with_s256() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    // plain, none and no challenge go back to the app as invalid_request.
    for extra in [
        [("code_challenge_method", Some("plain"))],
        [("code_challenge_method", None)],
        [("code_challenge", None)],
        [("code_challenge", Some("too-short"))],
    ] {
        let r = authorize(&s, &query(&app, &extra)).await;
        assert_eq!(r.status, 302, "{extra:?}: {}", r.text);
        let location = r.header("location").unwrap();
        assert!(location.starts_with(REDIRECT), "{location}");
        assert_eq!(param(location, "error").as_deref(), Some("invalid_request"));
        assert_eq!(param(location, "state").as_deref(), Some("xyz 1"));
    }
    // A client that is not a browser (the SDK) gets 400 in Dialpad's envelope, or 204.
    let url = format!(
        "{}/oauth2/authorize?{}",
        s.base,
        query(&app, &[("code_challenge_method", Some("plain"))])
    );
    let r = read(http().get(&url).send().await.unwrap()).await;
    assert_error(&r, 400, "badRequest");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("invalid_request"));
    let url = format!("{}/oauth2/authorize?{}", s.base, query(&app, &[]));
    assert_eq!(http().get(&url).send().await.unwrap().status(), 204);

    let code = code(&s, &app, &c.user_key).await;
    let with = |verifier: Option<&'static str>| {
        let mut p = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", app.id.as_str()),
            ("client_secret", app.secret.as_str()),
        ];
        if let Some(v) = verifier {
            p.push(("code_verifier", v));
        }
        p
    };
    let wrong = "wrong-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    assert_oauth_error(&token(&s, &with(Some(wrong))).await, 400, "invalid_grant");
    assert_oauth_error(&token(&s, &with(None)).await, 400, "invalid_request");
    // Failed exchanges left the code as it was.
    assert_eq!(token(&s, &with(Some(VERIFIER))).await.status, 200);
}

#[tokio::test]
async fn dialpad_oauth_a_replayed_code_revokes_its_tokens() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let code = code(&s, &app, &c.user_key).await;
    let first = exchange(&s, &app, &code).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let access = first.body["access_token"].as_str().unwrap();
    assert_eq!(dp(&s, "GET", "/offices", access, None).await.status, 200);
    assert_oauth_error(&exchange(&s, &app, &code).await, 400, "invalid_grant");
    assert_error(
        &dp(&s, "GET", "/offices", access, None).await,
        401,
        "required",
    );
    let refresh = token(
        &s,
        &[
            ("grant_type", "refresh_token"),
            (
                "refresh_token",
                first.body["refresh_token"].as_str().unwrap(),
            ),
            ("client_id", &app.id),
            ("client_secret", &app.secret),
        ],
    )
    .await;
    assert_oauth_error(&refresh, 400, "invalid_grant");
}

#[tokio::test]
async fn dialpad_oauth_a_reused_refresh_token_revokes_its_grant() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let code = code(&s, &app, &c.user_key).await;
    let t = exchange(&s, &app, &code).await;
    let refresh = |rt: String| {
        let (id, secret) = (app.id.clone(), app.secret.clone());
        let s = &s;
        async move {
            let p = [
                ("grant_type", "refresh_token"),
                ("refresh_token", rt.as_str()),
                ("client_id", id.as_str()),
                ("client_secret", secret.as_str()),
            ];
            token(s, &p).await
        }
    };
    let old = t.body["refresh_token"].as_str().unwrap().to_owned();
    let next = refresh(old.clone()).await;
    assert_eq!(next.status, 200, "{}", next.text);
    let access = next.body["access_token"].as_str().unwrap().to_owned();
    assert_oauth_error(&refresh(old).await, 400, "invalid_grant");
    // The thief's replay took the newer tokens down too.
    assert_error(
        &dp(&s, "GET", "/offices", &access, None).await,
        401,
        "required",
    );
    let newer = next.body["refresh_token"].as_str().unwrap().to_owned();
    assert_oauth_error(&refresh(newer).await, 400, "invalid_grant");
}

#[tokio::test]
async fn dialpad_oauth_redirect_uris_match_exactly() {
    let s = Server::start().await;
    let (c, app) = setup(&s).await;
    let unknown = App {
        id: "nobody".into(),
        secret: String::new(),
    };
    for (q, why) in [
        (
            query(
                &app,
                &[("redirect_uri", Some("https://app.example/callback"))],
            ),
            "not one of",
        ),
        (
            query(&app, &[("redirect_uri", Some("https://evil.example/cb"))]),
            "not one of",
        ),
        (
            query(
                &app,
                &[(
                    "redirect_uri",
                    Some("https://app.example/callback?tenant=7#x"),
                )],
            ),
            "must not contain",
        ),
        (
            query(&app, &[("redirect_uri", None)]),
            "redirect_uri is required",
        ),
        (query(&unknown, &[]), "client_id"),
        (
            format!("{}&state=again", query(&app, &[])),
            "more than once",
        ),
    ] {
        let r = authorize(&s, &q).await;
        assert_eq!(r.status, 400, "{q}: {}", r.text);
        assert!(r.header("location").is_none());
        assert!(r.text.contains(why), "{why}: {}", r.text);
    }
    // Once the redirect URI is trusted, errors go back to it.
    let r = authorize(&s, &query(&app, &[("scope", Some("admin"))])).await;
    assert_eq!(
        param(r.header("location").unwrap(), "error").as_deref(),
        Some("invalid_scope")
    );
    let r = authorize(&s, &query(&app, &[("response_type", Some("token"))])).await;
    let location = r.header("location").unwrap();
    assert_eq!(
        param(location, "error").as_deref(),
        Some("unsupported_response_type")
    );
    // A code is bound to the redirect URI it was sent to.
    let code = code(&s, &app, &c.user_key).await;
    let p = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://localhost:9000/cb"),
        ("code_verifier", VERIFIER),
        ("client_id", app.id.as_str()),
        ("client_secret", app.secret.as_str()),
    ];
    assert_oauth_error(&token(&s, &p).await, 400, "invalid_grant");
    assert_eq!(exchange(&s, &app, &code).await.status, 200);
}

#[tokio::test]
async fn dialpad_oauth_codes_tokens_and_forms_expire() {
    let s = Server::start_configured(|c| c.manual_clock = true).await;
    let (c, app) = setup(&s).await;
    let advance = |secs| assert!(s.core.clock().advance_by(secs));
    let late = code(&s, &app, &c.user_key).await;
    advance(601);
    assert_oauth_error(&exchange(&s, &app, &late).await, 400, "invalid_grant");

    let page = authorize(&s, &query(&app, &[])).await;
    advance(601);
    let r = answer(&s, &consent_of(&page), &c.user_key, "allow").await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.text.contains("expired"));

    let t = exchange(&s, &app, &code(&s, &app, &c.user_key).await).await;
    let access = t.body["access_token"].as_str().unwrap();
    assert_eq!(dp(&s, "GET", "/offices", access, None).await.status, 200);
    advance(3601);
    let r = dp(&s, "GET", "/offices", access, None).await;
    assert_error(&r, 401, "required");
    assert!(r.text.contains("expired"));
    let p = [
        ("grant_type", "refresh_token"),
        ("refresh_token", t.body["refresh_token"].as_str().unwrap()),
        ("client_id", &app.id),
        ("client_secret", &app.secret),
    ];
    let fresh = token(&s, &p).await;
    assert_eq!(fresh.status, 200, "{}", fresh.text);
    let access = fresh.body["access_token"].as_str().unwrap();
    assert_eq!(dp(&s, "GET", "/offices", access, None).await.status, 200);
}
