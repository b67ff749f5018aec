//! API keys (`/api-keys`): how integrators and ERP/OA systems authenticate. A key acts as a
//! user of the tenant (records it creates are theirs) with its own permissions and data scope.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::identity::{DataScope, Permission};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "金蝶云星空 同步", "permissions": ["customer.read", "sales_order.read", "sales_order.write", "receivable.write"],
    "data_scope": "all", "expires_at": "2027-12-31T16:00:00Z"
})))]
pub struct CreateApiKeyRequest {
    /// What the key is for, shown in the list.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// At least one; the same names as roles'.
    pub permissions: Vec<Permission>,
    pub data_scope: DataScope,
    /// The active user the key acts as (owner of what it creates; the data scope counts from
    /// their department). Defaults to the admin creating the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Uuid>,
    /// After this the key is refused; never when left out. Must be in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Whether a key is accepted now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyResponse {
    pub id: Uuid,
    pub name: String,
    /// The key's first characters (`crm_` and 8 more), to tell keys apart; the rest is never
    /// shown again.
    pub prefix: String,
    pub permissions: Vec<Permission>,
    pub data_scope: DataScope,
    pub user_id: Uuid,
    pub user_name: String,
    pub status: ApiKeyStatus,
    pub expires_at: Option<DateTime<Utc>>,
    /// Updated at most once a minute.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// The answer to creating a key: the only time the whole key is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKeyResponse {
    /// Send it as `Authorization: Bearer <key>`. Stored only as a hash: copy it now.
    pub key: String,
    pub api_key: ApiKeyResponse,
}
