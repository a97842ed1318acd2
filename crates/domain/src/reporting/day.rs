//! One day of a company's calls at a glance, for charts: per hour of the day (in a chosen
//! time zone) the calls by outcome and how long callers waited, and per call center the calls
//! by outcome. Added up by the database in one indexed range read (`calls_company_started_id`)
//! grouped by hour, call center and outcome, so the cost follows the day's calls and memory
//! holds one row per hour, call center and outcome.
//!
//! What counts: calls as the company took them (entry legs, not the operator legs they rang).
//! A caller's wait runs from the call's start until it was answered, or until it ended
//! unanswered; calls still ringing or waiting have no wait yet.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::calls::leg::Party;
use crate::ids::{CompanyId, GroupId};
use crate::reporting::Reporting;
use crate::{DomainError, Result};

/// An hour's length in milliseconds: the width of a bucket.
pub const HOUR_MS: i64 = 3_600_000;

/// The outcomes a chart tells apart, in the order their bars stack; `in_progress` is a call
/// that has not ended.
pub const OUTCOMES: [&str; 5] = ["answered", "missed", "voicemail", "blocked", "in_progress"];

/// Calls of one bucket (hour) of one call center (or none) with one outcome, as the store adds
/// them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTally {
    /// Hours since the start of the day.
    pub bucket: i64,
    pub group_id: Option<GroupId>,
    /// The stored outcome; `None` while the call goes on.
    pub outcome: Option<String>,
    pub calls: u64,
    /// Calls with a wait (answered, or ended unanswered).
    pub waited: u64,
    pub wait_sum_ms: i64,
    pub wait_max_ms: i64,
}

/// One hour of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct Hour {
    pub start: Timestamp,
    /// Calls per outcome, in the order of [`OUTCOMES`].
    pub calls: [u64; 5],
    pub waited: u64,
    /// Mean wait of the calls that waited, in seconds.
    pub mean_wait_secs: f64,
    pub max_wait_secs: f64,
}

/// A call center's day.
#[derive(Debug, Clone, PartialEq)]
pub struct CenterDay {
    pub group_id: GroupId,
    pub name: String,
    /// Calls per outcome, in the order of [`OUTCOMES`].
    pub calls: [u64; 5],
}

/// A day of a company's calls.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: Date,
    pub hours: Vec<Hour>,
    /// Call centers that had calls, busiest first.
    pub centers: Vec<CenterDay>,
}

fn outcome_index(outcome: Option<&str>) -> usize {
    match outcome {
        None => 4,
        Some(o) => OUTCOMES.iter().position(|k| *k == o).unwrap_or(1),
    }
}

/// Puts the store's tallies into hours and call centers (pure, so that it is tested alone).
pub fn assemble(date: Date, start: Timestamp, hours: usize, tallies: &[CallTally]) -> Day {
    let mut out: Vec<Hour> = (0..hours)
        .map(|h| Hour {
            start: start
                .checked_add(jiff::SignedDuration::from_millis(h as i64 * HOUR_MS))
                .unwrap_or(start),
            calls: [0; 5],
            waited: 0,
            mean_wait_secs: 0.0,
            max_wait_secs: 0.0,
        })
        .collect();
    let mut sums = vec![0i64; hours];
    let mut centers: Vec<CenterDay> = Vec::new();
    for t in tallies {
        let i = outcome_index(t.outcome.as_deref());
        if let Some(hour) = usize::try_from(t.bucket).ok().and_then(|b| out.get_mut(b)) {
            hour.calls[i] += t.calls;
            hour.waited += t.waited;
            hour.max_wait_secs = hour.max_wait_secs.max(t.wait_max_ms as f64 / 1000.0);
            sums[t.bucket as usize] += t.wait_sum_ms;
        }
        if let Some(g) = t.group_id {
            match centers.iter_mut().find(|c| c.group_id == g) {
                Some(c) => c.calls[i] += t.calls,
                None => {
                    let mut calls = [0; 5];
                    calls[i] = t.calls;
                    centers.push(CenterDay {
                        group_id: g,
                        name: String::new(),
                        calls,
                    });
                }
            }
        }
    }
    for (hour, sum) in out.iter_mut().zip(sums) {
        if hour.waited > 0 {
            hour.mean_wait_secs = sum as f64 / hour.waited as f64 / 1000.0;
        }
    }
    centers.sort_by(|a, b| {
        let total = |c: &CenterDay| c.calls.iter().sum::<u64>();
        total(b)
            .cmp(&total(a))
            .then(a.group_id.0.cmp(&b.group_id.0))
    });
    Day {
        date,
        hours: out,
        centers,
    }
}

