//! Quotes, scoped by tenant and by the caller's data scope. Besides the owner's chain of
//! managers, a quote is visible to its opportunity's team and to the approvers named on its
//! approval requests (an approver must read what they approve).
//!
//! Versions share a number: revising freezes a version (`superseded`) and starts the next.

mod actions;
mod lines;
mod view;

use std::collections::HashSet;

use chrono::Datelike;
use crm_api_types::quotes::{
    FieldComparison, LineComparison, QuoteComparisonResponse, QuotePreviewResponse, QuoteResponse,
    QuoteStatus, QuoteSummary, UpdateQuoteRequest,
};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::listing::Sort;
use crm_domain::quote::status::{Action, next};
use crm_domain::quote::{LineInput, QuoteFields, QuoteLine, compare};
use crm_domain::{
    Caller, Error, FieldErrors, Violation, Visibility, check_version, new_id, now, today_in_china,
};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Select, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

pub(crate) use actions::approval_ended;
pub use actions::{accept, copy, decline, expire, revise, send, submit};
pub(crate) use lines::{
    responses as line_responses, settle_lines, stored as stored_lines, totals_of, totals_response,
};

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{customer, quote};
use crate::error::{storage, unique_violation};
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{from_units, to_units};
use crate::scope::{matching_text, owned_or_to_approve};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteSortKey {
    CreatedAt,
    UpdatedAt,
    ValidUntil,
    Total,
    Number,
}

