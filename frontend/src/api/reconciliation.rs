//! Reconciliation (对账): the figures each ERP reported for an order next to the CRM's, and
//! the orders where they disagree.

use crm_api_types::Page;
use crm_api_types::reconciliation::{ReconciliationListQuery, ReconciliationResponse};
use uuid::Uuid;

use super::{Api, ApiError, Call};

impl Api {
    /// One order's reports, one per system, each with its differences.
    pub async fn order_erp_figures(
        self,
        order_id: Uuid,
    ) -> Result<Vec<ReconciliationResponse>, ApiError> {
        self.json(Call::get(format!("/sales-orders/{order_id}/erp-figures")))
            .await
    }

    /// One page of the orders whose reported figures disagree, newest report first.
    pub async fn list_reconciliation(
        self,
        query: &ReconciliationListQuery,
    ) -> Result<Page<ReconciliationResponse>, ApiError> {
        self.json(Call::get("/reconciliation").with_query(query)?)
            .await
    }
}
