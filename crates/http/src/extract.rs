//! Extractors that reject bad input in the calling dialect's error shape.

use std::marker::PhantomData;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::Dialect;

/// A JSON body of type `T`; malformed or mistyped bodies get `D`'s 400.
pub struct JsonBody<T, D>(pub T, pub PhantomData<D>);

impl<T, D, S> FromRequest<S> for JsonBody<T, D>
where
    T: DeserializeOwned,
    D: Dialect,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v, PhantomData)),
            Err(rejection) => Err(json_rejection::<D>(rejection)),
        }
    }
}

/// A JSON body that may be absent: an empty body reads as `None`.
pub struct OptionalJsonBody<T, D>(pub Option<T>, pub PhantomData<D>);

impl<T, D, S> FromRequest<S> for OptionalJsonBody<T, D>
where
    T: DeserializeOwned,
    D: Dialect,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(r) => {
                return Err(D::error(
                    D::body_rejection_status(r.status()),
                    &r.body_text(),
                ))
            }
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None, PhantomData));
        }
        serde_json::from_slice(&bytes)
            .map(|v| Self(Some(v), PhantomData))
            .map_err(|e| {
                D::error(
                    D::body_rejection_status(axum::http::StatusCode::BAD_REQUEST),
                    &format!("invalid JSON body: {e}"),
                )
            })
    }
}

fn json_rejection<D: Dialect>(rejection: JsonRejection) -> Response {
    let status = D::body_rejection_status(rejection.status());
    let message = match &rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "expected a JSON body with Content-Type: application/json".to_owned()
        }
        JsonRejection::JsonSyntaxError(e) => format!("malformed JSON: {}", inner(e)),
        JsonRejection::JsonDataError(e) => format!("invalid request body: {}", inner(e)),
        other => other.body_text(),
    };
    D::error(status, &message)
}

fn inner(err: &dyn std::error::Error) -> String {
    let mut source = err.source();
    let mut text = err.to_string();
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    text
}

/// Query parameters of type `T`; unparseable values get `D`'s 400.
pub struct QueryParams<T, D>(pub T, pub PhantomData<D>);

impl<T, D, S> FromRequestParts<S> for QueryParams<T, D>
where
    T: DeserializeOwned,
    D: Dialect,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v, PhantomData)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(D::error(
                axum::http::StatusCode::BAD_REQUEST,
                &format!("invalid query parameter: {}", inner(&e)),
            )),
            Err(other) => Err(D::error(other.status(), &other.body_text())),
        }
    }
}

/// Path parameters of type `T`; undecodable segments (invalid percent-encoding or UTF-8) get
/// `D`'s 400 instead of a plain-text rejection.
pub struct PathParams<T, D>(pub T, pub PhantomData<D>);

impl<T, D, S> FromRequestParts<S> for PathParams<T, D>
where
    T: DeserializeOwned + Send,
    D: Dialect,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Self(v, PhantomData)),
            Err(e) => Err(D::error(
                axum::http::StatusCode::BAD_REQUEST,
                &format!("invalid path parameter: {}", e.body_text()),
            )),
        }
    }
}
