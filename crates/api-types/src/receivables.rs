//! Receivables (应收款): an order's collection plan (收款计划) of instalments, invoices
//! (开票), payments (收款) allocated to instalments, and aging (账龄).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The order event an instalment's due date counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanEvent {
    /// 签约/订单确认: the order is confirmed.
    OrderConfirmed,
    /// 首次发货
    FirstShipment,
    /// 全部发货
    FullyShipped,
    /// 验收/签收: every shipment signed for (the order completes).
    Accepted,
}

crate::keyed!(PlanEvent {
    OrderConfirmed => "order_confirmed",
    FirstShipment => "first_shipment",
    FullyShipped => "fully_shipped",
    Accepted => "accepted",
});

/// When an instalment falls due: a date, or a number of days after an order event (its due
/// date is known once the event happens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DueRule {
    Date {
        date: NaiveDate,
    },
    /// `days` 0–3650.
    AfterEvent {
        event: PlanEvent,
        days: u16,
    },
}

/// One instalment as sent: exactly one of `percent` (of the order's amount due) and `amount`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InstalmentRequest {
    /// e.g. 预付款, 到货款, 质保金; defaults to 第 N 期. At most 50 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// More than 0, at most 100.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "30"))]
    pub percent: Option<Decimal>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub amount: Option<Decimal>,
    pub due: DueRule,
}

/// Replaces an order's plan. The instalments must add up to what the customer owes (the
/// order total less anything cancelled): percentages are rounded to the cent and the last
/// percentage instalment takes the rounding difference. An instalment already (partly) paid
/// keeps at least what was paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"instalments": [
    {"name": "预付款", "percent": "30", "due": {"kind": "after_event", "event": "order_confirmed", "days": 7}},
    {"name": "到货款", "percent": "60", "due": {"kind": "after_event", "event": "accepted", "days": 30}},
    {"name": "质保金", "percent": "10", "due": {"kind": "after_event", "event": "accepted", "days": 365}}
]})))]
#[serde(deny_unknown_fields)]
pub struct CollectionPlanRequest {
    /// 1–24 instalments.
    pub instalments: Vec<InstalmentRequest>,
}

/// Where an instalment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InstalmentStatus {
    /// Its event has not happened: no due date yet.
    Scheduled,
    /// Due date today or later, something outstanding.
    NotDue,
    /// Past its due date with something outstanding (逾期).
    Overdue,
    /// Nothing outstanding.
    Paid,
}

crate::keyed!(InstalmentStatus {
    Scheduled => "scheduled",
    NotDue => "not_due",
    Overdue => "overdue",
    Paid => "paid",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstalmentResponse {
    pub id: Uuid,
    pub sales_order_id: Uuid,
    /// 0-based.
    pub position: u32,
    pub name: String,
    /// The percentage asked for, when the instalment was given as one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub percent: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    pub due: DueRule,
    /// `null` until the event it counts from happens.
    pub due_date: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub paid_amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outstanding: Decimal,
    pub status: InstalmentStatus,
    /// Whole days past the due date (China time); 0 when not overdue.
    pub days_overdue: u32,
}

/// An open instalment in the receivables list, with its order and customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceivableResponse {
    #[serde(flatten)]
    pub instalment: InstalmentResponse,
    pub order_number: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub currency: String,
    pub owner_id: Uuid,
    pub owner_name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ReceivableListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Owned by people in this department or below it (the aging table's department rows).
    pub department_id: Option<Uuid>,
    pub sales_order_id: Option<Uuid>,
    /// Only instalments past their due date.
    pub overdue: Option<bool>,
    /// Aging drill-down: only instalments in this bucket.
    pub bucket: Option<AgingBucket>,
    /// Due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Due on or before this day.
    pub due_to: Option<NaiveDate>,
    pub include_total: Option<bool>,
}

/// 收款方式
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// 银行转账
    BankTransfer,
    /// 银行承兑汇票
    BankAcceptanceBill,
    /// 现金
    Cash,
    Other,
}

crate::keyed!(PaymentMethod {
    BankTransfer => "bank_transfer",
    BankAcceptanceBill => "bank_acceptance_bill",
    Cash => "cash",
    Other => "other",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    pub instalment_id: Uuid,
    /// More than 0; at most the instalment's outstanding amount.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "384000.00"))]
    pub amount: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "customer_id": "01936f0e-0000-7000-8000-000000000050",
    "received_on": "2027-01-20", "amount": "384000.00", "method": "bank_transfer",
    "reference": "招商银行 回单 2027012000123"
})))]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentRequest {
    pub customer_id: Uuid,
    /// Defaults to today (China time); not in the future.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
    /// More than 0.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    /// Defaults to `CNY`; only instalments of orders in this currency take it.
    #[serde(default)]
    pub currency: Option<String>,
    pub method: PaymentMethod,
    /// Bank slip or bill number, at most 100 characters.
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// How to apply it: left out, to the customer's open instalments oldest due first (only
    /// this order's with `sales_order_id`); given, exactly these. What is not applied stays
    /// as the customer's credit (unapplied).
    #[serde(default)]
    pub allocations: Option<Vec<AllocationRequest>>,
    #[serde(default)]
    pub sales_order_id: Option<Uuid>,
}

