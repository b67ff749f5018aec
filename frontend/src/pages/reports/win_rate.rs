//! `/reports/win-rate` (赢率与销售周期): the opportunities won or lost during the period, per
//! owner, department, source or industry (`?group_by=`, default owner), as a bar chart of win
//! rates and a table with the amounts won and the average sales cycle. The filters live in
//! the URL; each won or lost count links to the opportunity list narrowed to its group.

use crm_api_types::identity::Permission;
use crm_api_types::leads::LeadSource;
use crm_api_types::pipelines::StageKind;
use crm_api_types::reports::{WinRateGrouping, WinRateQuery, WinRateReport, WinRateRow};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::filters::{ReportFilterBar, ReportFilters};
use super::grouping::{GroupingSegments, grouping_of, grouping_pair};
use super::header::{ReportHeader, report_export};
use super::win_rate_chart::WinRateChart;
use super::{EmptyReportRow, address, amounts, days, load_report, percent, use_replace};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::i18n::{I18n, K, source_key, use_i18n, win_rate_grouping_key};
use crate::load::Load;

/// Group, won, lost, win rate, won amount, average cycle.
const COLUMNS: usize = 6;

const GROUPINGS: [WinRateGrouping; 4] = [
    WinRateGrouping::Owner,
    WinRateGrouping::Department,
    WinRateGrouping::Source,
    WinRateGrouping::Industry,
];

/// The grouping as the API and the URL spell it.
fn grouping_name(grouping: WinRateGrouping) -> &'static str {
    match grouping {
        WinRateGrouping::Owner => "owner",
        WinRateGrouping::Department => "department",
        WinRateGrouping::Source => "source",
        WinRateGrouping::Industry => "industry",
    }
}

/// The opportunity list's parameter that narrows to one group.
fn list_param(grouping: WinRateGrouping) -> &'static str {
    match grouping {
        WinRateGrouping::Owner => "owner_id",
        WinRateGrouping::Department => "department_id",
        WinRateGrouping::Source => "source",
        WinRateGrouping::Industry => "industry",
    }
}

/// The page's filters as the URL holds them: the shared ones and the grouping.
#[derive(Debug, Clone, Default, PartialEq)]
struct WinRateParams {
    filters: ReportFilters,
    group_by: WinRateGrouping,
}

impl WinRateParams {
    fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            filters: ReportFilters::of(&param),
            group_by: grouping_of(param("group_by"), &GROUPINGS, grouping_name),
        }
    }

    fn query(&self) -> WinRateQuery {
        let f = self.filters.clone();
        WinRateQuery {
            format: None,
            group_by: Some(self.group_by),
            from: f.from,
            to: f.to,
            department_id: f.department_id,
            owner_id: f.owner_id,
            region: f.region,
            industry: f.industry,
            product_category_id: f.product_category_id,
        }
    }

    /// The page's address with these filters (the default grouping left out).
    fn href(&self) -> String {
        let pairs = [
            self.filters.period_pairs(),
            vec![grouping_pair(self.group_by, grouping_name)],
            self.filters.narrowing_pairs(),
        ]
        .concat();
        address("/reports/win-rate", &pairs)
    }
}

/// The opportunity list behind a won or lost count: closed that way during the report's
/// period, narrowed as the page is, and to the row's group (`key`; none for the total). A
/// group's own filter takes the place of the page's on the same field.
fn drill_href(
    filters: &ReportFilters,
    report: &WinRateReport,
    key: Option<&str>,
    status: StageKind,
) -> String {
    let mut narrowing = filters.narrowing_pairs();
    if let Some(key) = key {
        let name = list_param(report.group_by);
        match narrowing.iter_mut().find(|(n, _)| *n == name) {
            Some(pair) => pair.1 = Some(key.to_owned()),
            None => narrowing.push((name, Some(key.to_owned()))),
        }
    }
    let pairs = [
        vec![
            ("status", Some(status.as_str().to_owned())),
            ("closed_since", Some(report.from.to_string())),
            ("closed_to", Some(report.to.to_string())),
        ],
        narrowing,
    ]
    .concat();
    address("/opportunities", &pairs)
}

/// A row's group as people read it: a source by its label; a missing source or industry said
/// so. The owner's or department's name as the report gives it.
pub(super) fn group_name(i18n: I18n, grouping: WinRateGrouping, row: &WinRateRow) -> String {
    match (grouping, row.key.as_deref()) {
        (WinRateGrouping::Source, Some(key)) => LeadSource::parse(key)
            .map_or_else(|| key.to_owned(), |s| i18n.t(source_key(s)).to_owned()),
        (WinRateGrouping::Source, None) => i18n.t(K::NoSource).to_owned(),
        (WinRateGrouping::Industry, None) => i18n.t(K::NoIndustry).to_owned(),
        _ => row
            .name
            .clone()
            .or_else(|| row.key.clone())
            .unwrap_or_else(|| "—".to_owned()),
    }
}

