//! Reports (统计分析): the period and filters every report takes, and the arithmetic on what
//! the database counted (rates, averages). Each report's SQL only counts and sums; turning
//! counts into percentages and seconds into days happens here, once, the same for every
//! report.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use crm_api_types::calendar::Month;
use rust_decimal::Decimal;

use crate::{FieldErrors, Violation, start_of_day_in_china};

/// The years a report's period may name: business records, within what both databases store.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;
/// The longest period a report reads: three years of days.
pub const PERIOD_MAX_DAYS: i64 = 3 * 366;
/// The longest region or industry name a filter takes (as customers store them).
const LABEL_MAX: usize = 100;

/// Whole days in China time, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// The period asked for; left out, it runs from the first of `today`'s month to today.
    pub fn parse(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self, FieldErrors> {
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
        let mut errors = FieldErrors::new();
        let mut known = true;
        for (field, day) in [("from", from), ("to", to)] {
            if !YEARS.contains(&day.year()) {
                known = false;
                let (min, max) = (i64::from(*YEARS.start()), i64::from(*YEARS.end()));
                errors.add(field, Violation::OutOfRange { min, max });
            }
        }
        if known && from > to {
            errors.add("from", Violation::InvalidFormat);
        } else if known && (to - from).num_days() >= PERIOD_MAX_DAYS {
            errors.add(
                "to",
                Violation::OutOfRange {
                    min: 1,
                    max: PERIOD_MAX_DAYS,
                },
            );
        }
        errors.finish(Self { from, to })
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// The instants it spans: from the start of its first day to the start of the day after
    /// its last.
    pub fn instants(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let after = self.to.succ_opt().unwrap_or(self.to);
        (
            start_of_day_in_china(self.from),
            start_of_day_in_china(after),
        )
    }
}

/// `part ÷ whole` in percent to one decimal; none unless `whole` is above zero.
pub fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (whole > Decimal::ZERO).then(|| one_decimal(part * Decimal::ONE_HUNDRED / whole))
}

/// Days sales outstanding (应收账款周转天数): `outstanding ÷ sold × days`, to one decimal;
/// none when nothing was sold.
pub fn days_sales_outstanding(outstanding: Decimal, sold: Decimal, days: u32) -> Option<Decimal> {
    (sold > Decimal::ZERO).then(|| one_decimal(outstanding * Decimal::from(days) / sold))
}

/// The most months a forecast spans.
pub const MONTHS_MAX: i64 = 36;

/// The months a report covers: `from` at most 36 months before `to`.
pub fn month_range(from: Month, to: Month) -> Result<(Month, Month), FieldErrors> {
    let span = from.months_until(to);
    let mut errors = FieldErrors::new();
    if span < 0 {
        errors.add("from", Violation::InvalidFormat);
    } else if span >= MONTHS_MAX {
        errors.add(
            "to",
            Violation::OutOfRange {
                min: 1,
                max: MONTHS_MAX,
            },
        );
    }
    errors.finish((from, to))
}

/// ABC analysis: class A takes the largest customers up to this share of revenue (the
/// customer crossing it included), class B up to `VALUE_CLASS_B_PERCENT`, C the rest.
pub const VALUE_CLASS_A_PERCENT: i64 = 80;
pub const VALUE_CLASS_B_PERCENT: i64 = 95;
/// The customer-value report's dormancy: no order in this many days (default and bounds).
pub const DORMANT_DAYS_DEFAULT: u32 = 180;
pub const DORMANT_DAYS: std::ops::RangeInclusive<u32> = 1..=1095;

/// The days without an order after which a customer counts as dormant (`field`, default 180).
pub fn dormant_days(field: &str, value: Option<u32>) -> Result<u32, FieldErrors> {
    let days = value.unwrap_or(DORMANT_DAYS_DEFAULT);
    let mut errors = FieldErrors::new();
    if !DORMANT_DAYS.contains(&days) {
        let (min, max) = (*DORMANT_DAYS.start(), *DORMANT_DAYS.end());
        errors.add(
            field,
            Violation::OutOfRange {
                min: i64::from(min),
                max: i64::from(max),
            },
        );
    }
    errors.finish(days)
}

/// How long a customer may go without a follow-up before the activity report calls it idle:
/// 30 days unless asked, at most ten years.
pub const IDLE_DAYS_DEFAULT: u32 = 30;
pub const IDLE_DAYS_MAX: u32 = 3650;

/// The `idle_days` asked for: 1 to [`IDLE_DAYS_MAX`], [`IDLE_DAYS_DEFAULT`] when left out.
pub fn idle_days(value: Option<u32>) -> Result<u32, FieldErrors> {
    let days = value.unwrap_or(IDLE_DAYS_DEFAULT);
    if (1..=IDLE_DAYS_MAX).contains(&days) {
        Ok(days)
    } else {
        Err(FieldErrors::single(
            "idle_days",
            Violation::OutOfRange {
                min: 1,
                max: i64::from(IDLE_DAYS_MAX),
            },
        ))
    }
}

