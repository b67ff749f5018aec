//! Creating and editing an opportunity: name, customer, pipeline and first stage (on create),
//! amount (the lines' total once there are lines), currency, expected close, probability, kind,
//! source, owner (for roles that may pick one), next step and description. The stage itself
//! changes only on the opportunity's page.

use chrono::NaiveDate;
use crm_api_types::customers::CustomerResponse;
use crm_api_types::identity::{DataScope, DirectoryEntry, Permission};
use crm_api_types::leads::LeadSource;
use crm_api_types::opportunities::{
    CreateOpportunityRequest, OpportunityKind, OpportunityResponse, UpdateOpportunityRequest,
};
use crm_api_types::pipelines::{PipelineResponse, StageKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

use crate::api::{ApiError, Versioned, use_api};
use crate::auth::use_session;
use crate::components::customer_picker::CustomerPicker;
use crate::components::editor_page::{EditorHome, EditorPage, LoadState};
use crate::components::form_field::{
    Field, FormErrors, SelectField, TextAreaField, TextField, currency_options, scroll_to_testid,
};
use crate::components::icons::{Icon, IconName};
use crate::format::{non_blank, parse_decimal, plain};
use crate::i18n::{K, opportunity_kind_key, source_key, use_i18n};
use crate::pages::opportunities::use_opportunity_list_state;

/// The API field names the form shows errors for.
const FIELDS: [&str; 14] = [
    "name",
    "customer_id",
    "pipeline_id",
    "stage_id",
    "amount",
    "currency",
    "expected_close_date",
    "probability",
    "kind",
    "source",
    "owner_id",
    "next_step",
    "description",
    "lines",
];
const DEFAULT_CURRENCY: &str = "CNY";

/// The form's inputs, as typed.
#[derive(Debug, Clone, Copy)]
struct OpportunityFields {
    name: RwSignal<String>,
    customer: RwSignal<Option<(Uuid, String)>>,
    pipeline_id: RwSignal<String>,
    stage_id: RwSignal<String>,
    amount: RwSignal<String>,
    currency: RwSignal<String>,
    expected_close_date: RwSignal<String>,
    probability: RwSignal<String>,
    kind: RwSignal<String>,
    source: RwSignal<String>,
    owner_id: RwSignal<String>,
    next_step: RwSignal<String>,
    description: RwSignal<String>,
}

impl OpportunityFields {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            name: s(),
            customer: RwSignal::new(None),
            pipeline_id: s(),
            stage_id: s(),
            amount: s(),
            currency: RwSignal::new(DEFAULT_CURRENCY.to_owned()),
            expected_close_date: s(),
            probability: s(),
            kind: RwSignal::new(OpportunityKind::Simple.as_str().to_owned()),
            source: s(),
            owner_id: s(),
            next_step: s(),
            description: s(),
        }
    }

    fn load(self, o: &OpportunityResponse) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let s = &o.summary;
        self.name.set(s.name.clone());
        self.customer
            .set(Some((s.customer_id, s.customer_name.clone())));
        self.pipeline_id.set(s.pipeline_id.to_string());
        self.stage_id.set(s.stage_id.to_string());
        self.amount.set(plain(s.amount));
        self.currency.set(s.currency.clone());
        self.expected_close_date
            .set(s.expected_close_date.to_string());
        self.probability.set(s.probability.to_string());
        self.kind.set(s.kind.as_str().to_owned());
        self.source
            .set(o.source.map(|v| v.as_str().to_owned()).unwrap_or_default());
        self.owner_id.set(s.owner_id.to_string());
        self.next_step.set(text(&s.next_step));
        self.description.set(text(&o.description));
    }
}

/// What the typed values mean, once checked.
struct Checked {
    name: String,
    customer_id: Uuid,
    amount: Option<rust_decimal::Decimal>,
    expected_close_date: NaiveDate,
    probability: Option<u8>,
}

impl OpportunityFields {
    /// Checks what the browser can; the server checks the rest.
    fn check(
        self,
        errors: FormErrors,
        required: &str,
        invalid_number: &str,
        invalid_date: &str,
    ) -> Option<Checked> {
        let name = self.name.get_untracked().trim().to_owned();
        if name.is_empty() {
            errors.push("name", required);
        }
        let customer = self.customer.get_untracked().map(|(id, _)| id);
        if customer.is_none() {
            errors.push("customer_id", required);
        }
        let amount = parse_decimal(&self.amount.get_untracked());
        if amount == Some(None) {
            errors.push("amount", invalid_number);
        }
        let close = self.expected_close_date.get_untracked();
        let expected_close_date = if close.trim().is_empty() {
            errors.push("expected_close_date", required);
            None
        } else {
            let day = close.parse::<NaiveDate>().ok();
            if day.is_none() {
                errors.push("expected_close_date", invalid_date);
            }
            day
        };
        let probability_text = self.probability.get_untracked();
        let probability =
            non_blank(&probability_text).map(|p| p.parse::<u8>().ok().filter(|p| *p <= 100));
        if probability == Some(None) {
            errors.push("probability", invalid_number);
        }
        if !errors.is_empty() {
            return None;
        }
        Some(Checked {
            name,
            customer_id: customer?,
            amount: amount.flatten(),
            expected_close_date: expected_close_date?,
            probability: probability.flatten(),
        })
    }

