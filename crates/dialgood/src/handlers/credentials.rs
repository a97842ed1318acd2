//! `/agents/{agentId}/credentials`: read (agent-control right), replace (PUT), merge (PATCH).

use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;
use switchboard_domain::ai_agents::agent::{Credential, CredentialWrite};
use switchboard_domain::{Core, DomainError};
use switchboard_http::etag::IfMatch;

use super::{agent_id, commit_message, etag_headers};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Body, JsonBody, PathParams, Segments};
use crate::wire::{CredentialOut, CredentialsOut, StatusOut};

/// Read the decrypted credentials. Needs ownership or the `agent-control` right.
#[utoipa::path(get, path = "/agents/{agentId}/credentials", tag = "credentials", params(("agentId" = String, Path)),
    responses((status = 200, body = CredentialsOut), (status = 401), (status = 403), (status = 404)))]
pub(crate) async fn get(
    State(core): State<Core>,
    Caller(user): Caller,
    PathParams(id, _): Segments<String>,
) -> ApiResult<Json<CredentialsOut>> {
    let list = core.ai_agents().credentials(&user, agent_id(&id)?).await?;
    Ok(Json(CredentialsOut {
        credentials: list
            .into_iter()
            .map(|c| CredentialOut {
                key: c.key,
                value: c.value,
            })
            .collect(),
    }))
}

/// Replace the credentials: `{"credentials": [{"key", "value"}], "metadata": {…}}` or a bare array.
#[utoipa::path(put, path = "/agents/{agentId}/credentials", tag = "credentials", params(("agentId" = String, Path)), request_body = crate::schema::CredentialsWrite,
    responses((status = 200, body = StatusOut), (status = 400), (status = 401), (status = 403), (status = 404), (status = 412)))]
pub(crate) async fn put(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    if_match: IfMatch,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    write(core, caller, id, if_match, body, false).await
}

/// Set the given keys and keep the others; `"value": null` removes a key. Same body forms as PUT.
#[utoipa::path(patch, path = "/agents/{agentId}/credentials", tag = "credentials", params(("agentId" = String, Path)), request_body = crate::schema::CredentialsWrite,
    responses((status = 200, body = StatusOut), (status = 400), (status = 401), (status = 403), (status = 404), (status = 412)))]
pub(crate) async fn patch(
    State(core): State<Core>,
    caller: Caller,
    PathParams(id, _): Segments<String>,
    if_match: IfMatch,
    JsonBody(body, _): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    write(core, caller, id, if_match, body, true).await
}

async fn write(
    core: Core,
    Caller(user): Caller,
    id: String,
    IfMatch(pre): IfMatch,
    body: Value,
    merge: bool,
) -> ApiResult<impl IntoResponse> {
    let (items, message) = match &body {
        Value::Array(items) => (items.clone(), None),
        Value::Object(map) => match map.get("credentials") {
            Some(Value::Array(items)) => (items.clone(), commit_message(&body)?),
            _ => {
                return Err(ApiError(DomainError::invalid(
                    "credentials must be an array of {key, value}",
                )))
            }
        },
        _ => {
            return Err(ApiError(DomainError::invalid(
                "credentials must be an array of {key, value}",
            )))
        }
    };
    let mut pairs = Vec::with_capacity(items.len());
    for item in &items {
        let key = item.get("key").and_then(Value::as_str);
        let value = item.get("value");
        match (key, value) {
            (Some(k), Some(Value::String(v))) => pairs.push((k.to_owned(), Some(v.clone()))),
            (Some(k), Some(Value::Null)) if merge => pairs.push((k.to_owned(), None)),
            _ => {
                return Err(ApiError(DomainError::invalid(
                    "each credential must be {\"key\": string, \"value\": string}",
                )))
            }
        }
    }
    let write = if merge {
        CredentialWrite::Merge(pairs)
    } else {
        CredentialWrite::Replace(
            pairs
                .into_iter()
                .map(|(key, value)| Credential {
                    key,
                    value: value.unwrap_or_default(),
                })
                .collect(),
        )
    };
    let agent = core
        .ai_agents()
        .write_credentials(&user, agent_id(&id)?, write, message, &pre)
        .await?;
    Ok((etag_headers(agent.revision), Json(StatusOut::ok())))
}
