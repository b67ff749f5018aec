//! `/reports/funnel` (销售漏斗): one pipeline's stages as a funnel chart and a table. Open
//! stages count what sits in them now; won and lost what closed in the period; entered,
//! advanced, conversion and days in stage how deals moved during the period (default: this
//! month so far). The filters live in the URL (`?from=…&pipeline_id=…&region=…`); every count
//! links to the opportunity list narrowed the same way.

use crm_api_types::identity::Permission;
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use crm_api_types::reports::{FunnelQuery, FunnelReport, FunnelStage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::filters::{ReportFilterBar, ReportFilters};
use super::funnel_chart::FunnelChart;
use super::header::{ReportHeader, report_export};
use super::{EmptyReportRow, address, amounts, days, load_report, percent, use_replace};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::page_state::NoPermission;
use crate::components::table::SkeletonRows;
use crate::i18n::{K, use_i18n};
use crate::load::Load;

/// Stage, count, amount, weighted, entered, advanced, conversion, days.
const COLUMNS: usize = 8;

/// The page's filters as the URL holds them: the shared ones and the pipeline.
#[derive(Debug, Clone, Default, PartialEq)]
struct FunnelParams {
    filters: ReportFilters,
    /// None: the default pipeline.
    pipeline_id: Option<Uuid>,
}

impl FunnelParams {
    fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            filters: ReportFilters::of(&param),
            pipeline_id: param("pipeline_id").and_then(|v| v.parse().ok()),
        }
    }

    fn query(&self) -> FunnelQuery {
        let f = self.filters.clone();
        FunnelQuery {
            format: None,
            from: f.from,
            to: f.to,
            pipeline_id: self.pipeline_id,
            department_id: f.department_id,
            owner_id: f.owner_id,
            region: f.region,
            industry: f.industry,
            product_category_id: f.product_category_id,
        }
    }

    /// The page's address with these filters.
    fn href(&self) -> String {
        let pipeline = vec![("pipeline_id", self.pipeline_id.map(|v| v.to_string()))];
        let pairs = [
            self.filters.period_pairs(),
            pipeline,
            self.filters.narrowing_pairs(),
        ]
        .concat();
        address("/reports/funnel", &pairs)
    }
}

/// The opportunity list behind a stage's count: the same narrowing, and for won and lost the
/// report's period as the closing dates.
fn drill_href(filters: &ReportFilters, report: &FunnelReport, stage: &FunnelStage) -> String {
    let closed = stage.kind != StageKind::Open;
    let pairs = [
        vec![
            ("pipeline_id", Some(report.pipeline_id.to_string())),
            ("stage_id", Some(stage.stage_id.to_string())),
        ],
        filters.narrowing_pairs(),
        vec![
            ("closed_since", closed.then(|| report.from.to_string())),
            ("closed_to", closed.then(|| report.to.to_string())),
        ],
    ]
    .concat();
    address("/opportunities", &pairs)
}

/// A stage's amounts (or probability-weighted amounts), one per currency.
pub(super) fn stage_amounts(stage: &FunnelStage, weighted: bool) -> String {
    amounts(stage.totals.iter().map(|t| {
        let amount = if weighted {
            t.weighted_amount
        } else {
            t.amount
        };
        (amount, t.currency.as_str())
    }))
}

/// Nothing at all in the pipeline: no deal in a stage, none closed or moved in the period.
fn is_empty(report: &FunnelReport) -> bool {
    report
        .stages
        .iter()
        .all(|s| s.count == 0 && s.entered == 0 && s.left == 0)
}

#[component]
pub fn FunnelPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::OpportunityRead) {
            view! { <Funnel/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Funnel() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_query_map();
    let shown = Memo::new(move |_| params.with(|p| FunnelParams::of(|name| p.get(name))));
    let query = Memo::new(move |_| shown.with(FunnelParams::query));
    let (report, loading) = load_report(query, move |q| async move { api.funnel(&q).await });
    let go = use_replace();
    let pipelines = RwSignal::new(Vec::<PipelineResponse>::new());
    spawn_local(async move {
        match api.pipelines().await {
            Ok(all) => pipelines.set(all),
            Err(error) => api.report(&error),
        }
    });

    let refine = move |filters: ReportFilters| {
        go(FunnelParams {
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
            r.pipeline_name
        ),
        _ => String::new(),
    });
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if !is_empty(r));

    view! {
        <div class="page report-page">
            <ReportHeader title=K::FunnelTitle subtitle=K::FunnelSubtitle export=report_export("/reports/funnel", K::FunnelTitle, query)/>
            <ReportFilterBar
                filters=Memo::new(move |_| shown.with(|s| s.filters.clone()))
                on_change=Callback::new(refine)
                period
            >
                <select
                    class="input select filter"
                    data-testid="funnel-pipeline"
                    aria-label=i18n.tr(K::FieldPipeline)
                    on:change=move |ev| {
                        let pipeline_id = event_target_value(&ev).parse().ok();
                        go(FunnelParams { pipeline_id, ..shown.get_untracked() }.href());
                    }
                >
                    {move || {
                        let chosen = shown.with(|s| s.pipeline_id);
                        pipelines.get().into_iter().map(|p| view! {
                            <option value=p.id.to_string() selected=chosen.map_or(p.is_default, |id| id == p.id)>
                                {p.name}
                            </option>
                        }).collect_view()
                    }}
                </select>
            </ReportFilterBar>
            <Show when=loaded>
                <section class="card report-card" aria-labelledby="funnel-chart-title">
                    <h2 class="card-title" id="funnel-chart-title">{i18n.tr(K::FunnelChartTitle)}</h2>
                    <div class="report-chart-wrap">
                        {move || match report.get() {
                            Load::Loaded(found) => view! { <FunnelChart report=found/> }.into_any(),
                            _ => ().into_any(),
                        }}
                    </div>
                </section>
            </Show>
            <FunnelTable shown report loading/>
        </div>
    }
}

