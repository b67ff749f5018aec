//! Document numbers from a per-tenant, per-year series (`QT-2026-000123`). The counter row is
//! created on first use and incremented with `UPDATE … RETURNING` inside the caller's
//! transaction: concurrent creates queue on the row lock (PostgreSQL) or the write lock
//! (SQLite), so no number is handed out twice, and a rolled-back create gives its number back.

use crm_domain::Error;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use uuid::Uuid;

use crate::error::storage;

fn n(name: &str) -> Alias {
    Alias::new(name)
}

/// The next value of the `kind` series for `year`: 1, 2, 3, …
pub(crate) async fn next(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    kind: &str,
    year: i32,
) -> Result<i64, Error> {
    let create = Query::insert()
        .into_table(n("number_series"))
        .columns([n("tenant_id"), n("kind"), n("year"), n("last_value")])
        .values_panic([tenant_id.into(), kind.into(), year.into(), 0i64.into()])
        .on_conflict(
            OnConflict::columns([n("tenant_id"), n("kind"), n("year")])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    db.execute(&create).await.map_err(storage)?;
    let bump = Query::update()
        .table(n("number_series"))
        .value(n("last_value"), Expr::col(n("last_value")).add(1))
        .and_where(Expr::col(n("tenant_id")).eq(tenant_id))
        .and_where(Expr::col(n("kind")).eq(kind))
        .and_where(Expr::col(n("year")).eq(year))
        .returning_col(n("last_value"))
        .to_owned();
    let row = db
        .query_one(&bump)
        .await
        .map_err(storage)?
        .ok_or_else(|| Error::Storage("number series row missing".into()))?;
    row.try_get::<i64>("", "last_value").map_err(storage)
}
