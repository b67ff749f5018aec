//! Pipelines and their stages, per tenant. Every tenant has exactly one default pipeline.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use crm_api_types::pipelines::StageKind;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::opportunity::StageRef;
use crm_domain::pipeline::PipelineFields;
use crm_domain::{Caller, Error, FieldErrors, Violation, check_version, new_id, now};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{opportunity, pipeline, pipeline_stage};
use crate::error::storage;

/// A pipeline with its stages in order.
#[derive(Debug, Clone)]
pub struct PipelineRow {
    pub id: Uuid,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<Stage>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub id: Uuid,
    pub name: String,
    pub kind: StageKind,
    pub probability: u8,
}

impl Stage {
    pub fn reference(&self) -> StageRef {
        StageRef {
            id: self.id,
            kind: self.kind,
            probability: self.probability,
        }
    }
}

impl PipelineRow {
    pub fn stage(&self, id: Uuid) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    pub fn first_open(&self) -> Option<&Stage> {
        self.stages.iter().find(|s| s.kind == StageKind::Open)
    }
}

fn stage(model: pipeline_stage::Model) -> Stage {
    Stage {
        id: model.id,
        name: model.name,
        // Written from the domain's keys only; an unknown one is read as open.
        kind: StageKind::parse(&model.kind).unwrap_or(StageKind::Open),
        probability: u8::try_from(model.probability).unwrap_or(0),
    }
}

