//! Outgoing webhooks (`/webhook-endpoints`, `/webhook-deliveries`, `/event-types`) and the
//! change feed (`/events`): how ERP/OA systems learn what changed in the CRM.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A subscription: where to POST which events.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "url": "https://erp.example.com/hooks/crm", "description": "金蝶云星空 订单同步",
    "events": ["sales_order.confirmed", "shipment.delivered", "payment.received"]
})))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookEndpointRequest {
    /// `http` or `https`. Addresses on loopback or private networks are refused unless the
    /// tenant's `webhook_allowed_hosts` setting lists the host or its network.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub description: Option<String>,
    /// Event type names from `/event-types`, or `["*"]` for every event (including ones
    /// added later).
    pub events: Vec<String>,
    /// Defaults to `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Fields left out stay as they are. Enabling an endpoint clears its failure count.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookEndpointRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub description: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Why an endpoint is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// An admin switched it off.
    Manual,
    /// The receiver answered 410 Gone.
    Gone,
    /// It failed too often for too long; its creator was notified.
    Failing,
}

crate::keyed!(DisabledReason {
    Manual => "manual",
    Gone => "gone",
    Failing => "failing",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpointResponse {
    pub id: Uuid,
    pub url: String,
    pub description: Option<String>,
    pub events: Vec<String>,
    pub enabled: bool,
    pub disabled_reason: Option<DisabledReason>,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    pub failing_since: Option<DateTime<Utc>>,
    /// While a rotated-out secret still signs deliveries (two signatures are sent), until
    /// when.
    pub previous_secret_until: Option<DateTime<Utc>>,
    /// Deliveries waiting to be sent or retried.
    pub pending_deliveries: u64,
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The answer to creating an endpoint: the endpoint and its signing secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhookEndpointResponse {
    pub endpoint: WebhookEndpointResponse,
    /// `whsec_` + base64 key; verify `webhook-signature` with it.
    pub secret: String,
}

/// An endpoint's signing secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSecretResponse {
    pub secret: String,
    /// The secret before the last rotation, still used for a second signature until
    /// `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTime<Utc>>,
}

/// Rotate the secret; the old one keeps signing (as a second signature) for the overlap.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RotateWebhookSecretRequest {
    /// Hours the old secret keeps signing, 0–168; 24 when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlap_hours: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or a retry.
    Pending,
    Delivered,
    /// Every attempt failed, or the receiver answered 410.
    Failed,
}

crate::keyed!(DeliveryStatus {
    Pending => "pending",
    Delivered => "delivered",
    Failed => "failed",
});

/// One event's delivery to one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryResponse {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    /// Sent as `webhook-id`: the same for every attempt and for every endpoint, so a
    /// receiver can drop duplicates.
    pub event_id: Uuid,
    pub event_type: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// Who asked for this delivery by a resend or replay.
    pub requested_by: Option<Uuid>,
}

/// One try to deliver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookAttemptResponse {
    pub id: Uuid,
    pub attempted_at: DateTime<Utc>,
    /// `null` when no answer came.
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    /// The first 1,000 characters of the answer.
    pub response_excerpt: Option<String>,
    /// Why no answer came (timeout, refused, blocked address).
    pub error: Option<String>,
}

/// Send the events of a time range to an endpoint again.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z"
})))]
#[serde(deny_unknown_fields)]
pub struct ReplayWebhookRequest {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplayWebhookResponse {
    /// Deliveries queued: the endpoint's subscribed events in the range.
    pub queued: u64,
}

/// One entry of the event catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventTypeResponse {
    /// e.g. `sales_order.confirmed`.
    pub name: String,
    /// The kind of record in `subject_kind`.
    pub subject_kind: String,
    pub description: String,
}

/// A business event, as a webhook body and as an entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "01938a6e-7b1c-7f00-9c1e-3f2a1b4c5d6e", "type": "sales_order.confirmed",
    "timestamp": "2026-12-06T08:00:00Z", "subject_kind": "sales_order",
    "subject_id": "01938a6e-0000-7000-8000-000000000001",
    "data": {"sales_order_id": "01938a6e-0000-7000-8000-000000000001", "number": "SO-2026-0001",
             "status": "confirmed", "total": "125000.00", "currency": "CNY"}
})))]
pub struct EventResponse {
    /// Unique per event; the `webhook-id` header carries it too.
    pub id: Uuid,
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the change was committed.
    pub timestamp: DateTime<Utc>,
    pub subject_kind: String,
    pub subject_id: Uuid,
    /// What the event tells; its fields depend on the type (see the event catalogue).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
}

/// `GET /webhook-endpoints/{id}/deliveries`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DeliveryListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub status: Option<DeliveryStatus>,
}

/// `GET /events`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct EventFeedQuery {
    /// The `next_cursor` of the previous page; from the oldest event kept (30+ days) when
    /// left out.
    pub after: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<u32>,
    /// Comma-separated event types, e.g. `sales_order.confirmed,payment.received`.
    #[serde(rename = "type")]
    pub types: Option<String>,
}
