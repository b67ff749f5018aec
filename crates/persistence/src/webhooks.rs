//! Webhook endpoints: where a tenant's events are POSTed. Managed with `settings.manage`;
//! every change is audited (the secret never goes into the audit log).
//!
//! `deliveries` makes and lists the deliveries of events to endpoints, `dispatch` is the
//! storage side of the dispatcher that sends them.

pub mod deliveries;
pub mod dispatch;

use chrono::{DateTime, Duration, Utc};
use crm_api_types::webhooks::{DisabledReason, WebhookEndpointResponse, WebhookSecretResponse};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::{Caller, Error, new_id, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{webhook_delivery, webhook_endpoint};
use crate::error::storage;

/// An endpoint about to be stored; its URL and event names are already checked.
pub struct NewEndpoint {
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<String>,
    pub enabled: bool,
    pub secret: String,
}

/// What a PATCH changes; `None` leaves a field as it is.
#[derive(Default)]
pub struct EndpointChanges {
    pub url: Option<String>,
    pub description: Option<Option<String>>,
    pub events: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

fn audit_view(e: &webhook_endpoint::Model) -> Value {
    json!({
        "url": e.url,
        "description": e.description,
        "events": e.event_types,
        "enabled": e.enabled,
        "disabled_reason": e.disabled_reason,
    })
}

pub(crate) fn event_names(e: &webhook_endpoint::Model) -> Vec<String> {
    e.event_types
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the endpoint subscribes to `event_type`.
pub(crate) fn subscribes(e: &webhook_endpoint::Model, event_type: &str) -> bool {
    event_names(e)
        .iter()
        .any(|name| name == "*" || name == event_type)
}

fn response(e: webhook_endpoint::Model, pending_deliveries: u64) -> WebhookEndpointResponse {
    WebhookEndpointResponse {
        events: event_names(&e),
        disabled_reason: e.disabled_reason.as_deref().and_then(DisabledReason::parse),
        previous_secret_until: e.previous_secret_until.filter(|until| *until > now()),
        id: e.id,
        url: e.url,
        description: e.description,
        enabled: e.enabled,
        consecutive_failures: e.consecutive_failures,
        failing_since: e.failing_since,
        pending_deliveries,
        created_by: e.created_by,
        version: e.version,
        created_at: e.created_at,
        updated_at: e.updated_at,
    }
}

/// Pending deliveries per endpoint, for the given endpoints.
async fn pending_counts(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, u64>, Error> {
    let rows: Vec<(Uuid, i64)> = webhook_delivery::Entity::find()
        .select_only()
        .column(webhook_delivery::Column::EndpointId)
        .column_as(webhook_delivery::Column::Id.count(), "pending")
        .filter(webhook_delivery::Column::EndpointId.is_in(ids))
        .filter(webhook_delivery::Column::Status.eq(deliveries::PENDING))
        .group_by(webhook_delivery::Column::EndpointId)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or_default()))
        .collect())
}

async fn with_counts(
    db: &impl ConnectionTrait,
    endpoint: webhook_endpoint::Model,
) -> Result<WebhookEndpointResponse, Error> {
    let pending = pending_counts(db, vec![endpoint.id]).await?;
    let count = pending.get(&endpoint.id).copied().unwrap_or_default();
    Ok(response(endpoint, count))
}

/// The caller's tenant's endpoint `id`; another tenant's is not found.
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<webhook_endpoint::Model, Error> {
    webhook_endpoint::Entity::find_by_id(id)
        .filter(webhook_endpoint::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    new: NewEndpoint,
) -> Result<WebhookEndpointResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let at = now();
    let endpoint = webhook_endpoint::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        url: Set(new.url),
        description: Set(new.description),
        event_types: Set(json!(new.events)),
        enabled: Set(new.enabled),
        disabled_reason: Set((!new.enabled).then(|| DisabledReason::Manual.as_str().to_owned())),
        secret: Set(new.secret),
        previous_secret: Set(None),
        previous_secret_until: Set(None),
        consecutive_failures: Set(0),
        failing_since: Set(None),
        created_by: Set(caller.user_id),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await
    .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "webhook_endpoint",
        endpoint.id,
        diff(&Value::Null, &audit_view(&endpoint)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(response(endpoint, 0))
}

/// The tenant's endpoints, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<WebhookEndpointResponse>, Error> {
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let counts = pending_counts(db, endpoints.iter().map(|e| e.id).collect()).await?;
    Ok(endpoints
        .into_iter()
        .map(|e| {
            let pending = counts.get(&e.id).copied().unwrap_or_default();
            response(e, pending)
        })
        .collect())
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<WebhookEndpointResponse, Error> {
    with_counts(db, find(db, caller, id).await?).await
}

/// Applies `changes` if the endpoint still has `if_match` (when given). Enabling an endpoint
/// starts its failure count afresh; disabling one by hand records why.
pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    changes: EndpointChanges,
) -> Result<WebhookEndpointResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let before = find(&txn, caller, id).await?;
    crm_domain::check_version(before.version, if_match)?;
    let mut active = webhook_endpoint::ActiveModel {
        ..Default::default()
    };
    if let Some(url) = changes.url {
        active.url = Set(url);
    }
    if let Some(description) = changes.description {
        active.description = Set(description);
    }
    if let Some(events) = changes.events {
        active.event_types = Set(json!(events));
    }
    match changes.enabled {
        Some(true) if !before.enabled => {
            active.enabled = Set(true);
            active.disabled_reason = Set(None);
            active.consecutive_failures = Set(0);
            active.failing_since = Set(None);
        }
        Some(false) if before.enabled => {
            active.enabled = Set(false);
            active.disabled_reason = Set(Some(DisabledReason::Manual.as_str().to_owned()));
        }
        _ => {}
    }
    crate::versioned::update::<webhook_endpoint::Entity>(&txn, active, id, before.version, storage)
        .await?;
    let after = find(&txn, caller, id).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "webhook_endpoint",
        id,
        diff(&audit_view(&before), &audit_view(&after)),
    )
    .await?;
    let response = with_counts(&txn, after).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Deletes the endpoint with its deliveries and their attempts.
