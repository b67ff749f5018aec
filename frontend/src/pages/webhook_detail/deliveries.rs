//! An endpoint's delivery log, newest first and filtered by status: each delivery's attempts
//! on demand, 重新发送 for one delivery, and 重放 for every subscribed event of a period.

use crm_api_types::webhooks::{
    DeliveryListQuery, DeliveryStatus, ReplayWebhookRequest, WebhookAttemptResponse,
    WebhookDeliveryResponse,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::badges::DeliveryStatusBadge;
use crate::components::form_field::{FormErrors, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::components::paged::{LoadMore, Paged};
use crate::components::table::{EmptyState, Spinner};
use crate::format::{local_datetime, parse_local_datetime};
use crate::i18n::{K, delivery_status_key, use_i18n};

const PAGE_SIZE: u32 = 50;
const COLUMNS: usize = 7;

#[component]
pub fn DeliveryLog(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let paged = Paged::<WebhookDeliveryResponse>::new();
    let status = RwSignal::new(None::<DeliveryStatus>);
    let expanded = RwSignal::new(None::<Uuid>);
    let resending = RwSignal::new(None::<Uuid>);
    let replaying = RwSignal::new(false);

    let fetch = move |cursor: Option<String>| {
        let query = DeliveryListQuery {
            limit: Some(PAGE_SIZE),
            cursor: cursor.clone(),
            status: status.get_untracked(),
        };
        paged.fetch(api, cursor, async move {
            api.list_webhook_deliveries(id, &query).await
        });
    };
    Effect::new(move |_| {
        status.track();
        fetch(None);
    });
    let on_more = Callback::new(fetch);

    let resend = move |delivery_id: Uuid| {
        resending.set(Some(delivery_id));
        spawn_local(async move {
            let result = api.resend_webhook_delivery(delivery_id).await;
            resending.set(None);
            match result {
                Ok(_) => {
                    api.toasts.success(api.i18n.t(K::Resent));
                    fetch(None);
                }
                Err(error) => api.report(&error),
            }
        });
    };
    let on_replayed = Callback::new(move |queued: u64| {
        replaying.set(false);
        api.toasts.success(api.i18n.replay_queued(queued));
        fetch(None);
    });

    let row = move |d: WebhookDeliveryResponse| {
        let delivery_id = d.id;
        let open = move || expanded.get() == Some(delivery_id);
        let last = match (d.last_status_code, d.last_error.clone()) {
            (Some(code), _) => code.to_string(),
            (None, Some(error)) => error,
            (None, None) => "—".to_owned(),
        };
        let next = d
            .next_attempt_at
            .filter(|_| d.status == DeliveryStatus::Pending)
            .map_or_else(|| "—".to_owned(), |at| local_datetime(&at));
        view! {
            <tr data-testid="delivery-row" data-id=delivery_id.to_string() data-event=d.event_type.clone()>
                <td class="cell-time">{local_datetime(&d.created_at)}</td>
                <td class="cell-code" data-testid="delivery-event">{d.event_type.clone()}</td>
                <td><DeliveryStatusBadge status=d.status/></td>
                <td class="cell-num" data-testid="delivery-attempts">{d.attempts}</td>
                <td class="cell-wrap" data-testid="delivery-last-code">{last}</td>
                <td class="cell-time" data-testid="delivery-next">{next}</td>
                <td class="cell-actions">
                    <button type="button" class="btn btn-link btn-sm" data-testid="delivery-expand"
                        aria-expanded=move || open().to_string()
                        on:click=move |_| expanded.update(|e| *e = if *e == Some(delivery_id) { None } else { Some(delivery_id) })>
                        {move || if open() { i18n.t(K::HideAttempts) } else { i18n.t(K::ShowAttempts) }}
                    </button>
                    <button type="button" class="btn btn-link btn-sm" data-testid="delivery-resend"
                        disabled=move || resending.get() == Some(delivery_id)
                        on:click=move |_| resend(delivery_id)>
                        {i18n.tr(K::Resend)}
                    </button>
                </td>
            </tr>
            <Show when=open>
                <tr class="attempts-row" data-testid="delivery-attempts-row">
                    <td colspan=COLUMNS.to_string()>
                        <Attempts delivery_id/>
                    </td>
                </tr>
            </Show>
        }
    };
    let empty = move || {
        view! {
            <tr class="empty-row">
                <td colspan=COLUMNS.to_string()>
                    <EmptyState icon=IconName::Inbox title=i18n.signal(K::DeliveriesEmpty) hint=i18n.signal(K::DeliveriesEmptyHint) testid="deliveries-empty"/>
                </td>
            </tr>
        }
        .into_any()
    };

    let status_options = move || {
        DeliveryStatus::ALL
            .into_iter()
            .map(|s| {
                view! {
                    <option value=s.as_str() prop:selected=move || status.get() == Some(s)>
                        {move || i18n.t(delivery_status_key(s))}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card" aria-labelledby="deliveries-title" data-testid="webhook-deliveries">
            <div class="toolbar">
                <h3 class="card-title" id="deliveries-title">{i18n.tr(K::Deliveries)}</h3>
                <select
                    class="input select filter"
                    data-testid="delivery-filter-status"
                    aria-label=i18n.tr(K::FieldStatus)
                    on:change=move |ev| status.set(DeliveryStatus::parse(&event_target_value(&ev)))
                >
                    <option value="" prop:selected=move || status.get().is_none()>{i18n.tr(K::AllStatuses)}</option>
                    {status_options}
                </select>
                <span class="toolbar-spacer"></span>
                <button type="button" class="btn btn-secondary" data-testid="webhook-replay" on:click=move |_| replaying.set(true)>
                    <Icon name=IconName::Upload/>
                    <span>{i18n.tr(K::Replay)}</span>
                </button>
            </div>
            <div class="table-wrap">
                <table class="table" data-testid="deliveries-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::DeliveryTime)}</th>
                            <th scope="col">{i18n.tr(K::DeliveryEvent)}</th>
                            <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::DeliveryAttempts)}</th>
                            <th scope="col">{i18n.tr(K::DeliveryLastCode)}</th>
                            <th scope="col">{i18n.tr(K::DeliveryNextAttempt)}</th>
                            <th scope="col" class="cell-actions">{i18n.tr(K::Actions)}</th>
                        </tr>
                    </thead>
                    <tbody>{move || paged.body(COLUMNS, empty, row)}</tbody>
                </table>
            </div>
            <LoadMore paged on_more testid="deliveries-more"/>
        </section>
        <Show when=move || replaying.get()>
            <ReplayDialog id on_replayed on_close=Callback::new(move |()| replaying.set(false))/>
        </Show>
    }
}

/// A delivery's attempts, oldest first, fetched when it is expanded.
#[component]
fn Attempts(delivery_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let attempts = RwSignal::new(None::<Vec<WebhookAttemptResponse>>);
    spawn_local(async move {
        match api.webhook_attempts(delivery_id).await {
            Ok(found) => {
                attempts.try_set(Some(found));
            }
            Err(error) => {
                attempts.try_set(Some(Vec::new()));
                api.report(&error);
            }
        }
    });
    move || {
        match attempts.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(found) if found.is_empty() => {
            view! { <p class="muted panel-empty" data-testid="attempts-empty">{i18n.tr(K::AttemptsEmpty)}</p> }
                .into_any()
        }
        Some(found) => view! {
            <table class="table table-compact" data-testid="attempts-table">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr(K::AttemptTime)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::AttemptStatusCode)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::AttemptLatency)}</th>
                        <th scope="col">{i18n.tr(K::AttemptResponse)}</th>
                    </tr>
                </thead>
                <tbody>
                    {found.into_iter().map(|a| {
                        let code = a.status_code.map(|c| c.to_string());
                        let failed = a.error.is_some() || a.status_code.is_none_or(|c| !(200..300).contains(&c));
                        view! {
                            <tr data-testid="attempt-row">
                                <td class="cell-time">{local_datetime(&a.attempted_at)}</td>
                                <td class="cell-num" class:text-danger=failed data-testid="attempt-status">
                                    {code.unwrap_or_else(|| i18n.t(K::NoAnswer).to_owned())}
                                </td>
                                <td class="cell-num" data-testid="attempt-latency">{a.latency_ms}</td>
                                <td>
                                    {a.error.map(|e| view! { <div class="text-danger" data-testid="attempt-error">{e}</div> })}
                                    {a.response_excerpt.map(|r| view! { <div class="attempt-excerpt" data-testid="attempt-excerpt">{r}</div> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    }
    }
}

/// 重放: every subscribed event between two local times, queued again.
#[component]
fn ReplayDialog(id: Uuid, on_replayed: Callback<u64>, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let parse = |value: RwSignal<String>, field: &str| {
            let text = value.get_untracked();
            let parsed = parse_local_datetime(text.trim());
            if parsed.is_none() {
                let key = if text.trim().is_empty() {
                    K::ValueRequired
                } else {
                    K::InvalidDate
                };
                errors.push(field, i18n.t(key));
            }
            parsed
        };
        let (Some(start), Some(end)) = (parse(from, "from"), parse(to, "to")) else {
            return;
        };
        if end <= start {
            errors.push("to", i18n.t(K::ReplayOrder));
            return;
        }
        let request = ReplayWebhookRequest {
            from: start,
            to: end,
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.replay_webhook(id, &request).await;
            saving.set(false);
            match result {
                Ok(replayed) => on_replayed.run(replayed.queued),
                Err(error) => {
                    if !errors.absorb(&error, &["from", "to"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=i18n.signal(K::ReplayTitle) on_close testid="replay-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <p class="field-hint field-wide">{i18n.tr(K::ReplayHint)}</p>
                    <TextField label=K::ReplayFrom name="from" prefix="replay" value=from errors required=true input_type="datetime-local"/>
                    <TextField label=K::ReplayTo name="to" prefix="replay" value=to errors required=true input_type="datetime-local"/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="replay-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Replay) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
