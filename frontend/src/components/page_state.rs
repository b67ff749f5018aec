//! Whole-page notices: the record is not there, or the role may not open the page.

use leptos::prelude::*;

use crate::components::icons::IconName;
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
