//! `/reports/performance` (业绩完成情况): won amount, order amount or collections in a month
//! or quarter against each person's or department's target, ranked, with a bar per row
//! (actual against target) and the figures beside it. Metric, period, people or departments
//! and a department live in the URL.

use chrono::Datelike;
use crm_api_types::calendar::{Month, TargetPeriod};
use crm_api_types::identity::{DepartmentResponse, Permission};
use crm_api_types::reports::{PerformanceQuery, PerformanceReport, PerformanceRow};
use crm_api_types::targets::{SubjectKind, TargetMetric};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use uuid::Uuid;

use super::header::{ReportHeader, report_export};
use super::{EmptyReportRow, address, load_report, percent, use_replace};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::format::{china_today, money};
use crate::i18n::{K, use_i18n};
use crate::load::Load;
use crate::tree::tree_order;

/// Rank, name, target, actual, completion.
const COLUMNS: usize = 5;

/// The page's choices as the URL holds them.
#[derive(Debug, Clone, PartialEq)]
struct Params {
    metric: TargetMetric,
    period: TargetPeriod,
    by: SubjectKind,
    department_id: Option<Uuid>,
}

impl Params {
    fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            metric: param("metric")
                .and_then(|m| TargetMetric::parse(&m))
                .unwrap_or_default(),
            period: param("period")
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| TargetPeriod::Month(Month::of(china_today()))),
            by: param("by")
                .and_then(|b| SubjectKind::parse(&b))
                .unwrap_or(SubjectKind::User),
            department_id: param("department_id").and_then(|d| d.parse().ok()),
        }
    }

    fn query(&self) -> PerformanceQuery {
        PerformanceQuery {
            format: None,
            metric: Some(self.metric),
            period: Some(self.period),
            by: Some(self.by),
            department_id: self.department_id,
            currency: None,
        }
    }

    fn href(&self) -> String {
        address(
            "/reports/performance",
            &[
                ("metric", Some(self.metric.as_str().to_owned())),
                ("period", Some(self.period.to_string())),
                ("by", Some(self.by.as_str().to_owned())),
                ("department_id", self.department_id.map(|d| d.to_string())),
            ],
        )
    }
}

pub(super) fn metric_key(metric: TargetMetric) -> K {
    match metric {
        TargetMetric::WonAmount => K::MetricWonAmount,
        TargetMetric::OrderAmount => K::MetricOrderAmount,
        TargetMetric::Collections => K::MetricCollections,
    }
}

/// The periods offered: this year's and last year's months and quarters, latest first.
fn periods() -> Vec<TargetPeriod> {
    let this = china_today().year();
    let mut all: Vec<TargetPeriod> = [this, this - 1]
        .into_iter()
        .flat_map(|year| {
            (1..=12)
                .filter_map(move |m| Month::new(year, m))
                .flat_map(|m| {
                    let mut p = vec![TargetPeriod::Month(m)];
                    if m.number() % 3 == 1 {
                        p.push(TargetPeriod::Quarter(m.quarter()));
                    }
                    p
                })
        })
        .filter(|p| p.first_day() <= china_today())
        .collect();
    all.sort_by(|a, b| b.first_day().cmp(&a.first_day()).then(b.cmp(a)));
    all
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::OpportunityRead) {
            view! { <Performance/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Performance() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| Params::of(|name| p.get(name))));
    let q = Memo::new(move |_| shown.with(Params::query));
    let (report, loading) = load_report(q, move |q| async move { api.performance(&q).await });
    let go = use_replace();
    let departments = RwSignal::new(Vec::<DepartmentResponse>::new());
    if session.can(Permission::UserManage) {
        spawn_local(async move {
            match api.all_departments().await {
                Ok(all) => departments.set(all),
                Err(error) => api.report(&error),
            }
        });
    }
    let change = move |edit: &dyn Fn(&mut Params)| {
        let mut p = shown.get_untracked();
        edit(&mut p);
        go(p.href());
    };
    let segment = move |active: Box<dyn Fn(&Params) -> bool + Send + Sync>,
                        label: K,
                        testid: String,
                        edit: Box<dyn Fn(&mut Params) + Send + Sync>| {
        let active = std::sync::Arc::new(active);
        let pressed = active.clone();
        view! {
            <button
                type="button"
                class="segment"
                class:active=move || shown.with(|p| active(p))
                aria-pressed=move || if shown.with(|p| pressed(p)) { "true" } else { "false" }
                data-testid=testid
                on:click=move |_| change(&*edit)
            >
                {i18n.tr(label)}
            </button>
        }
    };
    let metrics = TargetMetric::ALL
        .into_iter()
        .map(|m| {
            segment(
                Box::new(move |p| p.metric == m),
                metric_key(m),
                format!("performance-metric-{}", m.as_str()),
                Box::new(move |p| p.metric = m),
            )
        })
        .collect_view();
    let by = [
        (SubjectKind::User, K::TargetsPeople),
        (SubjectKind::Department, K::TargetsDepartments),
    ]
    .into_iter()
    .map(|(k, label)| {
        segment(
            Box::new(move |p| p.by == k),
            label,
            format!("performance-by-{}", k.as_str()),
            Box::new(move |p| p.by = k),
        )
    })
    .collect_view();
    let period_options = move || {
        periods()
            .into_iter()
            .map(|p| {
                view! { <option value=p.to_string() selected=move || shown.with(|s| s.period == p)>{p.to_string()}</option> }
            })
            .collect_view()
    };
    let department_options = move || {
        tree_order(&departments.get())
            .into_iter()
            .map(|(d, depth)| {
                let label = format!("{}{}", "　".repeat(depth), d.name);
                view! { <option value=d.id.to_string() selected=move || shown.with(|s| s.department_id == Some(d.id))>{label}</option> }
            })
            .collect_view()
    };

    view! {
        <div class="page report-page">
            <ReportHeader title=K::PerformanceTitle subtitle=K::PerformanceSubtitle export=report_export("/reports/performance", K::PerformanceTitle, q)/>
            <div class="card toolbar-card no-print">
                <div class="toolbar" data-testid="performance-filters">
                    <div class="segments" role="group">{metrics}</div>
                    <select class="input filter" data-testid="performance-period" on:change=move |ev| {
                        if let Ok(p) = event_target_value(&ev).parse::<TargetPeriod>() { change(&move |s| s.period = p); }
                    }>{period_options}</select>
                    <div class="segments" role="group">{by}</div>
                    <Show when=move || !departments.with(Vec::is_empty)>
                        <select class="input filter" data-testid="performance-department" on:change=move |ev| {
                            let id = event_target_value(&ev).parse::<Uuid>().ok();
                            change(&move |s| s.department_id = id);
                        }>
                            <option value="">{i18n.tr(K::AllDepartments)}</option>
                            {department_options}
                        </select>
                    </Show>
                </div>
            </div>
            <PerformanceTable report loading/>
        </div>
    }
}

