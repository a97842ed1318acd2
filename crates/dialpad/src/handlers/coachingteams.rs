//! Coaching teams: list (the company's and an office's), get, and members (list, add as a
//! coach or a trainee). Teams are created with the command line (`switchboard coaching-team
//! create`): the vendor's API has no create operation. Adding members is for admins.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{CoachingTeamId, OfficeId, UserId};
use switchboard_domain::telephony::coaching::{CoachingMember, CoachingRole, CoachingTeam};
use switchboard_domain::telephony::office::Office;
use switchboard_domain::telephony::Person;
use switchboard_domain::Core;

use super::rooms::offices_by_id;
use super::users::UserProto;
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, path_id, time, Collection, IdValue};

const MEMBER: &str = "schemas.coaching_team.CoachingTeamMemberMessage";
/// Fields of the user shape that a team member's shape does not have.
const NOT_MEMBER_FIELDS: [&str; 2] = ["display_name", "international_dialing_enabled"];

/// `schemas.coaching_team.CoachingTeamProto`.
fn render(t: &CoachingTeam, office: &Office) -> Value {
    let mut v = json!({
        "allow_trainee_eavesdrop": t.allow_trainee_eavesdrop,
        "company_id": t.company_id.0,
        "country": office.country,
        "id": t.id.0,
        "name": t.name,
        "office_id": t.office_id.0,
        "phone_numbers": [],
        "ring_seconds": t.ring_seconds,
        "state": t.state.as_str(),
    });
    if let Some(d) = &t.description {
        v["team_description"] = json!(d);
    }
    v
}

/// `schemas.coaching_team.CoachingTeamMemberProto`: the user, with their role.
fn render_member(m: &CoachingMember, p: &Person) -> Value {
    let mut v = json!(UserProto::from(p));
    if let Some(o) = v.as_object_mut() {
        for f in NOT_MEMBER_FIELDS {
            o.remove(f);
        }
        o.insert("role".into(), json!(m.role.as_str()));
        o.insert("date_added".into(), json!(time(m.added_at)));
    }
    v
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    limit: Option<i64>,
}

async fn list_teams(
    core: &Core,
    caller: &Caller,
    office: Option<OfficeId>,
    q: ListQuery,
) -> ApiResult<Json<Collection<Value>>> {
    let req = page(q.limit, q.cursor)?;
    let found = core
        .telephony()
        .coaching_teams(caller.company, office, &req)
        .await?;
    let ids = found.items.iter().map(|t| t.office_id).collect();
    let offices = offices_by_id(core, caller.company, ids).await?;
    Ok(Json(Collection::of(found, |t| {
        render(t, &offices[&t.office_id.0])
    })))
}

/// `GET /coachingteams`.
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    list_teams(&core, &caller, None, q).await
}

/// `GET /offices/{office_id}/teams`.
pub(crate) async fn list_in_office(
    State(core): State<Core>,
    caller: Caller,
    PathParams(office, _): Segments<String>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let office: OfficeId = path_id(&office, "office_id")?;
    list_teams(&core, &caller, Some(office), q).await
}

/// `GET /coachingteams/{id}`.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: CoachingTeamId = path_id(&id, "id")?;
    let t = core.telephony().coaching_team(caller.company, id).await?;
    let office = core.telephony().office(caller.company, t.office_id).await?;
    Ok(Json(render(&t, &office)))
}

/// `GET /coachingteams/{id}/members`: paged like every list (`cursor`, `limit`).
pub(crate) async fn members(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    let id: CoachingTeamId = path_id(&id, "id")?;
    let req = page(q.limit, q.cursor)?;
    let found = core
        .telephony()
        .coaching_members(caller.company, id, &req)
        .await?;
    Ok(Json(Collection::of(found, |(m, p)| render_member(m, p))))
}

/// `schemas.coaching_team.CoachingTeamMemberMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddMember {
    member_id: Option<IdValue>,
    role: Option<String>,
}

/// `POST /coachingteams/{id}/members` (admin): `member_id` (a user of the company) and
/// `role` (`coach` or `trainee`) are required; a member already is 409.
pub(crate) async fn add_member(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<AddMember>,
) -> ApiResult<Json<Value>> {
    let id: CoachingTeamId = path_id(&id, "id")?;
    let user: UserId = body
        .member_id
        .ok_or_else(|| invalid("member_id is required"))?
        .id("member_id")?;
    let role = body.role.ok_or_else(|| invalid("role is required"))?;
    if !crate::allowed_values(MEMBER, "role").contains(&role.as_str()) {
        return Err(invalid(format!("unknown role '{role}'")));
    }
    let (m, p) = core
        .telephony()
        .add_coaching_member(&caller.actor(), id, user, CoachingRole::parse(&role)?)
        .await?;
    Ok(Json(render_member(&m, &p)))
}
