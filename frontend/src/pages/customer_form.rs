//! Creating and editing a customer, with a live duplicate check on the name and credit code:
//! a customer that exists already (maybe outside the user's data scope) is named before the
//! user saves, and the save is held back while the check says it would be refused.

use crm_api_types::customers::{
    CreateCustomerRequest, CustomerResponse, CustomerStatus, DuplicateCheckQuery,
    UpdateCustomerRequest,
};
use crm_api_types::identity::{Permission, UserResponse};
use crm_api_types::leads::LeadSource;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::api::{Versioned, use_api};
use crate::auth::use_session;
use crate::components::customer_picker::CustomerPicker;
use crate::components::duplicates::{DuplicateAlert, DuplicateCheck};
use crate::components::editor_page::{EditorHome, EditorPage, LoadState};
use crate::components::form_field::{
    Field, FormErrors, SelectField, TextAreaField, TextField, scroll_to_testid,
};
use crate::components::icons::{Icon, IconName};
use crate::components::tags_field::TagsField;
use crate::format::non_blank;
use crate::i18n::{K, customer_status_key, source_key, use_i18n};
use crate::pages::customers_list::use_customer_list_state;

/// The API field names the form shows errors for.
const FIELDS: [&str; 16] = [
    "name",
    "short_name",
    "credit_code",
    "industry",
    "region",
    "province",
    "city",
    "address",
    "website",
    "tier",
    "tags",
    "source",
    "status",
    "parent_id",
    "owner_id",
    "notes",
];

/// The form's inputs, as typed.
#[derive(Debug, Clone, Copy)]
struct CustomerFields {
    name: RwSignal<String>,
    short_name: RwSignal<String>,
    credit_code: RwSignal<String>,
    industry: RwSignal<String>,
    region: RwSignal<String>,
    province: RwSignal<String>,
    city: RwSignal<String>,
    address: RwSignal<String>,
    website: RwSignal<String>,
    tier: RwSignal<String>,
    tags: RwSignal<Vec<String>>,
    source: RwSignal<String>,
    status: RwSignal<String>,
    /// The group company: id and name.
    parent: RwSignal<Option<(Uuid, String)>>,
    owner_id: RwSignal<String>,
    notes: RwSignal<String>,
}

