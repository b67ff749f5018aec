//! Which state a sales order's action leads to, and the state its shipped, delivered and
//! cancelled quantities give once it is confirmed. The states change only here.

use crm_api_types::sales_orders::SalesOrderStatus;
use rust_decimal::Decimal;

use crate::error::Error;
use crate::money::round_cents;

/// How an approval request ended, as far as the order cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalEnd {
    Approved,
    /// Rejected, returned to the submitter or withdrawn by them: the order can be fixed and
    /// submitted again.
    BackToDraft,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Submit for approval; `approval_needed` is false when no policy applies.
    Submit {
        approval_needed: bool,
    },
    ApprovalEnded(ApprovalEnd),
    Ship,
    /// A shipment is signed for.
    Deliver,
    Cancel,
    Delete,
    /// A change of what gets approved: lines, terms, discount.
    EditAll,
    /// A change of the customer PO, shipping address, internal note, owner or promised
    /// dates, which approval does not look at.
    EditLimited,
}

fn invalid() -> Error {
    Error::Conflict {
        code: "invalid_transition",
        field: Some("status"),
    }
}

/// The status after `action`, or why it is refused. `Ship` and `Deliver` leave the status
/// as it is: `fulfilment` gives the new one once the quantities are written, and so it does
/// after cancelling a partly shipped order.
pub fn next(status: SalesOrderStatus, action: Action) -> Result<SalesOrderStatus, Error> {
    use SalesOrderStatus::{
        Cancelled, Completed, Confirmed, Draft, PartiallyShipped, PendingApproval, Shipped,
    };
    let next = match (action, status) {
        (Action::Submit { approval_needed }, Draft) => {
            if approval_needed {
                PendingApproval
            } else {
                Confirmed
            }
        }
        (Action::ApprovalEnded(end), PendingApproval) => match end {
            ApprovalEnd::Approved => Confirmed,
            ApprovalEnd::BackToDraft => Draft,
        },
        (Action::Ship, Confirmed | PartiallyShipped) => status,
        (Action::Deliver, PartiallyShipped | Shipped) => status,
        (Action::Cancel, Draft | Confirmed | PartiallyShipped) => Cancelled,
        (Action::Delete | Action::EditAll, Draft) => Draft,
        (Action::EditLimited, s) if !matches!(s, Cancelled | Completed) => s,
        _ => return Err(invalid()),
    };
    Ok(next)
}

/// How far one order line has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineProgress {
    pub quantity: Decimal,
    pub shipped: Decimal,
    /// Shipped and signed for.
    pub delivered: Decimal,
    pub cancelled: Decimal,
}

impl LineProgress {
    /// Still to ship: quantity − shipped − cancelled.
    pub fn open(&self) -> Decimal {
        self.quantity - self.shipped - self.cancelled
    }
}

/// The status a confirmed order's quantities give: nothing shipped → `Confirmed` (or
/// `Cancelled` when everything is cancelled); something shipped and something open →
/// `PartiallyShipped`; nothing open → `Shipped`, or `Completed` once every shipped quantity
/// is signed for.
pub fn fulfilment(lines: &[LineProgress]) -> SalesOrderStatus {
    let nothing_open = lines.iter().all(|l| l.open() <= Decimal::ZERO);
    let nothing_shipped = lines.iter().all(|l| l.shipped.is_zero());
    let all_delivered = lines.iter().all(|l| l.delivered >= l.shipped);
    match (nothing_shipped, nothing_open) {
        (true, true) => SalesOrderStatus::Cancelled,
        (true, false) => SalesOrderStatus::Confirmed,
        (false, false) => SalesOrderStatus::PartiallyShipped,
        (false, true) if all_delivered => SalesOrderStatus::Completed,
        (false, true) => SalesOrderStatus::Shipped,
    }
}

