//! The customer's newest opportunities, and the way to open a new one for it.

use crm_api_types::identity::Permission;
use crm_api_types::opportunities::{OpportunityListQuery, OpportunitySummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::badges::StageBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::money;
use crate::i18n::{K, use_i18n};

const SHOWN: u32 = 20;

#[component]
pub fn OpportunitiesPanel(customer_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let found = RwSignal::new(None::<Vec<OpportunitySummary>>);
    let query = OpportunityListQuery {
        limit: Some(SHOWN),
        customer_id: Some(customer_id),
        ..OpportunityListQuery::default()
    };
    spawn_local(async move {
        match api.list_opportunities(&query).await {
            Ok(page) => found.set(Some(page.items)),
            Err(error) => api.report(&error),
        }
    });

    let body = move || {
        match found.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(all) if all.is_empty() => {
            view! { <p class="panel-empty muted" data-testid="customer-opportunities-empty">{i18n.tr(K::EmptyOpportunitiesTitle)}</p> }.into_any()
        }
        Some(all) => view! {
            <ul class="contact-list">
                {all.into_iter().map(|o| view! {
                    <li class="contact" data-testid="customer-opportunity" data-id=o.id.to_string()>
                        <div class="contact-head">
                            <a class="contact-name" href=format!("/opportunities/{}", o.id)>{o.name}</a>
                            <StageBadge kind=o.stage_kind name=o.stage_name testid="customer-opportunity-stage"/>
                        </div>
                        <p class="contact-meta">
                            {format!("{} · {} · {}", money(o.amount, &o.currency), o.expected_close_date, o.owner_name)}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="customer-opportunities-title" data-testid="customer-opportunities">
            <h2 class="card-title" id="customer-opportunities-title">
                <Icon name=IconName::Opportunities/>
                <span>{i18n.tr(K::NavOpportunities)}</span>
                <span class="toolbar-spacer"></span>
                <Show when=move || session.can(Permission::OpportunityWrite)>
                    <a class="btn btn-secondary btn-sm" href=format!("/opportunities/new?customer_id={customer_id}") data-testid="customer-opportunity-new">
                        <Icon name=IconName::Plus/>
                        <span>{i18n.tr(K::NewOpportunity)}</span>
                    </a>
                </Show>
            </h2>
            {body}
        </section>
    }
}
