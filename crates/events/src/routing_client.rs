//! Routing requests to call routers' URLs, over the same guarded HTTP client as webhooks
//! (no private or loopback addresses unless allowed, no proxies). With the router's secret the
//! request body is a compact JWT (HS256; the call's fields as claims, plus `iat`), sent as
//! `application/jwt`; without one, JSON. Only a 2xx answer within the time limit counts.

use std::time::Duration;

use async_trait::async_trait;
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::Value;
use switchboard_domain::calls::{RoutingClient, ROUTER_TIMEOUT_SECONDS};
use switchboard_domain::routing::MAX_ANSWER_BYTES;

use crate::net::{check_literal, client_builder};

/// The HTTP client of call routers.
pub struct HttpRoutingClient {
    client: reqwest::Client,
    allow_private: bool,
}

impl HttpRoutingClient {
    /// A client; `allow_private` lets routers on private and loopback addresses be reached.
    pub fn new(allow_private: bool) -> Result<Self, reqwest::Error> {
        let client = client_builder(allow_private)
            .timeout(Duration::from_secs(u64::from(ROUTER_TIMEOUT_SECONDS)))
            .build()?;
        Ok(Self {
            client,
            allow_private,
        })
    }
}

/// The body as a JWT signed with `secret`.
pub fn routing_jwt(body: &Value, secret: &str, iat: i64) -> Result<String, String> {
    let mut claims = body.clone();
    if let Some(obj) = claims.as_object_mut() {
        obj.insert("iat".into(), iat.into());
    }
    encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| format!("signing the routing request failed: {e}"))
}

#[async_trait]
impl RoutingClient for HttpRoutingClient {
    async fn ask(&self, url: &str, body: &Value, secret: Option<&str>) -> Result<Vec<u8>, String> {
        let parsed = reqwest::Url::parse(url).map_err(|_| format!("'{url}' is not a URL"))?;
        check_literal(&parsed, self.allow_private).map_err(|r| r.0)?;
        let request = match secret {
            Some(s) => self
                .client
                .post(parsed)
                .header(reqwest::header::CONTENT_TYPE, "application/jwt")
                .body(routing_jwt(body, s, jiff::Timestamp::now().as_second())?),
            None => self.client.post(parsed).json(body),
        };
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                format!("no answer within {ROUTER_TIMEOUT_SECONDS} s")
            } else {
                "the routing URL could not be reached".to_owned()
            }
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("the routing URL answered {}", status.as_u16()));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|_| "the answer could not be read".to_owned())?;
        if bytes.len() > MAX_ANSWER_BYTES {
            return Err(format!("the answer is over {MAX_ANSWER_BYTES} bytes"));
        }
        Ok(bytes.to_vec())
    }
}
