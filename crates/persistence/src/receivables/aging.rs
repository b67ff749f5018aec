//! What customers owe: the list of open instalments, aging (账龄) summed by the database, and
//! credit limits against open receivables.

use std::collections::HashMap;

use chrono::NaiveDate;
use crm_api_types::receivables::{
    AgingAmounts, AgingBucket, AgingGroup, AgingResponse, AgingRow, CustomerCreditResponse,
    ReceivableResponse,
};
use crm_domain::money::{AMOUNT_MAX, DEFAULT_CURRENCY};
use crm_domain::{Caller, Error, FieldErrors, Violation, today_in_china};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QuerySelect, Select,
};
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::entities::{
    aging_balance, customer, department, instalment, payment, sales_order, user,
};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{money_from_units, to_units};
use crate::scope::{owned_by_visible, owned_in_department_tree};

/// The tenant's owed instalments with something outstanding. The test is written as SQL, not
/// bound values, so PostgreSQL can prove the partial indexes' predicate from it.
pub(super) fn open_in(tenant_id: Uuid) -> Select<instalment::Entity> {
    instalment::Entity::find()
        .filter(instalment::Column::TenantId.eq(tenant_id))
        .filter(Expr::cust(
            "\"instalments\".\"confirmed\" AND \"instalments\".\"outstanding\" > 0",
        ))
}

/// Open instalments of orders the caller's scope covers (by the order's owner).
fn open(caller: &Caller) -> Select<instalment::Entity> {
    open_in(caller.tenant_id)
        .filter(Condition::all().add(owned_by_visible(caller, instalment::Column::OwnerId)))
}

/// The buckets, and the column each is summed into.
pub(super) const BUCKETS: [(AgingBucket, &str); 6] = [
    (AgingBucket::NotDue, "not_due"),
    (AgingBucket::Days1To30, "days_1_to_30"),
    (AgingBucket::Days31To60, "days_31_to_60"),
    (AgingBucket::Days61To90, "days_61_to_90"),
    (AgingBucket::Days91To180, "days_91_to_180"),
    (AgingBucket::Over180, "over_180"),
];

/// The due dates a bucket covers as of a day: `[from, until)`, either end open.
fn due_between(bucket: AgingBucket, as_of: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
    // Checked: an `as_of` at the calendar's very start has no day 180 before it.
    let back = |days: u64| as_of.checked_sub_days(chrono::Days::new(days));
    match bucket {
        AgingBucket::NotDue => (Some(as_of), None),
        AgingBucket::Days1To30 => (back(30), Some(as_of)),
        AgingBucket::Days31To60 => (back(60), back(30)),
        AgingBucket::Days61To90 => (back(90), back(60)),
        AgingBucket::Days91To180 => (back(180), back(90)),
        AgingBucket::Over180 => (None, back(180)),
    }
}

fn bucket_condition(bucket: AgingBucket, as_of: NaiveDate) -> Condition {
    let (from, until) = due_between(bucket, as_of);
    let mut condition = Condition::all();
    if let Some(from) = from {
        condition = condition.add(instalment::Column::DueDate.gte(from));
    }
    if let Some(until) = until {
        condition = condition.add(instalment::Column::DueDate.lt(until));
    }
    if bucket == AgingBucket::NotDue {
        // An instalment whose event has not happened has no due date: not due either.
        return Condition::any()
            .add(condition)
            .add(instalment::Column::DueDate.is_null());
    }
    condition
}

/// `SUM(outstanding)` of the bucket, as SQL. Dates are written as literals: a `NaiveDate`
/// prints only digits and dashes, and both databases compare `YYYY-MM-DD` with a date.
pub(super) fn bucket_sum(bucket: AgingBucket, as_of: NaiveDate) -> Expr {
    let (from, until) = due_between(bucket, as_of);
    let mut tests = Vec::new();
    if let Some(from) = from {
        tests.push(format!("\"instalments\".\"due_date\" >= '{from}'"));
    }
    if let Some(until) = until {
        tests.push(format!("\"instalments\".\"due_date\" < '{until}'"));
    }
    let mut test = tests.join(" AND ");
    if bucket == AgingBucket::NotDue {
        test = format!("(\"instalments\".\"due_date\" IS NULL OR {test})");
    }
    Expr::cust(format!(
        "CAST(SUM(CASE WHEN {test} THEN \"instalments\".\"outstanding\" ELSE 0 END) AS BIGINT)"
    ))
}

