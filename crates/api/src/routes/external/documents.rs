//! Sales orders, shipments, invoices and payments by external id.
//!
//! An order an ERP entered is created as `POST /sales-orders` would, and changed afterwards
//! as `PATCH` allows for its status (customer, quote, contract and currency stay as created).
//! Shipments, invoices and payments are recorded once: sent again they are answered as they
//! are (`unchanged`), except that a shipment sent with its delivery is signed for.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use crm_api_types::identity::Permission;
use crm_api_types::receivables::{CreatePaymentRequest, PaymentResponse, UpsertInvoiceRequest};
use crm_api_types::sales_orders::{
    CreateSalesOrderRequest, SalesOrderResponse, UpdateSalesOrderRequest, UpsertShipmentRequest,
};
use crm_api_types::sync::{BulkRequest, BulkResponse};
use crm_domain::sync::{ExternalRef, SyncedKind};
use crm_domain::{Caller, Error, Violation};
use crm_persistence::sync::Upserted;
use crm_persistence::{receivables, sales_orders};
use serde_json::Value;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, from_value};
use crate::openapi::Problems;
use crate::routes::Registry;
use crate::routes::sales_orders::{etagged, new_order};
use crate::sync::{self, BulkBody, Fixed, Synced};

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(read_order)
        .service(upsert_order)
        .service(bulk_orders)
        .service(upsert_shipment)
        .service(bulk_shipments)
        .service(upsert_invoice)
        .service(bulk_invoices)
        .service(read_payment)
        .service(upsert_payment)
        .service(bulk_payments);
}

type PathRef = web::Path<(String, String)>;

/// The record `external` names, if any.
async fn known(
    state: &AppState,
    caller: &Caller,
    kind: SyncedKind,
    external: &ExternalRef,
) -> Result<Option<Uuid>, ApiError> {
    match crm_persistence::sync::find(&state.db, caller, kind, external).await {
        Ok(id) => Ok(Some(id)),
        Err(Error::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

// ---- sales orders

/// Read the order an external system knows as `{id}`.
#[utoipa::path(
    tag = "sales-orders",
    params(
        ("source" = String, Path, description = "The external system, e.g. `kingdee`"),
        ("id" = String, Path, description = "The order's id there"),
    ),
    responses((status = 200, description = "The order", body = SalesOrderResponse), Problems),
    security(("bearer" = []))
)]
#[get("/sales-orders/by-external-id/{source}/{id}")]
async fn read_order(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SalesOrderRead)?;
    let external = sync::path_ref(path.into_inner())?;
    let id =
        crm_persistence::sync::find(&state.db, &caller, SyncedKind::SalesOrder, &external).await?;
    let response = sales_orders::get(&state.db, &caller, id).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Create or change the order an external system knows as `{id}`. Absent: the body is a
/// new draft order as for `POST /sales-orders` (`201`). Present: the fields the body names
/// change as `PATCH` allows in the order's status (`200`); `customer_id`, `quote_id`,
/// `contract_id` and `currency` may be repeated, not changed (`422 read_only`), and
/// `promised_date` (the default for new lines) is left out.
#[utoipa::path(
    tag = "sales-orders",
    params(
        ("source" = String, Path, description = "The external system: a lowercase slug such as `kingdee`"),
        ("id" = String, Path, description = "The order's id there (up to 100 characters)"),
    ),
    request_body = CreateSalesOrderRequest,
    responses(
        (status = 200, description = "Changed", body = SalesOrderResponse),
        (status = 201, description = "Created", body = SalesOrderResponse),
        Problems
    ),
    security(("bearer" = []))
)]
#[put("/sales-orders/by-external-id/{source}/{id}")]
async fn upsert_order(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
    body: ApiJson<Value>,
) -> Result<HttpResponse, ApiError> {
    sync::put::<Orders>(&req, &state, &caller, path.into_inner(), body.0).await
}

/// Create or change up to 1,000 orders by external id, each on its own.
#[utoipa::path(
    tag = "sales-orders",
    request_body = BulkRequest<CreateSalesOrderRequest>,
    responses((status = 200, description = "What happened to each item", body = BulkResponse), Problems),
    security(("bearer" = []))
)]
#[post("/sales-orders/bulk")]
async fn bulk_orders(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    sync::post_bulk::<Orders>(&req, &state, &caller, body.0).await
}

