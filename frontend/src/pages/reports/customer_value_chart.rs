//! The customer value charts as inline SVG. The Pareto chart: the largest customers' revenue
//! as bars in rank order, coloured by their ABC class, and the cumulative share of revenue as
//! a line over them on a 0–100 % scale, with the class limits (80 %, 95 %) dashed across.
//! The cohort chart: new and repeat customers' revenue as two bars on one scale.

use crm_api_types::reports::{CustomerCohort, CustomerValueReport, ValueClass};
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::chart::{fit, legend, number, px};
use super::percent;
use crate::format::money;
use crate::i18n::{K, use_i18n};

const WIDTH: f64 = 860.0;
const HEIGHT: f64 = 290.0;
/// The plot: bars stand on `BASE` and reach up to `TOP` at the largest revenue; the
/// cumulative line runs from 0 % at `BASE` to 100 % at `TOP`, its scale on the right.
const LEFT: f64 = 16.0;
const RIGHT: f64 = 52.0;
const TOP: f64 = 44.0;
const BASE: f64 = 250.0;
const BAR_W: f64 = 28.0;

/// The class's bar colour (`value-a`…) and name.
pub(super) fn class_style(class: ValueClass) -> (&'static str, K) {
    match class {
        ValueClass::A => ("value-a", K::ValueClassA),
        ValueClass::B => ("value-b", K::ValueClassB),
        ValueClass::C => ("value-c", K::ValueClassC),
    }
}

/// The class's letter, as tables show it.
pub(super) fn class_letter(class: ValueClass) -> &'static str {
    match class {
        ValueClass::A => "A",
        ValueClass::B => "B",
        ValueClass::C => "C",
    }
}

#[component]
pub fn ParetoChart(report: CustomerValueReport) -> impl IntoView {
    let i18n = use_i18n();
    let slot = (WIDTH - LEFT - RIGHT) / report.top.len().max(1) as f64;
    let bar_w = BAR_W.min(slot * 0.7);
    let largest = report
        .top
        .iter()
        .map(|c| number(c.revenue))
        .fold(0.0, f64::max)
        .max(1.0);
    let height_of = |d: Decimal| (BASE - TOP) * number(d).max(0.0) / largest;
    let share_y = |p: Decimal| BASE - (BASE - TOP) * number(p).clamp(0.0, 100.0) / 100.0;
    let middle = |i: usize| LEFT + slot * (i as f64 + 0.5);
    let currency = report.currency.clone();
    let bars = report
        .top
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let h = height_of(c.revenue);
            let (class, _) = class_style(c.class);
            let title = format!(
                "{}. {} · {} · {} {}",
                c.rank,
                c.name,
                money(c.revenue, &currency),
                i18n.t(K::CustomerValueCumulative),
                percent(c.cumulative_percent)
            );
            view! {
                <g data-testid="value-pareto-bar" data-key=c.customer_id.to_string() data-class=class_letter(c.class)>
                    <title>{title}</title>
                    <rect class=class x=px(middle(i) - bar_w / 2.0) y=px(BASE - h) width=px(bar_w) height=px(h.max(0.5))></rect>
                    <text class="chart-label" x=px(middle(i)) y=px(BASE + 16.0) text-anchor="middle">{c.rank.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    let points: Vec<String> = report
        .top
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            c.cumulative_percent
                .map(|p| format!("{},{}", px(middle(i)), px(share_y(p))))
        })
        .collect();
    let dots = report
        .top
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            c.cumulative_percent.map(|p| {
                view! { <circle class="value-cumulative-dot" cx=px(middle(i)) cy=px(share_y(p)) r="3"></circle> }
            })
        })
        .collect_view();
    // The class limits, named at their left end; the line's scale on the right.
    let limit = |percent: i64| {
        let y = share_y(Decimal::from(percent));
        view! {
            <line class="value-limit" x1=px(LEFT) x2=px(WIDTH - RIGHT) y1=px(y) y2=px(y)></line>
            <text class="chart-label" x=px(LEFT + 2.0) y=px(y - 4.0)>{format!("{percent}%")}</text>
        }
    };
    let scale = [0, 50, 100]
        .into_iter()
        .map(|percent| {
            let y = px(share_y(Decimal::from(percent)));
            view! {
                <text class="chart-label" x=px(WIDTH - RIGHT + 8.0) y=y dominant-baseline="central">{format!("{percent}%")}</text>
            }
        })
        .collect_view();
    let legend = legend(&[
        ("value-a", K::ValueClassA),
        ("value-b", K::ValueClassB),
        ("value-c", K::ValueClassC),
    ]);
    let cumulative_x = 16.0 + 3.0 * 130.0;
    view! {
        <svg class="report-chart" data-testid="value-pareto" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=i18n.tr(K::CustomerValueParetoTitle)>
            {legend}
            <line class="value-cumulative" x1=px(cumulative_x) x2=px(cumulative_x + 14.0) y1="14" y2="14"></line>
            <text class="chart-label" x=px(cumulative_x + 20.0) y="18">{i18n.tr(K::CustomerValueCumulative)}</text>
            <line class="chart-axis" x1=px(LEFT) x2=px(WIDTH - RIGHT) y1=px(BASE) y2=px(BASE)></line>
            {limit(80)}
            {limit(95)}
            {scale}
            {bars}
            <polyline class="value-cumulative" data-testid="value-cumulative" points=points.join(" ")></polyline>
            {dots}
        </svg>
    }
}

