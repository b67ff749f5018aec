//! ERP 对账: each system's latest report on the order — when, and 一致 or the figures that
//! differ from the CRM's. There only when some system has reported.

use crm_api_types::reconciliation::ReconciliationResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::components::reconciliation::{AgreesBadge, DifferencesTable};
use crate::format::local_datetime;
use crate::i18n::{K, use_i18n};

#[component]
pub fn ReconciliationPanel(order_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let reports = RwSignal::new(Vec::<ReconciliationResponse>::new());
    spawn_local(async move {
        match api.order_erp_figures(order_id).await {
            Ok(found) => {
                reports.try_set(found);
            }
            Err(error) => api.report(&error),
        }
    });
    move || {
        let found = reports.get();
        if found.is_empty() {
            return ().into_any();
        }
        view! {
            <section class="card" aria-labelledby="order-reconciliation-title" data-testid="order-reconciliation">
                <h2 class="card-title" id="order-reconciliation-title">
                    <Icon name=IconName::Sync/>
                    <span>{i18n.tr(K::ErpReconciliation)}</span>
                </h2>
                {found.into_iter().map(|report| view! { <Report report/> }).collect_view()}
            </section>
        }
        .into_any()
    }
}

#[component]
fn Report(report: ReconciliationResponse) -> impl IntoView {
    let i18n = use_i18n();
    let ReconciliationResponse {
        source,
        reported_at,
        agrees,
        differences,
        currency,
        ..
    } = report;
    let differences = (!agrees).then(|| {
        view! {
            <div class="table-scroll recon-report-diffs">
                <DifferencesTable differences currency/>
            </div>
        }
    });
    let source_attr = source.clone();
    view! {
        <div class="recon-report" data-testid="recon-report" data-source=source_attr data-agrees=agrees.to_string()>
            <dl class="dl dl-compact">
                <div class="dl-item">
                    <dt>{i18n.tr(K::FieldExternalSource)}</dt>
                    <dd data-testid="recon-source">{source}</dd>
                </div>
                <div class="dl-item">
                    <dt>{i18n.tr(K::ReportedAt)}</dt>
                    <dd data-testid="recon-time">{local_datetime(&reported_at)}</dd>
                </div>
                {agrees.then(|| view! {
                    <div class="dl-item">
                        <dt>{i18n.tr(K::ErpReconciliation)}</dt>
                        <dd><AgreesBadge/></dd>
                    </div>
                })}
            </dl>
            {differences}
        </div>
    }
}
