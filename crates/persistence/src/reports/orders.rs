//! Orders and delivery (订单与交付): orders dated in the period by month, product or
//! customer, and the on-time share of the order lines shipped in the period. Where a rollup
//! can answer the reader, the period's whole months come from `order_months` or
//! `order_product_months` and the days around them from the orders, and the on-time share
//! from `delivery_days`. Each a grouped query; the names of the handful of products or
//! customers shown are looked up after.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crm_api_types::reports::{DeliveryFigures, OrderGrouping, OrdersReport, OrdersRow};
use crm_domain::report::{Period, percent};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QuerySelect, Select,
};
use uuid::Uuid;

use super::ORDERED;
use super::records::{RecordNarrowing, id_text, month_of};
use crate::entities::{
    delivery_day, order_month, order_product_month, product, sales_order, sales_order_line,
    shipment, shipment_line,
};
use crate::error::storage;
use crate::money::{from_units, money_from_units};
use crate::rollups::orders::{deliveries_in, orders_in, products_in};
use crate::rollups::{Days, Months, departments_covered};

pub struct OrdersSpec {
    pub group_by: OrderGrouping,
    pub period: Period,
    pub currency: String,
    pub narrowing: RecordNarrowing,
    /// Only lines of products in these categories (and orders with such a line).
    pub product_categories: Option<Vec<Uuid>>,
}

/// One group of orders (or, by product, of order lines).
#[derive(Debug, FromQueryResult)]
struct Group {
    key: Option<String>,
    orders: i64,
    quantity: Option<i64>,
    amount: Option<i64>,
}

impl Group {
    /// Adds a group of the same key over other days.
    fn add(&mut self, other: &Group) {
        let sum = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.orders += other.orders;
        self.quantity = sum(self.quantity, other.quantity);
        self.amount = sum(self.amount, other.amount);
    }
}

/// The groups over all the days read, one per key.
#[derive(Default)]
struct Groups {
    by_key: HashMap<Option<String>, Group>,
    /// By product: the orders, quantity and amount of all the lines (an order with lines of
    /// two products counts once).
    total: Option<Group>,
}

impl Groups {
    fn add(&mut self, group: Group) {
        match self.by_key.entry(group.key.clone()) {
            Entry::Occupied(mut found) => found.get_mut().add(&group),
            Entry::Vacant(slot) => {
                slot.insert(group);
            }
        }
    }

    fn add_total(&mut self, total: Group) {
        match &mut self.total {
            Some(sum) => sum.add(&total),
            None => self.total = Some(total),
        }
    }
}

#[derive(Debug, FromQueryResult)]
struct Shipped {
    shipped_lines: i64,
    on_time: Option<i64>,
}

/// The products of the categories asked for.
fn in_categories(caller: &Caller, categories: &[Uuid]) -> SelectStatement {
    Query::select()
        .column(product::Column::Id)
        .from(product::Entity)
        .and_where(product::Column::TenantId.eq(caller.tenant_id))
        .and_where(product::Column::CategoryId.is_in(categories.iter().copied()))
        .to_owned()
}

/// The orders the report counts: live, the caller's scope narrowed, and with a line of the
/// categories asked for.
fn orders_condition(caller: &Caller, spec: &OrdersSpec) -> Condition {
    let mut condition = Condition::all()
        .add(sales_order::Column::TenantId.eq(caller.tenant_id))
        .add(sales_order::Column::DeletedAt.is_null())
        .add(spec.narrowing.condition(
            caller,
            sales_order::Column::OwnerId,
            sales_order::Column::CustomerId,
        ));
    if let Some(categories) = &spec.product_categories {
        let with_line = Query::select()
            .column(sales_order_line::Column::SalesOrderId)
            .from(sales_order_line::Entity)
            .and_where(sales_order_line::Column::TenantId.eq(caller.tenant_id))
            .and_where(
                sales_order_line::Column::ProductId.in_subquery(in_categories(caller, categories)),
            )
            .to_owned();
        condition = condition.add(sales_order::Column::Id.in_subquery(with_line));
    }
    condition
}

