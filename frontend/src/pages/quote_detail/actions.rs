//! The buttons a quote's state and the caller's role allow: 编辑 (draft, rejected, approved),
//! 提交审批, 发送, 客户接受, 客户拒绝 (with the reason), 修订 (a new version), 复制 and 删除
//! (draft, rejected), 生成订单 (accepted: a sales order with the quote's lines and prices),
//! 生成合同 (accepted: a draft contract with the quote's lines, prices and terms). A
//! superseded version is frozen: only 复制 is left.

use crm_api_types::contracts::CreateContractRequest;
use crm_api_types::identity::Permission;
use crm_api_types::quotes::{DeclineQuoteRequest, QuoteActionRequest, QuoteResponse, QuoteStatus};
use crm_api_types::sales_orders::{CreateSalesOrderRequest, SalesOrderListQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::api::{Api, ApiError, QuoteAction, use_api};
use crate::auth::use_session;
use crate::components::approvals_badge::use_approval_counts;
use crate::components::form_field::{FormErrors, TextAreaField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::i18n::{K, use_i18n};
use crate::pages::contracts::open_created_contract;
use crate::pages::quotes::use_quote_list_state;
use crate::pages::sales_orders::use_sales_order_list_state;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialog {
    Closed,
    Decline,
    Delete,
}

fn done_text(action: QuoteAction) -> K {
    match action {
        QuoteAction::Submit => K::QuoteSubmitted,
        QuoteAction::Send => K::QuoteSent,
        QuoteAction::Accept => K::QuoteAccepted,
        QuoteAction::Revise => K::QuoteRevised,
        QuoteAction::Copy => K::QuoteCopied,
    }
}

#[component]
pub fn QuoteActions(
    quote: QuoteResponse,
    /// The quote after an action changed it.
    on_changed: Callback<Option<QuoteResponse>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let list = use_quote_list_state();
    let counts = use_approval_counts();
    let navigate = use_navigate();
    let navigate_to_order = navigate.clone();
    let navigate_to_contract = navigate.clone();
    let busy = RwSignal::new(false);
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);
    let id = quote.summary.id;
    let version = quote.summary.version;
    let status = quote.summary.status;
    let frozen = quote.summary.superseded;

    let navigate_to = navigate.clone();
    let run = Callback::new(move |action: QuoteAction| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate_to.clone();
        spawn_local(async move {
            let result = api
                .quote_action(id, version, action, &QuoteActionRequest::default())
                .await;
            busy.set(false);
            match result {
                Ok(changed) => {
                    api.toasts.success(api.i18n.t(done_text(action)));
                    counts.refresh(api);
                    if matches!(action, QuoteAction::Revise | QuoteAction::Copy) {
                        // A new quote: on to its editor.
                        list.invalidate();
                        navigate(
                            &format!("/quotes/{}/edit", changed.summary.id),
                            Default::default(),
                        );
                    } else {
                        on_changed.try_run(Some(changed));
                    }
                }
                Err(error) if error.is_stale() => {
                    api.toasts.error(api.i18n.t(K::StaleTitle));
                    on_changed.try_run(None);
                }
                Err(error) => {
                    api.report(&error);
                    // Someone else changed or moved it first: show it as it is now.
                    if matches!(error.status(), Some(409 | 412)) {
                        on_changed.try_run(None);
                    }
                }
            }
        });
    });

    let on_delete = Callback::new(move |()| {
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_quote(id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    list.invalidate();
                    api.toasts.success(api.i18n.t(K::QuoteDeleted));
                    navigate("/quotes", Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    // The page draws a quote anew whenever it changes: what it allows is decided once here.
    let can_write = session.can(Permission::QuoteWrite) && !frozen;
    let is = |allowed: &[QuoteStatus]| allowed.contains(&status);
    let show_edit = can_write
        && is(&[
            QuoteStatus::Draft,
            QuoteStatus::Rejected,
            QuoteStatus::Approved,
        ]);
    let show_submit = can_write && is(&[QuoteStatus::Draft, QuoteStatus::Rejected]);
    let show_send = can_write && is(&[QuoteStatus::Approved]);
    let show_outcome = can_write && is(&[QuoteStatus::Approved, QuoteStatus::Sent]);
    let show_revise = can_write
        && is(&[
            QuoteStatus::Approved,
            QuoteStatus::Sent,
            QuoteStatus::Declined,
            QuoteStatus::Expired,
        ]);
    let show_copy = session.can(Permission::QuoteWrite);
    let show_order = session.can(Permission::SalesOrderWrite) && status == QuoteStatus::Accepted;
    let orders = use_sales_order_list_state();
    let create_order = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate_to_order.clone();
        spawn_local(async move {
            let result = order_of(api, id).await;
            busy.set(false);
            match result {
                Ok((order_id, created)) => {
                    orders.invalidate();
                    if created {
                        api.toasts.success(api.i18n.t(K::OrderCreated));
                    }
                    navigate(&format!("/sales-orders/{order_id}"), Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    };
    let show_contract = session.can(Permission::ContractWrite) && status == QuoteStatus::Accepted;
    let create_contract = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate_to_contract.clone();
        spawn_local(async move {
            let body = CreateContractRequest {
                quote_id: Some(id),
                ..CreateContractRequest::default()
            };
            let result = api.create_contract(&body).await;
            busy.set(false);
            match result {
                Ok(contract) => open_created_contract(api, navigate, &contract),
                Err(error) => api.report(&error),
            }
        });
    };
    let show_delete = session.can(Permission::QuoteDelete)
        && !frozen
        && is(&[QuoteStatus::Draft, QuoteStatus::Rejected]);
    let button = move |action: QuoteAction, label: K, testid: &'static str, class: &'static str| {
        view! {
            <button type="button" class=format!("btn {class}") data-testid=testid disabled=move || busy.get()
                on:click=move |_| run.run(action)>
                {i18n.tr(label)}
            </button>
        }
    };
    let edit_title = (status == QuoteStatus::Approved).then(|| i18n.t(K::EditApprovedWarning));

    view! {
        {show_delete.then(|| view! {
            <button type="button" class="btn btn-danger-outline" data-testid="quote-delete" on:click=move |_| dialog.set(Dialog::Delete)>
                <Icon name=IconName::Trash/>
                <span>{i18n.tr(K::Delete)}</span>
            </button>
        })}
        {show_copy.then(|| button(QuoteAction::Copy, K::CopyQuote, "quote-copy", "btn-secondary"))}
        {show_revise.then(|| button(QuoteAction::Revise, K::ReviseQuote, "quote-revise", "btn-secondary"))}
        {show_outcome.then(|| view! {
            <button type="button" class="btn btn-secondary" data-testid="quote-decline" disabled=move || busy.get()
                on:click=move |_| dialog.set(Dialog::Decline)>
                {i18n.tr(K::DeclineQuote)}
            </button>
            {button(QuoteAction::Accept, K::AcceptQuote, "quote-accept", "btn-secondary")}
        })}
        {show_edit.then(|| view! {
            <a class="btn btn-secondary" href=format!("/quotes/{id}/edit") data-testid="quote-edit" title=edit_title>
                <Icon name=IconName::Edit/>
                <span>{i18n.tr(K::Edit)}</span>
            </a>
        })}
        {show_send.then(|| button(QuoteAction::Send, K::SendQuote, "quote-send", "btn-primary"))}
        {show_contract.then(|| view! {
            <button type="button" class="btn btn-secondary" data-testid="quote-create-contract" disabled=move || busy.get()
                on:click=create_contract.clone()>
                <Icon name=IconName::Contract/>
                <span>{i18n.tr(K::CreateContract)}</span>
            </button>
        })}
        {show_order.then(|| view! {
            <button type="button" class="btn btn-primary" data-testid="quote-create-order" disabled=move || busy.get()
                on:click=create_order.clone()>
                <Icon name=IconName::Orders/>
                <span>{i18n.tr(K::CreateOrder)}</span>
            </button>
        })}
        {show_submit.then(|| button(QuoteAction::Submit, K::SubmitQuote, "quote-submit", "btn-primary"))}
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Decline => view! {
                <DeclineDialog
                    quote_id=id
                    version
                    on_done=Callback::new(move |declined| {
                        dialog.set(Dialog::Closed);
                        api.toasts.success(api.i18n.t(K::QuoteDeclined));
                        on_changed.run(Some(declined));
                    })
                    on_close=Callback::new(move |()| dialog.set(Dialog::Closed))
                />
            }
            .into_any(),
            Dialog::Delete => view! {
                <ConfirmDialog
                    title=K::DeleteQuote
                    message=i18n.signal(K::DeleteQuoteConfirm)
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=Callback::new(move |()| dialog.set(Dialog::Closed))
                />
            }
            .into_any(),
        }}
    }
}

/// The order made from the quote, and whether it was made just now: an order made before
/// (`409 quote_already_ordered`) is found and opened instead.
async fn order_of(api: Api, quote_id: Uuid) -> Result<(Uuid, bool), ApiError> {
    let body = CreateSalesOrderRequest {
        quote_id: Some(quote_id),
        ..CreateSalesOrderRequest::default()
    };
    match api.create_sales_order(&body).await {
        Ok(order) => Ok((order.summary.id, true)),
        Err(error) if error.code() == Some("quote_already_ordered") => {
            let query = SalesOrderListQuery {
                quote_id: Some(quote_id),
                limit: Some(1),
                ..SalesOrderListQuery::default()
            };
            let found = api.list_sales_orders(&query).await?;
            match found.items.first() {
                Some(order) => Ok((order.id, false)),
                None => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

/// 客户拒绝: the reason is required.
#[component]
fn DeclineDialog(
    quote_id: Uuid,
    version: i32,
    on_done: Callback<QuoteResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let reason = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let text = reason.get_untracked().trim().to_owned();
        if text.is_empty() {
            errors.push("reason", i18n.t(K::ValueRequired));
            return;
        }
        saving.set(true);
        spawn_local(async move {
            let result = api
                .decline_quote(quote_id, version, &DeclineQuoteRequest { reason: text })
                .await;
            saving.set(false);
            match result {
                Ok(declined) => {
                    on_done.try_run(declined);
                }
                Err(error) => {
                    if !errors.absorb(&error, &["reason"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };
    view! {
        <Modal title=i18n.signal(K::DeclineTitle) on_close testid="decline-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <TextAreaField label=K::DeclineReason name="reason" prefix="decline" value=reason errors wide=true/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-danger" data-testid="decline-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::DeclineQuote) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
