//! `/webhook-endpoints`, `/webhook-deliveries`, `/event-types`: outgoing webhooks, managed
//! with `settings.manage` (by an admin in the SPA, or by an integrator's key holding it).

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Duration;

use super::{NoParams, Registry, with_etag};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::webhooks::{
    CreateWebhookEndpointRequest, CreatedWebhookEndpointResponse, DeliveryListQuery,
    EventTypeResponse, ReplayWebhookRequest, ReplayWebhookResponse, RotateWebhookSecretRequest,
    UpdateWebhookEndpointRequest, WebhookAttemptResponse, WebhookDeliveryResponse,
    WebhookEndpointResponse, WebhookSecretResponse,
};
use crm_domain::event::EventType;
use crm_domain::listing::parse_limit;
use crm_domain::webhook::{AllowList, parse_url};
use crm_domain::{Caller, FieldErrors, Violation};
use crm_persistence::Cursor;
use crm_persistence::webhooks::{self, EndpointChanges, NewEndpoint, deliveries};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, OptionalJson, if_match};
use crate::openapi::Problems;
use crate::webhooks::signature::new_secret;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(event_types)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove)
        .service(read_secret)
        .service(rotate_secret)
        .service(list_deliveries)
        .service(replay)
        .service(read_delivery)
        .service(attempts)
        .service(resend);
}

const DESCRIPTION_MAX: usize = 200;
/// A rotated-out secret signs for at most a week.
const OVERLAP_HOURS_MAX: u32 = 168;
const OVERLAP_HOURS_DEFAULT: u32 = 24;
/// How long checking a URL's host may take before it is accepted unchecked (the dispatcher
/// checks every address again before each attempt).
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(3);

/// The event names a request subscribes to: known ones or `*`, at least one, no repeats.
fn parse_events(events: &[String], errors: &mut FieldErrors) -> Vec<String> {
    if events.is_empty() {
        errors.add("events", Violation::Required);
    }
    let mut seen = BTreeSet::new();
    for (index, name) in events.iter().enumerate() {
        let field = format!("events[{index}]");
        if name != "*" && name.parse::<EventType>().is_err() {
            errors.add(&field, Violation::UnknownValue);
        } else if !seen.insert(name.as_str()) {
            errors.add(&field, Violation::Duplicate);
        }
    }
    events.to_vec()
}

/// Checks an endpoint URL: its form, then that its host does not lead into an internal
/// network the tenant did not allow. A host that does not resolve yet is accepted.
async fn checked_url(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    errors: &mut FieldErrors,
) -> Result<String, ApiError> {
    let url = match parse_url(raw) {
        Ok(url) => url,
        Err(violation) => {
            errors.add("url", violation);
            return Ok(raw.to_owned());
        }
    };
    let (settings, _) = crm_persistence::settings::load(&state.db, caller.tenant_id).await?;
    let allow = settings.webhook_allow_list();
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or(443);
    if !reachable(&allow, host, port).await {
        errors.add("url", Violation::InternalAddress);
    }
    Ok(url.to_string())
}

async fn reachable(allow: &AllowList, host: &str, port: u16) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return allow.permits(host, ip);
    }
    match tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((bare, port))).await {
        Ok(Ok(addresses)) => addresses.into_iter().all(|a| allow.permits(host, a.ip())),
        _ => true,
    }
}

fn require_manager(caller: &Caller) -> Result<(), ApiError> {
    Ok(caller.require(Permission::SettingsManage)?)
}

/// The event catalogue: every type an endpoint can subscribe to.
#[utoipa::path(
    tag = "webhooks",
    responses((status = 200, description = "Every event type", body = [EventTypeResponse]), Problems),
    security(("bearer" = []))
)]
#[get("/event-types")]
async fn event_types(Auth(_caller): Auth, _: ApiQuery<NoParams>) -> HttpResponse {
    let types: Vec<EventTypeResponse> = EventType::ALL
        .iter()
        .map(|t| EventTypeResponse {
            name: t.as_str().to_owned(),
            subject_kind: t.subject_kind().to_owned(),
            description: t.description().to_owned(),
        })
        .collect();
    HttpResponse::Ok().json(types)
}

/// Every endpoint of the tenant, oldest first.
#[utoipa::path(
    tag = "webhooks",
    responses((status = 200, description = "All endpoints", body = Page<WebhookEndpointResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/webhook-endpoints")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    _: ApiQuery<NoParams>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let items = webhooks::list(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: None,
        total: None,
    }))
}

/// Subscribe a URL to events. The answer holds the signing secret (also readable later at
/// `/webhook-endpoints/{id}/secret`).
#[utoipa::path(
    tag = "webhooks",
    request_body = CreateWebhookEndpointRequest,
    responses((status = 201, description = "Created", body = CreatedWebhookEndpointResponse), Problems),
    security(("bearer" = []))
)]
#[post("/webhook-endpoints")]
async fn create(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<CreateWebhookEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let url = checked_url(&state, &caller, &body.url, &mut errors).await?;
    let description =
        errors.optional_text("description", body.description.as_deref(), DESCRIPTION_MAX);
    let events = parse_events(&body.events, &mut errors);
    errors.finish(())?;
    let secret = new_secret();
    let endpoint = webhooks::create(
        &state.db,
        &caller,
        NewEndpoint {
            url,
            description,
            events,
            enabled: body.enabled.unwrap_or(true),
            secret: secret.clone(),
        },
    )
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((
            actix_web::http::header::ETAG,
            format!("\"{}\"", endpoint.version),
        ))
        .json(CreatedWebhookEndpointResponse { endpoint, secret }))
}

