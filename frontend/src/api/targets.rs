//! `/targets`: sales targets (业绩目标) per user and department.

use crm_api_types::targets::{SetTargetsRequest, SetTargetsResponse, TargetPlan, TargetQuery};
use gloo_net::http::Method;

use super::{Api, ApiError, Call};

impl Api {
    pub async fn target_plan(self, query: &TargetQuery) -> Result<TargetPlan, ApiError> {
        self.json(Call::get("/targets").with_query(query)?).await
    }

    pub async fn set_targets(
        self,
        body: &SetTargetsRequest,
    ) -> Result<SetTargetsResponse, ApiError> {
        self.json(Call::new(Method::PUT, "/targets").with_json(body)?)
            .await
    }
}
