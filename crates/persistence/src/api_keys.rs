//! API keys: created by an admin and shown once, stored as a hash, revocable, and turned into
//! a [`Caller`] on every request that presents one. A key acts as an active user of its
//! tenant, with the key's own permissions and data scope counted from that user's department.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use crm_api_types::api_keys::{ApiKeyResponse, ApiKeyStatus};
use crm_api_types::identity::{DataScope, Permission};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::{Caller, Credential, Error, FieldErrors, Violation, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{api_key, department, user};
use crate::error::storage;
use crate::roles::{parse_permissions, parse_scope};

/// `last_used_at` is written at most this often per key, not on every request.
const LAST_USED_EVERY_SECS: i64 = 60;

/// A key about to be stored: what the admin chose, and the key's prefix and hash (the key
/// itself is made and shown by the caller of [`create`]).
pub struct NewApiKey {
    pub name: String,
    pub permissions: BTreeSet<Permission>,
    pub data_scope: DataScope,
    pub user_id: Option<Uuid>,
    pub expires_at: Option<DateTime<Utc>>,
    pub prefix: String,
    pub key_hash: String,
}

fn status(key: &api_key::Model, at: DateTime<Utc>) -> ApiKeyStatus {
    if key.revoked_at.is_some() {
        ApiKeyStatus::Revoked
    } else if key.expires_at.is_some_and(|e| e <= at) {
        ApiKeyStatus::Expired
    } else {
        ApiKeyStatus::Active
    }
}

fn audit_view(key: &api_key::Model) -> Value {
    json!({
        "name": key.name,
        "prefix": key.prefix,
        "user_id": key.user_id,
        "permissions": key.permissions,
        "data_scope": key.data_scope,
        "expires_at": key.expires_at,
        "revoked_at": key.revoked_at,
    })
}

async fn responses(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    keys: Vec<api_key::Model>,
) -> Result<Vec<ApiKeyResponse>, Error> {
    let users: Vec<Uuid> = keys.iter().map(|k| k.user_id).collect();
    let names = crate::users::names(db, tenant_id, &users).await?;
    let at = now();
    Ok(keys
        .into_iter()
        .map(|k| ApiKeyResponse {
            status: status(&k, at),
            permissions: parse_permissions(&k.permissions).into_iter().collect(),
            data_scope: parse_scope(&k.data_scope),
            user_name: names.get(&k.user_id).cloned().unwrap_or_default(),
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            user_id: k.user_id,
            expires_at: k.expires_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
            created_by: k.created_by,
            created_at: k.created_at,
        })
        .collect())
}

async fn response(db: &impl ConnectionTrait, key: api_key::Model) -> Result<ApiKeyResponse, Error> {
    let tenant_id = key.tenant_id;
    responses(db, tenant_id, vec![key])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Stores a new key acting as `new.user_id` (the caller when `None`), which must be an active
/// user of the tenant.
pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    new: NewApiKey,
) -> Result<ApiKeyResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let user_id = new.user_id.unwrap_or(caller.user_id);
    let active = user::Entity::find_by_id(user_id)
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .filter(user::Column::Active.eq(true))
        .one(&txn)
        .await
        .map_err(storage)?;
    if active.is_none() {
        return Err(FieldErrors::single("user_id", Violation::NotFound).into());
    }
    let at = now();
    let key = api_key::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        name: Set(new.name),
        prefix: Set(new.prefix),
        key_hash: Set(new.key_hash),
        user_id: Set(user_id),
        permissions: Set(Value::Array(
            new.permissions.iter().map(|p| json!(p.key())).collect(),
        )),
        data_scope: Set(new.data_scope.as_str().to_owned()),
        expires_at: Set(new.expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_by: Set(caller.user_id),
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
        "api_key",
        key.id,
        diff(&Value::Null, &audit_view(&key)),
    )
    .await?;
    let response = response(&txn, key).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Every key of the tenant, newest first (revoked ones too: the list is the record of who
/// could get in).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<ApiKeyResponse>, Error> {
    let keys = api_key::Entity::find()
        .filter(api_key::Column::TenantId.eq(caller.tenant_id))
        .order_by_desc(api_key::Column::CreatedAt)
        .order_by_desc(api_key::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    responses(db, caller.tenant_id, keys).await
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<api_key::Model, Error> {
    api_key::Entity::find_by_id(id)
        .filter(api_key::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ApiKeyResponse, Error> {
    response(db, find(db, caller, id).await?).await
}

/// Refuses the key from now on. Revoking a revoked key changes nothing.
pub async fn revoke(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
) -> Result<ApiKeyResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    if current.revoked_at.is_some() {
        return response(&txn, current).await;
    }
    let at = now();
    let mut revoked: api_key::ActiveModel = current.clone().into();
    revoked.revoked_at = Set(Some(at));
    revoked.updated_at = Set(at);
    revoked.version = Set(current.version + 1);
    let revoked = revoked.update(&txn).await.map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "api_key",
        revoked.id,
        diff(&audit_view(&current), &audit_view(&revoked)),
    )
    .await?;
    let response = response(&txn, revoked).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// The caller a key stands for: `None` when no key has this hash, or it is revoked or
/// expired, or its user is no longer active. Notes the use (at most once a minute).
pub async fn caller(
    db: &impl ConnectionTrait,
    key_hash: &str,
    request_id: Option<String>,
) -> Result<Option<Caller>, Error> {
    #[derive(FromQueryResult)]
    struct KeyRow {
        id: Uuid,
        tenant_id: Uuid,
        user_id: Uuid,
        permissions: Value,
        data_scope: String,
        last_used_at: Option<DateTime<Utc>>,
        department_id: Uuid,
        path: String,
    }
    let at = now();
    let query = Query::select()
        .column((api_key::Entity, api_key::Column::Id))
        .column((api_key::Entity, api_key::Column::TenantId))
        .column((api_key::Entity, api_key::Column::UserId))
        .column((api_key::Entity, api_key::Column::Permissions))
        .column((api_key::Entity, api_key::Column::DataScope))
        .column((api_key::Entity, api_key::Column::LastUsedAt))
        .column((user::Entity, user::Column::DepartmentId))
        .column((department::Entity, department::Column::Path))
        .from(api_key::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((api_key::Entity, api_key::Column::UserId)),
        )
        .inner_join(
            department::Entity,
            Expr::col((department::Entity, department::Column::Id))
                .equals((user::Entity, user::Column::DepartmentId)),
        )
        .and_where(Expr::col((api_key::Entity, api_key::Column::KeyHash)).eq(key_hash))
        .and_where(Expr::col((api_key::Entity, api_key::Column::RevokedAt)).is_null())
        .and_where(
            Expr::col((api_key::Entity, api_key::Column::ExpiresAt))
                .is_null()
                .or(Expr::col((api_key::Entity, api_key::Column::ExpiresAt)).gt(at)),
        )
        .and_where(
            Expr::col((user::Entity, user::Column::TenantId))
                .equals((api_key::Entity, api_key::Column::TenantId)),
        )
        .and_where(Expr::col((user::Entity, user::Column::Active)).eq(true))
        .to_owned();
    let Some(row) = KeyRow::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await
        .map_err(storage)?
    else {
        return Ok(None);
    };
    if row
        .last_used_at
        .is_none_or(|used| at - used >= Duration::seconds(LAST_USED_EVERY_SECS))
    {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(at))
            .filter(api_key::Column::Id.eq(row.id))
            .exec(db)
            .await
            .map_err(storage)?;
    }
    Ok(Some(Caller {
        tenant_id: row.tenant_id,
        user_id: row.user_id,
        department_id: row.department_id,
        department_path: row.path,
        data_scope: parse_scope(&row.data_scope),
        permissions: parse_permissions(&row.permissions),
        credential: Credential::ApiKey(row.id),
        request_id,
    }))
}
