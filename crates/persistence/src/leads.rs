//! Leads, scoped by tenant and by the caller's data scope in every query.

use chrono::{DateTime, Utc};
use crm_api_types::leads::{LeadReach, LeadSource, LeadStatus, UpdateLeadRequest};
use crm_api_types::ownership::OwnerChangeReason;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::customer::{ContactFields, CustomerFields};
use crm_domain::event::EventType;
use crm_domain::lead::{Lead, LeadAction, LeadFields, LeadProgress};
use crm_domain::listing::Sort;
use crm_domain::opportunity::OpportunityFields;
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, Select, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{activity, lead, task};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::ownership::{Owned, OwnerChange};
use crate::scope::owned_by_visible_or_pooled;

/// A lead with its owner's display name, as lists and pages show it.
#[derive(Debug, Clone)]
pub struct LeadRow {
    pub lead: Lead,
    /// `None` in the pool.
    pub owner_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadSortKey {
    CreatedAt,
    UpdatedAt,
    CompanyName,
}

impl LeadSortKey {
    pub const NAMES: [(&'static str, LeadSortKey); 3] = [
        ("created_at", Self::CreatedAt),
        ("updated_at", Self::UpdatedAt),
        ("company_name", Self::CompanyName),
    ];

    fn keyset(self, descending: bool) -> Keyset<lead::Column> {
        let (column, kind) = match self {
            Self::CreatedAt => (lead::Column::CreatedAt, KeyKind::Time),
            Self::UpdatedAt => (lead::Column::UpdatedAt, KeyKind::Time),
            Self::CompanyName => (lead::Column::CompanyName, KeyKind::Text),
        };
        Keyset {
            column,
            kind,
            id: lead::Column::Id,
            descending,
        }
    }

    fn position(self, model: &lead::Model) -> Cursor {
        let value = match self {
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
            Self::CompanyName => model.company_name.clone(),
        };
        Cursor {
            value,
            id: model.id,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub q: Option<String>,
    pub status: Option<LeadStatus>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<Uuid>,
    /// `Some(true)`: only the pool; `Some(false)`: only owned leads.
    pub pool: Option<bool>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    /// The department's path: owners in it or below.
    pub department_path: Option<String>,
    pub reached: Option<LeadReach>,
}

/// A converted lead with a live won opportunity credited to it: one naming the lead, or one
/// naming none, opened on its customer at or after this lead's conversion and before any
/// later lead's into that customer. The lead-sources report counts the same leads (through a
/// window over the conversions, which is faster for whole periods); a test holds them equal.
const WON_LEAD: &str = "\"leads\".\"converted_at\" IS NOT NULL AND (\
   EXISTS (SELECT 1 FROM \"opportunities\" WHERE \"opportunities\".\"tenant_id\" = \"leads\".\"tenant_id\" \
     AND \"opportunities\".\"status\" = 'won' AND \"opportunities\".\"deleted_at\" IS NULL \
     AND \"opportunities\".\"lead_id\" = \"leads\".\"id\") \
   OR EXISTS (SELECT 1 FROM \"opportunities\" WHERE \"opportunities\".\"tenant_id\" = \"leads\".\"tenant_id\" \
     AND \"opportunities\".\"status\" = 'won' AND \"opportunities\".\"deleted_at\" IS NULL \
     AND \"opportunities\".\"lead_id\" IS NULL \
     AND \"opportunities\".\"customer_id\" = \"leads\".\"customer_id\" \
     AND \"opportunities\".\"created_at\" >= \"leads\".\"converted_at\" \
     AND NOT EXISTS (SELECT 1 FROM \"leads\" AS \"later\" \
       WHERE \"later\".\"tenant_id\" = \"leads\".\"tenant_id\" \
       AND \"later\".\"customer_id\" = \"leads\".\"customer_id\" \
       AND \"later\".\"deleted_at\" IS NULL \
       AND \"later\".\"converted_at\" IS NOT NULL \
       AND \"later\".\"converted_at\" <= \"opportunities\".\"created_at\" \
       AND (\"later\".\"converted_at\" > \"leads\".\"converted_at\" \
         OR (\"later\".\"converted_at\" = \"leads\".\"converted_at\" AND \"later\".\"id\" > \"leads\".\"id\")))))";

pub struct LeadPage {
    pub rows: Vec<LeadRow>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

/// Live leads of the caller's tenant that the caller's data scope covers.
fn visible(caller: &Caller) -> Select<lead::Entity> {
    lead::Entity::find()
        .filter(lead::Column::TenantId.eq(caller.tenant_id))
        .filter(lead::Column::DeletedAt.is_null())
        .filter(owned_by_visible_or_pooled(caller, lead::Column::OwnerId))
}

fn filtered(caller: &Caller, filter: &LeadFilter) -> Select<lead::Entity> {
    let mut query = visible(caller);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Func::lower(Expr::col(lead::Column::CompanyName)).like(pattern.clone()))
                .add(Func::lower(Expr::col(lead::Column::ContactName)).like(pattern.clone()))
                .add(lead::Column::Phone.like(pattern.clone()))
                .add(lead::Column::Mobile.like(pattern.clone()))
                .add(lead::Column::Email.like(pattern)),
        );
    }
    if let Some(v) = filter.status {
        query = query.filter(lead::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = filter.source {
        query = query.filter(lead::Column::Source.eq(v.as_str()));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(lead::Column::OwnerId.eq(v));
    }
    match filter.pool {
        Some(true) => query = query.filter(lead::Column::OwnerId.is_null()),
        Some(false) => query = query.filter(lead::Column::OwnerId.is_not_null()),
        None => {}
    }
    if let Some(v) = &filter.region {
        query = query.filter(lead::Column::Region.eq(v.as_str()));
    }
    if let Some(v) = &filter.industry {
        query = query.filter(lead::Column::Industry.eq(v.as_str()));
    }
    if let Some(v) = filter.created_from {
        query = query.filter(lead::Column::CreatedAt.gte(v));
    }
    if let Some(v) = filter.created_to {
        query = query.filter(lead::Column::CreatedAt.lt(v));
    }
    if let Some(path) = &filter.department_path {
        query = query.filter(crate::scope::owned_in_department_tree(
            caller.tenant_id,
            lead::Column::OwnerId,
            path,
        ));
    }
    match filter.reached {
        Some(LeadReach::Qualified) => {
            query = query.filter(
                Condition::any()
                    .add(lead::Column::QualifiedAt.is_not_null())
                    .add(lead::Column::ConvertedAt.is_not_null()),
            );
        }
        Some(LeadReach::Won) => query = query.filter(Expr::cust(WON_LEAD)),
        None => {}
    }
    query
}

/// One page, keyset-paginated on (sort column, id): no OFFSET, so page 1,000 costs what page 1 does.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &LeadFilter,
    sort: Sort<LeadSortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<LeadPage, Error> {
    let keyset = sort.key.keyset(sort.descending);
    let (models, next) = keyset::page(db, filtered(caller, filter), keyset, limit, cursor, |m| {
        sort.key.position(m)
    })
    .await?;
    let total = if include_total {
        Some(filtered(caller, filter).count(db).await.map_err(storage)?)
    } else {
        None
    };
    Ok(LeadPage {
        rows: with_owner_names(db, caller, models).await?,
        next,
        total,
    })
}

pub async fn get(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<LeadRow, Error> {
    let model = find(db, caller, id).await?;
    Ok(with_owner_names(db, caller, vec![model]).await?.remove(0))
}

pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<lead::Model, Error> {
    visible(caller)
        .filter(lead::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

/// Creates a lead. `by_rules` lets the tenant's assignment rules choose the owner (the pool
/// when none matches) instead of `fields.owner_id`.
pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    mut fields: LeadFields,
    by_rules: bool,
) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let reason = if by_rules {
        let region = fields.region.as_deref();
        fields.owner_id = crate::ownership::owner_by_rules(
            &txn,
            caller.tenant_id,
            region,
            fields.industry.as_deref(),
        )
        .await?;
        OwnerChangeReason::Rule
    } else {
        // The caller was just loaded as active and always covers their own records.
        if let Some(owner) = fields.owner_id.filter(|o| *o != caller.user_id) {
            crate::users::check_assignable_owner(&txn, caller, owner).await?;
        }
        OwnerChangeReason::Created
    };
    let at = now();
    let mut active = active_fields(&fields);
    active.id = Set(new_id());
    active.tenant_id = Set(caller.tenant_id);
    active.status = Set(LeadStatus::New.as_str().to_owned());
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    let model = active.insert(&txn).await.map_err(storage)?;
    let changes = diff(&Value::Null, &fields.audit_view());
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "lead",
        model.id,
        changes,
    )
    .await?;
    let change = OwnerChange {
        owned: Owned::Lead,
        id: model.id,
        from: None,
        to: model.owner_id,
        reason,
        note: None,
    };
    crate::ownership::record_change(&txn, &Actor::from(caller), change).await?;
    crate::outbox::emit(
        &txn,
        caller.tenant_id,
        EventType::LeadCreated,
        model.id,
        &snapshot(model.id, &fields, LeadStatus::New),
    )
    .await?;
    let row = with_owner_names(&txn, caller, vec![model]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// The `lead.*` event payload: who the lead is and where it stands, without its notes.
pub(crate) fn snapshot(id: Uuid, fields: &LeadFields, status: LeadStatus) -> Value {
    json!({
        "lead_id": id,
        "company_name": fields.company_name,
        "contact_name": fields.contact_name,
        "source": fields.source.as_str(),
        "region": fields.region,
        "industry": fields.industry,
        "status": status.as_str(),
        "owner_id": fields.owner_id,
    })
}

pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateLeadRequest,
) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = to_lead(find(&txn, caller, id).await?)?;
    check_version(current.version, if_match)?;
    let next = current.fields.apply(patch)?;
    if let Some(owner) = next
        .owner_id
        .filter(|o| Some(*o) != current.fields.owner_id)
    {
        crate::users::check_assignable_owner(&txn, caller, owner).await?;
        let change = OwnerChange {
            owned: Owned::Lead,
            id,
            from: current.fields.owner_id,
            to: Some(owner),
            reason: OwnerChangeReason::Assigned,
            note: None,
        };
        crate::ownership::record_change(&txn, &Actor::from(caller), change).await?;
    }
    let changes = diff(&current.fields.audit_view(), &next.audit_view());
    crate::versioned::update::<lead::Entity>(
        &txn,
        active_fields(&next),
        id,
        current.version,
        storage,
    )
    .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "lead",
        id,
        changes,
    )
    .await?;
    // Read back through the scope: a lead handed to someone outside it is still returned
    // once, from the tenant, so the caller sees the result of their own write.
    let saved = lead::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let row = with_owner_names(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Soft delete: the row stays for the audit trail and for later restores.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = to_lead(find(&txn, caller, id).await?)?;
    check_version(current.version, if_match)?;
    let deleted = lead::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<lead::Entity>(&txn, deleted, id, current.version, storage).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "lead",
        id,
        diff(&current.fields.audit_view(), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// A lifecycle step other than conversion, with what it needs.
#[derive(Debug, Clone)]
pub enum Transition {
    StartWorking,
    /// Checks the tenant's qualification rules.
    Qualify,
    /// `reason` is checked against the tenant's list.
    Disqualify {
        reason: String,
        note: Option<String>,
    },
    Reopen,
}

impl Transition {
    fn action(&self) -> LeadAction {
        match self {
            Self::StartWorking => LeadAction::StartWorking,
            Self::Qualify => LeadAction::Qualify,
            Self::Disqualify { .. } => LeadAction::Disqualify,
            Self::Reopen => LeadAction::Reopen,
        }
    }
}

/// Moves a lead through its lifecycle; the only way its status changes besides conversion.
pub async fn transition(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    step: Transition,
) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = to_lead(find(&txn, caller, id).await?)?;
    check_version(current.version, if_match)?;
    let status = step.action().target(current.status)?;
    let mut progress = current.progress.clone();
    match &step {
        Transition::Qualify => {
            let (settings, _) = crate::settings::load(&txn, caller.tenant_id).await?;
            current
                .fields
                .check_qualification(&settings.lead_qualification_fields)?;
            progress.qualified_at = Some(now());
        }
        Transition::Disqualify { reason, note } => {
            let (settings, _) = crate::settings::load(&txn, caller.tenant_id).await?;
            let mut errors = FieldErrors::new();
            if !settings.is_disqualify_reason(reason) {
                errors.add("reason", Violation::UnknownValue);
            }
            let note = errors.optional_text("note", note.as_deref(), 1000);
            errors.finish(())?;
            progress.disqualify_reason = Some(reason.clone());
            progress.disqualify_note = note;
        }
        Transition::Reopen => {
            progress.disqualify_reason = None;
            progress.disqualify_note = None;
        }
        Transition::StartWorking => {}
    }
    let changes = diff(
        &lifecycle_view(current.status, &current.progress),
        &lifecycle_view(status, &progress),
    );
    let mut active = progress_fields(&progress);
    active.status = Set(status.as_str().to_owned());
    crate::versioned::update::<lead::Entity>(&txn, active, id, current.version, storage).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::StatusChanged,
        "lead",
        id,
        changes,
    )
    .await?;
    let saved = find(&txn, caller, id).await?;
    let row = with_owner_names(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// What a conversion should do with the lead.
#[derive(Debug, Clone)]
pub struct ConvertPlan {
    /// Convert into this customer instead of creating one.
    pub existing_customer_id: Option<Uuid>,
    pub customer_name: Option<String>,
    pub credit_code: Option<String>,
    pub create_contact: bool,
    pub opportunity: Option<crm_api_types::leads::ConvertOpportunityRequest>,
}

/// What a conversion produced.
pub struct Conversion {
    pub lead: LeadRow,
    pub customer_id: Uuid,
    pub customer_created: bool,
    pub contact_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
}

/// A qualified lead becomes a customer (new, or an existing one) and a contact, in one
/// transaction. Converting a converted lead again returns what the first conversion made.
pub async fn convert(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    plan: &ConvertPlan,
) -> Result<Conversion, Error> {
    let attempt = async {
        let txn = db.begin().await.map_err(storage)?;
        let current = to_lead(find(&txn, caller, id).await?)?;
        if current.status == LeadStatus::Converted {
            return already_converted(&txn, caller, current, plan).await;
        }
        let status = LeadAction::Convert.target(current.status)?;
        let (customer_id, customer_created) = match plan.existing_customer_id {
            Some(existing) => (
                crate::customers::find_referenced(&txn, caller, existing, "existing_customer_id")
                    .await?
                    .id,
                false,
            ),
            None => {
                let fields = new_customer(&current.fields, plan, caller.user_id)?;
                (
                    crate::customers::insert(&txn, caller, &fields).await?.id,
                    true,
                )
            }
        };
        let contact_id = if plan.create_contact {
            let fields = new_contact(&current.fields, customer_id)?;
            Some(crate::contacts::insert(&txn, caller, &fields).await?.id)
        } else {
            None
        };
        let opportunity_id = match &plan.opportunity {
            Some(asked) => Some(new_opportunity(&txn, caller, &current, customer_id, asked).await?),
            None => None,
        };
        let mut progress = current.progress.clone();
        progress.converted_at = Some(now());
        progress.customer_id = Some(customer_id);
        progress.contact_id = contact_id;
        let changes = diff(
            &lifecycle_view(current.status, &current.progress),
            &lifecycle_view(status, &progress),
        );
        let mut active = progress_fields(&progress);
        active.status = Set(status.as_str().to_owned());
        crate::versioned::update::<lead::Entity>(&txn, active, id, current.version, storage)
            .await?;
        record(
            &txn,
            &Actor::from(caller),
            AuditAction::Converted,
            "lead",
            id,
            changes,
        )
        .await?;
        // The lead's history and open reminders follow it to the customer.
        activity::Entity::update_many()
            .col_expr(activity::Column::CustomerId, Expr::value(customer_id))
            .filter(activity::Column::TenantId.eq(caller.tenant_id))
            .filter(activity::Column::LeadId.eq(id))
            .exec(&txn)
            .await
            .map_err(storage)?;
        task::Entity::update_many()
            .col_expr(task::Column::CustomerId, Expr::value(customer_id))
            .filter(task::Column::TenantId.eq(caller.tenant_id))
            .filter(task::Column::LeadId.eq(id))
            .exec(&txn)
            .await
            .map_err(storage)?;
        let mut payload = snapshot(id, &current.fields, status);
        payload["customer_id"] = json!(customer_id);
        payload["customer_created"] = json!(customer_created);
        payload["contact_id"] = json!(contact_id);
        payload["opportunity_id"] = json!(opportunity_id);
        crate::outbox::emit(
            &txn,
            caller.tenant_id,
            EventType::LeadConverted,
            id,
            &payload,
        )
        .await?;
        let saved = find(&txn, caller, id).await?;
        let lead = with_owner_names(&txn, caller, vec![saved]).await?.remove(0);
        txn.commit().await.map_err(storage)?;
        Ok(Conversion {
            lead,
            customer_id,
            customer_created,
            contact_id,
            opportunity_id,
        })
    };
    match attempt.await {
        // Another conversion or create took the company between our check and our insert.
        Err(Error::Conflict {
            code: "customer_duplicate",
            ..
        }) => {
            let current = to_lead(find(db, caller, id).await?)?;
            let fields = new_customer(&current.fields, plan, caller.user_id)?;
            Err(Error::Duplicate(
                crate::customers::blocking_matches(db, caller, &fields, None).await?,
            ))
        }
        other => other,
    }
}

async fn already_converted(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    lead: Lead,
    plan: &ConvertPlan,
) -> Result<Conversion, Error> {
    let customer_id = lead.progress.customer_id.ok_or_else(|| {
        Error::Storage(format!("lead {} converted without a customer", lead.id).into())
    })?;
    if plan
        .existing_customer_id
        .is_some_and(|asked| asked != customer_id)
    {
        return Err(Error::Conflict {
            code: "lead_already_converted",
            field: Some("existing_customer_id"),
        });
    }
    let contact_id = lead.progress.contact_id;
    let opportunity_id = crate::opportunities::from_lead(txn, caller.tenant_id, lead.id).await?;
    let model = find(txn, caller, lead.id).await?;
    let lead = with_owner_names(txn, caller, vec![model]).await?.remove(0);
    Ok(Conversion {
        lead,
        customer_id,
        customer_created: false,
        contact_id,
        opportunity_id,
    })
}

/// Opens the opportunity a conversion asks for, owned by the lead's owner; field errors
/// name the request's `opportunity.…` fields.
async fn new_opportunity(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    lead: &Lead,
    customer_id: Uuid,
    asked: &crm_api_types::leads::ConvertOpportunityRequest,
) -> Result<Uuid, Error> {
    let request = crm_api_types::opportunities::CreateOpportunityRequest {
        name: asked.name.clone(),
        customer_id,
        amount: asked.amount,
        expected_close_date: asked.expected_close_date,
        kind: asked.kind,
        source: Some(lead.fields.source),
        owner_id: lead.fields.owner_id,
        ..Default::default()
    };
    let (fields, lines) =
        OpportunityFields::parse_new(&request, caller.user_id).map_err(|errors| {
            let mut renamed = FieldErrors::new();
            for (field, violation) in errors.iter() {
                renamed.add(&format!("opportunity.{field}"), violation);
            }
            Error::from(renamed)
        })?;
    let placement = crate::opportunities::Placement {
        pipeline_id: None,
        stage_id: None,
        probability: None,
        lead_id: Some(lead.id),
    };
    Ok(
        crate::opportunities::insert(txn, caller, &fields, &lines, placement)
            .await?
            .id,
    )
}

/// The customer a lead becomes; field errors name the convert request's fields.
fn new_customer(
    lead: &LeadFields,
    plan: &ConvertPlan,
    caller_id: Uuid,
) -> Result<CustomerFields, Error> {
    let request = crm_api_types::customers::CreateCustomerRequest {
        name: plan
            .customer_name
            .clone()
            .unwrap_or_else(|| lead.company_name.clone()),
        credit_code: plan.credit_code.clone(),
        industry: lead.industry.clone(),
        region: lead.region.clone(),
        source: Some(lead.source),
        owner_id: lead.owner_id,
        ..Default::default()
    };
    // No tier is set, so the tenant's tier list does not matter here.
    CustomerFields::parse_new(
        &request,
        caller_id,
        &crm_domain::settings::Settings::default(),
    )
    .map_err(|errors| {
        let mut renamed = FieldErrors::new();
        for (field, violation) in errors.iter() {
            renamed.add(
                if field == "name" {
                    "customer_name"
                } else {
                    field
                },
                violation,
            );
        }
        renamed.into()
    })
}

/// The contact a lead's contact person becomes: the customer's primary one when it is new.
fn new_contact(lead: &LeadFields, customer_id: Uuid) -> Result<ContactFields, Error> {
    Ok(ContactFields {
        customer_id,
        name: lead.contact_name.clone(),
        title: lead.title.clone(),
        department: None,
        mobile: lead.mobile.clone(),
        phone: lead.phone.clone(),
        email: lead.email.clone(),
        wechat: None,
        birthday: None,
        decision_role: None,
        is_primary: true,
        notes: None,
    })
}

/// Records a follow-up on the lead: a new lead is now being worked.
/// The lead was followed up at `at` (a backdated activity does not move the time back).
pub(crate) async fn touch(
    db: &impl ConnectionTrait,
    caller: &Caller,
    lead: &lead::Model,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    let id = lead.id;
    let current = to_lead(lead.clone())?;
    let at = current
        .progress
        .last_activity_at
        .map_or(at, |last| Ord::max(last, at));
    let mut active = lead::ActiveModel {
        last_activity_at: Set(Some(at)),
        ..Default::default()
    };
    if let Ok(status) = LeadAction::StartWorking.target(current.status) {
        active.status = Set(status.as_str().to_owned());
        let changes = diff(
            &json!({"status": current.status.as_str()}),
            &json!({"status": status.as_str()}),
        );
        record(
            db,
            &Actor::from(caller),
            AuditAction::StatusChanged,
            "lead",
            id,
            changes,
        )
        .await?;
    }
    crate::versioned::update::<lead::Entity>(db, active, id, current.version, storage).await
}

/// The lifecycle columns as the audit log compares them.
fn lifecycle_view(status: LeadStatus, p: &LeadProgress) -> Value {
    json!({
        "status": status.as_str(),
        "disqualify_reason": p.disqualify_reason,
        "disqualify_note": p.disqualify_note,
        "qualified_at": p.qualified_at,
        "converted_at": p.converted_at,
        "customer_id": p.customer_id,
        "contact_id": p.contact_id,
    })
}

fn progress_fields(p: &LeadProgress) -> lead::ActiveModel {
    lead::ActiveModel {
        disqualify_reason: Set(p.disqualify_reason.clone()),
        disqualify_note: Set(p.disqualify_note.clone()),
        qualified_at: Set(p.qualified_at),
        converted_at: Set(p.converted_at),
        customer_id: Set(p.customer_id),
        contact_id: Set(p.contact_id),
        ..Default::default()
    }
}

/// The editable columns of `fields`; the rest stay `NotSet`.
pub(crate) fn active_fields(fields: &LeadFields) -> lead::ActiveModel {
    lead::ActiveModel {
        company_name: Set(fields.company_name.clone()),
        contact_name: Set(fields.contact_name.clone()),
        title: Set(fields.title.clone()),
        phone: Set(fields.phone.clone()),
        mobile: Set(fields.mobile.clone()),
        email: Set(fields.email.clone()),
        source: Set(fields.source.as_str().to_owned()),
        region: Set(fields.region.clone()),
        industry: Set(fields.industry.clone()),
        owner_id: Set(fields.owner_id),
        notes: Set(fields.notes.clone()),
        ..Default::default()
    }
}

fn to_lead(m: lead::Model) -> Result<Lead, Error> {
    let corrupt =
        |what: &str| Error::Storage(format!("lead {} has an unknown {what}", m.id).into());
    let source = LeadSource::parse(&m.source).ok_or_else(|| corrupt("source"))?;
    let status = LeadStatus::parse(&m.status).ok_or_else(|| corrupt("status"))?;
    Ok(Lead {
        id: m.id,
        fields: LeadFields {
            company_name: m.company_name,
            contact_name: m.contact_name,
            title: m.title,
            phone: m.phone,
            mobile: m.mobile,
            email: m.email,
            source,
            region: m.region,
            industry: m.industry,
            owner_id: m.owner_id,
            notes: m.notes,
        },
        status,
        progress: LeadProgress {
            disqualify_reason: m.disqualify_reason,
            disqualify_note: m.disqualify_note,
            qualified_at: m.qualified_at,
            converted_at: m.converted_at,
            customer_id: m.customer_id,
            contact_id: m.contact_id,
            last_activity_at: m.last_activity_at,
        },
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        created_by: m.created_by,
    })
}

async fn with_owner_names(
    db: &impl ConnectionTrait,
    caller: &Caller,
    models: Vec<lead::Model>,
) -> Result<Vec<LeadRow>, Error> {
    let owners: Vec<Option<Uuid>> = models.iter().map(|m| m.owner_id).collect();
    let names = crate::ownership::owner_names(db, caller.tenant_id, &owners).await?;
    models
        .into_iter()
        .map(|m| {
            let owner_name = m.owner_id.and_then(|o| names.get(&o).cloned());
            to_lead(m).map(|lead| LeadRow { lead, owner_name })
        })
        .collect()
}

/// Inserts many leads in one statement per batch, for demo data and benchmarks.
/// Each still gets its creation audit entry and `lead.created`, in the same transaction.
pub async fn import(
    db: &crate::Database,
    caller: &Caller,
    batch: Vec<(LeadFields, DateTime<Utc>)>,
) -> Result<usize, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let count = batch.len();
    let mut leads = Vec::with_capacity(count);
    let mut audits = Vec::with_capacity(count);
    let mut events = Vec::with_capacity(count);
    // Events are stamped when queued, not with the backdated creation time: the outbox is
    // read in queueing order.
    let queued_at = now();
    for (fields, created_at) in batch {
        let id = crm_domain::new_id();
        let mut active = active_fields(&fields);
        active.id = Set(id);
        active.tenant_id = Set(caller.tenant_id);
        active.status = Set(LeadStatus::New.as_str().to_owned());
        active.version = Set(1);
        active.created_at = Set(created_at);
        active.updated_at = Set(created_at);
        active.created_by = Set(caller.user_id);
        active.deleted_at = Set(None);
        leads.push(active);
        audits.push(crate::audit::entry(
            &Actor::from(caller),
            AuditAction::Created,
            "lead",
            id,
            diff(&Value::Null, &fields.audit_view()),
        ));
        events.push(crate::outbox::event(
            caller.tenant_id,
            EventType::LeadCreated,
            id,
            &snapshot(id, &fields, LeadStatus::New),
            queued_at,
        ));
    }
    for chunk in leads.chunks(500) {
        lead::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await
            .map_err(storage)?;
    }
    crate::audit::insert_many(&txn, audits).await?;
    crate::outbox::queue(&txn, events).await?;
    txn.commit().await.map_err(storage)?;
    Ok(count)
}

/// Who an assignment gives a lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewOwner {
    User(Uuid),
    /// The tenant's assignment rules decide; no match puts the lead in the pool.
    Rules,
}

/// 分配: hands a lead to a user the caller's scope covers, or to whoever the rules pick.
pub async fn assign(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    to: NewOwner,
) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    let (owner, reason) = match to {
        NewOwner::User(user) => {
            crate::users::check_assignable_owner(&txn, caller, user).await?;
            (Some(user), OwnerChangeReason::Assigned)
        }
        NewOwner::Rules => {
            let region = current.region.as_deref();
            let owner = crate::ownership::owner_by_rules(
                &txn,
                caller.tenant_id,
                region,
                current.industry.as_deref(),
            )
            .await?;
            (owner, OwnerChangeReason::Rule)
        }
    };
    change_owner(&txn, caller, &current, owner, reason, None).await?;
    finish_owner_change(txn, caller, id).await
}

/// 领取: takes a lead from the pool, within the tenant's limit of open leads per user.
pub async fn claim(db: &crate::Database, caller: &Caller, id: Uuid) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    if current.owner_id.is_some() {
        return Err(Error::Conflict {
            code: "not_in_pool",
            field: None,
        });
    }
    let open = [LeadStatus::New, LeadStatus::Working, LeadStatus::Qualified].map(|s| s.as_str());
    let held = lead::Entity::find()
        .filter(lead::Column::TenantId.eq(caller.tenant_id))
        .filter(lead::Column::OwnerId.eq(caller.user_id))
        .filter(lead::Column::DeletedAt.is_null())
        .filter(lead::Column::Status.is_in(open))
        .count(&txn)
        .await
        .map_err(storage)?;
    crate::ownership::check_claim_limit(&txn, caller, held).await?;
    change_owner(
        &txn,
        caller,
        &current,
        Some(caller.user_id),
        OwnerChangeReason::Claimed,
        None,
    )
    .await?;
    finish_owner_change(txn, caller, id).await
}

/// 退回公海: the owner (or someone whose scope covers them) gives the lead back to the pool.
pub async fn release(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    note: Option<String>,
) -> Result<LeadRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = find(&txn, caller, id).await?;
    if current.owner_id.is_none() {
        return Err(Error::Conflict {
            code: "already_in_pool",
            field: None,
        });
    }
    change_owner(
        &txn,
        caller,
        &current,
        None,
        OwnerChangeReason::Released,
        note,
    )
    .await?;
    finish_owner_change(txn, caller, id).await
}

async fn change_owner(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    current: &lead::Model,
    owner: Option<Uuid>,
    reason: OwnerChangeReason,
    note: Option<String>,
) -> Result<(), Error> {
    let columns = lead::ActiveModel {
        owner_id: Set(owner),
        ..Default::default()
    };
    crate::versioned::update::<lead::Entity>(txn, columns, current.id, current.version, storage)
        .await?;
    let changes = diff(
        &json!({"owner_id": current.owner_id}),
        &json!({"owner_id": owner}),
    );
    let actor = Actor::from(caller);
    record(
        txn,
        &actor,
        AuditAction::Updated,
        "lead",
        current.id,
        changes,
    )
    .await?;
    let change = OwnerChange {
        owned: Owned::Lead,
        id: current.id,
        from: current.owner_id,
        to: owner,
        reason,
        note,
    };
    crate::ownership::record_change(txn, &actor, change).await
}

/// Reads the lead back from the tenant (it may have left the caller's scope) and commits.
async fn finish_owner_change(
    txn: sea_orm::DatabaseTransaction,
    caller: &Caller,
    id: Uuid,
) -> Result<LeadRow, Error> {
    let saved = lead::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let row = with_owner_names(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(row)
}
