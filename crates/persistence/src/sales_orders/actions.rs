//! An order's actions: submit (with the credit check and the approval engine), hear the
//! approval's end, confirm, cancel. Each is one transaction with its audit entry and a
//! webhook-ready event (`sales_order.confirmed`, …).

use crm_api_types::approvals::{ApprovalStatus, DocumentKind};
use crm_api_types::products::PriceEvent;
use crm_api_types::sales_orders::{CreditCheckResponse, SalesOrderResponse, SalesOrderStatus};
use crm_api_types::settings::CreditCheckMode;
use crm_domain::approval::policy::Facts;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::event::EventType;
use crm_domain::quote::NOTE_MAX;
use crm_domain::sales_order::status::{Action, ApprovalEnd, cancelled_value, fulfilment, next};
use crm_domain::{Caller, Error, FieldErrors, check_version, now, today_in_china};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::{find, lines, view};
use crate::audit::{Actor, record};
use crate::entities::{customer, sales_order};
use crate::error::storage;
use crate::money::{from_units, money_from_units, to_units};
use crate::price_history::NewPrice;
use crate::rollups::{self, orders::Orders};

/// Queues `event` about the order for the integrations.
pub(crate) async fn announce(
    db: &impl ConnectionTrait,
    model: &sales_order::Model,
    event: EventType,
) -> Result<(), Error> {
    let payload = json!({
        "sales_order_id": model.id,
        "number": model.number,
        "customer_id": model.customer_id,
        "quote_id": model.quote_id,
        "contract_id": model.contract_id,
        "status": model.status,
        "owner_id": model.owner_id,
        "total": money_from_units(model.total).to_string(),
        "currency": model.currency,
        "customer_po": model.customer_po,
    });
    crate::outbox::emit(db, model.tenant_id, event, model.id, &payload).await
}

/// Moves `model` to `status` with `changes`, auditing the change.
pub(crate) async fn transition(
    db: &impl ConnectionTrait,
    actor: &Actor,
    model: &sales_order::Model,
    status: SalesOrderStatus,
    mut changes: sales_order::ActiveModel,
    note: Option<&str>,
) -> Result<sales_order::Model, Error> {
    changes.status = Set(status.as_str().to_owned());
    crate::versioned::update::<sales_order::Entity>(db, changes, model.id, model.version, storage)
        .await?;
    if model.status != status.as_str() {
        let mut after = json!({"status": status.as_str()});
        if let Some(note) = note {
            after["note"] = json!(note);
        }
        record(
            db,
            actor,
            AuditAction::StatusChanged,
            "sales_order",
            model.id,
            diff(&json!({"status": model.status}), &after),
        )
        .await?;
    }
    super::find_in_tenant(db, model.tenant_id, model.id).await
}

fn parse_note(note: Option<&str>) -> Result<Option<String>, Error> {
    let mut errors = FieldErrors::new();
    let note = errors.optional_text("note", note, NOTE_MAX);
    Ok(errors.finish(note)?)
}

/// The customer's open receivables against their credit limit, with this order added.
pub(crate) async fn check_credit(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    model: &sales_order::Model,
) -> Result<CreditCheckResponse, Error> {
    let (settings, _) = crate::settings::load(db, tenant_id).await?;
    let credit = crate::receivables::credit_of(db, tenant_id, model.customer_id).await?;
    let this_order = money_from_units(model.total - model.cancelled_amount);
    let exposure = credit.open_receivables + this_order;
    Ok(CreditCheckResponse {
        customer_id: model.customer_id,
        credit_limit: credit.credit_limit,
        currency: credit.currency,
        open_receivables: credit.open_receivables,
        this_order,
        exposure,
        exceeded: credit.credit_limit.is_some_and(|limit| exposure > limit),
        mode: settings.credit_check_mode,
    })
}

