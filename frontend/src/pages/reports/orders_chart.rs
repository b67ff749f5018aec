//! Order amounts as an inline SVG: one horizontal bar per row in the report's order (months
//! in order, products and customers largest first), the largest amount the full width, with
//! the amount and the number of orders beside it. A name too long for its column is cut,
//! whole in the bar's tooltip.

use crm_api_types::reports::{OrdersReport, OrdersRow};
use leptos::prelude::*;

use super::chart::{fit, number, px};
use super::orders::row_name;
use crate::format::money;
use crate::i18n::{K, use_i18n};

/// The drawing's coordinate system (`viewBox`); it scales to the card's width.
const WIDTH: f64 = 860.0;
/// Names end here (right-aligned).
const LABEL_END: f64 = 150.0;
/// How wide a name may be, in half-width characters (a Chinese one counts two).
const LABEL_UNITS: usize = 22;
/// The bars start here; the largest amount is this wide.
const BAR_X: f64 = 164.0;
const BAR_MAX: f64 = 460.0;
const FIGURES_X: f64 = BAR_X + BAR_MAX + 14.0;
const BAR_H: f64 = 24.0;
const STEP: f64 = BAR_H + 12.0;
const PAD: f64 = 8.0;

#[component]
pub fn OrdersChart(report: OrdersReport) -> impl IntoView {
    let i18n = use_i18n();
    let grouping = report.group_by;
    let largest = report
        .rows
        .iter()
        .map(|r| number(r.amount))
        .fold(0.0, f64::max)
        .max(1.0);
    let height = report.rows.len() as f64 * STEP + 2.0 * PAD;
    let currency = report.currency.clone();
    let bar = move |row: &OrdersRow, y: f64| {
        let mid = y + BAR_H / 2.0;
        let name_of = row.clone();
        let full = Signal::derive(move || row_name(i18n, grouping, &name_of));
        let width = BAR_MAX * number(row.amount).max(0.0) / largest;
        let (amount, orders) = (money(row.amount, &currency), row.orders);
        let figures = move || format!("{amount} · {}", i18n.order_count(orders));
        view! {
            <g data-testid="orders-bar" data-key=row.key.clone().unwrap_or_default()>
                <title>{full}</title>
                <text x=px(LABEL_END) y=px(mid) class="orders-label" text-anchor="end" dominant-baseline="central">
                    {move || full.with(|name| fit(name, LABEL_UNITS))}
                </text>
                <rect class="orders-bar" x=px(BAR_X) y=px(y) width=px(width.max(2.0)) height=px(BAR_H) rx="4"></rect>
                <text x=px(FIGURES_X) y=px(mid) class="orders-figures" dominant-baseline="central">
                    {figures}
                </text>
            </g>
        }
    };
    let bars = report
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| bar(row, PAD + i as f64 * STEP + (STEP - BAR_H) / 2.0))
        .collect_view();
    view! {
        <svg
            class="orders-chart"
            data-testid="orders-chart"
            role="img"
            aria-label=i18n.tr(K::OrderReportChartTitle)
            viewBox=format!("0 0 {WIDTH} {}", px(height))
            preserveAspectRatio="xMinYMin meet"
        >
            {bars}
        </svg>
    }
}
