//! How ids render: the decimal identity with the vendor's suffix, `PA` for partners and `CL` for
//! clients. The bare decimal is accepted too; anything else is simply not found.

use switchboard_domain::ids::{CompanyId, Id, PartnerId};

/// `1234567890123456PA`.
pub fn partner(id: PartnerId) -> String {
    format!("{id}PA")
}

/// `1234567890123456CL`.
pub fn client(id: CompanyId) -> String {
    format!("{id}CL")
}

fn parse<T: Id>(raw: &str, suffix: &str) -> Option<T> {
    let raw = raw.trim();
    let digits = raw
        .strip_suffix(suffix)
        .or_else(|| raw.strip_suffix(&suffix.to_lowercase()))
        .unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    T::parse_str(digits)
}

/// Reads a partner id (`…PA` or bare).
pub fn parse_partner(raw: &str) -> Option<PartnerId> {
    parse(raw, "PA")
}

/// Reads a client id (`…CL` or bare).
pub fn parse_client(raw: &str) -> Option<CompanyId> {
    parse(raw, "CL")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_with_or_without_suffix() {
        let p = PartnerId(1_234_567_890_123_456);
        assert_eq!(parse_partner(&partner(p)), Some(p));
        assert_eq!(parse_partner("1234567890123456"), Some(p));
        assert_eq!(parse_partner("1234567890123456CL"), None);
        assert_eq!(parse_client("12CL"), Some(CompanyId(12)));
        assert_eq!(parse_client("CL"), None);
        assert_eq!(parse_client("-1"), None);
    }
}
