//! 报表 (统计分析): the reports managers read every morning. What each number means is in
//! docs/reports.md; every page keeps its filters in the URL, so a report can be linked to,
//! printed, and the back button returns to it from a drill-down. The pages share their top
//! (tabs between the reports, title, 打印: [`header`]) and the filter bar ([`filters`]).

mod activity;
mod activity_chart;
mod chart;
mod collections;
mod collections_chart;
mod customer_value;
mod customer_value_chart;
mod filters;
mod forecast;
mod forecast_chart;
mod funnel;
mod funnel_chart;
mod grouping;
mod header;
mod lead_sources;
mod lead_sources_chart;
mod orders;
mod orders_chart;
mod performance;
mod win_rate;
mod win_rate_chart;

pub use activity::ActivityReportPage;
pub use collections::CollectionsPage;
pub use collections_chart::CollectionsChart;
pub use customer_value::CustomerValuePage;
pub use forecast::ForecastPage;
pub use forecast_chart::ForecastChart;
pub use funnel::FunnelPage;
pub use funnel_chart::FunnelChart;
pub use lead_sources::LeadSourcesPage;
pub use orders::OrderReportPage;
pub use performance::PerformancePage;
pub use win_rate::WinRatePage;

use std::fmt::Write;
use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use rust_decimal::Decimal;

use crate::api::{ApiError, use_api};
use crate::components::form_field::CURRENCIES;
use crate::components::icons::IconName;
use crate::components::table::EmptyState;
use crate::format::money;
use crate::i18n::{K, use_i18n};
use crate::load::Load;

/// A query-string value as `encodeURIComponent` writes it (region and industry are Chinese).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `name=value` pairs joined into a query string, the absent ones left out.
fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={}", encode(v))))
        .collect::<Vec<_>>()
        .join("&")
}

/// `path?query`, or the bare path when no pair has a value.
fn address(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let query = query_string(pairs);
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// One amount per currency (`¥1,200,000.00 / USD 5,000.00`), `—` for none.
pub(crate) fn amounts<'a>(totals: impl IntoIterator<Item = (Decimal, &'a str)>) -> String {
    let shown: Vec<String> = totals
        .into_iter()
        .map(|(amount, currency)| money(amount, currency))
        .collect();
    if shown.is_empty() {
        "—".to_owned()
    } else {
        shown.join(" / ")
    }
}

fn percent(value: Option<Decimal>) -> String {
    value.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

/// Days to one decimal, `—` when there is nothing to average.
fn days(value: Option<Decimal>) -> String {
    value.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

/// Goes to another view of the report in place of this one: adjusting a filter is not a
/// step the back button should walk through.
fn use_replace() -> impl Fn(String) + Copy + 'static {
    let navigate = StoredValue::new_local(use_navigate());
    move |href: String| {
        navigate.with_value(|go| {
            go(
                &href,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        });
    }
}

/// The report for the filters in `query`, fetched again whenever they change. An answer that
/// arrives after a newer request went out is dropped; `loading` is on while one is under
/// way, so the previous answer stays on screen (dimmed) meanwhile.
fn load_report<Q, R, Fut>(
    query: Memo<Q>,
    fetch: impl Fn(Q) -> Fut + 'static,
) -> (RwSignal<Load<R>>, RwSignal<bool>)
where
    Q: Clone + PartialEq + Send + Sync + 'static,
    R: Send + Sync + 'static,
    Fut: Future<Output = Result<R, ApiError>> + 'static,
{
    let api = use_api();
    let report = RwSignal::new(Load::Loading);
    let loading = RwSignal::new(false);
    let seq = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let pending = fetch(query.get());
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = pending.await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            loading.set(false);
            match result {
                Ok(found) => report.set(Load::Loaded(found)),
                Err(error) => {
                    api.report(&error);
                    report.set(Load::Failed);
                }
            }
        });
    });
    (report, loading)
}

