//! Opportunities (商机/项目): the deal from first contact to won or lost, with its product
//! lines, decision chain, team, competitors and stage history.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::customers::DecisionRole;
use crate::leads::LeadSource;
use crate::pipelines::StageKind;
use crate::products::{PriceSource, VatRate};

/// 一般销售 or 项目型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpportunityKind {
    /// 一般销售
    Simple,
    /// 项目型: a team, partners, competitors and a decision chain are expected.
    Project,
}

crate::keyed!(OpportunityKind {
    Simple => "simple",
    Project => "project",
});

/// One person of the customer in the decision (决策链).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionContact {
    pub contact_id: Uuid,
    /// Filled in responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub role: DecisionRole,
    #[serde(default)]
    pub note: Option<String>,
}

/// A colleague working on the opportunity; members see it and may work on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub user_id: Uuid,
    /// Filled in responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// e.g. 售前工程师, 商务; at most 30 characters.
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Competitor {
    pub name: String,
    /// Their offered price, when known.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub price: Option<Decimal>,
    #[serde(default)]
    pub strengths: Option<String>,
    #[serde(default)]
    pub weaknesses: Option<String>,
}

/// A partner on the deal: a distributor, an integrator, a design institute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpportunityLineResponse {
    pub product_id: Uuid,
    pub product_code: String,
    pub product_name: String,
    pub spec: Option<String>,
    pub unit: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quantity: Decimal,
    /// The product's list price when the line was priced.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub list_price: Decimal,
    /// Before discount.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Decimal,
    /// Where `unit_price` came from; `null` when entered by hand.
    pub price_source: Option<PriceSource>,
    /// 0–100, percent off `unit_price`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub discount_percent: Decimal,
    pub vat_rate: VatRate,
    /// quantity × unit_price × (1 − discount), rounded to the cent; VAT included.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpportunityLineRequest {
    pub product_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2"))]
    pub quantity: Decimal,
    /// Leave out to take the price the customer's price lists give (or the list price).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_price: Option<Decimal>,
    /// Defaults to 0.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub discount_percent: Option<Decimal>,
}

/// What lists and the board show of an opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpportunitySummary {
    pub id: Uuid,
    pub name: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub stage_name: String,
    pub stage_kind: StageKind,
    pub probability: u8,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "536000.00"))]
    pub amount: Decimal,
    /// amount × probability.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "268000.00"))]
    pub weighted_amount: Decimal,
    pub currency: String,
    pub expected_close_date: NaiveDate,
    pub kind: OpportunityKind,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub next_step: Option<String>,
    /// When it entered its current stage.
    pub stage_entered_at: DateTime<Utc>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpportunityResponse {
    #[serde(flatten)]
    pub summary: OpportunitySummary,
    /// The amount is the lines' total whenever there are lines.
    pub amount_from_lines: bool,
    pub source: Option<LeadSource>,
    /// The lead it was converted from.
    pub lead_id: Option<Uuid>,
    pub lost_reason: Option<String>,
    pub lost_note: Option<String>,
    pub winning_competitor: Option<String>,
    pub won_on: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
    pub description: Option<String>,
    pub lines: Vec<OpportunityLineResponse>,
    pub contacts: Vec<DecisionContact>,
    pub team: Vec<TeamMember>,
    pub competitors: Vec<Competitor>,
    pub partners: Vec<Partner>,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "精工机械 二期产线改造", "customer_id": "01936f0e-0000-7000-8000-000000000002",
    "expected_close_date": "2027-03-31", "kind": "project", "amount": "1200000.00"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateOpportunityRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub customer_id: Uuid,
    /// Defaults to the tenant's default pipeline.
    #[serde(default)]
    pub pipeline_id: Option<Uuid>,
    /// An open stage of the pipeline; defaults to its first stage.
    #[serde(default)]
    pub stage_id: Option<Uuid>,
    /// Defaults to the stage's probability.
    #[serde(default)]
    pub probability: Option<u8>,
    /// Entered amount; ignored in favour of the lines' total when lines are given.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    /// Defaults to `CNY`.
    #[serde(default)]
    pub currency: Option<String>,
    pub expected_close_date: NaiveDate,
    /// Defaults to `simple`.
    #[serde(default)]
    pub kind: Option<OpportunityKind>,
    #[serde(default)]
    pub source: Option<LeadSource>,
    /// Defaults to the caller; a user the caller's data scope covers.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub next_step: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: Option<String>,
    /// At most 200 lines.
    #[serde(default)]
    pub lines: Vec<OpportunityLineRequest>,
    #[serde(default)]
    pub contacts: Vec<DecisionContact>,
    #[serde(default)]
    pub team: Vec<TeamMember>,
    #[serde(default)]
    pub competitors: Vec<Competitor>,
    #[serde(default)]
    pub partners: Vec<Partner>,
}

