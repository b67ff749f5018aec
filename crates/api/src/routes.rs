//! Every route, one module per resource.

mod activities;
mod audit;
mod auth;
mod contacts;
mod customers;
mod departments;
mod exports;
mod health;
mod imports;
mod leads;
mod me;
mod opportunities;
mod pipelines;
mod price_lists;
mod prices;
mod product_categories;
mod products;
mod roles;
mod rules;
mod saved_filters;
mod settings;
mod users;

use actix_web::{HttpResponse, web};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(
            scope("/api/v1")
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()),
                )
                .configure(auth::configure)
                .configure(me::configure)
                .configure(leads::configure)
                .configure(customers::configure)
                .configure(contacts::configure)
                .configure(activities::configure)
                .configure(settings::configure)
                .configure(rules::configure)
                .configure(departments::configure)
                .configure(users::configure)
                .configure(roles::configure)
                .configure(audit::configure)
                .configure(imports::configure)
                .configure(exports::configure)
                .configure(opportunities::configure)
                .configure(pipelines::configure)
                .configure(saved_filters::configure)
                .configure(products::configure)
                .configure(product_categories::configure)
                .configure(price_lists::configure)
                .configure(prices::configure)
                .default_service(web::to(|| async {
                    Err::<HttpResponse, _>(ApiError::not_found())
                })),
        );
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
