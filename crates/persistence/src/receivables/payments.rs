//! Payments (收款) and their allocation to instalments: oldest due first, or as the caller
//! lists them. What is not applied stays on the payment as the customer's credit.
//!
//! A payment is the customer's money: it is applied to the customer's owed instalments
//! whoever owns their orders. Two payments applied to one instalment at the same moment
//! meet at the instalment's version: the later one is retried on fresh figures.

use std::collections::HashMap;

use chrono::Datelike;
use crm_api_types::receivables::{
    AllocatePaymentRequest, AllocationRequest, AllocationResponse, CreatePaymentRequest,
    PaymentMethod, PaymentResponse,
};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::receivable::allocation::{
    OpenInstalment, PaymentFields, check_manual, oldest_first, parse_payment,
};
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{Caller, Error, FieldErrors, Violation, Visibility, new_id, now, today_in_china};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{customer, instalment, payment, payment_allocation, sales_order};
use crate::error::{storage, unique_violation};
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{money_from_units, to_units};
use crate::rollups::{self, orders::Orders};

/// How often a write that lost a race on an instalment is tried again.
const ATTEMPTS: usize = 3;

fn corrupt(id: Uuid) -> Error {
    Error::Storage(format!("payment {id} has an unknown method").into())
}

/// Payments of customers the caller sees.
fn visible(caller: &Caller) -> Select<payment::Entity> {
    let query = payment::Entity::find().filter(payment::Column::TenantId.eq(caller.tenant_id));
    if caller.visibility() == Visibility::All {
        return query;
    }
    let customers = crate::customers::visible(caller)
        .select_only()
        .column(customer::Column::Id)
        .into_query();
    query.filter(payment::Column::CustomerId.in_subquery(customers))
}

