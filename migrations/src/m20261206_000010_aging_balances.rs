//! Aging balances: what each customer owes each owner, per currency and bucket, as of one
//! day, so the aging report reads thousands of rows instead of summing a million instalments
//! on every request.
//!
//! Triggers on `instalments` put the customers whose instalments change into `aging_stale`,
//! whatever code path changes them; the next aging read recomputes those customers, and
//! `aging_refreshes` holds the day a tenant's balances were counted from, so the first read
//! after midnight recomputes them all (buckets move with the calendar, not with writes).

use sea_orm_migration::prelude::{
    DbErr, DeriveMigrationName, Index, MigrationTrait, SchemaManager, Table, TableCreateStatement,
};
use sea_orm_migration::schema::{big_integer, date, string, uuid};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::columns::n;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn balances() -> TableCreateStatement {
    let mut t = Table::create();
    t.table(n("aging_balances"))
        .col(uuid(n("tenant_id")))
        .col(uuid(n("customer_id")))
        .col(uuid(n("owner_id")))
        .col(string(n("currency")));
    for bucket in [
        "not_due",
        "days_1_to_30",
        "days_31_to_60",
        "days_61_to_90",
        "days_91_to_180",
        "over_180",
    ] {
        t.col(big_integer(n(bucket)));
    }
    t.primary_key(
        Index::create()
            .col(n("tenant_id"))
            .col(n("customer_id"))
            .col(n("owner_id"))
            .col(n("currency")),
    )
    .to_owned()
}

fn stale() -> TableCreateStatement {
    Table::create()
        .table(n("aging_stale"))
        .col(uuid(n("tenant_id")))
        .col(uuid(n("customer_id")))
        .primary_key(Index::create().col(n("tenant_id")).col(n("customer_id")))
        .to_owned()
}

fn refreshes() -> TableCreateStatement {
    Table::create()
        .table(n("aging_refreshes"))
        .col(uuid(n("tenant_id")).primary_key())
        .col(date(n("as_of")))
        .to_owned()
}

/// Marking on every change that can move a balance. PostgreSQL marks inserts once per
/// statement from the transition table (a bulk load of a million instalments does not run a
/// million inserts into `aging_stale`); updates and deletes per row.
const POSTGRES_TRIGGERS: [&str; 4] = [
    "CREATE FUNCTION aging_mark_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO aging_stale (tenant_id, customer_id)
         SELECT DISTINCT tenant_id, customer_id FROM inserted
         ON CONFLICT DO NOTHING;
       RETURN NULL;
     END $$",
    "CREATE TRIGGER tr_instalments_aging_insert AFTER INSERT ON instalments
     REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION aging_mark_inserted()",
    "CREATE FUNCTION aging_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       INSERT INTO aging_stale (tenant_id, customer_id) VALUES (OLD.tenant_id, OLD.customer_id)
         ON CONFLICT DO NOTHING;
       IF TG_OP = 'UPDATE' THEN
         INSERT INTO aging_stale (tenant_id, customer_id) VALUES (NEW.tenant_id, NEW.customer_id)
           ON CONFLICT DO NOTHING;
       END IF;
       RETURN NULL;
     END $$",
    "CREATE TRIGGER tr_instalments_aging_change
     AFTER UPDATE OF customer_id, owner_id, currency, due_date, outstanding, confirmed OR DELETE
     ON instalments FOR EACH ROW EXECUTE FUNCTION aging_mark_changed()",
];

const SQLITE_TRIGGERS: [&str; 3] = [
    "CREATE TRIGGER tr_instalments_aging_insert AFTER INSERT ON instalments BEGIN
       INSERT OR IGNORE INTO aging_stale (tenant_id, customer_id)
         VALUES (NEW.tenant_id, NEW.customer_id);
     END",
    "CREATE TRIGGER tr_instalments_aging_update
     AFTER UPDATE OF customer_id, owner_id, currency, due_date, outstanding, confirmed
     ON instalments BEGIN
       INSERT OR IGNORE INTO aging_stale (tenant_id, customer_id)
         VALUES (OLD.tenant_id, OLD.customer_id);
       INSERT OR IGNORE INTO aging_stale (tenant_id, customer_id)
         VALUES (NEW.tenant_id, NEW.customer_id);
     END",
    "CREATE TRIGGER tr_instalments_aging_delete AFTER DELETE ON instalments BEGIN
       INSERT OR IGNORE INTO aging_stale (tenant_id, customer_id)
         VALUES (OLD.tenant_id, OLD.customer_id);
     END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for statement in [balances(), stale(), refreshes()] {
            manager.create_table(statement).await?;
        }
        let db = manager.get_connection();
        // The scope filter reads a tenant's balances by owner.
        db.execute_unprepared(
            "CREATE INDEX ix_aging_balances_owner ON aging_balances (tenant_id, currency, owner_id)",
        )
        .await?;
        let triggers: &[&str] = match db.get_database_backend() {
            DatabaseBackend::Postgres => &POSTGRES_TRIGGERS,
            _ => &SQLITE_TRIGGERS,
        };
        for statement in triggers {
            db.execute_unprepared(statement).await?;
        }
        // Instalments recorded before this migration need nothing: without an
        // `aging_refreshes` row, a tenant's first aging read counts everything.
        Ok(())
    }
}
