//! `/contracts`: list, create (from an accepted quote, a won opportunity or directly), read,
//! update, delete, and the actions: submit, complete, terminate.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::contracts::{
    ContractActionRequest, ContractListQuery, ContractResponse, ContractSummary,
    CreateContractRequest, TerminateContractRequest, UpdateContractRequest,
};
use crm_api_types::identity::Permission;
use crm_domain::contract::ContractFields;
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_persistence::Cursor;
use crm_persistence::contracts::{self, ContractFilter, ContractSortKey};
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove)
        .service(submit)
        .service(complete)
        .service(terminate);
}

fn etagged(status: StatusCode, response: &ContractResponse) -> HttpResponse {
    with_etag(status, response.summary.version, response)
}

/// List the contracts the caller sees (owned within the data scope, or named as an
/// approver).
#[utoipa::path(
    tag = "contracts",
    params(ContractListQuery),
    responses((status = 200, description = "One page of contracts", body = Page<ContractSummary>), Problems),
    security(("bearer" = []))
)]
#[get("/contracts")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ContractListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let default = Sort {
        key: ContractSortKey::CreatedAt,
        descending: true,
    };
    let sort = parse_sort(query.sort.as_deref(), &ContractSortKey::NAMES, default)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = ContractFilter {
        q: query.q,
        status: query.status,
        customer_id: query.customer_id,
        owner_id: query.owner_id,
    };
    let page = contracts::list(
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

/// Create a draft contract (`HT-2026-000123`): from an accepted quote (lines, prices and
/// terms carried over; otherwise `409 quote_not_accepted`), from a won opportunity (its
/// lines; otherwise `409 opportunity_not_won`), or for a customer with `lines`.
#[utoipa::path(
    tag = "contracts",
    request_body = CreateContractRequest,
    responses((status = 201, description = "Created", body = ContractResponse), Problems),
    security(("bearer" = []))
)]
#[post("/contracts")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateContractRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractWrite)?;
    let request = body.0;
    let origin = contracts::origin(
        &state.db,
        &caller,
        request.quote_id,
        request.opportunity_id,
        request.customer_id,
    )
    .await?;
    let (fields, lines) = ContractFields::parse_new(
        &request,
        origin.customer_id,
        &origin.customer_name,
        origin.defaults.clone(),
        request.owner_id.unwrap_or(caller.user_id),
    )?;
    let response = contracts::create(&state.db, &caller, origin, fields, lines).await?;
    Ok(etagged(StatusCode::CREATED, &response))
}

#[utoipa::path(
    tag = "contracts",
    params(("id" = Uuid, Path, description = "Contract id")),
    responses((status = 200, description = "The contract; `ETag` carries its version", body = ContractResponse), Problems),
    security(("bearer" = []))
)]
#[get("/contracts/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractRead)?;
    let response = contracts::get(&state.db, &caller, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Change a draft (`lines` replaces all lines); a submitted contract only changes owner
/// (other fields: 422 `read_only`).
#[utoipa::path(
    tag = "contracts",
    params(
        ("id" = Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited"),
    ),
    request_body = UpdateContractRequest,
    responses((status = 200, description = "Updated", body = ContractResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/contracts/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateContractRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractWrite)?;
    let response = contracts::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Delete a draft (others: `409 invalid_transition`).
#[utoipa::path(
    tag = "contracts",
    params(
        ("id" = Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/contracts/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractDelete)?;
    contracts::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Submit a draft with lines for approval (by default 部门经理 → 财务 → 法务); without a
/// policy that applies it comes into force (生效) at once.
#[utoipa::path(
    tag = "contracts",
    params(
        ("id" = Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = ContractActionRequest,
    responses((status = 200, description = "Pending approval, or active", body = ContractResponse), Problems),
    security(("bearer" = []))
)]
#[post("/contracts/{id}/submit")]
async fn submit(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ContractActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractWrite)?;
    let response = contracts::submit(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        body.0.note.as_deref(),
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// 履行完毕: mark an active contract fulfilled.
#[utoipa::path(
    tag = "contracts",
    params(
        ("id" = Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = ContractActionRequest,
    responses((status = 200, description = "Completed", body = ContractResponse), Problems),
    security(("bearer" = []))
)]
#[post("/contracts/{id}/complete")]
async fn complete(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ContractActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractWrite)?;
    let response = contracts::complete(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        body.0.note.as_deref(),
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// 终止: end an active contract early; the reason is required.
#[utoipa::path(
    tag = "contracts",
    params(
        ("id" = Uuid, Path, description = "Contract id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = TerminateContractRequest,
    responses((status = 200, description = "Terminated", body = ContractResponse), Problems),
    security(("bearer" = []))
)]
#[post("/contracts/{id}/terminate")]
async fn terminate(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<TerminateContractRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ContractWrite)?;
    let response = contracts::terminate(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0.reason,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}
