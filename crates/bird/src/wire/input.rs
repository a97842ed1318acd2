//! Request bodies and query strings, read into domain commands.

use serde::Deserialize;
use serde_json::Value;
use switchboard_domain::cursor::MAX_TOKEN_LEN;
use switchboard_domain::ids::{Id, SkillId, SkillValueId, TeamId, UserId};
use switchboard_domain::page::{KeysetPaged, PageRequest};
use switchboard_domain::workforce::collab::SkillValueType;
use switchboard_domain::workforce::presence::{Activity, PresenceChange, PresenceStatus};
use switchboard_domain::workforce::profile::{
    is_uuid, AgentQuery, AgentSort, ForwardNumber, Holiday, ProfilePatch, WeeklySchedule,
};
use switchboard_domain::workforce::SkillSelection;
use utoipa::ToSchema;

use super::nullable;
use crate::error::{invalid, ApiError};

/// Transcription locales a Bird agent may choose.
pub const TRANSCRIPTION_LOCALES: &[&str] = &[
    "ar-AE", "ar-SA", "da-DK", "de-DE", "en-AU", "en-GB", "en-IE", "en-IN", "en-US", "en-ZA",
    "es-ES", "es-MX", "es-US", "fi-FI", "fr-CA", "fr-FR", "he-IL", "hi-IN", "id-ID", "it-IT",
    "ja-JP", "ko-KR", "ms-MY", "nl-NL", "no-NO", "pl-PL", "pt-BR", "pt-PT", "ru-RU", "sv-SE",
    "th-TH", "tr-TR", "vi-VN", "zh-CN", "zh-TW",
];

/// Call forwarding as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ForwardNumberIn {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub mask_caller: bool,
}

/// A selected skill value.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ValueRef {
    pub id: String,
}

/// A skill to give the agent, with its selected values.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignedSkillIn {
    pub id: String,
    #[serde(default)]
    pub selected_values: Vec<ValueRef>,
}

/// The fields of an agent update (every one optional; `null` clears).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAgentIn {
    /// 1 to 50 characters.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// At most 240 characters.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub bio: Option<Option<String>>,
    /// `active`, `away` or `offline`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub avatar_url: Option<Option<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub drop_vms: Option<Vec<Value>>,
    /// Seconds, 0 to 900.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub wrap_up_time: Option<Option<i64>>,
    /// An IANA time zone.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub timezone: Option<Option<String>>,
    /// ISO 3166 two-letter code.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub default_country_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub default_caller_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<ForwardNumberIn>)]
    pub forward_number: Option<Option<ForwardNumberIn>>,
    /// A BCP 47 locale from the supported list (`ar-AE`, `en-US`, ...).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub transcription_locale: Option<Option<String>>,
    /// Days `monday`..`sunday`, each `{from: {hour, minute}, to: {hour, minute}}`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub weekly_schedule: Option<Option<Value>>,
    /// `[{name, day, month}]`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub holidays: Option<Option<Value>>,
    /// Replaces the agent's skills.
    #[serde(default)]
    pub assigned_skills: Option<Vec<AssignedSkillIn>>,
    /// A UUID.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub default_sender_id: Option<Option<String>>,
    /// At most 1000 characters.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub out_of_office_response: Option<Option<String>>,
}

/// The body of agent creation: an existing user (`userId`) or a new one (`email`, `name`),
/// with any update field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAgentIn {
    /// `user` (the only agent type).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// An existing user of the workspace.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The new user's email (or the first of `userEmails`).
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub user_emails: Option<Vec<String>>,
    #[serde(default)]
    pub team_ids: Option<Vec<String>>,
    #[serde(flatten)]
    pub fields: UpdateAgentIn,
}

/// A change of availability.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityIn {
    /// `active`, `away` or `offline` (required).
    pub status: Option<String>,
    pub activity: Option<String>,
    /// Seconds, 10 to 86400; the activity then lapses back to `available`.
    pub activity_ttl: Option<i64>,
    /// At most 48 characters.
    pub activity_text: Option<String>,
}

impl AvailabilityIn {
    /// The domain change.
    pub fn change(self) -> Result<PresenceChange, ApiError> {
        let status = self.status.ok_or_else(|| invalid("status is required"))?;
        Ok(PresenceChange {
            status: PresenceStatus::parse_field("status", &status)?,
            activity: self
                .activity
                .map(|a| Activity::parse_field("activity", &a))
                .transpose()?,
            activity_ttl: self.activity_ttl,
            activity_text: self.activity_text,
        })
    }
}

