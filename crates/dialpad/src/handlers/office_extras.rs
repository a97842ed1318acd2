//! What an office has beyond its record: its plan and available licences, its off-duty statuses,
//! and the operators of its main line.
//!
//! Switchboard bills nobody and sells no lines. An office's plan counts the lines its users'
//! licences would take (deleted users do not count): `talk` (and no licence: the document's
//! default), `lite_lines` and `magenta_lines` take a talk line; `agents` a sell line;
//! `lite_support_agents`, `dpde_all` and `dpde_one` a contact-center line; `admins` none. Room,
//! fax, additional-number, toll-free and UberConference lines are 0 until rooms and numbers
//! take them. `balance` is `"0.0000"`, there is no `next_billing_date`, and `ppu_address` is the
//! billing address given when the office was created, else its emergency address. Every line a
//! plan counts is in use, so no licence is ever waiting unused: the available licences are 0
//! (and adding users never waits for one).

use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};
use switchboard_domain::ids::OfficeId;
use switchboard_domain::telephony::group::OperatorRole;
use switchboard_domain::telephony::office::Office;
use switchboard_domain::Core;

use super::operators::{role, user_or_room, DepartmentOperator};
use super::users::UserProto;
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::path_id;

/// Lines the plan counts from licences, in `PlanProto`'s names.
const LICENSED_LINES: [&str; 3] = ["contact_center_lines", "sell_lines", "talk_lines"];
/// Lines nothing takes yet.
const OTHER_LINES: [&str; 7] = [
    "additional_number_lines",
    "fax_lines",
    "room_lines",
    "tollfree_additional_number_lines",
    "tollfree_room_lines",
    "tollfree_uberconference_lines",
    "uberconference_lines",
];

/// The line a licence takes, if any.
fn line_of(license: Option<&str>) -> Option<&'static str> {
    match license {
        None | Some("talk" | "lite_lines" | "magenta_lines") => Some("talk_lines"),
        Some("agents") => Some("sell_lines"),
        Some("lite_support_agents" | "dpde_all" | "dpde_one") => Some("contact_center_lines"),
        _ => None,
    }
}

/// `BillingContactProto` of the office's place of primary use.
fn ppu_address(office: &Office) -> Option<Value> {
    const FIELDS: [&str; 6] = [
        "address_line_1",
        "address_line_2",
        "city",
        "country",
        "postal_code",
        "region",
    ];
    let billing = office
        .settings
        .get("billing")
        .and_then(|b| b.get("billing_address"))
        .and_then(Value::as_object);
    if let Some(b) = billing {
        let kept: Map<String, Value> = FIELDS
            .iter()
            .filter_map(|f| Some(((*f).to_owned(), json!(b.get(*f)?.as_str()?))))
            .collect();
        return Some(Value::Object(kept));
    }
    office.e911_address.as_ref().map(|a| {
        let mut v = json!({
            "address_line_1": a.address, "city": a.city, "country": a.country,
            "postal_code": a.zip, "region": a.state,
        });
        if let Some(l2) = &a.address2 {
            v["address_line_2"] = json!(l2);
        }
        v
    })
}

/// `GET /offices/{office_id}/plan`: `PlanProto`.
pub(crate) async fn plan(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "office_id")?;
    let t = core.telephony();
    let office = t.office(caller.company, id).await?;
    let counts = t.office_license_counts(caller.company, id).await?;
    let mut v = json!({"balance": "0.0000"});
    for line in LICENSED_LINES.iter().chain(OTHER_LINES.iter()) {
        v[*line] = json!(0);
    }
    for c in counts {
        if let Some(line) = line_of(c.license.as_deref()) {
            v[line] = json!(v[line].as_u64().unwrap_or(0) + c.users);
        }
    }
    if let Some(a) = ppu_address(&office) {
        v["ppu_address"] = a;
    }
    Ok(Json(v))
}

/// `GET /offices/{office_id}/available_licenses`: `AvailableLicensesProto`, every count 0.
pub(crate) async fn available_licenses(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "office_id")?;
    core.telephony().office(caller.company, id).await?;
    let mut v = json!({});
    for line in LICENSED_LINES.iter().chain(OTHER_LINES.iter()) {
        if *line != "tollfree_uberconference_lines" {
            v[*line] = json!(0);
        }
    }
    Ok(Json(v))
}

/// `GET /offices/{id}/offdutystatuses`: the defaults, then the office's own.
pub(crate) async fn off_duty_statuses(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "id")?;
    let statuses = core
        .telephony()
        .off_duty_statuses(caller.company, id)
        .await?;
    Ok(Json(json!({"id": id.0, "off_duty_statuses": statuses})))
}

/// `GET /offices/{id}/operators`: `OperatorCollection` (not paged, like the groups' lists).
pub(crate) async fn operators(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "id")?;
    let found = core
        .telephony()
        .office_operators(caller.company, id)
        .await?;
    let people = core
        .telephony()
        .people(found.into_iter().map(|(_, u)| u).collect())
        .await?;
    let users: Vec<UserProto> = people.iter().map(UserProto::from).collect();
    Ok(Json(json!({"users": users})))
}

/// `POST /offices/{id}/operators` (admin): `AddOperatorMessage`, role `operator` or `admin`.
pub(crate) async fn add_operator(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<DepartmentOperator>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "id")?;
    let role = role(
        body.role.as_deref(),
        &[OperatorRole::Admin, OperatorRole::Operator],
    )?;
    let user = body.user()?;
    let (_, u) = core
        .telephony()
        .add_office_operator(&caller.actor(), id, user, role)
        .await?;
    Ok(Json(user_or_room(&core, &u, None).await?))
}

/// `DELETE /offices/{id}/operators` (admin): `RemoveOperatorMessage`.
pub(crate) async fn remove_operator(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(body, _): Body<DepartmentOperator>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "id")?;
    if body.role.is_some() {
        return Err(invalid("role is not part of a removal"));
    }
    let user = body.user()?;
    let u = core
        .telephony()
        .remove_office_operator(&caller.actor(), id, user)
        .await?;
    Ok(Json(user_or_room(&core, &u, None).await?))
}
