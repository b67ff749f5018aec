//! Reports (统计分析) managers read every morning. Every report reads what the caller's data
//! scope covers, over a period of whole days in China time (default: this month so far), and
//! narrows by department (with its sub-departments), owner, the customer's region and
//! industry, and product category where that makes sense. Each number can be drilled into:
//! the report says which list shows the records behind it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::{Month, TargetPeriod};
use crate::imports::FileFormat;
use crate::opportunities::CurrencyTotal;
use crate::pipelines::StageKind;
use crate::targets::{SubjectKind, TargetMetric};

/// `GET /reports/funnel`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct FunnelQuery {
    /// First day of the period (China time); default: the first of `to`'s month.
    pub from: Option<NaiveDate>,
    /// Last day of the period, included; default: today. At most three years after `from`.
    pub to: Option<NaiveDate>,
    /// Defaults to the default pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Opportunities owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The customer's region, as customers store it (e.g. `华东`).
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// Opportunities with a line of a product in this category.
    pub product_category_id: Option<Uuid>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// The sales funnel (销售漏斗): where the pipeline stands now, and how opportunities moved
/// through it during the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelReport {
    pub pipeline_id: Uuid,
    pub pipeline_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// In the pipeline's order: its open stages, then won and lost.
    pub stages: Vec<FunnelStage>,
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelStage {
    pub stage_id: Uuid,
    pub name: String,
    pub kind: StageKind,
    pub probability: u8,
    /// An open stage: the opportunities in it now. Won or lost: those closed in it during
    /// the period. Drill down: `GET /opportunities?stage_id=…` with the report's filters
    /// (and `closed_since`/`closed_to` for won or lost).
    pub count: u64,
    /// `count`'s amounts, one entry per currency, with the probability-weighted amount.
    pub totals: Vec<CurrencyTotal>,
    /// Opportunities that entered the stage during the period (created in it, moved or
    /// reopened into it, won or lost into it).
    pub entered: u64,
    /// Of those, how many have since reached a later open stage or been won. None for won
    /// and lost stages.
    pub advanced: Option<u64>,
    /// `advanced` ÷ `entered`, in percent to one decimal; none when nothing entered.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub conversion_percent: Option<Decimal>,
    /// How long opportunities that left the stage during the period had spent in it, in
    /// days to one decimal; none when none left it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub average_days: Option<Decimal>,
    /// How many left it during the period (what `average_days` averages over).
    pub left: u64,
}

/// What a win-rate report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WinRateGrouping {
    /// The opportunity's owner.
    #[default]
    Owner,
    /// The owner's department.
    Department,
    /// Where the opportunity came from.
    Source,
    /// The customer's industry.
    Industry,
}

/// `GET /reports/win-rate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct WinRateQuery {
    /// `owner` (default), `department`, `source` or `industry`.
    pub group_by: Option<WinRateGrouping>,
    /// First day of the period (China time); default: the first of `to`'s month.
    pub from: Option<NaiveDate>,
    /// Last day of the period, included; default: today.
    pub to: Option<NaiveDate>,
    /// Opportunities owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// Opportunities with a line of a product in this category.
    pub product_category_id: Option<Uuid>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 赢率与销售周期: the opportunities won or lost during the period, per owner, department,
/// source or industry, largest number closed first, and over all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WinRateReport {
    pub group_by: WinRateGrouping,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<WinRateRow>,
    /// Every row together.
    pub total: WinRateRow,
}

/// One group's closed opportunities. Drill down: `GET /opportunities?status=won` (or
/// `lost`) `&closed_since=<from>&closed_to=<to>` and the group's own filter (`owner_id`,
/// `department_id`, `source`, `industry`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WinRateRow {
    /// The owner's or department's id, the source's key or the industry; none for the
    /// total and for opportunities without a source or industry.
    pub key: Option<String>,
    /// The owner's or department's name, or the industry.
    pub name: Option<String>,
    pub won: u64,
    pub lost: u64,
    /// `won ÷ (won + lost)`, in percent to one decimal.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub win_rate_percent: Option<Decimal>,
    /// What was won, per currency.
    pub won_amounts: Vec<MoneyTotal>,
    /// From creation to being won, on average, in days to one decimal; none without wins.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub average_cycle_days: Option<Decimal>,
}

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoneyTotal {
    pub currency: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
}

