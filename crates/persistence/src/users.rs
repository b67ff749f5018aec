//! Users: logins, the caller context built from a token, and administration.

use std::collections::{BTreeSet, HashMap};

use chrono::Duration;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::caller::OwnerPlacement;
use crm_domain::identity::NewUser;
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{department, role, session, user};
use crate::error::{storage, unique_violation};
use crate::rollups::{self, deals::Deals, orders::Orders};

pub use crate::entities::user::Model as User;

/// After this many wrong passwords in a row the account is locked for `LOCKOUT`.
pub const MAX_FAILED_LOGINS: i32 = 5;
pub const LOCKOUT: Duration = Duration::minutes(15);

/// A user with their role's key, as the admin API shows them.
#[derive(Debug, Clone)]
pub struct UserView {
    pub user: User,
    pub role_key: String,
}

pub async fn find_for_login(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    email: &str,
) -> Result<Option<User>, Error> {
    user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await
        .map_err(storage)
}

/// Counts a wrong password; the fifth in a row locks the account.
pub async fn login_failed(db: &impl ConnectionTrait, user: &User) -> Result<(), Error> {
    let failed = user.failed_logins + 1;
    let (failed, locked_until) = if failed >= MAX_FAILED_LOGINS {
        (0, Some(now() + LOCKOUT))
    } else {
        (failed, user.locked_until)
    };
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(failed))
        .col_expr(user::Column::LockedUntil, Expr::value(locked_until))
        .filter(user::Column::Id.eq(user.id))
        .exec(db)
        .await
        .map(drop)
        .map_err(storage)
}

pub async fn login_succeeded(db: &impl ConnectionTrait, user: &User) -> Result<(), Error> {
    if user.failed_logins == 0 && user.locked_until.is_none() {
        return Ok(());
    }
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(None::<chrono::DateTime<chrono::Utc>>),
        )
        .filter(user::Column::Id.eq(user.id))
        .exec(db)
        .await
        .map(drop)
        .map_err(storage)
}

/// The caller behind an access token, or `None` when the session has ended, the user was
/// disabled, or anything the token names no longer exists. Checked on every request, so
/// disabling a user or logging out takes effect at once, not when the JWT expires.
///
/// One query (session ⨝ user ⨝ role ⨝ department): it runs on every request.
pub async fn caller(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    user_id: Uuid,
    session_id: Uuid,
    request_id: Option<String>,
) -> Result<Option<Caller>, Error> {
    #[derive(FromQueryResult)]
    struct CallerRow {
        department_id: Uuid,
        path: String,
        permissions: serde_json::Value,
        data_scope: String,
    }
    let query = Query::select()
        .column((user::Entity, user::Column::DepartmentId))
        .column((department::Entity, department::Column::Path))
        .column((role::Entity, role::Column::Permissions))
        .column((role::Entity, role::Column::DataScope))
        .from(session::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((session::Entity, session::Column::UserId)),
        )
        .inner_join(
            role::Entity,
            Expr::col((role::Entity, role::Column::Id))
                .equals((user::Entity, user::Column::RoleId)),
        )
        .inner_join(
            department::Entity,
            Expr::col((department::Entity, department::Column::Id))
                .equals((user::Entity, user::Column::DepartmentId)),
        )
        .and_where(Expr::col((session::Entity, session::Column::Id)).eq(session_id))
        .and_where(Expr::col((session::Entity, session::Column::UserId)).eq(user_id))
        .and_where(Expr::col((session::Entity, session::Column::RevokedAt)).is_null())
        .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(now()))
        .and_where(Expr::col((user::Entity, user::Column::TenantId)).eq(tenant_id))
        .and_where(Expr::col((user::Entity, user::Column::Active)).eq(true))
        .to_owned();
    let row = CallerRow::find_by_statement(db.get_database_backend().build(&query))
        .one(db)
        .await
        .map_err(storage)?;
    Ok(row.map(|row| Caller {
        tenant_id,
        user_id,
        department_id: row.department_id,
        department_path: row.path,
        data_scope: crate::roles::parse_scope(&row.data_scope),
        permissions: crate::roles::parse_permissions(&row.permissions),
        credential: crm_domain::Credential::Session(session_id),
        request_id,
    }))
}

