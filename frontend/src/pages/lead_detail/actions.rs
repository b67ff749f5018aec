//! The lifecycle buttons a lead's status and the caller's role allow, the disqualify dialog,
//! and what qualification still misses.

use crm_api_types::FieldError;
use crm_api_types::identity::Permission;
use crm_api_types::leads::{ConvertLeadResponse, DisqualifyLeadRequest, LeadResponse, LeadStatus};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{Api, ApiError, use_api};
use crate::auth::use_session;
use crate::components::form_field::{FormErrors, SelectField, TextAreaField, scroll_to_testid};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::i18n::{K, lead_field_key, use_i18n};

use super::convert::ConvertDialog;

/// The actions that need no further input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    StartWorking,
    Qualify,
    Reopen,
}

impl Action {
    async fn send(self, api: Api, id: Uuid) -> Result<LeadResponse, ApiError> {
        match self {
            Action::StartWorking => api.start_working(id).await,
            Action::Qualify => api.qualify_lead(id).await,
            Action::Reopen => api.reopen_lead(id).await,
        }
    }

    fn done(self) -> K {
        match self {
            Action::StartWorking => K::LeadStartedWorking,
            Action::Qualify => K::LeadQualified,
            Action::Reopen => K::LeadReopened,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialog {
    Closed,
    Disqualify,
    Convert,
}

#[component]
pub fn LeadActions(
    lead: LeadResponse,
    #[prop(into)] reasons: Signal<Vec<Choice>>,
    /// The lead after an action moved it.
    on_changed: Callback<LeadResponse>,
    on_converted: Callback<ConvertLeadResponse>,
    /// What qualification found missing, shown by [`QualifyMissing`].
    missing: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let busy = RwSignal::new(false);
    let dialog = RwSignal::new(Dialog::Closed);
    let id = lead.id;
    let status = lead.status;
    let stored = StoredValue::new(lead);

    let run = move |action: Action| {
        busy.set(true);
        missing.set(Vec::new());
        spawn_local(async move {
            let result = action.send(api, id).await;
            busy.set(false);
            match result {
                Ok(lead) => {
                    api.toasts.success(api.i18n.t(action.done()));
                    on_changed.run(lead);
                }
                // Qualification names every missing field at once.
                Err(error) if error.status() == Some(422) && !error.field_errors().is_empty() => {
                    missing.set(error.field_errors().to_vec());
                    scroll_to_testid("qualify-missing");
                }
                Err(error) => api.report(&error),
            }
        });
    };

    let can = move |p: Permission| session.can(p);
    let show_start = move || status == LeadStatus::New && can(Permission::LeadWrite);
    let show_qualify = move || {
        matches!(status, LeadStatus::New | LeadStatus::Working) && can(Permission::LeadQualify)
    };
    let show_disqualify = move || {
        matches!(
            status,
            LeadStatus::New | LeadStatus::Working | LeadStatus::Qualified
        ) && can(Permission::LeadQualify)
    };
    let show_reopen = move || status == LeadStatus::Disqualified && can(Permission::LeadQualify);
    let show_convert = move || {
        status == LeadStatus::Qualified
            && can(Permission::LeadWrite)
            && can(Permission::CustomerWrite)
    };

    view! {
        <Show when=show_start>
            <button type="button" class="btn btn-secondary" data-testid="lead-start-working" disabled=move || busy.get()
                on:click=move |_| run(Action::StartWorking)>
                {i18n.tr(K::StartWorking)}
            </button>
        </Show>
        <Show when=show_disqualify>
            <button type="button" class="btn btn-secondary" data-testid="lead-disqualify" disabled=move || busy.get()
                on:click=move |_| dialog.set(Dialog::Disqualify)>
                {i18n.tr(K::Disqualify)}
            </button>
        </Show>
        <Show when=show_reopen>
            <button type="button" class="btn btn-secondary" data-testid="lead-reopen" disabled=move || busy.get()
                on:click=move |_| run(Action::Reopen)>
                {i18n.tr(K::Reopen)}
            </button>
        </Show>
        <Show when=show_qualify>
            <button type="button" class="btn btn-primary" data-testid="lead-qualify" disabled=move || busy.get()
                on:click=move |_| run(Action::Qualify)>
                <Icon name=IconName::Check/>
                <span>{i18n.tr(K::Qualify)}</span>
            </button>
        </Show>
        <Show when=show_convert>
            <button type="button" class="btn btn-primary" data-testid="lead-convert" on:click=move |_| dialog.set(Dialog::Convert)>
                <Icon name=IconName::Convert/>
                <span>{i18n.tr(K::Convert)}</span>
            </button>
        </Show>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Disqualify => view! {
                <DisqualifyDialog
                    lead_id=id
                    reasons
                    on_done=Callback::new(move |lead| {
                        dialog.set(Dialog::Closed);
                        api.toasts.success(api.i18n.t(K::LeadDisqualified));
                        on_changed.run(lead);
                    })
                    on_close=Callback::new(move |()| dialog.set(Dialog::Closed))
                />
            }
            .into_any(),
            Dialog::Convert => view! {
                <ConvertDialog
                    lead=stored.get_value()
                    on_converted=Callback::new(move |converted| {
                        dialog.set(Dialog::Closed);
                        on_converted.run(converted);
                    })
                    on_close=Callback::new(move |()| dialog.set(Dialog::Closed))
                />
            }
            .into_any(),
        }}
    }
}

#[component]
fn DisqualifyDialog(
    lead_id: Uuid,
    reasons: Signal<Vec<Choice>>,
    on_done: Callback<LeadResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    let options = Signal::derive(move || {
        reasons
            .get()
            .into_iter()
            .map(|c| (c.key, c.label))
            .collect()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let key = reason.get_untracked();
        if key.is_empty() {
            errors.push("reason", i18n.t(K::ValueRequired));
            return;
        }
        let request = DisqualifyLeadRequest {
            reason: key,
            note: crate::format::non_blank(&note.get_untracked()),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.disqualify_lead(lead_id, &request).await;
            saving.set(false);
            match result {
                Ok(lead) => on_done.run(lead),
                Err(error) => {
                    if !errors.absorb(&error, &["reason", "note"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::DisqualifyTitle).to_owned()) on_close testid="disqualify-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <SelectField label=K::FieldReason name="reason" prefix="disqualify" value=reason errors options empty_label=K::SelectPlaceholder required=true/>
                    <TextAreaField label=K::FieldNote name="note" prefix="disqualify" value=note errors/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-danger" data-testid="disqualify-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Disqualify) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}

/// The fields qualification found empty, with a way to fill them in.
#[component]
pub fn QualifyMissing(missing: RwSignal<Vec<FieldError>>, edit_href: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || missing.with(|m| !m.is_empty())>
            <div class="alert alert-warning alert-block" role="alert" data-testid="qualify-missing">
                <Icon name=IconName::Alert/>
                <div class="alert-body">
                    <strong>{i18n.tr(K::QualifyMissingTitle)}</strong>
                    <ul class="missing-list">
                        {move || missing.get().into_iter().map(|e| {
                            let field = e.field.clone();
                            let label = move || lead_field_key(&field).map_or_else(|| field.clone(), |k| i18n.t(k).to_owned());
                            view! {
                                <li data-testid=format!("error-{}", e.field)>
                                    <span class="missing-field">{label}</span>
                                    <span class="muted">{e.message}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
                <a class="btn btn-secondary btn-sm" href=edit_href.clone() data-testid="qualify-fix">{i18n.tr(K::QualifyMissingFix)}</a>
            </div>
        </Show>
    }
}