/// `GET /reports/forecast`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ForecastQuery {
    /// First month (`YYYY-MM`); default: this month.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-12"))]
    pub from: Option<Month>,
    /// Last month, included; default: two months after `from`. At most 36 months in all.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2027-02"))]
    pub to: Option<Month>,
    /// ISO 4217; default `CNY`. Opportunities in other currencies are left out (the report
    /// names the currencies it left out).
    pub currency: Option<String>,
    /// Only this pipeline's opportunities; default: every pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Opportunities owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// Opportunities with a line of a product in this category.
    pub product_category_id: Option<Uuid>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 销售预测: the open pipeline by expected close month, next to what was won in each month
/// and the won-amount target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastReport {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12"))]
    pub from: Month,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2027-02"))]
    pub to: Month,
    pub currency: String,
    /// Open opportunities at this probability or above are "commit" (the tenant's setting
    /// `forecast_commit_probability`).
    pub commit_probability: u8,
    /// Whose won-amount targets `target` reads: the owner or department narrowed to, else
    /// the caller's own department (or the caller, with the `own` data scope); none for a
    /// tenant-wide view, which adds up the top departments' targets.
    pub target_subject: Option<TargetSubject>,
    /// Open opportunities whose expected close date is before `from`: slipped deals.
    pub past_due: ForecastFigures,
    pub months: Vec<ForecastMonth>,
    /// Every month together (`past_due` not included).
    pub total: ForecastFigures,
    /// Currencies of open or won opportunities the report left out.
    pub other_currencies: Vec<String>,
}

/// Whose target a report compares with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetSubject {
    pub kind: SubjectKind,
    pub id: Uuid,
    pub name: String,
}

/// One month of the forecast. Drill down: `GET /opportunities?status=open&close_from=<first
/// day>&close_to=<last day>&currency=…` with the report's narrowing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastMonth {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12"))]
    pub month: Month,
    #[serde(flatten)]
    pub figures: ForecastFigures,
}

/// What the forecast adds up, in the report's currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastFigures {
    /// Open opportunities expected to close then.
    pub open_count: u64,
    /// Their amounts (the total pipeline).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub pipeline: Decimal,
    /// Their amounts weighted by probability.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub weighted: Decimal,
    /// How many of them are at the commit probability or above.
    pub commit_count: u64,
    /// Their amounts.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub commit: Decimal,
    /// Opportunities won then (closed in the month, China time).
    pub won_count: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub won: Decimal,
    /// The won-amount target; none when none is set (a month without a monthly target).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub target: Option<Decimal>,
}

/// `GET /reports/performance`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PerformanceQuery {
    /// Default `won_amount`.
    pub metric: Option<TargetMetric>,
    /// `2026-12` (a month) or `2026-Q4` (a quarter); default: this month.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-Q4"))]
    pub period: Option<TargetPeriod>,
    /// `user` (default): one row per user; `department`: one per department, with what its
    /// sub-departments did.
    pub by: Option<SubjectKind>,
    /// Only users in (or departments at or below) this department.
    pub department_id: Option<Uuid>,
    /// ISO 4217; default `CNY`.
    pub currency: Option<String>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 业绩完成情况: actual against target per user or department, ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceReport {
    pub metric: TargetMetric,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q4"))]
    pub period: TargetPeriod,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: SubjectKind,
    pub currency: String,
    /// Users: by rank. Departments: as a tree (a department, then those below it), ranked
    /// among the departments beside them.
    pub rows: Vec<PerformanceRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceRow {
    pub subject_id: Uuid,
    pub name: String,
    /// A department's parent; none for users and top departments.
    pub parent_id: Option<Uuid>,
    /// 0 for users and the top departments shown, 1 below them, …
    pub depth: u32,
    /// The target for the period: a quarter's own target, or else the sum of its three
    /// monthly targets when all three are set; none when there is none.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub target: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub actual: Decimal,
    /// `actual ÷ target`, in percent to one decimal; none without a target above zero.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub completion_percent: Option<Decimal>,
    /// 1 for the largest actual (among users, or among sibling departments); ties share
    /// a rank.
    pub rank: u32,
}

/// `GET /reports/collections`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CollectionsQuery {
    /// First month (`YYYY-MM`); default: five months before `to`.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-07"))]
    pub from: Option<Month>,
    /// Last month, included; default: this month. At most 36 months in all.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-12"))]
    pub to: Option<Month>,
    /// ISO 4217; default `CNY`.
    pub currency: Option<String>,
    /// Instalments owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 回款分析: per month, what fell due and how much of it has been collected, what came in,
/// and the days sales outstanding over the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionsReport {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-07"))]
    pub from: Month,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12"))]
    pub to: Month,
    pub currency: String,
    pub months: Vec<CollectionMonth>,
    /// Every month together.
    pub total: CollectionFigures,
    pub dso: DaysSalesOutstanding,
}