/// The Monday of `day`'s ISO week.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// An ISO week as reports label it: `2026-W50` (the ISO week-numbering year, which for the
/// days around New Year may differ from the calendar year).
pub fn week_label(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// A region or industry to narrow to: trimmed, none when blank.
pub fn label(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<String> {
    errors.optional_text(field, value, LABEL_MAX)
}

/// `part` of `whole` in percent to one decimal; none when `whole` is 0 (no rate of nothing).
pub fn percent(part: u64, whole: u64) -> Option<Decimal> {
    (whole > 0)
        .then(|| one_decimal(Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole)))
}

/// The average of `count` spans summing to `seconds`, in days to one decimal; none when
/// `count` is 0.
pub fn average_days(seconds: i64, count: u64) -> Option<Decimal> {
    (count > 0)
        .then(|| one_decimal(Decimal::from(seconds) / Decimal::from(86_400) / Decimal::from(count)))
}

/// Rounded to one decimal and written with it (`80.0`, not `80`), as reports show rates.
fn one_decimal(value: Decimal) -> Decimal {
    let mut rounded = value.round_dp(1);
    rounded.rescale(1);
    rounded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn codes(result: Result<Period, FieldErrors>) -> Vec<(String, &'static str)> {
        match result {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|(f, v)| (f.to_owned(), v.code())).collect(),
        }
    }

    #[test]
    fn weeks_start_on_monday_and_are_labelled_by_iso_week() {
        assert_eq!(week_start(day("2026-12-13")), day("2026-12-07"));
        assert_eq!(week_start(day("2026-12-07")), day("2026-12-07"));
        assert_eq!(week_label(day("2026-12-07")), "2026-W50");
        // 2027-01-01 is a Friday: its week is the last of 2026.
        assert_eq!(week_label(day("2027-01-01")), "2026-W53");
        assert_eq!(week_label(day("2025-12-29")), "2026-W01");
    }

    #[test]
    fn idle_days_default_to_thirty_and_are_bounded() {
        assert_eq!(idle_days(None).ok(), Some(30));
        assert_eq!(idle_days(Some(1)).ok(), Some(1));
        assert_eq!(idle_days(Some(3650)).ok(), Some(3650));
        for wrong in [0, 3651] {
            let fields: Vec<String> = idle_days(Some(wrong))
                .err()
                .map(|e| e.iter().map(|(f, _)| f.to_owned()).collect())
                .unwrap_or_default();
            assert_eq!(fields, ["idle_days"]);
        }
    }

    #[test]
    fn a_period_defaults_to_this_month_and_spans_whole_china_days() {
        let period =
            Period::parse(None, None, day("2026-12-06")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (period.from(), period.to()),
            (day("2026-12-01"), day("2026-12-06"))
        );
        let (start, end) = period.instants();
        assert_eq!(start.to_rfc3339(), "2026-11-30T16:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-12-06T16:00:00+00:00");
        let one_day = Period::parse(
            Some(day("2026-03-15")),
            Some(day("2026-03-15")),
            day("2026-12-06"),
        );
        assert!(one_day.is_ok());
    }

    #[test]
    fn a_period_backwards_or_too_long_is_refused() {
        let today = day("2026-12-06");
        assert_eq!(
            codes(Period::parse(
                Some(day("2026-12-07")),
                Some(day("2026-12-06")),
                today
            )),
            [("from".to_owned(), "invalid_format")]
        );
        assert_eq!(
            codes(Period::parse(
                Some(day("2020-01-01")),
                Some(day("2026-12-06")),
                today
            )),
            [("to".to_owned(), "out_of_range")]
        );
        let ancient = NaiveDate::MIN;
        assert_eq!(
            codes(Period::parse(Some(ancient), Some(ancient), today)),
            [
                ("from".to_owned(), "out_of_range"),
                ("to".to_owned(), "out_of_range")
            ]
        );
    }

    #[test]
    fn rates_and_averages_are_rounded_and_absent_for_nothing() {
        assert_eq!(percent(1, 3), Some(Decimal::new(333, 1)));
        assert_eq!(
            percent(2, 2).map(|p| p.to_string()),
            Some("100.0".to_owned())
        );
        assert_eq!(percent(0, 0), None);
        assert_eq!(
            average_days(3 * 86_400 + 43_200, 1),
            Some(Decimal::new(35, 1))
        );
        assert_eq!(average_days(86_400, 3), Some(Decimal::new(3, 1)));
        assert_eq!(average_days(0, 0), None);
    }

    #[test]
    fn dormancy_defaults_to_half_a_year_and_is_bounded() {
        assert_eq!(dormant_days("dormant_days", None), Ok(180));
        assert_eq!(dormant_days("dormant_days", Some(1095)), Ok(1095));
        for wrong in [0, 1096] {
            let field = dormant_days("dormant_days", Some(wrong))
                .err()
                .and_then(|e| e.iter().next().map(|(f, v)| (f.to_owned(), v.code())));
            assert_eq!(
                field,
                Some(("dormant_days".to_owned(), "out_of_range")),
                "{wrong}"
            );
        }
    }

    #[test]
    fn a_month_range_runs_forwards_for_at_most_thirty_six_months() {
        let month = |text: &str| text.parse::<Month>().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            month_range(month("2026-01"), month("2028-12")),
            Ok((month("2026-01"), month("2028-12")))
        );
        let field = |r: Result<(Month, Month), FieldErrors>| {
            r.err()
                .and_then(|e| e.iter().next().map(|(f, _)| f.to_owned()))
        };
        assert_eq!(
            field(month_range(month("2026-01"), month("2029-01"))),
            Some("to".to_owned())
        );
        assert_eq!(
            field(month_range(month("2026-02"), month("2026-01"))),
            Some("from".to_owned())
        );
    }
}
