//! `/reports/collections` (回款分析): per month, the instalments that fell due and how much of
//! them has been collected (回款率), and the payments that came in, as paired bars and a table;
//! above them the days sales outstanding over the period and the way to the aging table. The
//! period's days name its months (default: this month and the five before). An outstanding
//! amount opens the open instalments behind it, a received amount the payments.

use chrono::NaiveDate;
use crm_api_types::calendar::Month;
use crm_api_types::identity::Permission;
use crm_api_types::reports::{CollectionFigures, CollectionsQuery, CollectionsReport};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::collections_chart::CollectionsChart;
use super::filters::{ReportFilterBar, ReportFilters};
use super::header::{ReportHeader, report_export};
use super::{
    CurrencyPicker, EmptyReportRow, ReportChartCard, ReportTableCard, address, currency_pair,
    currency_param, days, drill, figure, load_report, percent, use_replace,
};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::format::money;
use crate::i18n::{K, use_i18n};
use crate::load::Load;

/// Month, due, collected, rate, outstanding, received.
const COLUMNS: usize = 6;

/// The page's filters as the URL holds them: the shared ones (but the product category, which
/// the report does not take) and the currency.
#[derive(Debug, Clone, Default, PartialEq)]
struct CollectionsParams {
    filters: ReportFilters,
    currency: Option<String>,
}

impl CollectionsParams {
    fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            filters: ReportFilters {
                product_category_id: None,
                ..ReportFilters::of(&param)
            },
            currency: currency_param(&param),
        }
    }

    fn query(&self) -> CollectionsQuery {
        let f = self.filters.clone();
        CollectionsQuery {
            format: None,
            from: f.from.map(Month::of),
            to: f.to.map(Month::of),
            currency: self.currency.clone(),
            department_id: f.department_id,
            owner_id: f.owner_id,
            region: f.region,
            industry: f.industry,
        }
    }

    fn href(&self) -> String {
        let pairs = [
            self.filters.period_pairs(),
            vec![currency_pair(&self.currency)],
            self.filters.narrowing_pairs(),
        ]
        .concat();
        address("/reports/collections", &pairs)
    }
}

/// The open instalments behind an outstanding amount: due from `first` to `last`, owned as
/// the page narrows. None when the page narrows by the customer's region or industry, which
/// the receivables list cannot.
fn outstanding_href(f: &ReportFilters, first: NaiveDate, last: NaiveDate) -> Option<String> {
    (f.region.is_none() && f.industry.is_none()).then(|| {
        address(
            "/receivables",
            &[
                ("due_from", Some(first.to_string())),
                ("due_to", Some(last.to_string())),
                ("department_id", f.department_id.map(|v| v.to_string())),
                ("owner_id", f.owner_id.map(|v| v.to_string())),
            ],
        )
    })
}

/// The payments behind a received amount: received from `first` to `last`. The payments list
/// narrows by nothing else, so none when the page is narrowed.
fn received_href(f: &ReportFilters, first: NaiveDate, last: NaiveDate) -> Option<String> {
    (!f.is_narrowed()).then(|| {
        address(
            "/receivables/payments",
            &[
                ("received_from", Some(first.to_string())),
                ("received_to", Some(last.to_string())),
            ],
        )
    })
}

/// Nothing fell due and nothing came in during the months shown.
fn is_empty(report: &CollectionsReport) -> bool {
    report.total.due.is_zero() && report.total.received.is_zero()
}

