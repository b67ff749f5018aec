//! `/sync-states`: how the last inbound sync of each external record ended. Admins list the
//! tenant's (the failed ones above all); anyone who may read a record sees its own.

use super::Registry;
use actix_web::{HttpResponse, get, web};
use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::sync::{
    SyncResult as ResultName, SyncStateListQuery, SyncStateResponse, SyncedKind as KindName,
};
use crm_domain::listing::parse_limit;
use crm_domain::sync::{SyncResult, SyncedKind};
use crm_domain::{Caller, Violation};
use crm_persistence::Cursor;
use crm_persistence::sync::{self, StateFilter};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(list);
}

/// Sync states, most recent first. `result=failed` lists the external records whose last
/// sync was refused, with the problem the system got. With `record_id` and `kind`: that
/// record's states, one per system that syncs it.
#[utoipa::path(
    tag = "sync",
    params(SyncStateListQuery),
    responses((status = 200, description = "One page of sync states", body = Page<SyncStateResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/sync-states")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<SyncStateListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let kind = query.kind.map(kind);
    if let Some(record_id) = query.record_id {
        let Some(kind) = kind else {
            return Err(ApiError::field("kind", Violation::Required));
        };
        readable(&state, &caller, kind, record_id).await?;
        let items = sync::states_of(&state.db, &caller, record_id).await?;
        return Ok(HttpResponse::Ok().json(Page {
            items,
            next_cursor: None,
            total: None,
        }));
    }
    caller.require(Permission::SettingsManage)?;
    let limit = parse_limit(query.limit)?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let filter = StateFilter {
        kind,
        source: query.external_source,
        result: query.result.map(|r| match r {
            ResultName::Succeeded => SyncResult::Succeeded,
            ResultName::Failed => SyncResult::Failed,
        }),
    };
    let page = sync::list(&state.db, &caller, &filter, limit, cursor.as_ref()).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items,
        next_cursor: page.next.map(|c| c.encode()),
        total: None,
    }))
}

fn kind(name: KindName) -> SyncedKind {
    match name {
        KindName::Customer => SyncedKind::Customer,
        KindName::Contact => SyncedKind::Contact,
        KindName::Product => SyncedKind::Product,
        KindName::SalesOrder => SyncedKind::SalesOrder,
        KindName::Shipment => SyncedKind::Shipment,
        KindName::Invoice => SyncedKind::Invoice,
        KindName::Payment => SyncedKind::Payment,
    }
}

/// Refuses (404) a record the caller cannot read, as its own page would.
async fn readable(
    state: &AppState,
    caller: &Caller,
    kind: SyncedKind,
    id: Uuid,
) -> Result<(), ApiError> {
    let db = &state.db;
    match kind {
        SyncedKind::Customer => {
            caller.require(Permission::CustomerRead)?;
            crm_persistence::customers::get(db, caller, id)
                .await
                .map(drop)?;
        }
        SyncedKind::Contact => {
            caller.require(Permission::CustomerRead)?;
            crm_persistence::contacts::get(db, caller, id)
                .await
                .map(drop)?;
        }
        SyncedKind::Product => {
            crm_persistence::products::get(db, caller, id)
                .await
                .map(drop)?;
        }
        SyncedKind::SalesOrder => {
            caller.require(Permission::SalesOrderRead)?;
            crm_persistence::sales_orders::get(db, caller, id)
                .await
                .map(drop)?;
        }
        SyncedKind::Shipment => {
            caller.require(Permission::SalesOrderRead)?;
            let order = crm_persistence::sales_orders::shipment_order(db, caller, id).await?;
            crm_persistence::sales_orders::get(db, caller, order)
                .await
                .map(drop)?;
        }
        SyncedKind::Invoice => {
            caller.require(Permission::ReceivableRead)?;
            let order = crm_persistence::receivables::invoice_order(db, caller, id).await?;
            crm_persistence::sales_orders::get(db, caller, order)
                .await
                .map(drop)?;
        }
        SyncedKind::Payment => {
            caller.require(Permission::ReceivableRead)?;
            crm_persistence::receivables::get_payment(db, caller, id)
                .await
                .map(drop)?;
        }
    }
    Ok(())
}