    fn to_create(self, c: Checked) -> CreateOpportunityRequest {
        CreateOpportunityRequest {
            name: c.name,
            customer_id: c.customer_id,
            pipeline_id: self.pipeline_id.get_untracked().parse().ok(),
            stage_id: self.stage_id.get_untracked().parse().ok(),
            probability: c.probability,
            amount: c.amount,
            currency: Some(self.currency.get_untracked()),
            expected_close_date: c.expected_close_date,
            kind: OpportunityKind::parse(&self.kind.get_untracked()),
            source: LeadSource::parse(&self.source.get_untracked()),
            owner_id: self.owner_id.get_untracked().parse().ok(),
            next_step: non_blank(&self.next_step.get_untracked()),
            description: non_blank(&self.description.get_untracked()),
            ..CreateOpportunityRequest::default()
        }
    }

    /// Only what differs from `original`; `null` for a cleared optional field.
    fn to_update(self, c: Checked, original: &OpportunityResponse) -> UpdateOpportunityRequest {
        let s = &original.summary;
        let optional = |signal: RwSignal<String>, old: &Option<String>| {
            let new = non_blank(&signal.get_untracked());
            let old = old.as_deref().and_then(non_blank);
            (new != old).then_some(new)
        };
        let currency = self.currency.get_untracked();
        let kind = OpportunityKind::parse(&self.kind.get_untracked());
        let source = LeadSource::parse(&self.source.get_untracked());
        let owner: Option<Uuid> = self.owner_id.get_untracked().parse().ok();
        UpdateOpportunityRequest {
            name: (c.name != s.name).then_some(c.name),
            customer_id: (c.customer_id != s.customer_id).then_some(c.customer_id),
            probability: c.probability.filter(|p| *p != s.probability),
            // With lines the amount is theirs: the field is not sent.
            amount: c
                .amount
                .filter(|a| !original.amount_from_lines && *a != s.amount),
            currency: (currency != s.currency).then_some(currency),
            expected_close_date: (c.expected_close_date != s.expected_close_date)
                .then_some(c.expected_close_date),
            kind: kind.filter(|k| *k != s.kind),
            source: (source != original.source).then_some(source),
            owner_id: owner.filter(|o| *o != s.owner_id),
            next_step: optional(self.next_step, &s.next_step),
            description: optional(self.description, &original.description),
            ..UpdateOpportunityRequest::default()
        }
    }
}

fn is_empty_update(update: &UpdateOpportunityRequest) -> bool {
    serde_json::to_value(update).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}

/// Who may edit opportunities, and where the form's notices lead.
const HOME: EditorHome = EditorHome::new(
    Permission::OpportunityWrite,
    "/opportunities",
    K::BackToOpportunities,
    K::OpportunityNotFound,
);

#[component]
pub fn OpportunityCreatePage() -> impl IntoView {
    view! { <EditorPage home=HOME form=|opportunity_id| view! { <OpportunityForm opportunity_id/> }/> }
}

#[component]
pub fn OpportunityEditPage() -> impl IntoView {
    view! { <EditorPage home=HOME edit=true form=|opportunity_id| view! { <OpportunityForm opportunity_id/> }/> }
}

