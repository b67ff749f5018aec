//! Reconciliation (对账): `PUT /sales-orders/{id}/erp-figures` takes an ERP's figures for an
//! order and answers where they disagree with the CRM's; `GET /reconciliation` lists every
//! order that disagrees, field by field, so an operator sees drift before a customer does.

use super::Registry;
use actix_web::{HttpResponse, get, put, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::reconciliation::{
    ReconciliationListQuery, ReconciliationResponse, ReportFiguresRequest,
};
use crm_domain::listing::parse_limit;
use crm_persistence::Cursor;
use crm_persistence::reconciliation;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list).service(report).service(of_order);
}

/// The orders whose figures reported by an ERP disagree with the CRM's, most recently
/// reported first, each with the fields that differ.
#[utoipa::path(
    tag = "reconciliation",
    params(ReconciliationListQuery),
    responses((status = 200, description = "One page of orders that disagree", body = Page<ReconciliationResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/reconciliation")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ReconciliationListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let page = reconciliation::disagreements(
        &state.db,
        &caller,
        query.source.as_deref(),
        limit,
        cursor.as_ref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items,
        next_cursor: page.next.map(|c| c.encode()),
        total: None,
    }))
}

/// Report an ERP's figures for an order (its amount, invoiced, collected, shipped per line),
/// replacing what the same system reported before. Answers how they compare now; they are
/// compared again on every read, so later changes on either side show.
#[utoipa::path(
    tag = "reconciliation",
    params(("id" = Uuid, Path, description = "Order id")),
    request_body = ReportFiguresRequest,
    responses((status = 200, description = "The figures next to the CRM's", body = ReconciliationResponse), Problems),
    security(("bearer" = []))
)]
#[put("/sales-orders/{id}/erp-figures")]
async fn report(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ReportFiguresRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderWrite)?;
    let response = reconciliation::report(&state.db, &caller, id.into_inner(), &body.0).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Every system's reported figures for one order, next to the CRM's.
#[utoipa::path(
    tag = "reconciliation",
    params(("id" = Uuid, Path, description = "Order id")),
    responses((status = 200, description = "One entry per reporting system", body = Vec<ReconciliationResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders/{id}/erp-figures")]
async fn of_order(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let reports = reconciliation::of_order(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(reports))
}