/// One month's collections. Drill down: `GET /receivables?due_from=<first day>&due_to=<last
/// day>` (what fell due) and `GET /payments?received_from=…&received_to=…` (what came in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionMonth {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12"))]
    pub month: Month,
    #[serde(flatten)]
    pub figures: CollectionFigures,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionFigures {
    /// Instalments of confirmed orders due in the month: their amounts.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub due: Decimal,
    /// What has been paid on those instalments so far.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub collected: Decimal,
    /// `collected ÷ due` (回款率), in percent to one decimal; none when nothing fell due.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub collection_percent: Option<Decimal>,
    /// Payments received in the month, as allocated to instalments (whenever they fall due).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub received: Decimal,
}

/// 应收账款周转天数 (DSO) over the report's period up to today: what is outstanding now ÷
/// what was ordered in the period × the period's days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DaysSalesOutstanding {
    /// Outstanding on instalments of confirmed orders today.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outstanding: Decimal,
    /// Orders dated in the period (confirmed or further, less what was cancelled).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub ordered: Decimal,
    /// Days from the first of `from` to today or the end of `to`, whichever is earlier.
    pub days: u32,
    /// None when nothing was ordered.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub dso_days: Option<Decimal>,
}

/// What an orders report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderGrouping {
    /// The order date's month.
    #[default]
    Month,
    /// The product on the order line (lines without a catalogue product together).
    Product,
    Customer,
}

/// `GET /reports/orders`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OrdersQuery {
    /// `month` (default), `product` or `customer`.
    pub group_by: Option<OrderGrouping>,
    /// First order date (China time); default: the first of `to`'s month.
    pub from: Option<NaiveDate>,
    /// Last order date, included; default: today.
    pub to: Option<NaiveDate>,
    /// ISO 4217; default `CNY`.
    pub currency: Option<String>,
    /// Orders owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// Only lines of products in this category (and its sub-categories).
    pub product_category_id: Option<Uuid>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 订单与交付: orders dated in the period (confirmed or further) by month, product or
/// customer, and how many of the period's shipments left by the date promised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrdersReport {
    pub group_by: OrderGrouping,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    /// Month: in order; product and customer: largest amount first.
    pub rows: Vec<OrdersRow>,
    pub total: OrdersRow,
    pub delivery: DeliveryFigures,
}

/// One group's orders. Month and customer rows add up order totals, less what was
/// cancelled; product rows add up what the customer pays for each line (VAT included, after
/// discounts) and the quantities, as ordered. Drill down: `GET /sales-orders?order_date_from=…&order_date_to=…`
/// with the row's `customer_id` or `product_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrdersRow {
    /// The month (`2026-12`), the product's or customer's id; none for the total and for
    /// lines without a catalogue product.
    pub key: Option<String>,
    /// The product's or customer's name.
    pub name: Option<String>,
    /// How many orders.
    pub orders: u64,
    /// Product rows only: the quantity ordered.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub quantity: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
}

/// 准时交付率: order lines shipped during the period that had a promised date, and how many
/// of those shipments left on or before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryFigures {
    pub shipped_lines: u64,
    pub on_time: u64,
    /// `on_time ÷ shipped_lines`, in percent to one decimal; none when nothing shipped.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub on_time_percent: Option<Decimal>,
}

