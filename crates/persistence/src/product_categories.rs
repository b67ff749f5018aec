//! The tenant's product category tree. Trees are small (tens to hundreds of nodes), so walks
//! over it load the tenant's `(id, parent_id)` pairs once and stay in memory.

use std::collections::HashMap;

use crm_api_types::products::UpdateProductCategoryRequest;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::product::{CategoryFields, would_cycle};
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{product, product_category};
use crate::error::storage;

pub use crate::entities::product_category::Model as ProductCategory;

/// A category and the number of live products directly in it.
#[derive(Debug, Clone)]
pub struct CategoryRow {
    pub category: ProductCategory,
    pub product_count: u64,
}

fn audit_view(fields: &CategoryFields) -> Value {
    json!({"name": fields.name, "parent_id": fields.parent_id})
}

fn to_fields(category: &ProductCategory) -> CategoryFields {
    CategoryFields {
        name: category.name.clone(),
        parent_id: category.parent_id,
    }
}

/// Every category of the tenant, by name; the caller builds the tree from `parent_id`.
pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> Result<Vec<CategoryRow>, Error> {
    let categories = product_category::Entity::find()
        .filter(product_category::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(product_category::Column::Name)
        .order_by_asc(product_category::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let counts = product_counts(db, caller.tenant_id).await?;
    Ok(categories
        .into_iter()
        .map(|category| CategoryRow {
            product_count: counts.get(&category.id).copied().unwrap_or(0),
            category,
        })
        .collect())
}

/// Live products per category, in one grouped query.
async fn product_counts(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<HashMap<Uuid, u64>, Error> {
    let counts: Vec<(Uuid, i64)> = crate::products::live(tenant_id)
        .select_only()
        .column(product::Column::CategoryId)
        .column_as(Expr::col(product::Column::Id).count(), "n")
        .filter(product::Column::CategoryId.is_not_null())
        .group_by(product::Column::CategoryId)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(counts
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// A category of the caller's tenant.
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ProductCategory, Error> {
    product_category::Entity::find_by_id(id)
        .filter(product_category::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: CategoryFields,
) -> Result<CategoryRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    check_parent(&txn, caller, fields.parent_id).await?;
    let at = now();
    let category = product_category::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        name: Set(fields.name.clone()),
        parent_id: Set(fields.parent_id),
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
        "product_category",
        category.id,
        diff(&Value::Null, &audit_view(&fields)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(CategoryRow {
        category,
        product_count: 0,
    })
}

/// Renames or moves a category (with everything below it). A move under itself or one of
/// its descendants would cut the branch off the tree: a 422 on `parent_id`.
pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateProductCategoryRequest,
) -> Result<CategoryRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let before = to_fields(&current);
    let next = before.apply(patch)?;
    if next.parent_id != before.parent_id {
        check_parent(&txn, caller, next.parent_id).await?;
        if let Some(parent) = next.parent_id {
            let parents = parents(&txn, caller.tenant_id).await?;
            if would_cycle(id, parent, |c| parents.get(&c).copied().flatten()) {
                return Err(FieldErrors::single("parent_id", Violation::InvalidFormat).into());
            }
        }
    }
    let columns = product_category::ActiveModel {
        name: Set(next.name.clone()),
        parent_id: Set(next.parent_id),
        ..Default::default()
    };
    crate::versioned::update::<product_category::Entity>(
        &txn,
        columns,
        id,
        current.version,
        storage,
    )
    .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "product_category",
        id,
        diff(&audit_view(&before), &audit_view(&next)),
    )
    .await?;
    let category = find(&txn, caller, id).await?;
    let product_count = crate::products::live(caller.tenant_id)
        .filter(product::Column::CategoryId.eq(id))
        .count(&txn)
        .await
        .map_err(storage)?;
    txn.commit().await.map_err(storage)?;
    Ok(CategoryRow {
        category,
        product_count,
    })
}

/// Deletes an empty category: `409 category_in_use` while it has sub-categories or live
/// products. Deleted products may still name it; they show no category name then.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let children = product_category::Entity::find()
        .filter(product_category::Column::TenantId.eq(caller.tenant_id))
        .filter(product_category::Column::ParentId.eq(id))
        .count(&txn)
        .await
        .map_err(storage)?;
    let products = crate::products::live(caller.tenant_id)
        .filter(product::Column::CategoryId.eq(id))
        .count(&txn)
        .await
        .map_err(storage)?;
    if children > 0 || products > 0 {
        return Err(Error::Conflict {
            code: "category_in_use",
            field: None,
        });
    }
    product_category::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "product_category",
        id,
        diff(&audit_view(&to_fields(&current)), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

async fn check_parent(
    db: &impl ConnectionTrait,
    caller: &Caller,
    parent_id: Option<Uuid>,
) -> Result<(), Error> {
    let Some(id) = parent_id else {
        return Ok(());
    };
    match find(db, caller, id).await {
        Err(Error::NotFound) => Err(FieldErrors::single("parent_id", Violation::NotFound).into()),
        other => other.map(drop),
    }
}

/// Each category's parent, for the whole tenant.
async fn parents(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<HashMap<Uuid, Option<Uuid>>, Error> {
    let pairs: Vec<(Uuid, Option<Uuid>)> = product_category::Entity::find()
        .select_only()
        .column(product_category::Column::Id)
        .column(product_category::Column::ParentId)
        .filter(product_category::Column::TenantId.eq(tenant_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(pairs.into_iter().collect())
}

/// The category a list or report narrows to, one of the caller's tenant's (422 on
/// `product_category_id` otherwise), and every category below it.
pub async fn filter_subtree(
    db: &impl ConnectionTrait,
    caller: &Caller,
    root: Uuid,
) -> Result<Vec<Uuid>, Error> {
    match find(db, caller, root).await {
        Err(Error::NotFound) => {
            Err(FieldErrors::single("product_category_id", Violation::NotFound).into())
        }
        other => other.map(drop),
    }?;
    subtree(db, caller.tenant_id, root).await
}

/// `root` and every category below it.
pub(crate) async fn subtree(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    root: Uuid,
) -> Result<Vec<Uuid>, Error> {
    let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (id, parent) in parents(db, tenant_id).await? {
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(id);
        }
    }
    let mut found = vec![root];
    let mut next = 0;
    // Updates refuse cycles; skipping ids already found keeps a broken tree from looping.
    while let Some(&id) = found.get(next) {
        next += 1;
        for &child in children.get(&id).into_iter().flatten() {
            if !found.contains(&child) {
                found.push(child);
            }
        }
    }
    Ok(found)
}

/// The names of the given categories of one tenant.
pub(crate) async fn names(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found: Vec<(Uuid, String)> = product_category::Entity::find()
        .select_only()
        .column(product_category::Column::Id)
        .column(product_category::Column::Name)
        .filter(product_category::Column::TenantId.eq(tenant_id))
        .filter(product_category::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(found.into_iter().collect())
}
