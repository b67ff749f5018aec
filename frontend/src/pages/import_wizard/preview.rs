//! Step 3: how many rows would go in and how many not, with the first problems (row, field,
//! why); then commit, or go back and change the mapping.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::i18n::{K, use_i18n};

use super::{Step, Wizard};

#[component]
pub(super) fn PreviewStep(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let busy = RwSignal::new(false);
    let (Some(import), Some(preview)) = (
        wizard.import.get_untracked(),
        wizard.preview.get_untracked(),
    ) else {
        return ().into_any();
    };
    let id = import.id;
    let valid = preview.valid;
    let any_rejected = preview.rejected > 0;
    // Problems name the target field; show it as the file's column where one fills it.
    let field_label = move |field: &str, column: Option<String>| {
        column.unwrap_or_else(|| {
            import
                .fields
                .iter()
                .find(|f| f.key == field)
                .map_or_else(|| field.to_owned(), |f| f.label.clone())
        })
    };
    let shown = preview.problems.len() as u64;
    let more = preview.rejected > 0 && shown >= 50;

    let on_commit = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api.commit_import(id).await;
            busy.set(false);
            match result {
                Ok(queued) => {
                    wizard.import.set(Some(queued));
                    wizard.step.set(Step::Progress);
                }
                Err(error) => api.report(&error),
            }
        });
    };

    let problems = preview
        .problems
        .into_iter()
        .map(|p| {
            let field = field_label(&p.field, p.column.clone());
            view! {
                <tr data-testid="import-problem" data-row=p.row.to_string() data-field=p.field.clone()>
                    <td class="cell-mono">{p.row}</td>
                    <td>{field}</td>
                    <td class="cell-wrap">{p.message}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <div class="import-step">
            <div class="import-counts">
                <div class="import-count import-count-ok">
                    <strong data-testid="import-valid">{preview.valid}</strong>
                    <span>{i18n.tr(K::RowsValid)}</span>
                </div>
                <div class="import-count" class:import-count-bad=any_rejected>
                    <strong data-testid="import-rejected">{preview.rejected}</strong>
                    <span>{i18n.tr(K::RowsRejected)}</span>
                </div>
            </div>
            {if shown == 0 {
                view! { <p class="muted" data-testid="import-no-problems">{i18n.tr(K::NoProblems)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="import-problems">
                            <thead>
                                <tr>
                                    <th scope="col">{i18n.tr(K::ProblemRow)}</th>
                                    <th scope="col">{i18n.tr(K::ProblemField)}</th>
                                    <th scope="col">{i18n.tr(K::ProblemMessage)}</th>
                                </tr>
                            </thead>
                            <tbody>{problems}</tbody>
                        </table>
                    </div>
                    {more.then(|| view! { <p class="field-hint">{i18n.tr(K::ProblemsTruncated)}</p> })}
                }
                .into_any()
            }}
        </div>
        <footer class="form-footer">
            <button type="button" class="btn btn-secondary" data-testid="import-back" on:click=move |_| wizard.step.set(Step::Mapping)>
                {i18n.tr(K::BackToMapping)}
            </button>
            <button type="button" class="btn btn-primary" data-testid="import-commit"
                disabled=move || busy.get() || valid == 0 on:click=on_commit>
                {move || if busy.get() { i18n.t(K::Committing) } else { i18n.t(K::CommitImport) }}
            </button>
        </footer>
    }
    .into_any()
}
