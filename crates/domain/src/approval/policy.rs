//! Approval policies: which documents need approval and by whom. A policy that exists is
//! valid; `choose` picks the first active one, by priority, whose conditions hold.

use crm_api_types::approvals::{
    ApprovalPolicyRequest, ApproverRule, Condition, DocumentKind, MatchMode, PolicyStep,
};
use rust_decimal::Decimal;

use crate::money::{check_amount, check_percent, parse_currency};
use crate::validation::{FieldErrors, Violation};

const NAME_MAX: usize = 100;
const STEP_NAME_MAX: usize = 50;
const CONDITIONS_MAX: usize = 20;
const STEPS_MAX: usize = 10;
const RULES_MAX: usize = 10;
/// `ManagerLevelsUp` looks at most this far up the department tree.
pub const LEVELS_MAX: u8 = 10;
pub const DEFAULT_PRIORITY: i32 = 100;

/// A validated policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub document_kind: DocumentKind,
    pub name: String,
    pub priority: i32,
    pub active: bool,
    pub match_mode: MatchMode,
    pub conditions: Vec<Condition>,
    pub steps: Vec<PolicyStep>,
    pub allow_self_approval: bool,
}

/// What conditions test about a document when it is submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub total: Decimal,
    pub currency: String,
    /// The largest effective discount of any line, in percent.
    pub max_discount_percent: Decimal,
    pub customer_tier: Option<String>,
}

impl Policy {
    pub fn parse(request: &ApprovalPolicyRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let name = e.required_text("name", &request.name, NAME_MAX);
        if request.conditions.len() > CONDITIONS_MAX {
            e.add("conditions", out_of_range(0, CONDITIONS_MAX));
        }
        let conditions = request
            .conditions
            .iter()
            .enumerate()
            .map(|(i, c)| condition(e, i, c))
            .collect();
        if request.steps.is_empty() || request.steps.len() > STEPS_MAX {
            e.add("steps", out_of_range(1, STEPS_MAX));
        }
        let steps = request
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| step(e, i, s))
            .collect();
        errors.finish(Self {
            document_kind: request.document_kind,
            name,
            priority: request.priority.unwrap_or(DEFAULT_PRIORITY),
            active: request.active.unwrap_or(true),
            match_mode: request.match_mode,
            conditions,
            steps,
            allow_self_approval: request.allow_self_approval,
        })
    }

    /// Whether the policy applies to a document with these facts.
    pub fn applies_to(&self, facts: &Facts) -> bool {
        if !self.active {
            return false;
        }
        let mut results = self.conditions.iter().map(|c| holds(c, facts));
        match self.match_mode {
            _ if self.conditions.is_empty() => true,
            MatchMode::Any => results.any(|r| r),
            MatchMode::All => results.all(|r| r),
        }
    }
}

/// The first policy, in ascending priority (then in the given order), that applies.
pub fn choose<'a, T>(
    policies: &'a [(T, Policy)],
    kind: DocumentKind,
    facts: &Facts,
) -> Option<&'a (T, Policy)> {
    let mut candidates: Vec<&(T, Policy)> = policies
        .iter()
        .filter(|(_, p)| p.document_kind == kind && p.applies_to(facts))
        .collect();
    candidates.sort_by_key(|(_, p)| p.priority);
    candidates.into_iter().next()
}

fn holds(condition: &Condition, facts: &Facts) -> bool {
    match condition {
        Condition::TotalAtLeast { amount, currency } => {
            *currency == facts.currency && facts.total >= *amount
        }
        Condition::DiscountAbove { percent } => facts.max_discount_percent > *percent,
        Condition::CustomerTierIn { tiers } => facts
            .customer_tier
            .as_ref()
            .is_some_and(|tier| tiers.contains(tier)),
    }
}

fn out_of_range(min: usize, max: usize) -> Violation {
    Violation::OutOfRange {
        min: i64::try_from(min).unwrap_or(i64::MAX),
        max: i64::try_from(max).unwrap_or(i64::MAX),
    }
}

