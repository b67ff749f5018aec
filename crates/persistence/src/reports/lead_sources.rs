//! Lead sources (线索来源分析): the leads created in the period per source, how many were
//! qualified, converted and won. Two grouped queries: the leads, and the won opportunities
//! credited to them (by the lead they name, or by the customer a lead was converted into)
//! per source and currency, with how many leads they came from.

use std::collections::HashMap;

use crm_api_types::leads::LeadSource;
use crm_api_types::reports::{LeadSourceFigures, LeadSourceRow, LeadSourcesReport, MoneyTotal};
use crm_domain::report::{Period, percent};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::records::RecordNarrowing;
use crate::entities::{lead, opportunity};
use crate::error::storage;
use crate::money::money_from_units;
use crate::scope::{owned_by_visible, owned_in_department_tree};

#[derive(Debug, FromQueryResult)]
struct Leads {
    source: String,
    leads: i64,
    qualified: i64,
    converted: i64,
}

#[derive(Debug, FromQueryResult)]
struct Won {
    source: String,
    currency: String,
    count: i64,
    amount: i64,
    /// The leads these are the won opportunities of, counted under one currency only (the
    /// first of a lead's), so the counts add up to the leads with any.
    leads: i64,
}

/// What one source adds up to.
#[derive(Debug, Default)]
struct Tally {
    leads: u64,
    qualified: u64,
    converted: u64,
    won_leads: u64,
    won_opportunities: u64,
    won_amounts: Vec<(String, i64)>,
}

impl Tally {
    fn add_leads(&mut self, row: &Leads) {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        self.leads += n(row.leads);
        self.qualified += n(row.qualified);
        self.converted += n(row.converted);
    }

    fn add_won(&mut self, row: &Won) {
        let (count, currency, amount) = (
            u64::try_from(row.count).unwrap_or(0),
            &row.currency,
            row.amount,
        );
        self.won_leads += u64::try_from(row.leads).unwrap_or(0);
        self.won_opportunities += count;
        match self.won_amounts.iter_mut().find(|(c, _)| c == currency) {
            Some((_, units)) => *units += amount,
            None => self.won_amounts.push((currency.to_owned(), amount)),
        }
    }

    fn figures(&self) -> LeadSourceFigures {
        let mut won_amounts: Vec<MoneyTotal> = self
            .won_amounts
            .iter()
            .map(|(currency, units)| MoneyTotal {
                currency: currency.clone(),
                amount: money_from_units(*units),
            })
            .collect();
        won_amounts.sort_by(|a, b| a.currency.cmp(&b.currency));
        LeadSourceFigures {
            leads: self.leads,
            qualified: self.qualified,
            converted: self.converted,
            won_leads: self.won_leads,
            won_opportunities: self.won_opportunities,
            won_amounts,
            qualified_percent: percent(self.qualified, self.leads),
            converted_percent: percent(self.converted, self.leads),
            qualified_won_percent: percent(self.won_leads, self.qualified),
            won_percent: percent(self.won_leads, self.leads),
        }
    }
}

/// The leads the report counts: live, owned within the caller's scope, created in the
/// period, narrowed by owner, department and the lead's own region and industry.
fn counted(caller: &Caller, narrowing: &RecordNarrowing, period: Period) -> Condition {
    let (start, end) = period.instants();
    let mut condition = Condition::all()
        .add(lead::Column::TenantId.eq(caller.tenant_id))
        .add(lead::Column::DeletedAt.is_null())
        .add(lead::Column::OwnerId.is_not_null())
        .add(lead::Column::CreatedAt.gte(start))
        .add(lead::Column::CreatedAt.lt(end))
        .add(owned_by_visible(caller, lead::Column::OwnerId));
    if let Some(id) = narrowing.owner_id {
        condition = condition.add(lead::Column::OwnerId.eq(id));
    }
    if let Some(path) = &narrowing.department_path {
        condition = condition.add(owned_in_department_tree(
            caller.tenant_id,
            lead::Column::OwnerId,
            path,
        ));
    }
    if let Some(region) = &narrowing.region {
        condition = condition.add(lead::Column::Region.eq(region.as_str()));
    }
    if let Some(industry) = &narrowing.industry {
        condition = condition.add(lead::Column::Industry.eq(industry.as_str()));
    }
    condition
}

