//! The reminder job (催办): once a day per record, owners hear of their orders' overdue
//! deliveries (交期超期; their manager too) and overdue instalments (应收逾期), and each
//! instalment's first day overdue is announced to the integrations (`receivable.overdue`).
//!
//! A system job across tenants. Safe on several nodes at once and run as often as wanted: a
//! notification is unique per user, record, kind and day, and an instalment is announced
//! under its version.

use std::collections::HashMap;

use chrono::NaiveDate;
use crm_api_types::notifications::NotificationKind;
use crm_api_types::sales_orders::SalesOrderStatus;
use crm_domain::Error;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::entities::{department, instalment, sales_order, sales_order_line};
use crate::error::storage;
use crate::money::{from_units, money_from_units};
use crate::notifications::{Notice, Params, notify};

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReminderReport {
    /// Notifications written (not counting ones a user already had today).
    pub notified: u64,
    /// Instalments announced as overdue.
    pub announced: u64,
}

/// Runs the reminders as of `today` (China time).
pub async fn run(db: &crate::Database, today: NaiveDate) -> Result<ReminderReport, Error> {
    let mut report = ReminderReport::default();
    let mut managers = Managers::default();
    deliveries(db, today, &mut managers, &mut report).await?;
    receivables(db, today, &mut report).await?;
    Ok(report)
}

fn days(since: NaiveDate, today: NaiveDate) -> u32 {
    u32::try_from((today - since).num_days()).unwrap_or(0)
}

async fn deliveries(
    db: &crate::Database,
    today: NaiveDate,
    managers: &mut Managers,
    report: &mut ReminderReport,
) -> Result<(), Error> {
    let orders = sales_order::Entity::find()
        .filter(sales_order::Column::DeletedAt.is_null())
        .filter(sales_order::Column::Status.is_in([
            SalesOrderStatus::Confirmed.as_str(),
            SalesOrderStatus::PartiallyShipped.as_str(),
        ]))
        .filter(sales_order::Column::NextPromisedDate.lt(today))
        .order_by_asc(sales_order::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    for order in orders {
        let late: Vec<sales_order_line::Model> = sales_order_line::Entity::find()
            .filter(sales_order_line::Column::TenantId.eq(order.tenant_id))
            .filter(sales_order_line::Column::SalesOrderId.eq(order.id))
            .filter(sales_order_line::Column::OpenQuantity.gt(0))
            .filter(sales_order_line::Column::PromisedDate.lt(today))
            .all(db)
            .await
            .map_err(storage)?;
        let Some(earliest) = late.iter().filter_map(|l| l.promised_date).min() else {
            continue;
        };
        let customer = customer_name(db, &order).await?;
        let manager = managers.of(db, order.tenant_id, order.owner_id).await?;
        let recipients = [(order.owner_id, false)]
            .into_iter()
            .chain(manager.map(|m| (m, true)));
        for (user_id, as_manager) in recipients {
            let notice = Notice {
                tenant_id: order.tenant_id,
                user_id,
                kind: NotificationKind::DeliveryOverdue,
                subject_id: order.id,
                day: today,
                params: Params {
                    subject_number: order.number.clone(),
                    customer_name: customer.clone(),
                    count: u32::try_from(late.len()).unwrap_or(u32::MAX),
                    days_overdue: days(earliest, today),
                    as_manager,
                },
            };
            if notify(db, notice).await? {
                report.notified += 1;
            }
        }
    }
    Ok(())
}

async fn receivables(
    db: &crate::Database,
    today: NaiveDate,
    report: &mut ReminderReport,
) -> Result<(), Error> {
    let overdue = instalment::Entity::find()
        .filter(instalment::Column::Confirmed.eq(true))
        .filter(instalment::Column::Outstanding.gt(0))
        .filter(instalment::Column::DueDate.lt(today))
        .order_by_asc(instalment::Column::SalesOrderId)
        .order_by_asc(instalment::Column::Position)
        .all(db)
        .await
        .map_err(storage)?;
    let mut by_order: HashMap<Uuid, Vec<instalment::Model>> = HashMap::new();
    for row in overdue {
        by_order.entry(row.sales_order_id).or_default().push(row);
    }
    for (order_id, rows) in by_order {
        let Some(first) = rows.first() else { continue };
        let Some(order) = sales_order::Entity::find_by_id(order_id)
            .filter(sales_order::Column::TenantId.eq(first.tenant_id))
            .one(db)
            .await
            .map_err(storage)?
        else {
            continue;
        };
        let earliest = rows.iter().filter_map(|r| r.due_date).min().unwrap_or(today);
        let notice = Notice {
            tenant_id: order.tenant_id,
            user_id: order.owner_id,
            kind: NotificationKind::ReceivableOverdue,
            subject_id: order.id,
            day: today,
            params: Params {
                subject_number: order.number.clone(),
                customer_name: customer_name(db, &order).await?,
                count: u32::try_from(rows.len()).unwrap_or(u32::MAX),
                days_overdue: days(earliest, today),
                as_manager: false,
            },
        };
        if notify(db, notice).await? {
            report.notified += 1;
        }
        for row in rows.iter().filter(|r| !r.overdue_announced) {
            if announce(db, &order, row).await? {
                report.announced += 1;
            }
        }
    }
    Ok(())
}

/// Queues `receivable.overdue` for an instalment once; false when another node did first.
async fn announce(
    db: &crate::Database,
    order: &sales_order::Model,
    row: &instalment::Model,
) -> Result<bool, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let changes = instalment::ActiveModel {
        overdue_announced: Set(true),
        ..Default::default()
    };
    match crate::versioned::update::<instalment::Entity>(&txn, changes, row.id, row.version, storage)
        .await
    {
        Ok(()) => {}
        Err(Error::StaleVersion { .. }) => {
            txn.rollback().await.map_err(storage)?;
            return Ok(false);
        }
        Err(e) => return Err(e),
    }
    let payload = json!({
        "instalment_id": row.id,
        "sales_order_id": order.id,
        "order_number": order.number,
        "customer_id": order.customer_id,
        "name": row.name,
        "due_date": row.due_date,
        "amount": money_from_units(row.amount).to_string(),
        "outstanding": money_from_units(row.outstanding).to_string(),
        "percent": row.percent.map(|p| from_units(p).to_string()),
        "currency": row.currency,
    });
    crate::outbox::emit(
        &txn,
        row.tenant_id,
        "receivable.overdue",
        "instalment",
        row.id,
        &payload,
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(true)
}

async fn customer_name(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<String, Error> {
    Ok(
        crate::customers::names(db, order.tenant_id, vec![order.customer_id])
            .await?
            .remove(&order.customer_id)
            .unwrap_or_default(),
    )
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