#[component]
fn OpportunityForm(opportunity_id: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let list = use_opportunity_list_state();
    let navigate = use_navigate();

    let fields = OpportunityFields::new();
    let errors = FormErrors::new();
    let original = RwSignal::new(None::<Versioned<OpportunityResponse>>);
    let load_state = RwSignal::new(LoadState::initial(opportunity_id));
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let pipelines = RwSignal::new(Vec::<PipelineResponse>::new());
    let users = RwSignal::new(Vec::<DirectoryEntry>::new());
    // An own-scope role may only own its opportunities.
    let can_pick_owner = session
        .me()
        .is_some_and(|me| me.data_scope != DataScope::Own);

    let load = move || {
        let Some(id) = opportunity_id else { return };
        spawn_local(async move {
            match api.get_opportunity(id).await {
                Ok(found) => {
                    fields.load(&found.value);
                    original.set(Some(found));
                    errors.clear();
                    stale.set(false);
                    load_state.set(LoadState::Ready);
                }
                Err(error) => load_state.set(LoadState::failed(api, &error)),
            }
        });
    };
    load();

    // Opened from a customer's page: that customer is the one.
    let preset: Option<Uuid> = use_query_map()
        .with_untracked(|q| q.get("customer_id"))
        .and_then(|id| id.parse().ok());
    if let (None, Some(customer_id)) = (opportunity_id, preset) {
        spawn_local(async move {
            if let Ok(found) = api.get_customer(customer_id).await {
                fields
                    .customer
                    .set(Some((found.value.id, found.value.name)));
            }
        });
    }

    spawn_local(async move {
        match api.pipelines().await {
            Ok(all) => {
                if opportunity_id.is_none()
                    && let Some(default) = all.iter().find(|p| p.is_default).or(all.first())
                {
                    fields.pipeline_id.set(default.id.to_string());
                }
                pipelines.set(all);
            }
            Err(error) => api.report(&error),
        }
    });
    if can_pick_owner {
        spawn_local(async move {
            match api.directory(true).await {
                Ok(all) => users.set(all),
                Err(error) => api.report(&error),
            }
        });
    }

    // Another pipeline has other stages.
    Effect::new(move |previous: Option<String>| {
        let pipeline = fields.pipeline_id.get();
        if previous.is_some_and(|p| !p.is_empty() && p != pipeline) {
            fields.stage_id.set(String::new());
        }
        pipeline
    });

    let back_href = move || match opportunity_id {
        Some(id) => format!("/opportunities/{id}"),
        None => "/opportunities".to_owned(),
    };

    let on_failure = move |error: ApiError| {
        if error.is_stale() {
            stale.set(true);
            scroll_to_testid("stale-warning");
        } else if !errors.absorb(&error, &FIELDS) {
            api.report(&error);
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let Some(checked) = fields.check(
            errors,
            i18n.t(K::ValueRequired),
            i18n.t(K::InvalidNumber),
            i18n.t(K::InvalidDate),
        ) else {
            return;
        };
        let navigate = navigate.clone();
        let navigate_done = navigate.clone();
        let done = move |id: Uuid, message: K| {
            list.invalidate();
            api.toasts.success(api.i18n.t(message));
            navigate_done(&format!("/opportunities/{id}"), Default::default());
        };
        match (opportunity_id, original.get_untracked()) {
            (None, _) => {
                let request = fields.to_create(checked);
                saving.set(true);
                spawn_local(async move {
                    let result = api.create_opportunity(&request).await;
                    saving.set(false);
                    match result {
                        Ok(created) => done(created.summary.id, K::OpportunityCreated),
                        Err(error) => on_failure(error),
                    }
                });
            }
            (Some(id), Some(loaded)) => {
                let update = fields.to_update(checked, &loaded.value);
                if is_empty_update(&update) {
                    api.toasts.info(api.i18n.t(K::NoChanges));
                    navigate(&format!("/opportunities/{id}"), Default::default());
                    return;
                }
                saving.set(true);
                spawn_local(async move {
                    let result = api.update_opportunity(id, loaded.version, &update).await;
                    saving.set(false);
                    match result {
                        Ok(saved) => done(saved.summary.id, K::OpportunitySaved),
                        Err(error) => on_failure(error),
                    }
                });
            }
            (Some(_), None) => {}
        }
    };

    let pipeline_options = Signal::derive(move || {
        pipelines
            .get()
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect()
    });
    // A new opportunity starts in an open stage of the chosen pipeline (its first by default).
    let stage_options = Signal::derive(move || {
        let chosen = fields.pipeline_id.get();
        pipelines.with(|all| {
            all.iter()
                .find(|p| p.id.to_string() == chosen)
                .map(|p| {
                    p.stages
                        .iter()
                        .filter(|s| s.kind == StageKind::Open)
                        .map(|s| {
                            (
                                s.id.to_string(),
                                format!("{}（{}%）", s.name, s.probability),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let kind_options = Signal::derive(move || {
        OpportunityKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    i18n.t(opportunity_kind_key(*k)).to_owned(),
                )
            })
            .collect()
    });
    let source_options = Signal::derive(move || {
        LeadSource::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), i18n.t(source_key(*s)).to_owned()))
            .collect()
    });
    let currency_options = currency_options(fields.currency);
    let owner_options = Signal::derive(move || {
        let mut options: Vec<(String, String)> = users
            .get()
            .into_iter()
            .map(|u| (u.id.to_string(), u.name))
            .collect();
        if let Some(loaded) = original.get()
            && !options
                .iter()
                .any(|(v, _)| *v == loaded.value.summary.owner_id.to_string())
        {
            let s = loaded.value.summary;
            options.insert(0, (s.owner_id.to_string(), s.owner_name));
        }
        options
    });
    let from_lines = Signal::derive(move || {
        original.with(|o| o.as_ref().is_some_and(|o| o.value.amount_from_lines))
    });

    let customer_field = move || {
        let picker = match fields.customer.get() {
            Some((id, name)) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="opportunity-customer">{name}</a>
                    <button type="button" class="btn btn-link btn-sm" data-testid="opportunity-customer-clear" on:click=move |_| fields.customer.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
            }
            .into_any(),
            None => view! {
                <CustomerPicker
                    testid="opportunity-customer_id"
                    exclude=None
                    on_pick=Callback::new(move |c: CustomerResponse| fields.customer.set(Some((c.id, c.name))))
                />
            }
            .into_any(),
        };
        view! {
            <Field label=K::FieldCustomer name="customer_id" input_id="opportunity-customer_id".to_owned() errors required=true>
                {picker}
            </Field>
        }
    };

    let title = move || {
        i18n.t(if opportunity_id.is_some() {
            K::EditOpportunity
        } else {
            K::NewOpportunity
        })
    };

    let form = move || {
        match HOME.notice(load_state.get()) {
        Some(notice) => notice,
        None => view! {
            <form class="card form" novalidate=true on:submit=on_submit.clone() data-testid="opportunity-form">
                <Show when=move || stale.get()>
                    <div class="alert alert-warning" role="alert" data-testid="stale-warning">
                        <Icon name=IconName::Alert/>
                        <div class="alert-body">
                            <strong>{i18n.tr(K::StaleTitle)}</strong>
                            <p>{i18n.tr(K::StaleBody)}</p>
                        </div>
                        <button type="button" class="btn btn-secondary btn-sm" data-testid="reload-latest" on:click=move |_| load()>
                            {i18n.tr(K::StaleReload)}
                        </button>
                    </div>
                </Show>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionBasic)}</legend>
                    <div class="form-grid">
                        <TextField label=K::FieldOpportunityName name="name" prefix="opportunity" value=fields.name errors required=true autofocus=true wide=true/>
                        {customer_field}
                        <SelectField label=K::FieldOpportunityKind name="kind" prefix="opportunity" value=fields.kind errors options=kind_options/>
                        {opportunity_id.is_none().then(|| view! {
                            <SelectField label=K::FieldPipeline name="pipeline_id" prefix="opportunity" value=fields.pipeline_id errors options=pipeline_options/>
                            <SelectField label=K::FieldStage name="stage_id" prefix="opportunity" value=fields.stage_id errors options=stage_options empty_label=K::FirstStage/>
                        })}
                        <SelectField label=K::FieldSource name="source" prefix="opportunity" value=fields.source errors options=source_options empty_label=K::SelectPlaceholder/>
                        {can_pick_owner.then(|| view! {
                            <SelectField label=K::FieldOwner name="owner_id" prefix="opportunity" value=fields.owner_id errors options=owner_options empty_label=K::OwnerDefaultMe/>
                        })}
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionDeal)}</legend>
                    <div class="form-grid">
                        <TextField label=K::FieldAmount name="amount" prefix="opportunity" value=fields.amount errors input_type="number"
                            disabled=from_lines hint=Some(if opportunity_id.is_some() { K::AmountFromLinesHint } else { K::AmountHint })/>
                        <SelectField label=K::FieldCurrency name="currency" prefix="opportunity" value=fields.currency errors options=currency_options/>
                        <TextField label=K::FieldExpectedClose name="expected_close_date" prefix="opportunity" value=fields.expected_close_date errors input_type="date" required=true/>
                        <TextField label=K::FieldProbability name="probability" prefix="opportunity" value=fields.probability errors input_type="number" hint=Some(K::ProbabilityHint)/>
                        <TextField label=K::FieldNextStep name="next_step" prefix="opportunity" value=fields.next_step errors wide=true/>
                        <TextAreaField label=K::FieldDescription name="description" prefix="opportunity" value=fields.description errors wide=true/>
                    </div>
                </fieldset>
                <footer class="form-footer">
                    <a class="btn btn-secondary" href=back_href data-testid="opportunity-cancel">{i18n.tr(K::Cancel)}</a>
                    <button type="submit" class="btn btn-primary" data-testid="opportunity-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        }
        .into_any(),
    }
    };

    view! {
        <div class="page page-narrow">
            <a class="back-link" href=back_href>
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::Back)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1>{title}</h1>
                </div>
            </header>
            {form}
        </div>
    }
}
