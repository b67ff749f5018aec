//! The product catalogue (产品), scoped by tenant in every query. The database keeps codes
//! (SKUs) and ERP ids unique among live products, so two concurrent creates cannot both
//! succeed. A deleted product stays referenced by price lists and opportunity lines.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use crm_api_types::products::{UpdateProductRequest, VatRate};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::listing::Sort;
use crm_domain::product::ProductFields;
use crm_domain::sync::SyncedKind;
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, Select, SqlErr, TransactionTrait,
};
use serde_json::Value;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::product;
use crate::error::{storage, unique_violation};
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{from_units, to_units};
use crate::sync::{self, Upsert, Upserted};

/// A product as lists and pages show it.
#[derive(Debug, Clone)]
pub struct ProductRow {
    pub id: Uuid,
    pub fields: ProductFields,
    pub category_name: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductSortKey {
    Code,
    Name,
    CreatedAt,
    UpdatedAt,
}

impl ProductSortKey {
    pub const NAMES: [(&'static str, ProductSortKey); 4] = [
        ("code", Self::Code),
        ("name", Self::Name),
        ("created_at", Self::CreatedAt),
        ("updated_at", Self::UpdatedAt),
    ];

    fn keyset(self, descending: bool) -> Keyset<product::Column> {
        let (column, kind) = match self {
            Self::Code => (product::Column::Code, KeyKind::Text),
            Self::Name => (product::Column::Name, KeyKind::Text),
            Self::CreatedAt => (product::Column::CreatedAt, KeyKind::Time),
            Self::UpdatedAt => (product::Column::UpdatedAt, KeyKind::Time),
        };
        Keyset {
            column,
            kind,
            id: product::Column::Id,
            descending,
        }
    }

    fn position(self, model: &product::Model) -> Cursor {
        let value = match self {
            Self::Code => model.code.clone(),
            Self::Name => model.name.clone(),
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
        };
        Cursor {
            value,
            id: model.id,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Matches code, name and specification, ignoring case.
    pub q: Option<String>,
    /// This category and every category below it.
    pub category_id: Option<Uuid>,
    pub active: Option<bool>,
}

pub struct ProductPage {
    pub rows: Vec<ProductRow>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

/// Live (not deleted) products of a tenant.
pub(crate) fn live(tenant_id: Uuid) -> Select<product::Entity> {
    product::Entity::find()
        .filter(product::Column::TenantId.eq(tenant_id))
        .filter(product::Column::DeletedAt.is_null())
}

/// `categories` is the filter's category with its descendants, already looked up.
fn filtered(
    tenant_id: Uuid,
    filter: &ProductFilter,
    categories: Option<&[Uuid]>,
) -> Select<product::Entity> {
    let mut query = live(tenant_id);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Func::lower(Expr::col(product::Column::Code)).like(pattern.clone()))
                .add(Func::lower(Expr::col(product::Column::Name)).like(pattern.clone()))
                .add(Func::lower(Expr::col(product::Column::Spec)).like(pattern)),
        );
    }
    if let Some(ids) = categories {
        query = query.filter(product::Column::CategoryId.is_in(ids.iter().copied()));
    }
    if let Some(active) = filter.active {
        query = query.filter(product::Column::Active.eq(active));
    }
    query
}

/// One page, keyset-paginated on (sort column, id).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &ProductFilter,
    sort: Sort<ProductSortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<ProductPage, Error> {
    let categories = match filter.category_id {
        Some(root) => Some(crate::product_categories::subtree(db, caller.tenant_id, root).await?),
        None => None,
    };
    let query = || filtered(caller.tenant_id, filter, categories.as_deref());
    let (models, next) = keyset::page(
        db,
        query(),
        sort.key.keyset(sort.descending),
        limit,
        cursor,
        |m| sort.key.position(m),
    )
    .await?;
    let total = if include_total {
        Some(query().count(db).await.map_err(storage)?)
    } else {
        None
    };
    Ok(ProductPage {
        rows: rows(db, caller, models).await?,
        next,
        total,
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ProductRow, Error> {
    let model = find(db, caller, id).await?;
    Ok(rows(db, caller, vec![model]).await?.remove(0))
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<product::Model, Error> {
    live(caller.tenant_id)
        .filter(product::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: ProductFields,
) -> Result<ProductRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let id = insert(&txn, caller, &fields).await?;
    let row = get(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Inserts a product inside the caller's transaction, with its audit entry.
async fn insert(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    fields: &ProductFields,
) -> Result<Uuid, Error> {
    check_category(txn, caller, fields.category_id).await?;
    let at = now();
    let mut active = active_fields(fields);
    active.id = Set(new_id());
    active.tenant_id = Set(caller.tenant_id);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    let model = active.insert(txn).await.map_err(taken)?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Created,
        "product",
        model.id,
        diff(&Value::Null, &fields.audit_view()),
    )
    .await?;
    Ok(model.id)
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateProductRequest,
) -> Result<ProductRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    change(&txn, caller, id, if_match, patch).await?;
    let row = get(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Applies `patch` inside the caller's transaction, with its audit entry.
async fn change(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateProductRequest,
) -> Result<(), Error> {
    let current = find(txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let before = to_fields(&current)?;
    let next = before.apply(patch)?;
    if next.category_id != before.category_id {
        check_category(txn, caller, next.category_id).await?;
    }
    crate::versioned::update::<product::Entity>(
        txn,
        active_fields(&next),
        id,
        current.version,
        taken,
    )
    .await?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "product",
        id,
        diff(&before.audit_view(), &next.audit_view()),
    )
    .await
}

/// `PUT /products/by-external-id/{source}/{id}`: creates the product an ERP names (its
/// external id set from the path), or changes the fields the body names on the one it made
/// before, and records the sync.
pub async fn upsert(
    db: &crate::Database,
    caller: &Caller,
    body: &Upsert<ProductFields, UpdateProductRequest>,
) -> Result<(Upserted, ProductRow), Error> {
    let kind = SyncedKind::Product;
    let txn = db.begin().await.map_err(storage)?;
    let (upserted, id) = match sync::existing(&txn, caller.tenant_id, kind, &body.external).await? {
        None => {
            let mut fields = body.create.clone()?;
            fields.external = Some((
                body.external.id().to_owned(),
                body.external.source().to_owned(),
            ));
            (Upserted::Created, insert(&txn, caller, &fields).await?)
        }
        Some(id) => {
            let patch = body.patch.as_ref().map_err(Clone::clone)?;
            change(&txn, caller, id, None, patch).await?;
            (Upserted::Updated, id)
        }
    };
    sync::succeeded(&txn, caller, kind, &body.external, id).await?;
    let row = get(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok((upserted, row))
}

/// Soft delete: price lists and opportunity lines keep pointing at it, and its code is free
/// for a new product.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let deleted = product::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<product::Entity>(&txn, deleted, id, current.version, storage)
        .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "product",
        id,
        diff(&to_fields(&current)?.audit_view(), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// A category named on a product must be one of the tenant's.
async fn check_category(
    db: &impl ConnectionTrait,
    caller: &Caller,
    category_id: Option<Uuid>,
) -> Result<(), Error> {
    let Some(id) = category_id else {
        return Ok(());
    };
    match crate::product_categories::find(db, caller, id).await {
        Err(Error::NotFound) => Err(FieldErrors::single("category_id", Violation::NotFound).into()),
        other => other.map(drop),
    }
}

/// A unique violation: another live product has the code, or the ERP id.
fn taken(err: DbErr) -> Error {
    let external = matches!(
        err.sql_err(),
        Some(SqlErr::UniqueConstraintViolation(message)) if message.contains("external")
    );
    if external {
        unique_violation(
            err,
            &["ux_products_external", "products.external_id"],
            "product_external_id_taken",
            "external_id",
        )
    } else {
        unique_violation(
            err,
            &["ux_products_code", "products.code"],
            "product_code_taken",
            "code",
        )
    }
}

/// The editable columns; the rest stay `NotSet`.
fn active_fields(fields: &ProductFields) -> product::ActiveModel {
    let (external_id, external_source) = fields.external.clone().unzip();
    product::ActiveModel {
        code: Set(fields.code.clone()),
        name: Set(fields.name.clone()),
        spec: Set(fields.spec.clone()),
        unit: Set(fields.unit.clone()),
        category_id: Set(fields.category_id),
        list_price: Set(to_units(fields.list_price)),
        currency: Set(fields.currency.clone()),
        vat_rate: Set(fields.vat_rate.as_str().to_owned()),
        active: Set(fields.active),
        description: Set(fields.description.clone()),
        external_id: Set(external_id),
        external_source: Set(external_source),
        ..Default::default()
    }
}

/// The stored product as fields, the price normalized as a parsed request's is (responses
/// show it to the cent).
pub(crate) fn to_fields(m: &product::Model) -> Result<ProductFields, Error> {
    Ok(ProductFields {
        code: m.code.clone(),
        name: m.name.clone(),
        spec: m.spec.clone(),
        unit: m.unit.clone(),
        category_id: m.category_id,
        list_price: from_units(m.list_price),
        currency: m.currency.clone(),
        vat_rate: vat_rate(m)?,
        active: m.active,
        description: m.description.clone(),
        external: m.external_id.clone().zip(m.external_source.clone()),
    })
}

pub(crate) fn vat_rate(m: &product::Model) -> Result<VatRate, Error> {
    VatRate::parse(&m.vat_rate)
        .ok_or_else(|| Error::Storage(format!("product {} has an unknown vat_rate", m.id).into()))
}

/// Rows with their category names, one query for the whole page.
async fn rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    models: Vec<product::Model>,
) -> Result<Vec<ProductRow>, Error> {
    let category_ids: Vec<Uuid> = models.iter().filter_map(|m| m.category_id).collect();
    let categories: HashMap<Uuid, String> =
        crate::product_categories::names(db, caller.tenant_id, category_ids).await?;
    models
        .into_iter()
        .map(|m| {
            Ok(ProductRow {
                fields: to_fields(&m)?,
                category_name: m.category_id.and_then(|c| categories.get(&c).cloned()),
                id: m.id,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
                created_by: m.created_by,
            })
        })
        .collect()
}
