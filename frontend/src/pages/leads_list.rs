//! The lead list: the owned leads or the pool (公海, with 领取 in each row), search, filters,
//! sortable columns, cursor paging; export of what it shows and the way to the import.
//!
//! Its state lives in [`LeadListState`], provided at the app root, so coming back from a
//! lead's page shows the same search, filters and page. The lead-sources report's drill-down
//! arrives in the URL (`?source=…&created_from=…&created_to=…&department_id=…&reached=…`): its
//! source, status, region and industry become the list's own filters, the rest chips over the
//! list (and the export takes them too).

use std::time::Duration;

use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::imports::{ImportKind, LeadExportQuery};
use crm_api_types::leads::{LeadListQuery, LeadResponse, LeadSource, LeadStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::badges::LeadStatusBadge;
use crate::components::export_buttons::{Export, ExportButtons, ImportLink};
use crate::components::icons::{Icon, IconName};
use crate::components::list_drill::{ListDrill, ListDrillChips};
use crate::components::owner::{ClaimButton, PoolTabs};
use crate::components::table::{EmptyState, SkeletonRows, SortHeader};
use crate::format::{local_datetime, non_blank, or_dash};
use crate::i18n::{K, source_key, status_key, use_i18n};

const PAGE_SIZE: u32 = 20;
const DEBOUNCE: Duration = Duration::from_millis(300);
const DEFAULT_SORT: &str = "-created_at";
const COLUMNS: usize = 10;
/// Suggestions for the exact-match region filter (free text is still allowed).
const REGIONS: [&str; 7] = ["华东", "华南", "华北", "华中", "西南", "西北", "东北"];

/// What the list asks the API for.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadQuery {
    q: String,
    status: Option<LeadStatus>,
    source: Option<LeadSource>,
    region: String,
    industry: String,
    sort: String,
    /// The pool (公海) instead of the leads people own.
    pool: bool,
    /// What a report's drill-down narrowed the list to.
    drill: ListDrill,
    /// The cursors that led to the current page; empty on the first page. "Previous" pops.
    cursors: Vec<String>,
}

impl Default for LeadQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            status: None,
            source: None,
            region: String::new(),
            industry: String::new(),
            sort: DEFAULT_SORT.to_owned(),
            pool: false,
            drill: ListDrill::default(),
            cursors: Vec::new(),
        }
    }
}

impl LeadQuery {
    fn to_api(&self) -> LeadListQuery {
        let (created_from, created_to) = self.drill.created_instants();
        LeadListQuery {
            limit: Some(PAGE_SIZE),
            cursor: self.cursors.last().cloned(),
            sort: Some(self.sort.clone()),
            q: non_blank(&self.q),
            status: self.status,
            source: self.source,
            region: non_blank(&self.region),
            industry: non_blank(&self.industry),
            pool: Some(self.pool),
            owner_id: self.drill.owner_id,
            department_id: self.drill.department_id,
            reached: self.drill.reached,
            created_from,
            created_to,
            include_total: Some(true),
        }
    }

    /// The same filters and order for an export, without paging.
    fn to_export(&self) -> LeadExportQuery {
        let (created_from, created_to) = self.drill.created_instants();
        LeadExportQuery {
            sort: Some(self.sort.clone()),
            q: non_blank(&self.q),
            status: self.status,
            source: self.source,
            pool: Some(self.pool),
            region: non_blank(&self.region),
            industry: non_blank(&self.industry),
            owner_id: self.drill.owner_id,
            department_id: self.drill.department_id,
            reached: self.drill.reached,
            created_from,
            created_to,
            ..LeadExportQuery::default()
        }
    }

    fn is_filtered(&self) -> bool {
        !self.q.trim().is_empty()
            || self.status.is_some()
            || self.source.is_some()
            || !self.region.trim().is_empty()
            || !self.industry.trim().is_empty()
            || self.drill.is_set()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct LeadListState {
    query: RwSignal<LeadQuery>,
    /// What is typed in the text boxes; copied into `query` after a pause in typing.
    q_input: RwSignal<String>,
    region_input: RwSignal<String>,
    industry_input: RwSignal<String>,
    page: RwSignal<Option<Page<LeadResponse>>>,
    loading: RwSignal<bool>,
    failed: RwSignal<bool>,
    /// Answers to older requests are dropped: only the latest query may fill the table.
    request_seq: StoredValue<u64>,
    debounce: StoredValue<Option<TimeoutHandle>>,
    /// Bumped to refetch the same query (after a create, edit or delete).
    reload: RwSignal<u64>,
}

impl LeadListState {
    pub fn new() -> Self {
        Self {
            query: RwSignal::new(LeadQuery::default()),
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

    /// Marks the list out of date; the next visit refetches (and shows the old rows meanwhile).
    pub fn invalidate(self) {
        self.reload.update(|n| *n += 1);
    }

    /// Changes the query and goes back to the first page.
    fn refine(self, change: impl FnOnce(&mut LeadQuery)) {
        self.query.update(|q| {
            change(q);
            q.cursors.clear();
        });
    }

    /// Applies the text boxes after the user stops typing.
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
            *q = LeadQuery {
                sort,
                pool: q.pool,
                ..LeadQuery::default()
            };
        });
    }
}

impl Default for LeadListState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_lead_list_state() -> LeadListState {
    expect_context::<LeadListState>()
}

#[component]
pub fn LeadsListPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let state = use_lead_list_state();
    let navigate = use_navigate();
    let params = use_query_map();
    let to_plain_list = navigate.clone();

