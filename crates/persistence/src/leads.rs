//! Leads, scoped by tenant and by the caller's data scope in every query.

use chrono::{DateTime, Utc};
use crm_api_types::leads::{LeadSource, LeadStatus, UpdateLeadRequest};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::lead::{Lead, LeadFields};
use crm_domain::listing::Sort;
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, TransactionTrait,
};
use serde_json::Value;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::lead;
use crate::error::storage;
use crate::scope::owned_by_visible;

/// A lead with its owner's display name, as lists and pages show it.
#[derive(Debug, Clone)]
pub struct LeadRow {
    pub lead: Lead,
    pub owner_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadSortKey {
    CreatedAt,
    UpdatedAt,
    CompanyName,
}

impl LeadSortKey {
    pub const NAMES: [(&'static str, LeadSortKey); 3] =
        [("created_at", Self::CreatedAt), ("updated_at", Self::UpdatedAt), ("company_name", Self::CompanyName)];

    fn column(self) -> lead::Column {
        match self {
            Self::CreatedAt => lead::Column::CreatedAt,
            Self::UpdatedAt => lead::Column::UpdatedAt,
            Self::CompanyName => lead::Column::CompanyName,
        }
    }

    fn value_of(self, model: &lead::Model) -> String {
        match self {
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
            Self::CompanyName => model.company_name.clone(),
        }
    }

    /// The cursor's value as a typed SQL value; a tampered value is a 422 on `cursor`.
    fn parse_value(self, text: &str) -> Result<sea_orm::Value, FieldErrors> {
        match self {
            Self::CreatedAt | Self::UpdatedAt => DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc).into())
                .map_err(|_| FieldErrors::single("cursor", Violation::InvalidFormat)),
            Self::CompanyName => Ok(text.to_owned().into()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub q: Option<String>,
    pub status: Option<LeadStatus>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<Uuid>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
}

pub struct LeadPage {
    pub rows: Vec<LeadRow>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

/// Live leads of the caller's tenant that the caller's data scope covers.
fn visible(caller: &Caller) -> Select<lead::Entity> {
    lead::Entity::find()
        .filter(lead::Column::TenantId.eq(caller.tenant_id))
        .filter(lead::Column::DeletedAt.is_null())
        .filter(owned_by_visible(caller, lead::Column::OwnerId))
}

fn filtered(caller: &Caller, filter: &LeadFilter) -> Select<lead::Entity> {
    let mut query = visible(caller);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Func::lower(Expr::col(lead::Column::CompanyName)).like(pattern.clone()))
                .add(Func::lower(Expr::col(lead::Column::ContactName)).like(pattern.clone()))
                .add(lead::Column::Phone.like(pattern.clone()))
                .add(lead::Column::Mobile.like(pattern.clone()))
                .add(lead::Column::Email.like(pattern)),
        );
    }
    if let Some(v) = filter.status {
        query = query.filter(lead::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = filter.source {
        query = query.filter(lead::Column::Source.eq(v.as_str()));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(lead::Column::OwnerId.eq(v));
    }
    if let Some(v) = &filter.region {
        query = query.filter(lead::Column::Region.eq(v.as_str()));
    }
    if let Some(v) = &filter.industry {
        query = query.filter(lead::Column::Industry.eq(v.as_str()));
    }
    if let Some(v) = filter.created_from {
        query = query.filter(lead::Column::CreatedAt.gte(v));
    }
    if let Some(v) = filter.created_to {
        query = query.filter(lead::Column::CreatedAt.lt(v));
    }
    query
}

/// One page, keyset-paginated on (sort column, id): no OFFSET, so page 1,000 costs what page 1 does.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &LeadFilter,
    sort: Sort<LeadSortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<LeadPage, Error> {
    let column = sort.key.column();
    let mut query = filtered(caller, filter);
    if let Some(cursor) = cursor {
        // A row comparison, `(column, id) < (value, id)`, so the database seeks into the
        // (tenant, column, id) index; the equivalent OR of two conditions makes PostgreSQL
        // walk the index from the top and page 200 cost 40× page 1.
        let value = sort.key.parse_value(&cursor.value)?;
        let row = Expr::tuple([Expr::col((lead::Entity, column)), Expr::col((lead::Entity, lead::Column::Id))]);
        let position = Expr::tuple([Expr::val(value), Expr::val(cursor.id)]);
        query = query.filter(if sort.descending { row.lt(position) } else { row.gt(position) });
    }
    let order = if sort.descending { Order::Desc } else { Order::Asc };
    let mut models = query
        .order_by(column, order.clone())
        .order_by(lead::Column::Id, order)
        .limit(limit + 1)
        .all(db)
        .await
        .map_err(storage)?;
    let next = if models.len() as u64 > limit {
        models.truncate(limit as usize);
        models.last().map(|m| Cursor { value: sort.key.value_of(m), id: m.id })
    } else {
        None
    };
    let total = if include_total { Some(filtered(caller, filter).count(db).await.map_err(storage)?) } else { None };
    Ok(LeadPage { rows: with_owner_names(db, caller, models).await?, next, total })
}

pub async fn get(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<LeadRow, Error> {
    let model = find(db, caller, id).await?;
    Ok(with_owner_names(db, caller, vec![model]).await?.remove(0))
}

async fn find(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<lead::Model, Error> {
    visible(caller)
        .filter(lead::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn create(db: &crate::Database, caller: &Caller, fields: LeadFields) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    // The caller was just loaded as active and always covers their own records.
    if fields.owner_id != caller.user_id {
        crate::users::check_assignable_owner(&txn, caller, fields.owner_id).await?;
    }
    let at = now();
    let mut active = active_fields(&fields);
    active.id = Set(new_id());
    active.tenant_id = Set(caller.tenant_id);
    active.status = Set(LeadStatus::New.as_str().to_owned());
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    let model = active.insert(&txn).await.map_err(storage)?;
    let changes = diff(&Value::Null, &fields.audit_view());
    record(&txn, &Actor::from(caller), AuditAction::Created, "lead", model.id, changes).await?;
    let row = with_owner_names(&txn, caller, vec![model]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateLeadRequest,
) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = to_lead(find(&txn, caller, id).await?)?;
    check_version(current.version, if_match)?;
    let next = current.fields.apply(patch)?;
    if next.owner_id != current.fields.owner_id {
        crate::users::check_assignable_owner(&txn, caller, next.owner_id).await?;
    }
    let changes = diff(&current.fields.audit_view(), &next.audit_view());
    crate::versioned::update::<lead::Entity>(&txn, active_fields(&next), id, current.version, storage).await?;
    record(&txn, &Actor::from(caller), AuditAction::Updated, "lead", id, changes).await?;
    // Read back through the scope: a lead handed to someone outside it is still returned
    // once, from the tenant, so the caller sees the result of their own write.
    let saved = lead::Entity::find_by_id(id).one(&txn).await.map_err(storage)?.ok_or(Error::NotFound)?;
    let row = with_owner_names(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Soft delete: the row stays for the audit trail and for later restores.
pub async fn delete(db: &crate::Database, caller: &Caller, id: Uuid, if_match: Option<i32>) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = to_lead(find(&txn, caller, id).await?)?;
    check_version(current.version, if_match)?;
    let deleted = lead::ActiveModel { deleted_at: Set(Some(now())), ..Default::default() };
    crate::versioned::update::<lead::Entity>(&txn, deleted, id, current.version, storage).await?;
    record(&txn, &Actor::from(caller), AuditAction::Deleted, "lead", id, diff(&current.fields.audit_view(), &Value::Null)).await?;
    txn.commit().await.map_err(storage)
}

/// The editable columns of `fields`; the rest stay `NotSet`.
fn active_fields(fields: &LeadFields) -> lead::ActiveModel {
    lead::ActiveModel {
        company_name: Set(fields.company_name.clone()),
        contact_name: Set(fields.contact_name.clone()),
        title: Set(fields.title.clone()),
        phone: Set(fields.phone.clone()),
        mobile: Set(fields.mobile.clone()),
        email: Set(fields.email.clone()),
        source: Set(fields.source.as_str().to_owned()),
        region: Set(fields.region.clone()),
        industry: Set(fields.industry.clone()),
        owner_id: Set(fields.owner_id),
        notes: Set(fields.notes.clone()),
        ..Default::default()
    }
}

fn to_lead(m: lead::Model) -> Result<Lead, Error> {
    let corrupt = |what: &str| Error::Storage(format!("lead {} has an unknown {what}", m.id).into());
    let source = LeadSource::parse(&m.source).ok_or_else(|| corrupt("source"))?;
    let status = LeadStatus::parse(&m.status).ok_or_else(|| corrupt("status"))?;
    Ok(Lead {
        id: m.id,
        fields: LeadFields {
            company_name: m.company_name,
            contact_name: m.contact_name,
            title: m.title,
            phone: m.phone,
            mobile: m.mobile,
            email: m.email,
            source,
            region: m.region,
            industry: m.industry,
            owner_id: m.owner_id,
            notes: m.notes,
        },
        status,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        created_by: m.created_by,
    })
}

async fn with_owner_names(db: &impl ConnectionTrait, caller: &Caller, models: Vec<lead::Model>) -> Result<Vec<LeadRow>, Error> {
    let owners: Vec<Uuid> = models.iter().map(|m| m.owner_id).collect();
    let names = crate::users::names(db, caller.tenant_id, &owners).await?;
    models
        .into_iter()
        .map(|m| {
            let owner_name = names.get(&m.owner_id).cloned().unwrap_or_default();
            to_lead(m).map(|lead| LeadRow { lead, owner_name })
        })
        .collect()
}

/// Inserts many leads in one statement per batch, for demo data and benchmarks.
/// Each still gets its creation audit entry, in the same transaction.
pub async fn import(db: &crate::Database, caller: &Caller, batch: Vec<(LeadFields, DateTime<Utc>)>) -> Result<usize, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let count = batch.len();
    let mut leads = Vec::with_capacity(count);
    let mut audits = Vec::with_capacity(count);
    for (fields, created_at) in batch {
        let id = crm_domain::new_id();
        let mut active = active_fields(&fields);
        active.id = Set(id);
        active.tenant_id = Set(caller.tenant_id);
        active.status = Set(LeadStatus::New.as_str().to_owned());
        active.version = Set(1);
        active.created_at = Set(created_at);
        active.updated_at = Set(created_at);
        active.created_by = Set(caller.user_id);
        active.deleted_at = Set(None);
        leads.push(active);
        audits.push(crate::audit::entry(&Actor::from(caller), AuditAction::Created, "lead", id, diff(&Value::Null, &fields.audit_view())));
    }
    for chunk in leads.chunks(500) {
        lead::Entity::insert_many(chunk.to_vec()).exec(&txn).await.map_err(storage)?;
    }
    crate::audit::insert_many(&txn, audits).await?;
    txn.commit().await.map_err(storage)?;
    Ok(count)
}
