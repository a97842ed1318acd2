//! Call labels: the company's list of labels calls may carry (the calls engine checks a call's
//! labels against it). Written whole, in the order given.

use serde_json::json;

use crate::ids::CompanyId;
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::Telephony;
use crate::{DomainError, Result};

/// Most labels a company has.
pub const MAX_CALL_LABELS: usize = 500;
/// Longest label.
const MAX_LABEL: usize = 64;

/// Checks a company's labels: each one line of 1 to 64 characters (trimmed), no repeats.
pub fn call_labels(raw: &[String]) -> Result<Vec<String>> {
    if raw.len() > MAX_CALL_LABELS {
        return Err(DomainError::invalid(format!(
            "a company has at most {MAX_CALL_LABELS} call labels"
        )));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for r in raw {
        let label = r.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL || label.contains(['\n', '\r']) {
            return Err(DomainError::invalid(format!(
                "a call label is one line of 1 to {MAX_LABEL} characters: '{r}'"
            )));
        }
        if out.iter().any(|l| l == label) {
            return Err(DomainError::invalid(format!(
                "call label '{label}' is given twice"
            )));
        }
        out.push(label.to_owned());
    }
    Ok(out)
}

impl Telephony<'_> {
    /// The company's call labels, at most `limit` of them.
    pub async fn call_labels(&self, company: CompanyId, limit: usize) -> Result<Vec<String>> {
        self.store.call_labels(company, limit).await
    }

    /// Checks that every one of `labels` is one of the company's call labels.
    pub async fn check_call_labels(&self, company: CompanyId, labels: &[String]) -> Result<()> {
        let known = self.call_labels(company, MAX_CALL_LABELS).await?;
        match labels.iter().find(|l| !known.contains(l)) {
            Some(l) => Err(DomainError::invalid(format!("unknown call label '{l}'"))),
            None => Ok(()),
        }
    }

    /// Replaces the company's call labels.
    pub async fn set_call_labels(&self, actor: &Actor, labels: &[String]) -> Result<Vec<String>> {
        let labels = call_labels(labels)?;
        self.store
            .company(actor.company)
            .await?
            .ok_or(DomainError::NotFound("company"))?;
        let mut tx = self.store.begin().await?;
        tx.set_call_labels(actor.company, &labels).await?;
        let change = Change::new(
            "call_labels_updated",
            "Company",
            actor.company,
            "Call labels updated",
        )
        .with(json!({"labels": labels}));
        changelog::record(tx.as_mut(), actor, change, self.clock.now()).await?;
        tx.commit().await?;
        Ok(labels)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_trimmed_single_lines_without_repeats() {
        let ok = super::call_labels(&[" sales ".into(), "support".into()]).unwrap();
        assert_eq!(ok, ["sales", "support"]);
        assert!(super::call_labels(&["a".into(), "a ".into()]).is_err());
        assert!(super::call_labels(&[String::new()]).is_err());
        assert!(super::call_labels(&["two\nlines".into()]).is_err());
    }
}
