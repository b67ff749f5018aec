//! Activity (跟进分析): follow-ups recorded per rep and ISO week over the period, and the
//! customers nobody has followed up for a while. Three grouped or bounded queries: the
//! follow-ups by week, recorder and kind; the number of idle customers; the longest idle.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use crm_api_types::activities::ActivityKind;
use crm_api_types::reports::{
    ActivityKindCount, ActivityRep, ActivityReport, ActivityWeek, IdleCustomer, IdleCustomers,
};
use crm_domain::report::{Period, week_label, week_start};
use crm_domain::{Caller, Error};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::records::RecordNarrowing;
use crate::customers::followed_up;
use crate::entities::{activity, customer};
use crate::error::storage;
use crate::scope::{owned_by_visible, owned_in_department_tree};

/// The longest idle customers the report lists.
const IDLE_SHOWN: u64 = 50;

pub struct ActivitySpec {
    pub period: Period,
    pub idle_days: u32,
    pub now: DateTime<Utc>,
    /// Owner and department; region and industry are not asked for.
    pub narrowing: RecordNarrowing,
}

#[derive(Debug, FromQueryResult)]
struct Recorded {
    week: String,
    user_id: Uuid,
    kind: String,
    count: i64,
}

#[derive(Debug, FromQueryResult)]
struct Idle {
    id: Uuid,
    name: String,
    owner_id: Option<Uuid>,
    last_activity_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

/// The Monday (China time) of the week an activity happened in, as `YYYY-MM-DD`.
fn week_sql(backend: DatabaseBackend) -> SimpleExpr {
    Expr::cust(match backend {
        DatabaseBackend::Postgres => {
            "to_char(date_trunc('week', (\"activities\".\"occurred_at\" AT TIME ZONE 'UTC') \
             + INTERVAL '8 hours'), 'YYYY-MM-DD')"
        }
        _ => "date(\"activities\".\"occurred_at\", '+8 hours', 'weekday 0', '-6 days')",
    })
}

/// Records whose `owner` (owner or recorder) the caller's scope covers, narrowed by owner and
/// department.
fn owned(
    caller: &Caller,
    narrowing: &RecordNarrowing,
    owner: impl ColumnTrait + Copy,
) -> Condition {
    let mut condition = owned_by_visible(caller, owner);
    if let Some(id) = narrowing.owner_id {
        condition = condition.add(owner.eq(id));
    }
    if let Some(path) = &narrowing.department_path {
        condition = condition.add(owned_in_department_tree(caller.tenant_id, owner, path));
    }
    condition
}

/// Live owned customers the caller's scope covers, narrowed, not followed up since `before`.
fn idle_customers(
    caller: &Caller,
    narrowing: &RecordNarrowing,
    before: DateTime<Utc>,
) -> sea_orm::Select<customer::Entity> {
    customer::Entity::find()
        .filter(customer::Column::TenantId.eq(caller.tenant_id))
        .filter(customer::Column::OwnerId.is_not_null())
        .filter(customer::Column::DeletedAt.is_null())
        .filter(customer::Column::MergedInto.is_null())
        .filter(owned(caller, narrowing, customer::Column::OwnerId))
        .filter(followed_up().lt(before))
}

pub async fn activity(
    db: &impl ConnectionTrait,
    caller: &Caller,
    spec: ActivitySpec,
) -> Result<ActivityReport, Error> {
    let backend = db.get_database_backend();
    let (start, end) = spec.period.instants();
    let recorded: Vec<Recorded> = activity::Entity::find()
        .filter(activity::Column::TenantId.eq(caller.tenant_id))
        .filter(activity::Column::DeletedAt.is_null())
        .filter(activity::Column::OccurredAt.gte(start))
        .filter(activity::Column::OccurredAt.lt(end))
        .filter(owned(caller, &spec.narrowing, activity::Column::CreatedBy))
        .select_only()
        .column_as(week_sql(backend), "week")
        .column_as(activity::Column::CreatedBy, "user_id")
        .column(activity::Column::Kind)
        .column_as(Expr::cust("COUNT(*)"), "count")
        .group_by(Expr::cust("1"))
        .group_by(activity::Column::CreatedBy)
        .group_by(activity::Column::Kind)
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;

    let before = spec.now - chrono::Duration::days(i64::from(spec.idle_days));
    let idle_count = idle_customers(caller, &spec.narrowing, before)
        .count(db)
        .await
        .map_err(storage)?;
    let idle: Vec<Idle> = idle_customers(caller, &spec.narrowing, before)
        .select_only()
        .column(customer::Column::Id)
        .column(customer::Column::Name)
        .column(customer::Column::OwnerId)
        .column(customer::Column::LastActivityAt)
        .column(customer::Column::CreatedAt)
        .order_by(followed_up(), Order::Asc)
        .order_by_asc(customer::Column::Id)
        .limit(IDLE_SHOWN)
        .into_model()
        .all(db)
        .await
        .map_err(storage)?;

    // Every week the period touches, so a quiet week shows as a zero.
    let mut weeks: Vec<NaiveDate> = Vec::new();
    let mut monday = week_start(spec.period.from());
    while monday <= spec.period.to() {
        weeks.push(monday);
        monday += chrono::TimeDelta::days(7);
    }
    let slot: HashMap<NaiveDate, usize> = weeks.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut week_totals = vec![0_u64; weeks.len()];
    let mut reps: BTreeMap<Uuid, (Vec<u64>, BTreeMap<usize, u64>)> = BTreeMap::new();
    let mut kinds: BTreeMap<usize, u64> = BTreeMap::new();
    let kind_position = |k: ActivityKind| ActivityKind::ALL.iter().position(|&v| v == k);
    for row in &recorded {
        let (Some(&i), Some(kind)) = (
            row.week
                .parse::<NaiveDate>()
                .ok()
                .and_then(|d| slot.get(&d)),
            ActivityKind::parse(&row.kind).and_then(kind_position),
        ) else {
            continue;
        };
        let count = u64::try_from(row.count).unwrap_or(0);
        week_totals[i] += count;
        *kinds.entry(kind).or_default() += count;
        let rep = reps
            .entry(row.user_id)
            .or_insert_with(|| (vec![0; weeks.len()], BTreeMap::new()));
        rep.0[i] += count;
        *rep.1.entry(kind).or_default() += count;
    }
    let kind_counts = |kinds: &BTreeMap<usize, u64>| {
        kinds
            .iter()
            .map(|(&i, &count)| ActivityKindCount {
                kind: ActivityKind::ALL[i],
                count,
            })
            .collect::<Vec<_>>()
    };

    let mut people: Vec<Uuid> = reps.keys().copied().collect();
    people.extend(idle.iter().filter_map(|c| c.owner_id));
    let names = crate::users::names(db, caller.tenant_id, &people).await?;
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_default();
    let mut reps: Vec<ActivityRep> = reps
        .into_iter()
        .map(|(user_id, (counts, kinds))| ActivityRep {
            user_id,
            name: name(user_id),
            total: counts.iter().sum(),
            weeks: counts,
            kinds: kind_counts(&kinds),
        })
        .collect();
    reps.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    let customers = idle
        .into_iter()
        .filter_map(|c| {
            let owner_id = c.owner_id?;
            let since = c.last_activity_at.unwrap_or(c.created_at);
            Some(IdleCustomer {
                id: c.id,
                name: c.name,
                owner_id,
                owner_name: name(owner_id),
                last_activity_at: c.last_activity_at,
                idle_days: u32::try_from((spec.now - since).num_days()).unwrap_or(0),
            })
        })
        .collect();
    Ok(ActivityReport {
        from: spec.period.from(),
        to: spec.period.to(),
        weeks: weeks
            .iter()
            .zip(&week_totals)
            .map(|(&monday, &count)| ActivityWeek {
                week: week_label(monday),
                starts_on: monday,
                count,
            })
            .collect(),
        total: week_totals.iter().sum(),
        reps,
        kinds: kind_counts(&kinds),
        idle: IdleCustomers {
            idle_days: spec.idle_days,
            count: idle_count,
            customers,
        },
    })
}
