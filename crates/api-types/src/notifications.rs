//! In-app notifications (站内提醒): what the CRM tells a user on its own, e.g. that an order's
//! promised delivery date passed or that an instalment is overdue.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// 交期超期: orders the user owns (or their team owns) have lines past their promised
    /// date.
    DeliveryOverdue,
    /// 应收逾期: orders the user owns have instalments past their due date.
    ReceivableOverdue,
    /// A webhook endpoint the user created was switched off: the receiver answered 410 Gone
    /// or kept failing. `subject_id` is the endpoint.
    WebhookDisabled,
}

crate::keyed!(NotificationKind {
    DeliveryOverdue => "delivery_overdue",
    ReceivableOverdue => "receivable_overdue",
    WebhookDisabled => "webhook_disabled",
});

/// One day's summary for one user: the SPA links it to the overdue lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationResponse {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// What the notification is about: the user for a daily summary, the endpoint for
    /// `webhook_disabled`.
    pub subject_id: Uuid,
    /// How many orders are concerned.
    pub order_count: u32,
    /// For receivables: the overdue amount in CNY.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    /// The longest overdue, in whole days.
    pub days_overdue: u32,
    /// Told as a manager: the count covers the orders of the people they manage.
    pub as_manager: bool,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct NotificationListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Only those not read yet.
    pub unread: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationCountResponse {
    pub unread: u64,
}
