//! Step 2: one select per column of the file — the field it fills, or 不导入 — prefilled from
//! the headers, above the first rows of the file; and who will own what is imported.

use crm_api_types::imports::{ImportField, ImportKind, ImportOwner, PreviewImportRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::i18n::{K, use_i18n};

use super::{Step, Wizard};

/// Required fields no column fills yet.
fn unmapped_required(fields: &[ImportField], mapping: &[Option<String>]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.required && !mapping.iter().flatten().any(|k| *k == f.key))
        .map(|f| f.label.clone())
        .collect()
}

/// Maps column `column` to `key`; a field fills one column, so any other column that had it
/// is skipped from now on.
fn choose(mapping: &mut [Option<String>], column: usize, key: Option<String>) {
    if let Some(key) = &key {
        for other in mapping.iter_mut() {
            if other.as_ref() == Some(key) {
                *other = None;
            }
        }
    }
    if let Some(slot) = mapping.get_mut(column) {
        *slot = key;
    }
}

#[component]
pub(super) fn MappingStep(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let busy = RwSignal::new(false);
    // Mapping problems the API found (`mapping[i]`, `mapping.<field>`), in its words.
    let problems = RwSignal::new(Vec::<String>::new());
    let Some(import) = wizard.import.get_untracked() else {
        return ().into_any();
    };
    let id = import.id;
    let fields = StoredValue::new(import.fields.clone());
    let missing = move || {
        let mapping = wizard.mapping.get();
        fields.with_value(|f| unmapped_required(f, &mapping))
    };
    let takes_owner = import.kind != ImportKind::Contacts;

    let on_preview = move |_| {
        if busy.get_untracked() {
            return;
        }
        problems.set(Vec::new());
        let request = PreviewImportRequest {
            mapping: wizard.mapping.get_untracked(),
            owner: if takes_owner {
                wizard.owner.get_untracked()
            } else {
                ImportOwner::Me
            },
        };
        busy.set(true);
        spawn_local(async move {
            let result = api.preview_import(id, &request).await;
            busy.set(false);
            match result {
                Ok(preview) => {
                    wizard.preview.set(Some(preview));
                    wizard.step.set(Step::Preview);
                }
                Err(error) if !error.field_errors().is_empty() => problems.set(
                    error
                        .field_errors()
                        .iter()
                        .map(|e| e.message.clone())
                        .collect(),
                ),
                Err(error) => api.report(&error),
            }
        });
    };

    let select = move |column: usize| {
        let current = move || wizard.mapping.with(|m| m.get(column).cloned().flatten());
        let options = fields.get_value().into_iter().map(|field| {
            let key = field.key.clone();
            let selected = move || current().as_deref() == Some(key.as_str());
            let mark = if field.required { " *" } else { "" };
            view! { <option value=field.key.clone() prop:selected=selected>{format!("{}{mark}", field.label)}</option> }
        });
        view! {
            <select
                class="input select"
                data-testid="import-map"
                data-column=column.to_string()
                aria-label=i18n.tr(K::StepMapping)
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let key = (!value.is_empty()).then_some(value);
                    wizard.mapping.update(|m| choose(m, column, key));
                }
            >
                <option value="" prop:selected=move || current().is_none()>{i18n.tr(K::SkipColumn)}</option>
                {options.collect_view()}
            </select>
        }
    };
    let headers = import.headers.clone();
    let columns = headers.len();
    let samples = import.sample_rows.clone();
    let owner_choice = move |owner: ImportOwner, testid: &'static str, label: K| {
        view! {
            <label class="check">
                <input type="radio" name="import-owner" data-testid=testid
                    prop:checked=move || wizard.owner.get() == owner
                    on:change=move |_| wizard.owner.set(owner)/>
                <span>{i18n.tr(label)}</span>
            </label>
        }
    };

    view! {
        <div class="import-step">
            <p class="import-file-line" data-testid="import-file-name">
                {i18n.import_file_summary(&import.file_name, import.total_rows)}
            </p>
            <p class="muted">{i18n.tr(K::MappingHint)}</p>
        </div>
        <div class="table-wrap mapping-wrap">
            <table class="table mapping-table" data-testid="import-mapping-table">
                <thead>
                    <tr>
                        {headers.into_iter().map(|h| view! { <th scope="col" data-testid="import-header">{h}</th> }).collect_view()}
                    </tr>
                    <tr class="mapping-row">
                        {(0..columns).map(|c| view! { <th scope="col">{select(c)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {samples.into_iter().map(|row| view! {
                        <tr data-testid="import-sample-row">
                            {(0..columns).map(|c| view! { <td class="cell-wrap">{row.get(c).cloned().unwrap_or_default()}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="import-step">
            <Show when=move || !missing().is_empty()>
                <p class="field-error" data-testid="import-missing">
                    {move || i18n.missing_required(&missing())}
                </p>
            </Show>
            <Show when=move || problems.with(|p| !p.is_empty())>
                <ul class="field-error import-mapping-errors" data-testid="import-mapping-errors">
                    {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </Show>
            {takes_owner.then(|| view! {
                <fieldset class="rule-target">
                    <legend class="field-label">{i18n.tr(K::FieldOwner)}</legend>
                    {owner_choice(ImportOwner::Me, "import-owner-me", K::ImportOwnerMe)}
                    {owner_choice(ImportOwner::Pool, "import-owner-pool", K::ImportOwnerPool)}
                </fieldset>
            })}
        </div>
        <footer class="form-footer">
            <button type="button" class="btn btn-secondary" data-testid="import-restart" on:click=move |_| wizard.restart()>
                {i18n.tr(K::ChooseAnotherFile)}
            </button>
            <button type="button" class="btn btn-primary" data-testid="import-preview"
                disabled=move || busy.get() || !missing().is_empty() on:click=on_preview>
                {move || if busy.get() { i18n.t(K::Previewing) } else { i18n.t(K::PreviewAction) }}
            </button>
        </footer>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, required: bool) -> ImportField {
        ImportField {
            key: key.to_owned(),
            label: key.to_uppercase(),
            required,
        }
    }

    #[test]
    fn a_field_fills_one_column() {
        let mut mapping = vec![Some("name".to_owned()), None, Some("industry".to_owned())];
        choose(&mut mapping, 1, Some("name".to_owned()));
        assert_eq!(
            mapping,
            vec![None, Some("name".to_owned()), Some("industry".to_owned())]
        );
        choose(&mut mapping, 2, None);
        assert_eq!(mapping, vec![None, Some("name".to_owned()), None]);
    }

    #[test]
    fn required_fields_left_unmapped_are_named() {
        let fields = [field("name", true), field("industry", false)];
        assert_eq!(
            unmapped_required(&fields, &[None, Some("industry".to_owned())]),
            vec!["NAME".to_owned()]
        );
        assert!(unmapped_required(&fields, &[Some("name".to_owned())]).is_empty());
    }
}
