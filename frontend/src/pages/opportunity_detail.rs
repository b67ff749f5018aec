//! One opportunity: its header figures, the stage bar (click a stage to move there; won and
//! lost offer 重新打开), product lines, its quotes (with 新建报价), decision chain, team,
//! competitors, partners, follow-ups, stage history and attachments; a won opportunity offers
//! 生成合同 (a draft contract with its lines). Each panel saves its own part with a PATCH
//! carrying the version shown.

mod competitors;
mod decision_chain;
mod lines;
mod partners;
mod quotes;
mod stage_bar;
mod stage_history;
mod team;

use crm_api_types::attachments::AttachmentSubject;
use crm_api_types::contracts::CreateContractRequest;
use crm_api_types::customers::ContactResponse;
use crm_api_types::identity::Permission;
use crm_api_types::opportunities::{OpportunityResponse, UpdateOpportunityRequest};
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::api::{Api, ApiError, use_api};
use crate::auth::use_session;
use crate::components::activity_form::Subject;
use crate::components::activity_timeline::ActivityPanel;
use crate::components::attachments::AttachmentsPanel;
use crate::components::badges::StageBadge;
use crate::components::form_field::FormErrors;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::page_state::{NoPermission, RecordNotFound};
use crate::components::table::Spinner;
use crate::format::{local_datetime, money, or_dash};
use crate::i18n::{K, opportunity_kind_key, source_key, use_i18n};
use crate::load::{Load, id_param};
use crate::pages::contracts::open_created_contract;
use crate::pages::opportunities::{OpportunityListState, use_opportunity_list_state};

use competitors::CompetitorsPanel;
use decision_chain::DecisionChainPanel;
use lines::LinesPanel;
use partners::PartnersPanel;
use quotes::QuotesPanel;
use stage_bar::StageBar;
use stage_history::StageHistoryPanel;
use team::TeamPanel;

/// The opportunity on the page, shared by its panels.
#[derive(Debug, Clone, Copy)]
struct Shown {
    value: RwSignal<OpportunityResponse>,
    /// Bumped after a stage change: the history panel reloads.
    moves: RwSignal<u64>,
    can_write: Signal<bool>,
    api: Api,
    list: OpportunityListState,
}

impl Shown {
    fn id(self) -> Uuid {
        self.value.with_untracked(|o| o.summary.id)
    }

    /// Shows what a stage change answered with; the board and list are out of date.
    fn moved(self, opportunity: OpportunityResponse) {
        self.value.set(opportunity);
        self.moves.update(|n| *n += 1);
        self.list.invalidate();
    }

    /// Saves one part of the opportunity; `done` hears whether it worked, so the panel can
    /// leave its editing state or show field errors.
    fn patch(
        self,
        update: UpdateOpportunityRequest,
        done: impl FnOnce(Result<(), ApiError>) + 'static,
    ) {
        let (api, list) = (self.api, self.list);
        let (id, version) = self
            .value
            .with_untracked(|o| (o.summary.id, o.summary.version));
        spawn_local(async move {
            match api.update_opportunity(id, version, &update).await {
                Ok(saved) => {
                    self.value.set(saved);
                    list.invalidate();
                    api.toasts.success(api.i18n.t(K::OpportunitySaved));
                    done(Ok(()));
                }
                Err(error) if error.is_stale() => {
                    api.toasts.error(api.i18n.t(K::StaleBody));
                    done(Err(error));
                }
                Err(error) => done(Err(error)),
            }
        });
    }
}