async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<payment::Model, Error> {
    visible(caller)
        .filter(payment::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

pub async fn get_payment(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<PaymentResponse, Error> {
    let model = find(db, caller, id).await?;
    Ok(responses(db, vec![model]).await?.remove(0))
}

#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    pub customer_id: Option<Uuid>,
    pub sales_order_id: Option<Uuid>,
    pub unapplied: bool,
    pub received_from: Option<chrono::NaiveDate>,
    pub received_to: Option<chrono::NaiveDate>,
}

pub struct PaymentPage {
    pub items: Vec<PaymentResponse>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

fn filtered(caller: &Caller, filter: &PaymentFilter) -> Select<payment::Entity> {
    let mut query = visible(caller);
    if let Some(v) = filter.customer_id {
        query = query.filter(payment::Column::CustomerId.eq(v));
    }
    if let Some(v) = filter.sales_order_id {
        let applied = payment_allocation::Entity::find()
            .select_only()
            .column(payment_allocation::Column::PaymentId)
            .filter(payment_allocation::Column::TenantId.eq(caller.tenant_id))
            .filter(payment_allocation::Column::SalesOrderId.eq(v))
            .into_query();
        query = query.filter(payment::Column::Id.in_subquery(applied));
    }
    if filter.unapplied {
        query = query.filter(payment::Column::Unapplied.gt(0));
    }
    if let Some(v) = filter.received_from {
        query = query.filter(payment::Column::ReceivedOn.gte(v));
    }
    if let Some(v) = filter.received_to {
        query = query.filter(payment::Column::ReceivedOn.lte(v));
    }
    query
}

/// Newest first.
pub async fn list_payments(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &PaymentFilter,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<PaymentPage, Error> {
    let keys = Keyset {
        column: payment::Column::CreatedAt,
        kind: KeyKind::Time,
        id: payment::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, filtered(caller, filter), keys, limit, cursor, |m| {
        Cursor {
            value: m.created_at.to_rfc3339(),
            id: m.id,
        }
    })
    .await?;
    let total = if include_total {
        Some(filtered(caller, filter).count(db).await.map_err(storage)?)
    } else {
        None
    };
    Ok(PaymentPage {
        items: responses(db, models).await?,
        next,
        total,
    })
}

async fn responses(
    db: &impl ConnectionTrait,
    models: Vec<payment::Model>,
) -> Result<Vec<PaymentResponse>, Error> {
    let Some(tenant_id) = models.first().map(|m| m.tenant_id) else {
        return Ok(Vec::new());
    };
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let rows = payment_allocation::Entity::find()
        .filter(payment_allocation::Column::TenantId.eq(tenant_id))
        .filter(payment_allocation::Column::PaymentId.is_in(ids))
        .order_by_asc(payment_allocation::Column::CreatedAt)
        .order_by_asc(payment_allocation::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let allocations = allocation_responses(db, tenant_id, &models, rows).await?;
    let customers = crate::customers::names(
        db,
        tenant_id,
        models.iter().map(|m| m.customer_id).collect(),
    )
    .await?;
    models
        .into_iter()
        .map(|m| {
            Ok(PaymentResponse {
                method: PaymentMethod::parse(&m.method).ok_or_else(|| corrupt(m.id))?,
                customer_name: customers.get(&m.customer_id).cloned().unwrap_or_default(),
                allocations: allocations.get(&m.id).cloned().unwrap_or_default(),
                amount: money_from_units(m.amount),
                allocated: money_from_units(m.allocated),
                unapplied: money_from_units(m.unapplied),
                id: m.id,
                number: m.number,
                customer_id: m.customer_id,
                received_on: m.received_on,
                currency: m.currency,
                reference: m.reference,
                note: m.note,
                external_source: m.external_source,
                external_id: m.external_id,
                created_by: m.created_by,
                version: m.version,
                created_at: m.created_at,
            })
        })
        .collect()
}

/// Allocations by payment, named by their order and instalment.
async fn allocation_responses(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    payments: &[payment::Model],
    rows: Vec<payment_allocation::Model>,
) -> Result<HashMap<Uuid, Vec<AllocationResponse>>, Error> {
    let instalment_ids: Vec<Uuid> = rows.iter().map(|r| r.instalment_id).collect();
    let order_ids: Vec<Uuid> = rows.iter().map(|r| r.sales_order_id).collect();
    let instalments: HashMap<Uuid, String> = if instalment_ids.is_empty() {
        HashMap::new()
    } else {
        instalment::Entity::find()
            .select_only()
            .column(instalment::Column::Id)
            .column(instalment::Column::Name)
            .filter(instalment::Column::TenantId.eq(tenant_id))
            .filter(instalment::Column::Id.is_in(instalment_ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .collect()
    };
    let orders: HashMap<Uuid, String> = if order_ids.is_empty() {
        HashMap::new()
    } else {
        sales_order::Entity::find()
            .select_only()
            .column(sales_order::Column::Id)
            .column(sales_order::Column::Number)
            .filter(sales_order::Column::TenantId.eq(tenant_id))
            .filter(sales_order::Column::Id.is_in(order_ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .collect()
    };
    let numbers: HashMap<Uuid, &str> = payments.iter().map(|p| (p.id, p.number.as_str())).collect();
    let mut by_payment: HashMap<Uuid, Vec<AllocationResponse>> = HashMap::new();
    for r in rows {
        by_payment
            .entry(r.payment_id)
            .or_default()
            .push(AllocationResponse {
                payment_id: r.payment_id,
                payment_number: numbers
                    .get(&r.payment_id)
                    .copied()
                    .unwrap_or_default()
                    .to_owned(),
                instalment_id: r.instalment_id,
                instalment_name: instalments
                    .get(&r.instalment_id)
                    .cloned()
                    .unwrap_or_default(),
                sales_order_id: r.sales_order_id,
                order_number: orders.get(&r.sales_order_id).cloned().unwrap_or_default(),
                amount: money_from_units(r.amount),
                created_at: r.created_at,
            });
    }
    Ok(by_payment)
}

/// How to apply a payment: as listed, or oldest due first (within one order if named).
enum Plan<'a> {
    Manual(&'a [AllocationRequest]),
    Auto { order: Option<Uuid> },
}

fn plan_of<'a>(
    allocations: Option<&'a [AllocationRequest]>,
    sales_order_id: Option<Uuid>,
) -> Result<Plan<'a>, Error> {
    match (allocations, sales_order_id) {
        (Some(_), Some(_)) => {
            Err(FieldErrors::single("sales_order_id", Violation::MutuallyExclusive).into())
        }
        (Some(list), None) => Ok(Plan::Manual(list)),
        (None, order) => Ok(Plan::Auto { order }),
    }
}

/// Records a payment from a customer and applies it.
pub async fn create_payment(
    db: &crate::Database,
    caller: &Caller,
    request: &CreatePaymentRequest,
    external: Option<&ExternalRef>,
) -> Result<PaymentResponse, Error> {
    let fields = parse_payment(request, today_in_china())?;
    let plan = plan_of(request.allocations.as_deref(), request.sales_order_id)?;
    for attempt in 1..=ATTEMPTS {
        let txn = db.begin().await.map_err(storage)?;
        let customer =
            crate::customers::find_referenced(&txn, caller, request.customer_id, "customer_id")
                .await?;
        if let Plan::Auto { order: Some(order) } = plan {
            check_order(&txn, caller, order, customer.id).await?;
        }
        let model = insert(&txn, caller, &customer, &fields, external).await?;
        match applied(&txn, caller, model, &plan).await {
            Ok(model) => {
                let response = responses(&txn, vec![model]).await?.remove(0);
                crate::outbox::emit(
                    &txn,
                    caller.tenant_id,
                    crm_domain::event::EventType::PaymentReceived,
                    response.id,
                    &received(&response),
                )
                .await?;
                crate::sync::note(&txn, caller, SyncedKind::Payment, external, response.id).await?;
                txn.commit().await.map_err(storage)?;
                return Ok(response);
            }
            Err(Error::StaleVersion { .. }) if attempt < ATTEMPTS => {
                txn.rollback().await.map_err(storage)?;
            }
            Err(Error::StaleVersion { .. }) => return Err(busy()),
            Err(e) => return Err(e),
        }
    }
    Err(busy())
}

/// The `payment.received` payload, with what the money went to, so an ERP can book it without
/// reading the payment. A new payment's allocations are the instalments it pays, so the list
/// stays short.
fn received(payment: &PaymentResponse) -> serde_json::Value {
    let allocations: Vec<_> = payment
        .allocations
        .iter()
        .map(|a| {
            json!({
                "instalment_id": a.instalment_id,
                "sales_order_id": a.sales_order_id,
                "order_number": a.order_number,
                "amount": a.amount.to_string(),
            })
        })
        .collect();
    json!({
        "payment_id": payment.id,
        "number": payment.number,
        "customer_id": payment.customer_id,
        "received_on": payment.received_on,
        "amount": payment.amount.to_string(),
        "currency": payment.currency,
        "allocated": payment.allocated.to_string(),
        "unapplied": payment.unapplied.to_string(),
        "allocations": allocations,
    })
}

fn busy() -> Error {
    Error::Conflict {
        code: "concurrent_update",
        field: None,
    }
}

/// The named order is the caller's to see and the customer's.
async fn check_order(
    db: &impl ConnectionTrait,
    caller: &Caller,
    order_id: Uuid,
    customer_id: Uuid,
) -> Result<(), Error> {
    match crate::sales_orders::find(db, caller, order_id).await {
        Ok(order) if order.customer_id == customer_id => Ok(()),
        Ok(_) | Err(Error::NotFound) => {
            Err(FieldErrors::single("sales_order_id", Violation::NotFound).into())
        }
        Err(e) => Err(e),
    }
}

async fn insert(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer: &customer::Model,
    fields: &PaymentFields,
    external: Option<&ExternalRef>,
) -> Result<payment::Model, Error> {
    let year = today_in_china().year();
    let sequence = crate::numbering::next(db, caller.tenant_id, "payment", year).await?;
    let at = now();
    let model = payment::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        external_source: Set(external.map(|e| e.source().to_owned())),
        external_id: Set(external.map(|e| e.id().to_owned())),
        number: Set(crm_domain::receivable::payment_number(year, sequence)),
        customer_id: Set(customer.id),
        received_on: Set(fields.received_on),
        amount: Set(to_units(fields.amount)),
        currency: Set(fields.currency.clone()),
        method: Set(fields.method.as_str().to_owned()),
        reference: Set(fields.reference.clone()),
        note: Set(fields.note.clone()),
        allocated: Set(0),
        unapplied: Set(to_units(fields.amount)),
        created_by: Set(caller.user_id),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    };
    let model = sea_orm::ActiveModelTrait::insert(model, db)
        .await
        .map_err(|e| {
            crate::sync::taken_or(e, |e| {
                unique_violation(
                    e,
                    &["ux_payments_number", "payments.number"],
                    "number_taken",
                    "number",
                )
            })
        })?;
    record(
        db,
        &Actor::from(caller),
        AuditAction::Created,
        "payment",
        model.id,
        diff(
            &serde_json::Value::Null,
            &json!({
                "number": model.number,
                "customer_id": model.customer_id,
                "received_on": model.received_on,
                "amount": fields.amount.to_string(),
                "currency": model.currency,
                "method": model.method,
                "reference": model.reference,
            }),
        ),
    )
    .await?;
    Ok(model)
}

/// The customer's owed instalments in the payment's currency (one order's, if named).
async fn open_instalments(
    db: &impl ConnectionTrait,
    payment: &payment::Model,
    order: Option<Uuid>,
) -> Result<Vec<instalment::Model>, Error> {
    let mut query = instalment::Entity::find()
        .filter(instalment::Column::TenantId.eq(payment.tenant_id))
        .filter(instalment::Column::CustomerId.eq(payment.customer_id))
        .filter(instalment::Column::Currency.eq(payment.currency.clone()))
        .filter(instalment::Column::Confirmed.eq(true))
        .filter(instalment::Column::Outstanding.gt(0));
    if let Some(order) = order {
        query = query.filter(instalment::Column::SalesOrderId.eq(order));
    }
    query
        .order_by_asc(instalment::Column::CreatedAt)
        .order_by_asc(instalment::Column::Position)
        .all(db)
        .await
        .map_err(storage)
}

/// `apply`, with the orders' rollups kept in step: the payment can only reach its customer's
/// instalments.
async fn applied(
    db: &impl ConnectionTrait,
    caller: &Caller,
    payment: payment::Model,
    plan: &Plan<'_>,
) -> Result<payment::Model, Error> {
    let customer = Orders::OfCustomer(payment.customer_id);
    rollups::retract(db, caller.tenant_id, customer).await?;
    let payment = apply(db, caller, payment, plan).await?;
    rollups::apply(db, caller.tenant_id, customer).await?;
    Ok(payment)
}

/// Applies the payment's unapplied amount per `plan`; returns the payment as updated.
async fn apply(
    db: &impl ConnectionTrait,
    caller: &Caller,
    payment: payment::Model,
    plan: &Plan<'_>,
) -> Result<payment::Model, Error> {
    let order = match plan {
        Plan::Auto { order } => *order,
        Plan::Manual(_) => None,
    };
    let rows = open_instalments(db, &payment, order).await?;
    let open: Vec<OpenInstalment> = rows
        .iter()
        .map(|m| OpenInstalment {
            id: m.id,
            due_date: m.due_date,
            outstanding: money_from_units(m.outstanding),
        })
        .collect();
    let available = money_from_units(payment.unapplied);
    let allocations = match plan {
        Plan::Manual(requests) => check_manual(available, requests, &open)?,
        Plan::Auto { .. } => oldest_first(available, &open),
    };
    if allocations.is_empty() {
        return Ok(payment);
    }
    let at = now();
    let mut applied = Decimal::ZERO;
    let mut by_order: HashMap<Uuid, Decimal> = HashMap::new();
    for (instalment_id, amount) in &allocations {
        let Some(row) = rows.iter().find(|m| m.id == *instalment_id) else {
            continue;
        };
        let units = to_units(*amount);
        let changes = instalment::ActiveModel {
            paid_amount: Set(row.paid_amount + units),
            outstanding: Set(row.outstanding - units),
            ..Default::default()
        };
        crate::versioned::update::<instalment::Entity>(db, changes, row.id, row.version, storage)
            .await?;
        let allocation = payment_allocation::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(payment.tenant_id),
            payment_id: Set(payment.id),
            instalment_id: Set(row.id),
            sales_order_id: Set(row.sales_order_id),
            amount: Set(units),
            created_by: Set(caller.user_id),
            created_at: Set(at),
        };
        sea_orm::ActiveModelTrait::insert(allocation, db)
            .await
            .map_err(storage)?;
        applied += *amount;
        *by_order.entry(row.sales_order_id).or_default() += *amount;
    }
    for (order_id, amount) in &by_order {
        let order = crate::sales_orders::find_in_tenant(db, payment.tenant_id, *order_id).await?;
        let changes = sales_order::ActiveModel {
            received_amount: Set(order.received_amount + to_units(*amount)),
            ..Default::default()
        };
        crate::versioned::update::<sales_order::Entity>(
            db,
            changes,
            order.id,
            order.version,
            storage,
        )
        .await?;
    }
    let changes = payment::ActiveModel {
        allocated: Set(payment.allocated + to_units(applied)),
        unapplied: Set(payment.unapplied - to_units(applied)),
        ..Default::default()
    };
    crate::versioned::update::<payment::Entity>(db, changes, payment.id, payment.version, storage)
        .await?;
    let applied_view: Vec<_> = allocations
        .iter()
        .map(|(id, amount)| json!({"instalment_id": id, "amount": amount.to_string()}))
        .collect();
    record(
        db,
        &Actor::from(caller),
        AuditAction::Updated,
        "payment",
        payment.id,
        diff(
            &json!({"unapplied": money_from_units(payment.unapplied).to_string()}),
            &json!({
                "unapplied": (available - applied).to_string(),
                "allocations": applied_view,
            }),
        ),
    )
    .await?;
    payment::Entity::find_by_id(payment.id)
        .filter(payment::Column::TenantId.eq(payment.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

/// Applies what is left of a payment (the customer's credit) to their instalments.
pub async fn allocate_payment(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    request: &AllocatePaymentRequest,
) -> Result<PaymentResponse, Error> {
    let plan = plan_of(request.allocations.as_deref(), request.sales_order_id)?;
    for attempt in 1..=ATTEMPTS {
        let txn = db.begin().await.map_err(storage)?;
        let model = find(&txn, caller, id).await?;
        if let Plan::Auto { order: Some(order) } = plan {
            check_order(&txn, caller, order, model.customer_id).await?;
        }
        if model.unapplied == 0 {
            return Err(Error::Conflict {
                code: "nothing_unapplied",
                field: None,
            });
        }
        match applied(&txn, caller, model, &plan).await {
            Ok(model) => {
                let response = responses(&txn, vec![model]).await?.remove(0);
                txn.commit().await.map_err(storage)?;
                return Ok(response);
            }
            Err(Error::StaleVersion { .. }) if attempt < ATTEMPTS => {
                txn.rollback().await.map_err(storage)?;
            }
            Err(Error::StaleVersion { .. }) => return Err(busy()),
            Err(e) => return Err(e),
        }
    }
    Err(busy())
}
