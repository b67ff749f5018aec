//! The lead-source and activity reports: won opportunities by the lead they were opened
//! from; follow-ups by the time they happened, tenant by tenant; and owned live customers by
//! when they were last followed up (or created, if never), so the longest idle come first
//! without reading every customer.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 3] = [
    "CREATE INDEX ix_opportunities_lead ON opportunities (tenant_id, lead_id) WHERE lead_id IS NOT NULL",
    "CREATE INDEX ix_activities_occurred ON activities (tenant_id, occurred_at)",
    // The expression must read as the reports write it: COALESCE(last_activity_at, created_at).
    "CREATE INDEX ix_customers_followed_up ON customers \
     (tenant_id, (COALESCE(last_activity_at, created_at))) \
     WHERE owner_id IS NOT NULL AND deleted_at IS NULL AND merged_into IS NULL",
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
