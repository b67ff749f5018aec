//! The opportunity's quotes (their latest versions), and 新建报价 for it.

use crm_api_types::identity::Permission;
use crm_api_types::quotes::{QuoteListQuery, QuoteSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::badges::QuoteStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::money;
use crate::i18n::{K, use_i18n};
use crate::pages::quotes::quote_number;

const SHOWN: u32 = 20;

#[component]
pub fn QuotesPanel(opportunity_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let found = RwSignal::new(None::<Vec<QuoteSummary>>);
    let query = QuoteListQuery {
        limit: Some(SHOWN),
        opportunity_id: Some(opportunity_id),
        ..QuoteListQuery::default()
    };
    spawn_local(async move {
        match api.list_quotes(&query).await {
            Ok(page) => found.set(Some(page.items)),
            Err(error) => api.report(&error),
        }
    });

    let body = move || {
        match found.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(all) if all.is_empty() => view! {
            <p class="panel-empty muted" data-testid="opportunity-quotes-empty">{i18n.tr(K::OpportunityQuotesEmpty)}</p>
        }
        .into_any(),
        Some(all) => view! {
            <ul class="contact-list">
                {all.into_iter().map(|q| view! {
                    <li class="contact" data-testid="opportunity-quote" data-id=q.id.to_string()>
                        <div class="contact-head">
                            <a class="contact-name cell-mono" href=format!("/quotes/{}", q.id)>{quote_number(&q.number, q.revision)}</a>
                            <QuoteStatusBadge status=q.status testid="opportunity-quote-status"/>
                        </div>
                        <p class="contact-meta">
                            {format!("{} · {} {}", money(q.total, &q.currency), i18n.t(K::ValidUntil), q.valid_until)}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="opportunity-quotes-title" data-testid="opportunity-quotes">
            <h2 class="card-title" id="opportunity-quotes-title">
                <Icon name=IconName::Quotes/>
                <span>{i18n.tr(K::NavQuotes)}</span>
                <span class="toolbar-spacer"></span>
                <Show when=move || session.can(Permission::QuoteWrite)>
                    <a class="btn btn-secondary btn-sm" href=format!("/quotes/new?opportunity_id={opportunity_id}") data-testid="opportunity-quote-new">
                        <Icon name=IconName::Plus/>
                        <span>{i18n.tr(K::NewQuoteShort)}</span>
                    </a>
                </Show>
            </h2>
            {body}
        </section>
    }
}
