//! Serving the built SPA: static files, and `index.html` for every other non-API path so
//! client-side routes (`/leads/…`) survive a reload.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpResponse, web};

use crate::error::ApiError;

pub fn service(spa_dir: Option<PathBuf>) -> actix_web::Scope {
    let scope = web::scope("");
    match spa_dir.filter(|dir| dir.join("index.html").is_file()) {
        Some(dir) => {
            let index = dir.join("index.html");
            scope.service(
                Files::new("/", dir)
                    .index_file("index.html")
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        let index = index.clone();
                        async move { fallback(req, Some(index)).await }
                    })),
            )
        }
        None => scope.default_service(fn_service(|req: ServiceRequest| async move {
            fallback(req, None).await
        })),
    }
}

async fn fallback(
    req: ServiceRequest,
    index: Option<PathBuf>,
) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    if req.path().starts_with("/api/") {
        return Ok(ServiceResponse::from_err(ApiError::not_found(), req));
    }
    let response = match index {
        Some(index) => NamedFile::open(index)?.into_response(&req),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("The SPA is not built: run `make run` (or scripts/build-frontend.sh)."),
    };
    Ok(ServiceResponse::new(req, response))
}
