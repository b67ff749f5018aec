//! The funnel's cohorts, kept with the stage history as it is written: `first_entry` marks
//! the change that brought an opportunity into a stage for the first time, `advanced` marks
//! such a first entry once the opportunity has since gone further (a later open stage, or
//! won). The funnel then counts a period's first entries and their advances in one pass over
//! an index, instead of searching each opportunity's later history.

use sea_orm_migration::prelude::{
    ColumnDef, DbErr, DeriveMigrationName, MigrationTrait, SchemaManager, Table,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::n;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The history written before: a change is a first entry when no earlier change (by time,
/// then id) of the same opportunity went into the same stage; a first entry into an open
/// stage has advanced when a later change went into a won stage or an open one further on.
const BACKFILL: [&str; 2] = [
    "UPDATE opportunity_stage_changes SET first_entry = TRUE WHERE NOT EXISTS ( \
       SELECT 1 FROM opportunity_stage_changes AS earlier \
       WHERE earlier.opportunity_id = opportunity_stage_changes.opportunity_id \
         AND earlier.to_stage_id = opportunity_stage_changes.to_stage_id \
         AND (earlier.changed_at < opportunity_stage_changes.changed_at \
              OR (earlier.changed_at = opportunity_stage_changes.changed_at \
                  AND earlier.id < opportunity_stage_changes.id)))",
    "UPDATE opportunity_stage_changes SET advanced = TRUE WHERE first_entry = TRUE AND EXISTS ( \
       SELECT 1 FROM opportunity_stage_changes AS later \
       JOIN pipeline_stages AS reached ON reached.id = later.to_stage_id \
       JOIN pipeline_stages AS entered ON entered.id = opportunity_stage_changes.to_stage_id \
       WHERE later.opportunity_id = opportunity_stage_changes.opportunity_id \
         AND later.changed_at > opportunity_stage_changes.changed_at \
         AND entered.kind = 'open' \
         AND (reached.kind = 'won' OR (reached.kind = 'open' AND reached.position > entered.position)))",
];

/// Both funnel passes read only the index: first entries by day with their stage and
/// advance, and departures by day with their stage and duration. Deleted opportunities are
/// few; the funnel leaves their history out through the last index.
const INDEXES: [&str; 3] = [
    "CREATE INDEX ix_stage_changes_first_entries ON opportunity_stage_changes \
       (tenant_id, changed_at, to_stage_id, advanced, opportunity_id) WHERE first_entry = TRUE",
    "CREATE INDEX ix_stage_changes_departures ON opportunity_stage_changes \
       (tenant_id, changed_at, from_stage_id, seconds_in_previous, opportunity_id) WHERE from_stage_id IS NOT NULL",
    "CREATE INDEX ix_opportunities_deleted ON opportunities (tenant_id, id) WHERE deleted_at IS NOT NULL",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["first_entry", "advanced"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(n("opportunity_stage_changes"))
                        .add_column(
                            ColumnDef::new(n(column))
                                .boolean()
                                .not_null()
                                .default(false),
                        )
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for statement in BACKFILL.iter().chain(&INDEXES) {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
