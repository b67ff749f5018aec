//! The product catalogue (产品), its category tree, price lists with quantity breaks, price
//! resolution and the price history (价格履历).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The VAT rates (增值税税率) a product may carry; the JSON form is the rate as a decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VatRate {
    /// 13%, goods (the default).
    #[serde(rename = "0.13")]
    Goods13,
    /// 9%: transport, construction, some farm goods.
    #[serde(rename = "0.09")]
    Reduced9,
    /// 6%: modern services.
    #[serde(rename = "0.06")]
    Services6,
    /// 0%: exports.
    #[serde(rename = "0")]
    Zero,
}

crate::keyed!(VatRate {
    Goods13 => "0.13",
    Reduced9 => "0.09",
    Services6 => "0.06",
    Zero => "0",
});

impl VatRate {
    /// The rate as a fraction, e.g. `0.13`.
    pub fn rate(self) -> Decimal {
        match self {
            Self::Goods13 => Decimal::new(13, 2),
            Self::Reduced9 => Decimal::new(9, 2),
            Self::Services6 => Decimal::new(6, 2),
            Self::Zero => Decimal::ZERO,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductResponse {
    pub id: Uuid,
    /// SKU, unique in the tenant.
    pub code: String,
    pub name: String,
    /// 型号/规格
    pub spec: Option<String>,
    /// 台, 套, 个, 米 …
    pub unit: String,
    pub category_id: Option<Uuid>,
    pub category_name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12500.00"))]
    pub list_price: Decimal,
    /// ISO 4217.
    pub currency: String,
    pub vat_rate: VatRate,
    /// Inactive products stay on old records but cannot be added to new lines.
    pub active: bool,
    pub description: Option<String>,
    /// The product's id in the ERP that owns the catalogue.
    pub external_id: Option<String>,
    pub external_source: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "code": "CNC-850", "name": "立式加工中心", "spec": "VMC-850 / 行程 800×500×500",
    "unit": "台", "list_price": "268000.00", "vat_rate": "0.13"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateProductRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub spec: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10))]
    pub unit: String,
    #[serde(default)]
    pub category_id: Option<Uuid>,
    /// A decimal string, at most 4 decimal places, not negative.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "268000.00"))]
    pub list_price: Decimal,
    /// Defaults to `CNY`.
    #[serde(default)]
    pub currency: Option<String>,
    /// Defaults to `0.13`.
    #[serde(default)]
    pub vat_rate: Option<VatRate>,
    /// Defaults to true.
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: Option<String>,
    /// Unique per `external_source` in the tenant; both or neither.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub external_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub external_source: Option<String>,
}

/// Fields left out stay as they are; `null` clears an optional field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateProductRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub spec: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub category_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub list_price: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_rate: Option<VatRate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub description: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub external_id: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub external_source: Option<Option<String>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ProductListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `code` (default), `name`, `created_at`, `updated_at`; `-` for descending.
    pub sort: Option<String>,
    /// Matches code, name and specification.
    pub q: Option<String>,
    /// This category and the ones below it.
    pub category_id: Option<Uuid>,
    pub active: Option<bool>,
    pub include_total: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductCategoryResponse {
    pub id: Uuid,
    pub name: String,
    /// `null` for a top-level category.
    pub parent_id: Option<Uuid>,
    /// Products directly in this category.
    pub product_count: u64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "数控机床"})))]
#[serde(deny_unknown_fields)]
pub struct CreateProductCategoryRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// Fields left out stay as they are; `parent_id: null` makes it top-level.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateProductCategoryRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub parent_id: Option<Option<Uuid>>,
}

/// Who a price list is for: every customer of a tier, or one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PriceListAudience {
    /// A key from the tenant's `customer_tiers`.
    Tier { tier: String },
    Customer {
        customer_id: Uuid,
        /// Filled in responses.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer_name: Option<String>,
    },
}