/// Ordered on `days`, in the report's currency.
fn ordered(caller: &Caller, spec: &OrdersSpec, days: Days) -> Condition {
    orders_condition(caller, spec)
        .add(sales_order::Column::Status.is_in(ORDERED.map(|s| s.as_str())))
        .add(sales_order::Column::Currency.eq(spec.currency.as_str()))
        .add(sales_order::Column::OrderDate.between(days.from, days.to))
}

fn lines_of_orders(caller: &Caller, spec: &OrdersSpec) -> Select<sales_order_line::Entity> {
    let mut lines = sales_order_line::Entity::find()
        .join(
            JoinType::InnerJoin,
            sales_order_line::Entity::belongs_to(sales_order::Entity)
                .from(sales_order_line::Column::SalesOrderId)
                .to(sales_order::Column::Id)
                .into(),
        )
        .filter(sales_order_line::Column::TenantId.eq(caller.tenant_id));
    if let Some(categories) = &spec.product_categories {
        lines = lines.filter(
            sales_order_line::Column::ProductId.in_subquery(in_categories(caller, categories)),
        );
    }
    lines
}

const ORDER_AMOUNT: &str =
    "CAST(SUM(\"sales_orders\".\"total\" - \"sales_orders\".\"cancelled_amount\") AS BIGINT)";

pub async fn orders(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: OrdersSpec,
) -> Result<OrdersReport, Error> {
    let period = Days {
        from: spec.period.from(),
        to: spec.period.to(),
    };
    let mut groups = Groups::default();
    match (
        spec.group_by,
        period.split_months(),
        rollup_scope(caller, &spec),
    ) {
        (OrderGrouping::Month | OrderGrouping::Product, (Some(months), edges), Some(scope)) => {
            from_rollups(db, caller.tenant_id, &spec, months, scope, &mut groups).await?;
            for days in edges {
                from_rows(db, caller, &spec, days, &mut groups).await?;
            }
        }
        _ => from_rows(db, caller, &spec, period, &mut groups).await?,
    }
    let Groups { by_key, total } = groups;
    let groups: Vec<Group> = by_key.into_values().collect();
    let names = names(db, caller, spec.group_by, &groups).await?;
    let mut rows: Vec<OrdersRow> = groups
        .iter()
        .map(|g| row(g, g.key.as_ref().and_then(|k| names.get(k).cloned())))
        .collect();
    match spec.group_by {
        OrderGrouping::Month => rows.sort_by(|a, b| a.key.cmp(&b.key)),
        OrderGrouping::Product | OrderGrouping::Customer => {
            rows.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.name.cmp(&b.name)));
        }
    }
    let total = match total {
        Some(total) => row(&total, None),
        None => OrdersRow {
            key: None,
            name: None,
            orders: rows.iter().map(|r| r.orders).sum(),
            quantity: None,
            amount: rows.iter().map(|r| r.amount).sum(),
        },
    };
    let delivery = delivery(db, caller, &spec).await?;
    Ok(OrdersReport {
        group_by: spec.group_by,
        from: spec.period.from(),
        to: spec.period.to(),
        currency: spec.currency,
        rows,
        total,
        delivery,
    })
}

/// The departments the monthly rollups are read for: when the reader's scope and narrowing
/// are departments (or everything) and no product category is asked for.
struct RollupScope {
    orders: Condition,
    products: Condition,
}

fn rollup_scope(caller: &Caller, spec: &OrdersSpec) -> Option<RollupScope> {
    if spec.narrowing.beyond_departments() || spec.product_categories.is_some() {
        return None;
    }
    let path = spec.narrowing.department_path.as_deref();
    Some(RollupScope {
        orders: departments_covered(caller, order_month::Column::DepartmentId, path)?,
        products: departments_covered(caller, order_product_month::Column::DepartmentId, path)?,
    })
}

