//! Stage changes: moves, won, lost and reopen, each kept with who, when and how long the
//! opportunity sat in the stage it left.

use std::collections::HashMap;

use crm_api_types::opportunities::{
    MoveStageRequest, OpportunityResponse, ReopenOpportunityRequest, StageChangeKind,
    StageChangeResponse,
};
use crm_api_types::pipelines::StageKind;
use crm_api_types::products::PriceEvent;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::event::EventType;
use crm_domain::opportunity::{Outcome, check_reopen, plan_move};
use crm_domain::settings::Settings;
use crm_domain::{
    Caller, Error, FieldErrors, Violation, check_version, new_id, now, today_in_china,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{find, parts, view};
use crate::audit::{Actor, record};
use crate::entities::{opportunity, pipeline_stage, stage_change};
use crate::error::storage;
use crate::money::money_from_units;
use crate::pipelines::Stage;
use crate::price_history::NewPrice;
use crate::rollups::{self, deals::Deals};

/// Appends one entry to the stage history, inside the caller's transaction. `model` is the
/// opportunity after the change; `left` the stage it left and when it had entered it. Keeps
/// the funnel's cohort marks (`first_entry`, `advanced`) in step.
pub(super) async fn record_change(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    model: &opportunity::Model,
    kind: StageChangeKind,
    left: Option<(Uuid, chrono::DateTime<chrono::Utc>)>,
    note: Option<String>,
) -> Result<(), Error> {
    let seen = stage_change::Entity::find()
        .filter(stage_change::Column::TenantId.eq(model.tenant_id))
        .filter(stage_change::Column::OpportunityId.eq(model.id))
        .filter(stage_change::Column::ToStageId.eq(model.stage_id))
        .count(txn)
        .await
        .map_err(storage)?;
    stage_change::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        opportunity_id: Set(model.id),
        kind: Set(kind.as_str().to_owned()),
        from_stage_id: Set(left.map(|(stage, _)| stage)),
        to_stage_id: Set(model.stage_id),
        seconds_in_previous: Set(
            left.map(|(_, entered)| (model.stage_entered_at - entered).num_seconds())
        ),
        probability: Set(model.probability),
        note: Set(note),
        changed_by: Set(caller.user_id),
        changed_at: Set(model.stage_entered_at),
        first_entry: Set(seen == 0),
        advanced: Set(false),
    }
    .insert(txn)
    .await
    .map_err(storage)?;
    mark_advanced(txn, model).await
}

/// Marks the opportunity's first entries into the open stages it has now gone past (all of
/// them when it is won) as advanced.
async fn mark_advanced(
    txn: &impl ConnectionTrait,
    model: &opportunity::Model,
) -> Result<(), Error> {
    let Some(stage) = pipeline_stage::Entity::find_by_id(model.stage_id)
        .filter(pipeline_stage::Column::TenantId.eq(model.tenant_id))
        .one(txn)
        .await
        .map_err(storage)?
    else {
        return Ok(());
    };
    let mut passed = Query::select()
        .column(pipeline_stage::Column::Id)
        .from(pipeline_stage::Entity)
        .and_where(pipeline_stage::Column::TenantId.eq(model.tenant_id))
        .and_where(pipeline_stage::Column::PipelineId.eq(stage.pipeline_id))
        .and_where(pipeline_stage::Column::Kind.eq(StageKind::Open.as_str()))
        .to_owned();
    match StageKind::parse(&stage.kind) {
        Some(StageKind::Won) => {}
        Some(StageKind::Open) => {
            passed.and_where(pipeline_stage::Column::Position.lt(stage.position));
        }
        Some(StageKind::Lost) | None => return Ok(()),
    }
    stage_change::Entity::update_many()
        .col_expr(stage_change::Column::Advanced, Expr::value(true))
        .filter(stage_change::Column::TenantId.eq(model.tenant_id))
        .filter(stage_change::Column::OpportunityId.eq(model.id))
        .filter(stage_change::Column::FirstEntry.eq(true))
        .filter(stage_change::Column::Advanced.eq(false))
        .filter(stage_change::Column::ToStageId.in_subquery(passed))
        .exec(txn)
        .await
        .map(drop)
        .map_err(storage)
}

/// The `opportunity.*` event payload: the deal, where it stands and its value. `model` is
/// the opportunity after the change, in `stage`.
pub(super) fn snapshot(model: &opportunity::Model, stage: &Stage) -> Value {
    json!({
        "opportunity_id": model.id,
        "name": model.name,
        "customer_id": model.customer_id,
        "lead_id": model.lead_id,
        "owner_id": model.owner_id,
        "pipeline_id": model.pipeline_id,
        "stage_id": stage.id,
        "stage_name": stage.name,
        "status": model.status,
        "probability": model.probability,
        "amount": money_from_units(model.amount).to_string(),
        "currency": model.currency,
        "expected_close_date": model.expected_close_date,
    })
}

