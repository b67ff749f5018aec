//! `/quotes`: list, create, live preview, read, update, delete, versions and comparison; the
//! state actions are in `quotes/actions.rs`, the PDF in `quotes/pdf.rs`.

mod actions;
mod pdf;

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::quotes::{
    CompareQuery, CreateQuoteRequest, QuoteComparisonResponse, QuoteListQuery,
    QuotePreviewResponse, QuoteResponse, QuoteSummary, UpdateQuoteRequest,
};
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_domain::quote::{LineInput, QuoteFields};
use crm_domain::{Caller, today_in_china};
use crm_persistence::Cursor;
use crm_persistence::quotes::{self, QuoteFilter, QuoteSortKey};
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    // The literal path comes before `/quotes/{id}`.
    cfg.service(preview)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove)
        .service(versions)
        .service(compare)
        .service(pdf::pdf);
    actions::configure(cfg);
}

fn etagged(status: StatusCode, response: &QuoteResponse) -> HttpResponse {
    with_etag(status, response.summary.version, response)
}

/// List the quotes the caller sees (owned within the data scope, on the opportunity's team,
/// or named as an approver), the latest version of each unless `all_versions=true`.
#[utoipa::path(
    tag = "quotes",
    params(QuoteListQuery),
    responses((status = 200, description = "One page of quotes", body = Page<QuoteSummary>), Problems),
    security(("bearer" = []))
)]
#[get("/quotes")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<QuoteListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let default = Sort {
        key: QuoteSortKey::CreatedAt,
        descending: true,
    };
    let sort = parse_sort(query.sort.as_deref(), &QuoteSortKey::NAMES, default)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = QuoteFilter {
        q: query.q,
        status: query.status,
        customer_id: query.customer_id,
        opportunity_id: query.opportunity_id,
        owner_id: query.owner_id,
        all_versions: query.all_versions.unwrap_or(false),
    };
    let page = quotes::list(
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

/// The fields and lines a create request asks for, its customer found from the opportunity
/// when one is named; without `lines`, the opportunity's lines.
async fn parse_create(
    state: &AppState,
    caller: &Caller,
    request: &CreateQuoteRequest,
) -> Result<(QuoteFields, Vec<LineInput>), ApiError> {
    let origin = quotes::origin(
        &state.db,
        caller,
        request.opportunity_id,
        request.customer_id,
    )
    .await?;
    let (fields, lines) = QuoteFields::parse_new(
        request,
        origin.customer_id,
        origin.currency.as_deref(),
        request.owner_id.unwrap_or(caller.user_id),
        today_in_china(),
    )?;
    Ok((fields, lines.or(origin.lines).unwrap_or_default()))
}

/// Create a draft quote for an opportunity or a customer, numbered from the tenant's series
/// (`QT-2026-000123`). Lines without a price take the customer's price lists; a line may be
/// free text with a name and a price.
#[utoipa::path(
    tag = "quotes",
    request_body = CreateQuoteRequest,
    responses((status = 201, description = "Created", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateQuoteRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let (fields, lines) = parse_create(&state, &caller, &body.0).await?;
    let response = quotes::create(&state.db, &caller, fields, lines).await?;
    Ok(etagged(StatusCode::CREATED, &response))
}

/// The lines and totals a create with this body would store, computed by the server and
/// saved nowhere: an editor's live totals.
#[utoipa::path(
    tag = "quotes",
    request_body = CreateQuoteRequest,
    responses((status = 200, description = "The priced lines and totals", body = QuotePreviewResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes/preview")]
async fn preview(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateQuoteRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let (fields, lines) = parse_create(&state, &caller, &body.0).await?;
    let response = quotes::preview(&state.db, &caller, &fields, &lines).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Read one quote with its lines, amounts, totals and each line's last price to the customer.
#[utoipa::path(
    tag = "quotes",
    params(("id" = Uuid, Path, description = "Quote id")),
    responses((status = 200, description = "The quote; `ETag` carries its version", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[get("/quotes/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteRead)?;
    let response = quotes::get(&state.db, &caller, id.into_inner()).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Change a draft, rejected or approved quote; `lines` replaces all lines. A material change
/// to an approved quote (anything but `internal_note` and the owner) takes it back to draft,
/// to be approved again. Pending, sent and closed quotes: `409 invalid_transition` (revise a
/// sent one); a superseded version: `409 quote_superseded`. `status` is refused (422).
#[utoipa::path(
    tag = "quotes",
    params(
        ("id" = Uuid, Path, description = "Quote id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = UpdateQuoteRequest,
    responses((status = 200, description = "Updated", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/quotes/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateQuoteRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let response = quotes::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Delete a draft or rejected quote (kept with `deleted_at`). Deleting a revision makes the
/// version before it the latest again.
#[utoipa::path(
    tag = "quotes",
    params(
        ("id" = Uuid, Path, description = "Quote id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/quotes/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteDelete)?;
    quotes::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every version of this quote's number, oldest first.
#[utoipa::path(
    tag = "quotes",
    params(("id" = Uuid, Path, description = "Quote id (any version)")),
    responses((status = 200, description = "The versions", body = Vec<QuoteSummary>), Problems),
    security(("bearer" = []))
)]
#[get("/quotes/{id}/versions")]
async fn versions(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteRead)?;
    let versions = quotes::versions(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(versions))
}

/// Compare two versions of one quote line by line: lines match by product (free lines by
/// name); the older version is `before`. `with` must be a version of the same number (422).
#[utoipa::path(
    tag = "quotes",
    params(("id" = Uuid, Path, description = "Quote id"), CompareQuery),
    responses((status = 200, description = "The comparison", body = QuoteComparisonResponse), Problems),
    security(("bearer" = []))
)]
#[get("/quotes/{id}/compare")]
async fn compare(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: ApiQuery<CompareQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteRead)?;
    let comparison = quotes::compare(&state.db, &caller, id.into_inner(), query.0.with).await?;
    Ok(HttpResponse::Ok().json(comparison))
}
