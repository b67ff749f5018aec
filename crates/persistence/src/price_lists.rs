//! Price lists (价格表): for a customer tier or one customer, with quantity breaks. A list is
//! written whole (create, replace) in one transaction with its items and audit entry.
//!
//! A list for one customer is part of that customer's data: callers whose data scope does
//! not cover the customer do not see it, as they do not see the customer.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::price_list::{PriceBreak, PriceListFields};
use crm_domain::pricing::{Audience, ListTerms};
use crm_domain::{Caller, Error, FieldErrors, Violation, Visibility, check_version, new_id, now};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait, Select,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{customer, price_list, price_list_item, product};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{from_units, money_from_units, to_units};

/// A price list as lists and pages show it.
#[derive(Debug, Clone)]
pub struct PriceListRow {
    pub terms: ListTerms,
    pub notes: Option<String>,
    /// For a customer's list.
    pub customer_name: Option<String>,
    pub item_count: u64,
    /// Read with the list one at a time; `None` in pages.
    pub items: Option<Vec<PriceListItemRow>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One quantity break with the product it prices.
#[derive(Debug, Clone)]
pub struct PriceListItemRow {
    pub product_id: Uuid,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    pub min_quantity: Decimal,
    pub unit_price: Decimal,
}

#[derive(Debug, Clone, Default)]
pub struct PriceListFilter {
    /// Matches the name, ignoring case.
    pub q: Option<String>,
    pub customer_id: Option<Uuid>,
    pub tier: Option<String>,
    /// Lists with at least one break for this product.
    pub product_id: Option<Uuid>,
    pub active: Option<bool>,
}

pub struct PriceListPage {
    pub rows: Vec<PriceListRow>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

/// Live lists of the tenant the caller may see: tier lists, and customer lists whose customer
/// the caller's data scope covers.
fn visible(caller: &Caller) -> Select<price_list::Entity> {
    let query = price_list::Entity::find()
        .filter(price_list::Column::TenantId.eq(caller.tenant_id))
        .filter(price_list::Column::DeletedAt.is_null());
    match caller.visibility() {
        Visibility::All => query,
        _ => query.filter(
            Condition::any()
                .add(price_list::Column::CustomerId.is_null())
                .add(
                    price_list::Column::CustomerId.in_subquery(
                        crate::customers::visible(caller)
                            .select_only()
                            .column(customer::Column::Id)
                            .into_query(),
                    ),
                ),
        ),
    }
}

fn filtered(caller: &Caller, filter: &PriceListFilter) -> Select<price_list::Entity> {
    let mut query = visible(caller);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(Func::lower(Expr::col(price_list::Column::Name)).like(pattern));
    }
    if let Some(v) = filter.customer_id {
        query = query.filter(price_list::Column::CustomerId.eq(v));
    }
    if let Some(v) = &filter.tier {
        query = query.filter(price_list::Column::Tier.eq(v.as_str()));
    }
    if let Some(product_id) = filter.product_id {
        query = query.filter(
            price_list::Column::Id.in_subquery(
                Query::select()
                    .column(price_list_item::Column::PriceListId)
                    .from(price_list_item::Entity)
                    .and_where(price_list_item::Column::TenantId.eq(caller.tenant_id))
                    .and_where(price_list_item::Column::ProductId.eq(product_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(v) = filter.active {
        query = query.filter(price_list::Column::Active.eq(v));
    }
    query
}

/// One page by name, keyset-paginated on (name, id).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &PriceListFilter,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<PriceListPage, Error> {
    let keyset = Keyset {
        column: price_list::Column::Name,
        kind: KeyKind::Text,
        id: price_list::Column::Id,
        descending: false,
    };
    let (models, next) = keyset::page(db, filtered(caller, filter), keyset, limit, cursor, |m| {
        Cursor {
            value: m.name.clone(),
            id: m.id,
        }
    })
    .await?;
    let total = if include_total {
        Some(filtered(caller, filter).count(db).await.map_err(storage)?)
    } else {
        None
    };
    Ok(PriceListPage {
        rows: rows(db, caller, models).await?,
        next,
        total,
    })
}

/// One list with its items.
pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<PriceListRow, Error> {
    let model = find(db, caller, id).await?;
    let items = items(db, caller.tenant_id, id).await?;
    let mut row = rows(db, caller, vec![model]).await?.remove(0);
    row.items = Some(items);
    Ok(row)
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<price_list::Model, Error> {
    visible(caller)
        .filter(price_list::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: PriceListFields,
) -> Result<PriceListRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    check_references(&txn, caller, &fields).await?;
    let at = now();
    let mut active = active_fields(&fields);
    active.id = Set(new_id());
    active.tenant_id = Set(caller.tenant_id);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    let model = active.insert(&txn).await.map_err(storage)?;
    insert_items(&txn, caller.tenant_id, model.id, &fields.items).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "price_list",
        model.id,
        diff(&Value::Null, &audit_view(&fields)),
    )
    .await?;
    let row = get(&txn, caller, model.id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Replaces the list whole: its terms and every item.
pub async fn replace(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    fields: PriceListFields,
) -> Result<PriceListRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    check_references(&txn, caller, &fields).await?;
    let before = stored_fields(&txn, &current).await?;
    crate::versioned::update::<price_list::Entity>(
        &txn,
        active_fields(&fields),
        id,
        current.version,
        storage,
    )
    .await?;
    price_list_item::Entity::delete_many()
        .filter(price_list_item::Column::PriceListId.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    insert_items(&txn, caller.tenant_id, id, &fields.items).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "price_list",
        id,
        diff(&audit_view(&before), &audit_view(&fields)),
    )
    .await?;
    let row = get(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Soft delete: the list stops pricing at once; its items stay for the record.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let before = stored_fields(&txn, &current).await?;
    let deleted = price_list::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<price_list::Entity>(&txn, deleted, id, current.version, storage)
        .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "price_list",
        id,
        diff(&audit_view(&before), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// The customer of a customer list must be one the caller sees; every item must price a
/// live product of the tenant (`items[i].product_id`). The product's own currency may differ.
async fn check_references(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &PriceListFields,
) -> Result<(), Error> {
    if let Audience::Customer(id) = fields.audience {
        crate::customers::find_referenced(db, caller, id, "audience.customer_id").await?;
    }
    let wanted: HashSet<Uuid> = fields.items.iter().map(|i| i.product_id).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let found: HashSet<Uuid> = crate::products::live(caller.tenant_id)
        .select_only()
        .column(product::Column::Id)
        .filter(product::Column::Id.is_in(wanted))
        .into_tuple::<Uuid>()
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .collect();
    let mut errors = FieldErrors::new();
    for (i, item) in fields.items.iter().enumerate() {
        if !found.contains(&item.product_id) {
            errors.add(&format!("items[{i}].product_id"), Violation::NotFound);
        }
    }
    Ok(errors.finish(())?)
}

/// The list's terms as stored, without the id and timestamps.
fn active_fields(fields: &PriceListFields) -> price_list::ActiveModel {
    let (tier, customer_id) = match &fields.audience {
        Audience::Tier(tier) => (Some(tier.clone()), None),
        Audience::Customer(id) => (None, Some(*id)),
    };
    price_list::ActiveModel {
        name: Set(fields.name.clone()),
        tier: Set(tier),
        customer_id: Set(customer_id),
        currency: Set(fields.currency.clone()),
        valid_from: Set(fields.valid_from),
        valid_to: Set(fields.valid_to),
        active: Set(fields.active),
        notes: Set(fields.notes.clone()),
        ..Default::default()
    }
}

async fn insert_items(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    list_id: Uuid,
    items: &[PriceBreak],
) -> Result<(), Error> {
    let models: Vec<price_list_item::ActiveModel> = items
        .iter()
        .map(|item| price_list_item::ActiveModel {
            price_list_id: Set(list_id),
            product_id: Set(item.product_id),
            min_quantity: Set(to_units(item.min_quantity)),
            tenant_id: Set(tenant_id),
            unit_price: Set(to_units(item.unit_price)),
        })
        .collect();
    // 5 columns: 1,000 rows stay well under either database's bind parameter limit.
    for chunk in models.chunks(1000) {
        price_list_item::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

/// Who a stored list is for; exactly one of the two columns is set.
pub(crate) fn audience_of(
    list_id: Uuid,
    tier: Option<String>,
    customer_id: Option<Uuid>,
) -> Result<Audience, Error> {
    match (tier, customer_id) {
        (Some(tier), None) => Ok(Audience::Tier(tier)),
        (None, Some(id)) => Ok(Audience::Customer(id)),
        _ => Err(Error::Storage(
            format!("price list {list_id} has no single audience").into(),
        )),
    }
}

fn audience(m: &price_list::Model) -> Result<Audience, Error> {
    audience_of(m.id, m.tier.clone(), m.customer_id)
}

fn terms(m: &price_list::Model) -> Result<ListTerms, Error> {
    Ok(ListTerms {
        id: m.id,
        name: m.name.clone(),
        audience: audience(m)?,
        currency: m.currency.clone(),
        valid_from: m.valid_from,
        valid_to: m.valid_to,
        active: m.active,
    })
}

/// The stored list as fields, items included, for the audit log: values normalized as a
/// parsed request's are, so the audit compares like with like.
async fn stored_fields(
    db: &impl ConnectionTrait,
    m: &price_list::Model,
) -> Result<PriceListFields, Error> {
    let items = price_list_item::Entity::find()
        .filter(price_list_item::Column::PriceListId.eq(m.id))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|i| PriceBreak {
            product_id: i.product_id,
            min_quantity: from_units(i.min_quantity),
            unit_price: from_units(i.unit_price),
        })
        .collect();
    Ok(PriceListFields {
        name: m.name.clone(),
        audience: audience(m)?,
        currency: m.currency.clone(),
        valid_from: m.valid_from,
        valid_to: m.valid_to,
        active: m.active,
        notes: m.notes.clone(),
        items,
    })
}

/// Items are sorted, so a replace that only reorders them records no change.
fn audit_view(fields: &PriceListFields) -> Value {
    let (tier, customer_id) = match &fields.audience {
        Audience::Tier(tier) => (Some(tier.clone()), None),
        Audience::Customer(id) => (None, Some(*id)),
    };
    let mut items = fields.items.clone();
    items.sort_by_key(|i| (i.product_id, i.min_quantity));
    let items: Vec<Value> = items
        .iter()
        .map(|i| {
            json!({
                "product_id": i.product_id,
                "min_quantity": i.min_quantity.to_string(),
                "unit_price": i.unit_price.to_string(),
            })
        })
        .collect();
    json!({
        "name": fields.name,
        "tier": tier,
        "customer_id": customer_id,
        "currency": fields.currency,
        "valid_from": fields.valid_from,
        "valid_to": fields.valid_to,
        "active": fields.active,
        "notes": fields.notes,
        "items": items,
    })
}

/// A list's items with their products (deleted ones too: the list still names them), by
/// product code then quantity.
async fn items(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    list_id: Uuid,
) -> Result<Vec<PriceListItemRow>, Error> {
    #[derive(FromQueryResult)]
    struct Joined {
        product_id: Uuid,
        min_quantity: i64,
        unit_price: i64,
        code: String,
        name: String,
        unit: String,
    }
    let query = Query::select()
        .column((price_list_item::Entity, price_list_item::Column::ProductId))
        .column((
            price_list_item::Entity,
            price_list_item::Column::MinQuantity,
        ))
        .column((price_list_item::Entity, price_list_item::Column::UnitPrice))
        .column((product::Entity, product::Column::Code))
        .column((product::Entity, product::Column::Name))
        .column((product::Entity, product::Column::Unit))
        .from(price_list_item::Entity)
        .inner_join(
            product::Entity,
            Expr::col((product::Entity, product::Column::Id))
                .equals((price_list_item::Entity, price_list_item::Column::ProductId)),
        )
        .and_where(
            Expr::col((
                price_list_item::Entity,
                price_list_item::Column::PriceListId,
            ))
            .eq(list_id),
        )
        .and_where(Expr::col((product::Entity, product::Column::TenantId)).eq(tenant_id))
        .order_by(
            (product::Entity, product::Column::Code),
            sea_orm::Order::Asc,
        )
        .order_by(
            (
                price_list_item::Entity,
                price_list_item::Column::MinQuantity,
            ),
            sea_orm::Order::Asc,
        )
        .to_owned();
    let joined = Joined::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
        .map_err(storage)?;
    Ok(joined
        .into_iter()
        .map(|j| PriceListItemRow {
            product_id: j.product_id,
            product_code: j.code,
            product_name: j.name,
            unit: j.unit,
            min_quantity: from_units(j.min_quantity),
            unit_price: money_from_units(j.unit_price),
        })
        .collect())
}

/// Items per list, in one grouped query.
async fn item_counts(
    db: &impl ConnectionTrait,
    list_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, u64>, Error> {
    if list_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let counts: Vec<(Uuid, i64)> = price_list_item::Entity::find()
        .select_only()
        .column(price_list_item::Column::PriceListId)
        .column_as(Expr::col(price_list_item::Column::ProductId).count(), "n")
        .filter(price_list_item::Column::PriceListId.is_in(list_ids))
        .group_by(price_list_item::Column::PriceListId)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(counts
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Rows with customer names and item counts, two queries for the whole page.
async fn rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    models: Vec<price_list::Model>,
) -> Result<Vec<PriceListRow>, Error> {
    let customer_ids: Vec<Uuid> = models.iter().filter_map(|m| m.customer_id).collect();
    let customers = crate::customers::names(db, caller.tenant_id, customer_ids).await?;
    let counts = item_counts(db, models.iter().map(|m| m.id).collect()).await?;
    models
        .into_iter()
        .map(|m| {
            Ok(PriceListRow {
                terms: terms(&m)?,
                customer_name: m.customer_id.and_then(|c| customers.get(&c).cloned()),
                item_count: counts.get(&m.id).copied().unwrap_or(0),
                items: None,
                notes: m.notes,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
        })
        .collect()
}
