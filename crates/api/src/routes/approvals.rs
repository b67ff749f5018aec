//! `/approvals`: the inbox, counts for the header, one request with its steps and timeline,
//! and the decisions. An OA system decides through these too.

use super::Registry;
use actix_web::{HttpResponse, get, post, web};
use crm_api_types::Page;
use crm_api_types::approvals::{
    ApprovalCountsResponse, ApprovalListQuery, ApprovalResponse, ApprovalSummary, DecisionRequest,
    DelegateRequest,
};
use crm_domain::Violation;
use crm_domain::approval::flow::Act;
use crm_domain::listing::parse_limit;
use crm_persistence::Cursor;
use crm_persistence::approvals::{self, ApprovalFilter};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    // The literal path comes before `/approvals/{id}`.
    cfg.service(counts)
        .service(list)
        .service(read)
        .service(approve)
        .service(reject)
        .service(send_back)
        .service(withdraw)
        .service(delegate);
}

/// `me` is the only value these filters take.
fn me(field: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None => Ok(false),
        Some("me") => Ok(true),
        Some(_) => Err(ApiError::field(field, Violation::UnknownValue)),
    }
}

/// Approval requests the caller sees (submitted by them, naming them as an approver, or about
/// a document they see), newest first. `assignee=me` is the inbox: what awaits the caller's
/// decision now.
#[utoipa::path(
    tag = "approvals",
    params(ApprovalListQuery),
    responses((status = 200, description = "One page of approval requests", body = Page<ApprovalSummary>), Problems),
    security(("bearer" = []))
)]
#[get("/approvals")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ApprovalListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let document = match (query.document_kind, query.document_id) {
        (Some(kind), id) => Some((kind, id)),
        (None, Some(_)) => return Err(ApiError::field("document_kind", Violation::Required)),
        (None, None) => None,
    };
    let filter = ApprovalFilter {
        awaiting_me: me("assignee", query.assignee.as_deref())?,
        submitted_by_me: me("submitted_by", query.submitted_by.as_deref())?,
        status: query.status,
        document,
    };
    let page = approvals::list(&state.db, &caller, &filter, limit, cursor.as_ref()).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items,
        next_cursor: page.next.map(|c| c.encode()),
        total: None,
    }))
}

/// How many requests await the caller's decision, and how many of the caller's own are
/// still pending: the header badge.
#[utoipa::path(
    tag = "approvals",
    responses((status = 200, description = "The counts", body = ApprovalCountsResponse), Problems),
    security(("bearer" = []))
)]
#[get("/approvals/counts")]
async fn counts(Auth(caller): Auth, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(approvals::counts(&state.db, &caller).await?))
}

/// One request: its steps with each approver's decision, and the timeline.
#[utoipa::path(
    tag = "approvals",
    params(("id" = Uuid, Path, description = "Approval request id")),
    responses((status = 200, description = "The request", body = ApprovalResponse), Problems),
    security(("bearer" = []))
)]
#[get("/approvals/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let response = approvals::get(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(response))
}

async fn decide(
    state: &AppState,
    caller: &crm_domain::Caller,
    id: Uuid,
    act: Act,
    comment: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let response = approvals::act(&state.db, caller, id, act, comment).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Approve the current step. In an 或签 step the first approval completes it; in a 会签 step
/// everyone must approve. The last step's approval approves the document. Not an approver of
/// the current step: 403; decided already (by you, or the step by someone else): 409.
#[utoipa::path(
    tag = "approvals",
    params(("id" = Uuid, Path, description = "Approval request id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "Decided", body = ApprovalResponse), Problems),
    security(("bearer" = []))
)]
#[post("/approvals/{id}/approve")]
async fn approve(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(
        &state,
        &caller,
        id.into_inner(),
        Act::Approve,
        body.0.comment.as_deref(),
    )
    .await
}

/// Reject: the request ends and the document is rejected. `comment` is required.
#[utoipa::path(
    tag = "approvals",
    params(("id" = Uuid, Path, description = "Approval request id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "Rejected", body = ApprovalResponse), Problems),
    security(("bearer" = []))
)]
#[post("/approvals/{id}/reject")]
async fn reject(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(
        &state,
        &caller,
        id.into_inner(),
        Act::Reject,
        body.0.comment.as_deref(),
    )
    .await
}

/// Return to the submitter: the request ends and the document goes back to draft, to change
/// and submit again. `comment` is required.
#[utoipa::path(
    tag = "approvals",
    params(("id" = Uuid, Path, description = "Approval request id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "Returned", body = ApprovalResponse), Problems),
    security(("bearer" = []))
)]
#[post("/approvals/{id}/return")]
async fn send_back(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(
        &state,
        &caller,
        id.into_inner(),
        Act::Return,
        body.0.comment.as_deref(),
    )
    .await
}

/// The submitter takes the request back before anyone decided; the document goes back to
/// draft. After a decision: `409 approval_decided`.
#[utoipa::path(
    tag = "approvals",
    params(("id" = Uuid, Path, description = "Approval request id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "Withdrawn", body = ApprovalResponse), Problems),
    security(("bearer" = []))
)]
#[post("/approvals/{id}/withdraw")]
async fn withdraw(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(
        &state,
        &caller,
        id.into_inner(),
        Act::Withdraw,
        body.0.comment.as_deref(),
    )
    .await
}

/// 转审: hand your place on the current step to another active user, who then decides in
/// your stead.
#[utoipa::path(
    tag = "approvals",
    params(("id" = Uuid, Path, description = "Approval request id")),
    request_body = DelegateRequest,
    responses((status = 200, description = "Delegated", body = ApprovalResponse), Problems),
    security(("bearer" = []))
)]
#[post("/approvals/{id}/delegate")]
async fn delegate(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DelegateRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    decide(
        &state,
        &caller,
        id.into_inner(),
        Act::Delegate(request.user_id),
        request.comment.as_deref(),
    )
    .await
}
