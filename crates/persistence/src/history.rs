//! Two years of sales history for a demo or benchmark tenant, bulk-inserted: leads (some
//! qualified and converted into the customers), follow-ups with the customers, opportunities
//! that moved through the default pipeline (with their stage changes) and were won, lost or
//! are still open; sales orders with lines, a shipment, four instalments and the payments on
//! them. Written straight into the tables (as an import of history would be), not through the
//! services: no audit entries, events or approvals, so a million rows take minutes.
//!
//! Everything is a deterministic function of the row's number, so two databases seeded with
//! the same counts hold the same figures (the benchmark compares them).

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use crm_api_types::activities::ActivityKind;
use crm_api_types::leads::{LeadSource, LeadStatus};
use crm_api_types::opportunities::{OpportunityKind, StageChangeKind};
use crm_api_types::pipelines::StageKind;
use crm_domain::Error;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, Iterable, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::Database;
use crate::entities::{
    activity, customer, instalment, lead, opportunity, payment, payment_allocation, product,
    sales_order, sales_order_line, shipment, shipment_line, stage_change,
};
use crate::error::storage;
use crate::pipelines::Stage;

/// How much history to create.
#[derive(Debug, Clone, Copy)]
pub struct HistorySize {
    pub leads: usize,
    /// Follow-ups logged by the customers' owners.
    pub activities: usize,
    pub opportunities: usize,
    /// Each order has four lines and four instalments.
    pub orders: usize,
}

/// What was created.
#[derive(Debug, Default)]
pub struct HistoryCounts {
    pub leads: usize,
    pub activities: usize,
    pub opportunities: usize,
    pub stage_changes: usize,
    pub orders: usize,
    pub order_lines: usize,
    pub shipments: usize,
    pub instalments: usize,
    pub payments: usize,
}

/// How far back the history reaches.
const DAYS: u64 = 730;
/// Rows per transaction: big enough to amortise the commit, small enough to keep memory flat.
const ROWS_PER_TRANSACTION: usize = 20_000;
/// Bind parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535.
const PARAMETERS: usize = 30_000;
const LINES_PER_ORDER: usize = 4;
const INSTALMENTS_PER_ORDER: i64 = 4;
const SOURCES: [LeadSource; 7] = [
    LeadSource::Phone,
    LeadSource::Referral,
    LeadSource::Exhibition,
    LeadSource::Website,
    LeadSource::DesignInstitute,
    LeadSource::Campaign,
    LeadSource::Other,
];
const ACTIVITY_KINDS: [ActivityKind; 6] = [
    ActivityKind::Call,
    ActivityKind::Visit,
    ActivityKind::Email,
    ActivityKind::Meeting,
    ActivityKind::Wechat,
    ActivityKind::Other,
];

