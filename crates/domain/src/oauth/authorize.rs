//! The authorization endpoint's use cases: check a request (RFC 6749 §4.1.1 with PKCE, RFC
//! 7636), sign it into the consent form, and on the user's answer send them back to the app
//! with a code or an error.
//!
//! Errors about the client or its redirect URI are shown to the user (they cannot be sent
//! anywhere trusted); every later error goes back to the redirect URI (§4.1.2.1). PKCE is
//! required, with `S256` only. The consent form carries the checked request signed with the
//! server's consent key and good for [`CONSENT_SECONDS`]: the page cannot be posted with
//! another app, redirect URI, scope or challenge, nor replayed later.

use serde::{Deserialize, Serialize};

use crate::clock::{from_millis, to_millis};
use crate::cursor::CursorKey;
use crate::ids::{Id, OAuthAppId, OAuthGrantId};
use crate::oauth::app::{self, OAuthApp};
use crate::oauth::grant::{self, AuthCode, OAuthErrorCode, Refusal, CODE_SECONDS};
use crate::oauth::OAuth;
use crate::secret::SecretPurpose;
use crate::tenancy::account::Principal;
use crate::DomainError;

/// How long a consent form may be answered, in seconds.
pub const CONSENT_SECONDS: i64 = 10 * 60;
/// Longest `state` passed through.
const MAX_STATE: usize = 1000;
/// Codes and tokens are forgotten this long after they expire.
const RETENTION_MS: i64 = 24 * 3600 * 1000;
/// What the consent form's signature is bound to.
const CONSENT_SCOPE: &str = "oauth.consent";

/// An authorization request as the client sent it (every parameter optional here).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuthorizeRequest {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// A checked request: what the consent page shows and what the code is bound to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authorization {
    pub app_id: OAuthAppId,
    pub app_name: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub code_challenge: String,
}

/// Why an authorization request cannot go on.
#[derive(Debug)]
pub enum AuthorizeError {
    /// Shown to the user: the client or its redirect URI cannot be trusted, or the form is
    /// not one this server signed (or it expired).
    Page(String),
    /// Sent back to the client at its redirect URI.
    Redirect {
        redirect_uri: String,
        state: Option<String>,
        refusal: Refusal,
    },
    Failed(DomainError),
}

impl From<DomainError> for AuthorizeError {
    fn from(e: DomainError) -> Self {
        Self::Failed(e)
    }
}

impl AuthorizeError {
    /// Where a redirect error sends the user.
    pub fn location(&self) -> Option<String> {
        match self {
            Self::Redirect {
                redirect_uri,
                state,
                refusal,
            } => Some(error_location(redirect_uri, refusal, state.as_deref())),
            _ => None,
        }
    }
}

/// What the user's answer on the consent page leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsentOutcome {
    /// Back to the app: with a code, or with `access_denied`.
    Redirect(String),
    /// The key given does not sign in a user of the app's company: ask again.
    SignInFailed(String),
}

/// `uri` with `params` appended to its query; the query it has is kept as it is.
pub fn with_params(uri: &str, params: &[(&str, &str)]) -> String {
    let mut encoded = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        encoded.append_pair(k, v);
    }
    let sep = match uri.split_once('?') {
        None => "?",
        Some((_, q)) if q.is_empty() || q.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{uri}{sep}{}", encoded.finish())
}

fn error_location(uri: &str, refusal: &Refusal, state: Option<&str>) -> String {
    let mut params = vec![
        ("error", refusal.code.as_str()),
        ("error_description", refusal.description.as_str()),
    ];
    if let Some(s) = state {
        params.push(("state", s));
    }
    with_params(uri, &params)
}

fn page(message: &str) -> AuthorizeError {
    AuthorizeError::Page(message.to_owned())
}

