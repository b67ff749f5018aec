//! One customer: its fields, contacts, opportunities, credit limit (信用额度), attachments,
//! follow-up timeline, owners and, for a customer an ERP syncs, its ERP 同步 status; claim,
//! release, assign, edit, delete and merge for the roles allowed. The id of a customer merged
//! away leads to the one that absorbed it.

mod contacts;
mod credit;
mod merge;
mod opportunities;

use crm_api_types::attachments::AttachmentSubject;
use crm_api_types::customers::{ContactResponse, CustomerResponse};
use crm_api_types::identity::Permission;
use crm_api_types::settings::Choice;
use crm_api_types::sync::SyncedKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::activity_form::Subject;
use crate::components::activity_timeline::ActivityPanel;
use crate::components::attachments::AttachmentsPanel;
use crate::components::badges::CustomerStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::owner::{OwnerActions, OwnerHistoryPanel};
use crate::components::page_state::{NoPermission, RecordNotFound};
use crate::components::sync_status::{ExternalId, SyncPanel};
use crate::components::table::Spinner;
use crate::format::{local_datetime, or_dash};
use crate::i18n::{K, source_key, use_i18n};
use crate::load::Load;
use crate::pages::customers_list::{tier_label, use_customer_list_state};

use contacts::ContactsPanel;
use credit::CreditPanel;
use merge::MergeDialog;
use opportunities::OpportunitiesPanel;

/// The `:id` route parameter, if it is a UUID.
pub fn customer_id_param() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| Uuid::parse_str(&id).ok())
    })
}

#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::CustomerRead) {
            view! { <CustomerDetail/> }.into_any()
        } else {
            view! { <NoPermission back_href="/leads" back_label=K::BackToLeads/> }.into_any()
        }
    }
}