/// Sales orders.
struct Orders;

impl Synced for Orders {
    const KIND: SyncedKind = SyncedKind::SalesOrder;
    const WRITE: Permission = Permission::SalesOrderWrite;
    type Answer = SalesOrderResponse;
    type Shared = ();

    async fn upsert(
        state: &AppState,
        caller: &Caller,
        _: &(),
        external: &ExternalRef,
        body: Value,
    ) -> Result<(Upserted, SalesOrderResponse), ApiError> {
        let kind = Self::KIND;
        sync::retried(&state.db, caller, kind, external, async || {
            let Some(id) = known(state, caller, kind, external).await? else {
                let request: CreateSalesOrderRequest = from_value(body.clone())?;
                let response = new_order(state, caller, &request, Some(external)).await?;
                return Ok((Upserted::Created, response));
            };
            let current = sales_orders::get(&state.db, caller, id).await?;
            let current = serde_json::to_value(&current).map_err(|e| ApiError::internal(&e))?;
            let mut patch = body.clone();
            Fixed::take(
                &mut patch,
                &["customer_id", "quote_id", "contract_id", "currency"],
            )
            .check(&current)?;
            if let Value::Object(fields) = &mut patch {
                fields.remove("promised_date");
            }
            let patch: UpdateSalesOrderRequest = from_value(patch)?;
            let response =
                sales_orders::update(&state.db, caller, id, None, &patch, Some(external)).await?;
            Ok((Upserted::Updated, response))
        })
        .await
    }

    fn id(answer: &Self::Answer) -> Uuid {
        answer.summary.id
    }

    fn respond(status: StatusCode, answer: Self::Answer) -> HttpResponse {
        etagged(status, &answer)
    }
}

// ---- shipments

/// Record the shipment an external system knows as `{id}` (an ERP's 发货单) for an order,
/// as `POST /sales-orders/{id}/shipments` does (`201`, the order). Known already: answered
/// as it is (`200`); with `delivered_on` or `received_by`, it is signed for (签收) the
/// first time. Its order may be repeated, not changed.
#[utoipa::path(
    tag = "sales-orders",
    params(
        ("source" = String, Path, description = "The external system: a lowercase slug such as `kingdee`"),
        ("id" = String, Path, description = "The shipment's id there (up to 100 characters)"),
    ),
    request_body = UpsertShipmentRequest,
    responses(
        (status = 200, description = "Signed for, or known already: its order", body = SalesOrderResponse),
        (status = 201, description = "Recorded: its order", body = SalesOrderResponse),
        Problems
    ),
    security(("bearer" = []))
)]
#[put("/shipments/by-external-id/{source}/{id}")]
async fn upsert_shipment(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
    body: ApiJson<Value>,
) -> Result<HttpResponse, ApiError> {
    sync::put::<Shipments>(&req, &state, &caller, path.into_inner(), body.0).await
}

/// Record up to 1,000 shipments by external id, each on its own.
#[utoipa::path(
    tag = "sales-orders",
    request_body = BulkRequest<UpsertShipmentRequest>,
    responses((status = 200, description = "What happened to each item", body = BulkResponse), Problems),
    security(("bearer" = []))
)]
#[post("/shipments/bulk")]
async fn bulk_shipments(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    sync::post_bulk::<Shipments>(&req, &state, &caller, body.0).await
}

/// Shipments: the answer is the shipment's id and its order.
struct Shipments;

impl Synced for Shipments {
    const KIND: SyncedKind = SyncedKind::Shipment;
    const WRITE: Permission = Permission::SalesOrderWrite;
    type Answer = (Uuid, SalesOrderResponse);
    type Shared = ();

