//! `/price-lists` (价格表), for `product.manage`: every price list with its audience (a tier or
//! one customer), currency, validity and size; a list opens in its editor.

use crm_api_types::Page;
use crm_api_types::identity::Permission;
use crm_api_types::products::{PriceListAudience, PriceListListQuery, PriceListResponse};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::local_datetime;
use crate::i18n::{K, use_i18n};
use crate::pages::customers_list::tier_label;

const PAGE_SIZE: u32 = 50;
const COLUMNS: usize = 7;

/// `2027-01-01 – 2027-12-31`, open ends as `…`.
pub fn validity(list: &PriceListResponse) -> String {
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "…".to_owned(), |d| d.to_string());
    format!("{} – {}", day(list.valid_from), day(list.valid_to))
}

#[component]
pub fn PriceListsPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::ProductManage) {
            view! { <PriceLists/> }.into_any()
        } else {
            view! { <NoPermission back_href="/products" back_label=K::BackToProducts/> }.into_any()
        }
    }
}

#[component]
fn PriceLists() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let page = RwSignal::new(None::<Page<PriceListResponse>>);
    let cursors = RwSignal::new(Vec::<String>::new());
    let loading = RwSignal::new(false);
    let tiers = RwSignal::new(Vec::<Choice>::new());

    spawn_local(async move {
        if let Ok(settings) = api.get_settings().await {
            tiers.set(settings.value.customer_tiers);
        }
    });
    Effect::new(move |_| {
        let query = PriceListListQuery {
            limit: Some(PAGE_SIZE),
            cursor: cursors.with(|c| c.last().cloned()),
            include_total: Some(true),
            ..PriceListListQuery::default()
        };
        loading.set(true);
        spawn_local(async move {
            let result = api.list_price_lists(&query).await;
            loading.set(false);
            match result {
                Ok(found) => page.set(Some(found)),
                Err(error) => api.report(&error),
            }
        });
    });
    let next_cursor = move || page.with(|p| p.as_ref().and_then(|p| p.next_cursor.clone()));

    let rows = move || {
        page.get()
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|list| {
                let href = format!("/price-lists/{}", list.id);
                let open = {
                    let navigate = navigate.clone();
                    let href = href.clone();
                    move || navigate(&href, Default::default())
                };
                let audience = list.audience.clone();
                let audience_text = move || match &audience {
                    PriceListAudience::Tier { tier } => {
                        format!("{}：{}", i18n.t(K::AudienceTier), tiers.with(|t| tier_label(t, Some(tier))))
                    }
                    PriceListAudience::Customer { customer_name, .. } => format!(
                        "{}：{}",
                        i18n.t(K::AudienceCustomer),
                        customer_name.clone().unwrap_or_default()
                    ),
                };
                view! {
                    <tr class="row-link" class:row-muted=!list.active data-testid="price-list-row" data-id=list.id.to_string()
                        on:click=move |_| open()>
                        <td class="cell-strong"><a class="cell-link" href=href on:click=|ev| ev.stop_propagation()>{list.name.clone()}</a></td>
                        <td>{audience_text}</td>
                        <td>{list.currency.clone()}</td>
                        <td class="cell-time">{validity(&list)}</td>
                        <td>{move || i18n.t(if list.active { K::ActiveOnly } else { K::Inactive })}</td>
                        <td class="cell-num">{list.item_count}</td>
                        <td class="cell-time">{local_datetime(&list.updated_at)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let body = move || {
        if page.with(Option::is_none) {
            return view! { <SkeletonRows cols=COLUMNS/> }.into_any();
        }
        if page.with(|p| p.as_ref().is_some_and(|p| !p.items.is_empty())) {
            return rows().into_any();
        }
        view! {
            <tr class="empty-row">
                <td colspan=COLUMNS.to_string()>
                    <EmptyState
                        icon=IconName::Tag
                        title=Signal::derive(move || i18n.t(K::PriceListsEmpty).to_owned())
                        hint=Signal::derive(move || i18n.t(K::PriceListsEmptyHint).to_owned())
                        testid="price-lists-empty"
                    />
                </td>
            </tr>
        }
        .into_any()
    };

    view! {
        <div class="page">
            <a class="back-link" href="/products">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToProducts)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::PriceLists)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::PriceListsSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <a class="btn btn-primary" href="/price-lists/new" data-testid="price-list-new">
                        <Icon name=IconName::Plus/>
                        <span>{i18n.tr(K::NewPriceList)}</span>
                    </a>
                </div>
            </header>
            <div class="card">
                <div class="table-wrap" class:is-loading=move || loading.get()>
                    <div class="progress" class:active=move || loading.get()></div>
                    <table class="table" data-testid="price-lists-table">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr(K::PriceListName)}</th>
                                <th scope="col">{i18n.tr(K::Audience)}</th>
                                <th scope="col">{i18n.tr(K::FieldCurrency)}</th>
                                <th scope="col">{i18n.tr(K::Validity)}</th>
                                <th scope="col">{i18n.tr(K::FieldActive)}</th>
                                <th scope="col" class="cell-num">{i18n.tr(K::ItemCount)}</th>
                                <th scope="col">{i18n.tr(K::FieldUpdatedAt)}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <footer class="pager">
                    <span class="total">{move || page.with(|p| p.as_ref().and_then(|p| p.total)).map(|n| i18n.total(n))}</span>
                    <span class="toolbar-spacer"></span>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="page-prev"
                        disabled=move || cursors.with(Vec::is_empty) || loading.get()
                        on:click=move |_| cursors.update(|c| { c.pop(); })>
                        {i18n.tr(K::Prev)}
                    </button>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="page-next"
                        disabled=move || next_cursor().is_none() || loading.get()
                        on:click=move |_| {
                            if let Some(cursor) = next_cursor() {
                                cursors.update(|c| c.push(cursor));
                            }
                        }>
                        {i18n.tr(K::Next)}
                    </button>
                </footer>
            </div>
        </div>
    }
}
