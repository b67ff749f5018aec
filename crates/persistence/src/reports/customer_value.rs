//! Customer value (客户价值分析): the period's revenue per customer, ranked and cut into ABC
//! classes by window functions; new against repeat customers; customers who stopped ordering.
//! Four grouped queries over the orders the caller's report reads (the "book": orders
//! confirmed or further, in the caller's scope by their owner, narrowed), then the names of
//! the few customers shown.

use std::collections::HashMap;

use chrono::NaiveDate;
use crm_api_types::calendar::Month;
use crm_api_types::reports::{
    CustomerCohort, CustomerValueReport, DormantCustomer, DormantCustomers, RankedCustomer,
    ValueClass, ValueClassFigures,
};
use crm_domain::report::{VALUE_CLASS_A_PERCENT, VALUE_CLASS_B_PERCENT, percent, percent_of};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::ORDERED;
use super::records::RecordNarrowing;
use crate::entities::{customer, sales_order};
use crate::error::storage;
use crate::money::money_from_units;

/// The largest customers listed, and the dormant ones.
const TOP: u64 = 20;
const DORMANT_PAGE: u64 = 50;

pub struct CustomerValueSpec {
    pub from: Month,
    pub to: Month,
    pub currency: String,
    pub narrowing: RecordNarrowing,
    pub today: NaiveDate,
    pub dormant_days: u32,
}

