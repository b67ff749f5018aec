//! The change feed (`GET /events?after=`): the outbox's events in the order they became
//! visible, for consumers that poll instead of receiving webhooks.
//!
//! Each committed event gets the next `seq` from [`sequence`], run by one process at a time
//! (a PostgreSQL advisory lock; SQLite has one writer anyway). A transaction that commits
//! late gets a late number, so a consumer that read up to `seq = n` has seen every event that
//! will ever be numbered `≤ n`.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use crm_api_types::webhooks::EventResponse;
use crm_domain::caller::OwnerPlacement;
use crm_domain::event::{EventType, document_read_permission};
use crm_domain::{Caller, Error, Visibility};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{outbox_event, webhook_attempt, webhook_delivery};
use crate::error::storage;

/// Events numbered per call of [`sequence`].
const SEQUENCE_BATCH: u64 = 1000;

/// How long events, deliveries and attempts are kept.
pub const RETENTION_DAYS: i64 = 35;

/// An arbitrary constant naming the sequencer's advisory lock.
const SEQUENCER_LOCK: i64 = 0x0063_726d_5f73_6571;

/// Numbers the events committed since the last call, in commit-visible order; returns how
/// many.
pub async fn sequence(db: &crate::Database) -> Result<u64, Error> {
    let txn = db.begin().await.map_err(storage)?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [SEQUENCER_LOCK.into()],
        ))
        .await
        .map_err(storage)?;
    }
    let waiting: Vec<Uuid> = outbox_event::Entity::find()
        .select_only()
        .column(outbox_event::Column::Id)
        .filter(outbox_event::Column::Seq.is_null())
        .order_by_asc(outbox_event::Column::CreatedAt)
        .order_by_asc(outbox_event::Column::Id)
        .limit(SEQUENCE_BATCH)
        .into_tuple()
        .all(&txn)
        .await
        .map_err(storage)?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let last: Option<i64> = outbox_event::Entity::find()
        .select_only()
        .column_as(outbox_event::Column::Seq.max(), "last")
        .into_tuple::<Option<i64>>()
        .one(&txn)
        .await
        .map_err(storage)?
        .flatten();
    let mut next = last.unwrap_or(0);
    for id in &waiting {
        next += 1;
        outbox_event::Entity::update_many()
            .col_expr(outbox_event::Column::Seq, Expr::value(next))
            .filter(outbox_event::Column::Id.eq(*id))
            .exec(&txn)
            .await
            .map_err(storage)?;
    }
    txn.commit().await.map_err(storage)?;
    Ok(waiting.len() as u64)
}

/// Deletes events, deliveries and attempts older than the retention; returns how many events.
pub async fn purge(db: &crate::Database, at: DateTime<Utc>) -> Result<u64, Error> {
    let cutoff = at - chrono::Duration::days(RETENTION_DAYS);
    let txn = db.begin().await.map_err(storage)?;
    webhook_attempt::Entity::delete_many()
        .filter(webhook_attempt::Column::AttemptedAt.lt(cutoff))
        .exec(&txn)
        .await
        .map_err(storage)?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::CreatedAt.lt(cutoff))
        .filter(webhook_delivery::Column::Status.ne(super::webhooks::deliveries::PENDING))
        .exec(&txn)
        .await
        .map_err(storage)?;
    let events = outbox_event::Entity::delete_many()
        .filter(outbox_event::Column::CreatedAt.lt(cutoff))
        .filter(outbox_event::Column::Seq.is_not_null())
        .exec(&txn)
        .await
        .map_err(storage)?;
    txn.commit().await.map_err(storage)?;
    Ok(events.rows_affected)
}

/// One page of the feed.
pub struct FeedPage {
    pub items: Vec<EventResponse>,
    /// The position after the last event looked at; the same as `after` when nothing new
    /// came. Never empty, so a poller always has a position.
    pub next: i64,
}

/// Events after position `after` (from the start with 0) that the caller may read: the event
/// type's read permission, and within the caller's data scope when the event names an owner
/// (events without one need the `all` scope). `types` narrows to some event types.
pub async fn read(
    db: &impl ConnectionTrait,
    caller: &Caller,
    after: i64,
    limit: u64,
    types: &BTreeSet<EventType>,
) -> Result<FeedPage, Error> {
    let readable: Vec<&str> = EventType::ALL
        .iter()
        .filter(|t| types.is_empty() || types.contains(t))
        .filter(|t| t.read_permission().is_none_or(|p| caller.can(p)))
        .map(|t| t.as_str())
        .collect();
    let scanned = outbox_event::Entity::find()
        .filter(outbox_event::Column::TenantId.eq(caller.tenant_id))
        .filter(outbox_event::Column::Seq.gt(after))
        .filter(outbox_event::Column::EventType.is_in(readable))
        .order_by_asc(outbox_event::Column::Seq)
        .limit(limit)
        .all(db)
        .await
        .map_err(storage)?;
    let next = scanned.last().and_then(|e| e.seq).unwrap_or(after);
    let events: Vec<EventResponse> = scanned
        .iter()
        .map(crate::webhooks::dispatch::envelope)
        .filter(|e| approval_readable(caller, e))
        .collect();
    let items = within_scope(db, caller, events).await?;
    Ok(FeedPage { items, next })
}

/// An approval event is readable with the read permission of its document's kind.
fn approval_readable(caller: &Caller, event: &EventResponse) -> bool {
    if event.subject_kind != "approval" {
        return true;
    }
    event
        .data
        .get("document_kind")
        .and_then(|k| k.as_str())
        .and_then(document_read_permission)
        .is_some_and(|p| caller.can(p))
}

fn owner_of(event: &EventResponse) -> Option<Uuid> {
    event
        .data
        .get("owner_id")
        .and_then(|o| o.as_str())
        .and_then(|o| o.parse().ok())
}

/// Keeps the events the caller's data scope covers.
async fn within_scope(
    db: &impl ConnectionTrait,
    caller: &Caller,
    events: Vec<EventResponse>,
) -> Result<Vec<EventResponse>, Error> {
    if matches!(caller.visibility(), Visibility::All) {
        return Ok(events);
    }
    let owners: Vec<Uuid> = events.iter().filter_map(owner_of).collect();
    let placements: HashMap<Uuid, crate::users::OwnerInfo> =
        crate::users::owners(db, caller.tenant_id, &owners).await?;
    Ok(events
        .into_iter()
        .filter(|event| {
            owner_of(event)
                .and_then(|owner| placements.get(&owner).map(|info| (owner, info)))
                .is_some_and(|(owner, info)| {
                    caller.covers(&OwnerPlacement {
                        user_id: owner,
                        department_id: info.department_id,
                        department_path: &info.department_path,
                    })
                })
        })
        .collect())
}
