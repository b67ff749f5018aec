//! `/leads`: list, create, read, update, delete.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::leads::{
    ConvertLeadRequest, ConvertLeadResponse, CreateLeadRequest, DisqualifyLeadRequest,
    LeadListQuery, LeadResponse, UpdateLeadRequest,
};
use crm_api_types::ownership::{AssignRequest, OwnerChangeResponse, ReleaseRequest};
use crm_domain::lead::LeadFields;
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_persistence::Cursor;
use crm_persistence::leads::{self, ConvertPlan, LeadFilter, LeadRow, LeadSortKey, Transition};
use crm_persistence::ownership::Owned;
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove)
        .service(start_working)
        .service(qualify)
        .service(disqualify)
        .service(reopen)
        .service(convert)
        .service(assign)
        .service(claim)
        .service(release)
        .service(owner_history);
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
        disqualify_reason: lead.progress.disqualify_reason,
        disqualify_note: lead.progress.disqualify_note,
        qualified_at: lead.progress.qualified_at,
        converted_at: lead.progress.converted_at,
        customer_id: lead.progress.customer_id,
        contact_id: lead.progress.contact_id,
        last_activity_at: lead.progress.last_activity_at,
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
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<LeadListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let sort = parse_sort(
        query.sort.as_deref(),
        &LeadSortKey::NAMES,
        Sort {
            key: LeadSortKey::CreatedAt,
            descending: true,
        },
    )?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = LeadFilter {
        q: query.q,
        status: query.status,
        source: query.source,
        owner_id: query.owner_id,
        pool: query.pool,
        region: query.region,
        industry: query.industry,
        created_from: query.created_from,
        created_to: query.created_to,
        department_path: crm_persistence::departments::filter_path(
            &state.db,
            &caller,
            query.department_id,
        )
        .await?,
        reached: query.reached,
    };
    let page = leads::list(
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
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    let fields = LeadFields::parse_new(&body.0, caller.user_id)?;
    if body.0.assign_by_rules && body.0.owner_id.is_some() {
        return Err(ApiError::field(
            "assign_by_rules",
            crm_domain::Violation::MutuallyExclusive,
        ));
    }
    let row = leads::create(&state.db, &caller, fields, body.0.assign_by_rules).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        row.lead.version,
        &response(row),
    ))
}

/// Read one lead. 404 when it is not in the caller's tenant and data scope.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    responses((status = 200, description = "The lead; `ETag` carries its version", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[get("/leads/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
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
    let row = leads::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
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
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadDelete)?;
    leads::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One lifecycle step, answered with the lead as it is now.
async fn step(
    req: &HttpRequest,
    caller: &crm_domain::Caller,
    state: &AppState,
    id: Uuid,
    step: Transition,
) -> Result<HttpResponse, ApiError> {
    let row = leads::transition(&state.db, caller, id, if_match(req)?, step).await?;
    Ok(with_etag(StatusCode::OK, row.lead.version, &response(row)))
}

/// `new → working` (logging the first activity does this too).
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id"), ("If-Match" = Option<String>, Header, description = "The version you saw")),
    responses((status = 200, description = "The lead, now `working`", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/start-working")]
async fn start_working(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    step(
        &req,
        &caller,
        &state,
        id.into_inner(),
        Transition::StartWorking,
    )
    .await
}

/// 线索认定: `new | working → qualified`. Every field the tenant's qualification rules require
/// must be filled; the 422 lists all that are missing at once.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id"), ("If-Match" = Option<String>, Header, description = "The version you saw")),
    responses((status = 200, description = "The lead, now `qualified`", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/qualify")]
async fn qualify(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadQualify)?;
    step(&req, &caller, &state, id.into_inner(), Transition::Qualify).await
}

/// `new | working | qualified → disqualified`, with a reason from the tenant's list.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id"), ("If-Match" = Option<String>, Header, description = "The version you saw")),
    request_body = DisqualifyLeadRequest,
    responses((status = 200, description = "The lead, now `disqualified`", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/disqualify")]
async fn disqualify(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<DisqualifyLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadQualify)?;
    let DisqualifyLeadRequest { reason, note } = body.0;
    step(
        &req,
        &caller,
        &state,
        id.into_inner(),
        Transition::Disqualify { reason, note },
    )
    .await
}

/// `disqualified → working`: the lead gets another chance.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id"), ("If-Match" = Option<String>, Header, description = "The version you saw")),
    responses((status = 200, description = "The lead, now `working`", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/reopen")]
async fn reopen(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadQualify)?;
    step(&req, &caller, &state, id.into_inner(), Transition::Reopen).await
}

/// Convert a qualified lead into a customer (new, or `existing_customer_id`), a contact and,
/// if asked, an opportunity, in one transaction. A new customer that would duplicate one answers `409
/// customer_duplicate` with masked `duplicates`. Converting again returns the same result.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    request_body = ConvertLeadRequest,
    responses((status = 200, description = "Converted", body = ConvertLeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/convert")]
async fn convert(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ConvertLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    caller.require(Permission::CustomerWrite)?;
    let request = body.0;
    if request.opportunity.is_some() {
        caller.require(Permission::OpportunityWrite)?;
    }
    let plan = ConvertPlan {
        existing_customer_id: request.existing_customer_id,
        customer_name: request.customer_name,
        credit_code: request.credit_code,
        create_contact: request.create_contact.unwrap_or(true),
        opportunity: request.opportunity,
    };
    let done = leads::convert(&state.db, &caller, id.into_inner(), &plan).await?;
    Ok(HttpResponse::Ok().json(ConvertLeadResponse {
        lead: response(done.lead),
        customer_id: done.customer_id,
        customer_created: done.customer_created,
        contact_id: done.contact_id,
        opportunity_id: done.opportunity_id,
    }))
}

/// 分配: give the lead to `owner_id` (a user your data scope covers), or let the tenant's
/// assignment rules choose with `by_rules` (no matching rule puts it in the pool).
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    request_body = AssignRequest,
    responses((status = 200, description = "The lead with its new owner", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/assign")]
async fn assign(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    let to = super::new_owner(&body.0)?;
    let row = leads::assign(&state.db, &caller, id.into_inner(), to).await?;
    Ok(with_etag(StatusCode::OK, row.lead.version, &response(row)))
}

/// 领取: take a lead from the pool. `409 claim_limit_reached` when you hold as many open
/// leads as the tenant allows; `409 not_in_pool` when someone owns it.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    responses((status = 200, description = "The lead, now yours", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/claim")]
async fn claim(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    let row = leads::claim(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.lead.version, &response(row)))
}

/// 退回公海: give the lead back to the pool.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    request_body = ReleaseRequest,
    responses((status = 200, description = "The lead, now in the pool", body = LeadResponse), Problems),
    security(("bearer" = []))
)]
#[post("/leads/{id}/release")]
async fn release(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ReleaseRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadWrite)?;
    let note = super::release_note(body.0)?;
    let row = leads::release(&state.db, &caller, id.into_inner(), note).await?;
    Ok(with_etag(StatusCode::OK, row.lead.version, &response(row)))
}

/// Everyone who owned the lead, oldest first, and why it changed hands.
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    responses((status = 200, description = "The owner history", body = Vec<OwnerChangeResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/leads/{id}/owner-history")]
async fn owner_history(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadRead)?;
    let id = id.into_inner();
    leads::get(&state.db, &caller, id).await?;
    let history = crm_persistence::ownership::history(&state.db, &caller, Owned::Lead, id).await?;
    Ok(HttpResponse::Ok().json(
        history
            .into_iter()
            .map(super::owner_change_response)
            .collect::<Vec<_>>(),
    ))
}
