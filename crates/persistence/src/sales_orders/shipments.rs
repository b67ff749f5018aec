//! Shipments (发货) of an order, in parts, and their delivery (签收). Each moves the order's
//! lines and status, and the dates its collection plan counts from.

use std::collections::HashMap;

use chrono::Datelike;
use crm_api_types::sales_orders::{
    CreateShipmentRequest, DeliverShipmentRequest, OverdueDeliveryResponse, SalesOrderResponse,
    SalesOrderStatus, ShipmentLineResponse, ShipmentResponse, ShipmentStatus, ShipmentSummary,
};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::event::EventType;
use crm_domain::sales_order::shipment::{parse_delivery, parse_shipment};
use crm_domain::sales_order::status::{Action, fulfilment, next};
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{Caller, Error, new_id, now, today_in_china};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::lines::{self, OrderLine};
use super::{find, view};
use crate::audit::{Actor, record};
use crate::entities::{sales_order, sales_order_line, shipment, shipment_line};
use crate::error::{storage, unique_violation};
use crate::money::{from_units, to_units};
use crate::rollups::{self, orders::Orders};
use crate::scope::owned_by_visible;

fn corrupt(id: Uuid) -> Error {
    Error::Storage(format!("shipment {id} has an unknown status").into())
}

async fn rows_of(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<Vec<shipment::Model>, Error> {
    shipment::Entity::find()
        .filter(shipment::Column::TenantId.eq(order.tenant_id))
        .filter(shipment::Column::SalesOrderId.eq(order.id))
        .order_by_asc(shipment::Column::ShippedOn)
        .order_by_asc(shipment::Column::Id)
        .all(db)
        .await
        .map_err(storage)
}

/// The order's shipments, oldest first, with how many lines each carried (stored on the
/// shipment: an order page never reads every shipment line).
pub(crate) async fn summaries_of(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<Vec<ShipmentSummary>, Error> {
    rows_of(db, order).await?.into_iter().map(summary).collect()
}

/// An order's shipments with what each carried, for whoever sees the order.
pub async fn shipments(
    db: &impl ConnectionTrait,
    caller: &Caller,
    order_id: Uuid,
) -> Result<Vec<ShipmentResponse>, Error> {
    let order = find(db, caller, order_id).await?;
    let shipments = rows_of(db, &order).await?;
    let order_lines = lines::stored(db, &order).await?;
    let positions: HashMap<Uuid, usize> = order_lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id, i))
        .collect();
    let mut carried: HashMap<Uuid, Vec<shipment_line::Model>> = HashMap::new();
    let ids: Vec<Uuid> = shipments.iter().map(|s| s.id).collect();
    for chunk in ids.chunks(500) {
        for row in shipment_line::Entity::find()
            .filter(shipment_line::Column::TenantId.eq(order.tenant_id))
            .filter(shipment_line::Column::ShipmentId.is_in(chunk.to_vec()))
            .all(db)
            .await
            .map_err(storage)?
        {
            carried.entry(row.shipment_id).or_default().push(row);
        }
    }
    shipments
        .into_iter()
        .map(|s| {
            let mut rows = carried.remove(&s.id).unwrap_or_default();
            rows.sort_by_key(|r| positions.get(&r.order_line_id).copied());
            let lines: Vec<ShipmentLineResponse> = rows
                .into_iter()
                .filter_map(|r| {
                    let i = positions.get(&r.order_line_id)?;
                    Some(ShipmentLineResponse {
                        line_id: r.order_line_id,
                        position: u32::try_from(*i).unwrap_or(u32::MAX),
                        quantity: from_units(r.quantity),
                    })
                })
                .collect();
            Ok(ShipmentResponse {
                summary: summary(s)?,
                lines,
            })
        })
        .collect()
}

fn summary(s: shipment::Model) -> Result<ShipmentSummary, Error> {
    Ok(ShipmentSummary {
        status: ShipmentStatus::parse(&s.status).ok_or_else(|| corrupt(s.id))?,
        id: s.id,
        sales_order_id: s.sales_order_id,
        number: s.number,
        shipped_on: s.shipped_on,
        carrier: s.carrier,
        tracking_number: s.tracking_number,
        note: s.note,
        line_count: u32::try_from(s.line_count).unwrap_or_default(),
        delivered_on: s.delivered_on,
        received_by: s.received_by,
        external_source: s.external_source,
        external_id: s.external_id,
        created_by: s.created_by,
        version: s.version,
        created_at: s.created_at,
    })
}

