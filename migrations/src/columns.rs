//! Column shapes the migrations share.

use sea_orm_migration::prelude::{Alias, Index, Table, TableCreateStatement};
use sea_orm_migration::schema::{
    big_integer, date, integer, pk_uuid, string, timestamp_with_time_zone, uuid,
};

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

/// A rollup table: its key's columns (a day or month is a date, a currency a string, the
/// rest ids) as the primary key, and a big integer per figure.
pub(crate) fn rollup(name: &str, key: &[&str], figures: &[&str]) -> TableCreateStatement {
    let mut table = Table::create();
    table.table(n(name));
    for column in key {
        table.col(match *column {
            "day" | "month" => date(n(column)),
            "currency" => string(n(column)),
            _ => uuid(n(column)),
        });
    }
    for figure in figures {
        table.col(big_integer(n(figure)));
    }
    let mut primary = Index::create();
    for column in key {
        primary.col(n(column));
    }
    table.primary_key(&mut primary).to_owned()
}
