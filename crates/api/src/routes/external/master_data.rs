//! Customers, contacts and products by external id.

use crate::routes::Registry;
use crate::routes::with_etag;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use crm_api_types::customers::{
    ContactResponse, CreateContactRequest, CreateCustomerRequest, CustomerResponse,
    UpdateContactRequest, UpdateCustomerRequest,
};
use crm_api_types::identity::Permission;
use crm_api_types::products::{CreateProductRequest, ProductResponse, UpdateProductRequest};
use crm_api_types::sync::{BulkRequest, BulkResponse};
use crm_domain::customer::{ContactFields, CustomerFields};
use crm_domain::product::ProductFields;
use crm_domain::settings::Settings;
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{Caller, FieldErrors, Violation};
use crm_persistence::contacts::{self, ContactRow};
use crm_persistence::customers::{self, CustomerRow};
use crm_persistence::products::{self, ProductRow};
use crm_persistence::sync::{Upsert, Upserted};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, from_value};
use crate::openapi::Problems;
use crate::sync::{self, BulkBody, Fixed, Synced};

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(read_customer)
        .service(upsert_customer)
        .service(bulk_customers)
        .service(read_contact)
        .service(upsert_contact)
        .service(bulk_contacts)
        .service(read_product)
        .service(upsert_product)
        .service(bulk_products);
}

type PathRef = web::Path<(String, String)>;

// ---- customers

/// Read the customer an external system knows as `{id}`.
#[utoipa::path(
    tag = "customers",
    params(
        ("source" = String, Path, description = "The external system, e.g. `kingdee`"),
        ("id" = String, Path, description = "The customer's id there"),
    ),
    responses((status = 200, description = "The customer", body = CustomerResponse), Problems),
    security(("bearer" = []))
)]
#[get("/customers/by-external-id/{source}/{id}")]
async fn read_customer(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let external = sync::path_ref(path.into_inner())?;
    let id =
        crm_persistence::sync::find(&state.db, &caller, SyncedKind::Customer, &external).await?;
    let row = customers::get(&state.db, &caller, id).await?;
    Ok(with_etag(
        StatusCode::OK,
        row.version,
        &super::super::customers::response(row),
    ))
}

/// Create or change the customer an external system knows as `{id}`. Absent: the body is a
/// new customer (as for `POST /customers`), answered `201`. Present: only the fields the body
/// names change (as for `PATCH`, without `If-Match`), answered `200`. Either way, and when
/// refused, the outcome becomes the record's sync state.
#[utoipa::path(
    tag = "customers",
    params(
        ("source" = String, Path, description = "The external system: a lowercase slug such as `kingdee`"),
        ("id" = String, Path, description = "The customer's id there (up to 100 characters)"),
    ),
    request_body = CreateCustomerRequest,
    responses(
        (status = 200, description = "Changed", body = CustomerResponse),
        (status = 201, description = "Created", body = CustomerResponse),
        Problems
    ),
    security(("bearer" = []))
)]
#[put("/customers/by-external-id/{source}/{id}")]
async fn upsert_customer(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
    body: ApiJson<Value>,
) -> Result<HttpResponse, ApiError> {
    sync::put::<Customers>(&req, &state, &caller, path.into_inner(), body.0).await
}

/// Create or change up to 1,000 customers by external id, each on its own: one item's
/// failure leaves the others written.
#[utoipa::path(
    tag = "customers",
    request_body = BulkRequest<CreateCustomerRequest>,
    responses((status = 200, description = "What happened to each item", body = BulkResponse), Problems),
    security(("bearer" = []))
)]
#[post("/customers/bulk")]
async fn bulk_customers(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    sync::post_bulk::<Customers>(&req, &state, &caller, body.0).await
}

/// Customers by external id.
struct Customers;

impl Synced for Customers {
    const KIND: SyncedKind = SyncedKind::Customer;
    const WRITE: Permission = Permission::CustomerWrite;
    type Answer = CustomerRow;
    /// The tenant's rules for new customers (pool, duplicates).
    type Shared = Settings;

    async fn shared(state: &AppState, caller: &Caller) -> Result<Settings, ApiError> {
        Ok(crm_persistence::settings::load(&state.db, caller.tenant_id)
            .await?
            .0)
    }

