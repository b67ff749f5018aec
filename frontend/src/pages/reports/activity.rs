//! `/reports/activity` (跟进分析): the follow-ups recorded in the period per rep and ISO week,
//! as weekly columns and a table of reps by weeks (with their kinds); and the customers nobody
//! has followed up for more than `idle_days` (default 30): how many, which open the customer
//! list narrowed the same way, and the longest idle of them with their owners.

use crm_api_types::identity::Permission;
use crm_api_types::reports::{ActivityKindCount, ActivityQuery, ActivityReport};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::activity_chart::ActivityChart;
use super::filters::{ReportFilterBar, ReportFilters};
use super::header::{ReportHeader, report_export};
use super::{
    EmptyReportRow, ReportChartCard, ReportTableCard, address, drill, figure, load_report,
    use_replace,
};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::format::local_datetime;
use crate::i18n::{I18n, K, activity_kind_key, use_i18n};
use crate::load::Load;

/// Customer, owner, last follow-up, idle days.
const IDLE_COLUMNS: usize = 4;

/// The page's filters as the URL holds them: the period, department and owner (follow-ups
/// have no region, industry or product), and the idle days.
#[derive(Debug, Clone, Default, PartialEq)]
struct ActivityParams {
    filters: ReportFilters,
    idle_days: Option<u32>,
}

impl ActivityParams {
    fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            filters: ReportFilters {
                region: None,
                industry: None,
                product_category_id: None,
                ..ReportFilters::of(&param)
            },
            idle_days: param("idle_days").and_then(|v| v.parse().ok()),
        }
    }

    fn query(&self) -> ActivityQuery {
        let f = &self.filters;
        ActivityQuery {
            format: None,
            from: f.from,
            to: f.to,
            department_id: f.department_id,
            owner_id: f.owner_id,
            idle_days: self.idle_days,
        }
    }

    fn href(&self) -> String {
        let pairs = [
            self.filters.period_pairs(),
            vec![("idle_days", self.idle_days.map(|d| d.to_string()))],
            self.filters.narrowing_pairs(),
        ]
        .concat();
        address("/reports/activity", &pairs)
    }
}

/// The idle customers in the customer list: owned, not followed up for `days`, by the owner
/// and department the page narrows to.
fn idle_href(f: &ReportFilters, days: u32) -> String {
    address(
        "/customers",
        &[
            ("idle_days", Some(days.to_string())),
            ("owner_id", f.owner_id.map(|v| v.to_string())),
            ("department_id", f.department_id.map(|v| v.to_string())),
        ],
    )
}

/// `电话 3 · 拜访 2`.
fn kinds_text(i18n: I18n, kinds: &[ActivityKindCount]) -> String {
    if kinds.is_empty() {
        return "—".to_owned();
    }
    kinds
        .iter()
        .map(|k| format!("{} {}", i18n.t(activity_kind_key(k.kind)), k.count))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[component]
pub fn ActivityReportPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::CustomerRead) {
            view! { <Activity/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Activity() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| ActivityParams::of(|name| p.get(name))));
    let query = Memo::new(move |_| shown.with(ActivityParams::query));
    let (report, loading) =
        load_report(query, move |q| async move { api.activity_report(&q).await });
    let go = use_replace();
    let refine = move |filters: ReportFilters| {
        go(ActivityParams {
            filters,
            ..shown.get_untracked()
        }
        .href());
    };
    let pick_days = move |days: Option<u32>| {
        go(ActivityParams {
            idle_days: days,
            ..shown.get_untracked()
        }
        .href());
    };
    let period = Signal::derive(move || match report.get() {
        Load::Loaded(r) => format!("{} {} – {}", i18n.t(K::PeriodShown), r.from, r.to),
        _ => String::new(),
    });
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if r.total > 0);

    view! {
        <div class="page report-page">
            <ReportHeader title=K::ActivityTitle subtitle=K::ActivitySubtitle export=report_export("/reports/activity", K::ActivityTitle, query)/>
            <ReportFilterBar
                filters=Memo::new(move |_| shown.with(|s| s.filters.clone()))
                on_change=Callback::new(refine)
                period
                category=false
                places=false
            >
                <label class="filter-date">
                    <span class="filter-label">{i18n.tr(K::IdleDaysLabel)}</span>
                    <input
                        type="number"
                        class="input filter filter-number"
                        min="1"
                        max="3650"
                        data-testid="report-idle-days"
                        placeholder="30"
                        prop:value=move || shown.with(|s| s.idle_days.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| pick_days(event_target_value(&ev).trim().parse().ok())
                    />
                </label>
            </ReportFilterBar>
            <ActivityFigures shown report/>
            <p class="muted report-note">{i18n.tr(K::ActivityWeekNote)}</p>
            <Show when=loaded>
                <ReportChartCard title=K::ActivityChartTitle id="activity-chart-title">
                    {move || match report.get() {
                        Load::Loaded(found) => view! { <ActivityChart report=found/> }.into_any(),
                        _ => ().into_any(),
                    }}
                </ReportChartCard>
            </Show>
            <RepsTable shown report loading/>
            <IdleTable shown report loading/>
        </div>
    }
}

