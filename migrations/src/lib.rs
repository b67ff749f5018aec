//! The database schema, as an ordered list of migrations that run unchanged on SQLite and
//! PostgreSQL. Migrations describe tables with sea-query only; they never import entities,
//! so old migrations keep compiling while the entities move on.

use sea_orm_migration::{MigrationTrait, MigratorTrait};

mod columns;
mod m20261123_000001_identity;
mod m20261123_000002_leads_and_audit;
mod m20261123_000003_customers;
mod m20261123_000004_imports;
mod m20261123_000005_opportunities;
mod m20261206_000006_quotes;
mod m20261206_000007_sales_orders;
mod m20261206_000008_notifications_and_attachments;
mod m20261206_000009_contracts;
mod m20261206_000010_aging_balances;
mod m20261206_000011_shipment_line_counts;
mod m20261206_000012_api_keys;
mod m20261206_000013_idempotency_keys;
mod m20261206_000014_webhooks;
mod m20261206_000015_external_ids;
mod m20261206_000016_order_figures;
mod m20261206_000017_report_indexes;
mod m20261206_000018_targets;
mod m20261207_000019_report_period_indexes;
mod m20261207_000020_stage_cohorts;
mod m20261208_000021_customer_order_dates;
mod m20261208_000022_lead_and_activity_report_indexes;
mod m20261209_000023_deal_rollups;
mod m20261209_000024_order_rollups;
mod m20261210_000025_order_month_rollups;
mod m20261210_000026_won_by_customer_index;
mod policies;
mod roles;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_identity::Migration),
            Box::new(m20261123_000002_leads_and_audit::Migration),
            Box::new(m20261123_000003_customers::Migration),
            Box::new(m20261123_000004_imports::Migration),
            Box::new(m20261123_000005_opportunities::Migration),
            Box::new(m20261206_000006_quotes::Migration),
            Box::new(m20261206_000007_sales_orders::Migration),
            Box::new(m20261206_000008_notifications_and_attachments::Migration),
            Box::new(m20261206_000009_contracts::Migration),
            Box::new(m20261206_000010_aging_balances::Migration),
            Box::new(m20261206_000011_shipment_line_counts::Migration),
            Box::new(m20261206_000012_api_keys::Migration),
            Box::new(m20261206_000013_idempotency_keys::Migration),
            Box::new(m20261206_000014_webhooks::Migration),
            Box::new(m20261206_000015_external_ids::Migration),
            Box::new(m20261206_000016_order_figures::Migration),
            Box::new(m20261206_000017_report_indexes::Migration),
            Box::new(m20261206_000018_targets::Migration),
            Box::new(m20261207_000019_report_period_indexes::Migration),
            Box::new(m20261207_000020_stage_cohorts::Migration),
            Box::new(m20261208_000021_customer_order_dates::Migration),
            Box::new(m20261208_000022_lead_and_activity_report_indexes::Migration),
            Box::new(m20261209_000023_deal_rollups::Migration),
            Box::new(m20261209_000024_order_rollups::Migration),
            Box::new(m20261210_000025_order_month_rollups::Migration),
            Box::new(m20261210_000026_won_by_customer_index::Migration),
        ]
    }
}
