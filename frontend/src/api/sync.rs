//! `/sync-states`: how the last inbound sync (by external id) of each ERP record ended.

use crm_api_types::Page;
use crm_api_types::sync::{SyncStateListQuery, SyncStateResponse, SyncedKind};
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    /// One record's states, one per external system (for anyone who may read the record).
    pub async fn record_sync_states(
        self,
        kind: SyncedKind,
        record_id: Uuid,
    ) -> Result<Vec<SyncStateResponse>, ApiError> {
        let query = SyncStateListQuery {
            kind: Some(kind),
            record_id: Some(record_id),
            ..SyncStateListQuery::default()
        };
        let page: Page<SyncStateResponse> = self
            .json(Call::get("/sync-states").with_query(&query)?)
            .await?;
        Ok(page.items)
    }

    /// One page of the tenant's sync states, newest first (`settings.manage`).
    pub async fn list_sync_states(
        self,
        query: &SyncStateListQuery,
    ) -> Result<Page<SyncStateResponse>, ApiError> {
        self.json(Call::get("/sync-states").with_query(query)?)
            .await
    }
}
