//! Collections (回款分析): per month, the instalments that fell due and what has been paid on
//! them, the payments that came in (from the `receivable_days` rollup where it can answer),
//! and the days sales outstanding.

use std::collections::HashMap;

use chrono::NaiveDate;
use crm_api_types::calendar::Month;
use crm_api_types::reports::{
    CollectionFigures, CollectionMonth, CollectionsReport, DaysSalesOutstanding,
};
use crm_domain::report::{days_sales_outstanding, percent_of};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect,
    Select,
};

use super::ORDERED;
use super::records::{RecordNarrowing, month_of};
use crate::entities::{instalment, payment, payment_allocation, receivable_day, sales_order};
use crate::error::storage;
use crate::money::money_from_units;
use crate::rollups::orders::{MonthReceivables, receivables_in};
use crate::rollups::{Days, departments_covered};

pub struct CollectionsSpec {
    pub from: Month,
    pub to: Month,
    pub currency: String,
    pub today: NaiveDate,
    pub narrowing: RecordNarrowing,
}

#[derive(Debug, FromQueryResult)]
struct Due {
    month: String,
    due: i64,
    collected: i64,
}

#[derive(Debug, FromQueryResult)]
struct Received {
    month: String,
    received: i64,
}

#[derive(Debug, FromQueryResult)]
struct Sum {
    amount: Option<i64>,
}

pub async fn collections(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: CollectionsSpec,
) -> Result<CollectionsReport, Error> {
    let backend = db.get_database_backend();
    let (first, last) = (spec.from.first_day(), spec.to.last_day());
    let departments = departments_covered(
        caller,
        receivable_day::Column::DepartmentId,
        spec.narrowing.department_path.as_deref(),
    );
    let by_month: HashMap<String, MonthReceivables> = match departments {
        Some(departments) if !spec.narrowing.beyond_departments() => {
            let days = Days {
                from: first,
                to: last,
            };
            let month = month_of(backend, "\"receivable_days\".\"day\"");
            receivables_in(
                db,
                caller.tenant_id,
                &spec.currency,
                days,
                month,
                departments,
            )
            .await?
        }
        _ => from_rows(db, caller, &spec).await?,
    }
    .into_iter()
    .map(|m| (m.month.clone(), m))
    .collect();
    let outstanding = instalments(caller, &spec)
        // Adds nothing to the sum, and lets the open-instalments index (written with the
        // same predicate) answer it instead of every instalment ever confirmed.
        .filter(Expr::cust("\"instalments\".\"outstanding\" > 0"))
        .select_only()
        .column_as(
            Expr::cust("CAST(SUM(\"instalments\".\"outstanding\") AS BIGINT)"),
            "amount",
        )
        .into_model::<Sum>()
        .one(db)
        .await
        .map_err(storage)?
        .and_then(|s| s.amount)
        .unwrap_or(0);
    let until = last.min(spec.today);
    let ordered = sales_order::Entity::find()
        .filter(sales_order::Column::TenantId.eq(caller.tenant_id))
        .filter(sales_order::Column::DeletedAt.is_null())
        .filter(sales_order::Column::Status.is_in(ORDERED.map(|s| s.as_str())))
        .filter(sales_order::Column::Currency.eq(spec.currency.as_str()))
        .filter(sales_order::Column::OrderDate.between(first, until))
        .filter(spec.narrowing.condition(
            caller,
            sales_order::Column::OwnerId,
            sales_order::Column::CustomerId,
        ))
        .select_only()
        .column_as(
            Expr::cust(
                "CAST(SUM(\"sales_orders\".\"total\" - \"sales_orders\".\"cancelled_amount\") AS BIGINT)",
            ),
            "amount",
        )
        .into_model::<Sum>()
        .one(db)
        .await
        .map_err(storage)?
        .and_then(|s| s.amount)
        .unwrap_or(0);

    let mut total = (0, 0, 0);
    let months = spec
        .from
        .through(spec.to)
        .into_iter()
        .map(|month| {
            let key = month.to_string();
            let (due, collected, received) = by_month
                .get(&key)
                .map_or((0, 0, 0), |m| (m.due, m.collected, m.received));
            total = (total.0 + due, total.1 + collected, total.2 + received);
            CollectionMonth {
                month,
                figures: figures(due, collected, received),
            }
        })
        .collect();
    let days = u32::try_from((until - first).num_days() + 1).unwrap_or(0);
    let (outstanding, ordered) = (money_from_units(outstanding), money_from_units(ordered));
    Ok(CollectionsReport {
        from: spec.from,
        to: spec.to,
        currency: spec.currency,
        months,
        total: figures(total.0, total.1, total.2),
        dso: DaysSalesOutstanding {
            outstanding,
            ordered,
            days,
            dso_days: days_sales_outstanding(outstanding, ordered, days),
        },
    })
}

