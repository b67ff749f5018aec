//! The pool sweep (公海回收): customers whose owners did not follow up within the tenant's
//! `pool_return_days` return to the pool, and owners are warned `pool_warning_days` before.
//!
//! Safe to run on every API node at once: a return is a version-guarded update (a node that
//! loses the race skips the customer), and a warning is only written where none is.

use chrono::{DateTime, Utc};
use crm_api_types::customers::CustomerStatus;
use crm_api_types::ownership::OwnerChangeReason;
use crm_domain::activity::{Subject, TaskFields};
use crm_domain::ownership::PoolDeadlines;
use crm_domain::{Error, now};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::Actor;
use crate::entities::customer;
use crate::error::storage;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub warned: usize,
    pub returned: usize,
}

const BATCH: u64 = 500;

/// Sweeps every tenant as of `now` (the clock is a parameter so tests can move it).
pub async fn sweep(db: &crate::Database, as_of: DateTime<Utc>) -> Result<SweepReport, Error> {
    let mut report = SweepReport::default();
    for tenant_id in crate::tenants::ids(db).await? {
        let (settings, _) = crate::settings::load(db, tenant_id).await?;
        let Some(deadlines) = PoolDeadlines::as_of(&settings, as_of) else {
            continue;
        };
        let system = Actor {
            tenant_id,
            user_id: None,
            request_id: None,
        };

        // Returns first: a customer overdue on both counts goes back, unwarned.
        loop {
            let due = owned_unfollowed(tenant_id, deadlines.return_before)
                .limit(BATCH)
                .all(db)
                .await
                .map_err(storage)?;
            if due.is_empty() {
                break;
            }
            for customer in &due {
                let txn = db.begin().await.map_err(storage)?;
                match crate::customers::set_owner(
                    &txn,
                    &system,
                    customer,
                    None,
                    OwnerChangeReason::AutoReturned,
                    None,
                )
                .await
                {
                    Ok(()) => {
                        txn.commit().await.map_err(storage)?;
                        report.returned += 1;
                    }
                    // Someone changed it meanwhile (a follow-up, a new owner): leave it be.
                    Err(Error::StaleVersion { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
            if (due.len() as u64) < BATCH {
                break;
            }
        }

        let unwarned = Condition::any()
            .add(customer::Column::PoolWarnedAt.is_null())
            .add(
                Expr::col(customer::Column::PoolWarnedAt)
                    .lt(Expr::col(customer::Column::PoolClockAt)),
            );
        let due = owned_unfollowed(tenant_id, deadlines.warn_before)
            .filter(unwarned)
            .all(db)
            .await
            .map_err(storage)?;
        for customer in due {
            let Some(owner) = customer.owner_id else {
                continue;
            };
            let txn = db.begin().await.map_err(storage)?;
            let marked = customer::Entity::update_many()
                .col_expr(customer::Column::PoolWarnedAt, Expr::value(now()))
                .filter(customer::Column::Id.eq(customer.id))
                .filter(customer::Column::OwnerId.eq(owner))
                .filter(customer::Column::PoolClockAt.eq(customer.pool_clock_at))
                .exec(&txn)
                .await
                .map_err(storage)?;
            if marked.rows_affected == 1 {
                let return_on = PoolDeadlines::return_date(&settings, customer.pool_clock_at);
                let warning = TaskFields {
                    subject_line: format!(
                        "{return_on} 前未跟进，客户「{}」将退回公海",
                        customer.name
                    )
                    .chars()
                    .take(200)
                    .collect(),
                    due_on: return_on,
                    about: Some(Subject::Customer(customer.id)),
                };
                crate::tasks::insert(&txn, &system, owner, &warning, None).await?;
                report.warned += 1;
            }
            txn.commit().await.map_err(storage)?;
        }
    }
    Ok(report)
}

/// Owned live customers of the tenant, not yet won (成交), whose clock is older than `before`.
fn owned_unfollowed(tenant_id: Uuid, before: DateTime<Utc>) -> Select<customer::Entity> {
    customer::Entity::find()
        .filter(customer::Column::TenantId.eq(tenant_id))
        .filter(customer::Column::OwnerId.is_not_null())
        .filter(customer::Column::DeletedAt.is_null())
        .filter(customer::Column::MergedInto.is_null())
        .filter(customer::Column::Status.ne(CustomerStatus::Active.as_str()))
        .filter(customer::Column::PoolClockAt.lt(before))
        .order_by_asc(customer::Column::PoolClockAt)
}
