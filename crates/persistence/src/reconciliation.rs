//! Reconciliation: the figures ERPs report per order, and the orders where they disagree
//! with the CRM's. Which orders disagree is one query (the comparison runs in the database
//! over the orders' stored totals and the lines' shipped quantities); the fields that differ
//! are worked out for the page's orders only.

use std::collections::{BTreeMap, HashMap};

use crm_api_types::reconciliation::{
    FigureDifference, ReconciliationResponse, ReportFiguresRequest,
};
use crm_domain::audit::{AuditAction, diff};
use crm_domain::reconciliation::{Figures, differences, parse_reported};
use crm_domain::{Caller, Error, new_id, now};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{order_figure_line, order_figures, sales_order, sales_order_line};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{from_units, money_from_units, to_units};

/// Keeps the figures a system reports for an order the caller sees (replacing what it
/// reported before) and answers how they compare.
pub async fn report(
    db: &crate::Database,
    caller: &Caller,
    order_id: Uuid,
    request: &ReportFiguresRequest,
) -> Result<ReconciliationResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let order = crate::sales_orders::find(&txn, caller, order_id).await?;
    let line_count = sales_order_line::Entity::find()
        .filter(sales_order_line::Column::TenantId.eq(caller.tenant_id))
        .filter(sales_order_line::Column::SalesOrderId.eq(order.id))
        .count(&txn)
        .await
        .map_err(storage)?;
    let (source, figures) =
        parse_reported(request, usize::try_from(line_count).unwrap_or(usize::MAX))?;
    let (source, figures) = (source.as_str(), &figures);
    let row = order_figures::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        sales_order_id: Set(order.id),
        external_source: Set(source.to_owned()),
        total: Set(figures.total.map(to_units)),
        invoiced: Set(figures.invoiced.map(to_units)),
        paid: Set(figures.paid.map(to_units)),
        lines_reported: Set(figures.shipped.is_some()),
        reported_by: Set(caller.user_id),
        reported_at: Set(now()),
    };
    let on_conflict = OnConflict::columns([
        order_figures::Column::TenantId,
        order_figures::Column::SalesOrderId,
        order_figures::Column::ExternalSource,
    ])
    .update_columns([
        order_figures::Column::Total,
        order_figures::Column::Invoiced,
        order_figures::Column::Paid,
        order_figures::Column::LinesReported,
        order_figures::Column::ReportedBy,
        order_figures::Column::ReportedAt,
    ])
    .to_owned();
    order_figures::Entity::insert(row)
        .on_conflict(on_conflict)
        .exec_without_returning(&txn)
        .await
        .map_err(storage)?;
    let saved = order_figures::Entity::find()
        .filter(order_figures::Column::TenantId.eq(caller.tenant_id))
        .filter(order_figures::Column::SalesOrderId.eq(order.id))
        .filter(order_figures::Column::ExternalSource.eq(source))
        .one(&txn)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    order_figure_line::Entity::delete_many()
        .filter(order_figure_line::Column::FiguresId.eq(saved.id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    // Positions were checked against the order's lines, so each fits.
    let lines = figures
        .shipped
        .iter()
        .flatten()
        .map(|(position, quantity)| {
            Ok(order_figure_line::ActiveModel {
                id: Set(new_id()),
                tenant_id: Set(caller.tenant_id),
                figures_id: Set(saved.id),
                position: Set(i32::try_from(*position).map_err(|e| Error::Storage(e.into()))?),
                shipped_quantity: Set(to_units(*quantity)),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    for chunk in lines.chunks(500) {
        order_figure_line::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(storage)?;
    }
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "order_figures",
        order.id,
        diff(&serde_json::Value::Null, &json!({"source": source, "total": figures.total, "invoiced": figures.invoiced, "paid": figures.paid})),
    )
    .await?;
    let response = compared(&txn, caller, vec![saved]).await?.remove(0);
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Every system's figures for one order the caller sees, compared.
pub async fn of_order(
    db: &impl ConnectionTrait,
    caller: &Caller,
    order_id: Uuid,
) -> Result<Vec<ReconciliationResponse>, Error> {
    crate::sales_orders::find(db, caller, order_id).await?;
    let reports = order_figures::Entity::find()
        .filter(order_figures::Column::TenantId.eq(caller.tenant_id))
        .filter(order_figures::Column::SalesOrderId.eq(order_id))
        .order_by_asc(order_figures::Column::ExternalSource)
        .all(db)
        .await
        .map_err(storage)?;
    compared(db, caller, reports).await
}

pub struct DisagreementPage {
    pub items: Vec<ReconciliationResponse>,
    pub next: Option<Cursor>,
}

/// The orders the caller sees whose reported figures disagree with the CRM's, most recently
/// reported first.
pub async fn disagreements(
    db: &impl ConnectionTrait,
    caller: &Caller,
    source: Option<&str>,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<DisagreementPage, Error> {
    let mut query = order_figures::Entity::find()
        .filter(order_figures::Column::TenantId.eq(caller.tenant_id))
        .filter(
            order_figures::Column::SalesOrderId
                .in_subquery(crate::sales_orders::visible_ids(caller)),
        )
        .filter(Expr::cust(DISAGREES));
    if let Some(source) = source {
        query = query.filter(order_figures::Column::ExternalSource.eq(source));
    }
    let keys = Keyset {
        column: order_figures::Column::ReportedAt,
        kind: KeyKind::Time,
        id: order_figures::Column::Id,
        descending: true,
    };
    let (reports, next) = keyset::page(db, query, keys, limit, cursor, |m| Cursor {
        value: m.reported_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok(DisagreementPage {
        items: compared(db, caller, reports).await?,
        next,
    })
}

/// A report disagrees when a figure it gives differs from the order's, or, when it gives
/// line quantities, a line's shipped quantity differs (a line it left out counts as 0).
/// Only column references: the caller's values are bound by the filters around it.
const DISAGREES: &str = "(EXISTS (SELECT 1 FROM sales_orders o WHERE o.id = order_figures.sales_order_id AND (\
    (order_figures.total IS NOT NULL AND order_figures.total <> o.total - o.cancelled_amount) \
    OR (order_figures.invoiced IS NOT NULL AND order_figures.invoiced <> o.invoiced_amount) \
    OR (order_figures.paid IS NOT NULL AND order_figures.paid <> o.received_amount))) \
  OR (order_figures.lines_reported AND (\
    EXISTS (SELECT 1 FROM order_figure_lines f WHERE f.figures_id = order_figures.id AND f.shipped_quantity <> \
      COALESCE((SELECT l.shipped_quantity FROM sales_order_lines l \
        WHERE l.sales_order_id = order_figures.sales_order_id AND l.position = f.position), 0)) \
    OR EXISTS (SELECT 1 FROM sales_order_lines l WHERE l.sales_order_id = order_figures.sales_order_id \
      AND l.shipped_quantity <> 0 AND NOT EXISTS (SELECT 1 FROM order_figure_lines f \
        WHERE f.figures_id = order_figures.id AND f.position = l.position)))))";

/// The reports with their orders' figures and the differences, in the reports' order.
async fn compared(
    db: &impl ConnectionTrait,
    caller: &Caller,
    reports: Vec<order_figures::Model>,
) -> Result<Vec<ReconciliationResponse>, Error> {
    let order_ids: Vec<Uuid> = reports.iter().map(|r| r.sales_order_id).collect();
    let orders: HashMap<Uuid, sales_order::Model> = sales_order::Entity::find()
        .filter(sales_order::Column::TenantId.eq(caller.tenant_id))
        .filter(sales_order::Column::Id.is_in(order_ids.clone()))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut shipped: HashMap<Uuid, BTreeMap<u32, rust_decimal::Decimal>> = HashMap::new();
    for line in sales_order_line::Entity::find()
        .filter(sales_order_line::Column::TenantId.eq(caller.tenant_id))
        .filter(sales_order_line::Column::SalesOrderId.is_in(order_ids))
        .all(db)
        .await
        .map_err(storage)?
    {
        shipped.entry(line.sales_order_id).or_default().insert(
            u32::try_from(line.position).unwrap_or_default(),
            from_units(line.shipped_quantity),
        );
    }
    let report_ids: Vec<Uuid> = reports.iter().map(|r| r.id).collect();
    let mut reported: HashMap<Uuid, BTreeMap<u32, rust_decimal::Decimal>> = HashMap::new();
    for line in order_figure_line::Entity::find()
        .filter(order_figure_line::Column::TenantId.eq(caller.tenant_id))
        .filter(order_figure_line::Column::FiguresId.is_in(report_ids))
        .all(db)
        .await
        .map_err(storage)?
    {
        reported.entry(line.figures_id).or_default().insert(
            u32::try_from(line.position).unwrap_or_default(),
            from_units(line.shipped_quantity),
        );
    }
    let customers = crate::customers::names(
        db,
        caller.tenant_id,
        orders.values().map(|o| o.customer_id).collect(),
    )
    .await?;
    reports
        .into_iter()
        .map(|report| {
            let order = orders
                .get(&report.sales_order_id)
                .ok_or_else(|| Error::Storage("figures of a missing order".into()))?;
            let crm = Figures {
                total: Some(money_from_units(order.total - order.cancelled_amount)),
                invoiced: Some(money_from_units(order.invoiced_amount)),
                paid: Some(money_from_units(order.received_amount)),
                shipped: Some(shipped.get(&order.id).cloned().unwrap_or_default()),
            };
            let erp = Figures {
                total: report.total.map(money_from_units),
                invoiced: report.invoiced.map(money_from_units),
                paid: report.paid.map(money_from_units),
                shipped: report
                    .lines_reported
                    .then(|| reported.get(&report.id).cloned().unwrap_or_default()),
            };
            let found: Vec<FigureDifference> = differences(&crm, &erp)
                .into_iter()
                .map(|d| FigureDifference {
                    field: d.field,
                    crm: d.crm,
                    erp: d.erp,
                })
                .collect();
            Ok(ReconciliationResponse {
                sales_order_id: order.id,
                order_number: order.number.clone(),
                customer_id: order.customer_id,
                customer_name: customers
                    .get(&order.customer_id)
                    .cloned()
                    .unwrap_or_default(),
                currency: order.currency.clone(),
                source: report.external_source,
                reported_at: report.reported_at,
                agrees: found.is_empty(),
                differences: found,
            })
        })
        .collect()
}