/// The months' due, collected and received amounts counted from the instalments and
/// payments themselves, for what the rollup can't answer (a reader's own records, a
/// narrowing by owner, region or industry).
async fn from_rows(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: &CollectionsSpec,
) -> Result<Vec<MonthReceivables>, Error> {
    let backend = db.get_database_backend();
    let (first, last) = (spec.from.first_day(), spec.to.last_day());
    let due: Vec<Due> = instalments(caller, spec)
        .filter(instalment::Column::DueDate.between(first, last))
        .select_only()
        .column_as(month_of(backend, "\"instalments\".\"due_date\""), "month")
        .column_as(
            Expr::cust("CAST(SUM(\"instalments\".\"amount\") AS BIGINT)"),
            "due",
        )
        .column_as(
            Expr::cust("CAST(SUM(\"instalments\".\"paid_amount\") AS BIGINT)"),
            "collected",
        )
        .group_by(Expr::cust("1"))
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;
    let received: Vec<Received> = payment_allocation::Entity::find()
        .join(
            JoinType::InnerJoin,
            payment_allocation::Entity::belongs_to(instalment::Entity)
                .from(payment_allocation::Column::InstalmentId)
                .to(instalment::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            payment_allocation::Entity::belongs_to(payment::Entity)
                .from(payment_allocation::Column::PaymentId)
                .to(payment::Column::Id)
                .into(),
        )
        .filter(payment_allocation::Column::TenantId.eq(caller.tenant_id))
        .filter(payment::Column::Currency.eq(spec.currency.as_str()))
        .filter(payment::Column::ReceivedOn.between(first, last))
        .filter(spec.narrowing.condition(
            caller,
            instalment::Column::OwnerId,
            instalment::Column::CustomerId,
        ))
        .select_only()
        .column_as(month_of(backend, "\"payments\".\"received_on\""), "month")
        .column_as(
            Expr::cust("CAST(SUM(\"payment_allocations\".\"amount\") AS BIGINT)"),
            "received",
        )
        .group_by(Expr::cust("1"))
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;
    let mut by_month: HashMap<String, MonthReceivables> = due
        .into_iter()
        .map(|d| {
            let month = MonthReceivables {
                month: d.month.clone(),
                due: d.due,
                collected: d.collected,
                received: 0,
            };
            (d.month, month)
        })
        .collect();
    for r in received {
        by_month
            .entry(r.month.clone())
            .or_insert_with(|| MonthReceivables {
                month: r.month,
                due: 0,
                collected: 0,
                received: 0,
            })
            .received += r.received;
    }
    Ok(by_month.into_values().collect())
}

/// The confirmed instalments in the report's currency that the caller's report counts.
fn instalments(caller: &Caller, spec: &CollectionsSpec) -> Select<instalment::Entity> {
    instalment::Entity::find()
        .filter(instalment::Column::TenantId.eq(caller.tenant_id))
        .filter(instalment::Column::Confirmed.eq(true))
        .filter(instalment::Column::Currency.eq(spec.currency.as_str()))
        .filter(spec.narrowing.condition(
            caller,
            instalment::Column::OwnerId,
            instalment::Column::CustomerId,
        ))
}

fn figures(due: i64, collected: i64, received: i64) -> CollectionFigures {
    let (due, collected) = (money_from_units(due), money_from_units(collected));
    CollectionFigures {
        collection_percent: percent_of(collected, due),
        due,
        collected,
        received: money_from_units(received),
    }
}
