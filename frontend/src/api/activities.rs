//! `/activities` (the follow-up timeline) and `/tasks` (the follow-ups still to do).

use crm_api_types::Page;
use crm_api_types::activities::{
    ActivityListQuery, ActivityResponse, CreateActivityRequest, TaskListQuery, TaskResponse,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    pub async fn list_activities(
        self,
        query: &ActivityListQuery,
    ) -> Result<Page<ActivityResponse>, ApiError> {
        self.json(Call::get("/activities").with_query(query)?).await
    }

    pub async fn create_activity(
        self,
        body: &CreateActivityRequest,
    ) -> Result<ActivityResponse, ApiError> {
        self.json(Call::new(Method::POST, "/activities").with_json(body)?)
            .await
    }

    pub async fn delete_activity(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/activities/{id}")))
            .await
    }

    pub async fn list_tasks(self, query: &TaskListQuery) -> Result<Page<TaskResponse>, ApiError> {
        self.json(Call::get("/tasks").with_query(query)?).await
    }

    pub async fn complete_task(self, id: Uuid) -> Result<TaskResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/tasks/{id}/complete")))
            .await
    }
}
