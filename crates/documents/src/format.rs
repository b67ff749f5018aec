//! Numbers and dates as printed: the template receives them as finished strings.

use chrono::NaiveDate;
use crm_api_types::quotes::DocumentLanguage;
use rust_decimal::{Decimal, RoundingStrategy};

/// Money with thousands separators and two decimals, rounded half up: `1,234,567.80`.
pub fn money(amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.2}", rounded.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{cents}", group_thousands(whole))
}

/// A quantity as entered, without trailing zeros, thousands separated: `1,500`, `2.5`.
pub fn quantity(value: Decimal) -> String {
    let text = value.normalize().abs().to_string();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(f) => format!("{sign}{}.{f}", group_thousands(whole)),
        None => format!("{sign}{}", group_thousands(whole)),
    }
}

/// A percentage without trailing zeros: `13%`, `7.5%`.
pub fn percent(value: Decimal) -> String {
    format!("{}%", value.normalize())
}

/// `2026年11月23日` in Chinese, `23 Nov 2026` in English.
pub fn date(value: NaiveDate, language: DocumentLanguage) -> String {
    match language {
        DocumentLanguage::ZhCn => value.format("%Y年%-m月%-d日").to_string(),
        DocumentLanguage::En => value.format("%-d %b %Y").to_string(),
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn money_has_separators_and_two_decimals() {
        for (value, printed) in [
            ("0", "0.00"),
            ("5", "5.00"),
            ("999.5", "999.50"),
            ("1000", "1,000.00"),
            ("1234567.8", "1,234,567.80"),
            ("100300", "100,300.00"),
            ("123456789012.345", "123,456,789,012.35"),
            ("0.005", "0.01"),
            ("-1234.5", "-1,234.50"),
            ("-0.001", "0.00"),
        ] {
            assert_eq!(money(dec(value)), printed, "{value}");
        }
    }

    #[test]
    fn quantities_and_percents_drop_trailing_zeros() {
        assert_eq!(quantity(dec("2.000")), "2");
        assert_eq!(quantity(dec("2.50")), "2.5");
        assert_eq!(quantity(dec("1500")), "1,500");
        assert_eq!(quantity(dec("12345.125")), "12,345.125");
        assert_eq!(percent(dec("13.00")), "13%");
        assert_eq!(percent(dec("7.50")), "7.5%");
        assert_eq!(percent(dec("0.13") * Decimal::ONE_HUNDRED), "13%");
    }

    #[test]
    fn dates_per_language() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap_or_default();
        assert_eq!(date(day, DocumentLanguage::ZhCn), "2026年3月5日");
        assert_eq!(date(day, DocumentLanguage::En), "5 Mar 2026");
    }
}