/// One quantity break: from `min_quantity` on, the unit price is `unit_price`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceListItemResponse {
    pub product_id: Uuid,
    pub product_code: String,
    pub product_name: String,
    pub unit: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10"))]
    pub min_quantity: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "255000.00"))]
    pub unit_price: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceListResponse {
    pub id: Uuid,
    pub name: String,
    pub audience: PriceListAudience,
    pub currency: String,
    /// First day it applies; `null`: since always.
    pub valid_from: Option<NaiveDate>,
    /// Last day it applies; `null`: open-ended.
    pub valid_to: Option<NaiveDate>,
    pub active: bool,
    pub notes: Option<String>,
    pub item_count: u64,
    /// Present on `GET /price-lists/{id}` and writes; left out of lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<PriceListItemResponse>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceListItemRequest {
    pub product_id: Uuid,
    /// Defaults to 1; each (product, min_quantity) once per list.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "10"))]
    pub min_quantity: Option<Decimal>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "255000.00"))]
    pub unit_price: Decimal,
}

/// Creates a price list, or replaces one whole (`PUT`), items included.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "A 类客户 2027 价格", "audience": {"kind": "tier", "tier": "A"},
    "valid_from": "2027-01-01", "valid_to": "2027-12-31",
    "items": [{"product_id": "01936f0e-0000-7000-8000-000000000001", "min_quantity": "1", "unit_price": "258000.00"},
              {"product_id": "01936f0e-0000-7000-8000-000000000001", "min_quantity": "5", "unit_price": "249000.00"}]
})))]
#[serde(deny_unknown_fields)]
pub struct PriceListRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub audience: PriceListAudience,
    /// Defaults to `CNY`.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    /// Defaults to true.
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub notes: Option<String>,
    /// At most 5,000 items.
    #[serde(default)]
    pub items: Vec<PriceListItemRequest>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PriceListListQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Matches the name.
    pub q: Option<String>,
    pub customer_id: Option<Uuid>,
    pub tier: Option<String>,
    /// Lists that price this product.
    pub product_id: Option<Uuid>,
    pub active: Option<bool>,
    pub include_total: Option<bool>,
}

/// Prices for a customer on a day: one line per product and quantity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "customer_id": "01936f0e-0000-7000-8000-000000000002", "date": "2027-03-01",
    "lines": [{"product_id": "01936f0e-0000-7000-8000-000000000001", "quantity": "6"}]
})))]
#[serde(deny_unknown_fields)]
pub struct ResolvePricesRequest {
    /// Without a customer only list prices apply.
    #[serde(default)]
    pub customer_id: Option<Uuid>,
    /// Defaults to today (UTC+8, the working day in China).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Defaults to `CNY`; only prices in this currency are considered.
    #[serde(default)]
    pub currency: Option<String>,
    /// 1–500 lines.
    pub lines: Vec<ResolvePriceLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolvePriceLine {
    pub product_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "6"))]
    pub quantity: Decimal,
}

/// Where a resolved price comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// A price list for this very customer.
    Customer,
    /// A price list for the customer's tier.
    Tier,
    /// The product's list price.
    ListPrice,
}

crate::keyed!(PriceSource {
    Customer => "customer",
    Tier => "tier",
    ListPrice => "list_price",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolvedPriceResponse {
    pub product_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub list_price: Decimal,
    /// `null` when nothing prices the product in the asked currency.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_price: Option<Decimal>,
    pub currency: String,
    pub source: Option<PriceSource>,
    pub price_list_id: Option<Uuid>,
    pub price_list_name: Option<String>,
    /// The quantity break that applied.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub min_quantity: Option<Decimal>,
    pub vat_rate: VatRate,
    /// The last price this customer got for the product (价格履历).
    pub last_price: Option<PriceHistoryResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolvePricesResponse {
    pub date: NaiveDate,
    pub currency: String,
    pub lines: Vec<ResolvedPriceResponse>,
}

/// How a price came to be agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceEvent {
    /// On an opportunity when it was won.
    Won,
    /// On a quote sent to the customer.
    Quoted,
    /// On a sales order.
    Sold,
}

crate::keyed!(PriceEvent {
    Won => "won",
    Quoted => "quoted",
    Sold => "sold",
});

/// One price a customer was given for a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceHistoryResponse {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub product_id: Uuid,
    pub product_code: String,
    pub product_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit_price: Decimal,
    /// Discount off the list price in percent, as given on the line.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub discount_percent: Decimal,
    pub currency: String,
    pub event: PriceEvent,
    /// The record it came from, e.g. the opportunity.
    pub source_id: Uuid,
    pub source_name: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PriceHistoryQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub customer_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    pub event: Option<PriceEvent>,
}