/// Queues the event of a move from `from` to `to`: won and lost close the deal, anything
/// else (a move between open stages, a reopen) is a stage change. One event per change, so
/// an integrator counting wins does not see them twice.
async fn announce_move(
    txn: &impl ConnectionTrait,
    moved: &opportunity::Model,
    from: &Stage,
    to: &Stage,
) -> Result<(), Error> {
    let mut payload = snapshot(moved, to);
    payload["from_stage_id"] = json!(from.id);
    payload["from_stage_name"] = json!(from.name);
    payload["to_stage_id"] = json!(to.id);
    payload["to_stage_name"] = json!(to.name);
    let event = match to.kind {
        StageKind::Open => EventType::OpportunityStageChanged,
        StageKind::Won => {
            payload["won_on"] = json!(moved.won_on);
            EventType::OpportunityWon
        }
        StageKind::Lost => {
            payload["lost_reason"] = json!(moved.lost_reason);
            payload["winning_competitor"] = json!(moved.winning_competitor);
            EventType::OpportunityLost
        }
    };
    crate::outbox::emit(txn, moved.tenant_id, event, moved.id, &payload).await
}

/// Moves an opportunity to another stage of its pipeline (team members may). Winning keeps
/// every line's price in the price history.
pub async fn move_stage(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    request: &MoveStageRequest,
    settings: &Settings,
) -> Result<OpportunityResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let pipeline = crate::pipelines::get(&txn, caller.tenant_id, model.pipeline_id).await?;
    let from = pipeline.stage(model.stage_id).ok_or_else(|| {
        Error::Storage(format!("opportunity {id} is in a stage of no pipeline").into())
    })?;
    let to = pipeline
        .stage(request.stage_id)
        .ok_or_else(|| Error::from(FieldErrors::single("stage_id", Violation::NotFound)))?;
    let outcome = plan_move(
        from.reference(),
        to.reference(),
        request,
        settings,
        today_in_china(),
    )?;
    let at = now();
    let mut changes = opportunity::ActiveModel {
        stage_id: Set(to.id),
        status: Set(to.kind.as_str().to_owned()),
        stage_entered_at: Set(at),
        ..Default::default()
    };
    let (kind, note) = match &outcome {
        Outcome::Open { probability } => {
            changes.probability = Set(i16::from(*probability));
            (StageChangeKind::Moved, None)
        }
        Outcome::Won { won_on } => {
            changes.probability = Set(100);
            changes.won_on = Set(Some(*won_on));
            changes.closed_at = Set(Some(at));
            (StageChangeKind::Won, None)
        }
        Outcome::Lost {
            reason,
            winning_competitor,
            note,
        } => {
            changes.probability = Set(0);
            changes.closed_at = Set(Some(at));
            changes.lost_reason = Set(Some(reason.clone()));
            changes.winning_competitor = Set(Some(winning_competitor.clone()));
            changes.lost_note = Set(note.clone());
            (StageChangeKind::Lost, note.clone())
        }
    };
    rollups::retract(&txn, caller.tenant_id, Deals::One(id)).await?;
    crate::versioned::update::<opportunity::Entity>(&txn, changes, id, model.version, storage)
        .await?;
    let moved = find(&txn, caller, id).await?;
    record_change(
        &txn,
        caller,
        &moved,
        kind,
        Some((model.stage_id, model.stage_entered_at)),
        note,
    )
    .await?;
    rollups::apply(&txn, caller.tenant_id, Deals::One(id)).await?;
    if matches!(outcome, Outcome::Won { .. }) {
        let lines = parts::stored_lines(&txn, &moved).await?;
        let prices: Vec<NewPrice> = lines
            .into_iter()
            .map(|l| NewPrice {
                customer_id: moved.customer_id,
                product_id: l.product_id,
                quantity: l.quantity,
                unit_price: l.unit_price,
                discount_percent: l.discount_percent,
                currency: moved.currency.clone(),
                event: PriceEvent::Won,
                source_id: moved.id,
                source_name: moved.name.clone(),
            })
            .collect();
        crate::price_history::record(&txn, caller, &prices).await?;
    }
    audit_stage(&txn, caller, &model, &moved).await?;
    announce_move(&txn, &moved, from, to).await?;
    let response = view::full(&txn, caller.tenant_id, moved).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Takes a won or lost opportunity back to an open stage: by default the one it closed
