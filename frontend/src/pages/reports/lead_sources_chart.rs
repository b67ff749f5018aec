//! Lead sources as an inline SVG: one row per source, its leads as a pale bar (the source
//! with the most leads the full width) and, laid over it from the same start, those qualified,
//! converted and won: each stage of the way a narrower, darker bar, so a row reads as a small
//! funnel. The counts follow the bar (`12 → 8 → 5 → 2`).

use crm_api_types::reports::{LeadSourceRow, LeadSourcesReport};
use leptos::prelude::*;

use super::chart::{legend, px};
use crate::i18n::{K, source_key, use_i18n};

const WIDTH: f64 = 860.0;
/// Under the key.
const TOP: f64 = 34.0;
const LABEL_END: f64 = 120.0;
const BAR_X: f64 = 134.0;
const BAR_MAX: f64 = 500.0;
const FIGURES_X: f64 = BAR_X + BAR_MAX + 14.0;
const BAR_H: f64 = 24.0;
const STEP: f64 = BAR_H + 12.0;

/// Each stage's class and name, from all leads to won.
const STAGES: [(&str, K); 4] = [
    ("lead-sources-leads", K::LeadSourcesLeads),
    ("lead-sources-qualified", K::LeadSourcesQualified),
    ("lead-sources-converted", K::LeadSourcesConverted),
    ("lead-sources-won", K::LeadSourcesWonLeads),
];

fn counts(row: &LeadSourceRow) -> [u64; 4] {
    let f = &row.figures;
    [f.leads, f.qualified, f.converted, f.won_leads]
}

#[component]
pub fn LeadSourcesChart(report: LeadSourcesReport) -> impl IntoView {
    let i18n = use_i18n();
    let largest = report
        .rows
        .iter()
        .map(|r| r.figures.leads)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let height = TOP + report.rows.len() as f64 * STEP + 8.0;
    let rows = report
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let y = TOP + i as f64 * STEP;
            let mid = y + BAR_H / 2.0;
            let source = row.source;
            let numbers = counts(row);
            let bars = STAGES
                .iter()
                .zip(numbers)
                .enumerate()
                .map(|(k, (&(class, label), n))| {
                    // Each stage a little thinner than the one before, so all four show.
                    let inset = k as f64 * 3.0;
                    let width = BAR_MAX * n as f64 / largest;
                    let title = move || format!("{} · {}: {n}", i18n.t(source_key(source)), i18n.t(label));
                    view! {
                        <rect class=class x=px(BAR_X) y=px(y + inset) width=px(width.max(if n > 0 { 2.0 } else { 0.0 })) height=px(BAR_H - 2.0 * inset) rx="3">
                            <title>{title}</title>
                        </rect>
                    }
                })
                .collect_view();
            let figures = numbers
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(" → ");
            view! {
                <g data-testid="lead-sources-bar" data-source=source.as_str()>
                    <text x=px(LABEL_END) y=px(mid) class="chart-label lead-sources-label" text-anchor="end" dominant-baseline="central">
                        {move || i18n.t(source_key(source))}
                    </text>
                    {bars}
                    <text x=px(FIGURES_X) y=px(mid) class="chart-label lead-sources-figures" dominant-baseline="central">
                        {figures}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="report-chart lead-sources-chart"
            data-testid="lead-sources-chart"
            role="img"
            aria-label=i18n.tr(K::LeadSourcesChartTitle)
            viewBox=format!("0 0 {WIDTH} {}", px(height))
            preserveAspectRatio="xMinYMin meet"
        >
            {legend(&STAGES)}
            {rows}
        </svg>
    }
}
