//! Sales targets (业绩目标): what an admin's `PUT /targets` may set, and how a report finds
//! the target for a period from the monthly and quarterly ones stored.

use crm_api_types::calendar::TargetPeriod;
use crm_api_types::targets::{SetTargetsRequest, SubjectKind};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::money::{check_amount, parse_currency};
use crate::{FieldErrors, Violation};

/// Most targets one request sets.
pub const TARGETS_MAX: usize = 1_000;

/// One target to set (`amount` some) or remove (none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetCell {
    pub subject_kind: SubjectKind,
    pub subject_id: Uuid,
    pub period: TargetPeriod,
    pub amount: Option<Decimal>,
    pub currency: String,
}

/// The targets a request sets: 1–1,000, each subject and period once, amounts of 0 or more
/// to the cent.
pub fn check_targets(request: &SetTargetsRequest) -> Result<Vec<TargetCell>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if request.targets.is_empty() || request.targets.len() > TARGETS_MAX {
        errors.add(
            "targets",
            Violation::OutOfRange {
                min: 1,
                max: TARGETS_MAX as i64,
            },
        );
    }
    let mut seen = std::collections::HashSet::new();
    let cells = request
        .targets
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            if !seen.insert((entry.subject_kind, entry.subject_id, entry.period)) {
                errors.add(&format!("targets[{i}].period"), Violation::Duplicate);
            }
            let amount = entry.amount.map(|amount| {
                let field = format!("targets[{i}].amount");
                let amount = check_amount(&mut errors, &field, amount).normalize();
                if amount.scale() > 2 {
                    errors.add(&field, Violation::InvalidFormat);
                }
                amount
            });
            TargetCell {
                subject_kind: entry.subject_kind,
                subject_id: entry.subject_id,
                period: entry.period,
                amount,
                currency: parse_currency(
                    &mut errors,
                    &format!("targets[{i}].currency"),
                    entry.currency.as_deref(),
                ),
            }
        })
        .collect();
    errors.finish(cells)
}

/// The target for `period` from those stored for one subject (period → amount): a month's
/// own; a quarter's own, or else the sum of its three months when all three are set.
pub fn target_for(
    period: TargetPeriod,
    stored: impl Fn(TargetPeriod) -> Option<Decimal>,
) -> Option<Decimal> {
    stored(period).or_else(|| match period {
        TargetPeriod::Month(_) => None,
        TargetPeriod::Quarter(quarter) => quarter
            .months()
            .into_iter()
            .map(|m| stored(TargetPeriod::Month(m)))
            .sum(),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crm_api_types::targets::{TargetEntry, TargetMetric};

    use super::*;

    fn period(text: &str) -> TargetPeriod {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn entry(period_text: &str, amount: Option<&str>) -> TargetEntry {
        TargetEntry {
            subject_kind: SubjectKind::User,
            subject_id: Uuid::nil(),
            period: period(period_text),
            amount: amount.map(|a| a.parse().unwrap_or_else(|e| panic!("{e}"))),
            currency: None,
        }
    }

    fn fields(request: &SetTargetsRequest) -> Vec<String> {
        match check_targets(request) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(|(field, _)| field.to_owned()).collect(),
        }
    }

    #[test]
    fn a_request_names_each_bad_target() {
        let request = SetTargetsRequest {
            metric: TargetMetric::WonAmount,
            targets: vec![
                entry("2026-12", Some("500000")),
                entry("2026-12", Some("1")),
                entry("2026-11", Some("-1")),
                entry("2026-10", Some("0.001")),
                entry("2026-Q4", None),
            ],
        };
        assert_eq!(
            fields(&request),
            [
                "targets[1].period",
                "targets[2].amount",
                "targets[3].amount"
            ]
        );
        let empty = SetTargetsRequest {
            metric: TargetMetric::WonAmount,
            targets: Vec::new(),
        };
        assert_eq!(fields(&empty), ["targets"]);
    }

    #[test]
    fn a_quarter_without_its_own_target_adds_up_its_months_only_when_all_are_set() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_else(|e| panic!("{e}"));
        let mut stored =
            HashMap::from([(period("2026-10"), d("100")), (period("2026-11"), d("200"))]);
        let of = |stored: &HashMap<TargetPeriod, Decimal>, p: &str| {
            target_for(period(p), |q| stored.get(&q).copied())
        };
        assert_eq!(of(&stored, "2026-10"), Some(d("100")));
        assert_eq!(of(&stored, "2026-12"), None);
        assert_eq!(of(&stored, "2026-Q4"), None);
        stored.insert(period("2026-12"), d("300"));
        assert_eq!(of(&stored, "2026-Q4"), Some(d("600")));
        stored.insert(period("2026-Q4"), d("1000"));
        assert_eq!(of(&stored, "2026-Q4"), Some(d("1000")));
    }
}
