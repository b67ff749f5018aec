//! Who owns a lead or customer: `/{leads|customers}/{id}/assign|claim|release|owner-history`,
//! and the tenant's `/assignment-rules`.

use crm_api_types::customers::CustomerResponse;
use crm_api_types::identity::Permission;
use crm_api_types::leads::LeadResponse;
use crm_api_types::ownership::{
    AssignRequest, AssignmentRuleRequest, AssignmentRuleResponse, OwnerChangeResponse,
    ReleaseRequest,
};
use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{Api, ApiError, Call};

/// A record that has an owner or sits in the pool (公海): the same actions serve both kinds.
pub trait OwnedRecord: DeserializeOwned + Clone + Send + Sync + 'static {
    /// The collection under `/api/v1`.
    const COLLECTION: &'static str;
    /// The permission that lets a user claim, release and assign one.
    const WRITE: Permission;
    /// Whether the tenant's assignment rules can choose its owner (`by_rules`).
    const BY_RULES: bool;

    fn record_id(&self) -> Uuid;
    /// `None` while it is in the pool.
    fn owner(&self) -> Option<Uuid>;
}

impl OwnedRecord for LeadResponse {
    const COLLECTION: &'static str = "leads";
    const WRITE: Permission = Permission::LeadWrite;
    const BY_RULES: bool = true;

    fn record_id(&self) -> Uuid {
        self.id
    }

    fn owner(&self) -> Option<Uuid> {
        self.owner_id
    }
}

impl OwnedRecord for CustomerResponse {
    const COLLECTION: &'static str = "customers";
    const WRITE: Permission = Permission::CustomerWrite;
    const BY_RULES: bool = false;

    fn record_id(&self) -> Uuid {
        self.id
    }

    fn owner(&self) -> Option<Uuid> {
        self.owner_id
    }
}

fn action_path<T: OwnedRecord>(id: Uuid, action: &str) -> String {
    format!("/{}/{id}/{action}", T::COLLECTION)
}

impl Api {
    /// 分配: to a user in the caller's scope (else 422 on `owner_id`), or by the rules (leads).
    pub async fn assign<T: OwnedRecord>(
        self,
        id: Uuid,
        body: &AssignRequest,
    ) -> Result<T, ApiError> {
        self.json(Call::new(Method::POST, action_path::<T>(id, "assign")).with_json(body)?)
            .await
    }

    /// 领取: `409 claim_limit_reached` or `409 not_in_pool`.
    pub async fn claim<T: OwnedRecord>(self, id: Uuid) -> Result<T, ApiError> {
        self.json(Call::new(Method::POST, action_path::<T>(id, "claim")))
            .await
    }

    /// 退回公海.
    pub async fn release<T: OwnedRecord>(
        self,
        id: Uuid,
        body: &ReleaseRequest,
    ) -> Result<T, ApiError> {
        self.json(Call::new(Method::POST, action_path::<T>(id, "release")).with_json(body)?)
            .await
    }

    /// Every change of owner, oldest first.
    pub async fn owner_history<T: OwnedRecord>(
        self,
        id: Uuid,
    ) -> Result<Vec<OwnerChangeResponse>, ApiError> {
        self.json(Call::get(action_path::<T>(id, "owner-history")))
            .await
    }

    pub async fn assignment_rules(self) -> Result<Vec<AssignmentRuleResponse>, ApiError> {
        self.json(Call::get("/assignment-rules")).await
    }

    pub async fn create_assignment_rule(
        self,
        body: &AssignmentRuleRequest,
    ) -> Result<AssignmentRuleResponse, ApiError> {
        self.json(Call::new(Method::POST, "/assignment-rules").with_json(body)?)
            .await
    }

    /// Replaces the rule the caller loaded at `version` (412 if someone changed it since).
    pub async fn replace_assignment_rule(
        self,
        id: Uuid,
        version: i32,
        body: &AssignmentRuleRequest,
    ) -> Result<AssignmentRuleResponse, ApiError> {
        let call = Call::new(Method::PUT, format!("/assignment-rules/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_assignment_rule(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/assignment-rules/{id}")))
            .await
    }
}
