//! An approval request moving through its steps. The request is loaded whole, one action is
//! applied here, and the result is written back under the request's version, so two
//! approvers deciding at once yield one decision and a conflict.

use chrono::{DateTime, Utc};
use crm_api_types::approvals::{ApprovalEventKind, ApprovalStatus, Decision, StepMode, StepStatus};
use uuid::Uuid;

use super::COMMENT_MAX;
use super::approvers::StaffedStep;
use crate::error::Error;
use crate::validation::{FieldErrors, Violation};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignee {
    pub user_id: Uuid,
    pub decision: Option<Decision>,
    pub comment: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub delegated_to: Option<Uuid>,
    pub delegated_from: Option<Uuid>,
}

impl Assignee {
    fn new(user_id: Uuid, delegated_from: Option<Uuid>) -> Self {
        Self {
            user_id,
            decision: None,
            comment: None,
            decided_at: None,
            delegated_to: None,
            delegated_from,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub mode: StepMode,
    pub status: StepStatus,
    pub assignees: Vec<Assignee>,
}

impl Step {
    /// Whether `user` is to decide this step now.
    pub fn awaits(&self, user: Uuid) -> bool {
        self.status == StepStatus::Pending
            && self
                .assignees
                .iter()
                .any(|a| a.user_id == user && a.decision.is_none())
    }

    /// 或签: one approval does it; 会签: everyone still holding a place must approve.
    fn complete(&self) -> bool {
        let mut deciding = self
            .assignees
            .iter()
            .filter(|a| a.decision != Some(Decision::Delegated));
        match self.mode {
            StepMode::Any => deciding.any(|a| a.decision == Some(Decision::Approved)),
            StepMode::All => deciding.all(|a| a.decision == Some(Decision::Approved)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub status: ApprovalStatus,
    pub current_step: Option<u8>,
    pub submitted_by: Uuid,
    pub allow_self_approval: bool,
    pub steps: Vec<Step>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// What an approver (or the submitter) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Approve,
    Reject,
    /// Back to the submitter to change and submit again.
    Return,
    Withdraw,
    /// 转审 to this user.
    Delegate(Uuid),
}

/// One timeline entry, and one webhook-ready event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Happened {
    pub kind: ApprovalEventKind,
    pub step: Option<u8>,
    pub actor: Uuid,
    pub comment: Option<String>,
    pub delegated_to: Option<Uuid>,
}

fn conflict(code: &'static str) -> Error {
    Error::Conflict { code, field: None }
}

fn position(index: usize) -> u8 {
    u8::try_from(index).unwrap_or(u8::MAX)
}

impl Flow {
    /// A new request at its first step.
    pub fn start(
        steps: Vec<StaffedStep>,
        submitted_by: Uuid,
        allow_self_approval: bool,
        comment: Option<String>,
    ) -> (Self, Happened) {
        let steps = steps
            .into_iter()
            .enumerate()
            .map(|(i, s)| Step {
                name: s.step.name,
                mode: s.step.mode,
                status: if i == 0 {
                    StepStatus::Pending
                } else {
                    StepStatus::Waiting
                },
                assignees: s
                    .approvers
                    .into_iter()
                    .map(|u| Assignee::new(u, None))
                    .collect(),
            })
            .collect();
        let flow = Self {
            status: ApprovalStatus::Pending,
            current_step: Some(0),
            submitted_by,
            allow_self_approval,
            steps,
            finished_at: None,
        };
        let submitted = Happened {
            kind: ApprovalEventKind::Submitted,
            step: Some(0),
            actor: submitted_by,
            comment,
            delegated_to: None,
        };
        (flow, submitted)
    }

    /// Whether `user` is to decide the current step now.
    pub fn awaits(&self, user: Uuid) -> bool {
        self.current().is_some_and(|s| s.awaits(user))
    }

    fn current(&self) -> Option<&Step> {
        self.current_step
            .and_then(|i| self.steps.get(usize::from(i)))
    }

    /// Whether anyone approved, rejected or returned anything yet.
    fn decided_any(&self) -> bool {
        self.steps.iter().flat_map(|s| &s.assignees).any(|a| {
            matches!(
                a.decision,
                Some(Decision::Approved | Decision::Rejected | Decision::Returned)
            )
        })
    }

    /// Applies `act` by `actor` and returns what happened, in order. A delegate must be an
    /// active user of the tenant; the caller checks that.
    pub fn act(
        &mut self,
        actor: Uuid,
        act: Act,
        comment: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<Vec<Happened>, Error> {
        let comment = parse_comment(act, comment)?;
        let index = match (self.status, self.current_step) {
            (ApprovalStatus::Pending, Some(index)) => usize::from(index),
            _ => return Err(conflict("approval_closed")),
        };
        let decision = match act {
            Act::Withdraw => return self.withdraw(actor, comment, at),
            Act::Delegate(to) => return self.delegate(index, actor, to, comment, at),
            Act::Approve => Decision::Approved,
            Act::Reject => Decision::Rejected,
            Act::Return => Decision::Returned,
        };
        let place = self.place(index, actor)?;
        let step = &mut self.steps[index];
        let assignee = &mut step.assignees[place];
        assignee.decision = Some(decision);
        assignee.comment = comment.clone();
        assignee.decided_at = Some(at);
        let happened = |kind| Happened {
            kind,
            step: Some(position(index)),
            actor,
            comment,
            delegated_to: None,
        };
        Ok(match decision {
            Decision::Approved => {
                let mut events = vec![happened(ApprovalEventKind::Approved)];
                if step.complete() {
                    step.status = StepStatus::Approved;
                    events.extend(self.advance(index, actor, at));
                }
                events
            }
            Decision::Rejected => {
                step.status = StepStatus::Rejected;
                self.end(ApprovalStatus::Rejected, at);
                vec![happened(ApprovalEventKind::Rejected)]
            }
            Decision::Returned | Decision::Delegated => {
                step.status = StepStatus::Returned;
                self.end(ApprovalStatus::Returned, at);
                vec![happened(ApprovalEventKind::Returned)]
            }
        })
    }

    /// The actor's undecided place on step `index`. Someone who decided it, or an earlier
    /// step that completed meanwhile, is told so (409); anyone else is not its approver (403).
    fn place(&self, index: usize, actor: Uuid) -> Result<usize, Error> {
        let named = |step: &Step| step.assignees.iter().any(|a| a.user_id == actor);
        let assignees = &self.steps[index].assignees;
        assignees
            .iter()
            .position(|a| a.user_id == actor && a.decision.is_none())
            .ok_or_else(|| {
                if named(&self.steps[index]) {
                    conflict("already_decided")
                } else if self.steps[..index].iter().any(named) {
                    conflict("step_decided")
                } else {
                    Error::Forbidden("approval.decide")
                }
            })
    }

    /// 转审: `to` takes the actor's place on the step.
    fn delegate(
        &mut self,
        index: usize,
        actor: Uuid,
        to: Uuid,
        comment: Option<String>,
        at: DateTime<Utc>,
    ) -> Result<Vec<Happened>, Error> {
        let place = self.place(index, actor)?;
        let step = &mut self.steps[index];
        if to == actor || step.awaits(to) {
            return Err(FieldErrors::single("user_id", Violation::Duplicate).into());
        }
        if to == self.submitted_by && !self.allow_self_approval {
            return Err(FieldErrors::single("user_id", Violation::UnknownValue).into());
        }
        let assignee = &mut step.assignees[place];
        assignee.decision = Some(Decision::Delegated);
        assignee.comment = comment.clone();
        assignee.decided_at = Some(at);
        assignee.delegated_to = Some(to);
        step.assignees.push(Assignee::new(to, Some(actor)));
        Ok(vec![Happened {
            kind: ApprovalEventKind::Delegated,
            step: Some(position(index)),
            actor,
            comment,
            delegated_to: Some(to),
        }])
    }

    /// The step at `index` completed: start the next, or approve the request.
    fn advance(&mut self, index: usize, actor: Uuid, at: DateTime<Utc>) -> Vec<Happened> {
        let completed = Happened {
            kind: ApprovalEventKind::StepCompleted,
            step: Some(position(index)),
            actor,
            comment: None,
            delegated_to: None,
        };
        match self.steps.get_mut(index + 1) {
            Some(next) => {
                next.status = StepStatus::Pending;
                self.current_step = Some(position(index + 1));
                vec![completed]
            }
            None => {
                self.status = ApprovalStatus::Approved;
                self.current_step = None;
                self.finished_at = Some(at);
                vec![
                    completed,
                    Happened {
                        kind: ApprovalEventKind::Completed,
                        step: None,
                        actor,
                        comment: None,
                        delegated_to: None,
                    },
                ]
            }
        }
    }

    fn withdraw(
        &mut self,
        actor: Uuid,
        comment: Option<String>,
        at: DateTime<Utc>,
    ) -> Result<Vec<Happened>, Error> {
        if actor != self.submitted_by {
            return Err(Error::Forbidden("approval.withdraw"));
        }
        if self.decided_any() {
            return Err(conflict("approval_decided"));
        }
        let step = self.current_step;
        self.end(ApprovalStatus::Withdrawn, at);
        Ok(vec![Happened {
            kind: ApprovalEventKind::Withdrawn,
            step,
            actor,
            comment,
            delegated_to: None,
        }])
    }

    /// Ends the request; steps not decided are cancelled.
    fn end(&mut self, status: ApprovalStatus, at: DateTime<Utc>) {
        self.status = status;
        self.current_step = None;
        self.finished_at = Some(at);
        for step in &mut self.steps {
            if matches!(step.status, StepStatus::Pending | StepStatus::Waiting) {
                step.status = StepStatus::Cancelled;
            }
        }
    }
}

/// Reject and return need a reason; every comment is trimmed and bounded.
fn parse_comment(act: Act, comment: Option<&str>) -> Result<Option<String>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let comment = errors.optional_text("comment", comment, COMMENT_MAX);
    if comment.is_none() && matches!(act, Act::Reject | Act::Return) {
        errors.add("comment", Violation::Required);
    }
    errors.finish(comment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_api_types::approvals::PolicyStep;

    fn u(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn staffed(mode: StepMode, approvers: &[u128]) -> StaffedStep {
        StaffedStep {
            step: PolicyStep {
                name: "审批".into(),
                approvers: Vec::new(),
                mode,
            },
            approvers: approvers.iter().map(|n| u(*n)).collect(),
        }
    }

    /// Submitted by 1: step 0 或签 by 2 or 3, step 1 会签 by 4 and 5.
    fn flow() -> Flow {
        Flow::start(
            vec![
                staffed(StepMode::Any, &[2, 3]),
                staffed(StepMode::All, &[4, 5]),
            ],
            u(1),
            false,
            None,
        )
        .0
    }

    fn kinds(events: &[Happened]) -> Vec<ApprovalEventKind> {
        events.iter().map(|e| e.kind).collect()
    }

    fn act(
        flow: &mut Flow,
        who: u128,
        act: Act,
        comment: Option<&str>,
    ) -> Result<Vec<Happened>, Error> {
        flow.act(u(who), act, comment, crate::now())
    }

    #[test]
    fn any_one_approves_an_or_step_and_every_one_an_and_step() {
        use ApprovalEventKind::*;
        let mut f = flow();
        let events = act(&mut f, 3, Act::Approve, None).unwrap_or_default();
        assert_eq!(kinds(&events), [Approved, StepCompleted]);
        assert_eq!(f.current_step, Some(1));
        assert!(!f.awaits(u(2)), "the others of an 或签 step are done");
        let events = act(&mut f, 4, Act::Approve, Some("同意")).unwrap_or_default();
        assert_eq!(kinds(&events), [Approved]);
        assert_eq!(f.status, ApprovalStatus::Pending);
        let events = act(&mut f, 5, Act::Approve, None).unwrap_or_default();
        assert_eq!(kinds(&events), [Approved, StepCompleted, Completed]);
        assert_eq!(f.status, ApprovalStatus::Approved);
        assert_eq!(f.current_step, None);
        assert!(f.finished_at.is_some());
    }

    #[test]
    fn only_the_current_steps_approvers_decide_and_only_once() {
        let mut f = flow();
        assert!(matches!(
            act(&mut f, 4, Act::Approve, None),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            act(&mut f, 1, Act::Approve, None),
            Err(Error::Forbidden(_))
        ));
        act(&mut f, 2, Act::Approve, None).unwrap_or_default();
        act(&mut f, 4, Act::Approve, None).unwrap_or_default();
        assert!(matches!(
            act(&mut f, 4, Act::Approve, None),
            Err(Error::Conflict {
                code: "already_decided",
                ..
            })
        ));
        assert!(
            matches!(
                act(&mut f, 3, Act::Approve, None),
                Err(Error::Conflict {
                    code: "step_decided",
                    ..
                })
            ),
            "the other approver of a completed 或签 step comes too late"
        );
    }

    #[test]
    fn rejecting_and_returning_need_a_comment_and_end_the_request() {
        let mut f = flow();
        assert!(matches!(
            act(&mut f, 2, Act::Reject, Some("  ")),
            Err(Error::Validation(_))
        ));
        let events = act(&mut f, 2, Act::Reject, Some("折扣过高")).unwrap_or_default();
        assert_eq!(kinds(&events), [ApprovalEventKind::Rejected]);
        assert_eq!(f.status, ApprovalStatus::Rejected);
        assert_eq!(f.steps[1].status, StepStatus::Cancelled);
        assert!(matches!(
            act(&mut f, 3, Act::Approve, None),
            Err(Error::Conflict {
                code: "approval_closed",
                ..
            })
        ));
        let mut g = flow();
        act(&mut g, 3, Act::Return, Some("请补充交货期")).unwrap_or_default();
        assert_eq!(g.status, ApprovalStatus::Returned);
    }

    #[test]
    fn the_submitter_withdraws_only_before_any_decision() {
        let mut f = flow();
        assert!(matches!(
            act(&mut f, 2, Act::Withdraw, None),
            Err(Error::Forbidden(_))
        ));
        act(&mut f, 2, Act::Delegate(u(7)), None).unwrap_or_default();
        let mut g = f.clone();
        assert_eq!(
            kinds(&act(&mut g, 1, Act::Withdraw, None).unwrap_or_default()),
            [ApprovalEventKind::Withdrawn]
        );
        assert_eq!(g.status, ApprovalStatus::Withdrawn);
        act(&mut f, 3, Act::Approve, None).unwrap_or_default();
        assert!(matches!(
            act(&mut f, 1, Act::Withdraw, None),
            Err(Error::Conflict {
                code: "approval_decided",
                ..
            })
        ));
    }

    #[test]
    fn a_delegate_takes_the_place_and_an_and_step_waits_for_them() {
        let mut f = flow();
        act(&mut f, 2, Act::Approve, None).unwrap_or_default();
        let events = act(&mut f, 4, Act::Delegate(u(8)), Some("出差，请代批")).unwrap_or_default();
        assert_eq!(events[0].delegated_to, Some(u(8)));
        assert!(!f.awaits(u(4)));
        assert!(f.awaits(u(8)));
        assert!(matches!(
            act(&mut f, 8, Act::Delegate(u(5)), None),
            Err(Error::Validation(_))
        ));
        assert!(matches!(
            act(&mut f, 8, Act::Delegate(u(1)), None),
            Err(Error::Validation(_))
        ));
        act(&mut f, 5, Act::Approve, None).unwrap_or_default();
        assert_eq!(f.status, ApprovalStatus::Pending);
        act(&mut f, 8, Act::Approve, None).unwrap_or_default();
        assert_eq!(f.status, ApprovalStatus::Approved);
        assert_eq!(f.steps[1].assignees[2].delegated_from, Some(u(4)));
    }
}