/// Seeds `size` of history over `accounts` (customer, owner), as of `today`.
pub async fn seed(
    db: &Database,
    tenant_id: Uuid,
    accounts: &[(Uuid, Uuid)],
    size: HistorySize,
    today: NaiveDate,
) -> Result<HistoryCounts, Error> {
    let mut counts = HistoryCounts::default();
    if accounts.is_empty() {
        return Ok(counts);
    }
    let pipeline = crate::pipelines::chosen(db, tenant_id, None).await?;
    let products = product::Entity::find()
        .filter(product::Column::TenantId.eq(tenant_id))
        .filter(product::Column::DeletedAt.is_null())
        .order_by_asc(product::Column::Code)
        .limit(200)
        .all(db)
        .await
        .map_err(storage)?;
    let deals = Deals::new(tenant_id, pipeline.id, &pipeline.stages, today)?;
    let mut batch = Batch::default();
    let leads = Leads {
        tenant_id,
        customers: customers(db, tenant_id, accounts).await?,
        today,
    };
    for l in 0..size.leads {
        leads.add(l as u64, accounts[(l * 3) % accounts.len()], &mut batch);
        if batch.len() >= ROWS_PER_TRANSACTION || l + 1 == size.leads {
            batch.flush(db, &mut counts).await?;
        }
    }
    for a in 0..size.activities {
        let account = accounts[pick(a as u64, 70, accounts.len() as u64) as usize];
        follow_up(tenant_id, a as u64, account, today, &mut batch);
        if batch.len() >= ROWS_PER_TRANSACTION || a + 1 == size.activities {
            batch.flush(db, &mut counts).await?;
        }
    }
    if size.activities > 0 {
        last_followed_up(db, tenant_id).await?;
    }
    for i in 0..size.opportunities {
        deals.add(i as u64, accounts[i % accounts.len()], &mut batch);
        if batch.len() >= ROWS_PER_TRANSACTION || i + 1 == size.opportunities {
            batch.flush(db, &mut counts).await?;
        }
    }
    // Written straight into the tables, the deals are summed into their rollups once.
    let txn = db.begin().await.map_err(storage)?;
    crate::rollups::rebuild::<crate::rollups::deals::Deals>(&txn, tenant_id).await?;
    txn.commit().await.map_err(storage)?;
    if products.is_empty() {
        return Ok(counts);
    }
    let orders = Orders {
        tenant_id,
        products: &products,
        today,
    };
    for j in 0..size.orders {
        orders.add(j as u64, accounts[(j * 7) % accounts.len()], &mut batch);
        if batch.len() >= ROWS_PER_TRANSACTION || j + 1 == size.orders {
            batch.flush(db, &mut counts).await?;
        }
    }
    let txn = db.begin().await.map_err(storage)?;
    crate::rollups::rebuild::<crate::rollups::orders::Orders>(&txn, tenant_id).await?;
    txn.commit().await.map_err(storage)?;
    Ok(counts)
}

/// A number in `0..n` drawn from the row's number and a salt (SplitMix64).
fn pick(row: u64, salt: u64, n: u64) -> u64 {
    let mut z = row
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % n.max(1)
}

