//! 订单动态: what happened to the order, oldest first and newest last — the quote accepted,
//! created, submitted and approved, shipped, signed for, invoiced, paid, plan changed.

use crm_api_types::approvals::ApprovalEventKind;
use crm_api_types::sales_orders::{SalesOrderStatus, TimelineEntry, TimelineKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::{grouped, local_datetime};
use crate::i18n::{K, approval_event_key, sales_order_status_key, timeline_kind_key, use_i18n};

#[component]
pub fn TimelinePanel(order_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let entries = RwSignal::new(None::<Vec<TimelineEntry>>);
    spawn_local(async move {
        match api.sales_order_timeline(order_id).await {
            Ok(found) => entries.set(Some(found)),
            Err(error) => {
                api.report(&error);
                entries.set(Some(Vec::new()));
            }
        }
    });

    let body = move || {
        match entries.get() {
        None => view! { <Spinner/> }.into_any(),
        Some(found) if found.is_empty() => {
            view! { <p class="panel-empty muted" data-testid="timeline-empty">{i18n.tr(K::TimelineEmpty)}</p> }
                .into_any()
        }
        Some(found) => view! {
            <ol class="timeline" data-testid="order-timeline-entries">
                {found.into_iter().map(entry).collect_view()}
            </ol>
        }
        .into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="order-timeline-title" data-testid="order-timeline">
            <h2 class="card-title" id="order-timeline-title">
                <Icon name=IconName::Clock/>
                <span>{i18n.tr(K::OrderTimeline)}</span>
            </h2>
            {body}
        </section>
    }
}

/// Status changes and approval steps name a key (`shipped`, `approved`): shown in words.
fn title_key(kind: TimelineKind, title: &str) -> Option<K> {
    match kind {
        TimelineKind::StatusChanged => SalesOrderStatus::parse(title).map(sales_order_status_key),
        TimelineKind::Approval => ApprovalEventKind::parse(title).map(approval_event_key),
        _ => None,
    }
}

fn entry(e: TimelineEntry) -> impl IntoView {
    let i18n = use_i18n();
    let kind = e.kind;
    let key = title_key(kind, &e.title);
    let raw = e.title;
    let title = move || key.map_or_else(|| raw.clone(), |k| i18n.t(k).to_owned());
    view! {
        <li class="timeline-item" data-testid="timeline-entry" data-kind=kind.as_str()>
            <div class="timeline-head">
                {e.actor_name.map(|name| view! { <span class="timeline-actor">{name}</span> })}
                <span class="timeline-action">{i18n.tr(timeline_kind_key(kind))}</span>
                <span class="change-new" data-testid="timeline-title">{title}</span>
                {e.amount.map(|a| view! { <span class="cell-num">{grouped(a)}</span> })}
                <span class="timeline-time">{local_datetime(&e.at)}</span>
            </div>
            {e.note.map(|n| view! { <p class="activity-notes">{n}</p> })}
        </li>
    }
}
