//! 项目团队: colleagues working on the opportunity, each with a role; members see it and may
//! work on it. Anyone is picked from the user directory.

use std::collections::BTreeMap;

use crm_api_types::opportunities::{TeamMember, UpdateOpportunityRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{EditCard, Shown, save_part};
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};
use crate::rows::RowOwner;

#[derive(Debug, Clone, Copy)]
struct Row {
    id: u64,
    user_id: RwSignal<String>,
    role: RwSignal<String>,
}

#[component]
pub fn TeamPanel(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let api = shown.api;
    let editing = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let errors = FormErrors::new();
    let rows = RwSignal::new(Vec::<Row>::new());
    let next_id = StoredValue::new(0_u64);
    let users = RwSignal::new(BTreeMap::<Uuid, String>::new());
    let owner = RowOwner::here();
    let row = move |user_id: String, role: String| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        owner.make(|| Row {
            id,
            user_id: RwSignal::new(user_id),
            role: RwSignal::new(role),
        })
    };

    let on_edit = Callback::new(move |()| {
        let team = shown.value.with_untracked(|o| o.team.clone());
        // Members stay pickable even when disabled since.
        users.set(
            team.iter()
                .map(|m| (m.user_id, m.name.clone().unwrap_or_default()))
                .collect(),
        );
        spawn_local(async move {
            match api.directory(false).await {
                Ok(all) => users.update(|u| u.extend(all.into_iter().map(|u| (u.id, u.name)))),
                Err(error) => api.report(&error),
            }
        });
        rows.set(
            team.into_iter()
                .map(|m| row(m.user_id.to_string(), m.role.unwrap_or_default()))
                .collect(),
        );
        errors.clear();
        editing.set(true);
    });
    let on_save = Callback::new(move |()| {
        let team: Vec<TeamMember> = rows.with_untracked(|rows| {
            rows.iter()
                .filter_map(|r| {
                    Some(TeamMember {
                        user_id: r.user_id.get_untracked().parse().ok()?,
                        name: None,
                        role: non_blank(&r.role.get_untracked()),
                    })
                })
                .collect()
        });
        let update = UpdateOpportunityRequest {
            team: Some(team),
            ..UpdateOpportunityRequest::default()
        };
        save_part(shown, update, "team", errors, editing, saving);
    });

    let view_body = move || {
        let team = shown.value.with(|o| o.team.clone());
        if team.is_empty() {
            return view! { <p class="panel-empty muted">{i18n.tr(K::TeamEmpty)}</p> }.into_any();
        }
        view! {
            <ul class="contact-list">
                {team.into_iter().map(|m| view! {
                    <li class="contact" data-testid="team-member">
                        <div class="contact-head">
                            <span class="contact-name">{m.name.unwrap_or_default()}</span>
                            {m.role.map(|r| view! { <span class="badge badge-gray">{r}</span> })}
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
                        <div class="row-edit" data-testid="team-row">
                            <select class="input select" aria-label=i18n.tr(K::TeamMember)
                                on:change=move |ev| r.user_id.set(event_target_value(&ev))>
                                <option value="" prop:selected=move || r.user_id.with(String::is_empty)>{i18n.tr(K::SelectPlaceholder)}</option>
                                {move || users.get().into_iter().map(|(user, name)| {
                                    let value = user.to_string();
                                    let selected = value.clone();
                                    view! { <option value=value prop:selected=move || r.user_id.with(|v| *v == selected)>{name}</option> }
                                }).collect_view()}
                            </select>
                            <input class="input" placeholder=i18n.tr(K::TeamRolePlaceholder) aria-label=i18n.tr(K::TeamRole)
                                prop:value=move || r.role.get() on:input=move |ev| r.role.set(event_target_value(&ev))/>
                            <button type="button" class="icon-button" aria-label=i18n.tr(K::Remove)
                                on:click=move |_| rows.update(|rows| rows.retain(|x| x.id != id))>
                                <Icon name=IconName::Trash/>
                            </button>
                            {move || errors.message_under(&format!("team[{}]", index())).map(|m| view! { <p class="field-error row-error">{m}</p> })}
                        </div>
                    }
                }
            />
            <button type="button" class="btn btn-secondary btn-sm" data-testid="team-add"
                on:click=move |_| {
                    let added = row(String::new(), String::new());
                    rows.update(|rows| rows.push(added));
                }>
                <Icon name=IconName::Plus/>
                <span>{i18n.tr(K::Add)}</span>
            </button>
        }
        .into_any()
    };

    view! {
        <EditCard title=K::Team icon=IconName::Users testid="team" shown editing saving on_edit on_save
            view_body=view_body edit_body=edit_body/>
    }
}
