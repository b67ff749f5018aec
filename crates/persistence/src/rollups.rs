//! Rollups: report figures summed ahead per day and department, kept in step inside the
//! transaction of every write that moves them, so a report over a year reads thousands of
//! rows instead of millions.
//!
//! Each rollup is kept by one rule: a write *retracts* the contribution of the records it is
//! about to change (subtracts what they add up to now), changes them, then *applies* their
//! contribution again (adds what they add up to after). Both steps are the same grouped
//! `INSERT … SELECT … ON CONFLICT DO UPDATE` over the records' rows, with the sign flipped, so
//! a figure can't drift from the rows it sums whatever the write was (a stage move, a
//! shipment, a payment, a change of owner, a deletion, a rep moved to another department).
//! `rebuild` sums a tenant's rows from scratch (the bulk history loader). Brackets don't
//! nest: each write retracts and applies a rollup once, at its outermost function.
//!
//! A rollup answers a reader whose scope and filters it can express (a department tree, or
//! everything); an owner's own records and finer narrowing (customer, region, industry …)
//! are read from the rows themselves.

pub(crate) mod deals;
pub(crate) mod orders;

use chrono::{Datelike, NaiveDate};
use crm_domain::{Caller, Error, Visibility};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, IntoColumnRef, OnConflict, Order, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseBackend};

use uuid::Uuid;

use crate::entities::{department, user};
use crate::error::storage;

/// Records whose contribution to their rollups a write brackets.
pub(crate) trait Records: Copy {
    /// The rollups the records add to.
    const ROLLUPS: &'static [Rollup];

    /// Adds `sign` × what the records (every one of the tenant's with `None`) add to their
    /// rollups.
    async fn add(
        db: &impl ConnectionTrait,
        tenant_id: Uuid,
        records: Option<Self>,
        sign: i64,
    ) -> Result<(), Error>;
}

/// Subtracts what `records` add to their rollups now; call before changing them.
pub(crate) async fn retract<R: Records>(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    records: R,
) -> Result<(), Error> {
    R::add(db, tenant_id, Some(records), -1).await
}

/// Adds what `records` add to their rollups now; call after changing them.
pub(crate) async fn apply<R: Records>(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    records: R,
) -> Result<(), Error> {
    R::add(db, tenant_id, Some(records), 1).await
}

/// Sums the tenant's rollups of `R` again from all its records.
pub(crate) async fn rebuild<R: Records>(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<(), Error> {
    for rollup in R::ROLLUPS {
        let delete = Query::delete()
            .from_table(Alias::new(rollup.table))
            .and_where(Expr::col(Alias::new("tenant_id")).eq(tenant_id))
            .to_owned();
        db.execute(&delete).await.map_err(storage)?;
    }
    R::add(db, tenant_id, None, 1).await
}

/// The days of a report period, both ends included, as a rollup stores them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Days {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Whole months, by their first days, as a monthly rollup stores them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Months {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Days {
    /// The whole months within the days (none when no month fits), and the days before and
    /// after them, which a monthly rollup can't answer for.
    pub(crate) fn split_months(self) -> (Option<Months>, Vec<Days>) {
        let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
        let next_month = |d: NaiveDate| month_start(d) + chrono::Months::new(1);
        let first = if self.from.day() == 1 {
            self.from
        } else {
            next_month(self.from)
        };
        // The month after the last whole one.
        let end = if self.to.succ_opt().is_some_and(|d| d.day() == 1) {
            next_month(self.to)
        } else {
            month_start(self.to)
        };
        if first >= end {
            return (None, vec![self]);
        }
        let mut edges = Vec::new();
        if self.from < first {
            edges.push(Days {
                from: self.from,
                to: first.pred_opt().unwrap_or(first),
            });
        }
        if self.to >= end {
            edges.push(Days {
                from: end,
                to: self.to,
            });
        }
        let last = month_start(end.pred_opt().unwrap_or(end));
        (Some(Months { first, last }), edges)
    }
}

/// One rollup table: the columns it is keyed by (in the order writers lock its rows) and the
/// figures summed under each key.
pub(crate) struct Rollup {
    table: &'static str,
    key: &'static [&'static str],
    figures: &'static [&'static str],
}

