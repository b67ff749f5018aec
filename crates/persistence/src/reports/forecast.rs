//! The forecast (销售预测): open opportunities by the month they are expected to close, and
//! what was won in each month, next to the won-amount targets. Two grouped queries (month ×
//! currency × probability, month × currency); the months are buckets the database assigns
//! with a `CASE` over the months' first days, so time zones and date formats stay out of SQL.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use crm_api_types::calendar::{Month, TargetPeriod};
use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{ForecastFigures, ForecastMonth, ForecastReport, TargetSubject};
use crm_api_types::targets::{SubjectKind, TargetMetric};
use crm_domain::money::{SCALE, round_cents, to_cents_at_least};
use crm_domain::target::target_for;
use crm_domain::{Caller, Error, Visibility, start_of_day_in_china};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Value,
};
use uuid::Uuid;

use crate::entities::{department, opportunity, user};
use crate::error::storage;
use crate::opportunities::{OpportunityFilter, filtered};
use crate::targets::{stored, visible_departments, visible_users};

/// The months a forecast covers and whom it is for.
pub struct ForecastSpec {
    pub from: Month,
    pub to: Month,
    pub currency: String,
    pub commit_probability: u8,
}

/// Open opportunities of one month bucket, currency and probability.
#[derive(Debug, FromQueryResult)]
struct Open {
    bucket: i32,
    currency: String,
    probability: i16,
    count: i64,
    amount: i64,
}

/// Opportunities won in one month bucket and currency.
#[derive(Debug, FromQueryResult)]
struct Won {
    bucket: i32,
    currency: String,
    count: i64,
    amount: i64,
}

/// A month's sums in stored units (1/10,000), weighted ones times the probability.
#[derive(Debug, Default, Clone)]
struct Sums {
    open_count: u64,
    pipeline: i128,
    weighted_percent: i128,
    commit_count: u64,
    commit: i128,
    won_count: u64,
    won: i128,
}

impl Sums {
    fn add(&mut self, other: &Sums) {
        self.open_count += other.open_count;
        self.pipeline += other.pipeline;
        self.weighted_percent += other.weighted_percent;
        self.commit_count += other.commit_count;
        self.commit += other.commit;
        self.won_count += other.won_count;
        self.won += other.won;
    }

    fn figures(&self, target: Option<Decimal>) -> ForecastFigures {
        let units = |u: i128| Decimal::from_i128_with_scale(u, SCALE);
        ForecastFigures {
            open_count: self.open_count,
            pipeline: to_cents_at_least(units(self.pipeline)),
            weighted: to_cents_at_least(round_cents(
                units(self.weighted_percent) / Decimal::ONE_HUNDRED,
            )),
            commit_count: self.commit_count,
            commit: to_cents_at_least(units(self.commit)),
            won_count: self.won_count,
            won: to_cents_at_least(units(self.won)),
            target: target.map(to_cents_at_least),
        }
    }
}

/// `CASE WHEN column < ? THEN 0 WHEN column < ? THEN 1 … END`: the index of the month a value
/// falls in, -1 before the first, none after the last. `bounds` are each month's end.
fn bucket<V: Into<Value>>(
    backend: DatabaseBackend,
    column: &str,
    before_first: Option<V>,
    bounds: Vec<V>,
) -> SimpleExpr {
    let mut sql = String::from("CASE");
    let mut values: Vec<Value> = Vec::new();
    let mut when = |bound: V, index: i64| {
        values.push(bound.into());
        let placeholder = match backend {
            DatabaseBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_owned(),
        };
        sql.push_str(&format!(" WHEN {column} < {placeholder} THEN {index}"));
    };
    if let Some(first) = before_first {
        when(first, -1);
    }
    for (i, bound) in bounds.into_iter().enumerate() {
        when(bound, i64::try_from(i).unwrap_or(i64::MAX));
    }
    sql.push_str(" END");
    Expr::cust_with_values(sql, values)
}

