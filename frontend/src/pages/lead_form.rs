//! Creating and editing a lead: one form component for both.
//!
//! Editing sends only the changed fields, with `If-Match` naming the version that was loaded;
//! a 412 means someone saved in between, and the form offers to load their version.

use crm_api_types::identity::{Permission, UserResponse};
use crm_api_types::leads::{CreateLeadRequest, LeadResponse, LeadSource, UpdateLeadRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::api::{Versioned, use_api};
use crate::auth::use_session;
use crate::components::editor_page::{EditorHome, EditorPage, LoadState};
use crate::components::form_field::{
    FormErrors, SelectField, TextAreaField, TextField, scroll_to_testid,
};
use crate::components::icons::{Icon, IconName};
use crate::format::non_blank;
use crate::i18n::{K, source_key, use_i18n};
use crate::pages::leads_list::use_lead_list_state;

/// The API field names the form shows errors for.
const FIELDS: [&str; 12] = [
    "company_name",
    "contact_name",
    "title",
    "phone",
    "mobile",
    "email",
    "source",
    "region",
    "industry",
    "owner_id",
    "assign_by_rules",
    "notes",
];

/// The form's inputs, one signal each, as typed.
#[derive(Debug, Clone, Copy)]
struct LeadFields {
    company_name: RwSignal<String>,
    contact_name: RwSignal<String>,
    title: RwSignal<String>,
    phone: RwSignal<String>,
    mobile: RwSignal<String>,
    email: RwSignal<String>,
    source: RwSignal<String>,
    region: RwSignal<String>,
    industry: RwSignal<String>,
    owner_id: RwSignal<String>,
    /// On create only: the assignment rules choose the owner instead.
    assign_by_rules: RwSignal<bool>,
    notes: RwSignal<String>,
}

impl LeadFields {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            company_name: s(),
            contact_name: s(),
            title: s(),
            phone: s(),
            mobile: s(),
            email: s(),
            source: s(),
            region: s(),
            industry: s(),
            owner_id: s(),
            assign_by_rules: RwSignal::new(false),
            notes: s(),
        }
    }

    fn load(self, lead: &LeadResponse) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        self.company_name.set(lead.company_name.clone());
        self.contact_name.set(lead.contact_name.clone());
        self.title.set(text(&lead.title));
        self.phone.set(text(&lead.phone));
        self.mobile.set(text(&lead.mobile));
        self.email.set(text(&lead.email));
        self.source.set(lead.source.as_str().to_owned());
        self.region.set(text(&lead.region));
        self.industry.set(text(&lead.industry));
        self.owner_id
            .set(lead.owner_id.map(|id| id.to_string()).unwrap_or_default());
        self.notes.set(text(&lead.notes));
    }

    fn value(signal: RwSignal<String>) -> String {
        signal.get_untracked()
    }

    fn source(self) -> Option<LeadSource> {
        LeadSource::parse(&Self::value(self.source))
    }

    fn owner(self) -> Option<Uuid> {
        Uuid::parse_str(&Self::value(self.owner_id)).ok()
    }

    /// The required fields that are blank, checked before asking the server: `source` must be
    /// chosen before a request can even be built.
    fn missing(self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if Self::value(self.company_name).trim().is_empty() {
            missing.push("company_name");
        }
        if Self::value(self.contact_name).trim().is_empty() {
            missing.push("contact_name");
        }
        if self.source().is_none() {
            missing.push("source");
        }
        missing
    }

    fn to_create(self, source: LeadSource) -> CreateLeadRequest {
        let opt = |s: RwSignal<String>| non_blank(&Self::value(s));
        let by_rules = self.assign_by_rules.get_untracked();
        CreateLeadRequest {
            company_name: Self::value(self.company_name).trim().to_owned(),
            contact_name: Self::value(self.contact_name).trim().to_owned(),
            title: opt(self.title),
            phone: opt(self.phone),
            mobile: opt(self.mobile),
            email: opt(self.email),
            source,
            region: opt(self.region),
            industry: opt(self.industry),
            owner_id: self.owner().filter(|_| !by_rules),
            assign_by_rules: by_rules,
            notes: opt(self.notes),
        }
    }

    /// Only what differs from `original`; `null` for a cleared optional field.
    fn to_update(self, original: &LeadResponse) -> UpdateLeadRequest {
        let required = |s: RwSignal<String>, old: &str| {
            let new = Self::value(s).trim().to_owned();
            (new != old.trim()).then_some(new)
        };
        let optional = |s: RwSignal<String>, old: &Option<String>| {
            let new = non_blank(&Self::value(s));
            let old = old.as_deref().and_then(non_blank);
            (new != old).then_some(new)
        };
        UpdateLeadRequest {
            company_name: required(self.company_name, &original.company_name),
            contact_name: required(self.contact_name, &original.contact_name),
            title: optional(self.title, &original.title),
            phone: optional(self.phone, &original.phone),
            mobile: optional(self.mobile, &original.mobile),
            email: optional(self.email, &original.email),
            source: self.source().filter(|s| *s != original.source),
            region: optional(self.region, &original.region),
            industry: optional(self.industry, &original.industry),
            owner_id: self.owner().filter(|o| Some(*o) != original.owner_id),
            notes: optional(self.notes, &original.notes),
            status: None,
        }
    }
}

