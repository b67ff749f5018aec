//! Calendar months and quarters, as reports and targets name them: `2026-03`, `2026-Q1`.
//! They cross the API as those strings; a malformed one fails to deserialize, so the query
//! or body is refused naming its field.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The years a month may name: business records, within what both databases store.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// A calendar month (`2026-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    /// 1–12.
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (YEARS.contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1–12.
    pub fn number(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .unwrap_or_else(|| self.first_day())
    }

    /// The month after; the last month there is stays where it is.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self::new(self.year + 1, 1).unwrap_or(self)
        } else {
            Self {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// The month `months` later (earlier when negative); none past the years a month may
    /// name.
    pub fn plus(self, months: i32) -> Option<Self> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
        Self::new(year, month)
    }

    /// Months from `self` to `last`, both included; empty when `last` comes first.
    pub fn through(self, last: Month) -> Vec<Month> {
        let mut months = Vec::new();
        let mut month = self;
        while month <= last {
            months.push(month);
            if month.next() == month {
                break;
            }
            month = month.next();
        }
        months
    }

    /// How many months `last` comes after `self` (0 for the same month).
    pub fn months_until(self, last: Month) -> i64 {
        (i64::from(last.year) - i64::from(self.year)) * 12 + i64::from(last.month)
            - i64::from(self.month)
    }

    /// The quarter the month is in.
    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            quarter: (self.month - 1) / 3 + 1,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Not a `YYYY-MM` month of the years 1900–9999.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPeriod(String);

impl fmt::Display for BadPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a month (YYYY-MM) or quarter (YYYY-Q1…Q4)",
            self.0
        )
    }
}

impl std::error::Error for BadPeriod {}

impl FromStr for Month {
    type Err = BadPeriod;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadPeriod(text.to_owned());
        let (year, month) = text.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year = year.parse().map_err(|_| bad())?;
        let month = month.parse().map_err(|_| bad())?;
        Self::new(year, month).ok_or_else(bad)
    }
}

impl TryFrom<String> for Month {
    type Error = BadPeriod;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Month> for String {
    fn from(month: Month) -> Self {
        month.to_string()
    }
}

/// A calendar quarter (`2026-Q1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    year: i32,
    /// 1–4.
    quarter: u32,
}

impl Quarter {
    pub fn year(self) -> i32 {
        self.year
    }

    /// Its three months, in order.
    pub fn months(self) -> [Month; 3] {
        let first = (self.quarter - 1) * 3 + 1;
        [0, 1, 2].map(|i| Month {
            year: self.year,
            month: first + i,
        })
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

/// What a target or a performance report covers: a month or a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TargetPeriod {
    Month(Month),
    Quarter(Quarter),
}

impl TargetPeriod {
    pub fn year(self) -> i32 {
        match self {
            Self::Month(m) => m.year(),
            Self::Quarter(q) => q.year(),
        }
    }

    /// The months it spans, in order.
    pub fn months(self) -> Vec<Month> {
        match self {
            Self::Month(m) => vec![m],
            Self::Quarter(q) => q.months().to_vec(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        self.months()[0].first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.months()[self.months().len() - 1].last_day()
    }
}

impl fmt::Display for TargetPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Month(m) => m.fmt(f),
            Self::Quarter(q) => q.fmt(f),
        }
    }
}

impl FromStr for TargetPeriod {
    type Err = BadPeriod;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadPeriod(text.to_owned());
        match text.split_once("-Q") {
            Some((year, quarter)) => {
                let year: i32 = year.parse().map_err(|_| bad())?;
                let quarter: u32 = quarter.parse().map_err(|_| bad())?;
                let valid = year.to_string().len() == 4
                    && YEARS.contains(&year)
                    && (1..=4).contains(&quarter)
                    && text.len() == 7;
                valid
                    .then_some(Self::Quarter(Quarter { year, quarter }))
                    .ok_or_else(bad)
            }
            None => text.parse().map(Self::Month),
        }
    }
}

impl TryFrom<String> for TargetPeriod {
    type Error = BadPeriod;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<TargetPeriod> for String {
    fn from(period: TargetPeriod) -> Self {
        period.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(text: &str) -> TargetPeriod {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn months_and_quarters_read_and_write_as_written() {
        for text in ["2026-03", "2026-12", "1900-01", "2026-Q1", "9999-Q4"] {
            assert_eq!(period(text).to_string(), text);
        }
        for bad in [
            "2026-13", "2026-00", "2026-3", "26-03", "2026-Q5", "2026-Q0", "2026-Q", "1899-12",
            "2026-Q1x", "+2026-Q1", "", "2026",
        ] {
            assert!(bad.parse::<TargetPeriod>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_quarter_spans_its_three_months() {
        let q = period("2026-Q4");
        assert_eq!(
            q.months()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["2026-10", "2026-11", "2026-12"]
        );
        assert_eq!(q.first_day().to_string(), "2026-10-01");
        assert_eq!(q.last_day().to_string(), "2026-12-31");
        assert_eq!(period("2028-02").last_day().to_string(), "2028-02-29");
    }

    #[test]
    fn months_run_across_years() {
        let (from, to) = (
            Month::new(2026, 11).unwrap_or_else(|| panic!()),
            Month::new(2027, 2).unwrap_or_else(|| panic!()),
        );
        assert_eq!(from.through(to).len(), 4);
        assert_eq!(from.months_until(to), 3);
        assert!(to.through(from).is_empty());
        assert_eq!(to.quarter().to_string(), "2027-Q1");
        assert_eq!(from.plus(3), Some(to));
        assert_eq!(to.plus(-3), Some(from));
        assert_eq!(
            from.plus(-11).map(|m| m.to_string()),
            Some("2025-12".to_owned())
        );
        let last = Month::new(9999, 12).unwrap_or_else(|| panic!());
        assert_eq!(last.through(last), [last]);
    }
}
