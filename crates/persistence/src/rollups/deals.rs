//! The opportunities' rollups, per day (China time) and department of the deal's owner:
//! `funnel_days` holds the stage history's movements per stage (first entries, how many of
//! them have advanced since, departures and the seconds spent before them);
//! `closed_deal_days` holds the deals won or lost per closing stage, currency and
//! probability (count and amount). Deleted deals count in neither.

use std::collections::HashMap;

use crm_domain::Error;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{Days, Records, Rollup, china_day, owners_department};
use crate::entities::{closed_deal_day, funnel_day, opportunity, stage_change};
use crate::error::storage;
use crate::opportunities::Total;

/// The opportunities whose contribution a write retracts before it changes them, and applies
/// again after.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Deals {
    /// One opportunity: created, moved, reopened, edited, deleted.
    One(Uuid),
    /// Every opportunity a user owns: the user moves to another department.
    OwnedBy(Uuid),
}

const MOVEMENTS: Rollup = Rollup {
    table: "funnel_days",
    key: &["tenant_id", "day", "department_id", "stage_id"],
    figures: &["entered", "advanced", "departed", "departed_seconds"],
};

const CLOSED: Rollup = Rollup {
    table: "closed_deal_days",
    key: &[
        "tenant_id",
        "day",
        "department_id",
        "stage_id",
        "currency",
        "probability",
    ],
    figures: &["deals", "amount"],
};

impl Records for Deals {
    const ROLLUPS: &'static [Rollup] = &[MOVEMENTS, CLOSED];

    async fn add(
        db: &impl ConnectionTrait,
        tenant_id: Uuid,
        deals: Option<Self>,
        sign: i64,
    ) -> Result<(), Error> {
        let backend = db.get_database_backend();
        MOVEMENTS
            .add(db, movements(backend, tenant_id, deals), sign)
            .await?;
        CLOSED
            .add(db, closed(backend, tenant_id, deals), sign)
            .await
    }
}

const HISTORY: &str = "opportunity_stage_changes";

/// One row per stage change that counts: the first entries into a stage, and the departures
/// from one.
fn movements(backend: DatabaseBackend, tenant_id: Uuid, deals: Option<Deals>) -> SelectStatement {
    let mut rows = changes(
        backend,
        tenant_id,
        deals,
        stage_change::Column::ToStageId,
        [
            "1".to_owned(),
            format!("CASE WHEN \"{HISTORY}\".\"advanced\" THEN 1 ELSE 0 END"),
            "0".to_owned(),
            "0".to_owned(),
        ],
        // Written as the partial index's predicate, so both databases see it applies.
        Expr::cust(format!("\"{HISTORY}\".\"first_entry\" = TRUE")),
    );
    rows.union(
        UnionType::All,
        changes(
            backend,
            tenant_id,
            deals,
            stage_change::Column::FromStageId,
            [
                "0".to_owned(),
                "0".to_owned(),
                "1".to_owned(),
                format!("COALESCE(\"{HISTORY}\".\"seconds_in_previous\", 0)"),
            ],
            Expr::col((stage_change::Entity, stage_change::Column::FromStageId)).is_not_null(),
        ),
    );
    rows
}

/// The stage changes `counts` selects, each with its key (the change's day, the owner's
/// department, the stage through `stage`) and `figures`.
fn changes(
    backend: DatabaseBackend,
    tenant_id: Uuid,
    deals: Option<Deals>,
    stage: stage_change::Column,
    figures: [String; 4],
    counts: SimpleExpr,
) -> SelectStatement {
    let mut rows = Query::select();
    rows.expr_as(Expr::col((stage_change::Entity, stage)), "stage_id");
    for (name, value) in MOVEMENTS.figures.iter().zip(figures) {
        rows.expr_as(Expr::cust(value), *name);
    }
    rows.from(stage_change::Entity)
        .inner_join(
            opportunity::Entity,
            Expr::col((opportunity::Entity, opportunity::Column::Id))
                .equals((stage_change::Entity, stage_change::Column::OpportunityId)),
        )
        .and_where(counts);
    live_deals(
        &mut rows,
        tenant_id,
        deals,
        china_day(backend, HISTORY, "changed_at"),
    );
    rows
}

/// One row per closed deal: its closing day, stage, currency, probability and amount.
fn closed(backend: DatabaseBackend, tenant_id: Uuid, deals: Option<Deals>) -> SelectStatement {
    let mut rows = Query::select();
    let column = |c: opportunity::Column| Expr::col((opportunity::Entity, c));
    rows.expr_as(column(opportunity::Column::StageId), "stage_id")
        .expr_as(column(opportunity::Column::Currency), "currency")
        .expr_as(column(opportunity::Column::Probability), "probability")
        .expr_as(Expr::cust("1"), "deals")
        .expr_as(column(opportunity::Column::Amount), "amount")
        .from(opportunity::Entity)
        .and_where(column(opportunity::Column::Status).ne("open"))
        .and_where(column(opportunity::Column::ClosedAt).is_not_null());
    live_deals(
        &mut rows,
        tenant_id,
        deals,
        china_day(backend, "opportunities", "closed_at"),
    );
    rows
}