    async fn upsert(
        state: &AppState,
        caller: &Caller,
        settings: &Settings,
        external: &ExternalRef,
        body: Value,
    ) -> Result<(Upserted, CustomerRow), ApiError> {
        let body = sync::upsert_body::<CreateCustomerRequest, _, UpdateCustomerRequest>(
            external,
            body,
            |request| CustomerFields::parse_new(&request, caller.user_id, settings),
        );
        sync::retried(
            &state.db,
            caller,
            SyncedKind::Customer,
            external,
            async || Ok(customers::upsert(&state.db, caller, &body, settings).await?),
        )
        .await
    }

    fn id(row: &CustomerRow) -> Uuid {
        row.id
    }

    fn respond(status: StatusCode, row: CustomerRow) -> HttpResponse {
        with_etag(status, row.version, &super::super::customers::response(row))
    }
}

// ---- contacts

/// Read the contact an external system knows as `{id}`.
#[utoipa::path(
    tag = "contacts",
    params(
        ("source" = String, Path, description = "The external system, e.g. `kingdee`"),
        ("id" = String, Path, description = "The contact's id there"),
    ),
    responses((status = 200, description = "The contact", body = ContactResponse), Problems),
    security(("bearer" = []))
)]
#[get("/contacts/by-external-id/{source}/{id}")]
async fn read_contact(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let external = sync::path_ref(path.into_inner())?;
    let id =
        crm_persistence::sync::find(&state.db, &caller, SyncedKind::Contact, &external).await?;
    let row = contacts::get(&state.db, &caller, id).await?;
    Ok(with_etag(
        StatusCode::OK,
        row.version,
        &super::super::contacts::response(row),
    ))
}

/// Create or change the contact an external system knows as `{id}`: absent, the body is a
/// new contact (`201`); present, the fields it names change (`200`).
#[utoipa::path(
    tag = "contacts",
    params(
        ("source" = String, Path, description = "The external system: a lowercase slug such as `kingdee`"),
        ("id" = String, Path, description = "The contact's id there (up to 100 characters)"),
    ),
    request_body = CreateContactRequest,
    responses(
        (status = 200, description = "Changed", body = ContactResponse),
        (status = 201, description = "Created", body = ContactResponse),
        Problems
    ),
    security(("bearer" = []))
)]
#[put("/contacts/by-external-id/{source}/{id}")]
async fn upsert_contact(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
    body: ApiJson<Value>,
) -> Result<HttpResponse, ApiError> {
    sync::put::<Contacts>(&req, &state, &caller, path.into_inner(), body.0).await
}

/// Create or change up to 1,000 contacts by external id, each on its own.
#[utoipa::path(
    tag = "contacts",
    request_body = BulkRequest<CreateContactRequest>,
    responses((status = 200, description = "What happened to each item", body = BulkResponse), Problems),
    security(("bearer" = []))
)]
#[post("/contacts/bulk")]
async fn bulk_contacts(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    sync::post_bulk::<Contacts>(&req, &state, &caller, body.0).await
}

/// Contacts by external id.
struct Contacts;

impl Synced for Contacts {
    const KIND: SyncedKind = SyncedKind::Contact;
    const WRITE: Permission = Permission::CustomerWrite;
    type Answer = ContactRow;
    type Shared = ();

    async fn upsert(
        state: &AppState,
        caller: &Caller,
        _: &(),
        external: &ExternalRef,
        body: Value,
    ) -> Result<(Upserted, ContactRow), ApiError> {
        // The customer is part of a new contact, and only repeated on a known one.
        let mut patch = body.clone();
        let fixed = Fixed::take(&mut patch, &["customer_id"]);
        let body = Upsert {
            external: external.clone(),
            create: from_value::<CreateContactRequest>(body)
                .and_then(|request| ContactFields::parse_new(&request)),
            patch: from_value::<UpdateContactRequest>(patch),
        };
        sync::retried(
            &state.db,
            caller,
            SyncedKind::Contact,
            external,
            async || {
                let keeps = |current: &ContactRow| {
                    fixed.check(&json!({"customer_id": current.fields.customer_id}))
                };
                Ok(contacts::upsert(&state.db, caller, &body, keeps).await?)
            },
        )
        .await
    }

