//! Receivables (应收款): payments (`/payments`), open instalments (`/receivables`) and their
//! aging (`/receivables/aging`).

use crm_api_types::Page;
use crm_api_types::receivables::{
    AgingQuery, AgingResponse, CreatePaymentRequest, PaymentResponse, ReceivableListQuery,
    ReceivableResponse,
};
use gloo_net::http::Method;

use super::{Api, ApiError, Call};

impl Api {
    /// 收款: applied oldest due first unless the request lists its allocations.
    pub async fn create_payment(
        self,
        body: &CreatePaymentRequest,
    ) -> Result<PaymentResponse, ApiError> {
        self.json(Call::new(Method::POST, "/payments").with_json(body)?)
            .await
    }

    /// Open instalments (the aging drill-down).
    pub async fn list_receivables(
        self,
        query: &ReceivableListQuery,
    ) -> Result<Page<ReceivableResponse>, ApiError> {
        self.json(Call::get("/receivables").with_query(query)?)
            .await
    }

    pub async fn receivables_aging(self, query: &AgingQuery) -> Result<AgingResponse, ApiError> {
        self.json(Call::get("/receivables/aging").with_query(query)?)
            .await
    }
}
