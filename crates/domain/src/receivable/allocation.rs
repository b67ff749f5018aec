//! Payments (收款) and how they are applied to open instalments: by the oldest due date, or
//! as the user says. What is not applied stays with the customer as credit.

use std::collections::HashSet;

use chrono::NaiveDate;
use crm_api_types::receivables::{AllocationRequest, CreatePaymentRequest, PaymentMethod};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::money::{check_cents, parse_currency};
use crate::validation::{FieldErrors, Violation};

const REFERENCE_MAX: usize = 100;
const NOTE_MAX: usize = 2000;

/// An instalment that can take a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenInstalment {
    pub id: Uuid,
    /// `None` until the event it counts from happens.
    pub due_date: Option<NaiveDate>,
    pub outstanding: Decimal,
}

/// Applies `available` to `open`, the oldest due date first; instalments without a due date
/// come last, and those due on the same day keep their given order. Returns what each
/// instalment that gets something (more than 0) gets, in the order applied.
pub fn oldest_first(available: Decimal, open: &[OpenInstalment]) -> Vec<(Uuid, Decimal)> {
    let mut by_due: Vec<&OpenInstalment> = open.iter().collect();
    by_due.sort_by_key(|i| (i.due_date.is_none(), i.due_date));
    let mut left = available;
    let mut applied = Vec::new();
    for instalment in by_due {
        let amount = left.min(instalment.outstanding);
        if amount <= Decimal::ZERO {
            continue;
        }
        applied.push((instalment.id, amount));
        left -= amount;
    }
    applied
}

/// Checks allocations the user chose: each names an open instalment once and gives it more
/// than 0, to the cent, and at most its outstanding amount; together they use at most
/// `available` (`ExceedsAvailable` on `allocations`).
pub fn check_manual(
    available: Decimal,
    requests: &[AllocationRequest],
    open: &[OpenInstalment],
) -> Result<Vec<(Uuid, Decimal)>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if requests.is_empty() {
        errors.add("allocations", Violation::Required);
    }
    let mut seen = HashSet::new();
    let mut allocations = Vec::with_capacity(requests.len());
    for (i, request) in requests.iter().enumerate() {
        let field = |name: &str| format!("allocations[{i}].{name}");
        let amount = check_cents(&mut errors, &field("amount"), request.amount);
        let Some(instalment) = open.iter().find(|o| o.id == request.instalment_id) else {
            errors.add(&field("instalment_id"), Violation::NotFound);
            continue;
        };
        if !seen.insert(request.instalment_id) {
            errors.add(&field("instalment_id"), Violation::Duplicate);
        } else if amount > instalment.outstanding {
            errors.add(&field("amount"), Violation::ExceedsAvailable);
        }
        allocations.push((request.instalment_id, amount));
    }
    if requests.iter().map(|r| r.amount).sum::<Decimal>() > available {
        errors.add("allocations", Violation::ExceedsAvailable);
    }
    errors.finish(allocations)
}

/// A payment as received; its allocations are checked against the open instalments apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFields {
    pub received_on: NaiveDate,
    pub amount: Decimal,
    pub currency: String,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// Validates a payment: an amount to the cent, received today (the default) or earlier
