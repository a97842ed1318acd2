//! Media uploads: signed upload forms, accepting the upload, and signed links to the file.
//!
//! A form carries a base64 JSON policy (the file id, the expiry, the size limit) and an
//! HMAC-SHA256 of it under a server key that is generated once and kept sealed in the secrets
//! table; file links carry an HMAC of the file id and the link's expiry.

use base64::Engine;
use hmac::{Hmac, Mac};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::clock::iso_millis;
use crate::ids::{CompanyId, Id, MediaId, UserId};
use crate::media::Media;
use crate::media::{MediaFile, MediaKind};
use crate::secret::SecretPurpose;
use crate::{DomainError, Result};

/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// How long an upload form and a file link stay valid.
const VALIDITY_SECS: i64 = 15 * 60;

/// A signed upload form for one file.
#[derive(Debug, Clone)]
pub struct UploadForm {
    pub file: MediaFile,
    /// Base64 of the JSON policy.
    pub policy: String,
    /// Hex HMAC-SHA256 of `policy`.
    pub signature: String,
}

fn refused(message: &str) -> DomainError {
    DomainError::Forbidden(message.to_owned())
}

impl Media<'_> {
    /// The server's signing key, made and sealed on first use.
    async fn signing_key(&self) -> Result<Vec<u8>> {
        self.server_key(SecretPurpose::MediaSigning).await
    }

    async fn mac(&self) -> Result<Hmac<Sha256>> {
        Hmac::<Sha256>::new_from_slice(&self.signing_key().await?).map_err(DomainError::internal)
    }

    /// A signed form to upload an avatar or audio file for an agent of the company.
    pub async fn presign_upload(
        &self,
        company: CompanyId,
        agent: UserId,
        kind: MediaKind,
    ) -> Result<UploadForm> {
        self.workforce().agent_user(company, agent).await?;
        let now = self.clock.now();
        let expires_at = now
            .checked_add(SignedDuration::from_secs(VALIDITY_SECS))
            .map_err(DomainError::internal)?;
        let file = MediaFile {
            id: MediaId::generate(),
            company_id: company,
            user_id: Some(agent),
            kind,
            content_type: None,
            size: None,
            expires_at,
            created_at: now,
            uploaded_at: None,
        };
        let policy = json!({
            "expiration": iso_millis(expires_at),
            "conditions": [
                {"key": file.id.to_uuid()},
                {"kind": kind.as_str()},
                ["content-length-range", 0, MAX_UPLOAD_BYTES],
            ],
        });
        let policy = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
        let mut mac = self.mac().await?;
        mac.update(policy.as_bytes());
        let signature = hex::encode(mac.finalize().into_bytes());
        let mut tx = self.store.begin().await?;
        tx.insert_media(&file).await?;
        tx.commit().await?;
        Ok(UploadForm {
            file,
            policy,
            signature,
        })
    }

    /// Stores an upload sent with a signed form. A bad or expired signature, or a form of
    /// another workspace, is refused (`Forbidden`).
    pub async fn accept_upload(
        &self,
        company: CompanyId,
        policy: &str,
        signature: &str,
        key: &str,
        content_type: Option<String>,
        bytes: &[u8],
    ) -> Result<MediaFile> {
        let files = self
            .files
            .clone()
            .ok_or_else(|| DomainError::internal("no file storage configured"))?;
        let mut mac = self.mac().await?;
        mac.update(policy.as_bytes());
        let sig = hex::decode(signature).map_err(|_| refused("the signature does not match"))?;
        mac.verify_slice(&sig)
            .map_err(|_| refused("the signature does not match"))?;
        let doc: Value = base64::engine::general_purpose::STANDARD
            .decode(policy)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| refused("the policy cannot be read"))?;
        let expiration: Timestamp = doc["expiration"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| refused("the policy has no expiration"))?;
        if expiration <= self.clock.now() {
            return Err(refused("the upload form has expired"));
        }
        let signed_key = doc["conditions"][0]["key"].as_str().unwrap_or_default();
        if signed_key != key {
            return Err(refused("key does not match the policy"));
        }
        let id = MediaId::from_uuid(key).ok_or_else(|| refused("unknown key"))?;
        let mut file = self
            .store
            .media(id)
            .await?
            .filter(|f| f.company_id == company)
            .ok_or_else(|| refused("unknown key"))?;
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(DomainError::invalid(format!(
                "the file is larger than {MAX_UPLOAD_BYTES} bytes"
            )));
        }
        files.put(id, bytes).await?;
        file.content_type = content_type;
        file.size = Some(bytes.len() as i64);
        file.uploaded_at = Some(self.clock.now());
        let mut tx = self.store.begin().await?;
        tx.mark_media_uploaded(&file).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// A signed link to an uploaded file of an agent: `(file, expires (Unix seconds),
    /// signature)`.
    pub async fn media_link(
        &self,
        company: CompanyId,
        agent: UserId,
        id: MediaId,
    ) -> Result<(MediaFile, i64, String)> {
        self.workforce().agent_user(company, agent).await?;
        let file = self
            .store
            .media(id)
            .await?
            .filter(|f| {
                f.company_id == company && f.user_id == Some(agent) && f.uploaded_at.is_some()
            })
            .ok_or(DomainError::NotFound("media"))?;
        let expires = self.clock.now().as_second() + VALIDITY_SECS;
        let signature = self.link_signature(id, expires).await?;
        Ok((file, expires, signature))
    }

    /// Stores a company's file given whole (not through an upload form), for `user` when it
    /// is a user's: the record, then the bytes, then the record marked uploaded.
    pub async fn store_file(
        &self,
        company: CompanyId,
        user: Option<UserId>,
        kind: MediaKind,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<MediaFile> {
        let files = self
            .files
            .clone()
            .ok_or_else(|| DomainError::internal("no file storage configured"))?;
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(DomainError::invalid(format!(
                "the file is larger than {MAX_UPLOAD_BYTES} bytes"
            )));
        }
        let now = self.clock.now();
        let mut file = MediaFile {
            id: MediaId::generate(),
            company_id: company,
            user_id: user,
            kind,
            content_type: Some(content_type.to_owned()),
            size: Some(bytes.len() as i64),
            expires_at: now,
            created_at: now,
            uploaded_at: None,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_media(&file).await?;
        tx.commit().await?;
        files.put(file.id, bytes).await?;
        file.uploaded_at = Some(now);
        let mut tx = self.store.begin().await?;
        tx.mark_media_uploaded(&file).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// A signed link to one of the company's stored files: `(expires (Unix seconds),
    /// signature)`, valid for 15 minutes.
    pub async fn file_link(&self, company: CompanyId, id: MediaId) -> Result<(i64, String)> {
        self.store
            .media(id)
            .await?
            .filter(|f| f.company_id == company && f.uploaded_at.is_some())
            .ok_or(DomainError::NotFound("media"))?;
        let expires = self.clock.now().as_second() + VALIDITY_SECS;
        Ok((expires, self.link_signature(id, expires).await?))
    }

    /// Signed links to many of a company's files at once (files the caller has already
    /// found to be the company's): `(expires, signature)` for each, in order.
    pub async fn signed_links(&self, ids: &[MediaId]) -> Result<Vec<(i64, String)>> {
        let expires = self.clock.now().as_second() + VALIDITY_SECS;
        let mac = self.mac().await?;
        Ok(ids
            .iter()
            .map(|id| {
                let mut m = mac.clone();
                m.update(format!("{}:{expires}", id.to_uuid()).as_bytes());
                (expires, hex::encode(m.finalize().into_bytes()))
            })
            .collect())
    }

    /// The bytes behind a signed link of any company (the signature names the file); an
    /// expired or wrong signature is refused.
    pub async fn open_signed_link(
        &self,
        id: MediaId,
        expires: i64,
        signature: &str,
    ) -> Result<(MediaFile, Vec<u8>)> {
        if expires <= self.clock.now().as_second() {
            return Err(refused("the link has expired"));
        }
        let sig = hex::decode(signature).map_err(|_| refused("the signature does not match"))?;
        let mut mac = self.mac().await?;
        mac.update(format!("{}:{expires}", id.to_uuid()).as_bytes());
        mac.verify_slice(&sig)
            .map_err(|_| refused("the signature does not match"))?;
        let file = self
            .store
            .media(id)
            .await?
            .ok_or(DomainError::NotFound("media"))?;
        self.open_media_link(file.company_id, id, expires, signature)
            .await
    }

    async fn link_signature(&self, id: MediaId, expires: i64) -> Result<String> {
        let mut mac = self.mac().await?;
        mac.update(format!("{}:{expires}", id.to_uuid()).as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// The bytes behind a signed link; an expired or wrong signature is refused.
    pub async fn open_media_link(
        &self,
        company: CompanyId,
        id: MediaId,
        expires: i64,
        signature: &str,
    ) -> Result<(MediaFile, Vec<u8>)> {
        if expires <= self.clock.now().as_second() {
            return Err(refused("the link has expired"));
        }
        let mut mac = self.mac().await?;
        mac.update(format!("{}:{expires}", id.to_uuid()).as_bytes());
        let sig = hex::decode(signature).map_err(|_| refused("the signature does not match"))?;
        mac.verify_slice(&sig)
            .map_err(|_| refused("the signature does not match"))?;
        let file = self
            .store
            .media(id)
            .await?
            .filter(|f| f.company_id == company)
            .ok_or(DomainError::NotFound("media"))?;
        let files = self
            .files
            .clone()
            .ok_or_else(|| DomainError::internal("no file storage configured"))?;
        let bytes = files.get(id).await?.ok_or(DomainError::NotFound("media"))?;
        Ok((file, bytes))
    }
}
