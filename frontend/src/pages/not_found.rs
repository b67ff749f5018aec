use leptos::prelude::*;

use crate::components::icons::IconName;
use crate::components::table::EmptyState;
use crate::i18n::{K, use_i18n};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page">
            <EmptyState
                icon=IconName::Inbox
                title=Signal::derive(move || i18n.t(K::NotFoundTitle).to_owned())
                hint=Signal::derive(move || i18n.t(K::NotFoundBody).to_owned())
                testid="not-found"
            >
                <a class="btn btn-primary" href="/leads">{i18n.tr(K::BackToLeads)}</a>
            </EmptyState>
        </div>
    }
}