/// (`received_on` `InvalidFormat` when in the future), in `CNY` unless told. Allocations and
/// `sales_order_id` are two ways of saying where it goes: only one may be given.
pub fn parse_payment(
    request: &CreatePaymentRequest,
    today: NaiveDate,
) -> Result<PaymentFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let e = &mut errors;
    let received_on = request.received_on.unwrap_or(today);
    if received_on > today {
        e.add("received_on", Violation::InvalidFormat);
    }
    if request.allocations.is_some() && request.sales_order_id.is_some() {
        e.add("sales_order_id", Violation::MutuallyExclusive);
    }
    let fields = PaymentFields {
        received_on,
        amount: check_cents(e, "amount", request.amount),
        currency: parse_currency(e, "currency", request.currency.as_deref()),
        method: request.method,
        reference: e.optional_text("reference", request.reference.as_deref(), REFERENCE_MAX),
        note: e.optional_text("note", request.note.as_deref(), NOTE_MAX),
    };
    errors.finish(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn codes(errors: FieldErrors) -> Vec<(String, &'static str)> {
        errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect()
    }

    fn open(id: u128, due: Option<&str>, outstanding: &str) -> OpenInstalment {
        OpenInstalment {
            id: Uuid::from_u128(id),
            due_date: due.map(day),
            outstanding: d(outstanding),
        }
    }

    fn allocate(id: u128, amount: &str) -> AllocationRequest {
        AllocationRequest {
            instalment_id: Uuid::from_u128(id),
            amount: d(amount),
        }
    }

    fn payment() -> CreatePaymentRequest {
        CreatePaymentRequest {
            customer_id: Uuid::from_u128(1),
            received_on: None,
            amount: d("384000.00"),
            currency: None,
            method: PaymentMethod::BankTransfer,
            reference: Some("招商银行 回单 2027012000123".into()),
            note: None,
            allocations: None,
            sales_order_id: None,
        }
    }

    const TODAY: &str = "2027-01-20";

    #[test]
    fn the_oldest_due_instalment_is_paid_first_and_undated_ones_last() {
        let instalments = [
            open(1, None, "100"),
            open(2, Some("2027-02-01"), "300"),
            open(3, Some("2027-01-01"), "200"),
            open(4, Some("2027-02-01"), "50"),
        ];
        assert_eq!(
            oldest_first(d("520"), &instalments),
            [
                (Uuid::from_u128(3), d("200")),
                (Uuid::from_u128(2), d("300")),
                (Uuid::from_u128(4), d("20")),
            ]
        );
        assert_eq!(oldest_first(d("1000"), &instalments).len(), 4);
        assert!(oldest_first(Decimal::ZERO, &instalments).is_empty());
    }

    #[test]
    fn manual_allocations_stay_within_each_instalment_and_the_payment() {
        let instalments = [
            open(1, None, "100"),
            open(2, Some("2027-01-01"), "200"),
            open(3, Some("2027-02-01"), "50"),
        ];
        let ok = check_manual(
            d("250"),
            &[allocate(2, "200"), allocate(1, "50")],
            &instalments,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            ok,
            [
                (Uuid::from_u128(2), d("200")),
                (Uuid::from_u128(1), d("50"))
            ]
        );
        let requests = [
            allocate(1, "100.01"),
            allocate(9, "1"),
            allocate(1, "1"),
            allocate(2, "0"),
            allocate(3, "0.001"),
        ];
        let errors = check_manual(d("100"), &requests, &instalments)
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("allocations[0].amount".to_owned(), "exceeds_available"),
                ("allocations[1].instalment_id".to_owned(), "not_found"),
                ("allocations[2].instalment_id".to_owned(), "duplicate"),
                ("allocations[3].amount".to_owned(), "out_of_range"),
                ("allocations[4].amount".to_owned(), "invalid_format"),
                ("allocations".to_owned(), "exceeds_available"),
            ]
        );
        let errors = check_manual(d("100"), &[], &instalments)
            .err()
            .unwrap_or_default();
        assert_eq!(codes(errors), [("allocations".to_owned(), "required")]);
    }

    #[test]
    fn a_payment_defaults_to_today_in_yuan() {
        let fields = parse_payment(&payment(), day(TODAY)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.received_on, day(TODAY));
        assert_eq!(fields.currency, "CNY");
        assert_eq!(fields.amount, d("384000"));
    }

    #[test]
    fn a_payment_is_positive_not_in_the_future_and_goes_one_way() {
        let mut request = payment();
        request.received_on = Some(day("2027-01-21"));
        request.amount = d("-1");
        request.reference = Some("R".repeat(101));
        request.allocations = Some(vec![allocate(1, "1")]);
        request.sales_order_id = Some(Uuid::from_u128(5));
        let errors = parse_payment(&request, day(TODAY))
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("received_on".to_owned(), "invalid_format"),
                ("sales_order_id".to_owned(), "mutually_exclusive"),
                ("amount".to_owned(), "out_of_range"),
                ("reference".to_owned(), "too_long"),
            ]
        );
    }

    fn instalments() -> impl Strategy<Value = Vec<OpenInstalment>> {
        proptest::collection::vec(
            (proptest::option::of(0u32..60), 0i64..=10_000_000_000),
            0..30,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (due, cents))| OpenInstalment {
                    id: Uuid::from_u128(i as u128),
                    due_date: due.and_then(|days| {
                        day("2027-01-01").checked_add_days(chrono::Days::new(days.into()))
                    }),
                    outstanding: Decimal::new(cents, 2),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn oldest_first_conserves_money(
            open in instalments(),
            available in 0i64..=200_000_000_000,
        ) {
            let available = Decimal::new(available, 2);
            let applied = oldest_first(available, &open);
            let total: Decimal = applied.iter().map(|(_, a)| *a).sum();
            let outstanding: Decimal = open.iter().map(|o| o.outstanding).sum();
            prop_assert_eq!(total, available.min(outstanding));
            let got = |id: Uuid| {
                applied.iter().find(|(i, _)| *i == id).map_or(Decimal::ZERO, |(_, a)| *a)
            };
            // Undated instalments come after every dated one; ties keep the input order.
            let rank = |i: usize| (open[i].due_date.is_none(), open[i].due_date, i);
            for (i, instalment) in open.iter().enumerate() {
                let amount = got(instalment.id);
                prop_assert!(amount >= Decimal::ZERO && amount <= instalment.outstanding);
                if amount > Decimal::ZERO {
                    for (j, earlier) in open.iter().enumerate() {
                        if rank(j) < rank(i) {
                            prop_assert_eq!(got(earlier.id), earlier.outstanding);
                        }
                    }
                }
            }
        }
    }
}
