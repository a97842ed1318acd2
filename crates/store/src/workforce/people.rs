//! Human agents: the company's users, their agent profiles, presence and open work.

use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{UserId, WorkItemId};
use switchboard_domain::tenancy::account::User;
use switchboard_domain::workforce::collab::{ChannelLoad, WorkItem};
use switchboard_domain::workforce::presence::{Activity, Presence, PresenceStatus};
use switchboard_domain::workforce::profile::AgentProfile;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::{flag, get, to_text};
use crate::Backend;

fn json_or<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<Option<T>> {
    match get::<Option<String>>(row, col)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(DomainError::internal),
    }
}

pub(crate) fn profile(row: &AnyRow) -> Result<AgentProfile> {
    Ok(AgentProfile {
        user_id: UserId(get(row, "user_id")?),
        display_name: get(row, "display_name")?,
        bio: get(row, "bio")?,
        avatar_url: get(row, "avatar_url")?,
        wrap_up_time: get(row, "wrap_up_time")?,
        timezone: get(row, "timezone")?,
        default_country_code: get(row, "default_country_code")?,
        default_caller_id: get(row, "default_caller_id")?,
        transcription_locale: get(row, "transcription_locale")?,
        default_sender_id: get(row, "default_sender_id")?,
        out_of_office_response: get(row, "out_of_office_response")?,
        forward_number: json_or(row, "forward_number")?,
        weekly_schedule: json_or(row, "weekly_schedule")?,
        holidays: json_or(row, "holidays")?.unwrap_or_default(),
        role_ids: json_or(row, "role_ids")?.unwrap_or_default(),
        drop_vms: json_or(row, "drop_vms")?.unwrap_or_default(),
        removed: flag(row, "removed")?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) async fn agent_profile(
    c: &mut AnyConnection,
    user: UserId,
) -> Result<Option<AgentProfile>> {
    // The blank row of a never-written profile reads as no profile.
    let row = sqlx::query("SELECT * FROM agent_profiles WHERE user_id = $1 AND placeholder = $2")
        .bind(user.0)
        .bind(false)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(profile).transpose()
}

/// Writes a profile with its list keys (company, name key), and moves the company's agent count
/// when the profile becomes or stops being an agent's.
pub(crate) async fn upsert_agent_profile(
    c: &mut AnyConnection,
    p: &AgentProfile,
    backend: Backend,
) -> Result<()> {
    write_profile(c, p, Some(backend), false).await
}

/// Writes a profile; `lock` names the database when the old row must be held until commit.
async fn write_profile(
    c: &mut AnyConnection,
    p: &AgentProfile,
    lock: Option<Backend>,
    placeholder: bool,
) -> Result<()> {
    let user = crate::tenancy::queries::user(&mut *c, p.user_id, None)
        .await?
        .ok_or_else(|| DomainError::internal(format!("profile of unknown user {}", p.user_id)))?;
    // Held until commit, so two writes of one profile count once.
    let sql = format!(
        "SELECT removed FROM agent_profiles WHERE user_id = $1{}",
        lock.map_or("", Backend::lock_clause)
    );
    let was_agent = match sqlx::query(&sql)
        .bind(p.user_id.0)
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?
    {
        Some(row) => !flag(&row, "removed")?,
        None => false,
    };
    let delta = i64::from(!p.removed) - i64::from(was_agent);
    crate::workforce::lists::add_agents(&mut *c, user.company_id.0, delta).await?;
    sqlx::query(
        "INSERT INTO agent_profiles (user_id, display_name, bio, avatar_url, wrap_up_time, timezone, \
         default_country_code, default_caller_id, transcription_locale, default_sender_id, \
         out_of_office_response, forward_number, weekly_schedule, holidays, role_ids, drop_vms, removed, \
         created_at, updated_at, company_id, name_key, placeholder) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
         $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) ON CONFLICT (user_id) DO UPDATE SET \
         display_name = $2, bio = $3, \
         avatar_url = $4, wrap_up_time = $5, timezone = $6, default_country_code = $7, \
         default_caller_id = $8, transcription_locale = $9, default_sender_id = $10, \
         out_of_office_response = $11, forward_number = $12, weekly_schedule = $13, holidays = $14, \
         role_ids = $15, drop_vms = $16, removed = $17, created_at = $18, updated_at = $19, \
         company_id = $20, name_key = $21, placeholder = $22",
    )
    .bind(p.user_id.0)
    .bind(p.display_name.as_deref())
    .bind(p.bio.as_deref())
    .bind(p.avatar_url.as_deref())
    .bind(p.wrap_up_time)
    .bind(p.timezone.as_deref())
    .bind(p.default_country_code.as_deref())
    .bind(p.default_caller_id.as_deref())
    .bind(p.transcription_locale.as_deref())
    .bind(p.default_sender_id.as_deref())
    .bind(p.out_of_office_response.as_deref())
    .bind(p.forward_number.as_ref().map(to_text))
    .bind(p.weekly_schedule.as_ref().map(to_text))
    .bind(to_text(&p.holidays))
    .bind(to_text(&p.role_ids))
    .bind(to_text(&p.drop_vms))
    .bind(p.removed)
    .bind(to_millis(p.created_at))
    .bind(to_millis(p.updated_at))
    .bind(user.company_id.0)
    .bind(p.name_key(&user))
    .bind(placeholder)
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

/// The blank profile row of a new user, who is an agent from the start.
pub(crate) async fn insert_blank_profile(c: &mut AnyConnection, user: &User) -> Result<()> {
    let blank = AgentProfile::blank(user);
    // A new user's row: nothing to hold.
    write_profile(c, &blank, None, true).await
}

fn status(s: &str) -> Result<PresenceStatus> {
    PresenceStatus::parse(s).ok_or_else(|| DomainError::internal(format!("stored status {s}")))
}

pub(crate) fn presence(row: &AnyRow) -> Result<Presence> {
    let ts = |col: &str| -> Result<_> { Ok(get::<Option<i64>>(row, col)?.map(from_millis)) };
    let activity: String = get(row, "activity")?;
    Ok(Presence {
        user_id: UserId(get(row, "user_id")?),
        status: status(&get::<String>(row, "status")?)?,
        status_before_offline: get::<Option<String>>(row, "status_before_offline")?
            .map(|s| status(&s))
            .transpose()?,
        activity: Activity::parse(&activity)
            .ok_or_else(|| DomainError::internal(format!("stored activity {activity}")))?,
        activity_text: get(row, "activity_text")?,
        activity_ttl: get(row, "activity_ttl")?,
        activity_expires_at: ts("activity_expires_at")?,
        last_status_set: ts("last_status_set")?,
        last_activity_set: ts("last_activity_set")?,
        last_set_to_away_at: ts("last_set_to_away_at")?,
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

pub(crate) async fn presence_of(
    c: &mut AnyConnection,
    user: UserId,
    lock: Option<Backend>,
) -> Result<Option<Presence>> {
    let sql = format!(
        "SELECT * FROM user_presence WHERE user_id = $1{}",
        lock.map_or("", Backend::lock_clause)
    );
    let row = sqlx::query(&sql)
        .bind(user.0)
        .fetch_optional(c)
        .await
        .map_err(db)?;
    row.as_ref().map(presence).transpose()
}

pub(crate) async fn upsert_presence(c: &mut AnyConnection, p: &Presence) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_presence (user_id, status, status_before_offline, activity, activity_text, \
         activity_ttl, activity_expires_at, last_status_set, last_activity_set, last_set_to_away_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (user_id) DO \
         UPDATE SET status = $2, status_before_offline = $3, activity = $4, activity_text = $5, \
         activity_ttl = $6, activity_expires_at = $7, last_status_set = $8, last_activity_set = $9, \
         last_set_to_away_at = $10, updated_at = $11",
    )
    .bind(p.user_id.0)
    .bind(p.status.as_str())
    .bind(p.status_before_offline.map(|s| s.as_str()))
    .bind(p.activity.as_str())
    .bind(p.activity_text.as_deref())
    .bind(p.activity_ttl)
    .bind(p.activity_expires_at.map(to_millis))
    .bind(p.last_status_set.map(to_millis))
    .bind(p.last_activity_set.map(to_millis))
    .bind(p.last_set_to_away_at.map(to_millis))
    .bind(to_millis(p.updated_at))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    // The status the agent list filters and sorts by.
    sqlx::query(
        "UPDATE agent_profiles SET presence_status = $2, status_rank = $3 WHERE user_id = $1",
    )
    .bind(p.user_id.0)
    .bind(p.status.as_str())
    .bind(i64::from(p.status != PresenceStatus::Active))
    .execute(c)
    .await
    .map_err(db)?;
    Ok(())
}

/// Work items that count toward an agent's open work (and its list order).
fn counts(channel: &str) -> bool {
    matches!(channel, "messaging" | "email")
}

pub(crate) async fn insert_work_item(c: &mut AnyConnection, w: &WorkItem) -> Result<()> {
    sqlx::query(
        "INSERT INTO agent_work_items (id, user_id, channel, opened_at, closed_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(w.id.0)
    .bind(w.user_id.0)
    .bind(w.channel.as_str())
    .bind(to_millis(w.opened_at))
    .bind(w.closed_at.map(to_millis))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    if w.closed_at.is_none() && counts(w.channel.as_str()) {
        add_open_work(c, w.user_id, 1).await?;
    }
    Ok(())
}

pub(crate) async fn close_work_item(
    c: &mut AnyConnection,
    id: WorkItemId,
    at: Timestamp,
) -> Result<Option<UserId>> {
    let row = sqlx::query(
        "UPDATE agent_work_items SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL \
         RETURNING user_id, channel",
    )
    .bind(id.0)
    .bind(to_millis(at))
    .fetch_optional(&mut *c)
    .await
    .map_err(db)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let user = UserId(get(&row, "user_id")?);
    if counts(&get::<String>(&row, "channel")?) {
        add_open_work(c, user, -1).await?;
    }
    Ok(Some(user))
}

async fn add_open_work(c: &mut AnyConnection, user: UserId, delta: i64) -> Result<()> {
    sqlx::query("UPDATE agent_profiles SET open_work = open_work + $2 WHERE user_id = $1")
        .bind(user.0)
        .bind(delta)
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn open_work(c: &mut AnyConnection, user: UserId) -> Result<ChannelLoad> {
    let rows = sqlx::query(
        "SELECT channel, COUNT(*) AS n FROM agent_work_items WHERE user_id = $1 AND closed_at IS NULL \
         GROUP BY channel",
    )
    .bind(user.0)
    .fetch_all(c)
    .await
    .map_err(db)?;
    let mut load = ChannelLoad::default();
    for row in &rows {
        let channel: String = get(row, "channel")?;
        let n: i64 = get(row, "n")?;
        match channel.as_str() {
            "messaging" => load.messaging = n,
            "email" => load.email = n,
            _ => {}
        }
    }
    Ok(load)
}

pub(crate) async fn remove_agent_links(c: &mut AnyConnection, user: UserId) -> Result<()> {
    crate::sql::run_with_id(
        c,
        &[
            "DELETE FROM team_members WHERE user_id = $1",
            "DELETE FROM agent_skills WHERE user_id = $1",
            "DELETE FROM capacity_rule_agents WHERE user_id = $1",
        ],
        user.0,
    )
    .await?;
    Ok(())
}
