//! The orders' rollup `delivery_days`: per day shipped and department of the order's owner,
//! the order lines with a promised date shipped that day and those shipped by it. The
//! application keeps it in step in the transaction of every write that moves it
//! (`crm_persistence::rollups`); this migration sums the shipments recorded before.

use sea_orm_migration::prelude::{
    DbErr, DeriveMigrationName, Index, MigrationTrait, SchemaManager, Table,
};
use sea_orm_migration::schema::{big_integer, date, uuid};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::n;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BACKFILL: &str = "INSERT INTO delivery_days (tenant_id, day, department_id, lines, on_time) \
   SELECT so.tenant_id, sh.shipped_on, u.department_id, COUNT(*), \
     SUM(CASE WHEN sh.shipped_on <= l.promised_date THEN 1 ELSE 0 END) \
   FROM shipment_lines sl \
   JOIN shipments sh ON sh.id = sl.shipment_id \
   JOIN sales_order_lines l ON l.id = sl.order_line_id \
   JOIN sales_orders so ON so.id = l.sales_order_id \
   JOIN users u ON u.id = so.owner_id \
   WHERE so.deleted_at IS NULL AND l.promised_date IS NOT NULL \
   GROUP BY so.tenant_id, sh.shipped_on, u.department_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(n("delivery_days"))
                    .col(uuid(n("tenant_id")))
                    .col(date(n("day")))
                    .col(uuid(n("department_id")))
                    .col(big_integer(n("lines")))
                    .col(big_integer(n("on_time")))
                    .primary_key(
                        Index::create()
                            .col(n("tenant_id"))
                            .col(n("day"))
                            .col(n("department_id")),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(BACKFILL).await.map(drop)
    }
}
