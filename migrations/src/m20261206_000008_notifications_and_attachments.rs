//! In-app notifications, one per user, subject, kind and day (the reminder job runs hourly on
//! every node; the unique key makes a second run a no-op); attachments, whose bytes live on
//! disk under the data directory and whose rows say what they are and where.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::schema::{
    big_integer, string, text, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::{n, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 3] = [
    "CREATE UNIQUE INDEX ux_notifications_dedupe ON notifications (tenant_id, user_id, dedupe_key)",
    "CREATE INDEX ix_notifications_user ON notifications (tenant_id, user_id, created_at, id)",
    "CREATE INDEX ix_attachments_subject ON attachments (tenant_id, subject_kind, subject_id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let notifications = table("notifications")
            .col(uuid(n("user_id")))
            .col(string(n("kind")))
            .col(uuid(n("subject_id")))
            .col(text(n("params")))
            .col(string(n("dedupe_key")))
            .col(timestamp_with_time_zone(n("created_at")))
            .col(timestamp_with_time_zone_null(n("read_at")))
            .to_owned();
        manager.create_table(notifications).await?;
        let attachments = table("attachments")
            .col(string(n("subject_kind")))
            .col(uuid(n("subject_id")))
            .col(string(n("file_name")))
            .col(string(n("content_type")))
            .col(big_integer(n("size")))
            .col(string(n("sha256")))
            // Relative to the attachment store's root.
            .col(string(n("storage_key")))
            .col(uuid(n("uploaded_by")))
            .col(timestamp_with_time_zone(n("created_at")))
            .col(timestamp_with_time_zone_null(n("deleted_at")))
            .to_owned();
        manager.create_table(attachments).await?;
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
