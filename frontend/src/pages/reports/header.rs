//! The top of every report page: the tabs, one per report, then the report's title with its
//! 导出 CSV / 导出 Excel (the report's table as a file, from the API) and 打印 buttons. A tab carries the period and the narrowing over to the next report (not the
//! page's own choices: a pipeline, a grouping).

use crm_api_types::identity::Permission;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use serde::Serialize;

use super::address;
use super::filters::ReportFilters;
use crate::auth::use_session;
use crate::components::export_buttons::{Export, ExportButtons};
use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

/// Each report's address, name and the permission it needs, in the order of the tabs: adding a
/// report is one line here (and its route). The tab's `data-testid` is `report-tab-` and the
/// address's last part; a reader sees the tabs of the reports they may read.
const REPORTS: &[(&str, K, Permission)] = &[
    (
        "/reports/funnel",
        K::FunnelTitle,
        Permission::OpportunityRead,
    ),
    (
        "/reports/win-rate",
        K::WinRateTab,
        Permission::OpportunityRead,
    ),
    (
        "/reports/forecast",
        K::ForecastTitle,
        Permission::OpportunityRead,
    ),
    (
        "/reports/performance",
        K::PerformanceTitle,
        Permission::OpportunityRead,
    ),
    (
        "/reports/collections",
        K::CollectionsTitle,
        Permission::ReceivableRead,
    ),
    (
        "/reports/orders",
        K::OrderReportTitle,
        Permission::SalesOrderRead,
    ),
    (
        "/reports/customer-value",
        K::CustomerValueTitle,
        Permission::SalesOrderRead,
    ),
    (
        "/reports/lead-sources",
        K::LeadSourcesTitle,
        Permission::LeadRead,
    ),
    (
        "/reports/activity",
        K::ActivityTitle,
        Permission::CustomerRead,
    ),
];

/// The 导出 buttons' subject: the report at `path` for the page's `query`.
pub(super) fn report_export<Q>(path: &'static str, title: K, query: Memo<Q>) -> Signal<Export>
where
    Q: Serialize + Send + Sync + 'static,
{
    Signal::derive(move || Export::Report {
        path,
        title,
        query: query.with(|q| serde_json::to_value(q).unwrap_or_default()),
    })
}

#[component]
pub(super) fn ReportHeader(title: K, subtitle: K, export: Signal<Export>) -> impl IntoView {
    let i18n = use_i18n();
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <ReportTabs/>
        <header class="page-header">
            <div>
                <h1>{i18n.tr(title)}</h1>
                <p class="page-subtitle">{i18n.tr(subtitle)}</p>
            </div>
            <div class="header-actions no-print">
                <ExportButtons export/>
                <button type="button" class="btn btn-secondary" data-testid="report-print" on:click=print>
                    <Icon name=IconName::Print/>
                    <span>{i18n.tr(K::Print)}</span>
                </button>
            </div>
        </header>
    }
}

#[component]
fn ReportTabs() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let params = use_query_map();
    let session = use_session();
    let tabs = REPORTS
        .iter()
        .filter(|(_, _, needs)| session.can(*needs))
        .map(|&(path, label, _)| {
            let active = move || location.pathname.get() == path;
            let href = move || {
                params.with(|p| address(path, &ReportFilters::of(|name| p.get(name)).pairs()))
            };
            let testid = format!("report-tab-{}", path.rsplit('/').next().unwrap_or(path));
            view! {
                <a
                    href=href
                    class="tab"
                    class:active=active
                    aria-current=move || active().then_some("page")
                    data-testid=testid
                >
                    {i18n.tr(label)}
                </a>
            }
        })
        .collect_view();
    view! { <nav class="tabs no-print" aria-label=i18n.tr(K::NavReports)>{tabs}</nav> }
}
