//! The reminder job (催办): once a day, each owner hears how many of their orders have
//! deliveries past the promised date (交期超期; their manager hears it for the team) and how
//! many have instalments past due (应收逾期), and each instalment's first overdue day is
//! announced to the integrations (`receivable.overdue`). Then each tenant's aging balances
//! are counted for the day.
//!
//! A system job across tenants. The database counts per owner, so the job reads one row per
//! owner, not per order. Safe on several nodes at once and as often as wanted: a notification
//! is unique per user, kind and day, and an instalment is claimed for its announcement by an
//! `UPDATE … RETURNING` that only one node's statement can win.

use std::collections::HashMap;

use chrono::NaiveDate;
use crm_api_types::notifications::NotificationKind;
use crm_api_types::sales_orders::SalesOrderStatus;
use crm_domain::Error;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::entities::{department, instalment, outbox_event, sales_order};
use crate::error::storage;
use crate::money::{from_units, money_from_units};
use crate::notifications::{Fresh, Notice, Params, notify};

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReminderReport {
    /// Notifications written (not counting ones a user already had today).
    pub notified: u64,
    /// Instalments announced as overdue.
    pub announced: u64,
    /// The notifications written, to mail them too.
    pub fresh: Vec<Fresh>,
}

impl ReminderReport {
    fn written(&mut self, fresh: Option<Fresh>) {
        if let Some(fresh) = fresh {
            self.notified += 1;
            self.fresh.push(fresh);
        }
    }
}

/// How many instalments one announcement batch claims.
const BATCH: u64 = 500;

/// Runs the reminders as of `today` (China time).
pub async fn run(db: &crate::Database, today: NaiveDate) -> Result<ReminderReport, Error> {
    let mut report = ReminderReport::default();
    deliveries(db, today, &mut report).await?;
    receivables(db, today, &mut report).await?;
    loop {
        let announced = announce_batch(db, today).await?;
        report.announced += announced;
        if announced < BATCH {
            break;
        }
    }
    // Count the day's aging now, so the first manager to open it does not wait for it.
    for tenant_id in crate::tenants::ids(db).await? {
        crate::receivables::refresh_aging(db, tenant_id, today).await?;
    }
    Ok(report)
}

fn days(since: NaiveDate, today: NaiveDate) -> u32 {
    u32::try_from((today - since).num_days()).unwrap_or(0)
}

/// One owner's overdue orders, as the database counts them.
#[derive(Debug, FromQueryResult)]
struct Late {
    tenant_id: Uuid,
    owner_id: Uuid,
    orders: i64,
    earliest: Option<NaiveDate>,
    amount: Option<i64>,
}

impl Late {
    fn params(&self, today: NaiveDate, as_manager: bool) -> Params {
        Params {
            order_count: u32::try_from(self.orders).unwrap_or(u32::MAX),
            amount: self.amount.map(money_from_units),
            days_overdue: self.earliest.map_or(0, |d| days(d, today)),
            as_manager,
        }
    }
}

async fn deliveries(
    db: &crate::Database,
    today: NaiveDate,
    report: &mut ReminderReport,
) -> Result<(), Error> {
    let late = sales_order::Entity::find()
        .select_only()
        .column(sales_order::Column::TenantId)
        .column(sales_order::Column::OwnerId)
        .column_as(Expr::cust("COUNT(*)"), "orders")
        .column_as(sales_order::Column::NextPromisedDate.min(), "earliest")
        .column_as(Expr::cust("CAST(NULL AS BIGINT)"), "amount")
        .filter(sales_order::Column::DeletedAt.is_null())
        .filter(sales_order::Column::Status.is_in([
            SalesOrderStatus::Confirmed.as_str(),
            SalesOrderStatus::PartiallyShipped.as_str(),
        ]))
        .filter(sales_order::Column::NextPromisedDate.lt(today))
        .group_by(sales_order::Column::TenantId)
        .group_by(sales_order::Column::OwnerId)
        .into_model::<Late>()
        .all(db)
        .await
        .map_err(storage)?;
    let mut managers = Managers::default();
    // A manager's summary covers everyone they manage: one notice, the team's counts.
    let mut teams: HashMap<(Uuid, Uuid), Late> = HashMap::new();
    for owner in &late {
        let notice = Notice {
            tenant_id: owner.tenant_id,
            user_id: owner.owner_id,
            kind: NotificationKind::DeliveryOverdue,
            subject_id: owner.owner_id,
            day: today,
            params: owner.params(today, false),
        };
        report.written(notify(db, notice).await?);
        if let Some(manager) = managers.of(db, owner.tenant_id, owner.owner_id).await? {
            let team = teams.entry((owner.tenant_id, manager)).or_insert(Late {
                tenant_id: owner.tenant_id,
                owner_id: manager,
                orders: 0,
                earliest: None,
                amount: None,
            });
            team.orders += owner.orders;
            team.earliest = team.earliest.into_iter().chain(owner.earliest).min();
        }
    }
    for team in teams.values() {
        let notice = Notice {
            tenant_id: team.tenant_id,
            user_id: team.owner_id,
            kind: NotificationKind::DeliveryOverdue,
            // Distinct from the manager's own orders' notice of the day.
            subject_id: team.tenant_id,
            day: today,
            params: team.params(today, true),
        };
        report.written(notify(db, notice).await?);
    }
    Ok(())
}