#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Endpoint id")),
    responses((status = 200, description = "The endpoint", body = WebhookEndpointResponse), Problems),
    security(("bearer" = []))
)]
#[get("/webhook-endpoints/{id}")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let endpoint = webhooks::get(&state.db, &caller, id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, endpoint.version, &endpoint))
}

/// Change the URL, description, events, or switch the endpoint on or off. Switching it on
/// clears its failure count; deliveries still pending resume.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Endpoint id"),
           ("If-Match" = Option<String>, Header, description = "The version read (`\"3\"`); stale → 412")),
    request_body = UpdateWebhookEndpointRequest,
    responses((status = 200, description = "Updated", body = WebhookEndpointResponse), Problems),
    security(("bearer" = []))
)]
#[patch("/webhook-endpoints/{id}")]
async fn update(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: ApiJson<UpdateWebhookEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let url = match &body.url {
        Some(raw) => Some(checked_url(&state, &caller, raw, &mut errors).await?),
        None => None,
    };
    let description = body
        .description
        .map(|d| errors.optional_text("description", d.as_deref(), DESCRIPTION_MAX));
    let events = body.events.map(|e| parse_events(&e, &mut errors));
    errors.finish(())?;
    let changes = EndpointChanges {
        url,
        description,
        events,
        enabled: body.enabled,
    };
    let endpoint = webhooks::update(
        &state.db,
        &caller,
        id.into_inner(),
        if_match(&req)?,
        changes,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, endpoint.version, &endpoint))
}

/// Delete the endpoint with its delivery log.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Endpoint id")),
    responses((status = 204, description = "Deleted"), Problems),
    security(("bearer" = []))
)]
#[delete("/webhook-endpoints/{id}")]
async fn remove(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    webhooks::delete(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signing secret (and the previous one while a rotation overlaps).
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Endpoint id")),
    responses((status = 200, description = "The secrets", body = WebhookSecretResponse), Problems),
    security(("bearer" = []))
)]
#[get("/webhook-endpoints/{id}/secret")]
async fn read_secret(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let secrets = webhooks::secret(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(secrets))
}

/// Make a new secret. During the overlap every delivery carries two signatures, one per
/// secret, so the receiver can switch to the new one at its own pace. The body may be left
/// out (24 hours' overlap).
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Endpoint id")),
    request_body = Option<RotateWebhookSecretRequest>,
    responses((status = 200, description = "Rotated", body = WebhookSecretResponse), Problems),
    security(("bearer" = []))
)]
#[post("/webhook-endpoints/{id}/rotate-secret")]
async fn rotate_secret(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: OptionalJson<RotateWebhookSecretRequest>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let hours = body.0.overlap_hours.unwrap_or(OVERLAP_HOURS_DEFAULT);
    if hours > OVERLAP_HOURS_MAX {
        return Err(ApiError::field(
            "overlap_hours",
            Violation::OutOfRange {
                min: 0,
                max: i64::from(OVERLAP_HOURS_MAX),
            },
        ));
    }
    let secrets = webhooks::rotate_secret(
        &state.db,
        &caller,
        id.into_inner(),
        new_secret(),
        chrono::Duration::hours(i64::from(hours)),
    )
    .await?;
    Ok(HttpResponse::Ok().json(secrets))
}

/// The endpoint's delivery log, newest first.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Endpoint id"), DeliveryListQuery),
    responses((status = 200, description = "One page of deliveries", body = Page<WebhookDeliveryResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/webhook-endpoints/{id}/deliveries")]
async fn list_deliveries(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: ApiQuery<DeliveryListQuery>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let page = deliveries::list(
        &state.db,
        &caller,
        id.into_inner(),
        query.status,
        limit,
        cursor.as_ref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items,
        next_cursor: page.next.map(|c| c.encode()),
        total: None,
    }))
}

/// Send the endpoint's events of a time range again (up to 10,000 per call), e.g. after
/// its receiver was down longer than the retries lasted.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Endpoint id")),
    request_body = ReplayWebhookRequest,
    responses((status = 202, description = "Queued", body = ReplayWebhookResponse), Problems),
    security(("bearer" = []))
)]
#[post("/webhook-endpoints/{id}/replay")]
async fn replay(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<ReplayWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let body = body.0;
    if body.to <= body.from {
        return Err(ApiError::field("to", Violation::InvalidFormat));
    }
    let queued =
        deliveries::replay(&state.db, &caller, id.into_inner(), body.from, body.to).await?;
    Ok(HttpResponse::Accepted().json(ReplayWebhookResponse { queued }))
}

#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Delivery id")),
    responses((status = 200, description = "The delivery", body = WebhookDeliveryResponse), Problems),
    security(("bearer" = []))
)]
#[get("/webhook-deliveries/{id}")]
async fn read_delivery(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let delivery = deliveries::get(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(delivery))
}

/// Every attempt of a delivery: status, latency, the start of the answer.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Delivery id")),
    responses((status = 200, description = "Attempts, oldest first", body = [WebhookAttemptResponse]), Problems),
    security(("bearer" = []))
)]
#[get("/webhook-deliveries/{id}/attempts")]
async fn attempts(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let attempts = deliveries::attempts(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(attempts))
}

/// Send one delivery's event again, as a new delivery.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Delivery id")),
    responses((status = 202, description = "Queued", body = WebhookDeliveryResponse), Problems),
    security(("bearer" = []))
)]
#[post("/webhook-deliveries/{id}/resend")]
async fn resend(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    require_manager(&caller)?;
    let delivery = deliveries::resend(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(delivery))
}
