//! `/products`: the catalogue. Every user of the tenant reads it; `product.manage` writes it.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::products::{
    CreateProductRequest, ProductListQuery, ProductResponse, UpdateProductRequest,
};
use crm_domain::listing::{Sort, parse_limit, parse_sort};
use crm_domain::money::to_cents_at_least;
use crm_domain::product::ProductFields;
use crm_persistence::Cursor;
use crm_persistence::products::{self, ProductFilter, ProductRow, ProductSortKey};
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

pub(super) fn response(row: ProductRow) -> ProductResponse {
    let ProductRow {
        id,
        fields: f,
        category_name,
        version,
        created_at,
        updated_at,
        created_by,
    } = row;
    let (external_id, external_source) = f.external.unzip();
    ProductResponse {
        id,
        code: f.code,
        name: f.name,
        spec: f.spec,
        unit: f.unit,
        category_id: f.category_id,
        category_name,
        list_price: to_cents_at_least(f.list_price),
        currency: f.currency,
        vat_rate: f.vat_rate,
        active: f.active,
        description: f.description,
        external_id,
        external_source,
        version,
        created_at,
        updated_at,
        created_by,
    }
}

/// List products, by code unless `sort` says otherwise.
#[utoipa::path(
    tag = "products",
    params(ProductListQuery),
    responses((status = 200, description = "One page of products", body = Page<ProductResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/products")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ProductListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let default = Sort {
        key: ProductSortKey::Code,
        descending: false,
    };
    let sort = parse_sort(query.sort.as_deref(), &ProductSortKey::NAMES, default)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = ProductFilter {
        q: query.q,
        category_id: query.category_id,
        active: query.active,
    };
    let page = products::list(
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

/// Create a product. `409 product_code_taken` when a live product has the code;
/// `409 product_external_id_taken` when one has the ERP id.
#[utoipa::path(
    tag = "products",
    request_body = CreateProductRequest,
    responses((status = 201, description = "Created", body = ProductResponse), Problems),
    security(("bearer" = []))
)]
#[post("/products")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateProductRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    let fields = ProductFields::parse_new(&body.0)?;
    let row = products::create(&state.db, &caller, fields).await?;
    Ok(with_etag(StatusCode::CREATED, row.version, &response(row)))
}

/// Read one product.
#[utoipa::path(
    tag = "products",
    params(("id" = Uuid, Path, description = "Product id")),
    responses((status = 200, description = "The product; `ETag` carries its version", body = ProductResponse), Problems),
    security(("bearer" = []))
)]
#[get("/products/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = products::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Change some fields. Send `If-Match: "<version>"` to refuse (412) if someone changed it since.
#[utoipa::path(
    tag = "products",
    params(
        ("id" = Uuid, Path, description = "Product id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = UpdateProductRequest,
    responses((status = 200, description = "Updated", body = ProductResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/products/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateProductRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    let row = products::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Delete a product (kept with `deleted_at`: price lists and opportunity lines still name it,
/// and its code is free again).
#[utoipa::path(
    tag = "products",
    params(
        ("id" = Uuid, Path, description = "Product id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/products/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    products::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
