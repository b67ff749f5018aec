//! The filter bar over the board and the list: search, pipeline (when there are several),
//! owner (for roles that see others' opportunities), kind, expected close range; for the list
//! also stage and status; and the saved filters. A report's drill-down filters (department,
//! source, region, industry, product category, closed between) show as chips under it.

use crm_api_types::identity::{DataScope, DepartmentResponse, DirectoryEntry, Permission};
use crm_api_types::opportunities::OpportunityKind;
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use crm_api_types::products::ProductCategoryResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::saved_filters::SavedFilters;
use super::{Filters, OpportunityListState};
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::report_filters::{ReportFilterChips, day_range};
use crate::i18n::{K, opportunity_kind_key, source_key, stage_kind_key, use_i18n};

#[component]
pub fn FilterBar(
    state: OpportunityListState,
    pipelines: RwSignal<Vec<PipelineResponse>>,
    /// The list's own filters (stage, status) show too.
    #[prop(into)]
    list: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let sees_others = move || {
        session
            .me()
            .is_some_and(|me| me.data_scope != DataScope::Own)
    };
    let users = RwSignal::new(Vec::<DirectoryEntry>::new());
    if sees_others() {
        spawn_local(async move {
            match api.directory(true).await {
                Ok(all) => users.set(all),
                Err(error) => api.report(&error),
            }
        });
    }
    let filters = state.filters;
    let is_filtered = move || filters.with(Filters::is_filtered);

    // The pipeline whose stages the stage filter offers: the chosen one, else the default.
    let stages = move || {
        let chosen = filters.with(|f| f.pipeline_id);
        pipelines.with(|all| {
            all.iter()
                .find(|p| Some(p.id) == chosen)
                .or_else(|| all.iter().find(|p| p.is_default))
                .or_else(|| all.first())
                .map(|p| p.stages.clone())
                .unwrap_or_default()
        })
    };
    let owner_options = move || {
        let me = session.me().map(|m| (m.user.id, m.user.name));
        let mut options: Vec<(Uuid, String)> =
            users.with(|all| all.iter().map(|u| (u.id, u.name.clone())).collect());
        if let Some((id, name)) = me {
            options.retain(|(other, _)| *other != id);
            options.insert(0, (id, format!("{name} · {}", i18n.t(K::ViewMine))));
        }
        options
            .into_iter()
            .map(|(id, name)| {
                view! {
                    <option value=id.to_string() prop:selected=move || filters.with(|f| f.owner_id == Some(id))>
                        {name}
                    </option>
                }
            })
            .collect_view()
    };
    let date_input = move |testid: &'static str,
                           label: K,
                           pick: fn(&Filters) -> Option<chrono::NaiveDate>,
                           set: fn(&mut Filters, Option<chrono::NaiveDate>)| {
        view! {
            <label class="filter-date">
                <span class="filter-label">{i18n.tr(label)}</span>
                <input
                    type="date"
                    class="input filter"
                    data-testid=testid
                    prop:value=move || filters.with(|f| pick(f).map(|d| d.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let day = event_target_value(&ev).parse().ok();
                        state.refine(|f| set(f, day));
                    }
                />
            </label>
        }
    };

    view! {
        <div class="card toolbar-card">
            <div class="toolbar" role="search">
                <label class="search-box">
                    <Icon name=IconName::Search/>
                    <span class="visually-hidden">{i18n.tr(K::Search)}</span>
                    <input
                        type="search"
                        class="input"
                        data-testid="opportunities-search"
                        placeholder=i18n.tr(K::OpportunitiesSearchPlaceholder)
                        prop:value=move || state.q_input.get()
                        on:input=move |ev| {
                            state.q_input.set(event_target_value(&ev));
                            state.schedule_search();
                        }
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                state.apply_search();
                            }
                        }
                    />
                </label>
                <Show when=move || pipelines.with(|p| p.len() > 1)>
                    <select
                        class="input select filter"
                        data-testid="pipeline-picker"
                        aria-label=i18n.tr(K::FieldPipeline)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            state.refine(|f| {
                                f.pipeline_id = id;
                                f.stage_id = None;
                            });
                        }
                    >
                        {move || pipelines.get().into_iter().map(|p| {
                            let id = p.id;
                            let is_default = p.is_default;
                            view! {
                                <option
                                    value=id.to_string()
                                    prop:selected=move || filters.with(|f| f.pipeline_id.map_or(is_default, |chosen| chosen == id))
                                >
                                    {p.name}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </Show>
                <Show when=sees_others>
                    <select
                        class="input select filter"
                        data-testid="filter-owner"
                        aria-label=i18n.tr(K::FieldOwner)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            state.refine(|f| f.owner_id = id);
                        }
                    >
                        <option value="" prop:selected=move || filters.with(|f| f.owner_id.is_none())>{i18n.tr(K::AllOwners)}</option>
                        {owner_options}
                    </select>
                </Show>
                <select
                    class="input select filter"
                    data-testid="filter-kind"
                    aria-label=i18n.tr(K::FieldOpportunityKind)
                    on:change=move |ev| {
                        let kind = OpportunityKind::parse(&event_target_value(&ev));
                        state.refine(|f| f.kind = kind);
                    }
                >
                    <option value="" prop:selected=move || filters.with(|f| f.kind.is_none())>{i18n.tr(K::AllKinds)}</option>
                    {OpportunityKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.as_str() prop:selected=move || filters.with(|f| f.kind == Some(kind))>
                            {move || i18n.t(opportunity_kind_key(kind))}
                        </option>
                    }).collect_view()}
                </select>
                <Show when=move || list.get()>
                    <select
                        class="input select filter"
                        data-testid="filter-stage"
                        aria-label=i18n.tr(K::FieldStage)
                        on:change=move |ev| {
                            let id = event_target_value(&ev).parse().ok();
                            state.refine(|f| f.stage_id = id);
                        }
                    >
                        <option value="" prop:selected=move || filters.with(|f| f.stage_id.is_none())>{i18n.tr(K::AllStages)}</option>
                        {move || stages().into_iter().map(|stage| {
                            let id = stage.id;
                            view! {
                                <option value=id.to_string() prop:selected=move || filters.with(|f| f.stage_id == Some(id))>
                                    {stage.name}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <select
                        class="input select filter"
                        data-testid="filter-status"
                        aria-label=i18n.tr(K::FieldStatus)
                        on:change=move |ev| {
                            let status = StageKind::parse(&event_target_value(&ev));
                            state.refine(|f| f.status = status);
                        }
                    >
                        <option value="" prop:selected=move || filters.with(|f| f.status.is_none())>{i18n.tr(K::AllStatuses)}</option>
                        {StageKind::ALL.into_iter().map(|kind| view! {
                            <option value=kind.as_str() prop:selected=move || filters.with(|f| f.status == Some(kind))>
                                {move || i18n.t(stage_kind_key(kind))}
                            </option>
                        }).collect_view()}
                    </select>
                </Show>
                {date_input("filter-close_from", K::CloseFrom, |f| f.close_from, |f, d| f.close_from = d)}
                {date_input("filter-close_to", K::CloseTo, |f| f.close_to, |f, d| f.close_to = d)}
                <Show when=is_filtered>
                    <button type="button" class="btn btn-link" data-testid="clear-filters" on:click=move |_| state.clear_filters()>
                        {i18n.tr(K::ClearFilters)}
                    </button>
                </Show>
                <span class="toolbar-spacer"></span>
                <SavedFilters state/>
            </div>
            <Show when=move || filters.with(Filters::has_report_filters)>
                <DrillChips state/>
            </Show>
        </div>
    }
}

/// The filters a report's drill-down set, each named, with the way to drop them all.
#[component]
fn DrillChips(state: OpportunityListState) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let filters = state.filters;
    let departments = RwSignal::new(Vec::<DepartmentResponse>::new());
    let categories = RwSignal::new(Vec::<ProductCategoryResponse>::new());
    // Names for the ids; the department list is for user managers only, others see a label.
    if filters.with_untracked(|f| f.department_id.is_some()) && session.can(Permission::UserManage)
    {
        spawn_local(async move {
            if let Ok(all) = api.all_departments().await {
                departments.set(all);
            }
        });
    }
    if filters.with_untracked(|f| f.product_category_id.is_some()) {
        spawn_local(async move {
            if let Ok(all) = api.product_categories().await {
                categories.set(all);
            }
        });
    }
    let chips = move || {
        let f = filters.get();
        let mut chips: Vec<(K, String)> = Vec::new();
        if let Some(id) = f.department_id {
            let name =
                departments.with(|all| all.iter().find(|d| d.id == id).map(|d| d.name.clone()));
            chips.push((
                K::FieldDepartment,
                name.unwrap_or_else(|| i18n.t(K::SomeDepartment).to_owned()),
            ));
        }
        if let Some(source) = f.source {
            chips.push((K::FieldSource, i18n.t(source_key(source)).to_owned()));
        }
        if let Some(region) = f.region {
            chips.push((K::FieldRegion, region));
        }
        if let Some(industry) = f.industry {
            chips.push((K::FieldIndustry, industry));
        }
        if let Some(id) = f.product_category_id {
            let name =
                categories.with(|all| all.iter().find(|c| c.id == id).map(|c| c.name.clone()));
            chips.push((
                K::FieldProductCategory,
                name.unwrap_or_else(|| i18n.t(K::SomeCategory).to_owned()),
            ));
        }
        if f.closed_since.is_some() || f.closed_to.is_some() {
            chips.push((K::FieldClosedOn, day_range(f.closed_since, f.closed_to)));
        }
        chips
    };
    view! { <ReportFilterChips chips=Signal::derive(chips) on_clear=Callback::new(move |()| state.clear_filters())/> }
}
