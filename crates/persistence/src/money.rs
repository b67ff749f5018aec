//! Decimals as stored: `i64` counts of 1/10,000. sea-orm reads SQLite decimals through
//! `f64`, which would round money; integers are exact on both databases and sum in SQL.

use crm_domain::money::SCALE;
use rust_decimal::Decimal;

/// The stored form. Values are validated to at most four places and far below the `i64`
/// range before they get here, so nothing is lost.
pub(crate) fn to_units(value: Decimal) -> i64 {
    let mut scaled = value;
    scaled.rescale(SCALE);
    i64::try_from(scaled.mantissa()).unwrap_or(i64::MAX)
}

/// The decimal, without trailing zeros: quantities and percentages (`2`, `12.5`).
pub(crate) fn from_units(units: i64) -> Decimal {
    Decimal::new(units, SCALE).normalize()
}

/// An amount or price: to the cent at least, as invoices write them (`268000.00`,
/// `0.0125`).
pub(crate) fn money_from_units(units: i64) -> Decimal {
    crm_domain::money::to_cents_at_least(from_units(units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        for text in ["0", "1", "268000.00", "0.0125", "99999999999.9999"] {
            let value: Decimal = text.parse().unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(from_units(to_units(value)), value.normalize());
        }
        assert_eq!(
            to_units("1.5".parse().unwrap_or_else(|e| panic!("{e:?}"))),
            15_000
        );
        assert_eq!(money_from_units(2_680_000_000).to_string(), "268000.00");
        assert_eq!(money_from_units(125).to_string(), "0.0125");
    }
}
