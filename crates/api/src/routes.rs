//! Every route, one module per resource.

mod activities;
mod audit;
mod auth;
mod contacts;
mod customers;
mod departments;
mod health;
mod leads;
mod me;
mod roles;
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
                .configure(departments::configure)
                .configure(users::configure)
                .configure(roles::configure)
                .configure(audit::configure)
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

/// For lists that take no parameters: anything sent is refused as unknown (422).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}
