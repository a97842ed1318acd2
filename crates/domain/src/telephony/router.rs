//! Call routers: an inbound call to one of a router's numbers is routed by asking the customer's
//! `routing_url` where it should go; the request is signed with the router's secret when it has
//! one. A disabled router (or one whose URL fails) sends calls straight to its default target,
//! which is one of the company's users, offices, call centers, departments or other routers.
//!
//! The secret is sealed with the server's cipher and kept with the other secrets (so master-key
//! rotation re-encrypts it); a router only records whether it has one.

use std::net::IpAddr;

use jiff::Timestamp;

use crate::ids::{CallRouterId, CompanyId, OfficeId};
use crate::{DomainError, Result};

/// What a router's default target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    User,
    Office,
    CallCenter,
    Department,
    CallRouter,
}

impl TargetKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::User,
        Self::Office,
        Self::CallCenter,
        Self::Department,
        Self::CallRouter,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Office => "office",
            Self::CallCenter => "call_center",
            Self::Department => "department",
            Self::CallRouter => "call_router",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::invalid(format!("unknown target kind '{s}'")))
    }
}

/// Where a router sends calls it cannot route otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouterTarget {
    pub kind: TargetKind,
    pub id: i64,
}

/// A call router.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRouter {
    pub id: CallRouterId,
    pub company_id: CompanyId,
    pub office_id: OfficeId,
    pub name: String,
    /// `https://…` (or `http://` to a loopback host, for local tests).
    pub routing_url: String,
    pub default_target: RouterTarget,
    /// Off: calls go straight to the default target.
    pub enabled: bool,
    /// Whether a secret signs the routing requests (the secret itself is stored sealed).
    pub signed: bool,
    /// Routing errors counted towards automatic disablement (kept by the calls engine).
    pub error_count: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A router's signing secret: one line of 32 to 256 characters. Never shown in debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct RouterSecret(String);

impl RouterSecret {
    /// Checks a secret given by the customer.
    pub fn parse(raw: &str) -> Result<Self> {
        let n = raw.chars().count();
        if !(32..=256).contains(&n) || raw.contains(['\n', '\r']) {
            return Err(DomainError::invalid(
                "secret must be one line of 32 to 256 characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RouterSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RouterSecret(<redacted>)")
    }
}

/// A router to create.
#[derive(Debug, Clone)]
pub struct NewCallRouter {
    pub office_id: OfficeId,
    pub name: String,
    pub routing_url: String,
    pub default_target: RouterTarget,
    pub enabled: bool,
    pub secret: Option<RouterSecret>,
}

/// What an update changes; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct CallRouterUpdate {
    pub office_id: Option<OfficeId>,
    pub name: Option<String>,
    pub routing_url: Option<String>,
    pub default_target: Option<RouterTarget>,
    pub enabled: Option<bool>,
    /// `Some(None)` removes the secret: routing requests go unsigned.
    pub secret: Option<Option<RouterSecret>>,
    pub reset_error_count: bool,
}

/// Checks a router name: 1 to 100 characters on one line.
pub fn router_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.contains(['\n', '\r']) {
        return Err(DomainError::invalid(
            "name must be one line of 1 to 100 characters",
        ));
    }
    Ok(name.to_owned())
}

/// Checks a routing URL: absolute `https`, or `http` to a loopback host (`localhost`,
/// `127.0.0.0/8`, `::1`) for local development and tests. No credentials in it; at most 2048
/// characters.
pub fn routing_url(raw: &str) -> Result<String> {
    let bad = |why: &str| DomainError::invalid(format!("routing_url {why}"));
    if raw.len() > 2048 {
        return Err(bad("must be at most 2048 characters"));
    }
    let url = url::Url::parse(raw.trim()).map_err(|_| bad("must be an absolute URL"))?;
    let Some(host) = url.host_str() else {
        return Err(bad("must name a host"));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry credentials"));
    }
    match url.scheme() {
        "https" => Ok(url.to_string()),
        "http" if is_loopback(host) => Ok(url.to_string()),
        "http" => Err(bad("must use https (http only to a loopback host)")),
        _ => Err(bad("must be an https URL")),
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_urls_are_https_or_loopback_http() {
        assert_eq!(
            routing_url("https://example.com/route").unwrap(),
            "https://example.com/route"
        );
        assert!(routing_url("http://127.0.0.1:8080/r").is_ok());
        assert!(routing_url("http://localhost/r").is_ok());
        assert!(routing_url("http://[::1]:9000/r").is_ok());
        for bad in [
            "http://example.com/r",
            "http://10.0.0.1/r",
            "ftp://example.com/r",
            "example.com/r",
            "https://user:pw@example.com/r",
            "",
        ] {
            assert!(routing_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_long_single_lines_and_never_printed() {
        assert!(RouterSecret::parse(&"s".repeat(31)).is_err());
        assert!(RouterSecret::parse(&format!("{}\n", "s".repeat(40))).is_err());
        let s = RouterSecret::parse(&"s".repeat(32)).unwrap();
        assert!(!format!("{s:?}").contains("sss"));
    }

    #[test]
    fn names_are_one_line() {
        assert_eq!(router_name("  Main ").unwrap(), "Main");
        assert!(router_name("").is_err());
        assert!(router_name("a\nb").is_err());
        assert!(router_name(&"n".repeat(101)).is_err());
    }
}
