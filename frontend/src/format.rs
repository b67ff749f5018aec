//! Display helpers: times in the browser's time zone, empty values as a dash; and the way
//! back from date and time inputs, which also speak the browser's time zone.

use chrono::{DateTime, NaiveDate, Utc};
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
