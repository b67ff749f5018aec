//! `/approval-policies`: which documents need approval, and by whom. Administered with
//! `settings.manage`; every signed-in user may read them (a rep sees why a quote needs
//! approval).

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use crm_api_types::approvals::{
    ApprovalPolicyListQuery, ApprovalPolicyRequest, ApprovalPolicyResponse,
};
use crm_api_types::identity::Permission;
use crm_domain::approval::policy::Policy;
use crm_persistence::approvals::policies;
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
        .service(replace)
        .service(remove);
}

fn etagged(status: StatusCode, response: &ApprovalPolicyResponse) -> HttpResponse {
    with_etag(status, response.version, response)
}

/// The tenant's policies, in the order a submission tries them (ascending `priority`).
#[utoipa::path(
    tag = "approvals",
    params(ApprovalPolicyListQuery),
    responses((status = 200, description = "The policies", body = Vec<ApprovalPolicyResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/approval-policies")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ApprovalPolicyListQuery>,
) -> Result<HttpResponse, ApiError> {
    let policies = policies::list(&state.db, &caller, query.0.document_kind).await?;
    Ok(HttpResponse::Ok().json(policies))
}

/// Add a policy: conditions on the document's facts choose a chain of steps.
#[utoipa::path(
    tag = "approvals",
    request_body = ApprovalPolicyRequest,
    responses((status = 201, description = "Created", body = ApprovalPolicyResponse), Problems),
    security(("bearer" = []))
)]
#[post("/approval-policies")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<ApprovalPolicyRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let policy = Policy::parse(&body.0)?;
    let response = policies::create(&state.db, &caller, &policy).await?;
    Ok(etagged(StatusCode::CREATED, &response))
}

#[utoipa::path(
    tag = "approvals",
    params(("id" = Uuid, Path, description = "Policy id")),
    responses((status = 200, description = "The policy", body = ApprovalPolicyResponse), Problems),
    security(("bearer" = []))
)]
#[get("/approval-policies/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let response = policies::get(&state.db, &caller, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Replace a policy. Requests already submitted keep the chain they started with.
#[utoipa::path(
    tag = "approvals",
    params(
        ("id" = Uuid, Path, description = "Policy id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited"),
    ),
    request_body = ApprovalPolicyRequest,
    responses((status = 200, description = "Replaced", body = ApprovalPolicyResponse), Problems),
    security(("bearer" = []))
)]
#[put("/approval-policies/{id}")]
async fn replace(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ApprovalPolicyRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let policy = Policy::parse(&body.0)?;
    let response = policies::replace(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &policy,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Delete a policy. Requests already submitted under it go on.
#[utoipa::path(
    tag = "approvals",
    params(
        ("id" = Uuid, Path, description = "Policy id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/approval-policies/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    policies::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