/// New against repeat customers: one bar each, the larger revenue the full width, with the
/// number of customers and the revenue beside it.
#[component]
pub fn CohortChart(report: CustomerValueReport) -> impl IntoView {
    const LABEL_END: f64 = 150.0;
    const BAR_X: f64 = 164.0;
    const BAR_MAX: f64 = 440.0;
    const BAR_H: f64 = 26.0;
    const STEP: f64 = 40.0;
    let i18n = use_i18n();
    let cohorts: [(&'static str, K, &CustomerCohort); 2] = [
        ("new", K::CustomerValueNew, &report.new_customers),
        ("repeat", K::CustomerValueRepeat, &report.repeat_customers),
    ];
    let largest = cohorts
        .iter()
        .map(|(_, _, c)| number(c.revenue))
        .fold(0.0, f64::max)
        .max(1.0);
    let currency = report.currency.clone();
    let bars = cohorts
        .iter()
        .enumerate()
        .map(|(i, (key, label, cohort))| {
            let y = 8.0 + i as f64 * STEP;
            let mid = y + BAR_H / 2.0;
            let width = BAR_MAX * number(cohort.revenue).max(0.0) / largest;
            let figures = format!(
                "{} · {} · {}",
                money(cohort.revenue, &currency),
                percent(cohort.revenue_percent),
                i18n.customer_count(cohort.customers)
            );
            let label = *label;
            view! {
                <g data-testid="value-cohort-bar" data-key=*key>
                    <text x=px(LABEL_END) y=px(mid) class="orders-label" text-anchor="end" dominant-baseline="central">{move || fit(i18n.t(label), 22)}</text>
                    <rect class=format!("value-{key}") x=px(BAR_X) y=px(y) width=px(width.max(2.0)) height=px(BAR_H) rx="4"></rect>
                    <text x=px(BAR_X + BAR_MAX + 14.0) y=px(mid) class="orders-figures" dominant-baseline="central">{figures}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="orders-chart"
            data-testid="value-cohort-chart"
            role="img"
            aria-label=i18n.tr(K::CustomerValueCohortTitle)
            viewBox=format!("0 0 {WIDTH} {}", px(2.0 * STEP + 8.0))
            preserveAspectRatio="xMinYMin meet"
        >
            {bars}
        </svg>
    }
}
