//! `POST /auth/login`, `/auth/refresh`, `/auth/logout`.

use super::Registry;
use actix_web::{HttpRequest, HttpResponse, post, web};
use crm_api_types::auth::{LoginRequest, LogoutRequest, RefreshRequest, TokenResponse};
use crm_persistence::{sessions, tenants, users};

use crate::AppState;
use crate::auth::{passwords, tokens};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(login).service(refresh).service(logout);
}

/// Log in with email and password.
///
/// Five wrong passwords in a row lock the account for 15 minutes; too many failures from
/// one address are refused for a while (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, description = "Logged in", body = TokenResponse), Problems)
)]
#[post("/auth/login")]
async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ApiJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let ip = req.peer_addr().map(|a| a.ip());
    if let Some(ip) = ip {
        state
            .login_throttle
            .check(ip)
            .map_err(ApiError::too_many_attempts)?;
    }
    let tenant = match body
        .tenant
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(slug) => tenants::find_by_slug(&state.db, slug).await?,
        None => tenants::sole(&state.db).await?,
    };
    let user = match &tenant {
        Some(tenant) => users::find_for_login(&state.db, tenant.id, &body.email).await?,
        None => None,
    };
    let now = crm_domain::now();
    if let Some(locked_until) = user
        .as_ref()
        .and_then(|u| u.locked_until)
        .filter(|t| *t > now)
    {
        return Err(ApiError::too_many_attempts(
            (locked_until - now).num_seconds().max(1) as u64,
        ));
    }
    let verified = passwords::verify_blocking(
        body.password,
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;
    let (Some(tenant), Some(user)) = (tenant, user.clone().filter(|u| verified && u.active)) else {
        if let Some(ip) = ip {
            state.login_throttle.record_failure(ip);
        }
        if let Some(user) = user.filter(|_| !verified) {
            users::login_failed(&state.db, &user).await?;
        }
        return Err(ApiError::invalid_credentials());
    };
    users::login_succeeded(&state.db, &user).await?;
    let (refresh_token, refresh_hash) = tokens::new_refresh_token();
    let session = sessions::create(
        &state.db,
        tenant.id,
        user.id,
        refresh_hash,
        now + tokens::REFRESH_TTL,
    )
    .await?;
    token_response(&state, user.id, tenant.id, session.id, refresh_token)
}

/// Trade a refresh token for a new token pair. The old refresh token stops working; using
/// it again ends all of the user's sessions (it must have been stolen).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 200, description = "New tokens", body = TokenResponse), Problems)
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let old_hash = tokens::hash_secret(&body.0.refresh_token);
    let (refresh_token, refresh_hash) = tokens::new_refresh_token();
    let expires = crm_domain::now() + tokens::REFRESH_TTL;
    let session = sessions::rotate(&state.db, &old_hash, refresh_hash, expires)
        .await?
        .map_err(|_| ApiError::invalid_refresh_token())?;
    token_response(
        &state,
        session.user_id,
        session.tenant_id,
        session.id,
        refresh_token,
    )
}

/// End the session of this refresh token. Answers 204 whether or not it was open.
#[utoipa::path(
    tag = "auth",
    request_body = LogoutRequest,
    responses((status = 204, description = "Logged out"), Problems)
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: ApiJson<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    sessions::revoke(&state.db, &tokens::hash_secret(&body.0.refresh_token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn token_response(
    state: &AppState,
    user: uuid::Uuid,
    tenant: uuid::Uuid,
    session: uuid::Uuid,
    refresh_token: String,
) -> Result<HttpResponse, ApiError> {
    let access_token = state
        .tokens
        .issue(user, tenant, session)
        .map_err(|e| ApiError::internal(&e))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token,
            refresh_token,
            token_type: "Bearer".to_owned(),
            expires_in: tokens::ACCESS_TTL.num_seconds() as u64,
        }))
}
