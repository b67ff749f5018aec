//! Receivables (应收款): payments (`/payments`), open instalments (`/receivables`), their
//! aging (`/receivables/aging`) and a customer's credit limit (`/customers/{id}/credit`).

use crm_api_types::Page;
use crm_api_types::receivables::{
    AgingQuery, AgingResponse, AllocatePaymentRequest, CreatePaymentRequest,
    CustomerCreditResponse, PaymentListQuery, PaymentResponse, ReceivableListQuery,
    ReceivableResponse, UpdateCustomerCreditRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

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

    /// 核销: applies what is left of a payment (the customer's credit), oldest due first
    /// unless the request lists its allocations.
    pub async fn allocate_payment(
        self,
        payment_id: Uuid,
        body: &AllocatePaymentRequest,
    ) -> Result<PaymentResponse, ApiError> {
        let path = format!("/payments/{payment_id}/allocate");
        self.json(Call::new(Method::POST, path).with_json(body)?)
            .await
    }

    /// Newest first.
    pub async fn list_payments(
        self,
        query: &PaymentListQuery,
    ) -> Result<Page<PaymentResponse>, ApiError> {
        self.json(Call::get("/payments").with_query(query)?).await
    }

    /// The customer's credit limit, what their open receivables use of it and their credit
    /// from unapplied payments.
    pub async fn customer_credit(
        self,
        customer_id: Uuid,
    ) -> Result<CustomerCreditResponse, ApiError> {
        self.json(Call::get(format!("/customers/{customer_id}/credit")))
            .await
    }

    /// Sets the limit (CNY), or removes it with `None`.
    pub async fn set_customer_credit(
        self,
        customer_id: Uuid,
        body: &UpdateCustomerCreditRequest,
    ) -> Result<CustomerCreditResponse, ApiError> {
        let path = format!("/customers/{customer_id}/credit");
        self.json(Call::new(Method::PUT, path).with_json(body)?)
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
