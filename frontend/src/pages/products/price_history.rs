//! 价格履历 of one product: every price it was won, quoted or sold at, per customer, newest
//! first, a page at a time.

use crm_api_types::products::{PriceHistoryQuery, PriceHistoryResponse, ProductResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::components::modal::Modal;
use crate::components::table::Spinner;
use crate::format::{local_datetime, money, plain};
use crate::i18n::{K, price_event_key, use_i18n};

const PAGE_SIZE: u32 = 50;

#[component]
pub fn PriceHistoryDialog(product: ProductResponse, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let entries = RwSignal::new(None::<Vec<PriceHistoryResponse>>);
    let next_cursor = RwSignal::new(None::<String>);
    let product_id = product.id;

    let fetch = move |cursor: Option<String>| {
        let query = PriceHistoryQuery {
            limit: Some(PAGE_SIZE),
            cursor: cursor.clone(),
            product_id: Some(product_id),
            ..PriceHistoryQuery::default()
        };
        spawn_local(async move {
            match api.price_history(&query).await {
                Ok(page) => {
                    next_cursor.set(page.next_cursor);
                    entries.update(|all| match (all, cursor) {
                        (Some(all), Some(_)) => all.extend(page.items),
                        (all, _) => *all = Some(page.items),
                    });
                }
                Err(error) => api.report(&error),
            }
        });
    };
    fetch(None);

    let body = move || {
        match entries.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(all) if all.is_empty() => {
            view! { <p class="panel-empty muted" data-testid="price-history-empty">{i18n.tr(K::PriceHistoryEmpty)}</p> }.into_any()
        }
        Some(all) => view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="price-history">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::FieldRecordedAt)}</th>
                            <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                            <th scope="col">{i18n.tr(K::PriceEvent)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldQuantity)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldUnitPrice)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldDiscount)}</th>
                            <th scope="col">{i18n.tr(K::PriceSourceRecord)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {all.into_iter().map(|entry| {
                            let event = entry.event;
                            view! {
                                <tr data-testid="price-history-row">
                                    <td class="cell-time">{local_datetime(&entry.recorded_at)}</td>
                                    <td class="cell-wrap"><a href=format!("/customers/{}", entry.customer_id)>{entry.customer_name}</a></td>
                                    <td>{move || i18n.t(price_event_key(event))}</td>
                                    <td class="cell-num">{plain(entry.quantity)}</td>
                                    <td class="cell-num">{money(entry.unit_price, &entry.currency)}</td>
                                    <td class="cell-num">{format!("{}%", plain(entry.discount_percent))}</td>
                                    <td class="cell-wrap">{entry.source_name}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
    };

    let title = format!("{} {}", product.code, product.name);
    view! {
        <Modal title=Signal::derive(move || format!("{} · {}", i18n.t(K::PriceHistory), title)) on_close testid="price-history-dialog" wide=true>
            <div class="modal-body">
                {body}
                <Show when=move || next_cursor.with(Option::is_some)>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="price-history-more"
                        on:click=move |_| fetch(next_cursor.get_untracked())>
                        {i18n.tr(K::LoadMore)}
                    </button>
                </Show>
            </div>
        </Modal>
    }
}
