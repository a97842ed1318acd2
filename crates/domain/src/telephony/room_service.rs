//! The use cases of rooms and of the PINs that protect international calls from room phones.
//! Every read and write is scoped to the caller's company: another company's room or office
//! reads as missing. Each write records one change-log event in its transaction.

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::ids::{CompanyId, Id, PinId, RoomId};
use crate::page::{KeysetPaged, PageRequest};
use crate::secret::SecretPurpose;
use crate::telephony::changelog::{self, Actor, Change};
use crate::telephony::keyset::Opened;
use crate::telephony::number::{Target, TargetKind};
use crate::telephony::office::EntryState;
use crate::telephony::room::{
    new_pin, pin_hash, room_name, InternationalPin, IssuedPin, NewRoom, Room, RoomFilter,
    RoomPatch, PIN_LIFETIME_SECONDS,
};
use crate::telephony::Telephony;
use crate::{DomainError, Result};

fn missing() -> DomainError {
    DomainError::NotFound("room")
}

impl Telephony<'_> {
    /// One of the company's rooms.
    pub async fn room(&self, company: CompanyId, id: RoomId) -> Result<Room> {
        self.store.room(company, id).await?.ok_or_else(missing)
    }

    /// The company's rooms (or one office's), a page at a time in id order. An office the
    /// company does not have is not found.
    pub async fn rooms(
        &self,
        company: CompanyId,
        filter: &RoomFilter,
        req: &PageRequest,
    ) -> Result<KeysetPaged<Room>> {
        if let Some(office) = filter.office_id {
            self.office(company, office).await?;
        }
        let scope = format!(
            "telephony.rooms:{}:{}",
            company.0,
            filter.office_id.map_or(0, |o| o.0)
        );
        let opened = Opened::new(self, scope, req).await?;
        let found = self
            .store
            .rooms_page(company, filter, opened.page())
            .await?;
        Ok(opened.finish(found, |r| r.id.0))
    }

    /// Creates a room, active, in one of the company's offices.
    pub async fn create_room(&self, actor: &Actor, new: NewRoom) -> Result<Room> {
        let name = room_name(&new.name)?;
        let office = self.office(actor.company, new.office_id).await?;
        let now = self.clock.now();
        let room = Room {
            id: RoomId::generate(),
            company_id: actor.company,
            office_id: office.id,
            name,
            state: EntryState::Active,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_room(&room).await?;
        let change = Change::new("room_created", "Room", room.id, "Room created")
            .with(json!({"name": room.name, "office_id": room.office_id.0}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(room)
    }

    /// Changes a room's name, and keeps, reorders or drops its numbers.
    pub async fn update_room(&self, actor: &Actor, id: RoomId, patch: RoomPatch) -> Result<Room> {
        let name = patch.name.as_deref().map(room_name).transpose()?;
        let mut tx = self.store.begin().await?;
        let mut room = tx
            .room_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        if let Some(numbers) = &patch.phone_numbers {
            let target = Target {
                kind: TargetKind::Room,
                id: id.0,
            };
            self.arrange_numbers(tx.as_mut(), actor, target, room.office_id, Some(numbers))
                .await?;
        }
        if let Some(name) = name {
            room.name = name;
        }
        room.updated_at = self.clock.now();
        tx.update_room(&room).await?;
        let change = Change::new("room_updated", "Room", id, "Room updated")
            .with(json!({"name": room.name}));
        changelog::record(tx.as_mut(), actor, change, room.updated_at).await?;
        tx.commit().await?;
        Ok(room)
    }

    /// Deletes a room; answers it as it was, marked deleted.
    pub async fn delete_room(&self, actor: &Actor, id: RoomId) -> Result<Room> {
        let mut tx = self.store.begin().await?;
        let mut room = tx
            .room_for_update(actor.company, id)
            .await?
            .ok_or_else(missing)?;
        tx.delete_room(id).await?;
        let now = self.clock.now();
        // Its numbers go back to the company's pool.
        let target = Target {
            kind: TargetKind::Room,
            id: id.0,
        };
        tx.release_numbers_of(target, now).await?;
        let change = Change::new("room_deleted", "Room", id, "Room deleted")
            .with(json!({"name": room.name}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        room.state = EntryState::Deleted;
        room.updated_at = now;
        Ok(room)
    }

    /// Issues a PIN for international calls from the company's room phones, valid for
    /// [`PIN_LIFETIME_SECONDS`]. Only its keyed hash is stored; the PIN is answered once.
    pub async fn issue_international_pin(
        &self,
        actor: &Actor,
        customer_ref: Option<String>,
    ) -> Result<IssuedPin> {
        let customer_ref = crate::telephony::room::customer_ref(customer_ref.as_deref())?;
        let key = self.server_key(SecretPurpose::PinHashing).await?;
        let pin = new_pin();
        let now = self.clock.now();
        let record = InternationalPin {
            id: PinId::generate(),
            company_id: actor.company,
            customer_ref,
            pin_hash: pin_hash(&key, actor.company, &pin),
            created_at: now,
            expires_at: now + SignedDuration::from_secs(PIN_LIFETIME_SECONDS),
        };
        let mut tx = self.store.begin().await?;
        tx.insert_international_pin(&record).await?;
        // The event says who asked and for whom, never the PIN.
        let change = Change::new(
            "room_international_pin_created",
            "InternationalPin",
            record.id,
            "International call PIN assigned",
        )
        .with(json!({"customer_ref": record.customer_ref}));
        changelog::record(tx.as_mut(), actor, change, now).await?;
        tx.commit().await?;
        Ok(IssuedPin { record, pin })
    }

    /// Whether `pin` is one of the company's international-call PINs, still valid at `at`
    /// (room phones ask before an international call).
    pub async fn check_international_pin(
        &self,
        company: CompanyId,
        pin: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let key = self.server_key(SecretPurpose::PinHashing).await?;
        let found = self
            .store
            .international_pin(company, &pin_hash(&key, company, pin))
            .await?;
        Ok(found.is_some_and(|p| p.expires_at > at))
    }
}
