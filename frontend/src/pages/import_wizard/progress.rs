//! Step 4: the committed import runs in the background; its progress is polled until it is
//! done (or failed), then the rejected rows can be downloaded with their reasons.

use std::time::Duration;

use crm_api_types::imports::{FileFormat, ImportKind, ImportResponse, ImportStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{Api, ApiError, use_api};
use crate::components::export_buttons::{deliver, extension};
use crate::i18n::{K, import_status_key, use_i18n};
use crate::pages::customers_list::use_customer_list_state;
use crate::pages::leads_list::use_lead_list_state;

use super::{Wizard, back_label, list_href};

const POLL: Duration = Duration::from_millis(800);

fn finished(import: &ImportResponse) -> bool {
    matches!(import.status, ImportStatus::Done | ImportStatus::Failed)
}

/// Processed rows in percent; a finished import is at 100.
fn percent(import: &ImportResponse) -> u64 {
    if import.status == ImportStatus::Done {
        return 100;
    }
    let total = import.progress.total.max(1);
    (import.progress.processed.min(total) * 100) / total
}

/// Asks for the import until it is finished; stops when the page has gone (the signal with it).
fn follow(api: Api, id: Uuid, import: RwSignal<Option<ImportResponse>>, on_finished: Callback<()>) {
    spawn_local(async move {
        let next = match api.get_import(id).await {
            Ok(fresh) => {
                let done = finished(&fresh);
                if import.try_set(Some(fresh)).is_some() {
                    return;
                }
                if done {
                    on_finished.run(());
                    return;
                }
                true
            }
            // A dropped connection is worth another try; anything else is told and ends it.
            Err(ApiError::Network) => true,
            Err(error) => {
                api.report(&error);
                false
            }
        };
        if next {
            set_timeout(move || follow(api, id, import, on_finished), POLL);
        }
    });
}

/// Why a failed import stopped, in words.
fn error_key(code: Option<&str>) -> K {
    match code {
        Some("forbidden") => K::ImportErrorForbidden,
        Some("creator_inactive") => K::ImportErrorInactive,
        _ => K::ImportErrorInternal,
    }
}

#[component]
pub(super) fn ProgressStep(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let leads = use_lead_list_state();
    let customers = use_customer_list_state();
    let downloading = RwSignal::new(false);
    let Some(id) = wizard.import.with_untracked(|i| i.as_ref().map(|i| i.id)) else {
        return ().into_any();
    };
    let kind = wizard.kind.get_untracked();

    // The lists hold the new records now.
    let on_finished = Callback::new(move |()| match kind {
        ImportKind::Leads => leads.invalidate(),
        ImportKind::Customers | ImportKind::Contacts => customers.invalidate(),
    });
    if wizard
        .import
        .with_untracked(|i| i.as_ref().is_some_and(finished))
    {
        on_finished.run(());
    } else {
        set_timeout(move || follow(api, id, wizard.import, on_finished), POLL);
    }

    let current = move || wizard.import.get();
    let pct = move || current().as_ref().map_or(0, percent);
    let status = move || current().map(|i| i.status);
    let is_finished = move || current().as_ref().is_some_and(finished);
    let rejected = move || current().map_or(0, |i| i.progress.rejected);
    let download = move |format: FileFormat| {
        if downloading.get_untracked() {
            return;
        }
        let fallback = current().map_or_else(String::new, |i| {
            let stem = i
                .file_name
                .rsplit_once('.')
                .map_or(i.file_name.as_str(), |(s, _)| s);
            format!("{stem}-{}.{}", i18n.t(K::RejectedRows), extension(format))
        });
        downloading.set(true);
        spawn_local(async move {
            let result = api.import_rejections(id, format).await;
            downloading.set(false);
            deliver(api, result, &fallback);
        });
    };
    let download_button = move |format: FileFormat, testid: &'static str, label: K| {
        view! {
            <button type="button" class="btn btn-secondary" data-testid=testid
                disabled=move || downloading.get() on:click=move |_| download(format)>
                {i18n.tr(label)}
            </button>
        }
    };

    view! {
        <div class="import-step">
            <div class="import-status-line">
                <span class="badge" class:badge-green=move || status() == Some(ImportStatus::Done)
                    class:badge-red=move || status() == Some(ImportStatus::Failed)
                    class:badge-blue=move || !is_finished()
                    data-testid="import-status" data-status=move || status().map(|s| s.as_str())>
                    {move || status().map(|s| i18n.t(import_status_key(s)))}
                </span>
                <span class="import-progress-text" data-testid="import-progress-text">
                    {move || current().map(|i| i18n.import_progress(i.progress.processed, i.progress.total, pct()))}
                </span>
            </div>
            <div class="import-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=move || pct().to_string() data-testid="import-progress">
                <div class="import-progress-bar" style=move || format!("width: {}%", pct())></div>
            </div>
            <Show when=is_finished>
                <p class="import-summary" data-testid="import-summary">
                    {move || current().map(|i| i18n.import_summary(i.progress.inserted, i.progress.rejected))}
                </p>
                {move || current().and_then(|i| i.error).map(|code| view! {
                    <div class="alert alert-error" role="alert" data-testid="import-error">
                        {i18n.tr(error_key(Some(&code)))}
                    </div>
                })}
                <Show when=move || { rejected() > 0 }>
                    <div class="import-downloads">
                        <p class="muted">{i18n.tr(K::RejectionsHint)}</p>
                        {download_button(FileFormat::Csv, "import-rejections-csv", K::DownloadRejectionsCsv)}
                        {download_button(FileFormat::Xlsx, "import-rejections-xlsx", K::DownloadRejectionsExcel)}
                    </div>
                </Show>
            </Show>
        </div>
        <Show when=is_finished>
            <footer class="form-footer">
                <button type="button" class="btn btn-secondary" data-testid="import-again" on:click=move |_| wizard.restart()>
                    {i18n.tr(K::ImportAnother)}
                </button>
                <a class="btn btn-primary" href=list_href(kind) data-testid="import-done">{i18n.tr(back_label(kind))}</a>
            </footer>
        </Show>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_in_percent() {
        let at = |status: ImportStatus, processed: u64, total: u64| {
            let mut import: ImportResponse = serde_json::from_value(serde_json::json!({
                "id": "0193a5a0-0000-7000-8000-0000000000aa", "kind": "customers",
                "file_name": "a.csv", "status": "running", "headers": [], "suggested_mapping": [],
                "mapping": null, "owner": null, "fields": [], "sample_rows": [],
                "total_rows": total, "counts": null,
                "progress": {"total": total, "processed": processed, "inserted": 0, "rejected": 0},
                "problems": [], "error": null, "created_at": "2026-11-23T08:00:00Z",
                "updated_at": "2026-11-23T08:00:00Z", "started_at": null, "finished_at": null
            }))
            .unwrap_or_else(|e| panic!("{e}"));
            import.status = status;
            percent(&import)
        };
        assert_eq!(at(ImportStatus::Running, 500, 2000), 25);
        assert_eq!(at(ImportStatus::Queued, 0, 0), 0);
        assert_eq!(at(ImportStatus::Done, 3, 4), 100);
    }
}
