//! Blocked numbers: add and remove lists of E.164 numbers (admin), list them, and read one.
//! A list with any malformed number is 400 and changes nothing.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use switchboard_domain::telephony::{blocked_numbers, e164_only};
use switchboard_domain::Core;

use crate::auth::{Admin, Caller};
use crate::error::{invalid, ApiResult, Body, JsonBody, Params, PathParams, QueryParams, Segments};
use crate::wire::{page, Collection};

/// `AddBlockedNumbersProto` and `RemoveBlockedNumbersProto`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NumbersBody {
    numbers: Option<Vec<String>>,
}

/// `schemas.blocked_number.BlockedNumber`.
#[derive(Serialize)]
pub(crate) struct BlockedNumber {
    number: String,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
}

fn numbers(body: NumbersBody) -> ApiResult<Vec<switchboard_domain::phone::E164>> {
    let raw = body.numbers.ok_or_else(|| invalid("numbers is required"))?;
    Ok(blocked_numbers(&raw)?)
}

/// `POST /blockednumbers/add` (admin): numbers already blocked stay so. Answers `{}`.
pub(crate) async fn add(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<NumbersBody>,
) -> ApiResult<Json<Value>> {
    let numbers = numbers(body)?;
    core.telephony()
        .block_numbers(&caller.actor(), &numbers)
        .await?;
    Ok(Json(json!({})))
}

/// `POST /blockednumbers/remove` (admin): numbers not blocked are passed over. Answers `{}`.
pub(crate) async fn remove(
    State(core): State<Core>,
    Admin(caller): Admin,
    JsonBody(body, _): Body<NumbersBody>,
) -> ApiResult<Json<Value>> {
    let numbers = numbers(body)?;
    core.telephony()
        .unblock_numbers(&caller.actor(), &numbers)
        .await?;
    Ok(Json(json!({})))
}

/// `GET /blockednumbers`, in E.164 text order.
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<Collection<BlockedNumber>>> {
    let req = page(None, q.cursor)?;
    let found = core
        .telephony()
        .blocked_numbers(caller.company, &req)
        .await?;
    Ok(Json(Collection::of(found, |n| BlockedNumber {
        number: n.clone(),
    })))
}

/// `GET /blockednumbers/{number}`: 404 unless blocked.
pub(crate) async fn get(
    State(core): State<Core>,
    caller: Caller,
    PathParams(number, _): Segments<String>,
) -> ApiResult<Json<BlockedNumber>> {
    let number = e164_only(&number)?;
    let found = core
        .telephony()
        .blocked_number(caller.company, &number)
        .await?;
    Ok(Json(BlockedNumber {
        number: found.as_str().to_owned(),
    }))
}
