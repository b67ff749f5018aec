//! `/customers`: the list, one customer, duplicate checks and merges.

use crm_api_types::Page;
use crm_api_types::customers::{
    CreateCustomerRequest, CustomerListQuery, CustomerResponse, DuplicateCheckQuery,
    DuplicateCheckResponse, MergeCustomerRequest, UpdateCustomerRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Versioned};

impl Api {
    pub async fn list_customers(
        self,
        query: &CustomerListQuery,
    ) -> Result<Page<CustomerResponse>, ApiError> {
        self.json(Call::get("/customers").with_query(query)?).await
    }

    pub async fn create_customer(
        self,
        body: &CreateCustomerRequest,
    ) -> Result<CustomerResponse, ApiError> {
        self.json(Call::new(Method::POST, "/customers").with_json(body)?)
            .await
    }

    /// A merged customer's id answers with a redirect that fetch follows: the customer
    /// returned then has the survivor's id.
    pub async fn get_customer(self, id: Uuid) -> Result<Versioned<CustomerResponse>, ApiError> {
        self.versioned(
            Call::get(format!("/customers/{id}")),
            |c: &CustomerResponse| c.version,
        )
        .await
    }

    pub async fn update_customer(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateCustomerRequest,
    ) -> Result<CustomerResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/customers/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_customer(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/customers/{id}")))
            .await
    }

    pub async fn check_duplicates(
        self,
        query: &DuplicateCheckQuery,
    ) -> Result<DuplicateCheckResponse, ApiError> {
        self.json(Call::get("/customers/duplicate-check").with_query(query)?)
            .await
    }

    /// Merges `body.source_id` into `survivor`; answers with the survivor.
    pub async fn merge_customer(
        self,
        survivor: Uuid,
        body: &MergeCustomerRequest,
    ) -> Result<CustomerResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/customers/{survivor}/merge")).with_json(body)?)
            .await
    }
}
