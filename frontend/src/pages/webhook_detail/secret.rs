//! An endpoint's signing secret: shown on request, rotated with an overlap during which the
//! old secret signs too (two signatures), so the receiver can switch without losing events.

use chrono::{DateTime, Utc};
use crm_api_types::webhooks::{RotateWebhookSecretRequest, WebhookSecretResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::secret::SecretRow;
use crate::format::local_datetime;
use crate::i18n::{K, use_i18n};

/// Hours the old secret keeps signing when the admin does not say.
const DEFAULT_OVERLAP_HOURS: &str = "24";
const MAX_OVERLAP_HOURS: u32 = 168;

#[component]
pub fn SecretPanel(
    id: Uuid,
    /// Until when the rotated-out secret still signs, as the endpoint says.
    previous_until: Signal<Option<DateTime<Utc>>>,
    /// After a rotation: the endpoint changed too.
    on_rotated: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let secrets = RwSignal::new(None::<WebhookSecretResponse>);
    let revealing = RwSignal::new(false);
    let rotating = RwSignal::new(false);
    let overlap = RwSignal::new(DEFAULT_OVERLAP_HOURS.to_owned());
    let errors = FormErrors::new();

    let reveal = move |_| {
        revealing.set(true);
        spawn_local(async move {
            let result = api.webhook_secret(id).await;
            revealing.set(false);
            match result {
                Ok(found) => secrets.set(Some(found)),
                Err(error) => api.report(&error),
            }
        });
    };

    let rotate = move |_| {
        if rotating.get_untracked() {
            return;
        }
        errors.clear();
        let hours = overlap.get_untracked().trim().parse::<u32>().ok();
        let Some(hours) = hours.filter(|h| *h <= MAX_OVERLAP_HOURS) else {
            errors.push("overlap_hours", i18n.t(K::OverlapHoursHint));
            return;
        };
        let request = RotateWebhookSecretRequest {
            overlap_hours: Some(hours),
        };
        rotating.set(true);
        spawn_local(async move {
            let result = api.rotate_webhook_secret(id, &request).await;
            rotating.set(false);
            match result {
                Ok(rotated) => {
                    secrets.set(Some(rotated));
                    api.toasts.success(api.i18n.t(K::SecretRotated));
                    on_rotated.run(());
                }
                Err(error) => {
                    if !errors.absorb(&error, &["overlap_hours"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let shown = move || {
        match secrets.get() {
        None => view! {
            <button type="button" class="btn btn-secondary" data-testid="webhook-secret-reveal"
                disabled=move || revealing.get() on:click=reveal>
                <Icon name=IconName::Key/>
                <span>{i18n.tr(K::RevealSecret)}</span>
            </button>
        }
        .into_any(),
        Some(found) => view! {
            <SecretRow secret=found.secret testid="webhook-secret" copy_testid="webhook-secret-copy"/>
            {found.previous_secret.map(|previous| view! {
                <p class="field-label">{i18n.tr(K::PreviousSecret)}</p>
                <code class="secret" data-testid="webhook-previous-secret">{previous}</code>
            })}
            <button type="button" class="btn btn-link btn-sm" data-testid="webhook-secret-hide"
                on:click=move |_| secrets.set(None)>
                {i18n.tr(K::HideSecret)}
            </button>
        }
        .into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="webhook-secret-title" data-testid="webhook-secret-panel">
            <h3 class="card-title" id="webhook-secret-title">
                <Icon name=IconName::Key/>
                <span>{i18n.tr(K::WebhookSecret)}</span>
            </h3>
            <p class="field-hint">{i18n.tr(K::WebhookSecretHint)}</p>
            <div class="secret-meta">{shown}</div>
            {move || previous_until.get().map(|until| view! {
                <p class="dd-note" data-testid="webhook-previous-until">
                    <span class="meta-label">{i18n.tr(K::PreviousSecretUntil)}</span>" "<strong>{local_datetime(&until)}</strong>
                </p>
            })}
            <div class="secret-actions">
                <TextField label=K::OverlapHours name="overlap_hours" prefix="webhook" value=overlap errors
                    input_type="number" hint=Some(K::OverlapHoursHint)/>
                <button type="button" class="btn btn-secondary" data-testid="webhook-secret-rotate"
                    disabled=move || rotating.get() on:click=rotate>
                    {move || if rotating.get() { i18n.t(K::RotatingSecret) } else { i18n.t(K::RotateSecret) }}
                </button>
            </div>
        </section>
    }
}
