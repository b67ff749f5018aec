//! Sales targets (业绩目标). A caller reads and sets the targets of the users and departments
//! their data scope covers: a department manager their tree, an admin everyone.

use std::collections::HashMap;

use crm_api_types::calendar::TargetPeriod;
use crm_api_types::targets::{
    SetTargetsResponse, SubjectKind, TargetMetric, TargetPlan, TargetResponse,
};
use crm_domain::audit::{AuditAction, Change};
use crm_domain::target::TargetCell;
use crm_domain::{Caller, Error, FieldErrors, Violation, Visibility, new_id, now};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{Actor, record};
use crate::entities::{department, target, user};
use crate::error::{storage, unique_violation};
use crate::money::{money_from_units, to_units};
use crate::scope::owned_by_visible;

/// A user a report or target plan may name.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub id: Uuid,
    pub name: String,
    pub department_id: Uuid,
}

/// The users the caller's data scope covers.
pub(crate) async fn visible_users(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<Member>, Error> {
    let users = user::Entity::find()
        .filter(user::Column::TenantId.eq(caller.tenant_id))
        .filter(owned_by_visible(caller, user::Column::Id))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await
        .map_err(storage)?;
    Ok(users
        .into_iter()
        .map(|u| Member {
            id: u.id,
            name: u.name,
            department_id: u.department_id,
        })
        .collect())
}

/// The departments the caller's data scope covers: all of them, the caller's tree, the
/// caller's own department, or none (`own` scope), in path order (a parent before its
/// children).
pub(crate) async fn visible_departments(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<department::Model>, Error> {
    let within = match caller.visibility() {
        Visibility::All => Condition::all(),
        Visibility::DepartmentTree(prefix) => {
            Condition::all().add(department::Column::Path.like(format!("{prefix}%")))
        }
        Visibility::Department(id) => Condition::all().add(department::Column::Id.eq(id)),
        Visibility::Owner(_) => return Ok(Vec::new()),
    };
    department::Entity::find()
        .filter(department::Column::TenantId.eq(caller.tenant_id))
        .filter(within)
        .order_by_asc(department::Column::Path)
        .all(db)
        .await
        .map_err(storage)
}

/// One year's targets of `metric` for the subjects the caller may see.
pub async fn plan(
    db: &impl ConnectionTrait,
    caller: &Caller,
    year: i32,
    metric: TargetMetric,
) -> Result<TargetPlan, Error> {
    let names = Names::visible(db, caller).await?;
    let rows = target::Entity::find()
        .filter(target::Column::TenantId.eq(caller.tenant_id))
        .filter(target::Column::Metric.eq(metric.as_str()))
        .filter(target::Column::Year.eq(year))
        .all(db)
        .await
        .map_err(storage)?;
    let mut items: Vec<TargetResponse> = rows
        .into_iter()
        .filter_map(|row| names.response(row))
        .collect();
    items.sort_by(|a, b| {
        (a.subject_kind == SubjectKind::Department)
            .cmp(&(b.subject_kind == SubjectKind::Department))
            .then_with(|| a.subject_name.cmp(&b.subject_name))
            .then_with(|| a.subject_id.cmp(&b.subject_id))
            .then_with(|| a.period.cmp(&b.period))
    });
    Ok(TargetPlan {
        year,
        metric,
        items,
    })
}

/// The stored targets of one metric for the subjects and years asked: subject → period →
/// amount, in `currency` only.
pub(crate) async fn stored(
    db: &impl ConnectionTrait,
    caller: &Caller,
    metric: TargetMetric,
    currency: &str,
    years: std::ops::RangeInclusive<i32>,
    subjects: &[(SubjectKind, Uuid)],
) -> Result<HashMap<(SubjectKind, Uuid), HashMap<TargetPeriod, rust_decimal::Decimal>>, Error> {
    let ids: Vec<Uuid> = subjects.iter().map(|(_, id)| *id).collect();
    let rows = target::Entity::find()
        .filter(target::Column::TenantId.eq(caller.tenant_id))
        .filter(target::Column::Metric.eq(metric.as_str()))
        .filter(target::Column::Currency.eq(currency))
        .filter(target::Column::Year.between(*years.start(), *years.end()))
        .filter(target::Column::SubjectId.is_in(ids))
        .all(db)
        .await
        .map_err(storage)?;
    let mut stored: HashMap<_, HashMap<_, _>> = HashMap::new();
    for row in rows {
        let (Some(kind), Ok(period)) = (SubjectKind::parse(&row.subject_kind), row.period.parse())
        else {
            continue;
        };
        if subjects.contains(&(kind, row.subject_id)) {
            stored
                .entry((kind, row.subject_id))
                .or_default()
                .insert(period, money_from_units(row.amount));
        }
    }
    Ok(stored)
}

/// Sets and removes targets in one transaction, each with its audit entry. A subject the
/// caller's scope does not cover is a 422 on its `subject_id`, as if it did not exist.
pub async fn set(
    db: &crate::Database,
    caller: &Caller,
    metric: TargetMetric,
    cells: Vec<TargetCell>,
) -> Result<SetTargetsResponse, Error> {
    let txn = db.begin().await.map_err(storage)?;
    let names = Names::visible(&txn, caller).await?;
    let mut errors = FieldErrors::new();
    for (i, cell) in cells.iter().enumerate() {
        if names.name(cell.subject_kind, cell.subject_id).is_none() {
            errors.add(&format!("targets[{i}].subject_id"), Violation::NotFound);
        }
    }
    errors.finish(())?;
    let actor = Actor::from(caller);
    let mut items = Vec::new();
    let mut removed = 0;
    let mut existing = named(&txn, caller, metric, &cells).await?;
    for cell in cells {
        let key = (
            cell.subject_kind.as_str(),
            cell.subject_id,
            cell.period.to_string(),
        );
        let existing = existing.remove(&(key.0.to_owned(), key.1, key.2));
        match (existing, cell.amount) {
            (None, None) => {}
            (Some(row), None) => {
                target::Entity::delete_by_id(row.id)
                    .exec(&txn)
                    .await
                    .map_err(storage)?;
                let changes = vec![change("amount", amount_json(&row), json!(null))];
                record(
                    &txn,
                    &actor,
                    AuditAction::Deleted,
                    "target",
                    row.id,
                    changes,
                )
                .await?;
                removed += 1;
            }
            (Some(row), Some(amount)) => {
                let units = to_units(amount);
                if units == row.amount && cell.currency == row.currency {
                    items.push(row);
                    continue;
                }
                let old = amount_json(&row);
                let mut active: target::ActiveModel = row.into();
                active.amount = Set(units);
                active.currency = Set(cell.currency.clone());
                active.version = Set(active.version.as_ref() + 1);
                active.updated_by = Set(caller.user_id);
                active.updated_at = Set(now());
                let row = active.update(&txn).await.map_err(storage)?;
                let changes = vec![change("amount", old, amount_json(&row))];
                record(
                    &txn,
                    &actor,
                    AuditAction::Updated,
                    "target",
                    row.id,
                    changes,
                )
                .await?;
                items.push(row);
            }
            (None, Some(amount)) => {
                let at = now();
                let row = target::ActiveModel {
                    id: Set(new_id()),
                    tenant_id: Set(caller.tenant_id),
                    subject_kind: Set(cell.subject_kind.as_str().to_owned()),
                    subject_id: Set(cell.subject_id),
                    metric: Set(metric.as_str().to_owned()),
                    year: Set(cell.period.year()),
                    period: Set(cell.period.to_string()),
                    amount: Set(to_units(amount)),
                    currency: Set(cell.currency.clone()),
                    created_by: Set(caller.user_id),
                    updated_by: Set(caller.user_id),
                    version: Set(1),
                    created_at: Set(at),
                    updated_at: Set(at),
                }
                .insert(&txn)
                .await
                // Another request set the same target first: this one must reload.
                .map_err(|e| {
                    unique_violation(
                        e,
                        &["ux_targets_cell", "targets."],
                        "target_set_concurrently",
                        "targets",
                    )
                })?;
                let changes = vec![
                    change("subject_id", json!(null), json!(row.subject_id)),
                    change("metric", json!(null), json!(row.metric)),
                    change("period", json!(null), json!(row.period)),
                    change("amount", json!(null), amount_json(&row)),
                ];
                record(
                    &txn,
                    &actor,
                    AuditAction::Created,
                    "target",
                    row.id,
                    changes,
                )
                .await?;
                items.push(row);
            }
        }
    }
    txn.commit().await.map_err(storage)?;
    Ok(SetTargetsResponse {
        items: items
            .into_iter()
            .filter_map(|row| names.response(row))
            .collect(),
        removed,
    })
}

/// The stored targets of `metric` that the cells name, by subject kind, subject and period:
/// one query for the whole request.
async fn named(
    db: &impl ConnectionTrait,
    caller: &Caller,
    metric: TargetMetric,
    cells: &[TargetCell],
) -> Result<HashMap<(String, Uuid, String), target::Model>, Error> {
    let years: Vec<i32> = cells.iter().map(|c| c.period.year()).collect();
    let subjects: Vec<Uuid> = cells.iter().map(|c| c.subject_id).collect();
    let rows = target::Entity::find()
        .filter(target::Column::TenantId.eq(caller.tenant_id))
        .filter(target::Column::Metric.eq(metric.as_str()))
        .filter(target::Column::Year.is_in(years))
        .filter(target::Column::SubjectId.is_in(subjects))
        .all(db)
        .await
        .map_err(storage)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                (row.subject_kind.clone(), row.subject_id, row.period.clone()),
                row,
            )
        })
        .collect())
}