    async fn upsert(
        state: &AppState,
        caller: &Caller,
        _: &(),
        external: &ExternalRef,
        body: Value,
    ) -> Result<(Upserted, (Uuid, SalesOrderResponse)), ApiError> {
        let kind = Self::KIND;
        let request: UpsertShipmentRequest = from_value(body)?;
        let delivery = request.delivery();
        sync::retried(&state.db, caller, kind, external, async || {
            let Some(id) = known(state, caller, kind, external).await? else {
                let order = sales_orders::create_shipment(
                    &state.db,
                    caller,
                    request.sales_order_id,
                    &request.shipment(),
                    delivery.as_ref(),
                    Some(external),
                )
                .await?;
                let id = order
                    .shipments
                    .iter()
                    .find(|s| s.external_id.as_deref() == Some(external.id()))
                    .map(|s| s.id)
                    .ok_or_else(|| ApiError::internal(&"the new shipment is not on its order"))?;
                return Ok((Upserted::Created, (id, order)));
            };
            let order_id = sales_orders::shipment_order(&state.db, caller, id).await?;
            if order_id != request.sales_order_id {
                return Err(ApiError::field("sales_order_id", Violation::ReadOnly));
            }
            if let Some(delivery) = &delivery {
                match sales_orders::deliver_shipment(
                    &state.db,
                    caller,
                    id,
                    delivery,
                    Some(external),
                )
                .await
                {
                    Ok(order) => return Ok((Upserted::Updated, (id, order))),
                    Err(Error::Conflict {
                        code: "shipment_delivered",
                        ..
                    }) => {}
                    Err(other) => return Err(other.into()),
                }
            }
            let order = sales_orders::get(&state.db, caller, order_id).await?;
            crm_persistence::sync::unchanged(&state.db, caller, kind, external, id).await?;
            Ok((Upserted::Unchanged, (id, order)))
        })
        .await
    }

    fn id(answer: &Self::Answer) -> Uuid {
        answer.0
    }

    fn respond(status: StatusCode, answer: Self::Answer) -> HttpResponse {
        etagged(status, &answer.1)
    }
}

// ---- invoices

/// Record the invoice an external system knows as `{id}` (开票 in the ERP) for an order, as
/// `POST /sales-orders/{id}/invoices` does (`201`, the order). Known already: answered as it
/// is (`200`). Its order may be repeated, not changed.
#[utoipa::path(
    tag = "receivables",
    params(
        ("source" = String, Path, description = "The external system: a lowercase slug such as `kingdee`"),
        ("id" = String, Path, description = "The invoice's id there (up to 100 characters)"),
    ),
    request_body = UpsertInvoiceRequest,
    responses(
        (status = 200, description = "Known already: its order", body = SalesOrderResponse),
        (status = 201, description = "Recorded: its order", body = SalesOrderResponse),
        Problems
    ),
    security(("bearer" = []))
)]
#[put("/invoices/by-external-id/{source}/{id}")]
async fn upsert_invoice(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
    body: ApiJson<Value>,
) -> Result<HttpResponse, ApiError> {
    sync::put::<Invoices>(&req, &state, &caller, path.into_inner(), body.0).await
}

/// Record up to 1,000 invoices by external id, each on its own.
#[utoipa::path(
    tag = "receivables",
    request_body = BulkRequest<UpsertInvoiceRequest>,
    responses((status = 200, description = "What happened to each item", body = BulkResponse), Problems),
    security(("bearer" = []))
)]
#[post("/invoices/bulk")]
async fn bulk_invoices(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    sync::post_bulk::<Invoices>(&req, &state, &caller, body.0).await
}

/// Invoices: the answer is the invoice's id and its order.
struct Invoices;

impl Synced for Invoices {
    const KIND: SyncedKind = SyncedKind::Invoice;
    const WRITE: Permission = Permission::ReceivableWrite;
    type Answer = (Uuid, SalesOrderResponse);
    type Shared = ();

    async fn upsert(
        state: &AppState,
        caller: &Caller,
        _: &(),
        external: &ExternalRef,
        body: Value,
    ) -> Result<(Upserted, (Uuid, SalesOrderResponse)), ApiError> {
        let kind = Self::KIND;
        let request: UpsertInvoiceRequest = from_value(body)?;
        sync::retried(&state.db, caller, kind, external, async || {
            let Some(id) = known(state, caller, kind, external).await? else {
                let order = receivables::create_invoice(
                    &state.db,
                    caller,
                    request.sales_order_id,
                    &request.invoice(),
                    Some(external),
                )
                .await?;
                let id = order
                    .invoices
                    .iter()
                    .find(|i| i.external_id.as_deref() == Some(external.id()))
                    .map(|i| i.id)
                    .ok_or_else(|| ApiError::internal(&"the new invoice is not on its order"))?;
                return Ok((Upserted::Created, (id, order)));
            };
            let order_id = receivables::invoice_order(&state.db, caller, id).await?;
            if order_id != request.sales_order_id {
                return Err(ApiError::field("sales_order_id", Violation::ReadOnly));
            }
            let order = sales_orders::get(&state.db, caller, order_id).await?;
            crm_persistence::sync::unchanged(&state.db, caller, kind, external, id).await?;
            Ok((Upserted::Unchanged, (id, order)))
        })
        .await
    }

