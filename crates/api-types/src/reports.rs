//! Reports (统计分析) managers read every morning. Every report reads what the caller's data
//! scope covers, over a period of whole days in China time (default: this month so far), and
//! narrows by department (with its sub-departments), owner, the customer's region and
//! industry, and product category where that makes sense. Each number can be drilled into:
//! the report says which list shows the records behind it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::opportunities::CurrencyTotal;
use crate::pipelines::StageKind;

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
    /// (and `closed_from`/`closed_to` for won or lost).
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