fn condition(errors: &mut FieldErrors, i: usize, condition: &Condition) -> Condition {
    let field = |name: &str| format!("conditions[{i}].{name}");
    match condition {
        Condition::TotalAtLeast { amount, currency } => Condition::TotalAtLeast {
            amount: check_amount(errors, &field("amount"), *amount),
            currency: parse_currency(errors, &field("currency"), Some(currency)),
        },
        Condition::DiscountAbove { percent } => Condition::DiscountAbove {
            percent: check_percent(errors, &field("percent"), *percent),
        },
        Condition::CustomerTierIn { tiers } => {
            if tiers.is_empty() {
                errors.add(&field("tiers"), Violation::Required);
            }
            Condition::CustomerTierIn {
                tiers: tiers.iter().map(|t| t.trim().to_owned()).collect(),
            }
        }
    }
}

fn step(errors: &mut FieldErrors, i: usize, step: &PolicyStep) -> PolicyStep {
    let field = |name: &str| format!("steps[{i}].{name}");
    let name = errors.required_text(&field("name"), &step.name, STEP_NAME_MAX);
    if step.approvers.is_empty() || step.approvers.len() > RULES_MAX {
        errors.add(&field("approvers"), out_of_range(1, RULES_MAX));
    }
    for (j, rule) in step.approvers.iter().enumerate() {
        if let ApproverRule::ManagerLevelsUp { levels } = rule
            && !(1..=LEVELS_MAX).contains(levels)
        {
            errors.add(
                &format!("steps[{i}].approvers[{j}].levels"),
                out_of_range(1, usize::from(LEVELS_MAX)),
            );
        }
    }
    PolicyStep {
        name,
        approvers: step.approvers.clone(),
        mode: step.mode,
    }
}

/// The policy every new tenant starts with: quotes of 500,000 CNY or more, or with any
/// discount above 15%, go to the department manager and then the general manager.
pub fn default_quote_policy() -> Policy {
    use crm_api_types::approvals::StepMode;
    Policy {
        document_kind: DocumentKind::Quote,
        name: "大额或高折扣报价".to_owned(),
        priority: DEFAULT_PRIORITY,
        active: true,
        match_mode: MatchMode::Any,
        conditions: vec![
            Condition::TotalAtLeast {
                amount: Decimal::new(500_000, 0),
                currency: "CNY".to_owned(),
            },
            Condition::DiscountAbove {
                percent: Decimal::new(15, 0),
            },
        ],
        steps: vec![
            PolicyStep {
                name: "部门经理审批".to_owned(),
                approvers: vec![ApproverRule::DepartmentManager],
                mode: StepMode::Any,
            },
            PolicyStep {
                name: "总经理审批".to_owned(),
                approvers: vec![ApproverRule::TopManager],
                mode: StepMode::Any,
            },
        ],
        allow_self_approval: false,
    }
}

/// The sales-order policy every new tenant starts with: orders of 1,000,000 CNY or more go
/// to the general manager.
pub fn default_sales_order_policy() -> Policy {
    use crm_api_types::approvals::StepMode;
    Policy {
        document_kind: DocumentKind::SalesOrder,
        name: "大额销售订单".to_owned(),
        priority: DEFAULT_PRIORITY,
        active: true,
        match_mode: MatchMode::Any,
        conditions: vec![Condition::TotalAtLeast {
            amount: Decimal::new(1_000_000, 0),
            currency: "CNY".to_owned(),
        }],
        steps: vec![PolicyStep {
            name: "总经理审批".to_owned(),
            approvers: vec![ApproverRule::TopManager],
            mode: StepMode::Any,
        }],
        allow_self_approval: false,
    }
}

