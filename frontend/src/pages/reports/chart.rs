//! What the report charts share: coordinates written short, amounts as plot numbers, and
//! names cut to the room beside a bar.

use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::i18n::{K, use_i18n};

/// Where a chart's key starts, and how far apart its entries are.
const LEGEND_X: f64 = 16.0;
const LEGEND_STEP: f64 = 130.0;

/// A coordinate to one decimal, as the `viewBox` takes it.
pub(super) fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// An amount as a plot number (a bar's length, not a figure anyone reads).
pub(super) fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A name cut to `units` half-width characters (a Chinese one counts two), with `…` when cut.
pub(super) fn fit(name: &str, units: usize) -> String {
    let width = |c: char| if c.is_ascii() { 1 } else { 2 };
    if name.chars().map(width).sum::<usize>() <= units {
        return name.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in name.chars() {
        used += width(c);
        if used > units - 2 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A chart's key along its top: per series, a swatch of its class and its name.
pub(super) fn legend(series: &[(&'static str, K)]) -> impl IntoView + use<> {
    let i18n = use_i18n();
    series
        .iter()
        .enumerate()
        .map(|(i, &(class, label))| {
            let x = LEGEND_X + i as f64 * LEGEND_STEP;
            view! {
                <rect class=class x=px(x) y="8" width="12" height="12"></rect>
                <text class="chart-label" x=px(x + 18.0) y="18">{i18n.tr(label)}</text>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_to_fit() {
        assert_eq!(fit("华东销售一部", 22), "华东销售一部");
        assert_eq!(
            fit("华东区域大客户销售一部第二组", 22),
            "华东区域大客户销售一…"
        );
        assert_eq!(fit("Zhang Wei", 22), "Zhang Wei");
        assert_eq!(
            fit("Industrial Automation Equipment", 22),
            "Industrial Automatio…"
        );
    }
}