/// Narrows `rows` (which read `opportunities`) to the tenant's live `deals` and adds the
/// key's other columns: the tenant, `day`, and the owner's department.
fn live_deals(rows: &mut SelectStatement, tenant_id: Uuid, deals: Option<Deals>, day: SimpleExpr) {
    let column = |c: opportunity::Column| Expr::col((opportunity::Entity, c));
    rows.expr_as(column(opportunity::Column::TenantId), "tenant_id")
        .expr_as(day, "day");
    owners_department(rows, (opportunity::Entity, opportunity::Column::OwnerId));
    rows.and_where(column(opportunity::Column::TenantId).eq(tenant_id))
        .and_where(column(opportunity::Column::DeletedAt).is_null());
    match deals {
        Some(Deals::One(id)) => {
            rows.and_where(column(opportunity::Column::Id).eq(id));
        }
        Some(Deals::OwnedBy(owner)) => {
            rows.and_where(column(opportunity::Column::OwnerId).eq(owner));
        }
        None => {}
    }
}

/// One stage's movements over a period.
#[derive(Debug, FromQueryResult)]
pub(crate) struct StageFigures {
    pub stage_id: Uuid,
    pub entered: i64,
    pub advanced: i64,
    pub departed: i64,
    pub departed_seconds: i64,
}

impl StageFigures {
    pub(crate) fn none(stage_id: Uuid) -> Self {
        Self {
            stage_id,
            entered: 0,
            advanced: 0,
            departed: 0,
            departed_seconds: 0,
        }
    }

    pub(crate) fn add(&mut self, other: &Self) {
        self.entered += other.entered;
        self.advanced += other.advanced;
        self.departed += other.departed;
        self.departed_seconds += other.departed_seconds;
    }
}

/// The movements of `stages` over `days`, from the departments `departments` selects.
pub(crate) async fn movements_in(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    stages: impl IntoIterator<Item = Uuid>,
    days: Days,
    departments: Condition,
) -> Result<HashMap<Uuid, StageFigures>, Error> {
    let mut query = funnel_day::Entity::find()
        .select_only()
        .column(funnel_day::Column::StageId);
    for figure in MOVEMENTS.figures {
        query = query.column_as(summed(MOVEMENTS.table, figure), *figure);
    }
    let rows = query
        .filter(funnel_day::Column::TenantId.eq(tenant_id))
        .filter(funnel_day::Column::Day.between(days.from, days.to))
        .filter(funnel_day::Column::StageId.is_in(stages))
        .filter(departments)
        .group_by(funnel_day::Column::StageId)
        .into_model::<StageFigures>()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows.into_iter().map(|r| (r.stage_id, r)).collect())
}

/// The deals of `stages` closed during `days`, from the departments `departments` selects,
/// per stage, currency and probability.
pub(crate) async fn closed_in(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    stages: impl IntoIterator<Item = Uuid>,
    days: Days,
    departments: Condition,
) -> Result<Vec<Total>, Error> {
    closed_deal_day::Entity::find()
        .select_only()
        .column(closed_deal_day::Column::StageId)
        .column(closed_deal_day::Column::Currency)
        .column(closed_deal_day::Column::Probability)
        .column_as(summed(CLOSED.table, "deals"), "count")
        .column_as(summed(CLOSED.table, "amount"), "amount")
        .filter(closed_deal_day::Column::TenantId.eq(tenant_id))
        .filter(closed_deal_day::Column::Day.between(days.from, days.to))
        .filter(closed_deal_day::Column::StageId.is_in(stages))
        .filter(departments)
        .group_by(closed_deal_day::Column::StageId)
        .group_by(closed_deal_day::Column::Currency)
        .group_by(closed_deal_day::Column::Probability)
        // Retracted to nothing, a key stays behind with zeros: not a group of deals.
        .having(Expr::cust(format!(
            "SUM(\"{}\".\"deals\") <> 0",
            CLOSED.table
        )))
        .into_model::<Total>()
        .all(db)
        .await
        .map_err(storage)
}

/// `SUM(figure)` as a 64-bit integer in both databases.
fn summed(table: &str, figure: &str) -> SimpleExpr {
    Expr::cust(format!(
        "CAST(COALESCE(SUM(\"{table}\".\"{figure}\"), 0) AS BIGINT)"
    ))
}
