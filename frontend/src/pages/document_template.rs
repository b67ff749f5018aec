//! Settings → 单据模板, for `settings.manage`: the letterhead (company, address, contacts, tax
//! id, bank) and the texts printed on quotes, saved whole with `If-Match`; and the logo, a
//! PNG or JPEG of at most 512 KB, uploaded and removed on its own, with a preview.

use crm_api_types::quotes::{DocumentTemplate, DocumentTemplateResponse};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Versioned, use_api};
use crate::components::form_field::{
    Field, FormErrors, TextAreaField, TextField, scroll_to_testid,
};
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::StaleWarning;
use crate::components::table::Spinner;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};

const LOGO_MAX_BYTES: f64 = 512.0 * 1024.0;
const LOGO_TYPES: [&str; 2] = ["image/png", "image/jpeg"];

/// The template's texts, by API field name, with their labels; the long ones are text areas.
const FIELDS: [(&str, K, bool); 13] = [
    ("company_name", K::TemplateCompanyName, false),
    ("tax_id", K::TemplateTaxId, false),
    ("address", K::TemplateAddress, false),
    ("phone", K::TemplatePhone, false),
    ("email", K::TemplateEmail, false),
    ("website", K::TemplateWebsite, false),
    ("bank_name", K::TemplateBankName, false),
    ("bank_account", K::TemplateBankAccount, false),
    ("quote_title", K::TemplateQuoteTitle, false),
    ("seller_signature_label", K::TemplateSellerSignature, false),
    ("buyer_signature_label", K::TemplateBuyerSignature, false),
    ("quote_intro", K::TemplateQuoteIntro, true),
    ("quote_closing", K::TemplateQuoteClosing, true),
];

fn get(t: &DocumentTemplate, field: &str) -> Option<String> {
    match field {
        "company_name" => t.company_name.clone(),
        "tax_id" => t.tax_id.clone(),
        "address" => t.address.clone(),
        "phone" => t.phone.clone(),
        "email" => t.email.clone(),
        "website" => t.website.clone(),
        "bank_name" => t.bank_name.clone(),
        "bank_account" => t.bank_account.clone(),
        "quote_title" => t.quote_title.clone(),
        "seller_signature_label" => t.seller_signature_label.clone(),
        "buyer_signature_label" => t.buyer_signature_label.clone(),
        "quote_intro" => t.quote_intro.clone(),
        "quote_closing" => t.quote_closing.clone(),
        _ => None,
    }
}

fn set(t: &mut DocumentTemplate, field: &str, value: Option<String>) {
    let slot = match field {
        "company_name" => &mut t.company_name,
        "tax_id" => &mut t.tax_id,
        "address" => &mut t.address,
        "phone" => &mut t.phone,
        "email" => &mut t.email,
        "website" => &mut t.website,
        "bank_name" => &mut t.bank_name,
        "bank_account" => &mut t.bank_account,
        "quote_title" => &mut t.quote_title,
        "seller_signature_label" => &mut t.seller_signature_label,
        "buyer_signature_label" => &mut t.buyer_signature_label,
        "quote_intro" => &mut t.quote_intro,
        "quote_closing" => &mut t.quote_closing,
        _ => return,
    };
    *slot = value;
}

