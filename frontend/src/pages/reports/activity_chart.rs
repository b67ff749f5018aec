//! Follow-ups by week as an inline SVG: one column per ISO week of the period, its height the
//! week's follow-ups (the busiest week the full height), the count above it and the week
//! (`W50`) below; the Monday's date is in the column's tooltip.

use crm_api_types::reports::ActivityReport;
use leptos::prelude::*;

use super::chart::px;
use crate::i18n::{K, use_i18n};

const WIDTH: f64 = 860.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 16.0;
const TOP: f64 = 28.0;
const BASE: f64 = 200.0;
const BAR_W: f64 = 36.0;
/// The narrowest a week may be and still carry its own label.
const LABEL_ROOM: f64 = 44.0;

#[component]
pub fn ActivityChart(report: ActivityReport) -> impl IntoView {
    let i18n = use_i18n();
    let slot = (WIDTH - 2.0 * LEFT) / report.weeks.len().max(1) as f64;
    let bar_w = BAR_W.min(slot * 0.7);
    let label_every = (LABEL_ROOM / slot).ceil().max(1.0) as usize;
    let largest = report
        .weeks
        .iter()
        .map(|w| w.count)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let columns = report
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let middle = LEFT + slot * (i as f64 + 0.5);
            let h = (BASE - TOP) * w.count as f64 / largest;
            let short = w.week.split('-').nth(1).unwrap_or(&w.week).to_owned();
            let title = format!("{} ({}): {}", w.week, w.starts_on, w.count);
            let label = (i % label_every == 0).then(|| view! {
                <text class="chart-label" x=px(middle) y=px(BASE + 18.0) text-anchor="middle">{short}</text>
            });
            let count = (w.count > 0).then(|| view! {
                <text class="chart-label activity-count" x=px(middle) y=px(BASE - h - 6.0) text-anchor="middle">
                    {w.count.to_string()}
                </text>
            });
            view! {
                <g data-testid="activity-week" data-week=w.week.clone()>
                    <rect class="activity-bar" x=px(middle - bar_w / 2.0) y=px(BASE - h) width=px(bar_w) height=px(h.max(0.5)) rx="3">
                        <title>{title}</title>
                    </rect>
                    {count}
                    {label}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="report-chart activity-chart" data-testid="activity-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=i18n.tr(K::ActivityChartTitle)>
            <line class="chart-axis" x1=px(LEFT) x2=px(WIDTH - LEFT) y1=px(BASE) y2=px(BASE)></line>
            {columns}
        </svg>
    }
}
