//! The customer list: the owned customers or the pool (公海, with 领取 in each row), search,
//! filters (status, tier, industry, region), sortable columns, cursor paging; export of what it
//! shows and the way to the import. Its state lives in [`CustomerListState`] at the app root, so coming back
//! from a customer shows the same page. The activity report's drill-down arrives in the URL
//! (`?idle_days=30&owner_id=…&department_id=…`): the owned customers not followed up for that
//! long, shown as chips over the list.

use std::time::Duration;

use crm_api_types::Page;
use crm_api_types::customers::{CustomerListQuery, CustomerResponse, CustomerStatus};
use crm_api_types::identity::Permission;
use crm_api_types::imports::{CustomerExportQuery, ImportKind};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::badges::CustomerStatusBadge;
use crate::components::export_buttons::{Export, ExportButtons, ImportLink};
use crate::components::icons::{Icon, IconName};
use crate::components::list_drill::{ListDrill, ListDrillChips};
use crate::components::owner::{ClaimButton, PoolTabs};
use crate::components::page_state::NoPermission;
use crate::components::table::{EmptyState, SkeletonRows, SortHeader};
use crate::format::{local_datetime, non_blank, or_dash};
use crate::i18n::{K, customer_status_key, use_i18n};

const PAGE_SIZE: u32 = 20;
const DEBOUNCE: Duration = Duration::from_millis(300);
const DEFAULT_SORT: &str = "-created_at";
const COLUMNS: usize = 8;
/// Suggestions for the exact-match region filter (free text is still allowed).
const REGIONS: [&str; 7] = ["华东", "华南", "华北", "华中", "西南", "西北", "东北"];

/// What the list asks the API for.
#[derive(Debug, Clone, PartialEq)]
struct CustomerQuery {
    q: String,
    status: Option<CustomerStatus>,
    tier: Option<String>,
    region: String,
    industry: String,
    sort: String,
    /// The pool (公海) instead of the customers people own.
    pool: bool,
    /// What a report's drill-down narrowed the list to.
    drill: ListDrill,
    /// The cursors that led to the current page; empty on the first page.
    cursors: Vec<String>,
}

impl Default for CustomerQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            status: None,
            tier: None,
            region: String::new(),
            industry: String::new(),
            sort: DEFAULT_SORT.to_owned(),
            pool: false,
            drill: ListDrill::default(),
            cursors: Vec::new(),
        }
    }
}

impl CustomerQuery {
    fn to_api(&self) -> CustomerListQuery {
        CustomerListQuery {
            limit: Some(PAGE_SIZE),
            cursor: self.cursors.last().cloned(),
            sort: Some(self.sort.clone()),
            q: non_blank(&self.q),
            status: self.status,
            tier: self.tier.clone(),
            region: non_blank(&self.region),
            industry: non_blank(&self.industry),
            pool: Some(self.pool),
            owner_id: self.drill.owner_id,
            department_id: self.drill.department_id,
            idle_days: self.drill.idle_days,
            include_total: Some(true),
            ..CustomerListQuery::default()
        }
    }

    /// The same filters and order for an export, without paging.
    fn to_export(&self) -> CustomerExportQuery {
        CustomerExportQuery {
            sort: Some(self.sort.clone()),
            q: non_blank(&self.q),
            status: self.status,
            pool: Some(self.pool),
            tier: self.tier.clone(),
            region: non_blank(&self.region),
            industry: non_blank(&self.industry),
            owner_id: self.drill.owner_id,
            department_id: self.drill.department_id,
            idle_days: self.drill.idle_days,
            ..CustomerExportQuery::default()
        }
    }

