//! Contracts, scoped by tenant and by the caller's data scope (the owner's chain of managers)
//! plus the approvers named on their approval requests. Lines are a quote's lines, kept as
//! JSON on the row: a contract is read whole and its lines are never queried one by one.

use std::collections::HashSet;

use chrono::Datelike;
use crm_api_types::approvals::{ApprovalStatus, DocumentKind};
use crm_api_types::contracts::{
    ContractResponse, ContractStatus, ContractSummary, UpdateContractRequest,
};
use crm_api_types::pipelines::StageKind;
use crm_api_types::products::{PriceSource, VatRate};
use crm_api_types::quotes::QuoteStatus;
use crm_domain::approval::policy::Facts;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::contract::status::{Action, next};
use crm_domain::contract::{ContractDefaults, ContractFields};
use crm_domain::event::EventType;
use crm_domain::listing::Sort;
use crm_domain::quote::{LineInput, NOTE_MAX, QuoteLine};
use crm_domain::{
    Caller, Error, FieldErrors, Violation, Visibility, check_version, new_id, now, today_in_china,
};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Select, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{contact, contract, customer};
use crate::error::{storage, unique_violation};
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{from_units, money_from_units, to_units};
use crate::scope::{matching_text, owned_or_to_approve};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractSortKey {
    CreatedAt,
    UpdatedAt,
    SignedOn,
    Total,
    Number,
}

