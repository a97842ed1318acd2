//! Working hours per weekday and yearly holidays, as agents (and later business hours) keep them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{DomainError, Result};

/// A time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeOfDay {
    pub hour: u8,
    pub minute: u8,
}

/// Working hours of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayHours {
    pub from: TimeOfDay,
    pub to: TimeOfDay,
}

/// Working hours per weekday; a missing day is a day off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklySchedule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monday: Option<DayHours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuesday: Option<DayHours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wednesday: Option<DayHours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thursday: Option<DayHours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friday: Option<DayHours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saturday: Option<DayHours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sunday: Option<DayHours>,
}

impl WeeklySchedule {
    /// Reads and checks a schedule: hours 0–23, minutes 0–59, each day's start not after its
    /// end (`to` may be 24:00 for a day that runs to midnight).
    pub fn from_json(v: &Value) -> Result<Self> {
        let s: Self = serde_json::from_value(v.clone())
            .map_err(|e| DomainError::invalid(format!("weeklySchedule: {e}")))?;
        let days = [
            ("monday", s.monday),
            ("tuesday", s.tuesday),
            ("wednesday", s.wednesday),
            ("thursday", s.thursday),
            ("friday", s.friday),
            ("saturday", s.saturday),
            ("sunday", s.sunday),
        ];
        for (day, hours) in days {
            let Some(h) = hours else { continue };
            let ok = |t: TimeOfDay, end: bool| {
                (t.hour < 24 && t.minute < 60) || (end && t.hour == 24 && t.minute == 0)
            };
            if !ok(h.from, false) || !ok(h.to, true) {
                return Err(DomainError::invalid(format!(
                    "weeklySchedule.{day}: hour must be 0-23 and minute 0-59"
                )));
            }
            if h.from > h.to {
                return Err(DomainError::invalid(format!(
                    "weeklySchedule.{day}: from must not be after to"
                )));
            }
        }
        Ok(s)
    }
}

/// A yearly day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: String,
    pub day: u8,
    pub month: u8,
}

impl Holiday {
    /// Reads and checks a list of holidays: a name of 1–100 characters and a real day of the
    /// year (29 February included).
    pub fn list_from_json(v: &Value) -> Result<Vec<Self>> {
        let list: Vec<Self> = serde_json::from_value(v.clone())
            .map_err(|e| DomainError::invalid(format!("holidays: {e}")))?;
        if list.len() > 366 {
            return Err(DomainError::invalid("holidays: at most 366 entries"));
        }
        for (i, h) in list.iter().enumerate() {
            let days_in_month = match h.month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 => 29,
                _ => {
                    return Err(DomainError::invalid(format!(
                        "holidays[{i}].month must be 1-12"
                    )))
                }
            };
            if h.day == 0 || h.day > days_in_month {
                return Err(DomainError::invalid(format!(
                    "holidays[{i}].day must be 1-{days_in_month} for month {}",
                    h.month
                )));
            }
            let len = h.name.trim().chars().count();
            if len == 0 || len > 100 {
                return Err(DomainError::invalid(format!(
                    "holidays[{i}].name must be 1 to 100 characters"
                )));
            }
        }
        Ok(list)
    }
}
