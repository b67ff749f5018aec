//! Outgoing webhooks: the endpoints a tenant subscribes, one delivery per (endpoint, event)
//! that the dispatcher claims and retries, and every attempt kept for the delivery log.
//!
//! The change feed (`GET /events`) pages by `outbox_events.seq`, a number given to each
//! event after it commits (by one sequencer at a time), so a consumer's cursor never passes an
//! event whose transaction was still open when it read: `created_at` order cannot promise
//! that.
//!
//! Deliveries are created in the same transaction as their event (fan-out at emit time), so
//! the dispatcher only ever reads `webhook_deliveries`: the claim query walks
//! `ix_webhook_deliveries_due` and never scans the outbox.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::schema::{
    boolean, integer, integer_null, json_binary, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::{n, table, versioned};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 8] = [
    "ALTER TABLE outbox_events ADD COLUMN seq BIGINT NULL",
    "CREATE INDEX ix_outbox_events_unsequenced ON outbox_events (created_at, id) WHERE seq IS NULL",
    "CREATE UNIQUE INDEX ux_outbox_events_seq ON outbox_events (seq)",
    "CREATE INDEX ix_webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at, id)",
    "CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)",
    "CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at, id)",
    "CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (event_id)",
    "CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at)",
];

/// The feed's index: one tenant's events in sequence order.
const FEED_INDEX: &str = "CREATE INDEX ix_outbox_events_feed ON outbox_events (tenant_id, seq)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut endpoints = table("webhook_endpoints");
        versioned(
            endpoints
                .col(text(n("url")))
                .col(string_null(n("description")))
                .col(json_binary(n("event_types")))
                .col(boolean(n("enabled")))
                .col(string_null(n("disabled_reason")))
                .col(string(n("secret")))
                .col(string_null(n("previous_secret")))
                .col(timestamp_with_time_zone_null(n("previous_secret_until")))
                .col(integer(n("consecutive_failures")))
                .col(timestamp_with_time_zone_null(n("failing_since")))
                .col(uuid(n("created_by"))),
        );
        let deliveries = table("webhook_deliveries")
            .col(uuid(n("endpoint_id")))
            .col(uuid(n("event_id")))
            .col(string(n("event_type")))
            .col(string(n("status")))
            .col(integer(n("attempts")))
            .col(timestamp_with_time_zone(n("next_attempt_at")))
            .col(timestamp_with_time_zone_null(n("last_attempt_at")))
            .col(integer_null(n("last_status_code")))
            .col(text_null(n("last_error")))
            .col(timestamp_with_time_zone(n("created_at")))
            .col(timestamp_with_time_zone_null(n("delivered_at")))
            .col(uuid_null(n("requested_by")))
            .to_owned();
        let attempts = table("webhook_attempts")
            .col(uuid(n("delivery_id")))
            .col(uuid(n("endpoint_id")))
            .col(timestamp_with_time_zone(n("attempted_at")))
            .col(integer_null(n("status_code")))
            .col(integer(n("latency_ms")))
            .col(text_null(n("response_excerpt")))
            .col(text_null(n("error")))
            .to_owned();
        for statement in [endpoints, deliveries, attempts] {
            manager.create_table(statement).await?;
        }
        let db = manager.get_connection();
        for statement in INDEXES.into_iter().chain([FEED_INDEX]) {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
