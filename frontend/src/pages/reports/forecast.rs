//! `/reports/forecast` (销售预测): the open pipeline by expected close month — total,
//! weighted and commit — next to what was won and the won-amount target, as grouped bars and
//! a table. The period's days name its months (default: this month and the next two); each
//! count opens the opportunities behind it.

use crm_api_types::calendar::Month;
use crm_api_types::identity::Permission;
use crm_api_types::reports::{ForecastFigures, ForecastQuery, ForecastReport};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;

use super::filters::{ReportFilterBar, ReportFilters};
use super::forecast_chart::ForecastChart;
use super::header::{ReportHeader, report_export};
use super::{
    EmptyReportRow, ReportChartCard, ReportTableCard, address, load_report, percent, use_replace,
};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::format::money;
use crate::i18n::{K, use_i18n};
use crate::load::Load;

/// Month, open, pipeline, weighted, commit, won, target, won ÷ target.
const COLUMNS: usize = 8;

fn query(f: &ReportFilters) -> ForecastQuery {
    ForecastQuery {
        format: None,
        from: f.from.map(Month::of),
        to: f.to.map(Month::of),
        currency: None,
        pipeline_id: None,
        department_id: f.department_id,
        owner_id: f.owner_id,
        region: f.region.clone(),
        industry: f.industry.clone(),
        product_category_id: f.product_category_id,
    }
}

/// The opportunities behind a month's open (or won) count, narrowed as the page is.
fn drill_href(f: &ReportFilters, first: String, last: String, won: bool) -> String {
    let period = if won {
        vec![
            ("status", Some("won".to_owned())),
            ("closed_since", Some(first)),
            ("closed_to", Some(last)),
        ]
    } else {
        vec![
            ("status", Some("open".to_owned())),
            ("close_from", Some(first)),
            ("close_to", Some(last)),
        ]
    };
    address("/opportunities", &[period, f.narrowing_pairs()].concat())
}

/// Nothing open, slipped or won in the months shown.
fn is_empty(report: &ForecastReport) -> bool {
    report.total.open_count + report.total.won_count + report.past_due.open_count == 0
}

fn completion(figures: &ForecastFigures) -> Option<Decimal> {
    let target = figures.target.filter(|t| *t > Decimal::ZERO)?;
    Some((figures.won * Decimal::ONE_HUNDRED / target).round_dp(1))
}

