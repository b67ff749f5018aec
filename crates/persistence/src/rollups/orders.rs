//! The orders' rollup `delivery_days`: per day shipped and department of the order's owner,
//! the order lines with a promised date shipped that day (a line shipped in two shipments
//! counts twice, as the report counts it) and how many of those went out by the promised
//! date. Deleted orders count in neither.

use crm_domain::Error;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{Days, Rollup};
use crate::entities::{delivery_day, sales_order, sales_order_line, shipment, shipment_line, user};
use crate::error::storage;

/// The orders whose contribution a write retracts before it changes them, and applies again
/// after.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Orders {
    /// One order: shipped, edited, deleted.
    One(Uuid),
    /// Every order a user owns: the user moves to another department.
    OwnedBy(Uuid),
}

const DELIVERIES: Rollup = Rollup {
    table: "delivery_days",
    key: &["tenant_id", "day", "department_id"],
    figures: &["lines", "on_time"],
};

/// Subtracts what `orders` add to the rollup now; call before changing them.
pub(crate) async fn retract(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    orders: Orders,
) -> Result<(), Error> {
    DELIVERIES
        .add(db, shipped(tenant_id, Some(orders)), -1)
        .await
}

/// Adds what `orders` add to the rollup now; call after changing them.
pub(crate) async fn apply(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    orders: Orders,
) -> Result<(), Error> {
    DELIVERIES
        .add(db, shipped(tenant_id, Some(orders)), 1)
        .await
}

/// Sums the tenant's rollup again from all its shipments.
pub(crate) async fn rebuild(db: &impl ConnectionTrait, tenant_id: Uuid) -> Result<(), Error> {
    delivery_day::Entity::delete_many()
        .filter(delivery_day::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await
        .map_err(storage)?;
    DELIVERIES.add(db, shipped(tenant_id, None), 1).await
}

/// One row per shipped order line with a promised date: the day it shipped, the owner's
/// department, and whether it was on time.
fn shipped(tenant_id: Uuid, orders: Option<Orders>) -> SelectStatement {
    let order = |c: sales_order::Column| Expr::col((sales_order::Entity, c));
    let mut rows = Query::select();
    rows.expr_as(order(sales_order::Column::TenantId), "tenant_id")
        .expr_as(Expr::col((shipment::Entity, shipment::Column::ShippedOn)), "day")
        .expr_as(
            Expr::col((user::Entity, user::Column::DepartmentId)),
            "department_id",
        )
        .expr_as(Expr::cust("1"), "lines")
        .expr_as(
            Expr::cust(
                "CASE WHEN \"shipments\".\"shipped_on\" <= \"sales_order_lines\".\"promised_date\" THEN 1 ELSE 0 END",
            ),
            "on_time",
        )
        .from(shipment_line::Entity)
        .inner_join(
            shipment::Entity,
            Expr::col((shipment::Entity, shipment::Column::Id))
                .equals((shipment_line::Entity, shipment_line::Column::ShipmentId)),
        )
        .inner_join(
            sales_order_line::Entity,
            Expr::col((sales_order_line::Entity, sales_order_line::Column::Id))
                .equals((shipment_line::Entity, shipment_line::Column::OrderLineId)),
        )
        .inner_join(
            sales_order::Entity,
            Expr::col((sales_order::Entity, sales_order::Column::Id)).equals((
                sales_order_line::Entity,
                sales_order_line::Column::SalesOrderId,
            )),
        )
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((sales_order::Entity, sales_order::Column::OwnerId)),
        )
        .and_where(order(sales_order::Column::TenantId).eq(tenant_id))
        .and_where(order(sales_order::Column::DeletedAt).is_null())
        .and_where(
            Expr::col((sales_order_line::Entity, sales_order_line::Column::PromisedDate))
                .is_not_null(),
        );
    match orders {
        Some(Orders::One(id)) => {
            rows.and_where(order(sales_order::Column::Id).eq(id));
        }
        Some(Orders::OwnedBy(owner)) => {
            rows.and_where(order(sales_order::Column::OwnerId).eq(owner));
        }
        None => {}
    }
    rows
}

/// Order lines with a promised date shipped over a period, and those shipped by it.
#[derive(Debug, FromQueryResult)]
pub(crate) struct Deliveries {
    pub lines: i64,
    pub on_time: i64,
}

/// The deliveries of `days` from the departments `departments` selects.
pub(crate) async fn deliveries_in(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    days: Days,
    departments: Condition,
) -> Result<Deliveries, Error> {
    let summed = |figure: &str| {
        Expr::cust(format!(
            "CAST(COALESCE(SUM(\"delivery_days\".\"{figure}\"), 0) AS BIGINT)"
        ))
    };
    let figures = delivery_day::Entity::find()
        .select_only()
        .column_as(summed("lines"), "lines")
        .column_as(summed("on_time"), "on_time")
        .filter(delivery_day::Column::TenantId.eq(tenant_id))
        .filter(delivery_day::Column::Day.between(days.from, days.to))
        .filter(departments)
        .into_model::<Deliveries>()
        .one(db)
        .await
        .map_err(storage)?;
    Ok(figures.unwrap_or(Deliveries {
        lines: 0,
        on_time: 0,
    }))
}
