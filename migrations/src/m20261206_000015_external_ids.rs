//! Inbound sync: the records an ERP owns carry its identity (`external_source`, e.g.
//! `kingdee`, and `external_id`, its number there), unique per tenant and source among live
//! records, so `PUT …/by-external-id/{source}/{id}` finds them by one index lookup.
//!
//! `sync_states` keeps the last result of every inbound sync per external record: which
//! record it made or changed, or the problem that refused it (a failed create has no record,
//! so the state is keyed by the external identity, not the record).

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::schema::{
    json_binary_null, string, timestamp_with_time_zone, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::{n, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The synced tables, each with the condition that makes a row live (a soft-deleted record
/// frees its external id for a new one).
/// Products have carried an external id since their table was made.
const SYNCED: [(&str, &str); 6] = [
    (
        "customers",
        " AND deleted_at IS NULL AND merged_into IS NULL",
    ),
    ("contacts", " AND deleted_at IS NULL"),
    ("sales_orders", " AND deleted_at IS NULL"),
    ("shipments", ""),
    ("invoices", ""),
    ("payments", ""),
];

const INDEXES: [&str; 3] = [
    "CREATE UNIQUE INDEX ux_sync_states_external ON sync_states (tenant_id, kind, external_source, external_id)",
    "CREATE INDEX ix_sync_states_result ON sync_states (tenant_id, result, synced_at, id)",
    "CREATE INDEX ix_sync_states_record ON sync_states (tenant_id, record_id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, live) in SYNCED {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN external_source VARCHAR(50) NULL"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN external_id VARCHAR(100) NULL"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE UNIQUE INDEX ux_{table}_external ON {table} \
                 (tenant_id, external_source, external_id) WHERE external_id IS NOT NULL{live}"
            ))
            .await?;
        }
        // `result`: `succeeded` or `failed`; `problem`: the problem+json the caller got.
        let states = table("sync_states")
            .col(string(n("kind")))
            .col(string(n("external_source")))
            .col(string(n("external_id")))
            .col(uuid_null(n("record_id")))
            .col(string(n("result")))
            .col(json_binary_null(n("problem")))
            .col(uuid(n("synced_by")))
            .col(timestamp_with_time_zone(n("synced_at")))
            .to_owned();
        manager.create_table(states).await?;
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
