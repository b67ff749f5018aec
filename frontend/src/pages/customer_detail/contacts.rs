//! A customer's contacts: the list (primary first, an ERP-synced one with its ERP id and last
//! sync), a dialog to add or edit one, their export and the way to the contacts import.

use chrono::NaiveDate;
use crm_api_types::customers::{
    ContactResponse, CreateContactRequest, DecisionRole, UpdateContactRequest,
};
use crm_api_types::imports::{ContactExportQuery, ImportKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::export_buttons::{Export, ExportButtons, ImportLink};
use crate::components::form_field::{FormErrors, SelectField, TextAreaField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::components::sync_status::{ContactSync, ExternalId};
use crate::format::non_blank;
use crate::i18n::{K, decision_role_key, use_i18n};

const FIELDS: [&str; 11] = [
    "name",
    "title",
    "department",
    "mobile",
    "phone",
    "email",
    "wechat",
    "birthday",
    "decision_role",
    "is_primary",
    "notes",
];

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Edit(Box<ContactResponse>),
    Delete(Box<ContactResponse>),
}

#[component]
pub fn ContactsPanel(
    customer_id: Uuid,
    contacts: RwSignal<Vec<ContactResponse>>,
    #[prop(into)] can_write: Signal<bool>,
    /// Loads the list again: making one contact primary demotes another.
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let location = use_location();
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);

    // A link to one contact (`#contact-<id>`, from a converted lead) scrolls to it once the
    // list has loaded.
    Effect::new(move |_| {
        let hash = location.hash.get();
        if contacts.with(Vec::is_empty) {
            return;
        }
        if let Some(id) = hash.strip_prefix('#').map(str::to_owned) {
            request_animation_frame(move || {
                if let Some(element) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&id))
                {
                    element.scroll_into_view();
                }
            });
        }
    });

    let on_saved = Callback::new(move |created: bool| {
        dialog.set(Dialog::Closed);
        api.toasts.success(api.i18n.t(if created {
            K::ContactCreated
        } else {
            K::ContactSaved
        }));
        reload.run(());
    });
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));
    let on_delete = Callback::new(move |()| {
        let Dialog::Delete(contact) = dialog.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_contact(contact.id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::ContactDeleted));
                    reload.run(());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let sorted = move || {
        let mut all = contacts.get();
        all.sort_by_key(|c| !c.is_primary);
        all
    };
    let rows = move || {
        sorted()
            .into_iter()
            .map(|contact| {
                let anchor = format!("contact-{}", contact.id);
                let target = format!("#{anchor}");
                let role = contact.decision_role;
                let lines: Vec<String> = [&contact.mobile, &contact.phone, &contact.email]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .chain(contact.wechat.clone().map(|w| format!("{}: {w}", i18n.t(K::FieldWechat))))
                    .collect();
                let position = [&contact.title, &contact.department]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" · ");
                let (edit, delete) = (contact.clone(), contact.clone());
                let contact_id = contact.id;
                let external =
                    ExternalId::of(contact.external_source.as_ref(), contact.external_id.as_ref());
                view! {
                    <li
                        class="contact"
                        id=anchor
                        class:is-target=move || location.hash.get() == target
                        data-testid="contact-row"
                        data-id=contact.id.to_string()
                    >
                        <div class="contact-head">
                            <span class="avatar avatar-sm" aria-hidden="true">{contact.name.chars().next().map(String::from)}</span>
                            <span class="contact-name">{contact.name.clone()}</span>
                            {contact.is_primary.then(|| view! {
                                <span class="badge badge-green" data-testid="contact-primary">{i18n.tr(K::PrimaryContact)}</span>
                            })}
                            {role.map(|role| view! {
                                <span class="badge badge-outline" data-testid="contact-role">{move || i18n.t(decision_role_key(role))}</span>
                            })}
                        </div>
                        {(!position.is_empty()).then(|| view! { <p class="contact-meta">{position}</p> })}
                        {lines.into_iter().map(|l| view! { <p class="contact-meta cell-mono">{l}</p> }).collect_view()}
                        {external.map(|external| view! { <ContactSync contact_id external/> })}
                        <Show when=move || can_write.get()>
                            <div class="contact-actions">
                                <button type="button" class="btn btn-link btn-sm" data-testid="contact-edit" on:click={
                                    let edit = edit.clone();
                                    move |_| dialog.set(Dialog::Edit(Box::new(edit.clone())))
                                }>
                                    {i18n.tr(K::Edit)}
                                </button>
                                <button type="button" class="btn btn-link btn-link-danger btn-sm" data-testid="contact-delete" on:click={
                                    let delete = delete.clone();
                                    move |_| dialog.set(Dialog::Delete(Box::new(delete.clone())))
                                }>
                                    {i18n.tr(K::Delete)}
                                </button>
                            </div>
                        </Show>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <aside class="card contacts" aria-labelledby="contacts-title" data-testid="contacts-panel">
            <h2 class="card-title" id="contacts-title">
                <Icon name=IconName::Contact/>
                <span>{i18n.tr(K::Contacts)}</span>
                <span class="toolbar-spacer"></span>
                <Show when=move || can_write.get()>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="contact-new" on:click=move |_| dialog.set(Dialog::Create)>
                        <Icon name=IconName::Plus/>
                        <span>{i18n.tr(K::NewContact)}</span>
                    </button>
                </Show>
            </h2>
            {move || if contacts.with(Vec::is_empty) {
                view! { <p class="panel-empty muted" data-testid="contacts-empty">{i18n.tr(K::ContactsEmpty)}</p> }.into_any()
            } else {
                view! { <ul class="contact-list">{rows}</ul> }.into_any()
            }}
            <footer class="panel-footer">
                <ExportButtons export=Signal::derive(move || Export::Contacts(ContactExportQuery {
                    customer_id: Some(customer_id),
                    ..ContactExportQuery::default()
                })) small=true/>
                <Show when=move || can_write.get()>
                    <ImportLink kind=ImportKind::Contacts small=true/>
                </Show>
            </footer>
        </aside>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create => view! { <ContactDialog customer_id contact=None on_saved on_close=close/> }.into_any(),
            Dialog::Edit(contact) => view! { <ContactDialog customer_id contact=Some(*contact) on_saved on_close=close/> }.into_any(),
            Dialog::Delete(contact) => {
                let name = contact.name.clone();
                view! {
                    <ConfirmDialog
                        title=K::DeleteContact
                        message=Signal::derive(move || i18n.confirm_delete_named(&name))
                        busy=deleting
                        on_confirm=on_delete
                        on_cancel=close
                    />
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn ContactDialog(
    customer_id: Uuid,
    contact: Option<ContactResponse>,
    /// Whether it was created (else edited).
    on_saved: Callback<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let editing = contact.is_some();
    let text = |f: fn(&ContactResponse) -> Option<String>| {
        RwSignal::new(contact.as_ref().and_then(f).unwrap_or_default())
    };
    let name = text(|c| Some(c.name.clone()));
    let title = text(|c| c.title.clone());
    let department = text(|c| c.department.clone());
    let mobile = text(|c| c.mobile.clone());
    let phone = text(|c| c.phone.clone());
    let email = text(|c| c.email.clone());
    let wechat = text(|c| c.wechat.clone());
    let birthday = text(|c| c.birthday.map(|d| d.to_string()));
    let decision_role = text(|c| c.decision_role.map(|r| r.as_str().to_owned()));
    let notes = text(|c| c.notes.clone());
    let is_primary = RwSignal::new(contact.as_ref().is_some_and(|c| c.is_primary));
    let original = StoredValue::new(contact);

    let role_options = Signal::derive(move || {
        DecisionRole::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str().to_owned(),
                    i18n.t(decision_role_key(*r)).to_owned(),
                )
            })
            .collect()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let name_text = name.get_untracked().trim().to_owned();
        if name_text.is_empty() {
            errors.push("name", i18n.t(K::ValueRequired));
        }
        let birthday_text = non_blank(&birthday.get_untracked());
        let birthday_date = birthday_text
            .as_deref()
            .map(|d| d.parse::<NaiveDate>().ok());
        if birthday_date == Some(None) {
            errors.push("birthday", i18n.t(K::InvalidDate));
        }
        if !errors.is_empty() {
            return;
        }
        let opt = |s: RwSignal<String>| non_blank(&s.get_untracked());
        let role = DecisionRole::parse(&decision_role.get_untracked());
        let birthday = birthday_date.flatten();
        saving.set(true);
        let finish = move |result: Result<ContactResponse, crate::api::ApiError>, created: bool| {
            saving.set(false);
            match result {
                Ok(_) => on_saved.run(created),
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        };
        match original.get_value() {
            None => {
                let request = CreateContactRequest {
                    customer_id,
                    name: name_text,
                    title: opt(title),
                    department: opt(department),
                    mobile: opt(mobile),
                    phone: opt(phone),
                    email: opt(email),
                    wechat: opt(wechat),
                    birthday,
                    decision_role: role,
                    is_primary: is_primary.get_untracked(),
                    notes: opt(notes),
                };
                spawn_local(async move { finish(api.create_contact(&request).await, true) });
            }
            Some(old) => {
                let changed = |s: RwSignal<String>, before: &Option<String>| {
                    let now = opt(s);
                    (now != *before).then_some(now)
                };
                let primary = is_primary.get_untracked();
                let request = UpdateContactRequest {
                    name: (name_text != old.name).then_some(name_text),
                    title: changed(title, &old.title),
                    department: changed(department, &old.department),
                    mobile: changed(mobile, &old.mobile),
                    phone: changed(phone, &old.phone),
                    email: changed(email, &old.email),
                    wechat: changed(wechat, &old.wechat),
                    birthday: (birthday != old.birthday).then_some(birthday),
                    decision_role: (role != old.decision_role).then_some(role),
                    is_primary: (primary != old.is_primary).then_some(primary),
                    notes: changed(notes, &old.notes),
                };
                spawn_local(async move {
                    finish(
                        api.update_contact(old.id, old.version, &request).await,
                        false,
                    )
                });
            }
        }
    };

    let dialog_title = Signal::derive(move || {
        i18n.t(if editing {
            K::EditContact
        } else {
            K::NewContact
        })
        .to_owned()
    });
    view! {
        <Modal title=dialog_title on_close testid="contact-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField label=K::ContactName name="name" prefix="contact" value=name errors required=true autofocus=true/>
                    <SelectField label=K::FieldDecisionRole name="decision_role" prefix="contact" value=decision_role errors options=role_options empty_label=K::SelectPlaceholder/>
                    <TextField label=K::FieldTitle name="title" prefix="contact" value=title errors/>
                    <TextField label=K::FieldDepartment name="department" prefix="contact" value=department errors/>
                    <TextField label=K::FieldMobile name="mobile" prefix="contact" value=mobile errors input_type="tel" example="13812345678"/>
                    <TextField label=K::FieldPhone name="phone" prefix="contact" value=phone errors input_type="tel" example="0512-66881234"/>
                    <TextField label=K::FieldEmail name="email" prefix="contact" value=email errors input_type="email" example="name@company.cn"/>
                    <TextField label=K::FieldWechat name="wechat" prefix="contact" value=wechat errors/>
                    <TextField label=K::FieldBirthday name="birthday" prefix="contact" value=birthday errors input_type="date"/>
                    <label class="check field-wide">
                        <input
                            type="checkbox"
                            data-testid="contact-is_primary"
                            prop:checked=move || is_primary.get()
                            on:change=move |ev| is_primary.set(event_target_checked(&ev))
                        />
                        <span>{i18n.tr(K::MakePrimary)}</span>
                    </label>
                    <TextAreaField label=K::FieldNotes name="notes" prefix="contact" value=notes errors wide=true/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="contact-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
