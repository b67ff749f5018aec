//! `/opportunities`: list, board, create, read, update, delete, stage changes and history.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::Duration;
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::opportunities::{
    BoardQuery, BoardResponse, CreateOpportunityRequest, MoveStageRequest, OpportunityListQuery,
    OpportunityResponse, OpportunitySummary, ReopenOpportunityRequest, StageChangeResponse,
    UpdateOpportunityRequest,
};
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_domain::opportunity::OpportunityFields;
use crm_domain::{start_of_day_in_china, today_in_china};
use crm_persistence::Cursor;
use crm_persistence::opportunities::{
    self, BoardFilter, OpportunityFilter, OpportunitySortKey, Placement,
};
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;
use crate::routes::reports::Narrowing;

pub fn configure(cfg: &mut impl Registry) {
    // The literal path comes before `/opportunities/{id}`.
    cfg.service(board)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove)
        .service(move_stage)
        .service(reopen)
        .service(stage_history);
}

fn etagged(status: StatusCode, response: &OpportunityResponse) -> HttpResponse {
    with_etag(status, response.summary.version, response)
}

/// List the opportunities the caller sees (owned within the data scope, or on the team),
/// newest first unless `sort` says otherwise.
#[utoipa::path(
    tag = "opportunities",
    params(OpportunityListQuery),
    responses((status = 200, description = "One page of opportunities", body = Page<OpportunitySummary>), Problems),
    security(("bearer" = []))
)]
#[get("/opportunities")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<OpportunityListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let default = Sort {
        key: OpportunitySortKey::CreatedAt,
        descending: true,
    };
    let sort = parse_sort(query.sort.as_deref(), &OpportunitySortKey::NAMES, default)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let narrowed = Narrowing {
        department_id: query.department_id,
        region: query.region,
        industry: query.industry,
        product_category_id: query.product_category_id,
    };
    let filter = OpportunityFilter {
        q: query.q,
        pipeline_id: query.pipeline_id,
        stage_id: query.stage_id,
        status: query.status,
        owner_id: query.owner_id,
        customer_id: query.customer_id,
        kind: query.kind,
        close_from: query.close_from,
        close_to: query.close_to,
        member: query.member.unwrap_or(false),
        closed_since: query.closed_since.map(start_of_day_in_china),
        source: query.source,
        closed_before: query
            .closed_to
            .and_then(|day| day.succ_opt())
            .map(start_of_day_in_china),
        ..narrowed.filter(&state, &caller).await?
    };
    let page = opportunities::list(
        &state.db,
        &caller,
        &filter,
        sort,
        limit,
        cursor.as_ref(),
        query.include_total.unwrap_or(false),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items,
        next_cursor: page.next.map(|c| c.encode()),
        total: page.total,
    }))
}

/// The pipeline board: per stage the count, totals and weighted totals per currency, and the
/// first cards (soonest expected close first). Won and lost columns show what closed since
/// `closed_since` (default: 30 days ago).
#[utoipa::path(
    tag = "opportunities",
    params(BoardQuery),
    responses((status = 200, description = "The board", body = BoardResponse), Problems),
    security(("bearer" = []))
)]
#[get("/opportunities/board")]
async fn board(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let per_stage = parse_limit(query.per_stage).map_err(|_| {
        ApiError::field(
            "per_stage",
            crm_domain::Violation::OutOfRange { min: 1, max: 200 },
        )
    })?;
    let filter = BoardFilter {
        pipeline_id: query.pipeline_id,
        q: query.q,
        owner_id: query.owner_id,
        kind: query.kind,
        close_from: query.close_from,
        close_to: query.close_to,
        per_stage,
        closed_since: query
            .closed_since
            .unwrap_or_else(|| today_in_china() - Duration::days(30)),
    };
    let board = opportunities::board(&state.db, &caller, &filter).await?;
    Ok(HttpResponse::Ok().json(board))
}

/// Create an opportunity in the default (or the named) pipeline, in its first open stage
/// unless another is named. Lines without a price take the customer's price.
#[utoipa::path(
    tag = "opportunities",
    request_body = CreateOpportunityRequest,
    responses((status = 201, description = "Created", body = OpportunityResponse), Problems),
    security(("bearer" = []))
)]
#[post("/opportunities")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateOpportunityRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityWrite)?;
    let request = body.0;
    let (fields, lines) = OpportunityFields::parse_new(&request, caller.user_id)?;
    let placement = Placement {
        pipeline_id: request.pipeline_id,
        stage_id: request.stage_id,
        probability: request.probability,
        lead_id: None,
    };
    let response = opportunities::create(&state.db, &caller, fields, lines, placement).await?;
    Ok(etagged(StatusCode::CREATED, &response))
}

/// Read one opportunity with its lines, decision chain, team, competitors and partners.
#[utoipa::path(
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    responses((status = 200, description = "The opportunity; `ETag` carries its version", body = OpportunityResponse), Problems),
    security(("bearer" = []))
)]
#[get("/opportunities/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let response = opportunities::get(&state.db, &caller, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Change some fields; lists given replace the current ones. Team members may edit all but
/// the owner and the team (403). The stage changes only through `/stage` (422 here).
#[utoipa::path(
    tag = "opportunities",
    params(
        ("id" = Uuid, Path, description = "Opportunity id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = UpdateOpportunityRequest,
    responses((status = 200, description = "Updated", body = OpportunityResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/opportunities/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateOpportunityRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityWrite)?;
    let response = opportunities::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Delete an opportunity (kept with `deleted_at`). Team members may not.
#[utoipa::path(
    tag = "opportunities",
    params(
        ("id" = Uuid, Path, description = "Opportunity id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/opportunities/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityDelete)?;
    opportunities::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Move to another stage of the pipeline. Into a lost stage: `lost_reason` (a key of the
/// tenant's `lost_reasons`) and `winning_competitor` are required; into a won stage the line
/// prices go to the price history. From won or lost: `409 invalid_transition` (reopen first).
#[utoipa::path(
    tag = "opportunities",
    params(
        ("id" = Uuid, Path, description = "Opportunity id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = MoveStageRequest,
    responses((status = 200, description = "Moved", body = OpportunityResponse), Problems),
    security(("bearer" = []))
)]
#[post("/opportunities/{id}/stage")]
async fn move_stage(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<MoveStageRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityWrite)?;
    let (settings, _) = crm_persistence::settings::load(&state.db, caller.tenant_id).await?;
    let response = opportunities::move_stage(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
        &settings,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Reopen a won or lost opportunity into an open stage (by default the one it closed from).
#[utoipa::path(
    tag = "opportunities",
    params(
        ("id" = Uuid, Path, description = "Opportunity id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = ReopenOpportunityRequest,
    responses((status = 200, description = "Reopened", body = OpportunityResponse), Problems),
    security(("bearer" = []))
)]
#[post("/opportunities/{id}/reopen")]
async fn reopen(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ReopenOpportunityRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityWrite)?;
    let response = opportunities::reopen(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Every stage change, oldest first: who, when, from and to, and the time spent in the
/// stage it left.
#[utoipa::path(
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    responses((status = 200, description = "The stage history", body = Vec<StageChangeResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/opportunities/{id}/stage-history")]
async fn stage_history(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let history = opportunities::history(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(history))
}
