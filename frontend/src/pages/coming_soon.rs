//! The modules on the roadmap: a proper page rather than a dead link.

use leptos::prelude::*;

use crate::components::icons::IconName;
use crate::components::table::EmptyState;
use crate::i18n::{K, use_i18n};

#[component]
pub fn ComingSoonPage(module: K) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(module)}</h1>
                </div>
            </header>
            <div class="card">
                <EmptyState
                    icon=IconName::Rocket
                    title=Signal::derive(move || i18n.t(K::ComingSoonTitle).to_owned())
                    hint=Signal::derive(move || i18n.coming_soon_body(module))
                    testid="coming-soon"
                >
                    <p class="muted">{i18n.tr(K::ComingSoonHint)}</p>
                </EmptyState>
            </div>
        </div>
    }
}
