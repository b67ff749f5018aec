//! `/settings`: the tenant's business rules (qualification fields, reasons, tiers).

use crm_api_types::settings::{SettingsResponse, UpdateSettingsRequest};
use gloo_net::http::Method;

use super::{Api, ApiError, Call, Versioned};

impl Api {
    /// Readable by every user: forms need the tiers and the disqualification reasons.
    pub async fn get_settings(self) -> Result<Versioned<SettingsResponse>, ApiError> {
        self.versioned(Call::get("/settings"), |s: &SettingsResponse| s.version)
            .await
    }

    pub async fn update_settings(
        self,
        version: i32,
        body: &UpdateSettingsRequest,
    ) -> Result<SettingsResponse, ApiError> {
        let call = Call::new(Method::PATCH, "/settings")
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }
}
