//! In-app notifications (站内提醒): what the CRM tells a user on its own, e.g. that an order's
//! promised delivery date passed or that an instalment is overdue.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// 交期超期: lines of an order the user owns or manages passed their promised date.
    DeliveryOverdue,
    /// 应收逾期: instalments of an order the user owns passed their due date.
    ReceivableOverdue,
}

crate::keyed!(NotificationKind {
    DeliveryOverdue => "delivery_overdue",
    ReceivableOverdue => "receivable_overdue",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationResponse {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// The order (or other record) it is about.
    pub subject_id: Uuid,
    /// e.g. `SO-2026-000123`.
    pub subject_number: String,
    pub customer_name: String,
    /// How many lines or instalments are overdue.
    pub count: u32,
    /// The longest overdue, in whole days.
    pub days_overdue: u32,
    /// For the delivery kind: whether the user is told as the owner's manager.
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
