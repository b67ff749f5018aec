//! Tenant settings an admin configures: lead qualification rules, disqualification reasons,
//! customer tiers.

use serde::{Deserialize, Serialize};

/// A choice in a configurable list: a stable key and the label users see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    /// 1–40 characters: letters, digits, `_` or `-`. Stored on records; never reuse one.
    pub key: String,
    /// 1–50 characters.
    pub label: String,
}

/// A lead field that qualification rules can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QualificationField {
    Title,
    Phone,
    Mobile,
    Email,
    Region,
    Industry,
    Notes,
}

crate::keyed!(QualificationField {
    Title => "title",
    Phone => "phone",
    Mobile => "mobile",
    Email => "email",
    Region => "region",
    Industry => "industry",
    Notes => "notes",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsResponse {
    /// 线索认定规则: fields that must be filled before a lead can be qualified.
    pub lead_qualification_fields: Vec<QualificationField>,
    /// Reasons offered when disqualifying a lead.
    pub disqualify_reasons: Vec<Choice>,
    /// Customer tiers (客户等级), best first.
    pub customer_tiers: Vec<Choice>,
    /// Reasons offered when an opportunity is lost (输单原因).
    pub lost_reasons: Vec<Choice>,
    /// A customer without follow-up for this many days returns to the pool; 0 never.
    pub pool_return_days: u32,
    /// The owner is reminded this many days before the return.
    pub pool_warning_days: u32,
    /// How many open leads, and how many customers, a user may hold before claiming more
    /// from the pool.
    pub pool_claim_limit: u32,
    /// What submitting a sales order does when the customer's credit limit is exceeded.
    pub credit_check_mode: CreditCheckMode,
    /// Hosts (`erp.corp.local`), addresses and CIDR networks (`10.8.0.0/16`) on internal
    /// networks that webhooks may reach; internal addresses are refused otherwise.
    pub webhook_allowed_hosts: Vec<String>,
    /// 销售预测: open opportunities at this probability (percent) or above are the forecast's
    /// "commit" (default 75: 商务谈判 and later in the standard pipeline).
    pub forecast_commit_probability: u8,
    pub version: i32,
}

/// Lists given replace the current ones; lists left out stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "lead_qualification_fields": ["mobile", "industry", "region"]
})))]
#[serde(deny_unknown_fields)]
pub struct UpdateSettingsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_qualification_fields: Option<Vec<QualificationField>>,
    /// 1–30 reasons with distinct keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disqualify_reasons: Option<Vec<Choice>>,
    /// 1–10 tiers with distinct keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_tiers: Option<Vec<Choice>>,
    /// 1–30 reasons with distinct keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_reasons: Option<Vec<Choice>>,
    /// 0–3650 days; 0 turns automatic returns off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_return_days: Option<u32>,
    /// 0–30 days, less than `pool_return_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_warning_days: Option<u32>,
    /// 1–100000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_claim_limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_check_mode: Option<CreditCheckMode>,
    /// Replaces the list; at most 50 entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_allowed_hosts: Option<Vec<String>>,
    /// 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast_commit_probability: Option<u8>,
}

/// 信用检查: a sales order whose customer would pass their credit limit is submitted with a
/// warning (`warn`, the default), refused (`block`), or not checked (`off`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CreditCheckMode {
    Off,
    #[default]
    Warn,
    Block,
}

crate::keyed!(CreditCheckMode {
    Off => "off",
    Warn => "warn",
    Block => "block",
});
