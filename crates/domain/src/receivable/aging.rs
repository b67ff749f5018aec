//! Aging (账龄): how long what is outstanding has been past its due date, in whole days
//! (China time). An instalment due today is not overdue yet.

use chrono::NaiveDate;
use crm_api_types::receivables::{AgingAmounts, AgingBucket, InstalmentStatus};
use rust_decimal::Decimal;

/// The bucket of an instalment due on `due_date` as of a day: not due until the day after
/// its due date (or while its event has not happened, `None`), then 1–30, 31–60, 61–90,
/// 91–180 and over 180 days past.
pub fn bucket(due_date: Option<NaiveDate>, as_of: NaiveDate) -> AgingBucket {
    match due_date.map_or(0, |due| (as_of - due).num_days()) {
        ..=0 => AgingBucket::NotDue,
        1..=30 => AgingBucket::Days1To30,
        31..=60 => AgingBucket::Days31To60,
        61..=90 => AgingBucket::Days61To90,
        91..=180 => AgingBucket::Days91To180,
        _ => AgingBucket::Over180,
    }
}

/// Where an instalment stands today, with its whole days overdue (0 unless overdue):
/// `Paid` with nothing outstanding, `Scheduled` without a due date, `Overdue` after the due
/// date, else `NotDue`.
pub fn instalment_status(
    outstanding: Decimal,
    due_date: Option<NaiveDate>,
    today: NaiveDate,
) -> (InstalmentStatus, u32) {
    match due_date {
        _ if outstanding <= Decimal::ZERO => (InstalmentStatus::Paid, 0),
        None => (InstalmentStatus::Scheduled, 0),
        Some(due) if due < today => {
            let days = u32::try_from((today - due).num_days()).unwrap_or(u32::MAX);
            (InstalmentStatus::Overdue, days)
        }
        Some(_) => (InstalmentStatus::NotDue, 0),
    }
}

/// Adds `value` to the bucket's amount and to the total.
pub fn add(amounts: &mut AgingAmounts, bucket: AgingBucket, value: Decimal) {
    let field = match bucket {
        AgingBucket::NotDue => &mut amounts.not_due,
        AgingBucket::Days1To30 => &mut amounts.days_1_to_30,
        AgingBucket::Days31To60 => &mut amounts.days_31_to_60,
        AgingBucket::Days61To90 => &mut amounts.days_61_to_90,
        AgingBucket::Days91To180 => &mut amounts.days_91_to_180,
        AgingBucket::Over180 => &mut amounts.over_180,
    };
    *field += value;
    amounts.total += value;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// The bucket of an instalment due `days` before 2027-07-01.
    fn days_past(days: u64) -> AgingBucket {
        let as_of = day("2027-07-01");
        let due = as_of
            .checked_sub_days(chrono::Days::new(days))
            .unwrap_or_else(|| panic!("{days}"));
        bucket(Some(due), as_of)
    }

    #[test]
    fn buckets_turn_over_after_their_last_day() {
        use AgingBucket::*;
        assert_eq!(days_past(0), NotDue, "due today is not due yet");
        assert_eq!(days_past(1), Days1To30);
        assert_eq!(days_past(30), Days1To30);
        assert_eq!(days_past(31), Days31To60);
        assert_eq!(days_past(60), Days31To60);
        assert_eq!(days_past(61), Days61To90);
        assert_eq!(days_past(90), Days61To90);
        assert_eq!(days_past(91), Days91To180);
        assert_eq!(days_past(180), Days91To180);
        assert_eq!(days_past(181), Over180);
        assert_eq!(days_past(3650), Over180);
    }

    #[test]
    fn what_is_due_later_or_not_yet_scheduled_is_not_due() {
        let as_of = day("2027-07-01");
        assert_eq!(bucket(Some(day("2027-08-01")), as_of), AgingBucket::NotDue);
        assert_eq!(bucket(None, as_of), AgingBucket::NotDue);
    }

    #[test]
    fn an_instalment_is_overdue_from_the_day_after_its_due_date() {
        let today = day("2027-07-01");
        let open = Decimal::new(100, 0);
        assert_eq!(
            instalment_status(open, Some(today), today),
            (InstalmentStatus::NotDue, 0)
        );
        assert_eq!(
            instalment_status(open, Some(day("2027-06-30")), today),
            (InstalmentStatus::Overdue, 1)
        );
        assert_eq!(
            instalment_status(open, Some(day("2027-01-01")), today),
            (InstalmentStatus::Overdue, 181)
        );
        assert_eq!(
            instalment_status(open, None, today),
            (InstalmentStatus::Scheduled, 0)
        );
        assert_eq!(
            instalment_status(Decimal::ZERO, Some(day("2027-01-01")), today),
            (InstalmentStatus::Paid, 0)
        );
    }

    #[test]
    fn adding_fills_the_bucket_and_the_total() {
        let mut amounts = AgingAmounts::default();
        add(
            &mut amounts,
            AgingBucket::Days31To60,
            Decimal::new(30000, 2),
        );
        add(&mut amounts, AgingBucket::Days31To60, Decimal::new(5000, 2));
        add(&mut amounts, AgingBucket::NotDue, Decimal::new(100, 0));
        assert_eq!(amounts.days_31_to_60, Decimal::new(350, 0));
        assert_eq!(amounts.not_due, Decimal::new(100, 0));
        assert_eq!(amounts.total, Decimal::new(450, 0));
        assert_eq!(amounts.over_180, Decimal::ZERO);
    }
}
