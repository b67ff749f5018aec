//! `/notifications` (站内提醒): the daily summaries of overdue deliveries and receivables,
//! the unread count for the top bar's bell, and marking them read.

use crm_api_types::Page;
use crm_api_types::notifications::{
    NotificationCountResponse, NotificationListQuery, NotificationResponse,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    pub async fn list_notifications(
        self,
        query: &NotificationListQuery,
    ) -> Result<Page<NotificationResponse>, ApiError> {
        self.json(Call::get("/notifications").with_query(query)?)
            .await
    }

    pub async fn notification_count(self) -> Result<NotificationCountResponse, ApiError> {
        self.json(Call::get("/notifications/count")).await
    }

    pub async fn read_notification(self, id: Uuid) -> Result<NotificationResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/notifications/{id}/read")))
            .await
    }

    /// Answers with what is still unread: none.
    pub async fn read_all_notifications(self) -> Result<NotificationCountResponse, ApiError> {
        self.json(Call::new(Method::POST, "/notifications/read-all"))
            .await
    }
}
