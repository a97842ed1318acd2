//! The web dashboard (`/ui`) over HTTP, as a browser without JavaScript uses it: signing in with
//! an API key gives an HTTP-only, `SameSite=Strict` session cookie; the agents list searches;
//! an agent's page lists its versions; two versions diff side by side; restoring needs the
//! session's form token and the revision the page showed; signing out, or revoking the key,
//! ends the session; another tenant's agent is "not found". (The same in a real browser:
//! `scripts/browser-tests`.)

use reqwest::redirect::Policy;
use reqwest::StatusCode;
use serde_json::json;

use crate::kit::{Server, TestUser};

/// A browser without JavaScript: no redirects followed, the session cookie sent by hand.
pub(crate) struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
    /// The `sb_tz` cookie, once a time zone was chosen.
    pub(crate) zone: Option<String>,
}

pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) set_cookie: Option<String>,
    pub(crate) html: String,
}

impl Browser {
    pub(crate) fn new(s: &Server) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            base: s.base.clone(),
            cookie: None,
            zone: None,
        }
    }

    /// The request with the session cookie, if signed in.
    pub(crate) fn with_cookie(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let mut cookies = Vec::new();
        if let Some(c) = &self.cookie {
            cookies.push(format!("sb_session={c}"));
        }
        if let Some(z) = &self.zone {
            cookies.push(format!("sb_tz={z}"));
        }
        if cookies.is_empty() {
            req
        } else {
            req.header("cookie", cookies.join("; "))
        }
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Page {
        let r = self.with_cookie(req).send().await.unwrap();
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (location, set_cookie) = (header("location"), header("set-cookie"));
        Page {
            status: r.status(),
            location,
            set_cookie,
            html: r.text().await.unwrap(),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Page {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    /// A form posted to `path`.
    pub(crate) async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(self.http.post(format!("{}{path}", self.base)).form(form))
            .await
    }

    /// Signs in with `key`; the session cookie is kept.
    pub(crate) async fn sign_in(&mut self, key: &str) -> Page {
        let page = self.post("/ui/login", &[("api_key", key)]).await;
        if let Some(c) = &page.set_cookie {
            let value = c.split(';').next().unwrap();
            self.cookie = Some(value.trim_start_matches("sb_session=").to_owned());
        }
        page
    }
}

/// The value of the first hidden input `name` on the page.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..][..html[start..].find('"').unwrap()].to_owned()
}

/// An agent of `user` with two versions: `en`, then `fr` with a greeting.
async fn agent_with_history(s: &Server, user: &TestUser, name: &str) -> String {
    let id = s.agent(user, name).await;
    let r = s
        .dg(user, "PATCH", &format!("/agents/{id}"))
        .json(
            json!({"settings": {"language": "fr", "welcomeMessage": "Bonjour"},
                     "metadata": {"commit_message": "Speak French"}}),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    id
}

async fn versions(s: &Server, user: &TestUser, agent: &str) -> Vec<serde_json::Value> {
    let r = s
        .dg(user, "GET", &format!("/agents/{agent}/versions"))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["versions"].as_array().unwrap().clone()
}

#[tokio::test]
async fn sign_in_search_diff_restore_and_sign_out() {
    let s = Server::start().await;
    let ann = s.user().await;
    let agent = agent_with_history(&s, &ann, "Support desk").await;
    s.agent(&ann, "Billing line").await;
    let mut b = Browser::new(&s);

    // Nobody signed in: every page leads to the sign-in form.
    let page = b.get("/ui/agents").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/ui/login"));
    let page = b.get("/ui/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("name=\"api_key\""), "{}", page.html);

    // A wrong key: the form again, with the reason beside the field, and no cookie.
    let page = b.sign_in("sbu_not-a-key").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.html.contains("role=\"alert\""), "{}", page.html);
    assert!(page.set_cookie.is_none());

    let page = b.sign_in(&ann.key).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let cookie = page.set_cookie.unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/ui"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains(&ann.key), "the key is not the session");
    // Only digests of the session and of the key are stored.
    let stored = s
        .raw_texts("SELECT token_hash || ' ' || key_hash FROM console_sessions")
        .await;
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(b.cookie.as_deref().unwrap()));
    assert!(!stored[0].contains(&ann.key));

    // The list, and the list searched.
    let page = b.get("/ui/agents").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Support desk") && page.html.contains("Billing line"));
    let page = b.get("/ui/agents?q=support").await;
    assert!(page.html.contains("Support desk") && !page.html.contains("Billing line"));

    // The agent's page: its settings and both versions, newest first.
    let page = b.get(&format!("/ui/agents/{agent}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Speak French"), "{}", page.html);
    assert!(page.html.contains("Bonjour"));
    let history = versions(&s, &ann, &agent).await;
    let first = history
        .iter()
        .find(|v| v["version_number"] == 1)
        .unwrap_or_else(|| panic!("{history:?}"));
    let second = history.iter().find(|v| v["version_number"] == 2).unwrap();
    let (v1, v2) = (
        first["version_id"].as_str().unwrap(),
        second["version_id"].as_str().unwrap(),
    );

    // Side by side: the language and the greeting changed.
    let page = b
        .get(&format!("/ui/agents/{agent}/diff?from={v1}&to={v2}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("settings.language"), "{}", page.html);
    assert!(page.html.contains("&quot;en&quot;") || page.html.contains("\"en\""));
    assert!(page.html.contains("settings.welcomeMessage"));

    // Restoring without the form token, or with another, changes nothing.
    let page = b.get(&format!("/ui/agents/{agent}")).await;
    let token = hidden(&page.html, "form_token");
    let restore = format!("/ui/agents/{agent}/versions/{v1}/restore");
    for forged in ["", "0123456789abcdef"] {
        let page = b
            .post(&restore, &[("form_token", forged), ("revision", "2")])
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    }
    // A page out of date (revision 1 is not current) changes nothing either.
    let page = b
        .post(&restore, &[("form_token", &token), ("revision", "1")])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.html);
    assert_eq!(versions(&s, &ann, &agent).await.len(), 2);

    let page = b
        .post(&restore, &[("form_token", &token), ("revision", "2")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(
        page.location.as_deref(),
        Some(format!("/ui/agents/{agent}?restored=1").as_str())
    );
    let history = versions(&s, &ann, &agent).await;
    assert_eq!(history.len(), 3, "the restore is a new version");
    let r = s.dg(&ann, "GET", &format!("/agents/{agent}")).send().await;
    assert_eq!(r.body["agent"]["settings"], json!({"language": "en"}));

    // Signing out needs the token too, then ends the session.
    let page = b.post("/ui/logout", &[("form_token", "nope")]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let page = b.post("/ui/logout", &[("form_token", &token)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.set_cookie.unwrap().contains("sb_session=;"));
    let page = b.get("/ui/agents").await;
    assert_eq!(page.location.as_deref(), Some("/ui/login"));
    assert!(s
        .raw_texts("SELECT token_hash FROM console_sessions")
        .await
        .is_empty());
}

#[tokio::test]
async fn another_tenants_agent_is_not_found_and_a_revoked_key_ends_the_session() {
    let s = Server::start().await;
    let ann = s.user().await;
    let bob = s.user().await;
    let bobs = agent_with_history(&s, &bob, "Bob's agent").await;
    let bob_versions = versions(&s, &bob, &bobs).await;
    let v1 = bob_versions[0]["version_id"].as_str().unwrap();
    let key = s.core.tenancy().create_user_key(ann.user.id).await.unwrap();
    let mut b = Browser::new(&s);
    assert_eq!(b.sign_in(&key.secret).await.status, StatusCode::SEE_OTHER);

    for path in [
        format!("/ui/agents/{bobs}"),
        format!("/ui/agents/{bobs}/diff?from={v1}&to={v1}"),
        "/ui/agents/not-an-id".to_owned(),
        "/ui/agents/123".to_owned(),
        "/ui/nowhere".to_owned(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}: {}", page.html);
        assert!(!page.html.contains("Bob's agent"));
    }
    let page = b.get("/ui/agents").await;
    let token = hidden(&page.html, "form_token");
    let page = b
        .post(
            &format!("/ui/agents/{bobs}/versions/{v1}/restore"),
            &[("form_token", &token)],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(versions(&s, &bob, &bobs).await.len(), 2);
    // A cursor that was not made here is refused as bad input.
    let page = b.get("/ui/agents?cursor=forged").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);

    // Revoking the key ends its session at once.
    s.core.tenancy().revoke_key(key.key.id).await.unwrap();
    let page = b.get("/ui/agents").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/ui/login"));
}

#[tokio::test]
async fn times_are_shown_in_the_time_zone_the_viewer_chose() {
    let s = Server::start().await;
    let ann = s.user().await;
    let agent = s.agent(&ann, "Support desk").await;
    let mut b = Browser::new(&s);
    b.sign_in(&ann.key).await;
    let page = b.get(&format!("/ui/agents/{agent}")).await;
    assert!(page.html.contains(" UTC</dd>"), "{}", page.html);
    assert!(page.html.contains("Times in UTC"));

    let page = b.get("/ui/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("<option value=\"America/New_York\""));
    let token = hidden(&page.html, "form_token");
    // A zone nobody knows: the form again with the reason beside the field; nothing kept.
    let page = b
        .post(
            "/ui/settings",
            &[("form_token", &token), ("zone", "Mars/Olympus_Mons")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.html.contains("id=\"zone-error\""), "{}", page.html);
    assert!(page.html.contains("Mars/Olympus_Mons"));
    assert!(page.set_cookie.is_none());
    let page = b
        .post(
            "/ui/settings",
            &[("form_token", "forged"), ("zone", "Asia/Tokyo")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.set_cookie.is_none());

    let page = b
        .post(
            "/ui/settings",
            &[("form_token", &token), ("zone", "America/New_York")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let cookie = page.set_cookie.unwrap();
    // The value is percent-encoded, as a browser sends it back.
    assert!(cookie.starts_with("sb_tz=America%2FNew_York;"), "{cookie}");
    b.zone = Some("America%2FNew_York".into());
    let page = b.get(&format!("/ui/agents/{agent}")).await;
    assert!(page.html.contains("Times in America/New_York"));
    assert!(
        page.html.contains(" EST</dd>") || page.html.contains(" EDT</dd>"),
        "{}",
        page.html
    );
    // A cookie naming no zone falls back to UTC.
    b.zone = Some("Nowhere/Atall".into());
    let page = b.get(&format!("/ui/agents/{agent}")).await;
    assert!(page.html.contains("Times in UTC"));
}
