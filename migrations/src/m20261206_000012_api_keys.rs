//! API keys for integrators: stored as a SHA-256 of the key (a key is 32 random bytes, so a
//! fast hash is enough and lets every request find its key by an index), with the user it
//! acts as, its permissions and data scope.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::schema::{json_binary, string, timestamp_with_time_zone_null, uuid};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::{n, table, versioned};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 2] = [
    "CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (key_hash)",
    "CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id, created_at, id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut keys = table("api_keys");
        versioned(
            keys.col(string(n("name")))
                .col(string(n("prefix")))
                .col(string(n("key_hash")))
                .col(uuid(n("user_id")))
                .col(json_binary(n("permissions")))
                .col(string(n("data_scope")))
                .col(timestamp_with_time_zone_null(n("expires_at")))
                .col(timestamp_with_time_zone_null(n("last_used_at")))
                .col(timestamp_with_time_zone_null(n("revoked_at")))
                .col(uuid(n("created_by"))),
        );
        manager.create_table(keys).await?;
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
