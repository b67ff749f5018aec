//! Performance against target (业绩完成情况): one grouped query sums the metric per owner over
//! the period; the owners' sums are then added up per user or per department (with the
//! departments below it) and set against the targets. Records count by their owner, within
//! the owners the caller's data scope covers.

use std::collections::HashMap;

use crm_api_types::calendar::TargetPeriod;
use crm_api_types::reports::{PerformanceReport, PerformanceRow};
use crm_api_types::targets::{SubjectKind, TargetMetric};
use crm_domain::report::percent_of;
use crm_domain::target::target_for;
use crm_domain::{Caller, Error, start_of_day_in_china};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use super::ORDERED;
use crate::entities::{
    department, instalment, opportunity, payment, payment_allocation, sales_order,
};
use crate::error::storage;
use crate::money::money_from_units;
use crate::opportunities::{OpportunityFilter, filtered};
use crate::scope::{owned_by_visible, owned_in_department_tree};
use crate::targets::{Member, stored, visible_departments, visible_users};

/// The won deals, as the covering index over them is written (`status = 'won'`).
const WON: &str = "\"opportunities\".\"status\" = 'won'";

/// What a performance report measures, over which period and for whom.
pub struct PerformanceSpec {
    pub metric: TargetMetric,
    pub period: TargetPeriod,
    pub by: SubjectKind,
    pub currency: String,
    /// Users in, or departments at or below, this department (its path).
    pub department_path: Option<String>,
}

/// One owner's sum of the metric, in stored units.
#[derive(Debug, FromQueryResult)]
struct Actual {
    owner_id: Uuid,
    amount: i64,
}

/// Owners in the department narrowed to, or any.
fn narrowed(caller: &Caller, spec: &PerformanceSpec, owner: impl ColumnTrait) -> Condition {
    match &spec.department_path {
        Some(path) => owned_in_department_tree(caller.tenant_id, owner, path),
        None => Condition::all(),
    }
}

/// The metric per owner over the period, in the spec's currency.
async fn actuals(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: &PerformanceSpec,
) -> Result<HashMap<Uuid, i64>, Error> {
    let (from, to) = (spec.period.first_day(), spec.period.last_day());
    let after = to.succ_opt().unwrap_or(to);
    let rows: Vec<Actual> = match spec.metric {
        TargetMetric::WonAmount => {
            let filter = OpportunityFilter {
                closed_since: Some(start_of_day_in_china(from)),
                closed_before: Some(start_of_day_in_china(after)),
                department_path: spec.department_path.clone(),
                ..OpportunityFilter::default()
            };
            filtered(caller, &filter)
                // Written as the won deals' covering index's predicate, so the plan a
                // prepared statement settles on after a few runs still reads that index.
                .filter(Expr::cust(WON))
                .filter(owned_by_visible(caller, opportunity::Column::OwnerId))
                .filter(opportunity::Column::Currency.eq(spec.currency.as_str()))
                .select_only()
                .column(opportunity::Column::OwnerId)
                .column_as(
                    Expr::cust("CAST(SUM(\"opportunities\".\"amount\") AS BIGINT)"),
                    "amount",
                )
                .group_by(opportunity::Column::OwnerId)
                .into_model()
                .all(db)
                .await
        }
        TargetMetric::OrderAmount => {
            sales_order::Entity::find()
                .filter(sales_order::Column::TenantId.eq(caller.tenant_id))
                .filter(sales_order::Column::DeletedAt.is_null())
                .filter(owned_by_visible(caller, sales_order::Column::OwnerId))
                .filter(narrowed(caller, spec, sales_order::Column::OwnerId))
                .filter(sales_order::Column::Status.is_in(ORDERED.map(|s| s.as_str())))
                .filter(sales_order::Column::Currency.eq(spec.currency.as_str()))
                .filter(sales_order::Column::OrderDate.between(from, to))
                .select_only()
                .column(sales_order::Column::OwnerId)
                .column_as(
                    Expr::cust(
                        "CAST(SUM(\"sales_orders\".\"total\" - \"sales_orders\".\"cancelled_amount\") AS BIGINT)",
                    ),
                    "amount",
                )
                .group_by(sales_order::Column::OwnerId)
                .into_model()
                .all(db)
                .await
        }
        TargetMetric::Collections => {
            let received = Query::select()
                .column(payment::Column::Id)
                .from(payment::Entity)
                .and_where(payment::Column::TenantId.eq(caller.tenant_id))
                .and_where(payment::Column::Currency.eq(spec.currency.as_str()))
                .and_where(payment::Column::ReceivedOn.between(from, to))
                .to_owned();
            let instalments = payment_allocation::Entity::belongs_to(instalment::Entity)
                .from(payment_allocation::Column::InstalmentId)
                .to(instalment::Column::Id)
                .into();
            payment_allocation::Entity::find()
                .join(JoinType::InnerJoin, instalments)
                .filter(payment_allocation::Column::TenantId.eq(caller.tenant_id))
                .filter(payment_allocation::Column::PaymentId.in_subquery(received))
                .filter(instalment::Column::TenantId.eq(caller.tenant_id))
                .filter(owned_by_visible(caller, instalment::Column::OwnerId))
                .filter(narrowed(caller, spec, instalment::Column::OwnerId))
                .select_only()
                .column(instalment::Column::OwnerId)
                .column_as(
                    Expr::cust("CAST(SUM(\"payment_allocations\".\"amount\") AS BIGINT)"),
                    "amount",
                )
                .group_by(instalment::Column::OwnerId)
                .into_model()
                .all(db)
                .await
        }
    }
    .map_err(storage)?;
    Ok(rows.into_iter().map(|r| (r.owner_id, r.amount)).collect())
}

