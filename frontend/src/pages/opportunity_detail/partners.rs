//! 合作伙伴: distributors, integrators, design institutes on the deal.

use crm_api_types::opportunities::{Partner, UpdateOpportunityRequest};
use leptos::prelude::*;

use super::{EditCard, Shown, save_part};
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};
use crate::rows::RowOwner;

#[derive(Debug, Clone, Copy)]
struct Row {
    id: u64,
    name: RwSignal<String>,
    role: RwSignal<String>,
}

#[component]
pub fn PartnersPanel(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let errors = FormErrors::new();
    let rows = RwSignal::new(Vec::<Row>::new());
    let next_id = StoredValue::new(0_u64);
    let owner = RowOwner::here();
    let row = move |p: Partner| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        owner.make(|| Row {
            id,
            name: RwSignal::new(p.name),
            role: RwSignal::new(p.role.unwrap_or_default()),
        })
    };

    let on_edit = Callback::new(move |()| {
        let current = shown.value.with_untracked(|o| o.partners.clone());
        rows.set(current.into_iter().map(row).collect());
        errors.clear();
        editing.set(true);
    });
    let on_save = Callback::new(move |()| {
        let partners: Vec<Partner> = rows.with_untracked(|rows| {
            rows.iter()
                .map(|r| Partner {
                    name: r.name.get_untracked().trim().to_owned(),
                    role: non_blank(&r.role.get_untracked()),
                })
                .collect()
        });
        let update = UpdateOpportunityRequest {
            partners: Some(partners),
            ..UpdateOpportunityRequest::default()
        };
        save_part(shown, update, "partners", errors, editing, saving);
    });

    let view_body = move || {
        let partners = shown.value.with(|o| o.partners.clone());
        if partners.is_empty() {
            return view! { <p class="panel-empty muted">{i18n.tr(K::PartnersEmpty)}</p> }
                .into_any();
        }
        view! {
            <ul class="contact-list">
                {partners.into_iter().map(|p| view! {
                    <li class="contact" data-testid="partner">
                        <div class="contact-head">
                            <span class="contact-name">{p.name}</span>
                            {p.role.map(|r| view! { <span class="badge badge-gray">{r}</span> })}
                        </div>
                    </li>
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
                        <div class="row-edit" data-testid="partner-row">
                            <input class="input" placeholder=i18n.tr(K::PartnerName) aria-label=i18n.tr(K::PartnerName)
                                prop:value=move || r.name.get() on:input=move |ev| r.name.set(event_target_value(&ev))/>
                            <input class="input" placeholder=i18n.tr(K::PartnerRolePlaceholder) aria-label=i18n.tr(K::PartnerRole)
                                prop:value=move || r.role.get() on:input=move |ev| r.role.set(event_target_value(&ev))/>
                            <button type="button" class="icon-button" aria-label=i18n.tr(K::Remove)
                                on:click=move |_| rows.update(|rows| rows.retain(|x| x.id != id))>
                                <Icon name=IconName::Trash/>
                            </button>
                            {move || errors.message_under(&format!("partners[{}]", index())).map(|m| view! { <p class="field-error row-error">{m}</p> })}
                        </div>
                    }
                }
            />
            <button type="button" class="btn btn-secondary btn-sm" data-testid="partner-add"
                on:click=move |_| {
                    let added = row(Partner { name: String::new(), role: None });
                    rows.update(|rows| rows.push(added));
                }>
                <Icon name=IconName::Plus/>
                <span>{i18n.tr(K::Add)}</span>
            </button>
        }
        .into_any()
    };

    view! {
        <EditCard title=K::Partners icon=IconName::Customers testid="partners" shown editing saving on_edit on_save
            view_body=view_body edit_body=edit_body/>
    }
}
