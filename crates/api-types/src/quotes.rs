//! Quotes (报价单): priced lines for a customer, approved through the approval engine, sent,
//! accepted or declined, revised into new versions, printed as PDF.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::products::{PriceHistoryResponse, PriceSource, VatRate};

/// A quote's state. Only the action endpoints change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// 草稿
    Draft,
    /// 审批中
    PendingApproval,
    /// 已批准
    Approved,
    /// 已驳回: edit and submit again.
    Rejected,
    /// 已发送
    Sent,
    /// 客户接受
    Accepted,
    /// 客户拒绝
    Declined,
    /// 已过期: its validity passed while approved or sent.
    Expired,
}

crate::keyed!(QuoteStatus {
    Draft => "draft",
    PendingApproval => "pending_approval",
    Approved => "approved",
    Rejected => "rejected",
    Sent => "sent",
    Accepted => "accepted",
    Declined => "declined",
    Expired => "expired",
});

/// One line as sent. A line names a product (its name, spec, unit, VAT rate and price
/// default from the catalogue and price lists) or is free text (`name` and `unit_price`
/// required), e.g. 安装调试费.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteLineRequest {
    #[serde(default)]
    pub product_id: Option<Uuid>,
    /// Defaults to the product's name; 1–200 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// 型号/规格; defaults to the product's.
    #[serde(default)]
    pub spec: Option<String>,
    /// At most 1000 characters.
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2"))]
    pub quantity: Decimal,
    /// Defaults to the product's unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// VAT included. Leave out to take the price the customer's price lists give.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_price: Option<Decimal>,
    /// 0–100; defaults to 0.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub discount_percent: Option<Decimal>,
    /// Defaults to the product's rate (13% for a free line).
    #[serde(default)]
    pub vat_rate: Option<VatRate>,
}

/// A line with its amounts. Each amount is rounded once, half away from zero to the cent
/// (四舍五入): `amount` = quantity × unit price × (1 − discount); `net_amount` = amount ×
/// (1 − header discount); `net_amount_excl_vat` = net amount ÷ (1 + VAT rate);
/// `vat_amount` = the difference. The totals are the sums of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLineResponse {
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
    /// The product's list price when the line was priced.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub list_price: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Decimal,
    /// Where `unit_price` came from; `null` when entered by hand.
    pub price_source: Option<PriceSource>,
    /// The last price this customer got for the product, shown beside the line.
    pub last_price: Option<PriceHistoryResponse>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub discount_percent: Decimal,
    pub vat_rate: VatRate,
    /// After the line discount, VAT included.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub amount: Decimal,
    /// After the header discount too, VAT included.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub net_amount: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub net_amount_excl_vat: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub vat_amount: Decimal,
    /// What approval policies test: the line and header discounts together, or the net
    /// price's distance below the list price, whichever is more.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub effective_discount_percent: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteTotals {
    /// Σ line `amount`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub lines_total: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub header_discount_percent: Decimal,
    /// `lines_total` − `total`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub header_discount_amount: Decimal,
    /// Σ line `net_amount_excl_vat`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total_excl_vat: Decimal,
    /// Σ line `vat_amount`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub vat_amount: Decimal,
    /// Σ line `net_amount`, VAT included: what the customer pays.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "680000.00"))]
    pub total: Decimal,
}

/// What lists show of a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteSummary {
    pub id: Uuid,
    /// From the tenant's series, e.g. `QT-2026-000123`; shared by the quote's versions.
    pub number: String,
    /// The version: 1, then 2 after a revision, …
    pub revision: u32,
    pub title: Option<String>,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub opportunity_id: Option<Uuid>,
    pub opportunity_name: Option<String>,
    pub status: QuoteStatus,
    /// A later version exists; this one is frozen.
    pub superseded: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "680000.00"))]
    pub total: Decimal,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub owner_id: Uuid,
    pub owner_name: String,
    /// The request deciding (or that decided) this version's approval.
    pub approval_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteResponse {
    #[serde(flatten)]
    pub summary: QuoteSummary,
    pub contact_id: Option<Uuid>,
    pub contact_name: Option<String>,
    /// 付款方式
    pub payment_terms: Option<String>,
    /// 交货期
    pub delivery_terms: Option<String>,
    /// Printed on the quote.
    pub notes: Option<String>,
    /// For colleagues only; never printed. Editing it is not a material change.
    pub internal_note: Option<String>,
    pub lines: Vec<QuoteLineResponse>,
    pub totals: QuoteTotals,
    /// The version this one revised.
    pub revised_from: Option<Uuid>,
    /// The quote this one was copied from.
    pub copied_from: Option<Uuid>,
    pub sent_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    pub decline_reason: Option<String>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "opportunity_id": "01936f0e-0000-7000-8000-000000000010",
    "valid_until": "2027-01-31", "payment_terms": "预付30%，发货前付60%，验收后付10%",
    "delivery_terms": "合同生效后45天", "header_discount_percent": "3",
    "lines": [{"product_id": "01936f0e-0000-7000-8000-000000000020", "quantity": "2"}]
})))]
#[serde(deny_unknown_fields)]
pub struct CreateQuoteRequest {
    /// The quote's customer, its currency and (without `lines`) its lines come from the
    /// opportunity. One of `opportunity_id` and `customer_id` is required.
    #[serde(default)]
    pub opportunity_id: Option<Uuid>,
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    /// A contact of the customer.
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub title: Option<String>,
    /// Defaults to the opportunity's, else `CNY`.
    #[serde(default)]
    pub currency: Option<String>,
    /// Defaults to 30 days from today (China time).
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    #[serde(default)]
    pub payment_terms: Option<String>,
    #[serde(default)]
    pub delivery_terms: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub internal_note: Option<String>,
    /// 整单折扣, 0–100; defaults to 0.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub header_discount_percent: Option<Decimal>,
    /// At most 500. Left out with an opportunity: the opportunity's lines.
    #[serde(default)]
    pub lines: Option<Vec<QuoteLineRequest>>,
    /// Defaults to the caller.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// Fields left out stay; `null` clears an optional one; `lines` replaces all lines. Only a
/// draft, rejected or approved quote is edited; a material change to an approved one
/// (anything but `internal_note`) takes it back to draft, to be approved again.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateQuoteRequest {
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
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<QuoteLineRequest>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    /// Refused: states change through the action endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<QuoteStatus>,
}

