//! `/sales-orders` (销售订单): search, a status filter, 我的/全部, sortable columns and cursor
//! paging; each row shows what was received and the next promised date, marked 超期 when a
//! line is past it. 新建订单 enters one directly. The state lives in [`SalesOrderListState`] at
//! the app root, so coming back from an order shows the same page. A report's drill-down
//! (`?order_date_from=…&order_date_to=…&product_id=…`) narrows the list, shown as chips.

mod drill;

use std::time::Duration;

use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::sales_orders::{SalesOrderListQuery, SalesOrderStatus, SalesOrderSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::auth::use_session;
use crate::bind;
use crate::components::badges::SalesOrderStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::table::{EmptyState, SkeletonRows, SortHeader};
use crate::format::{money, non_blank};
use crate::i18n::{K, sales_order_status_key, use_i18n};

use drill::{DrillChips, ReportDrill};

const PAGE_SIZE: u32 = 20;
const DEBOUNCE: Duration = Duration::from_millis(300);
const DEFAULT_SORT: &str = "-created_at";
const COLUMNS: usize = 8;

#[derive(Debug, Clone, PartialEq)]
struct OrderQuery {
    q: String,
    status: Option<SalesOrderStatus>,
    /// Only the caller's own orders.
    mine: bool,
    /// What a report's drill-down narrowed the list to.
    drill: ReportDrill,
    sort: String,
    /// The cursors that led to the current page; empty on the first page.
    cursors: Vec<String>,
}

impl Default for OrderQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            status: None,
            mine: false,
            drill: ReportDrill::default(),
            sort: DEFAULT_SORT.to_owned(),
            cursors: Vec::new(),
        }
    }
}