/// The tenant's converted leads (read as `leads`), each with the instant the next lead was
/// converted into the same customer (`next_at`).
fn conversions(tenant_id: Uuid) -> SelectStatement {
    let mut conversions = Query::select();
    conversions
        .columns(
            [
                lead::Column::Id,
                lead::Column::TenantId,
                lead::Column::Source,
                lead::Column::OwnerId,
                lead::Column::CustomerId,
                lead::Column::Region,
                lead::Column::Industry,
                lead::Column::CreatedAt,
                lead::Column::ConvertedAt,
                lead::Column::DeletedAt,
            ]
            .map(|c| (lead::Entity, c)),
        )
        .expr_as(
            Expr::cust(
                "LEAD(\"leads\".\"converted_at\") OVER (PARTITION BY \"leads\".\"customer_id\" \
                 ORDER BY \"leads\".\"converted_at\", \"leads\".\"id\")",
            ),
            "next_at",
        )
        .from(lead::Entity)
        .and_where(lead::Column::TenantId.eq(tenant_id))
        .and_where(lead::Column::DeletedAt.is_null())
        .and_where(lead::Column::ConvertedAt.is_not_null());
    conversions
}

/// The live won opportunities credited to the counted leads, one row each with its lead's
/// id and source. A won opportunity counts for the lead it names (only a lead's conversion
/// opens a deal naming it, so converted leads are all it needs); one that names none
/// (opened later on the customer's page) counts for the latest lead converted into its
/// customer before it was created.
fn credited(caller: &Caller, leads: Condition) -> SelectStatement {
    let by = |link: Condition| {
        let mut rows = Query::select();
        rows.expr_as(Expr::col((lead::Entity, lead::Column::Source)), "source")
            .expr_as(Expr::col((lead::Entity, lead::Column::Id)), "lead_id")
            .expr_as(
                Expr::col((opportunity::Entity, opportunity::Column::Currency)),
                "currency",
            )
            .expr_as(
                Expr::col((opportunity::Entity, opportunity::Column::Amount)),
                "amount",
            )
            .from_subquery(conversions(caller.tenant_id), lead::Entity)
            .inner_join(
                opportunity::Entity,
                Condition::all()
                    .add(opportunity::Column::TenantId.eq(caller.tenant_id))
                    // Written as the won deals' covering indexes' predicate.
                    .add(Expr::cust("\"opportunities\".\"status\" = 'won'"))
                    .add(opportunity::Column::DeletedAt.is_null())
                    .add(link),
            )
            .cond_where(leads.clone());
        rows
    };
    let opportunity = |c: opportunity::Column| Expr::col((opportunity::Entity, c));
    let lead = |c: lead::Column| Expr::col((lead::Entity, c));
    let mut rows = by(Condition::all()
        .add(opportunity(opportunity::Column::LeadId).equals((lead::Entity, lead::Column::Id))));
    rows.union(
        UnionType::All,
        by(Condition::all()
            .add(opportunity(opportunity::Column::LeadId).is_null())
            .add(
                opportunity(opportunity::Column::CustomerId)
                    .equals((lead::Entity, lead::Column::CustomerId)),
            )
            .add(opportunity(opportunity::Column::CreatedAt).gte(lead(lead::Column::ConvertedAt)))
            .add(
                Condition::any()
                    .add(Expr::col((lead::Entity, Alias::new("next_at"))).is_null())
                    .add(
                        opportunity(opportunity::Column::CreatedAt)
                            .lt(Expr::col((lead::Entity, Alias::new("next_at")))),
                    ),
            )),
    );
    rows
}

