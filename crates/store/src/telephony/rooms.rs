//! Rooms and international-call PINs: queries, rows and the [`RoomStore`] / [`RoomTx`]
//! implementations. Every read is scoped to its company.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use switchboard_domain::clock::{from_millis, to_millis};
use switchboard_domain::ids::{CompanyId, OfficeId, PinId, RoomId};
use switchboard_domain::store::{RoomStore, RoomTx};
use switchboard_domain::telephony::office::EntryState;
use switchboard_domain::telephony::room::{InternationalPin, Room, RoomFilter};
use switchboard_domain::workforce::store::KeysetPage;
use switchboard_domain::{DomainError, Result};

use crate::error::db;
use crate::rows::get;
use crate::sql::filter::Arg;
use crate::sql::keyset::{after, order_limit, Sql};
use crate::tx::SqlTx;
use crate::{Backend, SqlStore};

fn room(row: &AnyRow) -> Result<Room> {
    Ok(Room {
        id: RoomId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        office_id: OfficeId(get(row, "office_id")?),
        name: get(row, "name")?,
        state: EntryState::parse(&get::<String>(row, "state")?)
            .map_err(|_| DomainError::internal("unknown stored room state"))?,
        created_at: from_millis(get(row, "created_at")?),
        updated_at: from_millis(get(row, "updated_at")?),
    })
}

fn pin(row: &AnyRow) -> Result<InternationalPin> {
    Ok(InternationalPin {
        id: PinId(get(row, "id")?),
        company_id: CompanyId(get(row, "company_id")?),
        customer_ref: get(row, "customer_ref")?,
        pin_hash: get(row, "pin_hash")?,
        created_at: from_millis(get(row, "created_at")?),
        expires_at: from_millis(get(row, "expires_at")?),
    })
}

async fn room_by_id(
    c: &mut AnyConnection,
    company: CompanyId,
    id: RoomId,
    lock: Option<Backend>,
) -> Result<Option<Room>> {
    crate::sql::in_company(c, "rooms", id.0, company, lock, room).await
}

/// One indexed query: `rooms_office (office_id, id)` with an office filter (the office is the
/// company's, checked by the domain), `rooms_company (company_id, id)` without.
async fn rooms_page(
    c: &mut AnyConnection,
    company: CompanyId,
    filter: &RoomFilter,
    page: KeysetPage<'_, i64>,
) -> Result<Vec<Room>> {
    let mut sql = Sql::default();
    let co = sql.arg(Arg::Int(company.0));
    sql.push(&format!("SELECT * FROM rooms WHERE company_id = {co}"));
    if let Some(office) = filter.office_id {
        let o = sql.arg(Arg::Int(office.0));
        sql.push(&format!(" AND office_id = {o}"));
    }
    if let Some(id) = page.after {
        after(&mut sql, "id", vec![Arg::Int(*id)], page.reverse);
    }
    order_limit(&mut sql, "id", page.reverse, page.limit);
    sql.fetch(c).await?.iter().map(room).collect()
}

async fn write_room(c: &mut AnyConnection, r: &Room, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO rooms (id, company_id, office_id, name, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    } else {
        "UPDATE rooms SET company_id = $2, office_id = $3, name = $4, state = $5, \
         created_at = $6, updated_at = $7 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(r.id.0)
        .bind(r.company_id.0)
        .bind(r.office_id.0)
        .bind(&r.name)
        .bind(r.state.as_str())
        .bind(to_millis(r.created_at))
        .bind(to_millis(r.updated_at))
        .execute(c)
        .await
        .map_err(db)?;
    Ok(())
}

#[async_trait]
impl RoomStore for SqlStore {
    async fn room(&self, company: CompanyId, id: RoomId) -> Result<Option<Room>> {
        room_by_id(&mut *self.conn().await?, company, id, None).await
    }
    async fn rooms_page(
        &self,
        company: CompanyId,
        filter: &RoomFilter,
        page: KeysetPage<'_, i64>,
    ) -> Result<Vec<Room>> {
        rooms_page(&mut *self.conn().await?, company, filter, page).await
    }
    async fn international_pin(
        &self,
        company: CompanyId,
        pin_hash: &str,
    ) -> Result<Option<InternationalPin>> {
        sqlx::query(
            "SELECT * FROM room_international_pins WHERE company_id = $1 AND pin_hash = $2 \
             ORDER BY expires_at DESC LIMIT 1",
        )
        .bind(company.0)
        .bind(pin_hash)
        .fetch_optional(&mut *self.conn().await?)
        .await
        .map_err(db)?
        .as_ref()
        .map(pin)
        .transpose()
    }
}

#[async_trait]
impl RoomTx for SqlTx {
    async fn room_for_update(&mut self, company: CompanyId, id: RoomId) -> Result<Option<Room>> {
        room_by_id(&mut self.tx, company, id, Some(self.backend)).await
    }
    async fn insert_room(&mut self, room: &Room) -> Result<()> {
        write_room(&mut self.tx, room, true).await
    }
    async fn update_room(&mut self, room: &Room) -> Result<()> {
        write_room(&mut self.tx, room, false).await
    }
    async fn delete_room(&mut self, id: RoomId) -> Result<()> {
        sqlx::query("DELETE FROM rooms WHERE id = $1")
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db)?;
        Ok(())
    }
    async fn insert_international_pin(&mut self, p: &InternationalPin) -> Result<()> {
        sqlx::query(
            "INSERT INTO room_international_pins \
             (id, company_id, customer_ref, pin_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(p.id.0)
        .bind(p.company_id.0)
        .bind(p.customer_ref.as_deref())
        .bind(&p.pin_hash)
        .bind(to_millis(p.created_at))
        .bind(to_millis(p.expires_at))
        .execute(&mut *self.tx)
        .await
        .map_err(db)?;
        Ok(())
    }
}
