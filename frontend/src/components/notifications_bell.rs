//! The top bar's bell with the number of unread reminders (站内提醒). Like the approvals
//! badge, the count is fetched again on every navigation and after reminders are read
//! ([`NotificationCounts::refresh`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;

use crate::api::{Api, use_api};
use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

/// The unread count, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct NotificationCounts {
    unread: RwSignal<u64>,
    /// Answers to older requests are dropped.
    seq: StoredValue<u64>,
}

impl NotificationCounts {
    pub fn new() -> Self {
        Self {
            unread: RwSignal::new(0),
            seq: StoredValue::new(0),
        }
    }

    pub fn refresh(self, api: Api) {
        let n = self.seq.get_value() + 1;
        self.seq.set_value(n);
        spawn_local(async move {
            // A bell that cannot load stays as it was; the notifications page reports problems.
            if let Ok(count) = api.notification_count().await
                && self.seq.try_get_value() == Some(n)
            {
                self.unread.set(count.unread);
            }
        });
    }
}

impl Default for NotificationCounts {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_notification_counts() -> NotificationCounts {
    expect_context::<NotificationCounts>()
}

#[component]
pub fn NotificationsBell() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let counts = use_notification_counts();
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        counts.refresh(api);
    });
    let count = move || counts.unread.get();
    view! {
        <a
            href="/notifications"
            class="btn btn-ghost topbar-approvals"
            data-testid="notifications-bell"
            data-count=move || count().to_string()
            title=i18n.tr(K::Notifications)
            aria-label=move || format!("{} ({})", i18n.t(K::Notifications), count())
        >
            <Icon name=IconName::Bell/>
            <Show when=move || count() != 0>
                <span class="count-pill" data-testid="notifications-bell-count">{count}</span>
            </Show>
        </a>
    }
}
