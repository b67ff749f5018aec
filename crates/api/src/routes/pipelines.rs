//! `/pipelines`: the tenant's sales pipelines and their stages.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use crm_api_types::identity::Permission;
use crm_api_types::pipelines::{PipelineRequest, PipelineResponse, StageResponse};
use crm_domain::pipeline::PipelineFields;
use crm_persistence::pipelines::{self, PipelineRow};
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
        .service(replace)
        .service(remove);
}

fn response(row: PipelineRow) -> PipelineResponse {
    PipelineResponse {
        id: row.id,
        name: row.name,
        is_default: row.is_default,
        stages: row
            .stages
            .into_iter()
            .map(|s| StageResponse {
                id: s.id,
                name: s.name,
                kind: s.kind,
                probability: s.probability,
            })
            .collect(),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// Every pipeline of the tenant, the default first.
#[utoipa::path(
    tag = "opportunities",
    responses((status = 200, description = "The pipelines", body = Vec<PipelineResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/pipelines")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _query: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let rows = pipelines::list(&state.db, caller.tenant_id).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(response).collect::<Vec<_>>()))
}

/// Create a pipeline (settings.manage).
#[utoipa::path(
    tag = "opportunities",
    request_body = PipelineRequest,
    responses((status = 201, description = "Created", body = PipelineResponse), Problems),
    security(("bearer" = []))
)]
#[post("/pipelines")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<PipelineRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let fields = PipelineFields::parse(&body.0)?;
    let row = pipelines::create(&state.db, &caller, fields).await?;
    Ok(with_etag(StatusCode::CREATED, row.version, &response(row)))
}

#[utoipa::path(
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Pipeline id")),
    responses((status = 200, description = "The pipeline", body = PipelineResponse), Problems),
    security(("bearer" = []))
)]
#[get("/pipelines/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let row = pipelines::get(&state.db, caller.tenant_id, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Replace the name and the stages (settings.manage). Send existing stages with their `id`;
/// a stage that holds opportunities cannot be dropped or change kind (`409 stage_in_use`).
#[utoipa::path(
    tag = "opportunities",
    params(
        ("id" = Uuid, Path, description = "Pipeline id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited"),
    ),
    request_body = PipelineRequest,
    responses((status = 200, description = "Replaced", body = PipelineResponse), Problems),
    security(("bearer" = []))
)]
#[put("/pipelines/{id}")]
async fn replace(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<PipelineRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let fields = PipelineFields::parse(&body.0)?;
    let row =
        pipelines::replace(&state.db, &caller, id.into_inner(), if_match(&req)?, fields).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Delete a pipeline that is not the default and holds no opportunities.
#[utoipa::path(
    tag = "opportunities",
    params(
        ("id" = Uuid, Path, description = "Pipeline id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/pipelines/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    pipelines::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
