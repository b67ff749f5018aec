//! Receivables: payments (`/payments`), open instalments (`/receivables`), aging
//! (`/receivables/aging`) and customers' credit limits (`/customers/{id}/credit`).

use super::Registry;
use actix_web::{HttpResponse, get, post, put, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::receivables::{
    AgingQuery, AgingResponse, AllocatePaymentRequest, CreatePaymentRequest,
    CustomerCreditResponse, PaymentListQuery, PaymentResponse, ReceivableListQuery,
    ReceivableResponse, UpdateCustomerCreditRequest,
};
use crm_domain::listing::parse_limit;
use crm_domain::money::parse_currency;
use crm_domain::{FieldErrors, today_in_china};
use crm_persistence::Cursor;
use crm_persistence::departments;
use crm_persistence::receivables::{self, AgingFilter, PaymentFilter, ReceivableFilter};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    // The literal paths come before the ones with ids.
    cfg.service(aging)
        .service(list_receivables)
        .service(list_payments)
        .service(create_payment)
        .service(read_payment)
        .service(allocate)
        .service(read_credit)
        .service(update_credit);
}

/// Record a payment (收款) from a customer. Without `allocations` it is applied to the
/// customer's owed instalments oldest due first (one order's with `sales_order_id`); with
/// them, exactly as listed (each at most the instalment's outstanding amount, together at
/// most the payment: 422 `exceeds_available`). What is not applied stays as credit.
#[utoipa::path(
    tag = "receivables",
    request_body = CreatePaymentRequest,
    responses((status = 201, description = "Recorded and applied", body = PaymentResponse), Problems),
    security(("bearer" = []))
)]
#[post("/payments")]
async fn create_payment(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreatePaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableWrite)?;
    let response = receivables::create_payment(&state.db, &caller, &body.0, None).await?;
    Ok(HttpResponse::Created().json(response))
}

/// Payments of customers the caller sees, newest first.
#[utoipa::path(
    tag = "receivables",
    params(PaymentListQuery),
    responses((status = 200, description = "One page of payments", body = Page<PaymentResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/payments")]
async fn list_payments(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<PaymentListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = PaymentFilter {
        customer_id: query.customer_id,
        sales_order_id: query.sales_order_id,
        unapplied: query.unapplied.unwrap_or(false),
        received_from: query.received_from,
        received_to: query.received_to,
    };
    let page = receivables::list_payments(
        &state.db,
        &caller,
        &filter,
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

#[utoipa::path(
    tag = "receivables",
    params(("id" = Uuid, Path, description = "Payment id")),
    responses((status = 200, description = "The payment with its allocations", body = PaymentResponse), Problems),
    security(("bearer" = []))
)]
#[get("/payments/{id}")]
async fn read_payment(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableRead)?;
    let response = receivables::get_payment(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Apply what is left of a payment (the customer's credit), as on creation. Nothing left:
/// `409 nothing_unapplied`.
#[utoipa::path(
    tag = "receivables",
    params(("id" = Uuid, Path, description = "Payment id")),
    request_body = AllocatePaymentRequest,
    responses((status = 200, description = "Applied", body = PaymentResponse), Problems),
    security(("bearer" = []))
)]
#[post("/payments/{id}/allocate")]
async fn allocate(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<AllocatePaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableWrite)?;
    let response =
        receivables::allocate_payment(&state.db, &caller, id.into_inner(), &body.0).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Open instalments of confirmed orders the caller sees (by the order's owner), oldest
/// first; `bucket` drills down from the aging table.
#[utoipa::path(
    tag = "receivables",
    params(ReceivableListQuery),
    responses((status = 200, description = "One page of open instalments", body = Page<ReceivableResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/receivables")]
async fn list_receivables(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ReceivableListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let department_path = departments::filter_path(&state.db, &caller, query.department_id).await?;
    let filter = ReceivableFilter {
        customer_id: query.customer_id,
        owner_id: query.owner_id,
        department_path,
        sales_order_id: query.sales_order_id,
        overdue: query.overdue.unwrap_or(false),
        bucket: query.bucket.map(|b| (b, today_in_china())),
        due_from: query.due_from,
        due_to: query.due_to,
    };
    let page = receivables::list(
        &state.db,
        &caller,
        &filter,
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

/// 账龄: what is outstanding, by days past due (not due, 1–30, 31–60, 61–90, 91–180, over
/// 180), per customer, owner or department, the `limit` largest first, with totals over all.
/// Summed by the database over the instalments the caller's data scope covers.
#[utoipa::path(
    tag = "receivables",
    params(AgingQuery),
    responses((status = 200, description = "The aging table", body = AgingResponse), Problems),
    security(("bearer" = []))
)]
#[get("/receivables/aging")]
async fn aging(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<AgingQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableRead)?;
    let query = query.0;
    let mut errors = FieldErrors::new();
    let currency = parse_currency(&mut errors, "currency", query.currency.as_deref());
    errors.finish(())?;
    let limit = parse_limit(query.limit)?;
    let filter = AgingFilter {
        group_by: query.group_by.unwrap_or_default(),
        currency,
        as_of: query.as_of.unwrap_or_else(today_in_china),
        limit: usize::try_from(limit).unwrap_or(usize::MAX),
    };
    let response = receivables::aging(&state.db, &caller, &filter).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// A customer's credit limit (信用额度) and what their open receivables use of it.
#[utoipa::path(
    tag = "receivables",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The credit figures", body = CustomerCreditResponse), Problems),
    security(("bearer" = []))
)]
#[get("/customers/{id}/credit")]
async fn read_credit(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableRead)?;
    let response = receivables::customer_credit(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Set or remove (`null`) a customer's credit limit, in CNY.
#[utoipa::path(
    tag = "receivables",
    params(("id" = Uuid, Path, description = "Customer id")),
    request_body = UpdateCustomerCreditRequest,
    responses((status = 200, description = "The credit figures", body = CustomerCreditResponse), Problems),
    security(("bearer" = []))
)]
#[put("/customers/{id}/credit")]
async fn update_credit(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateCustomerCreditRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableWrite)?;
    let response =
        receivables::set_credit_limit(&state.db, &caller, id.into_inner(), body.0.credit_limit)
            .await?;
    Ok(HttpResponse::Ok().json(response))
}
