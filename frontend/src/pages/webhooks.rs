//! Settings → Webhooks (`settings.manage`): the addresses the CRM posts its business events
//! to (ERP, OA), with what each subscribes to and whether it is delivering. A new endpoint's
//! signing secret is shown right after it is made; the endpoint's page
//! ([`crate::pages::webhook_detail`]) edits it and shows its delivery log.

mod events;

use crm_api_types::FieldError;
use crm_api_types::webhooks::{
    CreateWebhookEndpointRequest, CreatedWebhookEndpointResponse, EventTypeResponse,
    WebhookEndpointResponse,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError, use_api};
use crate::components::badges::WebhookStatusBadge;
use crate::components::form_field::{Field, FormErrors, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::components::secret::SecretRow;
use crate::components::table::ListBody;
use crate::format::{local_datetime, non_blank};
use crate::i18n::{I18n, K, use_i18n};

pub use events::{ALL_EVENTS, EventsField, chosen_events};

/// The endpoint fields a form shows errors under (`events[i]` go under the events too).
pub const FIELDS: [&str; 4] = ["url", "description", "events", "enabled"];
const COLUMNS: usize = 6;

/// Whether every field error of a create or update has a place in the form.
pub fn all_shown(errors: &[FieldError]) -> bool {
    !errors.is_empty()
        && errors
            .iter()
            .all(|e| FIELDS.contains(&e.field.as_str()) || e.field.starts_with("events["))
}

/// The field errors to show, a URL on an internal network with how to allow it.
pub fn explained(error: &ApiError, i18n: I18n) -> Vec<FieldError> {
    error
        .field_errors()
        .iter()
        .cloned()
        .map(|mut e| {
            if e.field == "url" && e.code == "internal_address" {
                e.message = format!("{} {}", e.message, i18n.t(K::WebhookInternalAddressHint));
            }
            e
        })
        .collect()
}

/// The event catalogue, for the event checkboxes.
pub fn load_catalogue(api: Api, catalogue: RwSignal<Vec<EventTypeResponse>>) {
    spawn_local(async move {
        match api.event_types().await {
            Ok(all) => {
                catalogue.try_set(all);
            }
            Err(error) => api.report(&error),
        }
    });
}

/// 全部事件, or how many.
pub fn events_summary(i18n: I18n, events: &[String]) -> String {
    if events.iter().any(|e| e == ALL_EVENTS) {
        i18n.t(K::WebhookAllEvents).to_owned()
    } else {
        i18n.events_count(events.len())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    Create,
    Created(String),
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let endpoints = RwSignal::new(Vec::<WebhookEndpointResponse>::new());
    let loading = RwSignal::new(true);
    let dialog = RwSignal::new(Dialog::Closed);

    spawn_local(async move {
        let result = api.all_webhook_endpoints().await;
        loading.set(false);
        match result {
            Ok(all) => endpoints.set(all),
            Err(error) => api.report(&error),
        }
    });

    let on_created = Callback::new(move |created: CreatedWebhookEndpointResponse| {
        endpoints.update(|all| all.insert(0, created.endpoint));
        dialog.set(Dialog::Created(created.secret));
    });
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));

    let rows = move || {
        endpoints
            .get()
            .into_iter()
            .map(|endpoint| {
                let summary = endpoint.events.clone();
                let href = format!("/settings/webhooks/{}", endpoint.id);
                view! {
                    <tr
                        data-testid="webhook-row"
                        data-id=endpoint.id.to_string()
                        class:row-muted=!endpoint.enabled
                    >
                        <td class="cell-wrap">
                            <a class="cell-link cell-mono" href=href data-testid="webhook-url">{endpoint.url.clone()}</a>
                            {endpoint.description.clone().map(|d| view! { <span class="cell-sub">{d}</span> })}
                        </td>
                        <td data-testid="webhook-events">{move || events_summary(i18n, &summary)}</td>
                        <td><WebhookStatusBadge enabled=endpoint.enabled reason=endpoint.disabled_reason/></td>
                        <td class="cell-num" data-testid="webhook-failures">{endpoint.consecutive_failures}</td>
                        <td class="cell-num" data-testid="webhook-pending">{endpoint.pending_deliveries}</td>
                        <td class="cell-time">{local_datetime(&endpoint.created_at)}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card">
            <div class="toolbar">
                <span class="total">{move || i18n.total(endpoints.with(Vec::len) as u64)}</span>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-primary" data-testid="webhook-new" on:click=move |_| dialog.set(Dialog::Create)>
                    <Icon name=IconName::Plus/>
                    <span>{i18n.tr(K::NewWebhook)}</span>
                </button>
            </div>
            <div class="table-wrap">
                <table class="table" data-testid="webhooks-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::WebhookUrl)}</th>
                            <th scope="col">{i18n.tr(K::WebhookEvents)}</th>
                            <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::WebhookFailures)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::WebhookPendingDeliveries)}</th>
                            <th scope="col">{i18n.tr(K::FieldCreatedAt)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <ListBody
                            loading
                            empty=Signal::derive(move || endpoints.with(Vec::is_empty))
                            cols=COLUMNS
                            skeleton_rows=3
                            icon=IconName::Upload
                            title=i18n.signal(K::WebhooksEmpty)
                            hint=i18n.signal(K::WebhooksEmptyHint)
                        >
                            {rows}
                        </ListBody>
                    </tbody>
                </table>
            </div>
        </section>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Create => view! { <NewWebhookDialog on_created on_close=close/> }.into_any(),
            Dialog::Created(secret) => view! { <CreatedWebhookDialog secret on_close=close/> }.into_any(),
        }}
    }
}