/// Writes the lines' new progress and moves the order to the status its quantities give,
/// with the plan's event dates; returns the updated order.
async fn follow_progress(
    db: &impl ConnectionTrait,
    actor: &Actor,
    order: &sales_order::Model,
    lines: &[OrderLine],
    on: chrono::NaiveDate,
) -> Result<sales_order::Model, Error> {
    for line in lines {
        lines::write_progress(db, line).await?;
    }
    let progress: Vec<_> = lines.iter().map(|l| l.progress).collect();
    let status = fulfilment(&progress);
    let shipped_any = progress.iter().any(|p| p.shipped > Decimal::ZERO);
    let all_shipped = progress.iter().all(|p| p.open() == Decimal::ZERO);
    let changes = sales_order::ActiveModel {
        next_promised_date: Set(lines::next_promised_date(lines)),
        first_shipped_on: Set(order.first_shipped_on.or(shipped_any.then_some(on))),
        fully_shipped_on: Set(order.fully_shipped_on.or(all_shipped.then_some(on))),
        accepted_on: Set(order
            .accepted_on
            .or((status == SalesOrderStatus::Completed).then_some(on))),
        ..Default::default()
    };
    let updated = super::actions::transition(db, actor, order, status, changes, None).await?;
    crate::receivables::refresh_due_dates(db, &updated).await?;
    if status == SalesOrderStatus::Completed && order.status != status.as_str() {
        super::actions::announce(db, &updated, EventType::SalesOrderCompleted).await?;
    }
    Ok(updated)
}

/// Records a shipment of open quantities (an ERP posts them the same way); with `delivery`,
/// it is signed for (签收) in the same transaction, so it is never left half-recorded.
pub async fn create_shipment(
    db: &crate::Database,
    caller: &Caller,
    order_id: Uuid,
    request: &CreateShipmentRequest,
    delivery: Option<&DeliverShipmentRequest>,
    external: Option<&ExternalRef>,
) -> Result<SalesOrderResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    rollups::retract(&txn, caller.tenant_id, Orders::One(order_id)).await?;
    let (model, mut updated) = ship(&txn, caller, order_id, request, external).await?;
    if let Some(delivery) = delivery {
        updated = sign_for(&txn, caller, &model, delivery).await?;
    }
    rollups::apply(&txn, caller.tenant_id, Orders::One(order_id)).await?;
    crate::sync::note(&txn, caller, SyncedKind::Shipment, external, model.id).await?;
    let response = view::full(&txn, updated).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Inserts the shipment and moves its order on; answers both as stored.
async fn ship(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    order_id: Uuid,
    request: &CreateShipmentRequest,
    external: Option<&ExternalRef>,
) -> Result<(shipment::Model, sales_order::Model), Error> {
    let order = find(txn, caller, order_id).await?;
    next(view::status_of(&order)?, Action::Ship)?;
    let mut stored = lines::stored(txn, &order).await?;
    let open: Vec<(Uuid, Decimal)> = stored.iter().map(|l| (l.id, l.progress.open())).collect();
    let (fields, quantities) = parse_shipment(request, &open, today_in_china())?;
    let year = today_in_china().year();
    let sequence = crate::numbering::next(txn, caller.tenant_id, "shipment", year).await?;
    let at = now();
    let id = new_id();
    let model = shipment::ActiveModel {
        id: Set(id),
        tenant_id: Set(caller.tenant_id),
        external_source: Set(external.map(|e| e.source().to_owned())),
        external_id: Set(external.map(|e| e.id().to_owned())),
        sales_order_id: Set(order.id),
        number: Set(crm_domain::sales_order::shipment_number(year, sequence)),
        status: Set(ShipmentStatus::Shipped.as_str().to_owned()),
        shipped_on: Set(fields.shipped_on),
        carrier: Set(fields.carrier.clone()),
        tracking_number: Set(fields.tracking_number.clone()),
        note: Set(fields.note.clone()),
        delivered_on: Set(None),
        received_by: Set(None),
        delivered_by: Set(None),
        delivered_at: Set(None),
        line_count: Set(i32::try_from(quantities.len()).unwrap_or(i32::MAX)),
        created_by: Set(caller.user_id),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    };
    let model = sea_orm::ActiveModelTrait::insert(model, txn)
        .await
        .map_err(|e| {
            crate::sync::taken_or(e, |e| {
                unique_violation(
                    e,
                    &["ux_shipments_number", "shipments.number"],
                    "number_taken",
                    "number",
                )
            })
        })?;
    let rows: Vec<shipment_line::ActiveModel> = quantities
        .iter()
        .map(|(line_id, quantity)| shipment_line::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(caller.tenant_id),
            shipment_id: Set(id),
            order_line_id: Set(*line_id),
            quantity: Set(to_units(*quantity)),
        })
        .collect();
    for chunk in rows.chunks(500) {
        shipment_line::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await
            .map_err(storage)?;
    }
    for (line_id, quantity) in &quantities {
        if let Some(line) = stored.iter_mut().find(|l| l.id == *line_id) {
            line.progress.shipped += *quantity;
        }
    }
    let actor = Actor::from(caller);
    let shipped: Vec<_> = quantities
        .iter()
        .map(|(line, q)| json!({"line_id": line, "quantity": q.normalize().to_string()}))
        .collect();
    record(
        txn,
        &actor,
        AuditAction::Created,
        "shipment",
        id,
        diff(
            &serde_json::Value::Null,
            &json!({
                "sales_order_id": order.id,
                "number": model.number,
                "shipped_on": fields.shipped_on,
                "carrier": fields.carrier,
                "tracking_number": fields.tracking_number,
                "lines": shipped,
            }),
        ),
    )
    .await?;
    let updated = follow_progress(txn, &actor, &order, &stored, fields.shipped_on).await?;
    announce(txn, &model, &updated, EventType::ShipmentCreated, &shipped).await?;
    Ok((model, updated))
}