impl ContractSortKey {
    pub const NAMES: [(&'static str, ContractSortKey); 5] = [
        ("created_at", Self::CreatedAt),
        ("updated_at", Self::UpdatedAt),
        ("signed_on", Self::SignedOn),
        ("total", Self::Total),
        ("number", Self::Number),
    ];

    fn keyset(self, descending: bool) -> Keyset<contract::Column> {
        let (column, kind) = match self {
            Self::CreatedAt => (contract::Column::CreatedAt, KeyKind::Time),
            Self::UpdatedAt => (contract::Column::UpdatedAt, KeyKind::Time),
            Self::SignedOn => (contract::Column::SignedOn, KeyKind::Date),
            Self::Total => (contract::Column::Total, KeyKind::Int),
            Self::Number => (contract::Column::Number, KeyKind::Text),
        };
        Keyset {
            column,
            kind,
            id: contract::Column::Id,
            descending,
        }
    }

    fn position(self, model: &contract::Model) -> Cursor {
        let value = match self {
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
            // Unsigned contracts sort as the earliest date.
            Self::SignedOn => model.signed_on.unwrap_or_default().to_string(),
            Self::Total => model.total.to_string(),
            Self::Number => model.number.clone(),
        };
        Cursor {
            value,
            id: model.id,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub q: Option<String>,
    pub status: Option<ContractStatus>,
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
}

pub struct ContractPage {
    pub items: Vec<ContractSummary>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

fn live(tenant_id: Uuid) -> Select<contract::Entity> {
    contract::Entity::find()
        .filter(contract::Column::TenantId.eq(tenant_id))
        .filter(contract::Column::DeletedAt.is_null())
}

fn scope(caller: &Caller) -> Condition {
    owned_or_to_approve(
        caller,
        contract::Column::OwnerId,
        contract::Column::Id,
        DocumentKind::Contract,
    )
}

pub(crate) fn visible(caller: &Caller) -> Select<contract::Entity> {
    match caller.visibility() {
        Visibility::All => live(caller.tenant_id),
        _ => live(caller.tenant_id).filter(scope(caller)),
    }
}

/// The ids of the contracts the caller sees, for approval requests' visibility.
pub(crate) fn visible_ids(caller: &Caller) -> SelectStatement {
    let mut query = Query::select()
        .column(contract::Column::Id)
        .from(contract::Entity)
        .and_where(contract::Column::TenantId.eq(caller.tenant_id))
        .and_where(contract::Column::DeletedAt.is_null())
        .to_owned();
    if caller.visibility() != Visibility::All {
        query.cond_where(scope(caller));
    }
    query
}

fn filtered(caller: &Caller, filter: &ContractFilter) -> Select<contract::Entity> {
    let mut query = visible(caller);
    if let Some(matching) = matching_text(
        caller,
        filter.q.as_deref(),
        &[contract::Column::Number, contract::Column::Title],
        contract::Column::CustomerId,
    ) {
        query = query.filter(matching);
    }
    if let Some(v) = filter.status {
        query = query.filter(contract::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = filter.customer_id {
        query = query.filter(contract::Column::CustomerId.eq(v));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(contract::Column::OwnerId.eq(v));
    }
    query
}

pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &ContractFilter,
    sort: Sort<ContractSortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<ContractPage, Error> {
    let (models, next) = keyset::page(
        db,
        filtered(caller, filter),
        sort.key.keyset(sort.descending),
        limit,
        cursor,
        |m| sort.key.position(m),
    )
    .await?;
    let total = if include_total {
        Some(filtered(caller, filter).count(db).await.map_err(storage)?)
    } else {
        None
    };
    Ok(ContractPage {
        items: summaries(db, caller.tenant_id, models).await?,
        next,
        total,
    })
}

pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<contract::Model, Error> {
    visible(caller)
        .filter(contract::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<ContractResponse, Error> {
    full(db, find(db, caller, id).await?).await
}

/// A line as stored in the row's JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredLine {
    product_id: Option<Uuid>,
    product_code: Option<String>,
    name: String,
    spec: Option<String>,
    description: Option<String>,
    quantity: Decimal,
    unit: String,
    list_price: Option<Decimal>,
    unit_price: Decimal,
    price_source: Option<PriceSource>,
    discount_percent: Decimal,
    vat_rate: VatRate,
}

fn to_json(lines: &[QuoteLine]) -> Result<String, Error> {
    let stored: Vec<StoredLine> = lines
        .iter()
        .map(|l| StoredLine {
            product_id: l.product_id,
            product_code: l.product_code.clone(),
            name: l.name.clone(),
            spec: l.spec.clone(),
            description: l.description.clone(),
            quantity: l.quantity,
            unit: l.unit.clone(),
            list_price: l.list_price,
            unit_price: l.unit_price,
            price_source: l.price_source,
            discount_percent: l.discount_percent,
            vat_rate: l.vat_rate,
        })
        .collect();
    serde_json::to_string(&stored).map_err(|e| Error::Storage(Box::new(e)))
}

/// The contract's settled lines.
pub(crate) fn lines_of(model: &contract::Model) -> Result<Vec<QuoteLine>, Error> {
    let stored: Vec<StoredLine> = serde_json::from_str(&model.lines).map_err(|_| {
        Error::Storage(format!("contract {} has unreadable lines", model.id).into())
    })?;
    Ok(stored
        .into_iter()
        .map(|l| QuoteLine {
            product_id: l.product_id,
            product_code: l.product_code,
            name: l.name,
            spec: l.spec,
            description: l.description,
            quantity: l.quantity,
            unit: l.unit,
            list_price: l.list_price,
            unit_price: l.unit_price,
            price_source: l.price_source,
            discount_percent: l.discount_percent,
            vat_rate: l.vat_rate,
        })
        .collect())
}

fn status_of(m: &contract::Model) -> Result<ContractStatus, Error> {
    ContractStatus::parse(&m.status)
        .ok_or_else(|| Error::Storage(format!("contract {} has an unknown status", m.id).into()))
}

async fn summaries(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    models: Vec<contract::Model>,
) -> Result<Vec<ContractSummary>, Error> {
    let customers = crate::customers::names(
        db,
        tenant_id,
        models.iter().map(|m| m.customer_id).collect(),
    )
    .await?;
    let owners: Vec<Uuid> = models.iter().map(|m| m.owner_id).collect();
    let owners = crate::users::names(db, tenant_id, &owners).await?;
    models
        .into_iter()
        .map(|m| {
            Ok(ContractSummary {
                status: status_of(&m)?,
                customer_name: customers.get(&m.customer_id).cloned().unwrap_or_default(),
                owner_name: owners.get(&m.owner_id).cloned().unwrap_or_default(),
                total: money_from_units(m.total),
                id: m.id,
                number: m.number,
                title: m.title,
                customer_id: m.customer_id,
                quote_id: m.quote_id,
                opportunity_id: m.opportunity_id,
                currency: m.currency,
                signed_on: m.signed_on,
                starts_on: m.starts_on,
                ends_on: m.ends_on,
                owner_id: m.owner_id,
                approval_id: m.approval_id,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
        })
        .collect()
}

async fn full(
    db: &impl ConnectionTrait,
    model: contract::Model,
) -> Result<ContractResponse, Error> {
    let tenant_id = model.tenant_id;
    let header_discount = from_units(model.header_discount_percent);
    let contact_name = match model.contact_id {
        Some(id) => contact::Entity::find_by_id(id)
            .filter(contact::Column::TenantId.eq(tenant_id))
            .one(db)
            .await
            .map_err(storage)?
            .map(|c| c.name),
        None => None,
    };
    let lines = lines_of(&model)?;
    let summary = summaries(db, tenant_id, vec![model.clone()])
        .await?
        .remove(0);
    let line_responses = crate::quotes::line_responses(
        db,
        tenant_id,
        model.customer_id,
        &summary.customer_name,
        &lines,
        header_discount,
    )
    .await?;
    let totals = crate::quotes::totals_of(&lines, header_discount);
    Ok(ContractResponse {
        summary,
        contact_id: model.contact_id,
        contact_name,
        payment_terms: model.payment_terms,
        delivery_terms: model.delivery_terms,
        terms: model.terms,
        lines: line_responses,
        totals: crate::quotes::totals_response(&totals),
        activated_at: model.activated_at,
        completed_at: model.completed_at,
        terminated_at: model.terminated_at,
        termination_reason: model.termination_reason,
        created_by: model.created_by,
    })
}

/// Where a new contract comes from.
pub struct Origin {
    pub customer_id: Uuid,
    pub customer_name: String,
    pub quote_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub defaults: ContractDefaults,
    lines: Option<Vec<QuoteLine>>,
    /// The opportunity's lines, to settle like asked lines.
    asked: Option<Vec<LineInput>>,
}

/// Finds the customer, defaults and lines: an accepted quote (the latest version) or a won
/// opportunity, or a customer the caller may use.
pub async fn origin(
    db: &impl ConnectionTrait,
    caller: &Caller,
    quote_id: Option<Uuid>,
    opportunity_id: Option<Uuid>,
    customer_id: Option<Uuid>,
) -> Result<Origin, Error> {
    if quote_id.is_some() && opportunity_id.is_some() {
        return Err(FieldErrors::single("opportunity_id", Violation::MutuallyExclusive).into());
    }
    let names = |id: Uuid| async move {
        Ok::<_, Error>(
            crate::customers::names(db, caller.tenant_id, vec![id])
                .await?
                .remove(&id)
                .unwrap_or_default(),
        )
    };
    if let Some(quote_id) = quote_id {
        let quote = match crate::quotes::find(db, caller, quote_id).await {
            Ok(model) => model,
            Err(Error::NotFound) => {
                return Err(FieldErrors::single("quote_id", Violation::NotFound).into());
            }
            Err(e) => return Err(e),
        };
        if quote.status != QuoteStatus::Accepted.as_str() || quote.superseded {
            return Err(Error::Conflict {
                code: "quote_not_accepted",
                field: Some("quote_id"),
            });
        }
        if customer_id.is_some_and(|c| c != quote.customer_id) {
            return Err(FieldErrors::single("customer_id", Violation::MutuallyExclusive).into());
        }
        let lines = crate::quotes::stored_lines(db, &quote).await?;
        return Ok(Origin {
            customer_name: names(quote.customer_id).await?,
            customer_id: quote.customer_id,
            quote_id: Some(quote.id),
            opportunity_id: quote.opportunity_id,
            defaults: ContractDefaults {
                currency: Some(quote.currency.clone()),
                contact_id: quote.contact_id,
                payment_terms: quote.payment_terms.clone(),
                delivery_terms: quote.delivery_terms.clone(),
                header_discount_percent: Some(from_units(quote.header_discount_percent)),
            },
            lines: Some(lines),
            asked: None,
        });
    }
    if let Some(opportunity_id) = opportunity_id {
        let opportunity = match crate::opportunities::find(db, caller, opportunity_id).await {
            Ok(model) => model,
            Err(Error::NotFound) => {
                return Err(FieldErrors::single("opportunity_id", Violation::NotFound).into());
            }
            Err(e) => return Err(e),
        };
        if opportunity.status != StageKind::Won.as_str() {
            return Err(Error::Conflict {
                code: "opportunity_not_won",
                field: Some("opportunity_id"),
            });
        }
        let asked = crate::opportunities::parts::stored_lines(db, &opportunity)
            .await?
            .into_iter()
            .map(|l| LineInput {
                product_id: Some(l.product_id),
                name: None,
                spec: None,
                description: None,
                quantity: l.quantity,
                unit: None,
                unit_price: Some(l.unit_price),
                discount_percent: l.discount_percent,
                vat_rate: Some(l.vat_rate),
            })
            .collect();
        return Ok(Origin {
            customer_name: names(opportunity.customer_id).await?,
            customer_id: opportunity.customer_id,
            quote_id: None,
            opportunity_id: Some(opportunity.id),
            defaults: ContractDefaults {
                currency: Some(opportunity.currency.clone()),
                ..ContractDefaults::default()
            },
            lines: None,
            asked: Some(asked),
        });
    }
    let Some(customer_id) = customer_id else {
        return Err(FieldErrors::single("customer_id", Violation::Required).into());
    };
    let customer =
        crate::customers::find_referenced(db, caller, customer_id, "customer_id").await?;
    Ok(Origin {
        customer_id,
        customer_name: customer.name,
        quote_id: None,
        opportunity_id: None,
        defaults: ContractDefaults::default(),
        lines: None,
        asked: None,
    })
}

fn columns(fields: &ContractFields, lines: &[QuoteLine]) -> Result<contract::ActiveModel, Error> {
    let pricing: Vec<_> = lines.iter().map(QuoteLine::pricing).collect();
    let (amounts, t) = crm_domain::quote::totals::compute(&pricing, fields.header_discount_percent);
    Ok(contract::ActiveModel {
        customer_id: Set(fields.customer_id),
        contact_id: Set(fields.contact_id),
        title: Set(fields.title.clone()),
        currency: Set(fields.currency.clone()),
        signed_on: Set(fields.signed_on),
        starts_on: Set(fields.starts_on),
        ends_on: Set(fields.ends_on),
        payment_terms: Set(fields.payment_terms.clone()),
        delivery_terms: Set(fields.delivery_terms.clone()),
        terms: Set(fields.terms.clone()),
        header_discount_percent: Set(to_units(fields.header_discount_percent)),
        lines_total: Set(to_units(t.lines_total)),
        total_excl_vat: Set(to_units(t.total_excl_vat)),
        vat_amount: Set(to_units(t.vat_amount)),
        total: Set(to_units(t.total)),
        max_discount_percent: Set(to_units(crm_domain::quote::totals::max_discount(&amounts))),
        lines: Set(to_json(lines)?),
        owner_id: Set(fields.owner_id),
        ..Default::default()
    })
}

fn audit_view(fields: &ContractFields, lines: &[QuoteLine]) -> Value {
    let mut view = fields.audit_view();
    view["lines"] = json!(
        lines
            .iter()
            .map(|l| json!({
                "product_id": l.product_id,
                "name": l.name,
                "quantity": l.quantity.normalize().to_string(),
                "unit_price": l.unit_price.normalize().to_string(),
            }))
            .collect::<Vec<_>>()
    );
    view
}

async fn check_references(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &ContractFields,
    current: Option<&ContractFields>,
) -> Result<customer::Model, Error> {
    let customer = customer::Entity::find_by_id(fields.customer_id)
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let contact_changed = current.is_none_or(|c| c.contact_id != fields.contact_id);
    if let Some(contact) = fields.contact_id.filter(|_| contact_changed)
        && !crate::contacts::all_belong_to(db, customer.id, &[contact]).await?
    {
        return Err(FieldErrors::single("contact_id", Violation::NotFound).into());
    }
    let owner_changed = current.is_none_or(|c| c.owner_id != fields.owner_id);
    if owner_changed && fields.owner_id != caller.user_id {
        crate::users::check_assignable_owner(db, caller, fields.owner_id).await?;
    }
    Ok(customer)
}

async fn settle(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer: &customer::Model,
    fields: &ContractFields,
    inputs: &[LineInput],
    kept: &HashSet<Uuid>,
) -> Result<Vec<QuoteLine>, Error> {
    crate::quotes::settle_lines(
        db,
        caller.tenant_id,
        customer,
        &fields.currency,
        inputs,
        kept,
        fields.header_discount_percent,
    )
    .await
}

/// A new draft with a number from the tenant's series.
pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    origin: Origin,
    fields: ContractFields,
    inputs: Option<Vec<LineInput>>,
) -> Result<ContractResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let customer = check_references(&txn, caller, &fields, None).await?;
    let lines = match (inputs.or(origin.asked), origin.lines) {
        (Some(inputs), _) => {
            settle(&txn, caller, &customer, &fields, &inputs, &HashSet::new()).await?
        }
        (None, Some(quoted)) => quoted,
        (None, None) => Vec::new(),
    };
    let year = today_in_china().year();
    let sequence = crate::numbering::next(&txn, caller.tenant_id, "contract", year).await?;
    let at = now();
    let id = new_id();
    let mut active = columns(&fields, &lines)?;
    active.id = Set(id);
    active.tenant_id = Set(caller.tenant_id);
    active.number = Set(crm_domain::contract::number(year, sequence));
    active.quote_id = Set(origin.quote_id);
    active.opportunity_id = Set(origin.opportunity_id);
    active.status = Set(ContractStatus::Draft.as_str().to_owned());
    active.approval_id = Set(None);
    active.activated_at = Set(None);
    active.completed_at = Set(None);
    active.terminated_at = Set(None);
    active.termination_reason = Set(None);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    let model = sea_orm::ActiveModelTrait::insert(active, &txn)
        .await
        .map_err(|e| {
            unique_violation(
                e,
                &["ux_contracts_number", "contracts.number"],
                "number_taken",
                "number",
            )
        })?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "contract",
        id,
        diff(&Value::Null, &audit_view(&fields, &lines)),
    )
    .await?;
    announce(&txn, &model, EventType::ContractCreated).await?;
    let response = full(&txn, model).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

fn fields_of(m: &contract::Model) -> ContractFields {
    ContractFields {
        customer_id: m.customer_id,
        contact_id: m.contact_id,
        title: m.title.clone(),
        currency: m.currency.clone(),
        signed_on: m.signed_on,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        payment_terms: m.payment_terms.clone(),
        delivery_terms: m.delivery_terms.clone(),
        terms: m.terms.clone(),
        header_discount_percent: from_units(m.header_discount_percent),
        owner_id: m.owner_id,
    }
}

/// Edits a draft; a submitted contract only changes owner.
pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateContractRequest,
) -> Result<ContractResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let status = status_of(&model)?;
    let draft = status == ContractStatus::Draft;
    next(
        status,
        if draft {
            Action::Edit
        } else {
            Action::ChangeOwner
        },
    )?;
    let current = fields_of(&model);
    let (next_fields, inputs) = current.apply(patch, draft)?;
    let old_lines = lines_of(&model)?;
    let customer = check_references(&txn, caller, &next_fields, Some(&current)).await?;
    let lines = match &inputs {
        Some(inputs) => {
            let kept: HashSet<Uuid> = old_lines.iter().filter_map(|l| l.product_id).collect();
            settle(&txn, caller, &customer, &next_fields, inputs, &kept).await?
        }
        None => old_lines.clone(),
    };
    crate::versioned::update::<contract::Entity>(
        &txn,
        columns(&next_fields, &lines)?,
        id,
        model.version,
        storage,
    )
    .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "contract",
        id,
        diff(
            &audit_view(&current, &old_lines),
            &audit_view(&next_fields, &lines),
        ),
    )
    .await?;
    let response = full(&txn, find(&txn, caller, id).await?).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Deletes a draft (kept with `deleted_at`).
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    next(status_of(&model)?, Action::Delete)?;
    let deleted = contract::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<contract::Entity>(&txn, deleted, id, model.version, storage).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "contract",
        id,
        diff(&fields_of(&model).audit_view(), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

async fn announce(
    db: &impl ConnectionTrait,
    model: &contract::Model,
    event: EventType,
) -> Result<(), Error> {
    let payload = json!({
        "contract_id": model.id,
        "number": model.number,
        "customer_id": model.customer_id,
        "quote_id": model.quote_id,
        "opportunity_id": model.opportunity_id,
        "status": model.status,
        "owner_id": model.owner_id,
        "total": money_from_units(model.total).to_string(),
        "currency": model.currency,
        "signed_on": model.signed_on,
    });
    crate::outbox::emit(db, model.tenant_id, event, model.id, &payload).await
}

/// Moves the contract to `status` with `changes`, auditing it and queueing
/// `contract.<event>`.
async fn transition(
    db: &impl ConnectionTrait,
    actor: &Actor,
    model: &contract::Model,
    status: ContractStatus,
    mut changes: contract::ActiveModel,
    note: Option<&str>,
    event: Option<EventType>,
) -> Result<contract::Model, Error> {
    changes.status = Set(status.as_str().to_owned());
    crate::versioned::update::<contract::Entity>(db, changes, model.id, model.version, storage)
        .await?;
    let mut after = json!({"status": status.as_str()});
    if let Some(note) = note {
        after["note"] = json!(note);
    }
    record(
        db,
        actor,
        AuditAction::StatusChanged,
        "contract",
        model.id,
        diff(&json!({"status": model.status}), &after),
    )
    .await?;
    let updated = live(model.tenant_id)
        .filter(contract::Column::Id.eq(model.id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    if let Some(event) = event {
        announce(db, &updated, event).await?;
    }
    Ok(updated)
}

fn parse_note(note: Option<&str>) -> Result<Option<String>, Error> {
    let mut errors = FieldErrors::new();
    let note = errors.optional_text("note", note, NOTE_MAX);
    Ok(errors.finish(note)?)
}

/// What coming into force sets: the time, and the signing date when none was given.
fn activation(model: &contract::Model) -> contract::ActiveModel {
    contract::ActiveModel {
        activated_at: Set(Some(now())),
        signed_on: Set(model.signed_on.or(Some(today_in_china()))),
        ..Default::default()
    }
}

/// Submits a draft with lines: the tenant's contract chain decides (by default department
/// manager, finance, legal); without a policy that applies it comes into force at once.
pub async fn submit(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    note: Option<&str>,
) -> Result<ContractResponse, Error> {
    let note = parse_note(note)?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let status = status_of(&model)?;
    next(
        status,
        Action::Submit {
            approval_needed: true,
        },
    )?;
    if lines_of(&model)?.is_empty() {
        return Err(FieldErrors::single("lines", Violation::Required).into());
    }
    let tier = customer::Entity::find_by_id(model.customer_id)
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .one(&txn)
        .await
        .map_err(storage)?
        .and_then(|c| c.tier);
    let submission = crate::approvals::Submission {
        kind: DocumentKind::Contract,
        document_id: model.id,
        number: model.number.clone(),
        title: model.title.clone(),
        amount: money_from_units(model.total),
        facts: Facts {
            total: money_from_units(model.total),
            currency: model.currency.clone(),
            max_discount_percent: from_units(model.max_discount_percent),
            customer_tier: tier,
        },
        comment: note.clone(),
    };
    let approval = crate::approvals::submit(&txn, caller, submission).await?;
    let next_status = next(
        status,
        Action::Submit {
            approval_needed: approval.is_some(),
        },
    )?;
    let mut changes = if next_status == ContractStatus::Active {
        activation(&model)
    } else {
        contract::ActiveModel::default()
    };
    changes.approval_id = Set(approval);
    let event = match next_status {
        ContractStatus::Active => EventType::ContractActivated,
        _ => EventType::ContractSubmitted,
    };
    transition(
        &txn,
        &Actor::from(caller),
        &model,
        next_status,
        changes,
        note.as_deref(),
        Some(event),
    )
    .await?;
    let response = full(&txn, find(&txn, caller, id).await?).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// The approval engine tells the contract how its request ended.
pub(crate) async fn approval_ended(
    db: &impl ConnectionTrait,
    caller: &Caller,
    contract_id: Uuid,
    request_id: Uuid,
    status: ApprovalStatus,
) -> Result<(), Error> {
    let model = live(caller.tenant_id)
        .filter(contract::Column::Id.eq(contract_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    if model.approval_id != Some(request_id) {
        return Err(Error::Conflict {
            code: "approval_outdated",
            field: None,
        });
    }
    let approved = match status {
        ApprovalStatus::Approved => true,
        ApprovalStatus::Rejected | ApprovalStatus::Returned | ApprovalStatus::Withdrawn => false,
        ApprovalStatus::Pending => return Ok(()),
    };
    let next_status = next(status_of(&model)?, Action::ApprovalEnded { approved })?;
    let (changes, event) = if approved {
        (activation(&model), Some(EventType::ContractActivated))
    } else {
        (contract::ActiveModel::default(), None)
    };
    transition(
        db,
        &Actor::from(caller),
        &model,
        next_status,
        changes,
        None,
        event,
    )
    .await
    .map(drop)
}

/// 履行完毕: an active contract is fulfilled.
pub async fn complete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    note: Option<&str>,
) -> Result<ContractResponse, Error> {
    let note = parse_note(note)?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let status = next(status_of(&model)?, Action::Complete)?;
    let changes = contract::ActiveModel {
        completed_at: Set(Some(now())),
        ..Default::default()
    };
    let updated = transition(
        &txn,
        &Actor::from(caller),
        &model,
        status,
        changes,
        note.as_deref(),
        Some(EventType::ContractCompleted),
    )
    .await?;
    let response = full(&txn, updated).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// 终止: an active contract ends early, with a reason. Its orders stay as they are.
pub async fn terminate(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    reason: &str,
) -> Result<ContractResponse, Error> {
    let mut errors = FieldErrors::new();
    let reason = errors.required_text("reason", reason, NOTE_MAX);
    errors.finish(())?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let status = next(status_of(&model)?, Action::Terminate)?;
    let changes = contract::ActiveModel {
        terminated_at: Set(Some(now())),
        termination_reason: Set(Some(reason.clone())),
        ..Default::default()
    };
    let updated = transition(
        &txn,
        &Actor::from(caller),
        &model,
        status,
        changes,
        Some(&reason),
        Some(EventType::ContractTerminated),
    )
    .await?;
    let response = full(&txn, updated).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// What an order made from an active contract starts from.
pub(crate) struct OrderSource {
    pub customer_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub currency: String,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub header_discount_percent: Decimal,
    pub lines: Vec<QuoteLine>,
}

/// An active contract the caller sees, as an order's source (`contract_id` errors name the
/// field).
pub(crate) async fn order_source(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<OrderSource, Error> {
    let model = match find(db, caller, id).await {
        Ok(model) => model,
        Err(Error::NotFound) => {
            return Err(FieldErrors::single("contract_id", Violation::NotFound).into());
        }
        Err(e) => return Err(e),
    };
    if next(status_of(&model)?, Action::Order).is_err() {
        return Err(Error::Conflict {
            code: "contract_not_active",
            field: Some("contract_id"),
        });
    }
    Ok(OrderSource {
        lines: lines_of(&model)?,
        customer_id: model.customer_id,
        contact_id: model.contact_id,
        currency: model.currency,
        payment_terms: model.payment_terms,
        delivery_terms: model.delivery_terms,
        header_discount_percent: from_units(model.header_discount_percent),
    })
}
