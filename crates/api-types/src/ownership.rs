//! Who owns a lead or customer: assignment, the pool (公海), assignment rules, and the
//! history of owners.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /leads/{id}/assign` and `POST /customers/{id}/assign`: exactly one of the two.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"owner_id": "0193a5a0-0000-7000-8000-000000000002"})))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The new owner: a user the caller's data scope covers.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    /// Let the tenant's assignment rules choose (leads only); no match puts it in the pool.
    #[serde(default)]
    pub by_rules: bool,
}

/// `POST /…/{id}/release`: back to the pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

/// Why the owner changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OwnerChangeReason {
    /// The record was created with this owner.
    Created,
    /// A user handed it over (分配, 转交).
    Assigned,
    /// An assignment rule chose the owner.
    Rule,
    /// Taken from the pool (领取).
    Claimed,
    /// Given back to the pool (退回).
    Released,
    /// Returned to the pool for lack of follow-up.
    AutoReturned,
}

crate::keyed!(OwnerChangeReason {
    Created => "created",
    Assigned => "assigned",
    Rule => "rule",
    Claimed => "claimed",
    Released => "released",
    AutoReturned => "auto_returned",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerChangeResponse {
    pub id: Uuid,
    /// `null`: it was in the pool.
    pub from_owner_id: Option<Uuid>,
    pub from_owner_name: Option<String>,
    /// `null`: it went to the pool.
    pub to_owner_id: Option<Uuid>,
    pub to_owner_name: Option<String>,
    pub reason: OwnerChangeReason,
    pub note: Option<String>,
    /// `null` when the system did it (automatic return).
    pub changed_by: Option<Uuid>,
    pub changed_at: DateTime<Utc>,
}

/// 分配规则: leads whose region and industry match go to a user, or round-robin to the
/// sales reps of a department. Rules are tried in `position` order; the first match wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentRuleResponse {
    pub id: Uuid,
    pub position: i32,
    /// Matches leads with exactly this region; `null` matches any.
    pub region: Option<String>,
    /// Matches leads with exactly this industry; `null` matches any.
    pub industry: Option<String>,
    /// Assign to this user…
    pub user_id: Option<Uuid>,
    /// …or round-robin among this department's users who may work leads.
    pub department_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "position": 1, "region": "华东", "industry": "机械制造", "department_id": "0193a5a0-0000-7000-8000-000000000003"
})))]
#[serde(deny_unknown_fields)]
pub struct AssignmentRuleRequest {
    /// Lower first; default after the last rule.
    #[serde(default)]
    pub position: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub region: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub industry: Option<String>,
    /// Exactly one of `user_id` and `department_id`.
    #[serde(default)]
    pub user_id: Option<Uuid>,
    #[serde(default)]
    pub department_id: Option<Uuid>,
}
