//! `/api-keys`: keys for integrators (`user.manage`); the whole key comes back only once.

use crm_api_types::api_keys::{ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    /// Every key of the tenant, newest first (the list takes no parameters).
    pub async fn all_api_keys(self) -> Result<Vec<ApiKeyResponse>, ApiError> {
        self.all("/api-keys", None).await
    }

    pub async fn create_api_key(
        self,
        body: &CreateApiKeyRequest,
    ) -> Result<CreatedApiKeyResponse, ApiError> {
        self.json(Call::new(Method::POST, "/api-keys").with_json(body)?)
            .await
    }

    pub async fn revoke_api_key(self, id: Uuid) -> Result<ApiKeyResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/api-keys/{id}/revoke")))
            .await
    }
}