/// A panel of the page that edits one list of the opportunity: its rows as shown, or (after
/// 编辑) as inputs with 保存 and 取消 below. Field errors arrive as `<field>[i].…`.
#[component]
fn EditCard(
    title: K,
    icon: IconName,
    testid: &'static str,
    shown: Shown,
    editing: RwSignal<bool>,
    saving: RwSignal<bool>,
    on_edit: Callback<()>,
    on_save: Callback<()>,
    /// What the panel shows when not editing.
    #[prop(into)]
    view_body: ViewFn,
    /// The inputs while editing.
    #[prop(into)]
    edit_body: ViewFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let title_id = format!("{testid}-title");
    view! {
        <section class="card" aria-labelledby=title_id.clone() data-testid=testid>
            <h2 class="card-title" id=title_id.clone()>
                <Icon name=icon/>
                <span>{i18n.tr(title)}</span>
                <span class="toolbar-spacer"></span>
                <Show when=move || shown.can_write.get() && !editing.get()>
                    <button type="button" class="btn btn-link btn-sm" data-testid=format!("{testid}-edit") on:click=move |_| on_edit.run(())>
                        {i18n.tr(K::Edit)}
                    </button>
                </Show>
            </h2>
            {move || if editing.get() {
                view! {
                    <div class="row-editor">{edit_body.run()}</div>
                    <footer class="panel-footer">
                        <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| editing.set(false)>{i18n.tr(K::Cancel)}</button>
                        <button type="button" class="btn btn-primary btn-sm" data-testid=format!("{testid}-save") disabled=move || saving.get() on:click=move |_| on_save.run(())>
                            {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                        </button>
                    </footer>
                }
                .into_any()
            } else {
                view_body.run()
            }}
        </section>
    }
}

/// Saves one list of the opportunity through [`Shown::patch`]: leaves editing when it worked,
/// shows field errors under the rows when it did not (or a toast when no row names them).
fn save_part(
    shown: Shown,
    update: UpdateOpportunityRequest,
    field: &'static str,
    errors: FormErrors,
    editing: RwSignal<bool>,
    saving: RwSignal<bool>,
) {
    errors.clear();
    saving.set(true);
    let api = shown.api;
    shown.patch(update, move |result| {
        saving.set(false);
        match result {
            Ok(()) => editing.set(false),
            Err(error) if error.is_stale() => {}
            Err(error) => {
                let rows_named = !error.field_errors().is_empty()
                    && error
                        .field_errors()
                        .iter()
                        .all(|e| e.field.starts_with(field));
                errors.set(error.field_errors().to_vec());
                if !rows_named {
                    api.report(&error);
                }
            }
        }
    });
}

#[component]
pub fn OpportunityDetailPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::OpportunityRead) {
            view! { <OpportunityDetail/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn OpportunityDetail() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let list = use_opportunity_list_state();
    let navigate = use_navigate();
    let id = id_param();
    let opportunity = RwSignal::new(Load::<OpportunityResponse>::Loading);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);

    Effect::new(move |_| {
        let Some(id) = id.get() else {
            opportunity.set(Load::NotFound);
            return;
        };
        opportunity.set(Load::Loading);
        spawn_local(async move {
            match api.get_opportunity(id).await {
                Ok(found) => opportunity.set(Load::Loaded(found.value)),
                Err(error) if error.is_not_found() => opportunity.set(Load::NotFound),
                Err(error) => {
                    api.report(&error);
                    opportunity.set(Load::Failed);
                }
            }
        });
    });

    let on_delete = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else { return };
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_opportunity(id).await;
            deleting.set(false);
            confirming.set(false);
            match result {
                Ok(()) => {
                    list.invalidate();
                    api.toasts.success(api.i18n.t(K::OpportunityDeleted));
                    navigate("/opportunities", Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let content = move || {
        match opportunity.get() {
        Load::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        Load::NotFound | Load::Failed => view! {
            <RecordNotFound hint=K::OpportunityNotFound back_href="/opportunities" back_label=K::BackToOpportunities testid="opportunity-not-found"/>
        }
        .into_any(),
        Load::Loaded(found) => view! { <OpportunityView opportunity=found confirming/> }.into_any(),
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/opportunities" data-testid="back-to-opportunities">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToOpportunities)}</span>
            </a>
            {content}
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=K::DeleteOpportunity
                    message=Signal::derive(move || i18n.t(K::DeleteOpportunityConfirm).to_owned())
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| confirming.set(false))
                />
            </Show>
        </div>
    }
}

#[component]
fn OpportunityView(opportunity: OpportunityResponse, confirming: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let customer_id = opportunity.summary.customer_id;
    let pipeline_id = opportunity.summary.pipeline_id;
    let shown = Shown {
        value: RwSignal::new(opportunity),
        moves: RwSignal::new(0),
        can_write: Signal::derive(move || session.can(Permission::OpportunityWrite)),
        api,
        list: use_opportunity_list_state(),
    };
    let pipeline = RwSignal::new(None::<PipelineResponse>);
    let contacts = RwSignal::new(Vec::<ContactResponse>::new());
    let lost_reasons = RwSignal::new(Vec::<Choice>::new());

    spawn_local(async move {
        match api.pipelines().await {
            Ok(all) => pipeline.set(all.into_iter().find(|p| p.id == pipeline_id)),
            Err(error) => api.report(&error),
        }
    });
    spawn_local(async move {
        if let Ok(settings) = api.get_settings().await {
            lost_reasons.set(settings.value.lost_reasons);
        }
    });
    if session.can(Permission::CustomerRead) {
        spawn_local(async move {
            match api.customer_contacts(customer_id).await {
                Ok(all) => contacts.set(all),
                Err(error) => api.report(&error),
            }
        });
    }

    let value = shown.value;
    let summary = move || value.with(|o| o.summary.clone());
    let edit_href = format!("/opportunities/{}/edit", shown.id());
    let lost_reason_label = move || {
        value.with(|o| o.lost_reason.clone()).map(|key| {
            lost_reasons.with(|all| {
                all.iter()
                    .find(|c| c.key == key)
                    .map_or_else(|| key.clone(), |c| c.label.clone())
            })
        })
    };
    let item = move |label: K, testid: &'static str, text: Signal<String>| {
        view! {
            <div class="dl-item">
                <dt>{i18n.tr(label)}</dt>
                <dd data-testid=testid>{move || text.get()}</dd>
            </div>
        }
    };
    let figure = move |label: K, testid: &'static str, text: Signal<String>| {
        view! {
            <div class="figure">
                <span class="figure-label">{i18n.tr(label)}</span>
                <span class="figure-value" data-testid=testid>{move || text.get()}</span>
            </div>
        }
    };
    let closed = move || value.with(|o| o.summary.stage_kind != StageKind::Open);
    let won = move || value.with(|o| o.summary.stage_kind == StageKind::Won);
    let creating_contract = RwSignal::new(false);
    let navigate = use_navigate();
    let create_contract = move |_| {
        if creating_contract.get_untracked() {
            return;
        }
        creating_contract.set(true);
        let body = CreateContractRequest {
            opportunity_id: Some(shown.id()),
            ..CreateContractRequest::default()
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api.create_contract(&body).await;
            creating_contract.set(false);
            match result {
                Ok(contract) => open_created_contract(api, navigate, &contract),
                Err(error) => api.report(&error),
            }
        });
    };

    view! {
        <header class="page-header">
            <div>
                <h1 data-testid="opportunity-title">
                    {move || summary().name}
                    {move || {
                        let s = summary();
                        view! { <StageBadge kind=s.stage_kind name=s.stage_name title=true/> }
                    }}
                    <span class="badge badge-outline title-badge">{move || i18n.t(opportunity_kind_key(summary().kind))}</span>
                </h1>
                <p class="page-subtitle">
                    <a href=format!("/customers/{customer_id}") data-testid="opportunity-customer-link">{move || summary().customer_name}</a>
                </p>
            </div>
            <div class="header-actions">
                <Show when=move || won() && session.can(Permission::ContractWrite)>
                    <button type="button" class="btn btn-secondary" data-testid="opportunity-create-contract"
                        disabled=move || creating_contract.get() on:click=create_contract.clone()>
                        <Icon name=IconName::Contract/>
                        <span>{i18n.tr(K::CreateContract)}</span>
                    </button>
                </Show>
                <Show when=move || session.can(Permission::OpportunityDelete)>
                    <button type="button" class="btn btn-danger-outline" data-testid="opportunity-delete" on:click=move |_| confirming.set(true)>
                        <Icon name=IconName::Trash/>
                        <span>{i18n.tr(K::Delete)}</span>
                    </button>
                </Show>
                <Show when=move || shown.can_write.get()>
                    <a class="btn btn-primary" href=edit_href.clone() data-testid="opportunity-edit">
                        <Icon name=IconName::Edit/>
                        <span>{i18n.tr(K::Edit)}</span>
                    </a>
                </Show>
            </div>
        </header>

        <div class="card figures" data-testid="opportunity-figures">
            {figure(K::FieldAmount, "opportunity-amount", Signal::derive(move || { let s = summary(); money(s.amount, &s.currency) }))}
            {figure(K::FieldProbability, "opportunity-probability", Signal::derive(move || format!("{}%", summary().probability)))}
            {figure(K::FieldWeightedAmount, "opportunity-weighted", Signal::derive(move || { let s = summary(); money(s.weighted_amount, &s.currency) }))}
            {figure(K::FieldExpectedClose, "opportunity-close", Signal::derive(move || summary().expected_close_date.to_string()))}
        </div>

        {move || pipeline.get().map(|p| view! { <StageBar shown pipeline=p lost_reasons/> })}

        <div class="detail-grid">
            <div class="detail-main">
                <section class="card" aria-labelledby="opportunity-details-title">
                    <h2 class="card-title" id="opportunity-details-title">{i18n.tr(K::OpportunityDetails)}</h2>
                    <dl class="dl">
                        {item(K::FieldOwner, "detail-owner", Signal::derive(move || summary().owner_name))}
                        {item(K::FieldSource, "detail-source", Signal::derive(move || value.with(|o| o.source).map_or("—", |s| i18n.t(source_key(s))).to_owned()))}
                        {item(K::FieldNextStep, "detail-next_step", Signal::derive(move || or_dash(summary().next_step.as_deref())))}
                        {item(K::FieldStageEnteredAt, "detail-stage_entered_at", Signal::derive(move || local_datetime(&summary().stage_entered_at)))}
                        <Show when=closed>
                            {item(K::FieldWonOn, "detail-won_on", Signal::derive(move || value.with(|o| o.won_on.map(|d| d.to_string())).unwrap_or_else(|| "—".to_owned())))}
                            {item(K::FieldLostReason, "detail-lost_reason", Signal::derive(move || lost_reason_label().unwrap_or_else(|| "—".to_owned())))}
                            {item(K::FieldWinningCompetitor, "detail-winning_competitor", Signal::derive(move || or_dash(value.with(|o| o.winning_competitor.clone()).as_deref())))}
                            {item(K::FieldNote, "detail-lost_note", Signal::derive(move || or_dash(value.with(|o| o.lost_note.clone()).as_deref())))}
                        </Show>
                        {item(K::FieldCreatedAt, "detail-created_at", Signal::derive(move || value.with(|o| local_datetime(&o.created_at))))}
                        <div class="dl-item dl-wide">
                            <dt>{i18n.tr(K::FieldDescription)}</dt>
                            <dd class="notes" data-testid="detail-description">{move || or_dash(value.with(|o| o.description.clone()).as_deref())}</dd>
                        </div>
                    </dl>
                </section>
                <LinesPanel shown/>
                <CompetitorsPanel shown/>
                <ActivityPanel subject=Subject::Opportunity(shown.id()) contacts can_log=shown.can_write/>
                <AttachmentsPanel subject_kind=AttachmentSubject::Opportunity subject_id=shown.id()/>
            </div>
            <div class="detail-aside">
                <Show when=move || session.can(Permission::QuoteRead)>
                    <QuotesPanel opportunity_id=shown.id()/>
                </Show>
                <DecisionChainPanel shown contacts/>
                <TeamPanel shown/>
                <PartnersPanel shown/>
                <StageHistoryPanel shown/>
            </div>
        </div>
    }
}
