//! Every route, one module per resource.

mod activities;
mod api_keys;
mod approval_policies;
mod approvals;
mod attachments;
mod audit;
mod auth;
mod contacts;
mod contracts;
mod customers;
mod departments;
mod document_template;
mod events;
mod exports;
mod external;
mod health;
pub(crate) mod imports;
mod leads;
mod me;
mod notifications;
mod opportunities;
mod pipelines;
mod price_lists;
mod prices;
mod product_categories;
mod products;
mod quotes;
mod receivables;
mod reconciliation;
pub(crate) mod reports;
mod roles;
mod rules;
mod sales_orders;
mod saved_filters;
mod settings;
mod sync_states;
mod targets;
mod users;
mod webhooks;

use actix_web::dev::HttpServiceFactory;
use actix_web::{HttpResponse, web};
use utoipa_actix_web::OpenApiFactory;

use crate::error::ApiError;

/// Where the route modules register their handlers: utoipa's configuration, which also
/// collects the OpenAPI paths (once, for the document), or actix's own, which every worker
/// builds and which needs nothing but the handlers. Collecting the paths in each worker
/// cost ~17 MiB of resident memory per worker.
pub trait Registry {
    fn service<F>(&mut self, factory: F) -> &mut Self
    where
        F: HttpServiceFactory + OpenApiFactory + 'static;
}

impl Registry for utoipa_actix_web::service_config::ServiceConfig<'_> {
    fn service<F>(&mut self, factory: F) -> &mut Self
    where
        F: HttpServiceFactory + OpenApiFactory + 'static,
    {
        utoipa_actix_web::service_config::ServiceConfig::service(self, factory)
    }
}

impl Registry for web::ServiceConfig {
    fn service<F>(&mut self, factory: F) -> &mut Self
    where
        F: HttpServiceFactory + OpenApiFactory + 'static,
    {
        web::ServiceConfig::service(self, factory)
    }
}

/// The routes as the OpenAPI document describes them.
pub fn document(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(utoipa_actix_web::scope("/api/v1").configure(|cfg| api(cfg)));
}

/// The routes as a worker serves them (the same handlers, no document).
pub fn serve(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(
            web::scope("/api/v1")
                .app_data(path_errors())
                .configure(api)
                .default_service(web::to(not_found)),
        );
}

/// An id that is not one is a 404 like any unknown record.
fn path_errors() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into())
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::not_found())
}

/// Everything under `/api/v1`.
fn api(cfg: &mut impl Registry) {
    auth::configure(cfg);
    me::configure(cfg);
    notifications::configure(cfg);
    leads::configure(cfg);
    external::configure(cfg);
    customers::configure(cfg);
    contacts::configure(cfg);
    activities::configure(cfg);
    settings::configure(cfg);
    rules::configure(cfg);
    departments::configure(cfg);
    users::configure(cfg);
    roles::configure(cfg);
    api_keys::configure(cfg);
    webhooks::configure(cfg);
    events::configure(cfg);
    sync_states::configure(cfg);
    reconciliation::configure(cfg);
    reports::configure(cfg);
    targets::configure(cfg);
    audit::configure(cfg);
    imports::configure(cfg);
    exports::configure(cfg);
    opportunities::configure(cfg);
    pipelines::configure(cfg);
    saved_filters::configure(cfg);
    products::configure(cfg);
    product_categories::configure(cfg);
    price_lists::configure(cfg);
    prices::configure(cfg);
    quotes::configure(cfg);
    contracts::configure(cfg);
    sales_orders::configure(cfg);
    receivables::configure(cfg);
    approvals::configure(cfg);
    approval_policies::configure(cfg);
    document_template::configure(cfg);
    attachments::configure(cfg);
}

/// `200 OK` with the body and `ETag: "<version>"`.
fn with_etag<T: serde::Serialize>(
    status: actix_web::http::StatusCode,
    version: i32,
    body: &T,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((actix_web::http::header::ETAG, format!("\"{version}\"")))
        .json(body)
}

/// The owner an assign request names: a user, or the rules; exactly one.
fn new_owner(
    request: &crm_api_types::ownership::AssignRequest,
) -> Result<crm_persistence::leads::NewOwner, ApiError> {
    use crm_domain::Violation;
    use crm_persistence::leads::NewOwner;
    match (request.owner_id, request.by_rules) {
        (Some(user), false) => Ok(NewOwner::User(user)),
        (None, true) => Ok(NewOwner::Rules),
        (Some(_), true) => Err(ApiError::field("by_rules", Violation::MutuallyExclusive)),
        (None, false) => Err(ApiError::field("owner_id", Violation::Required)),
    }
}

fn release_note(
    request: crm_api_types::ownership::ReleaseRequest,
) -> Result<Option<String>, ApiError> {
    let mut errors = crm_domain::FieldErrors::new();
    let note = errors.optional_text("note", request.note.as_deref(), 500);
    Ok(errors.finish(note)?)
}

fn owner_change_response(
    row: crm_persistence::ownership::OwnerChangeRow,
) -> crm_api_types::ownership::OwnerChangeResponse {
    crm_api_types::ownership::OwnerChangeResponse {
        id: row.change.id,
        from_owner_id: row.change.from_owner,
        from_owner_name: row.from_name,
        to_owner_id: row.change.to_owner,
        to_owner_name: row.to_name,
        reason: row.reason,
        note: row.change.note,
        changed_by: row.change.changed_by,
        changed_at: row.change.changed_at,
    }
}

/// For lists that take no parameters: anything sent is refused as unknown (422).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}
