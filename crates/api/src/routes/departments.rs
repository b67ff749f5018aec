//! `/departments`: the tenant's department tree (permission `user.manage` to change it).

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::{
    CreateDepartmentRequest, DepartmentResponse, Permission, UpdateDepartmentRequest,
};
use crm_domain::FieldErrors;
use crm_persistence::departments::{self, Department, DepartmentChanges};
use uuid::Uuid;

use super::{NoParams, with_etag};
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
        .service(remove);
}

fn response(d: Department) -> DepartmentResponse {
    DepartmentResponse {
        id: d.id,
        name: d.name,
        parent_id: d.parent_id,
        manager_id: d.manager_id,
        version: d.version,
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

const NAME_MAX: usize = 50;

/// Every department, parents before children (one page: trees are small).
#[utoipa::path(
    tag = "departments",
    responses((status = 200, description = "All departments", body = Page<DepartmentResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/departments")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let rows = departments::list(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(response).collect::<Vec<_>>(),
        next_cursor: None,
        total: None,
    }))
}

#[utoipa::path(
    tag = "departments",
    request_body = CreateDepartmentRequest,
    responses((status = 201, description = "Created", body = DepartmentResponse), Problems),
    security(("bearer" = []))
)]
#[post("/departments")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateDepartmentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &body.name, NAME_MAX);
    errors.finish(())?;
    let d = departments::create(&state.db, &caller, name, body.parent_id, body.manager_id).await?;
    Ok(with_etag(StatusCode::CREATED, d.version, &response(d)))
}

#[utoipa::path(
    tag = "departments",
    params(("id" = Uuid, Path, description = "Department id")),
    responses((status = 200, description = "The department", body = DepartmentResponse), Problems),
    security(("bearer" = []))
)]
#[get("/departments/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let d = departments::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, d.version, &response(d)))
}

/// Rename, move under another parent (with everything below it), or change the manager.
#[utoipa::path(
    tag = "departments",
    params(("id" = Uuid, Path, description = "Department id"), ("If-Match" = Option<String>, Header, description = "The version you edited")),
    request_body = UpdateDepartmentRequest,
    responses((status = 200, description = "Updated", body = DepartmentResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/departments/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateDepartmentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let name = body
        .name
        .as_deref()
        .map(|n| errors.required_text("name", n, NAME_MAX));
    errors.finish(())?;
    let changes = DepartmentChanges {
        name,
        parent_id: body.parent_id,
        manager_id: body.manager_id,
    };
    let d = departments::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        changes,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, d.version, &response(d)))
}

/// Delete an empty department (no sub-departments, no users): 409 otherwise.
#[utoipa::path(
    tag = "departments",
    params(("id" = Uuid, Path, description = "Department id")),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/departments/{id}")]
async fn remove(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    departments::delete(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
