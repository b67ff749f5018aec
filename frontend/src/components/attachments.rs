//! 附件: the files on one record (a contract, an order, a quote …) with their size, uploader,
//! time and SHA-256, 下载 (fetched with the token, saved through an object URL) and 删除, and
//! an upload input that sends the chosen file as the raw body. The server names the type from
//! the bytes and answers 422 or 413 for what it refuses; those show in the panel.

use crm_api_types::attachments::{AttachmentResponse, AttachmentSubject};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{ApiError, use_api};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::table::Spinner;
use crate::format::{file_size, local_datetime};
use crate::i18n::{K, use_i18n};

/// What the server takes; bigger files are refused before they are sent.
const MAX_BYTES: f64 = 20.0 * 1024.0 * 1024.0;
/// How much of the SHA-256 the list shows; the whole hash is in the tooltip.
const SHORT_HASH: usize = 12;

#[component]
pub fn AttachmentsPanel(subject_kind: AttachmentSubject, subject_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let items = RwSignal::new(None::<Vec<AttachmentResponse>>);
    let error = RwSignal::new(None::<String>);
    let uploading = RwSignal::new(false);
    let deleting = RwSignal::new(None::<Uuid>);
    let busy_delete = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();

    let fetch = move || {
        spawn_local(async move {
            match api.list_attachments(subject_kind, subject_id).await {
                Ok(found) => items.set(Some(found)),
                Err(e) => {
                    items.set(Some(Vec::new()));
                    error.set(Some(e.message(api.i18n)));
                }
            }
        });
    };
    fetch();

    let show_error = move |e: &ApiError| {
        if *e != ApiError::SessionExpired {
            let text = if e.status() == Some(413) {
                i18n.t(K::AttachmentTooLarge).to_owned()
            } else {
                e.message(i18n)
            };
            error.set(Some(text));
        }
    };

    let on_file = move |_| {
        error.set(None);
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        if let Some(input) = file_input.get_untracked() {
            input.set_value("");
        }
        if file.size() > MAX_BYTES {
            error.set(Some(i18n.t(K::AttachmentTooLarge).to_owned()));
            return;
        }
        uploading.set(true);
        spawn_local(async move {
            let result = api.upload_attachment(subject_kind, subject_id, file).await;
            uploading.set(false);
            match result {
                Ok(added) => {
                    api.toasts.success(api.i18n.t(K::AttachmentUploaded));
                    items.update(|list| list.get_or_insert_with(Vec::new).push(added));
                }
                Err(e) => show_error(&e),
            }
        });
    };

    let download = move |a: &AttachmentResponse| {
        let id = a.id;
        let name = a.file_name.clone();
        spawn_local(async move {
            match api.attachment_content(id).await {
                Ok(file) => {
                    if crate::files::save(&file, &name).is_err() {
                        api.toasts.error(api.i18n.t(K::DownloadFailed));
                    }
                }
                Err(e) => show_error(&e),
            }
        });
    };

    let on_delete = Callback::new(move |()| {
        let Some(id) = deleting.get_untracked() else {
            return;
        };
        busy_delete.set(true);
        spawn_local(async move {
            let result = api.delete_attachment(id).await;
            busy_delete.set(false);
            deleting.set(None);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::AttachmentDeleted));
                    items.update(|list| {
                        if let Some(list) = list {
                            list.retain(|a| a.id != id);
                        }
                    });
                }
                Err(e) => show_error(&e),
            }
        });
    });

    let row = move |index: usize, a: AttachmentResponse| {
        let short: String = a.sha256.chars().take(SHORT_HASH).collect();
        let shown = a.clone();
        let id = a.id;
        view! {
            <li class="attachment-row" data-testid=format!("attachment-row-{index}") data-id=a.id.to_string()>
                <div class="attachment-main">
                    <span class="attachment-name cell-strong" data-testid="attachment-name">{a.file_name.clone()}</span>
                    <span class="cell-sub">
                        <span data-testid="attachment-size" title=i18n.tr(K::FileSize)>{file_size(a.size)}</span>
                        " · "<span data-testid="attachment-uploader" title=i18n.tr(K::UploadedBy)>{a.uploaded_by_name.clone()}</span>
                        " · "<span title=i18n.tr(K::UploadedAt)>{local_datetime(&a.created_at)}</span>
                    </span>
                    <span class="cell-sub cell-mono" data-testid="attachment-sha256" title=format!("SHA-256 {}", a.sha256)>
                        {format!("SHA-256 {short}…")}
                    </span>
                </div>
                <div class="attachment-actions">
                    <button type="button" class="btn btn-ghost btn-sm" data-testid="attachment-download"
                        title=i18n.tr(K::Download) aria-label=i18n.tr(K::Download)
                        on:click=move |_| download(&shown)>
                        <Icon name=IconName::Download/>
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm" data-testid="attachment-delete"
                        title=i18n.tr(K::DeleteAttachment) aria-label=i18n.tr(K::DeleteAttachment)
                        on:click=move |_| deleting.set(Some(id))>
                        <Icon name=IconName::Trash/>
                    </button>
                </div>
            </li>
        }
    };

    let list = move || {
        match items.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(found) if found.is_empty() => {
            view! { <p class="panel-empty muted" data-testid="attachments-empty">{i18n.tr(K::AttachmentsEmpty)}</p> }
                .into_any()
        }
        Some(found) => view! {
            <ul class="attachment-list">
                {found.into_iter().enumerate().map(|(i, a)| row(i, a)).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="attachments-title" data-testid="attachments">
            <h2 class="card-title" id="attachments-title">
                <Icon name=IconName::Paperclip/>
                <span>{i18n.tr(K::Attachments)}</span>
            </h2>
            {list}
            <div class="attachment-footer">
                {move || error.get().map(|text| view! {
                    <div class="alert alert-error" role="alert" data-testid="attachment-error">
                        <Icon name=IconName::Alert/>
                        <div class="alert-body"><p>{text}</p></div>
                    </div>
                })}
                <label class="btn btn-secondary btn-sm attachment-upload" class:is-busy=move || uploading.get()>
                    <Icon name=IconName::Upload/>
                    <span>{move || if uploading.get() { i18n.t(K::Uploading) } else { i18n.t(K::UploadAttachment) }}</span>
                    <input type="file" class="visually-hidden" data-testid="attachment-upload"
                        node_ref=file_input disabled=move || uploading.get() on:change=on_file/>
                </label>
            </div>
            {move || deleting.get().map(|_| view! {
                <ConfirmDialog
                    title=K::DeleteAttachment
                    message=i18n.signal(K::DeleteAttachmentConfirm)
                    busy=busy_delete
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| deleting.set(None))
                />
            })}
        </section>
    }
}