/// A note with an action (submit, send, accept, revise, copy); optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteActionRequest {
    /// At most 2000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// The customer said no.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeclineQuoteRequest {
    /// Required, at most 2000 characters.
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct QuoteListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `created_at` (default, descending), `updated_at`, `valid_until`, `total`, `number`;
    /// `-` for descending.
    pub sort: Option<String>,
    /// Matches the number, the title and the customer's name.
    pub q: Option<String>,
    pub status: Option<QuoteStatus>,
    pub customer_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Include versions a later one superseded (default false: the latest of each only).
    pub all_versions: Option<bool>,
    pub include_total: Option<bool>,
}

/// How a line differs between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineChangeKind {
    Added,
    Removed,
    Changed,
    Unchanged,
}

crate::keyed!(LineChangeKind {
    Added => "added",
    Removed => "removed",
    Changed => "changed",
    Unchanged => "unchanged",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineComparison {
    pub kind: LineChangeKind,
    pub before: Option<QuoteLineResponse>,
    pub after: Option<QuoteLineResponse>,
    /// For `changed`: the fields that differ, e.g. `["quantity", "unit_price"]`.
    pub changed_fields: Vec<String>,
}

/// A header field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldComparison {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Two versions of one quote, line by line: lines are matched by product (free lines by
/// name), in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteComparisonResponse {
    pub before: QuoteSummary,
    pub after: QuoteSummary,
    pub fields: Vec<FieldComparison>,
    pub lines: Vec<LineComparison>,
    pub totals_before: QuoteTotals,
    pub totals_after: QuoteTotals,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// Another version of the same quote (same number).
    pub with: Uuid,
}

/// Which copy to print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PdfVariant {
    /// The customer's copy.
    #[default]
    Priced,
    /// The warehouse or technical copy: no prices, discounts or amounts.
    NoPrices,
}

crate::keyed!(PdfVariant {
    Priced => "priced",
    NoPrices => "no_prices",
});

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentLanguage {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

crate::keyed!(DocumentLanguage {
    ZhCn => "zh-CN",
    En => "en",
});

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PdfQuery {
    pub variant: Option<PdfVariant>,
    /// Defaults to `zh-CN`.
    pub lang: Option<DocumentLanguage>,
    /// `true`: `Content-Disposition: attachment` (download) instead of `inline` (preview).
    pub download: Option<bool>,
}

/// The tenant's letterhead and the template's texts, printed on every document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentTemplate {
    /// Defaults to the tenant's name.
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// 统一社会信用代码
    #[serde(default)]
    pub tax_id: Option<String>,
    /// 开户行
    #[serde(default)]
    pub bank_name: Option<String>,
    /// 账号
    #[serde(default)]
    pub bank_account: Option<String>,
    /// Replaces 报价单 / Quotation.
    #[serde(default)]
    pub quote_title: Option<String>,
    /// Printed above the lines, e.g. 感谢贵司的垂询，现报价如下：
    #[serde(default)]
    pub quote_intro: Option<String>,
    /// Printed below the terms.
    #[serde(default)]
    pub quote_closing: Option<String>,
    #[serde(default)]
    pub seller_signature_label: Option<String>,
    #[serde(default)]
    pub buyer_signature_label: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentTemplateResponse {
    /// The texts as saved (blank ones print the defaults).
    pub template: DocumentTemplate,
    /// Whether a logo is uploaded (`PUT /document-template/logo`).
    pub has_logo: bool,
    pub version: i32,
}

/// What `POST /quotes/preview` answers: the lines and totals a create (or a PATCH with all
/// lines) would store, computed by the server without writing anything, for live totals in
/// an editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotePreviewResponse {
    pub customer_id: Uuid,
    pub currency: String,
    pub lines: Vec<QuoteLineResponse>,
    pub totals: QuoteTotals,
}