impl CustomerFields {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            name: s(),
            short_name: s(),
            credit_code: s(),
            industry: s(),
            region: s(),
            province: s(),
            city: s(),
            address: s(),
            website: s(),
            tier: s(),
            tags: RwSignal::new(Vec::new()),
            source: s(),
            status: RwSignal::new(CustomerStatus::Potential.as_str().to_owned()),
            parent: RwSignal::new(None),
            owner_id: s(),
            notes: s(),
        }
    }

    fn load(self, c: &CustomerResponse) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        self.name.set(c.name.clone());
        self.short_name.set(text(&c.short_name));
        self.credit_code.set(text(&c.credit_code));
        self.industry.set(text(&c.industry));
        self.region.set(text(&c.region));
        self.province.set(text(&c.province));
        self.city.set(text(&c.city));
        self.address.set(text(&c.address));
        self.website.set(text(&c.website));
        self.tier.set(text(&c.tier));
        self.tags.set(c.tags.clone());
        self.source
            .set(c.source.map(|s| s.as_str().to_owned()).unwrap_or_default());
        self.status.set(c.status.as_str().to_owned());
        self.parent.set(
            c.parent_id
                .map(|id| (id, c.parent_name.clone().unwrap_or_default())),
        );
        self.owner_id
            .set(c.owner_id.map(|id| id.to_string()).unwrap_or_default());
        self.notes.set(text(&c.notes));
    }

    fn opt(signal: RwSignal<String>) -> Option<String> {
        non_blank(&signal.get_untracked())
    }

    fn source(self) -> Option<LeadSource> {
        LeadSource::parse(&self.source.get_untracked())
    }

    fn status(self) -> Option<CustomerStatus> {
        CustomerStatus::parse(&self.status.get_untracked())
    }

    fn owner(self) -> Option<Uuid> {
        Uuid::parse_str(&self.owner_id.get_untracked()).ok()
    }

    fn parent_id(self) -> Option<Uuid> {
        self.parent.get_untracked().map(|(id, _)| id)
    }

    fn credit_code(self) -> Option<String> {
        Self::opt(self.credit_code).map(|c| c.to_uppercase())
    }

    fn to_create(self) -> CreateCustomerRequest {
        CreateCustomerRequest {
            name: self.name.get_untracked().trim().to_owned(),
            short_name: Self::opt(self.short_name),
            credit_code: self.credit_code(),
            industry: Self::opt(self.industry),
            region: Self::opt(self.region),
            province: Self::opt(self.province),
            city: Self::opt(self.city),
            address: Self::opt(self.address),
            website: Self::opt(self.website),
            tier: Self::opt(self.tier),
            tags: self.tags.get_untracked(),
            source: self.source(),
            status: self.status(),
            parent_id: self.parent_id(),
            owner_id: self.owner(),
            notes: Self::opt(self.notes),
        }
    }

    /// Only what differs from `original`; `null` for a cleared optional field.
    fn to_update(self, original: &CustomerResponse) -> UpdateCustomerRequest {
        let optional = |s: RwSignal<String>, old: &Option<String>| {
            let new = Self::opt(s);
            let old = old.as_deref().and_then(non_blank);
            (new != old).then_some(new)
        };
        let name = self.name.get_untracked().trim().to_owned();
        let credit_code = self.credit_code();
        let tags = self.tags.get_untracked();
        let source = self.source();
        let parent_id = self.parent_id();
        UpdateCustomerRequest {
            name: (name != original.name.trim()).then_some(name),
            short_name: optional(self.short_name, &original.short_name),
            credit_code: (credit_code != original.credit_code).then_some(credit_code),
            industry: optional(self.industry, &original.industry),
            region: optional(self.region, &original.region),
            province: optional(self.province, &original.province),
            city: optional(self.city, &original.city),
            address: optional(self.address, &original.address),
            website: optional(self.website, &original.website),
            tier: optional(self.tier, &original.tier),
            tags: (tags != original.tags).then_some(tags),
            source: (source != original.source).then_some(source),
            status: self.status().filter(|s| *s != original.status),
            parent_id: (parent_id != original.parent_id).then_some(parent_id),
            owner_id: self.owner().filter(|o| Some(*o) != original.owner_id),
            notes: optional(self.notes, &original.notes),
        }
    }

    /// What the duplicate check asks about: name and credit code, unless editing left them
    /// as they were (a customer is not its own duplicate, and old data should not block an
    /// unrelated edit).
    fn duplicate_query(self, editing: Option<&CustomerResponse>) -> DuplicateCheckQuery {
        let name = self.name.get();
        let credit_code = self.credit_code.get();
        let changed = |new: &str, old: Option<&str>| new.trim() != old.unwrap_or("").trim();
        let (name, credit_code) = match editing {
            Some(c) => (
                changed(&name, Some(&c.name)).then_some(name),
                changed(&credit_code, c.credit_code.as_deref()).then_some(credit_code),
            ),
            None => (Some(name), Some(credit_code)),
        };
        DuplicateCheckQuery {
            name,
            credit_code,
            exclude_id: editing.map(|c| c.id),
            ..DuplicateCheckQuery::default()
        }
    }
}

fn is_empty_update(update: &UpdateCustomerRequest) -> bool {
    serde_json::to_value(update).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}

/// Who may edit customers, and where the form's notices lead.
const HOME: EditorHome = EditorHome::new(
    Permission::CustomerWrite,
    "/customers",
    K::BackToCustomers,
    K::CustomerNotFound,
);

#[component]
pub fn CustomerCreatePage() -> impl IntoView {
    view! { <EditorPage home=HOME form=|customer_id| view! { <CustomerForm customer_id/> }/> }
}

#[component]
pub fn CustomerEditPage() -> impl IntoView {
    view! { <EditorPage home=HOME edit=true form=|customer_id| view! { <CustomerForm customer_id/> }/> }
}

