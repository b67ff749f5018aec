//! Reports read the stage history by period: which opportunities entered or left a stage
//! between two days, tenant by tenant.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 1] = [
    "CREATE INDEX ix_opportunity_stage_changes_period ON opportunity_stage_changes (tenant_id, changed_at)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