/// A report table's only row when there is nothing to show: the report could not be loaded;
/// or nothing matches the filters; or there is nothing yet (`title`, with `hint` on what makes
/// the report fill up).
#[component]
fn EmptyReportRow(
    cols: usize,
    failed: bool,
    filtered: bool,
    title: K,
    hint: K,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let (title, hint, icon) = if failed {
        (K::UnexpectedError, None, IconName::Alert)
    } else if filtered {
        (title, Some(K::ReportEmptyFilteredHint), IconName::Search)
    } else {
        (title, Some(hint), IconName::Reports)
    };
    let hint = hint.map_or_else(|| Signal::derive(String::new), |k| i18n.signal(k));
    view! {
        <tr class="empty-row">
            <td colspan=cols.to_string()>
                <EmptyState icon title=i18n.signal(title) hint testid/>
            </td>
        </tr>
    }
}

/// The currency a report reads from the URL's `currency` (absent: the API's default, CNY).
fn currency_param(param: impl Fn(&str) -> Option<String>) -> Option<String> {
    param("currency").filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
}

/// The URL's `currency`: left out for CNY, the default.
fn currency_pair(currency: &Option<String>) -> (&'static str, Option<String>) {
    ("currency", currency.clone().filter(|c| c != "CNY"))
}

/// Picks the one currency a report adds up (amounts are never converted).
#[component]
fn CurrencyPicker(
    #[prop(into)] chosen: Signal<Option<String>>,
    on_change: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let is = move |c: &str| chosen.with(|chosen| chosen.as_deref().unwrap_or("CNY") == c);
    view! {
        <select
            class="input select filter"
            data-testid="report-currency"
            aria-label=i18n.tr(K::FieldCurrency)
            on:change=move |ev| on_change.run(event_target_value(&ev))
        >
            {CURRENCIES.into_iter().map(|c| view! { <option value=c selected=move || is(c)>{c}</option> }).collect_view()}
        </select>
    }
}

/// A figure that opens the list behind it, or plain text when there is none to open (nothing
/// counted, or a list that cannot narrow the way the report does).
fn drill(text: String, href: Option<String>, testid: &'static str, title: K) -> AnyView {
    let i18n = use_i18n();
    match href {
        Some(href) => {
            view! { <a href=href data-testid=testid title=i18n.tr(title)>{text}</a> }.into_any()
        }
        None => view! { <span>{text}</span> }.into_any(),
    }
}

/// One headline figure of a report, named.
fn figure(label: K, testid: &'static str, value: String) -> impl IntoView + use<> {
    let i18n = use_i18n();
    view! {
        <div class="figure">
            <span class="figure-label">{i18n.tr(label)}</span>
            <span class="figure-value" data-testid=testid>{value}</span>
        </div>
    }
}

/// A report's chart, titled, in a card (`id` names the title for the chart's region).
#[component]
fn ReportChartCard(title: K, id: &'static str, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card report-card" aria-labelledby=id>
            <h2 class="card-title" id=id>{i18n.tr(title)}</h2>
            <div class="report-chart-wrap">{children()}</div>
        </section>
    }
}

/// A report's table, titled, in a card; dimmed while a newer answer is on its way. The
/// children are the table's head, body and foot.
#[component]
fn ReportTableCard(
    title: K,
    testid: &'static str,
    #[prop(into)] loading: Signal<bool>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{testid}-title");
    view! {
        <section class="card report-card" aria-labelledby=id.clone()>
            <h2 class="card-title" id=id.clone()>{i18n.tr(title)}</h2>
            <div class="table-wrap" class:is-loading=move || loading.get()>
                <table class="table report-table" data-testid=testid>{children()}</table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_like_encode_uri_component() {
        assert_eq!(encode("华东"), "%E5%8D%8E%E4%B8%9C");
        assert_eq!(encode("a b&c=d"), "a%20b%26c%3Dd");
        assert_eq!(
            query_string(&[
                ("a", Some("1".into())),
                ("b", None),
                ("c", Some("x y".into()))
            ]),
            "a=1&c=x%20y"
        );
        assert_eq!(
            address("/reports/funnel", &[("a", None)]),
            "/reports/funnel"
        );
    }

    #[test]
    fn amounts_are_listed_per_currency() {
        assert_eq!(amounts([]), "—");
        assert_eq!(
            amounts([
                (Decimal::new(120_000_000, 2), "CNY"),
                (Decimal::new(500_000, 2), "USD")
            ]),
            "¥1,200,000.00 / USD 5,000.00"
        );
    }
}
