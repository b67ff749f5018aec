//! Adds a policy or replaces one whole: name, priority, active, how the conditions combine
//! (any/all), the conditions, the steps and whether submitters may approve their own.

use crm_api_types::approvals::{
    ApprovalPolicyRequest, ApprovalPolicyResponse, DocumentKind, MatchMode,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Names;
use super::conditions::{ConditionEditor, ConditionRows};
use super::steps::{StepEditor, StepRows};
use crate::api::use_api;
use crate::components::form_field::{FormErrors, TextField};
use crate::components::modal::Modal;
use crate::components::page_state::StaleWarning;
use crate::i18n::{K, match_mode_key, use_i18n};

const DEFAULT_PRIORITY: i32 = 100;

#[component]
pub fn PolicyDialog(
    policy: Option<ApprovalPolicyResponse>,
    kind: DocumentKind,
    names: Names,
    /// `true` when a policy was added.
    on_saved: Callback<bool>,
    /// Someone changed the policy since it was loaded: load the list again.
    on_stale: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let name = RwSignal::new(policy.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let priority = RwSignal::new(
        policy
            .as_ref()
            .map_or(DEFAULT_PRIORITY, |p| p.priority)
            .to_string(),
    );
    let active = RwSignal::new(policy.as_ref().is_none_or(|p| p.active));
    let match_mode = RwSignal::new(
        policy
            .as_ref()
            .map(|p| p.match_mode)
            .unwrap_or_default()
            .as_str(),
    );
    let self_approval = RwSignal::new(policy.as_ref().is_some_and(|p| p.allow_self_approval));
    let conditions = ConditionRows::new(policy.as_ref().map_or(&[], |p| p.conditions.as_slice()));
    let steps = StepRows::new(policy.as_ref().map_or(&[], |p| p.steps.as_slice()));
    let editing = policy.as_ref().map(|p| (p.id, p.version));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let required = i18n.t(K::ValueRequired);
        let invalid = i18n.t(K::InvalidNumber);
        let priority = match priority.get_untracked().trim() {
            "" => None,
            typed => match typed.parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push("priority", i18n.t(K::WholeNumber));
                    None
                }
            },
        };
        let found_conditions = conditions.conditions(errors, invalid, required);
        let found_steps = steps.steps(errors, required, invalid);
        let (Some(conditions), Some(steps)) = (found_conditions, found_steps) else {
            return;
        };
        if !errors.is_empty() {
            return;
        }
        let request = ApprovalPolicyRequest {
            document_kind: kind,
            name: name.get_untracked().trim().to_owned(),
            priority,
            active: Some(active.get_untracked()),
            match_mode: MatchMode::parse(match_mode.get_untracked()).unwrap_or_default(),
            conditions,
            steps,
            allow_self_approval: self_approval.get_untracked(),
        };
        saving.set(true);
        spawn_local(async move {
            let result = match editing {
                Some((id, version)) => api.replace_approval_policy(id, version, &request).await,
                None => api.create_approval_policy(&request).await,
            };
            saving.set(false);
            match result {
                Ok(_) => {
                    on_saved.try_run(editing.is_none());
                }
                Err(error) if error.is_stale() => stale.set(true),
                Err(error) => {
                    let shown = !error.field_errors().is_empty()
                        && error.field_errors().iter().all(|e| {
                            ["name", "priority", "conditions", "steps"]
                                .iter()
                                .any(|f| e.field.starts_with(f))
                        });
                    errors.set(error.field_errors().to_vec());
                    if !shown {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let title = if editing.is_some() {
        K::EditPolicy
    } else {
        K::NewPolicy
    };
    let mode_choice = move |mode: MatchMode| {
        view! {
            <label class="check">
                <input type="radio" name="policy-match" data-testid=format!("policy-match-{}", mode.as_str())
                    prop:checked=move || match_mode.get() == mode.as_str()
                    on:change=move |_| match_mode.set(mode.as_str())/>
                <span>{i18n.tr(match_mode_key(mode))}</span>
            </label>
        }
    };

    view! {
        <Modal title=i18n.signal(title) on_close testid="policy-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body policy-body">
                    {move || stale.get().then(|| view! { <StaleWarning on_reload=Callback::new(move |()| on_stale.run(())) short=true/> })}
                    <div class="form-grid">
                        <TextField label=K::PolicyName name="name" prefix="policy" value=name errors required=true placeholder=K::PolicyNamePlaceholder/>
                        <TextField label=K::PolicyPriority name="priority" prefix="policy" value=priority errors input_type="number" hint=Some(K::PolicyPriorityHint)/>
                        <label class="check">
                            <input type="checkbox" data-testid="policy-active" prop:checked=move || active.get()
                                on:change=move |ev| active.set(event_target_checked(&ev))/>
                            <span>{i18n.tr(K::PolicyActive)}</span>
                        </label>
                        <label class="check">
                            <input type="checkbox" data-testid="policy-allow_self_approval" prop:checked=move || self_approval.get()
                                on:change=move |ev| self_approval.set(event_target_checked(&ev))/>
                            <span>{i18n.tr(K::AllowSelfApproval)}</span>
                        </label>
                    </div>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::PolicyConditions)}</legend>
                        <div class="rule-target">
                            {mode_choice(MatchMode::Any)}
                            {mode_choice(MatchMode::All)}
                        </div>
                        <ConditionEditor list=conditions names errors/>
                    </fieldset>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::PolicySteps)}</legend>
                        <p class="field-hint section-hint">{i18n.tr(K::PolicyStepsHint)}</p>
                        <StepEditor list=steps names errors/>
                    </fieldset>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="policy-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
