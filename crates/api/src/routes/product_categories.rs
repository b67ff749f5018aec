//! `/product-categories`: the catalogue's category tree. Every user of the tenant reads it;
//! `product.manage` changes it.

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::identity::Permission;
use crm_api_types::products::{
    CreateProductCategoryRequest, ProductCategoryResponse, UpdateProductCategoryRequest,
};
use crm_domain::product::CategoryFields;
use crm_persistence::product_categories::{self, CategoryRow};
use uuid::Uuid;

use super::{NoParams, with_etag};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, if_match};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list)
        .service(create)
        .service(update)
        .service(remove);
}

fn response(row: CategoryRow) -> ProductCategoryResponse {
    let c = row.category;
    ProductCategoryResponse {
        id: c.id,
        name: c.name,
        parent_id: c.parent_id,
        product_count: row.product_count,
        version: c.version,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

/// Every category, flat and by name; build the tree from `parent_id`.
#[utoipa::path(
    tag = "products",
    responses((status = 200, description = "All categories", body = Vec<ProductCategoryResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/product-categories")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    let rows = product_categories::list(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(response).collect::<Vec<_>>()))
}

/// Create a category, top-level or under `parent_id`.
#[utoipa::path(
    tag = "products",
    request_body = CreateProductCategoryRequest,
    responses((status = 201, description = "Created", body = ProductCategoryResponse), Problems),
    security(("bearer" = []))
)]
#[post("/product-categories")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateProductCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    let fields = CategoryFields::parse_new(&body.0)?;
    let row = product_categories::create(&state.db, &caller, fields).await?;
    Ok(with_etag(
        StatusCode::CREATED,
        row.category.version,
        &response(row),
    ))
}

/// Rename or move a category with everything below it. A move under itself or one of its
/// own sub-categories is a 422 on `parent_id`.
#[utoipa::path(
    tag = "products",
    params(
        ("id" = Uuid, Path, description = "Category id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = UpdateProductCategoryRequest,
    responses((status = 200, description = "Updated", body = ProductCategoryResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/product-categories/{id}")]
async fn update(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateProductCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    let row = product_categories::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        &body.0,
    )
    .await?;
    Ok(with_etag(
        StatusCode::OK,
        row.category.version,
        &response(row),
    ))
}

/// Delete an empty category. `409 category_in_use` while it has sub-categories or products.
#[utoipa::path(
    tag = "products",
    params(
        ("id" = Uuid, Path, description = "Category id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/product-categories/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    product_categories::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
