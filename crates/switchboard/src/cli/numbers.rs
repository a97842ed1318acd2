//! `switchboard numbers …`: filling a company's number inventory.
//!
//! `import FILE` reads one number per line, `number[,area_code[,target]]` (a first line
//! starting with `number` is a header; blank lines and `#` comments are skipped). `target` is
//! `user:ID`, `office:ID`, `callcenter:ID` or `department:ID`. Lines go to the database a
//! thousand at a time, each batch in one transaction, so a file of millions of numbers streams
//! through in constant memory. On a terminal a progress bar follows the file and a summary is
//! printed for people; piped, the summary is one JSON object.

use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, Id, OfficeId};
use switchboard_domain::telephony::changelog::Actor;
use switchboard_domain::telephony::number::{NewNumber, Target, TargetKind};
use switchboard_domain::telephony::ImportOutcome;
use switchboard_domain::Core;

/// Lines per transaction.
const BATCH: usize = 1000;
/// Refused lines listed in the summary (all are counted).
const LISTED_ERRORS: usize = 100;

#[derive(Debug, Subcommand)]
pub(crate) enum NumbersCmd {
    /// Add the numbers of a CSV file (`number[,area_code[,target]]` per line) to a company's
    /// pool, each assigned to its target when the line names one.
    Import {
        /// The CSV file (`-` for standard input).
        file: PathBuf,
        #[arg(long)]
        company: String,
        /// Country of numbers written in local form (ISO 3166-1 alpha-2, such as US).
        #[arg(long)]
        country: Option<String>,
    },
    /// Add one number to a company's pool (or assign it at once with --target).
    Add {
        number: String,
        #[arg(long)]
        company: String,
        #[arg(long)]
        area_code: Option<String>,
        /// The office it is reserved for.
        #[arg(long)]
        office: Option<String>,
        /// `user:ID`, `office:ID`, `callcenter:ID` or `department:ID`.
        #[arg(long)]
        target: Option<String>,
        #[arg(long)]
        country: Option<String>,
    },
}

fn company(raw: &str) -> anyhow::Result<CompanyId> {
    CompanyId::parse_str(raw).with_context(|| format!("'{raw}' is not a company id"))
}

/// `kind:id`, with the Dialpad names of the kinds.
fn target(raw: &str) -> Result<Target, String> {
    let (kind, id) = raw
        .split_once(':')
        .ok_or_else(|| format!("target '{raw}' is not kind:id"))?;
    let kind = match kind.trim() {
        "user" => TargetKind::User,
        "office" => TargetKind::Office,
        "callcenter" | "call_center" => TargetKind::CallCenter,
        "department" => TargetKind::Department,
        other => return Err(format!("unknown target kind '{other}'")),
    };
    let id = id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("target '{raw}' has no id"))?;
    Ok(Target { kind, id })
}

/// One line of the file, or why it is refused; `None` for a line to skip.
fn line(raw: &str, country: Option<&str>) -> Option<Result<NewNumber, String>> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') || raw.to_ascii_lowercase().starts_with("number") {
        return None;
    }
    let mut fields = raw.split(',').map(str::trim);
    let number = fields.next().unwrap_or_default().to_owned();
    let area_code = fields.next().filter(|a| !a.is_empty()).map(str::to_owned);
    let target = match fields.next().filter(|t| !t.is_empty()).map(target) {
        Some(Err(e)) => return Some(Err(e)),
        Some(Ok(t)) => Some(t),
        None => None,
    };
    if fields.next().is_some() {
        return Some(Err("more than three fields".into()));
    }
    Some(Ok(NewNumber {
        number,
        country: country.map(str::to_owned),
        area_code,
        office_id: None,
        target,
    }))
}

