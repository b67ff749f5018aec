//! The collection plan (收款计划): instalments that add up, to the cent, to what the customer
//! owes, each due on a date or some days after an order event.

use chrono::{Days, NaiveDate};
use crm_api_types::receivables::{CollectionPlanRequest, DueRule, InstalmentRequest, PlanEvent};
use rust_decimal::Decimal;

use crate::money::{check_cents, check_percent, round_cents};
use crate::validation::{FieldErrors, Violation};

pub const INSTALMENTS_MAX: usize = 24;
const NAME_MAX: usize = 50;
const DAYS_MAX: u16 = 3650;
/// The name and payment time of the plan an order gets when it is confirmed without one.
const DEFAULT_NAME: &str = "全款";
const DEFAULT_DAYS: u16 = 30;

/// One instalment of a valid plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instalment {
    pub name: String,
    /// The percentage asked for, when it was given as one.
    pub percent: Option<Decimal>,
    pub amount: Decimal,
    pub due: DueRule,
}

/// How an instalment was asked for.
#[derive(Debug, Clone, Copy)]
enum Share {
    Percent(Decimal),
    Amount(Decimal),
}

/// Validates a plan for an order on which `owed` is due and `paid[i]` was already paid on
/// the instalment at position `i` (`paid` may be longer or shorter than the plan).
///
/// Each instalment is a percentage of `owed` or an amount, not both. Percentages are rounded
/// to the cent and the last one takes what rounding leaves over, so a plan adds up to `owed`
/// exactly — or is refused (`SumMismatch` on `instalments`). An instalment keeps at least
/// what was paid on it (`BelowPaid`), and a paid one cannot be dropped.
pub fn parse(
    request: &CollectionPlanRequest,
    owed: Decimal,
    paid: &[Decimal],
) -> Result<Vec<Instalment>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let requests = &request.instalments;
    if requests.is_empty() || requests.len() > INSTALMENTS_MAX {
        errors.add(
            "instalments",
            Violation::OutOfRange {
                min: 1,
                max: INSTALMENTS_MAX as i64,
            },
        );
    }
    let shares: Vec<Option<Share>> = requests
        .iter()
        .enumerate()
        .map(|(i, r)| share(&mut errors, i, r))
        .collect();
    let names: Vec<String> = requests
        .iter()
        .enumerate()
        .map(|(i, r)| name(&mut errors, i, r))
        .collect();
    for (i, r) in requests.iter().enumerate() {
        if let DueRule::AfterEvent { days, .. } = r.due
            && days > DAYS_MAX
        {
            errors.add(
                &format!("instalments[{i}].due.days"),
                Violation::OutOfRange {
                    min: 0,
                    max: i64::from(DAYS_MAX),
                },
            );
        }
    }
    let shares: Option<Vec<Share>> = shares.into_iter().collect();
    let Some(shares) = shares.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let Some(amounts) = amounts(owed, &shares) else {
        return Err(FieldErrors::single("instalments", Violation::SumMismatch));
    };
    for (i, amount) in amounts.iter().enumerate() {
        if *amount <= Decimal::ZERO {
            errors.add(&format!("instalments[{i}].percent"), too_small());
        } else if *amount < paid.get(i).copied().unwrap_or_default() {
            errors.add(&format!("instalments[{i}].amount"), Violation::BelowPaid);
        }
    }
    if paid.iter().skip(amounts.len()).any(|p| *p > Decimal::ZERO) {
        errors.add("instalments", Violation::BelowPaid);
    }
    let instalments = names
        .into_iter()
        .zip(shares)
        .zip(amounts)
        .zip(requests)
        .map(|(((name, share), amount), request)| Instalment {
            name,
            percent: match share {
                Share::Percent(p) => Some(p),
                Share::Amount(_) => None,
            },
            amount,
            due: request.due,
        })
        .collect();
    errors.finish(instalments)
}

