//! One lead: its fields, the lifecycle actions its status and the caller's role allow, claim,
//! release and assignment, its follow-up timeline, edit/delete for those allowed, its owners
//! and its change history.

mod actions;
mod convert;

use std::collections::HashMap;

use crm_api_types::FieldError;
use crm_api_types::audit::{AuditEntryResponse, AuditListQuery};
use crm_api_types::identity::Permission;
use crm_api_types::leads::{ConvertLeadResponse, LeadResponse, LeadSource, LeadStatus};
use crm_api_types::settings::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::activity_form::Subject;
use crate::components::activity_timeline::ActivityPanel;
use crate::components::badges::LeadStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::owner::{OwnerActions, OwnerHistoryPanel};
use crate::components::page_state::RecordNotFound;
use crate::components::table::Spinner;
use crate::format::{json_value, local_datetime, or_dash};
use crate::i18n::{I18n, K, audit_action_key, lead_field_key, source_key, status_key, use_i18n};
use crate::load::Load;
use crate::pages::customers_list::use_customer_list_state;
use crate::pages::leads_list::use_lead_list_state;
use crate::pages::opportunities::use_opportunity_list_state;

use actions::{LeadActions, QualifyMissing};

const HISTORY_LIMIT: u32 = 50;

/// The `:id` route parameter, if it is a UUID.
pub fn lead_id_param() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| Uuid::parse_str(&id).ok())
    })
}

