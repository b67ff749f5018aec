//! `/reports/funnel` (销售漏斗): one pipeline's stages as a funnel chart and a table. Open
//! stages count what sits in them now; won and lost what closed in the period; entered,
//! advanced, conversion and days in stage how deals moved during the period (default: this
//! month so far). The filters live in the URL (`?from=…&pipeline_id=…&region=…`); every count
//! links to the opportunity list narrowed the same way.

use chrono::NaiveDate;
use crm_api_types::identity::{DataScope, DepartmentResponse, DirectoryEntry, Permission};
use crm_api_types::opportunities::CurrencyTotal;
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use crm_api_types::products::ProductCategoryResponse;
use crm_api_types::reports::{FunnelQuery, FunnelReport, FunnelStage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::funnel_chart::FunnelChart;
use super::query_string;
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::{money, non_blank};
use crate::i18n::{K, use_i18n};
use crate::load::Load;
use crate::tree::tree_order;

/// Stage, count, amount, weighted, entered, advanced, conversion, days.
const COLUMNS: usize = 8;

/// The report's filters as the URL holds them.
fn query_of(params: &ParamsMap) -> FunnelQuery {
    let id = |name: &str| params.get(name).and_then(|v| v.parse::<Uuid>().ok());
    let day = |name: &str| params.get(name).and_then(|v| v.parse::<NaiveDate>().ok());
    let text = |name: &str| params.get(name).and_then(|v| non_blank(&v));
    FunnelQuery {
        from: day("from"),
        to: day("to"),
        pipeline_id: id("pipeline_id"),
        department_id: id("department_id"),
        owner_id: id("owner_id"),
        region: text("region"),
        industry: text("industry"),
        product_category_id: id("product_category_id"),
    }
}

/// The page's address with these filters.
fn funnel_href(q: &FunnelQuery) -> String {
    let query = query_string(&[
        ("from", q.from.map(|d| d.to_string())),
        ("to", q.to.map(|d| d.to_string())),
        ("pipeline_id", q.pipeline_id.map(|v| v.to_string())),
        ("department_id", q.department_id.map(|v| v.to_string())),
        ("owner_id", q.owner_id.map(|v| v.to_string())),
        ("region", q.region.clone()),
        ("industry", q.industry.clone()),
        (
            "product_category_id",
            q.product_category_id.map(|v| v.to_string()),
        ),
    ]);
    if query.is_empty() {
        "/reports/funnel".to_owned()
    } else {
        format!("/reports/funnel?{query}")
    }
}

/// The opportunity list behind a stage's count: the same narrowing, and for won and lost the
/// report's period as the closing dates.
pub(super) fn drill_href(q: &FunnelQuery, report: &FunnelReport, stage: &FunnelStage) -> String {
    let closed = stage.kind != StageKind::Open;
    let query = query_string(&[
        ("pipeline_id", Some(report.pipeline_id.to_string())),
        ("stage_id", Some(stage.stage_id.to_string())),
        ("department_id", q.department_id.map(|v| v.to_string())),
        ("owner_id", q.owner_id.map(|v| v.to_string())),
        ("region", q.region.clone()),
        ("industry", q.industry.clone()),
        (
            "product_category_id",
            q.product_category_id.map(|v| v.to_string()),
        ),
        ("closed_since", closed.then(|| report.from.to_string())),
        ("closed_to", closed.then(|| report.to.to_string())),
    ]);
    format!("/opportunities?{query}")
}

/// One line per currency (`¥1,200,000.00`), `—` for none.
pub(super) fn amounts(totals: &[CurrencyTotal], pick: fn(&CurrencyTotal) -> Decimal) -> String {
    if totals.is_empty() {
        return "—".to_owned();
    }
    totals
        .iter()
        .map(|t| money(pick(t), &t.currency))
        .collect::<Vec<_>>()
        .join(" / ")
}

pub(super) fn percent(value: Option<Decimal>) -> String {
    value.map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

fn is_narrowed(q: &FunnelQuery) -> bool {
    *q != FunnelQuery::default()
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
    let query = Memo::new(move |_| params.with(query_of));
    let report = RwSignal::new(Load::<FunnelReport>::Loading);
    let loading = RwSignal::new(false);
    let seq = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let q = query.get();
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = api.funnel(&q).await;
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

    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let loaded = move || matches!(report.get(), Load::Loaded(ref r) if !is_empty(r));

    view! {
        <div class="page report-page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::FunnelTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::FunnelSubtitle)}</p>
                </div>
                <div class="header-actions no-print">
                    <button type="button" class="btn btn-secondary" data-testid="funnel-print" on:click=print>
                        <Icon name=IconName::Print/>
                        <span>{i18n.tr(K::Print)}</span>
                    </button>
                </div>
            </header>
            <FunnelFilters query report/>
            <Show when=loaded>
                <section class="card funnel-card" aria-labelledby="funnel-chart-title">
                    <h2 class="card-title" id="funnel-chart-title">{i18n.tr(K::FunnelChartTitle)}</h2>
                    <div class="funnel-chart-wrap">
                        {move || match report.get() {
                            Load::Loaded(found) => view! { <FunnelChart report=found/> }.into_any(),
                            _ => ().into_any(),
                        }}
                    </div>
                </section>
            </Show>
            <FunnelTable query report loading/>
        </div>
    }
}

/// The toolbar: period, pipeline, department, owner, region, industry, product category; and
/// the period the answer covers.
#[component]
fn FunnelFilters(query: Memo<FunnelQuery>, report: RwSignal<Load<FunnelReport>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let pipelines = RwSignal::new(Vec::<PipelineResponse>::new());
    let departments = RwSignal::new(Vec::<DepartmentResponse>::new());
    let categories = RwSignal::new(Vec::<ProductCategoryResponse>::new());
    let users = RwSignal::new(Vec::<DirectoryEntry>::new());
    // The department list is for user managers; a rep sees only their own deals anyway.
    let sees_departments = session.can(Permission::UserManage);
    let sees_others = session
        .me()
        .is_some_and(|me| me.data_scope != DataScope::Own);

    spawn_local(async move {
        match api.pipelines().await {
            Ok(all) => pipelines.set(all),
            Err(error) => api.report(&error),
        }
    });
    spawn_local(async move {
        match api.product_categories().await {
            Ok(all) => categories.set(all),
            Err(error) => api.report(&error),
        }
    });
    if sees_departments {
        spawn_local(async move {
            match api.all_departments().await {
                Ok(all) => departments.set(all),
                Err(error) => api.report(&error),
            }
        });
    }
    if sees_others {
        spawn_local(async move {
            match api.directory(false).await {
                Ok(all) => users.set(all),
                Err(error) => api.report(&error),
            }
        });
    }

    let refine = move |change: &dyn Fn(&mut FunnelQuery)| {
        let mut q = query.get_untracked();
        change(&mut q);
        let href = funnel_href(&q);
        navigate.with_value(|go| {
            go(
                &href,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        });
    };

    let date_input = move |testid: &'static str,
                           label: K,
                           pick: fn(&FunnelQuery) -> Option<NaiveDate>,
                           set: fn(&mut FunnelQuery, Option<NaiveDate>)| {
        view! {
            <label class="filter-date">
                <span class="filter-label">{i18n.tr(label)}</span>
                <input
                    type="date"
                    class="input filter"
                    data-testid=testid
                    prop:value=move || query.with(|q| pick(q).map(|d| d.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let day = event_target_value(&ev).parse().ok();
                        refine(&|q| set(q, day));
                    }
                />
            </label>
        }
    };
    let text_input = move |testid: &'static str,
                           label: K,
                           placeholder: K,
                           pick: fn(&FunnelQuery) -> Option<String>,
                           set: fn(&mut FunnelQuery, Option<String>)| {
        view! {
            <input
                type="text"
                class="input filter filter-text"
                data-testid=testid
                aria-label=i18n.tr(label)
                placeholder=i18n.tr(placeholder)
                prop:value=move || query.with(|q| pick(q).unwrap_or_default())
                on:change=move |ev| {
                    let text = non_blank(&event_target_value(&ev));
                    refine(&|q| set(q, text.clone()));
                }
            />
        }
    };
    let tree_options = move |items: Vec<(Uuid, String, usize)>, chosen: Option<Uuid>| {
        items
            .into_iter()
            .map(|(id, name, depth)| {
                view! {
                    <option value=id.to_string() selected=chosen == Some(id)>
                        {format!("{}{name}", "\u{3000}".repeat(depth))}
                    </option>
                }
            })
            .collect_view()
    };

    let period = move || match report.get() {
        Load::Loaded(r) => format!(
            "{} {} – {} · {}",
            i18n.t(K::PeriodShown),
            r.from,
            r.to,
            r.pipeline_name
        ),
        _ => String::new(),
    };

    view! {
        <div class="card toolbar-card no-print">
            <div class="toolbar" role="search" aria-label=i18n.tr(K::FunnelFilters)>
                {date_input("funnel-from", K::PeriodFrom, |q| q.from, |q, d| q.from = d)}
                {date_input("funnel-to", K::PeriodTo, |q| q.to, |q, d| q.to = d)}
                <select
                    class="input select filter"
                    data-testid="funnel-pipeline"
                    aria-label=i18n.tr(K::FieldPipeline)
                    on:change=move |ev| {
                        let id = event_target_value(&ev).parse().ok();
                        refine(&|q| q.pipeline_id = id);
                    }
                >
                    {move || {
                        let chosen = query.with(|q| q.pipeline_id);
                        pipelines.get().into_iter().map(|p| view! {
                            <option value=p.id.to_string() selected=chosen.map_or(p.is_default, |id| id == p.id)>
                                {p.name}
                            </option>
                        }).collect_view()
                    }}
                </select>
                <Show when=move || sees_departments>
                    <select
                        class="input select filter"
                        data-testid="funnel-department"
                        aria-label=i18n.tr(K::FieldDepartment)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            refine(&|q| q.department_id = id);
                        }
                    >
                        <option value="">{i18n.tr(K::AllDepartments)}</option>
                        {move || {
                            let items = tree_order(&departments.get())
                                .into_iter()
                                .map(|(d, depth)| (d.id, d.name, depth))
                                .collect();
                            tree_options(items, query.with(|q| q.department_id))
                        }}
                    </select>
                </Show>
                <Show when=move || sees_others>
                    <select
                        class="input select filter"
                        data-testid="funnel-owner"
                        aria-label=i18n.tr(K::FieldOwner)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            refine(&|q| q.owner_id = id);
                        }
                    >
                        <option value="">{i18n.tr(K::AllOwners)}</option>
                        {move || {
                            let chosen = query.with(|q| q.owner_id);
                            users.get().into_iter().map(|u| view! {
                                <option value=u.id.to_string() selected=chosen == Some(u.id)>
                                    {format!("{} · {}", u.name, u.department_name)}
                                </option>
                            }).collect_view()
                        }}
                    </select>
                </Show>
                {text_input("funnel-region", K::FieldRegion, K::RegionPlaceholder, |q| q.region.clone(), |q, v| q.region = v)}
                {text_input("funnel-industry", K::FieldIndustry, K::IndustryPlaceholder, |q| q.industry.clone(), |q, v| q.industry = v)}
                <select
                    class="input select filter"
                    data-testid="funnel-category"
                    aria-label=i18n.tr(K::FieldProductCategory)
                    on:change=move |ev| {
                        let id = event_target_value(&ev).parse().ok();
                        refine(&|q| q.product_category_id = id);
                    }
                >
                    <option value="">{i18n.tr(K::AllProductCategories)}</option>
                    {move || {
                        let items = tree_order(&categories.get())
                            .into_iter()
                            .map(|(c, depth)| (c.id, c.name, depth))
                            .collect();
                        tree_options(items, query.with(|q| q.product_category_id))
                    }}
                </select>
                <Show when=move || query.with(is_narrowed)>
                    <button type="button" class="btn btn-link" data-testid="funnel-clear" on:click=move |_| refine(&|q| *q = FunnelQuery::default())>
                        {i18n.tr(K::ClearFilters)}
                    </button>
                </Show>
                <span class="toolbar-spacer"></span>
                <span class="muted" data-testid="funnel-period">{period}</span>
            </div>
        </div>
        <p class="print-only funnel-print-period">{period}</p>
    }
}

/// The numbers of the chart, and a few more, one row per stage; each count links to its deals.
#[component]
fn FunnelTable(
    query: Memo<FunnelQuery>,
    report: RwSignal<Load<FunnelReport>>,
    loading: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |q: &FunnelQuery, r: &FunnelReport, s: &FunnelStage| {
        let count = if s.count == 0 {
            view! { <span class="is-zero">"0"</span> }.into_any()
        } else {
            view! {
                <a href=drill_href(q, r, s) data-testid="funnel-count-link" title=i18n.tr(K::FunnelCountLinkTitle)>
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
                <td class="cell-num">{amounts(&s.totals, |t| t.amount)}</td>
                <td class="cell-num">{amounts(&s.totals, |t| t.weighted_amount)}</td>
                <td class="cell-num" data-testid="funnel-entered">{s.entered}</td>
                <td class="cell-num">{s.advanced.map_or_else(|| "—".to_owned(), |n| n.to_string())}</td>
                <td class="cell-num" data-testid="funnel-conversion">{percent(s.conversion_percent)}</td>
                <td class="cell-num">{s.average_days.map_or_else(|| "—".to_owned(), |d| d.to_string())}</td>
            </tr>
        }
    };
    let body = move || match report.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=5/> }.into_any(),
        Load::Loaded(found) if !is_empty(&found) => {
            let q = query.get_untracked();
            found
                .stages
                .iter()
                .map(|s| row(&q, &found, s))
                .collect_view()
                .into_any()
        }
        other => {
            let failed = matches!(other, Load::Failed);
            let (title, hint, icon) = if failed {
                (K::UnexpectedError, K::Empty, IconName::Alert)
            } else if query.with(is_narrowed) {
                (K::FunnelEmpty, K::FunnelEmptyFilteredHint, IconName::Search)
            } else {
                (K::FunnelEmpty, K::FunnelEmptyHint, IconName::Reports)
            };
            let hint = if failed {
                Signal::derive(String::new)
            } else {
                i18n.signal(hint)
            };
            view! {
                <tr class="empty-row">
                    <td colspan=COLUMNS.to_string()>
                        <EmptyState icon title=i18n.signal(title) hint testid="funnel-empty"/>
                    </td>
                </tr>
            }
            .into_any()
        }
    };

    view! {
        <section class="card funnel-card" aria-labelledby="funnel-table-title">
            <h2 class="card-title" id="funnel-table-title">
                <span>{i18n.tr(K::FunnelTableTitle)}</span>
                <span class="toolbar-spacer"></span>
                <span class="muted card-note">{i18n.tr(K::FunnelClosedNote)}</span>
            </h2>
            <div class="table-wrap" class:is-loading=move || loading.get() && !matches!(report.get(), Load::Loading)>
                <div class="progress" class:active=move || loading.get()></div>
                <table class="table funnel-table" data-testid="funnel-table">
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
        let q = FunnelQuery {
            region: Some("华东".to_owned()),
            ..FunnelQuery::default()
        };
        let nil = Uuid::nil();
        assert_eq!(
            drill_href(&q, &report, &stage(StageKind::Open)),
            format!("/opportunities?pipeline_id={nil}&stage_id={nil}&region=%E5%8D%8E%E4%B8%9C")
        );
        assert_eq!(
            drill_href(&q, &report, &stage(StageKind::Won)),
            format!(
                "/opportunities?pipeline_id={nil}&stage_id={nil}&region=%E5%8D%8E%E4%B8%9C\
                 &closed_since=2026-12-01&closed_to=2026-12-06"
            )
        );
        let q = FunnelQuery {
            from: day("2026-01-01"),
            industry: Some("机械".to_owned()),
            ..FunnelQuery::default()
        };
        assert_eq!(
            funnel_href(&q),
            "/reports/funnel?from=2026-01-01&industry=%E6%9C%BA%E6%A2%B0"
        );
        assert_eq!(funnel_href(&FunnelQuery::default()), "/reports/funnel");
    }
}
