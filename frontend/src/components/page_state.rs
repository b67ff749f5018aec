//! Page notices: the record is not there, the role may not open the page, or someone else
//! saved the record first.

use leptos::prelude::*;

use crate::components::icons::{Icon, IconName};
use crate::components::table::EmptyState;
use crate::i18n::{K, use_i18n};

/// The record does not exist or is outside the caller's data scope (the API says 404 to both).
#[component]
pub fn RecordNotFound(
    hint: K,
    back_href: &'static str,
    back_label: K,
    #[prop(default = "record-not-found")] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card">
            <EmptyState
                icon=IconName::Inbox
                title=Signal::derive(move || i18n.t(K::NotFoundTitle).to_owned())
                hint=Signal::derive(move || i18n.t(hint).to_owned())
                testid
            >
                <a class="btn btn-secondary" href=back_href>{i18n.tr(back_label)}</a>
            </EmptyState>
        </div>
    }
}

#[component]
pub fn NoPermission(back_href: &'static str, back_label: K) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page">
            <div class="card">
                <EmptyState
                    icon=IconName::Lock
                    title=Signal::derive(move || i18n.t(K::NoPermissionTitle).to_owned())
                    hint=Signal::derive(move || i18n.t(K::NoPermissionBody).to_owned())
                    testid="no-permission"
                >
                    <a class="btn btn-secondary" href=back_href>{i18n.tr(back_label)}</a>
                </EmptyState>
            </div>
        </div>
    }
}

/// Someone else saved the record since it was loaded (412): the save did not happen.
#[component]
pub fn StaleWarning(on_reload: Callback<()>, #[prop(optional)] short: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-warning" role="alert" data-testid="stale-warning">
            <Icon name=IconName::Alert/>
            <div class="alert-body">
                <strong>{i18n.tr(K::StaleTitle)}</strong>
                {(!short).then(|| view! { <p>{i18n.tr(K::StaleBody)}</p> })}
            </div>
            <button type="button" class="btn btn-secondary btn-sm" data-testid="reload-latest" on:click=move |_| on_reload.run(())>
                {i18n.tr(K::StaleReload)}
            </button>
        </div>
    }
}
