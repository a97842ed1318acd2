//! ETags and `If-Match`, shared by every resource with a revision number.

use axum::extract::FromRequestParts;
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use switchboard_domain::ai_agents::agent::Precondition;

/// The strong ETag of revision `n`: `"n"`.
pub fn etag(revision: i64) -> String {
    format!("\"{revision}\"")
}

/// Adds the ETag of `revision` to response headers.
pub fn set_etag(headers: &mut HeaderMap, revision: i64) {
    if let Ok(v) = HeaderValue::from_str(&etag(revision)) {
        headers.insert(ETAG, v);
    }
}

/// Reads `If-Match`: `*` or absent matches anything; a list of our ETags matches those
/// revisions; tags this server never issued match nothing.
pub fn parse_if_match(headers: &HeaderMap) -> Precondition {
    let values: Vec<&str> = headers
        .get_all(IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() {
        return Precondition::None;
    }
    let mut revisions = Vec::new();
    for tag in values.iter().flat_map(|v| v.split(',')).map(str::trim) {
        if tag == "*" {
            return Precondition::None;
        }
        let bare = tag.trim_start_matches("W/").trim_matches('"');
        if let Ok(n) = bare.parse::<i64>() {
            revisions.push(n);
        }
    }
    Precondition::Revisions(revisions)
}

/// Extractor form of [`parse_if_match`].
pub struct IfMatch(pub Precondition);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parse_if_match(&parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(IF_MATCH, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn if_match_forms() {
        assert_eq!(parse_if_match(&HeaderMap::new()), Precondition::None);
        assert_eq!(parse_if_match(&with("*")), Precondition::None);
        assert_eq!(
            parse_if_match(&with("\"3\", W/\"4\"")),
            Precondition::Revisions(vec![3, 4])
        );
        assert_eq!(
            parse_if_match(&with("\"abc\"")),
            Precondition::Revisions(vec![])
        );
    }
}
