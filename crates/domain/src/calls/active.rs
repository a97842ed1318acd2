//! What a user does to the call they are on: recording on or off, voice intelligence on or off;
//! and a screen pop on their device.
//!
//! The user's active call is their own leg of the call they talk on now (connected or on hold):
//! an operator's leg, or the one leg of a call to or from them. None is a conflict (409).
//! Recording acts on the user's leg (`user`), on the group's entry leg it answered (`group`,
//! for group calls only) or on both (`all`); a leg once recorded stays `was_recorded`.

use crate::calls::control::save;
use crate::calls::leg::CallLeg;
use crate::calls::{Calls, Effect, Step};
use crate::ids::{CompanyId, UserId};
use crate::telephony::device::Device;
use crate::{DomainError, Result};

/// Which legs a recording change acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingScope {
    /// The user's own leg.
    User,
    /// The group call (the entry leg the user's leg answered).
    Group,
    All,
}

/// Longest screen-pop URI, in characters.
const MAX_URI: usize = 2048;

impl Calls<'_> {
    /// The user's active leg id, after checking that the user is the company's.
    async fn active_leg(&self, company: CompanyId, user: UserId) -> Result<CallLeg> {
        self.telephony().live_directory_user(company, user).await?;
        self.store
            .active_leg_of(company, user)
            .await?
            .ok_or_else(|| DomainError::Conflict("the user has no active call".into()))
    }

    /// Starts or stops recording the user's active call (announcing it when `announce`);
    /// answers the user's leg.
    pub async fn set_recording(
        &self,
        company: CompanyId,
        user: UserId,
        on: bool,
        scope: RecordingScope,
        announce: bool,
    ) -> Result<CallLeg> {
        let found = self.active_leg(company, user).await?;
        if scope == RecordingScope::Group && found.entry_point_call_id.is_none() {
            return Err(DomainError::invalid(
                "recording_type 'group' is for group calls only",
            ));
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut leg = tx
            .call_leg_for_update(company, found.id)
            .await?
            .filter(|l| l.state.is_live() && l.user_id == Some(user))
            .ok_or_else(|| DomainError::Conflict("the user has no active call".into()))?;
        let mut legs = Vec::new();
        if scope != RecordingScope::Group {
            legs.push(leg.id);
        }
        if scope != RecordingScope::User {
            if let Some(entry) = leg.entry_point_call_id {
                let mut entry = tx
                    .call_leg_for_update(company, entry)
                    .await?
                    .ok_or(DomainError::NotFound("call"))?;
                entry.recording = on;
                entry.was_recorded |= on;
                let state = entry.state;
                save(tx.as_mut(), &mut entry, state, now).await?;
                legs.push(entry.id);
            }
        }
        if scope != RecordingScope::Group {
            leg.recording = on;
            leg.was_recorded |= on;
            let state = leg.state;
            save(tx.as_mut(), &mut leg, state, now).await?;
        }
        tx.commit().await?;
        let mut step = Step::default();
        for id in legs {
            step.effects.push(Effect::Record { leg: id, on });
        }
        if announce {
            step.effects.push(Effect::Play {
                leg: leg.id,
                prompt: if on {
                    "This call is being recorded.".into()
                } else {
                    "Recording has stopped.".into()
                },
            });
        }
        self.finish(step).await?;
        self.call(company, leg.id).await
    }

    /// Turns voice intelligence on or off on the user's active call; answers the user's leg.
    pub async fn set_voice_intelligence(
        &self,
        company: CompanyId,
        user: UserId,
        on: bool,
    ) -> Result<CallLeg> {
        let found = self.active_leg(company, user).await?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut leg = tx
            .call_leg_for_update(company, found.id)
            .await?
            .filter(|l| l.state.is_live() && l.user_id == Some(user))
            .ok_or_else(|| DomainError::Conflict("the user has no active call".into()))?;
        leg.voice_intelligence = on;
        let state = leg.state;
        save(tx.as_mut(), &mut leg, state, now).await?;
        tx.commit().await?;
        Ok(leg)
    }

    /// Pops `uri` up on the user's device: a URI with a scheme (`https://…`, `customuri://…`)
    /// and no user name or password in it. Nothing is stored; answers the device it goes to
    /// (the user's first registered device, if any).
    pub async fn screen_pop(
        &self,
        company: CompanyId,
        user: UserId,
        uri: &str,
    ) -> Result<Option<Device>> {
        let uri = uri.trim();
        if uri.is_empty() || uri.chars().count() > MAX_URI {
            return Err(DomainError::invalid(format!(
                "screen_pop_uri must be 1 to {MAX_URI} characters"
            )));
        }
        let parsed = url::Url::parse(uri)
            .map_err(|_| DomainError::invalid("screen_pop_uri must be a URI with a scheme"))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(DomainError::invalid(
                "screen_pop_uri may not carry a user name or password",
            ));
        }
        self.telephony().live_directory_user(company, user).await?;
        self.first_device(company, user).await
    }
}
