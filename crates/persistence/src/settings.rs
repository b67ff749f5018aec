//! Tenant settings: one JSON document per tenant, defaults until an admin saves one.

use crm_api_types::settings::UpdateSettingsRequest;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::settings::Settings;
use crm_domain::{Caller, Error, check_version, now};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};

use crate::audit::{Actor, record};
use crate::entities::tenant_settings;
use crate::error::storage;

/// The tenant's settings and their version (0 while nothing was saved).
pub async fn load(
    db: &impl ConnectionTrait,
    tenant_id: uuid::Uuid,
) -> Result<(Settings, i32), Error> {
    let Some(row) = tenant_settings::Entity::find_by_id(tenant_id)
        .one(db)
        .await
        .map_err(storage)?
    else {
        return Ok((Settings::default(), 0));
    };
    let settings = serde_json::from_value(row.document)
        .map_err(|e| Error::Storage(format!("settings of tenant {tenant_id}: {e}").into()))?;
    Ok((settings, row.version))
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    if_match: Option<i32>,
    update: &UpdateSettingsRequest,
) -> Result<(Settings, i32), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let (current, version) = load(&txn, caller.tenant_id).await?;
    check_version(version, if_match)?;
    let next = current.apply(update)?;
    let document = serde_json::to_value(&next).map_err(|e| Error::Storage(Box::new(e)))?;
    let old = serde_json::to_value(&current).map_err(|e| Error::Storage(Box::new(e)))?;
    if version == 0 {
        tenant_settings::ActiveModel {
            tenant_id: Set(caller.tenant_id),
            document: Set(document.clone()),
            version: Set(1),
            updated_at: Set(now()),
        }
        .insert(&txn)
        .await
        // Two first saves at once: the loser's primary key collides; it must reload.
        .map_err(|err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                Error::StaleVersion { current: 1 }
            }
            _ => storage(err),
        })?;
    } else {
        let result = tenant_settings::Entity::update_many()
            .set(tenant_settings::ActiveModel {
                document: Set(document.clone()),
                version: Set(version + 1),
                updated_at: Set(now()),
                ..Default::default()
            })
            .filter(tenant_settings::Column::TenantId.eq(caller.tenant_id))
            .filter(tenant_settings::Column::Version.eq(version))
            .exec(&txn)
            .await
            .map_err(storage)?;
        if result.rows_affected == 0 {
            return Err(Error::StaleVersion {
                current: version + 1,
            });
        }
    }
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "settings",
        caller.tenant_id,
        diff(&old, &document),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok((next, version + 1))
}
