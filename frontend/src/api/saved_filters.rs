//! `/saved-filters`: a user's named list queries (常用筛选).

use crm_api_types::saved_filters::{
    CreateSavedFilterRequest, FilterResource, SavedFilterQuery, SavedFilterResponse,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    pub async fn saved_filters(
        self,
        resource: FilterResource,
    ) -> Result<Vec<SavedFilterResponse>, ApiError> {
        let query = SavedFilterQuery {
            resource: Some(resource),
        };
        self.json(Call::get("/saved-filters").with_query(&query)?)
            .await
    }

    pub async fn create_saved_filter(
        self,
        body: &CreateSavedFilterRequest,
    ) -> Result<SavedFilterResponse, ApiError> {
        self.json(Call::new(Method::POST, "/saved-filters").with_json(body)?)
            .await
    }

    pub async fn delete_saved_filter(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/saved-filters/{id}")))
            .await
    }
}
