//! `/contracts` (合同): the list, one contract, editing a draft, and the actions that move it
//! along — submit for approval, 履行完毕 and 终止 (with a reason). Every action answers with
//! the contract.

use crm_api_types::Page;
use crm_api_types::contracts::{
    ContractActionRequest, ContractListQuery, ContractResponse, ContractSummary,
    CreateContractRequest, TerminateContractRequest, UpdateContractRequest,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call, Versioned};

/// The actions that take only an optional note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractAction {
    Submit,
    Complete,
}

impl ContractAction {
    fn path(self) -> &'static str {
        match self {
            ContractAction::Submit => "submit",
            ContractAction::Complete => "complete",
        }
    }
}

impl Api {
    pub async fn list_contracts(
        self,
        query: &ContractListQuery,
    ) -> Result<Page<ContractSummary>, ApiError> {
        self.json(Call::get("/contracts").with_query(query)?).await
    }

    /// From an accepted quote (`quote_id`), a won opportunity, or entered with lines.
    pub async fn create_contract(
        self,
        body: &CreateContractRequest,
    ) -> Result<ContractResponse, ApiError> {
        self.json(Call::new(Method::POST, "/contracts").with_json(body)?)
            .await
    }

    pub async fn get_contract(self, id: Uuid) -> Result<Versioned<ContractResponse>, ApiError> {
        self.versioned(
            Call::get(format!("/contracts/{id}")),
            |c: &ContractResponse| c.summary.version,
        )
        .await
    }

    /// A draft takes every field; `version` is the one loaded: a contract changed since
    /// answers 412.
    pub async fn update_contract(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateContractRequest,
    ) -> Result<ContractResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/contracts/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    /// A draft only.
    pub async fn delete_contract(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/contracts/{id}")))
            .await
    }

    /// `version` is the one the user saw: a contract changed since answers 412.
    pub async fn contract_action(
        self,
        id: Uuid,
        version: i32,
        action: ContractAction,
        body: &ContractActionRequest,
    ) -> Result<ContractResponse, ApiError> {
        let call = Call::new(Method::POST, format!("/contracts/{id}/{}", action.path()))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn terminate_contract(
        self,
        id: Uuid,
        version: i32,
        body: &TerminateContractRequest,
    ) -> Result<ContractResponse, ApiError> {
        let call = Call::new(Method::POST, format!("/contracts/{id}/terminate"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }
}
