//! Channels and their members: queries, rows and the [`ChannelStore`] / [`ChannelTx`]
//! implementations. Every read of a channel is scoped to its company; names are unique per
//! company by `channels_name`.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{ChannelId, CompanyId, UserId};
use switchboard_domain::store::{ChannelStore, ChannelTx};
use switchboard_domain::telephony::channel::{name_key, Channel, ChannelFilter, Privacy};
use switchboard_domain::telephony::directory::DirectoryUser;
use switchboard_domain::telephony::office::EntryState;
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use super::directory::directory_user;
use crate::error::db;
use crate::rows::get;
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::{Backend, SqlStore};

fn channel(row: &AnyRow) -> Result<Channel> {
    let stored = |what: &str| DomainError::internal(format!("unknown stored channel {what}"));
    Ok(Channel {
        id: ChannelId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        name: get(row, "name")?,
        description: get(row, "description")?,
        privacy: Privacy::parse(&get::<String>(row, "privacy")?).map_err(|_| stored("privacy"))?,
        owner: get::<Option<i64>>(row, "owner_id")?.map(UserId),
        state: EntryState::parse(&get::<String>(row, "state")?).map_err(|_| stored("state"))?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

async fn channel_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: ChannelId,
    lock: Option<Backend>,
) -> Result<Option<Channel>> {
    crate::sql::in_company(c, "channels", id.0, company, lock, channel).await
}

#[async_trait]
impl ChannelStore for SqlStore {
    async fn channel(&self, company: CompanyId, id: ChannelId) -> Result<Option<Channel>> {
        channel_by_id(&mut *self.conn().await?, company, id, None).await
    }

    /// One indexed query: `channels_company_state (company_id, state, id)` with a state
    /// filter, `channels_company (company_id, id)` without.
    async fn channels_page(
        &self,
        company: CompanyId,
        filter: &ChannelFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Channel>> {
        let mut sql = Sql::default();
        let co = sql.arg(Arg::Int(company.0));
        sql.push(&format!("SELECT * FROM channels WHERE company_id = {co}"));
        if let Some(state) = filter.state {
            let s = sql.arg(Arg::Text(state.as_str().into()));
            sql.push(&format!(" AND state = {s}"));
        }
        if let Some(id) = page.after {
            after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
        }
        order_limit(&mut sql, "id", page.reverse, page.limit);
        let rows = sql.fetch(&mut *self.conn().await?).await?;
        rows.iter().map(channel).collect()
    }

    /// One query over the members' primary key (channel, user id), joined to their users.
    async fn channel_members_page(
        &self,
        id: ChannelId,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<DirectoryUser>> {
        let mut sql = Sql::default();
        let ch = sql.arg(Arg::Int(id.0));
        sql.push(&format!(
            "SELECT u.* FROM channel_members m JOIN users u ON u.id = m.user_id \
             WHERE m.channel_id = {ch}"
        ));
        if let Some(id) = page.after {
            after(&mut sql, "m.user_id", vec![Arg::Int(*id)], page.reverse);
        }
        order_limit(&mut sql, "m.user_id", page.reverse, page.limit);
        let rows = sql.fetch(&mut *self.conn().await?).await?;
        rows.iter().map(directory_user).collect()
    }
}

#[async_trait]
impl ChannelTx for SqlTx {
    async fn channel_for_update(
        &mut self,
        company: CompanyId,
        id: ChannelId,
    ) -> Result<Option<Channel>> {
        channel_by_id(&mut self.tx, company, id, Some(self.backend)).await
    }

    async fn insert_channel(&mut self, c: &Channel) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO channels (id, company_id, name, name_key, description, privacy, \
             owner_id, state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (company_id, name_key) DO NOTHING",
        )
        .bind(c.id.0)
        .bind(c.company_id.0)
        .bind(&c.name)
        .bind(name_key(&c.name))
        .bind(&c.description)
        .bind(c.privacy.as_str())
        .bind(c.owner.map(|o| o.0))
        .bind(c.state.as_str())
        .bind(to_millis(c.created_at))
        .bind(to_millis(c.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_channel(&mut self, id: ChannelId) -> Result<()> {
        for sql in [
            "DELETE FROM channel_members WHERE channel_id = $1",
            "DELETE FROM channels WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.0)
                .execute(&mut *self.tx)
                .await
                .map_err(db)?;
        }
        Ok(())
    }

    async fn add_channel_member(
        &mut self,
        company: CompanyId,
        channel: ChannelId,
        user: UserId,
        at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO channel_members (channel_id, user_id, company_id, added_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (channel_id, user_id) DO NOTHING",
        )
        .bind(channel.0)
        .bind(user.0)
        .bind(company.0)
        .bind(to_millis(at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn remove_channel_member(&mut self, channel: ChannelId, user: UserId) -> Result<bool> {
        let done =
            sqlx::query("DELETE FROM channel_members WHERE channel_id = $1 AND user_id = $2")
                .bind(channel.0)
                .bind(user.0)
                .execute(&mut *self.tx)
                .await
                .map_err(db)?;
        Ok(done.rows_affected() > 0)
    }

    async fn remove_channel_memberships_of(&mut self, user: UserId) -> Result<()> {
        sqlx::query("DELETE FROM channel_members WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
}