    fn is_filtered(&self) -> bool {
        !self.q.trim().is_empty()
            || self.status.is_some()
            || self.tier.is_some()
            || !self.region.trim().is_empty()
            || !self.industry.trim().is_empty()
            || self.drill.is_set()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct CustomerListState {
    query: RwSignal<CustomerQuery>,
    /// What is typed in the text boxes; copied into `query` after a pause in typing.
    q_input: RwSignal<String>,
    region_input: RwSignal<String>,
    industry_input: RwSignal<String>,
    page: RwSignal<Option<Page<CustomerResponse>>>,
    loading: RwSignal<bool>,
    failed: RwSignal<bool>,
    request_seq: StoredValue<u64>,
    debounce: StoredValue<Option<TimeoutHandle>>,
    reload: RwSignal<u64>,
}

impl CustomerListState {
    pub fn new() -> Self {
        Self {
            query: RwSignal::new(CustomerQuery::default()),
            q_input: RwSignal::new(String::new()),
            region_input: RwSignal::new(String::new()),
            industry_input: RwSignal::new(String::new()),
            page: RwSignal::new(None),
            loading: RwSignal::new(false),
            failed: RwSignal::new(false),
            request_seq: StoredValue::new(0),
            debounce: StoredValue::new(None),
            reload: RwSignal::new(0),
        }
    }

    /// Marks the list out of date; the next visit refetches.
    pub fn invalidate(self) {
        self.reload.update(|n| *n += 1);
    }

    fn refine(self, change: impl FnOnce(&mut CustomerQuery)) {
        self.query.update(|q| {
            change(q);
            q.cursors.clear();
        });
    }

    fn schedule_text_filters(self) {
        if let Some(handle) = self.debounce.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || self.apply_text_filters(), DEBOUNCE).ok();
        self.debounce.set_value(handle);
    }

    fn apply_text_filters(self) {
        let q = self.q_input.get_untracked();
        let region = self.region_input.get_untracked();
        let industry = self.industry_input.get_untracked();
        let unchanged = self
            .query
            .with_untracked(|cur| cur.q == q && cur.region == region && cur.industry == industry);
        if !unchanged {
            self.refine(|cur| {
                cur.q = q;
                cur.region = region;
                cur.industry = industry;
            });
        }
    }

    fn clear_filters(self) {
        self.q_input.set(String::new());
        self.region_input.set(String::new());
        self.industry_input.set(String::new());
        self.refine(|q| {
            let sort = std::mem::take(&mut q.sort);
            *q = CustomerQuery {
                sort,
                pool: q.pool,
                ..CustomerQuery::default()
            };
        });
    }
}

impl Default for CustomerListState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_customer_list_state() -> CustomerListState {
    expect_context::<CustomerListState>()
}

/// The label of a tier key, or the key itself when the tenant no longer lists it.
pub fn tier_label(tiers: &[Choice], key: Option<&str>) -> String {
    match key {
        Some(key) => tiers
            .iter()
            .find(|t| t.key == key)
            .map_or_else(|| key.to_owned(), |t| t.label.clone()),
        None => "—".to_owned(),
    }
}

#[component]
pub fn CustomersListPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::CustomerRead) {
            view! { <CustomersList/> }.into_any()
        } else {
            view! { <NoPermission back_href="/leads" back_label=K::BackToLeads/> }.into_any()
        }
    }
}

