//! `/customers`: list, create, read, update, delete, duplicate check, merge.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::customers::{
    CreateCustomerRequest, CustomerListQuery, CustomerResponse, DuplicateCheckQuery,
    DuplicateCheckResponse, MergeCustomerRequest, UpdateCustomerRequest,
};
use crm_api_types::identity::Permission;
use crm_api_types::ownership::{AssignRequest, OwnerChangeResponse, ReleaseRequest};
use crm_domain::Error;
use crm_domain::customer::CustomerFields;
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_persistence::Cursor;
use crm_persistence::customers::{self, CustomerFilter, CustomerRow, CustomerSortKey, Probe};
use crm_persistence::leads::NewOwner;
use crm_persistence::ownership::Owned;
use uuid::Uuid;

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    // The literal path comes before `/customers/{id}`.
    cfg.service(duplicate_check)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove)
        .service(merge)
        .service(assign)
        .service(claim)
        .service(release)
        .service(owner_history);
}

pub(super) fn response(row: CustomerRow) -> CustomerResponse {
    let CustomerRow {
        id,
        fields: f,
        external,
        last_activity_at,
        version,
        created_at,
        updated_at,
        created_by,
        owner_name,
        parent_name,
    } = row;
    CustomerResponse {
        id,
        name: f.name,
        short_name: f.short_name,
        credit_code: f.credit_code,
        industry: f.industry,
        region: f.region,
        province: f.province,
        city: f.city,
        address: f.address,
        website: f.website,
        tier: f.tier,
        tags: f.tags,
        source: f.source,
        status: f.status,
        parent_id: f.parent_id,
        parent_name,
        owner_id: f.owner_id,
        owner_name,
        notes: f.notes,
        last_activity_at,
        external_source: external.as_ref().map(|e| e.source().to_owned()),
        external_id: external.map(|e| e.id().to_owned()),
        version,
        created_at,
        updated_at,
        created_by,
    }
}

/// List the customers the caller may see, newest first unless `sort` says otherwise.
#[utoipa::path(
    tag = "customers",
    params(CustomerListQuery),
    responses((status = 200, description = "One page of customers", body = Page<CustomerResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/customers")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<CustomerListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let default = Sort {
        key: CustomerSortKey::CreatedAt,
        descending: true,
    };
    let sort = parse_sort(query.sort.as_deref(), &CustomerSortKey::NAMES, default)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = CustomerFilter {
        q: query.q,
        status: query.status,
        owner_id: query.owner_id,
        pool: query.pool,
        industry: query.industry,
        region: query.region,
        province: query.province,
        tier: query.tier,
        tag: query.tag,
        parent_id: query.parent_id,
        department_path: crm_persistence::departments::filter_path(
            &state.db,
            &caller,
            query.department_id,
        )
        .await?,
        idle_before: idle_before(query.idle_days)?,
    };
    let include_total = query.include_total.unwrap_or(false);
    let page = customers::list(
        &state.db,
        &caller,
        &filter,
        sort,
        limit,
        cursor.as_ref(),
        include_total,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.rows.into_iter().map(response).collect(),
        next_cursor: page.next.map(|c| c.encode()),
        total: page.total,
    }))
}

/// Create a customer. `409 customer_duplicate` when its normalized name or credit code
/// exists in the tenant; `duplicates` then says who has it, masked outside the caller's scope.
#[utoipa::path(
    tag = "customers",
    request_body = CreateCustomerRequest,
    responses((status = 201, description = "Created", body = CustomerResponse), Problems),
    security(("bearer" = []))
)]
#[post("/customers")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateCustomerRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    let (settings, _) = crm_persistence::settings::load(&state.db, caller.tenant_id).await?;
    let fields = CustomerFields::parse_new(&body.0, caller.user_id, &settings)?;
    let row = customers::create(&state.db, &caller, fields).await?;
    Ok(with_etag(StatusCode::CREATED, row.version, &response(row)))
}

/// Read one customer. A merged customer answers `308` with `Location` naming the survivor.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The customer; `ETag` carries its version", body = CustomerResponse),
        (status = 308, description = "Merged: `Location` is the surviving customer"),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/customers/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    match customers::get(&state.db, &caller, id.into_inner()).await {
        Ok(row) => Ok(with_etag(StatusCode::OK, row.version, &response(row))),
        Err(Error::Merged { into }) => Err(ApiError::moved(format!("/api/v1/customers/{into}"))),
        Err(other) => Err(other.into()),
    }
}

