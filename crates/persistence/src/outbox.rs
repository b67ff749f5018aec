//! The transactional outbox: events written in the same transaction as the change they tell
//! of, so a crash never loses one or sends one for a change that did not happen. The webhook
//! deliverer (issue 7) reads them in `created_at` order.

use crm_domain::{Error, new_id, now};
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};
use serde_json::Value;
use uuid::Uuid;

use crate::entities::outbox_event;
use crate::error::storage;

/// Queues `event_type` (e.g. `approval.approved`) about a record.
pub(crate) async fn emit(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    event_type: &str,
    subject_kind: &str,
    subject_id: Uuid,
    payload: &Value,
) -> Result<(), Error> {
    let event = event(
        tenant_id,
        event_type,
        subject_kind,
        subject_id,
        payload,
        now(),
    );
    queue(db, vec![event]).await
}

/// Writes `events` with their webhook deliveries (see `webhooks::deliveries::fan_out`).
pub(crate) async fn queue(
    db: &impl ConnectionTrait,
    events: Vec<outbox_event::Model>,
) -> Result<(), Error> {
    for chunk in events.chunks(500) {
        outbox_event::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
    crate::webhooks::deliveries::fan_out(db, &events).await
}

/// An event row, for a job that queues many at once ([`queue`]).
pub(crate) fn event(
    tenant_id: Uuid,
    event_type: &str,
    subject_kind: &str,
    subject_id: Uuid,
    payload: &Value,
    at: chrono::DateTime<chrono::Utc>,
) -> outbox_event::Model {
    outbox_event::Model {
        id: new_id(),
        tenant_id,
        event_type: event_type.to_owned(),
        subject_kind: subject_kind.to_owned(),
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
