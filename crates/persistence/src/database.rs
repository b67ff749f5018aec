//! Connecting, migrating and checking readiness, the same way on SQLite and PostgreSQL.

use std::time::Duration;

use crm_migrations::Migrator;
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;

/// A pool of connections to the CRM's database.
pub type Database = DatabaseConnection;

/// Opens a pool. SQLite gets one connection: it allows one writer at a time anyway, and a
/// single connection never sees "database is locked" under concurrent writes.
pub async fn connect(url: &str) -> Result<Database, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(if sqlite { 1 } else { 20 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // sqlx would ping every connection it hands out: one extra round trip per query.
        // A broken connection still fails its query, and the pool replaces it.
        .test_before_acquire(false)
        .sqlx_logging(false)
        // PostgreSQL's JIT compiles large aggregates (aging) at ~80 ms a query, more than it
        // saves on this workload of short queries. And every statement is planned for its
        // values: after five runs a prepared statement may settle on a generic plan made
        // without them, which for a report's period and scope was up to ten times slower
        // (win rate 0.14 → 1.2 s per request); planning again costs well under a millisecond.
        .map_sqlx_postgres_opts(|options| {
            options.options([("jit", "off"), ("plan_cache_mode", "force_custom_plan")])
        });
    let db = sea_orm::Database::connect(options).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        db.execute_unprepared(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .await?;
    }
    Ok(db)
}

/// Applies pending migrations; returns how many ran.
pub async fn migrate(db: &Database) -> Result<usize, DbErr> {
    let pending = Migrator::get_pending_migrations(db).await?.len();
    Migrator::up(db, None).await?;
    Ok(pending)
}

/// Ready = the database answers and no migration is pending.
pub async fn ready(db: &Database) -> Result<bool, DbErr> {
    db.ping().await?;
    Ok(Migrator::get_pending_migrations(db).await?.is_empty())
}