/// The contract chain every tenant starts with: every contract goes to the department
/// manager, then finance (财务), then legal (法务), each 或签 among the role's members.
pub fn default_contract_policy(finance_role: uuid::Uuid, legal_role: uuid::Uuid) -> Policy {
    use crm_api_types::approvals::StepMode;
    let step = |name: &str, approver: ApproverRule| PolicyStep {
        name: name.to_owned(),
        approvers: vec![approver],
        mode: StepMode::Any,
    };
    Policy {
        document_kind: DocumentKind::Contract,
        name: "合同审批".to_owned(),
        priority: DEFAULT_PRIORITY,
        active: true,
        match_mode: MatchMode::Any,
        conditions: Vec::new(),
        steps: vec![
            step("部门经理审批", ApproverRule::DepartmentManager),
            step(
                "财务审批",
                ApproverRule::Role {
                    role_id: finance_role,
                },
            ),
            step(
                "法务审批",
                ApproverRule::Role {
                    role_id: legal_role,
                },
            ),
        ],
        allow_self_approval: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(total: i64, discount: i64) -> Facts {
        Facts {
            total: Decimal::new(total, 0),
            currency: "CNY".into(),
            max_discount_percent: Decimal::new(discount, 0),
            customer_tier: Some("A".into()),
        }
    }

    #[test]
    fn the_default_policy_takes_large_amounts_and_deep_discounts() {
        let policy = default_quote_policy();
        assert!(policy.applies_to(&facts(500_000, 0)));
        assert!(!policy.applies_to(&facts(499_999, 0)));
        assert!(policy.applies_to(&facts(10_000, 16)));
        assert!(!policy.applies_to(&facts(10_000, 15)));
        let mut usd = facts(900_000, 0);
        usd.currency = "USD".into();
        assert!(!policy.applies_to(&usd), "another currency never meets it");
    }

    #[test]
    fn all_mode_needs_every_condition_and_no_conditions_means_always() {
        let mut policy = default_quote_policy();
        policy.match_mode = MatchMode::All;
        assert!(!policy.applies_to(&facts(600_000, 0)));
        assert!(policy.applies_to(&facts(600_000, 20)));
        policy.conditions.clear();
        assert!(policy.applies_to(&facts(1, 0)));
        policy.active = false;
        assert!(!policy.applies_to(&facts(1, 0)));
    }

    #[test]
    fn the_lowest_priority_that_applies_wins() {
        let mut tier = default_quote_policy();
        tier.name = "A类客户".into();
        tier.priority = 10;
        tier.conditions = vec![Condition::CustomerTierIn {
            tiers: vec!["A".into()],
        }];
        let policies = vec![(1, default_quote_policy()), (2, tier)];
        let chosen = choose(&policies, DocumentKind::Quote, &facts(600_000, 0));
        assert_eq!(chosen.map(|(id, _)| *id), Some(2));
        let mut b = facts(600_000, 0);
        b.customer_tier = Some("B".into());
        let chosen = choose(&policies, DocumentKind::Quote, &b);
        assert_eq!(chosen.map(|(id, _)| *id), Some(1));
        assert!(
            choose(&policies, DocumentKind::Quote, &{
                let mut small = facts(1, 0);
                small.customer_tier = None;
                small
            })
            .is_none()
        );
    }

    #[test]
    fn sales_orders_choose_among_their_own_policies() {
        let policies = vec![
            (1, default_quote_policy()),
            (2, default_sales_order_policy()),
        ];
        let chosen = choose(&policies, DocumentKind::SalesOrder, &facts(1_000_000, 0));
        assert_eq!(chosen.map(|(id, _)| *id), Some(2));
        assert!(
            choose(&policies, DocumentKind::SalesOrder, &facts(999_999, 30)).is_none(),
            "the quote policy's discount rule does not reach orders"
        );
        let chosen = choose(&policies, DocumentKind::Quote, &facts(1_000_000, 0));
        assert_eq!(chosen.map(|(id, _)| *id), Some(1));
    }

    #[test]
    fn a_policy_needs_a_name_and_one_to_ten_steps_with_approvers() {
        let request = ApprovalPolicyRequest {
            document_kind: DocumentKind::Quote,
            name: " ".into(),
            priority: None,
            active: None,
            match_mode: MatchMode::Any,
            conditions: vec![Condition::DiscountAbove {
                percent: Decimal::new(101, 0),
            }],
            steps: vec![PolicyStep {
                name: "审批".into(),
                approvers: vec![ApproverRule::ManagerLevelsUp { levels: 0 }],
                mode: Default::default(),
            }],
            allow_self_approval: false,
        };
        let errors = Policy::parse(&request).err().unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "name",
                "conditions[0].percent",
                "steps[0].approvers[0].levels"
            ]
        );
    }
}