pub async fn forecast(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
    spec: ForecastSpec,
) -> Result<ForecastReport, Error> {
    let months = spec.from.through(spec.to);
    let month_ends: Vec<chrono::NaiveDate> = months.iter().map(|m| m.next().first_day()).collect();
    let last_end = *month_ends.last().unwrap_or(&spec.to.last_day());

    let backend = db.get_database_backend();
    let open_bucket = bucket(
        backend,
        "\"opportunities\".\"expected_close_date\"",
        Some(spec.from.first_day()),
        month_ends.clone(),
    );
    let open: Vec<Open> = filtered(caller, filter)
        // Written as the covering index's predicate, so both databases see it applies.
        .filter(Expr::cust("\"opportunities\".\"status\" = 'open'"))
        .filter(opportunity::Column::ExpectedCloseDate.lt(last_end))
        .select_only()
        .column_as(open_bucket, "bucket")
        .column(opportunity::Column::Currency)
        .column(opportunity::Column::Probability)
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(SUM(\"opportunities\".\"amount\") AS BIGINT)"),
            "amount",
        )
        // By position: the bucket carries bound values, which PostgreSQL would not match
        // between the select list and a repeated GROUP BY expression.
        .group_by(Expr::cust("1, 2, 3"))
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;

    let instants: Vec<DateTime<Utc>> = month_ends
        .iter()
        .map(|d| start_of_day_in_china(*d))
        .collect();
    let won: Vec<Won> = filtered(caller, filter)
        .filter(opportunity::Column::Status.eq(StageKind::Won.as_str()))
        .filter(opportunity::Column::ClosedAt.gte(start_of_day_in_china(spec.from.first_day())))
        .filter(opportunity::Column::ClosedAt.lt(start_of_day_in_china(last_end)))
        .select_only()
        .column_as(
            bucket::<DateTime<Utc>>(backend, "\"opportunities\".\"closed_at\"", None, instants),
            "bucket",
        )
        .column(opportunity::Column::Currency)
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(SUM(\"opportunities\".\"amount\") AS BIGINT)"),
            "amount",
        )
        .group_by(Expr::cust("1, 2"))
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;

    let mut past_due = Sums::default();
    let mut sums = vec![Sums::default(); months.len()];
    let mut other_currencies = BTreeSet::new();
    for row in &open {
        if row.currency != spec.currency {
            other_currencies.insert(row.currency.clone());
            continue;
        }
        let slot = match usize::try_from(row.bucket) {
            Ok(i) => match sums.get_mut(i) {
                Some(slot) => slot,
                None => continue,
            },
            Err(_) => &mut past_due,
        };
        let count = u64::try_from(row.count).unwrap_or(0);
        let amount = i128::from(row.amount);
        slot.open_count += count;
        slot.pipeline += amount;
        slot.weighted_percent += amount * i128::from(row.probability);
        if i64::from(row.probability) >= i64::from(spec.commit_probability) {
            slot.commit_count += count;
            slot.commit += amount;
        }
    }
    for row in &won {
        if row.currency != spec.currency {
            other_currencies.insert(row.currency.clone());
            continue;
        }
        if let Some(slot) = usize::try_from(row.bucket)
            .ok()
            .and_then(|i| sums.get_mut(i))
        {
            slot.won_count += u64::try_from(row.count).unwrap_or(0);
            slot.won += i128::from(row.amount);
        }
    }

    let subjects = target_subjects(db, caller, filter).await?;
    let targets = stored(
        db,
        caller,
        TargetMetric::WonAmount,
        &spec.currency,
        spec.from.year()..=spec.to.year(),
        &subjects.keys,
    )
    .await?;
    let month_target = |month: Month| -> Option<Decimal> {
        if subjects.keys.is_empty() {
            return None;
        }
        subjects
            .keys
            .iter()
            .map(|key| {
                let of = targets.get(key);
                target_for(TargetPeriod::Month(month), |p| {
                    of.and_then(|t| t.get(&p).copied())
                })
            })
            .sum()
    };
    let month_targets: Vec<Option<Decimal>> = months.iter().map(|m| month_target(*m)).collect();

    let mut total = Sums::default();
    sums.iter().for_each(|s| total.add(s));
    let total_target = month_targets.iter().copied().sum::<Option<Decimal>>();
    Ok(ForecastReport {
        from: spec.from,
        to: spec.to,
        currency: spec.currency,
        commit_probability: spec.commit_probability,
        target_subject: subjects.shown,
        past_due: past_due.figures(None),
        months: months
            .iter()
            .zip(&sums)
            .zip(&month_targets)
            .map(|((month, sums), target)| ForecastMonth {
                month: *month,
                figures: sums.figures(*target),
            })
            .collect(),
        total: total.figures(total_target),
        other_currencies: other_currencies.into_iter().collect(),
    })
}

