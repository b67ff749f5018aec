//! `/contacts`: the people at customers. Visible exactly when their customer is.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::customers::{
    ContactListQuery, ContactResponse, CreateContactRequest, UpdateContactRequest,
};
use crm_api_types::identity::Permission;
use crm_domain::customer::ContactFields;
use crm_domain::listing::parse_limit;
use crm_persistence::Cursor;
use crm_persistence::contacts::{self, ContactRow};
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
        .service(remove);
}

pub(super) fn response(row: ContactRow) -> ContactResponse {
    let ContactRow {
        id,
        fields: f,
        external,
        customer_name,
        version,
        created_at,
        updated_at,
        created_by,
    } = row;
    ContactResponse {
        id,
        customer_id: f.customer_id,
        customer_name,
        name: f.name,
        title: f.title,
        department: f.department,
        mobile: f.mobile,
        phone: f.phone,
        email: f.email,
        wechat: f.wechat,
        birthday: f.birthday,
        decision_role: f.decision_role,
        is_primary: f.is_primary,
        notes: f.notes,
        external_source: external.as_ref().map(|e| e.source().to_owned()),
        external_id: external.map(|e| e.id().to_owned()),
        version,
        created_at,
        updated_at,
        created_by,
    }
}

/// List contacts of the customers the caller may see, oldest first.
#[utoipa::path(
    tag = "contacts",
    params(ContactListQuery),
    responses((status = 200, description = "One page of contacts", body = Page<ContactResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/contacts")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ContactListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let (rows, next) = contacts::list(
        &state.db,
        &caller,
        query.customer_id,
        query.q.as_deref(),
        limit,
        cursor.as_ref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(response).collect(),
        next_cursor: next.map(|c| c.encode()),
        total: None,
    }))
}

/// Add a contact to a customer the caller can see. The first contact, or one sent with
/// `is_primary: true`, becomes the customer's primary contact.
#[utoipa::path(
    tag = "contacts",
    request_body = CreateContactRequest,
    responses((status = 201, description = "Created", body = ContactResponse), Problems),
    security(("bearer" = []))
)]
#[post("/contacts")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateContactRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    let fields = ContactFields::parse_new(&body.0)?;
    let row = contacts::create(&state.db, &caller, fields).await?;
    Ok(with_etag(StatusCode::CREATED, row.version, &response(row)))
}

/// Read one contact.
#[utoipa::path(
    tag = "contacts",
    params(("id" = Uuid, Path, description = "Contact id")),
    responses((status = 200, description = "The contact", body = ContactResponse), Problems),
    security(("bearer" = []))
)]
#[get("/contacts/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let row = contacts::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Change some fields of a contact.
#[utoipa::path(
    tag = "contacts",
    params(
        ("id" = Uuid, Path, description = "Contact id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited"),
    ),
    request_body = UpdateContactRequest,
    responses((status = 200, description = "Updated", body = ContactResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/contacts/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateContactRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    let row = contacts::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Delete a contact.
#[utoipa::path(
    tag = "contacts",
    params(
        ("id" = Uuid, Path, description = "Contact id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/contacts/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerWrite)?;
    contacts::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
