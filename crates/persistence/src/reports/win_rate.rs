//! Win rate and sales cycle (赢率与销售周期): the opportunities won or lost during the period,
//! grouped by owner, department, source or industry. One grouped query (key × won/lost ×
//! currency); the handful of groups it returns are folded into rows here.

use std::collections::HashMap;

use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{MoneyTotal, WinRateGrouping, WinRateReport, WinRateRow};
use crm_domain::report::{Period, average_days, percent};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Select,
};
use uuid::Uuid;

use super::records::id_text;
use crate::entities::{department, opportunity, user};
use crate::error::storage;
use crate::money::money_from_units;
use crate::opportunities::{OpportunityFilter, owned_filtered, seen_as_member_only};

/// One group's opportunities that closed one way in one currency.
#[derive(Debug, FromQueryResult)]
struct Closed {
    key: Option<String>,
    status: String,
    currency: String,
    count: i64,
    amount: i64,
    cycle_seconds: i64,
}

/// What one group adds up to.
#[derive(Debug, Default)]
struct Group {
    won: u64,
    lost: u64,
    won_amounts: Vec<(String, i64)>,
    cycle_seconds: i64,
}

impl Group {
    fn add(&mut self, closed: &Closed) {
        let count = u64::try_from(closed.count).unwrap_or(0);
        if closed.status == StageKind::Won.as_str() {
            self.won += count;
            self.cycle_seconds += closed.cycle_seconds;
            match self
                .won_amounts
                .iter_mut()
                .find(|(c, _)| *c == closed.currency)
            {
                Some((_, amount)) => *amount += closed.amount,
                None => self
                    .won_amounts
                    .push((closed.currency.clone(), closed.amount)),
            }
        } else {
            self.lost += count;
        }
    }

    fn row(&self, key: Option<String>, name: Option<String>) -> WinRateRow {
        let mut won_amounts: Vec<MoneyTotal> = self
            .won_amounts
            .iter()
            .map(|(currency, units)| MoneyTotal {
                currency: currency.clone(),
                amount: money_from_units(*units),
            })
            .collect();
        won_amounts.sort_by(|a, b| a.currency.cmp(&b.currency));
        WinRateRow {
            key,
            name,
            won: self.won,
            lost: self.lost,
            win_rate_percent: percent(self.won, self.won + self.lost),
            won_amounts,
            average_cycle_days: average_days(self.cycle_seconds, self.won),
        }
    }
}

/// The group an opportunity falls in, as SQL over `opportunities`. Ids come out as text so
/// every grouping reads the same way.
fn key_sql(grouping: WinRateGrouping, backend: DatabaseBackend) -> String {
    let id_text = |column: &str| id_text(backend, column);
    match grouping {
        WinRateGrouping::Owner => id_text("\"opportunities\".\"owner_id\""),
        WinRateGrouping::Department => id_text(
            "(SELECT \"users\".\"department_id\" FROM \"users\" \
             WHERE \"users\".\"id\" = \"opportunities\".\"owner_id\")",
        ),
        WinRateGrouping::Source => "\"opportunities\".\"source\"".to_owned(),
        WinRateGrouping::Industry => "(SELECT \"customers\".\"industry\" FROM \"customers\" \
             WHERE \"customers\".\"id\" = \"opportunities\".\"customer_id\")"
            .to_owned(),
    }
}

/// What the rows are grouped by: the key, or for owners the id itself (turning every row's
/// id into text before grouping cost SQLite a third of the report).
fn group_sql(grouping: WinRateGrouping, backend: DatabaseBackend) -> String {
    match grouping {
        WinRateGrouping::Owner => "\"opportunities\".\"owner_id\"".to_owned(),
        _ => key_sql(grouping, backend),
    }
}