    fn id(row: &ContactRow) -> Uuid {
        row.id
    }

    fn respond(status: StatusCode, row: ContactRow) -> HttpResponse {
        with_etag(status, row.version, &super::super::contacts::response(row))
    }
}

// ---- products

/// Read the product an external system knows as `{id}`.
#[utoipa::path(
    tag = "products",
    params(
        ("source" = String, Path, description = "The external system, e.g. `kingdee`"),
        ("id" = String, Path, description = "The product's id there"),
    ),
    responses((status = 200, description = "The product", body = ProductResponse), Problems),
    security(("bearer" = []))
)]
#[get("/products/by-external-id/{source}/{id}")]
async fn read_product(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
) -> Result<HttpResponse, ApiError> {
    let external = sync::path_ref(path.into_inner())?;
    let id =
        crm_persistence::sync::find(&state.db, &caller, SyncedKind::Product, &external).await?;
    let row = products::get(&state.db, &caller, id).await?;
    Ok(with_etag(
        StatusCode::OK,
        row.version,
        &super::super::products::response(row),
    ))
}

/// Create or change the product an external system knows as `{id}`: absent, the body is a
/// new product (`201`, its `external_source`/`external_id` taken from the path); present,
/// the fields it names change (`200`). The body may repeat the path's identity, not change it.
#[utoipa::path(
    tag = "products",
    params(
        ("source" = String, Path, description = "The external system: a lowercase slug such as `kingdee`"),
        ("id" = String, Path, description = "The product's id there (up to 100 characters)"),
    ),
    request_body = CreateProductRequest,
    responses(
        (status = 200, description = "Changed", body = ProductResponse),
        (status = 201, description = "Created", body = ProductResponse),
        Problems
    ),
    security(("bearer" = []))
)]
#[put("/products/by-external-id/{source}/{id}")]
async fn upsert_product(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
    body: ApiJson<Value>,
) -> Result<HttpResponse, ApiError> {
    sync::put::<Products>(&req, &state, &caller, path.into_inner(), body.0).await
}

/// Create or change up to 1,000 products by external id, each on its own.
#[utoipa::path(
    tag = "products",
    request_body = BulkRequest<CreateProductRequest>,
    responses((status = 200, description = "What happened to each item", body = BulkResponse), Problems),
    security(("bearer" = []))
)]
#[post("/products/bulk")]
async fn bulk_products(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    sync::post_bulk::<Products>(&req, &state, &caller, body.0).await
}

/// Products by external id.
struct Products;

impl Synced for Products {
    const KIND: SyncedKind = SyncedKind::Product;
    const WRITE: Permission = Permission::ProductManage;
    type Answer = ProductRow;
    type Shared = ();

    async fn upsert(
        state: &AppState,
        caller: &Caller,
        _: &(),
        external: &ExternalRef,
        mut body: Value,
    ) -> Result<(Upserted, ProductRow), ApiError> {
        same_identity(&mut body, external)?;
        let body = sync::upsert_body::<CreateProductRequest, _, UpdateProductRequest>(
            external,
            body,
            |request| ProductFields::parse_new(&request),
        );
        sync::retried(
            &state.db,
            caller,
            SyncedKind::Product,
            external,
            async || Ok(products::upsert(&state.db, caller, &body).await?),
        )
        .await
    }

    fn id(row: &ProductRow) -> Uuid {
        row.id
    }

    fn respond(status: StatusCode, row: ProductRow) -> HttpResponse {
        with_etag(status, row.version, &super::super::products::response(row))
    }
}

/// A product's body may carry `external_source`/`external_id` (they are product fields);
/// they must then be the path's. Dropped once checked, so the path alone decides.
fn same_identity(body: &mut Value, external: &ExternalRef) -> Result<(), FieldErrors> {
    let Value::Object(fields) = body else {
        return Ok(());
    };
    let mut errors = FieldErrors::new();
    for (name, expected) in [
        ("external_source", external.source()),
        ("external_id", external.id()),
    ] {
        match fields.remove(name) {
            None | Some(Value::Null) => {}
            Some(Value::String(given)) if given == expected => {}
            Some(_) => errors.add(name, Violation::ReadOnly),
        }
    }
    errors.finish(())
}
