//! `/sales-orders/reconciliation` (对账差异): the orders whose ERP-reported figures disagree
//! with the CRM's, the latest report first, each with its differences as `字段：CRM → ERP`.
//! Filtered by reporting system, 加载更多 a page at a time.

use crm_api_types::identity::Permission;
use crm_api_types::reconciliation::{ReconciliationListQuery, ReconciliationResponse};
use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::paged::{LoadMore, Paged};
use crate::components::reconciliation::DifferencesList;
use crate::components::table::ListBody;
use crate::format::{local_datetime, non_blank};
use crate::i18n::{K, use_i18n};

const PAGE_SIZE: u32 = 50;
const COLUMNS: usize = 5;

#[component]
pub fn ReconciliationPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::SalesOrderRead) {
            view! { <Reconciliation/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn Reconciliation() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let paged = Paged::<ReconciliationResponse>::new();
    let source = RwSignal::new(None::<String>);

    let fetch = move |cursor: Option<String>| {
        let query = ReconciliationListQuery {
            source: source.get_untracked(),
            limit: Some(PAGE_SIZE),
            cursor: cursor.clone(),
        };
        paged.fetch(
            api,
            cursor,
            async move { api.list_reconciliation(&query).await },
        );
    };
    Effect::new(move |_| {
        source.track();
        fetch(None);
    });
    let on_more = Callback::new(fetch);

    let rows = move || {
        paged
            .items
            .get()
            .into_iter()
            .map(|report| view! { <ReconciliationRow report/> })
            .collect_view()
    };

    view! {
        <div class="page">
            <a class="back-link" href="/sales-orders" data-testid="back-to-orders">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToOrders)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::ReconciliationTitle)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::ReconciliationSubtitle)}</p>
                </div>
            </header>
            <section class="card" data-testid="reconciliation">
                <div class="toolbar" role="search">
                    <input
                        type="search"
                        class="input filter recon-filter"
                        data-testid="recon-filter-source"
                        aria-label=i18n.tr(K::FieldExternalSource)
                        placeholder=i18n.tr(K::ReconciliationFilter)
                        on:change=move |ev| {
                            let typed = non_blank(&event_target_value(&ev));
                            if typed != source.get_untracked() {
                                source.set(typed);
                            }
                        }
                    />
                </div>
                <div class="table-wrap">
                    <table class="table" data-testid="recon-table">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr(K::OrderNumber)}</th>
                                <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                                <th scope="col">{i18n.tr(K::FieldExternalSource)}</th>
                                <th scope="col">{i18n.tr(K::ReportedAt)}</th>
                                <th scope="col">{i18n.tr(K::FigureDifferences)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <ListBody
                                loading=paged.loading
                                empty=Signal::derive(move || paged.items.with(Vec::is_empty))
                                cols=COLUMNS
                                skeleton_rows=3
                                icon=IconName::Check
                                title=i18n.signal(K::ReconciliationEmpty)
                                hint=i18n.signal(K::ReconciliationEmptyHint)
                                empty_testid="recon-empty"
                            >
                                {rows}
                            </ListBody>
                        </tbody>
                    </table>
                </div>
                <LoadMore paged on_more testid="recon-more"/>
            </section>
        </div>
    }
}

#[component]
fn ReconciliationRow(report: ReconciliationResponse) -> impl IntoView {
    let ReconciliationResponse {
        sales_order_id,
        order_number,
        customer_id,
        customer_name,
        currency,
        source,
        reported_at,
        differences,
        ..
    } = report;
    let source_attr = source.clone();
    view! {
        <tr data-testid="recon-row" data-order-id=sales_order_id.to_string() data-source=source_attr>
            <td class="cell-strong">
                <a class="cell-link cell-mono" href=format!("/sales-orders/{sales_order_id}") data-testid="recon-order-link">
                    {order_number}
                </a>
            </td>
            <td class="cell-wrap" data-testid="recon-customer">
                <a class="cell-link" href=format!("/customers/{customer_id}")>{customer_name}</a>
            </td>
            <td data-testid="recon-source">{source}</td>
            <td class="cell-time" data-testid="recon-time">{local_datetime(&reported_at)}</td>
            <td class="cell-wrap"><DifferencesList differences currency/></td>
        </tr>
    }
}
