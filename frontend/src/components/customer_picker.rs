//! Finding a customer by name: a search box with a short list of matches to pick from.

use std::time::Duration;

use crm_api_types::customers::{CustomerListQuery, CustomerResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::format::{non_blank, or_dash};
use crate::i18n::{K, use_i18n};

const DEBOUNCE: Duration = Duration::from_millis(300);
const RESULTS: u32 = 8;

#[component]
pub fn CustomerPicker(
    /// The input's id and test id; options are `<testid>-option`.
    testid: &'static str,
    /// Left out of the results (the customer being edited or merged into).
    exclude: Option<Uuid>,
    on_pick: Callback<CustomerResponse>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let q = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<CustomerResponse>>);
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
        let query = CustomerListQuery {
            limit: Some(RESULTS + 1),
            q: Some(text),
            ..CustomerListQuery::default()
        };
        spawn_local(async move {
            let result = api.list_customers(&query).await;
            if seq.try_get_value() != Some(n) {
                return;
            }
            match result {
                Ok(page) => results.set(Some(
                    page.items
                        .into_iter()
                        .filter(|c| Some(c.id) != exclude)
                        .take(RESULTS as usize)
                        .collect(),
                )),
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
    let pick = move |customer: CustomerResponse| {
        q.set(String::new());
        results.set(None);
        on_pick.run(customer);
    };

    let options = move || {
        results.get().map(|found| {
            if found.is_empty() {
                return view! { <p class="picker-empty muted">{i18n.tr(K::NoCustomerFound)}</p> }
                    .into_any();
            }
            view! {
                <ul class="picker-results" role="listbox">
                    {found.into_iter().map(|customer| {
                        let label = customer.name.clone();
                        let meta = format!(
                            "{} · {}",
                            or_dash(customer.region.as_deref()),
                            customer.owner_name.clone().unwrap_or_else(|| i18n.t(K::InPool).to_owned()),
                        );
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="picker-option"
                                    data-testid=format!("{testid}-option")
                                    data-id=customer.id.to_string()
                                    on:click=move |_| pick(customer.clone())
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
                    placeholder=i18n.tr(K::CustomerSearchPlaceholder)
                    prop:value=move || q.get()
                    on:input=on_input
                    on:keydown=move |ev| {
                        // Enter picks nothing and must not submit the surrounding form.
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
