//! Finding a product by code, name or specification: a search box with a short list of
//! matches to pick from. Only active products are offered.

use std::time::Duration;

use crm_api_types::products::{ProductListQuery, ProductResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::format::{money, non_blank};
use crate::i18n::{K, use_i18n};

const DEBOUNCE: Duration = Duration::from_millis(300);
const RESULTS: u32 = 8;

#[component]
pub fn ProductPicker(
    /// The input's id and test id; options are `<testid>-option`.
    testid: &'static str,
    on_pick: Callback<ProductResponse>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let q = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<ProductResponse>>);
    let seq = StoredValue::new(0_u64);
    let debounce = StoredValue::new(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(handle)) = debounce.try_get_value() {
            handle.clear();
        }
    });

    let search = move || {
        let Some(n) = seq.try_get_value().map(|n| n + 1) else {
            return;
        };
        seq.set_value(n);
        let Some(text) = non_blank(&q.get_untracked()) else {
            results.set(None);
            return;
        };
        let query = ProductListQuery {
            limit: Some(RESULTS),
            q: Some(text),
            active: Some(true),
            ..ProductListQuery::default()
        };
        spawn_local(async move {
            let result = api.list_products(&query).await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            match result {
                Ok(page) => results.set(Some(page.items)),
                Err(error) => api.report(&error),
            }
        });
    };
    let on_input = move |ev| {
        q.set(event_target_value(&ev));
        if let Some(handle) = debounce.get_value() {
            handle.clear();
        }
        debounce.set_value(set_timeout_with_handle(search, DEBOUNCE).ok());
    };
    let pick = move |product: ProductResponse| {
        q.set(String::new());
        results.set(None);
        on_pick.run(product);
    };

    let options = move || {
        results.get().map(|found| {
            if found.is_empty() {
                return view! { <p class="picker-empty muted">{i18n.tr(K::NoProductFound)}</p> }
                    .into_any();
            }
            view! {
                <ul class="picker-results" role="listbox">
                    {found.into_iter().map(|product| {
                        let label = format!("{} {}", product.code, product.name);
                        let meta = format!(
                            "{} · {} / {}",
                            product.spec.clone().unwrap_or_default(),
                            money(product.list_price, &product.currency),
                            product.unit,
                        );
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="picker-option"
                                    data-testid=format!("{testid}-option")
                                    data-id=product.id.to_string()
                                    on:click=move |_| pick(product.clone())
                                >
                                    <span class="picker-name">{label}</span>
                                    <span class="picker-meta">{meta}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    };

    view! {
        <div class="picker">
            <label class="search-box picker-box">
                <Icon name=IconName::Search/>
                <span class="visually-hidden">{i18n.tr(K::Search)}</span>
                <input
                    type="search"
                    class="input"
                    id=testid
                    data-testid=testid
                    autocomplete="off"
                    placeholder=i18n.tr(K::ProductSearchPlaceholder)
                    prop:value=move || q.get()
                    on:input=on_input
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            search();
                        }
                    }
                />
            </label>
            {options}
        </div>
    }
}
