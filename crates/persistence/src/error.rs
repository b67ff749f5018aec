//! Turning database errors into domain errors: unique violations become conflicts,
//! everything else is a storage failure (a 500 with a logged error id).

use crm_domain::Error;
use sea_orm::{DbErr, SqlErr};

pub(crate) fn storage(err: DbErr) -> Error {
    Error::Storage(Box::new(err))
}

/// Maps a unique violation whose message mentions `needle` (the index name on PostgreSQL,
/// the column list on SQLite) to a conflict on `field`.
pub(crate) fn unique_violation(
    err: DbErr,
    needles: &[&str],
    code: &'static str,
    field: &'static str,
) -> Error {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message))
            if needles.iter().any(|n| message.contains(n)) =>
        {
            Error::Conflict {
                code,
                field: Some(field),
            }
        }
        _ => storage(err),
    }
}
