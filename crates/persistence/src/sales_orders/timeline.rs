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

    // Shipments speak from their own rows: their audit entries carry every line shipped.
    for s in shipment::Entity::find()
        .filter(shipment::Column::TenantId.eq(tenant_id))
        .filter(shipment::Column::SalesOrderId.eq(order.id))
        .all(db)
        .await
        .map_err(storage)?
    {
        let mut shipped = entry(
            s.created_at,
            TimelineKind::Shipped,
            Some(s.created_by),
            s.number.clone(),
        );
        shipped.subject_id = Some(s.id);
        shipped.note = s.tracking_number.clone();
        entries.push(shipped);
        if let Some(at) = s.delivered_at {
            let mut delivered = entry(at, TimelineKind::Delivered, s.delivered_by, s.number);
            delivered.subject_id = Some(s.id);
            delivered.note = s.received_by;
            entries.push(delivered);
        }
    }
    for a in audit_entry::Entity::find()
        .filter(audit_entry::Column::TenantId.eq(tenant_id))
        .filter(audit_entry::Column::EntityId.eq(order.id))
        .filter(audit_entry::Column::EntityType.is_in(["sales_order", "collection_plan"]))
        .all(db)
        .await
        .map_err(storage)?
    {
        let kind = match (a.entity_type.as_str(), a.action.as_str()) {
            ("sales_order", "created") => TimelineKind::Created,
            ("sales_order", "updated") => TimelineKind::Updated,
            ("sales_order", "status_changed") => TimelineKind::StatusChanged,
            ("collection_plan", _) => TimelineKind::PlanChanged,
            _ => continue,
        };
        let title = match kind {
            TimelineKind::StatusChanged => new_value(&a.changes, "status").unwrap_or_default(),
            _ => order.number.clone(),
        };
        let mut e = entry(a.occurred_at, kind, a.actor_id, title);
        e.note = new_value(&a.changes, "note");
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
