//! Address-book contacts: a company's shared contacts and each user's local ones, with names,
//! E.164 phone numbers and checked email addresses. A contact may carry a `uid` the client
//! chose, unique among the company's contacts, so that writing the same uid twice updates one
//! contact instead of making two.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{CompanyId, ContactId, UserId};
use crate::phone::E164;
use crate::tenancy::account::Email;
use crate::{DomainError, Result};

/// Longest name, company name or job title.
const MAX_TEXT: usize = 100;
/// Most emails, phones or URLs on one contact.
const MAX_ITEMS: usize = 20;
/// Longest URL.
const MAX_URL: usize = 2048;
/// Longest client-chosen uid.
const MAX_UID: usize = 100;

/// A contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub id: ContactId,
    pub company_id: CompanyId,
    /// The user whose local contact this is; `None` for a shared contact of the company.
    pub owner: Option<UserId>,
    /// The client's unique id (shared contacts written by uid).
    pub uid: Option<String>,
    pub fields: ContactFields,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Contact {
    /// First and last name, as one line.
    pub fn display_name(&self) -> String {
        let f = &self.fields;
        format!("{} {}", f.first_name, f.last_name)
            .trim()
            .to_owned()
    }
}

/// What a contact says, checked: single-line texts, valid emails (lower-cased) and phone
/// numbers in E.164 (the first of each is the primary one), without repeats.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactFields {
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub extension: Option<String>,
    pub trunk_group: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub urls: Vec<String>,
}

/// A contact's fields as given, before they are checked.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub extension: Option<String>,
    pub trunk_group: Option<String>,
    pub emails: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub urls: Option<Vec<String>>,
}

/// Which contacts a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactScope {
    /// The company's shared contacts.
    Shared,
    /// Shared contacts and every user's local ones.
    All,
    /// One user's local contacts.
    LocalOf(UserId),
}

fn line(name: &str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.chars().count() > max || v.contains(['\n', '\r']) {
        return Err(DomainError::invalid(format!(
            "{name} must be one line of at most {max} characters"
        )));
    }
    Ok(v.to_owned())
}

/// An optional single line; empty clears it.
fn optional(name: &str, v: Option<String>, max: usize) -> Result<Option<String>> {
    v.map(|v| line(name, &v, max))
        .transpose()
        .map(|v| v.filter(|s| !s.is_empty()))
}

fn list(name: &str, items: &[String]) -> Result<()> {
    if items.len() > MAX_ITEMS {
        return Err(DomainError::invalid(format!(
            "{name} holds at most {MAX_ITEMS} entries"
        )));
    }
    Ok(())
}

fn push_new(into: &mut Vec<String>, v: String) {
    if !into.contains(&v) {
        into.push(v);
    }
}

/// A client-chosen uid: one line of 1 to 100 characters.
pub fn check_uid(uid: &str) -> Result<String> {
    let uid = line("uid", uid, MAX_UID)?;
    if uid.is_empty() {
        return Err(DomainError::invalid("uid must not be empty"));
    }
    Ok(uid)
}

impl ContactFields {
    /// Applies `input` over these fields: what it gives replaces, the rest stays. Every value
    /// is checked; phone numbers must be E.164 (`+` and the country code).
    pub fn apply(mut self, input: ContactInput) -> Result<Self> {
        if let Some(v) = input.first_name {
            self.first_name = line("first_name", &v, MAX_TEXT)?;
        }
        if let Some(v) = input.last_name {
            self.last_name = line("last_name", &v, MAX_TEXT)?;
        }
        if input.company_name.is_some() {
            self.company_name = optional("company_name", input.company_name, MAX_TEXT)?;
        }
        if input.job_title.is_some() {
            self.job_title = optional("job_title", input.job_title, MAX_TEXT)?;
        }
        if let Some(v) = input.extension {
            let v = line("extension", &v, 20)?;
            if !v.chars().all(|c| c.is_ascii_digit()) {
                return Err(DomainError::invalid("extension must be digits"));
            }
            self.extension = Some(v).filter(|s| !s.is_empty());
        }
        if input.trunk_group.is_some() {
            self.trunk_group = optional("trunk_group", input.trunk_group, MAX_TEXT)?;
        }
        if let Some(emails) = input.emails {
            list("emails", &emails)?;
            self.emails = Vec::new();
            for e in emails {
                push_new(&mut self.emails, Email::parse(&e)?.as_str().to_owned());
            }
        }
        if let Some(phones) = input.phones {
            list("phones", &phones)?;
            self.phones = Vec::new();
            for p in phones {
                if !p.trim().starts_with('+') {
                    return Err(DomainError::invalid(format!(
                        "'{p}' is not an E.164 number (+ and the country code)"
                    )));
                }
                push_new(&mut self.phones, E164::parse(&p, None)?.as_str().to_owned());
            }
        }
        if let Some(urls) = input.urls {
            list("urls", &urls)?;
            self.urls = Vec::new();
            for u in urls {
                let u = line("urls", &u, MAX_URL)?;
                if u.is_empty() || u.contains(char::is_whitespace) {
                    return Err(DomainError::invalid(
                        "urls must be non-empty and without spaces",
                    ));
                }
                push_new(&mut self.urls, u);
            }
        }
        if self.first_name.is_empty() && self.last_name.is_empty() {
            return Err(DomainError::invalid(
                "a contact needs a first_name or a last_name",
            ));
        }
        Ok(self)
    }

    /// New fields from `input`, which must give both names.
    pub fn new(input: ContactInput) -> Result<Self> {
        if input.first_name.is_none() {
            return Err(DomainError::invalid("first_name is required"));
        }
        if input.last_name.is_none() {
            return Err(DomainError::invalid("last_name is required"));
        }
        Self::default().apply(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ContactInput {
        ContactInput {
            first_name: Some(" Ann ".into()),
            last_name: Some("Lee".into()),
            ..Default::default()
        }
    }

    #[test]
    fn numbers_and_emails_are_normalised_without_repeats() {
        let f = ContactFields::new(ContactInput {
            emails: Some(vec!["Ann@Example.com".into(), "ann@example.com".into()]),
            phones: Some(vec!["+1 (415) 555-2671".into(), "+14155552671".into()]),
            ..input()
        })
        .unwrap();
        assert_eq!(f.first_name, "Ann");
        assert_eq!(f.emails, ["ann@example.com"]);
        assert_eq!(f.phones, ["+14155552671"]);
    }

    #[test]
    fn bad_fields_are_refused() {
        for bad in [
            ContactInput {
                phones: Some(vec!["4155552671".into()]),
                ..input()
            },
            ContactInput {
                emails: Some(vec!["not-an-email".into()]),
                ..input()
            },
            ContactInput {
                first_name: Some("two\nlines".into()),
                ..input()
            },
            ContactInput {
                first_name: Some(String::new()),
                last_name: Some(String::new()),
                ..Default::default()
            },
            ContactInput {
                last_name: None,
                ..input()
            },
        ] {
            assert!(ContactFields::new(bad).is_err());
        }
    }
}
