//! Roles: function permissions plus a data scope. Built-in roles can be edited, not deleted.

use std::collections::BTreeSet;

use crm_api_types::identity::{DataScope, Permission};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::identity::BuiltinRole;
use crm_domain::{Caller, Error, check_version, new_id, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{role, user};
use crate::error::{storage, unique_violation};

pub use crate::entities::role::Model as Role;

pub fn scope_of(role: &Role) -> DataScope {
    parse_scope(&role.data_scope)
}

pub fn permissions_of(role: &Role) -> BTreeSet<Permission> {
    parse_permissions(&role.permissions)
}

/// An unreadable scope grants the narrowest scope, never a wider one.
pub(crate) fn parse_scope(stored: &str) -> DataScope {
    DataScope::ALL
        .into_iter()
        .find(|s| s.as_str() == stored)
        .unwrap_or(DataScope::Own)
}

/// Unknown keys (from a newer version, say) grant nothing.
pub(crate) fn parse_permissions(stored: &Value) -> BTreeSet<Permission> {
    stored
        .as_array()
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k.as_str().and_then(Permission::from_key))
                .collect()
        })
        .unwrap_or_default()
}

fn permissions_json(permissions: &BTreeSet<Permission>) -> Value {
    Value::Array(permissions.iter().map(|p| json!(p.key())).collect())
}

fn audit_view(role: &Role) -> Value {
    json!({"key": role.key, "name": role.name, "permissions": role.permissions, "data_scope": role.data_scope})
}

pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> Result<Vec<Role>, Error> {
    role::Entity::find()
        .filter(role::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(role::Column::CreatedAt)
        .order_by_asc(role::Column::Id)
        .all(db)
        .await
        .map_err(storage)
}

pub async fn get(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<Role, Error> {
    role::Entity::find_by_id(id)
        .filter(role::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub struct RoleFields {
    pub name: String,
    pub permissions: BTreeSet<Permission>,
    pub data_scope: DataScope,
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    key: String,
    fields: RoleFields,
) -> Result<Role, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let at = now();
    let role = role::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        key: Set(key),
        name: Set(fields.name),
        permissions: Set(permissions_json(&fields.permissions)),
        data_scope: Set(fields.data_scope.as_str().to_owned()),
        builtin: Set(false),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(Some(caller.user_id)),
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation(e, &["key"], "role_key_taken", "key"))?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "role",
        role.id,
        diff(&Value::Null, &audit_view(&role)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(role)
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    name: Option<String>,
    permissions: Option<BTreeSet<Permission>>,
    data_scope: Option<DataScope>,
) -> Result<Role, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = get(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let reduces_admin = current.builtin
        && current.key == BuiltinRole::Admin.key()
        && (permissions
            .as_ref()
            .is_some_and(|p| *p != permissions_of(&current))
            || data_scope.is_some_and(|s| s != scope_of(&current)));
    if reduces_admin {
        // The built-in admin role always keeps every permission: a tenant can never lose the
        // last way to administer itself.
        return Err(Error::Conflict {
            code: "admin_role_fixed",
            field: None,
        });
    }
    let mut next: role::ActiveModel = current.clone().into();
    if let Some(v) = name {
        next.name = Set(v);
    }
    if let Some(v) = permissions {
        next.permissions = Set(permissions_json(&v));
    }
    if let Some(v) = data_scope {
        next.data_scope = Set(v.as_str().to_owned());
    }
    crate::versioned::update::<role::Entity>(&txn, next, id, current.version, storage).await?;
    let saved = get(&txn, caller, id).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "role",
        id,
        diff(&audit_view(&current), &audit_view(&saved)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(saved)
}

/// Deletes a custom role that no user holds.
pub async fn delete(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = get(&txn, caller, id).await?;
    if current.builtin {
        return Err(Error::Conflict {
            code: "builtin_role",
            field: None,
        });
    }
    if crate::users::any_in(&txn, caller.tenant_id, user::Column::RoleId, id).await? {
        return Err(Error::Conflict {
            code: "role_in_use",
            field: None,
        });
    }
    role::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "role",
        id,
        diff(&audit_view(&current), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}
