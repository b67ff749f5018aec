//! Owners: the history of who owned what, assignment rules (分配规则), and the shared steps
//! of assigning, claiming from and releasing to the pool (公海).

use std::collections::HashMap;

use crm_api_types::identity::Permission;
use crm_api_types::ownership::OwnerChangeReason;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::ownership::{RuleFields, RuleTarget, next_in_rotation};
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{assignment_rule, department, owner_change, role, user};
use crate::error::storage;

/// The kinds of record that have owners, as the history names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owned {
    Lead,
    Customer,
}

impl Owned {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Customer => "customer",
        }
    }
}

/// One change of owner, recorded in the transaction that makes it (besides the audit entry
/// the write itself leaves).
pub(crate) struct OwnerChange {
    pub owned: Owned,
    pub id: Uuid,
    pub from: Option<Uuid>,
    pub to: Option<Uuid>,
    pub reason: OwnerChangeReason,
    pub note: Option<String>,
}

pub(crate) async fn record_change(
    db: &impl ConnectionTrait,
    actor: &Actor,
    change: OwnerChange,
) -> Result<(), Error> {
    if change.from == change.to {
        return Ok(());
    }
    owner_change::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(actor.tenant_id),
        entity_type: Set(change.owned.as_str().to_owned()),
        entity_id: Set(change.id),
        from_owner: Set(change.from),
        to_owner: Set(change.to),
        reason: Set(change.reason.as_str().to_owned()),
        note: Set(change.note.clone()),
        changed_by: Set(actor.user_id),
        changed_at: Set(now()),
    }
    .insert(db)
    .await
    .map(drop)
    .map_err(storage)
}

/// A change of owner with the names of both owners.
#[derive(Debug, Clone)]
pub struct OwnerChangeRow {
    pub change: owner_change::Model,
    pub reason: OwnerChangeReason,
    pub from_name: Option<String>,
    pub to_name: Option<String>,
}