    // A report's drill-down arrives in the URL: it becomes the list's filters (the owned
    // leads: the report counts no pool), and the address goes back to the plain list.
    Effect::new(move |_| {
        let (drill, source, status, region, industry) = params.with(|p| {
            let text = |name: &str| p.get(name).and_then(|v| non_blank(&v));
            (
                ListDrill::of(|name| p.get(name)),
                p.get("source").and_then(|v| LeadSource::parse(&v)),
                p.get("status").and_then(|v| LeadStatus::parse(&v)),
                text("region"),
                text("industry"),
            )
        });
        if !drill.is_set()
            && source.is_none()
            && status.is_none()
            && region.is_none()
            && industry.is_none()
        {
            return;
        }
        let (region, industry) = (region.unwrap_or_default(), industry.unwrap_or_default());
        state.q_input.set(String::new());
        state.region_input.set(region.clone());
        state.industry_input.set(industry.clone());
        state.refine(|q| {
            *q = LeadQuery {
                source,
                status,
                region,
                industry,
                drill,
                sort: std::mem::take(&mut q.sort),
                ..LeadQuery::default()
            };
        });
        // After the navigation that brought the drill-down has settled: replacing the entry
        // sooner overwrote the report's, and Back skipped the report.
        let to_plain_list = to_plain_list.clone();
        set_timeout(
            move || {
                to_plain_list(
                    "/leads",
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                )
            },
            Duration::ZERO,
        );
    });