pub async fn performance(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: PerformanceSpec,
) -> Result<PerformanceReport, Error> {
    let actuals = actuals(db, caller, &spec).await?;
    let users = visible_users(db, caller).await?;
    let departments = visible_departments(db, caller).await?;
    let in_narrowing = |path: &str| {
        spec.department_path
            .as_deref()
            .is_none_or(|prefix| path.starts_with(prefix))
    };
    let path_of: HashMap<Uuid, &str> = departments
        .iter()
        .map(|d| (d.id, d.path.as_str()))
        .collect();
    let users: Vec<&Member> = users
        .iter()
        .filter(|u| {
            spec.department_path.is_none()
                || path_of
                    .get(&u.department_id)
                    .is_some_and(|p| in_narrowing(p))
        })
        .collect();
    let subjects: Vec<(SubjectKind, Uuid)> = match spec.by {
        SubjectKind::User => users.iter().map(|u| (SubjectKind::User, u.id)).collect(),
        SubjectKind::Department => departments
            .iter()
            .filter(|d| in_narrowing(&d.path))
            .map(|d| (SubjectKind::Department, d.id))
            .collect(),
    };
    let year = spec.period.year();
    let targets = stored(
        db,
        caller,
        spec.metric,
        &spec.currency,
        year..=year,
        &subjects,
    )
    .await?;
    let target_of = |key: (SubjectKind, Uuid)| {
        let of = targets.get(&key);
        target_for(spec.period, |p| of.and_then(|t| t.get(&p).copied()))
    };
    let rows = match spec.by {
        SubjectKind::User => user_rows(&users, &actuals, target_of),
        SubjectKind::Department => {
            let shown: Vec<&department::Model> = departments
                .iter()
                .filter(|d| in_narrowing(&d.path))
                .collect();
            department_rows(&shown, &users, &path_of, &actuals, target_of)
        }
    };
    Ok(PerformanceReport {
        metric: spec.metric,
        period: spec.period,
        from: spec.period.first_day(),
        to: spec.period.last_day(),
        by: spec.by,
        currency: spec.currency,
        rows,
    })
}

