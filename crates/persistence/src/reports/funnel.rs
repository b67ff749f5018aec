//! The sales funnel (销售漏斗). Where the pipeline stands is the board's grouped sums; how
//! opportunities moved during the period comes from their stage history: who entered each
//! stage, whether they got further since, and how long those that left a stage had spent in
//! it. Three grouped queries, whatever the number of opportunities.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{FunnelReport, FunnelStage};
use crm_domain::report::{Period, average_days, percent};
use crm_domain::{Caller, Error, Visibility};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, QueryTrait,
};
use uuid::Uuid;

use crate::entities::{opportunity, stage_change};
use crate::error::storage;
use crate::opportunities::{OpportunityFilter, column_totals, filtered, totals};
use crate::pipelines::PipelineRow;

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
    let into = counted(caller, &filter, &pipeline, stage_change::Column::ToStageId);
    let out_of = counted(
        caller,
        &filter,
        &pipeline,
        stage_change::Column::FromStageId,
    );
    let entered = entered(db, into, start, end).await?;
    let left = left(db, out_of, start, end).await?;
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

/// Per stage: the opportunities that entered it for the first time in `[start, end)`, and
/// how many of them have gone further since (the `advanced` mark the stage history keeps).
async fn entered(
    db: &impl ConnectionTrait,
    counted: Condition,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<HashMap<Uuid, Entered>, Error> {
    let rows = stage_change::Entity::find()
        .select_only()
        .column_as(stage_change::Column::ToStageId, "stage_id")
        .column_as(Expr::cust("COUNT(*)"), "entered")
        .column_as(
            Expr::cust(
                "CAST(COALESCE(SUM(CASE WHEN \"opportunity_stage_changes\".\"advanced\" THEN 1 ELSE 0 END), 0) AS BIGINT)",
            ),
            "advanced",
        )
        // Written as the partial index's predicate, so both databases see it applies.
        .filter(Expr::cust("\"opportunity_stage_changes\".\"first_entry\" = TRUE"))
        .filter(stage_change::Column::ChangedAt.gte(start))
        .filter(stage_change::Column::ChangedAt.lt(end))
        .filter(counted)
        .group_by(stage_change::Column::ToStageId)
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
    counted: Condition,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
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
        .filter(stage_change::Column::FromStageId.is_not_null())
        .filter(stage_change::Column::ChangedAt.gte(start))
        .filter(stage_change::Column::ChangedAt.lt(end))
        .filter(counted)
        .group_by(stage_change::Column::FromStageId)
        .into_model::<Left>()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows.into_iter().map(|r| (r.stage_id, r)).collect())
}

/// The stage changes the funnel counts, through `stage` (the stage entered, or the one left).
/// A reader who sees everything and narrows nothing counts every change into or out of the
/// pipeline's stages but those of deleted deals, which the indexes answer alone; anyone else
/// counts the changes of the opportunities `filter` selects within their scope.
fn counted(
    caller: &Caller,
    filter: &OpportunityFilter,
    pipeline: &PipelineRow,
    stage: stage_change::Column,
) -> Condition {
    let tenant = Condition::all().add(stage_change::Column::TenantId.eq(caller.tenant_id));
    if matches!(caller.visibility(), Visibility::All) && !narrows(filter) {
        let deleted = opportunity::Entity::find()
            .select_only()
            .column(opportunity::Column::Id)
            .filter(opportunity::Column::TenantId.eq(caller.tenant_id))
            .filter(opportunity::Column::DeletedAt.is_not_null())
            .into_query();
        tenant
            .add(stage.is_in(pipeline.stages.iter().map(|s| s.id)))
            .add(stage_change::Column::OpportunityId.not_in_subquery(deleted))
    } else {
        let selected = filtered(caller, filter)
            .select_only()
            .column(opportunity::Column::Id)
            .into_query();
        tenant.add(stage_change::Column::OpportunityId.in_subquery(selected))
    }
}

/// Whether `filter` selects fewer of the pipeline's opportunities than all of them. Every
/// field is named, so a new one has to be considered here.
fn narrows(filter: &OpportunityFilter) -> bool {
    let OpportunityFilter {
        q,
        pipeline_id: _,
        stage_id,
        status,
        owner_id,
        customer_id,
        kind,
        close_from,
        close_to,
        member,
        closed_since,
        closed_before,
        department_path,
        source,
        region,
        industry,
        product_categories,
    } = filter;
    q.is_some()
        || stage_id.is_some()
        || status.is_some()
        || owner_id.is_some()
        || customer_id.is_some()
        || kind.is_some()
        || close_from.is_some()
        || close_to.is_some()
        || *member
        || closed_since.is_some()
        || closed_before.is_some()
        || department_path.is_some()
        || source.is_some()
        || region.is_some()
        || industry.is_some()
        || product_categories.is_some()
}
