//! A quote's arithmetic. One rounding rule: every amount is rounded once, per line, half away
//! from zero to the cent (四舍五入); every total is a plain sum of rounded line amounts, so
//! the printed lines always add up to the printed totals.

use crm_api_types::products::VatRate;
use rust_decimal::Decimal;

use crate::money::round_cents;

/// What the arithmetic needs of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pricing {
    pub quantity: Decimal,
    /// VAT included (Chinese prices are quoted 含税).
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub vat_rate: VatRate,
    /// The product's list price, when the line is a product.
    pub list_price: Option<Decimal>,
}

/// A line's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// quantity × unit price × (1 − discount).
    pub amount: Decimal,
    /// amount × (1 − header discount).
    pub net_amount: Decimal,
    /// net amount ÷ (1 + VAT rate).
    pub net_amount_excl_vat: Decimal,
    /// net amount − net amount excl. VAT.
    pub vat_amount: Decimal,
    /// See `effective_discount`.
    pub effective_discount_percent: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub lines_total: Decimal,
    pub header_discount_percent: Decimal,
    pub header_discount_amount: Decimal,
    pub total_excl_vat: Decimal,
    pub vat_amount: Decimal,
    pub total: Decimal,
}

fn off(value: Decimal, percent: Decimal) -> Decimal {
    value * (Decimal::ONE_HUNDRED - percent) / Decimal::ONE_HUNDRED
}

/// The line's amounts under a header discount.
pub fn line_amounts(line: &Pricing, header_discount_percent: Decimal) -> LineAmounts {
    let amount = round_cents(off(line.quantity * line.unit_price, line.discount_percent));
    let net_amount = round_cents(off(amount, header_discount_percent));
    let net_amount_excl_vat = round_cents(net_amount / (Decimal::ONE + line.vat_rate.rate()));
    LineAmounts {
        amount,
        net_amount,
        net_amount_excl_vat,
        vat_amount: net_amount - net_amount_excl_vat,
        effective_discount_percent: effective_discount(line, header_discount_percent),
    }
}

/// The discount an approval policy tests: the line and header discounts together, or how far
/// the net price is below the list price, whichever is more — so a price typed below the list
/// price counts as a discount, and cannot slip past a policy at 0%. Rounded to 0.01%.
pub fn effective_discount(line: &Pricing, header_discount_percent: Decimal) -> Decimal {
    let net_price = off(
        off(line.unit_price, line.discount_percent),
        header_discount_percent,
    );
    let combined = Decimal::ONE_HUNDRED
        - off(
            off(Decimal::ONE_HUNDRED, line.discount_percent),
            header_discount_percent,
        );
    let below_list = match line.list_price {
        Some(list) if list > Decimal::ZERO && net_price < list => {
            (list - net_price) * Decimal::ONE_HUNDRED / list
        }
        _ => Decimal::ZERO,
    };
    round_cents(combined.max(below_list)).normalize()
}

/// The totals of lines already computed under `header_discount_percent`.
pub fn totals(lines: &[LineAmounts], header_discount_percent: Decimal) -> Totals {
    let sum = |f: fn(&LineAmounts) -> Decimal| lines.iter().map(f).sum::<Decimal>();
    let lines_total = sum(|l| l.amount);
    let total = sum(|l| l.net_amount);
    Totals {
        lines_total,
        header_discount_percent,
        header_discount_amount: lines_total - total,
        total_excl_vat: sum(|l| l.net_amount_excl_vat),
        vat_amount: sum(|l| l.vat_amount),
        total,
    }
}

/// Every line's amounts and the totals.
pub fn compute(lines: &[Pricing], header_discount_percent: Decimal) -> (Vec<LineAmounts>, Totals) {
    let amounts: Vec<LineAmounts> = lines
        .iter()
        .map(|l| line_amounts(l, header_discount_percent))
        .collect();
    let totals = totals(&amounts, header_discount_percent);
    (amounts, totals)
}

