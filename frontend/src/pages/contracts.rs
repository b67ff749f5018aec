//! `/contracts` (合同): search, a status filter and cursor paging; each row shows the
//! contract's status, value, dates and owner and opens the contract. 新建合同 enters one.

use std::time::Duration;

use crm_api_types::Page;
use crm_api_types::contracts::{
    ContractListQuery, ContractResponse, ContractStatus, ContractSummary,
};
use crm_api_types::identity::Permission;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api::{Api, use_api};
use crate::auth::use_session;
use crate::bind;
use crate::components::badges::ContractStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::{money, non_blank};
use crate::i18n::{K, contract_status_key, use_i18n};

const PAGE_SIZE: u32 = 20;
const DEBOUNCE: Duration = Duration::from_millis(300);
const COLUMNS: usize = 9;

#[derive(Debug, Clone, Default, PartialEq)]
struct ContractQuery {
    q: String,
    status: Option<ContractStatus>,
    /// The cursors that led to the current page; empty on the first page.
    cursors: Vec<String>,
}

impl ContractQuery {
    fn is_filtered(&self) -> bool {
        !self.q.trim().is_empty() || self.status.is_some()
    }
}

#[component]
pub fn ContractsPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::ContractRead) {
            view! { <Contracts/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

/// 合同已生成 (from the form, an opportunity or a quote): says so and opens the contract.
pub fn open_created_contract(
    api: Api,
    navigate: impl Fn(&str, NavigateOptions),
    contract: &ContractResponse,
) {
    api.toasts.success(api.i18n.t(K::ContractCreated));
    navigate(
        &format!("/contracts/{}", contract.summary.id),
        NavigateOptions::default(),
    );
}

fn date_cell(date: Option<chrono::NaiveDate>) -> String {
    date.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

fn contract_row(c: ContractSummary, open: impl Fn() + Clone + 'static) -> impl IntoView {
    let href = format!("/contracts/{}", c.id);
    let open_on_key = open.clone();
    view! {
        <tr
            class="row-link"
            data-testid="contract-row"
            data-id=c.id.to_string()
            tabindex="0"
            on:click=move |_| open()
            on:keydown=move |ev| {
                if ev.key() == "Enter" {
                    open_on_key();
                }
            }
        >
            <td class="cell-strong">
                <a href=href class="cell-link cell-mono" tabindex="-1" data-testid="contract-row-number" on:click=|ev| ev.stop_propagation()>
                    {c.number}
                </a>
            </td>
            <td class="cell-wrap" data-testid="contract-row-title">{c.title}</td>
            <td class="cell-wrap">{c.customer_name}</td>
            <td><ContractStatusBadge status=c.status testid="contract-row-status"/></td>
            <td class="cell-num" data-testid="contract-row-total">{money(c.total, &c.currency)}</td>
            <td class="cell-time">{date_cell(c.signed_on)}</td>
            <td class="cell-time">{date_cell(c.starts_on)}</td>
            <td class="cell-time">{date_cell(c.ends_on)}</td>
            <td>{c.owner_name}</td>
        </tr>
    }
}

#[component]
fn Contracts() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let api = use_api();
    let navigate = use_navigate();
    let query = RwSignal::new(ContractQuery::default());
    let q_input = RwSignal::new(String::new());
    let debounce = StoredValue::new(None::<TimeoutHandle>);
    let page = RwSignal::new(None::<Page<ContractSummary>>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let seq = StoredValue::new(0_u64);

    let refine = move |change: &dyn Fn(&mut ContractQuery)| {
        query.update(|q| {
            change(q);
            q.cursors.clear();
        });
    };
    let apply_search = move || {
        let q = q_input.get_untracked();
        if query.with_untracked(|query| query.q != q) {
            refine(&|query| query.q.clone_from(&q));
        }
    };
    let clear_filters = move || {
        q_input.set(String::new());
        refine(&|q| {
            q.q.clear();
            q.status = None;
        });
    };

    Effect::new(move |_| {
        let request = query.with(|q| ContractListQuery {
            limit: Some(PAGE_SIZE),
            cursor: q.cursors.last().cloned(),
            q: non_blank(&q.q),
            status: q.status,
            include_total: Some(true),
            ..ContractListQuery::default()
        });
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = api.list_contracts(&request).await;
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

    let first_load = move || page.with(Option::is_none) && loading.get();
    let is_filtered = move || query.with(ContractQuery::is_filtered);
    let page_no = move || query.with(|q| q.cursors.len() + 1);
    let next_cursor = move || page.with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()));

    let body = move || {
        if first_load() {
            return view! { <SkeletonRows cols=COLUMNS/> }.into_any();
        }
        let items = page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        if !items.is_empty() {
            return items
                .into_iter()
                .map(|c| {
                    let navigate = navigate.clone();
                    let href = format!("/contracts/{}", c.id);
                    contract_row(c, move || navigate(&href, Default::default()))
                })
                .collect_view()
                .into_any();
        }
        let (title, hint, icon) = if failed.get() {
            (K::UnexpectedError, None, IconName::Alert)
        } else if is_filtered() {
            (
                K::EmptyFilteredTitle,
                Some(K::EmptyFilteredHint),
                IconName::Search,
            )
        } else {
            (
                K::ContractsEmpty,
                Some(K::ContractsEmptyHint),
                IconName::Contract,
            )
        };
        view! {
            <tr class="empty-row">
                <td colspan=COLUMNS.to_string()>
                    <EmptyState
                        icon
                        title=i18n.signal(title)
                        hint=Signal::derive(move || hint.map(|h| i18n.t(h).to_owned()).unwrap_or_default())
                        testid="contracts-empty"
                    >
                        {move || is_filtered().then(|| view! {
                            <button type="button" class="btn btn-secondary" on:click=move |_| clear_filters()>
                                {i18n.tr(K::ClearFilters)}
                            </button>
                        })}
                    </EmptyState>
                </td>
            </tr>
        }
        .into_any()
    };

    let status_options = move || {
        ContractStatus::ALL
            .into_iter()
            .map(|s| {
                view! {
                    <option value=s.as_str() prop:selected=move || query.with(|q| q.status == Some(s))>
                        {i18n.tr(contract_status_key(s))}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::ContractsTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::ContractsSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <Show when=move || session.can(Permission::ContractWrite)>
                        <a class="btn btn-primary" href="/contracts/new" data-testid="contract-new">
                            <Icon name=IconName::Plus/>
                            <span>{i18n.tr(K::NewContract)}</span>
                        </a>
                    </Show>
                </div>
            </header>
            <div class="card">
                <div class="toolbar" role="search">
                    <label class="search-box">
                        <Icon name=IconName::Search/>
                        <span class="visually-hidden">{i18n.tr(K::Search)}</span>
                        <input
                            type="search"
                            class="input"
                            data-testid="contracts-search"
                            placeholder=i18n.tr(K::ContractsSearchPlaceholder)
                            prop:value=bind::value(q_input)
                            on:input=move |ev| {
                                q_input.set(event_target_value(&ev));
                                if let Some(handle) = debounce.get_value() {
                                    handle.clear();
                                }
                                debounce.set_value(set_timeout_with_handle(apply_search, DEBOUNCE).ok());
                            }
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" {
                                    apply_search();
                                }
                            }
                        />
                    </label>
                    <select
                        class="input select filter"
                        data-testid="filter-status"
                        aria-label=i18n.tr(K::FieldStatus)
                        on:change=move |ev| {
                            let status = ContractStatus::parse(&event_target_value(&ev));
                            refine(&|q| q.status = status);
                        }
                    >
                        <option value="" prop:selected=move || query.with(|q| q.status.is_none())>
                            {i18n.tr(K::AllStatuses)}
                        </option>
                        {status_options}
                    </select>
                    <Show when=is_filtered>
                        <button type="button" class="btn btn-link" data-testid="clear-filters" on:click=move |_| clear_filters()>
                            {i18n.tr(K::ClearFilters)}
                        </button>
                    </Show>
                    <span class="toolbar-spacer"></span>
                    <span class="total" data-testid="contracts-total">
                        {move || page.with(|p| p.as_ref().and_then(|p| p.total)).map(|n| i18n.total(n))}
                    </span>
                </div>
                <div class="table-wrap" class:is-loading=move || loading.get() && !first_load()>
                    <div class="progress" class:active=move || loading.get()></div>
                    <table class="table" data-testid="contracts-table">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr(K::ContractNumber)}</th>
                                <th scope="col">{i18n.tr(K::ContractName)}</th>
                                <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                                <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                                <th scope="col" class="cell-num">{i18n.tr(K::ContractTotal)}</th>
                                <th scope="col">{i18n.tr(K::SignedOn)}</th>
                                <th scope="col">{i18n.tr(K::StartsOn)}</th>
                                <th scope="col">{i18n.tr(K::EndsOn)}</th>
                                <th scope="col">{i18n.tr(K::FieldOwner)}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <footer class="pager">
                    <span class="pager-info" data-testid="page-info">{move || i18n.page_no(page_no())}</span>
                    <button
                        type="button"
                        class="btn btn-secondary btn-sm"
                        data-testid="page-prev"
                        disabled=move || page_no() <= 1 || loading.get()
                        on:click=move |_| query.update(|q| { q.cursors.pop(); })
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
                                query.update(|q| q.cursors.push(cursor));
                            }
                        }
                    >
                        {i18n.tr(K::Next)}
                    </button>
                </footer>
            </div>
        </div>
    }
}
