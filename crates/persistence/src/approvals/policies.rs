//! Approval policies: tenant-wide settings, read by every submission.

use crm_api_types::approvals::{ApprovalPolicyResponse, DocumentKind, MatchMode};
use crm_domain::approval::policy::{
    Policy, default_contract_policy, default_quote_policy, default_sales_order_policy,
};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::{Caller, Error, check_version, new_id, now};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::approval_policy;
use crate::error::storage;

fn corrupt(id: Uuid) -> Error {
    Error::Storage(format!("approval policy {id} cannot be read").into())
}

/// The stored policy as the domain's.
pub(crate) fn policy_of(m: &approval_policy::Model) -> Result<Policy, Error> {
    Ok(Policy {
        document_kind: DocumentKind::parse(&m.document_kind).ok_or_else(|| corrupt(m.id))?,
        name: m.name.clone(),
        priority: m.priority,
        active: m.active,
        match_mode: MatchMode::parse(&m.match_mode).ok_or_else(|| corrupt(m.id))?,
        conditions: serde_json::from_str(&m.conditions).map_err(|_| corrupt(m.id))?,
        steps: serde_json::from_str(&m.steps).map_err(|_| corrupt(m.id))?,
        allow_self_approval: m.allow_self_approval,
    })
}

fn response(m: approval_policy::Model) -> Result<ApprovalPolicyResponse, Error> {
    let policy = policy_of(&m)?;
    Ok(ApprovalPolicyResponse {
        id: m.id,
        document_kind: policy.document_kind,
        name: policy.name,
        priority: policy.priority,
        active: policy.active,
        match_mode: policy.match_mode,
        conditions: policy.conditions,
        steps: policy.steps,
        allow_self_approval: policy.allow_self_approval,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn audit_view(policy: &Policy) -> Value {
    json!({
        "document_kind": policy.document_kind.as_str(),
        "name": policy.name,
        "priority": policy.priority,
        "active": policy.active,
        "match_mode": policy.match_mode.as_str(),
        "conditions": policy.conditions,
        "steps": policy.steps,
        "allow_self_approval": policy.allow_self_approval,
    })
}

fn columns(policy: &Policy) -> approval_policy::ActiveModel {
    approval_policy::ActiveModel {
        document_kind: Set(policy.document_kind.as_str().to_owned()),
        name: Set(policy.name.clone()),
        priority: Set(policy.priority),
        active: Set(policy.active),
        match_mode: Set(policy.match_mode.as_str().to_owned()),
        conditions: Set(json!(policy.conditions).to_string()),
        steps: Set(json!(policy.steps).to_string()),
        allow_self_approval: Set(policy.allow_self_approval),
        ..Default::default()
    }
}

/// The tenant's policies of a kind (or all), in the order they are tried.
pub(crate) async fn of_kind(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    kind: Option<DocumentKind>,
) -> Result<Vec<approval_policy::Model>, Error> {
    let mut query =
        approval_policy::Entity::find().filter(approval_policy::Column::TenantId.eq(tenant_id));
    if let Some(kind) = kind {
        query = query.filter(approval_policy::Column::DocumentKind.eq(kind.as_str()));
    }
    query
        .order_by_asc(approval_policy::Column::Priority)
        .order_by_asc(approval_policy::Column::CreatedAt)
        .all(db)
        .await
        .map_err(storage)
}

pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    kind: Option<DocumentKind>,
) -> Result<Vec<ApprovalPolicyResponse>, Error> {
    of_kind(db, caller.tenant_id, kind)
        .await?
        .into_iter()
        .map(response)
        .collect()
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<approval_policy::Model, Error> {
    approval_policy::Entity::find_by_id(id)
        .filter(approval_policy::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ApprovalPolicyResponse, Error> {
    response(find(db, caller, id).await?)
}

/// Inserts a policy inside the caller's transaction (also used when a tenant is created).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    policy: &Policy,
) -> Result<approval_policy::Model, Error> {
    let at = now();
    let id = new_id();
    let mut active = columns(policy);
    active.id = Set(id);
    active.tenant_id = Set(actor.tenant_id);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    let model = sea_orm::ActiveModelTrait::insert(active, db)
        .await
        .map_err(storage)?;
    record(
        db,
        actor,
        AuditAction::Created,
        "approval_policy",
        id,
        diff(&Value::Null, &audit_view(policy)),
    )
    .await?;
    Ok(model)
}

/// The policies a new tenant starts with.
pub(crate) async fn seed(db: &impl ConnectionTrait, actor: &Actor) -> Result<(), Error> {
    insert(db, actor, &default_quote_policy()).await?;
    insert(db, actor, &default_sales_order_policy()).await?;
    let role_id = |key: &'static str| async move {
        crate::entities::role::Entity::find()
            .filter(crate::entities::role::Column::TenantId.eq(actor.tenant_id))
            .filter(crate::entities::role::Column::Key.eq(key))
            .one(db)
            .await
            .map_err(storage)?
            .map(|r| r.id)
            .ok_or(Error::NotFound)
    };
    let finance = role_id("finance").await?;
    let legal = role_id("legal").await?;
    insert(db, actor, &default_contract_policy(finance, legal))
        .await
        .map(drop)
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    policy: &Policy,
) -> Result<ApprovalPolicyResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = insert(&txn, &Actor::from(caller), policy).await?;
    txn.commit().await.map_err(storage)?;
    response(model)
}

/// Replaces a policy. Requests already submitted keep the chain they started with.
pub async fn replace(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    policy: &Policy,
) -> Result<ApprovalPolicyResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let before = policy_of(&current)?;
    crate::versioned::update::<approval_policy::Entity>(
        &txn,
        columns(policy),
        id,
        current.version,
        storage,
    )
    .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "approval_policy",
        id,
        diff(&audit_view(&before), &audit_view(policy)),
    )
    .await?;
    let model = find(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    response(model)
}

pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let before = policy_of(&current)?;
    let deleted = approval_policy::Entity::delete_many()
        .filter(approval_policy::Column::Id.eq(id))
        .filter(approval_policy::Column::Version.eq(current.version))
        .exec(&txn)
        .await
        .map_err(storage)?;
    if deleted.rows_affected == 0 {
        return Err(Error::StaleVersion {
            current: current.version + 1,
        });
    }
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "approval_policy",
        id,
        diff(&audit_view(&before), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}