fn change(field: &str, old: serde_json::Value, new: serde_json::Value) -> Change {
    Change {
        field: field.to_owned(),
        old,
        new,
    }
}

fn amount_json(row: &target::Model) -> serde_json::Value {
    json!(format!("{} {}", money_from_units(row.amount), row.currency))
}

/// The names of the users and departments the caller may see, to answer with and to check
/// subjects against.
struct Names {
    users: HashMap<Uuid, String>,
    departments: HashMap<Uuid, String>,
}

impl Names {
    async fn visible(db: &impl ConnectionTrait, caller: &Caller) -> Result<Self, Error> {
        Ok(Self {
            users: visible_users(db, caller)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect(),
            departments: visible_departments(db, caller)
                .await?
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect(),
        })
    }

    fn name(&self, kind: SubjectKind, id: Uuid) -> Option<&String> {
        match kind {
            SubjectKind::User => self.users.get(&id),
            SubjectKind::Department => self.departments.get(&id),
        }
    }

    /// The row as the API shows it; none for a subject the caller may not see.
    fn response(&self, row: target::Model) -> Option<TargetResponse> {
        let kind = SubjectKind::parse(&row.subject_kind)?;
        let name = self.name(kind, row.subject_id)?.clone();
        Some(TargetResponse {
            id: row.id,
            subject_kind: kind,
            subject_id: row.subject_id,
            subject_name: name,
            metric: TargetMetric::parse(&row.metric)?,
            period: row.period.parse().ok()?,
            amount: money_from_units(row.amount),
            currency: row.currency,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            updated_by: row.updated_by,
        })
    }
}
