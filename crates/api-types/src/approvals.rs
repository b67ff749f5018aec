//! The approval engine (审批流): admin-defined policies choose a chain of steps for a
//! document; approvers decide step by step. One engine for quotes now, orders, contracts and
//! expenses later.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kinds of document that go through approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 报价单
    Quote,
    /// 销售订单
    SalesOrder,
    /// 合同
    Contract,
}

crate::keyed!(DocumentKind {
    Quote => "quote",
    SalesOrder => "sales_order",
    Contract => "contract",
});

/// How a policy's conditions combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Any one condition met chooses the policy.
    #[default]
    Any,
    /// Every condition must be met.
    All,
}

crate::keyed!(MatchMode {
    Any => "any",
    All => "all",
});

/// One test on the document's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The document's total (VAT included) is at least `amount` in `currency`. Documents in
    /// another currency never meet it.
    TotalAtLeast {
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "500000.00"))]
        amount: Decimal,
        /// Defaults to `CNY`.
        #[serde(default = "cny")]
        currency: String,
    },
    /// Some line's discount is above `percent`: the line discount and the header discount
    /// together, or the price's distance below the product's list price, whichever is more.
    DiscountAbove {
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "15"))]
        percent: Decimal,
    },
    /// The customer's tier is one of these keys (the tenant's `customer_tiers`).
    CustomerTierIn { tiers: Vec<String> },
}

fn cny() -> String {
    "CNY".to_owned()
}

/// Who approves a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ApproverRule {
    /// A named user.
    User { user_id: Uuid },
    /// Every active user with this role.
    Role { role_id: Uuid },
    /// The manager of the submitter's department (部门经理).
    DepartmentManager,
    /// The manager `levels` departments up from the submitter's: 1 is the department's
    /// manager, 2 the manager of the department above, and so on.
    ManagerLevelsUp { levels: u8 },
    /// The manager of the top department (总经理).
    TopManager,
}

/// 或签 (any one approver decides the step) or 会签 (every approver must approve).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepMode {
    /// 或签
    #[default]
    Any,
    /// 会签
    All,
}

crate::keyed!(StepMode {
    Any => "any",
    All => "all",
});

/// One step of a policy's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyStep {
    /// e.g. 部门经理审批; 1–50 characters.
    pub name: String,
    /// The step's approvers are everyone these rules name (1–10 rules).
    pub approvers: Vec<ApproverRule>,
    #[serde(default)]
    pub mode: StepMode,
}