impl OAuth<'_> {
    /// Checks an authorization request against the app it names.
    pub async fn check_authorization(
        &self,
        req: &AuthorizeRequest,
    ) -> Result<Authorization, AuthorizeError> {
        let client_id = req
            .client_id
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| page("client_id is required"))?;
        let app = match app::plausible_client_id(client_id) {
            true => self.store.oauth_app_by_client_id(client_id).await?,
            false => None,
        }
        .ok_or_else(|| page("no app has this client_id"))?;
        let redirect_uri = req
            .redirect_uri
            .as_deref()
            .filter(|r| !r.is_empty())
            .ok_or_else(|| page("redirect_uri is required"))?;
        if redirect_uri.contains('#') {
            return Err(page("redirect_uri must not contain '#'"));
        }
        if !app.redirect_uris.iter().any(|r| r == redirect_uri) {
            return Err(page("redirect_uri is not one of the app's redirect URIs"));
        }
        let refuse = |code, why: &str| AuthorizeError::Redirect {
            redirect_uri: redirect_uri.to_owned(),
            state: req.state.clone(),
            refusal: Refusal::new(code, why),
        };
        use OAuthErrorCode::*;
        match req.response_type.as_deref() {
            None | Some("code") => {}
            Some(_) => {
                return Err(refuse(
                    UnsupportedResponseType,
                    "response_type must be code",
                ))
            }
        }
        if req.state.as_ref().is_some_and(|s| s.len() > MAX_STATE) {
            return Err(refuse(
                InvalidRequest,
                "state is longer than 1000 characters",
            ));
        }
        let scopes =
            app::parse_scopes(req.scope.as_deref()).map_err(|why| refuse(InvalidScope, &why))?;
        let challenge = req
            .code_challenge
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| refuse(InvalidRequest, "code_challenge is required (PKCE, S256)"))?;
        match req.code_challenge_method.as_deref() {
            Some("S256") => {}
            Some("plain") | None => {
                return Err(refuse(
                    InvalidRequest,
                    "code_challenge_method must be S256 (plain is not supported)",
                ))
            }
            Some(_) => return Err(refuse(InvalidRequest, "unknown code_challenge_method")),
        }
        if !grant::is_s256_challenge(challenge) {
            return Err(refuse(
                InvalidRequest,
                "code_challenge must be 43 base64url characters",
            ));
        }
        Ok(Authorization {
            app_id: app.id,
            app_name: app.name,
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            scopes,
            state: req.state.clone(),
            code_challenge: challenge.to_owned(),
        })
    }

    async fn consent_key(&self) -> crate::Result<CursorKey> {
        let key = self.server_key(SecretPurpose::OAuthConsentSigning).await?;
        Ok(CursorKey::new(key))
    }

    /// The consent form's signed value for a checked request.
    pub async fn consent_token(&self, auth: &Authorization) -> crate::Result<String> {
        let expires = self.clock.now().as_second() + CONSENT_SECONDS;
        Ok(self
            .consent_key()
            .await?
            .seal(CONSENT_SCOPE, &(auth, expires)))
    }

    /// The request a consent form was signed for, while it is valid and its app exists.
    pub async fn open_consent(&self, token: &str) -> Result<Authorization, AuthorizeError> {
        let (auth, expires): (Authorization, i64) = self
            .consent_key()
            .await?
            .open(CONSENT_SCOPE, token)
            .map_err(|_| page("this consent form was not issued by this server"))?;
        if expires <= self.clock.now().as_second() {
            return Err(page(
                "this consent form has expired: start again from the app",
            ));
        }
        self.live_app(&auth).await?;
        Ok(auth)
    }

    async fn live_app(&self, auth: &Authorization) -> Result<OAuthApp, AuthorizeError> {
        self.store
            .oauth_app(auth.app_id)
            .await?
            .ok_or_else(|| page("the app no longer exists"))
    }

    /// The user declined: back to the app with `access_denied`.
    pub fn deny(&self, auth: &Authorization) -> String {
        let refusal = Refusal::new(OAuthErrorCode::AccessDenied, "the user declined");
        error_location(&auth.redirect_uri, &refusal, auth.state.as_deref())
    }

    /// The user approved with their API key: a single-use code bound to the app, the
    /// redirect URI and the challenge, good for [`CODE_SECONDS`].
    pub async fn approve(
        &self,
        auth: &Authorization,
        api_key: &str,
    ) -> Result<ConsentOutcome, AuthorizeError> {
        let app = self.live_app(auth).await?;
        let key = api_key.trim();
        if key.is_empty() {
            return Ok(ConsentOutcome::SignInFailed("enter your API key".into()));
        }
        let user = match self.tenancy().authenticate(key).await {
            Ok(Principal::User(u)) if u.company_id == app.company_id => u,
            Ok(_) => {
                return Ok(ConsentOutcome::SignInFailed(
                    "this app can be authorized with the API key of a user of its company".into(),
                ))
            }
            Err(DomainError::Unauthenticated(_)) => {
                return Ok(ConsentOutcome::SignInFailed("invalid API key".into()))
            }
            Err(other) => return Err(other.into()),
        };
        let now = self.clock.now();
        let code = app::random_secret("");
        let stored = AuthCode {
            hash: app::hash_secret(&code),
            grant_id: OAuthGrantId::generate(),
            app_id: app.id,
            user_id: user.id,
            redirect_uri: auth.redirect_uri.clone(),
            scopes: auth.scopes.clone(),
            code_challenge: auth.code_challenge.clone(),
            expires_at: from_millis(to_millis(now) + CODE_SECONDS * 1000),
            used_at: None,
            created_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.prune_oauth(from_millis(to_millis(now) - RETENTION_MS))
            .await?;
        tx.insert_oauth_code(&stored).await?;
        tx.commit().await?;
        let mut params = vec![("code", code.as_str())];
        if let Some(s) = &auth.state {
            params.push(("state", s));
        }
        Ok(ConsentOutcome::Redirect(with_params(
            &auth.redirect_uri,
            &params,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::with_params;

    #[test]
    fn params_join_the_query_the_uri_has() {
        assert_eq!(
            with_params("https://a.example/cb", &[("code", "x y")]),
            "https://a.example/cb?code=x+y"
        );
        assert_eq!(
            with_params(
                "https://a.example/cb?t=%2F1",
                &[("code", "c"), ("state", "s&t")]
            ),
            "https://a.example/cb?t=%2F1&code=c&state=s%26t"
        );
        assert_eq!(
            with_params("https://a.example/cb?", &[("code", "c")]),
            "https://a.example/cb?code=c"
        );
    }
}
