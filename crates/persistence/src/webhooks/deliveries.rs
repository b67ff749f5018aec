//! Deliveries: one per (endpoint, event), made in the transaction that writes the event, and
//! again on demand (resend one, replay a time range). The delivery log lists them with their
//! attempts.

use chrono::{DateTime, Utc};
use crm_api_types::webhooks::{DeliveryStatus, WebhookAttemptResponse, WebhookDeliveryResponse};
use crm_domain::{Caller, Error, new_id, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::entities::{outbox_event, webhook_attempt, webhook_delivery, webhook_endpoint};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};

pub(crate) const PENDING: &str = "pending";
pub(crate) const DELIVERED: &str = "delivered";
pub(crate) const FAILED: &str = "failed";

/// Most events one replay queues; a longer range is replayed in several calls.
pub const REPLAY_MAX: u64 = 10_000;

fn new_delivery(
    endpoint: &webhook_endpoint::Model,
    event: &outbox_event::Model,
    requested_by: Option<Uuid>,
    at: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    webhook_delivery::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(endpoint.tenant_id),
        endpoint_id: Set(endpoint.id),
        event_id: Set(event.id),
        event_type: Set(event.event_type.clone()),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        last_attempt_at: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        delivered_at: Set(None),
        requested_by: Set(requested_by),
    }
}

/// Queues `events` for every enabled endpoint of their tenant that subscribes to them.
/// Called with the transaction that writes the events, so an event and its deliveries commit
/// together.
pub(crate) async fn fan_out(
    db: &impl ConnectionTrait,
    events: &[outbox_event::Model],
) -> Result<(), Error> {
    let tenants: std::collections::BTreeSet<Uuid> = events.iter().map(|e| e.tenant_id).collect();
    if tenants.is_empty() {
        return Ok(());
    }
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::TenantId.is_in(tenants))
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .all(db)
        .await
        .map_err(storage)?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let at = now();
    let deliveries: Vec<_> = events
        .iter()
        .flat_map(|event| {
            endpoints
                .iter()
                .filter(|e| {
                    e.tenant_id == event.tenant_id && super::subscribes(e, &event.event_type)
                })
                .map(move |endpoint| new_delivery(endpoint, event, None, at))
        })
        .collect();
    insert(db, deliveries).await
}

async fn insert(
    db: &impl ConnectionTrait,
    deliveries: Vec<webhook_delivery::ActiveModel>,
) -> Result<(), Error> {
    for chunk in deliveries.chunks(500) {
        webhook_delivery::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

fn response(d: webhook_delivery::Model) -> WebhookDeliveryResponse {
    let status = DeliveryStatus::parse(&d.status).unwrap_or(DeliveryStatus::Pending);
    WebhookDeliveryResponse {
        next_attempt_at: (status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
        status,
        id: d.id,
        endpoint_id: d.endpoint_id,
        event_id: d.event_id,
        event_type: d.event_type,
        attempts: d.attempts,
        last_attempt_at: d.last_attempt_at,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        created_at: d.created_at,
        delivered_at: d.delivered_at,
        requested_by: d.requested_by,
    }
}

pub struct DeliveryPage {
    pub items: Vec<WebhookDeliveryResponse>,
    pub next: Option<Cursor>,
}

/// The delivery log of one endpoint, newest first, optionally of one status.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    endpoint_id: Uuid,
    status: Option<DeliveryStatus>,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<DeliveryPage, Error> {
    super::find(db, caller, endpoint_id).await?;
    let mut query = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id));
    if let Some(status) = status {
        query = query.filter(webhook_delivery::Column::Status.eq(status.as_str()));
    }
    let keys = Keyset {
        column: webhook_delivery::Column::CreatedAt,
        kind: KeyKind::Time,
        id: webhook_delivery::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, query, keys, limit, cursor, |m| Cursor {
        value: m.created_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok(DeliveryPage {
        items: models.into_iter().map(response).collect(),
        next,
    })
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<webhook_delivery::Model, Error> {
    webhook_delivery::Entity::find_by_id(id)
        .filter(webhook_delivery::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<WebhookDeliveryResponse, Error> {
    find(db, caller, id).await.map(response)
}

/// Every attempt of a delivery, oldest first.
pub async fn attempts(
    db: &impl ConnectionTrait,
    caller: &Caller,
    delivery_id: Uuid,
) -> Result<Vec<WebhookAttemptResponse>, Error> {
    find(db, caller, delivery_id).await?;
    let rows = webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.eq(delivery_id))
        .order_by_asc(webhook_attempt::Column::AttemptedAt)
        .order_by_asc(webhook_attempt::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows
        .into_iter()
        .map(|a| WebhookAttemptResponse {
            id: a.id,
            attempted_at: a.attempted_at,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response_excerpt: a.response_excerpt,
            error: a.error,
        })
        .collect())
}

async fn event(db: &impl ConnectionTrait, id: Uuid) -> Result<outbox_event::Model, Error> {
    outbox_event::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

/// Sends a delivery's event to its endpoint again, as a new delivery (the old one stays in
/// the log as it was). A disabled endpoint gets it once enabled.
pub async fn resend(
    db: &impl ConnectionTrait,
    caller: &Caller,
    delivery_id: Uuid,
) -> Result<WebhookDeliveryResponse, Error> {
    let old = find(db, caller, delivery_id).await?;
    let endpoint = super::find(db, caller, old.endpoint_id).await?;
    let event = event(db, old.event_id).await?;
    let delivery = new_delivery(&endpoint, &event, Some(caller.user_id), now())
        .insert(db)
        .await
        .map_err(storage)?;
    Ok(response(delivery))
}

/// Queues the endpoint's subscribed events committed in `[from, to)` again, oldest first, up
/// to [`REPLAY_MAX`]; returns how many.
pub async fn replay(
    db: &crate::Database,
    caller: &Caller,
    endpoint_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<u64, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let endpoint = super::find(&txn, caller, endpoint_id).await?;
    let events = outbox_event::Entity::find()
        .filter(outbox_event::Column::TenantId.eq(caller.tenant_id))
        .filter(outbox_event::Column::CreatedAt.gte(from))
        .filter(outbox_event::Column::CreatedAt.lt(to))
        .order_by_asc(outbox_event::Column::CreatedAt)
        .order_by_asc(outbox_event::Column::Id)
        .limit(REPLAY_MAX)
        .all(&txn)
        .await
        .map_err(storage)?;
    let at = now();
    let deliveries: Vec<_> = events
        .iter()
        .filter(|event| super::subscribes(&endpoint, &event.event_type))
        .map(|event| new_delivery(&endpoint, event, Some(caller.user_id), at))
        .collect();
    let queued = deliveries.len() as u64;
    insert(&txn, deliveries).await?;
    txn.commit().await.map_err(storage)?;
    Ok(queued)
}
