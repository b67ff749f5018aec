//! One lead: its fields, edit/delete for those allowed, and its change history.

use std::collections::HashMap;

use crm_api_types::audit::{AuditEntryResponse, AuditListQuery};
use crm_api_types::identity::Permission;
use crm_api_types::leads::{LeadResponse, LeadSource, LeadStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::table::{EmptyState, Spinner};
use crate::format::{json_value, local_datetime, or_dash};
use crate::i18n::{I18n, K, audit_action_key, lead_field_key, source_key, status_key, use_i18n};
use crate::pages::leads_list::use_lead_list_state;

const HISTORY_LIMIT: u32 = 50;

#[derive(Debug, Clone, PartialEq)]
enum Load<T> {
    Loading,
    Loaded(T),
    NotFound,
    Failed,
}

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

    Effect::new(move |_| {
        let Some(id) = id.get() else {
            lead.set(Load::NotFound);
            return;
        };
        lead.set(Load::Loading);
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

    let can_audit = Memo::new(move |_| session.can(Permission::AuditRead));

    // Audit entries name owners by id; show names where we can know them.
    let names = UserNames(RwSignal::new(HashMap::new()));
    provide_context(names);
    Effect::new(move |_| {
        if let Load::Loaded(lead) = lead.get() {
            names.0.update(|n| {
                n.insert(lead.owner_id, lead.owner_name);
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

    let content = move || match lead.get() {
        Load::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        Load::NotFound | Load::Failed => view! {
            <div class="card">
                <EmptyState
                    icon=IconName::Inbox
                    title=Signal::derive(move || i18n.t(K::NotFoundTitle).to_owned())
                    hint=Signal::derive(move || i18n.t(K::LeadNotFound).to_owned())
                    testid="lead-not-found"
                >
                    <a class="btn btn-secondary" href="/leads">{i18n.tr(K::BackToLeads)}</a>
                </EmptyState>
            </div>
        }
        .into_any(),
        Load::Loaded(lead) => {
            view! { <LeadView lead=lead confirming history can_audit/> }.into_any()
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

#[component]
fn LeadView(
    lead: LeadResponse,
    confirming: RwSignal<bool>,
    history: RwSignal<Load<Vec<AuditEntryResponse>>>,
    can_audit: Memo<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let source = lead.source;
    let status = lead.status;
    let edit_href = format!("/leads/{}/edit", lead.id);

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
                    <span class="badge badge-blue title-badge">{move || i18n.t(status_key(status))}</span>
                </h1>
                <p class="page-subtitle">
                    {lead.contact_name.clone()}
                    {lead.title.clone().map(|t| format!(" · {t}"))}
                </p>
            </div>
            <div class="header-actions">
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

        <div class="detail-grid" class:no-aside=move || !can_audit.get()>
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
                    {item(K::FieldOwner, "detail-owner", lead.owner_name.clone())}
                    {item(K::FieldCreatedAt, "detail-created_at", local_datetime(&lead.created_at))}
                    {item(K::FieldUpdatedAt, "detail-updated_at", local_datetime(&lead.updated_at))}
                    <div class="dl-item dl-wide">
                        <dt>{i18n.tr(K::FieldNotes)}</dt>
                        <dd class="notes" data-testid="detail-notes">{or_dash(lead.notes.as_deref())}</dd>
                    </div>
                </dl>
            </section>
            <Show when=move || can_audit.get()>
                <HistoryPanel history/>
            </Show>
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
                        let old = move || change_value(i18n, names, &f1, &change.old);
                        let new = move || change_value(i18n, names, &f2, &change.new);
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

/// An audit value as shown: enum values get their label, user ids their name (or a short id),
/// the rest their plain text.
fn change_value(
    i18n: I18n,
    names: Option<UserNames>,
    field: &str,
    value: &serde_json::Value,
) -> String {
    if let serde_json::Value::String(raw) = value {
        if let ("owner_id", Ok(id)) = (field, Uuid::parse_str(raw)) {
            let name = names.and_then(|n| n.0.with(|all| all.get(&id).cloned()));
            return name.unwrap_or_else(|| raw.chars().take(8).collect());
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