impl Rollup {
    /// Adds `sign` × the sums of `rows` (one row per record's contribution, with the key's and
    /// the figures' columns) to the stored figures.
    async fn add(
        &self,
        db: &impl ConnectionTrait,
        rows: SelectStatement,
        sign: i64,
    ) -> Result<(), Error> {
        let mut summed = Query::select();
        for key in self.key {
            summed.column(Alias::new(*key));
        }
        for figure in self.figures {
            summed.expr_as(
                Expr::cust(format!("SUM(\"{figure}\") * {sign}")),
                Alias::new(*figure),
            );
        }
        summed
            .from_subquery(rows, Alias::new("contributions"))
            // SQLite would read the upsert's ON after a bare FROM as a join's: a WHERE ends it.
            .and_where(Expr::cust("1 = 1"))
            .group_by_columns(self.key.iter().map(|k| Alias::new(*k)))
            // Every writer locks the rows it adds to in one order, so none waits on another.
            .order_by_columns(self.key.iter().map(|k| (Alias::new(*k), Order::Asc)));
        let updates = self.figures.iter().map(|figure| {
            let table = self.table;
            let added = format!("\"{table}\".\"{figure}\" + \"excluded\".\"{figure}\"");
            (Alias::new(*figure), Expr::cust(added))
        });
        let insert = Query::insert()
            .into_table(Alias::new(self.table))
            .columns(self.key.iter().chain(self.figures).map(|c| Alias::new(*c)))
            .select_from(summed)
            .map_err(|e| Error::Storage(Box::new(e)))?
            .on_conflict(
                OnConflict::columns(self.key.iter().map(|k| Alias::new(*k)))
                    .values(updates)
                    .to_owned(),
            )
            .to_owned();
        db.execute(&insert).await.map(drop).map_err(storage)
    }
}

/// Joins the user in `owner` (a record's owner column) and adds the key's `department_id`:
/// the department a rollup counts the record under.
fn owners_department(rows: &mut SelectStatement, owner: impl IntoColumnRef) {
    rows.expr_as(
        Expr::col((user::Entity, user::Column::DepartmentId)),
        "department_id",
    )
    .inner_join(
        user::Entity,
        Expr::col((user::Entity, user::Column::Id)).equals(owner),
    );
}

/// The day in China (where periods begin and end) of the UTC instant `column` of `table`.
fn china_day(backend: DatabaseBackend, table: &str, column: &str) -> SimpleExpr {
    Expr::cust(match backend {
        DatabaseBackend::Postgres => format!(
            "CAST((\"{table}\".\"{column}\" AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS DATE)"
        ),
        _ => format!("date(\"{table}\".\"{column}\", '+8 hours')"),
    })
}

/// The departments a reader's rollup rows may come from, as a condition on `column`: the
/// caller's data scope, narrowed to a department tree (its path) when asked. `None` when the
/// scope is the caller's own records, which no department-keyed rollup can tell apart.
pub(crate) fn departments_covered(
    caller: &Caller,
    column: impl ColumnTrait + Copy,
    narrowed_to: Option<&str>,
) -> Option<Condition> {
    let in_tree = |prefix: &str| {
        column.in_subquery(
            Query::select()
                .column(department::Column::Id)
                .from(department::Entity)
                .and_where(department::Column::TenantId.eq(caller.tenant_id))
                .and_where(department::Column::Path.like(format!("{prefix}%")))
                .to_owned(),
        )
    };
    let scope = match caller.visibility() {
        Visibility::All => Condition::all(),
        Visibility::DepartmentTree(prefix) => Condition::all().add(in_tree(prefix)),
        Visibility::Department(id) => Condition::all().add(column.eq(id)),
        Visibility::Owner(_) => return None,
    };
    Some(match narrowed_to {
        Some(path) => scope.add(in_tree(path)),
        None => scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    type Range = (NaiveDate, NaiveDate);

    /// The whole months (first days) and the days around them.
    fn split(from: &str, to: &str) -> (Option<Range>, Vec<Range>) {
        let (months, edges) = Days {
            from: day(from),
            to: day(to),
        }
        .split_months();
        (
            months.map(|m| (m.first, m.last)),
            edges.into_iter().map(|d| (d.from, d.to)).collect(),
        )
    }

    #[test]
    fn a_year_to_date_is_its_whole_months_and_the_days_at_either_end() {
        assert_eq!(
            split("2025-12-08", "2026-12-07"),
            (
                Some((day("2026-01-01"), day("2026-11-01"))),
                vec![
                    (day("2025-12-08"), day("2025-12-31")),
                    (day("2026-12-01"), day("2026-12-07"))
                ]
            )
        );
    }

    #[test]
    fn whole_months_need_no_days() {
        assert_eq!(
            split("2026-01-01", "2026-02-28"),
            (Some((day("2026-01-01"), day("2026-02-01"))), vec![])
        );
    }

    #[test]
    fn days_within_one_month_or_across_two_are_all_days() {
        assert_eq!(
            split("2026-03-02", "2026-03-31"),
            (None, vec![(day("2026-03-02"), day("2026-03-31"))])
        );
        assert_eq!(
            split("2026-03-15", "2026-04-10"),
            (None, vec![(day("2026-03-15"), day("2026-04-10"))])
        );
    }
}
