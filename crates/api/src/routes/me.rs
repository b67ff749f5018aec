//! `GET /me`: who the caller is.

use super::Registry;
use actix_web::{HttpResponse, get, web};
use crm_api_types::auth::{MeResponse, TenantResponse};

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(me);
}

/// The current user, their tenant, permissions and data scope.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The caller", body = MeResponse), Problems),
    security(("bearer" = []))
)]
#[get("/me")]
async fn me(Auth(caller): Auth, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let user = crm_persistence::users::get(&state.db, &caller, caller.user_id).await?;
    let tenant = crm_persistence::tenants::get(&state.db, caller.tenant_id).await?;
    Ok(HttpResponse::Ok().json(MeResponse {
        user: super::users::response(user),
        tenant: TenantResponse {
            id: tenant.id,
            slug: tenant.slug,
            name: tenant.name,
        },
        permissions: caller.permissions.iter().copied().collect(),
        data_scope: caller.data_scope,
    }))
}
