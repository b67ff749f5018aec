//! `/notifications` (提醒): the daily summaries of overdue deliveries and receivables and the
//! webhook endpoints switched off, newest first. Clicking one marks it read and opens what it
//! is about (交期超期, the overdue receivables, the endpoint); 全部已读 marks them all.

use crm_api_types::identity::Permission;
use crm_api_types::notifications::{NotificationKind, NotificationListQuery, NotificationResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::notifications_bell::use_notification_counts;
use crate::components::table::{EmptyState, Spinner};
use crate::format::local_datetime;
use crate::i18n::{K, use_i18n};

const PAGE_SIZE: u32 = 100;

/// Where a notification leads: overdue receivables to the receivables page for those who
/// may read it, else to the orders; a switched-off webhook to its endpoint (`subject_id`).
pub fn notification_href(n: &NotificationResponse, receivables: bool) -> String {
    match n.kind {
        NotificationKind::DeliveryOverdue => "/sales-orders/overdue".to_owned(),
        NotificationKind::ReceivableOverdue if receivables => {
            "/receivables?overdue=true".to_owned()
        }
        NotificationKind::ReceivableOverdue => "/sales-orders".to_owned(),
        NotificationKind::WebhookDisabled => format!("/settings/webhooks/{}", n.subject_id),
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let counts = use_notification_counts();
    let navigate = use_navigate();
    let items = RwSignal::new(None::<Vec<NotificationResponse>>);
    let unread_only = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Bumped to fetch the list again (after 全部已读).
    let reload = RwSignal::new(0_u64);

    Effect::new(move |_| {
        reload.track();
        let query = NotificationListQuery {
            limit: Some(PAGE_SIZE),
            unread: unread_only.get().then_some(true),
            ..NotificationListQuery::default()
        };
        spawn_local(async move {
            match api.list_notifications(&query).await {
                Ok(page) => items.set(Some(page.items)),
                Err(error) => {
                    items.set(Some(Vec::new()));
                    api.report(&error);
                }
            }
        });
    });

    let open = move |n: &NotificationResponse| {
        let id = n.id;
        let unread = n.read_at.is_none();
        let href = notification_href(n, session.can(Permission::ReceivableRead));
        let navigate = navigate.clone();
        spawn_local(async move {
            if unread {
                match api.read_notification(id).await {
                    Ok(_) => counts.refresh(api),
                    Err(error) => api.report(&error),
                }
            }
            navigate(&href, Default::default());
        });
    };

    let read_all = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = api.read_all_notifications().await;
            busy.set(false);
            match result {
                Ok(_) => {
                    counts.refresh(api);
                    reload.update(|n| *n += 1);
                    api.toasts.success(api.i18n.t(K::AllMarkedRead));
                }
                Err(error) => api.report(&error),
            }
        });
    };

    let list = move || {
        let Some(found) = items.get() else {
            return view! { <Spinner label=true/> }.into_any();
        };
        if found.is_empty() {
            return view! {
                <EmptyState icon=IconName::Bell title=i18n.signal(K::NotificationsEmpty) hint=Signal::derive(String::new) testid="notifications-empty"/>
            }
            .into_any();
        }
        view! {
            <ul class="notification-list" data-testid="notifications-list">
                {found.into_iter().map(|n| {
                    let unread = n.read_at.is_none();
                    let kind = n.kind;
                    let text = n.clone();
                    let shown = n.clone();
                    let open = open.clone();
                    view! {
                        <li>
                            <button
                                type="button"
                                class="notification-row"
                                class:is-unread=unread
                                data-testid="notification-row"
                                data-kind=kind.as_str()
                                data-read=(!unread).to_string()
                                on:click=move |_| open(&shown)
                            >
                                <Icon name=match kind {
                                    NotificationKind::DeliveryOverdue => IconName::Clock,
                                    NotificationKind::ReceivableOverdue => IconName::Receivables,
                                    NotificationKind::WebhookDisabled => IconName::Alert,
                                }/>
                                <span class="notification-text" data-testid="notification-text">
                                    {move || i18n.notification_text(&text)}
                                </span>
                                <span class="cell-sub">{local_datetime(&n.created_at)}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };

    view! {
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::Notifications)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::NotificationsSubtitle)}</p>
                </div>
                <div class="header-actions">
                    <label class="check">
                        <input type="checkbox" data-testid="notifications-unread-only"
                            prop:checked=move || unread_only.get()
                            on:change=move |ev| unread_only.set(event_target_checked(&ev))/>
                        <span>{i18n.tr(K::NotificationsUnreadOnly)}</span>
                    </label>
                    <button type="button" class="btn btn-secondary" data-testid="notifications-read-all"
                        disabled=move || busy.get() on:click=read_all>
                        <Icon name=IconName::Check/>
                        <span>{i18n.tr(K::MarkAllRead)}</span>
                    </button>
                </div>
            </header>
            <div class="card">{list}</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_switched_off_webhook_leads_to_its_endpoint() {
        let endpoint = uuid::Uuid::from_u128(7);
        let mut n = NotificationResponse {
            id: uuid::Uuid::nil(),
            kind: NotificationKind::WebhookDisabled,
            subject_id: endpoint,
            order_count: 0,
            amount: None,
            days_overdue: 0,
            as_manager: false,
            created_at: chrono::DateTime::<chrono::Utc>::default(),
            read_at: None,
        };
        assert_eq!(
            notification_href(&n, false),
            format!("/settings/webhooks/{endpoint}")
        );
        n.kind = NotificationKind::ReceivableOverdue;
        assert_eq!(notification_href(&n, true), "/receivables?overdue=true");
        assert_eq!(notification_href(&n, false), "/sales-orders");
    }
}
