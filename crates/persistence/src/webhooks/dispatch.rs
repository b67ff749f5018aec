//! The storage side of the dispatcher: claim due deliveries, record what each attempt got.
//!
//! A claim moves a delivery's `next_attempt_at` past the attempt's timeout (a lease) in the
//! same statement that picks it, so a process that dies mid-send leaves the delivery to be
//! claimed again when the lease runs out: at least once, never lost. On PostgreSQL the pick
//! skips rows another process is claiming (`FOR UPDATE SKIP LOCKED`), so several servers
//! share the work without sending the same delivery twice in the normal case.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crm_api_types::notifications::NotificationKind;
use crm_api_types::webhooks::{DisabledReason, EventResponse};
use crm_domain::webhook::{AllowList, DisablePolicy, Outcome, retry_delay};
use crm_domain::{Error, new_id, now};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait,
    QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::deliveries::{DELIVERED, FAILED, PENDING};
use crate::entities::{outbox_event, webhook_attempt, webhook_delivery, webhook_endpoint};
use crate::error::storage;
use crate::notifications::{Notice, Params, notify};

/// Longest response excerpt kept per attempt.
const EXCERPT_MAX: usize = 1000;

/// A delivery claimed for one attempt, with everything needed to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery_id: Uuid,
    pub tenant_id: Uuid,
    pub endpoint_id: Uuid,
    pub url: String,
    /// The secret, then the previous one while a rotation overlaps: each signs the body.
    pub secrets: Vec<String>,
    /// Which attempt this is, from 1.
    pub attempt: u32,
    /// `webhook-id`: the event's id, the same on every attempt.
    pub event_id: Uuid,
    /// The JSON body ([`EventResponse`]).
    pub body: String,
    /// Internal hosts the tenant lets webhooks reach.
    pub allow_list: AllowList,
}

/// Claims up to `limit` due deliveries of enabled endpoints for an attempt that may last up
/// to `lease`.
pub async fn claim(
    db: &crate::Database,
    limit: u64,
    lease: Duration,
) -> Result<Vec<Claimed>, Error> {
    let at = now();
    let lease_until = at + chrono::Duration::from_std(lease).unwrap_or_default();
    let deliveries = Alias::new("webhook_deliveries");
    let endpoints = Alias::new("webhook_endpoints");
    let col = |table: &Alias, name: &str| Expr::col((table.clone(), Alias::new(name)));
    let mut due = Query::select();
    due.column((deliveries.clone(), Alias::new("id")))
        .from(deliveries.clone())
        .inner_join(
            endpoints.clone(),
            col(&endpoints, "id").equals((deliveries.clone(), Alias::new("endpoint_id"))),
        )
        .and_where(col(&deliveries, "status").eq(PENDING))
        .and_where(col(&deliveries, "next_attempt_at").lte(at))
        .and_where(col(&endpoints, "enabled").eq(true))
        .order_by(
            (deliveries.clone(), Alias::new("next_attempt_at")),
            Order::Asc,
        )
        .limit(limit);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        due.lock_with_tables_behavior(
            LockType::Update,
            [deliveries.clone()],
            LockBehavior::SkipLocked,
        );
    }
    let update = Query::update()
        .table(deliveries.clone())
        .value(Alias::new("next_attempt_at"), lease_until)
        .value(
            Alias::new("attempts"),
            Expr::col(Alias::new("attempts")).add(1),
        )
        .and_where(Expr::col(Alias::new("id")).in_subquery(due))
        .returning(Query::returning().columns([Alias::new("id"), Alias::new("attempts")]))
        .to_owned();
    let rows = db.query_all(&update).await.map_err(storage)?;
    let mut attempts = HashMap::new();
    for row in rows {
        let id: Uuid = row.try_get("", "id").map_err(storage)?;
        let n: i32 = row.try_get("", "attempts").map_err(storage)?;
        attempts.insert(id, u32::try_from(n).unwrap_or_default());
    }
    if attempts.is_empty() {
        return Ok(Vec::new());
    }
    let claimed = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Id.is_in(attempts.keys().copied()))
        .all(db)
        .await
        .map_err(storage)?;
    prepare(db, claimed, &attempts, at).await
}

