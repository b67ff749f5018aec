//! Contacts. A contact is visible exactly when its customer is: every query goes through
//! the customers the caller's data scope covers.

use chrono::{DateTime, Utc};
use crm_api_types::customers::{DecisionRole, UpdateContactRequest};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::customer::{ContactFields, phone_key};
use crm_domain::event::EventType;
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{Caller, Error, FieldErrors, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QuerySelect, QueryTrait, Select, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{contact, customer};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::sync::{self, Upsert, Upserted};

#[derive(Debug, Clone)]
pub struct ContactRow {
    pub id: Uuid,
    pub fields: ContactFields,
    /// The ERP record this contact mirrors.
    pub external: Option<ExternalRef>,
    pub customer_name: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

fn visible(caller: &Caller) -> Select<contact::Entity> {
    let customers = crate::customers::visible(caller)
        .select_only()
        .column(customer::Column::Id)
        .into_query();
    contact::Entity::find()
        .filter(contact::Column::TenantId.eq(caller.tenant_id))
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::CustomerId.in_subquery(customers))
}

/// One page, oldest first; `customer_id` narrows to one customer's contacts.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Option<Uuid>,
    q: Option<&str>,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<ContactRow>, Option<Cursor>), Error> {
    let mut query = visible(caller);
    if let Some(id) = customer_id {
        query = query.filter(contact::Column::CustomerId.eq(id));
    }
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Func::lower(Expr::col(contact::Column::Name)).like(pattern.clone()))
                .add(contact::Column::Mobile.like(pattern.clone()))
                .add(contact::Column::Phone.like(pattern.clone()))
                .add(contact::Column::Email.like(pattern)),
        );
    }
    let keyset = Keyset {
        column: contact::Column::CreatedAt,
        kind: KeyKind::Time,
        id: contact::Column::Id,
        descending: false,
    };
    let (models, next) = keyset::page(db, query, keyset, limit, cursor, |m| Cursor {
        value: m.created_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok((rows(db, caller, models).await?, next))
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ContactRow, Error> {
    let model = find(db, caller, id).await?;
    Ok(rows(db, caller, vec![model]).await?.remove(0))
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<contact::Model, Error> {
    visible(caller)
        .filter(contact::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: ContactFields,
) -> Result<ContactRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = insert(&txn, caller, &fields).await?;
    let row = rows(&txn, caller, vec![model]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Inserts a contact of a customer the caller can see, inside the caller's transaction.
/// A new primary contact demotes the customer's previous one.
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    fields: &ContactFields,
) -> Result<contact::Model, Error> {
    crate::customers::find_referenced(txn, caller, fields.customer_id, "customer_id").await?;
    let mut fields = fields.clone();
    if fields.is_primary {
        demote_primary(txn, caller, fields.customer_id, None).await?;
    } else if !has_primary(txn, fields.customer_id).await? {
        // A customer's first contact is its primary one until someone says otherwise.
        fields.is_primary = true;
    }
    let at = now();
    let mut active = active_fields(&fields);
    active.id = Set(new_id());
    active.tenant_id = Set(caller.tenant_id);
    active.customer_id = Set(fields.customer_id);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    let model = active.insert(txn).await.map_err(storage)?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Created,
        "contact",
        model.id,
        diff(&Value::Null, &fields.audit_view()),
    )
    .await?;
    crate::outbox::emit(
        txn,
        caller.tenant_id,
        EventType::ContactCreated,
        model.id,
        &snapshot(model.id, &fields),
    )
    .await?;
    Ok(model)
}

/// The `contact.*` event payload: who the person is at which customer, without their phone
/// numbers, birthday or notes (integrators read those through the API, which checks scope).
pub(crate) fn snapshot(id: Uuid, fields: &ContactFields) -> Value {
    json!({
        "contact_id": id,
        "customer_id": fields.customer_id,
        "name": fields.name,
        "title": fields.title,
        "department": fields.department,
        "decision_role": fields.decision_role.map(DecisionRole::as_str),
        "is_primary": fields.is_primary,
    })
}

/// Queues `contact.updated` naming the fields `changes` touch; nothing when none did.
async fn announce_update(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    fields: &ContactFields,
    changes: &[crm_domain::audit::Change],
) -> Result<(), Error> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut payload = snapshot(id, fields);
    payload["changed"] = crate::customers::changed_fields(changes);
    crate::outbox::emit(
        db,
        caller.tenant_id,
        EventType::ContactUpdated,
        id,
        &payload,
    )
    .await
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateContactRequest,
) -> Result<ContactRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let row = change(&txn, caller, id, if_match, patch).await?;
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Applies `patch` inside the caller's transaction, with its audit entry and event.
async fn change(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateContactRequest,
) -> Result<ContactRow, Error> {
    let current = find(txn, caller, id).await?;
    check_version(current.version, if_match)?;
    let before = to_fields(&current)?;
    let next = before.apply(patch)?;
    if next.is_primary && !before.is_primary {
        demote_primary(txn, caller, next.customer_id, Some(id)).await?;
    }
    let changes = diff(&before.audit_view(), &next.audit_view());
    crate::versioned::update::<contact::Entity>(
        txn,
        active_fields(&next),
        id,
        current.version,
        storage,
    )
    .await?;
    announce_update(txn, caller, id, &next, &changes).await?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "contact",
        id,
        changes,
    )
    .await?;
    let row = get(txn, caller, id).await?;
    Ok(row)
}

/// `PUT /contacts/by-external-id/{source}/{id}`: creates the contact an ERP names, or
/// changes the fields the body names on the one it made before, and records the sync.
/// `keeps` refuses a body that would change what a known contact keeps from its creation.
pub async fn upsert(
    db: &crate::Database,
    caller: &Caller,
    body: &Upsert<ContactFields, UpdateContactRequest>,
    keeps: impl FnOnce(&ContactRow) -> Result<(), FieldErrors>,
) -> Result<(Upserted, ContactRow), Error> {
    let kind = SyncedKind::Contact;
    let txn = db.begin().await.map_err(storage)?;
    let (upserted, id) = match sync::existing(&txn, caller.tenant_id, kind, &body.external).await? {
        None => {
            let model = insert(&txn, caller, &body.create.clone()?).await?;
            sync::link(&txn, caller.tenant_id, kind, model.id, &body.external).await?;
            (Upserted::Created, model.id)
        }
        Some(id) => {
            keeps(&get(&txn, caller, id).await?)?;
            let patch = body.patch.as_ref().map_err(Clone::clone)?;
            change(&txn, caller, id, None, patch).await?;
            (Upserted::Updated, id)
        }
    };
    sync::succeeded(&txn, caller, kind, &body.external, id).await?;
    let row = get(&txn, caller, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok((upserted, row))
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
    let deleted = contact::ActiveModel {
        deleted_at: Set(Some(now())),
        is_primary: Set(false),
        ..Default::default()
    };
    crate::versioned::update::<contact::Entity>(&txn, deleted, id, current.version, storage)
        .await?;
    let changes = diff(&to_fields(&current)?.audit_view(), &Value::Null);
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "contact",
        id,
        changes,
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// Whether each id is a live contact of `customer_id`, for activities that name contacts.
pub(crate) async fn all_belong_to(
    db: &impl ConnectionTrait,
    customer_id: Uuid,
    ids: &[Uuid],
) -> Result<bool, Error> {
    if ids.is_empty() {
        return Ok(true);
    }
    let found = contact::Entity::find()
        .filter(contact::Column::CustomerId.eq(customer_id))
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await
        .map_err(storage)?;
    Ok(found.len() == ids.len())
}

async fn has_primary(db: &impl ConnectionTrait, customer_id: Uuid) -> Result<bool, Error> {
    let found = contact::Entity::find()
        .filter(contact::Column::CustomerId.eq(customer_id))
        .filter(contact::Column::IsPrimary.eq(true))
        .filter(contact::Column::DeletedAt.is_null())
        .one(db)
        .await
        .map_err(storage)?;
    Ok(found.is_some())
}

/// Makes the customer's primary contact (other than `except`) an ordinary one, audited.
async fn demote_primary(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Uuid,
    except: Option<Uuid>,
) -> Result<(), Error> {
    let mut query = contact::Entity::find()
        .filter(contact::Column::CustomerId.eq(customer_id))
        .filter(contact::Column::IsPrimary.eq(true))
        .filter(contact::Column::DeletedAt.is_null());
    if let Some(id) = except {
        query = query.filter(contact::Column::Id.ne(id));
    }
    for previous in query.all(db).await.map_err(storage)? {
        let demoted = contact::ActiveModel {
            is_primary: Set(false),
            ..Default::default()
        };
        crate::versioned::update::<contact::Entity>(
            db,
            demoted,
            previous.id,
            previous.version,
            storage,
        )
        .await?;
        let changes = diff(&json!({"is_primary": true}), &json!({"is_primary": false}));
        let mut fields = to_fields(&previous)?;
        fields.is_primary = false;
        announce_update(db, caller, previous.id, &fields, &changes).await?;
        record(
            db,
            &Actor::from(caller),
            AuditAction::Updated,
            "contact",
            previous.id,
            changes,
        )
        .await?;
    }
    Ok(())
}

pub(crate) fn active_fields(fields: &ContactFields) -> contact::ActiveModel {
    contact::ActiveModel {
        name: Set(fields.name.clone()),
        title: Set(fields.title.clone()),
        department: Set(fields.department.clone()),
        mobile: Set(fields.mobile.clone()),
        phone: Set(fields.phone.clone()),
        phone_key: Set(fields.phone.as_deref().map(phone_key)),
        email: Set(fields.email.clone()),
        wechat: Set(fields.wechat.clone()),
        birthday: Set(fields.birthday),
        decision_role: Set(fields.decision_role.map(|r| r.as_str().to_owned())),
        is_primary: Set(fields.is_primary),
        notes: Set(fields.notes.clone()),
        ..Default::default()
    }
}

fn to_fields(m: &contact::Model) -> Result<ContactFields, Error> {
    let decision_role = match &m.decision_role {
        Some(r) => Some(DecisionRole::parse(r).ok_or_else(|| {
            Error::Storage(format!("contact {} has an unknown decision role", m.id).into())
        })?),
        None => None,
    };
    Ok(ContactFields {
        customer_id: m.customer_id,
        name: m.name.clone(),
        title: m.title.clone(),
        department: m.department.clone(),
        mobile: m.mobile.clone(),
        phone: m.phone.clone(),
        email: m.email.clone(),
        wechat: m.wechat.clone(),
        birthday: m.birthday,
        decision_role,
        is_primary: m.is_primary,
        notes: m.notes.clone(),
    })
}

async fn rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    models: Vec<contact::Model>,
) -> Result<Vec<ContactRow>, Error> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.customer_id).collect();
    let names = crate::customers::names(db, caller.tenant_id, ids).await?;
    models
        .into_iter()
        .map(|m| {
            Ok(ContactRow {
                fields: to_fields(&m)?,
                external: sync::external_of(&m.external_source, &m.external_id),
                customer_name: names.get(&m.customer_id).cloned().unwrap_or_default(),
                id: m.id,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
                created_by: m.created_by,
            })
        })
        .collect()
}
