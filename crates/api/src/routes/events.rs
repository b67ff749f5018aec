//! `/events`: the change feed, for integrations that poll instead of receiving webhooks.

use std::collections::BTreeSet;

use super::Registry;
use actix_web::{HttpResponse, get, web};
use crm_api_types::Page;
use crm_api_types::webhooks::{EventFeedQuery, EventResponse};
use crm_domain::event::EventType;
use crm_domain::listing::parse_limit;
use crm_domain::{FieldErrors, Violation};
use crm_persistence::event_feed;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(feed);
}

/// The events after `after`, oldest first: those whose records the caller may read (the
/// event type's read permission and the caller's data scope). Keep `next_cursor` and pass it
/// as `after` next time: it is always set, and stays the same while nothing new happened.
/// Events are kept 35 days.
#[utoipa::path(
    tag = "webhooks",
    params(EventFeedQuery),
    responses((status = 200, description = "One page of events", body = Page<EventResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/events")]
async fn feed(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<EventFeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let limit = parse_limit(query.limit)?;
    let after = match query.after.as_deref() {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| FieldErrors::single("after", Violation::InvalidFormat))?,
    };
    let mut types = BTreeSet::new();
    let mut errors = FieldErrors::new();
    for name in query.types.iter().flat_map(|t| t.split(',')).map(str::trim) {
        match name.parse::<EventType>() {
            Ok(event_type) => {
                types.insert(event_type);
            }
            Err(_) => errors.add("type", Violation::UnknownValue),
        }
    }
    errors.finish(())?;
    let page = event_feed::read(&state.db, &caller, after, limit, &types).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items,
        next_cursor: Some(page.next.to_string()),
        total: None,
    }))
}
