//! Sales orders (销售订单): lines copied from an accepted quote (or entered), approved through
//! the approval engine, shipped in parts (发货) and signed for (签收), and paid through their
//! collection plan (see `receivables`).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::products::VatRate;
use crate::quotes::QuoteTotals;
use crate::receivables::{InstalmentResponse, InvoiceResponse};

/// An order's state. Only the action endpoints change it; after confirmation the shipments
/// move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SalesOrderStatus {
    /// 草稿: lines and terms can change. A rejected or returned order comes back here.
    Draft,
    /// 待审批
    PendingApproval,
    /// 已确认: nothing shipped yet.
    Confirmed,
    /// 部分发货
    PartiallyShipped,
    /// 已发货: every line shipped (or its rest cancelled); some shipment not signed for yet.
    Shipped,
    /// 已完成: shipped and every shipment signed for.
    Completed,
    /// 已取消: cancelled before anything shipped.
    Cancelled,
}

crate::keyed!(SalesOrderStatus {
    Draft => "draft",
    PendingApproval => "pending_approval",
    Confirmed => "confirmed",
    PartiallyShipped => "partially_shipped",
    Shipped => "shipped",
    Completed => "completed",
    Cancelled => "cancelled",
});

/// One line as sent: a product (name, unit, VAT rate and price default from the catalogue and
/// the customer's price lists) or free text (`name` and `unit_price` required).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SalesOrderLineRequest {
    #[serde(default)]
    pub product_id: Option<Uuid>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub spec: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2"))]
    pub quantity: Decimal,
    #[serde(default)]
    pub unit: Option<String>,
    /// VAT included; left out, the customer's price lists price it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_price: Option<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub discount_percent: Option<Decimal>,
    #[serde(default)]
    pub vat_rate: Option<VatRate>,
    /// 交期: the date promised to the customer; defaults to the order's `promised_date`.
    #[serde(default)]
    pub promised_date: Option<NaiveDate>,
}

/// A line with its amounts (rounded as on quotes) and how far it has shipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesOrderLineResponse {
    /// Shipments name the line by this id.
    pub id: Uuid,
    /// 0-based.
    pub position: u32,
    pub product_id: Option<Uuid>,
    pub product_code: Option<String>,
    pub name: String,
    pub spec: Option<String>,
    pub description: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quantity: Decimal,
    pub unit: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub discount_percent: Decimal,
    pub vat_rate: VatRate,
    /// After the line discount, VAT included.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    /// After the header discount too: what the customer pays for the line.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub net_amount: Decimal,
    pub promised_date: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub shipped_quantity: Decimal,
    /// Shipped and signed for.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub delivered_quantity: Decimal,
    /// Not to be shipped: cancelled with the order's rest.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub cancelled_quantity: Decimal,
    /// Still to ship: quantity − shipped − cancelled.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub open_quantity: Decimal,
    /// 交期超期: past its promised date (China time) with quantity still to ship.
    pub overdue: bool,
}