/// Applies a payment's unapplied amount: as in `CreatePaymentRequest`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocatePaymentRequest {
    #[serde(default)]
    pub allocations: Option<Vec<AllocationRequest>>,
    #[serde(default)]
    pub sales_order_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationResponse {
    pub payment_id: Uuid,
    pub payment_number: String,
    pub instalment_id: Uuid,
    pub instalment_name: String,
    pub sales_order_id: Uuid,
    pub order_number: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentResponse {
    pub id: Uuid,
    /// e.g. `RC-2026-000017`.
    pub number: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub received_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    pub currency: String,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Σ allocations.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub allocated: Decimal,
    /// `amount − allocated`: the customer's credit from this payment.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unapplied: Decimal,
    pub allocations: Vec<AllocationResponse>,
    /// The ERP or OA system that owns this record (`PUT …/by-external-id/{source}/{id}`).
    pub external_source: Option<String>,
    /// Its id in that system.
    pub external_id: Option<String>,
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PaymentListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub customer_id: Option<Uuid>,
    pub sales_order_id: Option<Uuid>,
    /// Only payments with something left to apply.
    pub unapplied: Option<bool>,
    /// Received on or after this day.
    pub received_from: Option<NaiveDate>,
    /// Received on or before this day.
    pub received_to: Option<NaiveDate>,
    pub include_total: Option<bool>,
}

/// 发票类型
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    /// 增值税专用发票
    #[default]
    VatSpecial,
    /// 增值税普通发票
    VatGeneral,
}

crate::keyed!(InvoiceKind {
    VatSpecial => "vat_special",
    VatGeneral => "vat_general",
});

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "number": "04412345", "issued_on": "2027-01-18", "amount": "384000.00",
    "tax_amount": "44176.99", "kind": "vat_special"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateInvoiceRequest {
    /// The invoice number as printed, 1–40 characters; unique per tenant.
    pub number: String,
    /// Defaults to today (China time).
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// VAT included; more than 0. All invoices together stay within what the customer owes.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    /// The VAT in `amount`; 0 up to `amount`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax_amount: Decimal,
    #[serde(default)]
    pub kind: InvoiceKind,
    #[serde(default)]
    pub note: Option<String>,
}

/// An invoice an ERP records by its own id (`PUT /invoices/by-external-id/{source}/{id}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "sales_order_id": "01936f0e-0000-7000-8000-000000000030",
    "number": "04412345", "issued_on": "2027-01-18", "amount": "384000.00",
    "tax_amount": "44176.99", "kind": "vat_special"
})))]
#[serde(deny_unknown_fields)]
pub struct UpsertInvoiceRequest {
    pub sales_order_id: Uuid,
    pub number: String,
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax_amount: Decimal,
    #[serde(default)]
    pub kind: InvoiceKind,
    #[serde(default)]
    pub note: Option<String>,
}

