//! Dialogs: a generic modal for the admin forms and a confirmation for deletes.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

/// A centred dialog over a dimmed page; Escape or the backdrop closes it.
#[component]
pub fn Modal(
    #[prop(into)] title: Signal<String>,
    on_close: Callback<()>,
    #[prop(default = "modal")] testid: &'static str,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    });
    on_cleanup(move || handle.remove());
    // Keyboard users start in the dialog, on its first control.
    request_animation_frame(|| {
        let first = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(
                    ".modal input:not([disabled]), .modal select, .modal .btn-secondary",
                )
                .ok()
                .flatten()
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = first {
            let _ = element.focus();
        }
    });
    view! {
        <div class="modal-backdrop" on:click=move |_| on_close.run(())></div>
        <div
            class="modal"
            class:modal-wide=wide
            role="dialog"
            aria-modal="true"
            aria-labelledby="modal-title"
            data-testid=testid
        >
            <header class="modal-header">
                <h2 id="modal-title">{move || title.get()}</h2>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=i18n.tr(K::Close)
                    on:click=move |_| on_close.run(())
                >
                    <Icon name=IconName::Close/>
                </button>
            </header>
            {children()}
        </div>
    }
}

/// "Are you sure?" before a destructive action (a delete unless `confirm` says otherwise).
#[component]
pub fn ConfirmDialog(
    title: K,
    #[prop(into)] message: Signal<String>,
    #[prop(into)] busy: Signal<bool>,
    /// The confirming button, and its text while `busy`.
    #[prop(default = K::Delete)]
    confirm: K,
    #[prop(default = K::Deleting)] confirming: K,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Modal title=Signal::derive(move || i18n.t(title).to_owned()) on_close=on_cancel testid="confirm-dialog">
            <div class="modal-body confirm-body">
                <span class="confirm-icon"><Icon name=IconName::Alert/></span>
                <p>{move || message.get()}</p>
            </div>
            <footer class="modal-footer">
                <button
                    type="button"
                    class="btn btn-secondary"
                    data-testid="confirm-cancel"
                    on:click=move |_| on_cancel.run(())
                >
                    {i18n.tr(K::Cancel)}
                </button>
                <button
                    type="button"
                    class="btn btn-danger"
                    data-testid="confirm-ok"
                    disabled=move || busy.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {move || if busy.get() { i18n.t(confirming) } else { i18n.t(confirm) }}
                </button>
            </footer>
        </Modal>
    }
}
