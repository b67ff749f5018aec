//! The sales funnel (销售漏斗). Where the pipeline stands is the board's grouped sums; how
//! opportunities moved during the period comes from their stage history: who entered each
//! stage, whether they got further since, and how long those that left a stage had spent in
//! it. The movements come from the funnel's rollup (summed per day and department as the
//! history is written) for any reader it can answer, from the history itself otherwise.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{FunnelReport, FunnelStage};
use crm_domain::report::{Period, average_days, percent};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    Select,
};
use uuid::Uuid;

use crate::entities::{closed_deal_day, funnel_day, opportunity, stage_change};
use crate::error::storage;
use crate::opportunities::{
    OpportunityFilter, closed_totals, column_totals, filtered, open_totals, seen_as_member_only,
    totals,
};
use crate::rollups::deals::{self, StageFigures};
use crate::rollups::{Days, departments_covered};

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
    let stages = pipeline.stages.iter().map(|s| s.id);
    let path = filter.department_path.as_deref();
    let rollups = (
        departments_covered(caller, funnel_day::Column::DepartmentId, path),
        departments_covered(caller, closed_deal_day::Column::DepartmentId, path),
    );
    let (now, moved) = match rollups {
        (Some(moves), Some(closes)) if !narrows_beyond_departments(&filter) => {
            let days = Days {
                from: period.from(),
                to: period.to(),
            };
            let mut now = open_totals(db, caller, &filter).await?;
            now.extend(deals::closed_in(db, caller.tenant_id, stages.clone(), days, closes).await?);
            let mut moved = deals::movements_in(db, caller.tenant_id, stages, days, moves).await?;
            // The deals the reader sees only as a member of their team, owned outside their
            // scope, are not in the rollups of the departments they cover.
            if let Some(member_only) = seen_as_member_only(caller, &filter) {
                now.extend(closed_totals(db, member_only.clone(), start, end).await?);
                for (stage, figures) in from_history(db, caller, member_only, start, end).await? {
                    moved
                        .entry(stage)
                        .or_insert_with(|| StageFigures::none(stage))
                        .add(&figures);
                }
            }
            (now, moved)
        }
        _ => {
            let now = totals(db, caller, &filter, start, Some(end)).await?;
            let moved = from_history(db, caller, filtered(caller, &filter), start, end).await?;
            (now, moved)
        }
    };
    let stages = pipeline
        .stages
        .iter()
        .map(|stage| {
            let (count, totals) = column_totals(now.iter().filter(|t| t.stage_id == stage.id));
            let figures = moved.get(&stage.id);
            let figure = |f: fn(&StageFigures) -> i64| figures.map_or(0, f);
            let entered = count_of(figure(|f| f.entered));
            let left = count_of(figure(|f| f.departed));
            let advanced =
                (stage.kind == StageKind::Open).then_some(count_of(figure(|f| f.advanced)));
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
                average_days: average_days(figure(|f| f.departed_seconds), left),
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

/// Whether `filter` narrows the deals by more than a department tree, which the rollups
/// can't tell apart.
fn narrows_beyond_departments(filter: &OpportunityFilter) -> bool {
    narrows(&OpportunityFilter {
        department_path: None,
        ..filter.clone()
    })
}

/// The period's movements of `deals` from the stage history itself, for what the rollups
/// can't answer (a reader's own deals, deals narrowed by owner, customer, region …): per
/// stage, the opportunities that entered it for the first time in `[start, end)` and how
/// many of them have gone further since (the `advanced` mark the history keeps); the changes
/// that took an opportunity out of it and the seconds it had spent there.
async fn from_history(
    db: &impl ConnectionTrait,
    caller: &Caller,
    deals: Select<opportunity::Entity>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<HashMap<Uuid, StageFigures>, Error> {
    let selected = deals
        .select_only()
        .column(opportunity::Column::Id)
        .into_query();
    let counted = Condition::all()
        .add(stage_change::Column::TenantId.eq(caller.tenant_id))
        .add(stage_change::Column::ChangedAt.gte(start))
        .add(stage_change::Column::ChangedAt.lt(end))
        .add(stage_change::Column::OpportunityId.in_subquery(selected));
    let entered = stage_change::Entity::find()
        .select_only()
        .column_as(stage_change::Column::ToStageId, "stage_id")
        .column_as(Expr::cust("COUNT(*)"), "entered")
        .column_as(
            Expr::cust(
                "CAST(COALESCE(SUM(CASE WHEN \"opportunity_stage_changes\".\"advanced\" THEN 1 ELSE 0 END), 0) AS BIGINT)",
            ),
            "advanced",
        )
        .column_as(Expr::cust("CAST(0 AS BIGINT)"), "departed")
        .column_as(Expr::cust("CAST(0 AS BIGINT)"), "departed_seconds")
        // Written as the partial index's predicate, so both databases see it applies.
        .filter(Expr::cust("\"opportunity_stage_changes\".\"first_entry\" = TRUE"))
        .filter(counted.clone())
        .group_by(stage_change::Column::ToStageId)
        .into_model::<StageFigures>()
        .all(db)
        .await
        .map_err(storage)?;
    let departed = stage_change::Entity::find()
        .select_only()
        .column_as(stage_change::Column::FromStageId, "stage_id")
        .column_as(Expr::cust("CAST(0 AS BIGINT)"), "entered")
        .column_as(Expr::cust("CAST(0 AS BIGINT)"), "advanced")
        .column_as(Expr::cust("COUNT(*)"), "departed")
        .column_as(
            Expr::cust(
                "CAST(COALESCE(SUM(\"opportunity_stage_changes\".\"seconds_in_previous\"), 0) AS BIGINT)",
            ),
            "departed_seconds",
        )
        .filter(stage_change::Column::FromStageId.is_not_null())
        .filter(counted)
        .group_by(stage_change::Column::FromStageId)
        .into_model::<StageFigures>()
        .all(db)
        .await
        .map_err(storage)?;
    let mut figures: HashMap<Uuid, StageFigures> =
        entered.into_iter().map(|f| (f.stage_id, f)).collect();
    for left in departed {
        figures
            .entry(left.stage_id)
            .or_insert_with(|| StageFigures::none(left.stage_id))
            .add(&left);
    }
    Ok(figures)
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
