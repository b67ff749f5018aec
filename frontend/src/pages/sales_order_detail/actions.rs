//! The buttons an order's state and the caller's role allow: 提交 (a draft; the customer's
//! credit is checked first and, when the limit is exceeded, the figures are shown before
//! going on), 编辑 (a draft whole; a submitted order its PO, address, note and 改交期),
//! 取消订单 (with a reason; what shipped stays) and 删除 (a draft).

use crm_api_types::identity::Permission;
use crm_api_types::sales_orders::{
    CancelSalesOrderRequest, CreditCheckResponse, SalesOrderActionRequest, SalesOrderResponse,
    SalesOrderStatus,
};
use crm_api_types::settings::CreditCheckMode;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use super::OnChanged;
use crate::api::{ApiError, use_api};
use crate::auth::use_session;
use crate::components::approvals_badge::use_approval_counts;
use crate::components::form_field::{FormErrors, TextAreaField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::format::money;
use crate::i18n::{K, use_i18n};
use crate::pages::sales_orders::use_sales_order_list_state;

#[derive(Debug, Clone, PartialEq)]
enum Dialog {
    Closed,
    /// The limit is exceeded: the figures, and 仍然提交 unless the tenant blocks.
    Credit(Box<CreditCheckResponse>),
    Cancel,
    Delete,
}

#[component]
pub fn OrderActions(order: SalesOrderResponse, on_changed: OnChanged) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let counts = use_approval_counts();
    let list = use_sales_order_list_state();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);
    let id = order.summary.id;
    let version = order.summary.version;
    let status = order.summary.status;
    let currency = order.summary.currency.clone();

    let submit = Callback::new(move |()| {
        busy.set(true);
        dialog.set(Dialog::Closed);
        spawn_local(async move {
            let result = api
                .submit_sales_order(id, version, &SalesOrderActionRequest::default())
                .await;
            busy.set(false);
            counts.refresh(api);
            let done = match &result {
                Ok(o) if o.summary.status == SalesOrderStatus::PendingApproval => K::OrderSubmitted,
                _ => K::OrderConfirmedToast,
            };
            api.settle(result, done, on_changed);
        });
    });
    // The credit check first: past the limit, the user sees by how much before going on.
    let check_then_submit = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api.sales_order_credit_check(id).await {
                Ok(check) if check.exceeded && check.mode != CreditCheckMode::Off => {
                    busy.set(false);
                    dialog.set(Dialog::Credit(Box::new(check)));
                }
                Ok(_) => submit.run(()),
                Err(error) => {
                    busy.set(false);
                    api.report(&error);
                }
            }
        });
    };

    let on_delete = Callback::new(move |()| {
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_sales_order(id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    list.invalidate();
                    api.toasts.success(api.i18n.t(K::OrderDeleted));
                    navigate("/sales-orders", Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    // The page draws an order anew whenever it changes: what it allows is decided once here.
    let can_write = session.can(Permission::SalesOrderWrite);
    let show_submit = can_write && status == SalesOrderStatus::Draft;
    let show_cancel = can_write
        && matches!(
            status,
            SalesOrderStatus::Draft
                | SalesOrderStatus::PendingApproval
                | SalesOrderStatus::Confirmed
                | SalesOrderStatus::PartiallyShipped
        );
    let show_delete =
        session.can(Permission::SalesOrderDelete) && status == SalesOrderStatus::Draft;
    let show_edit = can_write
        && !matches!(
            status,
            SalesOrderStatus::Completed | SalesOrderStatus::Cancelled
        );
    let edit_label = if status == SalesOrderStatus::Draft {
        K::Edit
    } else {
        K::ChangePromisedDates
    };
    let partly_shipped = status == SalesOrderStatus::PartiallyShipped;
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));

    view! {
        {show_delete.then(|| view! {
            <button type="button" class="btn btn-danger-outline" data-testid="order-delete" on:click=move |_| dialog.set(Dialog::Delete)>
                <Icon name=IconName::Trash/>
                <span>{i18n.tr(K::Delete)}</span>
            </button>
        })}
        {show_edit.then(|| view! {
            <a class="btn btn-secondary" href=format!("/sales-orders/{id}/edit") data-testid="order-edit">
                <Icon name=IconName::Edit/>
                <span>{i18n.tr(edit_label)}</span>
            </a>
        })}
        {show_cancel.then(|| view! {
            <button type="button" class="btn btn-secondary" data-testid="order-cancel" disabled=move || busy.get()
                on:click=move |_| dialog.set(Dialog::Cancel)>
                {i18n.tr(K::CancelOrder)}
            </button>
        })}
        {show_submit.then(|| view! {
            <button type="button" class="btn btn-primary" data-testid="order-submit" disabled=move || busy.get()
                on:click=check_then_submit>
                {move || if busy.get() { i18n.t(K::Submitting) } else { i18n.t(K::SubmitOrder) }}
            </button>
        })}
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Credit(check) => view! {
                <CreditDialog check=*check currency=currency.clone() on_submit=submit on_close=close/>
            }
            .into_any(),
            Dialog::Cancel => view! {
                <CancelDialog
                    order_id=id
                    version
                    partly_shipped
                    on_done=Callback::new(move |result| {
                        dialog.set(Dialog::Closed);
                        api.settle( result, K::OrderCancelledToast, on_changed);
                    })
                    on_close=close
                />
            }
            .into_any(),
            Dialog::Delete => view! {
                <ConfirmDialog
                    title=K::DeleteOrder
                    message=i18n.signal(K::DeleteOrderConfirm)
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=close
                />
            }
            .into_any(),
        }}
    }
}

