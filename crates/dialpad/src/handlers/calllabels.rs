//! Call labels: the company's labels (`GET /calllabels`). The document has no write operation:
//! they are set with `switchboard call-labels set`.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::telephony::MAX_CALL_LABELS;
use switchboard_domain::Core;

use crate::auth::Caller;
use crate::error::{invalid, ApiResult, Params, QueryParams};

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    limit: Option<i64>,
}

/// `schemas.call_label.CompanyCallLabels`.
#[derive(Serialize)]
pub(crate) struct CompanyCallLabels {
    labels: Vec<String>,
}

/// `GET /calllabels`: the labels in their order, at most `limit` (default: all).
pub(crate) async fn list(
    State(core): State<Core>,
    caller: Caller,
    QueryParams(q, _): Params<ListQuery>,
) -> ApiResult<Json<CompanyCallLabels>> {
    let limit = match q.limit {
        None => MAX_CALL_LABELS,
        Some(n) if n < 1 => return Err(invalid("limit must be a positive number")),
        Some(n) => (n as usize).min(MAX_CALL_LABELS),
    };
    let labels = core.telephony().call_labels(caller.company, limit).await?;
    Ok(Json(CompanyCallLabels { labels }))
}