#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let list = use_lead_list_state();
    let navigate = use_navigate();
    let id = lead_id_param();
    let lead = RwSignal::new(Load::<LeadResponse>::Loading);
    let history = RwSignal::new(Load::<Vec<AuditEntryResponse>>::Loading);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let missing = RwSignal::new(Vec::<FieldError>::new());
    let reasons = RwSignal::new(Vec::<Choice>::new());
    // Bumped after an action, so the history shows it.
    let changed = RwSignal::new(0_u64);
    let last_activity = RwSignal::new(None::<chrono::DateTime<chrono::Utc>>);
    let customers = use_customer_list_state();
    let opportunities = use_opportunity_list_state();

    spawn_local(async move {
        // Without them the reason shows as its key and the disqualify dialog offers none.
        if let Ok(settings) = api.get_settings().await {
            reasons.set(settings.value.disqualify_reasons);
        }
    });

    Effect::new(move |_| {
        let Some(id) = id.get() else {
            lead.set(Load::NotFound);
            return;
        };
        lead.set(Load::Loading);
        missing.set(Vec::new());
        spawn_local(async move {
            match api.get_lead(id).await {
                Ok(found) => lead.set(Load::Loaded(found.value)),
                Err(error) if error.is_not_found() => lead.set(Load::NotFound),
                Err(error) => {
                    api.report(&error);
                    lead.set(Load::Failed);
                }
            }
        });
    });

    let on_changed = Callback::new(move |updated: LeadResponse| {
        lead.set(Load::Loaded(updated));
        list.invalidate();
        changed.update(|n| *n += 1);
    });
    let navigate_opportunity = navigate.clone();
    let on_converted = Callback::new(move |converted: ConvertLeadResponse| {
        api.toasts.success(api.i18n.t(K::LeadConverted));
        customers.invalidate();
        on_changed.run(converted.lead);
        // An opportunity opened with the conversion is where the work goes on.
        if let Some(opportunity) = converted.opportunity_id {
            opportunities.invalidate();
            navigate_opportunity(&format!("/opportunities/{opportunity}"), Default::default());
        }
    });
    // A follow-up logged on a new lead moves it to working: then show the lead as it is
    // now; else only its last follow-up moved.
    let on_logged = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else { return };
        spawn_local(async move {
            let Ok(found) = api.get_lead(id).await else {
                return;
            };
            let moved = lead.with_untracked(
                |l| matches!(l, Load::Loaded(old) if old.status != found.value.status),
            );
            if moved {
                on_changed.run(found.value);
            } else {
                last_activity.set(found.value.last_activity_at);
            }
        });
    });

    let can_audit = Memo::new(move |_| session.can(Permission::AuditRead));

    // Audit entries name owners by id and reasons by key; show names where we can know them.
    let names = UserNames(RwSignal::new(HashMap::new()));
    provide_context(names);
    provide_context(Reasons(reasons));
    Effect::new(move |_| {
        if let Load::Loaded(lead) = lead.get()
            && let (Some(id), Some(name)) = (lead.owner_id, lead.owner_name)
        {
            names.0.update(|n| {
                n.insert(id, name);
            });
        }
    });
    if session.can(Permission::UserManage) {
        spawn_local(async move {
            // Without the list, ids stay shortened; no need to bother the user.
            if let Ok(users) = api.all_users().await {
                names
                    .0
                    .update(|n| n.extend(users.into_iter().map(|u| (u.id, u.name))));
            }
        });
    }
    Effect::new(move |_| {
        changed.track();
        let (Some(id), true) = (id.get(), can_audit.get()) else {
            return;
        };
        history.set(Load::Loading);
        let query = AuditListQuery {
            limit: Some(HISTORY_LIMIT),
            entity_type: Some("lead".to_owned()),
            entity_id: Some(id),
            ..AuditListQuery::default()
        };
        spawn_local(async move {
            match api.list_audit(&query).await {
                Ok(page) => history.set(Load::Loaded(page.items)),
                Err(error) => {
                    api.report(&error);
                    history.set(Load::Failed);
                }
            }
        });
    });

    let on_delete = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else { return };
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_lead(id).await;
            deleting.set(false);
            match result {
                Ok(()) => {
                    confirming.set(false);
                    list.invalidate();
                    api.toasts.success(api.i18n.t(K::LeadDeleted));
                    navigate("/leads", Default::default());
                }
                Err(error) => {
                    confirming.set(false);
                    api.report(&error);
                }
            }
        });
    });

    let content = move || {
        match lead.get() {
        Load::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        Load::NotFound | Load::Failed => view! {
            <RecordNotFound hint=K::LeadNotFound back_href="/leads" back_label=K::BackToLeads testid="lead-not-found"/>
        }
        .into_any(),
        Load::Loaded(lead) => view! {
            <LeadView lead=lead confirming history can_audit reasons missing last_activity on_changed on_converted on_logged/>
        }
        .into_any(),
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/leads" data-testid="back-to-leads">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToLeads)}</span>
            </a>
            {content}
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=K::DeleteLead
                    message=Signal::derive(move || i18n.t(K::DeleteLeadConfirm).to_owned())
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| confirming.set(false))
                />
            </Show>
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
#[component]
fn LeadView(
    lead: LeadResponse,
    confirming: RwSignal<bool>,
    history: RwSignal<Load<Vec<AuditEntryResponse>>>,
    can_audit: Memo<bool>,
    reasons: RwSignal<Vec<Choice>>,
    missing: RwSignal<Vec<FieldError>>,
    last_activity: RwSignal<Option<chrono::DateTime<chrono::Utc>>>,
    on_changed: Callback<LeadResponse>,
    on_converted: Callback<ConvertLeadResponse>,
    on_logged: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let source = lead.source;
    let status = lead.status;
    let edit_href = format!("/leads/{}/edit", lead.id);
    let fix_href = edit_href.clone();
    let reason = lead.disqualify_reason.clone();
    let reason_text = move || {
        let key = reason.clone().unwrap_or_default();
        reasons.with(|all| {
            all.iter()
                .find(|c| c.key == key)
                .map_or_else(|| key.clone(), |c| c.label.clone())
        })
    };
    let when = |at: &Option<chrono::DateTime<chrono::Utc>>| {
        at.as_ref().map_or_else(|| "—".to_owned(), local_datetime)
    };
    last_activity.set(lead.last_activity_at);

    let item = |label: K, testid: &'static str, value: String| {
        view! {
            <div class="dl-item">
                <dt>{i18n.tr(label)}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };

    view! {
        <header class="page-header">
            <div>
                <h1 data-testid="lead-title">
                    {lead.company_name.clone()}
                    <LeadStatusBadge status title=true/>
                </h1>
                <p class="page-subtitle">
                    {lead.contact_name.clone()}
                    {lead.title.clone().map(|t| format!(" · {t}"))}
                </p>
            </div>
            <div class="header-actions">
                <LeadActions lead=lead.clone() reasons missing on_changed on_converted/>
                <Show when=move || session.can(Permission::LeadDelete)>
                    <button
                        type="button"
                        class="btn btn-danger-outline"
                        data-testid="lead-delete"
                        on:click=move |_| confirming.set(true)
                    >
                        <Icon name=IconName::Trash/>
                        <span>{i18n.tr(K::Delete)}</span>
                    </button>
                </Show>
                <Show when=move || session.can(Permission::LeadWrite)>
                    <a class="btn btn-primary" href=edit_href.clone() data-testid="lead-edit">
                        <Icon name=IconName::Edit/>
                        <span>{i18n.tr(K::Edit)}</span>
                    </a>
                </Show>
            </div>
        </header>

        <QualifyMissing missing edit_href=fix_href/>
        {lead.customer_id.map(|customer| view! { <ConvertedBanner customer contact=lead.contact_id/> })}
        <div class="detail-grid">
            <div class="detail-main">
                <section class="card" aria-labelledby="lead-details-title">
                    <h2 class="card-title" id="lead-details-title">{i18n.tr(K::LeadDetails)}</h2>
                    <dl class="dl">
                        {item(K::FieldCompanyName, "detail-company_name", lead.company_name.clone())}
                        {item(K::FieldContactName, "detail-contact_name", lead.contact_name.clone())}
                        {item(K::FieldTitle, "detail-title", or_dash(lead.title.as_deref()))}
                        {item(K::FieldMobile, "detail-mobile", or_dash(lead.mobile.as_deref()))}
                        {item(K::FieldPhone, "detail-phone", or_dash(lead.phone.as_deref()))}
                        {item(K::FieldEmail, "detail-email", or_dash(lead.email.as_deref()))}
                        <div class="dl-item">
                            <dt>{i18n.tr(K::FieldSource)}</dt>
                            <dd data-testid="detail-source">{move || i18n.t(source_key(source))}</dd>
                        </div>
                        {item(K::FieldRegion, "detail-region", or_dash(lead.region.as_deref()))}
                        {item(K::FieldIndustry, "detail-industry", or_dash(lead.industry.as_deref()))}
                        {item(K::FieldOwner, "detail-owner", lead.owner_name.clone().unwrap_or_else(|| i18n.t(K::InPool).to_owned()))}
                        <div class="dl-item">
                            <dt>{i18n.tr(K::FieldLastActivity)}</dt>
                            <dd data-testid="detail-last_activity_at">{move || when(&last_activity.get())}</dd>
                        </div>
                        {lead.qualified_at.is_some().then(|| item(K::FieldQualifiedAt, "detail-qualified_at", when(&lead.qualified_at)))}
                        {lead.converted_at.is_some().then(|| item(K::FieldConvertedAt, "detail-converted_at", when(&lead.converted_at)))}
                        {item(K::FieldCreatedAt, "detail-created_at", local_datetime(&lead.created_at))}
                        {item(K::FieldUpdatedAt, "detail-updated_at", local_datetime(&lead.updated_at))}
                        {(status == LeadStatus::Disqualified).then(|| view! {
                            <div class="dl-item dl-wide">
                                <dt>{i18n.tr(K::FieldDisqualifyReason)}</dt>
                                <dd data-testid="detail-disqualify_reason">
                                    {reason_text}
                                    {lead.disqualify_note.clone().map(|note| view! { <span class="dd-note">{note}</span> })}
                                </dd>
                            </div>
                        })}
                        <div class="dl-item dl-wide">
                            <dt>{i18n.tr(K::FieldNotes)}</dt>
                            <dd class="notes" data-testid="detail-notes">{or_dash(lead.notes.as_deref())}</dd>
                        </div>
                    </dl>
                </section>
                <ActivityPanel
                    subject=Subject::Lead(lead.id)
                    contacts=Signal::derive(Vec::new)
                    can_log=Signal::derive(move || session.can(Permission::LeadWrite))
                    on_logged
                />
            </div>
            <div class="detail-aside">
                <OwnerHistoryPanel<LeadResponse> id=lead.id>
                    <OwnerActions record=lead.clone() on_changed/>
                </OwnerHistoryPanel<LeadResponse>>
                <Show when=move || can_audit.get()>
                    <HistoryPanel history/>
                </Show>
            </div>
        </div>
    }
}

/// Where a converted lead went.
#[component]
fn ConvertedBanner(customer: Uuid, contact: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-success alert-block" data-testid="lead-converted">
            <Icon name=IconName::Check/>
            <div class="alert-body">
                <strong>{i18n.tr(K::ConvertedInto)}</strong>
            </div>
            <a class="btn btn-secondary btn-sm" href=format!("/customers/{customer}") data-testid="lead-customer-link">
                {i18n.tr(K::ViewCustomer)}
            </a>
            {contact.map(|contact| view! {
                <a class="btn btn-secondary btn-sm" href=format!("/customers/{customer}#contact-{contact}") data-testid="lead-contact-link">
                    {i18n.tr(K::ViewContact)}
                </a>
            })}
        </div>
    }
}