impl OrderQuery {
    fn is_filtered(&self) -> bool {
        !self.q.trim().is_empty() || self.status.is_some() || self.drill.is_set()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SalesOrderListState {
    query: RwSignal<OrderQuery>,
    /// What is typed in the search box; copied into `query` after a pause in typing.
    q_input: RwSignal<String>,
    debounce: StoredValue<Option<TimeoutHandle>>,
    /// Bumped to refetch the same query (after an order changed).
    reload: RwSignal<u64>,
}

impl SalesOrderListState {
    pub fn new() -> Self {
        Self {
            query: RwSignal::new(OrderQuery::default()),
            q_input: RwSignal::new(String::new()),
            debounce: StoredValue::new(None),
            reload: RwSignal::new(0),
        }
    }

    /// Marks the list out of date; the next visit refetches.
    pub fn invalidate(self) {
        self.reload.update(|n| *n += 1);
    }

    fn refine(self, change: impl FnOnce(&mut OrderQuery)) {
        self.query.update(|q| {
            change(q);
            q.cursors.clear();
        });
    }

    fn schedule_search(self) {
        if let Some(handle) = self.debounce.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || self.apply_search(), DEBOUNCE).ok();
        self.debounce.set_value(handle);
    }

    fn apply_search(self) {
        let q = self.q_input.get_untracked();
        if self.query.with_untracked(|query| query.q != q) {
            self.refine(|query| query.q = q);
        }
    }

    fn clear_filters(self) {
        self.q_input.set(String::new());
        self.refine(|q| {
            q.q.clear();
            q.status = None;
            q.drill = ReportDrill::default();
        });
    }
}

impl Default for SalesOrderListState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_sales_order_list_state() -> SalesOrderListState {
    expect_context::<SalesOrderListState>()
}

#[component]
pub fn SalesOrdersPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::SalesOrderRead) {
            view! { <SalesOrders/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

/// One row: the number links to the order; the whole row opens it too.
fn order_row(order: SalesOrderSummary, open: impl Fn() + Clone + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/sales-orders/{}", order.id);
    let open_on_key = open.clone();
    let promised = order.next_promised_date.map(|d| d.to_string());
    let overdue = order.delivery_overdue;
    view! {
        <tr
            class="row-link"
            class:row-overdue=overdue
            data-testid="sales-order-row"
            data-id=order.id.to_string()
            tabindex="0"
            on:click=move |_| open()
            on:keydown=move |ev| {
                if ev.key() == "Enter" {
                    open_on_key();
                }
            }
        >
            <td class="cell-strong">
                <a href=href class="cell-link cell-mono" tabindex="-1" data-testid="sales-order-row-number" on:click=|ev| ev.stop_propagation()>
                    {order.number}
                </a>
                {order.customer_po.map(|po| view! { <span class="cell-sub">{po}</span> })}
            </td>
            <td class="cell-wrap">{order.customer_name}</td>
            <td><SalesOrderStatusBadge status=order.status testid="sales-order-row-status"/></td>
            <td class="cell-num" data-testid="sales-order-row-total">{money(order.total, &order.currency)}</td>
            <td class="cell-num" data-testid="sales-order-row-received">{money(order.received_amount, &order.currency)}</td>
            <td class="cell-time" data-testid="sales-order-row-promised">
                {promised.unwrap_or_else(|| "—".to_owned())}
                {overdue.then(|| view! {
                    " "<span class="badge badge-red" data-testid="sales-order-row-overdue">{i18n.tr(K::DeliveryOverdue)}</span>
                })}
            </td>
            <td class="cell-time">{order.order_date.to_string()}</td>
            <td>{order.owner_name}</td>
        </tr>
    }
}

#[component]
fn SalesOrders() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let state = use_sales_order_list_state();
    let page = RwSignal::new(None::<Page<SalesOrderSummary>>);
    let loading = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let seq = StoredValue::new(0_u64);
    let me = session.me().map(|m| m.user.id);
    let params = use_query_map();
    let to_plain_list = navigate.clone();

    // A report's drill-down arrives in the URL: it becomes the list's filters, and the address
    // goes back to the plain list (from here on the filters live in the list's state).
    Effect::new(move |_| {
        let drill = params.with(|p| ReportDrill::of(|name| p.get(name)));
        if !drill.is_set() {
            return;
        }
        state.q_input.set(String::new());
        state.refine(|q| {
            *q = OrderQuery {
                drill,
                sort: std::mem::take(&mut q.sort),
                ..OrderQuery::default()
            };
        });
        to_plain_list(
            "/sales-orders",
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });

    Effect::new(move |_| {
        let query = state.query.with(|q| SalesOrderListQuery {
            limit: Some(PAGE_SIZE),
            cursor: q.cursors.last().cloned(),
            sort: Some(q.sort.clone()),
            q: non_blank(&q.q),
            status: q.status,
            owner_id: if q.mine { me } else { q.drill.owner_id },
            department_id: q.drill.department_id,
            customer_id: q.drill.customer_id,
            product_id: q.drill.product_id,
            order_date_from: q.drill.order_date_from,
            order_date_to: q.drill.order_date_to,
            include_total: Some(true),
            ..SalesOrderListQuery::default()
        });
        state.reload.track();
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = api.list_sales_orders(&query).await;
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

    let sort = Signal::derive(move || state.query.with(|q| q.sort.clone()));
    let on_sort = Callback::new(move |sort: String| state.refine(|q| q.sort = sort));
    let first_load = move || page.with(Option::is_none) && loading.get();
    let is_filtered = move || state.query.with(OrderQuery::is_filtered);
    let page_no = move || state.query.with(|q| q.cursors.len() + 1);
    let next_cursor = move || page.with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()));

    let rows = move || {
        let items = page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        items
            .into_iter()
            .map(|order| {
                let navigate = navigate.clone();
                let href = format!("/sales-orders/{}", order.id);
                order_row(order, move || navigate(&href, Default::default()))
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
                K::EmptyFilteredTitle,
                Some(K::EmptyFilteredHint),
                IconName::Search,
            )
        } else {
            (K::OrdersEmpty, Some(K::OrdersEmptyHint), IconName::Orders)
        };
        view! {
            <tr class="empty-row">
                <td colspan=COLUMNS.to_string()>
                    <EmptyState
                        icon
                        title=i18n.signal(title)
                        hint=Signal::derive(move || hint.map(|h| i18n.t(h).to_owned()).unwrap_or_default())
                        testid="sales-orders-empty"
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

    let tab = move |mine: bool, testid: &'static str, label: K| {
        let active = move || state.query.with(|q| q.mine == mine);
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                class:active=active
                aria-selected=move || if active() { "true" } else { "false" }
                data-testid=testid
                on:click=move |_| state.refine(|q| q.mine = mine)
            >
                {i18n.tr(label)}
            </button>
        }
    };
    let status_options = move || {
        SalesOrderStatus::ALL
            .into_iter()
            .map(|s| {
                view! {
                    <option value=s.as_str() prop:selected=move || state.query.with(|q| q.status == Some(s))>
                        {i18n.tr(sales_order_status_key(s))}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::OrdersTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::OrdersSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <a class="btn btn-secondary" href="/sales-orders/overdue" data-testid="overdue-deliveries-link">
                        <Icon name=IconName::Clock/>
                        <span>{i18n.tr(K::OverdueDeliveries)}</span>
                    </a>
                    <a class="btn btn-secondary" href="/sales-orders/reconciliation" data-testid="reconciliation-link">
                        <Icon name=IconName::Sync/>
                        <span>{i18n.tr(K::ReconciliationTitle)}</span>
                    </a>
                    <Show when=move || session.can(Permission::SalesOrderWrite)>
                        <a class="btn btn-primary" href="/sales-orders/new" data-testid="order-new">
                            <Icon name=IconName::Plus/>
                            <span>{i18n.tr(K::NewOrder)}</span>
                        </a>
                    </Show>
                </div>
            </header>
            <div class="card">
                <div class="tabs card-tabs" role="tablist">
                    {tab(false, "view-all", K::ViewAll)}
                    {tab(true, "view-mine", K::ViewMine)}
                </div>
                <div class="toolbar" role="search">
                    <label class="search-box">
                        <Icon name=IconName::Search/>
                        <span class="visually-hidden">{i18n.tr(K::Search)}</span>
                        <input
                            type="search"
                            class="input"
                            data-testid="sales-orders-search"
                            placeholder=i18n.tr(K::OrdersSearchPlaceholder)
                            prop:value=bind::value(state.q_input)
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
                    <select
                        class="input select filter"
                        data-testid="filter-status"
                        aria-label=i18n.tr(K::FieldStatus)
                        on:change=move |ev| {
                            let status = SalesOrderStatus::parse(&event_target_value(&ev));
                            state.refine(|q| q.status = status);
                        }
                    >
                        <option value="" prop:selected=move || state.query.with(|q| q.status.is_none())>
                            {i18n.tr(K::AllStatuses)}
                        </option>
                        {status_options}
                    </select>
                    <Show when=is_filtered>
                        <button type="button" class="btn btn-link" data-testid="clear-filters" on:click=move |_| state.clear_filters()>
                            {i18n.tr(K::ClearFilters)}
                        </button>
                    </Show>
                    <span class="toolbar-spacer"></span>
                    <span class="total" data-testid="sales-orders-total">
                        {move || page.with(|p| p.as_ref().and_then(|p| p.total)).map(|n| i18n.total(n))}
                    </span>
                </div>
                <Show when=move || state.query.with(|q| q.drill.is_set())>
                    <DrillChips
                        drill=Signal::derive(move || state.query.with(|q| q.drill.clone()))
                        on_clear=Callback::new(move |()| state.clear_filters())
                    />
                </Show>
                <div class="table-wrap" class:is-loading=move || loading.get() && !first_load()>
                    <div class="progress" class:active=move || loading.get()></div>
                    <table class="table" data-testid="sales-orders-table">
                        <thead>
                            <tr>
                                <SortHeader label=K::OrderNumber field="number" sort on_sort/>
                                <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                                <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                                <SortHeader label=K::OrderTotal field="total" sort on_sort descending_first=true/>
                                <th scope="col" class="cell-num">{i18n.tr(K::ReceivedAmount)}</th>
                                <th scope="col">{i18n.tr(K::NextPromisedDate)}</th>
                                <SortHeader label=K::OrderDate field="order_date" sort on_sort descending_first=true/>
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
                        on:click=move |_| state.query.update(|q| { q.cursors.pop(); })
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
