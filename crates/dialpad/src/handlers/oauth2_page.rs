//! The consent page and the error page of `/oauth2/authorize`: small server-rendered HTML,
//! every value escaped, not framable, not cached.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use switchboard_domain::oauth::authorize::Authorization;

/// What each documented scope lets the app do, as the page says it.
fn scope_text(scope: &str) -> &'static str {
    match scope {
        "calls:list" => "list the company's calls",
        "change_log" => "receive change-log events",
        "conference:read" => "read your meetings",
        "conference:all" => "read everyone's meetings",
        "message_content_export" => "read the text of your messages",
        "message_content_export:all" => "read the text of every message in the company",
        "recordings_export" => "get links to call recordings",
        "screen_pop" => "open screen pops",
        _ => "an unknown permission",
    }
}

/// Text made safe for HTML content and attribute values.
pub(crate) fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;\
padding:0 1rem;color:#222}h1{font-size:1.4rem}.error{color:#b00020}label{display:block;\
margin:1rem 0 .3rem}input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}\
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}small{color:#666}";

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        escape(title)
    );
    let mut response = (status, page).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The page of an authorization that cannot go on (400).
pub(crate) fn error_page(message: &str) -> Response {
    html(
        StatusCode::BAD_REQUEST,
        "Authorization failed",
        &format!(
            "<h1>Authorization failed</h1><p class=\"error\">{}</p>\
             <p><small>Go back to the application and start again.</small></p>",
            escape(message)
        ),
    )
}

/// The consent form for a checked request, with the signed value that binds it; `error` says
/// why a previous answer was refused (then 401).
pub(crate) fn consent_page(auth: &Authorization, consent: &str, error: Option<&str>) -> Response {
    let app = escape(&auth.app_name);
    let mut abilities = String::from("<li>act as you on every API operation you may use</li>");
    for s in &auth.scopes {
        abilities.push_str(&format!("<li>{}</li>", escape(scope_text(s))));
    }
    let error = error
        .map(|e| format!("<p class=\"error\">{}</p>", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Authorize {app}</h1><p><strong>{app}</strong> asks to use Dialpad as you. \
         It will be able to:</p><ul>{abilities}</ul>{error}\
         <form method=\"post\" action=\"/oauth2/authorize\">\
         <input type=\"hidden\" name=\"consent\" value=\"{consent}\">\
         <label for=\"api_key\">Your Dialpad user API key</label>\
         <input id=\"api_key\" name=\"api_key\" type=\"password\" autocomplete=\"off\">\
         <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>\
         <p><small>You will then be sent back to {target}.</small></p>",
        consent = escape(consent),
        target = escape(&auth.redirect_uri),
    );
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    };
    html(status, &format!("Authorize {}", auth.app_name), &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
