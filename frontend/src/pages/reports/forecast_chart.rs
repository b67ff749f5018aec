//! The forecast as an inline SVG: per month, three bars side by side — the open pipeline,
//! its commit part and what was won — on one scale, with the month's target as a dashed line
//! across them. Labels are `<text>` in the page's font, so they read in Chinese and print.

use crm_api_types::reports::ForecastReport;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::chart::{legend, number, px};
use crate::format::money;
use crate::i18n::{K, use_i18n};

const WIDTH: f64 = 860.0;
const HEIGHT: f64 = 260.0;
/// The plot: bars stand on `BASE` and reach up to `TOP` at the largest figure.
const LEFT: f64 = 16.0;
const TOP: f64 = 36.0;
const BASE: f64 = 220.0;
const BAR_W: f64 = 22.0;

#[component]
pub fn ForecastChart(report: ForecastReport) -> impl IntoView {
    let i18n = use_i18n();
    let months = report.months.len().max(1) as f64;
    let slot = (WIDTH - 2.0 * LEFT) / months;
    let largest = report
        .months
        .iter()
        .flat_map(|m| {
            [
                m.figures.pipeline,
                m.figures.won,
                m.figures.target.unwrap_or_default(),
            ]
        })
        .map(number)
        .fold(0.0, f64::max)
        .max(1.0);
    let height_of = |d: Decimal| (BASE - TOP) * number(d) / largest;
    let currency = report.currency.clone();
    let groups = report
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x0 = LEFT + slot * i as f64 + (slot - 3.0 * BAR_W - 8.0) / 2.0;
            let bar = |k: usize, value: Decimal, class: &'static str, label: K| {
                let h = height_of(value);
                let title = format!("{} {}: {}", m.month, i18n.t(label), money(value, &currency));
                view! {
                    <rect class=class x=px(x0 + k as f64 * (BAR_W + 4.0)) y=px(BASE - h) width=px(BAR_W) height=px(h.max(0.5))>
                        <title>{title}</title>
                    </rect>
                }
            };
            let target = m.figures.target.map(|t| {
                let y = px(BASE - height_of(t));
                view! {
                    <line class="forecast-target" x1=px(x0 - 6.0) x2=px(x0 + 3.0 * BAR_W + 14.0) y1=y.clone() y2=y>
                        <title>{format!("{} {}: {}", m.month, i18n.t(K::ForecastTarget), money(t, &currency))}</title>
                    </line>
                }
            });
            view! {
                <g data-testid="forecast-bars" data-month=m.month.to_string()>
                    {bar(0, m.figures.pipeline, "forecast-pipeline", K::ForecastPipeline)}
                    {bar(1, m.figures.commit, "forecast-commit", K::ForecastCommit)}
                    {bar(2, m.figures.won, "forecast-won", K::ForecastWon)}
                    {target}
                    <text class="chart-label" x=px(LEFT + slot * (i as f64 + 0.5)) y=px(BASE + 20.0) text-anchor="middle">
                        {m.month.to_string()}
                    </text>
                </g>
            }
        })
        .collect_view();
    let legend = legend(&[
        ("forecast-pipeline", K::ForecastPipeline),
        ("forecast-commit", K::ForecastCommit),
        ("forecast-won", K::ForecastWon),
    ]);
    view! {
        <svg class="report-chart" data-testid="forecast-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=i18n.tr(K::ForecastChartTitle)>
            {legend}
            <line class="chart-axis" x1=px(LEFT) x2=px(WIDTH - LEFT) y1=px(BASE) y2=px(BASE)></line>
            {groups}
        </svg>
    }
}
