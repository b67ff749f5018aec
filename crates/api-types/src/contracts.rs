//! Contracts (合同): the signed agreement behind orders, from an accepted quote, a won
//! opportunity or entered directly; approved through the approval engine (by default the
//! department manager, finance, then legal), then in force until fulfilled or terminated.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::quotes::{QuoteLineRequest, QuoteLineResponse, QuoteTotals};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    /// 草稿: a rejected or returned contract comes back here.
    Draft,
    /// 审批中
    PendingApproval,
    /// 生效: orders can be made from it.
    Active,
    /// 履行完毕
    Completed,
    /// 终止 (with a reason)
    Terminated,
}

crate::keyed!(ContractStatus {
    Draft => "draft",
    PendingApproval => "pending_approval",
    Active => "active",
    Completed => "completed",
    Terminated => "terminated",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractSummary {
    pub id: Uuid,
    /// From the tenant's series, e.g. `HT-2026-000123`.
    pub number: String,
    pub title: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub quote_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub status: ContractStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1280000.00"))]
    pub total: Decimal,
    pub currency: String,
    /// 签订日期
    pub signed_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub approval_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractResponse {
    #[serde(flatten)]
    pub summary: ContractSummary,
    pub contact_id: Option<Uuid>,
    pub contact_name: Option<String>,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    /// Other clauses (质保、违约责任…).
    pub terms: Option<String>,
    pub lines: Vec<QuoteLineResponse>,
    pub totals: QuoteTotals,
    pub activated_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub terminated_at: Option<DateTime<Utc>>,
    pub termination_reason: Option<String>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "quote_id": "01936f0e-0000-7000-8000-000000000030",
    "title": "立式加工中心采购合同", "signed_on": "2027-01-10",
    "starts_on": "2027-01-10", "ends_on": "2027-12-31"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateContractRequest {
    /// An accepted quote: customer, contact, currency, terms and lines come from it.
    #[serde(default)]
    pub quote_id: Option<Uuid>,
    /// A won opportunity: customer, currency and lines come from it.
    #[serde(default)]
    pub opportunity_id: Option<Uuid>,
    /// Without a quote or opportunity: required, with `lines`.
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    /// 1–200 characters; defaults to the customer's name and 合同.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    /// Not before `starts_on`.
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    #[serde(default)]
    pub payment_terms: Option<String>,
    #[serde(default)]
    pub delivery_terms: Option<String>,
    #[serde(default)]
    pub terms: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub header_discount_percent: Option<Decimal>,
    /// At most 500; left out to take the quote's or opportunity's.
    #[serde(default)]
    pub lines: Option<Vec<QuoteLineRequest>>,
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// A draft takes every field; once submitted only `owner_id` (the rest is what was approved).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateContractRequest {
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub contact_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>, nullable))]
    pub signed_on: Option<Option<NaiveDate>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>, nullable))]
    pub starts_on: Option<Option<NaiveDate>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>, nullable))]
    pub ends_on: Option<Option<NaiveDate>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub payment_terms: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub delivery_terms: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub terms: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub header_discount_percent: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<QuoteLineRequest>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    /// Refused: states change through the action endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ContractStatus>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContractActionRequest {
    /// At most 2000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TerminateContractRequest {
    /// Required, at most 2000 characters.
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ContractListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `created_at` (default, descending), `updated_at`, `signed_on`, `total`, `number`;
    /// `-` for descending.
    pub sort: Option<String>,
    /// Matches the number, the title and the customer's name.
    pub q: Option<String>,
    pub status: Option<ContractStatus>,
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub include_total: Option<bool>,
}
