//! The pipeline board: per stage the count, the totals per currency and the first cards.
//! One grouped query for the totals and one index range per column for the cards, so the
//! cost does not grow with the number of opportunities on the board.

use chrono::NaiveDate;
use crm_api_types::opportunities::{BoardColumn, BoardResponse, CurrencyTotal, OpportunityKind};
use crm_api_types::pipelines::StageKind;
use crm_domain::{Caller, Error, start_of_day_in_china};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QuerySelect, Select};
use uuid::Uuid;

use super::{OpportunityFilter, OpportunitySortKey, filtered, view};
use crate::entities::opportunity;
use crate::error::storage;
use crate::keyset;
use crm_domain::money::{round_cents, to_cents_at_least};
use rust_decimal::Decimal;

pub struct BoardFilter {
    pub pipeline_id: Option<Uuid>,
    pub q: Option<String>,
    pub owner_id: Option<Uuid>,
    pub kind: Option<OpportunityKind>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
    pub per_stage: u64,
    /// Won and lost columns show what closed on or after this day (China time).
    pub closed_since: NaiveDate,
}

pub async fn board(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &BoardFilter,
) -> Result<BoardResponse, Error> {
    let pipeline = crate::pipelines::chosen(db, caller.tenant_id, filter.pipeline_id).await?;
    let list_filter = OpportunityFilter {
        q: filter.q.clone(),
        pipeline_id: Some(pipeline.id),
        owner_id: filter.owner_id,
        kind: filter.kind,
        close_from: filter.close_from,
        close_to: filter.close_to,
        ..Default::default()
    };
    let since = start_of_day_in_china(filter.closed_since);
    let totals = totals(db, caller, &list_filter, since, None).await?;
    let mut columns = Vec::with_capacity(pipeline.stages.len());
    for stage in &pipeline.stages {
        let mut stage_filter = list_filter.clone();
        stage_filter.stage_id = Some(stage.id);
        if stage.kind != StageKind::Open {
            stage_filter.closed_since = Some(since);
        }
        let sort = OpportunitySortKey::ExpectedCloseDate;
        let (models, next) = keyset::page(
            db,
            filtered(caller, &stage_filter),
            sort.keyset(false),
            filter.per_stage,
            None,
            |m| sort.position(m),
        )
        .await?;
        let (count, sums) = column_totals(totals.iter().filter(|t| t.stage_id == stage.id));
        columns.push(BoardColumn {
            stage_id: stage.id,
            name: stage.name.clone(),
            kind: stage.kind,
            probability: stage.probability,
            count: u64::try_from(count).unwrap_or(0),
            totals: sums,
            items: view::summaries(db, caller.tenant_id, models).await?,
            next_cursor: next.map(|c| c.encode()),
        });
    }
    Ok(BoardResponse {
        pipeline_id: pipeline.id,
        pipeline_name: pipeline.name,
        columns,
    })
}

/// The count and sum of one stage's opportunities in one currency at one probability, in
/// stored units. Grouping by probability leaves the weighting to `column_totals`, exact in
/// 128 bits: Σ amount × probability could pass 64 bits in SQL.
#[derive(Debug, sea_orm::FromQueryResult)]
pub(crate) struct Total {
    pub stage_id: Uuid,
    currency: String,
    probability: i16,
    count: i64,
    amount: i64,
}

/// A column's count and its totals per currency, weighted to the cent once per currency.
pub(crate) fn column_totals<'a>(
    groups: impl Iterator<Item = &'a Total>,
) -> (i64, Vec<CurrencyTotal>) {
    let mut count = 0;
    let mut sums: Vec<(String, i128, i128)> = Vec::new();
    for group in groups {
        count += group.count;
        let weighted = i128::from(group.amount) * i128::from(group.probability);
        match sums
            .iter_mut()
            .find(|(currency, ..)| *currency == group.currency)
        {
            Some((_, amount, weighted_percent)) => {
                *amount += i128::from(group.amount);
                *weighted_percent += weighted;
            }
            None => sums.push((group.currency.clone(), i128::from(group.amount), weighted)),
        }
    }
    let totals = sums
        .into_iter()
        .map(|(currency, amount, weighted_percent)| CurrencyTotal {
            currency,
            amount: to_cents_at_least(units_to_decimal(amount)),
            weighted_amount: to_cents_at_least(round_cents(
                units_to_decimal(weighted_percent) / Decimal::ONE_HUNDRED,
            )),
        })
        .collect();
    (count, totals)
}

/// Stored units (1/10,000) as a decimal.
fn units_to_decimal(units: i128) -> Decimal {
    Decimal::from_i128_with_scale(units, crm_domain::money::SCALE)
}

/// The grouped sums of the open opportunities and of those closed from `since` (to
/// `before`, when given).
pub(crate) async fn totals(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
    since: chrono::DateTime<chrono::Utc>,
    before: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Vec<Total>, Error> {
    let mut closed = Condition::all().add(opportunity::Column::ClosedAt.gte(since));
    if let Some(before) = before {
        closed = closed.add(opportunity::Column::ClosedAt.lt(before));
    }
    grouped(
        db,
        filtered(caller, filter).filter(
            Condition::any()
                .add(opportunity::Column::Status.eq(StageKind::Open.as_str()))
                .add(closed),
        ),
    )
    .await
}

/// The grouped sums of the open opportunities alone (an index holds all they need).
pub(crate) async fn open_totals(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
) -> Result<Vec<Total>, Error> {
    // Written as the covering index's predicate, so both databases see it applies.
    let open = Expr::cust("\"opportunities\".\"status\" = 'open'");
    grouped(db, filtered(caller, filter).filter(open)).await
}

/// The grouped sums of the opportunities `query` selects that closed in `[start, end)`.
pub(crate) async fn closed_totals(
    db: &impl ConnectionTrait,
    query: Select<opportunity::Entity>,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Total>, Error> {
    let closed = Condition::all()
        .add(opportunity::Column::ClosedAt.gte(start))
        .add(opportunity::Column::ClosedAt.lt(end));
    grouped(db, query.filter(closed)).await
}

/// Count and sum per stage, currency and probability.
async fn grouped(
    db: &impl ConnectionTrait,
    query: Select<opportunity::Entity>,
) -> Result<Vec<Total>, Error> {
    query
        .select_only()
        .column(opportunity::Column::StageId)
        .column(opportunity::Column::Currency)
        .column(opportunity::Column::Probability)
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(SUM(\"opportunities\".\"amount\") AS BIGINT)"),
            "amount",
        )
        .group_by(opportunity::Column::StageId)
        .group_by(opportunity::Column::Currency)
        .group_by(opportunity::Column::Probability)
        .into_model::<Total>()
        .all(db)
        .await
        .map_err(storage)
}
