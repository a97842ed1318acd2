//! A call's transcript as it is read back: its lines with who said them (the outside party's
//! number, or the user's name), and a link to it on this server, signed and valid for 15
//! minutes, that needs no key (an HMAC of `transcript:{call}:{expires}` under the server's
//! media-signing key).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::calls::leg::{CallLeg, TranscriptLine};
use crate::calls::Calls;
use crate::ids::{CallId, CompanyId, UserId};
use crate::secret::SecretPurpose;
use crate::{DomainError, Result};

/// How long a transcript link stays valid, in seconds.
const LINK_SECONDS: i64 = 15 * 60;

/// A transcript with its speakers.
#[derive(Debug, Clone)]
pub struct Transcript {
    pub leg: CallLeg,
    /// Each line with its speaker's user id (internal lines) and name.
    pub lines: Vec<(TranscriptLine, Option<UserId>, String)>,
}

impl Calls<'_> {
    async fn link_mac(&self, call: CallId, expires: i64) -> Result<Hmac<Sha256>> {
        let key = self.server_key(SecretPurpose::MediaSigning).await?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(DomainError::internal)?;
        mac.update(format!("transcript:{}:{expires}", call.0).as_bytes());
        Ok(mac)
    }

    pub(crate) async fn transcript_of(&self, leg: CallLeg) -> Result<Transcript> {
        let raw = self.store.transcript(leg.id).await?;
        let mut names: Vec<(UserId, String)> = Vec::new();
        let mut lines = Vec::with_capacity(raw.len());
        for line in raw {
            let user = (line.side == "internal")
                .then(|| line.speaker.as_deref().and_then(|s| s.parse().ok()))
                .flatten()
                .map(UserId);
            let name = match user {
                Some(u) => match names.iter().find(|(id, _)| *id == u) {
                    Some((_, n)) => n.clone(),
                    None => {
                        let n = self
                            .store
                            .directory_user(leg.company_id, u)
                            .await?
                            .map(|d| d.user.display_name())
                            .unwrap_or_default();
                        names.push((u, n.clone()));
                        n
                    }
                },
                None => line.speaker.clone().unwrap_or_default(),
            };
            lines.push((line, user, name));
        }
        Ok(Transcript { leg, lines })
    }

    /// The transcript of one of the company's calls.
    pub async fn transcript_view(&self, company: CompanyId, id: CallId) -> Result<Transcript> {
        let leg = self.call(company, id).await?;
        self.transcript_of(leg).await
    }

    /// A signed link to the transcript of one of the company's calls: `(expires (Unix
    /// seconds), signature)`.
    pub async fn transcript_link(&self, company: CompanyId, id: CallId) -> Result<(i64, String)> {
        let leg = self.call(company, id).await?;
        let expires = self.clock.now().as_second() + LINK_SECONDS;
        let mac = self.link_mac(leg.id, expires).await?;
        Ok((expires, hex::encode(mac.finalize().into_bytes())))
    }

    /// The transcript behind a signed link; an expired link or a wrong signature is refused
    /// (`Forbidden`).
    pub async fn open_transcript_link(
        &self,
        id: CallId,
        expires: i64,
        signature: &str,
    ) -> Result<Transcript> {
        let refused = |m: &str| DomainError::Forbidden(m.to_owned());
        if expires <= self.clock.now().as_second() {
            return Err(refused("the link has expired"));
        }
        let sig = hex::decode(signature).map_err(|_| refused("the signature does not match"))?;
        self.link_mac(id, expires)
            .await?
            .verify_slice(&sig)
            .map_err(|_| refused("the signature does not match"))?;
        let leg = self
            .store
            .call_leg_any(id)
            .await?
            .ok_or(DomainError::NotFound("call"))?;
        self.transcript_of(leg).await
    }
}
