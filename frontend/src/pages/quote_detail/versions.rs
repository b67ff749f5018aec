//! 版本: every version of the quote's number, oldest first, each a link, and 对比 to compare
//! the one shown with another.

use crm_api_types::quotes::QuoteSummary;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::compare::CompareDialog;
use crate::api::use_api;
use crate::components::badges::QuoteStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::{local_datetime, money};
use crate::i18n::{K, use_i18n};

#[component]
pub fn VersionsPanel(quote_id: Uuid, revision: u32) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let versions = RwSignal::new(None::<Vec<QuoteSummary>>);
    // The pair being compared: (older, newer).
    let comparing = RwSignal::new(None::<(Uuid, Uuid)>);
    spawn_local(async move {
        match api.quote_versions(quote_id).await {
            Ok(all) => versions.set(Some(all)),
            Err(error) => api.report(&error),
        }
    });

    let row = move |v: QuoteSummary| {
        let current = v.id == quote_id;
        let pair = if v.revision < revision {
            (v.id, quote_id)
        } else {
            (quote_id, v.id)
        };
        view! {
            <li class="contact version-row" class:is-target=current data-testid="quote-version" data-id=v.id.to_string()
                data-revision=v.revision.to_string()>
                <div class="contact-head">
                    <a class="contact-name cell-mono" href=format!("/quotes/{}", v.id)>{format!("v{}", v.revision)}</a>
                    <QuoteStatusBadge status=v.status testid="quote-version-status"/>
                    <span class="toolbar-spacer"></span>
                    {(!current).then(|| view! {
                        <button type="button" class="btn btn-link btn-sm" data-testid="quote-version-compare"
                            on:click=move |_| comparing.set(Some(pair))>
                            {i18n.tr(K::Compare)}
                        </button>
                    })}
                </div>
                <p class="contact-meta">
                    {format!("{} · {} · {}", money(v.total, &v.currency), v.owner_name, local_datetime(&v.created_at))}
                </p>
            </li>
        }
    };

    let body = move || {
        match versions.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(all) => view! {
            <ul class="contact-list" data-testid="quote-versions-list">{all.into_iter().map(row).collect_view()}</ul>
        }
        .into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="quote-versions-title" data-testid="quote-versions">
            <h2 class="card-title" id="quote-versions-title">
                <Icon name=IconName::Clock/>
                <span>{i18n.tr(K::QuoteVersions)}</span>
            </h2>
            {body}
            {move || comparing.get().map(|(before, after)| view! {
                <CompareDialog before after on_close=Callback::new(move |()| comparing.set(None))/>
            })}
        </section>
    }
}
