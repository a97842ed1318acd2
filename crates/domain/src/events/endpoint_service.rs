//! Endpoint and subscription use cases: webhooks and websockets of a company, the events they
//! subscribe to, their secrets, and the tokens websocket clients connect with.

use base64::Engine;
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::events::endpoint::{
    check_hook_url, check_secret, company_signing_owner, endpoint_signing_owner, is_private_host,
    url_host, Endpoint, EndpointKind, MAX_ENDPOINTS,
};
use crate::events::endpoint_store::Frame;
use crate::events::subscription::{
    Filter, Subscription, SubscriptionKind, MAX_COMPANY_LEVEL, MAX_PER_TYPE, SCOPE_CHANGE_LOG,
};
use crate::events::Events;
use crate::ids::{CompanyId, EndpointId, Id, SubscriptionId};
use crate::page::{KeysetPaged, PageRequest};
use crate::secret::{secret_context, SecretPurpose};
use crate::telephony::keyset::Opened;
use crate::telephony::number::Target;
use crate::{DomainError, Result};

/// How long a websocket token is good for.
pub const WEBSOCKET_TOKEN_TTL: SignedDuration = SignedDuration::from_secs(3600);

const PURPOSE: SecretPurpose = SecretPurpose::WebhookSigning;
const TOKEN_SCOPE: &str = "events.websocket";

/// What a websocket token grants: the endpoint, or one of its subscriptions, until `exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebsocketGrant {
    #[serde(rename = "e")]
    pub endpoint: EndpointId,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<SubscriptionId>,
    #[serde(rename = "x")]
    pub expires: i64,
}

/// A change to a subscription: what is given replaces.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionChange {
    pub endpoint_id: Option<EndpointId>,
    pub enabled: Option<bool>,
    /// `Some(None)` removes the target.
    pub target: Option<Option<Target>>,
    pub filter: Option<Filter>,
}