/// 信用检查: open receivables plus this order against the limit.
#[component]
fn CreditDialog(
    check: CreditCheckResponse,
    currency: String,
    on_submit: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let blocked = check.mode == CreditCheckMode::Block;
    let limit = check.credit_limit.unwrap_or_default();
    let over = check.exposure - limit;
    let row = move |label: K, testid: &'static str, text: String| {
        view! {
            <div class="totals-row">
                <dt>{i18n.tr(label)}</dt>
                <dd data-testid=testid>{text}</dd>
            </div>
        }
    };
    view! {
        <Modal title=i18n.signal(K::CreditCheckTitle) on_close testid="credit-dialog">
            <div class="modal-body">
                <div class="alert" class:alert-warning=!blocked class:alert-error=blocked role="alert">
                    <Icon name=IconName::Alert/>
                    <div class="alert-body">
                        <p data-testid="credit-message">
                            {move || if blocked { i18n.t(K::CreditBlocked) } else { i18n.t(K::CreditWarned) }}
                        </p>
                    </div>
                </div>
                <dl class="totals" data-testid="credit-figures">
                    {row(K::CreditLimit, "credit-limit", money(limit, &check.currency))}
                    {row(K::OpenReceivables, "credit-open", money(check.open_receivables, &check.currency))}
                    {row(K::ThisOrder, "credit-this-order", money(check.this_order, &currency))}
                    {row(K::CreditExposure, "credit-exposure", money(check.exposure, &check.currency))}
                    <div class="totals-row totals-grand">
                        <dt>{i18n.tr(K::CreditOver)}</dt>
                        <dd data-testid="credit-over">{money(over, &check.currency)}</dd>
                    </div>
                </dl>
            </div>
            <footer class="modal-footer">
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                {(!blocked).then(|| view! {
                    <button type="button" class="btn btn-primary" data-testid="credit-submit" on:click=move |_| on_submit.run(())>
                        {i18n.tr(K::SubmitAnyway)}
                    </button>
                })}
            </footer>
        </Modal>
    }
}

/// 取消订单: the reason is required.
#[component]
fn CancelDialog(
    order_id: Uuid,
    version: i32,
    /// What shipped stays; only the rest is cancelled.
    partly_shipped: bool,
    on_done: Callback<Result<SalesOrderResponse, ApiError>>,
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
                .cancel_sales_order(order_id, version, &CancelSalesOrderRequest { reason: text })
                .await;
            saving.set(false);
            match result {
                Err(error) if error.status() == Some(422) && errors.absorb(&error, &["reason"]) => {
                }
                other => {
                    on_done.try_run(other);
                }
            }
        });
    };
    view! {
        <Modal title=i18n.signal(K::CancelOrderTitle) on_close testid="cancel-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <p class="field-hint">
                        {move || if partly_shipped { i18n.t(K::CancelPartlyShippedHint) } else { i18n.t(K::CancelOrderHint) }}
                    </p>
                    <TextAreaField label=K::CancelReason name="reason" prefix="cancel" value=reason errors wide=true/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Back)}</button>
                    <button type="submit" class="btn btn-danger" data-testid="cancel-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::CancelOrder) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
