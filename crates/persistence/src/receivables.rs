//! Receivables: an order's collection plan (its instalments), payments applied to them,
//! invoices, aging and credit.
//!
//! Money is conserved by construction: an allocation is written together with the
//! instalment's paid amount and the payment's unapplied amount in one transaction, under the
//! instalment's and the payment's versions, and the domain checks never let an allocation
//! exceed either.

mod aging;
mod balances;
mod invoices;
mod payments;

use crm_api_types::receivables::{CollectionPlanRequest, DueRule, InstalmentResponse};
use crm_api_types::sales_orders::{SalesOrderResponse, SalesOrderStatus};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::receivable::aging::instalment_status;
use crm_domain::receivable::plan::{self, EventDates, Instalment};
use crm_domain::{Caller, Error, new_id, now, today_in_china};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

pub(crate) use aging::credit_of;
pub use aging::set_credit_limit;
pub use aging::{AgingFilter, ReceivableFilter, ReceivablePage, aging, customer_credit, list};
pub use balances::refresh as refresh_aging;
pub(crate) use invoices::invoices_of;
pub use invoices::{create_invoice, invoice_order};
pub use payments::{
    PaymentFilter, PaymentPage, allocate_payment, create_payment, get_payment, list_payments,
};

use crate::audit::{Actor, record};
use crate::entities::{instalment, sales_order};
use crate::error::storage;
use crate::money::{from_units, money_from_units, to_units};
use crate::rollups::{self, orders::Orders};

fn corrupt(id: Uuid) -> Error {
    Error::Storage(format!("instalment {id} has an unreadable due rule").into())
}

/// What the customer owes on the order: its total less what was cancelled.
pub(crate) fn owed(order: &sales_order::Model) -> Decimal {
    money_from_units(order.total - order.cancelled_amount)
}

fn events_of(order: &sales_order::Model) -> EventDates {
    EventDates {
        order_confirmed: order.confirmed_on,
        first_shipment: order.first_shipped_on,
        fully_shipped: order.fully_shipped_on,
        accepted: order.accepted_on,
    }
}

/// Whether the order's instalments are owed: it was confirmed and not cancelled.
fn is_confirmed(order: &sales_order::Model) -> bool {
    order.confirmed_on.is_some() && order.status != SalesOrderStatus::Cancelled.as_str()
}