#[component]
pub fn ForecastPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::OpportunityRead) {
            view! { <Forecast/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Forecast() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| ReportFilters::of(|name| p.get(name))));
    let q = Memo::new(move |_| shown.with(query));
    let (report, loading) = load_report(q, move |q| async move { api.forecast(&q).await });
    let go = use_replace();
    let refine = move |filters: ReportFilters| go(address("/reports/forecast", &filters.pairs()));
    let period = Signal::derive(move || match report.get() {
        Load::Loaded(r) => format!("{} {} – {}", i18n.t(K::PeriodShown), r.from, r.to),
        _ => String::new(),
    });
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if !is_empty(r));
    let basis = move || match report.get() {
        Load::Loaded(r) => {
            let target = r
                .target_subject
                .map_or_else(|| i18n.t(K::ForecastTargetAll).to_owned(), |s| s.name);
            let mut note = format!(
                "{} ≥ {}% · {} {}",
                i18n.t(K::ForecastCommit),
                r.commit_probability,
                i18n.t(K::ForecastTargetOf),
                target
            );
            if !r.other_currencies.is_empty() {
                note.push_str(&format!(
                    " · {} {}",
                    i18n.t(K::ForecastOtherCurrencies),
                    r.other_currencies.join(", ")
                ));
            }
            note
        }
        _ => String::new(),
    };

    view! {
        <div class="page report-page">
            <ReportHeader title=K::ForecastTitle subtitle=K::ForecastSubtitle export=report_export("/reports/forecast", K::ForecastTitle, q)/>
            <ReportFilterBar filters=shown on_change=Callback::new(refine) period/>
            <p class="muted report-note" data-testid="forecast-basis">{basis}</p>
            <Show when=loaded>
                <ReportChartCard title=K::ForecastChartTitle id="forecast-chart-title">
                    {move || match report.get() {
                        Load::Loaded(found) => view! { <ForecastChart report=found/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </ReportChartCard>
            </Show>
            <ForecastTable shown report loading/>
        </div>
    }
}

#[component]
fn ForecastTable(
    shown: Memo<ReportFilters>,
    report: RwSignal<Load<ForecastReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cells = move |figures: &ForecastFigures,
                      currency: &str,
                      links: Option<(String, String)>| {
        let (open_href, won_href) = links.unzip();
        let count = |n: u64, href: Option<String>, testid: &'static str| match href {
            Some(href) if n > 0 => view! { <a href=href data-testid=testid>{n}</a> }.into_any(),
            _ => view! { <span>{n}</span> }.into_any(),
        };
        let target = figures
            .target
            .map_or_else(|| "—".to_owned(), |t| money(t, currency));
        view! {
            <td class="cell-num" data-testid="forecast-open">{count(figures.open_count, open_href, "forecast-open-link")}</td>
            <td class="cell-num" data-testid="forecast-pipeline">{money(figures.pipeline, currency)}</td>
            <td class="cell-num" data-testid="forecast-weighted">{money(figures.weighted, currency)}</td>
            <td class="cell-num" data-testid="forecast-commit">{money(figures.commit, currency)}</td>
            <td class="cell-num" data-testid="forecast-won">
                {count(figures.won_count, won_href, "forecast-won-link")}" · "{money(figures.won, currency)}
            </td>
            <td class="cell-num" data-testid="forecast-target">{target}</td>
            <td class="cell-num" data-testid="forecast-completion">{percent(completion(figures))}</td>
        }
    };
    let body = move || match report.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=3/> }.into_any(),
        Load::Loaded(found) if !is_empty(&found) => {
            let f = shown.get_untracked();
            let currency = found.currency.clone();
            let past_due = (found.past_due.open_count > 0).then(|| {
                let before = found
                    .from
                    .first_day()
                    .pred_opt()
                    .unwrap_or(found.from.first_day());
                let href = address(
                    "/opportunities",
                    &[
                        vec![
                            ("status", Some("open".to_owned())),
                            ("close_to", Some(before.to_string())),
                        ],
                        f.narrowing_pairs(),
                    ]
                    .concat(),
                );
                view! {
                    <tr data-testid="forecast-past-due" class="row-warning">
                        <th scope="row">{i18n.tr(K::ForecastPastDue)}</th>
                        {cells(&found.past_due, &currency, Some((href, String::new())))}
                    </tr>
                }
            });
            let months = found
                .months
                .iter()
                .map(|m| {
                    let (first, last) = (
                        m.month.first_day().to_string(),
                        m.month.last_day().to_string(),
                    );
                    let links = (
                        drill_href(&f, first.clone(), last.clone(), false),
                        drill_href(&f, first, last, true),
                    );
                    view! {
                        <tr data-testid="forecast-row" data-month=m.month.to_string()>
                            <th scope="row" class="cell-strong">{m.month.to_string()}</th>
                            {cells(&m.figures, &currency, Some(links))}
                        </tr>
                    }
                })
                .collect_view();
            view! { {past_due}{months} }.into_any()
        }
        other => view! {
            <EmptyReportRow
                cols=COLUMNS
                failed=matches!(other, Load::Failed)
                filtered=shown.with(ReportFilters::is_set)
                title=K::ForecastEmpty
                hint=K::ForecastEmptyHint
                testid="forecast-empty"
            />
        }
        .into_any(),
    };
    let total = move || match report.get() {
        Load::Loaded(found) if !is_empty(&found) => Some(view! {
            <tfoot>
                <tr data-testid="forecast-total">
                    <th scope="row">{i18n.tr(K::Total)}</th>
                    {cells(&found.total, &found.currency, None)}
                </tr>
            </tfoot>
        }),
        _ => None,
    };
    view! {
        <ReportTableCard title=K::ForecastTableTitle testid="forecast-table" loading>
            <thead>
                <tr>
                    <th>{i18n.tr(K::ForecastMonth)}</th>
                    <th class="cell-num">{i18n.tr(K::ForecastOpen)}</th>
                    <th class="cell-num">{i18n.tr(K::ForecastPipeline)}</th>
                    <th class="cell-num">{i18n.tr(K::ForecastWeighted)}</th>
                    <th class="cell-num">{i18n.tr(K::ForecastCommit)}</th>
                    <th class="cell-num">{i18n.tr(K::ForecastWon)}</th>
                    <th class="cell-num">{i18n.tr(K::ForecastTarget)}</th>
                    <th class="cell-num">{i18n.tr(K::ForecastCompletion)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
            {total}
        </ReportTableCard>
    }
}