/// Joins claimed deliveries with their endpoints, events and tenants' allow-lists.
async fn prepare(
    db: &impl ConnectionTrait,
    claimed: Vec<webhook_delivery::Model>,
    attempts: &HashMap<Uuid, u32>,
    at: DateTime<Utc>,
) -> Result<Vec<Claimed>, Error> {
    let endpoint_ids: Vec<Uuid> = claimed.iter().map(|d| d.endpoint_id).collect();
    let endpoints: HashMap<Uuid, webhook_endpoint::Model> = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Id.is_in(endpoint_ids))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let event_ids: Vec<Uuid> = claimed.iter().map(|d| d.event_id).collect();
    let events: HashMap<Uuid, outbox_event::Model> = outbox_event::Entity::find()
        .filter(outbox_event::Column::Id.is_in(event_ids))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut allow_lists: HashMap<Uuid, AllowList> = HashMap::new();
    let mut ready = Vec::with_capacity(claimed.len());
    for delivery in claimed {
        let (Some(endpoint), Some(event)) = (
            endpoints.get(&delivery.endpoint_id),
            events.get(&delivery.event_id),
        ) else {
            continue;
        };
        let allow_list = match allow_lists.get(&delivery.tenant_id) {
            Some(list) => list.clone(),
            None => {
                let (settings, _) = crate::settings::load(db, delivery.tenant_id).await?;
                let list = settings.webhook_allow_list();
                allow_lists.insert(delivery.tenant_id, list.clone());
                list
            }
        };
        let mut secrets = vec![endpoint.secret.clone()];
        if let (Some(previous), Some(until)) =
            (&endpoint.previous_secret, endpoint.previous_secret_until)
            && until > at
        {
            secrets.push(previous.clone());
        }
        ready.push(Claimed {
            delivery_id: delivery.id,
            tenant_id: delivery.tenant_id,
            endpoint_id: endpoint.id,
            url: endpoint.url.clone(),
            secrets,
            attempt: attempts.get(&delivery.id).copied().unwrap_or(1),
            event_id: event.id,
            body: body(event)?,
            allow_list,
        });
    }
    Ok(ready)
}

/// The event as receivers and the change feed see it.
pub(crate) fn envelope(event: &outbox_event::Model) -> EventResponse {
    EventResponse {
        id: event.id,
        event_type: event.event_type.clone(),
        timestamp: event.created_at,
        subject_kind: event.subject_kind.clone(),
        subject_id: event.subject_id,
        data: serde_json::from_str(&event.payload).unwrap_or(serde_json::Value::Null),
    }
}

fn body(event: &outbox_event::Model) -> Result<String, Error> {
    serde_json::to_string(&envelope(event)).map_err(|e| Error::Storage(Box::new(e)))
}

/// What one attempt got.
#[derive(Debug, Clone, Default)]
pub struct AttemptResult {
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    pub latency_ms: u32,
    pub response_excerpt: Option<String>,
    /// Why no answer came, or why the answer was refused.
    pub error: Option<String>,
    /// The receiver's `Retry-After`.
    pub retry_after: Option<Duration>,
}

/// What became of a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Delivered,
    /// It will be tried again at this time.
    Retrying(DateTime<Utc>),
    /// No more attempts: all used, or the receiver answered 410.
    Failed,
}

/// What recording an attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub settled: Settled,
    /// The endpoint was switched off by this attempt.
    pub disabled: Option<DisabledReason>,
}

fn excerpt(text: Option<String>) -> Option<String> {
    text.map(|t| t.chars().take(EXCERPT_MAX).collect())
}

