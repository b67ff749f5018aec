//! `/leads`: list, create, read, update, delete.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::leads::{CreateLeadRequest, LeadListQuery, LeadResponse, UpdateLeadRequest};
use crm_domain::lead::LeadFields;
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_persistence::Cursor;
use crm_persistence::leads::{self, LeadFilter, LeadRow, LeadSortKey};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(read).service(update).service(remove);
}

fn response(row: LeadRow) -> LeadResponse {
    let LeadRow { lead, owner_name } = row;
    let f = lead.fields;
    LeadResponse {
        id: lead.id,
        company_name: f.company_name,
        contact_name: f.contact_name,
        title: f.title,
        phone: f.phone,
        mobile: f.mobile,
        email: f.email,
        source: f.source,
        region: f.region,
        industry: f.industry,
        status: lead.status,
        owner_id: f.owner_id,
        owner_name,
        notes: f.notes,
        version: lead.version,
        created_at: lead.created_at,
        updated_at: lead.updated_at,
        created_by: lead.created_by,
    }
}

/// List the leads the caller may see, newest first unless `sort` says otherwise.
#[utoipa::path(
    tag = "leads",
    params(LeadListQuery),
    responses((status = 200, description = "One page of leads", body = Page<LeadResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/leads")]
async fn list(Auth(caller): Auth, state: web::Data<AppState>, query: ApiQuery<LeadListQuery>) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let sort = parse_sort(query.sort.as_deref(), &LeadSortKey::NAMES, Sort { key: LeadSortKey::CreatedAt, descending: true })?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = LeadFilter {
        q: query.q,
        status: query.status,
        source: query.source,
        owner_id: query.owner_id,
        region: query.region,
        industry: query.industry,
        created_from: query.created_from,
        created_to: query.created_to,
    };
    let page = leads::list(&state.db, &caller, &filter, sort, limit, cursor.as_ref(), query.include_total.unwrap_or(false)).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.rows.into_iter().map(response).collect(),
        next_cursor: page.next.map(|c| c.encode()),
        total: page.total,
    }))
}

/// Create a lead. Its status starts at `new`; the owner defaults to the caller.
#[utoipa::path(
    tag = "leads",
    request_body = CreateLeadRequest,
    responses((status = 201, description = "Created", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads")]
async fn create(Auth(caller): Auth, state: web::Data<AppState>, body: ApiJson<CreateLeadRequest>) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    let fields = LeadFields::parse_new(&body.0, caller.user_id)?;
    let row = leads::create(&state.db, &caller, fields).await?;
    Ok(with_etag(StatusCode::CREATED, row.lead.version, &response(row)))
}

/// Read one lead. 404 when it is not in the caller's tenant and data scope.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    responses((status = 200, description = "The lead; `ETag` carries its version", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[get("/leads/{id}")]
async fn read(Auth(caller): Auth, state: web::Data<AppState>, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadRead)?;
    let row = leads::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.lead.version, &response(row)))
}

/// Change some fields. Send `If-Match: "<version>"` to refuse (412) if someone changed it since.
#[utoipa::path(
    tag = "leads",
    params(
        ("id" = Uuid, Path, description = "Lead id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = UpdateLeadRequest,
    responses((status = 200, description = "Updated", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/leads/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    let row = leads::update(&state.db, &caller, id.into_inner(), if_match(&req)?, &body.0).await?;
    Ok(with_etag(StatusCode::OK, row.lead.version, &response(row)))
}

/// Delete a lead (kept in the database with `deleted_at`, gone from every list and read).
#[utoipa::path(
    tag = "leads",
    params(
        ("id" = Uuid, Path, description = "Lead id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/leads/{id}")]
async fn remove(req: HttpRequest, Auth(caller): Auth, state: web::Data<AppState>, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadDelete)?;
    leads::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
