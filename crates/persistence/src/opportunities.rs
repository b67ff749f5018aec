//! Opportunities, scoped by tenant and by the caller's data scope, plus the team: a team
//! member sees and works on an opportunity whoever owns it, but only someone whose scope
//! covers the owner may hand it over, change the team or delete it.

mod board;
pub(crate) mod parts;
mod stages;
mod view;

use chrono::NaiveDate;
use crm_api_types::leads::LeadSource;
use crm_api_types::opportunities::{
    OpportunityKind, OpportunityResponse, OpportunitySummary, StageChangeKind,
    UpdateOpportunityRequest,
};
use crm_api_types::pipelines::StageKind;
use crm_domain::audit::{AuditAction, diff};
use crm_domain::caller::OwnerPlacement;
use crm_domain::event::EventType;
use crm_domain::listing::Sort;
use crm_domain::opportunity::{LineInput, OpportunityFields};
use crm_domain::{Caller, Error, FieldErrors, Violation, Visibility, check_version, new_id, now};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Select, TransactionTrait,
};
use serde_json::Value;
use uuid::Uuid;

pub use board::{BoardFilter, board};
pub(crate) use board::{Total, closed_totals, column_totals, open_totals, totals};
pub use stages::{history, move_stage, reopen};

use crate::audit::{Actor, record};
use crate::cursor::Cursor;
use crate::entities::{customer, opportunity, opportunity_line, opportunity_member, product};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::rollups::{self, deals::Deals};
use crate::scope::{owned_by_visible, owned_in_department_tree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpportunitySortKey {
    CreatedAt,
    UpdatedAt,
    ExpectedCloseDate,
    Amount,
    Name,
}

impl OpportunitySortKey {
    pub const NAMES: [(&'static str, OpportunitySortKey); 5] = [
        ("created_at", Self::CreatedAt),
        ("updated_at", Self::UpdatedAt),
        ("expected_close_date", Self::ExpectedCloseDate),
        ("amount", Self::Amount),
        ("name", Self::Name),
    ];

    fn keyset(self, descending: bool) -> Keyset<opportunity::Column> {
        let (column, kind) = match self {
            Self::CreatedAt => (opportunity::Column::CreatedAt, KeyKind::Time),
            Self::UpdatedAt => (opportunity::Column::UpdatedAt, KeyKind::Time),
            Self::ExpectedCloseDate => (opportunity::Column::ExpectedCloseDate, KeyKind::Date),
            Self::Amount => (opportunity::Column::Amount, KeyKind::Int),
            Self::Name => (opportunity::Column::Name, KeyKind::Text),
        };
        Keyset {
            column,
            kind,
            id: opportunity::Column::Id,
            descending,
        }
    }

    fn position(self, model: &opportunity::Model) -> Cursor {
        let value = match self {
            Self::CreatedAt => model.created_at.to_rfc3339(),
            Self::UpdatedAt => model.updated_at.to_rfc3339(),
            Self::ExpectedCloseDate => model.expected_close_date.to_string(),
            Self::Amount => model.amount.to_string(),
            Self::Name => model.name.clone(),
        };
        Cursor {
            value,
            id: model.id,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct OpportunityFilter {
    pub q: Option<String>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub status: Option<StageKind>,
    pub owner_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub kind: Option<OpportunityKind>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
    /// Only those where the caller is on the team.
    pub member: bool,
    /// Only those closed (won or lost) at or after this instant.
    pub closed_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Only those closed before this instant.
    pub closed_before: Option<chrono::DateTime<chrono::Utc>>,
    /// A department's path: only those owned in it or below it.
    pub department_path: Option<String>,
    pub source: Option<LeadSource>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// Only those with a line of a product in one of these categories (a category and
    /// those below it: `product_categories::subtree`).
    pub product_categories: Option<Vec<Uuid>>,
}

pub struct OpportunityPage {
    pub items: Vec<OpportunitySummary>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

fn live(tenant_id: Uuid) -> Select<opportunity::Entity> {
    opportunity::Entity::find()
        .filter(opportunity::Column::TenantId.eq(tenant_id))
        .filter(opportunity::Column::DeletedAt.is_null())
}

/// The opportunities where the caller is on the team.
pub(crate) fn membership(caller: &Caller) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(opportunity_member::Column::OpportunityId)
        .from(opportunity_member::Entity)
        .and_where(opportunity_member::Column::TenantId.eq(caller.tenant_id))
        .and_where(opportunity_member::Column::UserId.eq(caller.user_id))
        .to_owned()
}

/// Live opportunities the caller sees: owned within the data scope, or on the team.
pub(crate) fn visible(caller: &Caller) -> Select<opportunity::Entity> {
    let query = live(caller.tenant_id);
    match caller.visibility() {
        Visibility::All => query,
        _ => query.filter(
            Condition::any()
                .add(owned_by_visible(caller, opportunity::Column::OwnerId))
                .add(opportunity::Column::Id.in_subquery(membership(caller))),
        ),
    }
}

/// The opportunities `filter` selects that the caller sees only as a member of their team,
/// owned outside the caller's data scope; none for a caller who sees everything.
pub(crate) fn seen_as_member_only(
    caller: &Caller,
    filter: &OpportunityFilter,
) -> Option<Select<opportunity::Entity>> {
    match caller.visibility() {
        Visibility::All => None,
        _ => Some(
            filtered(caller, filter)
                .filter(opportunity::Column::Id.in_subquery(membership(caller)))
                .filter(owned_by_visible(caller, opportunity::Column::OwnerId).not()),
        ),
    }
}

/// The opportunities the caller sees that `filter` selects.
pub(crate) fn filtered(caller: &Caller, filter: &OpportunityFilter) -> Select<opportunity::Entity> {
    narrowed(visible(caller), caller, filter)
}

/// The opportunities owned within the caller's data scope that `filter` selects: with
/// [`seen_as_member_only`], all the caller sees, in two queries a planner can each answer
/// from an index (SQLite could not for the `OR` of owner and team: the manager's win rate
/// took 1.2 s at a million deals).
pub(crate) fn owned_filtered(
    caller: &Caller,
    filter: &OpportunityFilter,
) -> Select<opportunity::Entity> {
    let owned = match caller.visibility() {
        Visibility::All => live(caller.tenant_id),
        _ => live(caller.tenant_id).filter(owned_by_visible(caller, opportunity::Column::OwnerId)),
    };
    narrowed(owned, caller, filter)
}

/// `query` narrowed by `filter`.
fn narrowed(
    mut query: Select<opportunity::Entity>,
    caller: &Caller,
    filter: &OpportunityFilter,
) -> Select<opportunity::Entity> {
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        let customers = Query::select()
            .column(customer::Column::Id)
            .from(customer::Entity)
            .and_where(customer::Column::TenantId.eq(caller.tenant_id))
            .and_where(Func::lower(Expr::col(customer::Column::Name)).like(pattern.clone()))
            .to_owned();
        query = query.filter(
            Condition::any()
                .add(Func::lower(Expr::col(opportunity::Column::Name)).like(pattern))
                .add(opportunity::Column::CustomerId.in_subquery(customers)),
        );
    }
    if let Some(v) = filter.pipeline_id {
        query = query.filter(opportunity::Column::PipelineId.eq(v));
    }
    if let Some(v) = filter.stage_id {
        query = query.filter(opportunity::Column::StageId.eq(v));
    }
    if let Some(v) = filter.status {
        query = query.filter(opportunity::Column::Status.eq(v.as_str()));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(opportunity::Column::OwnerId.eq(v));
    }
    if let Some(v) = filter.customer_id {
        query = query.filter(opportunity::Column::CustomerId.eq(v));
    }
    if let Some(v) = filter.kind {
        query = query.filter(opportunity::Column::Kind.eq(v.as_str()));
    }
    if let Some(v) = filter.close_from {
        query = query.filter(opportunity::Column::ExpectedCloseDate.gte(v));
    }
    if let Some(v) = filter.close_to {
        query = query.filter(opportunity::Column::ExpectedCloseDate.lte(v));
    }
    if let Some(since) = filter.closed_since {
        query = query.filter(opportunity::Column::ClosedAt.gte(since));
    }
    if let Some(before) = filter.closed_before {
        query = query.filter(opportunity::Column::ClosedAt.lt(before));
    }
    if let Some(v) = filter.source {
        query = query.filter(opportunity::Column::Source.eq(v.as_str()));
    }
    if let Some(path) = &filter.department_path {
        query = query.filter(owned_in_department_tree(
            caller.tenant_id,
            opportunity::Column::OwnerId,
            path,
        ));
    }
    if filter.region.is_some() || filter.industry.is_some() {
        let mut customers = Query::select()
            .column(customer::Column::Id)
            .from(customer::Entity)
            .and_where(customer::Column::TenantId.eq(caller.tenant_id))
            .to_owned();
        if let Some(region) = &filter.region {
            customers.and_where(customer::Column::Region.eq(region.as_str()));
        }
        if let Some(industry) = &filter.industry {
            customers.and_where(customer::Column::Industry.eq(industry.as_str()));
        }
        query = query.filter(opportunity::Column::CustomerId.in_subquery(customers));
    }
    if let Some(categories) = &filter.product_categories {
        let with_category = Query::select()
            .column((
                opportunity_line::Entity,
                opportunity_line::Column::OpportunityId,
            ))
            .from(opportunity_line::Entity)
            .inner_join(
                product::Entity,
                Expr::col((product::Entity, product::Column::Id)).equals((
                    opportunity_line::Entity,
                    opportunity_line::Column::ProductId,
                )),
            )
            .and_where(Expr::col((product::Entity, product::Column::TenantId)).eq(caller.tenant_id))
            .and_where(
                Expr::col((product::Entity, product::Column::CategoryId))
                    .is_in(categories.iter().copied()),
            )
            .to_owned();
        query = query.filter(opportunity::Column::Id.in_subquery(with_category));
    }
    if filter.member {
        query = query.filter(opportunity::Column::Id.in_subquery(membership(caller)));
    }
    query
}

/// One page, keyset-paginated on (sort column, id).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
    sort: Sort<OpportunitySortKey>,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<OpportunityPage, Error> {
    let (models, next) = keyset::page(
        db,
        filtered(caller, filter),
        sort.key.keyset(sort.descending),
        limit,
        cursor,
        |m| sort.key.position(m),
    )
    .await?;
    let total = if include_total {
        Some(filtered(caller, filter).count(db).await.map_err(storage)?)
    } else {
        None
    };
    Ok(OpportunityPage {
        items: view::summaries(db, caller.tenant_id, models).await?,
        next,
        total,
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<OpportunityResponse, Error> {
    let model = find(db, caller, id).await?;
    view::full(db, caller.tenant_id, model).await
}

/// A live opportunity the caller sees.
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<opportunity::Model, Error> {
    visible(caller)
        .filter(opportunity::Column::Id.eq(id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)
}

/// The customer of an opportunity the caller sees; an unseen one is a 422 on
/// `opportunity_id` (it is named in a request body).
pub async fn customer_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Uuid, Error> {
    match find(db, caller, id).await {
        Ok(model) => Ok(model.customer_id),
        Err(Error::NotFound) => {
            Err(FieldErrors::single("opportunity_id", Violation::NotFound).into())
        }
        Err(other) => Err(other),
    }
}

/// Whether the caller's data scope covers the owner (not only the team membership).
async fn covers_owner(
    db: &impl ConnectionTrait,
    caller: &Caller,
    owner_id: Uuid,
) -> Result<bool, Error> {
    if owner_id == caller.user_id || caller.visibility() == Visibility::All {
        return Ok(true);
    }
    Ok(
        match crate::users::placement(db, caller.tenant_id, owner_id).await? {
            Some((owner, path)) => caller.covers(&OwnerPlacement {
                user_id: owner.id,
                department_id: owner.department_id,
                department_path: &path,
            }),
            None => false,
        },
    )
}

/// The opportunity a lead's conversion opened, if any.
pub(crate) async fn from_lead(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    lead_id: Uuid,
) -> Result<Option<Uuid>, Error> {
    Ok(live(tenant_id)
        .filter(opportunity::Column::LeadId.eq(lead_id))
        .one(db)
        .await
        .map_err(storage)?
        .map(|m| m.id))
}

/// What a create asks besides the fields.
pub struct Placement {
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub probability: Option<u8>,
    pub lead_id: Option<Uuid>,
}

pub async fn create(
    db: &crate::Database,
    caller: &Caller,
    fields: OpportunityFields,
    lines: Vec<LineInput>,
    placement: Placement,
) -> Result<OpportunityResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = insert(&txn, caller, &fields, &lines, placement).await?;
    let response = view::full(&txn, caller.tenant_id, model).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Inserts an opportunity with its parts, its first stage change and its audit entry,
/// inside the caller's transaction.
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    fields: &OpportunityFields,
    lines: &[LineInput],
    placement: Placement,
) -> Result<opportunity::Model, Error> {
    let pipeline = crate::pipelines::chosen(txn, caller.tenant_id, placement.pipeline_id).await?;
    let stage = match placement.stage_id {
        Some(id) => pipeline
            .stage(id)
            .filter(|s| s.kind == StageKind::Open)
            .ok_or_else(|| Error::from(FieldErrors::single("stage_id", Violation::NotFound)))?,
        None => pipeline
            .first_open()
            .ok_or_else(|| Error::Storage("a pipeline without open stage".into()))?,
    };
    if fields.owner_id != caller.user_id {
        crate::users::check_assignable_owner(txn, caller, fields.owner_id).await?;
    }
    let customer = parts::check_references(txn, caller, fields, None).await?;
    let priced = parts::price(txn, caller, &customer, &fields.currency, lines).await?;
    let at = now();
    let id = new_id();
    let probability = placement.probability.unwrap_or(stage.probability);
    let mut active = parts::active_fields(fields, &priced);
    active.id = Set(id);
    active.tenant_id = Set(caller.tenant_id);
    active.pipeline_id = Set(pipeline.id);
    active.stage_id = Set(stage.id);
    active.status = Set(StageKind::Open.as_str().to_owned());
    active.probability = Set(i16::from(probability));
    active.lead_id = Set(placement.lead_id);
    active.lost_reason = Set(None);
    active.lost_note = Set(None);
    active.winning_competitor = Set(None);
    active.won_on = Set(None);
    active.closed_at = Set(None);
    active.stage_entered_at = Set(at);
    active.created_by = Set(caller.user_id);
    active.deleted_at = Set(None);
    active.version = Set(1);
    active.created_at = Set(at);
    active.updated_at = Set(at);
    let model = sea_orm::ActiveModelTrait::insert(active, txn)
        .await
        .map_err(storage)?;
    parts::write_lines(txn, caller.tenant_id, id, &priced).await?;
    parts::write_contacts(txn, caller.tenant_id, id, &fields.contacts).await?;
    parts::write_team(txn, caller.tenant_id, id, &fields.team).await?;
    stages::record_change(txn, caller, &model, StageChangeKind::Created, None, None).await?;
    rollups::apply(txn, caller.tenant_id, Deals::One(model.id)).await?;
    record(
        txn,
        &Actor::from(caller),
        AuditAction::Created,
        "opportunity",
        id,
        diff(&Value::Null, &parts::audit_view(fields, &priced)),
    )
    .await?;
    crate::outbox::emit(
        txn,
        caller.tenant_id,
        EventType::OpportunityCreated,
        id,
        &stages::snapshot(&model, stage),
    )
    .await?;
    Ok(model)
}

/// Changes some fields. A team member may edit everything but the owner and the team.
pub async fn update(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
    patch: &UpdateOpportunityRequest,
) -> Result<OpportunityResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    let current = parts::fields_of(&txn, &model).await?;
    let (next, new_lines) = current.apply(patch)?;
    if (next.owner_id != current.owner_id || next.team != current.team)
        && !covers_owner(&txn, caller, model.owner_id).await?
    {
        return Err(Error::Forbidden("opportunity.owner"));
    }
    if next.owner_id != current.owner_id && next.owner_id != caller.user_id {
        crate::users::check_assignable_owner(&txn, caller, next.owner_id).await?;
    }
    if patch.probability.is_some() && model.status != StageKind::Open.as_str() {
        return Err(FieldErrors::single("probability", Violation::ReadOnly).into());
    }
    let customer = parts::check_references(&txn, caller, &next, Some(&current)).await?;
    let old_lines = parts::stored_lines(&txn, &model).await?;
    if next.currency != current.currency && !old_lines.is_empty() && new_lines.is_none() {
        // Prices on the lines are in the old currency: send the lines again to re-price.
        return Err(FieldErrors::single("currency", Violation::ReadOnly).into());
    }
    let priced = match &new_lines {
        Some(lines) => parts::price(&txn, caller, &customer, &next.currency, lines).await?,
        None => old_lines.clone(),
    };
    let mut changes = parts::active_fields(&next, &priced);
    if let Some(probability) = patch.probability {
        changes.probability = Set(i16::from(probability));
    }
    // What the rollups sum a deal by: its owner (their department), amount and currency. An
    // edit of anything else leaves them be.
    let moves_rollups = changes.owner_id.try_as_ref() != Some(&model.owner_id)
        || changes.amount.try_as_ref() != Some(&model.amount)
        || changes.currency.try_as_ref() != Some(&model.currency);
    if moves_rollups {
        rollups::retract(&txn, caller.tenant_id, Deals::One(id)).await?;
    }
    crate::versioned::update::<opportunity::Entity>(&txn, changes, id, model.version, storage)
        .await?;
    if moves_rollups {
        rollups::apply(&txn, caller.tenant_id, Deals::One(id)).await?;
    }
    if new_lines.is_some() {
        parts::write_lines(&txn, caller.tenant_id, id, &priced).await?;
    }
    if next.contacts != current.contacts {
        parts::write_contacts(&txn, caller.tenant_id, id, &next.contacts).await?;
    }
    if next.team != current.team {
        parts::write_team(&txn, caller.tenant_id, id, &next.team).await?;
    }
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Updated,
        "opportunity",
        id,
        diff(
            &parts::audit_view(&current, &old_lines),
            &parts::audit_view(&next, &priced),
        ),
    )
    .await?;
    let model = find(&txn, caller, id).await?;
    let response = view::full(&txn, caller.tenant_id, model).await?;
    txn.commit().await.map_err(storage)?;
    Ok(response)
}

/// Deletes an opportunity (kept with `deleted_at`); team members may not.
pub async fn delete(
    db: &crate::Database,
    caller: &Caller,
    id: Uuid,
    if_match: Option<i32>,
) -> Result<(), Error> {
    let txn = db.begin().await.map_err(storage)?;
    let model = find(&txn, caller, id).await?;
    check_version(model.version, if_match)?;
    if !covers_owner(&txn, caller, model.owner_id).await? {
        return Err(Error::Forbidden("opportunity.delete"));
    }
    let fields = parts::fields_of(&txn, &model).await?;
    let lines = parts::stored_lines(&txn, &model).await?;
    rollups::retract(&txn, caller.tenant_id, Deals::One(id)).await?;
    let deleted = opportunity::ActiveModel {
        deleted_at: Set(Some(now())),
        ..Default::default()
    };
    crate::versioned::update::<opportunity::Entity>(&txn, deleted, id, model.version, storage)
        .await?;
    record(
        &txn,
        &Actor::from(caller),
        AuditAction::Deleted,
        "opportunity",
        id,
        diff(&parts::audit_view(&fields, &lines), &Value::Null),
    )
    .await?;
    txn.commit().await.map_err(storage)
}