fn is_empty_update(update: &UpdateLeadRequest) -> bool {
    // Serializing skips every absent field: an empty object means nothing changed.
    serde_json::to_value(update).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}

/// Who may edit leads, and where the form's notices lead.
const HOME: EditorHome = EditorHome::new(
    Permission::LeadWrite,
    "/leads",
    K::BackToLeads,
    K::LeadNotFound,
)
.not_found_testid("lead-not-found");

#[component]
pub fn LeadCreatePage() -> impl IntoView {
    view! { <EditorPage home=HOME form=|lead_id| view! { <LeadForm lead_id/> }/> }
}

#[component]
pub fn LeadEditPage() -> impl IntoView {
    view! { <EditorPage home=HOME edit=true form=|lead_id| view! { <LeadForm lead_id/> }/> }
}

#[component]
fn LeadForm(lead_id: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let list = use_lead_list_state();
    let navigate = use_navigate();

    let fields = LeadFields::new();
    let errors = FormErrors::new();
    let original = RwSignal::new(None::<Versioned<LeadResponse>>);
    let load_state = RwSignal::new(LoadState::initial(lead_id));
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let users = RwSignal::new(Vec::<UserResponse>::new());
    let can_pick_owner = session.can(Permission::UserManage);

    let load = move || {
        let Some(id) = lead_id else { return };
        spawn_local(async move {
            match api.get_lead(id).await {
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

    // Choosing another owner needs the user list, which only user managers may read.
    if can_pick_owner {
        spawn_local(async move {
            match api.all_users().await {
                Ok(all) => users.set(all.into_iter().filter(|u| u.active).collect()),
                Err(error) => api.report(&error),
            }
        });
    }

    let detail_href = move || match lead_id {
        Some(id) => format!("/leads/{id}"),
        None => "/leads".to_owned(),
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let missing = fields.missing();
        if !missing.is_empty() {
            for field in missing {
                errors.push(field, i18n.t(K::ValueRequired));
            }
            return;
        }
        let Some(source) = fields.source() else {
            return;
        };
        let navigate = navigate.clone();
        let navigate_done = navigate.clone();
        let done = move |id: Uuid, message: K| {
            list.invalidate();
            api.toasts.success(api.i18n.t(message));
            navigate_done(&format!("/leads/{id}"), Default::default());
        };
        match (lead_id, original.get_untracked()) {
            (None, _) => {
                let request = fields.to_create(source);
                saving.set(true);
                spawn_local(async move {
                    let result = api.create_lead(&request).await;
                    saving.set(false);
                    match result {
                        Ok(lead) => done(lead.id, K::LeadCreated),
                        Err(error) => {
                            if !errors.absorb(&error, &FIELDS) {
                                api.report(&error);
                            }
                        }
                    }
                });
            }
            (Some(id), Some(loaded)) => {
                let update = fields.to_update(&loaded.value);
                if is_empty_update(&update) {
                    api.toasts.info(api.i18n.t(K::NoChanges));
                    navigate(&format!("/leads/{id}"), Default::default());
                    return;
                }
                saving.set(true);
                spawn_local(async move {
                    let result = api.update_lead(id, loaded.version, &update).await;
                    saving.set(false);
                    match result {
                        Ok(lead) => done(lead.id, K::LeadSaved),
                        Err(error) if error.is_stale() => {
                            stale.set(true);
                            scroll_to_testid("stale-warning");
                        }
                        Err(error) => {
                            if !errors.absorb(&error, &FIELDS) {
                                api.report(&error);
                            }
                        }
                    }
                });
            }
            (Some(_), None) => {}
        }
    };

    let source_options = Signal::derive(move || {
        LeadSource::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), i18n.t(source_key(*s)).to_owned()))
            .collect()
    });
    let owner_options = Signal::derive(move || {
        let mut options: Vec<(String, String)> = users
            .get()
            .into_iter()
            .map(|u| (u.id.to_string(), u.name))
            .collect();
        // The current owner may be inactive or outside the list; keep them choosable.
        if let Some(loaded) = original.get()
            && let (Some(id), Some(name)) = (loaded.value.owner_id, loaded.value.owner_name)
            && !options.iter().any(|(v, _)| *v == id.to_string())
        {
            options.insert(0, (id.to_string(), name));
        }
        options
    });

    let title = move || {
        if lead_id.is_some() {
            i18n.t(K::EditLead)
        } else {
            i18n.t(K::NewLead)
        }
    };

    let form = move || {
        match HOME.notice(load_state.get()) {
        Some(notice) => notice,
        None => view! {
            <form class="card form" novalidate=true on:submit=on_submit.clone() data-testid="lead-form">
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
                        <TextField label=K::FieldCompanyName name="company_name" prefix="lead" value=fields.company_name errors required=true autofocus=true wide=true/>
                        <TextField label=K::FieldContactName name="contact_name" prefix="lead" value=fields.contact_name errors required=true/>
                        <TextField label=K::FieldTitle name="title" prefix="lead" value=fields.title errors/>
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionContact)}</legend>
                    <div class="form-grid">
                        <TextField label=K::FieldMobile name="mobile" prefix="lead" value=fields.mobile errors input_type="tel" example="13812345678"/>
                        <TextField label=K::FieldPhone name="phone" prefix="lead" value=fields.phone errors input_type="tel" example="0512-66881234"/>
                        <TextField label=K::FieldEmail name="email" prefix="lead" value=fields.email errors input_type="email" example="name@company.cn"/>
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionClassification)}</legend>
                    <div class="form-grid">
                        <SelectField
                            label=K::FieldSource
                            name="source"
                            prefix="lead"
                            value=fields.source
                            errors
                            options=source_options
                            empty_label=K::SelectPlaceholder
                            required=true
                        />
                        <TextField label=K::FieldRegion name="region" prefix="lead" value=fields.region errors placeholder=K::RegionPlaceholder/>
                        <TextField label=K::FieldIndustry name="industry" prefix="lead" value=fields.industry errors placeholder=K::IndustryPlaceholder/>
                        <Show when=move || can_pick_owner && !fields.assign_by_rules.get()>
                            <SelectField
                                label=K::FieldOwner
                                name="owner_id"
                                prefix="lead"
                                value=fields.owner_id
                                errors
                                options=owner_options
                                empty_label=K::OwnerDefaultMe
                            />
                        </Show>
                        {lead_id.is_none().then(|| view! {
                            <div class="field field-wide" class:has-error=move || errors.message("assign_by_rules").is_some()>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        data-testid="lead-assign_by_rules"
                                        prop:checked=move || fields.assign_by_rules.get()
                                        on:change=move |ev| fields.assign_by_rules.set(event_target_checked(&ev))
                                    />
                                    <span>{i18n.tr(K::AssignByRulesOption)}</span>
                                </label>
                                <p class="field-hint">{i18n.tr(K::AssignByRulesOptionHint)}</p>
                                {move || errors.message("assign_by_rules").map(|m| view! {
                                    <p class="field-error" data-testid="error-assign_by_rules">{m}</p>
                                })}
                            </div>
                        })}
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionNotes)}</legend>
                    <div class="form-grid">
                        <TextAreaField label=K::FieldNotes name="notes" prefix="lead" value=fields.notes errors wide=true/>
                    </div>
                </fieldset>
                <footer class="form-footer">
                    <a class="btn btn-secondary" href=detail_href data-testid="lead-cancel">{i18n.tr(K::Cancel)}</a>
                    <button type="submit" class="btn btn-primary" data-testid="lead-submit" disabled=move || saving.get()>
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
            <a class="back-link" href=detail_href>
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