#[derive(Debug, FromQueryResult)]
struct Sums {
    key: Uuid,
    not_due: Option<i64>,
    days_1_to_30: Option<i64>,
    days_31_to_60: Option<i64>,
    days_61_to_90: Option<i64>,
    days_91_to_180: Option<i64>,
    over_180: Option<i64>,
}

/// All buckets at 0.00: amounts read to the cent even where nothing is owed.
fn zero() -> AgingAmounts {
    let cents = Decimal::new(0, 2);
    AgingAmounts {
        not_due: cents,
        days_1_to_30: cents,
        days_31_to_60: cents,
        days_61_to_90: cents,
        days_91_to_180: cents,
        over_180: cents,
        total: cents,
    }
}

impl Sums {
    fn amounts(&self) -> AgingAmounts {
        let mut amounts = zero();
        for (bucket, units) in [
            (AgingBucket::NotDue, self.not_due),
            (AgingBucket::Days1To30, self.days_1_to_30),
            (AgingBucket::Days31To60, self.days_31_to_60),
            (AgingBucket::Days61To90, self.days_61_to_90),
            (AgingBucket::Days91To180, self.days_91_to_180),
            (AgingBucket::Over180, self.over_180),
        ] {
            crm_domain::receivable::aging::add(
                &mut amounts,
                bucket,
                money_from_units(units.unwrap_or_default()),
            );
        }
        amounts
    }
}

fn merge(into: &mut AgingAmounts, from: &AgingAmounts) {
    into.not_due += from.not_due;
    into.days_1_to_30 += from.days_1_to_30;
    into.days_31_to_60 += from.days_31_to_60;
    into.days_61_to_90 += from.days_61_to_90;
    into.days_91_to_180 += from.days_91_to_180;
    into.over_180 += from.over_180;
    into.total += from.total;
}

pub struct AgingFilter {
    pub group_by: AgingGroup,
    pub currency: String,
    pub as_of: NaiveDate,
    /// Rows to answer, largest total first.
    pub limit: usize,
}

/// Outstanding amounts by bucket, grouped by customer, owner or department. As of today they
/// come from the aging balances (brought up to date first); as of another day the database
/// sums the open instalments. Departments add up their owners' rows (at most one per user).
/// The totals cover every group; only the `limit` largest are named and answered.
pub async fn aging(
    db: &crate::Database,
    caller: &Caller,
    filter: &AgingFilter,
) -> Result<AgingResponse, Error> {
    let sums = if filter.as_of == today_in_china() {
        super::balances::refresh(db, caller.tenant_id, filter.as_of).await?;
        balance_sums(db, caller, filter).await?
    } else {
        instalment_sums(db, caller, filter).await?
    };
    let mut rows: Vec<(Option<Uuid>, AgingAmounts)> = match filter.group_by {
        AgingGroup::Customer | AgingGroup::Owner => {
            sums.iter().map(|s| (Some(s.key), s.amounts())).collect()
        }
        AgingGroup::Department => {
            let owners: Vec<Uuid> = sums.iter().map(|s| s.key).collect();
            let departments = departments_of(db, caller.tenant_id, &owners).await?;
            let mut by_department: HashMap<Option<Uuid>, AgingAmounts> = HashMap::new();
            for s in &sums {
                let department = departments.get(&s.key).copied().flatten();
                merge(
                    by_department.entry(department).or_insert_with(zero),
                    &s.amounts(),
                );
            }
            by_department.into_iter().collect()
        }
    };
    rows.sort_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(&b.0)));
    let mut totals = zero();
    for (_, amounts) in &rows {
        merge(&mut totals, amounts);
    }
    let row_count = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    rows.truncate(filter.limit);
    let keys: Vec<Uuid> = rows.iter().filter_map(|(k, _)| *k).collect();
    let names = match filter.group_by {
        AgingGroup::Customer => crate::customers::names(db, caller.tenant_id, keys).await?,
        AgingGroup::Owner => crate::users::names(db, caller.tenant_id, &keys).await?,
        AgingGroup::Department => department_names(db, caller.tenant_id, &keys).await?,
    };
    let rows = rows
        .into_iter()
        .map(|(key, amounts)| AgingRow {
            name: key.and_then(|k| names.get(&k).cloned()).unwrap_or_default(),
            key,
            amounts,
        })
        .collect();
    Ok(AgingResponse {
        group_by: filter.group_by,
        currency: filter.currency.clone(),
        as_of: filter.as_of,
        rows,
        row_count,
        totals,
    })
}