    // Fetch whenever the query changes (and on arrival).
    Effect::new(move |_| {
        let query = state.query.get().to_api();
        state.reload.track();
        let seq = state.request_seq.get_value() + 1;
        state.request_seq.set_value(seq);
        state.loading.set(true);
        spawn_local(async move {
            let result = api.list_leads(&query).await;
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
    let owner_header = move || {
        i18n.t(if state.query.with(|q| q.pool) {
            K::Actions
        } else {
            K::FieldOwner
        })
    };
    let on_sort = Callback::new(move |sort: String| state.refine(|q| q.sort = sort));
    let items = move || {
        state
            .page
            .with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default())
    };
    let has_rows = move || {
        state
            .page
            .with(|p| p.as_ref().is_some_and(|p| !p.items.is_empty()))
    };
    let first_load = move || state.page.with(Option::is_none) && state.loading.get();
    let is_filtered = move || state.query.with(LeadQuery::is_filtered);
    let page_no = move || state.query.with(|q| q.cursors.len() + 1);
    let next_cursor = move || {
        state
            .page
            .with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()))
    };

    let open_lead = move |id: uuid::Uuid| {
        let navigate = navigate.clone();
        move || navigate(&format!("/leads/{id}"), Default::default())
    };

    // A lead nobody owns is in the pool: who may work leads claims it right in the row.
    let owner_cell = move |owner: Option<uuid::Uuid>, name: Option<String>, id: uuid::Uuid| {
        if owner.is_some() || !session.can(Permission::LeadWrite) {
            return name
                .unwrap_or_else(|| i18n.t(K::InPool).to_owned())
                .into_any();
        }
        let refresh = Callback::new(move |()| state.invalidate());
        view! {
            <ClaimButton
                id
                on_claimed=Callback::new(move |_: LeadResponse| state.invalidate())
                on_stale=refresh
                testid="pool-claim"
                small=true
            />
        }
        .into_any()
    };

    let rows = move || {
        items()
            .into_iter()
            .map(|lead| {
                let open = open_lead(lead.id);
                let open_on_key = open.clone();
                let href = format!("/leads/{}", lead.id);
                let source = lead.source;
                let status = lead.status;
                view! {
                    <tr
                        class="row-link"
                        data-testid="lead-row"
                        data-id=lead.id.to_string()
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
                                {lead.company_name}
                            </a>
                        </td>
                        <td>{lead.contact_name}</td>
                        <td class="cell-mono">{or_dash(lead.mobile.as_deref())}</td>
                        <td>{move || i18n.t(source_key(source))}</td>
                        <td>{or_dash(lead.region.as_deref())}</td>
                        <td>{or_dash(lead.industry.as_deref())}</td>
                        <td><LeadStatusBadge status/></td>
                        <td>{owner_cell(lead.owner_id, lead.owner_name, lead.id)}</td>
                        <td class="cell-time">{local_datetime(&lead.created_at)}</td>
                        <td class="cell-time">{local_datetime(&lead.updated_at)}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    let body = move || {
        if first_load() {
            view! { <SkeletonRows cols=COLUMNS/> }.into_any()
        } else if has_rows() {
            rows().into_any()
        } else {
            let (title, hint, icon) = if state.failed.get() {
                (K::UnexpectedError, K::Empty, IconName::Alert)
            } else if is_filtered() {
                (
                    K::EmptyFilteredTitle,
                    K::EmptyFilteredHint,
                    IconName::Search,
                )
            } else if state.query.with(|q| q.pool) {
                (K::EmptyPoolTitle, K::EmptyPoolHint, IconName::Inbox)
            } else {
                (K::EmptyLeadsTitle, K::EmptyLeadsHint, IconName::Inbox)
            };
            let hint = if hint == K::Empty {
                String::new()
            } else {
                i18n.t(hint).to_owned()
            };
            view! {
                <tr class="empty-row">
                    <td colspan=COLUMNS.to_string()>
                        <EmptyState icon title=Signal::derive(move || i18n.t(title).to_owned()) hint=Signal::derive(move || hint.clone()) testid="leads-empty">
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
        }
    };

    let source_options = move || {
        LeadSource::ALL
            .into_iter()
            .map(|s| {
                let value = s.as_str();
                view! {
                    <option value=value prop:selected=move || state.query.with(|q| q.source == Some(s))>
                        {move || i18n.t(source_key(s))}
                    </option>
                }
            })
            .collect_view()
    };
    let status_options = move || {
        LeadStatus::ALL
            .into_iter()
            .map(|s| {
                view! {
                    <option value=s.as_str() prop:selected=move || state.query.with(|q| q.status == Some(s))>
                        {move || i18n.t(status_key(s))}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::LeadsTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::LeadsSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <ExportButtons export=Signal::derive(move || Export::Leads(state.query.with(LeadQuery::to_export)))/>
                    <Show when=move || session.can(Permission::LeadWrite)>
                        <ImportLink kind=ImportKind::Leads/>
                        <a class="btn btn-primary" href="/leads/new" data-testid="lead-new">
                            <Icon name=IconName::Plus/>
                            <span>{i18n.tr(K::NewLead)}</span>
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
                            data-testid="leads-search"
                            placeholder=i18n.tr(K::LeadsSearchPlaceholder)
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
                            let status = LeadStatus::parse(&event_target_value(&ev));
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
                        data-testid="filter-source"
                        aria-label=i18n.tr(K::FieldSource)
                        on:change=move |ev| {
                            let source = LeadSource::parse(&event_target_value(&ev));
                            state.refine(|q| q.source = source);
                        }
                    >
                        <option value="" prop:selected=move || state.query.with(|q| q.source.is_none())>
                            {i18n.tr(K::AllSources)}
                        </option>
                        {source_options}
                    </select>
                    <input
                        type="text"
                        class="input filter"
                        list="region-suggestions"
                        data-testid="filter-region"
                        aria-label=i18n.tr(K::FieldRegion)
                        placeholder=i18n.tr(K::RegionPlaceholder)
                        prop:value=move || state.region_input.get()
                        on:input=move |ev| {
                            state.region_input.set(event_target_value(&ev));
                            state.schedule_text_filters();
                        }
                    />
                    <datalist id="region-suggestions">
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
                    <span class="total" data-testid="leads-total">
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
                    <table class="table" data-testid="leads-table">
                        <thead>
                            <tr>
                                <SortHeader label=K::FieldCompanyName field="company_name" sort on_sort/>
                                <th scope="col">{i18n.tr(K::FieldContactName)}</th>
                                <th scope="col">{i18n.tr(K::FieldMobile)}</th>
                                <th scope="col">{i18n.tr(K::FieldSource)}</th>
                                <th scope="col">{i18n.tr(K::FieldRegion)}</th>
                                <th scope="col">{i18n.tr(K::FieldIndustry)}</th>
                                <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                                <th scope="col">{owner_header}</th>
                                <SortHeader label=K::FieldCreatedAt field="created_at" sort on_sort descending_first=true/>
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
