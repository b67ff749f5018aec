//! An order's whole life in one list: the quote's acceptance, the order's changes and status
//! moves, approval decisions, shipments and deliveries, invoices, and payments applied.
//! Each source is read in one query; the entries are merged by time.

use chrono::{DateTime, Utc};
use crm_api_types::sales_orders::{TimelineEntry, TimelineKind};
use crm_domain::{Caller, Error};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::find;
use crate::entities::{
    approval_event, approval_request, audit_entry, invoice, payment, payment_allocation, quote,
    shipment,
};
use crate::error::storage;
use crate::money::money_from_units;

struct Entry {
    at: DateTime<Utc>,
    kind: TimelineKind,
    actor_id: Option<Uuid>,
    title: String,
    amount: Option<Decimal>,
    subject_id: Option<Uuid>,
    note: Option<String>,
}

fn entry(at: DateTime<Utc>, kind: TimelineKind, actor_id: Option<Uuid>, title: String) -> Entry {
    Entry {
        at,
        kind,
        actor_id,
        title,
        amount: None,
        subject_id: None,
        note: None,
    }
}

/// The new value of `field` in an audit entry's changes.
fn new_value(changes: &serde_json::Value, field: &str) -> Option<String> {
    changes
        .as_array()?
        .iter()
        .find(|c| c["field"] == field)
        .and_then(|c| c["new"].as_str().map(str::to_owned))
}

pub async fn timeline(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Vec<TimelineEntry>, Error> {
    let order = find(db, caller, id).await?;
    let tenant_id = order.tenant_id;
    let mut entries = Vec::new();

    if let Some(quote_id) = order.quote_id
        && let Some(q) = quote::Entity::find_by_id(quote_id)
            .filter(quote::Column::TenantId.eq(tenant_id))
            .one(db)
            .await
            .map_err(storage)?
        && let Some(at) = q.accepted_at
    {
        let mut e = entry(at, TimelineKind::QuoteAccepted, Some(q.owner_id), q.number);
        e.subject_id = Some(q.id);
        e.amount = Some(money_from_units(q.total));
        entries.push(e);
    }

    let shipments = shipment::Entity::find()
        .filter(shipment::Column::TenantId.eq(tenant_id))
        .filter(shipment::Column::SalesOrderId.eq(order.id))
        .all(db)
        .await
        .map_err(storage)?;
    let mut audited: Vec<Uuid> = shipments.iter().map(|s| s.id).collect();
    audited.push(order.id);
    for a in audit_entry::Entity::find()
        .filter(audit_entry::Column::TenantId.eq(tenant_id))
        .filter(audit_entry::Column::EntityId.is_in(audited))
        .all(db)
        .await
        .map_err(storage)?
    {
        let shipment = shipments.iter().find(|s| s.id == a.entity_id);
        let kind = match (a.entity_type.as_str(), a.action.as_str(), shipment) {
            ("shipment", "created", Some(_)) => TimelineKind::Shipped,
            ("shipment", "status_changed", Some(_)) => TimelineKind::Delivered,
            ("sales_order", "created", _) => TimelineKind::Created,
            ("sales_order", "updated", _) => TimelineKind::Updated,
            ("sales_order", "status_changed", _) => TimelineKind::StatusChanged,
            ("collection_plan", _, _) => TimelineKind::PlanChanged,
            _ => continue,
        };
        let title = match (kind, shipment) {
            (TimelineKind::StatusChanged, _) => new_value(&a.changes, "status").unwrap_or_default(),
            (_, Some(s)) => s.number.clone(),
            _ => order.number.clone(),
        };
        let mut e = entry(a.occurred_at, kind, a.actor_id, title);
        e.subject_id = shipment.map(|s| s.id);
        e.note = new_value(&a.changes, "note")
            .or_else(|| new_value(&a.changes, "tracking_number"))
            .or_else(|| new_value(&a.changes, "received_by"));
        entries.push(e);
    }

    let requests: Vec<Uuid> = approval_request::Entity::find()
        .select_only()
        .column(approval_request::Column::Id)
        .filter(approval_request::Column::TenantId.eq(tenant_id))
        .filter(approval_request::Column::DocumentKind.eq("sales_order"))
        .filter(approval_request::Column::DocumentId.eq(order.id))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    if !requests.is_empty() {
        for a in approval_event::Entity::find()
            .filter(approval_event::Column::TenantId.eq(tenant_id))
            .filter(approval_event::Column::RequestId.is_in(requests))
            .all(db)
            .await
            .map_err(storage)?
        {
            let mut e = entry(a.at, TimelineKind::Approval, Some(a.actor_id), a.kind);
            e.subject_id = Some(a.request_id);
            e.note = a.comment;
            entries.push(e);
        }
    }

    for i in invoice::Entity::find()
        .filter(invoice::Column::TenantId.eq(tenant_id))
        .filter(invoice::Column::SalesOrderId.eq(order.id))
        .all(db)
        .await
        .map_err(storage)?
    {
        let mut e = entry(
            i.created_at,
            TimelineKind::Invoiced,
            Some(i.created_by),
            i.number,
        );
        e.amount = Some(money_from_units(i.amount));
        e.subject_id = Some(i.id);
        entries.push(e);
    }

    let allocations = payment_allocation::Entity::find()
        .filter(payment_allocation::Column::TenantId.eq(tenant_id))
        .filter(payment_allocation::Column::SalesOrderId.eq(order.id))
        .all(db)
        .await
        .map_err(storage)?;
    if !allocations.is_empty() {
        let payment_ids: Vec<Uuid> = allocations.iter().map(|a| a.payment_id).collect();
        let numbers: std::collections::HashMap<Uuid, String> = payment::Entity::find()
            .select_only()
            .column(payment::Column::Id)
            .column(payment::Column::Number)
            .filter(payment::Column::TenantId.eq(tenant_id))
            .filter(payment::Column::Id.is_in(payment_ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .collect();
        for a in allocations {
            let title = numbers.get(&a.payment_id).cloned().unwrap_or_default();
            let mut e = entry(
                a.created_at,
                TimelineKind::PaymentAllocated,
                Some(a.created_by),
                title,
            );
            e.amount = Some(money_from_units(a.amount));
            e.subject_id = Some(a.payment_id);
            entries.push(e);
        }
    }

    entries.sort_by_key(|e| e.at);
    let actors: Vec<Uuid> = entries.iter().filter_map(|e| e.actor_id).collect();
    let names = crate::users::names(db, tenant_id, &actors).await?;
    Ok(entries
        .into_iter()
        .map(|e| TimelineEntry {
            actor_name: e.actor_id.and_then(|id| names.get(&id).cloned()),
            at: e.at,
            kind: e.kind,
            actor_id: e.actor_id,
            title: e.title,
            amount: e.amount,
            subject_id: e.subject_id,
            note: e.note,
        })
        .collect())
}