/// Change some fields. Send `If-Match: "<version>"` to refuse (412) if someone changed it since.
#[utoipa::path(
    tag = "customers",
    params(
        ("id" = Uuid, Path, description = "Customer id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = UpdateCustomerRequest,
    responses((status = 200, description = "Updated", body = CustomerResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/customers/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateCustomerRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    let (settings, _) = crm_persistence::settings::load(&state.db, caller.tenant_id).await?;
    let row = customers::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
        &settings,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Delete a customer (kept with `deleted_at`; its contacts disappear with it).
#[utoipa::path(
    tag = "customers",
    params(
        ("id" = Uuid, Path, description = "Customer id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/customers/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerDelete)?;
    customers::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Exact and similar customers for what the user is typing. Names are compared normalized
/// (width, spaces, brackets, 有限公司 and other suffixes ignored); phones and emails against
/// contacts. Customers outside the caller's data scope are told masked, without an id.
#[utoipa::path(
    tag = "customers",
    params(DuplicateCheckQuery),
    responses((status = 200, description = "Matches", body = DuplicateCheckResponse), Problems),
    security(("bearer" = []))
)]
#[get("/customers/duplicate-check")]
async fn duplicate_check(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<DuplicateCheckQuery>,
) -> Result<HttpResponse, ApiError> {
    // Leads and customers both check while typing; either permission will do.
    if !caller.can(Permission::CustomerRead) {
        caller.require(Permission::LeadWrite)?;
    }
    let q = query.0;
    let probe = Probe {
        name: q.name,
        credit_code: q.credit_code,
        phone: q.phone,
        email: q.email,
        exclude_id: q.exclude_id,
    };
    let (exact, similar) = customers::duplicate_check(&state.db, &caller, &probe).await?;
    Ok(HttpResponse::Ok().json(DuplicateCheckResponse { exact, similar }))
}

/// Merge `source_id` into this customer: contacts, leads, activities, tasks and subsidiaries
/// move here, blank fields are filled from the source, and the source remains as a redirect.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "The surviving customer")),
    request_body = MergeCustomerRequest,
    responses((status = 200, description = "The survivor after the merge", body = CustomerResponse), Problems),
    security(("bearer" = []))
)]
#[post("/customers/{id}/merge")]
async fn merge(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<MergeCustomerRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerMerge)?;
    let row = customers::merge(&state.db, &caller, id.into_inner(), body.0.source_id).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// 分配: give the customer to `owner_id`, a user your data scope covers. Its pool clock
/// restarts. (`by_rules` applies to leads only.)
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    request_body = AssignRequest,
    responses((status = 200, description = "The customer with its new owner", body = CustomerResponse), Problems),
    security(("bearer" = []))
)]
#[post("/customers/{id}/assign")]
async fn assign(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    let NewOwner::User(owner) = super::new_owner(&body.0)? else {
        return Err(ApiError::field(
            "by_rules",
            crm_domain::Violation::UnknownValue,
        ));
    };
    let row = customers::assign(&state.db, &caller, id.into_inner(), owner).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// 领取: take a customer from the pool. `409 claim_limit_reached` when you hold as many
/// customers as the tenant allows; `409 not_in_pool` when someone owns it.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The customer, now yours", body = CustomerResponse), Problems),
    security(("bearer" = []))
)]
#[post("/customers/{id}/claim")]
async fn claim(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    let row = customers::claim(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// 退回公海: give the customer back to the pool.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    request_body = ReleaseRequest,
    responses((status = 200, description = "The customer, now in the pool", body = CustomerResponse), Problems),
    security(("bearer" = []))
)]
#[post("/customers/{id}/release")]
async fn release(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ReleaseRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    let note = super::release_note(body.0)?;
    let row = customers::release(&state.db, &caller, id.into_inner(), note).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Everyone who owned the customer, oldest first, and why it changed hands.
#[utoipa::path(
    tag = "customers",
    params(("id" = Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The owner history", body = Vec<OwnerChangeResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/customers/{id}/owner-history")]
async fn owner_history(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let id = id.into_inner();
    customers::get(&state.db, &caller, id).await?;
    let history =
        crm_persistence::ownership::history(&state.db, &caller, Owned::Customer, id).await?;
    Ok(HttpResponse::Ok().json(
        history
            .into_iter()
            .map(super::owner_change_response)
            .collect::<Vec<_>>(),
    ))
}

/// The instant before which a customer not followed up counts as idle for `idle_days`
/// (1–3650; 422 on `idle_days` otherwise).
pub(crate) fn idle_before(
    idle_days: Option<u32>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
    let Some(days) = idle_days else {
        return Ok(None);
    };
    let days = crm_domain::report::idle_days(Some(days))?;
    Ok(Some(
        crm_domain::now() - chrono::Duration::days(i64::from(days)),
    ))
}