/// What lists show of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesOrderSummary {
    pub id: Uuid,
    /// From the tenant's series, e.g. `SO-2026-000123`.
    pub number: String,
    pub title: Option<String>,
    pub customer_id: Uuid,
    pub customer_name: String,
    /// The accepted quote the order came from.
    pub quote_id: Option<Uuid>,
    pub quote_number: Option<String>,
    /// The contract the order calls off.
    pub contract_id: Option<Uuid>,
    pub status: SalesOrderStatus,
    /// What the customer pays, VAT included.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1280000.00"))]
    pub total: Decimal,
    /// The value of quantities cancelled with the order's rest; the customer owes
    /// `total − cancelled_amount`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub cancelled_amount: Decimal,
    /// Payments allocated to the order's instalments.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub received_amount: Decimal,
    pub currency: String,
    pub order_date: NaiveDate,
    /// The customer's purchase-order number.
    pub customer_po: Option<String>,
    /// The earliest promised date of a line still to ship.
    pub next_promised_date: Option<NaiveDate>,
    /// Some line is past its promised date with quantity still to ship.
    pub delivery_overdue: bool,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub approval_id: Option<Uuid>,
    /// The ERP or OA system that owns this record (`PUT …/by-external-id/{source}/{id}`).
    pub external_source: Option<String>,
    /// Its id in that system.
    pub external_id: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesOrderResponse {
    #[serde(flatten)]
    pub summary: SalesOrderSummary,
    pub contact_id: Option<Uuid>,
    pub contact_name: Option<String>,
    /// 收货地址
    pub shipping_address: Option<String>,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub notes: Option<String>,
    /// For colleagues only.
    pub internal_note: Option<String>,
    pub lines: Vec<SalesOrderLineResponse>,
    pub totals: QuoteTotals,
    /// Oldest first; `GET /sales-orders/{id}/shipments` adds what each carried.
    pub shipments: Vec<ShipmentSummary>,
    /// The collection plan (收款计划), in order.
    pub instalments: Vec<InstalmentResponse>,
    pub invoices: Vec<InvoiceResponse>,
    /// Σ invoice amounts.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub invoiced_amount: Decimal,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "quote_id": "01936f0e-0000-7000-8000-000000000030",
    "customer_po": "PO-88231", "promised_date": "2027-02-28",
    "shipping_address": "江苏省苏州市工业园区星湖街 328 号 2 号门"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateSalesOrderRequest {
    /// An accepted quote: the customer, contact, currency, terms, header discount and lines
    /// (with their prices) come from it. Otherwise `customer_id` and `lines` are required.
    #[serde(default)]
    pub quote_id: Option<Uuid>,
    /// An active contract: like a quote; several orders may call off one contract.
    #[serde(default)]
    pub contract_id: Option<Uuid>,
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub title: Option<String>,
    /// Defaults to the quote's, else `CNY`.
    #[serde(default)]
    pub currency: Option<String>,
    /// Defaults to today (China time).
    #[serde(default)]
    pub order_date: Option<NaiveDate>,
    /// At most 60 characters.
    #[serde(default)]
    pub customer_po: Option<String>,
    /// At most 500 characters.
    #[serde(default)]
    pub shipping_address: Option<String>,
    #[serde(default)]
    pub payment_terms: Option<String>,
    #[serde(default)]
    pub delivery_terms: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub internal_note: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub header_discount_percent: Option<Decimal>,
    /// The promised date of every line that names none.
    #[serde(default)]
    pub promised_date: Option<NaiveDate>,
    /// 1–500 lines; with a quote, left out to take the quote's.
    #[serde(default)]
    pub lines: Option<Vec<SalesOrderLineRequest>>,
    /// Defaults to the caller.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// Fields left out stay; `null` clears an optional one. A draft takes every field; once
/// submitted, only `customer_po`, `shipping_address`, `internal_note`, `owner_id` and
/// `promised_dates` change (the rest is what was approved).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateSalesOrderRequest {
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub contact_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub title: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_date: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub customer_po: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub shipping_address: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub payment_terms: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub delivery_terms: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub notes: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub internal_note: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub header_discount_percent: Option<Decimal>,
    /// Replaces every line (draft only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<SalesOrderLineRequest>>,
    /// Moves the promised dates of lines still to ship (改交期), in any open state. Not with
    /// `lines` (new lines carry their own dates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_dates: Option<Vec<PromisedDateChange>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    /// Refused: states change through the action endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SalesOrderStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PromisedDateChange {
    pub line_id: Uuid,
    pub promised_date: NaiveDate,
}

/// A note with an action (submit); optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SalesOrderActionRequest {
    /// At most 2000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// Cancels what is not shipped: a draft or an order with nothing shipped becomes
/// `cancelled`; a partly shipped order keeps what shipped and drops the rest.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelSalesOrderRequest {
    /// Required, at most 2000 characters.
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SalesOrderListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `created_at` (default, descending), `updated_at`, `order_date`, `total`, `number`;
    /// `-` for descending.
    pub sort: Option<String>,
    /// Matches the number, title, customer PO and the customer's name.
    pub q: Option<String>,
    pub status: Option<SalesOrderStatus>,
    pub customer_id: Option<Uuid>,
    pub quote_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Owned by people in this department or below it.
    pub department_id: Option<Uuid>,
    /// Dated on or after this day.
    pub order_date_from: Option<NaiveDate>,
    /// Dated on or before this day.
    pub order_date_to: Option<NaiveDate>,
    /// Orders with a line of this product.
    pub product_id: Option<Uuid>,
    pub include_total: Option<bool>,
}

/// 发货单: in transit until signed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    /// 已发货 (在途)
    Shipped,
    /// 已签收
    Delivered,
}

crate::keyed!(ShipmentStatus {
    Shipped => "shipped",
    Delivered => "delivered",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShipmentLineRequest {
    /// The order line's `id`.
    pub line_id: Uuid,
    /// More than 0 and at most the line's open quantity.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1"))]
    pub quantity: Decimal,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "shipped_on": "2027-01-15", "carrier": "顺丰速运", "tracking_number": "SF1234567890",
    "lines": [{"line_id": "01936f0e-0000-7000-8000-000000000040", "quantity": "1"}]
})))]
#[serde(deny_unknown_fields)]
pub struct CreateShipmentRequest {
    /// Defaults to today (China time); not in the future.
    #[serde(default)]
    pub shipped_on: Option<NaiveDate>,
    /// 承运商, at most 100 characters.
    #[serde(default)]
    pub carrier: Option<String>,
    /// 运单号, at most 100 characters.
    #[serde(default)]
    pub tracking_number: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// 1–500 lines, each order line at most once.
    pub lines: Vec<ShipmentLineRequest>,
}