#[component]
fn CustomerDetail() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let list = use_customer_list_state();
    let navigate = use_navigate();
    let id = customer_id_param();
    let customer = RwSignal::new(Load::<CustomerResponse>::Loading);
    let contacts = RwSignal::new(Vec::<ContactResponse>::new());
    let tiers = RwSignal::new(Vec::<Choice>::new());
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let merging = RwSignal::new(false);
    // Bumped to load the customer again (after a merge that kept it).
    let reload = RwSignal::new(0_u64);

    spawn_local(async move {
        if let Ok(settings) = api.get_settings().await {
            tiers.set(settings.value.customer_tiers);
        }
    });

    let navigate_replace = navigate.clone();
    Effect::new(move |_| {
        reload.track();
        let Some(id) = id.get() else {
            customer.set(Load::NotFound);
            return;
        };
        customer.set(Load::Loading);
        let navigate = navigate_replace.clone();
        spawn_local(async move {
            match api.get_customer(id).await {
                // A merged customer's id answers with its survivor: show that one's address.
                Ok(found) if found.value.id != id => navigate(
                    &format!("/customers/{}", found.value.id),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                ),
                Ok(found) => customer.set(Load::Loaded(found.value)),
                Err(error) if error.is_not_found() => customer.set(Load::NotFound),
                Err(error) => {
                    api.report(&error);
                    customer.set(Load::Failed);
                }
            }
        });
    });

    let load_contacts = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else { return };
        spawn_local(async move {
            match api.customer_contacts(id).await {
                Ok(all) => contacts.set(all),
                Err(error) => api.report(&error),
            }
        });
    });
    Effect::new(move |_| {
        id.track();
        reload.track();
        load_contacts.run(());
    });

    let navigate_deleted = navigate.clone();
    let on_delete = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else { return };
        let navigate = navigate_deleted.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_customer(id).await;
            deleting.set(false);
            confirming.set(false);
            match result {
                Ok(()) => {
                    list.invalidate();
                    api.toasts.success(api.i18n.t(K::CustomerDeleted));
                    navigate("/customers", Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let on_changed = Callback::new(move |changed: CustomerResponse| {
        customer.set(Load::Loaded(changed));
        list.invalidate();
    });

    let on_merged = Callback::new(move |survivor: CustomerResponse| {
        merging.set(false);
        list.invalidate();
        api.toasts.success(api.i18n.t(K::CustomersMerged));
        if Some(survivor.id) == id.get_untracked() {
            reload.update(|n| *n += 1);
        } else {
            navigate(&format!("/customers/{}", survivor.id), Default::default());
        }
    });

    let content = move || {
        match customer.get() {
        Load::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        Load::NotFound | Load::Failed => view! {
            <RecordNotFound hint=K::CustomerNotFound back_href="/customers" back_label=K::BackToCustomers testid="customer-not-found"/>
        }
        .into_any(),
        Load::Loaded(c) => {
            view! { <CustomerView customer=c contacts tiers confirming merging load_contacts on_changed/> }
                .into_any()
        }
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/customers" data-testid="back-to-customers">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToCustomers)}</span>
            </a>
            {content}
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=K::DeleteCustomer
                    message=Signal::derive(move || i18n.t(K::DeleteCustomerConfirm).to_owned())
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| confirming.set(false))
                />
            </Show>
            {move || match (merging.get(), customer.get()) {
                (true, Load::Loaded(c)) => view! {
                    <MergeDialog customer=c on_merged on_close=Callback::new(move |()| merging.set(false))/>
                }
                .into_any(),
                _ => ().into_any(),
            }}
        </div>
    }
}

#[component]
fn CustomerView(
    customer: CustomerResponse,
    contacts: RwSignal<Vec<ContactResponse>>,
    tiers: RwSignal<Vec<Choice>>,
    confirming: RwSignal<bool>,
    merging: RwSignal<bool>,
    load_contacts: Callback<()>,
    /// The customer after a claim, release or assignment.
    on_changed: Callback<CustomerResponse>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let edit_href = format!("/customers/{}/edit", customer.id);
    // A follow-up logged below moves "last follow-up"; only that is fetched again.
    let last_activity = RwSignal::new(customer.last_activity_at);
    let customer_id = customer.id;
    let on_logged = Callback::new(move |()| {
        spawn_local(async move {
            if let Ok(found) = api.get_customer(customer_id).await {
                last_activity.set(found.value.last_activity_at);
            }
        });
    });
    let can_write = Signal::derive(move || session.can(Permission::CustomerWrite));
    let source = customer.source;
    let tier = customer.tier.clone();
    let tier_text = move || tiers.with(|t| tier_label(t, tier.as_deref()));
    let has_tier = customer.tier.is_some();

    let item = |label: K, testid: &'static str, value: String| {
        view! {
            <div class="dl-item">
                <dt>{i18n.tr(label)}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let parent = customer.parent_id.map(|id| {
        let name = customer.parent_name.clone().unwrap_or_default();
        view! { <a href=format!("/customers/{id}")>{name}</a> }
    });
    let tags = customer.tags.clone();
    let external = ExternalId::of(
        customer.external_source.as_ref(),
        customer.external_id.as_ref(),
    );
    let location = [&customer.province, &customer.city]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");

    view! {
        <header class="page-header">
            <div>
                <h1 data-testid="customer-title">
                    {customer.name.clone()}
                    <CustomerStatusBadge status=customer.status title=true/>
                    {has_tier.then(|| view! { <span class="badge badge-outline title-badge" data-testid="customer-tier">{tier_text}</span> })}
                </h1>
                <p class="page-subtitle">
                    {customer.short_name.clone()}
                    {customer.credit_code.clone().map(|c| view! { <span class="cell-code subtitle-code">{c}</span> })}
                </p>
            </div>
            <div class="header-actions">
                <Show when=move || session.can(Permission::CustomerMerge)>
                    <button type="button" class="btn btn-secondary" data-testid="customer-merge" on:click=move |_| merging.set(true)>
                        <Icon name=IconName::Merge/>
                        <span>{i18n.tr(K::Merge)}</span>
                    </button>
                </Show>
                <Show when=move || session.can(Permission::CustomerDelete)>
                    <button type="button" class="btn btn-danger-outline" data-testid="customer-delete" on:click=move |_| confirming.set(true)>
                        <Icon name=IconName::Trash/>
                        <span>{i18n.tr(K::Delete)}</span>
                    </button>
                </Show>
                <Show when=move || can_write.get()>
                    <a class="btn btn-primary" href=edit_href.clone() data-testid="customer-edit">
                        <Icon name=IconName::Edit/>
                        <span>{i18n.tr(K::Edit)}</span>
                    </a>
                </Show>
            </div>
        </header>

        <div class="detail-grid">
            <div class="detail-main">
                <section class="card" aria-labelledby="customer-details-title">
                    <h2 class="card-title" id="customer-details-title">{i18n.tr(K::CustomerDetails)}</h2>
                    <dl class="dl">
                        {item(K::FieldCreditCode, "detail-credit_code", or_dash(customer.credit_code.as_deref()))}
                        {item(K::FieldIndustry, "detail-industry", or_dash(customer.industry.as_deref()))}
                        {item(K::FieldRegion, "detail-region", or_dash(customer.region.as_deref()))}
                        {item(K::FieldProvinceCity, "detail-location", or_dash(Some(&location)))}
                        {item(K::FieldAddress, "detail-address", or_dash(customer.address.as_deref()))}
                        <div class="dl-item">
                            <dt>{i18n.tr(K::FieldWebsite)}</dt>
                            <dd data-testid="detail-website">
                                {match customer.website.clone() {
                                    Some(url) => {
                                        let href = url.clone();
                                        view! { <a href=href target="_blank" rel="noopener noreferrer">{url}</a> }.into_any()
                                    }
                                    None => "—".into_any(),
                                }}
                            </dd>
                        </div>
                        <div class="dl-item">
                            <dt>{i18n.tr(K::FieldSource)}</dt>
                            <dd data-testid="detail-source">{move || source.map_or("—", |s| i18n.t(source_key(s)))}</dd>
                        </div>
                        <div class="dl-item">
                            <dt>{i18n.tr(K::FieldParent)}</dt>
                            <dd data-testid="detail-parent">
                                {match parent {
                                    Some(link) => link.into_any(),
                                    None => "—".into_any(),
                                }}
                            </dd>
                        </div>
                        {item(K::FieldOwner, "detail-owner", customer.owner_name.clone().unwrap_or_else(|| i18n.t(K::InPool).to_owned()))}
                        <div class="dl-item">
                            <dt>{i18n.tr(K::FieldLastActivity)}</dt>
                            <dd data-testid="detail-last_activity_at">
                                {move || last_activity.get().as_ref().map_or_else(|| "—".to_owned(), local_datetime)}
                            </dd>
                        </div>
                        {item(K::FieldCreatedAt, "detail-created_at", local_datetime(&customer.created_at))}
                        {item(K::FieldUpdatedAt, "detail-updated_at", local_datetime(&customer.updated_at))}
                        <div class="dl-item dl-wide">
                            <dt>{i18n.tr(K::FieldTags)}</dt>
                            <dd class="badge-list" data-testid="detail-tags">
                                {if tags.is_empty() {
                                    "—".into_any()
                                } else {
                                    tags.into_iter().map(|t| view! { <span class="badge badge-gray">{t}</span> }).collect_view().into_any()
                                }}
                            </dd>
                        </div>
                        <div class="dl-item dl-wide">
                            <dt>{i18n.tr(K::FieldNotes)}</dt>
                            <dd class="notes" data-testid="detail-notes">{or_dash(customer.notes.as_deref())}</dd>
                        </div>
                    </dl>
                </section>
                <ActivityPanel subject=Subject::Customer(customer.id) contacts can_log=can_write on_logged/>
                <AttachmentsPanel subject_kind=AttachmentSubject::Customer subject_id=customer_id/>
            </div>
            <div class="detail-aside">
                <SyncPanel kind=SyncedKind::Customer record_id=customer_id external/>
                <ContactsPanel customer_id=customer.id contacts can_write reload=load_contacts/>
                <Show when=move || session.can(Permission::OpportunityRead)>
                    <OpportunitiesPanel customer_id=customer_id/>
                </Show>
                <Show when=move || session.can(Permission::ReceivableRead)>
                    <CreditPanel customer_id can_edit=session.can(Permission::ReceivableWrite)/>
                </Show>
                <OwnerHistoryPanel<CustomerResponse> id=customer.id>
                    <OwnerActions record=customer.clone() on_changed/>
                </OwnerHistoryPanel<CustomerResponse>>
            </div>
        </div>
    }
}
