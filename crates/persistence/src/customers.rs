//! Customers, scoped by tenant and by the caller's data scope in every query. The database
//! refuses a second live customer with the same normalized name or credit code, so two
//! concurrent creates cannot both succeed; the loser is told who has it, masked.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use crm_api_types::customers::{
    CustomerStatus, DuplicateMatch, MatchReason, UpdateCustomerRequest,
};
use crm_api_types::leads::LeadSource;
use crm_api_types::ownership::OwnerChangeReason;
use crm_domain::audit::{AuditAction, Change, diff};
use crm_domain::caller::OwnerPlacement;
use crm_domain::company::{mask_company, mask_person, name_core, name_key, parse_credit_code};
use crm_domain::customer::{CustomerFields, phone_key};
use crm_domain::event::EventType;
use crm_domain::listing::Sort;
use crm_domain::settings::Settings;
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{Caller, Error, FieldErrors, Violation, Visibility, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend,
    DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{
    activity, contact, customer, lead, opportunity, price_history, price_list, task,
};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::ownership::{Owned, OwnerChange};
use crate::scope::owned_by_visible_or_pooled;
use crate::sync::{self, Upsert, Upserted};

/// A customer as lists and pages show it.
#[derive(Debug, Clone)]
pub struct CustomerRow {
    pub id: Uuid,
    pub fields: CustomerFields,
    /// The ERP record this customer mirrors.
    pub external: Option<ExternalRef>,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub owner_name: Option<String>,
    pub parent_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerSortKey {
    CreatedAt,
    UpdatedAt,
    Name,
}

impl CustomerSortKey {
    pub const NAMES: [(&'static str, CustomerSortKey); 3] = [
        ("created_at", Self::CreatedAt),
        ("updated_at", Self::UpdatedAt),
        ("name", Self::Name),
    ];

    fn keyset(self, descending: bool) -> Keyset<customer::Column> {
        let (column, kind) = match self {
            Self::CreatedAt => (customer::Column::CreatedAt, KeyKind::Time),
            Self::UpdatedAt => (customer::Column::UpdatedAt, KeyKind::Time),
            Self::Name => (customer::Column::Name, KeyKind::Text),
        };
        Keyset {
            column,
            kind,
            id: customer::Column::Id,
            descending,
        }
    }

    fn position(self, model: &customer::Model) -> Cursor {
        let value = match self {
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
            Self::Name => model.name.clone(),
        };
        Cursor {
            value,
            id: model.id,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub q: Option<String>,
    pub status: Option<CustomerStatus>,
    pub owner_id: Option<Uuid>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub province: Option<String>,
    pub tier: Option<String>,
    pub tag: Option<String>,
    pub parent_id: Option<Uuid>,
    /// `Some(true)`: only the pool; `Some(false)`: only owned customers.
    pub pool: Option<bool>,
    /// The department's path: owners in it or below.
    pub department_path: Option<String>,
    /// Owned customers not followed up since this instant (never followed up: created
    /// before it), as the activity report counts them idle.
    pub idle_before: Option<DateTime<Utc>>,
}

pub struct CustomerPage {
    pub rows: Vec<CustomerRow>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

/// Live customers of a tenant: not deleted, not merged away.
fn live(tenant_id: Uuid) -> Select<customer::Entity> {
    customer::Entity::find()
        .filter(customer::Column::TenantId.eq(tenant_id))
        .filter(customer::Column::DeletedAt.is_null())
        .filter(customer::Column::MergedInto.is_null())
}

/// Live customers the caller's data scope covers.
pub(crate) fn visible(caller: &Caller) -> Select<customer::Entity> {
    live(caller.tenant_id).filter(owned_by_visible_or_pooled(
        caller,
        customer::Column::OwnerId,
    ))
}

fn filtered(
    caller: &Caller,
    filter: &CustomerFilter,
    backend: DatabaseBackend,
) -> Select<customer::Entity> {
    let mut query = visible(caller);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Func::lower(Expr::col(customer::Column::Name)).like(pattern.clone()))
                .add(Func::lower(Expr::col(customer::Column::ShortName)).like(pattern))
                .add(customer::Column::CreditCode.like(format!("%{}%", q.to_uppercase()))),
        );
    }
    if let Some(v) = filter.status {
        query = query.filter(customer::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(customer::Column::OwnerId.eq(v));
    }
    if let Some(v) = &filter.industry {
        query = query.filter(customer::Column::Industry.eq(v.as_str()));
    }
    if let Some(v) = &filter.region {
        query = query.filter(customer::Column::Region.eq(v.as_str()));
    }
    if let Some(v) = &filter.province {
        query = query.filter(customer::Column::Province.eq(v.as_str()));
    }
    if let Some(v) = &filter.tier {
        query = query.filter(customer::Column::Tier.eq(v.as_str()));
    }
    if let Some(tag) = &filter.tag {
        // Tags are a JSON array: each database has its own containment test.
        let contains = match backend {
            DatabaseBackend::Postgres => Expr::cust_with_values(
                "\"customers\".\"tags\" @> CAST($1 AS jsonb)",
                [Value::from(vec![tag.clone()]).to_string()],
            ),
            _ => Expr::cust_with_values(
                "EXISTS (SELECT 1 FROM json_each(\"customers\".\"tags\") WHERE value = ?)",
                [tag.clone()],
            ),
        };
        query = query.filter(contains);
    }
    if let Some(v) = filter.parent_id {
        query = query.filter(customer::Column::ParentId.eq(v));
    }
    match filter.pool {
        Some(true) => query = query.filter(customer::Column::OwnerId.is_null()),
        Some(false) => query = query.filter(customer::Column::OwnerId.is_not_null()),
        None => {}
    }
    if let Some(path) = &filter.department_path {
        query = query.filter(crate::scope::owned_in_department_tree(
            caller.tenant_id,
            customer::Column::OwnerId,
            path,
        ));
    }
    if let Some(before) = filter.idle_before {
        query = query
            .filter(customer::Column::OwnerId.is_not_null())
            .filter(followed_up().lt(before));
    }
    query
}

/// When a customer was last followed up, or created if never: what idleness is measured
/// from. The expression the index `ix_customers_followed_up` is built on.
pub(crate) fn followed_up() -> Expr {
    Func::coalesce([
        Expr::col((customer::Entity, customer::Column::LastActivityAt)),
        Expr::col((customer::Entity, customer::Column::CreatedAt)),
    ])
    .into()
}

/// One page, keyset-paginated on (sort column, id).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &CustomerFilter,
    sort: Sort<CustomerSortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<CustomerPage, Error> {
    let backend = db.get_database_backend();
    let keyset = sort.key.keyset(sort.descending);
    let (models, next) = keyset::page(
        db,
        filtered(caller, filter, backend),
        keyset,
        limit,
        cursor,
        |m| sort.key.position(m),
    )
    .await?;
    let total = if include_total {
        Some(
            filtered(caller, filter, backend)
                .count(db)
                .await
                .map_err(storage)?,
        )
    } else {
        None
    };
    Ok(CustomerPage {
        rows: rows(db, caller, models).await?,
        next,
        total,
    })
}

/// One customer; a merged one answers `Merged` with the survivor's id.
pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<CustomerRow, Error> {
    let model = find(db, caller, id).await?;
    Ok(rows(db, caller, vec![model]).await?.remove(0))
}

/// A live customer in the caller's scope, for reads and writes.
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<customer::Model, Error> {
    let model = customer::Entity::find_by_id(id)
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .filter(customer::Column::DeletedAt.is_null())
        .filter(owned_by_visible_or_pooled(
            caller,
            customer::Column::OwnerId,
        ))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    match model.merged_into {
        Some(into) => Err(Error::Merged { into }),
        None => Ok(model),
    }
}

/// Like `find`, for a customer named in a request body: absent or merged is a field error.
pub(crate) async fn find_referenced(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    field: &str,
) -> Result<customer::Model, Error> {
    match find(db, caller, id).await {
        Err(Error::NotFound | Error::Merged { .. }) => {
            Err(FieldErrors::single(field, Violation::NotFound).into())
        }
        other => other,
    }
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: CustomerFields,
) -> Result<CustomerRow, Error> {
    let attempt = async {
        let txn = db.begin().await.map_err(storage)?;
        let model = insert(&txn, caller, &fields).await?;
        let row = rows(&txn, caller, vec![model]).await?.remove(0);
        txn.commit().await.map_err(storage)?;
        Ok(row)
    };
    match attempt.await {
        Err(Error::Conflict {
            code: DUPLICATE, ..
        }) => Err(Error::Duplicate(
            blocking_matches(db, caller, &fields, None).await?,
        )),
        other => other,
    }
}

const DUPLICATE: &str = "customer_duplicate";

/// A unique violation on the name key or credit code: another transaction committed the
/// same company first. The caller re-reads the matches once this transaction is gone.
fn duplicate(err: DbErr) -> Error {
    crate::error::unique_violation(
        err,
        &[
            "ux_customers",
            "customers.name_key",
            "customers.credit_code",
        ],
        DUPLICATE,
        "name",
    )
}

/// Inserts a customer inside the caller's transaction, with its audit entry. Refuses a
/// duplicate with the masked matches.
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    fields: &CustomerFields,
) -> Result<customer::Model, Error> {
    check_references(txn, caller, fields, None).await?;
    refuse_duplicates(txn, caller, fields, None).await?;
    let at = now();
    let mut active = active_fields(fields);
    active.id = Set(new_id());
    active.tenant_id = Set(caller.tenant_id);
    active.last_activity_at = Set(None);
    active.pool_clock_at = Set(at);
    active.pool_warned_at = Set(None);
    active.merged_into = Set(None);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    let model = active.insert(txn).await.map_err(duplicate)?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Created,
        "customer",
        model.id,
        diff(&Value::Null, &fields.audit_view()),
    )
    .await?;
    let change = OwnerChange {
        owned: Owned::Customer,
        id: model.id,
        from: None,
        to: model.owner_id,
        reason: OwnerChangeReason::Created,
        note: None,
    };
    crate::ownership::record_change(txn, &Actor::from(caller), change).await?;
    crate::outbox::emit(
        txn,
        caller.tenant_id,
        EventType::CustomerCreated,
        model.id,
        &snapshot(model.id, fields),
    )
    .await?;
    Ok(model)
}

/// The `customer.*` event payload: the company's identity, standing and owner, without its
/// notes or address.
pub(crate) fn snapshot(id: Uuid, fields: &CustomerFields) -> Value {
    json!({
        "customer_id": id,
        "name": fields.name,
        "short_name": fields.short_name,
        "credit_code": fields.credit_code,
        "industry": fields.industry,
        "region": fields.region,
        "tier": fields.tier,
        "status": fields.status.as_str(),
        "parent_id": fields.parent_id,
        "owner_id": fields.owner_id,
    })
}

/// The names of the fields `changes` touch, for the `*.updated` events.
pub(crate) fn changed_fields(changes: &[Change]) -> Value {
    json!(changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>())
}

/// Queues `customer.updated` with `fields` as they are now and the names of the fields
/// `changes` touch; nothing when none did (an empty PATCH is no news).
pub(crate) async fn announce_update(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Uuid,
    fields: &CustomerFields,
    changes: &[Change],
) -> Result<(), Error> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut payload = snapshot(id, fields);
    payload["changed"] = changed_fields(changes);
    crate::outbox::emit(db, tenant_id, EventType::CustomerUpdated, id, &payload).await
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateCustomerRequest,
    settings: &Settings,
) -> Result<CustomerRow, Error> {
    let attempt = async {
        let txn = db.begin().await.map_err(storage)?;
        let row = change(&txn, caller, id, if_match, patch, settings).await?;
        txn.commit().await.map_err(storage)?;
        Ok(row)
    };
    match attempt.await {
        Err(Error::Conflict {
            code: DUPLICATE, ..
        }) => {
            let next = to_fields(&find(db, caller, id).await?)?.apply(patch, settings)?;
            Err(Error::Duplicate(
                blocking_matches(db, caller, &next, Some(id)).await?,
            ))
        }
        other => other,
    }
}

/// Applies `patch` to a customer inside the caller's transaction, with its audit entry,
/// ownership history and `customer.updated` event.
async fn change(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateCustomerRequest,
    settings: &Settings,
) -> Result<CustomerRow, Error> {
    let current = find(txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let before = to_fields(&current)?;
    let next = before.apply(patch, settings)?;
    check_references(txn, caller, &next, Some((id, &before))).await?;
    refuse_duplicates(txn, caller, &next, Some(id)).await?;
    let changes = diff(&before.audit_view(), &next.audit_view());
    announce_update(txn, caller.tenant_id, id, &next, &changes).await?;
    let mut columns = active_fields(&next);
    if next.owner_id != before.owner_id {
        // A new owner gets the full time to follow up before the pool takes it back.
        columns.pool_clock_at = Set(now());
        columns.pool_warned_at = Set(None);
        let change = OwnerChange {
            owned: Owned::Customer,
            id,
            from: before.owner_id,
            to: next.owner_id,
            reason: OwnerChangeReason::Assigned,
            note: None,
        };
        crate::ownership::record_change(txn, &Actor::from(caller), change).await?;
    }
    crate::versioned::update::<customer::Entity>(txn, columns, id, current.version, duplicate)
        .await?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "customer",
        id,
        changes,
    )
    .await?;
    // Read back from the tenant: a customer handed to someone outside the caller's scope
    // is still returned once, so the caller sees the result of their own write.
    let saved = customer::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let row = rows(txn, caller, vec![saved]).await?.remove(0);
    Ok(row)
}

/// `PUT /customers/by-external-id/{source}/{id}`: creates the customer an ERP names, or
/// changes the fields the body names on the one it made before, and records the sync.
pub async fn upsert(
    db: &crate::Database,
    caller: &Caller,
    body: &Upsert<CustomerFields, UpdateCustomerRequest>,
    settings: &Settings,
) -> Result<(Upserted, CustomerRow), Error> {
    let kind = SyncedKind::Customer;
    let attempt = async {
        let txn = db.begin().await.map_err(storage)?;
        let (upserted, row) =
            match sync::existing(&txn, caller.tenant_id, kind, &body.external).await? {
                None => {
                    let fields = body.create.clone()?;
                    let mut model = insert(&txn, caller, &fields).await?;
                    sync::link(&txn, caller.tenant_id, kind, model.id, &body.external).await?;
                    model.external_source = Some(body.external.source().to_owned());
                    model.external_id = Some(body.external.id().to_owned());
                    (
                        Upserted::Created,
                        rows(&txn, caller, vec![model]).await?.remove(0),
                    )
                }
                Some(id) => {
                    let patch = body.patch.as_ref().map_err(Clone::clone)?;
                    (
                        Upserted::Updated,
                        change(&txn, caller, id, None, patch, settings).await?,
                    )
                }
            };
        sync::succeeded(&txn, caller, kind, &body.external, row.id).await?;
        txn.commit().await.map_err(storage)?;
        Ok((upserted, row))
    };
    match (attempt.await, &body.create) {
        (
            Err(Error::Conflict {
                code: DUPLICATE, ..
            }),
            Ok(fields),
        ) => Err(Error::Duplicate(
            blocking_matches(db, caller, fields, None).await?,
        )),
        (other, _) => other,
    }
}

/// Soft delete. Contacts go with the customer (they are reached only through it).
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let deleted = customer::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<customer::Entity>(&txn, deleted, id, current.version, storage)
        .await?;
    let changes = diff(&to_fields(&current)?.audit_view(), &Value::Null);
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "customer",
        id,
        changes,
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// Merges `source_id` into `survivor_id` in one transaction: contacts, leads, activities,
/// tasks and subsidiaries move to the survivor, the survivor's blank fields take the source's
/// values, and the source stays as a redirect (`merged_into`).
pub async fn merge(
    db: &crate::Database,
    caller: &Caller,
    survivor_id: Uuid,
    source_id: Uuid,
) -> Result<CustomerRow, Error> {
    if survivor_id == source_id {
        return Err(FieldErrors::single("source_id", Violation::InvalidFormat).into());
    }
    let txn = db.begin().await.map_err(storage)?;
    let survivor = find(&txn, caller, survivor_id).await.map_err(|e| match e {
        Error::Merged { .. } => Error::Conflict {
            code: "customer_merged",
            field: None,
        },
        other => other,
    })?;
    let source = find_referenced(&txn, caller, source_id, "source_id").await?;
    let (survivor_fields, source_fields) = (to_fields(&survivor)?, to_fields(&source)?);

    // The survivor keeps its primary contact; the source's becomes an ordinary one.
    let survivor_has_primary = contact::Entity::find()
        .filter(contact::Column::CustomerId.eq(survivor_id))
        .filter(contact::Column::IsPrimary.eq(true))
        .filter(contact::Column::DeletedAt.is_null())
        .count(&txn)
        .await
        .map_err(storage)?
        > 0;
    let mut moved_contacts = contact::Entity::update_many()
        .col_expr(contact::Column::CustomerId, Expr::value(survivor_id));
    if survivor_has_primary {
        moved_contacts = moved_contacts.col_expr(contact::Column::IsPrimary, Expr::value(false));
    }
    moved_contacts
        .filter(contact::Column::CustomerId.eq(source_id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    let tenant = caller.tenant_id;
    repoint::<lead::Entity>(
        &txn,
        (lead::Column::TenantId, tenant),
        lead::Column::CustomerId,
        source_id,
        survivor_id,
    )
    .await?;
    repoint::<activity::Entity>(
        &txn,
        (activity::Column::TenantId, tenant),
        activity::Column::CustomerId,
        source_id,
        survivor_id,
    )
    .await?;
    repoint::<task::Entity>(
        &txn,
        (task::Column::TenantId, tenant),
        task::Column::CustomerId,
        source_id,
        survivor_id,
    )
    .await?;
    // The deals, the negotiated price lists and the price history follow the company.
    repoint::<opportunity::Entity>(
        &txn,
        (opportunity::Column::TenantId, tenant),
        opportunity::Column::CustomerId,
        source_id,
        survivor_id,
    )
    .await?;
    repoint::<price_list::Entity>(
        &txn,
        (price_list::Column::TenantId, tenant),
        price_list::Column::CustomerId,
        source_id,
        survivor_id,
    )
    .await?;
    repoint::<price_history::Entity>(
        &txn,
        (price_history::Column::TenantId, tenant),
        price_history::Column::CustomerId,
        source_id,
        survivor_id,
    )
    .await?;
    // The survivor's own parent is rewritten below with the rest of its fields.
    repoint::<customer::Entity>(
        &txn,
        (customer::Column::TenantId, tenant),
        customer::Column::ParentId,
        source_id,
        survivor_id,
    )
    .await?;

    // The source steps aside first, so the unique keys it held (its credit code) are free
    // for the survivor to take over.
    let redirect = customer::ActiveModel {
        merged_into: Set(Some(survivor_id)),
        ..Default::default()
    };
    crate::versioned::update::<customer::Entity>(
        &txn,
        redirect,
        source_id,
        source.version,
        storage,
    )
    .await?;
    let mut merged = survivor_fields.absorb(&source_fields);
    if merged.parent_id == Some(source_id) {
        merged.parent_id = source_fields.parent_id.filter(|p| *p != survivor_id);
    }
    let mut changes = diff(&survivor_fields.audit_view(), &merged.audit_view());
    changes.push(Change {
        field: "merged_from".to_owned(),
        old: Value::Null,
        new: json!(source_id),
    });
    crate::versioned::update::<customer::Entity>(
        &txn,
        active_fields(&merged),
        survivor_id,
        survivor.version,
        duplicate,
    )
    .await?;
    let actor = Actor::from(caller);
    record(
        &txn,
        &actor,
        AuditAction::Merged,
        "customer",
        survivor_id,
        changes,
    )
    .await?;
    let into = vec![Change {
        field: "merged_into".to_owned(),
        old: Value::Null,
        new: json!(survivor_id),
    }];
    record(
        &txn,
        &actor,
        AuditAction::Merged,
        "customer",
        source_id,
        into,
    )
    .await?;
    let mut payload = snapshot(survivor_id, &merged);
    payload["merged_customer_id"] = json!(source_id);
    payload["merged_customer_name"] = json!(source_fields.name);
    crate::outbox::emit(
        &txn,
        caller.tenant_id,
        EventType::CustomerMerged,
        survivor_id,
        &payload,
    )
    .await?;
    let saved = customer::Entity::find_by_id(survivor_id)
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let row = rows(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Points `column` of the tenant's rows that name `from` at `to`: a merge moves references.
async fn repoint<E: EntityTrait>(
    db: &impl ConnectionTrait,
    (tenant_column, tenant_id): (E::Column, Uuid),
    column: E::Column,
    from: Uuid,
    to: Uuid,
) -> Result<(), Error> {
    E::update_many()
        .col_expr(column, Expr::value(to))
        .filter(tenant_column.eq(tenant_id))
        .filter(column.eq(from))
        .exec(db)
        .await
        .map(drop)
        .map_err(storage)
}

/// Refuses an owner the caller may not assign and a parent the caller cannot see or that
/// would make the group hierarchy circular. `current` is the customer being edited.
async fn check_references(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &CustomerFields,
    current: Option<(Uuid, &CustomerFields)>,
) -> Result<(), Error> {
    let owner_changed = current.is_none_or(|(_, before)| before.owner_id != fields.owner_id);
    if let Some(owner) = fields
        .owner_id
        .filter(|o| owner_changed && *o != caller.user_id)
    {
        crate::users::check_assignable_owner(db, caller, owner).await?;
    }
    let parent_changed = current.is_none_or(|(_, before)| before.parent_id != fields.parent_id);
    let Some(parent_id) = fields.parent_id.filter(|_| parent_changed) else {
        return Ok(());
    };
    let mut ancestor = Some(find_referenced(db, caller, parent_id, "parent_id").await?);
    // Walk up the group: the customer being edited must not be its own ancestor.
    for _ in 0..32 {
        let Some(model) = ancestor else { return Ok(()) };
        if current.is_some_and(|(id, _)| id == model.id) {
            return Err(FieldErrors::single("parent_id", Violation::InvalidFormat).into());
        }
        ancestor = match model.parent_id {
            Some(up) => customer::Entity::find_by_id(up)
                .filter(customer::Column::TenantId.eq(caller.tenant_id))
                .one(db)
                .await
                .map_err(storage)?,
            None => None,
        };
    }
    Ok(())
}

async fn refuse_duplicates(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &CustomerFields,
    exclude: Option<Uuid>,
) -> Result<(), Error> {
    let matches = blocking_matches(db, caller, fields, exclude).await?;
    if matches.is_empty() {
        Ok(())
    } else {
        Err(Error::Duplicate(matches))
    }
}

/// Live customers with the same name key or credit code: the ones a write would collide with.
pub(crate) async fn blocking_matches(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &CustomerFields,
    exclude: Option<Uuid>,
) -> Result<Vec<DuplicateMatch>, Error> {
    let key = fields.keys().name_key;
    let mut same = Condition::any().add(customer::Column::NameKey.eq(key.as_str()));
    if let Some(code) = &fields.credit_code {
        same = same.add(customer::Column::CreditCode.eq(code.as_str()));
    }
    let mut query = live(caller.tenant_id).filter(same);
    if let Some(id) = exclude {
        query = query.filter(customer::Column::Id.ne(id));
    }
    let found = query.limit(5).all(db).await.map_err(storage)?;
    let reasoned = found
        .into_iter()
        .map(|m| {
            (
                if m.name_key == key {
                    MatchReason::Name
                } else {
                    MatchReason::CreditCode
                },
                m,
            )
        })
        .collect();
    describe(db, caller, reasoned).await
}

/// What the user has typed into a customer form, for `duplicate_check`.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub name: Option<String>,
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub exclude_id: Option<Uuid>,
}

const SIMILAR_LIMIT: u64 = 10;

/// Exact matches (name, credit code, a contact's phone or email) and up to ten similar
/// names, each told only as far as the caller may see it. Every lookup is an index seek.
pub async fn duplicate_check(
    db: &impl ConnectionTrait,
    caller: &Caller,
    probe: &Probe,
) -> Result<(Vec<DuplicateMatch>, Vec<DuplicateMatch>), Error> {
    let mut exact: Vec<(MatchReason, customer::Model)> = Vec::new();
    let not_excluded = |m: &customer::Model| Some(m.id) != probe.exclude_id;
    let key = probe
        .name
        .as_deref()
        .map(name_key)
        .filter(|k| !k.is_empty());
    if let Some(key) = &key {
        let found = live(caller.tenant_id)
            .filter(customer::Column::NameKey.eq(key.as_str()))
            .limit(5)
            .all(db)
            .await
            .map_err(storage)?;
        exact.extend(
            found
                .into_iter()
                .filter(not_excluded)
                .map(|m| (MatchReason::Name, m)),
        );
    }
    if let Some(code) = probe.credit_code.as_deref().and_then(parse_credit_code) {
        let found = live(caller.tenant_id)
            .filter(customer::Column::CreditCode.eq(code))
            .limit(5)
            .all(db)
            .await
            .map_err(storage)?;
        exact.extend(
            found
                .into_iter()
                .filter(not_excluded)
                .map(|m| (MatchReason::CreditCode, m)),
        );
    }
    let phone = probe
        .phone
        .as_deref()
        .map(phone_key)
        .filter(|k| k.len() >= 7);
    if let Some(phone) = phone {
        let by_phone = Condition::any()
            .add(contact::Column::Mobile.eq(phone.as_str()))
            .add(contact::Column::PhoneKey.eq(phone.as_str()));
        for m in customers_of_contacts(db, caller, by_phone).await? {
            exact.push((MatchReason::Phone, m));
        }
    }
    if let Some(email) = probe
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| e.contains('@'))
    {
        for m in customers_of_contacts(
            db,
            caller,
            Condition::all().add(contact::Column::Email.eq(email)),
        )
        .await?
        {
            exact.push((MatchReason::Email, m));
        }
    }
    exact.retain(|(_, m)| not_excluded(m));
    let mut seen: Vec<Uuid> = Vec::new();
    exact.retain(|(_, m)| {
        let first = !seen.contains(&m.id);
        seen.push(m.id);
        first
    });

    let mut similar: Vec<(MatchReason, customer::Model)> = Vec::new();
    if let Some(key) = key.filter(|k| k.chars().count() >= 2) {
        // Two ordered range scans, each stopping at the limit. One query with `core range OR
        // key range` makes PostgreSQL gather every row of both ranges before limiting, and a
        // short prefix ranges over thousands of customers.
        let core = name_core(&key);
        let wanted = SIMILAR_LIMIT + seen.len() as u64;
        for (column, prefix) in [
            (customer::Column::NameCore, &core),
            (customer::Column::NameKey, &key),
        ] {
            let found = live(caller.tenant_id)
                .filter(starts_with(column, prefix))
                .order_by_asc(column)
                .limit(wanted)
                .all(db)
                .await
                .map_err(storage)?;
            for m in found {
                if similar.len() < SIMILAR_LIMIT as usize
                    && !seen.contains(&m.id)
                    && not_excluded(&m)
                {
                    seen.push(m.id);
                    similar.push((MatchReason::SimilarName, m));
                }
            }
        }
    }
    Ok((
        describe(db, caller, exact).await?,
        describe(db, caller, similar).await?,
    ))
}

/// `column >= prefix AND column < successor(prefix)`: a prefix search the index answers
/// (the key columns use byte order on PostgreSQL, as SQLite always does).
fn starts_with(column: customer::Column, prefix: &str) -> Condition {
    let mut upper: Vec<char> = prefix.chars().collect();
    let bumped = upper
        .pop()
        .and_then(|last| char::from_u32(last as u32 + 1).or_else(|| char::from_u32(0xE000)));
    let condition = Condition::all().add(column.gte(prefix));
    match bumped {
        Some(next) => {
            upper.push(next);
            condition.add(column.lt(upper.into_iter().collect::<String>()))
        }
        None => condition,
    }
}

/// Live customers having a live contact that matches `condition`, at most five.
async fn customers_of_contacts(
    db: &impl ConnectionTrait,
    caller: &Caller,
    condition: Condition,
) -> Result<Vec<customer::Model>, Error> {
    let ids: Vec<Uuid> = contact::Entity::find()
        .select_only()
        .column(contact::Column::CustomerId)
        .filter(contact::Column::TenantId.eq(caller.tenant_id))
        .filter(contact::Column::DeletedAt.is_null())
        .filter(condition)
        .limit(5)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    live(caller.tenant_id)
        .filter(customer::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(storage)
}

/// Turns matches into what the caller may be told: everything for a customer in their data
/// scope, a masked name and owner otherwise ("苏州**有限公司", "华东区 张*").
pub(crate) async fn describe(
    db: &impl ConnectionTrait,
    caller: &Caller,
    found: Vec<(MatchReason, customer::Model)>,
) -> Result<Vec<DuplicateMatch>, Error> {
    let owner_ids: Vec<Uuid> = found.iter().filter_map(|(_, m)| m.owner_id).collect();
    let owners = crate::users::owners(db, caller.tenant_id, &owner_ids).await?;
    Ok(found
        .into_iter()
        .map(|(reason, m)| {
            let owner = m.owner_id.and_then(|id| owners.get(&id).map(|o| (id, o)));
            let visible = match owner {
                Some((user_id, o)) => caller.covers(&OwnerPlacement {
                    user_id,
                    department_id: o.department_id,
                    department_path: &o.department_path,
                }),
                None => matches!(caller.visibility(), Visibility::All),
            };
            let owner_hint = owner.map(|(_, o)| {
                let name = if visible {
                    o.name.clone()
                } else {
                    mask_person(&o.name)
                };
                format!("{} {}", o.department_name, name)
            });
            DuplicateMatch {
                reason,
                visible,
                customer_id: visible.then_some(m.id),
                name: if visible {
                    m.name
                } else {
                    mask_company(&m.name)
                },
                owner_hint,
            }
        })
        .collect())
}

/// Records a follow-up on the customer: the pool clock restarts.
pub(crate) async fn touch(
    db: &impl ConnectionTrait,
    customer: &customer::Model,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    let last = customer
        .last_activity_at
        .map_or(at, |last| Ord::max(last, at));
    customer::Entity::update_many()
        .col_expr(customer::Column::LastActivityAt, Expr::value(last))
        .col_expr(
            customer::Column::PoolClockAt,
            Expr::value(Ord::max(customer.pool_clock_at, at)),
        )
        .filter(customer::Column::Id.eq(customer.id))
        .exec(db)
        .await
        .map(drop)
        .map_err(storage)
}

/// The editable columns of `fields` and the keys derived from them; the rest stay `NotSet`.
pub(crate) fn active_fields(fields: &CustomerFields) -> customer::ActiveModel {
    let keys = fields.keys();
    customer::ActiveModel {
        name: Set(fields.name.clone()),
        short_name: Set(fields.short_name.clone()),
        credit_code: Set(fields.credit_code.clone()),
        name_key: Set(keys.name_key),
        name_core: Set(keys.name_core),
        industry: Set(fields.industry.clone()),
        region: Set(fields.region.clone()),
        province: Set(fields.province.clone()),
        city: Set(fields.city.clone()),
        address: Set(fields.address.clone()),
        website: Set(fields.website.clone()),
        tier: Set(fields.tier.clone()),
        tags: Set(json!(fields.tags)),
        source: Set(fields.source.map(|s| s.as_str().to_owned())),
        status: Set(fields.status.as_str().to_owned()),
        parent_id: Set(fields.parent_id),
        owner_id: Set(fields.owner_id),
        notes: Set(fields.notes.clone()),
        ..Default::default()
    }
}

pub(crate) fn to_fields(m: &customer::Model) -> Result<CustomerFields, Error> {
    let corrupt =
        |what: &str| Error::Storage(format!("customer {} has an unknown {what}", m.id).into());
    let source = match &m.source {
        Some(s) => Some(LeadSource::parse(s).ok_or_else(|| corrupt("source"))?),
        None => None,
    };
    let tags = serde_json::from_value(m.tags.clone()).map_err(|_| corrupt("tags"))?;
    Ok(CustomerFields {
        name: m.name.clone(),
        short_name: m.short_name.clone(),
        credit_code: m.credit_code.clone(),
        industry: m.industry.clone(),
        region: m.region.clone(),
        province: m.province.clone(),
        city: m.city.clone(),
        address: m.address.clone(),
        website: m.website.clone(),
        tier: m.tier.clone(),
        tags,
        source,
        status: CustomerStatus::parse(&m.status).ok_or_else(|| corrupt("status"))?,
        parent_id: m.parent_id,
        owner_id: m.owner_id,
        notes: m.notes.clone(),
    })
}

/// The names of the given customers of one tenant (merged and deleted ones too: a task or a
/// subsidiary may still name them).
pub(crate) async fn names(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, Error> {
    let mut found = HashMap::with_capacity(ids.len());
    // In chunks: a database takes at most 65,535 bound values in one statement.
    for chunk in ids.chunks(crate::NAMES_PER_QUERY) {
        let rows: Vec<(Uuid, String)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .column(customer::Column::Name)
            .filter(customer::Column::TenantId.eq(tenant_id))
            .filter(customer::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Rows with owner and parent names, two queries for the whole page.
async fn rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    models: Vec<customer::Model>,
) -> Result<Vec<CustomerRow>, Error> {
    let owners: Vec<Uuid> = models.iter().filter_map(|m| m.owner_id).collect();
    let owner_names = crate::users::names(db, caller.tenant_id, &owners).await?;
    let parent_ids: Vec<Uuid> = models.iter().filter_map(|m| m.parent_id).collect();
    let parents = names(db, caller.tenant_id, parent_ids).await?;
    models
        .into_iter()
        .map(|m| {
            Ok(CustomerRow {
                fields: to_fields(&m)?,
                external: sync::external_of(&m.external_source, &m.external_id),
                owner_name: m.owner_id.and_then(|o| owner_names.get(&o).cloned()),
                parent_name: m.parent_id.and_then(|p| parents.get(&p).cloned()),
                id: m.id,
                last_activity_at: m.last_activity_at,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
                created_by: m.created_by,
            })
        })
        .collect()
}

/// 分配: hands a customer to a user the caller's scope covers.
pub async fn assign(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    owner: Uuid,
) -> Result<CustomerRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    crate::users::check_assignable_owner(&txn, caller, owner).await?;
    change_owner(
        &txn,
        caller,
        &current,
        Some(owner),
        OwnerChangeReason::Assigned,
        None,
    )
    .await?;
    finish_owner_change(txn, caller, id).await
}

/// 领取: takes a customer from the pool, within the tenant's limit of customers per user.
pub async fn claim(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<CustomerRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    if current.owner_id.is_some() {
        return Err(Error::Conflict {
            code: "not_in_pool",
            field: None,
        });
    }
    let held = live(caller.tenant_id)
        .filter(customer::Column::OwnerId.eq(caller.user_id))
        .count(&txn)
        .await
        .map_err(storage)?;
    crate::ownership::check_claim_limit(&txn, caller, held).await?;
    change_owner(
        &txn,
        caller,
        &current,
        Some(caller.user_id),
        OwnerChangeReason::Claimed,
        None,
    )
    .await?;
    finish_owner_change(txn, caller, id).await
}

/// 退回公海: the owner (or someone whose scope covers them) gives the customer back.
pub async fn release(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    note: Option<String>,
) -> Result<CustomerRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    if current.owner_id.is_none() {
        return Err(Error::Conflict {
            code: "already_in_pool",
            field: None,
        });
    }
    change_owner(
        &txn,
        caller,
        &current,
        None,
        OwnerChangeReason::Released,
        note,
    )
    .await?;
    finish_owner_change(txn, caller, id).await
}

/// Gives the customer to `owner` (the pool when `None`), restarting its pool clock, with the
/// audit entry and the owner history. `actor` is the user, or the system for automatic returns.
pub(crate) async fn set_owner(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    current: &customer::Model,
    owner: Option<Uuid>,
    reason: OwnerChangeReason,
    note: Option<String>,
) -> Result<(), Error> {
    let columns = customer::ActiveModel {
        owner_id: Set(owner),
        pool_clock_at: Set(now()),
        pool_warned_at: Set(None),
        ..Default::default()
    };
    crate::versioned::update::<customer::Entity>(
        txn,
        columns,
        current.id,
        current.version,
        storage,
    )
    .await?;
    let changes = diff(
        &json!({"owner_id": current.owner_id}),
        &json!({"owner_id": owner}),
    );
    let mut fields = to_fields(current)?;
    fields.owner_id = owner;
    announce_update(txn, current.tenant_id, current.id, &fields, &changes).await?;
    record(
        txn,
        actor,
        AuditAction::Updated,
        "customer",
        current.id,
        changes,
    )
    .await?;
    let change = OwnerChange {
        owned: Owned::Customer,
        id: current.id,
        from: current.owner_id,
        to: owner,
        reason,
        note,
    };
    crate::ownership::record_change(txn, actor, change).await
}

async fn change_owner(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    current: &customer::Model,
    owner: Option<Uuid>,
    reason: OwnerChangeReason,
    note: Option<String>,
) -> Result<(), Error> {
    set_owner(txn, &Actor::from(caller), current, owner, reason, note).await
}

/// Reads the customer back from the tenant (it may have left the caller's scope) and commits.
async fn finish_owner_change(
    txn: sea_orm::DatabaseTransaction,
    caller: &Caller,
    id: Uuid,
) -> Result<CustomerRow, Error> {
    let saved = customer::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let row = rows(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Inserts many customers in one statement per batch, for demo data and benchmarks: no
/// duplicate check beyond the unique indexes (a duplicate fails the whole batch), each with
/// its creation audit entry and `customer.created`, in one transaction.
pub async fn import(
    db: &crate::Database,
    caller: &Caller,
    batch: Vec<(CustomerFields, DateTime<Utc>)>,
) -> Result<Vec<Uuid>, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let mut customers = Vec::with_capacity(batch.len());
    let mut audits = Vec::with_capacity(batch.len());
    let mut ids = Vec::with_capacity(batch.len());
    let mut events = Vec::with_capacity(batch.len());
    let actor = Actor::from(caller);
    // Stamped when queued, not backdated: the outbox is read in queueing order.
    let queued_at = now();
    for (fields, created_at) in batch {
        let id = new_id();
        let mut active = active_fields(&fields);
        active.id = Set(id);
        active.tenant_id = Set(caller.tenant_id);
        active.last_activity_at = Set(None);
        active.pool_clock_at = Set(created_at);
        active.pool_warned_at = Set(None);
        active.merged_into = Set(None);
        active.version = Set(1);
        active.created_at = Set(created_at);
        active.updated_at = Set(created_at);
        active.created_by = Set(caller.user_id);
        active.deleted_at = Set(None);
        customers.push(active);
        audits.push(crate::audit::entry(
            &actor,
            AuditAction::Created,
            "customer",
            id,
            diff(&Value::Null, &fields.audit_view()),
        ));
        events.push(crate::outbox::event(
            caller.tenant_id,
            EventType::CustomerCreated,
            id,
            &snapshot(id, &fields),
            queued_at,
        ));
        ids.push(id);
    }
    // 27 columns: 1,000 rows stay under PostgreSQL's 65,535 bind parameters.
    for chunk in customers.chunks(1000) {
        customer::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await
            .map_err(duplicate)?;
    }
    crate::audit::insert_many(&txn, audits).await?;
    crate::outbox::queue(&txn, events).await?;
    txn.commit().await.map_err(storage)?;
    Ok(ids)
}
