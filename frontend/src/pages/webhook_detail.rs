//! `/settings/webhooks/:id`: one webhook endpoint. Edit its URL, description and events
//! (PATCH with `If-Match`; a 412 offers to load what someone else saved), switch it on or
//! off (switching on clears its failures), delete it; its signing secret ([`SecretPanel`])
//! and its delivery log with replay ([`DeliveryLog`]).

mod deliveries;
mod secret;

use crm_api_types::webhooks::{
    EventTypeResponse, UpdateWebhookEndpointRequest, WebhookEndpointResponse,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::api::{Versioned, use_api};
use crate::components::badges::WebhookStatusBadge;
use crate::components::editor_page::{LoadState, is_empty_update};
use crate::components::form_field::{FormErrors, TextField, scroll_to_testid};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::ConfirmDialog;
use crate::components::page_state::{RecordNotFound, StaleWarning};
use crate::components::table::Spinner;
use crate::format::{local_datetime, non_blank};
use crate::i18n::{K, use_i18n};
use crate::load::id_param;
use crate::pages::webhooks::{
    EventsField, all_shown, chosen_events, events_summary, explained, load_catalogue,
};

use deliveries::DeliveryLog;
use secret::SecretPanel;

const LIST_HREF: &str = "/settings/webhooks";

#[component]
pub fn WebhookDetailPage() -> impl IntoView {
    let id = id_param();
    move || {
        match id.get() {
        Some(id) => view! { <WebhookDetail id/> }.into_any(),
        None => view! {
            <RecordNotFound hint=K::WebhookNotFound back_href=LIST_HREF back_label=K::BackToWebhooks testid="webhook-not-found"/>
        }
        .into_any(),
    }
    }
}

#[component]
fn WebhookDetail(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let endpoint = RwSignal::new(None::<Versioned<WebhookEndpointResponse>>);
    let state = RwSignal::new(LoadState::Loading);
    let catalogue = RwSignal::new(Vec::<EventTypeResponse>::new());
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let toggling = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);

    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let events = RwSignal::new(Vec::<String>::new());

    // The form shows the endpoint as loaded or saved; a toggle changes only the header.
    let fill = move |found: &WebhookEndpointResponse| {
        url.set(found.url.clone());
        description.set(found.description.clone().unwrap_or_default());
        events.set(found.events.clone());
        errors.clear();
        stale.set(false);
    };
    let load = move || {
        spawn_local(async move {
            match api.get_webhook_endpoint(id).await {
                Ok(found) => {
                    fill(&found.value);
                    endpoint.set(Some(found));
                    // Reloading after a 412 keeps the secret and the delivery log as they are.
                    if state.get_untracked() != LoadState::Ready {
                        state.set(LoadState::Ready);
                    }
                }
                Err(error) => state.set(LoadState::failed(api, &error)),
            }
        });
    };
    load();
    load_catalogue(api, catalogue);
    let shown = move |saved: WebhookEndpointResponse| {
        let version = saved.version;
        endpoint.set(Some(Versioned {
            value: saved,
            version,
        }));
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = endpoint.get_untracked() else {
            return;
        };
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let address = url.get_untracked().trim().to_owned();
        if address.is_empty() {
            errors.push("url", i18n.t(K::ValueRequired));
        }
        let chosen = catalogue.with_untracked(|c| chosen_events(&events.get_untracked(), c));
        if chosen.is_empty() {
            errors.push("events", i18n.t(K::WebhookEventsRequired));
        }
        if !errors.is_empty() {
            return;
        }
        let was = &current.value;
        let same_events = catalogue.with_untracked(|c| chosen_events(&was.events, c)) == chosen;
        let text = non_blank(&description.get_untracked());
        let request = UpdateWebhookEndpointRequest {
            url: (address != was.url).then_some(address),
            description: (text != was.description).then_some(text),
            events: (!same_events).then_some(chosen),
            enabled: None,
        };
        if is_empty_update(&request) {
            api.toasts.success(i18n.t(K::WebhookSaved));
            return;
        }
        saving.set(true);
        spawn_local(async move {
            let result = api
                .update_webhook_endpoint(id, current.version, &request)
                .await;
            saving.set(false);
            match result {
                Ok(saved) => {
                    fill(&saved);
                    shown(saved);
                    api.toasts.success(api.i18n.t(K::WebhookSaved));
                }
                Err(error) if error.is_stale() => {
                    stale.set(true);
                    scroll_to_testid("stale-warning");
                }
                Err(error) => {
                    let found = explained(&error, api.i18n);
                    let placed = all_shown(&found);
                    errors.set(found);
                    if !placed {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let toggle = move |_| {
        let Some(current) = endpoint.get_untracked() else {
            return;
        };
        let enable = !current.value.enabled;
        let request = UpdateWebhookEndpointRequest {
            enabled: Some(enable),
            ..UpdateWebhookEndpointRequest::default()
        };
        toggling.set(true);
        spawn_local(async move {
            let result = api
                .update_webhook_endpoint(id, current.version, &request)
                .await;
            toggling.set(false);
            let done = if enable {
                K::WebhookEnabledToast
            } else {
                K::WebhookDisabledToast
            };
            api.settle(
                result,
                done,
                Callback::new(
                    move |changed: Option<WebhookEndpointResponse>| match changed {
                        Some(saved) => shown(saved),
                        None => load(),
                    },
                ),
            );
        });
    };

    let on_delete = Callback::new(move |()| {
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_webhook_endpoint(id).await;
            deleting.set(false);
            confirming.set(false);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::WebhookDeleted));
                    navigate(LIST_HREF, Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    let previous_until = Signal::derive(move || {
        endpoint.with(|e| e.as_ref().and_then(|e| e.value.previous_secret_until))
    });
    let on_rotated = Callback::new(move |()| {
        // The header's 旧密钥签名至 and the version change with the rotation.
        spawn_local(async move {
            if let Ok(found) = api.get_webhook_endpoint(id).await {
                endpoint.try_set(Some(found));
            }
        });
    });

    let header = move || {
        endpoint.get().map(|found| {
            let e = found.value;
            let figure = move |label: K, testid: &'static str, text: String| {
                view! {
                    <div class="figure">
                        <span class="figure-label">{i18n.tr(label)}</span>
                        <span class="figure-value" data-testid=testid>{text}</span>
                    </div>
                }
            };
            let summary = e.events.clone();
            view! {
                <header class="page-header">
                    <div>
                        <h2 class="cell-wrap" data-testid="webhook-title">
                            <span class="cell-mono" data-testid="webhook-detail-url">{e.url.clone()}</span>
                            " "
                            <WebhookStatusBadge enabled=e.enabled reason=e.disabled_reason title=true/>
                        </h2>
                        <p class="page-subtitle">
                            {e.description.clone().map(|d| view! { <span>{d}</span>" · " })}
                            <span data-testid="webhook-detail-events">{move || events_summary(i18n, &summary)}</span>
                        </p>
                    </div>
                    <div class="header-actions">
                        <button type="button" class="btn btn-secondary" data-testid="webhook-toggle"
                            disabled=move || toggling.get() on:click=toggle>
                            {if e.enabled { i18n.tr(K::Disable) } else { i18n.tr(K::Enable) }}
                        </button>
                        <button type="button" class="btn btn-danger-outline" data-testid="webhook-delete"
                            on:click=move |_| confirming.set(true)>
                            <Icon name=IconName::Trash/>
                            <span>{i18n.tr(K::Delete)}</span>
                        </button>
                    </div>
                </header>
                <div class="card figures" data-testid="webhook-figures">
                    {figure(K::WebhookFailures, "webhook-detail-failures", e.consecutive_failures.to_string())}
                    {figure(K::WebhookPendingDeliveries, "webhook-detail-pending", e.pending_deliveries.to_string())}
                    {e.failing_since.map(|at| figure(K::WebhookFailingSince, "webhook-failing-since", local_datetime(&at)))}
                    {figure(K::FieldCreatedAt, "webhook-created-at", local_datetime(&e.created_at))}
                </div>
            }
        })
    };

    let form = move || {
        view! {
            <form class="card form" novalidate=true on:submit=on_submit data-testid="webhook-form">
                <h3 class="card-title">{i18n.tr(K::WebhookEndpoint)}</h3>
                <Show when=move || stale.get()>
                    <StaleWarning on_reload=Callback::new(move |()| load())/>
                </Show>
                <div class="form-grid">
                    <TextField label=K::WebhookUrl name="url" prefix="webhook" value=url errors required=true
                        input_type="url" hint=Some(K::WebhookUrlHint) wide=true/>
                    <TextField label=K::WebhookDescription name="description" prefix="webhook" value=description errors
                        placeholder=K::WebhookDescriptionExample wide=true/>
                    <EventsField prefix="webhook" value=events catalogue errors/>
                </div>
                <footer class="form-footer">
                    <span class="toolbar-spacer"></span>
                    <button type="submit" class="btn btn-primary" data-testid="webhook-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        }
    };

    let content = move || {
        match state.get() {
        LoadState::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        LoadState::NotFound => view! {
            <RecordNotFound hint=K::WebhookNotFound back_href=LIST_HREF back_label=K::BackToWebhooks testid="webhook-not-found"/>
        }
        .into_any(),
        LoadState::Ready => view! {
            {header}
            <div class="detail-grid">
                <div class="detail-main">{form}</div>
                <div class="detail-aside">
                    <SecretPanel id previous_until on_rotated/>
                </div>
            </div>
            <DeliveryLog id/>
        }
        .into_any(),
    }
    };

    let url_now =
        move || endpoint.with(|e| e.as_ref().map(|e| e.value.url.clone()).unwrap_or_default());
    view! {
        <div class="settings-stack" data-testid="webhook-detail">
            <a class="back-link" href=LIST_HREF data-testid="back-to-webhooks">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToWebhooks)}</span>
            </a>
            {content}
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=K::DeleteWebhook
                    message=Signal::derive(move || i18n.confirm_delete_named(&url_now()))
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| confirming.set(false))
                />
            </Show>
        </div>
    }
}