async fn assemble(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    models: Vec<pipeline::Model>,
) -> Result<Vec<PipelineRow>, Error> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let stages = pipeline_stage::Entity::find()
        .filter(pipeline_stage::Column::TenantId.eq(tenant_id))
        .filter(pipeline_stage::Column::PipelineId.is_in(ids))
        .order_by_asc(pipeline_stage::Column::Position)
        .all(db)
        .await
        .map_err(storage)?;
    Ok(models
        .into_iter()
        .map(|m| PipelineRow {
            stages: stages
                .iter()
                .filter(|s| s.pipeline_id == m.id)
                .cloned()
                .map(stage)
                .collect(),
            id: m.id,
            name: m.name,
            is_default: m.is_default,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
        .collect())
}

/// Every pipeline of the tenant, the default first.
pub async fn list(db: &impl ConnectionTrait, tenant_id: Uuid) -> Result<Vec<PipelineRow>, Error> {
    let models = pipeline::Entity::find()
        .filter(pipeline::Column::TenantId.eq(tenant_id))
        .order_by_desc(pipeline::Column::IsDefault)
        .order_by_asc(pipeline::Column::Name)
        .all(db)
        .await
        .map_err(storage)?;
    assemble(db, tenant_id, models).await
}

pub async fn get(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<PipelineRow, Error> {
    let model = pipeline::Entity::find_by_id(id)
        .filter(pipeline::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?;
    Ok(assemble(db, tenant_id, vec![model]).await?.remove(0))
}

/// The pipeline named in a request body, or the default one.
pub(crate) async fn chosen(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    id: Option<Uuid>,
) -> Result<PipelineRow, Error> {
    let query = pipeline::Entity::find().filter(pipeline::Column::TenantId.eq(tenant_id));
    let query = match id {
        Some(id) => query.filter(pipeline::Column::Id.eq(id)),
        None => query.filter(pipeline::Column::IsDefault.eq(true)),
    };
    let model = query
        .one(db)
        .await
        .map_err(storage)?
        .ok_or_else(|| Error::from(FieldErrors::single("pipeline_id", Violation::NotFound)))?;
    Ok(assemble(db, tenant_id, vec![model]).await?.remove(0))
}

/// The standard pipeline, for a tenant being created.
pub(crate) async fn insert_standard(
    txn: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<(), Error> {
    let at = now();
    let id = new_id();
    let fields = PipelineFields::standard();
    pipeline::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant_id),
        name: Set(fields.name.clone()),
        is_default: Set(true),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(txn)
    .await
    .map_err(storage)?;
    write_stages(txn, tenant_id, id, &fields, &[]).await
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: PipelineFields,
) -> Result<PipelineRow, Error> {
    if fields.stages.iter().any(|s| s.id.is_some()) {
        let index = fields
            .stages
            .iter()
            .position(|s| s.id.is_some())
            .unwrap_or(0);
        return Err(
            FieldErrors::single(&format!("stages[{index}].id"), Violation::NotFound).into(),
        );
    }
    let txn = db.begin().await.map_err(storage)?;
    let at = now();
    let id = new_id();
    let is_default = fields.is_default == Some(true);
    if is_default {
        clear_default(&txn, caller.tenant_id).await?;
    }
    pipeline::ActiveModel {
        id: Set(id),
        tenant_id: Set(caller.tenant_id),
        name: Set(fields.name.clone()),
        is_default: Set(is_default),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&txn)
    .await
    .map_err(storage)?;
    write_stages(&txn, caller.tenant_id, id, &fields, &[]).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Created,
        "pipeline",
        id,
        diff(&Value::Null, &audit_view(&fields)),
    )
    .await?;
    let row = get(&txn, caller.tenant_id, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Replaces a pipeline's name and stages. Stages keep their ids (and opportunities) when the
/// request names them; a stage that holds opportunities may be renamed and reordered, but
/// not dropped nor given another kind (`409 stage_in_use`).
pub async fn replace(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    fields: PipelineFields,
) -> Result<PipelineRow, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = get(&txn, caller.tenant_id, id).await?;
    check_version(current.version, if_match)?;
    for (i, stage) in fields.stages.iter().enumerate() {
        if stage.id.is_some_and(|sid| current.stage(sid).is_none()) {
            return Err(
                FieldErrors::single(&format!("stages[{i}].id"), Violation::NotFound).into(),
            );
        }
    }
    let kept: HashSet<Uuid> = fields.stages.iter().filter_map(|s| s.id).collect();
    let in_use = stages_in_use(&txn, caller.tenant_id, id).await?;
    let dropped_in_use = current
        .stages
        .iter()
        .any(|s| in_use.contains(&s.id) && !kept.contains(&s.id));
    let kind_changed_in_use = fields.stages.iter().any(|s| {
        s.id.and_then(|sid| current.stage(sid))
            .is_some_and(|old| in_use.contains(&old.id) && old.kind != s.kind)
    });
    if dropped_in_use || kind_changed_in_use {
        return Err(Error::Conflict {
            code: "stage_in_use",
            field: Some("stages"),
        });
    }
    let is_default = match fields.is_default {
        Some(true) => true,
        // The tenant keeps one default: it moves only by making another pipeline default.
        Some(false) if current.is_default => {
            return Err(FieldErrors::single("is_default", Violation::ReadOnly).into());
        }
        _ => current.is_default,
    };
    if is_default && !current.is_default {
        clear_default(&txn, caller.tenant_id).await?;
    }
    let changes = pipeline::ActiveModel {
        name: Set(fields.name.clone()),
        is_default: Set(is_default),
        ..Default::default()
    };
    crate::versioned::update::<pipeline::Entity>(&txn, changes, id, current.version, storage)
        .await?;
    pipeline_stage::Entity::delete_many()
        .filter(pipeline_stage::Column::TenantId.eq(caller.tenant_id))
        .filter(pipeline_stage::Column::PipelineId.eq(id))
        .filter(pipeline_stage::Column::Id.is_not_in(kept.iter().copied()))
        .exec(&txn)
        .await
        .map_err(storage)?;
    let existing: Vec<Uuid> = current.stages.iter().map(|s| s.id).collect();
    write_stages(&txn, caller.tenant_id, id, &fields, &existing).await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "pipeline",
        id,
        diff(&row_view(&current), &audit_view(&fields)),
    )
    .await?;
    let row = get(&txn, caller.tenant_id, id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(row)
}

/// Deletes a pipeline that is not the default and holds no opportunities.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let current = get(&txn, caller.tenant_id, id).await?;
    check_version(current.version, if_match)?;
    if current.is_default {
        return Err(Error::Conflict {
            code: "pipeline_is_default",
            field: None,
        });
    }
    let used = opportunity::Entity::find()
        .filter(opportunity::Column::TenantId.eq(caller.tenant_id))
        .filter(opportunity::Column::PipelineId.eq(id))
        .count(&txn)
        .await
        .map_err(storage)?;
    if used > 0 {
        return Err(Error::Conflict {
            code: "pipeline_in_use",
            field: None,
        });
    }
    pipeline_stage::Entity::delete_many()
        .filter(pipeline_stage::Column::TenantId.eq(caller.tenant_id))
        .filter(pipeline_stage::Column::PipelineId.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    pipeline::Entity::delete_many()
        .filter(pipeline::Column::TenantId.eq(caller.tenant_id))
        .filter(pipeline::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "pipeline",
        id,
        diff(&row_view(&current), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// Stages of the pipeline that opportunities (deleted ones too: their history names them)
/// still point at.
async fn stages_in_use(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    pipeline_id: Uuid,
) -> Result<HashSet<Uuid>, Error> {
    let ids: Vec<Uuid> = opportunity::Entity::find()
        .select_only()
        .column(opportunity::Column::StageId)
        .distinct()
        .filter(opportunity::Column::TenantId.eq(tenant_id))
        .filter(opportunity::Column::PipelineId.eq(pipeline_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(ids.into_iter().collect())
}

async fn clear_default(db: &impl ConnectionTrait, tenant_id: Uuid) -> Result<(), Error> {
    pipeline::Entity::update_many()
        .col_expr(pipeline::Column::IsDefault, Expr::value(false))
        .filter(pipeline::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await
        .map(drop)
        .map_err(storage)
}

/// Writes the stages in request order: updates those that exist, inserts the others.
async fn write_stages(
    txn: &impl ConnectionTrait,
    tenant_id: Uuid,
    pipeline_id: Uuid,
    fields: &PipelineFields,
    existing: &[Uuid],
) -> Result<(), Error> {
    for (position, stage) in fields.stages.iter().enumerate() {
        let id = stage.id.unwrap_or_else(new_id);
        let active = pipeline_stage::ActiveModel {
            id: Set(id),
            tenant_id: Set(tenant_id),
            pipeline_id: Set(pipeline_id),
            name: Set(stage.name.clone()),
            kind: Set(stage.kind.as_str().to_owned()),
            probability: Set(i16::from(stage.probability)),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        };
        if existing.contains(&id) {
            active.update(txn).await.map_err(storage)?;
        } else {
            active.insert(txn).await.map_err(storage)?;
        }
    }
    Ok(())
}

fn audit_view(fields: &PipelineFields) -> Value {
    view(
        &fields.name,
        fields
            .stages
            .iter()
            .map(|s| (s.name.as_str(), s.kind, s.probability)),
    )
}

fn row_view(row: &PipelineRow) -> Value {
    view(
        &row.name,
        row.stages
            .iter()
            .map(|s| (s.name.as_str(), s.kind, s.probability)),
    )
}

fn view<'a>(name: &str, stages: impl Iterator<Item = (&'a str, StageKind, u8)>) -> Value {
    json!({
        "name": name,
        "stages": stages.map(|(name, kind, probability)| json!({
            "name": name, "kind": kind.as_str(), "probability": probability,
        })).collect::<Vec<_>>(),
    })
}
