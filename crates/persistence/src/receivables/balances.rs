//! Aging balances: the aging of every customer, owner and currency as of today, kept in
//! `aging_balances` so the report sums thousands of rows instead of every open instalment.
//!
//! Triggers on `instalments` list the customers whose instalments changed in `aging_stale`;
//! `aging_refreshes` holds the day the tenant's balances were counted from. Before a read,
//! [`refresh`] recounts the stale customers, or everyone once the day has turned (buckets
//! move with the calendar). Claiming the stale rows (`DELETE … RETURNING`) before recounting
//! keeps a change that commits meanwhile marked for the next read.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    TransactionTrait,
};
use uuid::Uuid;

use super::aging::{BUCKETS, bucket_sum, open_in};
use crate::entities::{aging_balance, instalment};
use crate::error::storage;
use crm_domain::Error;

/// Past this many stale customers, recounting everyone is cheaper than a list of ids.
const RECOUNT_ALL_ABOVE: usize = 1_000;

fn n(name: &str) -> Alias {
    Alias::new(name)
}

/// Brings the tenant's balances to `today`. Cheap when nothing changed: two key lookups.
pub async fn refresh(db: &crate::Database, tenant_id: Uuid, today: NaiveDate) -> Result<(), Error> {
    if is_current(db, tenant_id, today).await? {
        return Ok(());
    }
    let txn = db.begin().await.map_err(storage)?;
    let day_turned = claim_day(&txn, tenant_id, today).await?;
    let stale = claim_stale(&txn, tenant_id).await?;
    let customers = if day_turned || stale.len() > RECOUNT_ALL_ABOVE {
        None
    } else if stale.is_empty() {
        return txn.commit().await.map_err(storage);
    } else {
        Some(stale)
    };
    recount(&txn, tenant_id, today, customers).await?;
    txn.commit().await.map_err(storage)
}

async fn is_current(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: NaiveDate,
) -> Result<bool, Error> {
    let counted_on = Query::select()
        .column(n("as_of"))
        .from(n("aging_refreshes"))
        .and_where(Expr::col(n("tenant_id")).eq(tenant_id))
        .to_owned();
    let counted_on = match db.query_one(&counted_on).await.map_err(storage)? {
        Some(row) => row.try_get::<NaiveDate>("", "as_of").map_err(storage)?,
        None => return Ok(false),
    };
    if counted_on != today {
        return Ok(false);
    }
    let stale = Query::select()
        .column(n("customer_id"))
        .from(n("aging_stale"))
        .and_where(Expr::col(n("tenant_id")).eq(tenant_id))
        .limit(1)
        .to_owned();
    Ok(db.query_one(&stale).await.map_err(storage)?.is_none())
}

/// Records `today` as the day counted from; true when that changed it (or it is the
/// tenant's first count). The row lock makes concurrent readers take turns.
async fn claim_day(
    txn: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: NaiveDate,
) -> Result<bool, Error> {
    let upsert = Query::insert()
        .into_table(n("aging_refreshes"))
        .columns([n("tenant_id"), n("as_of")])
        .values_panic([tenant_id.into(), today.into()])
        .on_conflict(
            OnConflict::column(n("tenant_id"))
                .update_column(n("as_of"))
                .action_and_where(Expr::col((n("aging_refreshes"), n("as_of"))).ne(today))
                .to_owned(),
        )
        .returning_col(n("tenant_id"))
        .to_owned();
    Ok(txn.query_one(&upsert).await.map_err(storage)?.is_some())
}

async fn claim_stale(txn: &impl ConnectionTrait, tenant_id: Uuid) -> Result<Vec<Uuid>, Error> {
    let claim = Query::delete()
        .from_table(n("aging_stale"))
        .and_where(Expr::col(n("tenant_id")).eq(tenant_id))
        .returning_col(n("customer_id"))
        .to_owned();
    txn.query_all(&claim)
        .await
        .map_err(storage)?
        .iter()
        .map(|row| row.try_get::<Uuid>("", "customer_id").map_err(storage))
        .collect()
}

/// Replaces the balances of `customers` (all of the tenant's with `None`) with sums of their
/// open instalments as of `today`.
async fn recount(
    txn: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: NaiveDate,
    customers: Option<Vec<Uuid>>,
) -> Result<(), Error> {
    let mut delete =
        aging_balance::Entity::delete_many().filter(aging_balance::Column::TenantId.eq(tenant_id));
    let mut sums = open_in(tenant_id)
        .select_only()
        .column(instalment::Column::TenantId)
        .column(instalment::Column::CustomerId)
        .column(instalment::Column::OwnerId)
        .column(instalment::Column::Currency);
    if let Some(customers) = customers {
        delete = delete.filter(aging_balance::Column::CustomerId.is_in(customers.clone()));
        sums = sums.filter(instalment::Column::CustomerId.is_in(customers));
    }
    for (bucket, alias) in BUCKETS {
        sums = sums.column_as(bucket_sum(bucket, today), alias);
    }
    let sums = sums
        .group_by(instalment::Column::TenantId)
        .group_by(instalment::Column::CustomerId)
        .group_by(instalment::Column::OwnerId)
        .group_by(instalment::Column::Currency)
        .into_query();
    let mut columns = vec![
        n("tenant_id"),
        n("customer_id"),
        n("owner_id"),
        n("currency"),
    ];
    columns.extend(BUCKETS.iter().map(|(_, alias)| n(alias)));
    let insert = Query::insert()
        .into_table(aging_balance::Entity)
        .columns(columns)
        .select_from(sums)
        .map_err(|e| Error::Storage(Box::new(e)))?
        .to_owned();
    delete.exec(txn).await.map_err(storage)?;
    txn.execute(&insert).await.map_err(storage)?;
    Ok(())
}