/// The groups of the whole `months`, from the monthly rollups.
async fn from_rollups(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    spec: &OrdersSpec,
    months: Months,
    scope: RollupScope,
    groups: &mut Groups,
) -> Result<(), Error> {
    let monthly = orders_in(db, tenant_id, &spec.currency, months, scope.orders).await?;
    // Keys whose orders were all retracted (cancelled, moved away) stay behind as zeros.
    if spec.group_by == OrderGrouping::Month {
        for month in monthly.into_iter().filter(|m| m.orders != 0) {
            groups.add(Group {
                key: Some(month.month.format("%Y-%m").to_string()),
                orders: month.orders,
                quantity: None,
                amount: Some(month.amount),
            });
        }
        return Ok(());
    }
    let products = products_in(db, tenant_id, &spec.currency, months, scope.products).await?;
    groups.add_total(Group {
        key: None,
        orders: monthly.iter().map(|m| m.orders).sum(),
        quantity: Some(products.iter().map(|p| p.quantity).sum()),
        amount: Some(products.iter().map(|p| p.amount).sum()),
    });
    for product in products.into_iter().filter(|p| p.orders != 0) {
        groups.add(Group {
            key: product.product_id.map(|id| id.to_string()),
            orders: product.orders,
            quantity: Some(product.quantity),
            amount: Some(product.amount),
        });
    }
    Ok(())
}

/// The groups of the orders dated on `days`, read from the orders (and their lines).
async fn from_rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: &OrdersSpec,
    days: Days,
    groups: &mut Groups,
) -> Result<(), Error> {
    let backend = db.get_database_backend();
    let by_orders = |key: sea_orm::sea_query::SimpleExpr| {
        sales_order::Entity::find()
            .filter(ordered(caller, spec, days))
            .select_only()
            .column_as(key, "key")
            .column_as(Expr::cust("COUNT(*)"), "orders")
            .column_as(Expr::cust("CAST(NULL AS BIGINT)"), "quantity")
            .column_as(Expr::cust(ORDER_AMOUNT), "amount")
            .group_by(Expr::cust("1"))
    };
    let line_sums = |select: Select<sales_order_line::Entity>| {
        select
            .filter(ordered(caller, spec, days))
            .column_as(
                Expr::cust("COUNT(DISTINCT \"sales_order_lines\".\"sales_order_id\")"),
                "orders",
            )
            .column_as(
                Expr::cust("CAST(SUM(\"sales_order_lines\".\"quantity\") AS BIGINT)"),
                "quantity",
            )
            .column_as(
                Expr::cust("CAST(SUM(\"sales_order_lines\".\"net_amount\") AS BIGINT)"),
                "amount",
            )
    };
    let found: Vec<Group> = match spec.group_by {
        OrderGrouping::Month => {
            by_orders(month_of(backend, "\"sales_orders\".\"order_date\""))
                .into_model()
                .all(db)
                .await
        }
        OrderGrouping::Customer => {
            by_orders(Expr::cust(id_text(
                backend,
                "\"sales_orders\".\"customer_id\"",
            )))
            .into_model()
            .all(db)
            .await
        }
        OrderGrouping::Product => {
            line_sums(lines_of_orders(caller, spec).select_only().column_as(
                Expr::cust(id_text(backend, "\"sales_order_lines\".\"product_id\"")),
                "key",
            ))
            .group_by(Expr::cust("1"))
            .into_model()
            .all(db)
            .await
        }
    }
    .map_err(storage)?;
    for group in found {
        groups.add(group);
    }
    if spec.group_by == OrderGrouping::Product {
        let total = line_sums(lines_of_orders(caller, spec).select_only())
            .column_as(Expr::cust("CAST(NULL AS TEXT)"), "key")
            .into_model::<Group>()
            .one(db)
            .await
            .map_err(storage)?;
        if let Some(total) = total {
            groups.add_total(total);
        }
    }
    Ok(())
}

