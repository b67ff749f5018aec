//! The sales funnel (销售漏斗). Where the pipeline stands is the board's grouped sums; how
//! opportunities moved during the period comes from their stage history: who entered each
//! stage, whether they got further since, and how long those that left a stage had spent in
//! it. Three grouped queries, whatever the number of opportunities.

use std::collections::HashMap;

use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{FunnelReport, FunnelStage};
use crm_domain::report::{Period, average_days, percent};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use crate::entities::{opportunity, stage_change};
use crate::error::storage;
use crate::opportunities::{OpportunityFilter, column_totals, filtered, totals};

/// Who entered one stage during the period, and how many of them got further since.
#[derive(Debug, FromQueryResult)]
struct Entered {
    stage_id: Uuid,
    entered: i64,
    advanced: i64,
}

/// How many left one stage during the period, and the seconds they had spent in it.
#[derive(Debug, FromQueryResult)]
struct Left {
    stage_id: Uuid,
    left: i64,
    seconds: i64,
}

/// The funnel of the pipeline `filter` names (the default one otherwise), over the
/// opportunities `filter` selects within the caller's scope.
pub async fn funnel(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
    period: Period,
) -> Result<FunnelReport, Error> {
    let pipeline = crate::pipelines::chosen(db, caller.tenant_id, filter.pipeline_id).await?;
    let filter = OpportunityFilter {
        pipeline_id: Some(pipeline.id),
        ..filter.clone()
    };
    let (start, end) = period.instants();
    let now = totals(db, caller, &filter, start, Some(end)).await?;
    let selected = filtered(caller, &filter)
        .select_only()
        .column(opportunity::Column::Id)
        .into_query();
    let entered = entered(db, caller, selected.clone(), start, end).await?;
    let left = left(db, caller, selected, start, end).await?;
    let stages = pipeline
        .stages
        .iter()
        .map(|stage| {
            let (count, totals) = column_totals(now.iter().filter(|t| t.stage_id == stage.id));
            let (entered, advanced) = entered
                .get(&stage.id)
                .map_or((0, 0), |e| (count_of(e.entered), count_of(e.advanced)));
            let (left, seconds) = left
                .get(&stage.id)
                .map_or((0, 0), |l| (count_of(l.left), l.seconds));
            let advanced = (stage.kind == StageKind::Open).then_some(advanced);
            FunnelStage {
                stage_id: stage.id,
                name: stage.name.clone(),
                kind: stage.kind,
                probability: stage.probability,
                count: count_of(count),
                totals,
                entered,
                advanced,
                conversion_percent: advanced.and_then(|a| percent(a, entered)),
                average_days: average_days(seconds, left),
                left,
            }
        })
        .collect();
    Ok(FunnelReport {
        pipeline_id: pipeline.id,
        pipeline_name: pipeline.name,
        from: period.from(),
        to: period.to(),
        stages,
    })
}

fn count_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Per stage: the opportunities that entered it in `[start, end)`, and how many of them
/// reached a later open stage or a won one afterwards (at any time up to now).
async fn entered(
    db: &impl ConnectionTrait,
    caller: &Caller,
    selected: SelectStatement,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<Uuid, Entered>, Error> {
    // A later change of the same opportunity into a stage past the one entered.
    let further = "EXISTS (SELECT 1 FROM \"opportunity_stage_changes\" AS \"later\" \
        JOIN \"pipeline_stages\" AS \"reached\" ON \"reached\".\"id\" = \"later\".\"to_stage_id\" \
        JOIN \"pipeline_stages\" AS \"left_stage\" ON \"left_stage\".\"id\" = \"opportunity_stage_changes\".\"to_stage_id\" \
        WHERE \"later\".\"opportunity_id\" = \"opportunity_stage_changes\".\"opportunity_id\" \
        AND \"later\".\"changed_at\" > \"opportunity_stage_changes\".\"changed_at\" \
        AND (\"reached\".\"kind\" = 'won' \
             OR (\"reached\".\"kind\" = 'open' AND \"reached\".\"position\" > \"left_stage\".\"position\")))";
    let query = stage_change::Entity::find()
        .select_only()
        .column_as(stage_change::Column::ToStageId, "stage_id")
        .column_as(
            Expr::cust("COUNT(DISTINCT \"opportunity_stage_changes\".\"opportunity_id\")"),
            "entered",
        )
        .column_as(
            Expr::cust(format!(
                "COUNT(DISTINCT CASE WHEN {further} THEN \"opportunity_stage_changes\".\"opportunity_id\" END)"
            )),
            "advanced",
        )
        .filter(stage_change::Column::TenantId.eq(caller.tenant_id))
        .filter(stage_change::Column::ChangedAt.gte(start))
        .filter(stage_change::Column::ChangedAt.lt(end))
        .filter(stage_change::Column::OpportunityId.in_subquery(selected))
        .group_by(stage_change::Column::ToStageId);
    let rows = query
        .into_model::<Entered>()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows.into_iter().map(|r| (r.stage_id, r)).collect())
}

/// Per stage: how many changes in `[start, end)` took an opportunity out of it, and the
/// seconds it had spent there.
async fn left(
    db: &impl ConnectionTrait,
    caller: &Caller,
    selected: SelectStatement,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<Uuid, Left>, Error> {
    let rows = stage_change::Entity::find()
        .select_only()
        .column_as(stage_change::Column::FromStageId, "stage_id")
        .column_as(Expr::cust("COUNT(*)"), "left")
        .column_as(
            Expr::cust(
                "CAST(COALESCE(SUM(\"opportunity_stage_changes\".\"seconds_in_previous\"), 0) AS BIGINT)",
            ),
            "seconds",
        )
        .filter(stage_change::Column::TenantId.eq(caller.tenant_id))
        .filter(stage_change::Column::FromStageId.is_not_null())
        .filter(stage_change::Column::ChangedAt.gte(start))
        .filter(stage_change::Column::ChangedAt.lt(end))
        .filter(stage_change::Column::OpportunityId.in_subquery(selected))
        .group_by(stage_change::Column::FromStageId)
        .into_model::<Left>()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows.into_iter().map(|r| (r.stage_id, r)).collect())
}