/// Display names of the given users of one tenant.
pub async fn names(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, Error> {
    let unique: Vec<Uuid> = ids
        .iter()
        .copied()
        .collect::<BTreeSet<Uuid>>()
        .into_iter()
        .collect();
    let mut found = HashMap::with_capacity(unique.len());
    for chunk in unique.chunks(crate::NAMES_PER_QUERY) {
        let rows: Vec<(Uuid, String)> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Name)
            .filter(user::Column::TenantId.eq(tenant_id))
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage)?;
        found.extend(rows);
    }
    Ok(found)
}

/// A record owner as duplicate hints describe them.
#[derive(Debug, Clone)]
pub struct OwnerInfo {
    pub name: String,
    pub department_id: Uuid,
    pub department_name: String,
    pub department_path: String,
}

/// Name and department of the given users of one tenant, in one query.
pub(crate) async fn owners(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, OwnerInfo>, Error> {
    #[derive(FromQueryResult)]
    struct OwnerRow {
        id: Uuid,
        name: String,
        department_id: Uuid,
        department_name: String,
        path: String,
    }
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let unique: BTreeSet<Uuid> = ids.iter().copied().collect();
    let query = Query::select()
        .column((user::Entity, user::Column::Id))
        .column((user::Entity, user::Column::Name))
        .column((user::Entity, user::Column::DepartmentId))
        .expr_as(
            Expr::col((department::Entity, department::Column::Name)),
            "department_name",
        )
        .column((department::Entity, department::Column::Path))
        .from(user::Entity)
        .inner_join(
            department::Entity,
            Expr::col((department::Entity, department::Column::Id))
                .equals((user::Entity, user::Column::DepartmentId)),
        )
        .and_where(Expr::col((user::Entity, user::Column::TenantId)).eq(tenant_id))
        .and_where(Expr::col((user::Entity, user::Column::Id)).is_in(unique))
        .to_owned();
    let rows = OwnerRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let info = OwnerInfo {
                name: r.name,
                department_id: r.department_id,
                department_name: r.department_name,
                department_path: r.path,
            };
            (r.id, info)
        })
        .collect())
}

