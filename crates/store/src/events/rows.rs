//! Reading this context's rows into domain entities.

use sqlx::any::AnyRow;
use switchboard_domain::clock::from_millis;
use switchboard_domain::events::event::{
    Delivery, DeliveryAttempt, DeliveryStatus, Event, RetrySchedule,
};
use switchboard_domain::ids::*;
use switchboard_domain::{DomainError, Result};

use crate::rows::{get, json};

pub(crate) fn event(row: &AnyRow) -> Result<Event> {
    Ok(Event {
        id: EventId(get(row, "id")?),
        kind: get(row, "kind")?,
        partner_id: get::<Option<i64>>(row, "partner_id")?.map(PartnerId),
        company_id: get::<Option<i64>>(row, "company_id")?.map(CompanyId),
        payload: json(row, "payload")?,
        created_at: from_millis(get(row, "created_at")?),
    })
}

pub(crate) fn delivery(row: &AnyRow) -> Result<Delivery> {
    let status: String = get(row, "status")?;
    Ok(Delivery {
        id: DeliveryId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        partner_id: get::<Option<i64>>(row, "partner_id")?.map(PartnerId),
        company_id: get::<Option<i64>>(row, "company_id")?.map(CompanyId),
        url: get(row, "url")?,
        signing_owner: get(row, "signing_owner")?,
        body: get(row, "body")?,
        schedule: RetrySchedule::parse(&get::<String>(row, "retry_schedule")?)
            .ok_or_else(|| DomainError::internal("unknown retry schedule"))?,
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| DomainError::internal("unknown delivery status"))?,
        attempts: get(row, "attempts")?,
        next_attempt_at: from_millis(get(row, "next_attempt_at")?),
        last_error: get(row, "last_error")?,
        created_at: from_millis(get(row, "created_at")?),
        finished_at: get::<Option<i64>>(row, "finished_at")?.map(from_millis),
    })
}

pub(crate) fn attempt(row: &AnyRow) -> Result<DeliveryAttempt> {
    Ok(DeliveryAttempt {
        id: AttemptId(get(row, "id")?),
        delivery_id: DeliveryId(get(row, "delivery_id")?),
        attempted_at: from_millis(get(row, "attempted_at")?),
        status_code: get(row, "status_code")?,
        error: get(row, "error")?,
        duration_ms: get(row, "duration_ms")?,
    })
}
