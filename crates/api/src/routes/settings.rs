//! `/settings`: the tenant's qualification rules, disqualification reasons and customer tiers.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, web};
use crm_api_types::identity::Permission;
use crm_api_types::settings::{SettingsResponse, UpdateSettingsRequest};
use crm_domain::settings::Settings;

use super::{NoParams, with_etag};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(read).service(update);
}

fn response(settings: Settings, version: i32) -> SettingsResponse {
    SettingsResponse {
        lead_qualification_fields: settings.lead_qualification_fields,
        disqualify_reasons: settings.disqualify_reasons,
        customer_tiers: settings.customer_tiers,
        lost_reasons: settings.lost_reasons,
        pool_return_days: settings.pool_return_days,
        pool_warning_days: settings.pool_warning_days,
        pool_claim_limit: settings.pool_claim_limit,
        credit_check_mode: settings.credit_check_mode,
        webhook_allowed_hosts: settings.webhook_allowed_hosts.clone(),
        forecast_commit_probability: settings.forecast_commit_probability,
        version,
    }
}

/// The tenant's settings; every signed-in user may read them (forms offer their choices).
#[utoipa::path(
    tag = "settings",
    responses((status = 200, description = "The settings; `ETag` carries their version", body = SettingsResponse), Problems),
    security(("bearer" = []))
)]
#[get("/settings")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _query: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let (settings, version) = crm_persistence::settings::load(&state.db, caller.tenant_id).await?;
    Ok(with_etag(
        StatusCode::OK,
        version,
        &response(settings, version),
    ))
}

/// Replace the lists given. Needs `settings.manage`.
#[utoipa::path(
    tag = "settings",
    params(("If-Match" = Option<String>, Header, description = "The version you edited")),
    request_body = UpdateSettingsRequest,
    responses((status = 200, description = "Saved", body = SettingsResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/settings")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<UpdateSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let (settings, version) =
        crm_persistence::settings::update(&state.db, &caller, if_match(&req)?, &body.0).await?;
    Ok(with_etag(
        StatusCode::OK,
        version,
        &response(settings, version),
    ))
}
