//! 大写金额: an amount in Chinese financial capitals, as written on quotes, contracts and
//! cheques (the rules of the PBoC's 《支付结算办法》 as banks apply them).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const TEN_THOUSAND: u128 = 10_000;
const HUNDRED_MILLION: u128 = 100_000_000;

/// The amount in financial capitals, rounded half up to the fen first:
/// `100300` → 壹拾万零叁佰元整, `1000.05` → 壹仟元零伍分, `-3.5` → 负叁元伍角.
///
/// Choices where usage varies, following the common bank form: an amount under one yuan
/// starts at its first non-zero unit (`0.05` → 伍分, not 零元伍分); 整 follows 元 only
/// (`1010.50` → 壹仟零壹拾元伍角); tens keep their 壹 (`10` → 壹拾元整); a zero 角 before a
/// non-zero 分 is written 零 (`20000.01` → 贰万元零壹分). 10¹² is 壹万亿; larger amounts go
/// on with 亿亿.
pub fn amount_in_words_zh(amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let abs = rounded.abs();
    let yuan = abs.trunc();
    // A Decimal is below 2^96, so its integer part always fits in a u128.
    let whole = yuan.to_u128().unwrap_or_default();
    let cents = ((abs - yuan) * Decimal::ONE_HUNDRED)
        .to_u32()
        .unwrap_or_default();
    let (jiao, fen) = (cents / 10, cents % 10);

    let mut out = String::new();
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('负');
    }
    if whole == 0 && cents == 0 {
        out.push_str("零元整");
        return out;
    }
    if whole > 0 {
        out.push_str(&integer_words(whole));
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) => out.push('整'),
        (0, f) => {
            if whole > 0 {
                out.push('零');
            }
            push_digit(&mut out, f);
            out.push('分');
        }
        (j, f) => {
            push_digit(&mut out, j);
            out.push('角');
            if f > 0 {
                push_digit(&mut out, f);
                out.push('分');
            }
        }
    }
    out
}

/// A positive integer: groups of 亿, each split into 万 and four-digit groups; a 零 stands
/// for any run of zeros between non-zero digits, also across group boundaries.
fn integer_words(n: u128) -> String {
    let (high, low) = (n / HUNDRED_MILLION, n % HUNDRED_MILLION);
    if high == 0 {
        return below_hundred_million(low);
    }
    let mut out = integer_words(high);
    out.push('亿');
    if low > 0 {
        if low < HUNDRED_MILLION / 10 {
            out.push('零');
        }
        out.push_str(&below_hundred_million(low));
    }
    out
}

fn below_hundred_million(n: u128) -> String {
    let (high, low) = (n / TEN_THOUSAND, n % TEN_THOUSAND);
    if high == 0 {
        return four_digits(low);
    }
    let mut out = four_digits(high);
    out.push('万');
    if low > 0 {
        if low < TEN_THOUSAND / 10 {
            out.push('零');
        }
        out.push_str(&four_digits(low));
    }
    out
}

/// 1–9999 without leading zeros: `1005` → 壹仟零伍, `10` → 壹拾, `110` → 壹佰壹拾.
fn four_digits(n: u128) -> String {
    const UNITS: [&str; 4] = ["仟", "佰", "拾", ""];
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, unit) in UNITS.iter().enumerate() {
        let digit = (n / 10u128.pow(3 - i as u32)) % 10;
        if digit == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        push_digit(&mut out, digit as u32);
        out.push_str(unit);
    }
    out
}

fn push_digit(out: &mut String, digit: u32) {
    out.push(DIGITS[digit as usize % 10]);
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn amounts_in_financial_capitals() {
        let cases = [
            ("0", "零元整"),
            ("0.00", "零元整"),
            ("0.004", "零元整"),
            ("-0.004", "零元整"),
            ("0.005", "壹分"),
            ("0.5", "伍角"),
            ("0.05", "伍分"),
            ("0.55", "伍角伍分"),
            ("1", "壹元整"),
            ("1.00", "壹元整"),
            ("9", "玖元整"),
            ("10", "壹拾元整"),
            ("11", "壹拾壹元整"),
            ("20", "贰拾元整"),
            ("101", "壹佰零壹元整"),
            ("110", "壹佰壹拾元整"),
            ("1005", "壹仟零伍元整"),
            ("1010", "壹仟零壹拾元整"),
            ("1010.50", "壹仟零壹拾元伍角"),
            ("1000.05", "壹仟元零伍分"),
            ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
            ("9999.99", "玖仟玖佰玖拾玖元玖角玖分"),
            ("10000", "壹万元整"),
            ("10001", "壹万零壹元整"),
            ("10010", "壹万零壹拾元整"),
            ("10100", "壹万零壹佰元整"),
            ("11000", "壹万壹仟元整"),
            ("20000.01", "贰万元零壹分"),
            ("100300", "壹拾万零叁佰元整"),
            ("105000", "壹拾万伍仟元整"),
            ("680000.00", "陆拾捌万元整"),
            ("1000000", "壹佰万元整"),
            ("1234567.80", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角"),
            ("60000000", "陆仟万元整"),
            ("100000000", "壹亿元整"),
            ("100000001", "壹亿零壹元整"),
            ("100010000", "壹亿零壹万元整"),
            ("101000000", "壹亿零壹佰万元整"),
            ("110000000", "壹亿壹仟万元整"),
            (
                "123456789.12",
                "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分",
            ),
            ("1000000000", "壹拾亿元整"),
            ("100000000000", "壹仟亿元整"),
            ("1000000000000", "壹万亿元整"),
            ("1000000010000", "壹万亿零壹万元整"),
            ("1234500000000", "壹万贰仟叁佰肆拾伍亿元整"),
            ("1000100000000", "壹万零壹亿元整"),
            ("1000000000000.01", "壹万亿元零壹分"),
            ("10000000000000000", "壹亿亿元整"),
            // Half up, away from zero, at the fen.
            ("1.005", "壹元零壹分"),
            ("1.004", "壹元整"),
            ("2.675", "贰元陆角捌分"),
            ("0.995", "壹元整"),
            ("99999.995", "壹拾万元整"),
            ("-1", "负壹元整"),
            ("-3.5", "负叁元伍角"),
            ("-100300", "负壹拾万零叁佰元整"),
            ("-0.05", "负伍分"),
        ];
        for (amount, words) in cases {
            let value = Decimal::from_str(amount).unwrap_or_else(|e| panic!("{amount}: {e}"));
            assert_eq!(amount_in_words_zh(value), words, "{amount}");
        }
    }

    #[test]
    fn the_largest_decimal_does_not_panic() {
        let words = amount_in_words_zh(Decimal::MAX);
        assert!(words.ends_with("元整"), "{words}");
        assert!(amount_in_words_zh(Decimal::MIN).starts_with('负'));
    }
}
