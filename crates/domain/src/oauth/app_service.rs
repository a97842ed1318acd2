//! The use cases of OAuth apps: register (the secret returned once), list, delete (with every
//! code and token issued for it), and the app's settings for a target of its company.

use serde_json::{Map, Value};

use crate::ids::{ChannelId, CoachingTeamId, CompanyId, Id, OAuthAppId, UserId};
use crate::oauth::app::{self, NewApp, OAuthApp, RegisteredApp, MAX_REDIRECT_URIS};
use crate::oauth::OAuth;
use crate::telephony::number::{Target, TargetKind};
use crate::{DomainError, Result};

/// What `GET /app/settings` may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsTarget {
    /// A directory target that can hold numbers (user, office, group, room, call router).
    Directory(Target),
    Channel(ChannelId),
    CoachingTeam(CoachingTeamId),
}

/// An app's settings for a target.
#[derive(Debug, Clone, PartialEq)]
pub struct AppSettings {
    /// For a user: whether they have authorized the app (hold a live token); for the company
    /// and its other targets: true (the app is the company's own).
    pub enabled: bool,
    /// Screen-pop preference is not kept: always false.
    pub is_preferred_service: bool,
    pub settings: Map<String, Value>,
}

fn missing() -> DomainError {
    DomainError::NotFound("oauth app")
}

impl OAuth<'_> {
    /// Registers an app of the company; its secret is in the answer and nowhere else.
    pub async fn create_app(&self, company: CompanyId, new: NewApp) -> Result<RegisteredApp> {
        self.store
            .company(company)
            .await?
            .ok_or(DomainError::NotFound("company"))?;
        let name = app::app_name(&new.name)?;
        if new.redirect_uris.is_empty() || new.redirect_uris.len() > MAX_REDIRECT_URIS {
            return Err(DomainError::invalid(format!(
                "an app has 1 to {MAX_REDIRECT_URIS} redirect URIs"
            )));
        }
        let mut uris: Vec<String> = Vec::new();
        for raw in &new.redirect_uris {
            let uri = app::redirect_uri(raw)?;
            if !uris.contains(&uri) {
                uris.push(uri);
            }
        }
        let client_secret = app::random_secret("sbcs_");
        let app = OAuthApp {
            id: OAuthAppId::generate(),
            company_id: company,
            name,
            client_id: app::new_client_id(),
            secret_hash: app::hash_secret(&client_secret),
            redirect_uris: uris,
            settings: new.settings.unwrap_or_default(),
            created_at: self.clock.now(),
        };
        let mut tx = self.store.begin().await?;
        tx.insert_oauth_app(&app).await?;
        tx.commit().await?;
        Ok(RegisteredApp { app, client_secret })
    }

    /// One page of the company's apps in id order, after `after`.
    pub async fn apps(
        &self,
        company: CompanyId,
        after: Option<OAuthAppId>,
        limit: u32,
    ) -> Result<Vec<OAuthApp>> {
        self.store.oauth_apps_page(company, after, limit).await
    }

    /// One of the company's apps.
    pub async fn app(&self, company: CompanyId, id: OAuthAppId) -> Result<OAuthApp> {
        self.store
            .oauth_app(id)
            .await?
            .filter(|a| a.company_id == company)
            .ok_or_else(missing)
    }

    /// Deletes one of the company's apps; its codes and tokens stop working at once.
    pub async fn delete_app(&self, company: CompanyId, id: OAuthAppId) -> Result<()> {
        let mut tx = self.store.begin().await?;
        if !tx.delete_oauth_app(company, id).await? {
            return Err(missing());
        }
        tx.commit().await
    }

    /// The settings of the app behind an access token, for the company (no target) or one of
    /// its targets (another company's, or a deleted user, is not found).
    pub async fn app_settings(
        &self,
        company: CompanyId,
        id: OAuthAppId,
        target: Option<SettingsTarget>,
    ) -> Result<AppSettings> {
        let app = self.app(company, id).await?;
        let t = self.telephony();
        let enabled = match target {
            None => true,
            Some(SettingsTarget::Channel(c)) => t.channel(company, c).await.map(|_| true)?,
            Some(SettingsTarget::CoachingTeam(c)) => {
                t.coaching_team(company, c).await.map(|_| true)?
            }
            Some(SettingsTarget::Directory(target)) => {
                t.target_office(company, target).await?;
                match target.kind {
                    TargetKind::User => {
                        let user = UserId::from_raw(target.id);
                        let now = self.clock.now();
                        self.store.oauth_authorized(app.id, user, now).await?
                    }
                    _ => true,
                }
            }
        };
        Ok(AppSettings {
            enabled,
            is_preferred_service: false,
            settings: app::effective_settings(&app),
        })
    }
}