pub async fn delete(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<(), Error> {
    use crate::entities::webhook_attempt;
    let txn = db.begin().await.map_err(storage)?;
    let endpoint = find(&txn, caller, id).await?;
    webhook_attempt::Entity::delete_many()
        .filter(webhook_attempt::Column::EndpointId.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::EndpointId.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    webhook_endpoint::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "webhook_endpoint",
        id,
        diff(&audit_view(&endpoint), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

fn secrets(e: &webhook_endpoint::Model, at: DateTime<Utc>) -> WebhookSecretResponse {
    let overlapping = e.previous_secret_until.filter(|until| *until > at);
    WebhookSecretResponse {
        secret: e.secret.clone(),
        previous_secret: overlapping.and(e.previous_secret.clone()),
        previous_secret_until: overlapping,
    }
}

pub async fn secret(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<WebhookSecretResponse, Error> {
    Ok(secrets(&find(db, caller, id).await?, now()))
}

/// Replaces the secret with `new_secret`; the old one keeps signing (a second signature in
/// `webhook-signature`) for `overlap`, so receivers can switch without losing a delivery.
pub async fn rotate_secret(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    new_secret: String,
    overlap: Duration,
) -> Result<WebhookSecretResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let before = find(&txn, caller, id).await?;
    let at = now();
    let changes = webhook_endpoint::ActiveModel {
        secret: Set(new_secret),
        previous_secret: Set(Some(before.secret.clone())),
        previous_secret_until: Set(Some(at + overlap)),
        ..Default::default()
    };
    crate::versioned::update::<webhook_endpoint::Entity>(
        &txn,
        changes,
        id,
        before.version,
        storage,
    )
    .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "webhook_endpoint",
        id,
        vec![crm_domain::audit::Change {
            field: "secret".to_owned(),
            old: json!("rotated"),
            new: json!({"previous_secret_until": at + overlap}),
        }],
    )
    .await?;
    let after = find(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(secrets(&after, at))
}