/// The period's follow-ups, and how many customers are idle (opening them in the list).
#[component]
fn ActivityFigures(
    shown: Memo<ActivityParams>,
    report: RwSignal<Load<ActivityReport>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match report.get() {
        Load::Loaded(r) => {
            let f = shown.with_untracked(|s| s.filters.clone());
            let days = r.idle.idle_days;
            let link = (r.idle.count > 0).then(|| idle_href(&f, days));
            Some(view! {
                <div class="card figures report-figures" data-testid="activity-figures">
                    {figure(K::ActivityTotal, "activity-total", r.total.to_string())}
                    <div class="figure">
                        <span class="figure-label">{move || format!("{} · {}", i18n.t(K::IdleTitle), i18n.days_count(days))}</span>
                        <span class="figure-value" data-testid="activity-idle-count">
                            {drill(r.idle.count.to_string(), link, "activity-idle-link", K::IdleLink)}
                        </span>
                    </div>
                </div>
            })
        }
        _ => None,
    }
}

/// Reps down the side, the weeks across, with each rep's total and kinds; the weeks' totals
/// at the foot.
#[component]
fn RepsTable(
    shown: Memo<ActivityParams>,
    report: RwSignal<Load<ActivityReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let weeks = move || match report.get() {
        Load::Loaded(r) => r.weeks,
        _ => Vec::new(),
    };
    let head = move || {
        weeks()
            .into_iter()
            .map(|w| {
                let short = w.week.split('-').nth(1).unwrap_or(&w.week).to_owned();
                view! {
                    <th scope="col" class="cell-num" title=format!("{} · {}", w.week, w.starts_on) data-testid="activity-week-head">
                        {short}
                    </th>
                }
            })
            .collect_view()
    };
    let cols = move || weeks().len() + 3;
    let body = move || {
        match report.get() {
        Load::Loading => view! { <SkeletonRows cols=cols() rows=4/> }.into_any(),
        Load::Loaded(found) if found.total > 0 => found
            .reps
            .iter()
            .map(|rep| {
                let counts = rep
                    .weeks
                    .iter()
                    .map(|n| view! { <td class="cell-num" data-testid="activity-rep-week">{n.to_string()}</td> })
                    .collect_view();
                view! {
                    <tr data-testid="activity-rep-row" data-user=rep.user_id.to_string()>
                        <th scope="row" class="cell-strong">{rep.name.clone()}</th>
                        {counts}
                        <td class="cell-num cell-strong" data-testid="activity-rep-total">{rep.total.to_string()}</td>
                        <td data-testid="activity-rep-kinds">{kinds_text(i18n, &rep.kinds)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        other => view! {
            <EmptyReportRow
                cols=cols()
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::ActivityEmpty
                hint=K::ActivityEmptyHint
                testid="activity-empty"
            />
        }
        .into_any(),
    }
    };
    let total = move || match report.get() {
        Load::Loaded(found) if found.total > 0 => Some(view! {
            <tfoot>
                <tr data-testid="activity-total-row">
                    <th scope="row">{i18n.tr(K::Total)}</th>
                    {found.weeks.iter().map(|w| view! { <td class="cell-num" data-testid="activity-week-total">{w.count.to_string()}</td> }).collect_view()}
                    <td class="cell-num cell-strong" data-testid="activity-grand-total">{found.total.to_string()}</td>
                    <td>{kinds_text(i18n, &found.kinds)}</td>
                </tr>
            </tfoot>
        }),
        _ => None,
    };
    view! {
        <ReportTableCard title=K::ActivityTableTitle testid="activity-table" loading>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(K::ActivityRep)}</th>
                    {head}
                    <th scope="col" class="cell-num">{i18n.tr(K::Total)}</th>
                    <th scope="col">{i18n.tr(K::ActivityKinds)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
            {total}
        </ReportTableCard>
    }
}

/// The longest idle customers, each opening its page.
#[component]
fn IdleTable(
    shown: Memo<ActivityParams>,
    report: RwSignal<Load<ActivityReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        match report.get() {
        Load::Loading => view! { <SkeletonRows cols=IDLE_COLUMNS rows=4/> }.into_any(),
        Load::Loaded(found) if !found.idle.customers.is_empty() => found
            .idle
            .customers
            .iter()
            .map(|c| {
                let last = c.last_activity_at.as_ref().map(local_datetime);
                view! {
                    <tr data-testid="activity-idle-row" data-id=c.id.to_string()>
                        <th scope="row" class="cell-strong">
                            <a href=format!("/customers/{}", c.id) data-testid="activity-idle-customer">{c.name.clone()}</a>
                        </th>
                        <td>{c.owner_name.clone()}</td>
                        <td class="cell-time" data-testid="activity-idle-last">
                            {move || last.clone().unwrap_or_else(|| i18n.t(K::IdleNever).to_owned())}
                        </td>
                        <td class="cell-num" data-testid="activity-idle-days">{c.idle_days.to_string()}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        other => view! {
            <EmptyReportRow
                cols=IDLE_COLUMNS
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::IdleEmpty
                hint=K::IdleEmptyHint
                testid="activity-idle-empty"
            />
        }
        .into_any(),
    }
    };
    let note = move || match report.get() {
        Load::Loaded(r) if r.idle.count > r.idle.customers.len() as u64 => {
            Some(view! { <p class="muted report-note">{i18n.tr(K::IdleShownNote)}</p> })
        }
        _ => None,
    };
    view! {
        <ReportTableCard title=K::IdleTitle testid="activity-idle-table" loading>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                    <th scope="col">{i18n.tr(K::FieldOwner)}</th>
                    <th scope="col">{i18n.tr(K::IdleLastFollowUp)}</th>
                    <th scope="col" class="cell-num">{i18n.tr(K::IdleDaysLabel)}</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </ReportTableCard>
        {note}
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn the_idle_days_live_in_the_url_and_the_count_opens_the_customer_list() {
        let owner = Uuid::nil();
        let shown = ActivityParams {
            filters: ReportFilters {
                owner_id: Some(owner),
                ..ReportFilters::default()
            },
            idle_days: Some(14),
        };
        assert_eq!(
            shown.href(),
            format!("/reports/activity?idle_days=14&owner_id={owner}")
        );
        let url = |name: &str| match name {
            "idle_days" => Some("14".to_owned()),
            "owner_id" => Some(owner.to_string()),
            "region" => Some("华东".to_owned()),
            _ => None,
        };
        assert_eq!(ActivityParams::of(url), shown);
        assert_eq!(
            idle_href(&shown.filters, 14),
            format!("/customers?idle_days=14&owner_id={owner}")
        );
    }
}
