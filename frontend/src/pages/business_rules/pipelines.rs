//! Settings → business rules → 销售流程: the tenant's pipelines and their ordered stages
//! (name, kind, default probability). A pipeline is saved whole with `PUT` (a stage keeps its
//! id, so its opportunities stay in it); a new one with `POST`. At least one open, one won and
//! one lost stage; the server says so otherwise, next to the stages.

use crm_api_types::pipelines::{PipelineRequest, PipelineResponse, StageKind, StageRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::table::Spinner;
use crate::i18n::{K, stage_kind_key, use_i18n};
use crate::rows::RowOwner;

/// One stage being edited; `id` keeps its inputs when others move.
#[derive(Debug, Clone, Copy)]
struct StageRow {
    id: u64,
    stage_id: Option<Uuid>,
    name: RwSignal<String>,
    kind: RwSignal<StageKind>,
    probability: RwSignal<String>,
}

#[component]
pub fn Pipelines() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let pipelines = RwSignal::new(None::<Vec<PipelineResponse>>);
    // The pipeline being edited; `None` with `creating` for a new one.
    let chosen = RwSignal::new(None::<Uuid>);
    let creating = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let is_default = RwSignal::new(false);
    let stages = RwSignal::new(Vec::<StageRow>::new());
    let next_id = StoredValue::new(0_u64);
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);

    let owner = RowOwner::here();
    let row =
        move |stage_id: Option<Uuid>, stage_name: String, kind: StageKind, probability: u8| {
            let id = next_id.get_value();
            next_id.set_value(id + 1);
            owner.make(|| StageRow {
                id,
                stage_id,
                name: RwSignal::new(stage_name),
                kind: RwSignal::new(kind),
                probability: RwSignal::new(probability.to_string()),
            })
        };
    let edit = move |pipeline: Option<&PipelineResponse>| {
        errors.clear();
        match pipeline {
            Some(p) => {
                creating.set(false);
                chosen.set(Some(p.id));
                name.set(p.name.clone());
                is_default.set(p.is_default);
                stages.set(
                    p.stages
                        .iter()
                        .map(|s| row(Some(s.id), s.name.clone(), s.kind, s.probability))
                        .collect(),
                );
            }
            None => {
                creating.set(true);
                chosen.set(None);
                name.set(String::new());
                is_default.set(false);
                // A pipeline needs an open, a won and a lost stage: start with those.
                stages.set(vec![
                    row(None, String::new(), StageKind::Open, 10),
                    row(None, i18n.t(K::StageWon).to_owned(), StageKind::Won, 100),
                    row(None, i18n.t(K::StageLost).to_owned(), StageKind::Lost, 0),
                ]);
            }
        }
    };
    let load = move |select: Option<Uuid>| {
        spawn_local(async move {
            match api.pipelines().await {
                Ok(all) => {
                    let pick = select
                        .and_then(|id| all.iter().find(|p| p.id == id))
                        .or_else(|| all.iter().find(|p| p.is_default))
                        .or(all.first())
                        .cloned();
                    edit(pick.as_ref());
                    pipelines.set(Some(all));
                }
                Err(error) => api.report(&error),
            }
        });
    };
    load(None);

    let on_save = move |_| {
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let mut requests = Vec::new();
        for (i, stage) in stages.get_untracked().iter().enumerate() {
            let Some(probability) = stage
                .probability
                .get_untracked()
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= 100)
            else {
                errors.push(
                    &format!("stages[{i}].probability"),
                    i18n.t(K::ProbabilityRange),
                );
                continue;
            };
            requests.push(StageRequest {
                id: stage.stage_id,
                name: stage.name.get_untracked().trim().to_owned(),
                kind: Some(stage.kind.get_untracked()),
                probability,
            });
        }
        if !errors.is_empty() {
            return;
        }
        let request = PipelineRequest {
            name: name.get_untracked().trim().to_owned(),
            is_default: Some(is_default.get_untracked()),
            stages: requests,
        };
        let target = chosen.get_untracked().and_then(|id| {
            pipelines.with_untracked(|all| {
                all.as_ref()
                    .and_then(|all| all.iter().find(|p| p.id == id).map(|p| (p.id, p.version)))
            })
        });
        saving.set(true);
        spawn_local(async move {
            let result = match target {
                Some((id, version)) => api.replace_pipeline(id, version, &request).await,
                None => api.create_pipeline(&request).await,
            };
            saving.set(false);
            match result {
                Ok(saved) => {
                    api.toasts.success(api.i18n.t(K::PipelineSaved));
                    load(Some(saved.id));
                }
                Err(error) if error.is_stale() => {
                    api.toasts.error(api.i18n.t(K::StaleBody));
                    load(target.map(|(id, _)| id));
                }
                Err(error) => {
                    let known = !error.field_errors().is_empty()
                        && error
                            .field_errors()
                            .iter()
                            .all(|e| e.field.starts_with("stages") || e.field == "name");
                    errors.set(error.field_errors().to_vec());
                    if !known {
                        api.report(&error);
                    }
                }
            }
        });
    };
    let on_delete = Callback::new(move |()| {
        let Some(id) = chosen.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_pipeline(id).await;
            deleting.set(false);
            confirming.set(false);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::PipelineDeleted));
                    load(None);
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let swap = move |id: u64, down: bool| {
        stages.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.id == id) {
                let j = if down { i + 1 } else { i.wrapping_sub(1) };
                if j < rows.len() {
                    rows.swap(i, j);
                }
            }
        });
    };

    let stage_rows = move || {
        view! {
            <For
                each=move || stages.get()
                key=|r| r.id
                children=move |stage| {
                    let id = stage.id;
                    let index = move || stages.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0));
                    let error = move || errors.message_under(&format!("stages[{}]", index()));
                    let is_last = move || index() + 1 == stages.with(Vec::len);
                    view! {
                        <li class="choice-row stage-row" data-testid="stage-row">
                            <div class="choice-cell" class:has-error=move || error().is_some()>
                                <input class="input" data-testid="stage-name" aria-label=i18n.tr(K::StageName)
                                    prop:value=move || stage.name.get() on:input=move |ev| stage.name.set(event_target_value(&ev))/>
                                {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
                            </div>
                            <select class="input select" data-testid="stage-kind" aria-label=i18n.tr(K::StageKindLabel)
                                on:change=move |ev| {
                                    if let Some(kind) = StageKind::parse(&event_target_value(&ev)) {
                                        stage.kind.set(kind);
                                        match kind {
                                            StageKind::Won => stage.probability.set("100".to_owned()),
                                            StageKind::Lost => stage.probability.set("0".to_owned()),
                                            StageKind::Open => {}
                                        }
                                    }
                                }>
                                {StageKind::ALL.into_iter().map(|kind| view! {
                                    <option value=kind.as_str() prop:selected=move || stage.kind.get() == kind>{move || i18n.t(stage_kind_key(kind))}</option>
                                }).collect_view()}
                            </select>
                            <div class="input-unit">
                                <input class="input input-num input-short" type="number" min="0" max="100" data-testid="stage-probability"
                                    aria-label=i18n.tr(K::FieldProbability)
                                    disabled=move || stage.kind.get() != StageKind::Open
                                    prop:value=move || stage.probability.get() on:input=move |ev| stage.probability.set(event_target_value(&ev))/>
                                <span class="unit">"%"</span>
                            </div>
                            <button type="button" class="icon-button" data-testid="stage-up" aria-label=i18n.tr(K::MoveUp)
                                disabled=move || index() == 0 on:click=move |_| swap(id, false)>
                                <Icon name=IconName::ArrowUp/>
                            </button>
                            <button type="button" class="icon-button" data-testid="stage-down" aria-label=i18n.tr(K::MoveDown)
                                disabled=is_last on:click=move |_| swap(id, true)>
                                <Icon name=IconName::ArrowDown/>
                            </button>
                            <button type="button" class="icon-button" data-testid="stage-remove" aria-label=i18n.tr(K::Remove)
                                on:click=move |_| stages.update(|rows| rows.retain(|r| r.id != id))>
                                <Icon name=IconName::Trash/>
                            </button>
                        </li>
                    }
                }
            />
        }
    };

    let picker = move || {
        pipelines.get().map(|all| {
            all.into_iter()
                .map(|p| {
                    let id = p.id;
                    let for_edit = p.clone();
                    view! {
                        <button type="button" class="tab" class:active=move || chosen.get() == Some(id)
                            data-testid="pipeline-tab" on:click=move |_| edit(Some(&for_edit))>
                            {p.name.clone()}
                            {p.is_default.then(|| view! { <span class="badge badge-outline">{i18n.tr(K::DefaultPipeline)}</span> })}
                        </button>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <section class="card form" data-testid="pipelines">
            <h2 class="card-title">
                <Icon name=IconName::Board/>
                <span>{i18n.tr(K::Pipelines)}</span>
            </h2>
            <div class="form-section">
            <p class="field-hint section-hint">{i18n.tr(K::PipelinesHint)}</p>
            <Show when=move || pipelines.with(Option::is_some) fallback=|| view! { <Spinner/> }>
                <div class="tabs card-tabs">
                    {picker}
                    <button type="button" class="tab" class:active=move || creating.get() data-testid="pipeline-new" on:click=move |_| edit(None)>
                        <Icon name=IconName::Plus/>
                        <span>{i18n.tr(K::NewPipeline)}</span>
                    </button>
                </div>
                <div class="form-grid">
                    <div class="field" class:has-error=move || errors.message("name").is_some()>
                        <label class="field-label" for="pipeline-name">{i18n.tr(K::PipelineName)}</label>
                        <input class="input" id="pipeline-name" data-testid="pipeline-name"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                        {move || errors.message("name").map(|m| view! { <p class="field-error" data-testid="error-name">{m}</p> })}
                    </div>
                    <label class="check">
                        <input type="checkbox" data-testid="pipeline-default"
                            prop:checked=move || is_default.get() on:change=move |ev| is_default.set(event_target_checked(&ev))/>
                        <span>{i18n.tr(K::DefaultPipelineHint)}</span>
                    </label>
                </div>
                <div class="choice-head stage-head" aria-hidden="true">
                    <span>{i18n.tr(K::StageName)}</span>
                    <span>{i18n.tr(K::StageKindLabel)}</span>
                    <span>{i18n.tr(K::FieldProbability)}</span>
                </div>
                <ol class="choice-list" data-testid="stage-list">{stage_rows}</ol>
                {move || errors.message("stages").map(|m| view! { <p class="field-error" data-testid="error-stages">{m}</p> })}
                <button type="button" class="btn btn-secondary btn-sm choice-add" data-testid="stage-add"
                    on:click=move |_| {
                        // New open stages go before the closing ones.
                        let added = row(None, String::new(), StageKind::Open, 50);
                        stages.update(|rows| {
                            let at = rows.iter().position(|r| r.kind.get_untracked() != StageKind::Open).unwrap_or(rows.len());
                            rows.insert(at, added);
                        });
                    }>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::AddStage)}</span>
                </button>
            </Show>
            </div>
            <Show when=move || pipelines.with(Option::is_some)>
                <footer class="form-footer">
                    <Show when=move || chosen.with(Option::is_some) && !is_default.get()>
                        <button type="button" class="btn btn-danger-outline" data-testid="pipeline-delete" on:click=move |_| confirming.set(true)>
                            <Icon name=IconName::Trash/>
                            <span>{i18n.tr(K::Delete)}</span>
                        </button>
                    </Show>
                    <span class="toolbar-spacer"></span>
                    <button type="button" class="btn btn-primary" data-testid="pipeline-submit" disabled=move || saving.get() on:click=on_save>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </Show>
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=K::DeletePipeline
                    message=Signal::derive(move || i18n.confirm_delete_named(&name.get()))
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| confirming.set(false))
                />
            </Show>
        </section>
    }
}
