//! SIP trunks: a carrier's way into a company's numbers. A trunk names the addresses its
//! carrier sends calls from, and/or a digest username and password the carrier answers a
//! challenge with; with both, a call must meet both. Its password is sealed in the store's
//! secrets, under [`crate::secret::SecretPurpose::SipTrunkPassword`] and the trunk's id.

use std::net::IpAddr;

use ipnet::IpNet;
use jiff::Timestamp;

use crate::ids::{CompanyId, TrunkId};
use crate::{DomainError, Result};

/// The most trunks a company keeps: admission reads them all for each call.
pub const MAX_TRUNKS_PER_COMPANY: i64 = 20;
/// The most address ranges one trunk names.
pub const MAX_ALLOWED_RANGES: usize = 32;

/// A company's SIP trunk.
#[derive(Debug, Clone, PartialEq)]
pub struct SipTrunk {
    pub id: TrunkId,
    pub company_id: CompanyId,
    pub name: String,
    /// The address ranges calls may come from; empty: any (digest only).
    pub allow: Vec<IpNet>,
    /// The digest username a call must authenticate with; `None`: addresses only.
    pub username: Option<String>,
    /// Where outbound calls of the company go (`sip:…`).
    pub outbound_uri: Option<String>,
    pub created_at: Timestamp,
}

impl SipTrunk {
    /// Whether a call from `source` passes the trunk's address check.
    pub fn allows(&self, source: IpAddr) -> bool {
        let source = match source {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(source, IpAddr::V4),
            v4 => v4,
        };
        self.allow.is_empty() || self.allow.iter().any(|net| net.contains(&source))
    }
}

/// What a new trunk is given.
#[derive(Debug, Clone, Default)]
pub struct NewTrunk {
    pub name: String,
    /// Address ranges (`203.0.113.0/24`) or single addresses.
    pub allow: Vec<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub outbound_uri: Option<String>,
}

/// A new trunk, checked: its address ranges parsed; the password apart.
pub(crate) fn check(company: CompanyId, new: NewTrunk, now: Timestamp) -> Result<SipTrunk> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DomainError::invalid(
            "a trunk's name must be 1 to 100 characters",
        ));
    }
    if new.allow.len() > MAX_ALLOWED_RANGES {
        return Err(DomainError::invalid(format!(
            "a trunk names at most {MAX_ALLOWED_RANGES} address ranges"
        )));
    }
    let allow = new
        .allow
        .iter()
        .map(|raw| parse_range(raw))
        .collect::<Result<Vec<_>>>()?;
    match (&new.username, &new.password) {
        (Some(_), None) | (None, Some(_)) => {
            return Err(DomainError::invalid(
                "a trunk's username and password go together",
            ))
        }
        (Some(user), Some(password)) => {
            if user.is_empty()
                || user.len() > 64
                || !user
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c))
            {
                return Err(DomainError::invalid(
                    "a trunk's username is 1 to 64 letters, digits, '-', '_', '.' or '+'",
                ));
            }
            if password.len() < 8 || password.len() > 128 {
                return Err(DomainError::invalid(
                    "a trunk's password must be 8 to 128 characters",
                ));
            }
        }
        (None, None) if allow.is_empty() => {
            return Err(DomainError::invalid(
                "a trunk needs address ranges (--allow), a username and password, or both",
            ))
        }
        (None, None) => {}
    }
    if let Some(uri) = &new.outbound_uri {
        let lower = uri.to_ascii_lowercase();
        if !(lower.starts_with("sip:") || lower.starts_with("sips:"))
            || uri.len() > 255
            || uri.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(DomainError::invalid(format!(
                "outbound URI '{uri}' is not a sip: or sips: URI"
            )));
        }
    }
    Ok(SipTrunk {
        id: <TrunkId as crate::ids::Id>::generate(),
        company_id: company,
        name,
        allow,
        username: new.username,
        outbound_uri: new.outbound_uri,
        created_at: now,
    })
}

/// `203.0.113.0/24`, or one address (`203.0.113.7`, `::1`).
fn parse_range(raw: &str) -> Result<IpNet> {
    let raw = raw.trim();
    raw.parse::<IpNet>()
        .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| DomainError::invalid(format!("'{raw}' is not an address or range (CIDR)")))
}

/// Whether a call to one of the company's numbers may come in, and how.
#[derive(Debug)]
pub enum Admission {
    /// No company holds the number.
    UnknownNumber,
    /// No trunk of the number's company takes calls from this address.
    Refused,
    /// A trunk takes the call on its address alone.
    Admitted { company: CompanyId, trunk: SipTrunk },
    /// Trunks that take the call once it authenticates, each with its username and password.
    Challenge {
        company: CompanyId,
        trunks: Vec<(SipTrunk, String)>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trunk(allow: &[&str], user: Option<&str>) -> Result<SipTrunk> {
        check(
            CompanyId(1),
            NewTrunk {
                name: "Carrier".into(),
                allow: allow.iter().map(|s| s.to_string()).collect(),
                username: user.map(str::to_owned),
                password: user.map(|_| "long enough".to_owned()),
                outbound_uri: None,
            },
            Timestamp::UNIX_EPOCH,
        )
    }

    #[test]
    fn ranges_and_single_addresses_admit_what_they_name() {
        let t = trunk(&["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"], None).unwrap();
        assert!(t.allows("203.0.113.200".parse().unwrap()));
        assert!(t.allows("198.51.100.7".parse().unwrap()));
        assert!(!t.allows("198.51.100.8".parse().unwrap()));
        assert!(t.allows("2001:db8::1".parse().unwrap()));
        // An IPv4 address as an IPv6 socket sees it.
        assert!(t.allows("::ffff:203.0.113.9".parse().unwrap()));
        assert!(!t.allows("192.0.2.1".parse().unwrap()));
        // Host bits are dropped: the range is the network.
        let t = trunk(&["10.1.2.3/8"], None).unwrap();
        assert_eq!(t.allow[0].to_string(), "10.0.0.0/8");
    }

    #[test]
    fn a_digest_only_trunk_admits_any_address() {
        let t = trunk(&[], Some("carrier")).unwrap();
        assert!(t.allows("192.0.2.1".parse().unwrap()));
    }

    #[test]
    fn bad_trunks_are_refused() {
        assert!(trunk(&[], None).is_err(), "neither ranges nor credentials");
        assert!(trunk(&["300.1.1.1"], None).is_err());
        assert!(trunk(&["10.0.0.0/33"], None).is_err());
        assert!(trunk(&["10.0.0.1"], Some("bad user")).is_err());
        let lone_user = check(
            CompanyId(1),
            NewTrunk {
                name: "x".into(),
                username: Some("carrier".into()),
                ..Default::default()
            },
            Timestamp::UNIX_EPOCH,
        );
        assert!(lone_user.is_err());
        let bad_uri = check(
            CompanyId(1),
            NewTrunk {
                name: "x".into(),
                allow: vec!["10.0.0.1".into()],
                outbound_uri: Some("http://carrier".into()),
                ..Default::default()
            },
            Timestamp::UNIX_EPOCH,
        );
        assert!(bad_uri.is_err());
    }
}
