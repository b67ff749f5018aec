//! Display helpers: times in the browser's time zone, empty values as a dash, money with
//! thousands separators; and the way back from date, time and number inputs, which also speak
//! the browser's time zone.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use wasm_bindgen::JsValue;

/// `2026-11-23 16:05` in the browser's local time zone (the API sends UTC).
pub fn local_datetime(at: &DateTime<Utc>) -> String {
    // f64 holds every millisecond timestamp of the next 285,000 years exactly.
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// The browser's local calendar day: what "today" means to the user.
pub fn local_today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

/// Today in China (UTC+8, no daylight saving): the day the server checks business dates
/// against (a shipment or payment may not be in the future), whatever the browser's zone.
pub fn china_today() -> NaiveDate {
    const EIGHT_HOURS_MS: f64 = 8.0 * 3600.0 * 1000.0;
    DateTime::from_timestamp_millis((js_sys::Date::now() + EIGHT_HOURS_MS) as i64)
        .map(|at| at.date_naive())
        .unwrap_or_else(local_today)
}

/// The value of an `<input type="datetime-local">` (`2026-11-23T16:05`, local time) as UTC.
pub fn parse_local_datetime(value: &str) -> Option<DateTime<Utc>> {
    // JavaScript reads a date-time without an offset as local time.
    let millis = js_sys::Date::new(&JsValue::from_str(value)).get_time();
    if millis.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

/// The text of an optional value, `—` when absent or blank.
pub fn or_dash(value: Option<&str>) -> String {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => v.to_owned(),
        _ => "—".to_owned(),
    }
}

/// A JSON value from an audit entry, as a person would write it.
pub fn json_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::String(s) if s.is_empty() => "—".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A form input's text as an optional value: blank means absent.
pub fn non_blank(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// `¥1,234,567.80` for yuan; other currencies by their code: `USD 1,234.00`.
pub fn money(amount: Decimal, currency: &str) -> String {
    let number = grouped(amount);
    match currency {
        "CNY" => format!("¥{number}"),
        other => format!("{other} {number}"),
    }
}

/// A file's size for people: `812 B`, `12.5 KB`, `3.2 MB`.
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = KB * 1024;
    // Sizes stay far below 2^52, so the float is exact enough for one decimal.
    #[allow(clippy::cast_precision_loss)]
    let scaled = |unit: u64| bytes as f64 / unit as f64;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{:.1} KB", scaled(KB))
    } else {
        format!("{:.1} MB", scaled(MB))
    }
}

/// An amount with thousands separators and two decimals: `1,234,567.80`.
pub fn grouped(amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.2}", rounded.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 1);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out.push('.');
    out.push_str(cents);
    out
}

/// A quantity or percentage as typed: `2`, `2.5`, without trailing zeros.
pub fn plain(number: Decimal) -> String {
    number.normalize().to_string()
}

/// A number typed into a form: blank is `None`, and so is anything that is not a number
/// (`Some(None)` tells the two apart for the caller's error message).
pub fn parse_decimal(text: &str) -> Option<Option<Decimal>> {
    let trimmed = text.trim().replace(',', "");
    if trimmed.is_empty() {
        return None;
    }
    Some(Decimal::from_str(&trimmed).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_default()
    }

    #[test]
    fn money_has_separators_and_two_decimals() {
        assert_eq!(money(d("1234567.8"), "CNY"), "¥1,234,567.80");
        assert_eq!(money(d("268000"), "USD"), "USD 268,000.00");
        assert_eq!(grouped(d("999.995")), "1,000.00");
        assert_eq!(grouped(d("-1200.5")), "-1,200.50");
        assert_eq!(grouped(d("0")), "0.00");
        assert_eq!(grouped(d("12")), "12.00");
    }

    #[test]
    fn typed_numbers() {
        assert_eq!(parse_decimal(" "), None);
        assert_eq!(parse_decimal("1,200.5"), Some(Some(d("1200.5"))));
        assert_eq!(parse_decimal("abc"), Some(None));
        assert_eq!(plain(d("2.500")), "2.5");
    }
}
