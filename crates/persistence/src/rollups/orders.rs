//! The orders' rollups, per day or month and department of the owner: `delivery_days` holds,
//! per day shipped, the order lines with a promised date shipped that day (a line shipped in
//! two shipments counts twice, as the report counts it) and how many of those went out by
//! the promised date (deleted orders count in neither); `receivable_days` holds, per
//! currency, what confirmed instalments fall due that day and what has been paid on them, and
//! (per day received) what payments brought in, as allocated to instalments;
//! `order_months` holds, per month of the order date and currency, the orders confirmed or
//! further and their amount net of cancellations, and `order_product_months` the same orders
//! per product (the nil id for lines without one) with the lines' quantity and net amount.

use chrono::NaiveDate;
use crm_domain::Error;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{Days, Months, Records, Rollup, owners_department};
use crate::entities::{
    delivery_day, instalment, order_month, order_product_month, payment, payment_allocation,
    receivable_day, sales_order, sales_order_line, shipment, shipment_line, user,
};
use crate::error::storage;
use crate::reports::ORDERED;

/// The orders whose contribution a write retracts before it changes them, and applies again
/// after.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Orders {
    /// One order: confirmed, shipped, delivered, edited, replanned, cancelled, deleted.
    One(Uuid),
    /// Every order a user owns: the user moves to another department.
    OwnedBy(Uuid),
    /// Every order of a customer: a payment is applied to their instalments. It moves what
    /// was collected and received, nothing shipped or ordered.
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

const ORDERS: Rollup = Rollup {
    table: "order_months",
    key: &["tenant_id", "month", "department_id", "currency"],
    figures: &["orders", "amount"],
};

const PRODUCTS: Rollup = Rollup {
    table: "order_product_months",
    key: &[
        "tenant_id",
        "month",
        "department_id",
        "currency",
        "product_id",
    ],
    figures: &["orders", "quantity", "amount"],
};

impl Records for Orders {
    const ROLLUPS: &'static [Rollup] = &[DELIVERIES, RECEIVABLES, ORDERS, PRODUCTS];

