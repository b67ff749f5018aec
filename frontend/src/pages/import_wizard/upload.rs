//! Step 1: what to import and the file. The file goes up as is; the answer names its columns,
//! a mapping guessed from the headers and a few sample rows.

use crm_api_types::imports::ImportKind;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::form_field::{Field, FormErrors, SelectField};
use crate::i18n::{K, import_kind_key, use_i18n};

use super::{Step, Wizard, may_import};

#[component]
pub(super) fn UploadStep(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let errors = FormErrors::new();
    let kind = RwSignal::new(wizard.kind.get_untracked().as_str().to_owned());
    let file_input = NodeRef::<Input>::new();
    let has_file = RwSignal::new(false);
    let uploading = RwSignal::new(false);

    Effect::new(move |_| {
        if let Some(chosen) = ImportKind::parse(&kind.get()) {
            wizard.kind.set(chosen);
        }
    });
    let kinds = Signal::derive(move || {
        ImportKind::ALL
            .into_iter()
            .filter(|k| may_import(session, *k))
            .map(|k| (k.as_str().to_owned(), i18n.t(import_kind_key(k)).to_owned()))
            .collect()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if uploading.get_untracked() {
            return;
        }
        errors.clear();
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            errors.push("file", i18n.t(K::ValueRequired));
            return;
        };
        let kind = wizard.kind.get_untracked();
        uploading.set(true);
        spawn_local(async move {
            let result = api.create_import(kind, file).await;
            uploading.set(false);
            match result {
                Ok(import) => {
                    wizard.mapping.set(import.suggested_mapping.clone());
                    wizard.import.set(Some(import));
                    wizard.preview.set(None);
                    wizard.step.set(Step::Mapping);
                }
                Err(error) if error.status() == Some(413) => {
                    errors.push("file", i18n.t(K::FileTooLarge));
                }
                Err(error) => {
                    if !errors.absorb(&error, &["file", "kind"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <form class="form" novalidate=true on:submit=on_submit>
            <div class="form-section">
                <div class="form-grid form-grid-single">
                    <SelectField label=K::ImportKind name="kind" prefix="import" value=kind errors options=kinds required=true/>
                    <Field label=K::ImportFile name="file" input_id="import-file".to_owned() errors required=true hint=Some(K::ImportFileHint)>
                        <input
                            class="input input-file"
                            id="import-file"
                            type="file"
                            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            data-testid="import-file"
                            node_ref=file_input
                            aria-invalid=move || if errors.message("file").is_some() { "true" } else { "false" }
                            on:change=move |_| {
                                errors.clear();
                                has_file.set(file_input.get_untracked().and_then(|i| i.files()).is_some_and(|f| f.length() > 0));
                            }
                        />
                    </Field>
                </div>
            </div>
            <footer class="form-footer">
                <button type="submit" class="btn btn-primary" data-testid="import-upload" disabled=move || uploading.get() || !has_file.get()>
                    {move || if uploading.get() { i18n.t(K::Uploading) } else { i18n.t(K::ImportUpload) }}
                </button>
            </footer>
        </form>
    }
}
