//! `GET /company/{id}/smsoptout` (admin): the company's SMS opt-out list in one state, in
//! number order, a page at a time.
//!
//! Choices where the vendor is silent: `{id}` must be the key's company (any other is 404);
//! `opt_out_state` is required; entries are company-wide (`opt_out_scope_info` names the
//! company for `opted_out` entries and is left out for `opted_back_in` ones); there are no A2P
//! campaigns, so `a2p_campaign_id` (which needs `opt_out_state=opted_out`) finds nothing;
//! `date` is when the number last changed state (Unix ms).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_domain::ids::{CompanyId, Id};
use switchboard_domain::messaging::{OptOut, OptOutState};
use switchboard_domain::page::KeysetPaged;
use switchboard_domain::{Core, DomainError};

use crate::auth::Admin;
use crate::error::{invalid, ApiError, ApiResult, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, Collection};

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    a2p_campaign_id: Option<String>,
    cursor: Option<String>,
    opt_out_state: Option<String>,
}

/// `schemas.sms_opt_out.SmsOptOutEntryProto`.
fn entry(o: &OptOut) -> Value {
    let mut v = json!({
        "date": o.changed_at.as_millisecond(),
        "external_endpoint": o.number,
        "opt_out_state": o.state.as_str(),
    });
    if o.state == OptOutState::OptedOut {
        v["opt_out_scope_info"] = json!({
            "opt_out_scope_level": "company",
            "scope_id": o.company_id.0,
        });
    }
    v
}

/// `GET /company/{id}/smsoptout`: answers `SmsOptOutListProto`.
pub(crate) async fn list(
    State(core): State<Core>,
    Admin(caller): Admin,
    PathParams(id, _): Segments<String>,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<Value>>> {
    if CompanyId::parse_str(&id) != Some(caller.company) {
        return Err(ApiError(DomainError::NotFound("company")));
    }
    let state = q
        .opt_out_state
        .as_deref()
        .ok_or_else(|| invalid("opt_out_state is required"))?;
    let state = OptOutState::parse(state)?;
    let req = page(None, q.cursor)?;
    if let Some(campaign) = &q.a2p_campaign_id {
        if campaign.trim().parse::<i64>().is_err() {
            return Err(invalid("a2p_campaign_id must be an integer"));
        }
        if state != OptOutState::OptedOut {
            return Err(invalid("a2p_campaign_id needs opt_out_state=opted_out"));
        }
        let none = KeysetPaged {
            items: Vec::new(),
            total: None,
            next: None,
        };
        return Ok(Json(Collection::of(none, entry)));
    }
    let found = core
        .messaging()
        .opt_outs(caller.company, state, &req)
        .await?;
    Ok(Json(Collection::of(found, entry)))
}