    async fn add(
        db: &impl ConnectionTrait,
        tenant_id: Uuid,
        orders: Option<Self>,
        sign: i64,
    ) -> Result<(), Error> {
        let mut receivables = instalments(tenant_id, orders);
        receivables.union(UnionType::All, allocations(tenant_id, orders));
        RECEIVABLES.add(db, receivables, sign).await?;
        if matches!(orders, Some(Self::OfCustomer(_))) {
            return Ok(());
        }
        DELIVERIES.add(db, shipped(tenant_id, orders), sign).await?;
        let backend = db.get_database_backend();
        ORDERS
            .add(db, ordered(backend, tenant_id, orders), sign)
            .await?;
        PRODUCTS
            .add(db, ordered_products(backend, tenant_id, orders), sign)
            .await
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

/// The first day of the month of `sales_orders.order_date`.
fn order_month(backend: DatabaseBackend) -> SimpleExpr {
    Expr::cust(match backend {
        DatabaseBackend::Postgres => {
            "CAST(date_trunc('month', \"sales_orders\".\"order_date\") AS DATE)"
        }
        _ => "date(\"sales_orders\".\"order_date\", 'start of month')",
    })
}

/// Narrows `rows` (which read `sales_orders`) to the tenant's live orders of `orders` that
/// count as ordered, and adds the key's tenant, month, owner's department and currency.
fn ordered_orders(
    rows: &mut SelectStatement,
    backend: DatabaseBackend,
    tenant_id: Uuid,
    orders: Option<Orders>,
) {
    let order = |c: sales_order::Column| Expr::col((sales_order::Entity, c));
    rows.expr_as(order(sales_order::Column::TenantId), "tenant_id")
        .expr_as(order_month(backend), "month")
        .expr_as(order(sales_order::Column::Currency), "currency")
        .and_where(order(sales_order::Column::TenantId).eq(tenant_id))
        .and_where(order(sales_order::Column::DeletedAt).is_null())
        .and_where(order(sales_order::Column::Status).is_in(ORDERED.map(|s| s.as_str())));
    owners_department(rows, (sales_order::Entity, sales_order::Column::OwnerId));
    if let Some(orders) = orders {
        rows.and_where(orders.condition(
            order(sales_order::Column::Id),
            order(sales_order::Column::OwnerId),
            order(sales_order::Column::CustomerId),
        ));
    }
}

/// One row per ordered order: its amount net of cancellations.
fn ordered(backend: DatabaseBackend, tenant_id: Uuid, orders: Option<Orders>) -> SelectStatement {
    let mut rows = Query::select();
    rows.expr_as(Expr::cust("1"), "orders")
        .expr_as(
            Expr::cust("\"sales_orders\".\"total\" - \"sales_orders\".\"cancelled_amount\""),
            "amount",
        )
        .from(sales_order::Entity);
    ordered_orders(&mut rows, backend, tenant_id, orders);
    rows
}

/// One row per ordered order and product it has lines of: the lines' quantity and amount.
fn ordered_products(
    backend: DatabaseBackend,
    tenant_id: Uuid,
    orders: Option<Orders>,
) -> SelectStatement {
    let product = Expr::col((
        sales_order_line::Entity,
        sales_order_line::Column::ProductId,
    ));
    let mut rows = Query::select();
    rows.expr_as(
        Func::coalesce([product.clone(), Expr::val(Uuid::nil())]),
        "product_id",
    )
    .expr_as(Expr::cust("1"), "orders")
    .expr_as(
        Expr::cust("SUM(\"sales_order_lines\".\"quantity\")"),
        "quantity",
    )
    .expr_as(
        Expr::cust("SUM(\"sales_order_lines\".\"net_amount\")"),
        "amount",
    )
    .from(sales_order_line::Entity)
    .inner_join(
        sales_order::Entity,
        Expr::col((sales_order::Entity, sales_order::Column::Id)).equals((
            sales_order_line::Entity,
            sales_order_line::Column::SalesOrderId,
        )),
    );
    ordered_orders(&mut rows, backend, tenant_id, orders);
    rows.add_group_by([
        Expr::col((sales_order::Entity, sales_order::Column::Id)),
        Expr::col((sales_order::Entity, sales_order::Column::TenantId)),
        order_month(backend),
        Expr::col((sales_order::Entity, sales_order::Column::Currency)),
        Expr::col((user::Entity, user::Column::DepartmentId)),
        // The column, not its COALESCE: PostgreSQL can't tell two bound nil ids are the same.
        product,
    ]);
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

/// One month's orders in one currency.
#[derive(Debug, FromQueryResult)]
pub(crate) struct MonthOrders {
    pub month: NaiveDate,
    pub orders: i64,
    pub amount: i64,
}

/// The orders in `currency` of `months`, per month, from the departments `departments`
/// selects.
pub(crate) async fn orders_in(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    currency: &str,
    months: Months,
    departments: Condition,
) -> Result<Vec<MonthOrders>, Error> {
    order_month::Entity::find()
        .select_only()
        .column(order_month::Column::Month)
        .column_as(
            Expr::cust("CAST(SUM(\"order_months\".\"orders\") AS BIGINT)"),
            "orders",
        )
        .column_as(
            Expr::cust("CAST(SUM(\"order_months\".\"amount\") AS BIGINT)"),
            "amount",
        )
        .filter(order_month::Column::TenantId.eq(tenant_id))
        .filter(order_month::Column::Currency.eq(currency))
        .filter(order_month::Column::Month.between(months.first, months.last))
        .filter(departments)
        .group_by(order_month::Column::Month)
        .into_model()
        .all(db)
        .await
        .map_err(storage)
}

/// One product's orders in one currency (`None`: the lines without a product).
#[derive(Debug)]
pub(crate) struct ProductOrders {
    pub product_id: Option<Uuid>,
    pub orders: i64,
    pub quantity: i64,
    pub amount: i64,
}

#[derive(Debug, FromQueryResult)]
struct ProductRow {
    product_id: Uuid,
    orders: i64,
    quantity: i64,
    amount: i64,
}

/// The orders in `currency` of `months` per product, from the departments `departments`
/// selects.
pub(crate) async fn products_in(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    currency: &str,
    months: Months,
    departments: Condition,
) -> Result<Vec<ProductOrders>, Error> {
    let summed = |figure: &str| {
        Expr::cust(format!(
            "CAST(SUM(\"order_product_months\".\"{figure}\") AS BIGINT)"
        ))
    };
    let rows: Vec<ProductRow> = order_product_month::Entity::find()
        .select_only()
        .column(order_product_month::Column::ProductId)
        .column_as(summed("orders"), "orders")
        .column_as(summed("quantity"), "quantity")
        .column_as(summed("amount"), "amount")
        .filter(order_product_month::Column::TenantId.eq(tenant_id))
        .filter(order_product_month::Column::Currency.eq(currency))
        .filter(order_product_month::Column::Month.between(months.first, months.last))
        .filter(departments)
        .group_by(order_product_month::Column::ProductId)
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows
        .into_iter()
        .map(|r| ProductOrders {
            product_id: Some(r.product_id).filter(|id| !id.is_nil()),
            orders: r.orders,
            quantity: r.quantity,
            amount: r.amount,
        })
        .collect())
}