/// `GET /reports/customer-value`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CustomerValueQuery {
    /// First month (`YYYY-MM`); default: eleven months before `to` (a year in all).
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-01"))]
    pub from: Option<Month>,
    /// Last month, included; default: this month. At most 36 months in all.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "2026-12"))]
    pub to: Option<Month>,
    /// ISO 4217; default `CNY`. Revenue and lifetime amounts count orders in this currency.
    pub currency: Option<String>,
    /// Orders owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// A customer is dormant when their last order is at least this many days old (1–1095,
    /// default 180).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1095, example = 180))]
    pub dormant_days: Option<u32>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 客户价值分析: who the revenue of the period comes from (ABC classes and the top
/// customers), how much of it is from new and from repeat customers, and which customers have
/// stopped ordering. Revenue is what customers ordered (orders confirmed or further, less what
/// was cancelled) in the report's currency, by order date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerValueReport {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-01"))]
    pub from: Month,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12"))]
    pub to: Month,
    pub currency: String,
    /// Customers with revenue in the period.
    pub customers: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub revenue: Decimal,
    /// The top 20 % of `customers` by revenue (rounded up: at least one when there are any).
    pub top_fifth_customers: u64,
    /// Their share of `revenue`, in percent to one decimal (the 80/20 check); none without
    /// revenue.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub top_fifth_revenue_percent: Option<Decimal>,
    /// A, B and C, always all three.
    pub classes: Vec<ValueClassFigures>,
    /// The largest customers of the period (at most 20), by rank.
    pub top: Vec<RankedCustomer>,
    /// Customers whose first order ever is in the period.
    pub new_customers: CustomerCohort,
    /// Customers who had ordered before the period.
    pub repeat_customers: CustomerCohort,
    pub dormant: DormantCustomers,
}

/// A revenue class of the ABC (80/20) analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueClass {
    /// The largest customers that together make the first 80 % of revenue (the one crossing
    /// 80 % included).
    A,
    /// The next ones, up to 95 %.
    B,
    /// The rest.
    C,
}

/// One class's customers and their revenue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValueClassFigures {
    pub class: ValueClass,
    pub customers: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub revenue: Decimal,
    /// Of the period's revenue, in percent to one decimal; none without revenue.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub revenue_percent: Option<Decimal>,
    /// Of the period's customers, in percent to one decimal; none without customers.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub customers_percent: Option<Decimal>,
}

/// A customer among the largest of the period. Drill down: `GET /sales-orders?customer_id=…
/// &order_date_from=<first day>&order_date_to=<last day>` with the report's owner and
/// department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankedCustomer {
    /// 1 for the largest revenue; equal revenues are ranked by the customer's id.
    pub rank: u64,
    pub customer_id: Uuid,
    pub name: String,
    /// The orders counted.
    pub orders: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub revenue: Decimal,
    /// Of the period's revenue, in percent to one decimal.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub revenue_percent: Option<Decimal>,
    /// This customer's and every larger one's, in percent to one decimal.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub cumulative_percent: Option<Decimal>,
    pub class: ValueClass,
}

/// New or repeat customers of the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerCohort {
    pub customers: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub revenue: Decimal,
    /// Of the period's revenue, in percent to one decimal; none without revenue.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub revenue_percent: Option<Decimal>,
}

/// Customers who have ordered but not in the last `dormant_days` days (today in China time),
/// whatever the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DormantCustomers {
    pub dormant_days: u32,
    /// Their last order is on or before this day.
    pub last_order_by: NaiveDate,
    /// How many there are.
    pub count: u64,
    /// The longest dormant first (at most 50).
    pub customers: Vec<DormantCustomer>,
}

/// A customer who stopped ordering. Drill down: `GET /sales-orders?customer_id=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DormantCustomer {
    pub customer_id: Uuid,
    pub name: String,
    /// The customer's owner; none for a customer in the pool (公海).
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub last_order_date: NaiveDate,
    /// Days from the last order to today.
    pub days_since: u32,
    /// Everything the customer ordered, in the report's currency.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub lifetime_revenue: Decimal,
}

/// `GET /reports/lead-sources`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LeadSourcesQuery {
    /// First creation day (China time); default: the first of `to`'s month.
    pub from: Option<NaiveDate>,
    /// Last creation day, included; default: today. At most three years after `from`.
    pub to: Option<NaiveDate>,
    /// Leads owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// The lead's region, as leads store it (e.g. `华东`).
    pub region: Option<String>,
    /// The lead's industry.
    pub industry: Option<String>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 线索来源分析: the leads created in the period, per source, and how far they got:
/// qualified, converted to a customer, and the opportunities won from them (up to now).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadSourcesReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One per source with leads in the period, the most leads first.
    pub rows: Vec<LeadSourceRow>,
    /// Every source together.
    pub total: LeadSourceFigures,
}

