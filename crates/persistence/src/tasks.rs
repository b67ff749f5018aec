//! Tasks (待办): reminders for their owner, most often the next follow-up an activity planned.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use crm_api_types::activities::TaskStatus;
use crm_domain::activity::{Subject, TaskFields};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::{Caller, Error, FieldErrors, Violation, new_id, now};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{lead, task};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};

#[derive(Debug, Clone)]
pub struct TaskRow {
    pub id: Uuid,
    pub subject_line: String,
    pub due_on: NaiveDate,
    pub status: TaskStatus,
    pub owner_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub related_name: Option<String>,
    pub activity_id: Option<Uuid>,
    pub completed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
}

/// The caller's own tasks with `status`, due on or before `due_to`, soonest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    status: TaskStatus,
    due_to: Option<NaiveDate>,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<TaskRow>, Option<Cursor>), Error> {
    let mut query = task::Entity::find()
        .filter(task::Column::TenantId.eq(caller.tenant_id))
        .filter(task::Column::OwnerId.eq(caller.user_id))
        .filter(task::Column::Status.eq(status.as_str()));
    if let Some(day) = due_to {
        query = query.filter(task::Column::DueOn.lte(day));
    }
    let keyset = Keyset {
        column: task::Column::DueOn,
        kind: KeyKind::Date,
        id: task::Column::Id,
        descending: false,
    };
    let (models, next) = keyset::page(db, query, keyset, limit, cursor, |m| Cursor {
        value: m.due_on.to_string(),
        id: m.id,
    })
    .await?;
    Ok((rows(db, caller, models).await?, next))
}

/// A task the caller sets for themself, about a record they can see.
pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: TaskFields,
) -> Result<TaskRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    match fields.about {
        Some(Subject::Lead(id)) => drop(
            crate::leads::find(&txn, caller, id)
                .await
                .map_err(|_| FieldErrors::single("lead_id", Violation::NotFound))?,
        ),
        Some(Subject::Customer(id)) => {
            drop(crate::customers::find_referenced(&txn, caller, id, "customer_id").await?)
        }
        None => {}
    }
    let model = insert(&txn, &Actor::from(caller), caller.user_id, &fields, None).await?;
    let row = rows(&txn, caller, vec![model]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Inserts a task for `owner_id` in the caller's transaction. A task the system sets (a pool
/// warning) names its owner as creator and has no user in its audit entry.
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    owner_id: Uuid,
    fields: &TaskFields,
    activity_id: Option<Uuid>,
) -> Result<task::Model, Error> {
    let at = now();
    let model = task::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(actor.tenant_id),
        owner_id: Set(owner_id),
        subject: Set(fields.subject_line.clone()),
        due_on: Set(fields.due_on),
        status: Set(TaskStatus::Open.as_str().to_owned()),
        lead_id: Set(fields.about.and_then(Subject::lead_id)),
        customer_id: Set(fields.about.and_then(Subject::customer_id)),
        activity_id: Set(activity_id),
        completed_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(actor.user_id.unwrap_or(owner_id)),
    }
    .insert(txn)
    .await
    .map_err(storage)?;
    let mut view = fields.audit_view();
    view["owner_id"] = json!(owner_id);
    record(
        txn,
        actor,
        AuditAction::Created,
        "task",
        model.id,
        diff(&Value::Null, &view),
    )
    .await?;
    Ok(model)
}

/// Marks one of the caller's tasks done; completing a done task changes nothing.
pub async fn complete(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<TaskRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = task::Entity::find_by_id(id)
        .filter(task::Column::TenantId.eq(caller.tenant_id))
        .filter(task::Column::OwnerId.eq(caller.user_id))
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    if model.status == TaskStatus::Open.as_str() {
        let done = task::ActiveModel {
            status: Set(TaskStatus::Done.as_str().to_owned()),
            completed_at: Set(Some(now())),
            ..Default::default()
        };
        crate::versioned::update::<task::Entity>(&txn, done, id, model.version, storage).await?;
        let changes = diff(&json!({"status": "open"}), &json!({"status": "done"}));
        record(
            &txn,
            &Actor::from(caller),
            AuditAction::StatusChanged,
            "task",
            id,
            changes,
        )
        .await?;
    }
    let saved = task::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let row = rows(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Rows with the name of the lead's company or the customer, for the list to show.
async fn rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    models: Vec<task::Model>,
) -> Result<Vec<TaskRow>, Error> {
    let lead_ids: Vec<Uuid> = models.iter().filter_map(|m| m.lead_id).collect();
    let customer_ids: Vec<Uuid> = models.iter().filter_map(|m| m.customer_id).collect();
    let mut names: HashMap<Uuid, String> = HashMap::new();
    if !lead_ids.is_empty() {
        let found: Vec<(Uuid, String)> = lead::Entity::find()
            .select_only()
            .column(lead::Column::Id)
            .column(lead::Column::CompanyName)
            .filter(lead::Column::TenantId.eq(caller.tenant_id))
            .filter(lead::Column::Id.is_in(lead_ids))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage)?;
        names.extend(found);
    }
    names.extend(crate::customers::names(db, caller.tenant_id, customer_ids).await?);
    models
        .into_iter()
        .map(|m| {
            let status = TaskStatus::parse(&m.status).ok_or_else(|| {
                Error::Storage(format!("task {} has an unknown status", m.id).into())
            })?;
            // A converted lead's task names the customer it became.
            let related_name = m
                .customer_id
                .or(m.lead_id)
                .and_then(|id| names.get(&id).cloned());
            Ok(TaskRow {
                id: m.id,
                subject_line: m.subject,
                due_on: m.due_on,
                status,
                owner_id: m.owner_id,
                lead_id: m.lead_id,
                customer_id: m.customer_id,
                related_name,
                activity_id: m.activity_id,
                completed_at: m.completed_at,
                version: m.version,
                created_at: m.created_at,
                created_by: m.created_by,
            })
        })
        .collect()
}
