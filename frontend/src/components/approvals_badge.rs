//! The top bar's 审批 link with the number of requests awaiting the user's decision. The
//! count is fetched again on every navigation and after each decision ([`ApprovalCounts::refresh`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;

use crate::api::{Api, use_api};
use crate::components::icons::{Icon, IconName};
use crate::i18n::{K, use_i18n};

/// The counts, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct ApprovalCounts {
    awaiting_me: RwSignal<u64>,
    /// Answers to older requests are dropped.
    seq: StoredValue<u64>,
}

impl ApprovalCounts {
    pub fn new() -> Self {
        Self {
            awaiting_me: RwSignal::new(0),
            seq: StoredValue::new(0),
        }
    }

    pub fn refresh(self, api: Api) {
        let n = self.seq.get_value() + 1;
        self.seq.set_value(n);
        spawn_local(async move {
            // A badge that cannot load stays as it was; the inbox page reports problems.
            if let Ok(counts) = api.approval_counts().await
                && self.seq.try_get_value() == Some(n)
            {
                self.awaiting_me.set(counts.awaiting_me);
            }
        });
    }
}

impl Default for ApprovalCounts {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_approval_counts() -> ApprovalCounts {
    expect_context::<ApprovalCounts>()
}

#[component]
pub fn ApprovalsBadge() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let counts = use_approval_counts();
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        counts.refresh(api);
    });
    let count = move || counts.awaiting_me.get();
    view! {
        <a
            href="/approvals"
            class="btn btn-ghost topbar-approvals"
            data-testid="approvals-badge"
            data-count=move || count().to_string()
            title=i18n.tr(K::ApprovalsAwaitingMe)
        >
            <Icon name=IconName::Stamp/>
            <span>{i18n.tr(K::NavApprovals)}</span>
            <Show when=move || count() != 0>
                <span class="count-pill" data-testid="approvals-badge-count">{count}</span>
            </Show>
        </a>
    }
}
