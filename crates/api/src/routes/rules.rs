//! `/assignment-rules` (分配规则): which user gets a lead, by its region and industry.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use crm_api_types::identity::Permission;
use crm_api_types::ownership::{AssignmentRuleRequest, AssignmentRuleResponse};
use crm_domain::ownership::RuleFields;
use crm_persistence::assignment_rule;
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
        .service(replace)
        .service(remove);
}

fn response(m: assignment_rule::Model) -> AssignmentRuleResponse {
    AssignmentRuleResponse {
        id: m.id,
        position: m.position,
        region: m.region,
        industry: m.industry,
        user_id: m.user_id,
        department_id: m.department_id,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// The rules in the order they are tried; the first whose conditions match a lead wins.
#[utoipa::path(
    tag = "settings",
    responses((status = 200, description = "The rules", body = Vec<AssignmentRuleResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/assignment-rules")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _query: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let rules = crm_persistence::ownership::rules(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(rules.into_iter().map(response).collect::<Vec<_>>()))
}

/// Add a rule: region and/or industry → a user, or round-robin in a department.
#[utoipa::path(
    tag = "settings",
    request_body = AssignmentRuleRequest,
    responses((status = 201, description = "Created", body = AssignmentRuleResponse), Problems),
    security(("bearer" = []))
)]
#[post("/assignment-rules")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<AssignmentRuleRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let fields = RuleFields::parse(&body.0)?;
    let rule = crm_persistence::ownership::create_rule(&state.db, &caller, fields).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        rule.version,
        &response(rule),
    ))
}

/// Replace a rule.
#[utoipa::path(
    tag = "settings",
    params(
        ("id" = Uuid, Path, description = "Rule id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited"),
    ),
    request_body = AssignmentRuleRequest,
    responses((status = 200, description = "Replaced", body = AssignmentRuleResponse), Problems),
    security(("bearer" = []))
)]
#[put("/assignment-rules/{id}")]
async fn replace(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<AssignmentRuleRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let fields = RuleFields::parse(&body.0)?;
    let rule = crm_persistence::ownership::replace_rule(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        fields,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, rule.version, &response(rule)))
}

/// Delete a rule.
#[utoipa::path(
    tag = "settings",
    params(("id" = Uuid, Path, description = "Rule id")),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/assignment-rules/{id}")]
async fn remove(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    crm_persistence::ownership::delete_rule(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
