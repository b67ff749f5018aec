//! `/sales-orders`: list, create (from an accepted quote or directly), read, update, delete,
//! the timeline, the credit check and the overdue-delivery list; the actions (submit,
//! cancel, shipments, plan, invoices) are in `sales_orders/actions.rs`.

mod actions;

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::sales_orders::{
    CreateSalesOrderRequest, CreditCheckResponse, OVERDUE_DELIVERIES_SHOWN,
    OverdueDeliveryResponse, SalesOrderListQuery, SalesOrderResponse, SalesOrderSummary,
    ShipmentResponse, TimelineEntry, UpdateSalesOrderRequest,
};
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_domain::sales_order::OrderFields;
use crm_domain::sync::ExternalRef;
use crm_domain::{Caller, today_in_china};
use crm_persistence::Cursor;
use crm_persistence::sales_orders::{self, SalesOrderFilter, SalesOrderSortKey};
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    // The literal path comes before `/sales-orders/{id}`.
    cfg.service(overdue)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove)
        .service(timeline)
        .service(shipments)
        .service(credit_check);
    actions::configure(cfg);
}

pub(super) fn etagged(status: StatusCode, response: &SalesOrderResponse) -> HttpResponse {
    with_etag(status, response.summary.version, response)
}

/// List the orders the caller sees (owned within the data scope, or named as an approver).
#[utoipa::path(
    tag = "sales-orders",
    params(SalesOrderListQuery),
    responses((status = 200, description = "One page of orders", body = Page<SalesOrderSummary>), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<SalesOrderListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let default = Sort {
        key: SalesOrderSortKey::CreatedAt,
        descending: true,
    };
    let sort = parse_sort(query.sort.as_deref(), &SalesOrderSortKey::NAMES, default)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let department_path =
        crm_persistence::departments::filter_path(&state.db, &caller, query.department_id).await?;
    let filter = SalesOrderFilter {
        q: query.q,
        status: query.status,
        customer_id: query.customer_id,
        quote_id: query.quote_id,
        owner_id: query.owner_id,
        department_path,
        order_date_from: query.order_date_from,
        order_date_to: query.order_date_to,
        product_id: query.product_id,
    };
    let page = sales_orders::list(
        &state.db,
        &caller,
        &filter,
        sort,
        limit,
        cursor.as_ref(),
        query.include_total.unwrap_or(false),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items,
        next_cursor: page.next.map(|c| c.encode()),
        total: page.total,
    }))
}

/// Create a draft order, numbered from the tenant's series (`SO-2026-000123`). From an
/// accepted quote (`quote_id`) the customer, terms and lines with their prices carry over; a
/// quote not accepted: `409 quote_not_accepted`; already ordered: `409 quote_already_ordered`.
/// Entered directly: `customer_id` and `lines` (priced from the price lists when no price is
/// given).
#[utoipa::path(
    tag = "sales-orders",
    request_body = CreateSalesOrderRequest,
    responses((status = 201, description = "Created", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[post("/sales-orders")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateSalesOrderRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderWrite)?;
    let response = new_order(&state, &caller, &body.0, None).await?;
    Ok(etagged(StatusCode::CREATED, &response))
}

/// Creates an order from a create request: from its quote or contract, or entered directly;
/// `external` names the system that owns it when one does.
pub(super) async fn new_order(
    state: &AppState,
    caller: &Caller,
    request: &CreateSalesOrderRequest,
    external: Option<&ExternalRef>,
) -> Result<SalesOrderResponse, ApiError> {
    let origin = sales_orders::origin(
        &state.db,
        caller,
        request.quote_id,
        request.contract_id,
        request.customer_id,
    )
    .await?;
    let (fields, lines) = OrderFields::parse_new(
        request,
        origin.customer_id,
        origin.defaults.clone(),
        request.owner_id.unwrap_or(caller.user_id),
        today_in_china(),
    )?;
    let response = sales_orders::create(
        &state.db,
        caller,
        origin,
        fields,
        lines,
        request.promised_date,
        external,
    )
    .await?;
    Ok(response)
}

/// Read one order: lines with shipped, delivered and open quantities, shipments, the
/// collection plan, invoices and totals.
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The order; `ETag` carries its version", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let response = sales_orders::get(&state.db, &caller, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Change an order. A draft takes every field (`lines` replaces all lines); a submitted order
/// only `customer_po`, `shipping_address`, `internal_note`, `owner_id` and `promised_dates`
/// (others: 422 `read_only`). Completed and cancelled orders: `409 invalid_transition`.
#[utoipa::path(
    tag = "sales-orders",
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = UpdateSalesOrderRequest,
    responses((status = 200, description = "Updated", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/sales-orders/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateSalesOrderRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderWrite)?;
    let response = sales_orders::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
        None,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Delete a draft order (others: `409 invalid_transition`; cancel them instead).
#[utoipa::path(
    tag = "sales-orders",
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/sales-orders/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderDelete)?;
    sales_orders::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The order's whole life, oldest first: the quote's acceptance, changes, approval
/// decisions, shipments and deliveries, invoices and payments applied.
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The timeline", body = Vec<TimelineEntry>), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders/{id}/timeline")]
async fn timeline(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let entries = sales_orders::timeline(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(entries))
}

/// The order's shipments, oldest first, with what each carried (order line and quantity).
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The shipments", body = Vec<ShipmentResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders/{id}/shipments")]
async fn shipments(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let found = sales_orders::shipments(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The credit check the order meets on submission: the customer's open receivables plus
/// this order against their credit limit, and what the tenant does when it is exceeded.
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Order id")),
    responses((status = 200, description = "The figures", body = CreditCheckResponse), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders/{id}/credit-check")]
async fn credit_check(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let response = sales_orders::credit_check(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// 交期超期: lines of the caller's confirmed or partly shipped orders past their promised
/// date with quantity still to ship, the longest overdue first (at most
/// `OVERDUE_DELIVERIES_SHOWN`, 200).
#[utoipa::path(
    tag = "sales-orders",
    responses((status = 200, description = "Overdue lines", body = Vec<OverdueDeliveryResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders/overdue-deliveries")]
async fn overdue(Auth(caller): Auth, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let rows =
        sales_orders::overdue_deliveries(&state.db, &caller, OVERDUE_DELIVERIES_SHOWN).await?;
    Ok(HttpResponse::Ok().json(rows))
}
