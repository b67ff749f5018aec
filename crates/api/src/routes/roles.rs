//! `/roles`: function permissions and data scopes (permission `user.manage`).

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::{CreateRoleRequest, Permission, RoleResponse, UpdateRoleRequest};
use crm_domain::FieldErrors;
use crm_domain::identity::parse_role_key;
use crm_persistence::roles::{self, Role, RoleFields};
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

fn response(role: Role) -> RoleResponse {
    RoleResponse {
        id: role.id,
        permissions: roles::permissions_of(&role).into_iter().collect(),
        data_scope: roles::scope_of(&role),
        key: role.key,
        name: role.name,
        builtin: role.builtin,
        version: role.version,
    }
}

const NAME_MAX: usize = 50;

/// Every role of the tenant, built-in ones first. Readable with `user.manage`, or with
/// `settings.manage` (approval policies name roles as approvers).
#[utoipa::path(
    tag = "roles",
    responses((status = 200, description = "All roles", body = Page<RoleResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/roles")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    if !caller.can(Permission::SettingsManage) {
        caller.require(Permission::UserManage)?;
    }
    let rows = roles::list(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(response).collect::<Vec<_>>(),
        next_cursor: None,
        total: None,
    }))
}

#[utoipa::path(
    tag = "roles",
    request_body = CreateRoleRequest,
    responses((status = 201, description = "Created", body = RoleResponse), Problems),
    security(("bearer" = []))
)]
#[post("/roles")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let key = parse_role_key(&mut errors, &body.key);
    let name = errors.required_text("name", &body.name, NAME_MAX);
    errors.finish(())?;
    let fields = RoleFields {
        name,
        permissions: body.permissions.into_iter().collect(),
        data_scope: body.data_scope,
    };
    let role = roles::create(&state.db, &caller, key, fields).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        role.version,
        &response(role),
    ))
}

#[utoipa::path(
    tag = "roles",
    params(("id" = Uuid, Path, description = "Role id")),
    responses((status = 200, description = "The role", body = RoleResponse), Problems),
    security(("bearer" = []))
)]
#[get("/roles/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let role = roles::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, role.version, &response(role)))
}

/// Change a role's name, permissions or data scope (its key never changes). Takes effect
/// on its users' next request.
#[utoipa::path(
    tag = "roles",
    params(("id" = Uuid, Path, description = "Role id"), ("If-Match" = Option<String>, Header, description = "The version you edited")),
    request_body = UpdateRoleRequest,
    responses((status = 200, description = "Updated", body = RoleResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/roles/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let name = body
        .name
        .as_deref()
        .map(|n| errors.required_text("name", n, NAME_MAX));
    errors.finish(())?;
    let permissions = body.permissions.map(|p| p.into_iter().collect());
    let role = roles::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        name,
        permissions,
        body.data_scope,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, role.version, &response(role)))
}

/// Delete a custom role no user holds (built-in roles: 409).
#[utoipa::path(
    tag = "roles",
    params(("id" = Uuid, Path, description = "Role id")),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/roles/{id}")]
async fn remove(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    roles::delete(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