fn days_ago(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

fn days_after(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

/// 10:00 in China on `day`, in UTC.
fn morning(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(2, 0, 0).unwrap_or_default())
        .and_utc()
}

/// The rows of one transaction, table by table (in the order foreign keys need).
#[derive(Default)]
struct Batch {
    leads: Vec<lead::ActiveModel>,
    activities: Vec<activity::ActiveModel>,
    opportunities: Vec<opportunity::ActiveModel>,
    stage_changes: Vec<stage_change::ActiveModel>,
    orders: Vec<sales_order::ActiveModel>,
    lines: Vec<sales_order_line::ActiveModel>,
    shipments: Vec<shipment::ActiveModel>,
    shipment_lines: Vec<shipment_line::ActiveModel>,
    instalments: Vec<instalment::ActiveModel>,
    payments: Vec<payment::ActiveModel>,
    allocations: Vec<payment_allocation::ActiveModel>,
}

impl Batch {
    fn len(&self) -> usize {
        self.leads.len()
            + self.activities.len()
            + self.opportunities.len()
            + self.stage_changes.len()
            + self.lines.len()
    }

    async fn flush(&mut self, db: &Database, counts: &mut HistoryCounts) -> Result<(), Error> {
        let txn = db.begin().await.map_err(storage)?;
        counts.leads += insert(&txn, std::mem::take(&mut self.leads)).await?;
        counts.activities += insert(&txn, std::mem::take(&mut self.activities)).await?;
        counts.opportunities += insert(&txn, std::mem::take(&mut self.opportunities)).await?;
        counts.stage_changes += insert(&txn, std::mem::take(&mut self.stage_changes)).await?;
        counts.orders += insert(&txn, std::mem::take(&mut self.orders)).await?;
        counts.order_lines += insert(&txn, std::mem::take(&mut self.lines)).await?;
        counts.shipments += insert(&txn, std::mem::take(&mut self.shipments)).await?;
        insert(&txn, std::mem::take(&mut self.shipment_lines)).await?;
        counts.instalments += insert(&txn, std::mem::take(&mut self.instalments)).await?;
        counts.payments += insert(&txn, std::mem::take(&mut self.payments)).await?;
        insert(&txn, std::mem::take(&mut self.allocations)).await?;
        txn.commit().await.map_err(storage)
    }
}

/// Inserts `rows` in statements of as many rows as the bind parameters allow.
async fn insert<A>(db: &impl sea_orm::ConnectionTrait, rows: Vec<A>) -> Result<usize, Error>
where
    A: ActiveModelTrait + Send + Clone,
{
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    for chunk in rows.chunks(PARAMETERS / columns) {
        <A::Entity as EntityTrait>::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
    Ok(rows.len())
}

/// What a lead copies from the customer it became: name, region and industry.
type Customers = std::collections::HashMap<Uuid, (String, Option<String>, Option<String>)>;

async fn customers(
    db: &Database,
    tenant_id: Uuid,
    accounts: &[(Uuid, Uuid)],
) -> Result<Customers, Error> {
    let mut found = Customers::new();
    for chunk in accounts.chunks(10_000) {
        let rows = customer::Entity::find()
            .filter(customer::Column::TenantId.eq(tenant_id))
            .filter(customer::Column::Id.is_in(chunk.iter().map(|(id, _)| *id)))
            .all(db)
            .await
            .map_err(storage)?;
        found.extend(
            rows.into_iter()
                .map(|c| (c.id, (c.name, c.region, c.industry))),
        );
    }
    Ok(found)
}

/// Leads of the last two years from every source, owned by the rep of the customer they were
/// about. A week after arriving, each was worked on; after three, 35% had been disqualified,
/// 10% were qualified and waiting, and 30% converted into that customer within a month.
struct Leads {
    tenant_id: Uuid,
    customers: Customers,
    today: NaiveDate,
}

impl Leads {
    fn add(&self, l: u64, (customer_id, owner_id): (Uuid, Uuid), batch: &mut Batch) {
        let age = pick(l, 80, DAYS) + 1;
        let created =
            morning(days_ago(self.today, age)) + TimeDelta::seconds(pick(l, 81, 28_800) as i64);
        let fate = pick(l, 82, 100);
        let status = match (age, fate) {
            (0..=7, _) => LeadStatus::New,
            (8..=21, _) | (_, 0..=24) => LeadStatus::Working,
            (_, 25..=59) => LeadStatus::Disqualified,
            (_, 60..=69) => LeadStatus::Qualified,
            _ => LeadStatus::Converted,
        };
        let worked_days = 1 + pick(l, 83, 20).min(age - 1);
        let qualified_at = matches!(status, LeadStatus::Qualified | LeadStatus::Converted)
            .then(|| created + TimeDelta::days(worked_days as i64));
        let converted_at = (status == LeadStatus::Converted).then(|| {
            created + TimeDelta::days((worked_days + pick(l, 84, 10)).min(age - 1) as i64)
        });
        let (name, region, industry) = self
            .customers
            .get(&customer_id)
            .cloned()
            .unwrap_or_else(|| (format!("历史线索 {}", l + 1), None, None));
        batch.leads.push(
            lead::Model {
                id: Uuid::now_v7(),
                tenant_id: self.tenant_id,
                company_name: name,
                contact_name: "联系人".to_owned(),
                title: None,
                phone: None,
                mobile: None,
                email: None,
                source: SOURCES[pick(l, 85, SOURCES.len() as u64) as usize]
                    .as_str()
                    .to_owned(),
                region,
                industry,
                status: status.as_str().to_owned(),
                owner_id: Some(owner_id),
                notes: None,
                disqualify_reason: (status == LeadStatus::Disqualified)
                    .then(|| "no_budget".to_owned()),
                disqualify_note: None,
                qualified_at,
                converted_at,
                customer_id: converted_at.map(|_| customer_id),
                contact_id: None,
                last_activity_at: None,
                version: 1,
                created_at: created,
                updated_at: converted_at.or(qualified_at).unwrap_or(created),
                created_by: owner_id,
                deleted_at: None,
            }
            .into_active_model(),
        );
    }
}

/// A follow-up with a customer by its owner, on a day of the last two years.
fn follow_up(
    tenant_id: Uuid,
    a: u64,
    (customer_id, owner_id): (Uuid, Uuid),
    today: NaiveDate,
    batch: &mut Batch,
) {
    let occurred_at = morning(days_ago(today, pick(a, 71, DAYS) + 1))
        + TimeDelta::seconds(pick(a, 72, 28_800) as i64);
    let kind = ACTIVITY_KINDS[pick(a, 73, ACTIVITY_KINDS.len() as u64) as usize];
    batch.activities.push(
        activity::Model {
            id: Uuid::now_v7(),
            tenant_id,
            kind: kind.as_str().to_owned(),
            occurred_at,
            subject: "例行跟进".to_owned(),
            notes: None,
            outcome: None,
            lead_id: None,
            customer_id: Some(customer_id),
            opportunity_id: None,
            contact_ids: serde_json::json!([]),
            next_follow_up_on: None,
            version: 1,
            created_at: occurred_at,
            updated_at: occurred_at,
            created_by: owner_id,
            deleted_at: None,
        }
        .into_active_model(),
    );
}

/// Each customer's last follow-up, as logging them one by one would have kept it.
async fn last_followed_up(db: &Database, tenant_id: Uuid) -> Result<(), Error> {
    customer::Entity::update_many()
        .col_expr(
            customer::Column::LastActivityAt,
            Expr::cust(
                "(SELECT MAX(\"activities\".\"occurred_at\") FROM \"activities\" \
                 WHERE \"activities\".\"tenant_id\" = \"customers\".\"tenant_id\" \
                 AND \"activities\".\"customer_id\" = \"customers\".\"id\" \
                 AND \"activities\".\"deleted_at\" IS NULL)",
            ),
        )
        .filter(customer::Column::TenantId.eq(tenant_id))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// Opportunities on the default pipeline: each entered the first open stage when created and
/// moved up some of the open stages within a sales cycle of one to six months; those whose
/// cycle has ended were won or lost (but for 3% left open past their expected close).
struct Deals<'a> {
    tenant_id: Uuid,
    open: Vec<&'a Stage>,
    won: &'a Stage,
    lost: &'a Stage,
    today: NaiveDate,
    pipeline_id: Uuid,
}

impl<'a> Deals<'a> {
    fn new(
        tenant_id: Uuid,
        pipeline_id: Uuid,
        stages: &'a [Stage],
        today: NaiveDate,
    ) -> Result<Self, Error> {
        let of = |kind| stages.iter().find(|s| s.kind == kind);
        let open: Vec<&Stage> = stages
            .iter()
            .filter(|s| s.kind == StageKind::Open)
            .collect();
        match (of(StageKind::Won), of(StageKind::Lost), open.is_empty()) {
            (Some(won), Some(lost), false) => Ok(Self {
                tenant_id,
                open,
                won,
                lost,
                today,
                pipeline_id,
            }),
            _ => Err(Error::Conflict {
                code: "pipeline_incomplete",
                field: None,
            }),
        }
    }

    fn add(&self, i: u64, (customer_id, owner_id): (Uuid, Uuid), batch: &mut Batch) {
        let age = pick(i, 1, DAYS) + 1;
        let created =
            morning(days_ago(self.today, age)) + TimeDelta::seconds(pick(i, 2, 28_800) as i64);
        // A sales cycle of one to six months; a deal past it is closed, but for a few stale
        // ones still open (overdue in the forecast).
        let cycle = 30 + pick(i, 4, 151);
        let closes = cycle < age && pick(i, 11, 100) >= 3;
        let reached = pick(i, 3, self.open.len() as u64) as usize;
        let won = pick(i, 5, 100) < 20 + 12 * reached as u64;
        let last = match (closes, won) {
            (false, _) => self.open[reached],
            (true, true) => self.won,
            (true, false) => self.lost,
        };
        let steps = reached + usize::from(closes);
        // The moves share the cycle (or the time since creation, when shorter), in random
        // proportions, ending before its end.
        let weights: Vec<i64> = (0..steps)
            .map(|s| 1 + pick(i, 10 + s as u64, 4) as i64)
            .collect();
        let span = (cycle.min(age) as i64 * 86_400 - 36_000).max(steps as i64 + 1);
        let share = span / (weights.iter().sum::<i64>() + 1);
        let id = Uuid::now_v7();
        let mut at = created;
        let mut from: Option<&Stage> = None;
        let path = self.open[..=reached]
            .iter()
            .copied()
            .chain(closes.then_some(last));
        for (step, stage) in path.enumerate() {
            let seconds = from.map(|_| share * weights[step - 1]);
            at += TimeDelta::seconds(seconds.unwrap_or(0));
            let kind = match (from, stage.kind) {
                (None, _) => StageChangeKind::Created,
                (_, StageKind::Won) => StageChangeKind::Won,
                (_, StageKind::Lost) => StageChangeKind::Lost,
                _ => StageChangeKind::Moved,
            };
            batch.stage_changes.push(
                stage_change::Model {
                    id: Uuid::now_v7(),
                    tenant_id: self.tenant_id,
                    opportunity_id: id,
                    kind: kind.as_str().to_owned(),
                    from_stage_id: from.map(|s| s.id),
                    to_stage_id: stage.id,
                    seconds_in_previous: seconds,
                    probability: i16::from(stage.probability),
                    note: None,
                    changed_by: owner_id,
                    changed_at: at,
                    first_entry: true,
                    // Every open stage but the last one reached was left for a further one;
                    // the last one too when the deal was won.
                    advanced: stage.kind == StageKind::Open
                        && (step < reached || last.kind == StageKind::Won),
                }
                .into_active_model(),
            );
            from = Some(stage);
        }
        let closed_at = closes.then_some(at);
        let close_day = (at + TimeDelta::hours(8)).date_naive();
        let expected = if closes {
            close_day
        } else {
            (created + TimeDelta::days(cycle as i64)).date_naive()
        };
        let amount = (10_000 + pick(i, 7, 4_990_000) as i64) * 10_000;
        let kind = if pick(i, 8, 3) == 0 {
            OpportunityKind::Project
        } else {
            OpportunityKind::Simple
        };
        let status = match last.kind {
            StageKind::Won => "won",
            StageKind::Lost => "lost",
            StageKind::Open => "open",
        };
        batch.opportunities.push(
            opportunity::Model {
                id,
                tenant_id: self.tenant_id,
                name: format!("历史商机 {}", i + 1),
                customer_id,
                pipeline_id: self.pipeline_id,
                stage_id: last.id,
                status: status.to_owned(),
                probability: i16::from(last.probability),
                amount,
                entered_amount: amount,
                amount_from_lines: false,
                currency: "CNY".to_owned(),
                expected_close_date: expected,
                kind: kind.as_str().to_owned(),
                source: Some(
                    SOURCES[pick(i, 9, SOURCES.len() as u64) as usize]
                        .as_str()
                        .to_owned(),
                ),
                lead_id: None,
                owner_id,
                next_step: None,
                description: None,
                competitors: "[]".to_owned(),
                partners: "[]".to_owned(),
                lost_reason: (last.kind == StageKind::Lost).then(|| "price".to_owned()),
                lost_note: None,
                winning_competitor: None,
                won_on: (last.kind == StageKind::Won).then_some(close_day),
                closed_at,
                stage_entered_at: at,
                created_by: owner_id,
                deleted_at: None,
                version: 1,
                created_at: created,
                updated_at: at,
            }
            .into_active_model(),
        );
    }
}

/// Sales orders of four catalogue lines, confirmed over the last two years. Those confirmed
/// more than 30 days ago went out in one shipment 20 to 40 days after confirmation (promised
/// at 30: about half on time), signed for a week later when older than 90 days. Four
/// instalments of a quarter each fall due 30, 60, 90 and 120 days after confirmation; most
/// of those due more than 20 days ago were paid, each by its own payment, around the due date.
struct Orders<'a> {
    tenant_id: Uuid,
    products: &'a [product::Model],
    today: NaiveDate,
}

impl Orders<'_> {
    fn add(&self, j: u64, (customer_id, owner_id): (Uuid, Uuid), batch: &mut Batch) {
        let tenant_id = self.tenant_id;
        let age = pick(j, 21, DAYS) + 1;
        let confirmed_on = days_ago(self.today, age);
        let confirmed_at = morning(confirmed_on);
        let promised = days_after(confirmed_on, 30);
        let shipped_on =
            Some(days_after(confirmed_on, 20 + pick(j, 22, 21))).filter(|d| *d <= self.today);
        let accepted_on = shipped_on
            .map(|d| days_after(d, 7))
            .filter(|_| age > 90)
            .filter(|d| *d <= self.today);
        let id = Uuid::now_v7();
        let shipment_id = Uuid::now_v7();
        let mut total = 0;
        for k in 0..LINES_PER_ORDER {
            let product =
                &self.products[pick(j, 30 + k as u64, self.products.len() as u64) as usize];
            let quantity = (1 + pick(j, 40 + k as u64, 10) as i64) * 10_000;
            let net = quantity / 10_000 * product.list_price;
            total += net;
            let line_id = Uuid::now_v7();
            let shipped = if shipped_on.is_some() { quantity } else { 0 };
            batch.lines.push(
                sales_order_line::Model {
                    id: line_id,
                    tenant_id,
                    sales_order_id: id,
                    position: k as i32,
                    product_id: Some(product.id),
                    product_code: Some(product.code.clone()),
                    name: product.name.clone(),
                    spec: product.spec.clone(),
                    description: None,
                    quantity,
                    unit: product.unit.clone(),
                    list_price: Some(product.list_price),
                    unit_price: product.list_price,
                    price_source: Some("list".to_owned()),
                    discount_percent: 0,
                    vat_rate: product.vat_rate.clone(),
                    net_amount: net,
                    promised_date: Some(promised),
                    shipped_quantity: shipped,
                    delivered_quantity: if accepted_on.is_some() { shipped } else { 0 },
                    cancelled_quantity: 0,
                    open_quantity: quantity - shipped,
                }
                .into_active_model(),
            );
            if shipped_on.is_some() {
                batch.shipment_lines.push(
                    shipment_line::Model {
                        id: Uuid::now_v7(),
                        tenant_id,
                        shipment_id,
                        order_line_id: line_id,
                        quantity,
                    }
                    .into_active_model(),
                );
            }
        }
        if let Some(shipped_on) = shipped_on {
            batch.shipments.push(
                shipment::Model {
                    id: shipment_id,
                    tenant_id,
                    external_source: None,
                    external_id: None,
                    sales_order_id: id,
                    number: format!("SH-H-{:08}", j + 1),
                    status: if accepted_on.is_some() {
                        "delivered"
                    } else {
                        "shipped"
                    }
                    .to_owned(),
                    shipped_on,
                    carrier: None,
                    tracking_number: None,
                    note: None,
                    delivered_on: accepted_on,
                    received_by: None,
                    delivered_by: None,
                    delivered_at: accepted_on.map(morning),
                    line_count: LINES_PER_ORDER as i32,
                    created_by: owner_id,
                    version: 1,
                    created_at: morning(shipped_on),
                    updated_at: morning(shipped_on),
                }
                .into_active_model(),
            );
        }
        let mut received = 0;
        let share = total / INSTALMENTS_PER_ORDER;
        for k in 0..INSTALMENTS_PER_ORDER {
            let days = 30 * (k as u64 + 1);
            let due = days_after(confirmed_on, days);
            let amount = if k + 1 == INSTALMENTS_PER_ORDER {
                total - share * (INSTALMENTS_PER_ORDER - 1)
            } else {
                share
            };
            let paid_on = Some(days_after(days_ago(due, 5), pick(j, 50 + k as u64, 30)))
                .filter(|_| days_after(due, 20) < self.today && pick(j, 60 + k as u64, 100) < 85)
                .map(|d| d.min(self.today));
            let paid = if paid_on.is_some() { amount } else { 0 };
            received += paid;
            let instalment_id = Uuid::now_v7();
            batch.instalments.push(
                instalment::Model {
                    id: instalment_id,
                    tenant_id,
                    sales_order_id: id,
                    customer_id,
                    owner_id,
                    currency: "CNY".to_owned(),
                    position: k as i32,
                    name: format!("第{}期", k + 1),
                    percent: Some(250_000),
                    amount,
                    due_rule: format!(
                        r#"{{"kind":"after_event","event":"order_confirmed","days":{days}}}"#
                    ),
                    due_date: Some(due),
                    paid_amount: paid,
                    outstanding: amount - paid,
                    confirmed: true,
                    overdue_announced: due < self.today && paid < amount,
                    version: 1,
                    created_at: confirmed_at,
                    updated_at: paid_on.map_or(confirmed_at, morning),
                }
                .into_active_model(),
            );
            if let Some(paid_on) = paid_on {
                let payment_id = Uuid::now_v7();
                batch.payments.push(
                    payment::Model {
                        id: payment_id,
                        tenant_id,
                        external_source: None,
                        external_id: None,
                        number: format!("RC-H-{:08}-{}", j + 1, k + 1),
                        customer_id,
                        received_on: paid_on,
                        amount,
                        currency: "CNY".to_owned(),
                        method: "bank_transfer".to_owned(),
                        reference: None,
                        note: None,
                        allocated: amount,
                        unapplied: 0,
                        created_by: owner_id,
                        version: 1,
                        created_at: morning(paid_on),
                        updated_at: morning(paid_on),
                    }
                    .into_active_model(),
                );
                batch.allocations.push(
                    payment_allocation::Model {
                        id: Uuid::now_v7(),
                        tenant_id,
                        payment_id,
                        instalment_id,
                        sales_order_id: id,
                        amount,
                        created_by: owner_id,
                        created_at: morning(paid_on),
                    }
                    .into_active_model(),
                );
            }
        }
        let excl_vat = total * 100 / 113;
        let status = match (shipped_on, accepted_on) {
            (None, _) => "confirmed",
            (Some(_), None) => "shipped",
            (Some(_), Some(_)) => "completed",
        };
        batch.orders.push(
            sales_order::Model {
                id,
                tenant_id,
                external_source: None,
                external_id: None,
                number: format!("SO-H-{:08}", j + 1),
                customer_id,
                contact_id: None,
                quote_id: None,
                contract_id: None,
                title: None,
                currency: "CNY".to_owned(),
                order_date: confirmed_on,
                customer_po: None,
                shipping_address: None,
                payment_terms: None,
                delivery_terms: None,
                notes: None,
                internal_note: None,
                header_discount_percent: 0,
                lines_total: total,
                total_excl_vat: excl_vat,
                vat_amount: total - excl_vat,
                total,
                max_discount_percent: 0,
                cancelled_amount: 0,
                received_amount: received,
                invoiced_amount: 0,
                status: status.to_owned(),
                approval_id: None,
                owner_id,
                next_promised_date: shipped_on.is_none().then_some(promised),
                confirmed_on: Some(confirmed_on),
                first_shipped_on: shipped_on,
                fully_shipped_on: shipped_on,
                accepted_on,
                confirmed_at: Some(confirmed_at),
                cancelled_at: None,
                cancel_reason: None,
                created_by: owner_id,
                deleted_at: None,
                version: 1,
                created_at: confirmed_at,
                updated_at: confirmed_at,
            }
            .into_active_model(),
        );
    }
}