#[derive(Debug, FromQueryResult)]
struct ClassRow {
    class: String,
    customers: i64,
    revenue: Option<i64>,
    top_fifth: Option<i64>,
    top_fifth_customers: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct TopRow {
    customer_id: Uuid,
    revenue: i64,
    orders: i64,
    rank: i64,
    running: i64,
    class: String,
}

#[derive(Debug, FromQueryResult)]
struct CohortRow {
    repeat: i32,
    customers: i64,
    revenue: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct DormantRow {
    customer_id: Uuid,
    last_order: NaiveDate,
    lifetime: Option<i64>,
    dormant: i64,
}

/// The orders the report reads: live, ordered (confirmed or further), in the caller's scope by
/// their owner, narrowed. Whatever their currency and date.
fn book(caller: &Caller, narrowing: &RecordNarrowing) -> Condition {
    Condition::all()
        .add(sales_order::Column::TenantId.eq(caller.tenant_id))
        .add(sales_order::Column::DeletedAt.is_null())
        .add(sales_order::Column::Status.is_in(ORDERED.map(|s| s.as_str())))
        .add(narrowing.condition(
            caller,
            sales_order::Column::OwnerId,
            sales_order::Column::CustomerId,
        ))
}

const LAST_ORDER: &str = "MAX(\"sales_orders\".\"order_date\")";
const NET: &str = "\"sales_orders\".\"total\" - \"sales_orders\".\"cancelled_amount\"";

/// Revenue per customer in the period and currency: `customer_id`, `revenue`, `orders`.
fn per_customer(caller: &Caller, spec: &CustomerValueSpec) -> SelectStatement {
    sales_order::Entity::find()
        .filter(book(caller, &spec.narrowing))
        .filter(sales_order::Column::Currency.eq(spec.currency.as_str()))
        .filter(sales_order::Column::OrderDate.between(spec.from.first_day(), spec.to.last_day()))
        .select_only()
        .column(sales_order::Column::CustomerId)
        .column_as(Expr::cust(format!("SUM({NET})")), "revenue")
        .column_as(Expr::cust("COUNT(*)"), "orders")
        .group_by(sales_order::Column::CustomerId)
        .into_query()
}

/// The period's customers ranked by revenue (largest first, then by id, so the order is the
/// same every time), with the revenue up to and including each (`running`), the whole
/// (`total`), how many there are (`customers`) and each one's class: A while what came before
/// it is under 80 % of the whole, B under 95 %, C after.
fn classed(caller: &Caller, spec: &CustomerValueSpec) -> SelectStatement {
    let order = "ORDER BY \"per\".\"revenue\" DESC, \"per\".\"customer_id\"";
    let ranked = Query::select()
        .column(("per", "customer_id"))
        .column(("per", "revenue"))
        .column(("per", "orders"))
        .expr_as(Expr::cust(format!("ROW_NUMBER() OVER ({order})")), "rank")
        .expr_as(
            Expr::cust(format!(
                "SUM(\"per\".\"revenue\") OVER ({order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
            )),
            "running",
        )
        .expr_as(Expr::cust("SUM(\"per\".\"revenue\") OVER ()"), "total")
        .expr_as(Expr::cust("COUNT(*) OVER ()"), "customers")
        .from_subquery(per_customer(caller, spec), "per")
        .to_owned();
    let before = "(\"ranked\".\"running\" - \"ranked\".\"revenue\") * 100";
    let class = format!(
        "CASE WHEN {before} < \"ranked\".\"total\" * {VALUE_CLASS_A_PERCENT} THEN 'a' \
         WHEN {before} < \"ranked\".\"total\" * {VALUE_CLASS_B_PERCENT} THEN 'b' ELSE 'c' END"
    );
    Query::select()
        .columns(
            [
                "customer_id",
                "revenue",
                "orders",
                "rank",
                "running",
                "customers",
            ]
            .map(|c| (Alias::new("ranked"), Alias::new(c))),
        )
        .expr_as(Expr::cust(class), "class")
        .from_subquery(ranked, "ranked")
        .to_owned()
}

pub async fn customer_value(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: CustomerValueSpec,
) -> Result<CustomerValueReport, Error> {
    let backend = db.get_database_backend();
    // Per class: its customers and revenue, and the part of it from the top fifth of all
    // customers (rank ≤ ⌈customers ÷ 5⌉, i.e. (rank − 1) × 5 < customers).
    let top_fifth = "(\"classed\".\"rank\" - 1) * 5 < \"classed\".\"customers\"";
    let classes = Query::select()
        .column(("classed", "class"))
        .expr_as(Expr::cust("COUNT(*)"), "customers")
        .expr_as(
            Expr::cust("CAST(SUM(\"classed\".\"revenue\") AS BIGINT)"),
            "revenue",
        )
        .expr_as(
            Expr::cust(format!(
                "CAST(SUM(CASE WHEN {top_fifth} THEN \"classed\".\"revenue\" ELSE 0 END) AS BIGINT)"
            )),
            "top_fifth",
        )
        .expr_as(
            Expr::cust(format!(
                "CAST(SUM(CASE WHEN {top_fifth} THEN 1 ELSE 0 END) AS BIGINT)"
            )),
            "top_fifth_customers",
        )
        .from_subquery(classed(caller, &spec), "classed")
        .group_by_col(("classed", "class"))
        .to_owned();
    let classes = ClassRow::find_by_statement(backend.build(&classes))
        .all(db)
        .await
        .map_err(storage)?;
    let top = Query::select()
        .column(("classed", "customer_id"))
        .expr_as(
            Expr::cust("CAST(\"classed\".\"revenue\" AS BIGINT)"),
            "revenue",
        )
        .expr_as(
            Expr::cust("CAST(\"classed\".\"orders\" AS BIGINT)"),
            "orders",
        )
        .expr_as(Expr::cust("CAST(\"classed\".\"rank\" AS BIGINT)"), "rank")
        .expr_as(
            Expr::cust("CAST(\"classed\".\"running\" AS BIGINT)"),
            "running",
        )
        .column(("classed", "class"))
        .from_subquery(classed(caller, &spec), "classed")
        .order_by(("classed", "rank"), Order::Asc)
        .limit(TOP)
        .to_owned();
    let top = TopRow::find_by_statement(backend.build(&top))
        .all(db)
        .await
        .map_err(storage)?;
    let cohorts = cohorts(db, caller, &spec).await?;
    let dormant = dormant(db, caller, &spec).await?;

    let names = crate::customers::names(
        db,
        caller.tenant_id,
        top.iter()
            .map(|t| t.customer_id)
            .chain(dormant.1.iter().map(|d| d.customer_id))
            .collect(),
    )
    .await?;
    let owners = owners(db, caller, dormant.1.iter().map(|d| d.customer_id)).await?;

    let customers: i64 = classes.iter().map(|c| c.customers).sum();
    let revenue: i64 = classes.iter().map(|c| c.revenue.unwrap_or(0)).sum();
    let customers = u64::try_from(customers).unwrap_or(0);
    let whole = money_from_units(revenue);
    let share = |units: i64| percent_of(money_from_units(units), whole);
    let class_figures = [ValueClass::A, ValueClass::B, ValueClass::C]
        .into_iter()
        .map(|class| {
            let row = classes.iter().find(|r| r.class == class_key(class));
            let count = row.map_or(0, |r| u64::try_from(r.customers).unwrap_or(0));
            let units = row.and_then(|r| r.revenue).unwrap_or(0);
            ValueClassFigures {
                class,
                customers: count,
                revenue: money_from_units(units),
                revenue_percent: share(units),
                customers_percent: percent(count, customers),
            }
        })
        .collect();
    let top_fifth: i64 = classes.iter().map(|c| c.top_fifth.unwrap_or(0)).sum();
    let top_fifth_customers: i64 = classes
        .iter()
        .map(|c| c.top_fifth_customers.unwrap_or(0))
        .sum();
    let top = top
        .into_iter()
        .map(|t| RankedCustomer {
            rank: u64::try_from(t.rank).unwrap_or(0),
            customer_id: t.customer_id,
            name: names.get(&t.customer_id).cloned().unwrap_or_default(),
            orders: u64::try_from(t.orders).unwrap_or(0),
            revenue: money_from_units(t.revenue),
            revenue_percent: share(t.revenue),
            cumulative_percent: share(t.running),
            class: class_of(&t.class),
        })
        .collect();
    let cohort = |repeat: bool| {
        let row = cohorts.iter().find(|c| (c.repeat != 0) == repeat);
        let units = row.and_then(|r| r.revenue).unwrap_or(0);
        CustomerCohort {
            customers: row.map_or(0, |r| u64::try_from(r.customers).unwrap_or(0)),
            revenue: money_from_units(units),
            revenue_percent: share(units),
        }
    };
    let (cutoff, rows) = dormant;
    let count = rows
        .first()
        .map_or(0, |r| u64::try_from(r.dormant).unwrap_or(0));
    let dormant_customers = rows
        .into_iter()
        .map(|d| {
            let owner = owners.get(&d.customer_id).cloned().flatten();
            DormantCustomer {
                customer_id: d.customer_id,
                name: names.get(&d.customer_id).cloned().unwrap_or_default(),
                owner_id: owner.as_ref().map(|(id, _)| *id),
                owner_name: owner.map(|(_, name)| name),
                last_order_date: d.last_order,
                days_since: u32::try_from((spec.today - d.last_order).num_days()).unwrap_or(0),
                lifetime_revenue: money_from_units(d.lifetime.unwrap_or(0)),
            }
        })
        .collect();
    Ok(CustomerValueReport {
        from: spec.from,
        to: spec.to,
        currency: spec.currency,
        customers,
        revenue: whole,
        top_fifth_customers: u64::try_from(top_fifth_customers).unwrap_or(0),
        top_fifth_revenue_percent: share(top_fifth),
        classes: class_figures,
        top,
        new_customers: cohort(false),
        repeat_customers: cohort(true),
        dormant: DormantCustomers {
            dormant_days: spec.dormant_days,
            last_order_by: cutoff,
            count,
            customers: dormant_customers,
        },
    })
}

fn class_key(class: ValueClass) -> &'static str {
    match class {
        ValueClass::A => "a",
        ValueClass::B => "b",
        ValueClass::C => "c",
    }
}

fn class_of(key: &str) -> ValueClass {
    match key {
        "a" => ValueClass::A,
        "b" => ValueClass::B,
        _ => ValueClass::C,
    }
}

/// The period's customers split by whether the book holds an order of theirs (in any
/// currency) dated before the period: repeat customers; the others' first order is in it.
async fn cohorts(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: &CustomerValueSpec,
) -> Result<Vec<CohortRow>, Error> {
    let earlier = Query::select()
        .expr(Expr::val(1))
        .from(sales_order::Entity)
        .cond_where(book(caller, &spec.narrowing))
        .and_where(
            Expr::col((sales_order::Entity, sales_order::Column::CustomerId))
                .equals(("per", "customer_id")),
        )
        .and_where(sales_order::Column::OrderDate.lt(spec.from.first_day()))
        .to_owned();
    let query = Query::select()
        .expr_as(Expr::case(Expr::exists(earlier), 1).finally(0), "repeat")
        .expr_as(Expr::cust("COUNT(*)"), "customers")
        .expr_as(
            Expr::cust("CAST(SUM(\"per\".\"revenue\") AS BIGINT)"),
            "revenue",
        )
        .from_subquery(per_customer(caller, spec), "per")
        .group_by_col("repeat")
        .to_owned();
    CohortRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
        .map_err(storage)
}

/// The customers of the book whose last order (in any currency) is at least `dormant_days`
/// old, the longest dormant first, with what they ordered in all in the report's currency and
/// how many there are in all. Customers deleted or merged into another are left out.
async fn dormant(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: &CustomerValueSpec,
) -> Result<(NaiveDate, Vec<DormantRow>), Error> {
    let cutoff = spec.today - chrono::Duration::days(i64::from(spec.dormant_days));
    let live_customers = Query::select()
        .column(customer::Column::Id)
        .from(customer::Entity)
        .and_where(customer::Column::TenantId.eq(caller.tenant_id))
        .and_where(customer::Column::DeletedAt.is_null())
        .and_where(customer::Column::MergedInto.is_null())
        .to_owned();
    let rows = sales_order::Entity::find()
        .filter(book(caller, &spec.narrowing))
        .filter(sales_order::Column::CustomerId.in_subquery(live_customers))
        .select_only()
        .column(sales_order::Column::CustomerId)
        .column_as(Expr::cust(LAST_ORDER), "last_order")
        .column_as(
            Expr::from(Func::cast_as(
                Func::sum(
                    Expr::case(
                        sales_order::Column::Currency.eq(spec.currency.as_str()),
                        Expr::cust(NET),
                    )
                    .finally(0),
                ),
                "BIGINT",
            )),
            "lifetime",
        )
        .column_as(Expr::cust("COUNT(*) OVER ()"), "dormant")
        .group_by(sales_order::Column::CustomerId)
        .having(Expr::cust(LAST_ORDER).lte(cutoff))
        .order_by(Expr::cust(LAST_ORDER), Order::Asc)
        .order_by(sales_order::Column::CustomerId, Order::Asc)
        .limit(DORMANT_PAGE)
        .into_model::<DormantRow>()
        .all(db)
        .await
        .map_err(storage)?;
    Ok((cutoff, rows))
}

/// The owners (id and name) of these customers; none for a customer in the pool.
async fn owners(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customers: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Option<(Uuid, String)>>, Error> {
    let ids: Vec<Uuid> = customers.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let owned: Vec<(Uuid, Option<Uuid>)> = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .column(customer::Column::OwnerId)
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .filter(customer::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    let owner_ids: Vec<Uuid> = owned.iter().filter_map(|(_, o)| *o).collect();
    let names = crate::users::names(db, caller.tenant_id, &owner_ids).await?;
    Ok(owned
        .into_iter()
        .map(|(id, owner)| {
            let owner = owner.map(|o| (o, names.get(&o).cloned().unwrap_or_default()));
            (id, owner)
        })
        .collect())
}
