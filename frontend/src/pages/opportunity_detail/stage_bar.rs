//! The stage bar: the pipeline's stages as chevrons, the current one marked. Clicking another
//! stage moves the opportunity there (a lost stage asks why first); a won or lost opportunity
//! offers 重新打开 instead, with a note for the history.

use crm_api_types::opportunities::{MoveStageRequest, ReopenOpportunityRequest};
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::Shown;
use crate::components::form_field::{FormErrors, SelectField, TextAreaField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::components::stage_move::{LostDialog, report_move_error};
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};

#[component]
pub fn StageBar(
    shown: Shown,
    pipeline: PipelineResponse,
    lost_reasons: RwSignal<Vec<Choice>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = shown.api;
    let losing = RwSignal::new(None::<Uuid>);
    let reopening = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let current = move || shown.value.with(|o| o.summary.stage_id);
    let closed = move || {
        shown
            .value
            .with(|o| o.summary.stage_kind != StageKind::Open)
    };
    let position = {
        let stages = pipeline.stages.clone();
        move |id: Uuid| stages.iter().position(|s| s.id == id)
    };

    let move_to = move |stage_id: Uuid, kind: StageKind| {
        if busy.get_untracked()
            || closed()
            || stage_id == current()
            || !shown.can_write.get_untracked()
        {
            return;
        }
        if kind == StageKind::Lost {
            losing.set(Some(stage_id));
            return;
        }
        let request = MoveStageRequest {
            stage_id,
            ..MoveStageRequest::default()
        };
        let id = shown.id();
        busy.set(true);
        spawn_local(async move {
            let result = api.move_opportunity(id, &request).await;
            busy.set(false);
            match result {
                Ok(moved) => {
                    api.toasts
                        .success(api.i18n.moved_to(&moved.summary.stage_name));
                    shown.moved(moved);
                }
                Err(error) => report_move_error(api, &error),
            }
        });
    };

    let open_stages: Vec<(String, String)> = pipeline
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();

    let chevrons = pipeline
        .stages
        .iter()
        .cloned()
        .map(|stage| {
            let id = stage.id;
            let kind = stage.kind;
            let position = position.clone();
            // The open stages behind the current one, unless it was lost on the way.
            let passed = move || {
                let lost = shown
                    .value
                    .with(|o| o.summary.stage_kind == StageKind::Lost);
                let here = position(current());
                !lost
                    && kind == StageKind::Open
                    && here.zip(position(id)).is_some_and(|(h, s)| s < h)
            };
            view! {
                <li>
                    <button
                        type="button"
                        class=format!("chevron chevron-{}", kind.as_str())
                        class:current=move || current() == id
                        class:passed=passed
                        data-testid="stage-step"
                        data-stage-id=id.to_string()
                        data-stage-kind=kind.as_str()
                        aria-current=move || (current() == id).then_some("step")
                        disabled=move || closed() || !shown.can_write.get() || busy.get()
                        on:click=move |_| move_to(id, kind)
                    >
                        <span class="chevron-name">{stage.name}</span>
                        <span class="chevron-probability">{format!("{}%", stage.probability)}</span>
                    </button>
                </li>
            }
        })
        .collect_view();

    view! {
        <section class="card stage-bar" data-testid="stage-bar" aria-label=i18n.tr(K::FieldStage)>
            <ol class="chevrons">{chevrons}</ol>
            <Show when=move || closed() && shown.can_write.get()>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="opportunity-reopen" on:click=move |_| reopening.set(true)>
                    <Icon name=IconName::Back/>
                    <span>{i18n.tr(K::ReopenOpportunity)}</span>
                </button>
            </Show>
        </section>
        {move || losing.get().map(|stage_id| view! {
            <LostDialog
                opportunity_id=shown.id()
                stage_id
                reasons=lost_reasons
                on_moved=Callback::new(move |moved| {
                    losing.set(None);
                    api.toasts.success(api.i18n.t(K::OpportunityLost));
                    shown.moved(moved);
                })
                on_refused=Callback::new(move |()| losing.set(None))
                on_close=Callback::new(move |()| losing.set(None))
            />
        })}
        <Show when=move || reopening.get()>
            <ReopenDialog shown stages=open_stages.clone() on_close=Callback::new(move |()| reopening.set(false))/>
        </Show>
    }
}

#[component]
fn ReopenDialog(
    shown: Shown,
    stages: Vec<(String, String)>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = shown.api;
    let errors = FormErrors::new();
    let stage = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    let options = Signal::derive(move || stages.clone());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let request = ReopenOpportunityRequest {
            stage_id: stage.get_untracked().parse().ok(),
            note: non_blank(&note.get_untracked()),
        };
        let id = shown.id();
        saving.set(true);
        spawn_local(async move {
            let result = api.reopen_opportunity(id, &request).await;
            saving.set(false);
            match result {
                Ok(reopened) => {
                    api.toasts.success(api.i18n.t(K::OpportunityReopened));
                    shown.moved(reopened);
                    on_close.run(());
                }
                Err(error) => {
                    if !errors.absorb(&error, &["stage_id", "note"]) {
                        report_move_error(api, &error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::ReopenTitle).to_owned()) on_close testid="reopen-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <SelectField label=K::FieldStage name="stage_id" prefix="reopen" value=stage errors options empty_label=K::StageClosedFrom/>
                    <TextAreaField label=K::FieldNote name="note" prefix="reopen" value=note errors/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="reopen-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::ReopenOpportunity) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
