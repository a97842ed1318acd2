//! A company's telephone numbers: its inventory (the reserved pool) and what each number rings.
//!
//! A number belongs to one company at a time. It is either in the company's pool (`available`)
//! or assigned to one target: a user, an office, a call center, a department, a room or a call
//! router. A target may have several numbers; the first is its primary (the one it shows and
//! the one a swap replaces). Numbers come into the inventory by import (`switchboard numbers
//! import`), one by one (`switchboard numbers add`), or from the telephony network when an
//! assignment asks for an area code the pool has nothing in (see [`super::driver`]).

use jiff::Timestamp;

use crate::ids::{CompanyId, OfficeId};
use crate::phone::E164;
use crate::{DomainError, Result};

/// What a number can be assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    User,
    Office,
    CallCenter,
    Department,
    Room,
    CallRouter,
}

impl TargetKind {
    pub const ALL: [Self; 6] = [
        Self::User,
        Self::Office,
        Self::CallCenter,
        Self::Department,
        Self::Room,
        Self::CallRouter,
    ];

    /// The stored name, which is also the number's status while assigned to this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Office => "office",
            Self::CallCenter => "call_center",
            Self::Department => "department",
            Self::Room => "room",
            Self::CallRouter => "call_router",
        }
    }

    /// The entity's name as the change log records it.
    pub fn entity(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Office => "Office",
            Self::CallCenter => "CallCenter",
            Self::Department => "Department",
            Self::Room => "Room",
            Self::CallRouter => "CallRouter",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::invalid(format!("unknown number target type '{s}'")))
    }
}

/// One target: its kind and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    pub kind: TargetKind,
    pub id: i64,
}

/// The kind of line a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Local,
    TollFree,
    Mobile,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::TollFree => "tollfree",
            Self::Mobile => "mobile",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "local" => Ok(Self::Local),
            "tollfree" => Ok(Self::TollFree),
            "mobile" => Ok(Self::Mobile),
            other => Err(DomainError::invalid(format!("unknown line type '{other}'"))),
        }
    }
}

/// A number of a company's inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneNumber {
    /// E.164, `+14155550100`.
    pub number: String,
    pub company_id: CompanyId,
    /// The office of its target, or the office it is reserved for while in the pool.
    pub office_id: Option<OfficeId>,
    pub area_code: Option<String>,
    pub line: LineKind,
    /// `None` while in the pool.
    pub target: Option<Target>,
    /// Whether it is its target's primary number.
    pub primary: bool,
    /// A fax line of its target: never primary, not among the target's phone numbers.
    pub fax: bool,
    /// When it was assigned to its target (orders a target's numbers after the primary).
    pub assigned_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl PhoneNumber {
    /// A number entering the company's pool at `now`.
    pub fn in_pool(
        number: String,
        company_id: CompanyId,
        office_id: Option<OfficeId>,
        area_code: Option<String>,
        line: LineKind,
        now: Timestamp,
    ) -> Self {
        Self {
            number,
            company_id,
            office_id,
            area_code,
            line,
            target: None,
            primary: false,
            fax: false,
            assigned_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// `available` in the pool, else the target kind's name.
    pub fn status(&self) -> &'static str {
        self.target.map_or("available", |t| t.kind.as_str())
    }
}

/// A number entering a company's inventory.
#[derive(Debug, Clone)]
pub struct NewNumber {
    /// Any written form; a local form needs `country`.
    pub number: String,
    pub country: Option<String>,
    /// The area code; derived from the number when it has one.
    pub area_code: Option<String>,
    pub office_id: Option<OfficeId>,
    /// Assign it at once.
    pub target: Option<Target>,
}

/// Which number an assignment takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// This number, which must be in the company's pool.
    Number(String),
    /// A pool number of this area code, else a new one from the network.
    AreaCode(String),
    /// Any pool number (of the target office's area code first), else a new one in the area
    /// code of the target office's numbers.
    Auto,
}

/// The parts of a number that the inventory keeps: E.164, its area code and line kind.
pub(crate) fn parse_number(
    raw: &str,
    country: Option<&str>,
    area_code: Option<&str>,
) -> Result<(String, Option<String>, LineKind)> {
    let e164 = E164::parse(raw, country)?;
    let parts = e164.parts();
    let area = match area_code.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => Some(check_area_code(a)?),
        None => parts.area_code.clone(),
    };
    let line = if is_toll_free(e164.as_str()) {
        LineKind::TollFree
    } else {
        LineKind::Local
    };
    Ok((e164.as_str().to_owned(), area, line))
}

/// Checks the numbers an update of a target keeps: each must be one of its `current` numbers,
/// at most once (a reorder or a removal; numbers are added by assignment).
pub fn kept_numbers(current: &[String], given: &[String]) -> Result<Vec<String>> {
    let mut kept: Vec<String> = Vec::new();
    for n in given {
        if !current.contains(n) {
            return Err(DomainError::invalid(format!(
                "phone_numbers: {n} is not one of its numbers (assign it first)"
            )));
        }
        if kept.contains(n) {
            return Err(DomainError::invalid(format!(
                "phone_numbers: {n} is given twice"
            )));
        }
        kept.push(n.clone());
    }
    Ok(kept)
}

/// An area code: 2 to 5 digits.
pub fn check_area_code(raw: &str) -> Result<String> {
    let a = raw.trim();
    if (2..=5).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_digit()) {
        Ok(a.to_owned())
    } else {
        Err(DomainError::invalid(format!(
            "'{raw}' is not an area code (2 to 5 digits)"
        )))
    }
}

/// North American toll-free prefixes.
fn is_toll_free(e164: &str) -> bool {
    [
        "+1800", "+1833", "+1844", "+1855", "+1866", "+1877", "+1888",
    ]
    .iter()
    .any(|p| e164.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalised_with_their_area_code() {
        let (n, area, line) = parse_number("(415) 555-0100", Some("us"), None).unwrap();
        assert_eq!(n, "+14155550100");
        assert_eq!(area.as_deref(), Some("415"));
        assert_eq!(line, LineKind::Local);
        let (_, area, _) = parse_number("+14155550100", None, Some("628")).unwrap();
        assert_eq!(area.as_deref(), Some("628"));
        let (_, _, line) = parse_number("+18005550100", None, None).unwrap();
        assert_eq!(line, LineKind::TollFree);
        assert!(parse_number("4155550100", None, None).is_err());
        assert!(parse_number("+1415", None, None).is_err());
        assert!(parse_number("+14155550100", None, Some("4a5")).is_err());
    }

    #[test]
    fn kept_numbers_are_a_reorder_or_removal() {
        let current = vec!["+14155550100".to_owned(), "+14155550101".to_owned()];
        let swapped = vec![current[1].clone(), current[0].clone()];
        assert_eq!(kept_numbers(&current, &swapped).unwrap(), swapped);
        assert!(kept_numbers(&current, &[]).unwrap().is_empty());
        assert!(kept_numbers(&[], &["+14155550100".into()]).is_err());
        assert!(kept_numbers(&current, &[current[0].clone(), current[0].clone()]).is_err());
    }

    #[test]
    fn target_kinds_read_back() {
        for k in TargetKind::ALL {
            assert_eq!(TargetKind::parse(k.as_str()).unwrap(), k);
        }
        assert!(TargetKind::parse("channel").is_err());
    }
}
