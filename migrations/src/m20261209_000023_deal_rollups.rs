//! The opportunities' rollups, per day in China and department of the deal's owner:
//! `funnel_days` (per stage: first entries, how many have advanced since, departures and the
//! seconds spent before them) and `closed_deal_days` (per closing stage, currency and
//! probability: deals won or lost and their amount). The application keeps them in step in
//! the transaction of every write that moves them (`crm_persistence::rollups`); this
//! migration sums what was written before. And two covering indexes: the open deals with
//! everything the funnel, the board and the forecast sum over them, and the won deals with
//! what performance sums, so those sums never visit the table.

use sea_orm_migration::prelude::{
    DbErr, DeriveMigrationName, Index, MigrationTrait, SchemaManager, Table,
};
use sea_orm_migration::schema::{big_integer, date, small_integer, string, uuid};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::columns::n;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The stage history's movements, `{changed}` being the China day of a change.
const MOVEMENTS: &str = "INSERT INTO funnel_days \
     (tenant_id, day, department_id, stage_id, entered, advanced, departed, departed_seconds) \
   SELECT tenant_id, day, department_id, stage_id, \
     SUM(entered), SUM(advanced), SUM(departed), SUM(departed_seconds) \
   FROM ( \
     SELECT c.tenant_id, {changed} AS day, u.department_id, c.to_stage_id AS stage_id, \
       1 AS entered, CASE WHEN c.advanced THEN 1 ELSE 0 END AS advanced, \
       0 AS departed, 0 AS departed_seconds \
     FROM opportunity_stage_changes c \
     JOIN opportunities o ON o.id = c.opportunity_id \
     JOIN users u ON u.id = o.owner_id \
     WHERE o.deleted_at IS NULL AND c.first_entry = TRUE \
     UNION ALL \
     SELECT c.tenant_id, {changed} AS day, u.department_id, c.from_stage_id AS stage_id, \
       0, 0, 1, COALESCE(c.seconds_in_previous, 0) \
     FROM opportunity_stage_changes c \
     JOIN opportunities o ON o.id = c.opportunity_id \
     JOIN users u ON u.id = o.owner_id \
     WHERE o.deleted_at IS NULL AND c.from_stage_id IS NOT NULL \
   ) AS counted \
   GROUP BY tenant_id, day, department_id, stage_id";

/// The closed deals, `{closed}` being the China day a deal closed.
const CLOSED: &str = "INSERT INTO closed_deal_days \
     (tenant_id, day, department_id, stage_id, currency, probability, deals, amount) \
   SELECT o.tenant_id, {closed}, u.department_id, o.stage_id, o.currency, o.probability, \
     COUNT(*), SUM(o.amount) \
   FROM opportunities o \
   JOIN users u ON u.id = o.owner_id \
   WHERE o.deleted_at IS NULL AND o.status <> 'open' AND o.closed_at IS NOT NULL \
   GROUP BY o.tenant_id, {closed}, u.department_id, o.stage_id, o.currency, o.probability";

const OPEN_TOTALS: &str = "CREATE INDEX ix_opportunities_open_totals ON opportunities \
   (tenant_id, pipeline_id, stage_id, currency, probability, amount, owner_id, id, \
    expected_close_date) \
   WHERE status = 'open' AND deleted_at IS NULL";

/// The won deals by closing instant with what performance sums per owner: without it, the
/// plan a prepared statement settles on after five runs walked the closing index through
/// every closed deal of the quarter (2 s at a million deals; 60 ms with it).
const WON_TOTALS: &str = "CREATE INDEX ix_opportunities_won_totals ON opportunities \
   (tenant_id, closed_at, currency, owner_id, amount) \
   WHERE status = 'won' AND deleted_at IS NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut movements = Table::create();
        movements
            .table(n("funnel_days"))
            .col(uuid(n("tenant_id")))
            .col(date(n("day")))
            .col(uuid(n("department_id")))
            .col(uuid(n("stage_id")));
        for figure in ["entered", "advanced", "departed", "departed_seconds"] {
            movements.col(big_integer(n(figure)));
        }
        movements.primary_key(
            Index::create()
                .col(n("tenant_id"))
                .col(n("day"))
                .col(n("department_id"))
                .col(n("stage_id")),
        );
        let mut closed = Table::create();
        closed
            .table(n("closed_deal_days"))
            .col(uuid(n("tenant_id")))
            .col(date(n("day")))
            .col(uuid(n("department_id")))
            .col(uuid(n("stage_id")))
            .col(string(n("currency")))
            .col(small_integer(n("probability")))
            .col(big_integer(n("deals")))
            .col(big_integer(n("amount")))
            .primary_key(
                Index::create()
                    .col(n("tenant_id"))
                    .col(n("day"))
                    .col(n("department_id"))
                    .col(n("stage_id"))
                    .col(n("currency"))
                    .col(n("probability")),
            );
        manager.create_table(movements.to_owned()).await?;
        manager.create_table(closed.to_owned()).await?;
        let db = manager.get_connection();
        let day = |column: &str| match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                format!("CAST(({column} AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS DATE)")
            }
            _ => format!("date({column}, '+8 hours')"),
        };
        let statements = [
            MOVEMENTS.replace("{changed}", &day("c.changed_at")),
            CLOSED.replace("{closed}", &day("o.closed_at")),
            OPEN_TOTALS.to_owned(),
            WON_TOTALS.to_owned(),
        ];
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
