//! Reconciliation (对账): an ERP reports its figures for an order; the CRM answers where the
//! two disagree, and lists every order that does.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An ERP's figures for one order. Leave out what the ERP does not keep: only reported
/// figures are compared. With `lines`, every order line counts (one left out shipped 0).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "source": "kingdee", "total": "536000.00", "invoiced": "100000.00", "paid": "50000.00",
    "lines": [{"position": 0, "shipped_quantity": "1"}]
})))]
#[serde(deny_unknown_fields)]
pub struct ReportFiguresRequest {
    /// The reporting system, a lowercase slug such as `kingdee`; each system's figures are
    /// kept apart, the latest replacing the previous.
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub source: String,
    /// The order's amount (after cancellations).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub total: Option<Decimal>,
    /// Invoiced so far, VAT included.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub invoiced: Option<Decimal>,
    /// Collected so far.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub paid: Option<Decimal>,
    /// Shipped quantity per order line.
    #[serde(default)]
    pub lines: Option<Vec<FigureLine>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FigureLine {
    /// The order line's `position` (0-based).
    pub position: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub shipped_quantity: Decimal,
}

/// One order's figures from one system next to the CRM's.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "sales_order_id": "01936f0e-0000-7000-8000-000000000030", "order_number": "SO-2026-000123",
    "customer_id": "01936f0e-0000-7000-8000-000000000010", "customer_name": "苏州精密机械有限公司",
    "currency": "CNY", "source": "kingdee", "reported_at": "2026-12-06T08:00:00Z", "agrees": false,
    "differences": [{"field": "paid", "crm": "50000.00", "erp": "80000.00"}]
})))]
pub struct ReconciliationResponse {
    pub sales_order_id: Uuid,
    pub order_number: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub currency: String,
    pub source: String,
    pub reported_at: DateTime<Utc>,
    /// No differences.
    pub agrees: bool,
    pub differences: Vec<FigureDifference>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureDifference {
    /// `total`, `invoiced`, `paid` or `lines[<position>].shipped_quantity`.
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub crm: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub erp: Decimal,
}

/// `GET /reconciliation`: the orders whose reported figures disagree with the CRM's.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ReconciliationListQuery {
    /// Only the figures of this system.
    pub source: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