#[component]
pub fn CollectionsPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::ReceivableRead) {
            view! { <Collections/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Collections() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| CollectionsParams::of(|name| p.get(name))));
    let query = Memo::new(move |_| shown.with(CollectionsParams::query));
    let (report, loading) = load_report(query, move |q| async move { api.collections(&q).await });
    let go = use_replace();
    let refine = move |filters: ReportFilters| {
        go(CollectionsParams {
            filters,
            ..shown.get_untracked()
        }
        .href());
    };
    let pick_currency = move |currency: String| {
        go(CollectionsParams {
            currency: Some(currency),
            ..shown.get_untracked()
        }
        .href());
    };
    let period = Signal::derive(move || match report.get() {
        Load::Loaded(r) => format!("{} {} – {}", i18n.t(K::PeriodShown), r.from, r.to),
        _ => String::new(),
    });
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if !is_empty(r));

    view! {
        <div class="page report-page">
            <ReportHeader title=K::CollectionsTitle subtitle=K::CollectionsSubtitle export=report_export("/reports/collections", K::CollectionsTitle, query)/>
            <ReportFilterBar
                filters=Memo::new(move |_| shown.with(|s| s.filters.clone()))
                on_change=Callback::new(refine)
                period
                category=false
            >
                <CurrencyPicker
                    chosen=Signal::derive(move || shown.with(|s| s.currency.clone()))
                    on_change=Callback::new(pick_currency)
                />
            </ReportFilterBar>
            <Show when=move || shown.with(|s| s.filters.is_narrowed())>
                <p class="muted report-note" data-testid="collections-drill-note">{i18n.tr(K::ReportNoDrillNote)}</p>
            </Show>
            <DsoFigures report/>
            <Show when=loaded>
                <ReportChartCard title=K::CollectionsChartTitle id="collections-chart-title">
                    {move || match report.get() {
                        Load::Loaded(found) => view! { <CollectionsChart report=found/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </ReportChartCard>
            </Show>
            <CollectionsTable shown report loading/>
        </div>
    }
}

/// DSO over the period, the two amounts it divides and its days; and the aging table, which
/// says how old what is outstanding is.
#[component]
fn DsoFigures(report: RwSignal<Load<CollectionsReport>>) -> impl IntoView {
    let i18n = use_i18n();
    move || match report.get() {
        Load::Loaded(r) => Some(view! {
            <div class="card figures report-figures" data-testid="collections-dso">
                {figure(K::DsoTitle, "dso-days", days(r.dso.dso_days))}
                {figure(K::DsoOutstanding, "dso-outstanding", money(r.dso.outstanding, &r.currency))}
                {figure(K::DsoOrdered, "dso-ordered", money(r.dso.ordered, &r.currency))}
                {figure(K::DsoDays, "dso-period-days", r.dso.days.to_string())}
                <span class="toolbar-spacer"></span>
                <a class="btn btn-secondary no-print" href="/receivables" data-testid="collections-aging-link">
                    <Icon name=IconName::Receivables/>
                    <span>{i18n.tr(K::AgingTitle)}</span>
                </a>
            </div>
        }),
        _ => None,
    }
}

/// One row per month and the total; outstanding and received amounts open their lists.
#[component]
fn CollectionsTable(
    shown: Memo<CollectionsParams>,
    report: RwSignal<Load<CollectionsReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cells = move |figures: &CollectionFigures,
                      currency: &str,
                      first: NaiveDate,
                      last: NaiveDate| {
        let f = shown.with_untracked(|s| s.filters.clone());
        let outstanding = figures.due - figures.collected;
        let outstanding_link = (!outstanding.is_zero())
            .then(|| outstanding_href(&f, first, last))
            .flatten();
        let received_link = (!figures.received.is_zero())
            .then(|| received_href(&f, first, last))
            .flatten();
        view! {
            <td class="cell-num" data-testid="collections-due">{money(figures.due, currency)}</td>
            <td class="cell-num" data-testid="collections-collected">{money(figures.collected, currency)}</td>
            <td class="cell-num" data-testid="collections-rate">{percent(figures.collection_percent)}</td>
            <td class="cell-num" data-testid="collections-outstanding">
                {drill(money(outstanding, currency), outstanding_link, "collections-outstanding-link", K::CollectionsOutstandingLink)}
            </td>
            <td class="cell-num" data-testid="collections-received">
                {drill(money(figures.received, currency), received_link, "collections-received-link", K::CollectionsReceivedLink)}
            </td>
        }
    };
    let body = move || {
        match report.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=6/> }.into_any(),
        Load::Loaded(found) if !is_empty(&found) => found
            .months
            .iter()
            .map(|m| {
                view! {
                    <tr data-testid="collections-row" data-month=m.month.to_string()>
                        <th scope="row" class="cell-strong">{m.month.to_string()}</th>
                        {cells(&m.figures, &found.currency, m.month.first_day(), m.month.last_day())}
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        other => view! {
            <EmptyReportRow
                cols=COLUMNS
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::CollectionsEmpty
                hint=K::CollectionsEmptyHint
                testid="collections-empty"
            />
        }
        .into_any(),
    }
    };
    let total = move || match report.get() {
        Load::Loaded(found) if !is_empty(&found) => Some(view! {
            <tfoot>
                <tr data-testid="collections-total">
                    <th scope="row">{i18n.tr(K::Total)}</th>
                    {cells(&found.total, &found.currency, found.from.first_day(), found.to.last_day())}
                </tr>
            </tfoot>
        }),
        _ => None,
    };
    view! {
        <ReportTableCard title=K::CollectionsTableTitle testid="collections-table" loading>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(K::ForecastMonth)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CollectionsDue)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CollectionsCollected)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CollectionsRate)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CollectionsOutstanding)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::CollectionsReceived)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
            {total}
        </ReportTableCard>
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn amounts_open_the_lists_that_can_narrow_as_the_page_does() {
        let (first, last) = (day("2026-03-01"), day("2026-03-31"));
        let owner = Uuid::nil();
        let by_owner = ReportFilters {
            owner_id: Some(owner),
            ..ReportFilters::default()
        };
        assert_eq!(
            outstanding_href(&by_owner, first, last).as_deref(),
            Some(
                format!("/receivables?due_from=2026-03-01&due_to=2026-03-31&owner_id={owner}")
                    .as_str()
            )
        );
        // The payments list cannot narrow by owner: no link rather than a longer list.
        assert_eq!(received_href(&by_owner, first, last), None);
        assert_eq!(
            received_href(&ReportFilters::default(), first, last).as_deref(),
            Some("/receivables/payments?received_from=2026-03-01&received_to=2026-03-31")
        );
        let by_region = ReportFilters {
            region: Some("华东".to_owned()),
            ..ReportFilters::default()
        };
        assert_eq!(outstanding_href(&by_region, first, last), None);
    }

    #[test]
    fn the_currency_is_in_the_url_unless_it_is_cny() {
        let shown = CollectionsParams {
            filters: ReportFilters {
                from: Some(day("2026-01-01")),
                ..ReportFilters::default()
            },
            currency: Some("USD".to_owned()),
        };
        assert_eq!(
            shown.href(),
            "/reports/collections?from=2026-01-01&currency=USD"
        );
        let cny = CollectionsParams {
            currency: Some("CNY".to_owned()),
            ..CollectionsParams::default()
        };
        assert_eq!(cny.href(), "/reports/collections");
        let url = |name: &str| match name {
            "currency" => Some("usd".to_owned()),
            "product_category_id" => Some(Uuid::nil().to_string()),
            _ => None,
        };
        assert_eq!(CollectionsParams::of(url), CollectionsParams::default());
    }
}
