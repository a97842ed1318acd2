//! How a target's numbers are arranged (order, primary, which ones it keeps), fax lines, and
//! numbers entering the inventory in bulk. The assignment rules they share are in
//! [`super::number_service`].

use serde::Serialize;
use serde_json::json;

use super::number_service::{e164, phone_lines};
use crate::ids::OfficeId;
use crate::store::WriteTx;
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::number::{
    kept_numbers, parse_number, NewNumber, PhoneNumber, Pick, Target, TargetKind,
};
use crate::telephony::Telephony;
use crate::{DomainError, Result};

/// What one import batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    /// Numbers added to the inventory.
    pub added: u64,
    /// Numbers the company already had (left as they were).
    pub unchanged: u64,
    /// Lines refused, with why: `(line, error)`.
    pub refused: Vec<(u64, String)>,
}

impl Telephony<'_> {
    /// Re-orders or removes a target's numbers (inside `tx`): `keep` lists the numbers it keeps,
    /// primary first; the others go back to the pool. Every kept number follows the target to
    /// `office`. A number the target does not have is 400.
    pub(crate) async fn arrange_numbers(
        &self,
        tx: &mut dyn WriteTx,
        actor: &Actor,
        target: Target,
        office: OfficeId,
        keep: Option<&[String]>,
    ) -> Result<()> {
        let current = phone_lines(tx.target_numbers_for_update(target).await?);
        let order: Vec<String> = match keep {
            None => current.iter().map(|n| n.number.clone()).collect(),
            Some(list) => {
                let given = list.iter().map(|n| e164(n)).collect::<Result<Vec<_>>>()?;
                let have: Vec<String> = current.iter().map(|n| n.number.clone()).collect();
                kept_numbers(&have, &given)?
            }
        };
        let now = self.clock.now();
        let mut kept = Vec::new();
        for mut n in current {
            if n.primary {
                n.primary = false;
                tx.update_number(&n).await?;
            }
            match order.iter().position(|o| *o == n.number) {
                Some(i) => kept.push((i, n)),
                None => {
                    self.return_to_pool(tx, actor, n).await?;
                }
            }
        }
        kept.sort_by_key(|(i, _)| *i);
        for (i, mut n) in kept {
            n.primary = i == 0;
            n.office_id = Some(office);
            n.assigned_at = Some(now + jiff::SignedDuration::from_millis(i as i64));
            n.updated_at = now;
            tx.update_number(&n).await?;
        }
        Ok(())
    }

    /// Adds numbers to the company's inventory in one transaction, each assigned to its target
    /// when it names one. A number the company already has is left as it is; a malformed one,
    /// one another company holds, or a missing target is refused with its line.
    pub async fn import_numbers(
        &self,
        actor: &Actor,
        rows: Vec<(u64, NewNumber)>,
    ) -> Result<ImportOutcome> {
        let mut out = ImportOutcome::default();
        let mut parsed = Vec::new();
        for (line, new) in rows {
            match parse_number(
                &new.number,
                new.country.as_deref(),
                new.area_code.as_deref(),
            ) {
                Ok(p) => parsed.push((line, new, p)),
                Err(e) => out.refused.push((line, e.to_string())),
            }
        }
        let numbers: Vec<String> = parsed.iter().map(|(_, _, p)| p.0.clone()).collect();
        let held = self.store.numbers_held(&numbers).await?;
        let mut seen = std::collections::HashSet::new();
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        for (line, new, (number, area_code, line_kind)) in parsed {
            if held.contains(&number) || !seen.insert(number.clone()) {
                match self.store.number(actor.company, &number).await? {
                    Some(_) => out.unchanged += 1,
                    None if held.contains(&number) => out
                        .refused
                        .push((line, format!("{number} belongs to another company"))),
                    None => out.unchanged += 1,
                }
                continue;
            }
            let office = match (new.target, new.office_id) {
                (Some(t), _) => match self.target_office(actor.company, t).await {
                    Ok(o) => Some(o),
                    Err(e) => {
                        out.refused.push((line, e.to_string()));
                        continue;
                    }
                },
                (None, Some(o)) => match self.office(actor.company, o).await {
                    Ok(o) => Some(o.id),
                    Err(e) => {
                        out.refused.push((line, e.to_string()));
                        continue;
                    }
                },
                (None, None) => None,
            };
            let n = PhoneNumber::in_pool(
                number.clone(),
                actor.company,
                office,
                area_code,
                line_kind,
                now,
            );
            tx.insert_number(&n).await?;
            if let (Some(t), Some(o)) = (new.target, office) {
                self.assign_in(tx.as_mut(), actor, t, o, Pick::Number(number), false)
                    .await?;
            }
            out.added += 1;
        }
        if out.added > 0 {
            let change = Change::new("numbers_added", "Company", actor.company, "Numbers added")
                .with(json!({"count": out.added}));
            changelog::record(tx.as_mut(), actor, change, now).await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// Which number a fax line takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaxLine {
    /// This pool number.
    Reserved(String),
    /// A pool number of the area code, else a new one from the network.
    Search(String),
    /// A toll-free pool number, else a new one from the network.
    TollFree,
}

impl Telephony<'_> {
    /// Gives a user or a department a fax line: a number of the company assigned to it as fax,
    /// which is not among its phone numbers and never its primary.
    pub async fn create_fax_line(
        &self,
        actor: &Actor,
        target: Target,
        line: FaxLine,
    ) -> Result<PhoneNumber> {
        if !matches!(target.kind, TargetKind::User | TargetKind::Department) {
            return Err(DomainError::invalid(
                "a fax line is for a user or a department",
            ));
        }
        let office = self.target_office(actor.company, target).await?;
        let mut tx = self.store.begin().await?;
        let pick = match line {
            FaxLine::Reserved(n) => Pick::Number(n),
            FaxLine::Search(a) => Pick::AreaCode(a),
            FaxLine::TollFree => match tx.toll_free_pool_number_for_update(actor.company).await? {
                Some(n) => Pick::Number(n.number),
                None => Pick::AreaCode(TOLL_FREE_AREA.into()),
            },
        };
        let mut n = self.take(tx.as_mut(), actor.company, office, pick).await?;
        let now = self.clock.now();
        n.target = Some(target);
        n.office_id = Some(office);
        n.primary = false;
        n.fax = true;
        n.assigned_at = Some(now);
        n.updated_at = now;
        tx.update_number(&n).await?;
        let change = Change::on(
            "fax_line_assigned",
            target.kind.entity(),
            target.id,
            "Fax line assigned",
        )
        .with(json!({"number": n.number}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(n)
    }
}

/// The area code toll-free fax lines come from when the pool has none.
const TOLL_FREE_AREA: &str = "800";