/// Creates or replaces a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "document_kind": "quote", "name": "大额或高折扣报价", "match_mode": "any",
    "conditions": [
        {"kind": "total_at_least", "amount": "500000", "currency": "CNY"},
        {"kind": "discount_above", "percent": "15"}
    ],
    "steps": [
        {"name": "部门经理审批", "approvers": [{"kind": "department_manager"}], "mode": "any"},
        {"name": "总经理审批", "approvers": [{"kind": "top_manager"}], "mode": "any"}
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicyRequest {
    pub document_kind: DocumentKind,
    /// 1–100 characters.
    pub name: String,
    /// Policies of a kind are tried in ascending `priority`; the first whose conditions
    /// hold chooses the chain. Defaults to 100.
    #[serde(default)]
    pub priority: Option<i32>,
    /// Inactive policies are never chosen. Defaults to true.
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub match_mode: MatchMode,
    /// No conditions: the policy applies to every document of the kind (0–20).
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// 1–10 steps, decided in order.
    pub steps: Vec<PolicyStep>,
    /// Whether the submitter may approve a step they are an approver of. Defaults to false:
    /// they are left out of the step's approvers.
    #[serde(default)]
    pub allow_self_approval: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalPolicyResponse {
    pub id: Uuid,
    pub document_kind: DocumentKind,
    pub name: String,
    pub priority: i32,
    pub active: bool,
    pub match_mode: MatchMode,
    pub conditions: Vec<Condition>,
    pub steps: Vec<PolicyStep>,
    pub allow_self_approval: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicyListQuery {
    pub document_kind: Option<DocumentKind>,
}

/// Where an approval request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    /// 审批中
    Pending,
    /// 已批准: every step approved.
    Approved,
    /// 已驳回
    Rejected,
    /// 已退回: sent back to the submitter to change and submit again.
    Returned,
    /// 已撤回 by the submitter before the first decision.
    Withdrawn,
}

crate::keyed!(ApprovalStatus {
    Pending => "pending",
    Approved => "approved",
    Rejected => "rejected",
    Returned => "returned",
    Withdrawn => "withdrawn",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// A later step, not yet reached.
    Waiting,
    /// The step being decided.
    Pending,
    Approved,
    Rejected,
    Returned,
    /// Never decided: the request ended (withdrawn, rejected or returned) before it.
    Cancelled,
}

crate::keyed!(StepStatus {
    Waiting => "waiting",
    Pending => "pending",
    Approved => "approved",
    Rejected => "rejected",
    Returned => "returned",
    Cancelled => "cancelled",
});

/// What one approver did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Rejected,
    Returned,
    /// 转审: handed to another user, who takes this approver's place.
    Delegated,
}

crate::keyed!(Decision {
    Approved => "approved",
    Rejected => "rejected",
    Returned => "returned",
    Delegated => "delegated",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalAssignee {
    pub user_id: Uuid,
    pub user_name: String,
    /// `null` while undecided (and for the others of an 或签 step once one decided).
    pub decision: Option<Decision>,
    pub comment: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Set when this approver delegated: who took over.
    pub delegated_to: Option<Uuid>,
    /// Set when this approver took over by delegation: from whom.
    pub delegated_from: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalStepResponse {
    /// 0-based.
    pub position: u8,
    pub name: String,
    pub mode: StepMode,
    pub status: StepStatus,
    pub assignees: Vec<ApprovalAssignee>,
}

/// One entry of a request's timeline. A submission also goes out as the event
/// `approval.requested`, and the request's end as `approval.decided`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalEventKind {
    Submitted,
    /// One approver approved (the step may need others).
    Approved,
    Rejected,
    Returned,
    Withdrawn,
    Delegated,
    /// A step completed and the next one started.
    StepCompleted,
    /// Every step approved: the document is approved.
    Completed,
}

crate::keyed!(ApprovalEventKind {
    Submitted => "submitted",
    Approved => "approved",
    Rejected => "rejected",
    Returned => "returned",
    Withdrawn => "withdrawn",
    Delegated => "delegated",
    StepCompleted => "step_completed",
    Completed => "completed",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalEventResponse {
    pub id: Uuid,
    pub kind: ApprovalEventKind,
    /// The step it happened at.
    pub step: Option<u8>,
    pub actor_id: Uuid,
    pub actor_name: String,
    pub comment: Option<String>,
    /// For a delegation: who took over.
    pub delegated_to: Option<Uuid>,
    pub delegated_to_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// What lists and the inbox show of an approval request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalSummary {
    pub id: Uuid,
    pub document_kind: DocumentKind,
    pub document_id: Uuid,
    /// e.g. `QT-2026-000123 v2`.
    pub document_number: String,
    /// e.g. the quote's customer.
    pub document_title: String,
    /// The document's total when submitted.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "680000.00"))]
    pub amount: Decimal,
    pub currency: String,
    pub policy_id: Uuid,
    pub policy_name: String,
    pub status: ApprovalStatus,
    /// The step being decided while pending.
    pub current_step: Option<u8>,
    pub current_step_name: Option<String>,
    pub submitted_by: Uuid,
    pub submitted_by_name: String,
    pub submitted_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Whether the caller may decide the current step now.
    pub awaiting_me: bool,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalResponse {
    #[serde(flatten)]
    pub summary: ApprovalSummary,
    pub steps: Vec<ApprovalStepResponse>,
    /// Oldest first.
    pub events: Vec<ApprovalEventResponse>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ApprovalListQuery {
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `me`: requests whose current step awaits the caller's decision (the inbox).
    pub assignee: Option<String>,
    /// `me`: requests the caller submitted.
    pub submitted_by: Option<String>,
    pub status: Option<ApprovalStatus>,
    /// With `document_id`: that document's requests (the caller must see the document).
    pub document_kind: Option<DocumentKind>,
    pub document_id: Option<Uuid>,
}

/// The header badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalCountsResponse {
    /// Requests awaiting the caller's decision.
    pub awaiting_me: u64,
    /// The caller's own requests still pending.
    pub submitted_pending: u64,
}

/// Approve, withdraw: a comment is optional. Reject and return: required.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// At most 2000 characters.
    #[serde(default)]
    pub comment: Option<String>,
}

/// 转审: hand one's place on the current step to another active user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DelegateRequest {
    pub user_id: Uuid,
    #[serde(default)]
    pub comment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same<T: Serialize + Copy>(values: &[T], key: impl Fn(T) -> &'static str) {
        for &value in values {
            assert_eq!(
                serde_json::to_value(value).ok(),
                Some(serde_json::json!(key(value)))
            );
        }
    }

    #[test]
    fn keys_match_the_json_names() {
        same(&DocumentKind::ALL, DocumentKind::as_str);
        same(&MatchMode::ALL, MatchMode::as_str);
        same(&StepMode::ALL, StepMode::as_str);
        same(&ApprovalStatus::ALL, ApprovalStatus::as_str);
        same(&StepStatus::ALL, StepStatus::as_str);
        same(&Decision::ALL, Decision::as_str);
        same(&ApprovalEventKind::ALL, ApprovalEventKind::as_str);
        same(
            &crate::quotes::QuoteStatus::ALL,
            crate::quotes::QuoteStatus::as_str,
        );
        same(
            &crate::quotes::LineChangeKind::ALL,
            crate::quotes::LineChangeKind::as_str,
        );
        same(
            &crate::quotes::PdfVariant::ALL,
            crate::quotes::PdfVariant::as_str,
        );
        same(
            &crate::quotes::DocumentLanguage::ALL,
            crate::quotes::DocumentLanguage::as_str,
        );
    }

    #[test]
    fn order_and_receivable_keys_match_the_json_names() {
        use crate::receivables::{
            AgingBucket, AgingGroup, InstalmentStatus, InvoiceKind, PaymentMethod, PlanEvent,
        };
        use crate::sales_orders::{SalesOrderStatus, ShipmentStatus, TimelineKind};
        same(
            &crate::contracts::ContractStatus::ALL,
            crate::contracts::ContractStatus::as_str,
        );
        same(
            &crate::attachments::AttachmentSubject::ALL,
            crate::attachments::AttachmentSubject::as_str,
        );
        same(
            &crate::notifications::NotificationKind::ALL,
            crate::notifications::NotificationKind::as_str,
        );
        same(&SalesOrderStatus::ALL, SalesOrderStatus::as_str);
        same(&ShipmentStatus::ALL, ShipmentStatus::as_str);
        same(&TimelineKind::ALL, TimelineKind::as_str);
        same(&PlanEvent::ALL, PlanEvent::as_str);
        same(&InstalmentStatus::ALL, InstalmentStatus::as_str);
        same(&PaymentMethod::ALL, PaymentMethod::as_str);
        same(&InvoiceKind::ALL, InvoiceKind::as_str);
        same(&AgingBucket::ALL, AgingBucket::as_str);
        same(&AgingGroup::ALL, AgingGroup::as_str);
        same(
            &crate::settings::CreditCheckMode::ALL,
            crate::settings::CreditCheckMode::as_str,
        );
    }

    #[test]
    fn conditions_and_rules_are_tagged_by_kind() {
        let condition: Condition = serde_json::from_value(
            serde_json::json!({"kind": "total_at_least", "amount": "500000"}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            condition,
            Condition::TotalAtLeast {
                amount: Decimal::new(500_000, 0),
                currency: "CNY".into()
            }
        );
        let rule: ApproverRule =
            serde_json::from_value(serde_json::json!({"kind": "manager_levels_up", "levels": 2}))
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rule, ApproverRule::ManagerLevelsUp { levels: 2 });
    }
}
