//! Who owns a lead or customer, for both kinds alike: the 我的/全部 and 公海 views of a list,
//! claiming from the pool (领取), and on a record's page releasing it (退回公海), assigning it
//! (分配) and its history of owners.

mod assign;
mod history;
mod release;

use crm_api_types::identity::DataScope;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::{Api, ApiError, OwnedRecord, use_api};
use crate::auth::use_session;
use crate::i18n::{K, use_i18n};

pub use history::OwnerHistoryPanel;

use assign::AssignDialog;
use release::ReleaseDialog;

/// The two views of a list: the records people own (pool=false) and the pool (pool=true).
#[component]
pub fn PoolTabs(pool: Signal<bool>, on_change: Callback<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // A rep sees only their own records; anyone else sees everyone's in their scope.
    let owned_label = move || {
        let own = session
            .me()
            .is_some_and(|me| me.data_scope == DataScope::Own);
        i18n.t(if own { K::ViewMine } else { K::ViewAll })
    };
    let tab = move |is_pool: bool, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                class:active=move || pool.get() == is_pool
                aria-selected=move || if pool.get() == is_pool { "true" } else { "false" }
                data-testid=testid
                on:click=move |_| on_change.run(is_pool)
            >
                {move || if is_pool { i18n.t(K::InPool) } else { owned_label() }}
            </button>
        }
    };
    view! {
        <div class="tabs card-tabs" role="tablist">
            {tab(false, "view-owned")}
            {tab(true, "view-pool")}
        </div>
    }
}

/// The toast for a failed claim: the limit and a lost race get words of their own.
fn report_claim_error(api: Api, error: &ApiError) {
    match error.code() {
        Some("claim_limit_reached") => api.toasts.error(api.i18n.t(K::ClaimLimitReached)),
        Some("not_in_pool") => api.toasts.error(api.i18n.t(K::NotInPool)),
        _ => api.report(error),
    }
}

/// 领取: takes the record from the pool. Sits in table rows too, so its clicks stay its own.
#[component]
pub fn ClaimButton<T: OwnedRecord>(
    id: Uuid,
    on_claimed: Callback<T>,
    /// Told when someone else was faster (`not_in_pool`): the row is out of date.
    #[prop(optional)]
    on_stale: Option<Callback<()>>,
    #[prop(default = "owner-claim")] testid: &'static str,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let busy = RwSignal::new(false);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.stop_propagation();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api.claim::<T>(id).await;
            busy.set(false);
            match result {
                Ok(record) => {
                    api.toasts.success(api.i18n.t(K::Claimed));
                    on_claimed.run(record);
                }
                Err(error) => {
                    report_claim_error(api, &error);
                    if error.code() == Some("not_in_pool")
                        && let Some(on_stale) = on_stale
                    {
                        on_stale.run(());
                    }
                }
            }
        });
    };
    view! {
        <button
            type="button"
            class="btn btn-primary"
            class:btn-sm=small
            data-testid=testid
            disabled=move || busy.get()
            on:click=on_click
            on:keydown=|ev| ev.stop_propagation()
        >
            {move || if busy.get() { i18n.t(K::Claiming) } else { i18n.t(K::Claim) }}
        </button>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialog {
    Closed,
    Release,
    Assign,
}

/// The owner buttons of a record's page (in its owner history's title bar): 领取 while it is
/// in the pool, 退回公海 while someone owns it, and 分配 for those who can pick a user (or, for
/// leads, let the rules pick).
#[component]
pub fn OwnerActions<T: OwnedRecord>(record: T, on_changed: Callback<T>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let dialog = RwSignal::new(Dialog::Closed);
    let id = record.record_id();
    let in_pool = record.owner().is_none();
    let can_write = move || session.can(T::WRITE);
    // An own-scope role can only give a record to itself, unless rules pick the owner.
    let can_assign = move || {
        can_write()
            && (T::BY_RULES
                || session
                    .me()
                    .is_some_and(|me| me.data_scope != DataScope::Own))
    };
    let done = Callback::new(move |record: T| {
        dialog.set(Dialog::Closed);
        on_changed.run(record);
    });
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));

    view! {
        <Show when=move || in_pool && can_write()>
            <ClaimButton id on_claimed=on_changed small=true/>
        </Show>
        <Show when=move || !in_pool && can_write()>
            <button type="button" class="btn btn-secondary btn-sm" data-testid="owner-release" on:click=move |_| dialog.set(Dialog::Release)>
                {i18n.tr(K::Release)}
            </button>
        </Show>
        <Show when=can_assign>
            <button type="button" class="btn btn-secondary btn-sm" data-testid="owner-assign" on:click=move |_| dialog.set(Dialog::Assign)>
                {i18n.tr(K::Assign)}
            </button>
        </Show>
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Release => view! { <ReleaseDialog<T> id on_done=done on_close=close/> }.into_any(),
            Dialog::Assign => view! { <AssignDialog<T> id on_done=done on_close=close/> }.into_any(),
        }}
    }
}
