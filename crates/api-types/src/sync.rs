//! Inbound sync from ERP/OA systems: upserts by external id, bulk upserts with a result per
//! item, and the sync state of each external record (`/sync-states`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ProblemDetails;

/// Up to 1,000 records to create or change, each named by its external identity; every
/// item is written (or refused) on its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkRequest<T> {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 1000))]
    pub items: Vec<BulkItem<T>>,
}

/// One record of a bulk request: its external identity, and in `data` the body the
/// `PUT …/by-external-id/{source}/{id}` would take.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkItem<T> {
    /// The system that owns the record: a lowercase slug such as `kingdee`.
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 50, pattern = "^[a-z0-9][a-z0-9_.-]{0,49}$")
    )]
    pub external_source: String,
    /// The record's id in that system.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub external_id: String,
    pub data: T,
}

/// What happened to each item, in the request's order, and the counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResponse {
    pub items: Vec<BulkItemResult>,
    pub created: u32,
    pub updated: u32,
    /// Recorded documents (shipments, invoices, payments) sent again and kept as they were.
    pub unchanged: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkItemResult {
    /// The item's position in the request, from 0.
    pub index: u32,
    pub external_source: Option<String>,
    pub external_id: Option<String>,
    pub status: BulkItemStatus,
    /// The record written; absent when the item failed.
    pub id: Option<Uuid>,
    /// Why the item failed, as the single-record endpoint would have answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<ProblemDetails>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkItemStatus {
    Created,
    Updated,
    Unchanged,
    Failed,
}

/// The kinds of record an external system can own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncedKind {
    Customer,
    Contact,
    Product,
    SalesOrder,
    Shipment,
    Invoice,
    Payment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncResult {
    Succeeded,
    Failed,
}

/// How the last sync of one external record ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "customer", "external_source": "kingdee", "external_id": "CUST-0042",
    "record_id": null, "result": "failed",
    "problem": {"type": "https://crm.example/problems/validation_failed", "title": "请求参数有误",
        "status": 422, "code": "validation_failed", "detail": "1 个字段未通过校验",
        "errors": [{"field": "credit_code", "code": "invalid_format", "message": "格式不正确"}]},
    "synced_by": "01938f2e-7c4a-7d10-9a51-3c2b1e0f4a11", "synced_at": "2026-12-06T08:00:00Z"
})))]
pub struct SyncStateResponse {
    pub kind: SyncedKind,
    pub external_source: String,
    pub external_id: String,
    /// The CRM record; absent when the sync that would have created it was refused.
    pub record_id: Option<Uuid>,
    pub result: SyncResult,
    /// What the system was told when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<ProblemDetails>,
    /// The user or API key that synced.
    pub synced_by: Uuid,
    pub synced_at: DateTime<Utc>,
}

/// `GET /sync-states`: with `record_id` (and its `kind`), that record's states, for anyone
/// who may read the record; otherwise the tenant's, for admins, e.g. `result=failed`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SyncStateListQuery {
    pub kind: Option<SyncedKind>,
    pub record_id: Option<Uuid>,
    pub external_source: Option<String>,
    pub result: Option<SyncResult>,
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
