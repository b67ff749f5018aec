//! Invoices (开票) recorded against an order: at most what the customer owes on it.

use crm_api_types::receivables::{CreateInvoiceRequest, InvoiceKind, InvoiceResponse};
use crm_api_types::sales_orders::{SalesOrderResponse, SalesOrderStatus};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::receivable::invoice::parse_invoice;
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{Caller, Error, FieldErrors, Violation, new_id, now, today_in_china};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{invoice, sales_order};
use crate::error::{storage, unique_violation};
use crate::money::{money_from_units, to_units};

pub(crate) async fn invoices_of(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<Vec<InvoiceResponse>, Error> {
    invoice::Entity::find()
        .filter(invoice::Column::TenantId.eq(order.tenant_id))
        .filter(invoice::Column::SalesOrderId.eq(order.id))
        .order_by_asc(invoice::Column::IssuedOn)
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|m| {
            Ok(InvoiceResponse {
                kind: InvoiceKind::parse(&m.kind).ok_or_else(|| {
                    Error::Storage(format!("invoice {} has an unknown kind", m.id).into())
                })?,
                amount: money_from_units(m.amount),
                tax_amount: money_from_units(m.tax_amount),
                id: m.id,
                sales_order_id: m.sales_order_id,
                number: m.number,
                issued_on: m.issued_on,
                note: m.note,
                external_source: m.external_source,
                external_id: m.external_id,
                created_by: m.created_by,
                created_at: m.created_at,
            })
        })
        .collect()
}

/// The order an invoice of the caller's tenant was issued for; reading that order checks
/// scope.
pub async fn invoice_order(
    db: &impl ConnectionTrait,
    caller: &Caller,
    invoice_id: Uuid,
) -> Result<Uuid, Error> {
    invoice::Entity::find_by_id(invoice_id)
        .filter(invoice::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .map(|i| i.sales_order_id)
        .ok_or(Error::NotFound)
}

/// Records an invoice issued for a confirmed order.
pub async fn create_invoice(
    db: &crate::Database,
    caller: &Caller,
    order_id: Uuid,
    request: &CreateInvoiceRequest,
    external: Option<&ExternalRef>,
) -> Result<SalesOrderResponse, Error> {
    let fields = parse_invoice(request, today_in_china())?;
    let txn = db.begin().await.map_err(storage)?;
    let order = crate::sales_orders::find(&txn, caller, order_id).await?;
    let invoiceable = matches!(
        SalesOrderStatus::parse(&order.status),
        Some(
            SalesOrderStatus::Confirmed
                | SalesOrderStatus::PartiallyShipped
                | SalesOrderStatus::Shipped
                | SalesOrderStatus::Completed
        )
    );
    if !invoiceable {
        return Err(Error::Conflict {
            code: "invalid_transition",
            field: Some("status"),
        });
    }
    if order.invoiced_amount + to_units(fields.amount) > order.total - order.cancelled_amount {
        return Err(FieldErrors::single("amount", Violation::ExceedsAvailable).into());
    }
    let model = invoice::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        external_source: Set(external.map(|e| e.source().to_owned())),
        external_id: Set(external.map(|e| e.id().to_owned())),
        sales_order_id: Set(order.id),
        number: Set(fields.number.clone()),
        issued_on: Set(fields.issued_on),
        amount: Set(to_units(fields.amount)),
        tax_amount: Set(to_units(fields.tax_amount)),
        kind: Set(fields.kind.as_str().to_owned()),
        note: Set(fields.note.clone()),
        created_by: Set(caller.user_id),
        created_at: Set(now()),
    };
    let model = sea_orm::ActiveModelTrait::insert(model, &txn)
        .await
        .map_err(|e| {
            crate::sync::taken_or(e, |e| {
                unique_violation(
                    e,
                    &["ux_invoices_number", "invoices.number"],
                    "invoice_number_taken",
                    "number",
                )
            })
        })?;
    let changes = sales_order::ActiveModel {
        invoiced_amount: Set(order.invoiced_amount + model.amount),
        ..Default::default()
    };
    crate::versioned::update::<sales_order::Entity>(
        &txn,
        changes,
        order.id,
        order.version,
        storage,
    )
    .await?;
    let view = json!({
        "sales_order_id": order.id,
        "order_number": order.number,
        "number": model.number,
        "issued_on": model.issued_on,
        "amount": money_from_units(model.amount).to_string(),
        "tax_amount": money_from_units(model.tax_amount).to_string(),
        "kind": model.kind,
    });
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "invoice",
        model.id,
        diff(&serde_json::Value::Null, &view),
    )
    .await?;
    // The order's owner lets the change feed show the invoice to whoever sees the order.
    let mut payload = view;
    payload["invoice_id"] = json!(model.id);
    payload["customer_id"] = json!(order.customer_id);
    payload["owner_id"] = json!(order.owner_id);
    payload["currency"] = json!(order.currency);
    crate::outbox::emit(
        &txn,
        caller.tenant_id,
        crm_domain::event::EventType::InvoiceCreated,
        model.id,
        &payload,
    )
    .await?;
    crate::sync::note(&txn, caller, SyncedKind::Invoice, external, model.id).await?;
    let response = crate::sales_orders::get(&txn, caller, order_id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}
