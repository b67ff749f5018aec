//! `/notifications`: the caller's own reminders (站内提醒), their unread count for the
//! header, and marking them read.

use super::Registry;
use actix_web::{HttpResponse, get, post, web};
use crm_api_types::Page;
use crm_api_types::notifications::{
    NotificationCountResponse, NotificationListQuery, NotificationResponse,
};
use crm_domain::listing::parse_limit;
use crm_persistence::Cursor;
use crm_persistence::notifications;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    // The literal paths come before `/notifications/{id}`.
    cfg.service(count)
        .service(read_all)
        .service(list)
        .service(read);
}

/// The caller's notifications, newest first.
#[utoipa::path(
    tag = "notifications",
    params(NotificationListQuery),
    responses((status = 200, description = "One page of notifications", body = Page<NotificationResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/notifications")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<NotificationListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let page = notifications::list(
        &state.db,
        &caller,
        query.unread.unwrap_or(false),
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

/// How many of the caller's notifications are unread (the header's badge).
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, description = "The count", body = NotificationCountResponse), Problems),
    security(("bearer" = []))
)]
#[get("/notifications/count")]
async fn count(Auth(caller): Auth, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let unread = notifications::unread_count(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(NotificationCountResponse { unread }))
}

/// Mark one notification read.
#[utoipa::path(
    tag = "notifications",
    params(("id" = Uuid, Path, description = "Notification id")),
    responses((status = 200, description = "Read", body = NotificationResponse), Problems),
    security(("bearer" = []))
)]
#[post("/notifications/{id}/read")]
async fn read(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let response = notifications::mark_read(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Mark all of the caller's notifications read.
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, description = "What is still unread (none)", body = NotificationCountResponse), Problems),
    security(("bearer" = []))
)]
#[post("/notifications/read-all")]
async fn read_all(
    Auth(caller): Auth,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    notifications::mark_all_read(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(NotificationCountResponse { unread: 0 }))
}
