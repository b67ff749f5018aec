//! A secret shown whole (an API key, a webhook signing secret): selectable in one click, with
//! a button that copies it.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

#[component]
pub fn SecretRow(
    secret: String,
    /// The secret's `data-testid`.
    testid: &'static str,
    /// The copy button's.
    copy_testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let copied = RwSignal::new(false);
    let secret = StoredValue::new(secret);

    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = secret.with_value(|text| window.navigator().clipboard().write_text(text));
        let done = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            copied.try_set(true);
        });
        let failed = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            api.toasts.error(api.i18n.t(K::CopyFailed));
        });
        let _ = promise.then2(&done, &failed);
        // They run after this handler returns, when the browser settles the promise.
        done.forget();
        failed.forget();
    };

    view! {
        <div class="secret-row">
            <code class="secret" data-testid=testid>{secret.get_value()}</code>
            <button type="button" class="btn btn-secondary" data-testid=copy_testid on:click=copy>
                {move || view! { <Icon name=if copied.get() { IconName::Check } else { IconName::Key }/> }}
                <span>{move || if copied.get() { i18n.t(K::Copied) } else { i18n.t(K::Copy) }}</span>
            </button>
        </div>
    }
}