/// A user id in Bird's UUID form; anything else names nobody here.
pub fn user_id(raw: &str) -> Result<UserId, ApiError> {
    UserId::from_uuid(raw).ok_or(ApiError(switchboard_domain::DomainError::NotFound("agent")))
}

/// Reads an id list entry that must be a UUID: not one of ours is `None`.
fn uuid_field<T: Id>(field: &str, raw: &str) -> Result<Option<T>, ApiError> {
    if !is_uuid(raw) {
        return Err(invalid(format!("{field} must hold UUIDs; got '{raw}'")));
    }
    Ok(T::from_uuid(raw))
}

impl UpdateAgentIn {
    /// The profile patch, the status change and the skill selection.
    #[allow(clippy::type_complexity)]
    pub fn into_parts(
        self,
    ) -> Result<(ProfilePatch, Option<PresenceStatus>, Option<SkillSelection>), ApiError> {
        let status = self
            .status
            .map(|s| PresenceStatus::parse_field("status", &s))
            .transpose()?;
        let weekly_schedule = match self.weekly_schedule {
            None => None,
            Some(None) => Some(None),
            Some(Some(v)) => Some(Some(WeeklySchedule::from_json(&v)?)),
        };
        let holidays = match self.holidays {
            None => None,
            Some(None) => Some(Vec::new()),
            Some(Some(v)) => Some(Holiday::list_from_json(&v)?),
        };
        let skills = match self.assigned_skills {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for s in list {
                    let id = uuid_field::<SkillId>("assignedSkills[].id", &s.id)?
                        .ok_or(ApiError(switchboard_domain::DomainError::NotFound("skill")))?;
                    let mut values = Vec::new();
                    for v in s.selected_values {
                        let vid = uuid_field::<SkillValueId>("selectedValues[].id", &v.id)?
                            .ok_or_else(|| {
                                invalid("selectedValues[].id is not a value of the skill")
                            })?;
                        values.push(vid);
                    }
                    out.push((id, values));
                }
                Some(out)
            }
        };
        if let Some(Some(l)) = &self.transcription_locale {
            if !TRANSCRIPTION_LOCALES.contains(&l.as_str()) {
                return Err(invalid(format!(
                    "transcriptionLocale must be one of {}; got '{l}'",
                    TRANSCRIPTION_LOCALES.join(", ")
                )));
            }
        }
        let patch = ProfilePatch {
            name: self.name,
            bio: self.bio,
            avatar_url: self.avatar_url,
            wrap_up_time: self.wrap_up_time,
            timezone: self.timezone,
            default_country_code: self.default_country_code,
            default_caller_id: self.default_caller_id,
            transcription_locale: self.transcription_locale,
            default_sender_id: self.default_sender_id,
            out_of_office_response: self.out_of_office_response,
            forward_number: self.forward_number.map(|f| {
                f.map(|f| ForwardNumber {
                    enabled: f.enabled,
                    number: f.number,
                    mask_caller: f.mask_caller,
                })
            }),
            weekly_schedule,
            holidays,
            drop_vms: self.drop_vms,
        };
        patch.validate()?;
        Ok((patch, status, skills))
    }
}

/// Team ids of a create body.
pub fn team_ids(raw: &[String]) -> Result<Vec<TeamId>, ApiError> {
    raw.iter()
        .map(|r| {
            uuid_field::<TeamId>("teamIds", r)?
                .ok_or(ApiError(switchboard_domain::DomainError::NotFound("team")))
        })
        .collect()
}

/// Skill value types.
pub fn value_type(raw: &str) -> Result<SkillValueType, ApiError> {
    Ok(SkillValueType::parse_field("valueType", raw)?)
}

/// Query-string pairs; repeated keys, `key[]` and comma-separated lists all read as lists.
pub struct QueryPairs(Vec<(String, String)>);

