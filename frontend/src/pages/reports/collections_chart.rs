//! Collections as an inline SVG: per month, what fell due (pale) and what of it has been
//! collected (solid) side by side on one scale, the collection rate above them. Labels are
//! `<text>` in the page's font, so they read in Chinese and print.

use crm_api_types::reports::CollectionsReport;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::chart::{legend, number, px};
use super::percent;
use crate::format::money;
use crate::i18n::{K, use_i18n};

const WIDTH: f64 = 860.0;
const HEIGHT: f64 = 260.0;
/// The plot: bars stand on `BASE` and reach up to `TOP` at the largest amount.
const LEFT: f64 = 16.0;
const TOP: f64 = 48.0;
const BASE: f64 = 220.0;
const BAR_W: f64 = 28.0;
/// The narrowest a month may be and still carry its own label.
const LABEL_ROOM: f64 = 56.0;

#[component]
pub fn CollectionsChart(report: CollectionsReport) -> impl IntoView {
    let i18n = use_i18n();
    let slot = (WIDTH - 2.0 * LEFT) / report.months.len().max(1) as f64;
    let bar_w = BAR_W.min(slot * 0.4);
    // With many months, every n-th is labelled.
    let label_every = (LABEL_ROOM / slot).ceil().max(1.0) as usize;
    let largest = report
        .months
        .iter()
        .map(|m| number(m.figures.due.max(m.figures.collected)))
        .fold(0.0, f64::max)
        .max(1.0);
    let height_of = |d: Decimal| (BASE - TOP) * number(d) / largest;
    let currency = report.currency.clone();
    let groups = report
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let middle = LEFT + slot * (i as f64 + 0.5);
            let bar = |k: f64, value: Decimal, class: &'static str, label: K| {
                let h = height_of(value);
                let title = format!("{} {}: {}", m.month, i18n.t(label), money(value, &currency));
                view! {
                    <rect class=class x=px(middle + (k - 1.0) * bar_w + (k - 0.5) * 2.0) y=px(BASE - h) width=px(bar_w) height=px(h.max(0.5))>
                        <title>{title}</title>
                    </rect>
                }
            };
            let rate = m.figures.collection_percent.map(|p| {
                let y = BASE - height_of(m.figures.due.max(m.figures.collected)) - 8.0;
                view! {
                    <text class="chart-label collections-rate" x=px(middle) y=px(y) text-anchor="middle">
                        {percent(Some(p))}
                    </text>
                }
            });
            let label = (i % label_every == 0).then(|| view! {
                <text class="chart-label" x=px(middle) y=px(BASE + 20.0) text-anchor="middle">
                    {m.month.to_string()}
                </text>
            });
            view! {
                <g data-testid="collections-bars" data-month=m.month.to_string()>
                    {bar(0.0, m.figures.due, "collections-due", K::CollectionsDue)}
                    {bar(1.0, m.figures.collected, "collections-collected", K::CollectionsCollected)}
                    {rate}
                    {label}
                </g>
            }
        })
        .collect_view();
    let legend = legend(&[
        ("collections-due", K::CollectionsDue),
        ("collections-collected", K::CollectionsCollected),
    ]);
    let rate_note = move || format!("{} %", i18n.t(K::CollectionsRate));
    view! {
        <svg class="report-chart" data-testid="collections-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=i18n.tr(K::CollectionsChartTitle)>
            {legend}
            <text class="chart-label" x=px(LEFT + 260.0) y="18">{rate_note}</text>
            <line class="chart-axis" x1=px(LEFT) x2=px(WIDTH - LEFT) y1=px(BASE) y2=px(BASE)></line>
            {groups}
        </svg>
    }
}
