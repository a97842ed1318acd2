//! Endpoints: the places a company's subscribed events go. A webhook is an HTTP URL the
//! delivery worker POSTs to; a websocket is a channel clients connect to and read. Either may
//! have a secret: then each event goes as a compact JWT signed with it (HS256), otherwise as
//! plain JSON.
//!
//! The secret is write-only: it is sealed with the other secrets (owner `endpoint:<id>`, in the
//! Standard Webhooks `whsec_` form of its bytes, so that the same secret also keys the
//! `webhook-signature` header) and never answered.

use std::net::{IpAddr, Ipv4Addr};

use jiff::Timestamp;

use crate::ids::{CompanyId, EndpointId};
use crate::{DomainError, Result};

/// Longest hook URL.
pub const MAX_URL_LEN: usize = 2048;
/// Longest secret.
pub const MAX_SECRET_LEN: usize = 512;
/// Endpoints of one kind a company may have.
pub const MAX_ENDPOINTS: u64 = 100;

/// What kind of endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointKind {
    Webhook,
    Websocket,
}

impl EndpointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Websocket => "websocket",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "webhook" => Some(Self::Webhook),
            "websocket" => Some(Self::Websocket),
            _ => None,
        }
    }
}

/// A webhook or websocket of a company.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub id: EndpointId,
    pub company_id: CompanyId,
    pub kind: EndpointKind,
    /// The webhook's URL (`None` for a websocket).
    pub hook_url: Option<String>,
    /// Whether events go signed as JWTs.
    pub has_secret: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The signing-secret owner of an endpoint (see the module doc).
pub fn endpoint_signing_owner(id: EndpointId) -> String {
    format!("endpoint:{id}")
}

/// The signing-secret owner of a company's endpoints that have no secret of their own: their
/// deliveries still carry a `webhook-signature`, keyed with the company's secret.
pub fn company_signing_owner(company: CompanyId) -> String {
    format!("company:{company}")
}

/// Checks a hook URL: absolute `http` or `https`, with a host, no credentials, no fragment,
/// at most [`MAX_URL_LEN`] long. Whether its address may be private is the caller's check
/// (see [`is_private_host`]).
pub fn check_hook_url(raw: &str) -> Result<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(DomainError::invalid("hook_url is required"));
    }
    if raw.len() > MAX_URL_LEN {
        return Err(DomainError::invalid(format!(
            "hook_url is longer than {MAX_URL_LEN} characters"
        )));
    }
    let (scheme, rest) = raw
        .split_once("://")
        .ok_or_else(|| DomainError::invalid("hook_url must be an absolute http(s) URL"))?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(DomainError::invalid("hook_url must use http or https"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(DomainError::invalid("hook_url has no host"));
    }
    if authority.contains('@') {
        return Err(DomainError::invalid("hook_url must not carry credentials"));
    }
    if raw.contains('#') {
        return Err(DomainError::invalid("hook_url must not have a fragment"));
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(DomainError::invalid("hook_url must not contain spaces"));
    }
    Ok(raw.to_owned())
}

/// The host of a URL checked by [`check_hook_url`], without brackets or port.
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

/// Whether `ip` is on the public internet (not loopback, private, link-local, shared,
/// unspecified, multicast or documentation space).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            let v4_at = |hi: u16, lo: u16| {
                IpAddr::V4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)))
            };
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            // NAT64 well-known prefix 64:ff9b::/96: the IPv4 address is the last 32 bits.
            if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return is_public(v4_at(seg[6], seg[7]));
            }
            // NAT64 local-use prefix 64:ff9b:1::/48 (RFC 8215): never globally reachable.
            if seg[..3] == [0x64, 0xff9b, 1] {
                return false;
            }
            // 6to4 2002::/16: the IPv4 address is the next 32 bits.
            if seg[0] == 0x2002 {
                return is_public(v4_at(seg[1], seg[2]));
            }
            // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks).
            if seg[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() {
                return is_public(v4_at(seg[6], seg[7]));
            }
            let first = seg[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// Whether `host` names this machine or a private network by itself (a literal address that
/// [`is_public`] refuses, `localhost`, or a `.local`/`.internal` name). Names that resolve
/// inside are caught again when a delivery is sent.
pub fn is_private_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
    {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(|ip| !is_public(ip))
}

/// Checks a secret: one line, at most [`MAX_SECRET_LEN`] long. An empty one means none.
pub fn check_secret(raw: &str) -> Result<Option<String>> {
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.len() > MAX_SECRET_LEN {
        return Err(DomainError::invalid(format!(
            "secret is longer than {MAX_SECRET_LEN} characters"
        )));
    }
    if raw.contains(['\n', '\r']) {
        return Err(DomainError::invalid("secret must be a single line"));
    }
    Ok(Some(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_urls_are_http_with_a_host() {
        assert!(check_hook_url("https://example.com/hook").is_ok());
        assert!(check_hook_url("http://example.com:8080").is_ok());
        for bad in [
            "",
            "ftp://example.com",
            "example.com/hook",
            "https:///path",
            "https://user:pw@example.com/",
            "https://example.com/#frag",
            "https://exa mple.com/",
        ] {
            assert!(check_hook_url(bad).is_err(), "{bad}");
        }
        assert!(check_hook_url(&format!("https://e.com/{}", "a".repeat(MAX_URL_LEN))).is_err());
    }

    #[test]
    fn private_hosts_are_recognised() {
        for host in [
            "localhost",
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "box.internal",
        ] {
            assert!(is_private_host(host), "{host}");
        }
        for host in ["example.com", "8.8.8.8", "2001:4860::1"] {
            assert!(!is_private_host(host), "{host}");
        }
        assert_eq!(url_host("https://[::1]:8080/x"), "::1");
        assert_eq!(url_host("http://127.0.0.1:9/x?y"), "127.0.0.1");
    }

    #[test]
    fn secrets_are_single_lines() {
        assert_eq!(check_secret("").unwrap(), None);
        assert_eq!(check_secret("s3cret").unwrap().as_deref(), Some("s3cret"));
        assert!(check_secret("a\nb").is_err());
        assert!(check_secret(&"x".repeat(MAX_SECRET_LEN + 1)).is_err());
    }
}