/// Where a user of the caller's tenant sits, for owner checks.
pub(crate) async fn placement(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Option<(User, String)>, Error> {
    let Some(user) = user::Entity::find_by_id(user_id)
        .filter(user::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
        .map_err(storage)?
    else {
        return Ok(None);
    };
    let path = department::Entity::find_by_id(user.department_id)
        .one(db)
        .await
        .map_err(storage)?
        .map(|d| d.path)
        .unwrap_or_default();
    Ok(Some((user, path)))
}

/// Refuses an owner that is not an active user whose records the caller may see.
pub(crate) async fn check_assignable_owner(
    db: &impl ConnectionTrait,
    caller: &Caller,
    owner_id: Uuid,
) -> Result<(), Error> {
    let usable = match placement(db, caller.tenant_id, owner_id).await? {
        Some((owner, path)) => {
            owner.active
                && caller.covers(&OwnerPlacement {
                    user_id: owner.id,
                    department_id: owner.department_id,
                    department_path: &path,
                })
        }
        None => false,
    };
    if usable {
        Ok(())
    } else {
        Err(FieldErrors::single("owner_id", Violation::NotFound).into())
    }
}

async fn role_keys(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<HashMap<Uuid, String>, Error> {
    let rows: Vec<(Uuid, String)> = role::Entity::find()
        .select_only()
        .column(role::Column::Id)
        .column(role::Column::Key)
        .filter(role::Column::TenantId.eq(tenant_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows.into_iter().collect())
}

fn view(user: User, keys: &HashMap<Uuid, String>) -> UserView {
    let role_key = keys.get(&user.role_id).cloned().unwrap_or_default();
    UserView { user, role_key }
}

/// The tenant's active users by name, with their department: who a user may pick as an
/// owner or a team member. `assignable` keeps those the caller's data scope covers.
pub async fn directory(
    db: &impl ConnectionTrait,
    caller: &Caller,
    assignable: bool,
) -> Result<Vec<(User, String)>, Error> {
    let mut query = user::Entity::find()
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .filter(user::Column::Active.eq(true));
    if assignable {
        query = query.filter(crate::scope::owned_by_visible(caller, user::Column::Id));
    }
    let users = query
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let departments: HashMap<Uuid, String> = department::Entity::find()
        .select_only()
        .column(department::Column::Id)
        .column(department::Column::Name)
        .filter(department::Column::TenantId.eq(caller.tenant_id))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let department = departments
                .get(&u.department_id)
                .cloned()
                .unwrap_or_default();
            (u, department)
        })
        .collect())
}

/// The tenant's users in creation order, optionally matching `q` in name or email.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    q: Option<&str>,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<UserView>, Option<Cursor>), Error> {
    let mut query = user::Entity::find().filter(user::Column::TenantId.eq(caller.tenant_id));
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Func::lower(Expr::col(user::Column::Name)).like(pattern.clone()))
                .add(user::Column::Email.like(pattern)),
        );
    }
    if let Some(cursor) = cursor {
        query = query.filter(user::Column::Id.gt(cursor.id));
    }
    let mut rows = query
        .order_by_asc(user::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await
        .map_err(storage)?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|u| Cursor {
            value: String::new(),
            id: u.id,
        })
    } else {
        None
    };
    let keys = role_keys(db, caller.tenant_id).await?;
    Ok((rows.into_iter().map(|u| view(u, &keys)).collect(), next))
}

