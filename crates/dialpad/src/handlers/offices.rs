//! Offices: list, get, create (a secondary office), and the emergency (e911) address.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard_domain::ids::OfficeId;
use switchboard_domain::telephony::group::DayHours;
use switchboard_domain::telephony::number::TargetKind;
use switchboard_domain::telephony::office::{Address, NewOffice, Office};
use switchboard_domain::Core;

use super::group_wire::WEEKDAYS;
use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{flag, page, path_id, Collection};

const CREATE: &str = "schemas.office.CreateOfficeMessage";
/// Settings an office shows as they were given.
const SHOWN_SETTINGS: [&str; 4] = [
    "first_action",
    "no_operators_action",
    "ring_seconds",
    "routing_options",
];

/// `schemas.office.OfficeProto`.
#[derive(Serialize)]
pub struct OfficeProto {
    availability_status: &'static str,
    country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    e911_address: Option<Address>,
    id: i64,
    is_primary_office: bool,
    name: String,
    office_id: i64,
    phone_numbers: Vec<String>,
    state: &'static str,
    timezone: String,
    #[serde(flatten)]
    settings: Map<String, Value>,
}

impl OfficeProto {
    /// The office with its numbers, primary first.
    fn new(o: &Office, phone_numbers: Vec<String>) -> Self {
        let shown = o
            .settings
            .iter()
            .filter(|(k, _)| SHOWN_SETTINGS.contains(&k.as_str()) || WEEKDAYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Self {
            // Until opening hours decide it, an office is open.
            availability_status: "open",
            country: o.country.clone(),
            e911_address: o.e911_address.clone(),
            id: o.id.0,
            is_primary_office: o.is_primary,
            name: o.name.clone(),
            office_id: o.id.0,
            phone_numbers,
            state: o.state.as_str(),
            timezone: o.timezone.clone(),
            settings: shown,
        }
    }
}

/// One office with its numbers.
async fn office_proto(core: &Core, o: &Office) -> ApiResult<OfficeProto> {
    let numbers = core
        .telephony()
        .numbers_of(TargetKind::Office, &[o.id.0])
        .await?
        .remove(&o.id.0)
        .unwrap_or_default();
    Ok(OfficeProto::new(o, numbers))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
    active_only: Option<String>,
    limit: Option<i64>,
}

pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<OfficeProto>>> {
    let req = page(q.limit, q.cursor)?;
    let active_only = flag("active_only", q.active_only.as_deref())?.unwrap_or(false);
    let found = core
        .telephony()
        .offices(caller.company, active_only, &req)
        .await?;
    let ids: Vec<i64> = found.items.iter().map(|o| o.id.0).collect();
    let mut numbers = core
        .telephony()
        .numbers_of(TargetKind::Office, &ids)
        .await?;
    Ok(Json(Collection::of(found, |o| {
        OfficeProto::new(o, numbers.remove(&o.id.0).unwrap_or_default())
    })))
}

pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<OfficeProto>> {
    let id: OfficeId = path_id(&id, "id")?;
    let office = core.telephony().office(caller.company, id).await?;
    Ok(Json(office_proto(&core, &office).await?))
}

/// `schemas.office.E911Message`, and the e911 update bodies of offices and users.
#[derive(Deserialize)]
pub(crate) struct E911In {
    address: Option<String>,
    address2: Option<String>,
    city: Option<String>,
    country: Option<String>,
    state: Option<String>,
    zip: Option<String>,
    /// Accepted (offices only); each user's own address is theirs to set.
    #[allow(dead_code)]
    update_all: Option<bool>,
    /// Accepted; addresses are kept as given.
    #[allow(dead_code)]
    use_validated_option: Option<bool>,
}

impl E911In {
    /// The address, every line but `address2` required (the domain checks the rest).
    pub(crate) fn address(self) -> ApiResult<Address> {
        let need =
            |v: Option<String>, f: &str| v.ok_or_else(|| invalid(format!("{f} is required")));
        Ok(Address {
            address: need(self.address, "address")?,
            address2: self.address2.filter(|a| !a.trim().is_empty()),
            city: need(self.city, "city")?,
            state: need(self.state, "state")?,
            zip: need(self.zip, "zip")?,
            country: need(self.country, "country")?,
        })
    }
}

/// `schemas.office.CreateOfficeMessage`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateOffice {
    name: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    plan_period: Option<String>,
    annual_commit_monthly_billing: Option<bool>,
    invoiced: Option<bool>,
    unified_billing: Option<bool>,
    billing_address: Option<Map<String, Value>>,
    billing_contact: Option<Map<String, Value>>,
    e911_address: Option<E911In>,
    use_same_address: Option<bool>,
    timezone: Option<String>,
    first_action: Option<String>,
    no_operators_action: Option<String>,
    ring_seconds: Option<i64>,
    group_description: Option<String>,
    hours_on: Option<bool>,
    international_enabled: Option<bool>,
    auto_call_recording: Option<bool>,
    mainline_number: Option<String>,
    routing_options: Option<Map<String, Value>>,
    voice_intelligence: Option<Map<String, Value>>,
    monday_hours: Option<Vec<String>>,
    tuesday_hours: Option<Vec<String>>,
    wednesday_hours: Option<Vec<String>>,
    thursday_hours: Option<Vec<String>>,
    friday_hours: Option<Vec<String>>,
    saturday_hours: Option<Vec<String>>,
    sunday_hours: Option<Vec<String>>,
}

