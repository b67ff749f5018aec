//! Tenants: creating one sets up its built-in roles, a head-office department and its admin.

use crm_domain::audit::{AuditAction, diff};
use crm_domain::identity::{BuiltinRole, department_path};
use crm_domain::{Error, new_id, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{department, role, tenant, user};
use crate::error::{storage, unique_violation};

pub struct NewTenant {
    pub slug: String,
    pub name: String,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password_hash: String,
}

/// What a new tenant starts with.
pub struct CreatedTenant {
    pub tenant: tenant::Model,
    pub admin: user::Model,
    pub head_office: department::Model,
    pub roles: Vec<role::Model>,
}

pub async fn create(db: &crate::Database, new: NewTenant) -> Result<CreatedTenant, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let at = now();
    let tenant = tenant::ActiveModel {
        id: Set(new_id()),
        slug: Set(new.slug),
        name: Set(new.name.clone()),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation(e, &["slug"], "slug_taken", "slug"))?;

    let mut roles = Vec::new();
    for builtin in BuiltinRole::ALL {
        let keys: Vec<Value> = builtin
            .permissions()
            .iter()
            .map(|p| json!(p.key()))
            .collect();
        roles.push(
            role::ActiveModel {
                id: Set(new_id()),
                tenant_id: Set(tenant.id),
                key: Set(builtin.key().to_owned()),
                name: Set(builtin.name().to_owned()),
                permissions: Set(Value::Array(keys)),
                data_scope: Set(builtin.data_scope().as_str().to_owned()),
                builtin: Set(true),
                version: Set(1),
                created_at: Set(at),
                updated_at: Set(at),
                created_by: Set(None),
            }
            .insert(&txn)
            .await
            .map_err(storage)?,
        );
    }
    let admin_role = roles
        .iter()
        .find(|r| r.key == BuiltinRole::Admin.key())
        .map(|r| r.id)
        .unwrap_or_default();

    let department_id = new_id();
    let head_office = department::ActiveModel {
        id: Set(department_id),
        tenant_id: Set(tenant.id),
        name: Set("总部".to_owned()),
        parent_id: Set(None),
        manager_id: Set(None),
        path: Set(department_path(None, department_id)),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(storage)?;

    let admin = user::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(tenant.id),
        email: Set(new.admin_email),
        name: Set(new.admin_name),
        phone: Set(None),
        password_hash: Set(new.admin_password_hash),
        department_id: Set(head_office.id),
        role_id: Set(admin_role),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(storage)?;

    crate::pipelines::insert_standard(&txn, tenant.id).await?;

    let system = Actor {
        tenant_id: tenant.id,
        user_id: None,
        request_id: None,
    };
    let changes = diff(
        &Value::Null,
        &json!({"slug": tenant.slug, "name": tenant.name, "admin_email": admin.email}),
    );
    record(
        &txn,
        &system,
        AuditAction::Created,
        "tenant",
        tenant.id,
        changes,
    )
    .await?;
    crate::approvals::policies::seed(&txn, &system).await?;
    txn.commit().await.map_err(storage)?;
    Ok(CreatedTenant {
        tenant,
        admin,
        head_office,
        roles,
    })
}

/// Every tenant's id: the system jobs go through them one by one.
pub async fn ids(db: &impl ConnectionTrait) -> Result<Vec<Uuid>, Error> {
    tenant::Entity::find()
        .select_only()
        .column(tenant::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)
}

pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<tenant::Model>, Error> {
    tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(db)
        .await
        .map_err(storage)
}

/// The tenant, when the deployment has exactly one (logins may then omit the slug).
pub async fn sole(db: &impl ConnectionTrait) -> Result<Option<tenant::Model>, Error> {
    let mut first_two = tenant::Entity::find()
        .limit(2)
        .all(db)
        .await
        .map_err(storage)?;
    Ok(if first_two.len() == 1 {
        first_two.pop()
    } else {
        None
    })
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<tenant::Model, Error> {
    tenant::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}