/// The largest effective discount of any line (0 without lines).
pub fn max_discount(amounts: &[LineAmounts]) -> Decimal {
    amounts
        .iter()
        .map(|a| a.effective_discount_percent)
        .max()
        .unwrap_or(Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn line(quantity: &str, price: &str, discount: &str, rate: VatRate) -> Pricing {
        Pricing {
            quantity: d(quantity),
            unit_price: d(price),
            discount_percent: d(discount),
            vat_rate: rate,
            list_price: None,
        }
    }

    #[test]
    fn a_line_rounds_each_amount_once_to_the_cent() {
        let amounts = line_amounts(&line("3", "33.335", "0", VatRate::Goods13), d("0"));
        assert_eq!(amounts.amount, d("100.01"));
        assert_eq!(amounts.net_amount, d("100.01"));
        // 100.01 / 1.13 = 88.504…
        assert_eq!(amounts.net_amount_excl_vat, d("88.50"));
        assert_eq!(amounts.vat_amount, d("11.51"));
    }

    #[test]
    fn the_header_discount_is_taken_off_every_line() {
        let lines = [
            line("2", "268000", "5", VatRate::Goods13),
            line("1", "8000", "0", VatRate::Services6),
        ];
        let (amounts, totals) = compute(&lines, d("3"));
        assert_eq!(amounts[0].amount, d("509200.00"));
        assert_eq!(amounts[0].net_amount, d("493924.00"));
        assert_eq!(amounts[1].net_amount, d("7760.00"));
        assert_eq!(totals.lines_total, d("517200.00"));
        assert_eq!(totals.total, d("501684.00"));
        assert_eq!(totals.header_discount_amount, d("15516.00"));
        assert_eq!(totals.total_excl_vat + totals.vat_amount, totals.total);
    }

    #[test]
    fn halves_round_away_from_zero() {
        let amounts = line_amounts(&line("1", "0.125", "0", VatRate::Zero), d("0"));
        assert_eq!(amounts.amount, d("0.13"));
        assert_eq!(amounts.vat_amount, d("0"));
    }

    #[test]
    fn a_price_below_the_list_price_counts_as_a_discount() {
        let mut below = line("1", "80", "0", VatRate::Goods13);
        below.list_price = Some(d("100"));
        assert_eq!(effective_discount(&below, d("0")), d("20"));
        let mut stacked = line("1", "100", "10", VatRate::Goods13);
        stacked.list_price = Some(d("100"));
        // 1 − 0.9 × 0.9 = 19%
        assert_eq!(effective_discount(&stacked, d("10")), d("19"));
        let above = Pricing {
            list_price: Some(d("100")),
            ..line("1", "120", "5", VatRate::Goods13)
        };
        assert_eq!(effective_discount(&above, d("0")), d("5"));
    }

    fn pricing() -> impl Strategy<Value = Pricing> {
        (
            1i64..=1_000_000_000,
            0i64..=100_000_000_000,
            0i64..=10_000,
            0usize..4,
            proptest::option::of(1i64..=100_000_000_000),
        )
            .prop_map(|(q, p, disc, rate, list)| Pricing {
                quantity: Decimal::new(q, 4),
                unit_price: Decimal::new(p, 4),
                discount_percent: Decimal::new(disc, 2),
                vat_rate: VatRate::ALL[rate],
                list_price: list.map(|l| Decimal::new(l, 4)),
            })
    }

    proptest! {
        #[test]
        fn totals_always_equal_the_sum_of_the_lines(
            lines in proptest::collection::vec(pricing(), 0..40),
            header in 0i64..=10_000,
        ) {
            let header = Decimal::new(header, 2);
            let (amounts, totals) = compute(&lines, header);
            let sum = |f: fn(&LineAmounts) -> Decimal| amounts.iter().map(f).sum::<Decimal>();
            prop_assert_eq!(totals.lines_total, sum(|a| a.amount));
            prop_assert_eq!(totals.total, sum(|a| a.net_amount));
            prop_assert_eq!(totals.total_excl_vat, sum(|a| a.net_amount_excl_vat));
            prop_assert_eq!(totals.vat_amount, sum(|a| a.vat_amount));
            prop_assert_eq!(totals.total_excl_vat + totals.vat_amount, totals.total);
            prop_assert_eq!(totals.lines_total - totals.header_discount_amount, totals.total);
            for a in &amounts {
                prop_assert!(a.amount.scale() <= 2 && a.net_amount.scale() <= 2);
                prop_assert!(a.net_amount <= a.amount && a.net_amount >= Decimal::ZERO);
                prop_assert!(a.vat_amount >= Decimal::ZERO);
                prop_assert!(a.effective_discount_percent >= Decimal::ZERO);
                prop_assert!(a.effective_discount_percent <= Decimal::ONE_HUNDRED);
            }
        }
    }
}
