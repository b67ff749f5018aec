//! The business events an integrator can subscribe to: written to the outbox in the same
//! transaction as the change they tell of, delivered by webhooks and read from the change feed.
//! Names follow `resource.past_tense_verb`; they are a public contract, so a name never
//! changes meaning once released.

use std::fmt;
use std::str::FromStr;

use crm_api_types::identity::Permission;

macro_rules! catalogue {
    ($($variant:ident => $name:literal, $subject:literal, $doc:literal;)+) => {
        /// One kind of business event.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType {
            $(#[doc = $doc] $variant,)+
        }

        impl EventType {
            /// Every event type, in catalogue order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)+];

            /// The wire name, e.g. `sales_order.confirmed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $name,)+
                }
            }

            /// The kind of record the event is about (`subject_kind` in the outbox).
            pub fn subject_kind(self) -> &'static str {
                match self {
                    $(EventType::$variant => $subject,)+
                }
            }

            /// What the event means, for the catalogue in the docs and the SPA.
            pub fn description(self) -> &'static str {
                match self {
                    $(EventType::$variant => $doc,)+
                }
            }
        }

        impl FromStr for EventType {
            type Err = UnknownEventType;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                match name {
                    $($name => Ok(EventType::$variant),)+
                    _ => Err(UnknownEventType),
                }
            }
        }
    };
}

catalogue! {
    LeadCreated => "lead.created", "lead", "A lead was created (by hand, by import or through the API).";
    LeadConverted => "lead.converted", "lead", "A lead was converted into a customer, a contact and optionally an opportunity.";
    CustomerCreated => "customer.created", "customer", "A customer was created.";
    CustomerUpdated => "customer.updated", "customer", "A customer's fields changed.";
    CustomerMerged => "customer.merged", "customer", "A duplicate customer was merged into this one; the duplicate is gone.";
    ContactCreated => "contact.created", "contact", "A contact was created.";
    ContactUpdated => "contact.updated", "contact", "A contact's fields changed.";
    OpportunityCreated => "opportunity.created", "opportunity", "An opportunity was created.";
    OpportunityStageChanged => "opportunity.stage_changed", "opportunity", "An opportunity moved to another stage of its pipeline.";
    OpportunityWon => "opportunity.won", "opportunity", "An opportunity was won.";
    OpportunityLost => "opportunity.lost", "opportunity", "An opportunity was lost.";
    QuoteSubmitted => "quote.submitted", "quote", "A quote was submitted for approval.";
    QuoteApproved => "quote.approved", "quote", "A quote was approved (or needed no approval).";
    QuoteRejected => "quote.rejected", "quote", "A quote was rejected by an approver.";
    QuoteSent => "quote.sent", "quote", "A quote was sent to the customer.";
    QuoteAccepted => "quote.accepted", "quote", "The customer accepted a quote.";
    QuoteDeclined => "quote.declined", "quote", "The customer declined a quote.";
    QuoteExpired => "quote.expired", "quote", "An approved or sent quote passed its validity date without the customer's answer.";
    ApprovalRequested => "approval.requested", "approval", "A document was submitted and its first approvers are asked.";
    ApprovalDecided => "approval.decided", "approval", "An approval request ended: approved, rejected, returned to the submitter or withdrawn.";
    ContractCreated => "contract.created", "contract", "A contract was drafted.";
    ContractSubmitted => "contract.submitted", "contract", "A contract was submitted for approval.";
    ContractActivated => "contract.activated", "contract", "A contract took effect (生效).";
    ContractCompleted => "contract.completed", "contract", "A contract was fulfilled (履行完毕).";
    ContractTerminated => "contract.terminated", "contract", "A contract was terminated, with a reason.";
    SalesOrderCreated => "sales_order.created", "sales_order", "A sales order was created.";
    SalesOrderSubmitted => "sales_order.submitted", "sales_order", "A sales order was submitted for approval.";
    SalesOrderConfirmed => "sales_order.confirmed", "sales_order", "A sales order was confirmed.";
    SalesOrderCancelled => "sales_order.cancelled", "sales_order", "A sales order was cancelled, with a reason.";
    SalesOrderCompleted => "sales_order.completed", "sales_order", "Every line of a sales order was shipped and delivered.";
    ShipmentCreated => "shipment.created", "shipment", "Goods were shipped against a sales order.";
    ShipmentDelivered => "shipment.delivered", "shipment", "The customer signed for a shipment (签收).";
    InvoiceCreated => "invoice.created", "invoice", "An invoice was recorded against a sales order.";
    PaymentReceived => "payment.received", "payment", "A payment was received and allocated to instalments.";
    ReceivableOverdue => "receivable.overdue", "instalment", "An instalment passed its due date unpaid.";
}

impl EventType {
    /// The permission that lets a caller read this event in the change feed; `None` for
    /// approval events, which need the read permission of the approved document's kind.
    pub fn read_permission(self) -> Option<Permission> {
        match self.subject_kind() {
            "lead" => Some(Permission::LeadRead),
            "customer" | "contact" => Some(Permission::CustomerRead),
            "opportunity" => Some(Permission::OpportunityRead),
            "quote" => Some(Permission::QuoteRead),
            "contract" => Some(Permission::ContractRead),
            "sales_order" | "shipment" => Some(Permission::SalesOrderRead),
            "invoice" | "payment" | "instalment" => Some(Permission::ReceivableRead),
            _ => None,
        }
    }
}

/// The read permission for an approved document's kind (`document_kind` of approval events).
pub fn document_read_permission(document_kind: &str) -> Option<Permission> {
    match document_kind {
        "quote" => Some(Permission::QuoteRead),
        "contract" => Some(Permission::ContractRead),
        "sales_order" => Some(Permission::SalesOrderRead),
        _ => None,
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not in the catalogue.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownEventType;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_and_is_unique() {
        let mut names = std::collections::BTreeSet::new();
        for event in EventType::ALL {
            assert_eq!(event.as_str().parse::<EventType>(), Ok(*event));
            assert!(names.insert(event.as_str()), "{event} twice");
            let (resource, verb) = event.as_str().split_once('.').unwrap_or_default();
            assert!(!resource.is_empty() && !verb.is_empty(), "{event}");
        }
        assert_eq!("order.created".parse::<EventType>(), Err(UnknownEventType));
        for event in EventType::ALL {
            let approval = event.subject_kind() == "approval";
            assert_eq!(event.read_permission().is_none(), approval, "{event}");
        }
    }
}
