//! Sales orders, scoped by tenant and by the caller's data scope: the owner's chain of
//! managers, plus the approvers named on the order's approval requests.
//!
//! An order starts as a draft, from an accepted quote (its lines and prices carried over) or
//! entered directly; it is confirmed through the approval engine, shipped in parts, signed
//! for, and paid through its collection plan (`crate::receivables`).

mod actions;
mod lines;
mod shipments;
mod timeline;
mod view;

use std::collections::HashSet;

use chrono::Datelike;
use crm_api_types::quotes::QuoteStatus;
use crm_api_types::sales_orders::{
    SalesOrderResponse, SalesOrderStatus, SalesOrderSummary, UpdateSalesOrderRequest,
};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::listing::Sort;
use crm_domain::quote::QuoteLine;
use crm_domain::sales_order::status::{Action, next};
use crm_domain::sales_order::{OrderDefaults, OrderFields, OrderLineInput};
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{
    Caller, Error, FieldErrors, Violation, Visibility, check_version, new_id, now, today_in_china,
};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Select, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

pub(crate) use actions::approval_ended;
pub use actions::{cancel, credit_check, submit};
pub(crate) use lines::OrderLine;
pub use shipments::{
    create_shipment, deliver_shipment, overdue_deliveries, shipment_order, shipments,
};
pub use timeline::timeline;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{customer, quote, sales_order, sales_order_line};
use crate::error::{storage, unique_violation};
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::from_units;
use crate::rollups::{self, orders::Orders};
use crate::scope::{matching_text, owned_or_to_approve};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesOrderSortKey {
    CreatedAt,
    UpdatedAt,
    OrderDate,
    Total,
    Number,
}