#[component]
fn NewWebhookDialog(
    on_created: Callback<CreatedWebhookEndpointResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let events = RwSignal::new(Vec::<String>::new());
    let enabled = RwSignal::new(true);
    let catalogue = RwSignal::new(Vec::<EventTypeResponse>::new());
    load_catalogue(api, catalogue);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
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
        let request = CreateWebhookEndpointRequest {
            url: address,
            description: non_blank(&description.get_untracked()),
            events: chosen,
            enabled: Some(enabled.get_untracked()),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.create_webhook_endpoint(&request).await;
            saving.set(false);
            match result {
                Ok(created) => on_created.run(created),
                Err(error) => {
                    let shown = explained(&error, i18n);
                    let placed = all_shown(&shown);
                    errors.set(shown);
                    if !placed {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=i18n.signal(K::NewWebhook) on_close testid="webhook-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField
                        label=K::WebhookUrl
                        name="url"
                        prefix="webhook"
                        value=url
                        errors
                        required=true
                        autofocus=true
                        input_type="url"
                        example="https://erp.example.com/hooks/crm"
                        hint=Some(K::WebhookUrlHint)
                        wide=true
                    />
                    <TextField
                        label=K::WebhookDescription
                        name="description"
                        prefix="webhook"
                        value=description
                        errors
                        placeholder=K::WebhookDescriptionExample
                    />
                    <Field label=K::FieldStatus name="enabled" input_id="webhook-enabled".to_owned() errors>
                        <label class="check">
                            <input type="checkbox" id="webhook-enabled" data-testid="webhook-enabled"
                                prop:checked=move || enabled.get() on:change=move |ev| enabled.set(event_target_checked(&ev))/>
                            <span>{i18n.tr(K::WebhookEnabledOnCreate)}</span>
                        </label>
                    </Field>
                    <EventsField prefix="webhook" value=events catalogue errors/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="webhook-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}

/// The new endpoint's signing secret, to copy into the receiver.
#[component]
fn CreatedWebhookDialog(secret: String, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Modal title=i18n.signal(K::WebhookCreatedTitle) on_close testid="webhook-created" wide=true>
            <div class="modal-body">
                <div class="alert alert-warning alert-block" role="alert" data-testid="webhook-secret-once">
                    <Icon name=IconName::Alert/>
                    <strong>{i18n.tr(K::WebhookSecretOnce)}</strong>
                </div>
                <SecretRow secret testid="webhook-created-secret" copy_testid="webhook-created-copy"/>
                <p class="field-hint">{i18n.tr(K::WebhookSecretLater)}</p>
            </div>
            <footer class="modal-footer">
                <button type="button" class="btn btn-primary" data-testid="webhook-done" on:click=move |_| on_close.run(())>
                    {i18n.tr(K::ApiKeySavedClose)}
                </button>
            </footer>
        </Modal>
    }
}
