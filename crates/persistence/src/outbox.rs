//! The transactional outbox: events written in the same transaction as the change they tell
//! of, so a crash never loses one or sends one for a change that did not happen. The webhook
//! deliverer (issue 7) reads them in `created_at` order.

use crm_domain::event::EventType;
use crm_domain::{Error, new_id, now};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::Value;
use uuid::Uuid;

use crate::entities::outbox_event;
use crate::error::storage;

/// Queues `event_type` about a record, in `db`'s transaction. Taking the catalogue's type
/// (not a name) means nothing can queue an event integrators were never told of.
pub(crate) async fn emit(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    event_type: EventType,
    subject_id: Uuid,
    payload: &Value,
) -> Result<(), Error> {
    let event = event(tenant_id, event_type, subject_id, payload, now());
    outbox_event::Entity::insert(event)
        .exec_without_returning(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// An event row, for a job that queues many at once (`insert_many`).
pub(crate) fn event(
    tenant_id: Uuid,
    event_type: EventType,
    subject_id: Uuid,
    payload: &Value,
    at: chrono::DateTime<chrono::Utc>,
) -> outbox_event::ActiveModel {
    outbox_event::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(tenant_id),
        event_type: Set(event_type.as_str().to_owned()),
        subject_kind: Set(event_type.subject_kind().to_owned()),
        subject_id: Set(subject_id),
        payload: Set(payload.to_string()),
        created_at: Set(at),
    }
}

/// Queues many events at once (bulk creates, jobs), in `db`'s transaction.
pub(crate) async fn emit_many(
    db: &impl ConnectionTrait,
    events: Vec<outbox_event::ActiveModel>,
) -> Result<(), Error> {
    // 7 columns: 1,000 rows stay well under PostgreSQL's 65,535 bind parameters.
    let mut events = events.into_iter();
    loop {
        let chunk: Vec<_> = events.by_ref().take(1000).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        outbox_event::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
}

/// The events queued for a tenant, oldest first (for tests and, later, the deliverer).
pub async fn pending(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<Vec<(String, Uuid, Value)>, Error> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let rows = outbox_event::Entity::find()
        .filter(outbox_event::Column::TenantId.eq(tenant_id))
        .order_by_asc(outbox_event::Column::CreatedAt)
        .order_by_asc(outbox_event::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let payload = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
            (r.event_type, r.subject_id, payload)
        })
        .collect())
}
