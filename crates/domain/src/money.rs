//! Amounts, prices, quantities and currencies: exact decimals with at most four places.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::validation::{FieldErrors, Violation};

/// Decimal places kept for prices, amounts, quantities and percentages.
pub const SCALE: u32 = 4;

/// The largest amount or price accepted: ¥1 trillion, far past any order. Stored in
/// 1/10,000s it is 10^16, so even amount × probability (%) stays inside 64 bits.
pub const AMOUNT_MAX: i64 = 1_000_000_000_000;

/// The largest quantity on a line.
pub const QUANTITY_MAX: i64 = 1_000_000_000;

pub const DEFAULT_CURRENCY: &str = "CNY";

/// A non-negative amount or price with at most four decimal places.
pub fn check_amount(errors: &mut FieldErrors, field: &str, value: Decimal) -> Decimal {
    check(
        errors,
        field,
        value,
        Decimal::ZERO,
        Decimal::from(AMOUNT_MAX),
    )
}

/// A positive quantity with at most four decimal places.
pub fn check_quantity(errors: &mut FieldErrors, field: &str, value: Decimal) -> Decimal {
    if value <= Decimal::ZERO {
        errors.add(
            field,
            Violation::OutOfRange {
                min: 0,
                max: QUANTITY_MAX,
            },
        );
        return value;
    }
    check(
        errors,
        field,
        value,
        Decimal::ZERO,
        Decimal::from(QUANTITY_MAX),
    )
}

/// A quantity that may be nothing yet (shipped so far): 0 up to `QUANTITY_MAX`, at most four
/// decimal places.
pub fn check_count(errors: &mut FieldErrors, field: &str, value: Decimal) -> Decimal {
    check(
        errors,
        field,
        value,
        Decimal::ZERO,
        Decimal::from(QUANTITY_MAX),
    )
}

/// A sum of money changing hands (a payment, an invoice, an instalment): more than 0, at
/// most `AMOUNT_MAX`, and to the cent — no fractions of a fen.
pub fn check_cents(errors: &mut FieldErrors, field: &str, value: Decimal) -> Decimal {
    let value = value.normalize();
    if value <= Decimal::ZERO || value > Decimal::from(AMOUNT_MAX) {
        errors.add(
            field,
            Violation::OutOfRange {
                min: 0,
                max: AMOUNT_MAX,
            },
        );
    } else if value.scale() > 2 {
        errors.add(field, Violation::InvalidFormat);
    }
    value
}

/// A percentage from 0 to 100 with at most four decimal places.
pub fn check_percent(errors: &mut FieldErrors, field: &str, value: Decimal) -> Decimal {
    check(errors, field, value, Decimal::ZERO, Decimal::ONE_HUNDRED)
}

fn check(
    errors: &mut FieldErrors,
    field: &str,
    value: Decimal,
    min: Decimal,
    max: Decimal,
) -> Decimal {
    let value = value.normalize();
    if value < min || value > max {
        errors.add(
            field,
            Violation::OutOfRange {
                min: i64::try_from(min).unwrap_or(0),
                max: i64::try_from(max).unwrap_or(i64::MAX),
            },
        );
    } else if value.scale() > SCALE {
        errors.add(field, Violation::InvalidFormat);
    }
    value
}

/// An ISO 4217 code: three ASCII letters, upper-cased; `CNY` when left out.
pub fn parse_currency(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> String {
    let Some(value) = value.map(str::trim) else {
        return DEFAULT_CURRENCY.to_owned();
    };
    if value.len() != 3 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
        errors.add(field, Violation::InvalidFormat);
    }
    value.to_ascii_uppercase()
}

/// Rounds to the cent, halves away from zero (四舍五入), as invoices do.
pub fn round_cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `amount × probability%`, to the cent.
pub fn weighted(amount: Decimal, probability: u8) -> Decimal {
    to_cents_at_least(round_cents(
        amount * Decimal::from(probability) / Decimal::ONE_HUNDRED,
    ))
}

/// Shows at least two decimal places (`100` → `100.00`) without dropping finer ones.
pub fn to_cents_at_least(value: Decimal) -> Decimal {
    let mut value = value.normalize();
    if value.scale() < 2 {
        value.rescale(2);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn amounts_keep_four_places_and_refuse_more_or_negative() {
        let mut errors = FieldErrors::new();
        assert_eq!(check_amount(&mut errors, "p", d("12.3400")), d("12.34"));
        assert!(errors.is_empty());
        check_amount(&mut errors, "p", d("0.00001"));
        check_amount(&mut errors, "q", d("-1"));
        let codes: Vec<_> = errors.iter().map(|(f, v)| (f, v.code())).collect();
        assert_eq!(codes, [("p", "invalid_format"), ("q", "out_of_range")]);
    }

    #[test]
    fn sums_of_money_are_positive_and_to_the_cent() {
        let mut errors = FieldErrors::new();
        assert_eq!(check_cents(&mut errors, "a", d("384000.00")), d("384000"));
        assert!(errors.is_empty());
        check_cents(&mut errors, "zero", Decimal::ZERO);
        check_cents(&mut errors, "fen", d("0.001"));
        check_cents(&mut errors, "huge", d("1000000000000.01"));
        let codes: Vec<_> = errors.iter().map(|(f, v)| (f, v.code())).collect();
        assert_eq!(
            codes,
            [
                ("zero", "out_of_range"),
                ("fen", "invalid_format"),
                ("huge", "out_of_range")
            ]
        );
    }

    #[test]
    fn quantities_must_be_positive() {
        let mut errors = FieldErrors::new();
        check_quantity(&mut errors, "quantity", Decimal::ZERO);
        assert!(!errors.is_empty());
        let mut errors = FieldErrors::new();
        assert_eq!(check_quantity(&mut errors, "quantity", d("2.5")), d("2.5"));
        assert!(errors.is_empty());
    }

    #[test]
    fn cents_round_half_away_from_zero() {
        assert_eq!(round_cents(d("1.005")), d("1.01"));
        assert_eq!(round_cents(d("1.004")), d("1.00"));
        assert_eq!(weighted(d("100000"), 25).to_string(), "25000.00");
        assert_eq!(to_cents_at_least(d("0.0125")).to_string(), "0.0125");
        assert_eq!(weighted(d("0.03"), 50), d("0.02"));
    }

    #[test]
    fn currencies_are_three_letters() {
        let mut errors = FieldErrors::new();
        assert_eq!(parse_currency(&mut errors, "currency", None), "CNY");
        assert_eq!(parse_currency(&mut errors, "currency", Some("usd")), "USD");
        assert!(errors.is_empty());
        parse_currency(&mut errors, "currency", Some("人民币"));
        assert!(!errors.is_empty());
    }
}
