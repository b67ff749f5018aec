//! `/products` (产品): the catalogue. The category tree on the left filters the table (a
//! category and those below it); search and the active filter narrow it further. Everyone may
//! read it; `product.manage` creates, edits and deletes products and categories, and reaches
//! the price lists. Each product shows its price history (价格履历), and one an ERP owns its
//! ERP 同步 status (`/products?sync=<id>` opens that of one product, from 设置 → 数据同步).

mod categories;
mod price_history;
mod product_dialog;
mod sync_dialog;

use std::time::Duration;

use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::products::{ProductCategoryResponse, ProductListQuery, ProductResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::table::{EmptyState, SkeletonRows, SortHeader};
use crate::format::{money, non_blank, or_dash};
use crate::i18n::{K, use_i18n, vat_rate_label};

use categories::CategoryTree;
use price_history::PriceHistoryDialog;
use product_dialog::ProductDialog;
use sync_dialog::ProductSyncDialog;

const PAGE_SIZE: u32 = 20;
const DEBOUNCE: Duration = Duration::from_millis(300);
const COLUMNS: usize = 9;

#[derive(Debug, Clone, PartialEq)]
struct ProductQuery {
    q: String,
    category_id: Option<Uuid>,
    /// `None`: active and inactive alike.
    active: Option<bool>,
    sort: String,
    cursors: Vec<String>,
}

impl ProductQuery {
    fn to_api(&self) -> ProductListQuery {
        ProductListQuery {
            limit: Some(PAGE_SIZE),
            cursor: self.cursors.last().cloned(),
            sort: Some(self.sort.clone()),
            q: non_blank(&self.q),
            category_id: self.category_id,
            active: self.active,
            include_total: Some(true),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Edit(ProductResponse),
    History(ProductResponse),
    Sync(ProductResponse),
    Delete(ProductResponse),
}

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let can_manage = Signal::derive(move || session.can(Permission::ProductManage));
    let categories = RwSignal::new(Vec::<ProductCategoryResponse>::new());
    let query = RwSignal::new(ProductQuery {
        q: String::new(),
        category_id: None,
        active: Some(true),
        sort: "code".to_owned(),
        cursors: Vec::new(),
    });
    let q_input = RwSignal::new(String::new());
    let debounce = StoredValue::new(None::<TimeoutHandle>);
    let page = RwSignal::new(None::<Page<ProductResponse>>);
    let loading = RwSignal::new(false);
    let reload = RwSignal::new(0_u64);
    let seq = StoredValue::new(0_u64);
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);

    // `?sync=<id>` (a link from 数据同步): that product's sync status, over the list.
    let params = use_query_map();
    let navigate = use_navigate();
    let linked = Memo::new(move |_| {
        params
            .with(|p| p.get("sync"))
            .and_then(|id| Uuid::parse_str(&id).ok())
    });
    Effect::new(move |_| {
        let Some(id) = linked.get() else { return };
        spawn_local(async move {
            match api.get_product(id).await {
                Ok(product) => {
                    dialog.try_set(Dialog::Sync(product));
                }
                Err(error) => api.report(&error),
            }
        });
    });
    let close = Callback::new(move |()| {
        dialog.set(Dialog::Closed);
        if linked.get_untracked().is_some() {
            navigate(
                "/products",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let load_categories = Callback::new(move |()| {
        spawn_local(async move {
            match api.product_categories().await {
                Ok(all) => categories.set(all),
                Err(error) => api.report(&error),
            }
        });
    });
    load_categories.run(());

    Effect::new(move |_| {
        let request = query.with(ProductQuery::to_api);
        reload.track();
        let n = seq.get_value() + 1;
        seq.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let result = api.list_products(&request).await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            loading.set(false);
            match result {
                Ok(found) => page.set(Some(found)),
                Err(error) => api.report(&error),
            }
        });
    });

    let refine = move |change: &dyn Fn(&mut ProductQuery)| {
        query.update(|q| {
            change(q);
            q.cursors.clear();
        });
    };
    let on_search = move |ev| {
        q_input.set(event_target_value(&ev));
        if let Some(handle) = debounce.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let q = q_input.get_untracked();
                query.update(|cur| {
                    cur.q = q;
                    cur.cursors.clear();
                });
            },
            DEBOUNCE,
        )
        .ok();
        debounce.set_value(handle);
    };
    let sort = Signal::derive(move || query.with(|q| q.sort.clone()));
    let on_sort = Callback::new(move |sort: String| refine(&|q| q.sort = sort.clone()));
    let page_no = move || query.with(|q| q.cursors.len() + 1);
    let next_cursor = move || page.with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()));
    let first_load = move || page.with(Option::is_none) && loading.get();

    let on_saved = Callback::new(move |created: bool| {
        dialog.set(Dialog::Closed);
        api.toasts.success(api.i18n.t(if created {
            K::ProductCreated
        } else {
            K::ProductSaved
        }));
        reload.update(|n| *n += 1);
        load_categories.run(());
    });
    let on_delete = Callback::new(move |()| {
        let Dialog::Delete(product) = dialog.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_product(product.id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::ProductDeleted));
                    reload.update(|n| *n += 1);
                    load_categories.run(());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let rows = move || {
        let items = page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        items
            .into_iter()
            .map(|product| {
                let for_edit = product.clone();
                let for_history = product.clone();
                let for_delete = product.clone();
                let for_sync = product.clone();
                let synced = product.external_id.is_some();
                view! {
                    <tr data-testid="product-row" data-id=product.id.to_string() class:row-muted=!product.active>
                        <td class="cell-code">{product.code}</td>
                        <td class="cell-strong cell-wrap">
                            {product.name}
                            {(!product.active).then(|| view! { <span class="badge badge-gray">{i18n.tr(K::Inactive)}</span> })}
                        </td>
                        <td class="cell-wrap">{or_dash(product.spec.as_deref())}</td>
                        <td>{product.unit}</td>
                        <td>{or_dash(product.category_name.as_deref())}</td>
                        <td class="cell-num">{money(product.list_price, &product.currency)}</td>
                        <td>{vat_rate_label(product.vat_rate)}</td>
                        <td class="cell-code">{or_dash(product.external_id.as_deref())}</td>
                        <td class="cell-actions">
                            <button type="button" class="btn btn-link btn-sm" data-testid="product-history"
                                on:click=move |_| dialog.set(Dialog::History(for_history.clone()))>
                                {i18n.tr(K::PriceHistory)}
                            </button>
                            {synced.then(|| view! {
                                <button type="button" class="btn btn-link btn-sm" data-testid="product-sync"
                                    on:click=move |_| dialog.set(Dialog::Sync(for_sync.clone()))>
                                    {i18n.tr(K::ErpSync)}
                                </button>
                            })}
                            <Show when=move || can_manage.get()>
                                <button type="button" class="btn btn-link btn-sm" data-testid="product-edit"
                                    on:click={
                                        let for_edit = for_edit.clone();
                                        move |_| dialog.set(Dialog::Edit(for_edit.clone()))
                                    }>
                                    {i18n.tr(K::Edit)}
                                </button>
                                <button type="button" class="btn btn-link btn-link-danger btn-sm" data-testid="product-delete"
                                    on:click={
                                        let for_delete = for_delete.clone();
                                        move |_| dialog.set(Dialog::Delete(for_delete.clone()))
                                    }>
                                    {i18n.tr(K::Delete)}
                                </button>
                            </Show>
                        </td>
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
        view! {
            <tr class="empty-row">
                <td colspan=COLUMNS.to_string()>
                    <EmptyState
                        icon=IconName::Box
                        title=Signal::derive(move || i18n.t(K::ProductsEmpty).to_owned())
                        hint=Signal::derive(move || i18n.t(K::ProductsEmptyHint).to_owned())
                        testid="products-empty"
                    />
                </td>
            </tr>
        }
        .into_any()
    };

    view! {
        <div class="page page-full">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::ProductsTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::ProductsSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <Show when=move || can_manage.get()>
                        <a class="btn btn-secondary" href="/price-lists" data-testid="price-lists-link">
                            <Icon name=IconName::Tag/>
                            <span>{i18n.tr(K::PriceLists)}</span>
                        </a>
                        <button type="button" class="btn btn-primary" data-testid="product-new" on:click=move |_| dialog.set(Dialog::Create)>
                            <Icon name=IconName::Plus/>
                            <span>{i18n.tr(K::NewProduct)}</span>
                        </button>
                    </Show>
                </div>
            </header>
            <div class="catalogue">
                <CategoryTree
                    categories
                    chosen=Signal::derive(move || query.with(|q| q.category_id))
                    on_choose=Callback::new(move |id: Option<Uuid>| refine(&|q| q.category_id = id))
                    can_manage
                    on_changed=load_categories
                />
                <div class="card">
                    <div class="toolbar" role="search">
                        <label class="search-box">
                            <Icon name=IconName::Search/>
                            <span class="visually-hidden">{i18n.tr(K::Search)}</span>
                            <input type="search" class="input" data-testid="products-search"
                                placeholder=i18n.tr(K::ProductSearchPlaceholder)
                                prop:value=move || q_input.get() on:input=on_search/>
                        </label>
                        <select class="input select filter" data-testid="filter-active" aria-label=i18n.tr(K::FieldActive)
                            on:change=move |ev| {
                                let active = match event_target_value(&ev).as_str() {
                                    "true" => Some(true),
                                    "false" => Some(false),
                                    _ => None,
                                };
                                refine(&|q| q.active = active);
                            }>
                            <option value="true" prop:selected=move || query.with(|q| q.active == Some(true))>{i18n.tr(K::ActiveOnly)}</option>
                            <option value="false" prop:selected=move || query.with(|q| q.active == Some(false))>{i18n.tr(K::InactiveOnly)}</option>
                            <option value="" prop:selected=move || query.with(|q| q.active.is_none())>{i18n.tr(K::AllProducts)}</option>
                        </select>
                        <span class="toolbar-spacer"></span>
                        <span class="total" data-testid="products-total">
                            {move || page.with(|p| p.as_ref().and_then(|p| p.total)).map(|n| i18n.total(n))}
                        </span>
                    </div>
                    <div class="table-wrap" class:is-loading=move || loading.get() && !first_load()>
                        <div class="progress" class:active=move || loading.get()></div>
                        <table class="table" data-testid="products-table">
                            <thead>
                                <tr>
                                    <SortHeader label=K::FieldProductCode field="code" sort on_sort/>
                                    <SortHeader label=K::FieldProductName field="name" sort on_sort/>
                                    <th scope="col">{i18n.tr(K::FieldSpec)}</th>
                                    <th scope="col">{i18n.tr(K::FieldUnit)}</th>
                                    <th scope="col">{i18n.tr(K::FieldCategory)}</th>
                                    <th scope="col" class="cell-num">{i18n.tr(K::FieldListPrice)}</th>
                                    <th scope="col">{i18n.tr(K::FieldVatRate)}</th>
                                    <th scope="col">{i18n.tr(K::FieldExternalId)}</th>
                                    <th scope="col"><span class="visually-hidden">{i18n.tr(K::Actions)}</span></th>
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                    <footer class="pager">
                        <span class="pager-info" data-testid="page-info">{move || i18n.page_no(page_no())}</span>
                        <button type="button" class="btn btn-secondary btn-sm" data-testid="page-prev"
                            disabled=move || page_no() <= 1 || loading.get()
                            on:click=move |_| query.update(|q| { q.cursors.pop(); })>
                            {i18n.tr(K::Prev)}
                        </button>
                        <button type="button" class="btn btn-secondary btn-sm" data-testid="page-next"
                            disabled=move || next_cursor().is_none() || loading.get()
                            on:click=move |_| {
                                if let Some(cursor) = next_cursor() {
                                    query.update(|q| q.cursors.push(cursor));
                                }
                            }>
                            {i18n.tr(K::Next)}
                        </button>
                    </footer>
                </div>
            </div>
            {move || match dialog.get() {
                Dialog::Closed => ().into_any(),
                Dialog::Create => view! {
                    <ProductDialog product=None categories on_saved on_close=close/>
                }.into_any(),
                Dialog::Edit(product) => view! {
                    <ProductDialog product=Some(product) categories on_saved on_close=close/>
                }.into_any(),
                Dialog::History(product) => view! {
                    <PriceHistoryDialog product on_close=close/>
                }.into_any(),
                Dialog::Sync(product) => view! {
                    <ProductSyncDialog product on_close=close/>
                }.into_any(),
                Dialog::Delete(product) => view! {
                    <ConfirmDialog
                        title=K::DeleteProduct
                        message=Signal::derive(move || i18n.confirm_delete_named(&product.name))
                        busy=deleting
                        on_confirm=on_delete
                        on_cancel=close
                    />
                }.into_any(),
            }}
        </div>
    }
}
