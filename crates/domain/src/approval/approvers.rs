//! Who approves a step, found when the document is submitted (so a later move of people
//! between departments does not change a request in flight).
//!
//! Where a rule names nobody usable — the department has no manager, or the manager is the
//! submitter, who may not approve their own document — the next manager up the tree takes
//! the place, as a paper chain would go to the boss's boss. A step that still has nobody
//! goes to the tenant's administrators; only when there is none either is the submission
//! refused (`no_approver`).

use std::collections::{HashMap, HashSet};

use crm_api_types::approvals::{ApproverRule, PolicyStep};
use uuid::Uuid;

use crate::error::Error;

/// What the rules are resolved against, gathered by the persistence layer.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub submitter: Uuid,
    /// The managers of the submitter's department (index 0), its parent (1), … up to the
    /// top department (last); `None` where a department has no manager.
    pub managers_up: Vec<Option<Uuid>>,
    /// Active users of each role a rule names.
    pub role_members: HashMap<Uuid, Vec<Uuid>>,
    /// Every active user of the tenant that a rule or fallback names.
    pub active: HashSet<Uuid>,
    /// The tenant's active administrators, the last resort.
    pub admins: Vec<Uuid>,
}

impl Directory {
    fn usable(&self, user: Uuid, allow_self: bool) -> bool {
        self.active.contains(&user) && (allow_self || user != self.submitter)
    }

    /// The first usable manager from `start` levels up (0 = own department) to the top.
    fn manager_from(&self, start: usize, allow_self: bool) -> Option<Uuid> {
        let start = start.min(self.managers_up.len().saturating_sub(1));
        self.managers_up
            .iter()
            .skip(start)
            .flatten()
            .copied()
            .find(|m| self.usable(*m, allow_self))
    }

    fn resolve(&self, rule: &ApproverRule, allow_self: bool) -> Vec<Uuid> {
        match rule {
            ApproverRule::User { user_id } => vec![*user_id],
            ApproverRule::Role { role_id } => {
                self.role_members.get(role_id).cloned().unwrap_or_default()
            }
            ApproverRule::DepartmentManager => {
                self.manager_from(0, allow_self).into_iter().collect()
            }
            ApproverRule::ManagerLevelsUp { levels } => self
                .manager_from(usize::from(levels.saturating_sub(1)), allow_self)
                .into_iter()
                .collect(),
            ApproverRule::TopManager => self
                .managers_up
                .last()
                .copied()
                .flatten()
                .into_iter()
                .collect(),
        }
    }
}

/// A step with the people who decide it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffedStep {
    pub step: PolicyStep,
    pub approvers: Vec<Uuid>,
}

/// Every step's approvers, in the rules' order without repeats.
pub fn staff(
    steps: &[PolicyStep],
    directory: &Directory,
    allow_self: bool,
) -> Result<Vec<StaffedStep>, Error> {
    steps
        .iter()
        .map(|step| {
            let mut seen = HashSet::new();
            let mut approvers: Vec<Uuid> = step
                .approvers
                .iter()
                .flat_map(|rule| directory.resolve(rule, allow_self))
                .filter(|u| directory.usable(*u, allow_self) && seen.insert(*u))
                .collect();
            if approvers.is_empty() {
                approvers = directory
                    .admins
                    .iter()
                    .copied()
                    .filter(|u| directory.usable(*u, allow_self))
                    .collect();
            }
            if approvers.is_empty() {
                return Err(Error::Conflict {
                    code: "no_approver",
                    field: None,
                });
            }
            Ok(StaffedStep {
                step: step.clone(),
                approvers,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_api_types::approvals::StepMode;

    fn u(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn step(rules: Vec<ApproverRule>) -> PolicyStep {
        PolicyStep {
            name: "审批".into(),
            approvers: rules,
            mode: StepMode::Any,
        }
    }

    /// Rep 1 in a department managed by 2, under one managed by 3, under the top managed by 9.
    fn directory() -> Directory {
        Directory {
            submitter: u(1),
            managers_up: vec![Some(u(2)), Some(u(3)), Some(u(9))],
            role_members: HashMap::from([(u(50), vec![u(1), u(5), u(6)])]),
            active: [1, 2, 3, 5, 6, 9, 99].map(u).into_iter().collect(),
            admins: vec![u(99)],
        }
    }

    fn approvers(rules: Vec<ApproverRule>, d: &Directory) -> Vec<Uuid> {
        staff(&[step(rules)], d, false)
            .map(|s| s[0].approvers.clone())
            .unwrap_or_default()
    }

    #[test]
    fn managers_are_found_up_the_tree() {
        let d = directory();
        assert_eq!(approvers(vec![ApproverRule::DepartmentManager], &d), [u(2)]);
        assert_eq!(
            approvers(vec![ApproverRule::ManagerLevelsUp { levels: 2 }], &d),
            [u(3)]
        );
        assert_eq!(
            approvers(vec![ApproverRule::ManagerLevelsUp { levels: 9 }], &d),
            [u(9)]
        );
        assert_eq!(approvers(vec![ApproverRule::TopManager], &d), [u(9)]);
    }

    #[test]
    fn a_manager_submitting_goes_to_their_own_manager() {
        let mut d = directory();
        d.submitter = u(2);
        assert_eq!(approvers(vec![ApproverRule::DepartmentManager], &d), [u(3)]);
        d.managers_up[1] = None;
        assert_eq!(approvers(vec![ApproverRule::DepartmentManager], &d), [u(9)]);
    }

    #[test]
    fn the_submitter_is_left_out_of_a_role_unless_the_policy_allows_it() {
        let d = directory();
        let role = vec![ApproverRule::Role { role_id: u(50) }];
        assert_eq!(approvers(role.clone(), &d), [u(5), u(6)]);
        let allowed = staff(&[step(role)], &d, true).map(|s| s[0].approvers.clone());
        assert_eq!(allowed.ok(), Some(vec![u(1), u(5), u(6)]));
    }

    #[test]
    fn nobody_usable_falls_to_the_admins_then_refuses() {
        let mut d = directory();
        d.active.remove(&u(7));
        assert_eq!(
            approvers(vec![ApproverRule::User { user_id: u(7) }], &d),
            [u(99)]
        );
        d.admins.clear();
        assert!(matches!(
            staff(
                &[step(vec![ApproverRule::User { user_id: u(7) }])],
                &d,
                false
            ),
            Err(Error::Conflict {
                code: "no_approver",
                ..
            })
        ));
    }

    #[test]
    fn repeated_people_count_once() {
        let d = directory();
        let rules = vec![
            ApproverRule::User { user_id: u(2) },
            ApproverRule::DepartmentManager,
        ];
        assert_eq!(approvers(rules, &d), [u(2)]);
    }
}
