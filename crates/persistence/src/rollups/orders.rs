//! The orders' rollups, per day and department of the owner: `delivery_days` holds, per day
//! shipped, the order lines with a promised date shipped that day (a line shipped in two
//! shipments counts twice, as the report counts it) and how many of those went out by the
//! promised date (deleted orders count in neither); `receivable_days` holds, per currency,
//! what confirmed instalments fall due that day and what has been paid on them, and (per
//! day received) what payments brought in, as allocated to instalments.

use crm_domain::Error;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{Days, Records, Rollup, owners_department};
use crate::entities::{
    delivery_day, instalment, payment, payment_allocation, receivable_day, sales_order,
    sales_order_line, shipment, shipment_line,
};
use crate::error::storage;

/// The orders whose contribution a write retracts before it changes them, and applies again
/// after.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Orders {
    /// One order: confirmed, shipped, delivered, edited, replanned, cancelled, deleted.
    One(Uuid),
    /// Every order a user owns: the user moves to another department.
    OwnedBy(Uuid),
    /// Every order of a customer: a payment is applied to their instalments.
    OfCustomer(Uuid),
}

const DELIVERIES: Rollup = Rollup {
    table: "delivery_days",
    key: &["tenant_id", "day", "department_id"],
    figures: &["lines", "on_time"],
};

const RECEIVABLES: Rollup = Rollup {
    table: "receivable_days",
    key: &["tenant_id", "day", "department_id", "currency"],
    figures: &["due", "collected", "received"],
};

impl Records for Orders {
    const ROLLUPS: &'static [Rollup] = &[DELIVERIES, RECEIVABLES];

    async fn add(
        db: &impl ConnectionTrait,
        tenant_id: Uuid,
        orders: Option<Self>,
        sign: i64,
    ) -> Result<(), Error> {
        DELIVERIES.add(db, shipped(tenant_id, orders), sign).await?;
        let mut receivables = instalments(tenant_id, orders);
        receivables.union(UnionType::All, allocations(tenant_id, orders));
        RECEIVABLES.add(db, receivables, sign).await
    }
}

impl Orders {
    /// The orders as a condition on the columns holding a row's order, owner and customer.
    fn condition(self, order: Expr, owner: Expr, customer: Expr) -> SimpleExpr {
        match self {
            Self::One(id) => order.eq(id),
            Self::OwnedBy(user) => owner.eq(user),
            Self::OfCustomer(id) => customer.eq(id),
        }
    }
}

/// One row per shipped order line with a promised date: the day it shipped, the owner's
/// department, and whether it was on time.
fn shipped(tenant_id: Uuid, orders: Option<Orders>) -> SelectStatement {
    let order = |c: sales_order::Column| Expr::col((sales_order::Entity, c));
    let mut rows = Query::select();
    rows.expr_as(order(sales_order::Column::TenantId), "tenant_id")
        .expr_as(Expr::col((shipment::Entity, shipment::Column::ShippedOn)), "day")
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
        .and_where(order(sales_order::Column::TenantId).eq(tenant_id))
        .and_where(order(sales_order::Column::DeletedAt).is_null())
        .and_where(
            Expr::col((sales_order_line::Entity, sales_order_line::Column::PromisedDate))
                .is_not_null(),
        );
    owners_department(
        &mut rows,
        (sales_order::Entity, sales_order::Column::OwnerId),
    );
    if let Some(orders) = orders {
        rows.and_where(orders.condition(
            order(sales_order::Column::Id),
            order(sales_order::Column::OwnerId),
            order(sales_order::Column::CustomerId),
        ));
    }
    rows
}

/// `instalments`' column `c`.
fn instalment_column(c: instalment::Column) -> Expr {
    Expr::col((instalment::Entity, c))
}

