//! `/api-keys`: keys for integrators (permission `user.manage`). A key is shown once, when
//! created; only its hash is kept. A request made with a key cannot manage keys.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use crm_api_types::Page;
use crm_api_types::api_keys::{ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse};
use crm_api_types::identity::Permission;
use crm_domain::{Caller, Credential, Error, FieldErrors, Violation, now};
use crm_persistence::api_keys::{self, NewApiKey};
use uuid::Uuid;

use super::NoParams;
use crate::AppState;
use crate::auth::Auth;
use crate::auth::tokens::new_api_key;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(revoke);
}

const NAME_MAX: usize = 100;

/// Key management needs `user.manage` and a person at the keyboard: a key cannot mint keys.
fn require_manager(caller: &Caller) -> Result<(), Error> {
    caller.require(Permission::UserManage)?;
    match caller.credential {
        Credential::ApiKey(_) => Err(Error::Forbidden(Permission::UserManage.key())),
        Credential::Session(_) | Credential::System => Ok(()),
    }
}

/// Every key of the tenant, newest first, revoked and expired ones included.
#[utoipa::path(
    tag = "api-keys",
    responses((status = 200, description = "All keys", body = Page<ApiKeyResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/api-keys")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let items = api_keys::list(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: None,
        total: None,
    }))
}

/// Create a key. The answer holds the whole key, the only time it is shown.
#[utoipa::path(
    tag = "api-keys",
    request_body = CreateApiKeyRequest,
    responses((status = 201, description = "Created; copy `key` now", body = CreatedApiKeyResponse), Problems),
    security(("bearer" = []))
)]
#[post("/api-keys")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", &body.name, NAME_MAX);
    if body.permissions.is_empty() {
        errors.add("permissions", Violation::Required);
    }
    if body.expires_at.is_some_and(|at| at <= now()) {
        errors.add("expires_at", Violation::NotInFuture);
    }
    errors.finish(())?;
    let (key, prefix, key_hash) = new_api_key();
    let api_key = api_keys::create(
        &state.db,
        &caller,
        NewApiKey {
            name,
            permissions: body.permissions.into_iter().collect(),
            data_scope: body.data_scope,
            user_id: body.user_id,
            expires_at: body.expires_at,
            prefix,
            key_hash,
        },
    )
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(CreatedApiKeyResponse { key, api_key }))
}

#[utoipa::path(
    tag = "api-keys",
    params(("id" = Uuid, Path, description = "Key id")),
    responses((status = 200, description = "The key (without the key itself)", body = ApiKeyResponse), Problems),
    security(("bearer" = []))
)]
#[get("/api-keys/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let key = api_keys::get(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(key))
}

/// Revoke a key: refused from the next request on. Revoking twice is harmless.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = Uuid, Path, description = "Key id")),
    responses((status = 200, description = "Revoked", body = ApiKeyResponse), Problems),
    security(("bearer" = []))
)]
#[post("/api-keys/{id}/revoke")]
async fn revoke(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let key = api_keys::revoke(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(key))
}