impl Reporting<'_> {
    /// The company's calls of `date` in `zone`, per hour and per call center (named).
    pub async fn day(&self, company: CompanyId, date: Date, zone: &TimeZone) -> Result<Day> {
        let bad = |_| DomainError::invalid("that day is out of range");
        let start = date.to_zoned(zone.clone()).map_err(bad)?.timestamp();
        let end = date
            .tomorrow()
            .map_err(bad)?
            .to_zoned(zone.clone())
            .map_err(bad)?
            .timestamp();
        // 23, 24 or 25 hours, as the zone's clocks change.
        let hours = (end.as_millisecond() - start.as_millisecond() + HOUR_MS - 1) / HOUR_MS;
        let tallies = self
            .store
            .call_tallies(company, start, end, HOUR_MS)
            .await?;
        let mut day = assemble(date, start, hours as usize, &tallies);
        let parties: Vec<Party> = day
            .centers
            .iter()
            .map(|c| Party {
                kind: crate::calls::leg::PartyKind::CallCenter,
                id: c.group_id.0,
            })
            .collect();
        let names = self.store.party_names(company, &parties).await?;
        for c in &mut day.centers {
            c.name = names
                .iter()
                .find(|n| n.party.id == c.group_id.0)
                .map_or_else(
                    || format!("call center {}", c.group_id.0),
                    |n| n.name.clone(),
                );
        }
        Ok(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(bucket: i64, group: Option<i64>, outcome: Option<&str>, calls: u64) -> CallTally {
        CallTally {
            bucket,
            group_id: group.map(GroupId),
            outcome: outcome.map(str::to_owned),
            calls,
            waited: calls,
            wait_sum_ms: calls as i64 * 10_000,
            wait_max_ms: 30_000,
        }
    }

    #[test]
    fn tallies_become_hours_and_call_centers() {
        let start: Timestamp = "2026-03-29T00:00:00Z".parse().unwrap();
        let date: Date = "2026-03-29".parse().unwrap();
        let day = assemble(
            date,
            start,
            23,
            &[
                tally(0, Some(7), Some("answered"), 3),
                tally(0, Some(8), Some("missed"), 1),
                tally(5, None, None, 2),
                tally(22, Some(8), Some("voicemail"), 4),
                // Outside the day (a clock change the store saw differently): only per center.
                tally(30, Some(7), Some("answered"), 1),
            ],
        );
        assert_eq!(day.hours.len(), 23);
        assert_eq!(day.hours[0].calls, [3, 1, 0, 0, 0]);
        assert_eq!(day.hours[0].mean_wait_secs, 10.0);
        assert_eq!(day.hours[0].max_wait_secs, 30.0);
        assert_eq!(day.hours[5].calls, [0, 0, 0, 0, 2]);
        assert_eq!(day.hours[22].calls, [0, 0, 4, 0, 0]);
        assert_eq!(day.hours[1].mean_wait_secs, 0.0);
        assert_eq!(
            day.hours[22].start,
            "2026-03-29T22:00:00Z".parse::<Timestamp>().unwrap()
        );
        let centers: Vec<(i64, [u64; 5])> = day
            .centers
            .iter()
            .map(|c| (c.group_id.0, c.calls))
            .collect();
        assert_eq!(centers, [(8, [0, 1, 4, 0, 0]), (7, [4, 0, 0, 0, 0])]);
    }
}