impl QuoteSortKey {
    pub const NAMES: [(&'static str, QuoteSortKey); 5] = [
        ("created_at", Self::CreatedAt),
        ("updated_at", Self::UpdatedAt),
        ("valid_until", Self::ValidUntil),
        ("total", Self::Total),
        ("number", Self::Number),
    ];

    fn keyset(self, descending: bool) -> Keyset<quote::Column> {
        let (column, kind) = match self {
            Self::CreatedAt => (quote::Column::CreatedAt, KeyKind::Time),
            Self::UpdatedAt => (quote::Column::UpdatedAt, KeyKind::Time),
            Self::ValidUntil => (quote::Column::ValidUntil, KeyKind::Date),
            Self::Total => (quote::Column::Total, KeyKind::Int),
            Self::Number => (quote::Column::Number, KeyKind::Text),
        };
        Keyset {
            column,
            kind,
            id: quote::Column::Id,
            descending,
        }
    }

    fn position(self, model: &quote::Model) -> Cursor {
        let value = match self {
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
            Self::ValidUntil => model.valid_until.to_string(),
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
pub struct QuoteFilter {
    pub q: Option<String>,
    pub status: Option<QuoteStatus>,
    pub customer_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Include superseded versions.
    pub all_versions: bool,
}

pub struct QuotePage {
    pub items: Vec<QuoteSummary>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

fn live(tenant_id: Uuid) -> Select<quote::Entity> {
    quote::Entity::find()
        .filter(quote::Column::TenantId.eq(tenant_id))
        .filter(quote::Column::DeletedAt.is_null())
}

fn scope(caller: &Caller) -> Condition {
    owned_or_to_approve(
        caller,
        quote::Column::OwnerId,
        quote::Column::Id,
        crm_api_types::approvals::DocumentKind::Quote,
    )
    .add(quote::Column::OpportunityId.in_subquery(crate::opportunities::membership(caller)))
}

/// Live quotes the caller sees.
pub(crate) fn visible(caller: &Caller) -> Select<quote::Entity> {
    match caller.visibility() {
        Visibility::All => live(caller.tenant_id),
        _ => live(caller.tenant_id).filter(scope(caller)),
    }
}

/// The ids of the quotes the caller sees, for other records' visibility.
pub(crate) fn visible_ids(caller: &Caller) -> SelectStatement {
    let mut query = Query::select()
        .column(quote::Column::Id)
        .from(quote::Entity)
        .and_where(quote::Column::TenantId.eq(caller.tenant_id))
        .and_where(quote::Column::DeletedAt.is_null())
        .to_owned();
    if caller.visibility() != Visibility::All {
        query.cond_where(scope(caller));
    }
    query
}

fn filtered(caller: &Caller, filter: &QuoteFilter) -> Select<quote::Entity> {
    let mut query = visible(caller);
    if let Some(matching) = matching_text(
        caller,
        filter.q.as_deref(),
        &[quote::Column::Number, quote::Column::Title],
        quote::Column::CustomerId,
    ) {
        query = query.filter(matching);
    }
    if let Some(v) = filter.status {
        query = query.filter(quote::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = filter.customer_id {
        query = query.filter(quote::Column::CustomerId.eq(v));
    }
    if let Some(v) = filter.opportunity_id {
        query = query.filter(quote::Column::OpportunityId.eq(v));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(quote::Column::OwnerId.eq(v));
    }
    if !filter.all_versions {
        query = query.filter(quote::Column::Superseded.eq(false));
    }
    query
}

pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &QuoteFilter,
    sort: Sort<QuoteSortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<QuotePage, Error> {
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
    Ok(QuotePage {
        items: view::summaries(db, caller.tenant_id, models).await?,
        next,
        total,
    })
}

/// A live quote the caller sees.
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<quote::Model, Error> {
    visible(caller)
        .filter(quote::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<QuoteResponse, Error> {
    let model = find(db, caller, id).await?;
    let lines = lines::stored(db, &model).await?;
    view::full(db, model, &lines).await
}

/// Every version of the quote's number the caller sees, oldest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Vec<QuoteSummary>, Error> {
    let model = find(db, caller, id).await?;
    let models = visible(caller)
        .filter(quote::Column::Number.eq(model.number))
        .order_by_asc(quote::Column::Revision)
        .all(db)
        .await
        .map_err(storage)?;
    view::summaries(db, caller.tenant_id, models).await
}

/// Two versions of one quote, line by line and field by field.
pub async fn compare(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    with: Uuid,
) -> Result<QuoteComparisonResponse, Error> {
    let this = find(db, caller, id).await?;
    let other = match find(db, caller, with).await {
        Ok(other) if other.number == this.number => other,
        Ok(_) | Err(Error::NotFound) => {
            return Err(FieldErrors::single("with", Violation::NotFound).into());
        }
        Err(e) => return Err(e),
    };
    // The older version is "before", whichever way round they were asked.
    let (before, after) = if other.revision < this.revision {
        (other, this)
    } else {
        (this, other)
    };
    let before_lines = lines::stored(db, &before).await?;
    let after_lines = lines::stored(db, &after).await?;
    let before_view = view::full(db, before.clone(), &before_lines).await?;
    let after_view = view::full(db, after.clone(), &after_lines).await?;
    let fields = compare::fields(&fields_of(&before), &fields_of(&after))
        .into_iter()
        .map(|(field, before, after)| FieldComparison {
            field: field.to_owned(),
            before,
            after,
        })
        .collect();
    let line_at = |lines: &[crm_api_types::quotes::QuoteLineResponse], i: Option<usize>| {
        i.and_then(|i| lines.get(i).cloned())
    };
    let lines = compare::lines(&before_lines, &after_lines)
        .into_iter()
        .map(|change| LineComparison {
            kind: change.kind,
            before: line_at(&before_view.lines, change.before),
            after: line_at(&after_view.lines, change.after),
            changed_fields: change
                .changed_fields
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    Ok(QuoteComparisonResponse {
        before: before_view.summary,
        after: after_view.summary,
        fields,
        lines,
        totals_before: before_view.totals,
        totals_after: after_view.totals,
    })
}

/// Where a new quote comes from: its customer, and from an opportunity also its currency and
/// lines.
pub struct Origin {
    pub customer_id: Uuid,
    pub currency: Option<String>,
    pub lines: Option<Vec<LineInput>>,
}

/// Finds the customer (and the opportunity's currency and lines) for a new quote. One of
/// `opportunity_id` and `customer_id` is needed; given both, they must agree.
pub async fn origin(
    db: &impl ConnectionTrait,
    caller: &Caller,
    opportunity_id: Option<Uuid>,
    customer_id: Option<Uuid>,
) -> Result<Origin, Error> {
    let Some(opportunity_id) = opportunity_id else {
        let Some(customer_id) = customer_id else {
            return Err(FieldErrors::single("customer_id", Violation::Required).into());
        };
        crate::customers::find_referenced(db, caller, customer_id, "customer_id").await?;
        return Ok(Origin {
            customer_id,
            currency: None,
            lines: None,
        });
    };
    let opportunity = match crate::opportunities::find(db, caller, opportunity_id).await {
        Ok(model) => model,
        Err(Error::NotFound) => {
            return Err(FieldErrors::single("opportunity_id", Violation::NotFound).into());
        }
        Err(e) => return Err(e),
    };
    if customer_id.is_some_and(|c| c != opportunity.customer_id) {
        return Err(FieldErrors::single("customer_id", Violation::MutuallyExclusive).into());
    }
    let lines = crate::opportunities::parts::stored_lines(db, &opportunity)
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
    Ok(Origin {
        customer_id: opportunity.customer_id,
        currency: Some(opportunity.currency),
        lines: Some(lines),
    })
}

/// The fields of a stored quote.
fn fields_of(m: &quote::Model) -> QuoteFields {
    QuoteFields {
        customer_id: m.customer_id,
        opportunity_id: m.opportunity_id,
        contact_id: m.contact_id,
        title: m.title.clone(),
        currency: m.currency.clone(),
        valid_until: m.valid_until,
        payment_terms: m.payment_terms.clone(),
        delivery_terms: m.delivery_terms.clone(),
        notes: m.notes.clone(),
        internal_note: m.internal_note.clone(),
        header_discount_percent: from_units(m.header_discount_percent),
        owner_id: m.owner_id,
    }
}

/// The columns the fields decide.
fn field_columns(fields: &QuoteFields) -> quote::ActiveModel {
    quote::ActiveModel {
        customer_id: Set(fields.customer_id),
        opportunity_id: Set(fields.opportunity_id),
        contact_id: Set(fields.contact_id),
        title: Set(fields.title.clone()),
        currency: Set(fields.currency.clone()),
        valid_until: Set(fields.valid_until),
        payment_terms: Set(fields.payment_terms.clone()),
        delivery_terms: Set(fields.delivery_terms.clone()),
        notes: Set(fields.notes.clone()),
        internal_note: Set(fields.internal_note.clone()),
        header_discount_percent: Set(to_units(fields.header_discount_percent)),
        owner_id: Set(fields.owner_id),
        ..Default::default()
    }
}

/// `fields` columns and the totals `lines` give, in one active model.
fn columns(fields: &QuoteFields, lines: &[QuoteLine]) -> quote::ActiveModel {
    let mut active = field_columns(fields);
    let totals = lines::totals_columns(lines, fields.header_discount_percent);
    active.lines_total = totals.lines_total;
    active.total_excl_vat = totals.total_excl_vat;
    active.vat_amount = totals.vat_amount;
    active.total = totals.total;
    active.max_discount_percent = totals.max_discount_percent;
    active
}

pub(crate) fn audit_view(fields: &QuoteFields, lines: &[QuoteLine]) -> Value {
    let mut view = fields.audit_view();
    view["lines"] = json!(
        lines
            .iter()
            .map(|l| json!({
                "product_id": l.product_id,
                "name": l.name,
                "quantity": l.quantity.normalize().to_string(),
                "unit_price": l.unit_price.normalize().to_string(),
                "discount_percent": l.discount_percent.normalize().to_string(),
                "vat_rate": l.vat_rate.as_str(),
            }))
            .collect::<Vec<_>>()
    );
    view
}

/// Checks what the fields point at (only what changed since `current`) and returns the
/// customer.
async fn check_references(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &QuoteFields,
    current: Option<&QuoteFields>,
) -> Result<customer::Model, Error> {
    let customer = match current {
        None => {
            crate::customers::find_referenced(db, caller, fields.customer_id, "customer_id").await?
        }
        // The quote's own customer stays usable to whoever may edit the quote.
        Some(_) => customer::Entity::find_by_id(fields.customer_id)
            .filter(customer::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?
            .ok_or(Error::NotFound)?,
    };
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

/// The lines and totals a create would store, computed without writing anything.
pub async fn preview(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &QuoteFields,
    inputs: &[LineInput],
) -> Result<QuotePreviewResponse, Error> {
    let customer =
        crate::customers::find_referenced(db, caller, fields.customer_id, "customer_id").await?;
    let settled = lines::settle_lines(
        db,
        caller.tenant_id,
        &customer,
        &fields.currency,
        inputs,
        &HashSet::new(),
        fields.header_discount_percent,
    )
    .await?;
    let responses = lines::responses(
        db,
        caller.tenant_id,
        customer.id,
        &customer.name,
        &settled,
        fields.header_discount_percent,
    )
    .await?;
    let totals = lines::totals_of(&settled, fields.header_discount_percent);
    Ok(QuotePreviewResponse {
        customer_id: customer.id,
        currency: fields.currency.clone(),
        lines: responses,
        totals: lines::totals_response(&totals),
    })
}

/// A new draft with a number from the tenant's series.
pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: QuoteFields,
    inputs: Vec<LineInput>,
) -> Result<QuoteResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let customer = check_references(&txn, caller, &fields, None).await?;
    let settled = lines::settle_lines(
        &txn,
        caller.tenant_id,
        &customer,
        &fields.currency,
        &inputs,
        &HashSet::new(),
        fields.header_discount_percent,
    )
    .await?;
    let model = insert(&txn, caller, &fields, &settled, Lineage::New).await?;
    let response = view::full(&txn, model, &settled).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Where an inserted quote comes from.
#[derive(Debug, Clone)]
pub(crate) enum Lineage {
    New,
    /// The next version of a quote: same number.
    Revision {
        of: Uuid,
        number: String,
        revision: i32,
    },
    /// A copy of a quote: a new number.
    Copy {
        of: Uuid,
    },
}

pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    fields: &QuoteFields,
    settled: &[QuoteLine],
    lineage: Lineage,
) -> Result<quote::Model, Error> {
    let (number, revision, revised_from, copied_from) = match lineage {
        Lineage::Revision {
            of,
            number,
            revision,
        } => (number, revision, Some(of), None),
        Lineage::New | Lineage::Copy { .. } => {
            let year = today_in_china().year();
            let sequence = crate::numbering::next(txn, caller.tenant_id, "quote", year).await?;
            let copied_from = match lineage {
                Lineage::Copy { of } => Some(of),
                _ => None,
            };
            (
                crm_domain::quote::number(year, sequence),
                1,
                None,
                copied_from,
            )
        }
    };
    let at = now();
    let id = new_id();
    let mut active = columns(fields, settled);
    active.id = Set(id);
    active.tenant_id = Set(caller.tenant_id);
    active.number = Set(number);
    active.revision = Set(revision);
    active.status = Set(QuoteStatus::Draft.as_str().to_owned());
    active.superseded = Set(false);
    active.revised_from = Set(revised_from);
    active.copied_from = Set(copied_from);
    active.approval_id = Set(None);
    active.sent_at = Set(None);
    active.accepted_at = Set(None);
    active.declined_at = Set(None);
    active.decline_reason = Set(None);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    let model = sea_orm::ActiveModelTrait::insert(active, txn)
        .await
        .map_err(|e| {
            unique_violation(
                e,
                &["ux_quotes_number", "quotes.number"],
                "quote_revised",
                "id",
            )
        })?;
    lines::write(txn, caller.tenant_id, id, settled).await?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Created,
        "quote",
        id,
        diff(&Value::Null, &audit_view(fields, settled)),
    )
    .await?;
    Ok(model)
}

/// Edits a draft, rejected or approved quote; a material change to an approved one takes it
/// back to draft, to be approved again.
pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateQuoteRequest,
) -> Result<QuoteResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let current = fields_of(&model);
    let (next_fields, new_inputs) = current.apply(patch)?;
    let old_lines = lines::stored(&txn, &model).await?;
    if next_fields.currency != current.currency && !old_lines.is_empty() && new_inputs.is_none() {
        // Prices on the lines are in the old currency: send the lines again to re-price.
        return Err(FieldErrors::single("currency", Violation::ReadOnly).into());
    }
    let customer = check_references(&txn, caller, &next_fields, Some(&current)).await?;
    let settled = match &new_inputs {
        Some(inputs) => {
            let kept: HashSet<Uuid> = old_lines.iter().filter_map(|l| l.product_id).collect();
            lines::settle_lines(
                &txn,
                caller.tenant_id,
                &customer,
                &next_fields.currency,
                inputs,
                &kept,
                next_fields.header_discount_percent,
            )
            .await?
        }
        None => old_lines.clone(),
    };
    let material = current.differs_materially(&next_fields) || settled != old_lines;
    let status = view::status_of(&model)?;
    let next_status = next(status, model.superseded, Action::Edit { material })?;
    let mut changes = columns(&next_fields, &settled);
    changes.status = Set(next_status.as_str().to_owned());
    if next_status != status {
        // The approval no longer covers what is offered.
        changes.approval_id = Set(None);
    }
    crate::versioned::update::<quote::Entity>(&txn, changes, id, model.version, storage).await?;
    if new_inputs.is_some() {
        lines::write(&txn, caller.tenant_id, id, &settled).await?;
    }
    let mut before = audit_view(&current, &old_lines);
    let mut after = audit_view(&next_fields, &settled);
    before["status"] = json!(status.as_str());
    after["status"] = json!(next_status.as_str());
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "quote",
        id,
        diff(&before, &after),
    )
    .await?;
    let model = find(&txn, caller, id).await?;
    if next_status != status {
        actions::announce(&txn, &model, next_status).await?;
    }
    let response = view::full(&txn, model, &settled).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Deletes a draft or rejected quote (kept with `deleted_at`). Deleting a revision makes the
/// version it revised the latest again.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    next(view::status_of(&model)?, model.superseded, Action::Delete)?;
    let old_lines = lines::stored(&txn, &model).await?;
    let deleted = quote::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<quote::Entity>(&txn, deleted, id, model.version, storage).await?;
    if let Some(previous) = model.revised_from {
        let previous = quote::Entity::find_by_id(previous)
            .filter(quote::Column::TenantId.eq(caller.tenant_id))
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(Error::NotFound)?;
        let restored = quote::ActiveModel {
            superseded: Set(false),
            ..Default::default()
        };
        crate::versioned::update::<quote::Entity>(
            &txn,
            restored,
            previous.id,
            previous.version,
            storage,
        )
        .await?;
    }
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "quote",
        id,
        diff(&audit_view(&fields_of(&model), &old_lines), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// What a printed quote shows besides the quote: the tenant's name, the buyer's address and
/// contact, and the seller's (the owner's) contact details.
pub struct Printable {
    pub quote: QuoteResponse,
    pub tenant_name: String,
    pub customer_address: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_mobile: Option<String>,
    pub contact_email: Option<String>,
    pub owner_phone: Option<String>,
    pub owner_email: Option<String>,
}

pub async fn printable(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Printable, Error> {
    use crate::entities::{contact, tenant, user};
    let quote = get(db, caller, id).await?;
    let tenant_name = tenant::Entity::find_by_id(caller.tenant_id)
        .one(db)
        .await
        .map_err(storage)?
        .map(|t| t.name)
        .unwrap_or_default();
    let customer = customer::Entity::find_by_id(quote.summary.customer_id)
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?;
    let customer_address = customer.and_then(|c| {
        let place: String = [c.province, c.city, c.address]
            .into_iter()
            .flatten()
            .collect();
        (!place.is_empty()).then_some(place)
    });
    let contact = match quote.contact_id {
        Some(id) => contact::Entity::find_by_id(id)
            .filter(contact::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?,
        None => None,
    };
    let owner = user::Entity::find_by_id(quote.summary.owner_id)
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?;
    Ok(Printable {
        contact_phone: contact.as_ref().and_then(|c| c.phone.clone()),
        contact_mobile: contact.as_ref().and_then(|c| c.mobile.clone()),
        contact_email: contact.and_then(|c| c.email),
        owner_phone: owner.as_ref().and_then(|u| u.phone.clone()),
        owner_email: owner.map(|u| u.email),
        quote,
        tenant_name,
        customer_address,
    })
}