/// Records an attempt of `claimed` and settles the delivery; counts the endpoint's failures
/// and switches it off when it is gone or keeps failing (telling its creator). `jitter` in
/// `[0, 1)` spreads the next retry; `retry_scale` multiplies the wait (1 but in tests).
pub async fn record(
    db: &crate::Database,
    claimed: &Claimed,
    result: AttemptResult,
    policy: DisablePolicy,
    jitter: f64,
    retry_scale: f64,
) -> Result<Recorded, Error> {
    let at = now();
    let outcome = match result.status {
        Some(status) if result.error.is_none() => Outcome::of_status(status),
        _ => Outcome::Failed,
    };
    let txn = db.begin().await.map_err(storage)?;
    webhook_attempt::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(claimed.tenant_id),
        delivery_id: Set(claimed.delivery_id),
        endpoint_id: Set(claimed.endpoint_id),
        attempted_at: Set(at),
        status_code: Set(result.status.map(i32::from)),
        latency_ms: Set(i32::try_from(result.latency_ms).unwrap_or(i32::MAX)),
        response_excerpt: Set(excerpt(result.response_excerpt)),
        error: Set(result.error.clone()),
    }
    .insert(&txn)
    .await
    .map_err(storage)?;
    let settled = match outcome {
        Outcome::Delivered => Settled::Delivered,
        Outcome::Gone => Settled::Failed,
        Outcome::Failed => {
            match retry_delay(claimed.attempt, jitter, result.retry_after, retry_scale) {
                Some(wait) => {
                    Settled::Retrying(at + chrono::Duration::from_std(wait).unwrap_or_default())
                }
                None => Settled::Failed,
            }
        }
    };
    let mut delivery = webhook_delivery::ActiveModel {
        last_attempt_at: Set(Some(at)),
        last_status_code: Set(result.status.map(i32::from)),
        last_error: Set(result.error),
        ..Default::default()
    };
    match settled {
        Settled::Delivered => {
            delivery.status = Set(DELIVERED.to_owned());
            delivery.delivered_at = Set(Some(at));
        }
        Settled::Retrying(next) => delivery.next_attempt_at = Set(next),
        Settled::Failed => delivery.status = Set(FAILED.to_owned()),
    }
    webhook_delivery::Entity::update_many()
        .set(delivery)
        .filter(webhook_delivery::Column::Id.eq(claimed.delivery_id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    let disabled = match outcome {
        Outcome::Delivered => {
            succeeded(&txn, claimed.endpoint_id).await?;
            None
        }
        Outcome::Gone => Some(DisabledReason::Gone),
        Outcome::Failed => failed(&txn, claimed.endpoint_id, policy, at).await?,
    };
    if let Some(reason) = disabled {
        disable(&txn, claimed.endpoint_id, reason, at).await?;
    }
    txn.commit().await.map_err(storage)?;
    Ok(Recorded { settled, disabled })
}

/// Clears the failure count; written only when there is one, so a busy endpoint's row is not
/// rewritten on every delivery.
async fn succeeded(db: &impl ConnectionTrait, endpoint_id: Uuid) -> Result<(), Error> {
    webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::ConsecutiveFailures,
            Expr::value(0),
        )
        .col_expr(
            webhook_endpoint::Column::FailingSince,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
        .filter(webhook_endpoint::Column::ConsecutiveFailures.ne(0))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// Counts a failure; says whether the endpoint must now be switched off.
async fn failed(
    db: &impl ConnectionTrait,
    endpoint_id: Uuid,
    policy: DisablePolicy,
    at: DateTime<Utc>,
) -> Result<Option<DisabledReason>, Error> {
    // One statement counts the failure and reads the count, so concurrent failures each see
    // their own number and the one that crosses the threshold disables.
    let counted = webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::ConsecutiveFailures,
            Expr::col(webhook_endpoint::Column::ConsecutiveFailures).add(1),
        )
        .col_expr(
            webhook_endpoint::Column::FailingSince,
            Func::coalesce([
                Expr::col(webhook_endpoint::Column::FailingSince),
                Expr::value(at),
            ])
            .into(),
        )
        .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
        .exec_with_returning(db)
        .await
        .map_err(storage)?;
    let Some(endpoint) = counted.into_iter().next() else {
        return Ok(None);
    };
    let failures = u32::try_from(endpoint.consecutive_failures).unwrap_or_default();
    let since = endpoint.failing_since.unwrap_or(at);
    let disable = endpoint.enabled && policy.should_disable(failures, since, at);
    Ok(disable.then_some(DisabledReason::Failing))
}

/// Switches the endpoint off and tells whoever created it (in-app, once a day).
async fn disable(
    db: &impl ConnectionTrait,
    endpoint_id: Uuid,
    reason: DisabledReason,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    let Some(endpoint) = webhook_endpoint::Entity::find_by_id(endpoint_id)
        .one(db)
        .await
        .map_err(storage)?
    else {
        return Ok(());
    };
    if !endpoint.enabled {
        return Ok(());
    }
    webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
        .col_expr(
            webhook_endpoint::Column::DisabledReason,
            Expr::value(reason.as_str()),
        )
        .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(at))
        .col_expr(
            webhook_endpoint::Column::Version,
            Expr::col(webhook_endpoint::Column::Version).add(1),
        )
        .filter(webhook_endpoint::Column::Id.eq(endpoint_id))
        .exec(db)
        .await
        .map_err(storage)?;
    notify(
        db,
        Notice {
            tenant_id: endpoint.tenant_id,
            user_id: endpoint.created_by,
            kind: NotificationKind::WebhookDisabled,
            subject_id: endpoint.id,
            day: (at + chrono::Duration::hours(8)).date_naive(),
            params: Params {
                order_count: 0,
                amount: None,
                days_overdue: 0,
                as_manager: false,
            },
        },
    )
    .await?;
    tracing::warn!(endpoint_id = %endpoint.id, url = %endpoint.url, reason = reason.as_str(), "webhook endpoint disabled");
    Ok(())
}
