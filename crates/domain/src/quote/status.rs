//! Which state a quote's action leads to. The states change only here.

use crm_api_types::quotes::QuoteStatus;

use crate::error::Error;

/// How an approval request ended, as far as the quote cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalEnd {
    Approved,
    Rejected,
    /// Returned to the submitter, or withdrawn by them: back to draft.
    BackToDraft,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A change of fields or lines. `material` is anything printed or priced; only the
    /// internal note is not.
    Edit {
        material: bool,
    },
    /// Submit for approval; `approval_needed` is false when no policy applies.
    Submit {
        approval_needed: bool,
    },
    ApprovalEnded(ApprovalEnd),
    Send,
    Accept,
    Decline,
    /// Its validity passed (the daily job).
    Expire,
    /// A new version replaces this one, which freezes.
    Revise,
    Delete,
}

fn invalid() -> Error {
    Error::Conflict {
        code: "invalid_transition",
        field: Some("status"),
    }
}

/// The status after `action`, or why it is refused. A superseded version is frozen: only
/// copying it (not an action here) is allowed.
pub fn next(status: QuoteStatus, superseded: bool, action: Action) -> Result<QuoteStatus, Error> {
    use QuoteStatus::{
        Accepted, Approved, Declined, Draft, Expired, PendingApproval, Rejected, Sent,
    };
    if superseded {
        return Err(Error::Conflict {
            code: "quote_superseded",
            field: None,
        });
    }
    let next = match (action, status) {
        (Action::Edit { material: false }, s) if s != PendingApproval => s,
        (Action::Edit { material: true }, Draft | Rejected | Approved) => Draft,
        (Action::Submit { approval_needed }, Draft | Rejected) => {
            if approval_needed {
                PendingApproval
            } else {
                Approved
            }
        }
        (Action::ApprovalEnded(end), PendingApproval) => match end {
            ApprovalEnd::Approved => Approved,
            ApprovalEnd::Rejected => Rejected,
            ApprovalEnd::BackToDraft => Draft,
        },
        (Action::Send, Approved) => Sent,
        (Action::Accept, Approved | Sent) => Accepted,
        (Action::Decline, Approved | Sent) => Declined,
        (Action::Expire, Approved | Sent) => Expired,
        (Action::Revise, Approved | Sent | Declined | Expired) => Draft,
        (Action::Delete, Draft | Rejected) => Draft,
        _ => return Err(invalid()),
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuoteStatus::*;

    fn ok(status: QuoteStatus, action: Action) -> QuoteStatus {
        next(status, false, action).unwrap_or_else(|e| panic!("{status:?} {action:?}: {e:?}"))
    }

    fn refused(status: QuoteStatus, action: Action) -> bool {
        matches!(
            next(status, false, action),
            Err(Error::Conflict {
                code: "invalid_transition",
                ..
            })
        )
    }

    #[test]
    fn the_happy_path_runs_from_draft_to_accepted() {
        let s = ok(
            Draft,
            Action::Submit {
                approval_needed: true,
            },
        );
        assert_eq!(s, PendingApproval);
        let s = ok(s, Action::ApprovalEnded(ApprovalEnd::Approved));
        assert_eq!(s, Approved);
        let s = ok(s, Action::Send);
        assert_eq!(s, Sent);
        assert_eq!(ok(s, Action::Accept), Accepted);
    }

    #[test]
    fn without_a_policy_submitting_approves() {
        assert_eq!(
            ok(
                Draft,
                Action::Submit {
                    approval_needed: false
                }
            ),
            Approved
        );
    }

    #[test]
    fn a_material_edit_of_an_approved_quote_needs_approval_again() {
        assert_eq!(ok(Approved, Action::Edit { material: true }), Draft);
        assert_eq!(ok(Approved, Action::Edit { material: false }), Approved);
        assert_eq!(ok(Rejected, Action::Edit { material: true }), Draft);
    }

    #[test]
    fn pending_sent_and_closed_quotes_are_not_edited() {
        for s in [PendingApproval, Sent, Accepted, Declined, Expired] {
            assert!(refused(s, Action::Edit { material: true }), "{s:?}");
        }
        assert!(refused(PendingApproval, Action::Edit { material: false }));
        assert_eq!(ok(Sent, Action::Edit { material: false }), Sent);
    }

    #[test]
    fn only_an_approved_quote_is_sent_and_only_a_pending_one_is_decided() {
        for s in [Draft, PendingApproval, Rejected, Accepted] {
            assert!(refused(s, Action::Send), "{s:?}");
        }
        for s in [Draft, Approved, Sent] {
            assert!(
                refused(s, Action::ApprovalEnded(ApprovalEnd::Approved)),
                "{s:?}"
            );
        }
        assert_eq!(
            ok(
                PendingApproval,
                Action::ApprovalEnded(ApprovalEnd::BackToDraft)
            ),
            Draft
        );
        assert!(refused(Draft, Action::Accept));
        assert!(refused(Accepted, Action::Decline));
    }

    #[test]
    fn sent_and_approved_quotes_expire_and_can_be_revised() {
        assert_eq!(ok(Sent, Action::Expire), Expired);
        assert_eq!(ok(Approved, Action::Expire), Expired);
        assert!(refused(Draft, Action::Expire));
        for s in [Approved, Sent, Declined, Expired] {
            assert_eq!(ok(s, Action::Revise), Draft);
        }
        for s in [Draft, PendingApproval, Rejected, Accepted] {
            assert!(refused(s, Action::Revise), "{s:?}");
        }
    }

    #[test]
    fn a_superseded_version_is_frozen() {
        assert!(matches!(
            next(Sent, true, Action::Accept),
            Err(Error::Conflict {
                code: "quote_superseded",
                ..
            })
        ));
        assert!(next(Approved, true, Action::Edit { material: false }).is_err());
    }

    #[test]
    fn only_drafts_and_rejected_quotes_are_deleted() {
        assert!(next(Draft, false, Action::Delete).is_ok());
        assert!(next(Rejected, false, Action::Delete).is_ok());
        assert!(refused(Approved, Action::Delete));
        assert!(refused(Sent, Action::Delete));
    }
}