async fn receivables(
    db: &crate::Database,
    today: NaiveDate,
    report: &mut ReminderReport,
) -> Result<(), Error> {
    let late = instalment::Entity::find()
        .select_only()
        .column(instalment::Column::TenantId)
        .column(instalment::Column::OwnerId)
        .column_as(
            Expr::cust("COUNT(DISTINCT \"instalments\".\"sales_order_id\")"),
            "orders",
        )
        .column_as(instalment::Column::DueDate.min(), "earliest")
        .column_as(
            Expr::cust(
                "CAST(SUM(CASE WHEN \"instalments\".\"currency\" = 'CNY' \
                 THEN \"instalments\".\"outstanding\" ELSE 0 END) AS BIGINT)",
            ),
            "amount",
        )
        .filter(Expr::cust(
            "\"instalments\".\"confirmed\" AND \"instalments\".\"outstanding\" > 0",
        ))
        .filter(instalment::Column::DueDate.lt(today))
        .group_by(instalment::Column::TenantId)
        .group_by(instalment::Column::OwnerId)
        .into_model::<Late>()
        .all(db)
        .await
        .map_err(storage)?;
    for owner in &late {
        let notice = Notice {
            tenant_id: owner.tenant_id,
            user_id: owner.owner_id,
            kind: NotificationKind::ReceivableOverdue,
            subject_id: owner.owner_id,
            day: today,
            params: owner.params(today, false),
        };
        report.written(notify(db, notice).await?);
    }
    Ok(())
}

/// Claims up to `BATCH` overdue instalments not announced yet and queues `receivable.overdue`
/// for each, in one transaction; returns how many.
async fn announce_batch(db: &crate::Database, today: NaiveDate) -> Result<u64, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let due: Vec<Uuid> = instalment::Entity::find()
        .select_only()
        .column(instalment::Column::Id)
        .filter(Expr::cust(
            "\"instalments\".\"confirmed\" AND \"instalments\".\"outstanding\" > 0",
        ))
        .filter(instalment::Column::DueDate.lt(today))
        .filter(instalment::Column::OverdueAnnounced.eq(false))
        .order_by_asc(instalment::Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(&txn)
        .await
        .map_err(storage)?;
    if due.is_empty() {
        return Ok(0);
    }
    let claimed = instalment::Entity::update_many()
        .set(instalment::ActiveModel {
            overdue_announced: Set(true),
            ..Default::default()
        })
        .filter(instalment::Column::Id.is_in(due))
        .filter(instalment::Column::OverdueAnnounced.eq(false))
        .exec_with_returning(&txn)
        .await
        .map_err(storage)?;
    let numbers: HashMap<Uuid, (String, Uuid)> = sales_order::Entity::find()
        .select_only()
        .column(sales_order::Column::Id)
        .column(sales_order::Column::Number)
        .column(sales_order::Column::CustomerId)
        .filter(sales_order::Column::Id.is_in(claimed.iter().map(|i| i.sales_order_id)))
        .into_tuple::<(Uuid, String, Uuid)>()
        .all(&txn)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|(id, number, customer)| (id, (number, customer)))
        .collect();
    let at = crm_domain::now();
    let events: Vec<outbox_event::Model> = claimed
        .iter()
        .map(|row| {
            let (number, customer) = numbers
                .get(&row.sales_order_id)
                .cloned()
                .unwrap_or_default();
            let payload = json!({
                "instalment_id": row.id,
                "sales_order_id": row.sales_order_id,
                "order_number": number,
                "customer_id": customer,
                // The order's owner (instalments follow it), for the change feed's scope.
                "owner_id": row.owner_id,
                "name": row.name,
                "due_date": row.due_date,
                "amount": money_from_units(row.amount).to_string(),
                "outstanding": money_from_units(row.outstanding).to_string(),
                "percent": row.percent.map(|p| from_units(p).to_string()),
                "currency": row.currency,
            });
            crate::outbox::event(
                row.tenant_id,
                crm_domain::event::EventType::ReceivableOverdue,
                row.id,
                &payload,
                at,
            )
        })
        .collect();
    let count = u64::try_from(events.len()).unwrap_or(u64::MAX);
    crate::outbox::queue(&txn, events).await?;
    txn.commit().await.map_err(storage)?;
    Ok(count)
}

/// Each owner's manager: the nearest department up their chain whose manager is someone
/// else. Looked up once per owner per run.
#[derive(Default)]
struct Managers(HashMap<Uuid, Option<Uuid>>);

impl Managers {
    async fn of(
        &mut self,
        db: &impl ConnectionTrait,
        tenant_id: Uuid,
        owner: Uuid,
    ) -> Result<Option<Uuid>, Error> {
        if let Some(found) = self.0.get(&owner) {
            return Ok(*found);
        }
        let path = crate::users::placement(db, tenant_id, owner)
            .await?
            .map(|(_, path)| path)
            .unwrap_or_default();
        let chain: Vec<Uuid> = path
            .split('/')
            .filter_map(|part| Uuid::parse_str(part).ok())
            .collect();
        let managers: HashMap<Uuid, Option<Uuid>> = department::Entity::find()
            .filter(department::Column::TenantId.eq(tenant_id))
            .filter(department::Column::Id.is_in(chain.clone()))
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|d| (d.id, d.manager_id))
            .collect();
        let manager = chain
            .iter()
            .rev()
            .filter_map(|d| managers.get(d).copied().flatten())
            .find(|m| *m != owner);
        self.0.insert(owner, manager);
        Ok(manager)
    }
}