/// The credit check an order would meet on submission.
pub async fn credit_check(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<CreditCheckResponse, Error> {
    let model = find(db, caller, id).await?;
    check_credit(db, caller.tenant_id, &model).await
}

/// Submits a draft. A customer past their credit limit is refused when the tenant blocks
/// (`409 credit_limit_exceeded`); the tenant's policies decide whether the order needs
/// approval; without one it is confirmed at once.
pub async fn submit(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    note: Option<&str>,
) -> Result<SalesOrderResponse, Error> {
    let note = parse_note(note)?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let status = view::status_of(&model)?;
    next(
        status,
        Action::Submit {
            approval_needed: true,
        },
    )?;
    let credit = check_credit(&txn, caller.tenant_id, &model).await?;
    if credit.exceeded && credit.mode == CreditCheckMode::Block {
        return Err(Error::Conflict {
            code: "credit_limit_exceeded",
            field: None,
        });
    }
    let customer = customer::Entity::find_by_id(model.customer_id)
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    let submission = crate::approvals::Submission {
        kind: DocumentKind::SalesOrder,
        document_id: model.id,
        number: model.number.clone(),
        title: customer.name.clone(),
        amount: money_from_units(model.total),
        facts: Facts {
            total: money_from_units(model.total),
            currency: model.currency.clone(),
            max_discount_percent: from_units(model.max_discount_percent),
            customer_tier: customer.tier.clone(),
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
    let actor = Actor::from(caller);
    let changes = sales_order::ActiveModel {
        approval_id: Set(approval),
        ..Default::default()
    };
    let confirming = next_status == SalesOrderStatus::Confirmed;
    if confirming {
        rollups::retract(&txn, caller.tenant_id, Orders::One(model.id)).await?;
    }
    let model = transition(&txn, &actor, &model, next_status, changes, note.as_deref()).await?;
    if confirming {
        confirm(&txn, &actor, caller, &model).await?;
    } else {
        announce(&txn, &model, EventType::SalesOrderSubmitted).await?;
    }
    let response = view::full(&txn, find(&txn, caller, id).await?).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// What confirming does besides the status: the date plans count from, a default plan when
/// there is none, the order into its rollups (the caller retracted it before the status
/// changed), the sold prices into the customer's price history, the event.
async fn confirm(
    db: &impl ConnectionTrait,
    actor: &Actor,
    caller: &Caller,
    model: &sales_order::Model,
) -> Result<(), Error> {
    let changes = sales_order::ActiveModel {
        confirmed_on: Set(Some(today_in_china())),
        confirmed_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<sales_order::Entity>(db, changes, model.id, model.version, storage)
        .await?;
    let model = super::find_in_tenant(db, model.tenant_id, model.id).await?;
    crate::receivables::ensure_plan(db, actor, &model).await?;
    rollups::apply(db, model.tenant_id, Orders::One(model.id)).await?;
    let stored = lines::stored(db, &model).await?;
    let sold: Vec<NewPrice> = stored
        .iter()
        .filter_map(|l| {
            Some(NewPrice {
                customer_id: model.customer_id,
                product_id: l.line.product_id?,
                quantity: l.line.quantity,
                unit_price: l.line.unit_price,
                discount_percent: l.line.discount_percent,
                currency: model.currency.clone(),
                event: PriceEvent::Sold,
                source_id: model.id,
                source_name: model.number.clone(),
            })
        })
        .collect();
    crate::price_history::record(db, caller, &sold).await?;
    announce(db, &model, EventType::SalesOrderConfirmed).await
}

/// The approval engine tells the order how its request ended. The approver acted within the
/// request, so the order is read without the approver's data scope.
pub(crate) async fn approval_ended(
    db: &impl ConnectionTrait,
    caller: &Caller,
    order_id: Uuid,
    request_id: Uuid,
    status: ApprovalStatus,
) -> Result<(), Error> {
    let model = super::find_in_tenant(db, caller.tenant_id, order_id).await?;
    if model.approval_id != Some(request_id) {
        return Err(Error::Conflict {
            code: "approval_outdated",
            field: None,
        });
    }
    let end = match status {
        ApprovalStatus::Approved => ApprovalEnd::Approved,
        ApprovalStatus::Rejected | ApprovalStatus::Returned | ApprovalStatus::Withdrawn => {
            ApprovalEnd::BackToDraft
        }
        ApprovalStatus::Pending => return Ok(()),
    };
    let next_status = next(view::status_of(&model)?, Action::ApprovalEnded(end))?;
    let actor = Actor::from(caller);
    if next_status == SalesOrderStatus::Confirmed {
        rollups::retract(db, caller.tenant_id, Orders::One(model.id)).await?;
    }
    let model = transition(
        db,
        &actor,
        &model,
        next_status,
        sales_order::ActiveModel::default(),
        None,
    )
    .await?;
    if next_status == SalesOrderStatus::Confirmed {
        confirm(db, &actor, caller, &model).await?;
    }
    Ok(())
}

/// Cancels what is not shipped. An order with nothing shipped is cancelled (refused once
/// money was received on it: `409 payments_received`); a partly shipped one keeps what
/// shipped, and its plan shrinks to what is still owed.
pub async fn cancel(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    reason: &str,
) -> Result<SalesOrderResponse, Error> {
    let mut errors = FieldErrors::new();
    let reason = errors.required_text("reason", reason, NOTE_MAX);
    errors.finish(())?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    next(view::status_of(&model)?, Action::Cancel)?;
    rollups::retract(&txn, caller.tenant_id, Orders::One(id)).await?;
    let header_discount = from_units(model.header_discount_percent);
    let mut stored = lines::stored(&txn, &model).await?;
    let mut cancelled_amount = Decimal::ZERO;
    for line in &mut stored {
        let open = line.progress.open();
        if open > Decimal::ZERO {
            let net =
                crm_domain::quote::totals::line_amounts(&line.line.pricing(), header_discount)
                    .net_amount;
            cancelled_amount += cancelled_value(net, line.line.quantity, open);
            line.progress.cancelled += open;
            lines::write_progress(&txn, line).await?;
        }
    }
    let progress: Vec<_> = stored.iter().map(|l| l.progress).collect();
    let anything_shipped = progress.iter().any(|p| p.shipped > Decimal::ZERO);
    let status = if anything_shipped {
        fulfilment(&progress)
    } else {
        SalesOrderStatus::Cancelled
    };
    let cancelled_units = model.cancelled_amount + to_units(cancelled_amount);
    let today = today_in_china();
    let mut changes = sales_order::ActiveModel {
        cancelled_amount: Set(cancelled_units),
        cancelled_at: Set(Some(now())),
        cancel_reason: Set(Some(reason.clone())),
        next_promised_date: Set(None),
        ..Default::default()
    };
    if anything_shipped {
        changes.fully_shipped_on = Set(model.fully_shipped_on.or(Some(today)));
        if status == SalesOrderStatus::Completed {
            changes.accepted_on = Set(model.accepted_on.or(Some(today)));
        }
    }
    let actor = Actor::from(caller);
    let updated = transition(&txn, &actor, &model, status, changes, Some(&reason)).await?;
    crate::receivables::after_cancel(&txn, &actor, &updated).await?;
    rollups::apply(&txn, caller.tenant_id, Orders::One(id)).await?;
    announce(&txn, &updated, EventType::SalesOrderCancelled).await?;
    let response = view::full(&txn, updated).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}