fn row(group: &Group, name: Option<String>) -> OrdersRow {
    OrdersRow {
        key: group.key.clone(),
        name,
        orders: u64::try_from(group.orders).unwrap_or(0),
        quantity: group.quantity.map(from_units),
        amount: money_from_units(group.amount.unwrap_or(0)),
    }
}

/// The products' or customers' names of the rows.
async fn names(
    db: &impl ConnectionTrait,
    caller: &Caller,
    grouping: OrderGrouping,
    groups: &[Group],
) -> Result<HashMap<String, String>, Error> {
    let ids: Vec<Uuid> = groups
        .iter()
        .filter_map(|g| g.key.as_deref()?.parse().ok())
        .collect();
    let names = match grouping {
        OrderGrouping::Month => return Ok(HashMap::new()),
        OrderGrouping::Customer => crate::customers::names(db, caller.tenant_id, ids).await?,
        OrderGrouping::Product => product::Entity::find()
            .select_only()
            .column(product::Column::Id)
            .column(product::Column::Name)
            .filter(product::Column::TenantId.eq(caller.tenant_id))
            .filter(product::Column::Id.is_in(ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .collect(),
    };
    Ok(names
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect())
}

/// Order lines with a promised date shipped in the period, and those shipped by it: from
/// the rollup when it can answer the reader, from the shipments otherwise.
async fn delivery(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: &OrdersSpec,
) -> Result<DeliveryFigures, Error> {
    let departments = departments_covered(
        caller,
        delivery_day::Column::DepartmentId,
        spec.narrowing.department_path.as_deref(),
    );
    let (lines, on_time) = match departments {
        Some(departments)
            if !spec.narrowing.beyond_departments() && spec.product_categories.is_none() =>
        {
            let days = Days {
                from: spec.period.from(),
                to: spec.period.to(),
            };
            let shipped = deliveries_in(db, caller.tenant_id, days, departments).await?;
            (shipped.lines, shipped.on_time)
        }
        _ => shipped_lines(db, caller, spec).await?,
    };
    let (lines, on_time) = (
        u64::try_from(lines).unwrap_or(0),
        u64::try_from(on_time).unwrap_or(0),
    );
    Ok(DeliveryFigures {
        shipped_lines: lines,
        on_time,
        on_time_percent: percent(on_time, lines),
    })
}

/// The delivery figures counted from the shipments themselves.
async fn shipped_lines(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: &OrdersSpec,
) -> Result<(i64, i64), Error> {
    let shipped = shipment_line::Entity::find()
        .join(
            JoinType::InnerJoin,
            shipment_line::Entity::belongs_to(shipment::Entity)
                .from(shipment_line::Column::ShipmentId)
                .to(shipment::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            shipment_line::Entity::belongs_to(sales_order_line::Entity)
                .from(shipment_line::Column::OrderLineId)
                .to(sales_order_line::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            sales_order_line::Entity::belongs_to(sales_order::Entity)
                .from(sales_order_line::Column::SalesOrderId)
                .to(sales_order::Column::Id)
                .into(),
        )
        .filter(shipment_line::Column::TenantId.eq(caller.tenant_id))
        .filter(shipment::Column::ShippedOn.between(spec.period.from(), spec.period.to()))
        .filter(sales_order_line::Column::PromisedDate.is_not_null())
        .filter(orders_condition(caller, spec));
    let shipped = match &spec.product_categories {
        Some(categories) => shipped.filter(
            sales_order_line::Column::ProductId.in_subquery(in_categories(caller, categories)),
        ),
        None => shipped,
    };
    let figures = shipped
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "shipped_lines")
        .column_as(
            Expr::cust(
                "CAST(SUM(CASE WHEN \"shipments\".\"shipped_on\" <= \"sales_order_lines\".\"promised_date\" THEN 1 ELSE 0 END) AS BIGINT)",
            ),
            "on_time",
        )
        .into_model::<Shipped>()
        .one(db)
        .await
        .map_err(storage)?;
    Ok(figures.map_or((0, 0), |f| (f.shipped_lines, f.on_time.unwrap_or(0))))
}