/// A percentage more than 0 and at most 100, or an amount to the cent; exactly one.
fn share(errors: &mut FieldErrors, i: usize, request: &InstalmentRequest) -> Option<Share> {
    let field = |name: &str| format!("instalments[{i}].{name}");
    match (request.percent, request.amount) {
        (Some(_), Some(_)) => {
            errors.add(&field("percent"), Violation::MutuallyExclusive);
            None
        }
        (None, None) => {
            errors.add(&field("amount"), Violation::Required);
            None
        }
        (Some(percent), None) if percent <= Decimal::ZERO => {
            errors.add(&field("percent"), too_small());
            None
        }
        (Some(percent), None) => Some(Share::Percent(check_percent(
            errors,
            &field("percent"),
            percent,
        ))),
        (None, Some(amount)) => Some(Share::Amount(check_cents(errors, &field("amount"), amount))),
    }
}

/// The name given, or 第N期 counting from 1.
fn name(errors: &mut FieldErrors, i: usize, request: &InstalmentRequest) -> String {
    errors
        .optional_text(
            &format!("instalments[{i}].name"),
            request.name.as_deref(),
            NAME_MAX,
        )
        .unwrap_or_else(|| format!("第{}期", i + 1))
}

fn too_small() -> Violation {
    Violation::OutOfRange { min: 0, max: 100 }
}

/// What each share comes to: a percentage of `owed` rounded half-up to the cent, the last
/// percentage taking the rounding difference. `None` when the shares, unrounded, are not
/// exactly `owed`.
fn amounts(owed: Decimal, shares: &[Share]) -> Option<Vec<Decimal>> {
    let of_owed = |percent: Decimal| owed * percent / Decimal::ONE_HUNDRED;
    let exact: Decimal = shares
        .iter()
        .map(|s| match *s {
            Share::Percent(p) => of_owed(p),
            Share::Amount(a) => a,
        })
        .sum();
    if exact != owed {
        return None;
    }
    let mut amounts: Vec<Decimal> = shares
        .iter()
        .map(|s| match *s {
            Share::Percent(p) => round_cents(of_owed(p)),
            Share::Amount(a) => a,
        })
        .collect();
    if let Some(last) = shares.iter().rposition(|s| matches!(s, Share::Percent(_))) {
        let rounded: Decimal = amounts.iter().sum();
        amounts[last] += owed - rounded;
    }
    Some(amounts)
}

/// The plan an order gets on confirmation when it has none: everything (全款) 30 days after
/// the order is confirmed.
pub fn default_plan(owed: Decimal) -> Vec<Instalment> {
    vec![Instalment {
        name: DEFAULT_NAME.to_owned(),
        percent: Some(Decimal::ONE_HUNDRED),
        amount: owed,
        due: DueRule::AfterEvent {
            event: PlanEvent::OrderConfirmed,
            days: DEFAULT_DAYS,
        },
    }]
}

/// The days an order's events happened on (China time), `None` until they do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventDates {
    pub order_confirmed: Option<NaiveDate>,
    pub first_shipment: Option<NaiveDate>,
    pub fully_shipped: Option<NaiveDate>,
    pub accepted: Option<NaiveDate>,
}

/// The day an instalment falls due; `None` while the event it counts from has not happened.
pub fn due_date(due: DueRule, events: &EventDates) -> Option<NaiveDate> {
    match due {
        DueRule::Date { date } => Some(date),
        DueRule::AfterEvent { event, days } => {
            let happened = match event {
                PlanEvent::OrderConfirmed => events.order_confirmed,
                PlanEvent::FirstShipment => events.first_shipment,
                PlanEvent::FullyShipped => events.fully_shipped,
                PlanEvent::Accepted => events.accepted,
            };
            happened?.checked_add_days(Days::new(u64::from(days)))
        }
    }
}