    fn id(answer: &Self::Answer) -> Uuid {
        answer.0
    }

    fn respond(status: StatusCode, answer: Self::Answer) -> HttpResponse {
        etagged(status, &answer.1)
    }
}

// ---- payments

/// Read the payment an external system knows as `{id}`.
#[utoipa::path(
    tag = "receivables",
    params(
        ("source" = String, Path, description = "The external system, e.g. `kingdee`"),
        ("id" = String, Path, description = "The payment's id there"),
    ),
    responses((status = 200, description = "The payment", body = PaymentResponse), Problems),
    security(("bearer" = []))
)]
#[get("/payments/by-external-id/{source}/{id}")]
async fn read_payment(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ReceivableRead)?;
    let external = sync::path_ref(path.into_inner())?;
    let id =
        crm_persistence::sync::find(&state.db, &caller, SyncedKind::Payment, &external).await?;
    let response = receivables::get_payment(&state.db, &caller, id).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Record the payment an external system knows as `{id}` (收款 in the ERP) as
/// `POST /payments` does, applied to the customer's instalments (`201`). Known already:
/// answered as it is (`200`).
#[utoipa::path(
    tag = "receivables",
    params(
        ("source" = String, Path, description = "The external system: a lowercase slug such as `kingdee`"),
        ("id" = String, Path, description = "The payment's id there (up to 100 characters)"),
    ),
    request_body = CreatePaymentRequest,
    responses(
        (status = 200, description = "Known already", body = PaymentResponse),
        (status = 201, description = "Recorded and applied", body = PaymentResponse),
        Problems
    ),
    security(("bearer" = []))
)]
#[put("/payments/by-external-id/{source}/{id}")]
async fn upsert_payment(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    path: PathRef,
    body: ApiJson<Value>,
) -> Result<HttpResponse, ApiError> {
    sync::put::<Payments>(&req, &state, &caller, path.into_inner(), body.0).await
}

/// Record up to 1,000 payments by external id, each on its own.
#[utoipa::path(
    tag = "receivables",
    request_body = BulkRequest<CreatePaymentRequest>,
    responses((status = 200, description = "What happened to each item", body = BulkResponse), Problems),
    security(("bearer" = []))
)]
#[post("/payments/bulk")]
async fn bulk_payments(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    sync::post_bulk::<Payments>(&req, &state, &caller, body.0).await
}

/// Payments.
struct Payments;

impl Synced for Payments {
    const KIND: SyncedKind = SyncedKind::Payment;
    const WRITE: Permission = Permission::ReceivableWrite;
    type Answer = PaymentResponse;
    type Shared = ();

    async fn upsert(
        state: &AppState,
        caller: &Caller,
        _: &(),
        external: &ExternalRef,
        body: Value,
    ) -> Result<(Upserted, PaymentResponse), ApiError> {
        let kind = Self::KIND;
        let request: CreatePaymentRequest = from_value(body)?;
        sync::retried(&state.db, caller, kind, external, async || {
            let Some(id) = known(state, caller, kind, external).await? else {
                let response =
                    receivables::create_payment(&state.db, caller, &request, Some(external))
                        .await?;
                return Ok((Upserted::Created, response));
            };
            let response = receivables::get_payment(&state.db, caller, id).await?;
            crm_persistence::sync::unchanged(&state.db, caller, kind, external, id).await?;
            Ok((Upserted::Unchanged, response))
        })
        .await
    }

    fn id(answer: &Self::Answer) -> Uuid {
        answer.id
    }

    fn respond(status: StatusCode, answer: Self::Answer) -> HttpResponse {
        HttpResponse::build(status).json(answer)
    }
}
