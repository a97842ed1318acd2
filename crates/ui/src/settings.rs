//! The viewer's settings: the time zone the dashboard shows times in (kept in a cookie of this
//! browser; UTC until chosen).

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use maud::{html, Markup};
use serde::Deserialize;

use crate::error::UiError;
use crate::layout;
use crate::session::{Signed, ZONE_COOKIE};
use crate::MOUNT;

fn form(signed: &Signed, chosen: &str, error: Option<&str>, saved: bool) -> Markup {
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .collect();
    zones.sort();
    let body = html! {
        h1 { "Settings" }
        @if saved { p.notice role="status" { "Times are now shown in " (signed.zone_name) "." } }
        form method="post" action=(format!("{MOUNT}/settings")) {
            input type="hidden" name="form_token" value=(signed.form_token);
            label for="zone" { "Show times in" }
            select id="zone" name="zone" aria-describedby=[error.map(|_| "zone-error")] {
                @if !zones.iter().any(|z| z == chosen) {
                    option value=(chosen) selected { (chosen) }
                }
                @for z in &zones {
                    option value=(z) selected[z == chosen] { (z) }
                }
            }
            @if let Some(e) = error { p id="zone-error" class="error" role="alert" { (e) } }
            p { button type="submit" { "Save" } }
        }
    };
    layout::page(signed, "Settings", body)
}

#[derive(Deserialize)]
pub(crate) struct Shown {
    saved: Option<String>,
}

/// `GET /ui/settings`.
pub(crate) async fn show(signed: Signed, Query(shown): Query<Shown>) -> Html<String> {
    let page = form(&signed, &signed.zone_name, None, shown.saved.is_some());
    Html(page.into_string())
}

#[derive(Deserialize)]
pub(crate) struct Change {
    #[serde(default)]
    form_token: String,
    #[serde(default)]
    zone: String,
}

/// `POST /ui/settings`: a zone the time zone database knows is kept; another is shown back
/// with the reason beside the field (400) and changes nothing.
pub(crate) async fn save(
    signed: Signed,
    jar: CookieJar,
    Form(change): Form<Change>,
) -> Result<Response, UiError> {
    signed.check_form(&change.form_token)?;
    let zone = change.zone.trim();
    if jiff::tz::TimeZone::get(zone).is_err() {
        let error = format!("'{zone}' is not a time zone this server knows (say Europe/Paris).");
        let page = form(&signed, zone, Some(&error), false);
        return Ok((StatusCode::BAD_REQUEST, Html(page.into_string())).into_response());
    }
    let cookie = Cookie::build((ZONE_COOKIE, zone.to_owned()))
        .path(MOUNT)
        .http_only(true)
        .same_site(SameSite::Strict)
        .build();
    Ok((
        jar.add(cookie),
        Redirect::to(&format!("{MOUNT}/settings?saved=1")),
    )
        .into_response())
}