/// The row's completion as a bar: actual against target (the target at 100 %, a bar past it
/// capped at 150 %).
fn progress(row: &PerformanceRow) -> impl IntoView + use<> {
    let share = row
        .completion_percent
        .and_then(|p| p.to_f64())
        .unwrap_or(0.0)
        .clamp(0.0, 150.0);
    let width = format!("{:.1}", share / 150.0 * 120.0);
    let done = row
        .completion_percent
        .is_some_and(|p| p >= Decimal::ONE_HUNDRED);
    view! {
        <svg class="progress-chart" viewBox="0 0 120 10" width="120" height="10" aria-hidden="true">
            <rect class="progress-track" x="0" y="0" width="120" height="10"></rect>
            <rect class="progress-bar" class:done=done x="0" y="0" width=width height="10"></rect>
            <line class="progress-target" x1="80" x2="80" y1="0" y2="10"></line>
        </svg>
    }
}

#[component]
fn PerformanceTable(
    report: RwSignal<Load<PerformanceReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || match report.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=4/> }.into_any(),
        Load::Loaded(found) if !found.rows.is_empty() => {
            let currency = found.currency.clone();
            found
                .rows
                .iter()
                .map(|row| {
                    let indent = format!("padding-left: {}rem", 0.75 + f64::from(row.depth) * 1.25);
                    let target = row.target.map_or_else(|| "—".to_owned(), |t| money(t, &currency));
                    view! {
                        <tr data-testid="performance-row" data-subject=row.subject_id.to_string()>
                            <td class="cell-num" data-testid="performance-rank">{row.rank}</td>
                            <th scope="row" class="cell-strong" style=indent data-testid="performance-name">{row.name.clone()}</th>
                            <td class="cell-num" data-testid="performance-target">{target}</td>
                            <td class="cell-num" data-testid="performance-actual">{money(row.actual, &currency)}</td>
                            <td class="cell-num" data-testid="performance-completion">
                                {progress(row)}" "{percent(row.completion_percent)}
                            </td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        }
        other => view! {
            <EmptyReportRow
                cols=COLUMNS
                failed=matches!(other, Load::Failed)
                filtered=false
                title=K::PerformanceEmpty
                hint=K::PerformanceEmptyHint
                testid="performance-empty"
            />
        }
        .into_any(),
    };
    let caption = move || match report.get() {
        Load::Loaded(r) => format!(
            "{} · {} {} – {}",
            i18n.t(metric_key(r.metric)),
            r.period,
            r.from,
            r.to
        ),
        _ => String::new(),
    };
    view! {
        <section class="card report-card" aria-labelledby="performance-table-title">
            <h2 class="card-title" id="performance-table-title">
                <span>{i18n.tr(K::PerformanceTableTitle)}</span>
                <span class="toolbar-spacer"></span>
                <span class="muted report-period" data-testid="performance-period-shown">{caption}</span>
            </h2>
            <div class="table-wrap" class:is-loading=move || loading.get()>
                <table class="table report-table" data-testid="performance-table">
                    <thead>
                        <tr>
                            <th class="cell-num">{i18n.tr(K::PerformanceRank)}</th>
                            <th>{i18n.tr(K::PerformanceSubject)}</th>
                            <th class="cell-num">{i18n.tr(K::ForecastTarget)}</th>
                            <th class="cell-num">{i18n.tr(K::PerformanceActual)}</th>
                            <th class="cell-num">{i18n.tr(K::ForecastCompletion)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
}
