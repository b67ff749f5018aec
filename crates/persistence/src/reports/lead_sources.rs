//! Lead sources (线索来源分析): the leads created in the period per source, how many were
//! qualified, converted and won. Three grouped queries: the leads (with whether each was won,
//! as an `EXISTS`), and the won opportunities, by the lead they name and by the customer a
//! lead was converted into.

use std::collections::HashMap;

use crm_api_types::leads::LeadSource;
use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{LeadSourceFigures, LeadSourceRow, LeadSourcesReport, MoneyTotal};
use crm_domain::report::{Period, percent};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QuerySelect, Select,
};

use super::records::RecordNarrowing;
use crate::entities::{lead, opportunity};
use crate::error::storage;
use crate::money::money_from_units;
use crate::scope::{owned_by_visible, owned_in_department_tree};

/// A won opportunity counts for the lead it names; one that names none (opened later on the
/// customer's page) counts for the latest lead converted into its customer before it was
/// created. As SQL over `leads` and `opportunities`: the conditions on the second kind.
const BY_CUSTOMER: &str = "\"opportunities\".\"lead_id\" IS NULL \
     AND \"opportunities\".\"created_at\" >= \"leads\".\"converted_at\" \
     AND NOT EXISTS (SELECT 1 FROM \"leads\" AS \"later\" \
       WHERE \"later\".\"tenant_id\" = \"leads\".\"tenant_id\" \
       AND \"later\".\"customer_id\" = \"leads\".\"customer_id\" \
       AND \"later\".\"deleted_at\" IS NULL \
       AND \"later\".\"converted_at\" IS NOT NULL \
       AND \"later\".\"converted_at\" <= \"opportunities\".\"created_at\" \
       AND (\"later\".\"converted_at\" > \"leads\".\"converted_at\" \
         OR (\"later\".\"converted_at\" = \"leads\".\"converted_at\" AND \"later\".\"id\" > \"leads\".\"id\")))";

/// Live won opportunities, as SQL over `opportunities`.
const WON: &str = "\"opportunities\".\"tenant_id\" = \"leads\".\"tenant_id\" \
     AND \"opportunities\".\"status\" = 'won' AND \"opportunities\".\"deleted_at\" IS NULL";

#[derive(Debug, FromQueryResult)]
struct Leads {
    source: String,
    leads: i64,
    qualified: i64,
    converted: i64,
    won_leads: i64,
}

#[derive(Debug, FromQueryResult)]
struct Won {
    source: String,
    currency: String,
    count: i64,
    amount: i64,
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
        self.won_leads += n(row.won_leads);
    }

    fn add_won(&mut self, count: u64, currency: &str, amount: i64) {
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

/// Won opportunities joined to the counted leads they are credited to, per source and
/// currency.
fn won(joined: Select<opportunity::Entity>, leads: Condition) -> Select<opportunity::Entity> {
    joined
        .filter(leads)
        .filter(opportunity::Column::Status.eq(StageKind::Won.as_str()))
        .filter(opportunity::Column::DeletedAt.is_null())
        .select_only()
        .column_as(lead::Column::Source, "source")
        .column(opportunity::Column::Currency)
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(SUM(\"opportunities\".\"amount\") AS BIGINT)"),
            "amount",
        )
        .group_by(lead::Column::Source)
        .group_by(opportunity::Column::Currency)
}

pub async fn lead_sources(
    db: &impl ConnectionTrait,
    caller: &Caller,
    narrowing: &RecordNarrowing,
    period: Period,
) -> Result<LeadSourcesReport, Error> {
    let counted = || counted(caller, narrowing, period);
    let won_lead = format!(
        "CAST(SUM(CASE WHEN \"leads\".\"converted_at\" IS NOT NULL AND (\
           EXISTS (SELECT 1 FROM \"opportunities\" WHERE {WON} \
             AND \"opportunities\".\"lead_id\" = \"leads\".\"id\") \
           OR EXISTS (SELECT 1 FROM \"opportunities\" WHERE {WON} \
             AND \"opportunities\".\"customer_id\" = \"leads\".\"customer_id\" AND {BY_CUSTOMER})\
         ) THEN 1 ELSE 0 END) AS BIGINT)"
    );
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
        .column_as(Expr::cust(won_lead), "won_leads")
        .group_by(lead::Column::Source)
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;

    let by_lead = opportunity::Entity::find().join(
        JoinType::InnerJoin,
        opportunity::Entity::belongs_to(lead::Entity)
            .from(opportunity::Column::LeadId)
            .to(lead::Column::Id)
            .into(),
    );
    let by_customer = opportunity::Entity::find()
        .join(
            JoinType::InnerJoin,
            opportunity::Entity::belongs_to(lead::Entity)
                .from(opportunity::Column::CustomerId)
                .to(lead::Column::CustomerId)
                .into(),
        )
        .filter(Expr::cust(format!("{WON} AND {BY_CUSTOMER}")));
    let mut won_rows: Vec<Won> = won(by_lead, counted())
        .filter(opportunity::Column::TenantId.eq(caller.tenant_id))
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;
    won_rows.extend(
        won(by_customer, counted())
            .filter(opportunity::Column::TenantId.eq(caller.tenant_id))
            .into_model::<Won>()
            .all(db)
            .await
            .map_err(storage)?,
    );

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
            let count = u64::try_from(row.count).unwrap_or(0);
            tallies
                .entry(source)
                .or_default()
                .add_won(count, &row.currency, row.amount);
            total.add_won(count, &row.currency, row.amount);
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
