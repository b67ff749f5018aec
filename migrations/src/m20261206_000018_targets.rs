//! Sales targets (业绩目标): one row per subject (a user or a department), metric and period
//! (`2026-03` or `2026-Q1`), with the year apart so a year's plan reads by index.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::schema::{big_integer, integer, string, uuid};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::{n, table, versioned};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 1] = [
    "CREATE UNIQUE INDEX ux_targets_cell ON targets (tenant_id, metric, year, subject_kind, subject_id, period)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut targets = table("targets");
        versioned(
            targets
                .col(string(n("subject_kind")))
                .col(uuid(n("subject_id")))
                .col(string(n("metric")))
                .col(integer(n("year")))
                .col(string(n("period")))
                .col(big_integer(n("amount")))
                .col(string(n("currency")))
                .col(uuid(n("created_by")))
                .col(uuid(n("updated_by"))),
        );
        manager.create_table(targets).await?;
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
