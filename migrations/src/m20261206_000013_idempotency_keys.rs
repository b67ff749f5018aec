//! `Idempotency-Key`s: one row per key a caller sent on a POST, claimed before the handler
//! runs (the unique index makes the claim atomic across API nodes) and completed with the
//! response to replay. A row without `completed_at` is a request still running.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::schema::{
    blob_null, integer_null, json_binary_null, string, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::{n, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 2] = [
    "CREATE UNIQUE INDEX ux_idempotency_keys_key ON idempotency_keys (tenant_id, principal, idempotency_key)",
    "CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut keys = table("idempotency_keys");
        // `principal`: the user (session) or API key that sent the key, so two integrators'
        // keys never meet. `request_hash`: SHA-256 of method, path and body, hex.
        keys.col(uuid(n("principal")))
            .col(string(n("idempotency_key")))
            .col(string(n("method")))
            .col(string(n("path")))
            .col(string(n("request_hash")))
            .col(integer_null(n("response_status")))
            .col(json_binary_null(n("response_headers")))
            .col(blob_null(n("response_body")))
            .col(timestamp_with_time_zone(n("created_at")))
            .col(timestamp_with_time_zone_null(n("completed_at")));
        manager.create_table(keys).await?;
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