/// The value of a cancelled part of a line: net amount × cancelled ÷ quantity, rounded half
/// away from zero to the cent (0 for a line of no quantity).
pub fn cancelled_value(net_amount: Decimal, quantity: Decimal, cancelled: Decimal) -> Decimal {
    (net_amount * cancelled)
        .checked_div(quantity)
        .map_or(Decimal::ZERO, round_cents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SalesOrderStatus::*;

    fn ok(status: SalesOrderStatus, action: Action) -> SalesOrderStatus {
        next(status, action).unwrap_or_else(|e| panic!("{status:?} {action:?}: {e:?}"))
    }

    fn refused(status: SalesOrderStatus, action: Action) -> bool {
        matches!(
            next(status, action),
            Err(Error::Conflict {
                code: "invalid_transition",
                field: Some("status"),
            })
        )
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn progress(quantity: &str, shipped: &str, delivered: &str, cancelled: &str) -> LineProgress {
        LineProgress {
            quantity: d(quantity),
            shipped: d(shipped),
            delivered: d(delivered),
            cancelled: d(cancelled),
        }
    }

    const ALL: [SalesOrderStatus; 7] = [
        Draft,
        PendingApproval,
        Confirmed,
        PartiallyShipped,
        Shipped,
        Completed,
        Cancelled,
    ];

    #[test]
    fn a_draft_is_confirmed_directly_or_through_approval() {
        let needed = Action::Submit {
            approval_needed: true,
        };
        assert_eq!(ok(Draft, needed), PendingApproval);
        assert_eq!(
            ok(
                Draft,
                Action::Submit {
                    approval_needed: false
                }
            ),
            Confirmed
        );
        assert_eq!(
            ok(
                PendingApproval,
                Action::ApprovalEnded(ApprovalEnd::Approved)
            ),
            Confirmed
        );
        assert_eq!(
            ok(
                PendingApproval,
                Action::ApprovalEnded(ApprovalEnd::BackToDraft)
            ),
            Draft
        );
        for s in ALL.into_iter().filter(|s| *s != Draft) {
            assert!(refused(s, needed), "{s:?}");
        }
        for s in ALL.into_iter().filter(|s| *s != PendingApproval) {
            assert!(
                refused(s, Action::ApprovalEnded(ApprovalEnd::Approved)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn shipping_and_signing_keep_the_status_for_fulfilment_to_decide() {
        assert_eq!(ok(Confirmed, Action::Ship), Confirmed);
        assert_eq!(ok(PartiallyShipped, Action::Ship), PartiallyShipped);
        for s in [Draft, PendingApproval, Shipped, Completed, Cancelled] {
            assert!(refused(s, Action::Ship), "{s:?}");
        }
        assert_eq!(ok(PartiallyShipped, Action::Deliver), PartiallyShipped);
        assert_eq!(ok(Shipped, Action::Deliver), Shipped);
        for s in [Draft, PendingApproval, Confirmed, Completed, Cancelled] {
            assert!(refused(s, Action::Deliver), "{s:?}");
        }
    }

    #[test]
    fn only_what_has_not_all_shipped_is_cancelled() {
        for s in [Draft, Confirmed, PartiallyShipped] {
            assert_eq!(ok(s, Action::Cancel), Cancelled);
        }
        for s in [PendingApproval, Shipped, Completed, Cancelled] {
            assert!(refused(s, Action::Cancel), "{s:?}");
        }
    }

    #[test]
    fn drafts_are_edited_and_deleted_and_the_rest_edited_in_part_while_open() {
        for action in [Action::Delete, Action::EditAll] {
            assert_eq!(ok(Draft, action), Draft);
            for s in ALL.into_iter().filter(|s| *s != Draft) {
                assert!(refused(s, action), "{s:?} {action:?}");
            }
        }
        for s in [Draft, PendingApproval, Confirmed, PartiallyShipped, Shipped] {
            assert_eq!(ok(s, Action::EditLimited), s);
        }
        assert!(refused(Completed, Action::EditLimited));
        assert!(refused(Cancelled, Action::EditLimited));
    }

    #[test]
    fn quantities_give_the_fulfilment_status() {
        let untouched = [progress("2", "0", "0", "0"), progress("1", "0", "0", "0")];
        assert_eq!(fulfilment(&untouched), Confirmed);
        let all_cancelled = [progress("2", "0", "0", "2")];
        assert_eq!(fulfilment(&all_cancelled), Cancelled);
        let part = [progress("2", "1", "1", "0"), progress("1", "0", "0", "0")];
        assert_eq!(fulfilment(&part), PartiallyShipped);
        let in_transit = [progress("2", "2", "1", "0"), progress("1", "1", "1", "0")];
        assert_eq!(fulfilment(&in_transit), Shipped);
        let signed = [progress("2", "2", "2", "0"), progress("1", "1", "1", "0")];
        assert_eq!(fulfilment(&signed), Completed);
        let rest_cancelled = [progress("3", "1", "0", "2")];
        assert_eq!(fulfilment(&rest_cancelled), Shipped);
        let rest_cancelled_signed = [progress("3", "1", "1", "2")];
        assert_eq!(fulfilment(&rest_cancelled_signed), Completed);
    }

    #[test]
    fn a_cancelled_part_is_worth_its_share_of_the_net_amount() {
        assert_eq!(cancelled_value(d("100.00"), d("3"), d("1")), d("33.33"));
        assert_eq!(cancelled_value(d("100.00"), d("3"), d("2")), d("66.67"));
        assert_eq!(cancelled_value(d("0.05"), d("2"), d("1")), d("0.03"));
        assert_eq!(
            cancelled_value(d("493924.00"), d("2"), d("2")),
            d("493924.00")
        );
        assert_eq!(
            cancelled_value(d("10"), Decimal::ZERO, d("1")),
            Decimal::ZERO
        );
    }
}