/// A shipment an ERP records by its own id (`PUT /shipments/by-external-id/{source}/{id}`):
/// the order, the shipment, and once the customer signed for it, the delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "sales_order_id": "01936f0e-0000-7000-8000-000000000030",
    "shipped_on": "2027-01-15", "carrier": "顺丰速运", "tracking_number": "SF1234567890",
    "lines": [{"line_id": "01936f0e-0000-7000-8000-000000000040", "quantity": "1"}],
    "delivered_on": "2027-01-17", "received_by": "仓库 李工"
})))]
#[serde(deny_unknown_fields)]
pub struct UpsertShipmentRequest {
    pub sales_order_id: Uuid,
    #[serde(default)]
    pub shipped_on: Option<NaiveDate>,
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub tracking_number: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub lines: Vec<ShipmentLineRequest>,
    /// 签收 date: given, the shipment is signed for (once; later sends keep the first).
    #[serde(default)]
    pub delivered_on: Option<NaiveDate>,
    #[serde(default)]
    pub received_by: Option<String>,
}

impl UpsertShipmentRequest {
    pub fn shipment(&self) -> CreateShipmentRequest {
        CreateShipmentRequest {
            shipped_on: self.shipped_on,
            carrier: self.carrier.clone(),
            tracking_number: self.tracking_number.clone(),
            note: self.note.clone(),
            lines: self.lines.clone(),
        }
    }

    /// The delivery, when the body reports one.
    pub fn delivery(&self) -> Option<DeliverShipmentRequest> {
        (self.delivered_on.is_some() || self.received_by.is_some()).then(|| {
            DeliverShipmentRequest {
                delivered_on: self.delivered_on,
                received_by: self.received_by.clone(),
            }
        })
    }
}

/// 签收: the customer received the shipment.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliverShipmentRequest {
    /// Defaults to today (China time); not before the shipment nor in the future.
    #[serde(default)]
    pub delivered_on: Option<NaiveDate>,
    /// 签收人, at most 100 characters.
    #[serde(default)]
    pub received_by: Option<String>,
}

/// What a shipment carried of one order line (its name and unit are the line's: an order
/// of 200 lines and 50 shipments would otherwise repeat them 10,000 times).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentLineResponse {
    pub line_id: Uuid,
    pub position: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quantity: Decimal,
}

/// A shipment as the order page lists it; what it carried is in `GET …/shipments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentSummary {
    pub id: Uuid,
    pub sales_order_id: Uuid,
    /// e.g. `SH-2026-000045`.
    pub number: String,
    pub status: ShipmentStatus,
    pub shipped_on: NaiveDate,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub note: Option<String>,
    /// How many order lines it carried.
    pub line_count: u32,
    pub delivered_on: Option<NaiveDate>,
    pub received_by: Option<String>,
    /// The ERP or OA system that owns this record (`PUT …/by-external-id/{source}/{id}`).
    pub external_source: Option<String>,
    /// Its id in that system.
    pub external_id: Option<String>,
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// A shipment with what it carried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentResponse {
    #[serde(flatten)]
    pub summary: ShipmentSummary,
    pub lines: Vec<ShipmentLineResponse>,
}

/// What the order page's timeline shows, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// The quote the order came from was accepted.
    QuoteAccepted,
    Created,
    Updated,
    StatusChanged,
    /// An approval step was decided, or the request submitted, returned or withdrawn.
    Approval,
    Shipped,
    Delivered,
    Invoiced,
    PaymentAllocated,
    PlanChanged,
}

crate::keyed!(TimelineKind {
    QuoteAccepted => "quote_accepted",
    Created => "created",
    Updated => "updated",
    StatusChanged => "status_changed",
    Approval => "approval",
    Shipped => "shipped",
    Delivered => "delivered",
    Invoiced => "invoiced",
    PaymentAllocated => "payment_allocated",
    PlanChanged => "plan_changed",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub kind: TimelineKind,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    /// A short label of what happened, e.g. `SH-2026-000045` or `approved`.
    pub title: String,
    /// The amount involved (a payment's allocation, an invoice), when there is one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    /// The record this entry is about (a shipment, invoice, payment or approval request).
    pub subject_id: Option<Uuid>,
    pub note: Option<String>,
}

/// At most this many lines answer `GET /sales-orders/overdue-deliveries` (the longest overdue
/// first): a list of exactly this many may have more behind it.
pub const OVERDUE_DELIVERIES_SHOWN: u64 = 200;

/// One line past its promised date, for the overdue-delivery dashboard (交期超期).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverdueDeliveryResponse {
    pub sales_order_id: Uuid,
    pub order_number: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub line_id: Uuid,
    pub line_name: String,
    pub promised_date: NaiveDate,
    /// Whole days since the promised date (China time).
    pub days_overdue: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub open_quantity: Decimal,
    pub unit: String,
    pub owner_id: Uuid,
    pub owner_name: String,
}

/// The credit check (信用检查) of an order's customer: open receivables plus this order
/// against the customer's credit limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditCheckResponse {
    pub customer_id: Uuid,
    /// `null`: no limit set, the check passes.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub credit_limit: Option<Decimal>,
    pub currency: String,
    /// Outstanding instalments of the customer's confirmed orders, less unapplied payments.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub open_receivables: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub this_order: Decimal,
    /// `open_receivables + this_order`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub exposure: Decimal,
    pub exceeded: bool,
    /// What the tenant does when the limit is exceeded.
    pub mode: crate::settings::CreditCheckMode,
}