/// The numbers of the chart, and a few more, one row per stage; each count links to its deals.
#[component]
fn FunnelTable(
    shown: Memo<FunnelParams>,
    report: RwSignal<Load<FunnelReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |f: &ReportFilters, r: &FunnelReport, s: &FunnelStage| {
        let count = if s.count == 0 {
            view! { <span class="is-zero">"0"</span> }.into_any()
        } else {
            view! {
                <a href=drill_href(f, r, s) data-testid="funnel-count-link" title=i18n.tr(K::ReportCountLinkTitle)>
                    {s.count}
                </a>
            }
            .into_any()
        };
        let kind = s.kind;
        view! {
            <tr
                data-testid="funnel-row"
                data-stage-id=s.stage_id.to_string()
                data-stage-kind=kind.as_str()
                class:funnel-row-won=kind == StageKind::Won
                class:funnel-row-lost=kind == StageKind::Lost
            >
                <th scope="row" class="cell-strong" data-testid="funnel-stage-name">{s.name.clone()}</th>
                <td class="cell-num" data-testid="funnel-count">{count}</td>
                <td class="cell-num">{stage_amounts(s, false)}</td>
                <td class="cell-num">{stage_amounts(s, true)}</td>
                <td class="cell-num" data-testid="funnel-entered">{s.entered}</td>
                <td class="cell-num">{s.advanced.map_or_else(|| "—".to_owned(), |n| n.to_string())}</td>
                <td class="cell-num" data-testid="funnel-conversion">{percent(s.conversion_percent)}</td>
                <td class="cell-num">{days(s.average_days)}</td>
            </tr>
        }
    };
    let body = move || match report.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=5/> }.into_any(),
        Load::Loaded(found) if !is_empty(&found) => {
            let f = shown.with_untracked(|s| s.filters.clone());
            found
                .stages
                .iter()
                .map(|s| row(&f, &found, s))
                .collect_view()
                .into_any()
        }
        other => view! {
            <EmptyReportRow
                cols=COLUMNS
                failed=matches!(other, Load::Failed)
                filtered=shown.with(|s| s.filters.is_set())
                title=K::FunnelEmpty
                hint=K::FunnelEmptyHint
                testid="funnel-empty"
            />
        }
        .into_any(),
    };

    view! {
        <section class="card report-card" aria-labelledby="funnel-table-title">
            <h2 class="card-title" id="funnel-table-title">
                <span>{i18n.tr(K::FunnelTableTitle)}</span>
                <span class="toolbar-spacer"></span>
                <span class="muted card-note">{i18n.tr(K::FunnelClosedNote)}</span>
            </h2>
            <div class="table-wrap" class:is-loading=move || loading.get() && !matches!(report.get(), Load::Loading)>
                <div class="progress" class:active=move || loading.get()></div>
                <table class="table report-table funnel-table" data-testid="funnel-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::FieldStage)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FunnelCount)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FunnelWeighted)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FunnelEntered)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FunnelAdvanced)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FunnelConversion)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FunnelAverageDays)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn stage(kind: StageKind) -> FunnelStage {
        FunnelStage {
            stage_id: Uuid::nil(),
            name: "赢单".to_owned(),
            kind,
            probability: 100,
            count: 1,
            totals: Vec::new(),
            entered: 1,
            advanced: None,
            conversion_percent: None,
            average_days: None,
            left: 0,
        }
    }

    #[test]
    fn a_count_links_to_its_deals_with_the_same_filters() {
        let day = |d: &str| d.parse::<NaiveDate>().ok();
        let report = FunnelReport {
            pipeline_id: Uuid::nil(),
            pipeline_name: "标准流程".to_owned(),
            from: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default(),
            stages: Vec::new(),
        };
        let filters = ReportFilters {
            from: day("2026-11-01"),
            region: Some("华东".to_owned()),
            ..ReportFilters::default()
        };
        let nil = Uuid::nil();
        assert_eq!(
            drill_href(&filters, &report, &stage(StageKind::Open)),
            format!("/opportunities?pipeline_id={nil}&stage_id={nil}&region=%E5%8D%8E%E4%B8%9C")
        );
        assert_eq!(
            drill_href(&filters, &report, &stage(StageKind::Won)),
            format!(
                "/opportunities?pipeline_id={nil}&stage_id={nil}&region=%E5%8D%8E%E4%B8%9C\
                 &closed_since=2026-12-01&closed_to=2026-12-06"
            )
        );
        let shown = FunnelParams {
            filters: ReportFilters {
                from: day("2026-01-01"),
                industry: Some("机械".to_owned()),
                ..ReportFilters::default()
            },
            pipeline_id: Some(nil),
        };
        assert_eq!(
            shown.href(),
            format!(
                "/reports/funnel?from=2026-01-01&pipeline_id={nil}&industry=%E6%9C%BA%E6%A2%B0"
            )
        );
        assert_eq!(FunnelParams::default().href(), "/reports/funnel");
    }
}
