//! Moving an opportunity between stages, for the board and the opportunity page alike: the
//! 输单 dialog (reason, winning competitor, note) and the toast for a refused move.

use crm_api_types::opportunities::{MoveStageRequest, OpportunityResponse};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{Api, ApiError, use_api};
use crate::components::form_field::{Field, FormErrors};
use crate::components::modal::Modal;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};

const FIELDS: [&str; 3] = ["lost_reason", "winning_competitor", "lost_note"];

/// A refused move says why: a closed opportunity must be reopened first.
pub fn report_move_error(api: Api, error: &ApiError) {
    match error.code() {
        Some("invalid_transition") => api.toasts.error(api.i18n.t(K::MoveRefusedClosed)),
        _ => api.report(error),
    }
}

/// Asks why the opportunity was lost and to whom, then moves it into the lost `stage_id`.
/// Closing the dialog moves nothing.
#[component]
pub fn LostDialog(
    opportunity_id: Uuid,
    stage_id: Uuid,
    #[prop(into)] reasons: Signal<Vec<Choice>>,
    on_moved: Callback<OpportunityResponse>,
    /// The move was refused for a reason no field shows (e.g. it closed meanwhile).
    on_refused: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let reason = RwSignal::new(String::new());
    let competitor = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    // The competitors already named on the opportunity are offered as suggestions.
    let known_competitors = RwSignal::new(Vec::<String>::new());
    spawn_local(async move {
        if let Ok(found) = api.get_opportunity(opportunity_id).await {
            known_competitors.set(
                found
                    .value
                    .competitors
                    .into_iter()
                    .map(|c| c.name)
                    .collect(),
            );
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let lost_reason = non_blank(&reason.get_untracked());
        let winning_competitor = non_blank(&competitor.get_untracked());
        if lost_reason.is_none() {
            errors.push("lost_reason", i18n.t(K::ValueRequired));
        }
        if winning_competitor.is_none() {
            errors.push("winning_competitor", i18n.t(K::ValueRequired));
        }
        if !errors.is_empty() {
            return;
        }
        let request = MoveStageRequest {
            stage_id,
            lost_reason,
            winning_competitor,
            lost_note: non_blank(&note.get_untracked()),
            ..MoveStageRequest::default()
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.move_opportunity(opportunity_id, &request).await;
            saving.set(false);
            match result {
                Ok(moved) => on_moved.run(moved),
                Err(error) if errors.absorb(&error, &FIELDS) => {}
                Err(error) => {
                    report_move_error(api, &error);
                    on_refused.run(());
                }
            }
        });
    };

    let invalid = move |field: &'static str| {
        move || {
            if errors.message(field).is_some() {
                "true"
            } else {
                "false"
            }
        }
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::LostTitle).to_owned()) on_close testid="lost-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <p class="field-hint">{i18n.tr(K::LostHint)}</p>
                    <Field label=K::FieldLostReason name="lost_reason" input_id="lost-reason".to_owned() errors required=true>
                        <select
                            class="input select"
                            id="lost-reason"
                            data-testid="lost-reason"
                            aria-required="true"
                            aria-invalid=invalid("lost_reason")
                            on:change=move |ev| reason.set(event_target_value(&ev))
                        >
                            <option value="" prop:selected=move || reason.with(String::is_empty)>{i18n.tr(K::SelectPlaceholder)}</option>
                            {move || reasons.get().into_iter().map(|choice| {
                                let key = choice.key.clone();
                                view! {
                                    <option value=choice.key prop:selected=move || reason.with(|r| *r == key)>{choice.label}</option>
                                }
                            }).collect_view()}
                        </select>
                    </Field>
                    <Field label=K::FieldWinningCompetitor name="winning_competitor" input_id="lost-competitor".to_owned() errors required=true>
                        <input
                            class="input"
                            id="lost-competitor"
                            data-testid="lost-competitor"
                            list="lost-competitor-suggestions"
                            autocomplete="off"
                            aria-required="true"
                            aria-invalid=invalid("winning_competitor")
                            prop:value=move || competitor.get()
                            on:input=move |ev| competitor.set(event_target_value(&ev))
                            on:change=move |ev| competitor.set(event_target_value(&ev))
                        />
                        <datalist id="lost-competitor-suggestions">
                            {move || known_competitors.get().into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
                        </datalist>
                    </Field>
                    <Field label=K::FieldNote name="lost_note" input_id="lost-note".to_owned() errors>
                        <textarea
                            class="input textarea"
                            id="lost-note"
                            rows="3"
                            data-testid="lost-note"
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))
                        ></textarea>
                    </Field>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" data-testid="lost-cancel" on:click=move |_| on_close.run(())>
                        {i18n.tr(K::Cancel)}
                    </button>
                    <button type="submit" class="btn btn-danger" data-testid="lost-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::MarkLost) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
