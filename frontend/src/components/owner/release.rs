//! 退回公海: gives a record back to the pool, with an optional note for whoever claims it next.

use crm_api_types::ownership::ReleaseRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{OwnedRecord, use_api};
use crate::components::form_field::{FormErrors, TextAreaField};
use crate::components::modal::Modal;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};

#[component]
pub fn ReleaseDialog<T: OwnedRecord>(
    id: Uuid,
    on_done: Callback<T>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let note = RwSignal::new(String::new());
    let saving = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let request = ReleaseRequest {
            note: non_blank(&note.get_untracked()),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.release::<T>(id, &request).await;
            saving.set(false);
            match result {
                Ok(record) => {
                    api.toasts.success(api.i18n.t(K::Released));
                    on_done.run(record);
                }
                Err(error) => {
                    if !errors.absorb(&error, &["note"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::Release).to_owned()) on_close testid="release-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <p class="muted">{i18n.tr(K::ReleaseHint)}</p>
                    <TextAreaField label=K::FieldNote name="note" prefix="release" value=note errors/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="release-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::ReleaseConfirm) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