/// Sums of the aging balances in the caller's scope, by customer or owner.
async fn balance_sums(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &AgingFilter,
) -> Result<Vec<Sums>, Error> {
    let key = match filter.group_by {
        AgingGroup::Customer => aging_balance::Column::CustomerId,
        AgingGroup::Owner | AgingGroup::Department => aging_balance::Column::OwnerId,
    };
    let mut query = aging_balance::Entity::find()
        .filter(aging_balance::Column::TenantId.eq(caller.tenant_id))
        .filter(aging_balance::Column::Currency.eq(filter.currency.clone()))
        .filter(Condition::all().add(owned_by_visible(caller, aging_balance::Column::OwnerId)))
        .select_only()
        .column_as(key, "key");
    for (_, column) in BUCKETS {
        query = query.column_as(
            Expr::cust(format!(
                "CAST(SUM(\"aging_balances\".\"{column}\") AS BIGINT)"
            )),
            column,
        );
    }
    grouped(db, query, key).await
}

/// Sums of the open instalments in the caller's scope as of `filter.as_of`.
async fn instalment_sums(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &AgingFilter,
) -> Result<Vec<Sums>, Error> {
    let key = match filter.group_by {
        AgingGroup::Customer => instalment::Column::CustomerId,
        AgingGroup::Owner | AgingGroup::Department => instalment::Column::OwnerId,
    };
    let mut query = open(caller)
        .filter(instalment::Column::Currency.eq(filter.currency.clone()))
        .select_only()
        .column_as(key, "key");
    for (bucket, column) in BUCKETS {
        query = query.column_as(bucket_sum(bucket, filter.as_of), column);
    }
    grouped(db, query, key).await
}

async fn grouped<E: EntityTrait>(
    db: &impl ConnectionTrait,
    sums: Select<E>,
    key: impl ColumnTrait,
) -> Result<Vec<Sums>, Error> {
    sums.group_by(key)
        .into_model::<Sums>()
        .all(db)
        .await
        .map_err(storage)
}

async fn department_names(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, String>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(department::Entity::find()
        .select_only()
        .column(department::Column::Id)
        .column(department::Column::Name)
        .filter(department::Column::TenantId.eq(tenant_id))
        .filter(department::Column::Id.is_in(ids.to_vec()))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .collect())
}

async fn departments_of(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    users: &[Uuid],
) -> Result<HashMap<Uuid, Option<Uuid>>, Error> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DepartmentId)
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Id.is_in(users.to_vec()))
        .into_tuple::<(Uuid, Option<Uuid>)>()
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct ReceivableFilter {
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The department's path: owners in it or below.
    pub department_path: Option<String>,
    pub sales_order_id: Option<Uuid>,
    pub overdue: bool,
    /// With the day it is counted from.
    pub bucket: Option<(AgingBucket, NaiveDate)>,
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
}

