//! Customers (客户), their contacts (联系人), duplicate checks and merges.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::leads::LeadSource;

/// Where a customer stands with us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    /// 潜在
    Potential,
    /// 成交
    Active,
    /// 沉睡
    Dormant,
    /// 流失
    Lost,
}

crate::keyed!(CustomerStatus {
    Potential => "potential",
    Active => "active",
    Dormant => "dormant",
    Lost => "lost",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerResponse {
    pub id: Uuid,
    /// 客户名称, the registered company name.
    pub name: String,
    /// 简称
    pub short_name: Option<String>,
    /// 统一社会信用代码 (18 characters).
    pub credit_code: Option<String>,
    pub industry: Option<String>,
    /// Sales region, e.g. `华东`.
    pub region: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    /// A key from the tenant's `customer_tiers` (A/B/C by default).
    pub tier: Option<String>,
    pub tags: Vec<String>,
    pub source: Option<LeadSource>,
    pub status: CustomerStatus,
    /// The group company this one belongs to.
    pub parent_id: Option<Uuid>,
    pub parent_name: Option<String>,
    /// `null` while the customer is in the pool (公海).
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub notes: Option<String>,
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The ERP or OA system that owns this record (`PUT …/by-external-id/{source}/{id}`).
    pub external_source: Option<String>,
    /// Its id in that system.
    pub external_id: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "苏州精工机械有限公司", "short_name": "精工机械", "credit_code": "91320500MA1MXXXX0X",
    "industry": "机械制造", "region": "华东", "province": "江苏省", "city": "苏州市",
    "tier": "A", "tags": ["重点客户"], "source": "exhibition"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateCustomerRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub short_name: Option<String>,
    /// 18 characters with a valid check digit; unique in the tenant.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 18))]
    pub credit_code: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub industry: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub region: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub province: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub city: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub address: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub website: Option<String>,
    #[serde(default)]
    pub tier: Option<String>,
    /// At most 20 tags of at most 20 characters each.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub source: Option<LeadSource>,
    /// Defaults to `potential`.
    #[serde(default)]
    pub status: Option<CustomerStatus>,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    /// Defaults to the caller. Must be a user the caller's data scope covers.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub notes: Option<String>,
}

/// Fields left out stay as they are; `null` clears an optional field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomerRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub short_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub credit_code: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub industry: Option<Option<String>>,
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
    pub province: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub city: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub address: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub website: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub tier: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<LeadSource>, nullable))]
    pub source: Option<Option<LeadSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub notes: Option<Option<String>>,
}

/// Query parameters of `GET /customers`. Unknown parameters are refused (422).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CustomerListQuery {
    /// Page size, 1–200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// `created_at`, `updated_at` or `name`; prefix `-` for descending. Default `-created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Searches the name, short name and credit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    /// `true`: only the pool (公海, no owner); `false`: only owned customers; absent: both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<bool>,
    /// Exact match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// Exact match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Exact match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Customers carrying this tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Subsidiaries of this group company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    /// Owned by people in this department or one below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<Uuid>,
    /// Only owned customers not followed up for more than this many days (never followed
    /// up: created that long ago), 1–3650: the activity report's idle customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 3650))]
    pub idle_days: Option<u32>,
    /// Also count all matches (costs a second query).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_total: Option<bool>,
}

/// Query of `GET /customers/duplicate-check`: what the user has typed so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DuplicateCheckQuery {
    /// A company name, as typed: width, spaces, brackets and suffixes such as 有限公司 are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    /// Matched against contacts' mobiles and phones (`+86`, spaces and dashes ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Matched against contacts' emails, ignoring case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Leave this customer out (the one being edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_id: Option<Uuid>,
}

/// Why a customer matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// The same name once normalized: creating it would be refused.
    Name,
    /// The same credit code: creating it would be refused.
    CreditCode,
    /// A contact of it has this phone or mobile.
    Phone,
    /// A contact of it has this email.
    Email,
    /// A similar name: the same core name, or a name that starts with what was typed.
    SimilarName,
}

crate::keyed!(MatchReason {
    Name => "name",
    CreditCode => "credit_code",
    Phone => "phone",
    Email => "email",
    SimilarName => "similar_name",
});

/// A customer that matches. Outside the caller's data scope only a masked hint is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "reason": "name", "visible": false, "customer_id": null, "name": "苏州精工**有限公司",
    "owner_hint": "华东区 张*"
})))]
pub struct DuplicateMatch {
    pub reason: MatchReason,
    /// Whether the caller may open the customer; `customer_id` is only given when true.
    pub visible: bool,
    pub customer_id: Option<Uuid>,
    /// The full name when visible, else a masked one.
    pub name: String,
    /// The owner's department and name, masked when not visible (`华东区 张*`);
    /// `null` for a customer in the pool (公海).
    pub owner_hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateCheckResponse {
    /// Matches that block a create (name, credit code) or strongly suggest the same company
    /// (a contact's phone or email).
    pub exact: Vec<DuplicateMatch>,
    /// Similar names, at most 10.
    pub similar: Vec<DuplicateMatch>,
}

/// `POST /customers/{id}/merge`: `{id}` survives, `source_id` is merged into it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeCustomerRequest {
    /// The customer that disappears into the survivor.
    pub source_id: Uuid,
}

/// A contact's role in the customer's buying decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionRole {
    /// 决策者
    DecisionMaker,
    /// 影响者
    Influencer,
    /// 使用者
    User,
    /// 技术把关
    TechnicalGate,
}

crate::keyed!(DecisionRole {
    DecisionMaker => "decision_maker",
    Influencer => "influencer",
    User => "user",
    TechnicalGate => "technical_gate",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactResponse {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub mobile: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub decision_role: Option<DecisionRole>,
    /// The customer's main contact; at most one per customer.
    pub is_primary: bool,
    pub notes: Option<String>,
    /// The ERP or OA system that owns this record (`PUT …/by-external-id/{source}/{id}`).
    pub external_source: Option<String>,
    /// Its id in that system.
    pub external_id: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "customer_id": "0193a5a0-0000-7000-8000-000000000001", "name": "王磊", "title": "采购经理",
    "mobile": "13812345678", "decision_role": "decision_maker", "is_primary": true
})))]
#[serde(deny_unknown_fields)]
pub struct CreateContactRequest {
    pub customer_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub title: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub department: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub mobile: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub wechat: Option<String>,
    #[serde(default)]
    pub birthday: Option<NaiveDate>,
    #[serde(default)]
    pub decision_role: Option<DecisionRole>,
    /// Making a contact primary makes the customer's previous primary contact an ordinary one.
    #[serde(default)]
    pub is_primary: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub notes: Option<String>,
}

/// Fields left out stay as they are; `null` clears an optional field. A contact cannot move
/// to another customer (merge the customers instead).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateContactRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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
    pub department: Option<Option<String>>,
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
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub email: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub wechat: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>, nullable))]
    pub birthday: Option<Option<NaiveDate>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DecisionRole>, nullable))]
    pub decision_role: Option<Option<DecisionRole>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_primary: Option<bool>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub notes: Option<Option<String>>,
}

/// Query parameters of `GET /contacts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ContactListQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The contacts of one customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Uuid>,
    /// Searches name, mobile, phone and email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}
