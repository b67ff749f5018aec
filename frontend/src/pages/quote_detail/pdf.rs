//! The printed quote: 含价格 (the customer's copy) or 无价格 (for the warehouse), in Chinese
//! or English. The PDF needs the token, so it is fetched as bytes: the preview shows them
//! through an object URL in a frame, the download saves them under the server's file name.

use crm_api_types::quotes::{DocumentLanguage, PdfVariant};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::i18n::{K, Lang, use_i18n};

fn variant_key(variant: PdfVariant) -> K {
    match variant {
        PdfVariant::Priced => K::PdfPriced,
        PdfVariant::NoPrices => K::PdfNoPrices,
    }
}

fn language_name(lang: DocumentLanguage) -> &'static str {
    match lang {
        DocumentLanguage::ZhCn => "中文",
        DocumentLanguage::En => "English",
    }
}

#[component]
pub fn PdfPanel(quote_id: Uuid, number: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    // Keys, not the enums: signals of `&str` are compiled once for every such choice.
    let variant = RwSignal::new(PdfVariant::Priced.as_str());
    let lang = RwSignal::new(match i18n.lang_untracked() {
        Lang::ZhCn => DocumentLanguage::ZhCn.as_str(),
        Lang::En => DocumentLanguage::En.as_str(),
    });
    let busy = RwSignal::new(false);
    // The preview's object URL while it is open.
    let shown = RwSignal::new(None::<String>);
    let close = Callback::new(move |()| {
        if let Some(url) = shown.get_untracked() {
            crate::files::revoke(&url);
        }
        shown.set(None);
    });
    on_cleanup(move || {
        if let Some(Some(url)) = shown.try_get_untracked() {
            crate::files::revoke(&url);
        }
    });
    let file_name = format!("{number}.pdf");

    let fetch = move |download: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let v = PdfVariant::parse(variant.get_untracked()).unwrap_or_default();
        let l = DocumentLanguage::parse(lang.get_untracked()).unwrap_or_default();
        let file_name = file_name.clone();
        spawn_local(async move {
            let result = api.quote_pdf(quote_id, v, l, download).await;
            busy.set(false);
            let file = match result {
                Ok(file) => file,
                Err(error) => {
                    api.report(&error);
                    return;
                }
            };
            let shown_ok = if download {
                crate::files::save(&file, &file_name).is_ok()
            } else {
                match crate::files::object_url(&file) {
                    Ok(url) => {
                        shown.set(Some(url));
                        true
                    }
                    Err(_) => false,
                }
            };
            if !shown_ok {
                api.toasts.error(api.i18n.t(K::DownloadFailed));
            }
        });
    };
    let fetch_preview = fetch.clone();

    view! {
        <section class="card" aria-labelledby="quote-pdf-title" data-testid="quote-pdf">
            <h2 class="card-title" id="quote-pdf-title">
                <Icon name=IconName::Print/>
                <span>{i18n.tr(K::PrintQuote)}</span>
            </h2>
            <div class="pdf-options">
                <div class="segments" role="radiogroup" aria-label=i18n.tr(K::PdfVariant)>
                    {PdfVariant::ALL.into_iter().map(|v| view! {
                        <button type="button" role="radio" class="segment" class:active=move || variant.get() == v.as_str()
                            aria-checked=move || if variant.get() == v.as_str() { "true" } else { "false" }
                            data-testid=format!("pdf-variant-{}", v.as_str())
                            on:click=move |_| variant.set(v.as_str())>
                            {i18n.tr(variant_key(v))}
                        </button>
                    }).collect_view()}
                </div>
                <select class="input select" data-testid="pdf-lang" aria-label=i18n.tr(K::PdfLanguage)
                    on:change=move |ev| {
                        if let Some(chosen) = DocumentLanguage::parse(&event_target_value(&ev)) {
                            lang.set(chosen.as_str());
                        }
                    }>
                    {DocumentLanguage::ALL.into_iter().map(|l| view! {
                        <option value=l.as_str() prop:selected=move || lang.get() == l.as_str()>{language_name(l)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="panel-footer">
                <button type="button" class="btn btn-secondary btn-sm" data-testid="pdf-preview" disabled=move || busy.get()
                    on:click=move |_| fetch_preview(false)>
                    {i18n.tr(K::Preview)}
                </button>
                <button type="button" class="btn btn-primary btn-sm" data-testid="pdf-download" disabled=move || busy.get()
                    on:click=move |_| fetch(true)>
                    <Icon name=IconName::Download/>
                    <span>{i18n.tr(K::Download)}</span>
                </button>
            </div>
            {move || shown.get().map(|url| view! {
                <Modal title=i18n.signal(K::PrintQuote) on_close=close testid="pdf-dialog" wide=true>
                    <div class="modal-body pdf-body">
                        <iframe class="pdf-frame" src=url.clone() title=i18n.tr(K::PrintQuote) data-testid="pdf-frame"></iframe>
                    </div>
                    <footer class="modal-footer">
                        <a class="btn btn-secondary" href=url target="_blank" rel="noopener" data-testid="pdf-open-tab">{i18n.tr(K::OpenInNewTab)}</a>
                        <button type="button" class="btn btn-primary" on:click=move |_| close.run(())>{i18n.tr(K::Close)}</button>
                    </footer>
                </Modal>
            })}
        </section>
    }
}
