//! 决策链: the customer's contacts who take part in the decision, each with a role and a note.

use crm_api_types::customers::{ContactResponse, DecisionRole};
use crm_api_types::opportunities::{DecisionContact, UpdateOpportunityRequest};
use leptos::prelude::*;
use uuid::Uuid;

use super::{EditCard, Shown, save_part};
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::format::non_blank;
use crate::i18n::{K, decision_role_key, use_i18n};
use crate::rows::RowOwner;

#[derive(Debug, Clone, Copy)]
struct Row {
    id: u64,
    contact_id: RwSignal<String>,
    role: RwSignal<String>,
    note: RwSignal<String>,
}

#[component]
pub fn DecisionChainPanel(shown: Shown, contacts: RwSignal<Vec<ContactResponse>>) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let errors = FormErrors::new();
    let rows = RwSignal::new(Vec::<Row>::new());
    let next_id = StoredValue::new(0_u64);
    let owner = RowOwner::here();
    let row = move |contact_id: String, role: String, note: String| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        owner.make(|| Row {
            id,
            contact_id: RwSignal::new(contact_id),
            role: RwSignal::new(role),
            note: RwSignal::new(note),
        })
    };

    let on_edit = Callback::new(move |()| {
        let current = shown.value.with_untracked(|o| o.contacts.clone());
        rows.set(
            current
                .into_iter()
                .map(|c| {
                    row(
                        c.contact_id.to_string(),
                        c.role.as_str().to_owned(),
                        c.note.unwrap_or_default(),
                    )
                })
                .collect(),
        );
        errors.clear();
        editing.set(true);
    });
    let on_save = Callback::new(move |()| {
        let chain: Vec<DecisionContact> = rows.with_untracked(|rows| {
            rows.iter()
                .filter_map(|r| {
                    Some(DecisionContact {
                        contact_id: r.contact_id.get_untracked().parse::<Uuid>().ok()?,
                        name: None,
                        title: None,
                        role: DecisionRole::parse(&r.role.get_untracked())?,
                        note: non_blank(&r.note.get_untracked()),
                    })
                })
                .collect()
        });
        let update = UpdateOpportunityRequest {
            contacts: Some(chain),
            ..UpdateOpportunityRequest::default()
        };
        save_part(shown, update, "contacts", errors, editing, saving);
    });

    let view_body = move || {
        let chain = shown.value.with(|o| o.contacts.clone());
        if chain.is_empty() {
            return view! { <p class="panel-empty muted">{i18n.tr(K::DecisionChainEmpty)}</p> }
                .into_any();
        }
        view! {
            <ul class="contact-list">
                {chain.into_iter().map(|c| {
                    let role = c.role;
                    view! {
                        <li class="contact" data-testid="decision-contact">
                            <div class="contact-head">
                                <a class="contact-name" href=format!("/customers/{}", shown.value.with_untracked(|o| o.summary.customer_id))>
                                    {c.name.unwrap_or_default()}
                                </a>
                                <span class="badge badge-purple">{move || i18n.t(decision_role_key(role))}</span>
                            </div>
                            {c.title.map(|t| view! { <p class="contact-meta">{t}</p> })}
                            {c.note.map(|n| view! { <p class="contact-meta">{n}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };

    let edit_body = move || {
        view! {
            <For
                each=move || rows.get()
                key=|r| r.id
                children=move |r| {
                    let id = r.id;
                    let index = move || rows.with(|rows| rows.iter().position(|x| x.id == id).unwrap_or(0));
                    view! {
                        <div class="row-edit" data-testid="decision-row">
                            <select class="input select" aria-label=i18n.tr(K::FieldContact)
                                on:change=move |ev| r.contact_id.set(event_target_value(&ev))>
                                <option value="" prop:selected=move || r.contact_id.with(String::is_empty)>{i18n.tr(K::SelectPlaceholder)}</option>
                                {move || contacts.get().into_iter().map(|c| {
                                    let value = c.id.to_string();
                                    let selected = value.clone();
                                    view! { <option value=value prop:selected=move || r.contact_id.with(|v| *v == selected)>{c.name}</option> }
                                }).collect_view()}
                            </select>
                            <select class="input select" aria-label=i18n.tr(K::FieldDecisionRole)
                                on:change=move |ev| r.role.set(event_target_value(&ev))>
                                {DecisionRole::ALL.into_iter().map(|role| view! {
                                    <option value=role.as_str() prop:selected=move || r.role.with(|v| v == role.as_str())>
                                        {move || i18n.t(decision_role_key(role))}
                                    </option>
                                }).collect_view()}
                            </select>
                            <input class="input" placeholder=i18n.tr(K::FieldNote) aria-label=i18n.tr(K::FieldNote)
                                prop:value=move || r.note.get() on:input=move |ev| r.note.set(event_target_value(&ev))/>
                            <button type="button" class="icon-button" aria-label=i18n.tr(K::Remove)
                                on:click=move |_| rows.update(|rows| rows.retain(|x| x.id != id))>
                                <Icon name=IconName::Trash/>
                            </button>
                            {move || errors.message_under(&format!("contacts[{}]", index())).map(|m| view! { <p class="field-error row-error">{m}</p> })}
                        </div>
                    }
                }
            />
            <button type="button" class="btn btn-secondary btn-sm" data-testid="decision-add"
                on:click=move |_| {
                    let added = row(String::new(), DecisionRole::Influencer.as_str().to_owned(), String::new());
                    rows.update(|rows| rows.push(added));
                }>
                <Icon name=IconName::Plus/>
                <span>{i18n.tr(K::Add)}</span>
            </button>
        }
        .into_any()
    };

    view! {
        <EditCard title=K::DecisionChain icon=IconName::Contact testid="decision-chain" shown editing saving on_edit on_save
            view_body=view_body edit_body=edit_body/>
    }
}