/// Whose targets the forecast compares with, and the subject it names.
struct Subjects {
    keys: Vec<(SubjectKind, Uuid)>,
    shown: Option<TargetSubject>,
}

/// The owner or department narrowed to; else the caller's department (or the caller, with
/// the `own` scope); a tenant-wide view adds up the top departments. Only subjects the
/// caller's scope covers: narrowing to another department shows no target.
async fn target_subjects(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
) -> Result<Subjects, Error> {
    let users: Vec<Uuid> = visible_users(db, caller)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    let departments: Vec<Uuid> = visible_departments(db, caller)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    let mut subjects = chosen_subjects(db, caller, filter).await?;
    subjects.keys.retain(|(kind, id)| match kind {
        SubjectKind::User => users.contains(id),
        SubjectKind::Department => departments.contains(id),
    });
    if subjects.keys.is_empty() {
        subjects.shown = None;
    }
    Ok(subjects)
}

async fn chosen_subjects(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &OpportunityFilter,
) -> Result<Subjects, Error> {
    let user_subject = |id: Uuid| async move {
        let name = user::Entity::find_by_id(id)
            .filter(user::Column::TenantId.eq(caller.tenant_id))
            .one(db)
            .await
            .map_err(storage)?
            .map(|u| u.name);
        Ok::<_, Error>(subject(SubjectKind::User, id, name))
    };
    if let Some(owner) = filter.owner_id {
        return user_subject(owner).await;
    }
    let department = match (&filter.department_path, caller.visibility()) {
        (Some(path), _) => department::Entity::find()
            .filter(department::Column::TenantId.eq(caller.tenant_id))
            .filter(department::Column::Path.eq(path.as_str()))
            .one(db)
            .await
            .map_err(storage)?,
        (None, Visibility::Owner(id)) => return user_subject(id).await,
        (None, Visibility::Department(_) | Visibility::DepartmentTree(_)) => {
            department::Entity::find_by_id(caller.department_id)
                .filter(department::Column::TenantId.eq(caller.tenant_id))
                .one(db)
                .await
                .map_err(storage)?
        }
        (None, Visibility::All) => {
            let tops = department::Entity::find()
                .filter(department::Column::TenantId.eq(caller.tenant_id))
                .filter(department::Column::ParentId.is_null())
                .all(db)
                .await
                .map_err(storage)?;
            return Ok(Subjects {
                keys: tops
                    .into_iter()
                    .map(|d| (SubjectKind::Department, d.id))
                    .collect(),
                shown: None,
            });
        }
    };
    Ok(match department {
        Some(d) => subject(SubjectKind::Department, d.id, Some(d.name)),
        None => Subjects {
            keys: Vec::new(),
            shown: None,
        },
    })
}

fn subject(kind: SubjectKind, id: Uuid, name: Option<String>) -> Subjects {
    Subjects {
        keys: vec![(kind, id)],
        shown: name.map(|name| TargetSubject { kind, id, name }),
    }
}
