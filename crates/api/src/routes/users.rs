//! `/users`: administration of the tenant's users (permission `user.manage`).

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::audit::AdminListQuery;
use crm_api_types::identity::{
    CreateUserRequest, DirectoryEntry, DirectoryQuery, Permission, UpdateUserRequest, UserResponse,
};
use crm_domain::identity::{NewUser, check_password};
use crm_domain::listing::parse_limit;
use crm_domain::{FieldErrors, Violation};
use crm_persistence::Cursor;
use crm_persistence::users::{self, UserChanges, UserView};
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::{Auth, passwords};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(directory)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(disable)
        .service(enable);
}

pub(super) fn response(view: UserView) -> UserResponse {
    let u = view.user;
    UserResponse {
        id: u.id,
        email: u.email,
        name: u.name,
        phone: u.phone,
        department_id: u.department_id,
        role_id: u.role_id,
        role_key: view.role_key,
        active: u.active,
        version: u.version,
        created_at: u.created_at,
        updated_at: u.updated_at,
    }
}

/// The colleagues every signed-in user may pick from (active users by name, with their
/// department); `assignable=true` keeps those the caller may give records to.
#[utoipa::path(
    tag = "users",
    params(DirectoryQuery),
    responses((status = 200, description = "The directory", body = Vec<DirectoryEntry>), Problems),
    security(("bearer" = []))
)]
#[get("/user-directory")]
async fn directory(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<DirectoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let entries = users::directory(&state.db, &caller, query.0.assignable.unwrap_or(false))
        .await?
        .into_iter()
        .map(|(user, department_name)| DirectoryEntry {
            id: user.id,
            name: user.name,
            department_id: user.department_id,
            department_name,
        })
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(entries))
}

/// The tenant's users, in creation order.
#[utoipa::path(
    tag = "users",
    params(AdminListQuery),
    responses((status = 200, description = "One page of users", body = Page<UserResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/users")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<AdminListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let limit = parse_limit(query.0.limit)?;
    let cursor = query.0.cursor.as_deref().map(Cursor::decode).transpose()?;
    let (rows, next) = users::list(
        &state.db,
        &caller,
        query.0.q.as_deref(),
        limit,
        cursor.as_ref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(response).collect(),
        next_cursor: next.map(|c| c.encode()),
        total: None,
    }))
}

/// Create a user in a department with a role.
#[utoipa::path(
    tag = "users",
    request_body = CreateUserRequest,
    responses((status = 201, description = "Created", body = UserResponse), Problems),
    security(("bearer" = []))
)]
#[post("/users")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let new = NewUser::parse(&body.0)?;
    let hash = passwords::hash_blocking(body.0.password).await?;
    let view = users::create(&state.db, &caller, new, hash).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        view.user.version,
        &response(view),
    ))
}

#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, description = "The user", body = UserResponse), Problems),
    security(("bearer" = []))
)]
#[get("/users/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let view = users::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(
        StatusCode::OK,
        view.user.version,
        &response(view),
    ))
}

/// Change name, phone, department, role or password. A new password ends the user's sessions.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id"), ("If-Match" = Option<String>, Header, description = "The version you edited")),
    request_body = UpdateUserRequest,
    responses((status = 200, description = "Updated", body = UserResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/users/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    if body.active.is_some() {
        errors.add("active", Violation::ReadOnly);
    }
    let name = body
        .name
        .as_deref()
        .map(|n| errors.required_text("name", n, 50));
    let phone = body.phone.as_ref().map(|p| {
        errors.optional_parsed(
            "phone",
            p.as_deref(),
            30,
            crm_domain::validation::parse_phone,
        )
    });
    if let Some(password) = &body.password {
        check_password(&mut errors, password);
    }
    errors.finish(())?;
    let password_hash = match body.password {
        Some(password) => Some(passwords::hash_blocking(password).await?),
        None => None,
    };
    let changes = UserChanges {
        name,
        phone,
        department_id: body.department_id,
        role_id: body.role_id,
        password_hash,
    };
    let view = users::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        changes,
    )
    .await?;
    Ok(with_etag(
        StatusCode::OK,
        view.user.version,
        &response(view),
    ))
}

/// Disable a user: they cannot log in, and their open sessions end at once.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, description = "Disabled", body = UserResponse), Problems),
    security(("bearer" = []))
)]
#[post("/users/{id}/disable")]
async fn disable(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let view = users::set_active(&state.db, &caller, id.into_inner(), false).await?;
    Ok(with_etag(
        StatusCode::OK,
        view.user.version,
        &response(view),
    ))
}

/// Re-enable a disabled user.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, description = "Enabled", body = UserResponse), Problems),
    security(("bearer" = []))
)]
#[post("/users/{id}/enable")]
async fn enable(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::UserManage)?;
    let view = users::set_active(&state.db, &caller, id.into_inner(), true).await?;
    Ok(with_etag(
        StatusCode::OK,
        view.user.version,
        &response(view),
    ))
}
