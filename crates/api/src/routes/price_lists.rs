//! `/price-lists`: prices per customer tier or per customer, with quantity breaks and
//! validity dates. Reading needs `opportunity.read`, writing `product.manage`; a list is
//! written whole (`POST`, `PUT`).

use super::Registry;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::products::{
    PriceListAudience, PriceListItemResponse, PriceListListQuery, PriceListRequest,
    PriceListResponse,
};
use crm_domain::listing::parse_limit;
use crm_domain::price_list::PriceListFields;
use crm_domain::pricing::Audience;
use crm_persistence::Cursor;
use crm_persistence::price_lists::{self, PriceListFilter, PriceListItemRow, PriceListRow};
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
        .service(replace)
        .service(remove);
}

fn response(row: PriceListRow) -> PriceListResponse {
    let PriceListRow {
        terms,
        notes,
        customer_name,
        item_count,
        items,
        version,
        created_at,
        updated_at,
    } = row;
    PriceListResponse {
        id: terms.id,
        name: terms.name,
        audience: match terms.audience {
            Audience::Tier(tier) => PriceListAudience::Tier { tier },
            Audience::Customer(customer_id) => PriceListAudience::Customer {
                customer_id,
                customer_name,
            },
        },
        currency: terms.currency,
        valid_from: terms.valid_from,
        valid_to: terms.valid_to,
        active: terms.active,
        notes,
        item_count,
        items: items.map(|items| items.into_iter().map(item_response).collect()),
        version,
        created_at,
        updated_at,
    }
}

fn item_response(item: PriceListItemRow) -> PriceListItemResponse {
    PriceListItemResponse {
        product_id: item.product_id,
        product_code: item.product_code,
        product_name: item.product_name,
        unit: item.unit,
        min_quantity: item.min_quantity,
        unit_price: item.unit_price,
    }
}

/// The request as a valid list, against the tenant's customer tiers.
async fn parse(
    state: &AppState,
    tenant_id: Uuid,
    body: &PriceListRequest,
) -> Result<PriceListFields, ApiError> {
    let (settings, _) = crm_persistence::settings::load(&state.db, tenant_id).await?;
    Ok(PriceListFields::parse(body, &settings)?)
}

/// List price lists by name, without their items. Lists for a customer outside your data
/// scope are left out.
#[utoipa::path(
    tag = "price-lists",
    params(PriceListListQuery),
    responses((status = 200, description = "One page of price lists", body = Page<PriceListResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/price-lists")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<PriceListListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = PriceListFilter {
        q: query.q,
        customer_id: query.customer_id,
        tier: query.tier,
        product_id: query.product_id,
        active: query.active,
    };
    let page = price_lists::list(
        &state.db,
        &caller,
        &filter,
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

/// Create a price list with its items. Each (product, `min_quantity`) appears once; every
/// product must be a live product of the tenant (`items[i].product_id`).
#[utoipa::path(
    tag = "price-lists",
    request_body = PriceListRequest,
    responses((status = 201, description = "Created, with its items", body = PriceListResponse), Problems),
    security(("bearer" = []))
)]
#[post("/price-lists")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<PriceListRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    let fields = parse(&state, caller.tenant_id, &body.0).await?;
    let row = price_lists::create(&state.db, &caller, fields).await?;
    Ok(with_etag(StatusCode::CREATED, row.version, &response(row)))
}

/// Read one price list with its items, by product code and quantity.
#[utoipa::path(
    tag = "price-lists",
    params(("id" = Uuid, Path, description = "Price list id")),
    responses((status = 200, description = "The list and its items; `ETag` carries its version", body = PriceListResponse), Problems),
    security(("bearer" = []))
)]
#[get("/price-lists/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::OpportunityRead)?;
    let row = price_lists::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Replace a price list whole: its terms and all its items. Send `If-Match: "<version>"` to
/// refuse (412) if someone changed it since.
#[utoipa::path(
    tag = "price-lists",
    params(
        ("id" = Uuid, Path, description = "Price list id"),
        ("If-Match" = Option<String>, Header, description = "The version you edited, e.g. `\"3\"`"),
    ),
    request_body = PriceListRequest,
    responses((status = 200, description = "Replaced, with its items", body = PriceListResponse), Problems),
    security(("bearer" = []))
)]
#[put("/price-lists/{id}")]
async fn replace(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<PriceListRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    let fields = parse(&state, caller.tenant_id, &body.0).await?;
    let row =
        price_lists::replace(&state.db, &caller, id.into_inner(), if_match(&req)?, fields).await?;
    Ok(with_etag(StatusCode::OK, row.version, &response(row)))
}

/// Delete a price list (kept with `deleted_at`); it stops pricing at once.
#[utoipa::path(
    tag = "price-lists",
    params(
        ("id" = Uuid, Path, description = "Price list id"),
        ("If-Match" = Option<String>, Header, description = "The version you saw"),
    ),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/price-lists/{id}")]
async fn remove(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ProductManage)?;
    price_lists::delete(&state.db, &caller, id.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
