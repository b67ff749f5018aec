//! `/targets`: sales targets (业绩目标) per user and department, month and quarter. Anyone
//! who reads opportunities sees the targets of those their data scope covers; setting them
//! needs `settings.manage`, and only for subjects in the setter's scope.

use actix_web::{HttpResponse, get, put, web};
use chrono::Datelike;
use crm_api_types::identity::Permission;
use crm_api_types::targets::{SetTargetsRequest, SetTargetsResponse, TargetPlan, TargetQuery};
use crm_domain::target::check_targets;
use crm_domain::{FieldErrors, Violation, today_in_china};
use crm_persistence::targets;

use super::Registry;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(plan).service(set);
}

/// One year's targets of one metric (default: this year, won amount), users first, then
/// departments. Not paged: a year holds at most 16 periods per subject.
#[utoipa::path(
    tag = "targets",
    params(TargetQuery),
    responses((status = 200, description = "The year's targets", body = TargetPlan), Problems),
    security(("bearer" = []))
)]
#[get("/targets")]
async fn plan(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<TargetQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let year = query.0.year.unwrap_or_else(|| today_in_china().year());
    if !(1900..=9999).contains(&year) {
        let range = Violation::OutOfRange {
            min: 1900,
            max: 9999,
        };
        return Err(FieldErrors::single("year", range).into());
    }
    let metric = query.0.metric.unwrap_or_default();
    let plan = targets::plan(&state.db, &caller, year, metric).await?;
    Ok(HttpResponse::Ok().json(plan))
}

/// Set targets (an `amount`) or remove them (`amount: null`), up to 1,000 in one
/// transaction; those not named stay. Needs `settings.manage`.
#[utoipa::path(
    tag = "targets",
    request_body = SetTargetsRequest,
    responses((status = 200, description = "The targets set", body = SetTargetsResponse), Problems),
    security(("bearer" = []))
)]
#[put("/targets")]
async fn set(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<SetTargetsRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let cells = check_targets(&body.0)?;
    let set = targets::set(&state.db, &caller, body.0.metric, cells).await?;
    Ok(HttpResponse::Ok().json(set))
}
