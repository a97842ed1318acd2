//! Signing in and out, and who is signed in. The session token lives in the `sb_session`
//! cookie (HTTP-only, `SameSite=Strict`, path `/ui`); forms carry the session's anti-forgery
//! token (`form_token`), and a form without the right one changes nothing (400).

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use maud::html;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use switchboard_domain::tenancy::account::Principal;
use switchboard_domain::tenancy::sessions::form_token;
use switchboard_domain::{Core, DomainError};

use crate::error::UiError;
use crate::{layout, MOUNT};

/// The session cookie's name.
pub(crate) const COOKIE: &str = "sb_session";

/// The cookie holding the time zone the viewer chose (an IANA name).
pub(crate) const ZONE_COOKIE: &str = "sb_tz";

/// Who is signed in, with the token their forms must carry and the time zone they read times
/// in (UTC until they choose one).
pub(crate) struct Signed {
    pub principal: Principal,
    token: String,
    pub form_token: String,
    pub zone_name: String,
    zone: jiff::tz::TimeZone,
}

impl Signed {
    /// A time as this viewer reads it, in their time zone.
    pub(crate) fn when(&self, t: jiff::Timestamp) -> String {
        t.to_zoned(self.zone.clone())
            .strftime("%Y-%m-%d %H:%M:%S %Z")
            .to_string()
    }

    /// The viewer's time zone.
    pub(crate) fn zone(&self) -> &jiff::tz::TimeZone {
        &self.zone
    }

    /// The session token (for a long-lived response that checks the session again).
    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    /// Refuses a form without this session's anti-forgery token.
    pub(crate) fn check_form(&self, sent: &str) -> Result<(), UiError> {
        if bool::from(sent.as_bytes().ct_eq(self.form_token.as_bytes())) {
            Ok(())
        } else {
            Err(UiError::Bad(
                "the form is out of date or was not sent from this dashboard; reload the page and try again".into(),
            ))
        }
    }
}

impl FromRequestParts<Core> for Signed {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, UiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(COOKIE)
            .map(|c| c.value().to_owned())
            .ok_or(UiError::SignIn)?;
        let (principal, _) = core.tenancy().session(&token).await?;
        let chosen = jar
            .get(ZONE_COOKIE)
            .map(|c| c.value().to_owned())
            .and_then(|name| jiff::tz::TimeZone::get(&name).ok().map(|z| (name, z)));
        let (zone_name, zone) =
            chosen.unwrap_or_else(|| ("UTC".to_owned(), jiff::tz::TimeZone::UTC));
        Ok(Self {
            principal,
            form_token: form_token(&token),
            token,
            zone_name,
            zone,
        })
    }
}

/// `/ui`: the first page for who signed in.
pub(crate) async fn home(signed: Signed) -> Response {
    match signed.principal {
        Principal::User(_) => Redirect::to(&format!("{MOUNT}/agents")).into_response(),
        Principal::Company(_) => Redirect::to(&format!("{MOUNT}/callcenters")).into_response(),
        Principal::Partner(_) => Redirect::to(&format!("{MOUNT}/clients")).into_response(),
    }
}

fn login_form(error: Option<&str>) -> maud::Markup {
    layout::bare(
        "Sign in",
        html! {
            h1 { "Sign in" }
            form method="post" action=(format!("{MOUNT}/login")) {
                label for="api_key" { "API key (a company's, a user's or a partner's)" }
                input id="api_key" name="api_key" type="password" autocomplete="current-password"
                    required size="40" aria-describedby=[error.map(|_| "login-error")];
                @if let Some(e) = error {
                    p id="login-error" class="error" role="alert" { (e) }
                }
                p { button type="submit" { "Sign in" } }
            }
        },
    )
}

/// The sign-in form.
pub(crate) async fn login_page() -> Html<String> {
    Html(login_form(None).into_string())
}

#[derive(Deserialize)]
pub(crate) struct Login {
    #[serde(default)]
    api_key: String,
}

/// Signs in: the session cookie, then the dashboard; a key that does not work gets the form
/// again with the reason beside the field (401).
pub(crate) async fn login(
    State(core): State<Core>,
    jar: CookieJar,
    Form(form): Form<Login>,
) -> Result<Response, UiError> {
    if form.api_key.trim().is_empty() {
        let page = login_form(Some("Enter an API key."));
        return Ok((StatusCode::BAD_REQUEST, Html(page.into_string())).into_response());
    }
    let signed = match core.tenancy().sign_in(&form.api_key).await {
        Ok(signed) => signed,
        Err(DomainError::Unauthenticated(_)) => {
            let page = login_form(Some(
                "That key does not work: it is unknown, revoked, or its company is suspended.",
            ));
            return Ok((StatusCode::UNAUTHORIZED, Html(page.into_string())).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let cookie = Cookie::build((COOKIE, signed.token))
        .path(MOUNT)
        .http_only(true)
        .same_site(SameSite::Strict)
        .build();
    Ok((jar.add(cookie), Redirect::to(MOUNT)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct FormToken {
    #[serde(default)]
    form_token: String,
}

/// Signs out: the session ends and its cookie is cleared.
pub(crate) async fn logout(
    State(core): State<Core>,
    signed: Signed,
    jar: CookieJar,
    Form(form): Form<FormToken>,
) -> Result<Response, UiError> {
    signed.check_form(&form.form_token)?;
    core.tenancy().sign_out(&signed.token).await?;
    let jar = jar.remove(Cookie::build(COOKIE).path(MOUNT));
    Ok((jar, crate::to_login()).into_response())
}