pub struct ReceivablePage {
    pub items: Vec<ReceivableResponse>,
    pub next: Option<Cursor>,
    pub total: Option<u64>,
}

fn filtered(caller: &Caller, filter: &ReceivableFilter) -> Select<instalment::Entity> {
    let mut query = open(caller);
    if let Some(v) = filter.customer_id {
        query = query.filter(instalment::Column::CustomerId.eq(v));
    }
    if let Some(v) = filter.owner_id {
        query = query.filter(instalment::Column::OwnerId.eq(v));
    }
    if let Some(path) = &filter.department_path {
        query = query.filter(owned_in_department_tree(
            caller.tenant_id,
            instalment::Column::OwnerId,
            path,
        ));
    }
    if let Some(v) = filter.sales_order_id {
        query = query.filter(instalment::Column::SalesOrderId.eq(v));
    }
    if filter.overdue {
        query = query.filter(instalment::Column::DueDate.lt(today_in_china()));
    }
    if let Some((bucket, as_of)) = filter.bucket {
        query = query.filter(bucket_condition(bucket, as_of));
    }
    if let Some(v) = filter.due_from {
        query = query.filter(instalment::Column::DueDate.gte(v));
    }
    if let Some(v) = filter.due_to {
        query = query.filter(instalment::Column::DueDate.lte(v));
    }
    query
}