impl Events<'_> {
    /// One of the company's endpoints of `kind`.
    pub async fn endpoint(
        &self,
        company: CompanyId,
        kind: EndpointKind,
        id: EndpointId,
    ) -> Result<Endpoint> {
        self.store
            .endpoint(company, id)
            .await?
            .filter(|e| e.kind == kind)
            .ok_or(DomainError::NotFound(kind.as_str()))
    }

    /// Whether the company has an endpoint (webhook or websocket) with this id.
    pub async fn endpoint_exists(&self, company: CompanyId, id: i64) -> Result<bool> {
        Ok(self
            .store
            .endpoint(company, EndpointId(id))
            .await?
            .is_some())
    }

    /// A page of the company's endpoints of `kind`.
    pub async fn endpoints(
        &self,
        company: CompanyId,
        kind: EndpointKind,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Endpoint>> {
        let list = format!("events.endpoints:{}:{}", company.0, kind.as_str());
        let opened = Opened::open(self, list, req).await?;
        let found = self
            .store
            .endpoints_page(company, kind, opened.page())
            .await?;
        Ok(opened.finish(found, |e| e.id.0))
    }

    fn checked_url(&self, raw: &str) -> Result<String> {
        let url = check_hook_url(raw)?;
        if !self.allow_private_hooks && is_private_host(url_host(&url)) {
            return Err(DomainError::invalid(
                "hook_url points at a private or loopback address",
            ));
        }
        Ok(url)
    }

    /// Creates a webhook (`hook_url` required) or websocket, with an optional secret.
    pub async fn create_endpoint(
        &self,
        company: CompanyId,
        kind: EndpointKind,
        hook_url: Option<&str>,
        secret: Option<&str>,
    ) -> Result<Endpoint> {
        let hook_url = match kind {
            EndpointKind::Webhook => Some(self.checked_url(hook_url.unwrap_or_default())?),
            EndpointKind::Websocket => None,
        };
        let secret = secret.map(check_secret).transpose()?.flatten();
        let now = self.clock.now();
        let endpoint = Endpoint {
            id: EndpointId::generate(),
            company_id: company,
            kind,
            hook_url,
            has_secret: secret.is_some(),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.company_for_update(company).await?;
        if tx.count_endpoints(company, kind).await? >= MAX_ENDPOINTS {
            return Err(DomainError::invalid(format!(
                "a company has at most {MAX_ENDPOINTS} {}s",
                kind.as_str()
            )));
        }
        tx.insert_endpoint(&endpoint).await?;
        if let Some(secret) = &secret {
            self.put_endpoint_secret(tx.as_mut(), endpoint.id, secret)
                .await?;
        }
        tx.commit().await?;
        Ok(endpoint)
    }

    /// Changes a webhook's URL and either endpoint's secret (`""` removes it).
    pub async fn update_endpoint(
        &self,
        company: CompanyId,
        kind: EndpointKind,
        id: EndpointId,
        hook_url: Option<&str>,
        secret: Option<&str>,
    ) -> Result<Endpoint> {
        let hook_url = match (kind, hook_url) {
            (EndpointKind::Webhook, Some(url)) => Some(self.checked_url(url)?),
            _ => None,
        };
        let secret = secret.map(check_secret).transpose()?;
        let mut tx = self.store.begin().await?;
        let mut endpoint = tx
            .endpoint_for_update(company, id)
            .await?
            .filter(|e| e.kind == kind)
            .ok_or(DomainError::NotFound(kind.as_str()))?;
        if let Some(url) = hook_url {
            endpoint.hook_url = Some(url);
        }
        match &secret {
            Some(Some(s)) => {
                self.put_endpoint_secret(tx.as_mut(), id, s).await?;
                endpoint.has_secret = true;
            }
            Some(None) => {
                tx.delete_secret(PURPOSE, &endpoint_signing_owner(id))
                    .await?;
                endpoint.has_secret = false;
            }
            None => {}
        }
        endpoint.updated_at = self.clock.now();
        tx.update_endpoint(&endpoint).await?;
        tx.commit().await?;
        Ok(endpoint)
    }

    /// Deletes an endpoint with its subscriptions; answers it as it was.
    pub async fn delete_endpoint(
        &self,
        company: CompanyId,
        kind: EndpointKind,
        id: EndpointId,
    ) -> Result<Endpoint> {
        let mut tx = self.store.begin().await?;
        let endpoint = tx
            .endpoint_for_update(company, id)
            .await?
            .filter(|e| e.kind == kind)
            .ok_or(DomainError::NotFound(kind.as_str()))?;
        tx.delete_endpoint(id).await?;
        tx.delete_secret(PURPOSE, &endpoint_signing_owner(id))
            .await?;
        tx.commit().await?;
        Ok(endpoint)
    }

    async fn put_endpoint_secret(
        &self,
        tx: &mut dyn crate::store::WriteTx,
        id: EndpointId,
        secret: &str,
    ) -> Result<()> {
        let owner = endpoint_signing_owner(id);
        let whsec = format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(secret.as_bytes())
        );
        let sealed = self
            .cipher
            .seal(whsec.as_bytes(), &secret_context(PURPOSE, &owner))?;
        tx.put_secret(PURPOSE, &owner, &sealed, self.clock.now())
            .await
    }

    /// The secret an endpoint's events are signed with (its bytes), if it has one.
    pub async fn endpoint_secret(&self, endpoint: &Endpoint) -> Result<Option<Vec<u8>>> {
        if !endpoint.has_secret {
            return Ok(None);
        }
        let whsec = self
            .signing_secret(&endpoint_signing_owner(endpoint.id))
            .await?;
        let b64 = whsec.strip_prefix("whsec_").unwrap_or(&whsec);
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map(Some)
            .map_err(DomainError::internal)
    }

    /// Whose secret keys the `webhook-signature` of the endpoint's deliveries.
    pub fn delivery_signing_owner(endpoint: &Endpoint) -> String {
        if endpoint.has_secret {
            endpoint_signing_owner(endpoint.id)
        } else {
            company_signing_owner(endpoint.company_id)
        }
    }

    /// A token for a websocket client: the endpoint's (all its subscriptions) or one
    /// subscription's, valid for [`WEBSOCKET_TOKEN_TTL`] from now.
    pub async fn websocket_token(
        &self,
        endpoint: EndpointId,
        subscription: Option<SubscriptionId>,
    ) -> Result<String> {
        let expires = self
            .clock
            .now()
            .saturating_add(WEBSOCKET_TOKEN_TTL)
            .map_err(DomainError::internal)?
            .as_second();
        let grant = WebsocketGrant {
            endpoint,
            subscription,
            expires,
        };
        Ok(self.cursor_key().await?.seal(TOKEN_SCOPE, &grant))
    }

    /// What a websocket token grants; an altered, foreign or expired token is refused.
    pub async fn open_websocket_token(&self, token: &str) -> Result<(Endpoint, WebsocketGrant)> {
        let refused = || DomainError::Unauthenticated("the websocket token is not valid".into());
        let grant: WebsocketGrant = self
            .cursor_key()
            .await?
            .open(TOKEN_SCOPE, token)
            .map_err(|_| refused())?;
        if grant.expires <= self.clock.now().as_second() {
            return Err(DomainError::Unauthenticated(
                "the websocket token has expired".into(),
            ));
        }
        let endpoint = self
            .store
            .endpoint_by_id(grant.endpoint)
            .await?
            .filter(|e| e.kind == EndpointKind::Websocket)
            .ok_or_else(refused)?;
        if let Some(s) = grant.subscription {
            self.store
                .subscription_any(endpoint.company_id, s)
                .await?
                .filter(|sub| sub.endpoint_id == endpoint.id)
                .ok_or_else(refused)?;
        }
        Ok((endpoint, grant))
    }

    /// Frames of a websocket after `after_seq` (see [`Frame`]).
    pub async fn websocket_frames(
        &self,
        grant: &WebsocketGrant,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<Frame>> {
        self.store
            .frames_after(grant.endpoint, grant.subscription, after_seq, limit)
            .await
    }

    /// One of the company's subscriptions of `kind`.
    pub async fn subscription(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        id: SubscriptionId,
    ) -> Result<Subscription> {
        self.store
            .subscription(company, kind, id)
            .await?
            .ok_or(DomainError::NotFound("subscription"))
    }

    /// A page of the company's subscriptions of `kind`.
    pub async fn subscriptions(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        target: Option<Target>,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Subscription>> {
        let list = format!(
            "events.subscriptions:{}:{}:{}",
            company.0,
            kind.as_str(),
            target.map_or(String::new(), |t| format!("{}:{}", t.kind.as_str(), t.id))
        );
        let opened = Opened::open(self, list, req).await?;
        let found = self
            .store
            .subscriptions_page(company, kind, target, opened.page())
            .await?;
        Ok(opened.finish(found, |s| s.id.0))
    }

    async fn check_subscription(&self, s: &Subscription) -> Result<()> {
        s.filter.check()?;
        if self
            .store
            .endpoint(s.company_id, s.endpoint_id)
            .await?
            .is_none()
        {
            return Err(DomainError::NotFound("endpoint"));
        }
        if let Some(target) = s.target {
            if !s.kind().takes_target() {
                return Err(DomainError::invalid(format!(
                    "{} subscriptions are company-wide and take no target",
                    s.kind().as_str()
                )));
            }
            self.telephony().target_office(s.company_id, target).await?;
        }
        if s.kind() == crate::events::subscription::SubscriptionKind::ChangeLog
            && !s.has_scope(SCOPE_CHANGE_LOG)
        {
            return Err(DomainError::Forbidden(format!(
                "change-log subscriptions need the '{SCOPE_CHANGE_LOG}' scope"
            )));
        }
        Ok(())
    }

    async fn check_limits(
        &self,
        tx: &mut dyn crate::store::WriteTx,
        s: &Subscription,
        adding: bool,
        to_company_level: bool,
    ) -> Result<()> {
        tx.company_for_update(s.company_id).await?;
        let (all, company_level) = tx.count_subscriptions(s.company_id, s.kind()).await?;
        let kind = s.kind().as_str();
        if adding && all >= MAX_PER_TYPE {
            return Err(DomainError::invalid(format!(
                "a company has at most {MAX_PER_TYPE} {kind} subscriptions"
            )));
        }
        if to_company_level && company_level >= MAX_COMPANY_LEVEL {
            return Err(DomainError::invalid(format!(
                "a company has at most {MAX_COMPANY_LEVEL} {kind} subscriptions without a target"
            )));
        }
        Ok(())
    }

    /// Subscribes an endpoint of the company to its events of the filter's type.
    pub async fn create_subscription(
        &self,
        company: CompanyId,
        endpoint_id: EndpointId,
        enabled: bool,
        target: Option<Target>,
        filter: Filter,
        scopes: Option<Vec<String>>,
    ) -> Result<Subscription> {
        let now = self.clock.now();
        let sub = Subscription {
            id: SubscriptionId::generate(),
            company_id: company,
            endpoint_id,
            enabled,
            target,
            filter,
            scopes,
            created_at: now,
            updated_at: now,
        };
        self.check_subscription(&sub).await?;
        let mut tx = self.store.begin().await?;
        self.check_limits(tx.as_mut(), &sub, true, sub.target.is_none())
            .await?;
        tx.insert_subscription(&sub).await?;
        tx.commit().await?;
        Ok(sub)
    }

    /// Changes a subscription; what the change gives replaces.
    pub async fn update_subscription(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        id: SubscriptionId,
        change: SubscriptionChange,
    ) -> Result<Subscription> {
        let mut tx = self.store.begin().await?;
        let mut sub = tx
            .subscription_for_update(company, kind, id)
            .await?
            .ok_or(DomainError::NotFound("subscription"))?;
        let had_target = sub.target.is_some();
        if let Some(e) = change.endpoint_id {
            sub.endpoint_id = e;
        }
        if let Some(on) = change.enabled {
            sub.enabled = on;
        }
        if let Some(t) = change.target {
            sub.target = t;
        }
        if let Some(f) = change.filter {
            sub.filter = f;
        }
        sub.updated_at = self.clock.now();
        self.check_subscription(&sub).await?;
        let to_company_level = had_target && sub.target.is_none();
        self.check_limits(tx.as_mut(), &sub, false, to_company_level)
            .await?;
        tx.update_subscription(&sub).await?;
        tx.commit().await?;
        Ok(sub)
    }

    /// Deletes a subscription; answers it as it was.
    pub async fn delete_subscription(
        &self,
        company: CompanyId,
        kind: SubscriptionKind,
        id: SubscriptionId,
    ) -> Result<Subscription> {
        let mut tx = self.store.begin().await?;
        let sub = tx
            .subscription_for_update(company, kind, id)
            .await?
            .ok_or(DomainError::NotFound("subscription"))?;
        tx.delete_subscription(id).await?;
        tx.commit().await?;
        Ok(sub)
    }

    /// The endpoints of subscriptions (one batched read per page), by id.
    pub async fn endpoints_of(
        &self,
        company: CompanyId,
        subs: &[Subscription],
    ) -> Result<std::collections::HashMap<EndpointId, Endpoint>> {
        let mut ids: Vec<EndpointId> = subs.iter().map(|s| s.endpoint_id).collect();
        ids.sort();
        ids.dedup();
        let found = self.store.endpoints_by_ids(company, &ids).await?;
        Ok(found.into_iter().map(|e| (e.id, e)).collect())
    }
}
