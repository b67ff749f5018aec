use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a lead came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    /// 电话
    Phone,
    /// 转介绍
    Referral,
    /// 展会
    Exhibition,
    /// 官网
    Website,
    /// 设计院
    DesignInstitute,
    /// 市场活动
    Campaign,
    /// 其他
    Other,
}

crate::keyed!(LeadSource {
    Phone => "phone",
    Referral => "referral",
    Exhibition => "exhibition",
    Website => "website",
    DesignInstitute => "design_institute",
    Campaign => "campaign",
    Other => "other",
});

/// How far a lead has got, as the lead-sources report counts its leads (`GET /leads?reached=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadReach {
    /// 曾认定: qualified now, converted since, or disqualified after being qualified.
    Qualified,
    /// 已赢单: converted, with a won opportunity credited to it (the opportunity names the
    /// lead, or names none and was opened on its customer after this lead's conversion and
    /// before the next lead's into that customer).
    Won,
}

crate::keyed!(LeadReach {
    Qualified => "qualified",
    Won => "won",
});

/// Where a lead is in its lifecycle. Changed only by the action endpoints:
/// `new → working → qualified → converted`, and `disqualified` (with a reason) from any open
/// state; `reopen` takes a disqualified lead back to `working`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// 新建
    New,
    /// 跟进中
    Working,
    /// 已认定
    Qualified,
    /// 无效
    Disqualified,
    /// 已转化: became a customer and contact.
    Converted,
}

crate::keyed!(LeadStatus {
    New => "new",
    Working => "working",
    Qualified => "qualified",
    Disqualified => "disqualified",
    Converted => "converted",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadResponse {
    pub id: Uuid,
    /// 公司名称
    pub company_name: String,
    /// 联系人
    pub contact_name: String,
    /// 职务
    pub title: Option<String>,
    /// 固定电话
    pub phone: Option<String>,
    /// 手机
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub source: LeadSource,
    /// 区域, e.g. `华东` or `江苏省苏州市`.
    pub region: Option<String>,
    /// 行业
    pub industry: Option<String>,
    pub status: LeadStatus,
    /// `null` while the lead is in the pool (公海).
    pub owner_id: Option<Uuid>,
    /// The owner's display name.
    pub owner_name: Option<String>,
    pub notes: Option<String>,
    /// Why it was disqualified: a key from the tenant's `disqualify_reasons`.
    pub disqualify_reason: Option<String>,
    pub disqualify_note: Option<String>,
    pub qualified_at: Option<DateTime<Utc>>,
    pub converted_at: Option<DateTime<Utc>>,
    /// The customer it became (or was converted into).
    pub customer_id: Option<Uuid>,
    /// The contact it became.
    pub contact_id: Option<Uuid>,
    /// When the last activity was logged on it.
    pub last_activity_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "company_name": "苏州精工机械有限公司", "contact_name": "王磊", "title": "采购经理",
    "mobile": "13812345678", "email": "wanglei@jinggong.cn", "source": "exhibition",
    "region": "华东", "industry": "机械制造"
})))]
pub struct CreateLeadRequest {
    /// Required, at most 200 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub company_name: String,
    /// Required, at most 100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub contact_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub title: Option<String>,
    /// A landline such as `0512-66881234`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub phone: Option<String>,
    /// A mainland mobile number, `+86` optional.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub mobile: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    pub source: LeadSource,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub region: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub industry: Option<String>,
    /// Defaults to the caller. Must be a user the caller's data scope covers.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    /// Let the tenant's assignment rules choose the owner (region and industry → a user, or
    /// round-robin in a department); no matching rule puts the lead in the pool.
    #[serde(default)]
    pub assign_by_rules: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub notes: Option<String>,
}

/// Fields left out stay as they are; `null` clears an optional field.
/// `status` cannot be set here (422): use the lifecycle actions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateLeadRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub title: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub mobile: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub email: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<LeadSource>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub region: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub industry: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub notes: Option<Option<String>>,
    /// Refused with 422: state changes go through action endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LeadStatus>,
}

/// Query parameters of `GET /leads`. Unknown parameters are refused (422).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LeadListQuery {
    /// Page size, 1–200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// `created_at`, `updated_at` or `company_name`; prefix `-` for descending. Default `-created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Searches company, contact, phone, mobile and email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LeadStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<LeadSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    /// `true`: only the pool (公海, no owner); `false`: only owned leads; absent: both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<bool>,
    /// Exact match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Exact match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// Created at or after this instant (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_from: Option<DateTime<Utc>>,
    /// Created before this instant (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_to: Option<DateTime<Utc>>,
    /// Owned by people in this department or one below it (a lead-sources drill-down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<Uuid>,
    /// Only leads that got this far (a lead-sources drill-down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reached: Option<LeadReach>,
    /// Also count all matches (costs a second query).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_total: Option<bool>,
}

/// `POST /leads/{id}/disqualify`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"reason": "no_budget", "note": "预算明年才批"})))]
#[serde(deny_unknown_fields)]
pub struct DisqualifyLeadRequest {
    /// A key from the tenant's `disqualify_reasons` (see `GET /settings`).
    pub reason: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub note: Option<String>,
}

/// `POST /leads/{id}/convert`: a qualified lead becomes a customer and a contact.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"existing_customer_id": null, "create_contact": true})))]
#[serde(deny_unknown_fields)]
pub struct ConvertLeadRequest {
    /// Convert into this existing customer (one of the duplicate matches the caller may
    /// see) instead of creating one from the lead.
    #[serde(default)]
    pub existing_customer_id: Option<Uuid>,
    /// Name for the new customer; defaults to the lead's company name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub customer_name: Option<String>,
    /// Unified social credit code for the new customer.
    #[serde(default)]
    pub credit_code: Option<String>,
    /// Create a contact from the lead's contact person (default true).
    #[serde(default)]
    pub create_contact: Option<bool>,
    /// Also open an opportunity for the customer, owned by the lead's owner.
    #[serde(default)]
    pub opportunity: Option<ConvertOpportunityRequest>,
}

/// The opportunity a conversion opens (in the default pipeline's first stage).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConvertOpportunityRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "500000.00"))]
    pub amount: Option<rust_decimal::Decimal>,
    pub expected_close_date: chrono::NaiveDate,
    #[serde(default)]
    pub kind: Option<crate::opportunities::OpportunityKind>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConvertLeadResponse {
    pub lead: LeadResponse,
    pub customer_id: Uuid,
    /// Whether the customer was created by this conversion (false: an existing one).
    pub customer_created: bool,
    pub contact_id: Option<Uuid>,
    /// The opportunity the conversion opened, if asked.
    pub opportunity_id: Option<Uuid>,
}