impl UpsertInvoiceRequest {
    pub fn invoice(&self) -> CreateInvoiceRequest {
        CreateInvoiceRequest {
            number: self.number.clone(),
            issued_on: self.issued_on,
            amount: self.amount,
            tax_amount: self.tax_amount,
            kind: self.kind,
            note: self.note.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceResponse {
    pub id: Uuid,
    pub sales_order_id: Uuid,
    pub number: String,
    pub issued_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub tax_amount: Decimal,
    pub kind: InvoiceKind,
    pub note: Option<String>,
    /// The ERP or OA system that owns this record (`PUT …/by-external-id/{source}/{id}`).
    pub external_source: Option<String>,
    /// Its id in that system.
    pub external_id: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// 账龄 buckets, by days past the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgingBucket {
    /// 未到期 (including instalments whose event has not happened).
    NotDue,
    /// 1–30 天
    #[serde(rename = "days_1_to_30")]
    Days1To30,
    /// 31–60 天
    #[serde(rename = "days_31_to_60")]
    Days31To60,
    /// 61–90 天
    #[serde(rename = "days_61_to_90")]
    Days61To90,
    /// 91–180 天
    #[serde(rename = "days_91_to_180")]
    Days91To180,
    /// 180 天以上
    #[serde(rename = "over_180")]
    Over180,
}

crate::keyed!(AgingBucket {
    NotDue => "not_due",
    Days1To30 => "days_1_to_30",
    Days31To60 => "days_31_to_60",
    Days61To90 => "days_61_to_90",
    Days91To180 => "days_91_to_180",
    Over180 => "over_180",
});

/// What aging rows are grouped by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgingGroup {
    #[default]
    Customer,
    Owner,
    Department,
}

crate::keyed!(AgingGroup {
    Customer => "customer",
    Owner => "owner",
    Department => "department",
});

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AgingQuery {
    /// Default `customer`.
    pub group_by: Option<AgingGroup>,
    /// Default `CNY`: amounts of one currency are added up.
    pub currency: Option<String>,
    /// Default today (China time).
    pub as_of: Option<NaiveDate>,
    /// How many rows, largest total first: 1–200, default 50. The totals cover every row.
    pub limit: Option<u32>,
}

/// Outstanding amounts by bucket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgingAmounts {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub not_due: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub days_1_to_30: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub days_31_to_60: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub days_61_to_90: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub days_91_to_180: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub over_180: Decimal,
    /// Σ the buckets.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgingRow {
    /// The customer, owner or department; `null` for owners in no department.
    pub key: Option<Uuid>,
    pub name: String,
    #[serde(flatten)]
    pub amounts: AgingAmounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgingResponse {
    pub group_by: AgingGroup,
    pub currency: String,
    pub as_of: NaiveDate,
    /// Largest total first, at most `limit`.
    pub rows: Vec<AgingRow>,
    /// How many customers, owners or departments owe something: rows past `limit` too.
    pub row_count: u64,
    /// Over every row.
    pub totals: AgingAmounts,
}

/// A customer's credit limit and what it is using.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerCreditResponse {
    pub customer_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub credit_limit: Option<Decimal>,
    pub currency: String,
    /// Outstanding instalments of confirmed orders, less unapplied payments.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub open_receivables: Decimal,
    /// Unapplied payments (预收/多付).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unapplied_payments: Decimal,
    /// `credit_limit − open_receivables`, `null` without a limit.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub available: Option<Decimal>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomerCreditRequest {
    /// In CNY; `null` removes the limit.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2000000"))]
    pub credit_limit: Option<Decimal>,
}