impl SalesOrderSortKey {
    pub const NAMES: [(&'static str, SalesOrderSortKey); 5] = [
        ("created_at", Self::CreatedAt),
        ("updated_at", Self::UpdatedAt),
        ("order_date", Self::OrderDate),
        ("total", Self::Total),
        ("number", Self::Number),
    ];

    fn keyset(self, descending: bool) -> Keyset<sales_order::Column> {
        let (column, kind) = match self {
            Self::CreatedAt => (sales_order::Column::CreatedAt, KeyKind::Time),
            Self::UpdatedAt => (sales_order::Column::UpdatedAt, KeyKind::Time),
            Self::OrderDate => (sales_order::Column::OrderDate, KeyKind::Date),
            Self::Total => (sales_order::Column::Total, KeyKind::Int),
            Self::Number => (sales_order::Column::Number, KeyKind::Text),
        };
        Keyset {
            column,
            kind,
            id: sales_order::Column::Id,
            descending,
        }
    }

    fn position(self, model: &sales_order::Model) -> Cursor {
        let value = match self {
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
            Self::OrderDate => model.order_date.to_string(),
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
pub struct SalesOrderFilter {
    pub q: Option<String>,
    pub status: Option<SalesOrderStatus>,
    pub customer_id: Option<Uuid>,
    pub quote_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The department's path: owners in it or below.
    pub department_path: Option<String>,
    pub order_date_from: Option<chrono::NaiveDate>,
    pub order_date_to: Option<chrono::NaiveDate>,
    pub product_id: Option<Uuid>,
}

pub struct SalesOrderPage {
    pub items: Vec<SalesOrderSummary>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

fn live(tenant_id: Uuid) -> Select<sales_order::Entity> {
    sales_order::Entity::find()
        .filter(sales_order::Column::TenantId.eq(tenant_id))
        .filter(sales_order::Column::DeletedAt.is_null())
}

fn scope(caller: &Caller) -> Condition {
    owned_or_to_approve(
        caller,
        sales_order::Column::OwnerId,
        sales_order::Column::Id,
        crm_api_types::approvals::DocumentKind::SalesOrder,
    )
}

/// Live orders the caller sees.
pub(crate) fn visible(caller: &Caller) -> Select<sales_order::Entity> {
    match caller.visibility() {
        Visibility::All => live(caller.tenant_id),
        _ => live(caller.tenant_id).filter(scope(caller)),
    }
}

/// The ids of the orders the caller sees, for other records' visibility.
pub(crate) fn visible_ids(caller: &Caller) -> SelectStatement {
    let mut query = Query::select()
        .column(sales_order::Column::Id)
        .from(sales_order::Entity)
        .and_where(sales_order::Column::TenantId.eq(caller.tenant_id))
        .and_where(sales_order::Column::DeletedAt.is_null())
        .to_owned();
    if caller.visibility() != Visibility::All {
        query.cond_where(scope(caller));
    }
    query
}

fn filtered(caller: &Caller, filter: &SalesOrderFilter) -> Select<sales_order::Entity> {
    let mut query = visible(caller);
    if let Some(matching) = matching_text(
        caller,
        filter.q.as_deref(),
        &[
            sales_order::Column::Number,
            sales_order::Column::Title,
            sales_order::Column::CustomerPo,
        ],
        sales_order::Column::CustomerId,
    ) {
        query = query.filter(matching);
    }
    if let Some(v) = filter.status {
        query = query.filter(sales_order::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = filter.customer_id {
        query = query.filter(sales_order::Column::CustomerId.eq(v));
    }
    if let Some(v) = filter.quote_id {
        query = query.filter(sales_order::Column::QuoteId.eq(v));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(sales_order::Column::OwnerId.eq(v));
    }
    if let Some(path) = &filter.department_path {
        query = query.filter(crate::scope::owned_in_department_tree(
            caller.tenant_id,
            sales_order::Column::OwnerId,
            path,
        ));
    }
    if let Some(v) = filter.order_date_from {
        query = query.filter(sales_order::Column::OrderDate.gte(v));
    }
    if let Some(v) = filter.order_date_to {
        query = query.filter(sales_order::Column::OrderDate.lte(v));
    }
    if let Some(v) = filter.product_id {
        let with_product = Query::select()
            .column(sales_order_line::Column::SalesOrderId)
            .from(sales_order_line::Entity)
            .and_where(sales_order_line::Column::TenantId.eq(caller.tenant_id))
            .and_where(sales_order_line::Column::ProductId.eq(v))
            .to_owned();
        query = query.filter(sales_order::Column::Id.in_subquery(with_product));
    }
    query
}

pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &SalesOrderFilter,
    sort: Sort<SalesOrderSortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<SalesOrderPage, Error> {
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
    Ok(SalesOrderPage {
        items: view::summaries(db, caller.tenant_id, models).await?,
        next,
        total,
    })
}

/// A live order the caller sees.
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<sales_order::Model, Error> {
    visible(caller)
        .filter(sales_order::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

/// A live order of the caller's tenant, whoever sees it: for work done within a request
/// the caller was allowed (an approval, a payment applied to the customer's debts).
pub(crate) async fn find_in_tenant(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<sales_order::Model, Error> {
    live(tenant_id)
        .filter(sales_order::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<SalesOrderResponse, Error> {
    let model = find(db, caller, id).await?;
    view::full(db, model).await
}

/// What a new order starts from: its customer, and from a quote its defaults and lines.
pub struct Origin {
    pub customer_id: Uuid,
    pub quote_id: Option<Uuid>,
    pub contract_id: Option<Uuid>,
    pub defaults: OrderDefaults,
    /// The quote's lines, exactly as priced there.
    lines: Option<Vec<QuoteLine>>,
}

/// Finds the customer (and the quote's or contract's terms and lines) for a new order. A
/// quote must be accepted, the latest version, and not on another live order; a contract must
/// be active (it may have several orders).
pub async fn origin(
    db: &impl ConnectionTrait,
    caller: &Caller,
    quote_id: Option<Uuid>,
    contract_id: Option<Uuid>,
    customer_id: Option<Uuid>,
) -> Result<Origin, Error> {
    if let Some(contract_id) = contract_id {
        if quote_id.is_some() {
            return Err(FieldErrors::single("contract_id", Violation::MutuallyExclusive).into());
        }
        let source = crate::contracts::order_source(db, caller, contract_id).await?;
        if customer_id.is_some_and(|c| c != source.customer_id) {
            return Err(FieldErrors::single("customer_id", Violation::MutuallyExclusive).into());
        }
        return Ok(Origin {
            customer_id: source.customer_id,
            quote_id: None,
            contract_id: Some(contract_id),
            defaults: OrderDefaults {
                currency: Some(source.currency),
                contact_id: source.contact_id,
                payment_terms: source.payment_terms,
                delivery_terms: source.delivery_terms,
                notes: None,
                header_discount_percent: Some(source.header_discount_percent),
            },
            lines: Some(source.lines),
        });
    }
    let empty = OrderDefaults {
        currency: None,
        contact_id: None,
        payment_terms: None,
        delivery_terms: None,
        notes: None,
        header_discount_percent: None,
    };
    let Some(quote_id) = quote_id else {
        let Some(customer_id) = customer_id else {
            return Err(FieldErrors::single("customer_id", Violation::Required).into());
        };
        crate::customers::find_referenced(db, caller, customer_id, "customer_id").await?;
        return Ok(Origin {
            customer_id,
            quote_id: None,
            contract_id: None,
            defaults: empty,
            lines: None,
        });
    };
    let quote = match crate::quotes::find(db, caller, quote_id).await {
        Ok(model) => model,
        Err(Error::NotFound) => {
            return Err(FieldErrors::single("quote_id", Violation::NotFound).into());
        }
        Err(e) => return Err(e),
    };
    if customer_id.is_some_and(|c| c != quote.customer_id) {
        return Err(FieldErrors::single("customer_id", Violation::MutuallyExclusive).into());
    }
    if quote.status != QuoteStatus::Accepted.as_str() || quote.superseded {
        return Err(Error::Conflict {
            code: "quote_not_accepted",
            field: Some("quote_id"),
        });
    }
    let ordered = live(caller.tenant_id)
        .filter(sales_order::Column::QuoteId.eq(quote.id))
        .filter(sales_order::Column::Status.ne(SalesOrderStatus::Cancelled.as_str()))
        .count(db)
        .await
        .map_err(storage)?;
    if ordered > 0 {
        return Err(Error::Conflict {
            code: "quote_already_ordered",
            field: Some("quote_id"),
        });
    }
    let lines = crate::quotes::stored_lines(db, &quote).await?;
    Ok(Origin {
        customer_id: quote.customer_id,
        quote_id: Some(quote.id),
        contract_id: None,
        defaults: OrderDefaults {
            currency: Some(quote.currency.clone()),
            contact_id: quote.contact_id,
            payment_terms: quote.payment_terms.clone(),
            delivery_terms: quote.delivery_terms.clone(),
            notes: quote.notes.clone(),
            header_discount_percent: Some(from_units(quote.header_discount_percent)),
        },
        lines: Some(lines),
    })
}

/// The fields of a stored order.
fn fields_of(m: &sales_order::Model) -> OrderFields {
    OrderFields {
        customer_id: m.customer_id,
        contact_id: m.contact_id,
        title: m.title.clone(),
        currency: m.currency.clone(),
        order_date: m.order_date,
        customer_po: m.customer_po.clone(),
        shipping_address: m.shipping_address.clone(),
        payment_terms: m.payment_terms.clone(),
        delivery_terms: m.delivery_terms.clone(),
        notes: m.notes.clone(),
        internal_note: m.internal_note.clone(),
        header_discount_percent: from_units(m.header_discount_percent),
        owner_id: m.owner_id,
    }
}

/// The columns the fields and lines decide.
fn columns(fields: &OrderFields, lines: &[QuoteLine]) -> sales_order::ActiveModel {
    let mut active = lines::totals_columns(lines, fields.header_discount_percent);
    active.customer_id = Set(fields.customer_id);
    active.contact_id = Set(fields.contact_id);
    active.title = Set(fields.title.clone());
    active.currency = Set(fields.currency.clone());
    active.order_date = Set(fields.order_date);
    active.customer_po = Set(fields.customer_po.clone());
    active.shipping_address = Set(fields.shipping_address.clone());
    active.payment_terms = Set(fields.payment_terms.clone());
    active.delivery_terms = Set(fields.delivery_terms.clone());
    active.notes = Set(fields.notes.clone());
    active.internal_note = Set(fields.internal_note.clone());
    active.owner_id = Set(fields.owner_id);
    active
}

fn audit_view(fields: &OrderFields, lines: &[(QuoteLine, Option<chrono::NaiveDate>)]) -> Value {
    let mut view = fields.audit_view();
    view["lines"] = json!(
        lines
            .iter()
            .map(|(l, promised)| json!({
                "product_id": l.product_id,
                "name": l.name,
                "quantity": l.quantity.normalize().to_string(),
                "unit_price": l.unit_price.normalize().to_string(),
                "discount_percent": l.discount_percent.normalize().to_string(),
                "promised_date": promised,
            }))
            .collect::<Vec<_>>()
    );
    view
}

/// Settles asked lines against the catalogue and the customer's price lists.
async fn settle(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer: &customer::Model,
    fields: &OrderFields,
    inputs: &[OrderLineInput],
    kept: &HashSet<Uuid>,
) -> Result<Vec<(QuoteLine, Option<chrono::NaiveDate>)>, Error> {
    let asked: Vec<_> = inputs.iter().map(|i| i.line.clone()).collect();
    let settled = crate::quotes::settle_lines(
        db,
        caller.tenant_id,
        customer,
        &fields.currency,
        &asked,
        kept,
        fields.header_discount_percent,
    )
    .await?;
    Ok(settled
        .into_iter()
        .zip(inputs.iter().map(|i| i.promised_date))
        .collect())
}

/// Checks what the fields point at (only what changed since `current`) and returns the
/// customer.
async fn check_references(
    db: &impl ConnectionTrait,
    caller: &Caller,
    fields: &OrderFields,
    current: Option<&OrderFields>,
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

/// A new draft with a number from the tenant's series. Lines taken from the quote get
/// `promised_date`.
pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    origin: Origin,
    fields: OrderFields,
    inputs: Option<Vec<OrderLineInput>>,
    promised_date: Option<chrono::NaiveDate>,
    external: Option<&ExternalRef>,
) -> Result<SalesOrderResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let customer = check_references(&txn, caller, &fields, None).await?;
    let settled = match (inputs, origin.lines) {
        (Some(inputs), _) => {
            settle(&txn, caller, &customer, &fields, &inputs, &HashSet::new()).await?
        }
        (None, Some(quoted)) => quoted.into_iter().map(|l| (l, promised_date)).collect(),
        (None, None) => return Err(FieldErrors::single("lines", Violation::Required).into()),
    };
    if settled.is_empty() {
        return Err(FieldErrors::single("lines", Violation::Required).into());
    }
    let year = today_in_china().year();
    let sequence = crate::numbering::next(&txn, caller.tenant_id, "sales_order", year).await?;
    let quoted: Vec<QuoteLine> = settled.iter().map(|(l, _)| l.clone()).collect();
    let at = now();
    let id = new_id();
    let mut active = columns(&fields, &quoted);
    active.id = Set(id);
    active.tenant_id = Set(caller.tenant_id);
    active.number = Set(crm_domain::sales_order::number(year, sequence));
    (active.external_source, active.external_id) = {
        let (source, id) = crate::sync::columns(external);
        (Set(source), Set(id))
    };
    active.quote_id = Set(origin.quote_id);
    active.contract_id = Set(origin.contract_id);
    active.cancelled_amount = Set(0);
    active.received_amount = Set(0);
    active.invoiced_amount = Set(0);
    active.status = Set(SalesOrderStatus::Draft.as_str().to_owned());
    active.approval_id = Set(None);
    active.next_promised_date = Set(settled.iter().filter_map(|(_, d)| *d).min());
    active.confirmed_on = Set(None);
    active.first_shipped_on = Set(None);
    active.fully_shipped_on = Set(None);
    active.accepted_on = Set(None);
    active.confirmed_at = Set(None);
    active.cancelled_at = Set(None);
    active.cancel_reason = Set(None);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    let model = sea_orm::ActiveModelTrait::insert(active, &txn)
        .await
        .map_err(|e| {
            crate::sync::taken_or(e, |e| {
                unique_violation(
                    e,
                    &["ux_sales_orders_number", "sales_orders.number"],
                    "number_taken",
                    "number",
                )
            })
        })?;
    lines::write(
        &txn,
        caller.tenant_id,
        id,
        &settled,
        fields.header_discount_percent,
    )
    .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "sales_order",
        id,
        diff(&Value::Null, &audit_view(&fields, &settled)),
    )
    .await?;
    actions::announce(
        &txn,
        &model,
        crm_domain::event::EventType::SalesOrderCreated,
    )
    .await?;
    crate::sync::note(&txn, caller, SyncedKind::SalesOrder, external, id).await?;
    let response = view::full(&txn, model).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Edits an order: every field of a draft; the PO number, address, internal note, owner and
/// promised dates of a submitted one.
pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateSalesOrderRequest,
    external: Option<&ExternalRef>,
) -> Result<SalesOrderResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let status = view::status_of(&model)?;
    let draft = status == SalesOrderStatus::Draft;
    next(
        status,
        if draft {
            Action::EditAll
        } else {
            Action::EditLimited
        },
    )?;
    if patch.lines.is_some() && patch.promised_dates.is_some() {
        // New lines carry their own promised dates; moving the old lines' dates as well
        // would be dropped without a word.
        return Err(FieldErrors::single("promised_dates", Violation::MutuallyExclusive).into());
    }
    let current = fields_of(&model);
    let (next_fields, new_inputs) = current.apply(patch, draft)?;
    let mut stored = lines::stored(&txn, &model).await?;
    let before_lines: Vec<_> = stored
        .iter()
        .map(|l| (l.line.clone(), l.promised_date))
        .collect();
    if next_fields.currency != current.currency && new_inputs.is_none() {
        return Err(FieldErrors::single("currency", Violation::ReadOnly).into());
    }
    let customer = check_references(&txn, caller, &next_fields, Some(&current)).await?;
    let replaced = match &new_inputs {
        Some(inputs) => {
            let kept: HashSet<Uuid> = stored.iter().filter_map(|l| l.line.product_id).collect();
            Some(settle(&txn, caller, &customer, &next_fields, inputs, &kept).await?)
        }
        None => None,
    };
    if replaced.as_ref().is_some_and(Vec::is_empty) {
        return Err(FieldErrors::single("lines", Violation::Required).into());
    }
    if let Some(changes) = &patch.promised_dates {
        move_promised_dates(&mut stored, changes)?;
    }
    let after_lines: Vec<_> = match &replaced {
        Some(lines) => lines.clone(),
        None => stored
            .iter()
            .map(|l| (l.line.clone(), l.promised_date))
            .collect(),
    };
    let quoted: Vec<QuoteLine> = after_lines.iter().map(|(l, _)| l.clone()).collect();
    let mut changes = columns(&next_fields, &quoted);
    changes.next_promised_date = Set(match &replaced {
        Some(lines) => lines.iter().filter_map(|(_, d)| *d).min(),
        None => lines::next_promised_date(&stored),
    });
    // The owner (their department), the promised dates and the plan are what the rollups
    // sum by.
    rollups::retract(&txn, caller.tenant_id, Orders::One(id)).await?;
    crate::versioned::update::<sales_order::Entity>(&txn, changes, id, model.version, storage)
        .await?;
    match &replaced {
        Some(lines) => {
            lines::write(
                &txn,
                caller.tenant_id,
                id,
                lines,
                next_fields.header_discount_percent,
            )
            .await?;
        }
        None if patch.promised_dates.is_some() => {
            for line in &stored {
                lines::write_progress(&txn, line).await?;
            }
        }
        None => {}
    }
    let model = find(&txn, caller, id).await?;
    if next_fields.owner_id != current.owner_id {
        crate::receivables::follow_owner(&txn, &model).await?;
    }
    if draft {
        crate::receivables::fit_plan(&txn, &model).await?;
    }
    rollups::apply(&txn, caller.tenant_id, Orders::One(id)).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "sales_order",
        id,
        diff(
            &audit_view(&current, &before_lines),
            &audit_view(&next_fields, &after_lines),
        ),
    )
    .await?;
    crate::sync::note(&txn, caller, SyncedKind::SalesOrder, external, id).await?;
    let response = view::full(&txn, model).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// 改交期: new promised dates for lines still to ship.
fn move_promised_dates(
    lines: &mut [OrderLine],
    changes: &[crm_api_types::sales_orders::PromisedDateChange],
) -> Result<(), Error> {
    let mut errors = FieldErrors::new();
    let mut seen = HashSet::new();
    for (i, change) in changes.iter().enumerate() {
        let field = format!("promised_dates[{i}].line_id");
        if !seen.insert(change.line_id) {
            errors.add(&field, Violation::Duplicate);
            continue;
        }
        match lines.iter_mut().find(|l| l.id == change.line_id) {
            Some(line) if line.progress.open() > rust_decimal::Decimal::ZERO => {
                line.promised_date = Some(change.promised_date);
            }
            Some(_) => errors.add(&field, Violation::ReadOnly),
            None => errors.add(&field, Violation::NotFound),
        }
    }
    Ok(errors.finish(())?)
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
    next(view::status_of(&model)?, Action::Delete)?;
    rollups::retract(&txn, caller.tenant_id, Orders::One(id)).await?;
    let deleted = sales_order::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<sales_order::Entity>(&txn, deleted, id, model.version, storage)
        .await?;
    crate::receivables::drop_plan(&txn, &model).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "sales_order",
        id,
        diff(&fields_of(&model).audit_view(), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// The quote an order came from, for its summary.
pub(crate) async fn quote_numbers(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    ids: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, Error> {
    use sea_orm::QuerySelect;
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(quote::Entity::find()
        .select_only()
        .column(quote::Column::Id)
        .column(quote::Column::Number)
        .filter(quote::Column::TenantId.eq(tenant_id))
        .filter(quote::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .collect())
}
