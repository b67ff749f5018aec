//! The approval engine (审批流): `/approval-policies` (which chain of steps a document goes
//! through) and `/approvals` (the requests, the inbox, the counts and the decisions).

use crm_api_types::Page;
use crm_api_types::approvals::{
    ApprovalCountsResponse, ApprovalListQuery, ApprovalPolicyListQuery, ApprovalPolicyRequest,
    ApprovalPolicyResponse, ApprovalResponse, ApprovalSummary, DecisionRequest, DelegateRequest,
    DocumentKind,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, Call};

/// What an approver (or the submitter) does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decide {
    Approve,
    /// A comment is required.
    Reject,
    /// Back to the submitter to change; a comment is required.
    Return,
    /// The submitter, before the first decision.
    Withdraw,
}

impl Decide {
    fn path(self) -> &'static str {
        match self {
            Decide::Approve => "approve",
            Decide::Reject => "reject",
            Decide::Return => "return",
            Decide::Withdraw => "withdraw",
        }
    }
}

impl Api {
    /// A kind's policies, in the order they are tried (ascending priority).
    pub async fn approval_policies(
        self,
        kind: DocumentKind,
    ) -> Result<Vec<ApprovalPolicyResponse>, ApiError> {
        let query = ApprovalPolicyListQuery {
            document_kind: Some(kind),
        };
        self.json(Call::get("/approval-policies").with_query(&query)?)
            .await
    }

    pub async fn create_approval_policy(
        self,
        body: &ApprovalPolicyRequest,
    ) -> Result<ApprovalPolicyResponse, ApiError> {
        self.json(Call::new(Method::POST, "/approval-policies").with_json(body)?)
            .await
    }

    /// Replaces the policy whole.
    pub async fn replace_approval_policy(
        self,
        id: Uuid,
        version: i32,
        body: &ApprovalPolicyRequest,
    ) -> Result<ApprovalPolicyResponse, ApiError> {
        let call = Call::new(Method::PUT, format!("/approval-policies/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_approval_policy(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(
            Method::DELETE,
            format!("/approval-policies/{id}"),
        ))
        .await
    }

    pub async fn list_approvals(
        self,
        query: &ApprovalListQuery,
    ) -> Result<Page<ApprovalSummary>, ApiError> {
        self.json(Call::get("/approvals").with_query(query)?).await
    }

    /// For the header badge.
    pub async fn approval_counts(self) -> Result<ApprovalCountsResponse, ApiError> {
        self.json(Call::get("/approvals/counts")).await
    }

    /// With its steps, their approvers' decisions and the timeline.
    pub async fn get_approval(self, id: Uuid) -> Result<ApprovalResponse, ApiError> {
        self.json(Call::get(format!("/approvals/{id}"))).await
    }

    pub async fn decide_approval(
        self,
        id: Uuid,
        decide: Decide,
        body: &DecisionRequest,
    ) -> Result<ApprovalResponse, ApiError> {
        let path = format!("/approvals/{id}/{}", decide.path());
        self.json(Call::new(Method::POST, path).with_json(body)?)
            .await
    }

    /// 转审: hands the caller's place on the current step to another user.
    pub async fn delegate_approval(
        self,
        id: Uuid,
        body: &DelegateRequest,
    ) -> Result<ApprovalResponse, ApiError> {
        self.json(Call::new(Method::POST, format!("/approvals/{id}/delegate")).with_json(body)?)
            .await
    }
}