impl QueryPairs {
    /// Parses a raw query string.
    pub fn parse(raw: Option<&str>) -> Self {
        Self(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.trim_end_matches("[]").to_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The last value of `key`.
    pub fn one(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, comma-separated values split.
    pub fn many(&self, key: &str) -> Option<Vec<String>> {
        let vals: Vec<String> = self
            .0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_owned()))
            .filter(|s| !s.is_empty())
            .collect();
        self.0.iter().any(|(k, _)| k == key).then_some(vals)
    }
}

/// A page of a list in Bird's shape: `{results, total?, nextPageToken?}`.
pub fn results_page<T>(
    page: &KeysetPaged<T>,
    render: impl Fn(&T) -> serde_json::Value,
) -> serde_json::Value {
    let mut out =
        serde_json::json!({ "results": page.items.iter().map(render).collect::<Vec<_>>() });
    if let Some(t) = page.total {
        out["total"] = t.into();
    }
    if let Some(n) = &page.next {
        out["nextPageToken"] = n.as_str().into();
    }
    out
}

/// Paging parameters shared by every list: `limit` (1–100, default 10), `pageToken`,
/// `reverse`. A token that is not even written as one (characters outside base64url, or
/// longer than 8000) is a validation error (422); whether a well-formed token is one this
/// list issued is the domain's check (400 when not).
pub fn paging(q: &QueryPairs) -> Result<PageRequest, ApiError> {
    let limit = match q.one("limit") {
        None => 10,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => n as usize,
            _ => return Err(invalid("limit must be an integer from 1 to 100")),
        },
    };
    let token = match q.one("pageToken").filter(|t| !t.is_empty()) {
        None => None,
        Some(t) if t.len() > MAX_TOKEN_LEN => return Err(invalid("pageToken is too long")),
        Some(t)
            if t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Some(t.to_owned())
        }
        Some(_) => return Err(invalid("pageToken is not valid")),
    };
    let reverse = match q.one("reverse") {
        None => false,
        Some("true") | Some("1") => true,
        Some("false") | Some("0") => false,
        Some(_) => return Err(invalid("reverse must be true or false")),
    };
    Ok(PageRequest {
        limit,
        token,
        reverse,
    })
}

fn instant(field: &str, raw: &str) -> Result<jiff::Timestamp, ApiError> {
    if let Ok(ms) = raw.parse::<i64>() {
        return jiff::Timestamp::from_millisecond(ms)
            .map_err(|_| invalid(format!("{field} is out of range")));
    }
    raw.parse::<jiff::Timestamp>().map_err(|_| {
        invalid(format!(
            "{field} must be an RFC 3339 time or Unix milliseconds"
        ))
    })
}

/// The agent list query.
pub fn agent_query(q: &QueryPairs) -> Result<AgentQuery, ApiError> {
    let PageRequest {
        limit,
        token,
        reverse,
    } = paging(q)?;
    let sort = match q.one("sortBy") {
        None | Some("createdAt") => AgentSort::CreatedAt,
        Some("name") => AgentSort::Name,
        Some("statusAssignedCount") => AgentSort::StatusAssignedCount,
        Some("assignedCount") => AgentSort::AssignedCount,
        Some(other) => {
            return Err(invalid(format!(
                "sortBy must be one of createdAt, statusAssignedCount, assignedCount, name; got '{other}'"
            )))
        }
    };
    let ids = match q.many("agentIds") {
        None => None,
        Some(list) => {
            let mut ids = Vec::new();
            for raw in list {
                if let Some(id) = uuid_field::<UserId>("agentIds", &raw)? {
                    ids.push(id);
                }
            }
            Some(ids)
        }
    };
    let mut statuses = Vec::new();
    for key in ["status", "agentStatuses"] {
        for s in q.many(key).unwrap_or_default() {
            statuses.push(PresenceStatus::parse_field(key, &s)?);
        }
    }
    let role_ids = q.many("roleIds").unwrap_or_default();
    if let Some(bad) = role_ids.iter().find(|r| !is_uuid(r)) {
        return Err(invalid(format!("roleIds must hold UUIDs; got '{bad}'")));
    }
    Ok(AgentQuery {
        limit,
        page_token: token,
        reverse,
        sort,
        name: q.one("name").map(str::to_owned),
        email: q.one("email").map(str::to_owned),
        role_ids,
        statuses,
        status_since: q
            .one("lastStatusActivitySince")
            .map(|s| instant("lastStatusActivitySince", s))
            .transpose()?,
        status_upto: q
            .one("lastStatusActivityUpto")
            .map(|s| instant("lastStatusActivityUpto", s))
            .transpose()?,
        ids,
    })
}