async fn stored(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<Vec<instalment::Model>, Error> {
    instalment::Entity::find()
        .filter(instalment::Column::TenantId.eq(order.tenant_id))
        .filter(instalment::Column::SalesOrderId.eq(order.id))
        .order_by_asc(instalment::Column::Position)
        .all(db)
        .await
        .map_err(storage)
}

fn rule_of(m: &instalment::Model) -> Result<DueRule, Error> {
    serde_json::from_str(&m.due_rule).map_err(|_| corrupt(m.id))
}

pub(crate) fn response(m: &instalment::Model) -> Result<InstalmentResponse, Error> {
    let outstanding = money_from_units(m.outstanding);
    let (status, days_overdue) = instalment_status(outstanding, m.due_date, today_in_china());
    Ok(InstalmentResponse {
        id: m.id,
        sales_order_id: m.sales_order_id,
        position: u32::try_from(m.position).unwrap_or_default(),
        name: m.name.clone(),
        percent: m.percent.map(from_units),
        amount: money_from_units(m.amount),
        due: rule_of(m)?,
        due_date: m.due_date,
        paid_amount: money_from_units(m.paid_amount),
        outstanding,
        status,
        days_overdue,
    })
}

pub(crate) async fn instalments_of(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<Vec<InstalmentResponse>, Error> {
    stored(db, order).await?.iter().map(response).collect()
}

/// Makes the order's plan `planned`, keeping each position's id and payments (the domain
/// checked that no instalment goes below what was paid on it).
async fn write_plan(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
    existing: &[instalment::Model],
    planned: &[Instalment],
) -> Result<(), Error> {
    let events = events_of(order);
    let confirmed = is_confirmed(order);
    let at = now();
    for (i, wanted) in planned.iter().enumerate() {
        let due_rule =
            serde_json::to_string(&wanted.due).map_err(|e| Error::Storage(Box::new(e)))?;
        let due_date = plan::due_date(wanted.due, &events);
        match existing.get(i) {
            Some(current) => {
                let changes = instalment::ActiveModel {
                    name: Set(wanted.name.clone()),
                    percent: Set(wanted.percent.map(to_units)),
                    amount: Set(to_units(wanted.amount)),
                    due_rule: Set(due_rule),
                    due_date: Set(due_date),
                    outstanding: Set(to_units(wanted.amount) - current.paid_amount),
                    owner_id: Set(order.owner_id),
                    confirmed: Set(confirmed),
                    ..Default::default()
                };
                crate::versioned::update::<instalment::Entity>(
                    db,
                    changes,
                    current.id,
                    current.version,
                    storage,
                )
                .await?;
            }
            None => {
                let row = instalment::ActiveModel {
                    id: Set(new_id()),
                    tenant_id: Set(order.tenant_id),
                    sales_order_id: Set(order.id),
                    customer_id: Set(order.customer_id),
                    owner_id: Set(order.owner_id),
                    currency: Set(order.currency.clone()),
                    position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                    name: Set(wanted.name.clone()),
                    percent: Set(wanted.percent.map(to_units)),
                    amount: Set(to_units(wanted.amount)),
                    due_rule: Set(due_rule),
                    due_date: Set(due_date),
                    paid_amount: Set(0),
                    outstanding: Set(to_units(wanted.amount)),
                    confirmed: Set(confirmed),
                    overdue_announced: Set(false),
                    version: Set(1),
                    created_at: Set(at),
                    updated_at: Set(at),
                };
                sea_orm::ActiveModelTrait::insert(row, db)
                    .await
                    .map_err(storage)?;
            }
        }
    }
    let extra: Vec<Uuid> = existing.iter().skip(planned.len()).map(|m| m.id).collect();
    if !extra.is_empty() {
        instalment::Entity::delete_many()
            .filter(instalment::Column::TenantId.eq(order.tenant_id))
            .filter(instalment::Column::Id.is_in(extra))
            .exec(db)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

fn plan_view(rows: &[instalment::Model]) -> serde_json::Value {
    json!(
        rows.iter()
            .map(|m| json!({
                "name": m.name,
                "amount": money_from_units(m.amount).to_string(),
                "due": m.due_rule,
            }))
            .collect::<Vec<_>>()
    )
}

fn planned_view(planned: &[Instalment]) -> serde_json::Value {
    json!(
        planned
            .iter()
            .map(|p| json!({
                "name": p.name,
                "amount": p.amount.to_string(),
                "due": serde_json::to_string(&p.due).unwrap_or_default(),
            }))
            .collect::<Vec<_>>()
    )
}

/// Replaces an order's collection plan (收款计划). Any order but a cancelled one; the plan
/// must add up to what is owed.
pub async fn set_plan(
    db: &crate::Database,
    caller: &Caller,
    order_id: Uuid,
    request: &CollectionPlanRequest,
) -> Result<SalesOrderResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let order = crate::sales_orders::find(&txn, caller, order_id).await?;
    if order.status == SalesOrderStatus::Cancelled.as_str() {
        return Err(Error::Conflict {
            code: "invalid_transition",
            field: Some("status"),
        });
    }
    let existing = stored(&txn, &order).await?;
    let paid: Vec<Decimal> = existing
        .iter()
        .map(|m| money_from_units(m.paid_amount))
        .collect();
    let planned = plan::parse(request, owed(&order), &paid)?;
    rollups::retract(&txn, caller.tenant_id, Orders::One(order.id)).await?;
    write_plan(&txn, &order, &existing, &planned).await?;
    rollups::apply(&txn, caller.tenant_id, Orders::One(order.id)).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "collection_plan",
        order.id,
        diff(
            &json!({"instalments": plan_view(&existing)}),
            &json!({"instalments": planned_view(&planned)}),
        ),
    )
    .await?;
    let response = crate::sales_orders::get(&txn, caller, order_id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// The plan as stored, read back as the domain's instalments.
fn as_planned(rows: &[instalment::Model]) -> Result<Vec<Instalment>, Error> {
    rows.iter()
        .map(|m| {
            Ok(Instalment {
                name: m.name.clone(),
                percent: m.percent.map(from_units),
                amount: money_from_units(m.amount),
                due: rule_of(m)?,
            })
        })
        .collect()
}

/// A draft's total changed: a plan of percentages follows it; a plan whose fixed amounts no
/// longer add up becomes the default plan again.
pub(crate) async fn fit_plan(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<(), Error> {
    let existing = stored(db, order).await?;
    if existing.is_empty() {
        return Ok(());
    }
    let request = CollectionPlanRequest {
        instalments: as_planned(&existing)?
            .into_iter()
            .map(|p| crm_api_types::receivables::InstalmentRequest {
                name: Some(p.name),
                amount: p.percent.is_none().then_some(p.amount),
                percent: p.percent,
                due: p.due,
            })
            .collect(),
    };
    let planned =
        plan::parse(&request, owed(order), &[]).unwrap_or_else(|_| plan::default_plan(owed(order)));
    write_plan(db, order, &existing, &planned).await
}

/// On confirmation: the default plan when there is none, and the plan's instalments become
/// owed, with due dates counted from today.
pub(crate) async fn ensure_plan(
    db: &impl ConnectionTrait,
    actor: &Actor,
    order: &sales_order::Model,
) -> Result<(), Error> {
    let existing = stored(db, order).await?;
    let planned = if existing.is_empty() {
        let planned = plan::default_plan(owed(order));
        record(
            db,
            actor,
            AuditAction::Created,
            "collection_plan",
            order.id,
            diff(
                &serde_json::Value::Null,
                &json!({"instalments": planned_view(&planned)}),
            ),
        )
        .await?;
        planned
    } else {
        as_planned(&existing)?
    };
    write_plan(db, order, &existing, &planned).await
}

/// The order's event dates moved (a shipment, a delivery): instalments counting from them
/// get their due dates.
pub(crate) async fn refresh_due_dates(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<(), Error> {
    let events = events_of(order);
    for m in stored(db, order).await? {
        let due_date = plan::due_date(rule_of(&m)?, &events);
        if due_date != m.due_date {
            let changes = instalment::ActiveModel {
                due_date: Set(due_date),
                ..Default::default()
            };
            crate::versioned::update::<instalment::Entity>(db, changes, m.id, m.version, storage)
                .await?;
        }
    }
    Ok(())
}

/// The order changed hands: its instalments count for the new owner.
pub(crate) async fn follow_owner(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<(), Error> {
    instalment::Entity::update_many()
        .set(instalment::ActiveModel {
            owner_id: Set(order.owner_id),
            ..Default::default()
        })
        .filter(instalment::Column::TenantId.eq(order.tenant_id))
        .filter(instalment::Column::SalesOrderId.eq(order.id))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// A deleted draft takes its proposed plan with it.
pub(crate) async fn drop_plan(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<(), Error> {
    instalment::Entity::delete_many()
        .filter(instalment::Column::TenantId.eq(order.tenant_id))
        .filter(instalment::Column::SalesOrderId.eq(order.id))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// After a cancellation: a cancelled order owes nothing (refused once money was applied to
/// it); a partly shipped one owes less, taken off its last instalments first.
pub(crate) async fn after_cancel(
    db: &impl ConnectionTrait,
    actor: &Actor,
    order: &sales_order::Model,
) -> Result<(), Error> {
    let existing = stored(db, order).await?;
    if existing.iter().any(|m| m.paid_amount > 0)
        && order.status == SalesOrderStatus::Cancelled.as_str()
    {
        return Err(Error::Conflict {
            code: "payments_received",
            field: None,
        });
    }
    if order.status == SalesOrderStatus::Cancelled.as_str() {
        return drop_plan(db, order).await;
    }
    let amounts: Vec<Decimal> = existing
        .iter()
        .map(|m| money_from_units(m.amount))
        .collect();
    let paid: Vec<Decimal> = existing
        .iter()
        .map(|m| money_from_units(m.paid_amount))
        .collect();
    let Some(shrunk) = plan::shrink(&amounts, &paid, owed(order)) else {
        return Err(Error::Conflict {
            code: "payments_exceed_remaining",
            field: None,
        });
    };
    let mut planned = as_planned(&existing)?;
    for (p, amount) in planned.iter_mut().zip(shrunk) {
        if p.amount != amount {
            // No longer the percentage it was asked as.
            p.percent = None;
            p.amount = amount;
        }
    }
    // Instalments shrunk to nothing (and never paid) at the end of the plan go.
    while planned.len() > 1
        && planned.last().is_some_and(|p| p.amount.is_zero())
        && existing
            .get(planned.len() - 1)
            .is_some_and(|m| m.paid_amount == 0)
    {
        planned.pop();
    }
    record(
        db,
        actor,
        AuditAction::Updated,
        "collection_plan",
        order.id,
        diff(
            &json!({"instalments": plan_view(&existing)}),
            &json!({"instalments": planned_view(&planned)}),
        ),
    )
    .await?;
    write_plan(db, order, &existing, &planned).await
}
