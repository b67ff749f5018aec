//! Departments: a tree per tenant, each node carrying its materialized path.

use crm_domain::audit::{AuditAction, diff};
use crm_domain::identity::department_path;
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{department, user};
use crate::error::{storage, unique_violation};

pub use crate::entities::department::Model as Department;

fn audit_view(d: &Department) -> Value {
    json!({"name": d.name, "parent_id": d.parent_id, "manager_id": d.manager_id})
}

/// The whole tree, parents before children.
pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> Result<Vec<Department>, Error> {
    department::Entity::find()
        .filter(department::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(department::Column::Path)
        .all(db)
        .await
        .map_err(storage)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Department, Error> {
    department::Entity::find_by_id(id)
        .filter(department::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

/// The parent's path, or a field error when the parent is not the tenant's.
async fn parent_path(
    db: &impl ConnectionTrait,
    caller: &Caller,
    parent_id: Option<Uuid>,
) -> Result<Option<String>, Error> {
    let Some(parent_id) = parent_id else {
        return Ok(None);
    };
    match get(db, caller, parent_id).await {
        Ok(parent) => Ok(Some(parent.path)),
        Err(Error::NotFound) => Err(FieldErrors::single("parent_id", Violation::NotFound).into()),
        Err(e) => Err(e),
    }
}

async fn check_manager(
    db: &impl ConnectionTrait,
    caller: &Caller,
    manager_id: Option<Uuid>,
) -> Result<(), Error> {
    let Some(manager_id) = manager_id else {
        return Ok(());
    };
    let found = user::Entity::find_by_id(manager_id)
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?;
    if found.is_some() {
        Ok(())
    } else {
        Err(FieldErrors::single("manager_id", Violation::NotFound).into())
    }
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    name: String,
    parent_id: Option<Uuid>,
    manager_id: Option<Uuid>,
) -> Result<Department, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let parent_path = parent_path(&txn, caller, parent_id).await?;
    check_manager(&txn, caller, manager_id).await?;
    let id = new_id();
    let at = now();
    let created = department::ActiveModel {
        id: Set(id),
        tenant_id: Set(caller.tenant_id),
        name: Set(name),
        parent_id: Set(parent_id),
        manager_id: Set(manager_id),
        path: Set(department_path(parent_path.as_deref(), id)),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(Some(caller.user_id)),
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation(e, &["name"], "department_name_taken", "name"))?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "department",
        id,
        diff(&Value::Null, &audit_view(&created)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(created)
}

pub struct DepartmentChanges {
    pub name: Option<String>,
    pub parent_id: Option<Option<Uuid>>,
    pub manager_id: Option<Option<Uuid>>,
}

/// Renames, re-parents (moving the whole subtree) or changes the manager.
pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    changes: DepartmentChanges,
) -> Result<Department, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = get(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let mut next: department::ActiveModel = current.clone().into();
    if let Some(name) = changes.name {
        next.name = Set(name);
    }
    if let Some(manager_id) = changes.manager_id {
        check_manager(&txn, caller, manager_id).await?;
        next.manager_id = Set(manager_id);
    }
    if let Some(parent_id) = changes.parent_id.filter(|p| *p != current.parent_id) {
        let new_parent_path = parent_path(&txn, caller, parent_id).await?;
        if new_parent_path
            .as_deref()
            .is_some_and(|p| p.starts_with(&current.path))
        {
            return Err(FieldErrors::single("parent_id", Violation::InvalidFormat).into());
        }
        let new_path = department_path(new_parent_path.as_deref(), id);
        move_subtree(&txn, caller, &current.path, &new_path).await?;
        next.parent_id = Set(parent_id);
        next.path = Set(new_path);
    }
    crate::versioned::update::<department::Entity>(&txn, next, id, current.version, |e| {
        unique_violation(e, &["name"], "department_name_taken", "name")
    })
    .await?;
    let saved = get(&txn, caller, id).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "department",
        id,
        diff(&audit_view(&current), &audit_view(&saved)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(saved)
}

/// Rewrites the paths of every department below `old_path` to hang under `new_path`.
async fn move_subtree(
    db: &impl ConnectionTrait,
    caller: &Caller,
    old_path: &str,
    new_path: &str,
) -> Result<(), Error> {
    let descendants = department::Entity::find()
        .filter(department::Column::TenantId.eq(caller.tenant_id))
        .filter(department::Column::Path.starts_with(old_path))
        .filter(department::Column::Path.ne(old_path))
        .all(db)
        .await
        .map_err(storage)?;
    for d in descendants {
        let path = format!("{new_path}{}", &d.path[old_path.len()..]);
        let mut active: department::ActiveModel = d.into();
        active.path = Set(path);
        active.update(db).await.map_err(storage)?;
    }
    Ok(())
}

/// Deletes a department with no sub-departments and no users.
pub async fn delete(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = get(&txn, caller, id).await?;
    let child = department::Entity::find()
        .filter(department::Column::TenantId.eq(caller.tenant_id))
        .filter(department::Column::ParentId.eq(id))
        .one(&txn)
        .await
        .map_err(storage)?;
    if child.is_some()
        || crate::users::any_in(&txn, caller.tenant_id, user::Column::DepartmentId, id).await?
    {
        return Err(Error::Conflict {
            code: "department_not_empty",
            field: None,
        });
    }
    department::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "department",
        id,
        diff(&audit_view(&current), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// The path of the department a list or report narrows to (none asked for: none), one of the
/// caller's tenant's (422 on `department_id` otherwise): owners in it or below have paths it
/// prefixes.
pub async fn filter_path(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Option<Uuid>,
) -> Result<Option<String>, Error> {
    let Some(id) = id else {
        return Ok(None);
    };
    department::Entity::find_by_id(id)
        .filter(department::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .map(|d| Some(d.path))
        .ok_or_else(|| FieldErrors::single("department_id", Violation::NotFound).into())
}
