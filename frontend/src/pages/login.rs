//! Sign-in: company code, email, password.

use crm_api_types::auth::LoginRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::auth::{self, AuthState, use_session};
use crate::components::form_field::{FormErrors, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::shell::LangSwitch;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};
use crate::storage;

const LAST_TENANT_KEY: &str = "crm.last_tenant";
const FIELDS: [&str; 3] = ["tenant", "email", "password"];

/// Only same-site paths: `?next=https://evil.example` must not become an open redirect.
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(path)
            if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/login") =>
        {
            path
        }
        _ => "/leads".to_owned(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();

    // The user's own last company code is a convenience, never a built-in default.
    let tenant = RwSignal::new(storage::get(LAST_TENANT_KEY).unwrap_or_default());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let general_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // Already signed in (e.g. the back button): go straight in.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if session.state.with(|s| matches!(s, AuthState::SignedIn(_))) {
                let next = safe_next(query.with_untracked(|q| q.get("next")));
                navigate(
                    &next,
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        errors.clear();
        general_error.set(None);
        let request = LoginRequest {
            tenant: non_blank(&tenant.get_untracked()),
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            let result = auth::login(api, &request).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    match &request.tenant {
                        Some(slug) => storage::set(LAST_TENANT_KEY, slug),
                        None => storage::remove(LAST_TENANT_KEY),
                    }
                    // The effect above navigates once the session is signed in.
                }
                Err(error) => {
                    let all_placed = errors.absorb(&error, &FIELDS);
                    if !all_placed {
                        general_error.set(Some(error.message(api.i18n)));
                    }
                }
            }
        });
    };

    view! {
        <div class="login-page">
            <section class="login-aside" aria-hidden="true">
                <div class="login-brand">
                    <span class="brand-mark">"C"</span>
                    <span class="brand-name">{i18n.tr(K::AppName)}</span>
                </div>
                <h2 class="login-aside-title">{i18n.tr(K::AppTagline)}</h2>
                <ul class="login-points">
                    <li><Icon name=IconName::Leads/><span>{i18n.tr(K::LoginSide1)}</span></li>
                    <li><Icon name=IconName::Shield/><span>{i18n.tr(K::LoginSide2)}</span></li>
                    <li><Icon name=IconName::Clock/><span>{i18n.tr(K::LoginSide3)}</span></li>
                </ul>
            </section>
            <section class="login-main">
                <div class="login-lang"><LangSwitch/></div>
                <form class="login-card" novalidate=true on:submit=on_submit data-testid="login-form">
                    <h1>{i18n.tr(K::LoginTitle)}</h1>
                    <p class="login-subtitle">{i18n.tr(K::LoginSubtitle)}</p>
                    {move || general_error.get().map(|message| view! {
                        <div class="alert alert-error" role="alert" data-testid="login-error">
                            <Icon name=IconName::Alert/>
                            <span>{message}</span>
                        </div>
                    })}
                    <TextField
                        label=K::LoginTenant
                        name="tenant"
                        prefix="login"
                        value=tenant
                        errors
                        placeholder=K::LoginTenantPlaceholder
                        hint=Some(K::LoginTenantHint)
                        autocomplete="organization"
                    />
                    <TextField
                        label=K::LoginEmail
                        name="email"
                        prefix="login"
                        value=email
                        errors
                        required=true
                        input_type="email"
                        example="name@company.cn"
                        autocomplete="username"
                        autofocus=true
                    />
                    <TextField
                        label=K::LoginPassword
                        name="password"
                        prefix="login"
                        value=password
                        errors
                        required=true
                        input_type="password"
                        autocomplete="current-password"
                    />
                    <button
                        type="submit"
                        class="btn btn-primary btn-block"
                        data-testid="login-submit"
                        disabled=move || busy.get()
                    >
                        {move || if busy.get() { i18n.t(K::LoginSubmitting) } else { i18n.t(K::LoginSubmit) }}
                    </button>
                </form>
            </section>
        </div>
    }
}