/// The confirmed instalments of `orders` with a due date, by due day and currency, as the
/// columns of `receivable_days`.
fn instalments(tenant_id: Uuid, orders: Option<Orders>) -> SelectStatement {
    let mut rows = Query::select();
    rows.expr_as(instalment_column(instalment::Column::DueDate), "day")
        .expr_as(instalment_column(instalment::Column::Currency), "currency")
        .expr_as(instalment_column(instalment::Column::Amount), "due")
        .expr_as(
            instalment_column(instalment::Column::PaidAmount),
            "collected",
        )
        .expr_as(Expr::cust("0"), "received")
        .from(instalment::Entity)
        .and_where(instalment_column(instalment::Column::Confirmed).eq(true))
        // Due after an event that has not happened yet: not due on any day so far.
        .and_where(instalment_column(instalment::Column::DueDate).is_not_null());
    owned_instalments(&mut rows, tenant_id, orders);
    rows
}

/// The allocations of payments to the instalments of `orders`, by the day and currency of
/// the payment, as the columns of `receivable_days`.
fn allocations(tenant_id: Uuid, orders: Option<Orders>) -> SelectStatement {
    let payment_column = |c: payment::Column| Expr::col((payment::Entity, c));
    let mut rows = Query::select();
    rows.expr_as(payment_column(payment::Column::ReceivedOn), "day")
        .expr_as(payment_column(payment::Column::Currency), "currency")
        .expr_as(Expr::cust("0"), "due")
        .expr_as(Expr::cust("0"), "collected")
        .expr_as(
            Expr::col((
                payment_allocation::Entity,
                payment_allocation::Column::Amount,
            )),
            "received",
        )
        .from(payment_allocation::Entity)
        .inner_join(
            payment::Entity,
            payment_column(payment::Column::Id).equals((
                payment_allocation::Entity,
                payment_allocation::Column::PaymentId,
            )),
        )
        .inner_join(
            instalment::Entity,
            instalment_column(instalment::Column::Id).equals((
                payment_allocation::Entity,
                payment_allocation::Column::InstalmentId,
            )),
        );
    owned_instalments(&mut rows, tenant_id, orders);
    rows
}

/// Narrows `rows` (which read `instalments`) to the tenant's instalments of `orders`, and
/// adds the key's tenant and owner's department.
fn owned_instalments(rows: &mut SelectStatement, tenant_id: Uuid, orders: Option<Orders>) {
    rows.expr_as(instalment_column(instalment::Column::TenantId), "tenant_id");
    owners_department(rows, (instalment::Entity, instalment::Column::OwnerId));
    rows.and_where(instalment_column(instalment::Column::TenantId).eq(tenant_id));
    if let Some(orders) = orders {
        rows.and_where(orders.condition(
            instalment_column(instalment::Column::SalesOrderId),
            instalment_column(instalment::Column::OwnerId),
            instalment_column(instalment::Column::CustomerId),
        ));
    }
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

/// One month's receivables: due, collected on what fell due, received.
#[derive(Debug, FromQueryResult)]
pub(crate) struct MonthReceivables {
    pub month: String,
    pub due: i64,
    pub collected: i64,
    pub received: i64,
}

/// The receivables in `currency` over `days`, per month (`month` names a day's month in
/// SQL), from the departments `departments` selects.
pub(crate) async fn receivables_in(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    currency: &str,
    days: Days,
    month: SimpleExpr,
    departments: Condition,
) -> Result<Vec<MonthReceivables>, Error> {
    let mut query = receivable_day::Entity::find()
        .select_only()
        .column_as(month, "month");
    for figure in RECEIVABLES.figures {
        query = query.column_as(
            Expr::cust(format!(
                "CAST(COALESCE(SUM(\"receivable_days\".\"{figure}\"), 0) AS BIGINT)"
            )),
            *figure,
        );
    }
    query
        .filter(receivable_day::Column::TenantId.eq(tenant_id))
        .filter(receivable_day::Column::Currency.eq(currency))
        .filter(receivable_day::Column::Day.between(days.from, days.to))
        .filter(departments)
        .group_by(Expr::cust("1"))
        .into_model()
        .all(db)
        .await
        .map_err(storage)
}
