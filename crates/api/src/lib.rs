//! The HTTP API: `/api/v1` (actix-web), its OpenAPI document, and the SPA's static files.
//!
//! A request passes: `TracingLogger` (request id, span) → `middleware::request_context`
//! (echo `x-request-id`, localize problem bodies) → `rate_limit` (authenticate the caller
//! once, take a token from their bucket, `X-RateLimit-*` headers) → `idempotency` (a keyed
//! POST runs once, repeats replay) → a handler in `routes/`, which extracts `Auth` (the
//! caller resolved above), checks a function permission, and calls `crm_persistence` with
//! the caller, where tenant and data-scope filters are applied.

pub mod auth;
mod error;
mod extract;
mod i18n;
mod idempotency;
pub mod import_worker;
mod middleware;
mod openapi;
pub mod rate_limit;
mod routes;
mod spa;
mod sync;
pub mod tabular;
pub mod webhooks;

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use crm_persistence::Database;
use tracing_actix_web::TracingLogger;

pub use error::ApiError;
pub use i18n::Lang;

/// What every handler shares.
pub struct AppState {
    pub db: Database,
    /// Where attachment bytes live.
    pub files: crm_persistence::attachments::FileStore,
    pub tokens: auth::tokens::TokenKeys,
    pub login_throttle: auth::throttle::LoginThrottle,
    pub rate_limiter: rate_limit::RateLimiter,
}

pub struct ServeOptions {
    /// The built SPA (`index.html`, `pkg/`); `None` serves the API only.
    pub spa_dir: Option<PathBuf>,
    /// How long in-flight requests may take to finish after SIGTERM.
    pub shutdown_timeout: Duration,
    pub workers: usize,
}

/// Starts serving on `listener`. The returned server stops gracefully on SIGTERM/SIGINT.
pub fn serve(
    listener: TcpListener,
    state: AppState,
    options: ServeOptions,
) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    // Serialized once: every worker serves the same bytes.
    let spec = web::Bytes::from(openapi_json());
    let spa_dir = options.spa_dir;
    let server = HttpServer::new(move || {
        let spec = spec.clone();
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(extract::BODY_LIMIT))
            .wrap(actix_web::middleware::from_fn(idempotency::idempotency))
            .wrap(actix_web::middleware::from_fn(rate_limit::rate_limit))
            .wrap(actix_web::middleware::from_fn(middleware::request_context))
            .wrap(TracingLogger::default())
            // The docs come first: the `/api/v1` scope would answer the spec URL with a 404.
            .route(
                openapi::SPEC_PATH,
                web::get().to(move || {
                    let spec = spec.clone();
                    async move {
                        actix_web::HttpResponse::Ok()
                            .content_type("application/json")
                            .body(spec)
                    }
                }),
            )
            .service(openapi::docs_ui())
            .configure(routes::serve)
            .service(spa::service(spa_dir.clone()))
    })
    .workers(options.workers.max(1))
    .shutdown_timeout(options.shutdown_timeout.as_secs())
    .listen(listener)?
    .run();
    Ok(server)
}

/// The OpenAPI document as JSON, exactly as checked in at `openapi/openapi.json`.
pub fn openapi_json() -> String {
    openapi::document().to_pretty_json().unwrap_or_default()
}
