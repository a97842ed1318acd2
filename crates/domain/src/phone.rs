//! Telephone numbers: parsing any written form into E.164 and formatting it back, with Google's
//! libphonenumber rules (through the `rlibphonenumber` crate, wrapped here so that it can be
//! swapped). A local number needs its country; a number that starts with `+` carries its own,
//! and a country given beside it never changes its digits.

use rlibphonenumber::{enums::Region, PhoneNumber, PhoneNumberFormat};

use crate::{DomainError, Result};

/// A valid number in E.164 form (`+14155550100`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164(String);

/// A number's parts, as a phone system shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberParts {
    pub e164: E164,
    /// ISO 3166-1 alpha-2 of the number's region (`US`), when it has one.
    pub region: Option<String>,
    /// The geographic area code (`415`), when the number has one.
    pub area_code: Option<String>,
    /// The national form (`(415) 555-0100`).
    pub national: String,
}

fn parse(raw: &str, country: Option<&str>) -> Result<PhoneNumber> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 64 {
        return Err(DomainError::invalid("a phone number is required"));
    }
    let region = match country.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(
            Region::from_code(&c.to_ascii_uppercase())
                .map_err(|_| DomainError::invalid(format!("unknown country code '{c}'")))?,
        ),
        None => None,
    };
    if region.is_none() && !raw.starts_with('+') {
        return Err(DomainError::invalid(
            "a local number needs its country code (ISO 3166-1 alpha-2)",
        ));
    }
    let number = PhoneNumber::parse(raw, region)
        .map_err(|_| DomainError::invalid(format!("'{raw}' is not a phone number")))?;
    if !number.is_valid() {
        return Err(DomainError::invalid(format!(
            "'{raw}' is not a valid phone number"
        )));
    }
    Ok(number)
}

impl E164 {
    /// Any written form of a valid number; `country` is needed for a local form.
    pub fn parse(raw: &str, country: Option<&str>) -> Result<Self> {
        Ok(Self(
            parse(raw, country)?
                .format_as(PhoneNumberFormat::E164)
                .into_owned(),
        ))
    }

    /// The E.164 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number's parts.
    pub fn parts(&self) -> NumberParts {
        parts(&parse(&self.0, None).expect("an E164 value parses"))
    }
}

fn parts(number: &PhoneNumber) -> NumberParts {
    let national_digits = number.get_national_significant_number();
    let area_len = number.get_length_of_geographical_area_code();
    NumberParts {
        e164: E164(number.format_as(PhoneNumberFormat::E164).into_owned()),
        region: number
            .get_region_code()
            .map(|r| r.as_region_str().as_str().to_owned()),
        area_code: (area_len > 0 && area_len <= national_digits.len())
            .then(|| national_digits[..area_len].to_owned()),
        national: number.format_as(PhoneNumberFormat::National).into_owned(),
    }
}

/// Formats any written form of a valid number.
pub fn format(raw: &str, country: Option<&str>) -> Result<NumberParts> {
    Ok(parts(&parse(raw, country)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_and_international_forms() {
        let p = format("(415) 555-2671", Some("us")).unwrap();
        assert_eq!(p.e164.as_str(), "+14155552671");
        assert_eq!(p.region.as_deref(), Some("US"));
        assert_eq!(p.area_code.as_deref(), Some("415"));
        assert_eq!(p.national, "(415) 555-2671");
        let gb = format("+44 20 7183 8750", None).unwrap();
        assert_eq!(gb.e164.as_str(), "+442071838750");
        assert_eq!(gb.region.as_deref(), Some("GB"));
        // A country beside an international number never changes its digits.
        assert_eq!(
            E164::parse("+442071838750", Some("US")).unwrap().as_str(),
            "+442071838750"
        );
    }

    #[test]
    fn what_is_not_a_number() {
        for (raw, country) in [
            ("", Some("US")),
            ("hello", Some("US")),
            ("4155552671", None),
            ("+1 415", None),
            ("4155552671", Some("XX")),
            ("+999 123", None),
        ] {
            assert!(format(raw, country).is_err(), "{raw} {country:?}");
        }
    }
}