#[component]
fn HistoryPanel(history: RwSignal<Load<Vec<AuditEntryResponse>>>) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || match history.get() {
        Load::Loading => view! { <Spinner/> }.into_any(),
        Load::Failed | Load::NotFound => {
            view! { <p class="muted">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
        }
        Load::Loaded(entries) if entries.is_empty() => {
            view! { <p class="muted" data-testid="audit-empty">{i18n.tr(K::HistoryEmpty)}</p> }
                .into_any()
        }
        Load::Loaded(entries) => view! {
            <ol class="timeline">
                {entries.into_iter().map(|entry| view! { <HistoryEntry entry/> }).collect_view()}
            </ol>
        }
        .into_any(),
    };
    view! {
        <aside class="card history" aria-labelledby="history-title" data-testid="audit-panel">
            <h2 class="card-title" id="history-title">
                <Icon name=IconName::Clock/>
                <span>{i18n.tr(K::History)}</span>
            </h2>
            {body}
        </aside>
    }
}

#[component]
fn HistoryEntry(entry: AuditEntryResponse) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_context::<UserNames>();
    let reasons = use_context::<Reasons>();
    let actor = entry.actor_name.clone();
    let action = entry.action.clone();
    let changes = entry.changes.clone();
    let is_create = entry.action == "created";
    let change_count = changes.len();
    let action_text = move || match audit_action_key(&action) {
        Some(K::ActionUpdated) => i18n.fields_changed(change_count),
        Some(key) => i18n.t(key).to_owned(),
        None => action.clone(),
    };
    view! {
        <li class="timeline-item" data-testid="audit-entry">
            <div class="timeline-head">
                <span class="timeline-actor">
                    {move || actor.clone().unwrap_or_else(|| i18n.t(K::SystemActor).to_owned())}
                </span>
                <span class="timeline-action">{action_text}</span>
                <time class="timeline-time" datetime=entry.occurred_at.to_rfc3339()>
                    {local_datetime(&entry.occurred_at)}
                </time>
            </div>
            // A creation lists every initial value; those are already on the page.
            {(!is_create && !changes.is_empty()).then(|| view! {
                <ul class="changes">
                    {changes.into_iter().map(|change| {
                        let field = change.field.clone();
                        let (f1, f2) = (field.clone(), field.clone());
                        let label = move || lead_field_key(&field).map_or_else(|| field.clone(), |k| i18n.t(k).to_owned());
                        let old_empty = change.old.is_null();
                        let old = move || change_value(i18n, names, reasons, &f1, &change.old);
                        let new = move || change_value(i18n, names, reasons, &f2, &change.new);
                        view! {
                            <li data-testid="audit-change">
                                <span class="change-field">{label}</span>
                                <span class="change-old" class:is-empty=old_empty>{old}</span>
                                <span class="change-arrow" aria-hidden="true">"→"</span>
                                <span class="change-new">{new}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}

/// Display names of users by id, for owner changes in the history.
#[derive(Debug, Clone, Copy)]
struct UserNames(RwSignal<HashMap<Uuid, String>>);

/// The tenant's disqualification reasons, for reason keys in the history.
#[derive(Debug, Clone, Copy)]
struct Reasons(RwSignal<Vec<Choice>>);

/// An audit value as shown: enum values and reasons get their label, user ids their name (other
/// ids a short form), times the local time, the rest their plain text.
fn change_value(
    i18n: I18n,
    names: Option<UserNames>,
    reasons: Option<Reasons>,
    field: &str,
    value: &serde_json::Value,
) -> String {
    if let serde_json::Value::String(raw) = value {
        if let Ok(id) = Uuid::parse_str(raw) {
            let name = (field == "owner_id")
                .then(|| names.and_then(|n| n.0.with(|all| all.get(&id).cloned())))
                .flatten();
            return name.unwrap_or_else(|| raw.chars().take(8).collect());
        }
        if field.ends_with("_at")
            && let Ok(at) = raw.parse::<chrono::DateTime<chrono::Utc>>()
        {
            return local_datetime(&at);
        }
        if field == "disqualify_reason"
            && let Some(label) = reasons.and_then(|r| {
                r.0.with(|all| all.iter().find(|c| c.key == *raw).map(|c| c.label.clone()))
            })
        {
            return label;
        }
        let label = match field {
            "source" => LeadSource::parse(raw).map(source_key),
            "status" => LeadStatus::parse(raw).map(status_key),
            _ => None,
        };
        if let Some(label) = label {
            return i18n.t(label).to_owned();
        }
    }
    json_value(value)
}
