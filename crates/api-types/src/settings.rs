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
}
