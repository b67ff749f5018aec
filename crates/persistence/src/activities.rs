//! Activities: the follow-up timeline of leads and customers. An activity is visible when
//! the record it is about is; logging one restarts that record's follow-up clock and can
//! leave a task for its owner.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use crm_api_types::activities::ActivityKind;
use crm_domain::activity::{ActivityFields, Subject};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::{Caller, Error, FieldErrors, Violation, new_id, now};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::activity;
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};

#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub id: Uuid,
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    pub subject_line: String,
    pub notes: Option<String>,
    pub outcome: Option<String>,
    pub lead_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub contact_ids: Vec<Uuid>,
    pub next_follow_up_on: Option<NaiveDate>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The record behind `about`, checked against the caller's scope; its owner gets the
/// follow-up task. A converted lead's activities also land on its customer's timeline.
struct Target {
    owner_id: Option<Uuid>,
    lead_id: Option<Uuid>,
    customer_id: Option<Uuid>,
    /// Set when the activity is logged on the customer itself.
    customer: Option<crate::entities::customer::Model>,
    /// Set when the activity is logged on the lead.
    lead: Option<crate::entities::lead::Model>,
}

async fn target(
    db: &impl ConnectionTrait,
    caller: &Caller,
    about: Subject,
    opportunity_id: Option<Uuid>,
) -> Result<Target, Error> {
    if let (Some(opportunity_id), Subject::Customer(id)) = (opportunity_id, about) {
        // Logged on an opportunity: its team works on it even when the customer's owner is
        // outside their scope.
        let opportunity = crate::opportunities::find(db, caller, opportunity_id)
            .await
            .map_err(|e| referenced(e, "opportunity_id"))?;
        if opportunity.customer_id != id {
            return Err(FieldErrors::single("customer_id", Violation::NotFound).into());
        }
        let customer = crate::entities::customer::Entity::find_by_id(id)
            .filter(crate::entities::customer::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?
            .ok_or(Error::NotFound)?;
        return Ok(Target {
            owner_id: Some(opportunity.owner_id),
            lead_id: None,
            customer_id: Some(id),
            customer: Some(customer),
            lead: None,
        });
    }
    match about {
        Subject::Lead(id) => {
            let lead = crate::leads::find(db, caller, id)
                .await
                .map_err(|e| referenced(e, "lead_id"))?;
            Ok(Target {
                owner_id: lead.owner_id,
                lead_id: Some(id),
                customer_id: lead.customer_id,
                customer: None,
                lead: Some(lead),
            })
        }
        Subject::Customer(id) => {
            let customer = crate::customers::find_referenced(db, caller, id, "customer_id").await?;
            Ok(Target {
                owner_id: customer.owner_id,
                lead_id: None,
                customer_id: Some(id),
                customer: Some(customer),
                lead: None,
            })
        }
    }
}

fn referenced(error: Error, field: &str) -> Error {
    match error {
        Error::NotFound => FieldErrors::single(field, Violation::NotFound).into(),
        other => other,
    }
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: ActivityFields,
) -> Result<ActivityRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let target = target(&txn, caller, fields.about, fields.opportunity_id).await?;
    if let Subject::Customer(customer_id) = fields.about
        && !crate::contacts::all_belong_to(&txn, customer_id, &fields.contact_ids).await?
    {
        return Err(FieldErrors::single("contact_ids", Violation::NotFound).into());
    }
    let at = now();
    let id = new_id();
    let model = activity::ActiveModel {
        id: Set(id),
        tenant_id: Set(caller.tenant_id),
        kind: Set(fields.kind.as_str().to_owned()),
        occurred_at: Set(fields.occurred_at),
        subject: Set(fields.subject_line.clone()),
        notes: Set(fields.notes.clone()),
        outcome: Set(fields.outcome.clone()),
        lead_id: Set(target.lead_id),
        customer_id: Set(target.customer_id),
        opportunity_id: Set(fields.opportunity_id),
        contact_ids: Set(json!(fields.contact_ids)),
        next_follow_up_on: Set(fields.next_follow_up_on),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(caller.user_id),
        deleted_at: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "activity",
        id,
        diff(&Value::Null, &fields.audit_view()),
    )
    .await?;
    // The follow-up clock of the record it is about restarts.
    if let Some(lead) = &target.lead {
        crate::leads::touch(&txn, caller, lead, fields.occurred_at).await?;
    }
    if let Some(customer) = &target.customer {
        crate::customers::touch(&txn, customer, fields.occurred_at).await?;
    }
    if let Some(follow_up) = fields.follow_up() {
        let owner = target.owner_id.unwrap_or(caller.user_id);
        crate::tasks::insert(&txn, &Actor::from(caller), owner, &follow_up, Some(id)).await?;
    }
    let row = rows(&txn, caller, vec![model]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Whose activities a timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeline {
    Lead(Uuid),
    /// The customer's, its converted leads' and its opportunities'.
    Customer(Uuid),
    Opportunity(Uuid),
}

/// One timeline, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    timeline: Timeline,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<ActivityRow>, Option<Cursor>), Error> {
    // The record must be visible; a missing one is a 404 of the list, not an empty page.
    match timeline {
        Timeline::Lead(id) => drop(crate::leads::find(db, caller, id).await?),
        Timeline::Customer(id) => drop(crate::customers::find(db, caller, id).await?),
        Timeline::Opportunity(id) => drop(crate::opportunities::find(db, caller, id).await?),
    }
    let query = activity::Entity::find()
        .filter(activity::Column::TenantId.eq(caller.tenant_id))
        .filter(activity::Column::DeletedAt.is_null())
        .filter(match timeline {
            Timeline::Lead(id) => activity::Column::LeadId.eq(id),
            Timeline::Customer(id) => activity::Column::CustomerId.eq(id),
            Timeline::Opportunity(id) => activity::Column::OpportunityId.eq(id),
        });
    let keyset = Keyset {
        column: activity::Column::OccurredAt,
        kind: KeyKind::Time,
        id: activity::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, query, keyset, limit, cursor, |m| Cursor {
        value: m.occurred_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok((rows(db, caller, models).await?, next))
}

/// Deletes an activity: its author may, and so may whoever may delete the record it is about.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    may_delete_records: bool,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = activity::Entity::find_by_id(id)
        .filter(activity::Column::TenantId.eq(caller.tenant_id))
        .filter(activity::Column::DeletedAt.is_null())
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let about = match (model.lead_id, model.customer_id) {
        (Some(lead), _) => Subject::Lead(lead),
        (None, Some(customer)) => Subject::Customer(customer),
        (None, None) => return Err(Error::NotFound),
    };
    // Outside the caller's scope it does not exist for them.
    target(&txn, caller, about, model.opportunity_id)
        .await
        .map_err(|_| Error::NotFound)?;
    if model.created_by != caller.user_id && !may_delete_records {
        return Err(Error::Forbidden("activity.delete"));
    }
    let deleted = activity::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<activity::Entity>(&txn, deleted, id, model.version, storage).await?;
    let old =
        json!({"kind": model.kind, "subject": model.subject, "occurred_at": model.occurred_at});
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "activity",
        id,
        diff(&old, &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

async fn rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    models: Vec<activity::Model>,
) -> Result<Vec<ActivityRow>, Error> {
    let authors: Vec<Uuid> = models.iter().map(|m| m.created_by).collect();
    let names: HashMap<Uuid, String> = crate::users::names(db, caller.tenant_id, &authors).await?;
    models
        .into_iter()
        .map(|m| {
            let corrupt = |what: &str| {
                Error::Storage(format!("activity {} has an unknown {what}", m.id).into())
            };
            Ok(ActivityRow {
                kind: ActivityKind::parse(&m.kind).ok_or_else(|| corrupt("kind"))?,
                contact_ids: serde_json::from_value(m.contact_ids.clone())
                    .map_err(|_| corrupt("contact list"))?,
                created_by_name: names.get(&m.created_by).cloned().unwrap_or_default(),
                id: m.id,
                occurred_at: m.occurred_at,
                subject_line: m.subject,
                notes: m.notes,
                outcome: m.outcome,
                lead_id: m.lead_id,
                customer_id: m.customer_id,
                opportunity_id: m.opportunity_id,
                next_follow_up_on: m.next_follow_up_on,
                created_by: m.created_by,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
        })
        .collect()
}
