//! 导出 CSV / 导出 Excel for a list or a report, with its current filters, and the 导入 link
//! that opens the import wizard for the same kind.

use crm_api_types::imports::{
    ContactExportQuery, CustomerExportQuery, FileFormat, ImportKind, LeadExportQuery,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError, Download, use_api};
use crate::components::icons::{Icon, IconName};
use crate::i18n::{I18n, K, import_kind_key, use_i18n};

/// What to export: a list and its filters, or a report and its query (the format is chosen
/// by the button).
#[derive(Debug, Clone)]
pub enum Export {
    Leads(LeadExportQuery),
    Customers(CustomerExportQuery),
    Contacts(ContactExportQuery),
    /// A report's address (`/reports/funnel`), its title, and its query as the page asks it:
    /// every report answers the same query as a file when given a `format`.
    Report {
        path: &'static str,
        title: K,
        query: serde_json::Value,
    },
}

impl Export {
    /// What the saved file is called when the server names none.
    fn name(&self, i18n: I18n) -> &'static str {
        let kind = match self {
            Export::Leads(_) => ImportKind::Leads,
            Export::Customers(_) => ImportKind::Customers,
            Export::Contacts(_) => ImportKind::Contacts,
            Export::Report { title, .. } => return i18n.t(*title),
        };
        i18n.t(import_kind_key(kind))
    }

    async fn fetch(self, api: Api, format: FileFormat) -> Result<Download, ApiError> {
        match self {
            Export::Leads(query) => {
                let query = LeadExportQuery {
                    format: Some(format),
                    ..query
                };
                api.export_leads(&query).await
            }
            Export::Customers(query) => {
                let query = CustomerExportQuery {
                    format: Some(format),
                    ..query
                };
                api.export_customers(&query).await
            }
            Export::Contacts(query) => {
                let query = ContactExportQuery {
                    format: Some(format),
                    ..query
                };
                api.export_contacts(&query).await
            }
            Export::Report {
                path, mut query, ..
            } => {
                query["format"] = serde_json::Value::from(format.as_str());
                api.report_file(path, &query).await
            }
        }
    }
}

/// The extension a saved file gets when the server names none.
pub fn extension(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Csv => "csv",
        FileFormat::Xlsx => "xlsx",
    }
}

/// Saves a fetched file, or says why there is none.
pub fn deliver(api: Api, result: Result<Download, ApiError>, fallback_name: &str) {
    match result {
        Ok(download) => {
            if crate::files::save(&download, fallback_name).is_err() {
                api.toasts.error(api.i18n.t(K::DownloadFailed));
            } else if download.truncated {
                api.toasts.info(api.i18n.t(K::ExportTruncated));
            }
        }
        Err(error) => api.report(&error),
    }
}

#[component]
pub fn ExportButtons(
    #[prop(into)] export: Signal<Export>,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let busy = RwSignal::new(false);
    let run = move |format: FileFormat| {
        if busy.get_untracked() {
            return;
        }
        let export = export.get_untracked();
        let fallback = format!("{}.{}", export.name(i18n), extension(format));
        busy.set(true);
        spawn_local(async move {
            let result = export.fetch(api, format).await;
            busy.set(false);
            deliver(api, result, &fallback);
        });
    };
    let button = move |format: FileFormat, testid: &'static str, label: K| {
        view! {
            <button
                type="button"
                class="btn btn-secondary"
                class:btn-sm=small
                data-testid=testid
                disabled=move || busy.get()
                on:click=move |_| run(format)
            >
                {(!small).then(|| view! { <Icon name=IconName::Download/> })}
                <span>{i18n.tr(label)}</span>
            </button>
        }
    };
    view! {
        {button(FileFormat::Csv, "export-csv", K::ExportCsv)}
        {button(FileFormat::Xlsx, "export-xlsx", K::ExportExcel)}
    }
}

/// 导入: opens the import wizard for `kind`.
#[component]
pub fn ImportLink(kind: ImportKind, #[prop(optional)] small: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a
            class="btn btn-secondary"
            class:btn-sm=small
            href=format!("/imports/new?kind={}", kind.as_str())
            data-testid="import-open"
        >
            {(!small).then(|| view! { <Icon name=IconName::Upload/> })}
            <span>{i18n.tr(K::Import)}</span>
        </a>
    }
}