/// `schemas.office.OfficeUpdateResponse`.
#[derive(Serialize)]
pub struct OfficeCreated {
    office: OfficeProto,
    plan: Map<String, Value>,
}

fn one_of(schema: &str, field: &str, value: &Option<String>) -> ApiResult<()> {
    match value {
        Some(v) if !crate::allowed_values(schema, field).contains(&v.as_str()) => {
            Err(invalid(format!("unknown {field} '{v}'")))
        }
        _ => Ok(()),
    }
}

/// `POST /offices` (admin): a secondary office.
pub(crate) async fn create(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(b, _): Body<CreateOffice>,
) -> ApiResult<Json<OfficeCreated>> {
    for (field, present) in [
        ("name", b.name.is_some()),
        ("country", b.country.is_some()),
        ("currency", b.currency.is_some()),
        ("plan_period", b.plan_period.is_some()),
        (
            "annual_commit_monthly_billing",
            b.annual_commit_monthly_billing.is_some(),
        ),
        ("invoiced", b.invoiced.is_some()),
        ("unified_billing", b.unified_billing.is_some()),
        ("billing_address", b.billing_address.is_some()),
    ] {
        if !present {
            return Err(invalid(format!("{field} is required")));
        }
    }
    for (field, value) in [
        ("country", &b.country),
        ("currency", &b.currency),
        ("plan_period", &b.plan_period),
        ("first_action", &b.first_action),
        ("no_operators_action", &b.no_operators_action),
    ] {
        one_of(CREATE, field, value)?;
    }
    if b.ring_seconds.is_some_and(|s| !(1..=600).contains(&s)) {
        return Err(invalid("ring_seconds must be between 1 and 600"));
    }
    let days = [
        &b.monday_hours,
        &b.tuesday_hours,
        &b.wednesday_hours,
        &b.thursday_hours,
        &b.friday_hours,
        &b.saturday_hours,
        &b.sunday_hours,
    ];
    let mut settings = Map::new();
    for (field, hours) in WEEKDAYS.iter().zip(days) {
        if let Some(h) = hours {
            // The same hours rules as a call center's.
            DayHours::parse(field, h)?;
            settings.insert((*field).into(), h.clone().into());
        }
    }
    let country = b.country.clone().unwrap_or_default();
    let e911 = match b.e911_address {
        Some(a) => Some(a.address()?),
        None => None,
    };
    if e911.is_none() && ["US", "CA", "AU", "FR", "GB", "NZ"].contains(&country.as_str()) {
        return Err(invalid(format!(
            "e911_address is required for an office in {country}"
        )));
    }
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            settings.insert(k.into(), v);
        }
    };
    put("first_action", b.first_action.map(Value::from));
    put(
        "no_operators_action",
        b.no_operators_action.map(Value::from),
    );
    put("ring_seconds", b.ring_seconds.map(Value::from));
    put("routing_options", b.routing_options.map(Value::Object));
    put(
        "voice_intelligence",
        b.voice_intelligence.map(Value::Object),
    );
    put("group_description", b.group_description.map(Value::from));
    put("hours_on", b.hours_on.map(Value::from));
    put(
        "international_enabled",
        b.international_enabled.map(Value::from),
    );
    put(
        "auto_call_recording",
        b.auto_call_recording.map(Value::from),
    );
    put("mainline_number", b.mainline_number.map(Value::from));
    // Billing is recorded as given; Switchboard bills nobody.
    let billing = serde_json::json!({
        "currency": b.currency, "plan_period": b.plan_period,
        "annual_commit_monthly_billing": b.annual_commit_monthly_billing,
        "invoiced": b.invoiced, "unified_billing": b.unified_billing,
        "billing_address": b.billing_address, "billing_contact": b.billing_contact,
        "use_same_address": b.use_same_address,
    });
    settings.insert("billing".into(), billing);
    let office = core
        .telephony()
        .create_office(
            &caller.actor(),
            NewOffice {
                name: b.name.unwrap_or_default(),
                country,
                timezone: b.timezone,
                e911_address: e911,
                settings,
            },
        )
        .await?;
    Ok(Json(OfficeCreated {
        office: OfficeProto::new(&office, Vec::new()),
        plan: Map::new(),
    }))
}

/// `GET /offices/{id}/e911`.
pub(crate) async fn e911(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "id")?;
    let office = core.telephony().office(caller.company, id).await?;
    Ok(Json(
        office
            .e911_address
            .map(|a| serde_json::to_value(a).unwrap_or_default())
            .unwrap_or_else(|| Value::Object(Map::new())),
    ))
}

/// `PUT /offices/{id}/e911` (admin).
pub(crate) async fn set_e911(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    JsonBody(b, _): Body<E911In>,
) -> ApiResult<Json<Value>> {
    let id: OfficeId = path_id(&id, "id")?;
    let office = core
        .telephony()
        .set_office_e911(&caller.actor(), id, b.address()?)
        .await?;
    Ok(Json(
        serde_json::to_value(office.e911_address).unwrap_or_default(),
    ))
}
