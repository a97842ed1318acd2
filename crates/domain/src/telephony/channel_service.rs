//! The use cases of channels and their members. Every read and write is scoped to the
//! caller's company: another company's channel or user reads as missing. Deleting a user
//! removes them from every channel (see the directory).

use serde_json::json;

use crate::ids::{ChannelId, CompanyId, Id, UserId};
use crate::page::{KeysetPaged, PageRequest};
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::channel::{check_texts, Channel, ChannelFilter, NewChannel};
use crate::telephony::directory::DirectoryUser;
use crate::telephony::keyset::Opened;
use crate::telephony::office::EntryState;
use crate::telephony::Telephony;
use crate::{DomainError, Result};

fn missing() -> DomainError {
    DomainError::NotFound("channel")
}

impl Telephony<'_> {
    /// One of the company's channels.
    pub async fn channel(&self, company: CompanyId, id: ChannelId) -> Result<Channel> {
        self.store.channel(company, id).await?.ok_or_else(missing)
    }

    /// The company's channels matching `filter`, a page at a time in id order.
    pub async fn channels(
        &self,
        company: CompanyId,
        filter: &ChannelFilter,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Channel>> {
        let scope = format!(
            "telephony.channels:{}:{}",
            company.0,
            filter.state.map_or("", |s| s.as_str())
        );
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .channels_page(company, filter, opened.page())
            .await?;
        Ok(opened.finish(found, |c| c.id.0))
    }

    /// Creates a channel, active; its owner (one of the company's users, not deleted) is its
    /// first member. A name the company already has is a conflict.
    pub async fn create_channel(&self, actor: &Actor, new: NewChannel) -> Result<Channel> {
        let (name, description) = check_texts(&new.name, &new.description)?;
        if let Some(owner) = new.owner {
            self.live_directory_user(actor.company, owner).await?;
        }
        let now = self.clock.now();
        let channel = Channel {
            id: ChannelId::generate(),
            company_id: actor.company,
            name,
            description,
            privacy: new.privacy,
            owner: new.owner,
            state: EntryState::Active,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        if !tx.insert_channel(&channel).await? {
            return Err(DomainError::Conflict(format!(
                "a channel named '{}' exists",
                channel.name
            )));
        }
        if let Some(owner) = channel.owner {
            tx.add_channel_member(actor.company, channel.id, owner, now)
                .await?;
        }
        let change = Change::new("channel_created", "Channel", channel.id, "Channel created")
            .with(json!({"name": channel.name, "privacy_type": channel.privacy.as_str()}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(channel)
    }

    /// Deletes a channel with its memberships; answers it as it was, marked deleted.
    pub async fn delete_channel(&self, actor: &Actor, id: ChannelId) -> Result<Channel> {
        let mut tx = self.store.begin().await?;
        let mut channel = tx
            .channel_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        tx.delete_channel(id).await?;
        let now = self.clock.now();
        let change = Change::new("channel_deleted", "Channel", id, "Channel deleted")
            .with(json!({"name": channel.name}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        channel.state = EntryState::Deleted;
        channel.updated_at = now;
        Ok(channel)
    }

    /// A channel's members, a page at a time in user id order.
    pub async fn channel_members(
        &self,
        company: CompanyId,
        id: ChannelId,
        req: &PageRequest,
    ) -> Result<KeysetPaged<DirectoryUser>> {
        let channel = self.channel(company, id).await?;
        let scope = format!("telephony.channel_members:{}:{}", company.0, channel.id.0);
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .channel_members_page(channel.id, opened.page())
            .await?;
        Ok(opened.finish(found, |u| u.user.id.0))
    }

    /// Adds one of the company's users (not deleted) to a channel; a member already is a
    /// conflict.
    pub async fn add_channel_member(
        &self,
        actor: &Actor,
        id: ChannelId,
        user: UserId,
    ) -> Result<DirectoryUser> {
        let found = self.live_directory_user(actor.company, user).await?;
        let mut tx = self.store.begin().await?;
        let channel = tx
            .channel_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        let now = self.clock.now();
        if !tx
            .add_channel_member(actor.company, channel.id, user, now)
            .await?
        {
            return Err(DomainError::Conflict(
                "the user is already a member of this channel".into(),
            ));
        }
        let change = Change::new(
            "channel_member_added",
            "Channel",
            channel.id,
            "Channel member added",
        )
        .with(json!({"user_id": user.0}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Removes a member from a channel; a user who is not one is not found.
    pub async fn remove_channel_member(
        &self,
        actor: &Actor,
        id: ChannelId,
        user: UserId,
    ) -> Result<DirectoryUser> {
        let found = self.directory_user(actor.company, user).await?;
        let mut tx = self.store.begin().await?;
        let channel = tx
            .channel_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        if !tx.remove_channel_member(channel.id, user).await? {
            return Err(DomainError::NotFound("channel member"));
        }
        let change = Change::new(
            "channel_member_removed",
            "Channel",
            channel.id,
            "Channel member removed",
        )
        .with(json!({"user_id": user.0}));
        changelog::record(tx.as_mut(), actor, change, self.clock.now()).await?;
        tx.commit().await?;
        Ok(found)
    }
}