#[component]
fn CustomersList() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let state = use_customer_list_state();
    let navigate = use_navigate();
    let tiers = RwSignal::new(Vec::<Choice>::new());
    let params = use_query_map();
    let to_plain_list = navigate.clone();

    // A report's drill-down arrives in the URL: it becomes the list's filters (the owned
    // customers), and the address goes back to the plain list.
    Effect::new(move |_| {
        let drill = params.with(|p| ListDrill::of(|name| p.get(name)));
        if !drill.is_set() {
            return;
        }
        state.q_input.set(String::new());
        state.region_input.set(String::new());
        state.industry_input.set(String::new());
        state.refine(|q| {
            *q = CustomerQuery {
                drill,
                sort: std::mem::take(&mut q.sort),
                ..CustomerQuery::default()
            };
        });
        // After the navigation that brought the drill-down has settled: replacing the entry
        // sooner overwrote the report's, and Back skipped the report.
        let to_plain_list = to_plain_list.clone();
        set_timeout(
            move || {
                to_plain_list(
                    "/customers",
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                )
            },
            Duration::ZERO,
        );
    });

    spawn_local(async move {
        // Without them the tier column shows keys and the filter stays empty.
        if let Ok(settings) = api.get_settings().await {
            tiers.set(settings.value.customer_tiers);
        }
    });

    Effect::new(move |_| {
        let query = state.query.get().to_api();
        state.reload.track();
        let seq = state.request_seq.get_value() + 1;
        state.request_seq.set_value(seq);
        state.loading.set(true);
        spawn_local(async move {
            let result = api.list_customers(&query).await;
            if state.request_seq.get_value() != seq {
                return;
            }
            state.loading.set(false);
            match result {
                Ok(page) => {
                    state.failed.set(false);
                    state.page.set(Some(page));
                }
                Err(error) => {
                    state.failed.set(true);
                    api.report(&error);
                }
            }
        });
    });

    let sort = Signal::derive(move || state.query.with(|q| q.sort.clone()));
    let on_sort = Callback::new(move |sort: String| state.refine(|q| q.sort = sort));
    let has_rows = move || {
        state
            .page
            .with(|p| p.as_ref().is_some_and(|p| !p.items.is_empty()))
    };
    let first_load = move || state.page.with(Option::is_none) && state.loading.get();
    let is_filtered = move || state.query.with(CustomerQuery::is_filtered);
    let page_no = move || state.query.with(|q| q.cursors.len() + 1);
    let next_cursor = move || {
        state
            .page
            .with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()))
    };

    // A customer nobody owns is in the pool: who may work customers claims it in the row.
    let owner_cell = move |owner: Option<uuid::Uuid>, name: Option<String>, id: uuid::Uuid| {
        if owner.is_some() || !session.can(Permission::CustomerWrite) {
            return name
                .unwrap_or_else(|| i18n.t(K::InPool).to_owned())
                .into_any();
        }
        let refresh = Callback::new(move |()| state.invalidate());
        view! {
            <ClaimButton
                id
                on_claimed=Callback::new(move |_: CustomerResponse| state.invalidate())
                on_stale=refresh
                testid="pool-claim"
                small=true
            />
        }
        .into_any()
    };
    let owner_header = move || {
        i18n.t(if state.query.with(|q| q.pool) {
            K::Actions
        } else {
            K::FieldOwner
        })
    };

    let rows = move || {
        let items = state
            .page
            .with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        items
            .into_iter()
            .map(|customer| {
                let href = format!("/customers/{}", customer.id);
                let open = {
                    let navigate = navigate.clone();
                    let href = href.clone();
                    move || navigate(&href, Default::default())
                };
                let open_on_key = open.clone();
                let tier = customer.tier.clone();
                view! {
                    <tr
                        class="row-link"
                        data-testid="customer-row"
                        data-id=customer.id.to_string()
                        tabindex="0"
                        on:click=move |_| open()
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                open_on_key();
                            }
                        }
                    >
                        <td class="cell-strong cell-wrap">
                            <a href=href class="cell-link" tabindex="-1" on:click=|ev| ev.stop_propagation()>
                                {customer.name}
                            </a>
                            {customer.short_name.map(|s| view! { <span class="cell-sub">{s}</span> })}
                        </td>
                        <td>{move || tiers.with(|t| tier_label(t, tier.as_deref()))}</td>
                        <td><CustomerStatusBadge status=customer.status/></td>
                        <td>{or_dash(customer.industry.as_deref())}</td>
                        <td>{or_dash(customer.region.as_deref())}</td>
                        <td>{owner_cell(customer.owner_id, customer.owner_name, customer.id)}</td>
                        <td class="cell-time">{customer.last_activity_at.as_ref().map_or_else(|| "—".to_owned(), local_datetime)}</td>
                        <td class="cell-time">{local_datetime(&customer.updated_at)}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    let body = move || {
        if first_load() {
            return view! { <SkeletonRows cols=COLUMNS/> }.into_any();
        }
        if has_rows() {
            return rows().into_any();
        }
        let (title, hint, icon) = if state.failed.get() {
            (K::UnexpectedError, None, IconName::Alert)
        } else if is_filtered() {
            (
                K::EmptyCustomersFilteredTitle,
                Some(K::EmptyFilteredHint),
                IconName::Search,
            )
        } else if state.query.with(|q| q.pool) {
            (K::EmptyPoolTitle, Some(K::EmptyPoolHint), IconName::Inbox)
        } else {
            (
                K::EmptyCustomersTitle,
                Some(K::EmptyCustomersHint),
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
                        testid="customers-empty"
                    >
                        {move || if is_filtered() {
                            view! {
                                <button type="button" class="btn btn-secondary" on:click=move |_| state.clear_filters()>
                                    {i18n.tr(K::ClearFilters)}
                                </button>
                            }.into_any()
                        } else if state.failed.get() {
                            view! {
                                <button type="button" class="btn btn-secondary" on:click=move |_| state.invalidate()>
                                    {i18n.tr(K::Reload)}
                                </button>
                            }.into_any()
                        } else {
                            ().into_any()
                        }}
                    </EmptyState>
                </td>
            </tr>
        }
        .into_any()
    };

    let status_options = move || {
        CustomerStatus::ALL
            .into_iter()
            .map(|s| {
                view! {
                    <option value=s.as_str() prop:selected=move || state.query.with(|q| q.status == Some(s))>
                        {move || i18n.t(customer_status_key(s))}
                    </option>
                }
            })
            .collect_view()
    };
    let tier_options = move || {
        tiers
            .get()
            .into_iter()
            .map(|tier| {
                let key = tier.key.clone();
                view! {
                    <option value=tier.key prop:selected=move || state.query.with(|q| q.tier.as_deref() == Some(key.as_str()))>
                        {tier.label}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::CustomersTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::CustomersSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <ExportButtons export=Signal::derive(move || Export::Customers(state.query.with(CustomerQuery::to_export)))/>
                    <Show when=move || session.can(Permission::CustomerWrite)>
                        <ImportLink kind=ImportKind::Customers/>
                        <a class="btn btn-primary" href="/customers/new" data-testid="customer-new">
                            <Icon name=IconName::Plus/>
                            <span>{i18n.tr(K::NewCustomer)}</span>
                        </a>
                    </Show>
                </div>
            </header>

            <div class="card">
                <PoolTabs
                    pool=Signal::derive(move || state.query.with(|q| q.pool))
                    on_change=Callback::new(move |pool| state.refine(|q| q.pool = pool))
                />
                <div class="toolbar" role="search">
                    <label class="search-box">
                        <Icon name=IconName::Search/>
                        <span class="visually-hidden">{i18n.tr(K::Search)}</span>
                        <input
                            type="search"
                            class="input"
                            data-testid="customers-search"
                            placeholder=i18n.tr(K::CustomersSearchPlaceholder)
                            prop:value=move || state.q_input.get()
                            on:input=move |ev| {
                                state.q_input.set(event_target_value(&ev));
                                state.schedule_text_filters();
                            }
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" {
                                    state.apply_text_filters();
                                }
                            }
                        />
                    </label>
                    <select
                        class="input select filter"
                        data-testid="filter-status"
                        aria-label=i18n.tr(K::FieldStatus)
                        on:change=move |ev| {
                            let status = CustomerStatus::parse(&event_target_value(&ev));
                            state.refine(|q| q.status = status);
                        }
                    >
                        <option value="" prop:selected=move || state.query.with(|q| q.status.is_none())>
                            {i18n.tr(K::AllStatuses)}
                        </option>
                        {status_options}
                    </select>
                    <select
                        class="input select filter"
                        data-testid="filter-tier"
                        aria-label=i18n.tr(K::FieldTier)
                        on:change=move |ev| {
                            let tier = non_blank(&event_target_value(&ev));
                            state.refine(|q| q.tier = tier);
                        }
                    >
                        <option value="" prop:selected=move || state.query.with(|q| q.tier.is_none())>
                            {i18n.tr(K::AllTiers)}
                        </option>
                        {tier_options}
                    </select>
                    <input
                        type="text"
                        class="input filter"
                        list="customer-region-suggestions"
                        data-testid="filter-region"
                        aria-label=i18n.tr(K::FieldRegion)
                        placeholder=i18n.tr(K::RegionPlaceholder)
                        prop:value=move || state.region_input.get()
                        on:input=move |ev| {
                            state.region_input.set(event_target_value(&ev));
                            state.schedule_text_filters();
                        }
                    />
                    <datalist id="customer-region-suggestions">
                        {REGIONS.into_iter().map(|r| view! { <option value=r></option> }).collect_view()}
                    </datalist>
                    <input
                        type="text"
                        class="input filter"
                        data-testid="filter-industry"
                        aria-label=i18n.tr(K::FieldIndustry)
                        placeholder=i18n.tr(K::IndustryPlaceholder)
                        prop:value=move || state.industry_input.get()
                        on:input=move |ev| {
                            state.industry_input.set(event_target_value(&ev));
                            state.schedule_text_filters();
                        }
                    />
                    <Show when=is_filtered>
                        <button type="button" class="btn btn-link" data-testid="clear-filters" on:click=move |_| state.clear_filters()>
                            {i18n.tr(K::ClearFilters)}
                        </button>
                    </Show>
                    <span class="toolbar-spacer"></span>
                    <span class="total" data-testid="customers-total">
                        {move || state.page.with(|p| p.as_ref().and_then(|p| p.total)).map(|n| i18n.total(n))}
                    </span>
                </div>

                <Show when=move || state.query.with(|q| q.drill.is_set())>
                    <ListDrillChips
                        drill=Signal::derive(move || state.query.with(|q| q.drill.clone()))
                        on_clear=Callback::new(move |()| state.clear_filters())
                    />
                </Show>
                <div class="table-wrap" class:is-loading=move || state.loading.get() && !first_load()>
                    <div class="progress" class:active=move || state.loading.get()></div>
                    <table class="table" data-testid="customers-table">
                        <thead>
                            <tr>
                                <SortHeader label=K::FieldCustomerName field="name" sort on_sort/>
                                <th scope="col">{i18n.tr(K::FieldTier)}</th>
                                <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                                <th scope="col">{i18n.tr(K::FieldIndustry)}</th>
                                <th scope="col">{i18n.tr(K::FieldRegion)}</th>
                                <th scope="col">{owner_header}</th>
                                <th scope="col">{i18n.tr(K::FieldLastActivity)}</th>
                                <SortHeader label=K::FieldUpdatedAt field="updated_at" sort on_sort descending_first=true/>
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
                        disabled=move || page_no() <= 1 || state.loading.get()
                        on:click=move |_| state.query.update(|q| { q.cursors.pop(); })
                    >
                        {i18n.tr(K::Prev)}
                    </button>
                    <button
                        type="button"
                        class="btn btn-secondary btn-sm"
                        data-testid="page-next"
                        disabled=move || next_cursor().is_none() || state.loading.get()
                        on:click=move |_| {
                            if let Some(cursor) = next_cursor() {
                                state.query.update(|q| q.cursors.push(cursor));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tier_shows_its_label_or_else_its_key() {
        let tiers = vec![Choice {
            key: "A".to_owned(),
            label: "A 类（重点）".to_owned(),
        }];
        assert_eq!(tier_label(&tiers, Some("A")), "A 类（重点）");
        assert_eq!(tier_label(&tiers, Some("VIP")), "VIP");
        assert_eq!(tier_label(&tiers, None), "—");
    }
}