/// Queues `event` about the shipment. It names the order's owner, so the change feed shows it
/// to whoever's data scope covers the order.
async fn announce(
    db: &impl ConnectionTrait,
    model: &shipment::Model,
    order: &sales_order::Model,
    event: EventType,
    lines: &[serde_json::Value],
) -> Result<(), Error> {
    let payload = json!({
        "shipment_id": model.id,
        "number": model.number,
        "sales_order_id": order.id,
        "order_number": order.number,
        "order_status": order.status,
        "customer_id": order.customer_id,
        "owner_id": order.owner_id,
        "shipped_on": model.shipped_on,
        "carrier": model.carrier,
        "tracking_number": model.tracking_number,
        "lines": lines,
    });
    crate::outbox::emit(db, model.tenant_id, event, model.id, &payload).await
}

/// The order a shipment of the caller's tenant belongs to; reading that order checks scope.
pub async fn shipment_order(
    db: &impl ConnectionTrait,
    caller: &Caller,
    shipment_id: Uuid,
) -> Result<Uuid, Error> {
    shipment::Entity::find_by_id(shipment_id)
        .filter(shipment::Column::TenantId.eq(caller.tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .map(|s| s.sales_order_id)
        .ok_or(Error::NotFound)
}

/// 签收: the customer received a shipment; its quantities count as delivered.
pub async fn deliver_shipment(
    db: &crate::Database,
    caller: &Caller,
    shipment_id: Uuid,
    request: &DeliverShipmentRequest,
    external: Option<&ExternalRef>,
) -> Result<SalesOrderResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = shipment::Entity::find_by_id(shipment_id)
        .filter(shipment::Column::TenantId.eq(caller.tenant_id))
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    rollups::retract(&txn, caller.tenant_id, Orders::One(model.sales_order_id)).await?;
    let updated = sign_for(&txn, caller, &model, request).await?;
    rollups::apply(&txn, caller.tenant_id, Orders::One(model.sales_order_id)).await?;
    crate::sync::note(&txn, caller, SyncedKind::Shipment, external, model.id).await?;
    let response = view::full(&txn, updated).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Marks a shipment delivered and moves its order on; answers the order as stored.
async fn sign_for(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    model: &shipment::Model,
    request: &DeliverShipmentRequest,
) -> Result<sales_order::Model, Error> {
    // The shipment is seen through its order.
    let order = find(txn, caller, model.sales_order_id).await?;
    if model.status != ShipmentStatus::Shipped.as_str() {
        return Err(Error::Conflict {
            code: "shipment_delivered",
            field: None,
        });
    }
    next(view::status_of(&order)?, Action::Deliver)?;
    let (delivered_on, received_by) = parse_delivery(request, model.shipped_on, today_in_china())?;
    let changes = shipment::ActiveModel {
        status: Set(ShipmentStatus::Delivered.as_str().to_owned()),
        delivered_on: Set(Some(delivered_on)),
        received_by: Set(received_by.clone()),
        delivered_by: Set(Some(caller.user_id)),
        delivered_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<shipment::Entity>(txn, changes, model.id, model.version, storage)
        .await?;
    let carried = shipment_line::Entity::find()
        .filter(shipment_line::Column::TenantId.eq(caller.tenant_id))
        .filter(shipment_line::Column::ShipmentId.eq(model.id))
        .all(txn)
        .await
        .map_err(storage)?;
    let mut stored = lines::stored(txn, &order).await?;
    for row in &carried {
        if let Some(line) = stored.iter_mut().find(|l| l.id == row.order_line_id) {
            line.progress.delivered += from_units(row.quantity);
        }
    }
    let actor = Actor::from(caller);
    record(
        txn,
        &actor,
        AuditAction::StatusChanged,
        "shipment",
        model.id,
        diff(
            &json!({"status": "shipped"}),
            &json!({"status": "delivered", "delivered_on": delivered_on, "received_by": received_by}),
        ),
    )
    .await?;
    let updated = follow_progress(txn, &actor, &order, &stored, delivered_on).await?;
    let lines: Vec<_> = carried
        .iter()
        .map(
            |r| json!({"line_id": r.order_line_id, "quantity": from_units(r.quantity).to_string()}),
        )
        .collect();
    announce(txn, model, &updated, EventType::ShipmentDelivered, &lines).await?;
    Ok(updated)
}

/// 交期超期: lines of the caller's shipping orders past their promised date with quantity
/// still to ship, the longest overdue first (at most `limit`).
pub async fn overdue_deliveries(
    db: &impl ConnectionTrait,
    caller: &Caller,
    limit: u64,
) -> Result<Vec<OverdueDeliveryResponse>, Error> {
    let today = today_in_china();
    let orders = sales_order::Entity::find()
        .select_only()
        .column(sales_order::Column::Id)
        .filter(sales_order::Column::TenantId.eq(caller.tenant_id))
        .filter(sales_order::Column::DeletedAt.is_null())
        .filter(sales_order::Column::Status.is_in([
            SalesOrderStatus::Confirmed.as_str(),
            SalesOrderStatus::PartiallyShipped.as_str(),
        ]))
        .filter(sales_order::Column::NextPromisedDate.lt(today))
        .filter(Condition::all().add(owned_by_visible(caller, sales_order::Column::OwnerId)))
        .into_query();
    let rows = sales_order_line::Entity::find()
        .filter(sales_order_line::Column::TenantId.eq(caller.tenant_id))
        .filter(sales_order_line::Column::OpenQuantity.gt(0))
        .filter(sales_order_line::Column::PromisedDate.lt(today))
        .filter(sales_order_line::Column::SalesOrderId.in_subquery(orders))
        .order_by_asc(sales_order_line::Column::PromisedDate)
        .order_by_asc(sales_order_line::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(storage)?;
    let order_ids: Vec<Uuid> = rows.iter().map(|r| r.sales_order_id).collect();
    let orders: HashMap<Uuid, sales_order::Model> = sales_order::Entity::find()
        .filter(sales_order::Column::TenantId.eq(caller.tenant_id))
        .filter(sales_order::Column::Id.is_in(order_ids))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let customers = crate::customers::names(
        db,
        caller.tenant_id,
        orders.values().map(|o| o.customer_id).collect(),
    )
    .await?;
    let owners: Vec<Uuid> = orders.values().map(|o| o.owner_id).collect();
    let owners = crate::users::names(db, caller.tenant_id, &owners).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let order = orders.get(&r.sales_order_id)?;
            let promised = r.promised_date?;
            Some(OverdueDeliveryResponse {
                sales_order_id: order.id,
                order_number: order.number.clone(),
                customer_id: order.customer_id,
                customer_name: customers
                    .get(&order.customer_id)
                    .cloned()
                    .unwrap_or_default(),
                line_id: r.id,
                line_name: r.name,
                promised_date: promised,
                days_overdue: u32::try_from((today - promised).num_days()).unwrap_or(0),
                open_quantity: from_units(r.open_quantity),
                unit: r.unit,
                owner_id: order.owner_id,
                owner_name: owners.get(&order.owner_id).cloned().unwrap_or_default(),
            })
        })
        .collect())
}
