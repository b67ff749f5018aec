//! The transactional outbox: events written in the same transaction as the change they tell
//! of, so a crash never loses one or sends one for a change that did not happen. Each event's
//! webhook deliveries are written with it; the change feed numbers it after commit.

use crm_domain::event::EventType;
use crm_domain::{Error, new_id, now};
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};
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
    queue(
        db,
        vec![event(tenant_id, event_type, subject_id, payload, now())],
    )
    .await
}

/// Writes `events` with their webhook deliveries (see `webhooks::deliveries::fan_out`).
pub(crate) async fn queue(
    db: &impl ConnectionTrait,
    events: Vec<outbox_event::Model>,
) -> Result<(), Error> {
    // 8 columns: 500 rows stay well under PostgreSQL's 65,535 bind parameters.
    for chunk in events.chunks(500) {
        outbox_event::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(db)
        .await
        .map_err(storage)?;
    }
    crate::webhooks::deliveries::fan_out(db, &events).await
}

/// An event row, for a job that queues many at once ([`queue`]).
pub(crate) fn event(
    tenant_id: Uuid,
    event_type: EventType,
    subject_id: Uuid,
    payload: &Value,
    at: chrono::DateTime<chrono::Utc>,
) -> outbox_event::Model {
    outbox_event::Model {
        id: new_id(),
        tenant_id,
        event_type: event_type.as_str().to_owned(),
        subject_kind: event_type.subject_kind().to_owned(),
        subject_id,
        payload: payload.to_string(),
        created_at: at,
        seq: None,
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
