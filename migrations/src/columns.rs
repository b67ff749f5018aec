//! Column shapes the migrations share.

use sea_orm_migration::prelude::{Alias, Table, TableCreateStatement};
use sea_orm_migration::schema::{integer, pk_uuid, timestamp_with_time_zone, uuid};

pub(crate) fn n(name: &str) -> Alias {
    Alias::new(name)
}

/// `id`, `tenant_id` and the given columns.
pub(crate) fn table(name: &str) -> TableCreateStatement {
    Table::create()
        .table(n(name))
        .col(pk_uuid(n("id")))
        .col(uuid(n("tenant_id")))
        .to_owned()
}

/// `version`, `created_at`, `updated_at`.
pub(crate) fn versioned(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(integer(n("version")))
        .col(timestamp_with_time_zone(n("created_at")))
        .col(timestamp_with_time_zone(n("updated_at")))
}
