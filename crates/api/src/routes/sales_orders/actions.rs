//! What happens to an order after it is written: submit, cancel, ship, sign for, plan its
//! collection, invoice. Each answers the whole order.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, put, web};
use crm_api_types::identity::Permission;
use crm_api_types::receivables::{CollectionPlanRequest, CreateInvoiceRequest};
use crm_api_types::sales_orders::{
    CancelSalesOrderRequest, CreateShipmentRequest, DeliverShipmentRequest,
    SalesOrderActionRequest, SalesOrderResponse,
};
use crm_persistence::{receivables, sales_orders};
use uuid::Uuid;

use super::etagged;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, if_match};
use crate::openapi::Problems;
use crate::routes::Registry;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(submit)
        .service(cancel)
        .service(ship)
        .service(deliver)
        .service(plan)
        .service(invoice);
}

/// Submit a draft. A customer past their credit limit: `409 credit_limit_exceeded` when the
/// tenant blocks (see `GET …/credit-check`); the tenant's approval policies decide whether the
/// order needs approval (by default 1,000,000 CNY or more needs the general manager); without
/// one it is confirmed at once and gets its collection plan (by default 100% 30 days after
/// confirmation).
#[utoipa::path(
    tag = "sales-orders",
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = SalesOrderActionRequest,
    responses((status = 200, description = "Pending approval, or confirmed", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[post("/sales-orders/{id}/submit")]
async fn submit(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<SalesOrderActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderWrite)?;
    let response = sales_orders::submit(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        body.0.note.as_deref(),
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Cancel what is not shipped, with a reason. Nothing shipped: the order is cancelled
/// (`409 payments_received` once money was applied to it). Partly shipped: the rest is
/// dropped, the order counts as shipped, and its plan shrinks to what is still owed.
#[utoipa::path(
    tag = "sales-orders",
    params(
        ("id" = Uuid, Path, description = "Order id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = CancelSalesOrderRequest,
    responses((status = 200, description = "Cancelled", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[post("/sales-orders/{id}/cancel")]
async fn cancel(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<CancelSalesOrderRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderWrite)?;
    let response = sales_orders::cancel(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0.reason,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Record a shipment (发货) of a confirmed or partly shipped order: any lines, each at most
/// its open quantity (422 `exceeds_available`). The order moves to partly shipped or shipped;
/// instalments counting from the first or full shipment get their due dates.
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Order id")),
    request_body = CreateShipmentRequest,
    responses((status = 201, description = "The order with its new shipment", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[post("/sales-orders/{id}/shipments")]
async fn ship(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<CreateShipmentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderWrite)?;
    let response =
        sales_orders::create_shipment(&state.db, &caller, id.into_inner(), &body.0, None, None)
            .await?;
    Ok(etagged(StatusCode::CREATED, &response))
}

/// Record that the customer signed for a shipment (签收). When everything shipped is signed
/// for the order completes (the plan's `accepted` event).
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Shipment id")),
    request_body = DeliverShipmentRequest,
    responses((status = 200, description = "The shipment's order", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[post("/shipments/{id}/deliver")]
async fn deliver(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DeliverShipmentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderWrite)?;
    let response =
        sales_orders::deliver_shipment(&state.db, &caller, id.into_inner(), &body.0, None).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Replace the order's collection plan (收款计划): instalments as percentages or amounts that
/// add up to what is owed (422 `sum_mismatch`), due on a date or days after an order event.
/// An instalment keeps at least what was paid on it (422 `below_paid`). Needs
/// `sales_order.write` or `receivable.write`.
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Order id")),
    request_body = CollectionPlanRequest,
    responses((status = 200, description = "The order with its plan", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[put("/sales-orders/{id}/collection-plan")]
async fn plan(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<CollectionPlanRequest>,
) -> Result<HttpResponse, ApiError> {
    if !caller.can(Permission::ReceivableWrite) {
        caller.require(Permission::SalesOrderWrite)?;
    }
    let response = receivables::set_plan(&state.db, &caller, id.into_inner(), &body.0).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Record an invoice (开票) issued for a confirmed order; all invoices together stay within
/// what is owed (422 `exceeds_available` on `amount`); a number used before:
/// `409 invoice_number_taken`.
#[utoipa::path(
    tag = "sales-orders",
    params(("id" = Uuid, Path, description = "Order id")),
    request_body = CreateInvoiceRequest,
    responses((status = 201, description = "The order with its invoices", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[post("/sales-orders/{id}/invoices")]
async fn invoice(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<CreateInvoiceRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableWrite)?;
    let response =
        receivables::create_invoice(&state.db, &caller, id.into_inner(), &body.0, None).await?;
    Ok(etagged(StatusCode::CREATED, &response))
}
