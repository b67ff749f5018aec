//! Merging a duplicate customer: find the other one, choose which to keep, confirm.

use crm_api_types::customers::{CustomerResponse, MergeCustomerRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::components::customer_picker::CustomerPicker;
use crate::components::modal::Modal;
use crate::format::or_dash;
use crate::i18n::{K, use_i18n};

#[component]
pub fn MergeDialog(
    customer: CustomerResponse,
    /// The survivor.
    on_merged: Callback<CustomerResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let other = RwSignal::new(None::<CustomerResponse>);
    let keep_this = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let this = StoredValue::new(customer.clone());

    let on_confirm = move |_| {
        let Some(chosen) = other.get_untracked() else {
            return;
        };
        let current = this.get_value();
        let (survivor, source) = if keep_this.get_untracked() {
            (current.id, chosen.id)
        } else {
            (chosen.id, current.id)
        };
        busy.set(true);
        spawn_local(async move {
            let result = api
                .merge_customer(survivor, &MergeCustomerRequest { source_id: source })
                .await;
            busy.set(false);
            match result {
                Ok(kept) => on_merged.run(kept),
                Err(error) => api.report(&error),
            }
        });
    };

    let summary = move |c: &CustomerResponse| {
        format!(
            "{} · {}",
            or_dash(c.region.as_deref()),
            c.owner_name
                .clone()
                .unwrap_or_else(|| i18n.t(K::InPool).to_owned())
        )
    };
    let this_summary = summary(&customer);
    let chosen = move || {
        other.get().map(|c| {
            let meta = summary(&c);
            view! {
                <div class="picked" data-testid="merge-other">
                    <span class="picker-name">{c.name}</span>
                    <span class="picker-meta">{meta}</span>
                    <button type="button" class="btn btn-link btn-sm" on:click=move |_| other.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
                <fieldset class="merge-keep">
                    <legend class="field-label">{i18n.tr(K::MergeKeep)}</legend>
                    <label class="check">
                        <input type="radio" name="merge-keep" data-testid="merge-keep-this"
                            prop:checked=move || keep_this.get() on:change=move |_| keep_this.set(true)/>
                        <span>{i18n.tr(K::MergeKeepThis)}</span>
                    </label>
                    <label class="check">
                        <input type="radio" name="merge-keep" data-testid="merge-keep-other"
                            prop:checked=move || !keep_this.get() on:change=move |_| keep_this.set(false)/>
                        <span>{i18n.tr(K::MergeKeepOther)}</span>
                    </label>
                </fieldset>
            }
        })
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::MergeTitle).to_owned()) on_close testid="merge-dialog" wide=true>
            <div class="modal-body merge-body">
                <p class="muted">{i18n.tr(K::MergeHint)}</p>
                <span class="field-label">{i18n.tr(K::MergeThis)}</span>
                <div class="picked merge-this">
                    <span class="picker-name">{customer.name.clone()}</span>
                    <span class="picker-meta">{this_summary}</span>
                </div>
                <div class="field">
                    <label class="field-label" for="merge-search">{i18n.tr(K::MergeOther)}</label>
                    <Show when=move || other.with(Option::is_none) fallback=chosen>
                        <CustomerPicker
                            testid="merge-search"
                            exclude=Some(customer.id)
                            on_pick=Callback::new(move |c| other.set(Some(c)))
                        />
                    </Show>
                </div>
            </div>
            <footer class="modal-footer">
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                <button
                    type="button"
                    class="btn btn-danger"
                    data-testid="merge-confirm"
                    disabled=move || busy.get() || other.with(Option::is_none)
                    on:click=on_confirm
                >
                    {move || if busy.get() { i18n.t(K::Merging) } else { i18n.t(K::MergeConfirm) }}
                </button>
            </footer>
        </Modal>
    }
}