#[component]
fn CustomerForm(customer_id: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let list = use_customer_list_state();
    let navigate = use_navigate();

    let fields = CustomerFields::new();
    let errors = FormErrors::new();
    let duplicates = DuplicateCheck::new();
    let original = RwSignal::new(None::<Versioned<CustomerResponse>>);
    let load_state = RwSignal::new(LoadState::initial(customer_id));
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let users = RwSignal::new(Vec::<UserResponse>::new());
    let tiers = RwSignal::new(Vec::<(String, String)>::new());
    let can_pick_owner = session.can(Permission::UserManage);

    let load = move || {
        let Some(id) = customer_id else { return };
        spawn_local(async move {
            match api.get_customer(id).await {
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

    spawn_local(async move {
        match api.get_settings().await {
            Ok(settings) => tiers.set(
                settings
                    .value
                    .customer_tiers
                    .into_iter()
                    .map(|t| (t.key, t.label))
                    .collect(),
            ),
            Err(error) => api.report(&error),
        }
    });
    if can_pick_owner {
        spawn_local(async move {
            match api.all_users().await {
                Ok(all) => users.set(all.into_iter().filter(|u| u.active).collect()),
                Err(error) => api.report(&error),
            }
        });
    }

    // The live duplicate check follows what is typed in the name and credit code.
    Effect::new(move |_| {
        if load_state.get() != LoadState::Ready {
            return;
        }
        let query = original.with(|o| fields.duplicate_query(o.as_ref().map(|o| &o.value)));
        duplicates.schedule(api, query);
    });

    let detail_href = move || match customer_id {
        Some(id) => format!("/customers/{id}"),
        None => "/customers".to_owned(),
    };

    let on_failure = move |error: crate::api::ApiError| {
        if error.is_stale() {
            stale.set(true);
            scroll_to_testid("stale-warning");
        } else if error.code() == Some("customer_duplicate") {
            duplicates.show_conflict(error.duplicates().to_vec());
            scroll_to_testid("duplicate-warning");
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
        if fields.name.get_untracked().trim().is_empty() {
            errors.push("name", i18n.t(K::ValueRequired));
            return;
        }
        let navigate = navigate.clone();
        let navigate_done = navigate.clone();
        let done = move |id: Uuid, message: K| {
            list.invalidate();
            api.toasts.success(api.i18n.t(message));
            navigate_done(&format!("/customers/{id}"), Default::default());
        };
        match (customer_id, original.get_untracked()) {
            (None, _) => {
                let request = fields.to_create();
                saving.set(true);
                spawn_local(async move {
                    let result = api.create_customer(&request).await;
                    saving.set(false);
                    match result {
                        Ok(customer) => done(customer.id, K::CustomerCreated),
                        Err(error) => on_failure(error),
                    }
                });
            }
            (Some(id), Some(loaded)) => {
                let update = fields.to_update(&loaded.value);
                if is_empty_update(&update) {
                    api.toasts.info(api.i18n.t(K::NoChanges));
                    navigate(&format!("/customers/{id}"), Default::default());
                    return;
                }
                saving.set(true);
                spawn_local(async move {
                    let result = api.update_customer(id, loaded.version, &update).await;
                    saving.set(false);
                    match result {
                        Ok(customer) => done(customer.id, K::CustomerSaved),
                        Err(error) => on_failure(error),
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
    let status_options = Signal::derive(move || {
        CustomerStatus::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    i18n.t(customer_status_key(*s)).to_owned(),
                )
            })
            .collect()
    });
    let tier_options = Signal::derive(move || {
        let mut options = tiers.get();
        // A tier the tenant no longer lists stays choosable on the customers that have it.
        let current = fields.tier.get();
        if !current.is_empty() && !options.iter().any(|(k, _)| *k == current) {
            options.push((current.clone(), current));
        }
        options
    });
    let owner_options = Signal::derive(move || {
        let mut options: Vec<(String, String)> = users
            .get()
            .into_iter()
            .map(|u| (u.id.to_string(), u.name))
            .collect();
        if let Some(loaded) = original.get()
            && let (Some(id), Some(name)) = (loaded.value.owner_id, loaded.value.owner_name)
            && !options.iter().any(|(v, _)| *v == id.to_string())
        {
            options.insert(0, (id.to_string(), name));
        }
        options
    });

    let parent_field = move || {
        let picker = match fields.parent.get() {
            Some((id, name)) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="customer-parent">{name}</a>
                    <button type="button" class="btn btn-link btn-sm" data-testid="customer-parent-clear" on:click=move |_| fields.parent.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
            }
            .into_any(),
            None => view! {
                <CustomerPicker
                    testid="customer-parent_id"
                    exclude=customer_id
                    on_pick=Callback::new(move |c: CustomerResponse| fields.parent.set(Some((c.id, c.name))))
                />
            }
            .into_any(),
        };
        view! {
            <Field label=K::FieldParent name="parent_id" input_id="customer-parent_id".to_owned() errors>
                {picker}
            </Field>
        }
    };

    let duplicate_notices = move || {
        view! {
            <Show when=move || duplicates.exact.with(|m| !m.is_empty())>
                <DuplicateAlert
                    title=K::DuplicateExactTitle
                    body=Some(K::DuplicateExactBody)
                    matches=duplicates.exact
                    error=true
                    testid="duplicate-warning"
                />
            </Show>
            <Show when=move || duplicates.similar.with(|m| !m.is_empty())>
                <DuplicateAlert
                    title=K::DuplicateSimilarTitle
                    body=Some(K::DuplicateSimilarBody)
                    matches=duplicates.similar
                    testid="duplicate-similar"
                />
            </Show>
        }
    };

    let title = move || {
        i18n.t(if customer_id.is_some() {
            K::EditCustomer
        } else {
            K::NewCustomer
        })
    };

    let form = move || {
        match HOME.notice(load_state.get()) {
        Some(notice) => notice,
        None => view! {
            <form class="card form" novalidate=true on:submit=on_submit.clone() data-testid="customer-form">
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
                        <TextField label=K::FieldCustomerName name="name" prefix="customer" value=fields.name errors required=true autofocus=true wide=true/>
                        <div class="field-wide duplicate-notices">
                            {duplicate_notices}
                            <Show when=move || duplicates.checking.get()>
                                <p class="field-hint" data-testid="duplicate-checking">{i18n.tr(K::DuplicateChecking)}</p>
                            </Show>
                        </div>
                        <TextField label=K::FieldShortName name="short_name" prefix="customer" value=fields.short_name errors/>
                        <TextField label=K::FieldCreditCode name="credit_code" prefix="customer" value=fields.credit_code errors example="91320500MA1MXXXX0X" hint=Some(K::CreditCodeHint)/>
                        <TextField label=K::FieldWebsite name="website" prefix="customer" value=fields.website errors input_type="url" example="https://www.example.cn"/>
                        {parent_field}
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionClassification)}</legend>
                    <div class="form-grid">
                        <SelectField label=K::FieldStatus name="status" prefix="customer" value=fields.status errors options=status_options/>
                        <SelectField label=K::FieldTier name="tier" prefix="customer" value=fields.tier errors options=tier_options empty_label=K::SelectPlaceholder/>
                        <TextField label=K::FieldIndustry name="industry" prefix="customer" value=fields.industry errors placeholder=K::IndustryPlaceholder/>
                        <SelectField label=K::FieldSource name="source" prefix="customer" value=fields.source errors options=source_options empty_label=K::SelectPlaceholder/>
                        <TagsField label=K::FieldTags name="tags" prefix="customer" value=fields.tags errors wide=true/>
                        {can_pick_owner.then(|| view! {
                            <SelectField
                                label=K::FieldOwner
                                name="owner_id"
                                prefix="customer"
                                value=fields.owner_id
                                errors
                                options=owner_options
                                empty_label=K::OwnerDefaultMe
                            />
                        })}
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionLocation)}</legend>
                    <div class="form-grid">
                        <TextField label=K::FieldRegion name="region" prefix="customer" value=fields.region errors placeholder=K::RegionPlaceholder/>
                        <TextField label=K::FieldProvince name="province" prefix="customer" value=fields.province errors example="江苏省"/>
                        <TextField label=K::FieldCity name="city" prefix="customer" value=fields.city errors example="苏州市"/>
                        <TextField label=K::FieldAddress name="address" prefix="customer" value=fields.address errors wide=true/>
                    </div>
                </fieldset>
                <fieldset class="form-section">
                    <legend>{i18n.tr(K::SectionNotes)}</legend>
                    <div class="form-grid">
                        <TextAreaField label=K::FieldNotes name="notes" prefix="customer" value=fields.notes errors wide=true/>
                    </div>
                </fieldset>
                <footer class="form-footer">
                    <a class="btn btn-secondary" href=detail_href data-testid="customer-cancel">{i18n.tr(K::Cancel)}</a>
                    <button
                        type="submit"
                        class="btn btn-primary"
                        data-testid="customer-submit"
                        disabled=move || saving.get() || duplicates.blocks()
                    >
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
