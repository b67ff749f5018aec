//! Sales targets (业绩目标): what an admin expects of a user or a department in a month or a
//! quarter, for won amount, order amount or collections. Performance reports and the
//! forecast set them against what happened.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::TargetPeriod;

/// What a target measures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetMetric {
    /// 赢单金额: opportunities won in the period.
    #[default]
    WonAmount,
    /// 订单金额: sales orders dated in the period, confirmed or further, less what was
    /// cancelled of them.
    OrderAmount,
    /// 回款金额: payments received in the period, as allocated to the owner's instalments.
    Collections,
}

crate::keyed!(TargetMetric {
    WonAmount => "won_amount",
    OrderAmount => "order_amount",
    Collections => "collections",
});

/// Whose target it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    User,
    /// The department with the departments below it.
    Department,
}

crate::keyed!(SubjectKind {
    User => "user",
    Department => "department",
});

/// `GET /targets`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TargetQuery {
    /// The calendar year, 1900–9999; default: this year.
    pub year: Option<i32>,
    /// Default `won_amount`.
    pub metric: Option<TargetMetric>,
}

/// One year's targets for one metric: a bounded list (subjects × 16 periods), not paged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetPlan {
    pub year: i32,
    pub metric: TargetMetric,
    /// Users first, then departments; each by name, then period.
    pub items: Vec<TargetResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetResponse {
    pub id: Uuid,
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    pub subject_name: String,
    pub metric: TargetMetric,
    /// `2026-03` (a month) or `2026-Q1` (a quarter).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub period: TargetPeriod,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "500000.00"))]
    pub amount: Decimal,
    pub currency: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Uuid,
}

/// `PUT /targets`: sets (or, with `amount: null`, removes) up to 1,000 targets of one
/// metric in one transaction; targets not named stay as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "metric": "won_amount",
    "targets": [
        {"subject_kind": "user", "subject_id": "01938f6e-1c2a-7b3c-9d4e-5f6a7b8c9d0e", "period": "2026-12", "amount": "500000"},
        {"subject_kind": "department", "subject_id": "01938f6e-1c2a-7b3c-9d4e-5f6a7b8c9d0f", "period": "2026-Q4", "amount": "4500000"}
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct SetTargetsRequest {
    pub metric: TargetMetric,
    /// 1–1,000 targets, each subject and period at most once.
    pub targets: Vec<TargetEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetEntry {
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    /// `2026-03` (a month) or `2026-Q1` (a quarter).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub period: TargetPeriod,
    /// 0 or more, to the cent; `null` removes the target.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "500000.00"))]
    pub amount: Option<Decimal>,
    /// ISO 4217; default `CNY`. Actuals in other currencies do not count towards it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// `PUT /targets` answers with the targets it set (removed ones left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetTargetsResponse {
    pub items: Vec<TargetResponse>,
    /// How many targets the request removed.
    pub removed: u64,
}