pub async fn lead_sources(
    db: &impl ConnectionTrait,
    caller: &Caller,
    narrowing: &RecordNarrowing,
    period: Period,
) -> Result<LeadSourcesReport, Error> {
    let counted = || counted(caller, narrowing, period);
    let leads: Vec<Leads> = lead::Entity::find()
        .filter(counted())
        .select_only()
        .column(lead::Column::Source)
        .column_as(Expr::cust("COUNT(*)"), "leads")
        .column_as(
            Expr::cust(
                "CAST(SUM(CASE WHEN \"leads\".\"qualified_at\" IS NOT NULL \
                 OR \"leads\".\"converted_at\" IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT)",
            ),
            "qualified",
        )
        .column_as(
            Expr::cust(
                "CAST(SUM(CASE WHEN \"leads\".\"converted_at\" IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT)",
            ),
            "converted",
        )
        .group_by(lead::Column::Source)
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;

    // Per lead and currency, then per source and currency; a lead counts under its first
    // currency.
    let per_lead = Query::select()
        .columns(["source", "lead_id", "currency"].map(|c| (Alias::new("credited"), Alias::new(c))))
        .expr_as(Expr::cust("COUNT(*)"), "count")
        .expr_as(Expr::cust("SUM(\"credited\".\"amount\")"), "amount")
        .expr_as(
            Expr::cust(
                "CASE WHEN \"credited\".\"currency\" = MIN(\"credited\".\"currency\") \
                 OVER (PARTITION BY \"credited\".\"lead_id\") THEN 1 ELSE 0 END",
            ),
            "first",
        )
        .from_subquery(credited(caller, counted()), Alias::new("credited"))
        .group_by_columns(
            ["source", "lead_id", "currency"].map(|c| (Alias::new("credited"), Alias::new(c))),
        )
        .to_owned();
    let won = Query::select()
        .columns(["source", "currency"].map(|c| (Alias::new("per_lead"), Alias::new(c))))
        .expr_as(
            Expr::cust("CAST(SUM(\"per_lead\".\"count\") AS BIGINT)"),
            "count",
        )
        .expr_as(
            Expr::cust("CAST(SUM(\"per_lead\".\"amount\") AS BIGINT)"),
            "amount",
        )
        .expr_as(
            Expr::cust("CAST(SUM(\"per_lead\".\"first\") AS BIGINT)"),
            "leads",
        )
        .from_subquery(per_lead, Alias::new("per_lead"))
        .group_by_columns(["source", "currency"].map(|c| (Alias::new("per_lead"), Alias::new(c))))
        .to_owned();
    let won_rows = Won::find_by_statement(db.get_database_backend().build(&won))
        .all(db)
        .await
        .map_err(storage)?;

    let mut tallies: HashMap<LeadSource, Tally> = HashMap::new();
    let mut total = Tally::default();
    for row in &leads {
        if let Some(source) = LeadSource::parse(&row.source) {
            tallies.entry(source).or_default().add_leads(row);
            total.add_leads(row);
        }
    }
    for row in &won_rows {
        if let Some(source) = LeadSource::parse(&row.source) {
            tallies.entry(source).or_default().add_won(row);
            total.add_won(row);
        }
    }
    let mut rows: Vec<LeadSourceRow> = tallies
        .into_iter()
        .map(|(source, tally)| LeadSourceRow {
            source,
            figures: tally.figures(),
        })
        .collect();
    // Most leads first; ties in the order sources are listed everywhere else.
    let position = |s: LeadSource| LeadSource::ALL.iter().position(|&v| v == s);
    rows.sort_by(|a, b| {
        b.figures
            .leads
            .cmp(&a.figures.leads)
            .then_with(|| position(a.source).cmp(&position(b.source)))
    });
    Ok(LeadSourcesReport {
        from: period.from(),
        to: period.to(),
        rows,
        total: total.figures(),
    })
}