/// The instalment amounts after part of an order is cancelled and `owed` has fallen: each is
/// lowered, the last first, never below what was paid on it (`paid[i]`), until they add up
/// to `owed`. (Should they add up to less, the last one takes the difference.) `None` when
/// more was paid than is now owed.
pub fn shrink(amounts: &[Decimal], paid: &[Decimal], owed: Decimal) -> Option<Vec<Decimal>> {
    let paid_at = |i: usize| paid.get(i).copied().unwrap_or_default();
    if paid.iter().sum::<Decimal>() > owed {
        return None;
    }
    let mut shrunk = amounts.to_vec();
    let mut excess = shrunk.iter().sum::<Decimal>() - owed;
    if excess < Decimal::ZERO
        && let Some(last) = shrunk.last_mut()
    {
        *last -= excess;
        excess = Decimal::ZERO;
    }
    for (i, amount) in shrunk.iter_mut().enumerate().rev() {
        let cut = excess.min(*amount - paid_at(i)).max(Decimal::ZERO);
        *amount -= cut;
        excess -= cut;
    }
    excess.is_zero().then_some(shrunk)
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

    fn after(event: PlanEvent, days: u16) -> DueRule {
        DueRule::AfterEvent { event, days }
    }

    fn percent(p: &str) -> InstalmentRequest {
        InstalmentRequest {
            name: None,
            percent: Some(d(p)),
            amount: None,
            due: after(PlanEvent::Accepted, 30),
        }
    }

    fn amount(a: &str) -> InstalmentRequest {
        InstalmentRequest {
            name: None,
            percent: None,
            amount: Some(d(a)),
            due: DueRule::Date {
                date: day("2027-03-31"),
            },
        }
    }

    fn plan(instalments: Vec<InstalmentRequest>) -> CollectionPlanRequest {
        CollectionPlanRequest { instalments }
    }

    fn amounts_of(plan: &[Instalment]) -> Vec<Decimal> {
        plan.iter().map(|i| i.amount).collect()
    }

    #[test]
    fn percentages_round_to_the_cent_and_the_last_takes_the_difference() {
        let request = plan(vec![
            percent("33.3333"),
            percent("33.3333"),
            percent("33.3334"),
        ]);
        let parsed = parse(&request, d("100.00"), &[]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(amounts_of(&parsed), [d("33.33"), d("33.33"), d("33.34")]);
        assert_eq!(parsed[0].name, "第1期");
        assert_eq!(parsed[2].name, "第3期");
        assert_eq!(parsed[0].percent, Some(d("33.3333")));

        // 0.05 × 50% = 0.025 → 0.03 (half up); the last gets 0.02.
        let halves = plan(vec![percent("50"), percent("50")]);
        let parsed = parse(&halves, d("0.05"), &[]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(amounts_of(&parsed), [d("0.03"), d("0.02")]);
    }

    #[test]
    fn amounts_and_percentages_mix_when_they_add_up() {
        let mut deposit = amount("100000");
        deposit.name = Some(" 预付款 ".into());
        let request = plan(vec![deposit, percent("80"), percent("10")]);
        let parsed = parse(&request, d("1000000.00"), &[]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(parsed[0].name, "预付款");
        assert_eq!(parsed[0].percent, None);
        assert_eq!(
            amounts_of(&parsed),
            [d("100000"), d("800000.00"), d("100000.00")]
        );
    }

    #[test]
    fn a_plan_that_does_not_add_up_is_refused() {
        for request in [
            plan(vec![percent("30"), percent("60")]),
            plan(vec![amount("100"), percent("100")]),
            plan(vec![amount("999.99")]),
        ] {
            let errors = parse(&request, d("1000"), &[]).err().unwrap_or_default();
            assert_eq!(codes(errors), [("instalments".to_owned(), "sum_mismatch")]);
        }
    }

    #[test]
    fn each_instalment_is_a_percentage_or_an_amount() {
        let mut both = percent("50");
        both.amount = Some(d("500"));
        let mut neither = percent("50");
        neither.percent = None;
        let mut long = amount("1");
        long.name = Some("期".repeat(51));
        long.due = after(PlanEvent::OrderConfirmed, 3651);
        let request = plan(vec![
            both,
            neither,
            percent("0"),
            percent("100.5"),
            amount("0.001"),
            long,
        ]);
        let errors = parse(&request, d("1000"), &[]).err().unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("instalments[0].percent".to_owned(), "mutually_exclusive"),
                ("instalments[1].amount".to_owned(), "required"),
                ("instalments[2].percent".to_owned(), "out_of_range"),
                ("instalments[3].percent".to_owned(), "out_of_range"),
                ("instalments[4].amount".to_owned(), "invalid_format"),
                ("instalments[5].name".to_owned(), "too_long"),
                ("instalments[5].due.days".to_owned(), "out_of_range"),
            ]
        );
    }

    #[test]
    fn a_plan_has_one_to_twenty_four_instalments() {
        let errors = parse(&plan(Vec::new()), d("1000"), &[])
            .err()
            .unwrap_or_default();
        assert_eq!(codes(errors), [("instalments".to_owned(), "out_of_range")]);
        let many = plan(vec![amount("1"); INSTALMENTS_MAX + 1]);
        let errors = parse(&many, d("25"), &[]).err().unwrap_or_default();
        assert_eq!(codes(errors), [("instalments".to_owned(), "out_of_range")]);
    }

    #[test]
    fn what_was_paid_stays_in_the_plan() {
        let paid = [d("300"), d("0"), d("50")];
        let request = plan(vec![percent("20"), percent("80")]);
        let errors = parse(&request, d("1000"), &paid).err().unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("instalments[0].amount".to_owned(), "below_paid"),
                ("instalments".to_owned(), "below_paid")
            ]
        );
        let request = plan(vec![percent("30"), percent("65"), percent("5")]);
        assert!(parse(&request, d("1000"), &paid).is_ok());
    }

    #[test]
    fn a_rounding_difference_that_leaves_nothing_is_refused() {
        // 30% and 30% of 0.05 round up to 0.02 each, 39.9999% to 0.02: the last 0.0001% would
        // be −0.01.
        let request = plan(vec![
            percent("30"),
            percent("30"),
            percent("39.9999"),
            percent("0.0001"),
        ]);
        let errors = parse(&request, d("0.05"), &[]).err().unwrap_or_default();
        assert_eq!(
            codes(errors),
            [("instalments[3].percent".to_owned(), "out_of_range")]
        );
    }

    #[test]
    fn the_default_plan_is_everything_thirty_days_after_confirmation() {
        let plan = default_plan(d("1280000.00"));
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].name, "全款");
        assert_eq!(plan[0].amount, d("1280000.00"));
        let events = EventDates {
            order_confirmed: Some(day("2027-01-10")),
            ..Default::default()
        };
        assert_eq!(due_date(plan[0].due, &events), Some(day("2027-02-09")));
    }

    #[test]
    fn a_due_date_waits_for_its_event() {
        let events = EventDates {
            order_confirmed: Some(day("2027-01-10")),
            first_shipment: Some(day("2027-01-15")),
            fully_shipped: None,
            accepted: None,
        };
        let fixed = DueRule::Date {
            date: day("2027-06-30"),
        };
        assert_eq!(due_date(fixed, &events), Some(day("2027-06-30")));
        assert_eq!(
            due_date(after(PlanEvent::FirstShipment, 0), &events),
            Some(day("2027-01-15"))
        );
        assert_eq!(due_date(after(PlanEvent::FullyShipped, 7), &events), None);
        assert_eq!(due_date(after(PlanEvent::Accepted, 365), &events), None);
    }

    #[test]
    fn shrinking_lowers_the_last_instalments_first_and_keeps_what_was_paid() {
        let amounts = [d("300"), d("600"), d("100")];
        let paid = [d("300"), d("50")];
        assert_eq!(
            shrink(&amounts, &paid, d("500")),
            Some(vec![d("300"), d("200"), d("0")])
        );
        assert_eq!(
            shrink(&amounts, &paid, d("350")),
            Some(vec![d("300"), d("50"), d("0")])
        );
        assert_eq!(shrink(&amounts, &paid, d("349.99")), None);
        assert_eq!(
            shrink(&amounts, &paid, d("1000.01")),
            Some(vec![d("300"), d("600"), d("100.01")])
        );
    }

    /// A plan's percentages with two decimals, each at least 0.01%, adding up to 100.
    fn percentages() -> impl Strategy<Value = Vec<Decimal>> {
        proptest::collection::btree_set(1i64..10_000, 0..INSTALMENTS_MAX).prop_map(|cuts| {
            let bounds: Vec<i64> = std::iter::once(0)
                .chain(cuts)
                .chain(std::iter::once(10_000))
                .collect();
            bounds
                .windows(2)
                .map(|w| Decimal::new(w[1] - w[0], 2))
                .collect()
        })
    }

    fn percent_plan(percentages: &[Decimal]) -> CollectionPlanRequest {
        plan(
            percentages
                .iter()
                .map(|p| percent(&p.to_string()))
                .collect(),
        )
    }

    proptest! {
        #[test]
        fn percentages_of_a_hundred_add_up_to_what_is_owed(
            percentages in percentages(),
            owed in 1_000_000i64..=100_000_000_000_000,
        ) {
            // From ¥10,000 every share is at least ¥1, more than rounding can take away.
            let owed = Decimal::new(owed, 2);
            let parsed = parse(&percent_plan(&percentages), owed, &[]);
            prop_assert!(parsed.is_ok(), "{:?}", parsed);
            let amounts = amounts_of(&parsed.unwrap_or_default());
            prop_assert_eq!(amounts.iter().sum::<Decimal>(), owed);
            prop_assert!(amounts.iter().all(|a| *a > Decimal::ZERO && a.scale() <= 2));
        }

        #[test]
        fn any_plan_accepted_adds_up_to_what_is_owed(
            percentages in percentages(),
            owed in 1i64..=100_000_000_000_000,
        ) {
            let owed = Decimal::new(owed, 2);
            if let Ok(parsed) = parse(&percent_plan(&percentages), owed, &[]) {
                let amounts = amounts_of(&parsed);
                prop_assert_eq!(amounts.iter().sum::<Decimal>(), owed);
                prop_assert!(amounts.iter().all(|a| *a > Decimal::ZERO));
            }
        }

        #[test]
        fn shrinking_adds_up_to_what_is_owed_and_keeps_what_was_paid(
            instalments in proptest::collection::vec((0i64..=100_000_000_000, 0i64..=1000), 1..=INSTALMENTS_MAX),
            fall in 0i64..=1000,
        ) {
            let amounts: Vec<i64> = instalments.iter().map(|(a, _)| *a).collect();
            let paid: Vec<i64> = instalments.iter().map(|(a, share)| a * share / 1000).collect();
            let (total, total_paid) = (amounts.iter().sum::<i64>(), paid.iter().sum::<i64>());
            let owed = total_paid + (total - total_paid) * fall / 1000;
            let cents = |v: &[i64]| v.iter().map(|c| Decimal::new(*c, 2)).collect::<Vec<_>>();
            let (amounts, paid, owed) = (cents(&amounts), cents(&paid), Decimal::new(owed, 2));
            let shrunk = shrink(&amounts, &paid, owed);
            prop_assert!(shrunk.is_some());
            let shrunk = shrunk.unwrap_or_default();
            prop_assert_eq!(shrunk.iter().sum::<Decimal>(), owed);
            for ((after, before), paid) in shrunk.iter().zip(&amounts).zip(&paid) {
                prop_assert!(after >= paid && after <= before);
            }
            let short_of_paid = paid.iter().sum::<Decimal>() - Decimal::new(1, 2);
            prop_assert_eq!(shrink(&amounts, &paid, short_of_paid), None);
        }
    }
}