/// The owners of a record, oldest first. The caller has checked that they may see it.
pub async fn history(
    db: &impl ConnectionTrait,
    caller: &Caller,
    owned: Owned,
    id: Uuid,
) -> Result<Vec<OwnerChangeRow>, Error> {
    let changes = owner_change::Entity::find()
        .filter(owner_change::Column::TenantId.eq(caller.tenant_id))
        .filter(owner_change::Column::EntityId.eq(id))
        .filter(owner_change::Column::EntityType.eq(owned.as_str()))
        .order_by_asc(owner_change::Column::ChangedAt)
        .order_by_asc(owner_change::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let people: Vec<Uuid> = changes
        .iter()
        .flat_map(|c| [c.from_owner, c.to_owner])
        .flatten()
        .collect();
    let names = crate::users::names(db, caller.tenant_id, &people).await?;
    changes
        .into_iter()
        .map(|change| {
            let reason = OwnerChangeReason::parse(&change.reason).ok_or_else(|| {
                Error::Storage(format!("owner change {} has an unknown reason", change.id).into())
            })?;
            Ok(OwnerChangeRow {
                from_name: change.from_owner.and_then(|o| names.get(&o).cloned()),
                to_name: change.to_owner.and_then(|o| names.get(&o).cloned()),
                reason,
                change,
            })
        })
        .collect()
}

/// Refuses a claim when the caller holds `held` records and the limit is reached.
pub(crate) async fn check_claim_limit(
    db: &impl ConnectionTrait,
    caller: &Caller,
    held: u64,
) -> Result<(), Error> {
    let (settings, _) = crate::settings::load(db, caller.tenant_id).await?;
    if held >= u64::from(settings.pool_claim_limit) {
        return Err(Error::Conflict {
            code: "claim_limit_reached",
            field: None,
        });
    }
    Ok(())
}

/// The tenant's rules in the order they are tried.
pub async fn rules(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<assignment_rule::Model>, Error> {
    assignment_rule::Entity::find()
        .filter(assignment_rule::Column::TenantId.eq(caller.tenant_id))
        .order_by_asc(assignment_rule::Column::Position)
        .order_by_asc(assignment_rule::Column::Id)
        .all(db)
        .await
        .map_err(storage)
}

pub async fn create_rule(
    db: &crate::Database,
    caller: &Caller,
    fields: RuleFields,
) -> Result<assignment_rule::Model, Error> {
    let txn = db.begin().await.map_err(storage)?;
    check_target(&txn, caller, fields.target).await?;
    let position = match fields.position {
        Some(p) => p,
        None => rules(&txn, caller)
            .await?
            .last()
            .map_or(1, |r| r.position + 1),
    };
    let at = now();
    let model = assignment_rule::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        last_user_id: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        created_by: Set(caller.user_id),
        ..rule_columns(&fields, position)
    }
    .insert(&txn)
    .await
    .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "assignment_rule",
        model.id,
        diff(&json!(null), &rule_view(&model)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(model)
}

pub async fn replace_rule(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    fields: RuleFields,
) -> Result<assignment_rule::Model, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find_rule(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    check_target(&txn, caller, fields.target).await?;
    let columns = rule_columns(&fields, fields.position.unwrap_or(current.position));
    crate::versioned::update::<assignment_rule::Entity>(
        &txn,
        columns,
        id,
        current.version,
        storage,
    )
    .await?;
    let saved = find_rule(&txn, caller, id).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "assignment_rule",
        id,
        diff(&rule_view(&current), &rule_view(&saved)),
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(saved)
}

pub async fn delete_rule(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find_rule(&txn, caller, id).await?;
    assignment_rule::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "assignment_rule",
        id,
        diff(&rule_view(&current), &json!(null)),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

async fn find_rule(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<assignment_rule::Model, Error> {
    assignment_rule::Entity::find_by_id(id)
        .filter(assignment_rule::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

fn rule_columns(fields: &RuleFields, position: i32) -> assignment_rule::ActiveModel {
    let (user_id, department_id) = match fields.target {
        RuleTarget::User(user) => (Some(user), None),
        RuleTarget::Department(department) => (None, Some(department)),
    };
    assignment_rule::ActiveModel {
        position: Set(position),
        region: Set(fields.region.clone()),
        industry: Set(fields.industry.clone()),
        user_id: Set(user_id),
        department_id: Set(department_id),
        ..Default::default()
    }
}

fn rule_view(m: &assignment_rule::Model) -> serde_json::Value {
    json!({"position": m.position, "region": m.region, "industry": m.industry, "user_id": m.user_id, "department_id": m.department_id})
}

pub(crate) fn to_fields(m: &assignment_rule::Model) -> Option<RuleFields> {
    let target = match (m.user_id, m.department_id) {
        (Some(user), _) => RuleTarget::User(user),
        (None, Some(department)) => RuleTarget::Department(department),
        (None, None) => return None,
    };
    Some(RuleFields {
        position: Some(m.position),
        region: m.region.clone(),
        industry: m.industry.clone(),
        target,
    })
}

/// A rule's user must be an active user of the tenant; its department must exist.
async fn check_target(
    db: &impl ConnectionTrait,
    caller: &Caller,
    target: RuleTarget,
) -> Result<(), Error> {
    let found = match target {
        RuleTarget::User(id) => user::Entity::find_by_id(id)
            .filter(user::Column::TenantId.eq(caller.tenant_id))
            .filter(user::Column::Active.eq(true))
            .one(db)
            .await
            .map_err(storage)?
            .is_some(),
        RuleTarget::Department(id) => department::Entity::find_by_id(id)
            .filter(department::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?
            .is_some(),
    };
    let field = match target {
        RuleTarget::User(_) => "user_id",
        RuleTarget::Department(_) => "department_id",
    };
    if found {
        Ok(())
    } else {
        Err(FieldErrors::single(field, Violation::NotFound).into())
    }
}

/// The owner the first matching rule picks for a lead with this region and industry, moving
/// a department's rotation on; `None` when no rule matches or its department has nobody.
pub(crate) async fn owner_by_rules(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    region: Option<&str>,
    industry: Option<&str>,
) -> Result<Option<Uuid>, Error> {
    let rules = assignment_rule::Entity::find()
        .filter(assignment_rule::Column::TenantId.eq(tenant_id))
        .order_by_asc(assignment_rule::Column::Position)
        .order_by_asc(assignment_rule::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let Some((rule, fields)) = rules.into_iter().find_map(|r| {
        to_fields(&r)
            .filter(|f| f.matches(region, industry))
            .map(|f| (r, f))
    }) else {
        return Ok(None);
    };
    match fields.target {
        RuleTarget::User(user_id) => Ok(Some(user_id)),
        RuleTarget::Department(department_id) => {
            let candidates = lead_workers(db, tenant_id, department_id).await?;
            let next = next_in_rotation(&candidates, rule.last_user_id);
            if let Some(next) = next {
                // Not version-guarded: two leads assigned at once may go to the same rep,
                // which is harmless; a lost rotation step is not worth a failed create.
                assignment_rule::Entity::update_many()
                    .col_expr(assignment_rule::Column::LastUserId, Expr::value(next))
                    .filter(assignment_rule::Column::Id.eq(rule.id))
                    .exec(db)
                    .await
                    .map_err(storage)?;
            }
            Ok(next)
        }
    }
}

/// Active users directly in the department whose role may work leads.
async fn lead_workers(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    department_id: Uuid,
) -> Result<Vec<Uuid>, Error> {
    #[derive(FromQueryResult)]
    struct Row {
        id: Uuid,
        permissions: serde_json::Value,
    }
    let query = Query::select()
        .column((user::Entity, user::Column::Id))
        .column((role::Entity, role::Column::Permissions))
        .from(user::Entity)
        .inner_join(
            role::Entity,
            Expr::col((role::Entity, role::Column::Id))
                .equals((user::Entity, user::Column::RoleId)),
        )
        .and_where(Expr::col((user::Entity, user::Column::TenantId)).eq(tenant_id))
        .and_where(Expr::col((user::Entity, user::Column::DepartmentId)).eq(department_id))
        .and_where(Expr::col((user::Entity, user::Column::Active)).eq(true))
        .to_owned();
    let rows = Row::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            crate::roles::parse_permissions(&r.permissions).contains(&Permission::LeadWrite)
        })
        .map(|r| r.id)
        .collect())
}

/// Display names for owner ids that may be absent (the pool).
pub(crate) async fn owner_names(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    owners: &[Option<Uuid>],
) -> Result<HashMap<Uuid, String>, Error> {
    let ids: Vec<Uuid> = owners.iter().flatten().copied().collect();
    crate::users::names(db, tenant_id, &ids).await
}
