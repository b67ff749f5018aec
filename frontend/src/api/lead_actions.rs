//! The lead lifecycle: `/leads/{id}/start-working|qualify|disqualify|reopen|convert`.
//! A lead's status changes only through these.

use crm_api_types::leads::{
    ConvertLeadRequest, ConvertLeadResponse, DisqualifyLeadRequest, LeadResponse,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    pub async fn start_working(self, id: Uuid) -> Result<LeadResponse, ApiError> {
        self.json(Call::new(
            Method::POST,
            format!("/leads/{id}/start-working"),
        ))
        .await
    }

    /// A 422 lists every field the tenant's qualification rules still miss.
    pub async fn qualify_lead(self, id: Uuid) -> Result<LeadResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/leads/{id}/qualify")))
            .await
    }

    pub async fn disqualify_lead(
        self,
        id: Uuid,
        body: &DisqualifyLeadRequest,
    ) -> Result<LeadResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/leads/{id}/disqualify")).with_json(body)?)
            .await
    }

    pub async fn reopen_lead(self, id: Uuid) -> Result<LeadResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/leads/{id}/reopen")))
            .await
    }

    /// A 409 `customer_duplicate` carries the (masked) customers a new one would duplicate.
    pub async fn convert_lead(
        self,
        id: Uuid,
        body: &ConvertLeadRequest,
    ) -> Result<ConvertLeadResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/leads/{id}/convert")).with_json(body)?)
            .await
    }
}
