//! `/pipelines`: the tenant's sales pipelines and their stages.

use crm_api_types::pipelines::{PipelineRequest, PipelineResponse};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    /// Every pipeline, the default one among them (a handful at most).
    pub async fn pipelines(self) -> Result<Vec<PipelineResponse>, ApiError> {
        self.json(Call::get("/pipelines")).await
    }

    pub async fn create_pipeline(
        self,
        body: &PipelineRequest,
    ) -> Result<PipelineResponse, ApiError> {
        self.json(Call::new(Method::POST, "/pipelines").with_json(body)?)
            .await
    }

    /// Replaces the pipeline whole: its stages in the order given.
    pub async fn replace_pipeline(
        self,
        id: Uuid,
        version: i32,
        body: &PipelineRequest,
    ) -> Result<PipelineResponse, ApiError> {
        let call = Call::new(Method::PUT, format!("/pipelines/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_pipeline(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/pipelines/{id}")))
            .await
    }
}