#[component]
pub fn DocumentTemplatePage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let values = FIELDS.map(|_| RwSignal::new(String::new()));
    let version = RwSignal::new(None::<i32>);
    let has_logo = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);

    let show = move |found: Versioned<DocumentTemplateResponse>| {
        for (i, (field, ..)) in FIELDS.iter().enumerate() {
            values[i].set(get(&found.value.template, field).unwrap_or_default());
        }
        has_logo.set(found.value.has_logo);
        version.set(Some(found.version));
        errors.clear();
        stale.set(false);
    };
    let load = move || {
        spawn_local(async move {
            match api.get_document_template().await {
                Ok(found) => show(found),
                Err(error) => {
                    failed.set(true);
                    api.report(&error);
                }
            }
        });
    };
    load();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = version.get_untracked() else {
            return;
        };
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let mut template = DocumentTemplate::default();
        for (i, (field, ..)) in FIELDS.iter().enumerate() {
            set(&mut template, field, non_blank(&values[i].get_untracked()));
        }
        saving.set(true);
        spawn_local(async move {
            let result = api.replace_document_template(current, &template).await;
            saving.set(false);
            match result {
                Ok(saved) => {
                    let version = saved.version;
                    show(Versioned {
                        value: saved,
                        version,
                    });
                    api.toasts.success(api.i18n.t(K::TemplateSaved));
                }
                Err(error) if error.is_stale() => {
                    stale.set(true);
                    scroll_to_testid("stale-warning");
                }
                Err(error) => {
                    let names: Vec<&str> = FIELDS.iter().map(|(f, ..)| *f).collect();
                    if !errors.absorb(&error, &names) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let fields = move || {
        FIELDS
            .iter()
            .enumerate()
            .map(|(i, (field, label, long))| {
                if *long {
                    view! { <TextAreaField label=*label name=field prefix="template" value=values[i] errors wide=true/> }.into_any()
                } else {
                    view! { <TextField label=*label name=field prefix="template" value=values[i] errors/> }.into_any()
                }
            })
            .collect_view()
    };

    let content = move || {
        if version.with(Option::is_none) {
            return if failed.get() {
                view! { <p class="muted panel-empty">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
            } else {
                view! { <Spinner label=true/> }.into_any()
            };
        }
        view! {
            {move || stale.get().then(|| view! { <StaleWarning on_reload=Callback::new(move |()| load())/> })}
            <fieldset class="form-section">
                <legend>{i18n.tr(K::TemplateLetterhead)}</legend>
                <p class="field-hint section-hint">{i18n.tr(K::TemplateHint)}</p>
                <div class="form-grid">{fields}</div>
            </fieldset>
            <footer class="form-footer">
                <button type="submit" class="btn btn-primary" data-testid="template-submit" disabled=move || saving.get()>
                    {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                </button>
            </footer>
        }
        .into_any()
    };

    view! {
        <div class="settings-stack">
            <LogoCard has_logo/>
            <form class="card form" novalidate=true on:submit=on_submit data-testid="template-form">
                {content}
            </form>
        </div>
    }
}

/// The logo: its preview (fetched with the token), upload and removal.
#[component]
fn LogoCard(has_logo: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let file_input = NodeRef::<Input>::new();
    let busy = RwSignal::new(false);
    let preview = RwSignal::new(None::<String>);
    let forget = move || {
        if let Some(Some(url)) = preview.try_get_untracked() {
            crate::files::revoke(&url);
        }
    };
    on_cleanup(forget);

    // The preview follows whether there is a logo.
    Effect::new(move |_| {
        let there = has_logo.get();
        forget();
        preview.set(None);
        if there {
            spawn_local(async move {
                if let Ok(image) = api.logo().await
                    && let Ok(url) = crate::files::object_url(&image)
                {
                    preview.set(Some(url));
                }
            });
        }
    });

    let done = move |result: Result<DocumentTemplateResponse, crate::api::ApiError>, message: K| {
        busy.set(false);
        match result {
            Ok(saved) => {
                // Setting the flag, even to the same value, shows the new image.
                has_logo.set(saved.has_logo);
                api.toasts.success(api.i18n.t(message));
            }
            Err(error) if error.status() == Some(413) => {
                errors.push("file", i18n.t(K::LogoTooLarge))
            }
            Err(error) => {
                if !errors.absorb(&error, &["file"]) {
                    api.report(&error);
                }
            }
        }
    };
    let on_file = move |_| {
        errors.clear();
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        if !LOGO_TYPES.contains(&file.type_().as_str()) {
            errors.push("file", i18n.t(K::LogoWrongType));
            return;
        }
        if file.size() > LOGO_MAX_BYTES {
            errors.push("file", i18n.t(K::LogoTooLarge));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api.upload_logo(file).await;
            done(result, K::LogoUploaded);
        });
        if let Some(input) = file_input.get_untracked() {
            input.set_value("");
        }
    };
    let on_remove = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = api.delete_logo().await;
            done(result, K::LogoRemoved);
        });
    };

    view! {
        <section class="card form" aria-labelledby="logo-title" data-testid="template-logo">
            <h2 class="card-title" id="logo-title">
                <Icon name=IconName::Upload/>
                <span>{i18n.tr(K::TemplateLogo)}</span>
            </h2>
            <div class="form-section logo-section">
                <div class="logo-preview" data-testid="logo-preview" data-has-logo=move || has_logo.get().to_string()>
                    {move || match preview.get() {
                        Some(url) => view! { <img src=url alt=i18n.tr(K::TemplateLogo) data-testid="logo-image"/> }.into_any(),
                        None => view! { <span class="muted">{i18n.tr(K::NoLogo)}</span> }.into_any(),
                    }}
                </div>
                <Field label=K::UploadLogo name="file" input_id="logo-file".to_owned() errors hint=Some(K::LogoHint)>
                    <input class="input input-file" id="logo-file" type="file" accept="image/png,image/jpeg" data-testid="logo-file"
                        node_ref=file_input disabled=move || busy.get() on:change=on_file/>
                </Field>
                <Show when=move || has_logo.get()>
                    <button type="button" class="btn btn-danger-outline btn-sm" data-testid="logo-remove" disabled=move || busy.get() on:click=on_remove>
                        <Icon name=IconName::Trash/>
                        <span>{i18n.tr(K::RemoveLogo)}</span>
                    </button>
                </Show>
            </div>
        </section>
    }
}
