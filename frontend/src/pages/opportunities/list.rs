//! The opportunity list: sortable columns and cursor paging over the shared filters.

use crm_api_types::Page;
use crm_api_types::opportunities::OpportunitySummary;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use super::{Filters, OpportunityListState};
use crate::api::use_api;
use crate::components::badges::StageBadge;
use crate::components::icons::IconName;
use crate::components::table::{EmptyState, SkeletonRows, SortHeader};
use crate::format::money;
use crate::i18n::{K, opportunity_kind_key, use_i18n};

const PAGE_SIZE: u32 = 20;
const COLUMNS: usize = 9;

#[component]
pub fn OpportunityList(state: OpportunityListState) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let page = RwSignal::new(None::<Page<OpportunitySummary>>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let seq = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let cursor = state.cursors.with(|c| c.last().cloned());
        let query = state.filters.with(|f| f.to_list_query(cursor, PAGE_SIZE));
        state.reload.track();
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = api.list_opportunities(&query).await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            loading.set(false);
            match result {
                Ok(found) => {
                    failed.set(false);
                    page.set(Some(found));
                }
                Err(error) => {
                    failed.set(true);
                    api.report(&error);
                }
            }
        });
    });

    let sort = Signal::derive(move || state.filters.with(|f| f.sort.clone()));
    let on_sort = Callback::new(move |sort: String| state.refine(|f| f.sort = sort));
    let first_load = move || page.with(Option::is_none) && loading.get();
    let page_no = move || state.cursors.with(Vec::len) + 1;
    let next_cursor = move || page.with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()));
    let is_filtered = move || state.filters.with(Filters::is_filtered);

    let rows = move || {
        let items = page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        items
            .into_iter()
            .map(|o| {
                let href = format!("/opportunities/{}", o.id);
                let open = {
                    let navigate = navigate.clone();
                    let href = href.clone();
                    move || navigate(&href, Default::default())
                };
                let open_on_key = open.clone();
                let kind = o.kind;
                view! {
                    <tr
                        class="row-link"
                        data-testid="opportunity-row"
                        data-id=o.id.to_string()
                        tabindex="0"
                        on:click=move |_| open()
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                open_on_key();
                            }
                        }
                    >
                        <td class="cell-strong cell-wrap">
                            <a href=href class="cell-link" tabindex="-1" on:click=|ev| ev.stop_propagation()>{o.name}</a>
                        </td>
                        <td class="cell-wrap">{o.customer_name}</td>
                        <td><StageBadge kind=o.stage_kind name=o.stage_name testid="opportunity-row-stage"/></td>
                        <td class="cell-num">{money(o.amount, &o.currency)}</td>
                        <td class="cell-num">{format!("{}%", o.probability)}</td>
                        <td class="cell-time">{o.expected_close_date.to_string()}</td>
                        <td>{move || i18n.t(opportunity_kind_key(kind))}</td>
                        <td>{o.owner_name}</td>
                        <td class="cell-wrap">{o.next_step.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    let body = move || {
        if first_load() {
            return view! { <SkeletonRows cols=COLUMNS/> }.into_any();
        }
        if page.with(|p| p.as_ref().is_some_and(|p| !p.items.is_empty())) {
            return rows().into_any();
        }
        let (title, hint, icon) = if failed.get() {
            (K::UnexpectedError, None, IconName::Alert)
        } else if is_filtered() {
            (
                K::EmptyOpportunitiesFilteredTitle,
                Some(K::EmptyFilteredHint),
                IconName::Search,
            )
        } else {
            (
                K::EmptyOpportunitiesTitle,
                Some(K::EmptyOpportunitiesHint),
                IconName::Inbox,
            )
        };
        view! {
            <tr class="empty-row">
                <td colspan=COLUMNS.to_string()>
                    <EmptyState
                        icon
                        title=Signal::derive(move || i18n.t(title).to_owned())
                        hint=Signal::derive(move || hint.map(|h| i18n.t(h).to_owned()).unwrap_or_default())
                        testid="opportunities-empty"
                    >
                        {move || is_filtered().then(|| view! {
                            <button type="button" class="btn btn-secondary" on:click=move |_| state.clear_filters()>
                                {i18n.tr(K::ClearFilters)}
                            </button>
                        })}
                    </EmptyState>
                </td>
            </tr>
        }
        .into_any()
    };

    view! {
        <div class="card">
            <div class="table-wrap" class:is-loading=move || loading.get() && !first_load()>
                <div class="progress" class:active=move || loading.get()></div>
                <table class="table" data-testid="opportunities-table">
                    <thead>
                        <tr>
                            <SortHeader label=K::FieldOpportunityName field="name" sort on_sort/>
                            <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                            <th scope="col">{i18n.tr(K::FieldStage)}</th>
                            <SortHeader label=K::FieldAmount field="amount" sort on_sort descending_first=true/>
                            <th scope="col">{i18n.tr(K::FieldProbability)}</th>
                            <SortHeader label=K::FieldExpectedClose field="expected_close_date" sort on_sort/>
                            <th scope="col">{i18n.tr(K::FieldOpportunityKind)}</th>
                            <th scope="col">{i18n.tr(K::FieldOwner)}</th>
                            <th scope="col">{i18n.tr(K::FieldNextStep)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <footer class="pager">
                <span class="total" data-testid="opportunities-total">
                    {move || page.with(|p| p.as_ref().and_then(|p| p.total)).map(|n| i18n.total(n))}
                </span>
                <span class="toolbar-spacer"></span>
                <span class="pager-info" data-testid="page-info">{move || i18n.page_no(page_no())}</span>
                <button
                    type="button"
                    class="btn btn-secondary btn-sm"
                    data-testid="page-prev"
                    disabled=move || page_no() <= 1 || loading.get()
                    on:click=move |_| state.cursors.update(|c| { c.pop(); })
                >
                    {i18n.tr(K::Prev)}
                </button>
                <button
                    type="button"
                    class="btn btn-secondary btn-sm"
                    data-testid="page-next"
                    disabled=move || next_cursor().is_none() || loading.get()
                    on:click=move |_| {
                        if let Some(cursor) = next_cursor() {
                            state.cursors.update(|c| c.push(cursor));
                        }
                    }
                >
                    {i18n.tr(K::Next)}
                </button>
            </footer>
        </div>
    }
}