/// One source's leads. Drill down: `GET /leads?source=…&created_from=<from, 00:00 China
/// time>&created_to=<the day after to, 00:00 China time>&pool=false` with the report's
/// narrowing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadSourceRow {
    pub source: crate::leads::LeadSource,
    #[serde(flatten)]
    pub figures: LeadSourceFigures,
}

/// What a source's leads came to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadSourceFigures {
    /// Leads created in the period.
    pub leads: u64,
    /// Of those, how many reached qualified (those converted since included, and those
    /// disqualified after being qualified).
    pub qualified: u64,
    /// How many were converted to a customer.
    pub converted: u64,
    /// How many have at least one won opportunity (see `won_opportunities`).
    pub won_leads: u64,
    /// Opportunities won from these leads, whenever they were won: the one opened when the
    /// lead was converted, and the customer's later ones that name no lead (each counted
    /// for the latest lead converted into the customer before it was created).
    pub won_opportunities: u64,
    /// What those opportunities won, per currency.
    pub won_amounts: Vec<MoneyTotal>,
    /// `qualified ÷ leads`, in percent to one decimal; none without leads.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub qualified_percent: Option<Decimal>,
    /// `converted ÷ leads`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub converted_percent: Option<Decimal>,
    /// `won_leads ÷ qualified`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub qualified_won_percent: Option<Decimal>,
    /// `won_leads ÷ leads`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub won_percent: Option<Decimal>,
}

/// `GET /reports/activity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ActivityQuery {
    /// First day of the period (China time); default: the first of `to`'s month.
    pub from: Option<NaiveDate>,
    /// Last day of the period, included; default: today. At most three years after `from`.
    pub to: Option<NaiveDate>,
    /// Activities recorded by (and idle customers owned by) people in this department or
    /// one below it.
    pub department_id: Option<Uuid>,
    /// Activities recorded by this user; idle customers owned by them.
    pub owner_id: Option<Uuid>,
    /// A customer is idle when not followed up for more than this many days, 1–3650
    /// (default 30).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 3650))]
    pub idle_days: Option<u32>,
    /// `csv` or `xlsx`: the report as a file to download (the rows of its table, headers in
    /// the caller's language); left out: JSON.
    pub format: Option<FileFormat>,
}

/// 跟进分析: follow-ups recorded per rep and ISO week (Monday to Sunday, China time) over the
/// period, and the customers nobody has followed up for `idle_days`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every week the period touches, in order, with its follow-ups (the first and last
    /// weeks count only their days within the period).
    pub weeks: Vec<ActivityWeek>,
    /// Each user who recorded follow-ups in the period, the most first.
    pub reps: Vec<ActivityRep>,
    /// Follow-ups in the period per kind (kinds without any left out).
    pub kinds: Vec<ActivityKindCount>,
    /// Every follow-up in the period.
    pub total: u64,
    pub idle: IdleCustomers,
}

/// One ISO week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityWeek {
    /// `2026-W50`: the ISO week-numbering year and week.
    #[cfg_attr(feature = "openapi", schema(example = "2026-W50"))]
    pub week: String,
    /// Its Monday.
    pub starts_on: NaiveDate,
    /// Its follow-ups (all reps).
    pub count: u64,
}

/// One rep's follow-ups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityRep {
    /// Who recorded them.
    pub user_id: Uuid,
    pub name: String,
    /// One count per entry of the report's `weeks`, in the same order.
    pub weeks: Vec<u64>,
    /// Per kind (kinds without any left out).
    pub kinds: Vec<ActivityKindCount>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityKindCount {
    pub kind: crate::activities::ActivityKind,
    pub count: u64,
}

/// Owned customers whose last follow-up (or, never followed up, their creation) is more
/// than `idle_days` ago, as of now. Drill down: `GET /customers?idle_days=…` with the
/// report's `owner_id` and `department_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdleCustomers {
    pub idle_days: u32,
    /// How many there are.
    pub count: u64,
    /// The longest idle first, at most 50.
    pub customers: Vec<IdleCustomer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdleCustomer {
    pub id: Uuid,
    pub name: String,
    pub owner_id: Uuid,
    pub owner_name: String,
    /// The last follow-up; none when never followed up.
    pub last_activity_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Whole days since the last follow-up, or since the customer was created.
    pub idle_days: u32,
}
