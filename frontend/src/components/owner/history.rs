//! 负责人变更记录: every change of owner, newest first — from whom to whom, why, by whom, when;
//! the owner actions sit in its title bar.

use std::collections::HashMap;
use std::marker::PhantomData;

use crm_api_types::ownership::{OwnerChangeReason, OwnerChangeResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{OwnedRecord, use_api};
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::local_datetime;
use crate::i18n::{I18n, K, owner_change_reason_key, use_i18n};
use crate::load::Load;

#[component]
pub fn OwnerHistoryPanel<T: OwnedRecord>(
    id: Uuid,
    /// Names the record kind; the panel itself shows no record.
    #[prop(optional)]
    _kind: PhantomData<T>,
    /// What may be done about the owner (领取, 退回公海, 分配), in the panel's title bar.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let changes = RwSignal::new(Load::<Vec<OwnerChangeResponse>>::Loading);

    spawn_local(async move {
        match api.owner_history::<T>(id).await {
            Ok(mut all) => {
                all.reverse();
                changes.set(Load::Loaded(all));
            }
            Err(error) => {
                api.report(&error);
                changes.set(Load::Failed);
            }
        }
    });

    let body = move || {
        match changes.get() {
        Load::Loading => view! { <Spinner/> }.into_any(),
        Load::Failed | Load::NotFound => {
            view! { <p class="muted panel-empty">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
        }
        Load::Loaded(all) if all.is_empty() => view! {
            <p class="muted panel-empty" data-testid="owner-history-empty">{i18n.tr(K::OwnerHistoryEmpty)}</p>
        }
        .into_any(),
        Load::Loaded(all) => {
            // The API names owners but not who acted; those are mostly owners too (a claim,
            // a release), or the signed-in user.
            let mut names: HashMap<Uuid, String> = all
                .iter()
                .flat_map(|c| {
                    [
                        c.from_owner_id.zip(c.from_owner_name.clone()),
                        c.to_owner_id.zip(c.to_owner_name.clone()),
                    ]
                })
                .flatten()
                .collect();
            if let Some(me) = session.me() {
                names.insert(me.user.id, me.user.name);
            }
            view! {
                <ol class="timeline">
                    {all.into_iter().map(|change| {
                        let by = change.changed_by.map(|id| {
                            names.get(&id).cloned().unwrap_or_else(|| id.to_string().chars().take(8).collect())
                        });
                        view! { <OwnerChange change by/> }
                    }).collect_view()}
                </ol>
            }
            .into_any()
        }
    }
    };

    view! {
        <section class="card" aria-labelledby="owner-history-title" data-testid="owner-history">
            <h2 class="card-title" id="owner-history-title">
                <Icon name=IconName::Users/>
                <span>{i18n.tr(K::OwnerHistory)}</span>
                <span class="toolbar-spacer"></span>
                {children.map(|c| c())}
            </h2>
            {body}
        </section>
    }
}

/// An owner, or the pool when there is none.
fn owner_text(i18n: I18n, name: Option<String>) -> String {
    name.unwrap_or_else(|| i18n.t(K::InPool).to_owned())
}

#[component]
fn OwnerChange(change: OwnerChangeResponse, by: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let reason = change.reason;
    let created = reason == OwnerChangeReason::Created;
    let (from, to) = (change.from_owner_name, change.to_owner_name);
    view! {
        <li class="timeline-item" data-testid="owner-change" data-reason=reason.as_str()>
            <div class="timeline-head">
                <span class="badge badge-outline" data-testid="owner-change-reason">
                    {move || i18n.t(owner_change_reason_key(reason))}
                </span>
                <span class="owner-move">
                    {(!created).then(|| {
                        let from = from.clone();
                        view! {
                            <span class="change-old is-empty">{move || owner_text(i18n, from.clone())}</span>
                            <span class="change-arrow" aria-hidden="true">"→"</span>
                        }
                    })}
                    <span class="change-new">{move || owner_text(i18n, to.clone())}</span>
                </span>
                <time class="timeline-time" datetime=change.changed_at.to_rfc3339()>
                    {local_datetime(&change.changed_at)}
                    " · "
                    {move || by.clone().unwrap_or_else(|| i18n.t(K::SystemActor).to_owned())}
                </time>
            </div>
            {change.note.map(|note| view! { <p class="owner-note" data-testid="owner-change-note">{note}</p> })}
        </li>
    }
}