/// A row before ranking: the actual in stored units.
struct Unranked {
    subject_id: Uuid,
    name: String,
    parent_id: Option<Uuid>,
    depth: u32,
    target: Option<Decimal>,
    actual: i64,
}

/// Users with a target or an actual, by rank.
fn user_rows(
    users: &[&Member],
    actuals: &HashMap<Uuid, i64>,
    target_of: impl Fn((SubjectKind, Uuid)) -> Option<Decimal>,
) -> Vec<PerformanceRow> {
    let mut rows: Vec<Unranked> = users
        .iter()
        .map(|u| Unranked {
            subject_id: u.id,
            name: u.name.clone(),
            parent_id: None,
            depth: 0,
            target: target_of((SubjectKind::User, u.id)),
            actual: actuals.get(&u.id).copied().unwrap_or(0),
        })
        .filter(|r| r.target.is_some() || r.actual != 0)
        .collect();
    rows.sort_by(|a, b| b.actual.cmp(&a.actual).then_with(|| a.name.cmp(&b.name)));
    let ranks = ranks(&rows.iter().map(|r| r.actual).collect::<Vec<_>>());
    rows.into_iter()
        .zip(ranks)
        .map(|(row, rank)| ranked(row, rank))
        .collect()
}

/// Every department shown, as a tree in path order; each one's actual adds up its users'
/// and those of the departments below it; ranks among the departments beside it.
fn department_rows(
    shown: &[&department::Model],
    users: &[&Member],
    path_of: &HashMap<Uuid, &str>,
    actuals: &HashMap<Uuid, i64>,
    target_of: impl Fn((SubjectKind, Uuid)) -> Option<Decimal>,
) -> Vec<PerformanceRow> {
    let top_depth = shown
        .iter()
        .map(|d| d.path.matches('/').count())
        .min()
        .unwrap_or(0);
    let rows: Vec<Unranked> = shown
        .iter()
        .map(|d| {
            let actual = users
                .iter()
                .filter(|u| {
                    path_of
                        .get(&u.department_id)
                        .is_some_and(|p| p.starts_with(&d.path))
                })
                .map(|u| actuals.get(&u.id).copied().unwrap_or(0))
                .sum();
            Unranked {
                subject_id: d.id,
                name: d.name.clone(),
                parent_id: d.parent_id,
                depth: u32::try_from(d.path.matches('/').count() - top_depth).unwrap_or(0),
                target: target_of((SubjectKind::Department, d.id)),
                actual,
            }
        })
        .collect();
    let mut sibling_actuals: HashMap<Option<Uuid>, Vec<i64>> = HashMap::new();
    for row in &rows {
        sibling_actuals
            .entry(row.parent_id)
            .or_default()
            .push(row.actual);
    }
    rows.into_iter()
        .map(|row| {
            let rank = sibling_actuals
                .get(&row.parent_id)
                .map_or(1, |all| rank_in(all, row.actual));
            ranked(row, rank)
        })
        .collect()
}

/// Competition ranks (1, 2, 2, 4) of amounts sorted largest first.
fn ranks(sorted: &[i64]) -> Vec<u32> {
    sorted.iter().map(|a| rank_in(sorted, *a)).collect()
}

/// 1 + how many of `all` are larger than `amount`.
fn rank_in(all: &[i64], amount: i64) -> u32 {
    u32::try_from(all.iter().filter(|a| **a > amount).count() + 1).unwrap_or(u32::MAX)
}

fn ranked(row: Unranked, rank: u32) -> PerformanceRow {
    let actual = money_from_units(row.actual);
    PerformanceRow {
        subject_id: row.subject_id,
        name: row.name,
        parent_id: row.parent_id,
        depth: row.depth,
        completion_percent: row.target.and_then(|t| percent_of(actual, t)),
        target: row.target,
        actual,
        rank,
    }
}