/// Nothing won or lost in the period.
fn is_empty(report: &WinRateReport) -> bool {
    report.total.won + report.total.lost == 0
}

#[component]
pub fn WinRatePage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::OpportunityRead) {
            view! { <WinRate/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn WinRate() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| WinRateParams::of(|name| p.get(name))));
    let query = Memo::new(move |_| shown.with(WinRateParams::query));
    let (report, loading) = load_report(query, move |q| async move { api.win_rate(&q).await });
    let go = use_replace();

    let refine = move |filters: ReportFilters| {
        go(WinRateParams {
            filters,
            ..shown.get_untracked()
        }
        .href());
    };
    let period = Signal::derive(move || match report.get() {
        Load::Loaded(r) => format!(
            "{} {} – {} · {}",
            i18n.t(K::PeriodShown),
            r.from,
            r.to,
            i18n.grouped_by(win_rate_grouping_key(r.group_by))
        ),
        _ => String::new(),
    });
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if !is_empty(r));

    view! {
        <div class="page report-page">
            <ReportHeader title=K::WinRateTitle subtitle=K::WinRateSubtitle export=report_export("/reports/win-rate", K::WinRateTitle, query)/>
            <ReportFilterBar
                filters=Memo::new(move |_| shown.with(|s| s.filters.clone()))
                on_change=Callback::new(refine)
                period
            >
                <GroupingSegments
                    options=&GROUPINGS
                    chosen=Signal::derive(move || shown.with(|s| s.group_by))
                    name=grouping_name
                    label=win_rate_grouping_key
                    testid="winrate-group"
                    on_change=Callback::new(move |group_by| go(WinRateParams { group_by, ..shown.get_untracked() }.href()))
                />
            </ReportFilterBar>
            <Show when=loaded>
                <section class="card report-card" aria-labelledby="winrate-chart-title">
                    <h2 class="card-title" id="winrate-chart-title">{i18n.tr(K::WinRateChartTitle)}</h2>
                    <div class="report-chart-wrap">
                        {move || match report.get() {
                            Load::Loaded(found) => view! { <WinRateChart report=found/> }.into_any(),
                            _ => ().into_any(),
                        }}
                    </div>
                </section>
            </Show>
            <WinRateTable shown report loading/>
        </div>
    }
}

