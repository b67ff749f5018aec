//! Stored orders turned into what the API answers, with the names of what they point at
//! fetched in one query per kind, never per row.

use crm_api_types::sales_orders::{SalesOrderResponse, SalesOrderStatus, SalesOrderSummary};
use crm_domain::{Error, today_in_china};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{contact, sales_order};
use crate::error::storage;
use crate::money::{from_units, money_from_units};

pub(crate) fn status_of(m: &sales_order::Model) -> Result<SalesOrderStatus, Error> {
    SalesOrderStatus::parse(&m.status)
        .ok_or_else(|| Error::Storage(format!("sales order {} has an unknown status", m.id).into()))
}

/// Whether the order still ships: only then is a line past its promised date overdue.
pub(crate) fn shipping(status: SalesOrderStatus) -> bool {
    matches!(
        status,
        SalesOrderStatus::Confirmed | SalesOrderStatus::PartiallyShipped
    )
}

/// Summaries of `models`, in their order.
pub(crate) async fn summaries(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    models: Vec<sales_order::Model>,
) -> Result<Vec<SalesOrderSummary>, Error> {
    let customers = crate::customers::names(
        db,
        tenant_id,
        models.iter().map(|m| m.customer_id).collect(),
    )
    .await?;
    let owners: Vec<Uuid> = models.iter().map(|m| m.owner_id).collect();
    let owners = crate::users::names(db, tenant_id, &owners).await?;
    let quotes = super::quote_numbers(
        db,
        tenant_id,
        models.iter().filter_map(|m| m.quote_id).collect(),
    )
    .await?;
    let today = today_in_china();
    models
        .into_iter()
        .map(|m| {
            let status = status_of(&m)?;
            Ok(SalesOrderSummary {
                customer_name: customers.get(&m.customer_id).cloned().unwrap_or_default(),
                owner_name: owners.get(&m.owner_id).cloned().unwrap_or_default(),
                quote_number: m.quote_id.and_then(|id| quotes.get(&id).cloned()),
                total: money_from_units(m.total),
                cancelled_amount: money_from_units(m.cancelled_amount),
                received_amount: money_from_units(m.received_amount),
                delivery_overdue: shipping(status)
                    && m.next_promised_date.is_some_and(|d| d < today),
                status,
                id: m.id,
                number: m.number,
                title: m.title,
                customer_id: m.customer_id,
                quote_id: m.quote_id,
                contract_id: m.contract_id,
                currency: m.currency,
                order_date: m.order_date,
                customer_po: m.customer_po,
                next_promised_date: m.next_promised_date,
                owner_id: m.owner_id,
                approval_id: m.approval_id,
                external_source: m.external_source,
                external_id: m.external_id,
                version: m.version,
                created_at: m.created_at,
                updated_at: m.updated_at,
            })
        })
        .collect()
}

/// The whole order: lines, shipments, plan and invoices.
pub(crate) async fn full(
    db: &impl ConnectionTrait,
    model: sales_order::Model,
) -> Result<SalesOrderResponse, Error> {
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
    let stored = super::lines::stored(db, &model).await?;
    let shipments = super::shipments::summaries_of(db, &model).await?;
    let instalments = crate::receivables::instalments_of(db, &model).await?;
    let invoices = crate::receivables::invoices_of(db, &model).await?;
    let summary = summaries(db, tenant_id, vec![model.clone()])
        .await?
        .remove(0);
    let today = shipping(summary.status).then(today_in_china);
    let totals = super::lines::totals_of(&stored, header_discount);
    Ok(SalesOrderResponse {
        lines: super::lines::responses(&stored, header_discount, today),
        totals: crate::quotes::totals_response(&totals),
        summary,
        contact_id: model.contact_id,
        contact_name,
        shipping_address: model.shipping_address,
        payment_terms: model.payment_terms,
        delivery_terms: model.delivery_terms,
        notes: model.notes,
        internal_note: model.internal_note,
        shipments,
        instalments,
        invoices,
        invoiced_amount: money_from_units(model.invoiced_amount),
        confirmed_at: model.confirmed_at,
        cancelled_at: model.cancelled_at,
        cancel_reason: model.cancel_reason,
        created_by: model.created_by,
    })
}