/// Open instalments, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &ReceivableFilter,
    limit: u64,
    cursor: Option<&Cursor>,
    include_total: bool,
) -> Result<ReceivablePage, Error> {
    let keys = Keyset {
        column: instalment::Column::CreatedAt,
        kind: KeyKind::Time,
        id: instalment::Column::Id,
        descending: false,
    };
    let (models, next) = keyset::page(db, filtered(caller, filter), keys, limit, cursor, |m| {
        Cursor {
            value: m.created_at.to_rfc3339(),
            id: m.id,
        }
    })
    .await?;
    let total = if include_total {
        Some(filtered(caller, filter).count(db).await.map_err(storage)?)
    } else {
        None
    };
    let order_ids: Vec<Uuid> = models.iter().map(|m| m.sales_order_id).collect();
    let numbers: HashMap<Uuid, String> = if order_ids.is_empty() {
        HashMap::new()
    } else {
        sales_order::Entity::find()
            .select_only()
            .column(sales_order::Column::Id)
            .column(sales_order::Column::Number)
            .filter(sales_order::Column::TenantId.eq(caller.tenant_id))
            .filter(sales_order::Column::Id.is_in(order_ids))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .collect()
    };
    let customers = crate::customers::names(
        db,
        caller.tenant_id,
        models.iter().map(|m| m.customer_id).collect(),
    )
    .await?;
    let owners: Vec<Uuid> = models.iter().map(|m| m.owner_id).collect();
    let owners = crate::users::names(db, caller.tenant_id, &owners).await?;
    let items = models
        .iter()
        .map(|m| {
            Ok(ReceivableResponse {
                instalment: super::response(m)?,
                order_number: numbers.get(&m.sales_order_id).cloned().unwrap_or_default(),
                customer_id: m.customer_id,
                customer_name: customers.get(&m.customer_id).cloned().unwrap_or_default(),
                currency: m.currency.clone(),
                owner_id: m.owner_id,
                owner_name: owners.get(&m.owner_id).cloned().unwrap_or_default(),
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(ReceivablePage { items, next, total })
}

/// A customer's credit figures in CNY.
pub(crate) struct Credit {
    pub credit_limit: Option<Decimal>,
    pub currency: String,
    pub open_receivables: Decimal,
    pub unapplied: Decimal,
}

#[derive(Debug, FromQueryResult)]
struct Sum {
    units: Option<i64>,
}

pub(crate) async fn credit_of(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    customer_id: Uuid,
) -> Result<Credit, Error> {
    let limit = customer::Entity::find_by_id(customer_id)
        .filter(customer::Column::TenantId.eq(tenant_id))
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(Error::NotFound)?
        .credit_limit;
    let owed = instalment::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(SUM(\"instalments\".\"outstanding\") AS BIGINT)"),
            "units",
        )
        .filter(instalment::Column::TenantId.eq(tenant_id))
        .filter(instalment::Column::CustomerId.eq(customer_id))
        .filter(instalment::Column::Currency.eq(DEFAULT_CURRENCY))
        .filter(instalment::Column::Confirmed.eq(true))
        .filter(instalment::Column::Outstanding.gt(0))
        .into_model::<Sum>()
        .one(db)
        .await
        .map_err(storage)?
        .and_then(|s| s.units)
        .unwrap_or_default();
    let unapplied = payment::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(SUM(\"payments\".\"unapplied\") AS BIGINT)"),
            "units",
        )
        .filter(payment::Column::TenantId.eq(tenant_id))
        .filter(payment::Column::CustomerId.eq(customer_id))
        .filter(payment::Column::Currency.eq(DEFAULT_CURRENCY))
        .filter(payment::Column::Unapplied.gt(0))
        .into_model::<Sum>()
        .one(db)
        .await
        .map_err(storage)?
        .and_then(|s| s.units)
        .unwrap_or_default();
    Ok(Credit {
        credit_limit: limit.map(money_from_units),
        currency: DEFAULT_CURRENCY.to_owned(),
        open_receivables: money_from_units(owed - unapplied),
        unapplied: money_from_units(unapplied),
    })
}

fn credit_response(customer_id: Uuid, credit: Credit) -> CustomerCreditResponse {
    CustomerCreditResponse {
        customer_id,
        available: credit.credit_limit.map(|l| l - credit.open_receivables),
        credit_limit: credit.credit_limit,
        currency: credit.currency,
        open_receivables: credit.open_receivables,
        unapplied_payments: credit.unapplied,
    }
}

pub async fn customer_credit(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Uuid,
) -> Result<CustomerCreditResponse, Error> {
    crate::customers::find(db, caller, customer_id).await?;
    let credit = credit_of(db, caller.tenant_id, customer_id).await?;
    Ok(credit_response(customer_id, credit))
}

/// Sets or removes a customer's credit limit (in CNY). Audited; the customer's version moves.
pub async fn set_credit_limit(
    db: &crate::Database,
    caller: &Caller,
    customer_id: Uuid,
    limit: Option<Decimal>,
) -> Result<CustomerCreditResponse, Error> {
    use crm_domain::audit::{AuditAction, diff};
    use sea_orm::TransactionTrait;
    let mut errors = FieldErrors::new();
    if let Some(limit) = limit
        && (limit < Decimal::ZERO || limit > Decimal::from(AMOUNT_MAX) || limit.scale() > 2)
    {
        errors.add(
            "credit_limit",
            Violation::OutOfRange {
                min: 0,
                max: AMOUNT_MAX,
            },
        );
    }
    errors.finish(())?;
    let txn = db.begin().await.map_err(storage)?;
    let model = crate::customers::find(&txn, caller, customer_id).await?;
    let changes = customer::ActiveModel {
        credit_limit: Set(limit.map(to_units)),
        ..Default::default()
    };
    crate::versioned::update::<customer::Entity>(&txn, changes, model.id, model.version, storage)
        .await?;
    let changes = diff(
        &serde_json::json!({"credit_limit": model.credit_limit.map(|u| money_from_units(u).to_string())}),
        &serde_json::json!({"credit_limit": limit.map(|l| l.to_string())}),
    );
    let fields = crate::customers::to_fields(&model)?;
    crate::customers::announce_update(&txn, caller.tenant_id, model.id, &fields, &changes).await?;
    crate::audit::record(
        &txn,
        &crate::audit::Actor::from(caller),
        AuditAction::Updated,
        "customer",
        model.id,
        changes,
    )
    .await?;
    let credit = credit_of(&txn, caller.tenant_id, customer_id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(credit_response(customer_id, credit))
}
