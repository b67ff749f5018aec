//! A quote's state actions: submit, send, accept, decline, revise, copy. They are the only way
//! its status changes; each answers the quote (a revision or copy: the new one, 201).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use crm_api_types::identity::Permission;
use crm_api_types::quotes::{DeclineQuoteRequest, QuoteActionRequest, QuoteResponse};
use crm_persistence::quotes;
use uuid::Uuid;

use super::etagged;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, if_match};
use crate::openapi::Problems;
use crate::routes::Registry;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(submit)
        .service(send)
        .service(accept)
        .service(decline)
        .service(revise)
        .service(copy);
}

/// Submit a draft or rejected quote for approval. The tenant's approval policies choose the
/// chain from the total, the largest discount and the customer's tier; when none applies
/// the quote is approved at once. A quote without lines: 422 on `lines`; a chain step with
/// nobody to approve it: `409 no_approver`.
#[utoipa::path(
    tag = "quotes",
    params(
        ("id" = Uuid, Path, description = "Quote id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = QuoteActionRequest,
    responses((status = 200, description = "Pending approval, or approved", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes/{id}/submit")]
async fn submit(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<QuoteActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let response = quotes::submit(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        body.0.note.as_deref(),
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Mark an approved quote as sent to the customer; its product prices join the customer's
/// price history. Past its validity: `409 quote_expired`.
#[utoipa::path(
    tag = "quotes",
    params(
        ("id" = Uuid, Path, description = "Quote id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = QuoteActionRequest,
    responses((status = 200, description = "Sent", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes/{id}/send")]
async fn send(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<QuoteActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let response = quotes::send(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        body.0.note.as_deref(),
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// The customer accepted an approved or sent quote.
#[utoipa::path(
    tag = "quotes",
    params(
        ("id" = Uuid, Path, description = "Quote id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = QuoteActionRequest,
    responses((status = 200, description = "Accepted", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes/{id}/accept")]
async fn accept(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<QuoteActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let response = quotes::accept(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        body.0.note.as_deref(),
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// The customer declined an approved or sent quote; `reason` is required.
#[utoipa::path(
    tag = "quotes",
    params(
        ("id" = Uuid, Path, description = "Quote id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = DeclineQuoteRequest,
    responses((status = 200, description = "Declined", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes/{id}/decline")]
async fn decline(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DeclineQuoteRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let response = quotes::decline(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0.reason,
    )
    .await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Start the next version of an approved, sent, declined or expired quote: a draft with the
/// same number and lines, to change and submit again. This version is frozen.
#[utoipa::path(
    tag = "quotes",
    params(
        ("id" = Uuid, Path, description = "Quote id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    request_body = QuoteActionRequest,
    responses((status = 201, description = "The new version", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes/{id}/revise")]
async fn revise(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<QuoteActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let response = quotes::revise(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        body.0.note.as_deref(),
    )
    .await?;
    Ok(etagged(StatusCode::CREATED, &response))
}

/// Copy a quote into a new draft with a new number, owned by the caller. The approval is not
/// copied; products deactivated since are left out.
#[utoipa::path(
    tag = "quotes",
    params(("id" = Uuid, Path, description = "Quote id")),
    responses((status = 201, description = "The copy", body = QuoteResponse), Problems),
    security(("bearer" = []))
)]
#[post("/quotes/{id}/copy")]
async fn copy(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteWrite)?;
    let response = quotes::copy(&state.db, &caller, id.into_inner()).await?;
    Ok(etagged(StatusCode::CREATED, &response))
}
