//! `GET /audit-log`: who changed what, when (permission `audit.read`).

use super::Registry;
use actix_web::{HttpResponse, get, web};
use crm_api_types::Page;
use crm_api_types::audit::{AuditEntryResponse, AuditListQuery, FieldChange};
use crm_api_types::identity::Permission;
use crm_domain::listing::parse_limit;
use crm_persistence::Cursor;
use crm_persistence::audit::{self, AuditFilter};

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list);
}

/// Audit entries of the tenant, newest first, filtered by record, user or time.
#[utoipa::path(
    tag = "audit",
    params(AuditListQuery),
    responses((status = 200, description = "One page of entries", body = Page<AuditEntryResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/audit-log")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<AuditListQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::AuditRead)?;
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = AuditFilter {
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        actor_id: query.actor_id,
        from: query.from,
        to: query.to,
    };
    let (rows, next) = audit::list(&state.db, &caller, &filter, limit, cursor.as_ref()).await?;
    let items: Vec<AuditEntryResponse> = rows
        .into_iter()
        .map(|(entry, actor_name)| AuditEntryResponse {
            id: entry.id,
            occurred_at: entry.occurred_at,
            actor_id: entry.actor_id,
            actor_name,
            action: entry.action,
            entity_type: entry.entity_type,
            entity_id: entry.entity_id,
            changes: serde_json::from_value::<Vec<FieldChange>>(entry.changes).unwrap_or_default(),
            request_id: entry.request_id,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: next.map(|c| c.encode()),
        total: None,
    }))
}