/// from. The lost reason and won date are cleared; the history keeps them.
pub async fn reopen(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    request: &ReopenOpportunityRequest,
) -> Result<OpportunityResponse, Error> {
    let mut errors = FieldErrors::new();
    let note = errors.optional_text("note", request.note.as_deref(), 2000);
    errors.finish(())?;
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let pipeline = crate::pipelines::get(&txn, caller.tenant_id, model.pipeline_id).await?;
    let from = pipeline.stage(model.stage_id).ok_or_else(|| {
        Error::Storage(format!("opportunity {id} is in a stage of no pipeline").into())
    })?;
    let to = match request.stage_id {
        Some(stage_id) => pipeline
            .stage(stage_id)
            .ok_or_else(|| Error::from(FieldErrors::single("stage_id", Violation::NotFound)))?,
        None => closed_from(&txn, caller, id)
            .await?
            .and_then(|s| pipeline.stage(s))
            .filter(|s| s.kind == StageKind::Open)
            .or_else(|| pipeline.first_open())
            .ok_or_else(|| {
                Error::Storage(format!("pipeline {} has no open stage", pipeline.id).into())
            })?,
    };
    check_reopen(from.reference(), to.reference())?;
    let changes = opportunity::ActiveModel {
        stage_id: Set(to.id),
        status: Set(StageKind::Open.as_str().to_owned()),
        probability: Set(i16::from(to.probability)),
        stage_entered_at: Set(now()),
        closed_at: Set(None),
        won_on: Set(None),
        lost_reason: Set(None),
        lost_note: Set(None),
        winning_competitor: Set(None),
        ..Default::default()
    };
    rollups::retract(&txn, caller.tenant_id, Deals::One(id)).await?;
    crate::versioned::update::<opportunity::Entity>(&txn, changes, id, model.version, storage)
        .await?;
    let reopened = find(&txn, caller, id).await?;
    record_change(
        &txn,
        caller,
        &reopened,
        StageChangeKind::Reopened,
        Some((model.stage_id, model.stage_entered_at)),
        note,
    )
    .await?;
    rollups::apply(&txn, caller.tenant_id, Deals::One(id)).await?;
    audit_stage(&txn, caller, &model, &reopened).await?;
    announce_move(&txn, &reopened, from, to).await?;
    let response = view::full(&txn, caller.tenant_id, reopened).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// The stage the opportunity was in before it closed.
async fn closed_from(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Option<Uuid>, Error> {
    Ok(stage_change::Entity::find()
        .filter(stage_change::Column::TenantId.eq(caller.tenant_id))
        .filter(stage_change::Column::OpportunityId.eq(id))
        .order_by_desc(stage_change::Column::ChangedAt)
        .order_by_desc(stage_change::Column::Id)
        .one(db)
        .await
        .map_err(storage)?
        .and_then(|c| c.from_stage_id))
}

async fn audit_stage(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    before: &opportunity::Model,
    after: &opportunity::Model,
) -> Result<(), Error> {
    let view = |m: &opportunity::Model| {
        json!({
            "stage_id": m.stage_id, "status": m.status, "probability": m.probability,
            "lost_reason": m.lost_reason, "winning_competitor": m.winning_competitor,
            "lost_note": m.lost_note, "won_on": m.won_on,
        })
    };
    record(
        txn,
        &Actor::from(caller),
        AuditAction::StatusChanged,
        "opportunity",
        after.id,
        diff(&view(before), &view(after)),
    )
    .await
}

/// Every stage change of an opportunity the caller sees, oldest first.
pub async fn history(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Vec<StageChangeResponse>, Error> {
    find(db, caller, id).await?;
    let changes = stage_change::Entity::find()
        .filter(stage_change::Column::TenantId.eq(caller.tenant_id))
        .filter(stage_change::Column::OpportunityId.eq(id))
        .order_by_asc(stage_change::Column::ChangedAt)
        .order_by_asc(stage_change::Column::Id)
        .all(db)
        .await
        .map_err(storage)?;
    let stage_ids = changes
        .iter()
        .flat_map(|c| [Some(c.to_stage_id), c.from_stage_id])
        .flatten();
    let stages: HashMap<Uuid, String> = pipeline_stage::Entity::find()
        .filter(pipeline_stage::Column::TenantId.eq(caller.tenant_id))
        .filter(pipeline_stage::Column::Id.is_in(stage_ids))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let people: Vec<Uuid> = changes.iter().map(|c| c.changed_by).collect();
    let names = crate::users::names(db, caller.tenant_id, &people).await?;
    changes
        .into_iter()
        .map(|c| {
            Ok(StageChangeResponse {
                id: c.id,
                kind: StageChangeKind::parse(&c.kind).ok_or_else(|| {
                    Error::Storage(format!("stage change {} has an unknown kind", c.id).into())
                })?,
                from_stage_name: c.from_stage_id.and_then(|s| stages.get(&s).cloned()),
                from_stage_id: c.from_stage_id,
                to_stage_name: stages.get(&c.to_stage_id).cloned().unwrap_or_default(),
                to_stage_id: c.to_stage_id,
                seconds_in_previous: c.seconds_in_previous,
                probability: u8::try_from(c.probability).unwrap_or(0),
                note: c.note,
                changed_by_name: names.get(&c.changed_by).cloned().unwrap_or_default(),
                changed_by: c.changed_by,
                changed_at: c.changed_at,
            })
        })
        .collect()
}
