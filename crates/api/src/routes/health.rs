use actix_web::{HttpResponse, get, web};

use crate::AppState;

/// Liveness: the process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Up")))]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Readiness: the database answers and every migration is applied.
#[utoipa::path(tag = "health", responses((status = 200, description = "Ready"), (status = 503, description = "Not ready")))]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match crm_persistence::database::ready(&state.db).await {
        Ok(true) => HttpResponse::Ok().json(serde_json::json!({"status": "ready"})),
        Ok(false) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "migrations_pending"})),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "database_unreachable"}))
        }
    }
}
