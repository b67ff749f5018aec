//! `/webhook-endpoints`, `/webhook-deliveries` and `/event-types` (`settings.manage`): where
//! the CRM posts its business events, each endpoint's signing secret and delivery log.

use crm_api_types::Page;
use crm_api_types::webhooks::{
    CreateWebhookEndpointRequest, CreatedWebhookEndpointResponse, DeliveryListQuery,
    EventTypeResponse, ReplayWebhookRequest, ReplayWebhookResponse, RotateWebhookSecretRequest,
    UpdateWebhookEndpointRequest, WebhookAttemptResponse, WebhookDeliveryResponse,
    WebhookEndpointResponse, WebhookSecretResponse,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Versioned};

impl Api {
    /// The event catalogue, in its order (grouped by subject kind).
    pub async fn event_types(self) -> Result<Vec<EventTypeResponse>, ApiError> {
        self.json(Call::get("/event-types")).await
    }

    /// Every endpoint of the tenant (the list takes no parameters).
    pub async fn all_webhook_endpoints(self) -> Result<Vec<WebhookEndpointResponse>, ApiError> {
        self.all("/webhook-endpoints", None).await
    }

    pub async fn create_webhook_endpoint(
        self,
        body: &CreateWebhookEndpointRequest,
    ) -> Result<CreatedWebhookEndpointResponse, ApiError> {
        self.json(Call::new(Method::POST, "/webhook-endpoints").with_json(body)?)
            .await
    }

    pub async fn get_webhook_endpoint(
        self,
        id: Uuid,
    ) -> Result<Versioned<WebhookEndpointResponse>, ApiError> {
        self.versioned(
            Call::get(format!("/webhook-endpoints/{id}")),
            |e: &WebhookEndpointResponse| e.version,
        )
        .await
    }

    pub async fn update_webhook_endpoint(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateWebhookEndpointRequest,
    ) -> Result<WebhookEndpointResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/webhook-endpoints/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_webhook_endpoint(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(
            Method::DELETE,
            format!("/webhook-endpoints/{id}"),
        ))
        .await
    }

    pub async fn webhook_secret(self, id: Uuid) -> Result<WebhookSecretResponse, ApiError> {
        self.json(Call::get(format!("/webhook-endpoints/{id}/secret")))
            .await
    }

    pub async fn rotate_webhook_secret(
        self,
        id: Uuid,
        body: &RotateWebhookSecretRequest,
    ) -> Result<WebhookSecretResponse, ApiError> {
        let call = Call::new(
            Method::POST,
            format!("/webhook-endpoints/{id}/rotate-secret"),
        )
        .with_json(body)?;
        self.json(call).await
    }

    /// One page of the endpoint's delivery log, newest first.
    pub async fn list_webhook_deliveries(
        self,
        id: Uuid,
        query: &DeliveryListQuery,
    ) -> Result<Page<WebhookDeliveryResponse>, ApiError> {
        self.json(Call::get(format!("/webhook-endpoints/{id}/deliveries")).with_query(query)?)
            .await
    }

    /// Queues the endpoint's events of a time range again; answers how many.
    pub async fn replay_webhook(
        self,
        id: Uuid,
        body: &ReplayWebhookRequest,
    ) -> Result<ReplayWebhookResponse, ApiError> {
        let call =
            Call::new(Method::POST, format!("/webhook-endpoints/{id}/replay")).with_json(body)?;
        self.json(call).await
    }

    /// Every attempt of a delivery, oldest first.
    pub async fn webhook_attempts(
        self,
        delivery_id: Uuid,
    ) -> Result<Vec<WebhookAttemptResponse>, ApiError> {
        self.json(Call::get(format!(
            "/webhook-deliveries/{delivery_id}/attempts"
        )))
        .await
    }

    /// Sends a delivery's event again, as a new delivery (which comes back).
    pub async fn resend_webhook_delivery(
        self,
        delivery_id: Uuid,
    ) -> Result<WebhookDeliveryResponse, ApiError> {
        self.json(Call::new(
            Method::POST,
            format!("/webhook-deliveries/{delivery_id}/resend"),
        ))
        .await
    }
}