async fn find(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<User, Error> {
    user::Entity::find_by_id(id)
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<UserView, Error> {
    let user = find(db, caller, id).await?;
    Ok(view(user, &role_keys(db, caller.tenant_id).await?))
}

/// Department and role must be the tenant's own; an unknown one is a field error.
async fn check_placement(
    db: &impl ConnectionTrait,
    caller: &Caller,
    department_id: Option<Uuid>,
    role_id: Option<Uuid>,
) -> Result<(), Error> {
    let mut errors = FieldErrors::new();
    if let Some(id) = department_id {
        let found = department::Entity::find_by_id(id)
            .filter(department::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?;
        if found.is_none() {
            errors.add("department_id", Violation::NotFound);
        }
    }
    if let Some(id) = role_id {
        let found = role::Entity::find_by_id(id)
            .filter(role::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?;
        if found.is_none() {
            errors.add("role_id", Violation::NotFound);
        }
    }
    errors.finish(()).map_err(Error::from)
}

fn audit_view(user: &User) -> serde_json::Value {
    json!({
        "email": user.email, "name": user.name, "phone": user.phone,
        "department_id": user.department_id, "role_id": user.role_id, "active": user.active,
    })
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    new: NewUser,
    password_hash: String,
) -> Result<UserView, Error> {
    let txn = db.begin().await.map_err(storage)?;
    check_placement(&txn, caller, Some(new.department_id), Some(new.role_id)).await?;
    let at = now();
    let user = user::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        email: Set(new.email),
        name: Set(new.name),
        phone: Set(new.phone),
        password_hash: Set(password_hash),
        department_id: Set(new.department_id),
        role_id: Set(new.role_id),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(Some(caller.user_id)),
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation(e, &["email"], "email_taken", "email"))?;
    let changes = diff(&serde_json::Value::Null, &audit_view(&user));
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "user",
        user.id,
        changes,
    )
    .await?;
    let keys = role_keys(&txn, caller.tenant_id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(view(user, &keys))
}

/// What an admin may change about a user; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub department_id: Option<Uuid>,
    pub role_id: Option<Uuid>,
    pub password_hash: Option<String>,
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    changes: UserChanges,
) -> Result<UserView, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    if id == caller.user_id && changes.role_id.is_some_and(|role| role != current.role_id) {
        // Another admin must do it: nobody demotes themselves out of administration by accident.
        return Err(Error::Conflict {
            code: "cannot_change_own_role",
            field: Some("role_id"),
        });
    }
    check_placement(&txn, caller, changes.department_id, changes.role_id).await?;
    let mut next = current.clone();
    if let Some(v) = changes.name {
        next.name = v;
    }
    if let Some(v) = changes.phone {
        next.phone = v;
    }
    if let Some(v) = changes.department_id {
        next.department_id = v;
    }
    if let Some(v) = changes.role_id {
        next.role_id = v;
    }
    let password_changed = changes.password_hash.is_some();
    if let Some(v) = changes.password_hash {
        next.password_hash = v;
    }
    let mut field_changes = diff(&audit_view(&current), &audit_view(&next));
    if password_changed {
        field_changes.push(crm_domain::audit::Change {
            field: "password".into(),
            old: json!("***"),
            new: json!("***"),
        });
        // Someone who changes their own password stays logged in here, and only here.
        let keep = caller
            .credential
            .session_id()
            .filter(|_| caller.user_id == id);
        crate::sessions::revoke_all_for_user(&txn, id, keep).await?;
    }
    // The rollups count the user's deals and orders under their department.
    let moves = next.department_id != current.department_id;
    if moves {
        rollups::retract(&txn, caller.tenant_id, Deals::OwnedBy(id)).await?;
        rollups::retract(&txn, caller.tenant_id, Orders::OwnedBy(id)).await?;
    }
    let saved = save(&txn, &current, next).await?;
    if moves {
        rollups::apply(&txn, caller.tenant_id, Deals::OwnedBy(id)).await?;
        rollups::apply(&txn, caller.tenant_id, Orders::OwnedBy(id)).await?;
    }
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "user",
        id,
        field_changes,
    )
    .await?;
    let keys = role_keys(&txn, caller.tenant_id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(view(saved, &keys))
}

/// Disables (ending all sessions at once) or re-enables a user.
pub async fn set_active(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    active: bool,
) -> Result<UserView, Error> {
    if !active && id == caller.user_id {
        return Err(Error::Conflict {
            code: "cannot_disable_self",
            field: None,
        });
    }
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    let mut next = current.clone();
    next.active = active;
    let changes = diff(&audit_view(&current), &audit_view(&next));
    let saved = save(&txn, &current, next).await?;
    if !active {
        crate::sessions::revoke_all_for_user(&txn, id, None).await?;
    }
    let action = if active {
        AuditAction::Enabled
    } else {
        AuditAction::Disabled
    };
    record(&txn, &Actor::from(caller), action, "user", id, changes).await?;
    let keys = role_keys(&txn, caller.tenant_id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(view(saved, &keys))
}

/// Writes `next` if the row still has `current`'s version, bumping it.
async fn save(db: &impl ConnectionTrait, current: &User, next: User) -> Result<User, Error> {
    // `reset_all` marks every column as set: a model converted from a `Model` is all "unchanged".
    let changes = user::ActiveModel::from(next).reset_all();
    crate::versioned::update::<user::Entity>(db, changes, current.id, current.version, storage)
        .await?;
    user::Entity::find_by_id(current.id)
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

/// Whether any user (of the caller's tenant) is in the department or has the role.
pub(crate) async fn any_in(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    column: user::Column,
    id: Uuid,
) -> Result<bool, Error> {
    let found = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(column.eq(id))
        .one(db)
        .await
        .map_err(storage)?;
    Ok(found.is_some())
}
