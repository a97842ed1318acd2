//! Reports on the simulator's clock: `POST /reports/run` runs what the report runner would run
//! now (due scheduled reports, the building of pending exports, the forgetting of expired
//! ones), so tests and SDK runs need not wait for the server's once-a-second pass.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use switchboard_domain::Core;

use crate::{ApiResult, Company};

/// `POST /reports/run`: `{fired, steps, finished, pruned}`.
pub(crate) async fn run(State(core): State<Core>, Company(_): Company) -> ApiResult<Json<Value>> {
    let done = core.reporting().run_due().await?;
    Ok(Json(json!({
        "fired": done.fired,
        "steps": done.steps,
        "finished": done.finished,
        "pruned": done.pruned,
    })))
}