/// Fields left out stay as they are; `null` clears an optional field; a list given replaces
/// the current one. The stage changes only through `POST /opportunities/{id}/stage`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOpportunityRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_close_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OpportunityKind>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<LeadSource>, nullable))]
    pub source: Option<Option<LeadSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub next_step: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub description: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<OpportunityLineRequest>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<DecisionContact>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Vec<TeamMember>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competitors: Option<Vec<Competitor>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partners: Option<Vec<Partner>>,
    /// Refused: use `POST /opportunities/{id}/stage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage_id: Option<Uuid>,
}

/// Moves an opportunity to another stage of its pipeline. Moving into a lost stage needs
/// `lost_reason` and `winning_competitor`; into a won stage sets `won_on` (default today).
/// A closed opportunity moves only through `POST /opportunities/{id}/reopen`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "stage_id": "01936f0e-0000-7000-8000-0000000000a6", "lost_reason": "price",
    "winning_competitor": "德玛吉", "lost_note": "对方报价低 12%"
})))]
#[serde(deny_unknown_fields)]
pub struct MoveStageRequest {
    pub stage_id: Uuid,
    /// Open stages only; defaults to the stage's probability.
    #[serde(default)]
    pub probability: Option<u8>,
    /// A key from the tenant's `lost_reasons`.
    #[serde(default)]
    pub lost_reason: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub winning_competitor: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub lost_note: Option<String>,
    #[serde(default)]
    pub won_on: Option<NaiveDate>,
}

/// Takes a won or lost opportunity back to an open stage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReopenOpportunityRequest {
    /// An open stage; defaults to the stage it closed from.
    #[serde(default)]
    pub stage_id: Option<Uuid>,
    /// Why it is reopened; kept in the stage history.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

/// How a stage change came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StageChangeKind {
    /// The opportunity was created in this stage.
    Created,
    Moved,
    Won,
    Lost,
    Reopened,
}

crate::keyed!(StageChangeKind {
    Created => "created",
    Moved => "moved",
    Won => "won",
    Lost => "lost",
    Reopened => "reopened",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageChangeResponse {
    pub id: Uuid,
    pub kind: StageChangeKind,
    pub from_stage_id: Option<Uuid>,
    pub from_stage_name: Option<String>,
    pub to_stage_id: Uuid,
    pub to_stage_name: String,
    /// Seconds the opportunity spent in the previous stage.
    pub seconds_in_previous: Option<i64>,
    pub probability: u8,
    pub note: Option<String>,
    pub changed_by: Uuid,
    pub changed_by_name: String,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct OpportunityListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `created_at` (default, descending), `updated_at`, `expected_close_date`, `amount`,
    /// `name`; `-` for descending.
    pub sort: Option<String>,
    /// Matches the name and the customer's name.
    pub q: Option<String>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    /// `open`, `won` or `lost`.
    pub status: Option<StageKind>,
    pub owner_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub kind: Option<OpportunityKind>,
    /// Expected close on or after this day.
    pub close_from: Option<NaiveDate>,
    /// Expected close on or before this day.
    pub close_to: Option<NaiveDate>,
    /// Only those where the caller is on the team (not the owner).
    pub member: Option<bool>,
    /// Only those won or lost on or after this day (China time).
    pub closed_since: Option<NaiveDate>,
    /// Only those won or lost on or before this day (China time).
    pub closed_to: Option<NaiveDate>,
    /// Only those owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub source: Option<LeadSource>,
    /// The customer's region.
    pub region: Option<String>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// Only those with a line of a product in this category (or one below it).
    pub product_category_id: Option<Uuid>,
    pub include_total: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// Defaults to the default pipeline.
    pub pipeline_id: Option<Uuid>,
    pub q: Option<String>,
    pub owner_id: Option<Uuid>,
    pub kind: Option<OpportunityKind>,
    pub close_from: Option<NaiveDate>,
    pub close_to: Option<NaiveDate>,
    /// Cards per column, 1–200 (default 50); `GET /opportunities?stage_id=…` pages further.
    pub per_stage: Option<u32>,
    /// Won and lost columns show what closed on or after this day (default: 30 days ago).
    pub closed_since: Option<NaiveDate>,
}

/// A column total in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrencyTotal {
    pub currency: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub weighted_amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardColumn {
    pub stage_id: Uuid,
    pub name: String,
    pub kind: StageKind,
    pub probability: u8,
    pub count: u64,
    /// One entry per currency present in the column.
    pub totals: Vec<CurrencyTotal>,
    /// The first cards, soonest expected close first.
    pub items: Vec<OpportunitySummary>,
    /// Pass as `cursor` to `GET /opportunities?stage_id=…&sort=expected_close_date` with the
    /// board's filters (and `closed_since` for a won or lost column).
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardResponse {
    pub pipeline_id: Uuid,
    pub pipeline_name: String,
    pub columns: Vec<BoardColumn>,
}
