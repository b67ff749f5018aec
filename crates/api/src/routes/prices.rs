//! `/prices/resolve` (what a customer pays, line by line) and `/price-history` (价格履历).
//! Both need `opportunity.read`, and see only customers in the caller's data scope.

use super::Registry;
use actix_web::{HttpResponse, get, post, web};
use chrono::{Duration, NaiveDate, Utc};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::products::{
    PriceHistoryQuery, PriceHistoryResponse, ResolvePricesRequest, ResolvePricesResponse,
    ResolvedPriceResponse,
};
use crm_domain::listing::parse_limit;
use crm_domain::money::{check_quantity, parse_currency};
use crm_domain::{FieldErrors, Violation};
use crm_persistence::Cursor;
use crm_persistence::price_history::{self, PriceHistoryFilter, PriceHistoryRow};
use crm_persistence::pricing::{self, QuotedLine};

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(resolve).service(history);
}

/// The most lines one request may price.
const LINES_MAX: usize = 500;

/// Today where the customers are: the working day in China (UTC+8, no daylight saving).
fn today_in_china() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn line_response(currency: &str, line: QuotedLine) -> ResolvedPriceResponse {
    let resolved = line.resolved;
    let (price_list_id, price_list_name, min_quantity) = resolved
        .as_ref()
        .and_then(|r| r.from_list.clone())
        .map_or((None, None, None), |(id, name, min)| {
            (Some(id), Some(name), Some(min))
        });
    ResolvedPriceResponse {
        product_id: line.product_id,
        quantity: line.quantity,
        list_price: line.list_price,
        unit_price: resolved.as_ref().map(|r| r.unit_price),
        currency: currency.to_owned(),
        source: resolved.as_ref().map(|r| r.source),
        price_list_id,
        price_list_name,
        min_quantity,
        vat_rate: line.vat_rate,
        last_price: line.last_price.map(PriceHistoryRow::response),
    }
}

/// Price products for a customer on a day: its own price lists first, then its tier's, then
/// each product's list price; the largest quantity break not above the quantity applies.
/// Each line also carries the last price the customer got for the product. Without
/// `customer_id` only list prices apply.
#[utoipa::path(
    tag = "price-lists",
    request_body = ResolvePricesRequest,
    responses((status = 200, description = "One price per line, in the order asked", body = ResolvePricesResponse), Problems),
    security(("bearer" = []))
)]
#[post("/prices/resolve")]
async fn resolve(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<ResolvePricesRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let request = body.0;
    let mut errors = FieldErrors::new();
    let currency = parse_currency(&mut errors, "currency", request.currency.as_deref());
    if !(1..=LINES_MAX).contains(&request.lines.len()) {
        errors.add(
            "lines",
            Violation::OutOfRange {
                min: 1,
                max: LINES_MAX as i64,
            },
        );
    }
    let lines: Vec<_> = request
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let field = format!("lines[{i}].quantity");
            (
                line.product_id,
                check_quantity(&mut errors, &field, line.quantity),
            )
        })
        .collect();
    let lines = errors.finish(lines)?;
    let date = request.date.unwrap_or_else(today_in_china);
    let quoted = pricing::quote(
        &state.db,
        &caller,
        request.customer_id,
        &currency,
        date,
        &lines,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ResolvePricesResponse {
        date,
        lines: quoted
            .into_iter()
            .map(|line| line_response(&currency, line))
            .collect(),
        currency,
    }))
}

/// Prices customers were given (价格履历), newest first: filter by customer for "what did we
/// charge them", by product for "what do we charge for it". Only customers in your data
/// scope.
#[utoipa::path(
    tag = "price-lists",
    params(PriceHistoryQuery),
    responses((status = 200, description = "One page of prices", body = Page<PriceHistoryResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/price-history")]
async fn history(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<PriceHistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = PriceHistoryFilter {
        customer_id: query.customer_id,
        product_id: query.product_id,
        event: query.event,
    };
    let (rows, next) =
        price_history::list(&state.db, &caller, &filter, limit, cursor.as_ref()).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(PriceHistoryRow::response).collect(),
        next_cursor: next.map(|c| c.encode()),
        total: None,
    }))
}