/// One row per group and the total; each won and lost count links to its opportunities.
#[component]
fn WinRateTable(
    shown: Memo<WinRateParams>,
    report: RwSignal<Load<WinRateReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    // A count, as a link when there is a list to open (none for a group the list cannot
    // single out: deals without a source or an industry).
    let count = move |n: u64, href: Option<String>, testid: &'static str| match href {
        _ if n == 0 => view! { <span class="is-zero">"0"</span> }.into_any(),
        Some(href) => view! {
            <a href=href data-testid=testid title=i18n.tr(K::ReportCountLinkTitle)>{n}</a>
        }
        .into_any(),
        None => view! { <span>{n}</span> }.into_any(),
    };
    let cells = move |row: &WinRateRow, links: Option<(String, String)>| {
        let (won_href, lost_href) = links.unzip();
        view! {
            <td class="cell-num" data-testid="winrate-won">{count(row.won, won_href, "winrate-won-link")}</td>
            <td class="cell-num" data-testid="winrate-lost">{count(row.lost, lost_href, "winrate-lost-link")}</td>
            <td class="cell-num" data-testid="winrate-rate">{percent(row.win_rate_percent)}</td>
            <td class="cell-num">{amounts(row.won_amounts.iter().map(|t| (t.amount, t.currency.as_str())))}</td>
            <td class="cell-num" data-testid="winrate-cycle">{days(row.average_cycle_days)}</td>
        }
    };
    let links = move |f: &ReportFilters, r: &WinRateReport, key: Option<&str>| {
        (
            drill_href(f, r, key, StageKind::Won),
            drill_href(f, r, key, StageKind::Lost),
        )
    };
    let body = move || match report.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=4/> }.into_any(),
        Load::Loaded(found) if !is_empty(&found) => {
            let f = shown.with_untracked(|s| s.filters.clone());
            found
                .rows
                .iter()
                .map(|row| {
                    let grouping = found.group_by;
                    let name_of = row.clone();
                    let key = row.key.as_deref();
                    view! {
                        <tr data-testid="winrate-row" data-key=key.unwrap_or_default().to_owned()>
                            <th scope="row" class="cell-strong" data-testid="winrate-name">
                                {move || group_name(i18n, grouping, &name_of)}
                            </th>
                            {cells(row, key.map(|k| links(&f, &found, Some(k))))}
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
                filtered=shown.with(|s| s.filters.is_set())
                title=K::WinRateEmpty
                hint=K::WinRateEmptyHint
                testid="winrate-empty"
            />
        }
        .into_any(),
    };
    let total = move || match report.get() {
        Load::Loaded(found) if !is_empty(&found) => {
            let f = shown.with_untracked(|s| s.filters.clone());
            Some(view! {
                <tfoot>
                    <tr data-testid="winrate-total">
                        <th scope="row">{i18n.tr(K::Total)}</th>
                        {cells(&found.total, Some(links(&f, &found, None)))}
                    </tr>
                </tfoot>
            })
        }
        _ => None,
    };
    let group_label = move || {
        let grouping = match report.get() {
            Load::Loaded(found) => found.group_by,
            _ => shown.with(|s| s.group_by),
        };
        i18n.t(win_rate_grouping_key(grouping))
    };

    view! {
        <section class="card report-card" aria-labelledby="winrate-table-title">
            <h2 class="card-title" id="winrate-table-title">
                <span>{i18n.tr(K::WinRateTableTitle)}</span>
                <span class="toolbar-spacer"></span>
                <span class="muted card-note">{i18n.tr(K::WinRateClosedNote)}</span>
            </h2>
            <div class="table-wrap" class:is-loading=move || loading.get() && !matches!(report.get(), Load::Loading)>
                <div class="progress" class:active=move || loading.get()></div>
                <table class="table report-table" data-testid="winrate-table">
                    <thead>
                        <tr>
                            <th scope="col">{group_label}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::StageWon)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::StageLost)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::WinRate)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::WonAmount)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::AverageCycleDays)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                    {total}
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;

    fn report(group_by: WinRateGrouping) -> WinRateReport {
        let row = WinRateRow {
            key: None,
            name: None,
            won: 0,
            lost: 0,
            win_rate_percent: None,
            won_amounts: Vec::new(),
            average_cycle_days: None,
        };
        WinRateReport {
            group_by,
            from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default(),
            rows: Vec::new(),
            total: row,
        }
    }

    #[test]
    fn a_count_links_to_its_groups_closed_deals() {
        let (nil, other) = (Uuid::nil(), Uuid::from_u128(1));
        let filters = ReportFilters {
            from: "2026-01-01".parse().ok(),
            owner_id: Some(other),
            region: Some("华东".to_owned()),
            ..ReportFilters::default()
        };
        let closed = "closed_since=2026-12-01&closed_to=2026-12-06";
        // The group's own filter replaces the page's on the same field…
        assert_eq!(
            drill_href(
                &filters,
                &report(WinRateGrouping::Owner),
                Some(&nil.to_string()),
                StageKind::Won
            ),
            format!("/opportunities?status=won&{closed}&owner_id={nil}&region=%E5%8D%8E%E4%B8%9C")
        );
        // …or comes after the page's narrowing.
        assert_eq!(
            drill_href(
                &filters,
                &report(WinRateGrouping::Source),
                Some("exhibition"),
                StageKind::Lost
            ),
            format!(
                "/opportunities?status=lost&{closed}&owner_id={other}&region=%E5%8D%8E%E4%B8%9C\
                 &source=exhibition"
            )
        );
        // The total: the page's narrowing only.
        assert_eq!(
            drill_href(
                &ReportFilters::default(),
                &report(WinRateGrouping::Industry),
                None,
                StageKind::Won
            ),
            format!("/opportunities?status=won&{closed}")
        );
    }

    #[test]
    fn the_grouping_is_in_the_url_unless_it_is_the_default() {
        let shown = WinRateParams {
            filters: ReportFilters {
                to: "2026-06-30".parse().ok(),
                industry: Some("机械".to_owned()),
                ..ReportFilters::default()
            },
            group_by: WinRateGrouping::Department,
        };
        let href = shown.href();
        assert_eq!(
            href,
            "/reports/win-rate?to=2026-06-30&group_by=department&industry=%E6%9C%BA%E6%A2%B0"
        );
        let url = [
            ("to", "2026-06-30"),
            ("group_by", "department"),
            ("industry", "机械"),
        ];
        let param = |name: &str| {
            url.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(WinRateParams::of(param), shown);
        assert_eq!(WinRateParams::default().href(), "/reports/win-rate");
        let unknown = WinRateParams::of(|name| (name == "group_by").then(|| "colour".to_owned()));
        assert_eq!(unknown.group_by, WinRateGrouping::Owner);
    }
}
