use serde::{Deserialize, Serialize};

use crate::identity::{DataScope, Permission, UserResponse};

/// Log in with a password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"tenant": "demo", "email": "admin@demo.cn", "password": "Demo@2026"})))]
pub struct LoginRequest {
    /// The company's slug. May be left out when the deployment has exactly one tenant.
    #[serde(default)]
    pub tenant: Option<String>,
    pub email: String,
    pub password: String,
}

/// Exchange a refresh token for a new pair; the old refresh token stops working.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// End a session: its refresh token is revoked.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoutRequest {
    pub refresh_token: String,
}

/// A fresh token pair.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Opaque; single use; send to `/auth/refresh` before `expires_in` runs out.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// The tenant a user belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantResponse {
    pub id: uuid::Uuid,
    pub slug: String,
    pub name: String,
}

/// Who the caller is and what they may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub user: UserResponse,
    pub tenant: TenantResponse,
    /// The function permissions of the caller's role.
    pub permissions: Vec<Permission>,
    /// Which records the caller sees.
    pub data_scope: DataScope,
}
