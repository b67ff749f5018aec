//! The filters a report's drill-down set on a list, shown as chips under the list's own
//! toolbar (报表筛选: 部门 华东销售部 · 下单日期 2026-03-01 – 2026-03-31), with the way to drop
//! them all. The list decides what each chip says.

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

/// One chip per `(what, value)`; 清除筛选 runs `on_clear`.
#[component]
pub fn ReportFilterChips(
    #[prop(into)] chips: Signal<Vec<(K, String)>>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = move || {
        chips
            .get()
            .into_iter()
            .map(|(label, value)| {
                view! {
                    <span class="filter-chip" data-testid="report-filter">
                        <span class="filter-chip-label">{i18n.tr(label)}</span>
                        <span>{value}</span>
                    </span>
                }
            })
            .collect_view()
    };
    view! {
        <div class="toolbar report-filters" data-testid="report-filters">
            <span class="filter-label">{i18n.tr(K::ReportFilters)}</span>
            {shown}
            <button type="button" class="btn btn-link" data-testid="clear-report-filters" on:click=move |_| on_clear.run(())>
                {i18n.tr(K::ClearFilters)}
            </button>
        </div>
    }
}

/// A range of days as a chip shows it: `2026-03-01 – 2026-03-31`, an open end left blank.
pub fn day_range(from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>) -> String {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    format!("{} – {}", day(from), day(to))
}
