//! The audit log: written in the same transaction as the change it describes.

use crm_domain::audit::{AuditAction, Change};
use crm_domain::{Caller, Error};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::entities::audit_entry;
use crate::error::storage;

pub use crate::entities::audit_entry::Model as AuditEntry;

/// Who made a change: a user through a request, or the system (CLI, migrations).
#[derive(Debug, Clone)]
pub struct Actor {
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    pub request_id: Option<String>,
}

impl From<&Caller> for Actor {
    fn from(caller: &Caller) -> Self {
        Self {
            tenant_id: caller.tenant_id,
            user_id: Some(caller.user_id),
            request_id: caller.request_id.clone(),
        }
    }
}

/// Appends one entry. Call it with the transaction that makes the change.
pub(crate) async fn record(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: AuditAction,
    entity_type: &str,
    entity_id: Uuid,
    changes: Vec<Change>,
) -> Result<(), Error> {
    entry(actor, action, entity_type, entity_id, changes)
        .insert(conn)
        .await
        .map(drop)
        .map_err(storage)
}

pub(crate) fn entry(
    actor: &Actor,
    action: AuditAction,
    entity_type: &str,
    entity_id: Uuid,
    changes: Vec<Change>,
) -> audit_entry::ActiveModel {
    let changes: Vec<Value> = changes
        .into_iter()
        .map(|c| json!({"field": c.field, "old": c.old, "new": c.new}))
        .collect();
    audit_entry::ActiveModel {
        id: Set(crm_domain::new_id()),
        tenant_id: Set(actor.tenant_id),
        actor_id: Set(actor.user_id),
        action: Set(action.as_str().to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id),
        changes: Set(Value::Array(changes)),
        request_id: Set(actor.request_id.clone()),
        occurred_at: Set(crm_domain::now()),
    }
}

/// Bulk form of `record`, for imports.
pub(crate) async fn insert_many(
    conn: &impl ConnectionTrait,
    entries: Vec<audit_entry::ActiveModel>,
) -> Result<(), Error> {
    for chunk in entries.chunks(500) {
        audit_entry::Entity::insert_many(chunk.to_vec())
            .exec(conn)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub to: Option<chrono::DateTime<chrono::Utc>>,
}

/// Newest first; ids are UUID v7, so id order is time order and the cursor is the last id.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &AuditFilter,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<(AuditEntry, Option<String>)>, Option<Cursor>), Error> {
    let mut query =
        audit_entry::Entity::find().filter(audit_entry::Column::TenantId.eq(caller.tenant_id));
    if let Some(v) = &filter.entity_type {
        query = query.filter(audit_entry::Column::EntityType.eq(v.as_str()));
    }
    if let Some(v) = filter.entity_id {
        query = query.filter(audit_entry::Column::EntityId.eq(v));
    }
    if let Some(v) = filter.actor_id {
        query = query.filter(audit_entry::Column::ActorId.eq(v));
    }
    if let Some(v) = filter.from {
        query = query.filter(audit_entry::Column::OccurredAt.gte(v));
    }
    if let Some(v) = filter.to {
        query = query.filter(audit_entry::Column::OccurredAt.lt(v));
    }
    if let Some(cursor) = cursor {
        query = query.filter(audit_entry::Column::Id.lt(cursor.id));
    }
    let mut rows = query
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await
        .map_err(storage)?;
    let next = (rows.len() as u64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|r| Cursor {
            value: String::new(),
            id: r.id,
        })
    });
    let actor_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_id).collect();
    let names = crate::users::names(db, caller.tenant_id, &actor_ids).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let name = r.actor_id.and_then(|id| names.get(&id).cloned());
            (r, name)
        })
        .collect();
    Ok((rows, next.flatten()))
}