/// Seconds from creation to closing, summed over the won ones.
fn cycle_sql(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => {
            "CAST(COALESCE(SUM(CASE WHEN \"opportunities\".\"status\" = 'won' THEN \
             EXTRACT(EPOCH FROM (\"opportunities\".\"closed_at\" - \"opportunities\".\"created_at\")) END), 0) AS BIGINT)"
        }
        _ => {
            "CAST(COALESCE(SUM(CASE WHEN \"opportunities\".\"status\" = 'won' THEN \
             (julianday(\"opportunities\".\"closed_at\") - julianday(\"opportunities\".\"created_at\")) * 86400 END), 0) AS BIGINT)"
        }
    }
}

pub async fn win_rate(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
    grouping: WinRateGrouping,
    period: Period,
) -> Result<WinRateReport, Error> {
    let backend = db.get_database_backend();
    let (start, end) = period.instants();
    let filter = OpportunityFilter {
        closed_since: Some(start),
        closed_before: Some(end),
        ..filter.clone()
    };
    let key = key_sql(grouping, backend);
    let grouped = |deals: Select<opportunity::Entity>| {
        deals
            .filter(
                opportunity::Column::Status
                    .is_in([StageKind::Won.as_str(), StageKind::Lost.as_str()]),
            )
            .select_only()
            .column_as(Expr::cust(key.clone()), "key")
            .column(opportunity::Column::Status)
            .column(opportunity::Column::Currency)
            .column_as(Expr::cust("COUNT(*)"), "count")
            .column_as(
                Expr::cust("CAST(SUM(\"opportunities\".\"amount\") AS BIGINT)"),
                "amount",
            )
            .column_as(Expr::cust(cycle_sql(backend)), "cycle_seconds")
            .group_by(Expr::cust(group_sql(grouping, backend)))
            .group_by(opportunity::Column::Status)
            .group_by(opportunity::Column::Currency)
            .into_model::<Closed>()
    };
    // The deals owned within the reader's scope, then those seen only on a deal team.
    let mut closed = grouped(owned_filtered(caller, &filter))
        .all(db)
        .await
        .map_err(storage)?;
    if let Some(member_only) = seen_as_member_only(caller, &filter) {
        closed.extend(grouped(member_only).all(db).await.map_err(storage)?);
    }
    let mut groups: HashMap<Option<String>, Group> = HashMap::new();
    let mut total = Group::default();
    for row in &closed {
        groups.entry(row.key.clone()).or_default().add(row);
        total.add(row);
    }
    let names = names(db, caller, grouping, groups.keys().flatten()).await?;
    let mut rows: Vec<WinRateRow> = groups
        .iter()
        .map(|(key, group)| {
            let name = match grouping {
                WinRateGrouping::Owner | WinRateGrouping::Department => {
                    key.as_ref().and_then(|k| names.get(k).cloned())
                }
                WinRateGrouping::Source | WinRateGrouping::Industry => key.clone(),
            };
            group.row(key.clone(), name)
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.won + b.lost)
            .cmp(&(a.won + a.lost))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(WinRateReport {
        group_by: grouping,
        from: period.from(),
        to: period.to(),
        rows,
        total: total.row(None, None),
    })
}

/// The names of the owners or departments the rows are keyed by.
async fn names<'a>(
    db: &impl ConnectionTrait,
    caller: &Caller,
    grouping: WinRateGrouping,
    keys: impl Iterator<Item = &'a String>,
) -> Result<HashMap<String, String>, Error> {
    let ids: Vec<Uuid> = keys.filter_map(|k| k.parse().ok()).collect();
    let pairs: Vec<(Uuid, String)> = match grouping {
        WinRateGrouping::Owner => user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::Name)
            .filter(user::Column::TenantId.eq(caller.tenant_id))
            .filter(user::Column::Id.is_in(ids))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage)?,
        WinRateGrouping::Department => department::Entity::find()
            .select_only()
            .column(department::Column::Id)
            .column(department::Column::Name)
            .filter(department::Column::TenantId.eq(caller.tenant_id))
            .filter(department::Column::Id.is_in(ids))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage)?,
        WinRateGrouping::Source | WinRateGrouping::Industry => Vec::new(),
    };
    Ok(pairs
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect())
}
