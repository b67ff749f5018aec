//! `/saved-filters`: the caller's own named list filters.

use super::Registry;
use actix_web::{HttpResponse, delete, get, post, web};
use crm_api_types::saved_filters::{
    CreateSavedFilterRequest, FilterResource, SavedFilterQuery, SavedFilterResponse,
};
use crm_persistence::saved_filters::{self, SavedFilter};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list).service(create).service(remove);
}

fn response(model: SavedFilter) -> Result<SavedFilterResponse, ApiError> {
    Ok(SavedFilterResponse {
        resource: FilterResource::parse(&model.resource).ok_or_else(|| {
            crm_domain::Error::Storage(
                format!("saved filter {} has an unknown list", model.id).into(),
            )
        })?,
        id: model.id,
        name: model.name,
        query: model.query,
        created_at: model.created_at,
    })
}

/// The caller's saved filters, by name; `resource` picks one list's.
#[utoipa::path(
    tag = "saved-filters",
    params(SavedFilterQuery),
    responses((status = 200, description = "The caller's saved filters", body = Vec<SavedFilterResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/saved-filters")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<SavedFilterQuery>,
) -> Result<HttpResponse, ApiError> {
    let filters = saved_filters::list(&state.db, &caller, query.0.resource).await?;
    let body = filters
        .into_iter()
        .map(response)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(body))
}

/// Save a filter under a name (unique per list for the caller: `409 saved_filter_name_taken`).
#[utoipa::path(
    tag = "saved-filters",
    request_body = CreateSavedFilterRequest,
    responses((status = 201, description = "Saved", body = SavedFilterResponse), Problems),
    security(("bearer" = []))
)]
#[post("/saved-filters")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateSavedFilterRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let model = saved_filters::create(
        &state.db,
        &caller,
        request.resource,
        &request.name,
        &request.query,
    )
    .await?;
    Ok(HttpResponse::Created().json(response(model)?))
}

#[utoipa::path(
    tag = "saved-filters",
    params(("id" = Uuid, Path, description = "Saved filter id")),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/saved-filters/{id}")]
async fn remove(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    saved_filters::delete(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
