//! The CRM's rules, free of I/O: who may see what, what a valid lead or customer is, which
//! state changes a lead allows, when two companies are the same, what changed.
//!
//! The API crate turns requests into these types (parsing validates), the persistence crate
//! stores them, and neither re-checks what a type already guarantees.

pub mod activity;
pub mod approval;
pub mod attachment;
pub mod audit;
pub mod caller;
pub mod company;
pub mod contract;
pub mod customer;
pub mod error;
pub mod event;
pub mod identity;
pub mod import;
pub mod lead;
pub mod listing;
pub mod money;
pub mod opportunity;
pub mod ownership;
pub mod pipeline;
pub mod price_list;
pub mod pricing;
pub mod product;
pub mod quote;
pub mod receivable;
pub mod reconciliation;
pub mod report;
pub mod sales_order;
pub mod settings;
pub mod sync;
pub mod target;
pub mod validation;
pub mod webhook;

pub use caller::{Caller, Credential, Visibility};
pub use error::Error;
pub use validation::{FieldErrors, Violation};

/// The current instant, truncated to microseconds: PostgreSQL keeps no finer, and a value
/// that survives the round trip unchanged keeps cursors and ETags exact on both databases.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}

/// Today as the users count days: China Standard Time (UTC+8, no daylight saving). Default
/// dates (won on, price lists' validity) are business days in China, not in UTC.
pub fn today_in_china() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// The instant a day starts in China. For the first day chrono can name (a filter may ask
/// for it) that instant is out of range: the earliest instant there is stands in.
pub fn start_of_day_in_china(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .checked_sub_signed(chrono::Duration::hours(8))
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
}

/// A new time-ordered id (UUID v7): sortable, unguessable enough that ids cannot be enumerated.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Optimistic concurrency: a write that names a version (`If-Match`) must name the current one.
pub fn check_version(current: i32, if_match: Option<i32>) -> Result<(), Error> {
    match if_match {
        Some(expected) if expected != current => Err(Error::StaleVersion { current }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_day_chrono_names_starts_at_the_earliest_instant() {
        let first = super::start_of_day_in_china(chrono::NaiveDate::MIN);
        assert_eq!(first, chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
        assert_eq!(
            super::start_of_day_in_china(day).to_rfc3339(),
            "2026-12-05T16:00:00+00:00"
        );
    }
}
