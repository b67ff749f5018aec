//! Which state a contract's action leads to. The states change only here.

use crm_api_types::contracts::ContractStatus;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Edit a draft's fields and lines.
    Edit,
    /// Hand a contract to another owner: any state.
    ChangeOwner,
    /// `approval_needed` is false when no policy applies: it comes into force at once.
    Submit {
        approval_needed: bool,
    },
    /// The approval ended: approved, or back to draft (rejected, returned, withdrawn).
    ApprovalEnded {
        approved: bool,
    },
    /// 履行完毕
    Complete,
    /// 终止
    Terminate,
    /// Make an order from it.
    Order,
    Delete,
}

/// The status after `action`, or `409 invalid_transition`.
pub fn next(status: ContractStatus, action: Action) -> Result<ContractStatus, Error> {
    use ContractStatus::{Active, Completed, Draft, PendingApproval, Terminated};
    let next = match (action, status) {
        (Action::Edit | Action::Delete, Draft) => Draft,
        (Action::ChangeOwner, s) => s,
        (Action::Submit { approval_needed }, Draft) => {
            if approval_needed {
                PendingApproval
            } else {
                Active
            }
        }
        (Action::ApprovalEnded { approved }, PendingApproval) => {
            if approved {
                Active
            } else {
                Draft
            }
        }
        (Action::Complete, Active) => Completed,
        (Action::Terminate, Active) => Terminated,
        (Action::Order, Active) => Active,
        _ => {
            return Err(Error::Conflict {
                code: "invalid_transition",
                field: Some("status"),
            });
        }
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContractStatus::*;

    fn refused(status: ContractStatus, action: Action) -> bool {
        next(status, action).is_err()
    }

    #[test]
    fn a_contract_comes_into_force_through_approval_and_ends_once() {
        let s = next(
            Draft,
            Action::Submit {
                approval_needed: true,
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(s, PendingApproval);
        assert_eq!(
            next(s, Action::ApprovalEnded { approved: false }).ok(),
            Some(Draft)
        );
        let s =
            next(s, Action::ApprovalEnded { approved: true }).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(s, Active);
        assert_eq!(next(s, Action::Complete).ok(), Some(Completed));
        assert_eq!(next(s, Action::Terminate).ok(), Some(Terminated));
        for closed in [Completed, Terminated] {
            assert!(refused(closed, Action::Complete));
            assert!(refused(closed, Action::Terminate));
            assert!(refused(closed, Action::Order));
        }
    }

    #[test]
    fn only_drafts_are_edited_or_deleted_and_only_active_contracts_ordered() {
        for s in [PendingApproval, Active, Completed, Terminated] {
            assert!(refused(s, Action::Edit), "{s:?}");
            assert!(refused(s, Action::Delete), "{s:?}");
            assert_eq!(next(s, Action::ChangeOwner).ok(), Some(s));
        }
        for s in [Draft, PendingApproval, Completed, Terminated] {
            assert!(refused(s, Action::Order), "{s:?}");
        }
    }
}
