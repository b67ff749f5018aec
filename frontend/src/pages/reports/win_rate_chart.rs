//! Win rates as an inline SVG: one horizontal bar per group in the report's order (the most
//! closed first), on a 0–100 % scale over a pale track, with the counts behind it; a dashed
//! line marks the overall rate. Names and figures are `<text>` in the page's font (CSS), so
//! they read in Chinese and print sharp; a name too long for its column is cut, whole in the
//! bar's tooltip.

use crm_api_types::reports::{WinRateReport, WinRateRow};
use leptos::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::chart::{fit, px};
use super::percent;
use super::win_rate::group_name;
use crate::i18n::{K, use_i18n, win_rate_grouping_key};

/// The drawing's coordinate system (`viewBox`); it scales to the card's width.
const WIDTH: f64 = 860.0;
/// Group names end here (right-aligned).
const LABEL_END: f64 = 150.0;
/// How wide a name may be, in half-width characters (a Chinese one counts two).
const LABEL_UNITS: usize = 22;
/// The bars start here; 100 % is this wide.
const BAR_X: f64 = 164.0;
const BAR_MAX: f64 = 460.0;
/// The rate and counts start here.
const FIGURES_X: f64 = BAR_X + BAR_MAX + 14.0;
const BAR_H: f64 = 24.0;
const STEP: f64 = BAR_H + 12.0;
/// Room above the bars for the scale.
const SCALE_H: f64 = 24.0;
/// Room below them for the overall rate.
const OVERALL_H: f64 = 24.0;
const PAD: f64 = 8.0;

/// Where `rate` percent falls on the scale.
fn x_of(rate: Option<Decimal>) -> f64 {
    let share = rate
        .and_then(|r| r.to_f64())
        .unwrap_or(0.0)
        .clamp(0.0, 100.0)
        / 100.0;
    BAR_X + BAR_MAX * share
}

#[component]
pub fn WinRateChart(report: WinRateReport) -> impl IntoView {
    let i18n = use_i18n();
    let grouping = report.group_by;
    let bars_bottom = SCALE_H + report.rows.len() as f64 * STEP;
    let height = bars_bottom + OVERALL_H + PAD;

    let scale = [0_u8, 25, 50, 75, 100]
        .into_iter()
        .map(|tick| {
            let x = px(x_of(Some(Decimal::from(tick))));
            view! {
                <line class="winrate-grid" x1=x.clone() x2=x.clone() y1=px(SCALE_H - 4.0) y2=px(bars_bottom)></line>
                <text class="winrate-scale" x=x y=px(SCALE_H - 10.0) text-anchor="middle">{format!("{tick}%")}</text>
            }
        })
        .collect_view();

    let bar = move |row: &WinRateRow, y: f64| {
        let end = x_of(row.win_rate_percent);
        let mid = y + BAR_H / 2.0;
        let name_of = row.clone();
        let full = Signal::derive(move || group_name(i18n, grouping, &name_of));
        let (won, lost) = (row.won, row.lost);
        let rate = percent(row.win_rate_percent);
        let figures = move || format!("{rate} · {}", i18n.won_lost(won, lost));
        view! {
            <g
                data-testid="winrate-bar"
                data-key=row.key.clone().unwrap_or_default()
                data-rate=row.win_rate_percent.map(|r| r.to_string()).unwrap_or_default()
            >
                <title>{full}</title>
                <text x=px(LABEL_END) y=px(mid) class="winrate-label" text-anchor="end" dominant-baseline="central">
                    {move || full.with(|name| fit(name, LABEL_UNITS))}
                </text>
                <rect class="winrate-track" x=px(BAR_X) y=px(y) width=px(BAR_MAX) height=px(BAR_H) rx="4"></rect>
                <rect
                    class="winrate-bar"
                    class:is-zero=row.won == 0
                    x=px(BAR_X)
                    y=px(y)
                    width=px((end - BAR_X).max(2.0))
                    height=px(BAR_H)
                    rx="4"
                ></rect>
                <text x=px(FIGURES_X) y=px(mid) class="winrate-figures" dominant-baseline="central">
                    {figures}
                </text>
            </g>
        }
    };
    let bars = report
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| bar(row, SCALE_H + i as f64 * STEP + (STEP - BAR_H) / 2.0))
        .collect_view();

    let overall = report.total.win_rate_percent.map(|rate| {
        let x = px(x_of(Some(rate)));
        let text = move || format!("{} {}", i18n.t(K::OverallWinRate), percent(Some(rate)));
        view! {
            <line class="winrate-overall" x1=x.clone() x2=x.clone() y1=px(SCALE_H - 4.0) y2=px(bars_bottom + 4.0)></line>
            <text class="winrate-overall-label" x=x y=px(bars_bottom + OVERALL_H / 2.0 + 4.0) text-anchor="middle" dominant-baseline="central" data-testid="winrate-overall">
                {text}
            </text>
        }
    });

    let rows = report.rows;
    let label = move || {
        let groups: Vec<(String, String)> = rows
            .iter()
            .map(|r| (group_name(i18n, grouping, r), percent(r.win_rate_percent)))
            .collect();
        i18n.win_rate_summary(win_rate_grouping_key(grouping), &groups)
    };

    view! {
        <svg
            class="winrate-chart"
            data-testid="winrate-chart"
            role="img"
            aria-label=label
            viewBox=format!("0 0 {WIDTH} {}", px(height))
            preserveAspectRatio="xMinYMin meet"
        >
            {scale}
            {bars}
            {overall}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_fall_on_the_scale() {
        assert!((x_of(Some(Decimal::ZERO)) - BAR_X).abs() < 1e-9);
        assert!((x_of(Some(Decimal::new(500, 1))) - (BAR_X + BAR_MAX / 2.0)).abs() < 1e-9);
        assert!((x_of(Some(Decimal::from(100))) - (BAR_X + BAR_MAX)).abs() < 1e-9);
        assert!((x_of(None) - BAR_X).abs() < 1e-9);
    }
}