pub(crate) async fn run(core: &Core, cmd: NumbersCmd) -> anyhow::Result<Option<Value>> {
    match cmd {
        NumbersCmd::Import {
            file,
            company: c,
            country,
        } => {
            let actor = Actor::company(company(&c)?);
            core.telephony().company_profile(actor.company).await?;
            import(core, &actor, &file, country.as_deref()).await
        }
        NumbersCmd::Add {
            number,
            company: c,
            area_code,
            office,
            target: t,
            country,
        } => {
            let actor = Actor::company(company(&c)?);
            let office = office
                .map(|o| {
                    OfficeId::parse_str(&o).with_context(|| format!("'{o}' is not an office id"))
                })
                .transpose()?;
            let t = t
                .map(|t| target(&t))
                .transpose()
                .map_err(anyhow::Error::msg)?;
            let new = NewNumber {
                number: number.clone(),
                country,
                area_code,
                office_id: office,
                target: t,
            };
            let out = core
                .telephony()
                .import_numbers(&actor, vec![(1, new)])
                .await?;
            if let Some((_, e)) = out.refused.first() {
                anyhow::bail!("{e}");
            }
            let e164 = switchboard_domain::phone::E164::parse(&number, None)
                .map(|n| n.as_str().to_owned())
                .unwrap_or(number);
            let n = core.telephony().number(actor.company, &e164).await?;
            Ok(Some(json!({
                "number": n.number,
                "added": out.added == 1,
                "status": n.status(),
                "area_code": n.area_code,
                "office_id": n.office_id.map(|o| o.0),
                "target_id": n.target.map(|t| t.id),
            })))
        }
    }
}

async fn import(
    core: &Core,
    actor: &Actor,
    file: &PathBuf,
    country: Option<&str>,
) -> anyhow::Result<Option<Value>> {
    let (reader, size): (Box<dyn Read>, u64) = if file.as_os_str() == "-" {
        (Box::new(std::io::stdin()), 0)
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        (Box::new(f), size)
    };
    let people = std::io::stdout().is_terminal();
    let bar = if people && size > 0 {
        let bar = ProgressBar::new(size);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut total = ImportOutcome::default();
    let mut refused = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    let mut line_no = 0u64;
    for raw in BufReader::new(reader).lines() {
        let raw = raw.context("cannot read the file")?;
        line_no += 1;
        bar.inc(raw.len() as u64 + 1);
        match line(&raw, country) {
            None => {}
            Some(Ok(new)) => batch.push((line_no, new)),
            Some(Err(e)) => {
                refused += 1;
                if total.refused.len() < LISTED_ERRORS {
                    total.refused.push((line_no, e));
                }
            }
        }
        if batch.len() == BATCH {
            refused += flush(core, actor, &mut batch, &mut total).await?;
            bar.set_message(format!("{} added", total.added));
        }
    }
    refused += flush(core, actor, &mut batch, &mut total).await?;
    bar.finish_and_clear();
    let errors: Vec<Value> = total
        .refused
        .iter()
        .map(|(l, e)| json!({"line": l, "error": e}))
        .collect();
    if people {
        println!(
            "{} added, {} already in the inventory, {} refused",
            total.added, total.unchanged, refused
        );
        for (l, e) in &total.refused {
            println!("  line {l}: {e}");
        }
        return Ok(None);
    }
    Ok(Some(json!({
        "added": total.added,
        "unchanged": total.unchanged,
        "refused": refused,
        "errors": errors,
    })))
}

/// Sends a batch; answers how many of its lines were refused.
async fn flush(
    core: &Core,
    actor: &Actor,
    batch: &mut Vec<(u64, NewNumber)>,
    total: &mut ImportOutcome,
) -> anyhow::Result<u64> {
    if batch.is_empty() {
        return Ok(0);
    }
    let out = core
        .telephony()
        .import_numbers(actor, std::mem::take(batch))
        .await?;
    total.added += out.added;
    total.unchanged += out.unchanged;
    let n = out.refused.len() as u64;
    for r in out.refused {
        if total.refused.len() < LISTED_ERRORS {
            total.refused.push(r);
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_with_optional_area_code_and_target() {
        assert!(line("number,area_code,target", None).is_none());
        assert!(line("  ", None).is_none());
        assert!(line("# comment", None).is_none());
        let n = line("+14155550100", None).unwrap().unwrap();
        assert_eq!(n.number, "+14155550100");
        assert!(n.area_code.is_none() && n.target.is_none());
        let n = line("+14155550101,628,user:42", None).unwrap().unwrap();
        assert_eq!(n.area_code.as_deref(), Some("628"));
        assert_eq!(
            n.target,
            Some(Target {
                kind: TargetKind::User,
                id: 42
            })
        );
        let n = line("+14155550102,,callcenter:7", None).unwrap().unwrap();
        assert!(n.area_code.is_none());
        assert_eq!(n.target.unwrap().kind, TargetKind::CallCenter);
        assert!(line("+14155550103,,room:1", None).unwrap().is_err());
        assert!(line("+14155550103,,user:x", None).unwrap().is_err());
        assert!(line("+14155550103,1,user:1,extra", None).unwrap().is_err());
    }
}
