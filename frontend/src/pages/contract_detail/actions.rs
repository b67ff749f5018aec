//! The buttons a contract's state and the caller's role allow: 编辑, 提交 (a draft, to its
//! approval), 删除 (a draft), and on an active contract 履行完毕, 终止 (with a reason) and
//! 下单 (an order with the contract's lines, opened at once).

use crm_api_types::contracts::{
    ContractActionRequest, ContractResponse, ContractStatus, TerminateContractRequest,
};
use crm_api_types::identity::Permission;
use crm_api_types::sales_orders::CreateSalesOrderRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use super::OnChanged;
use crate::api::{ApiError, ContractAction, use_api};
use crate::auth::use_session;
use crate::components::approvals_badge::use_approval_counts;
use crate::components::form_field::{FormErrors, TextAreaField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::{ConfirmDialog, Modal};
use crate::i18n::{K, use_i18n};
use crate::pages::sales_orders::use_sales_order_list_state;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialog {
    Closed,
    Terminate,
    Delete,
}

#[component]
pub fn ContractActions(contract: ContractResponse, on_changed: OnChanged) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let counts = use_approval_counts();
    let orders = use_sales_order_list_state();
    let navigate = use_navigate();
    let navigate_to_order = navigate.clone();
    let busy = RwSignal::new(false);
    let dialog = RwSignal::new(Dialog::Closed);
    let deleting = RwSignal::new(false);
    let id = contract.summary.id;
    let version = contract.summary.version;
    let status = contract.summary.status;

    let run = move |action: ContractAction| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api
                .contract_action(id, version, action, &ContractActionRequest::default())
                .await;
            busy.set(false);
            counts.refresh(api);
            let done = match (&result, action) {
                (Ok(c), ContractAction::Submit) if c.summary.status == ContractStatus::Active => {
                    K::ContractActivated
                }
                (_, ContractAction::Submit) => K::ContractSubmitted,
                (_, ContractAction::Complete) => K::ContractCompletedToast,
            };
            api.settle(result, done, on_changed);
        });
    };

    let place_order = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate_to_order.clone();
        spawn_local(async move {
            let body = CreateSalesOrderRequest {
                contract_id: Some(id),
                ..CreateSalesOrderRequest::default()
            };
            let result = api.create_sales_order(&body).await;
            busy.set(false);
            match result {
                Ok(order) => {
                    orders.invalidate();
                    api.toasts.success(api.i18n.t(K::OrderCreated));
                    navigate(
                        &format!("/sales-orders/{}", order.summary.id),
                        Default::default(),
                    );
                }
                Err(error) => {
                    api.report(&error);
                    if error.status() == Some(409) {
                        on_changed.try_run(None);
                    }
                }
            }
        });
    };

    let on_delete = Callback::new(move |()| {
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            let result = api.delete_contract(id).await;
            deleting.set(false);
            dialog.set(Dialog::Closed);
            match result {
                Ok(()) => {
                    api.toasts.success(api.i18n.t(K::ContractDeleted));
                    navigate("/contracts", Default::default());
                }
                Err(error) => api.report(&error),
            }
        });
    });

    // The page draws a contract anew whenever it changes: what it allows is decided once here.
    let can_write = session.can(Permission::ContractWrite);
    let active = status == ContractStatus::Active;
    // Once submitted only the owner changes (not on the form): a draft alone is edited.
    let show_edit = can_write && status == ContractStatus::Draft;
    let show_submit = show_edit;
    let show_delete = session.can(Permission::ContractDelete) && status == ContractStatus::Draft;
    let show_close = can_write && active;
    let show_order = session.can(Permission::SalesOrderWrite) && active;
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));

    view! {
        {show_delete.then(|| view! {
            <button type="button" class="btn btn-danger-outline" data-testid="contract-delete" on:click=move |_| dialog.set(Dialog::Delete)>
                <Icon name=IconName::Trash/>
                <span>{i18n.tr(K::Delete)}</span>
            </button>
        })}
        {show_edit.then(|| view! {
            <a class="btn btn-secondary" href=format!("/contracts/{id}/edit") data-testid="contract-edit">
                <Icon name=IconName::Edit/>
                <span>{i18n.tr(K::Edit)}</span>
            </a>
        })}
        {show_close.then(|| view! {
            <button type="button" class="btn btn-secondary" data-testid="contract-terminate" disabled=move || busy.get()
                on:click=move |_| dialog.set(Dialog::Terminate)>
                {i18n.tr(K::TerminateContract)}
            </button>
            <button type="button" class="btn btn-secondary" data-testid="contract-complete" disabled=move || busy.get()
                on:click=move |_| run(ContractAction::Complete)>
                {i18n.tr(K::CompleteContract)}
            </button>
        })}
        {show_order.then(|| view! {
            <button type="button" class="btn btn-primary" data-testid="contract-create-order" disabled=move || busy.get()
                on:click=place_order.clone()>
                <Icon name=IconName::Orders/>
                <span>{i18n.tr(K::OrderFromContract)}</span>
            </button>
        })}
        {show_submit.then(|| view! {
            <button type="button" class="btn btn-primary" data-testid="contract-submit" disabled=move || busy.get()
                on:click=move |_| run(ContractAction::Submit)>
                {move || if busy.get() { i18n.t(K::Submitting) } else { i18n.t(K::SubmitContract) }}
            </button>
        })}
        {move || match dialog.get() {
            Dialog::Closed => ().into_any(),
            Dialog::Terminate => view! {
                <TerminateDialog
                    contract_id=id
                    version
                    on_done=Callback::new(move |result| {
                        dialog.set(Dialog::Closed);
                        api.settle( result, K::ContractTerminatedToast, on_changed);
                    })
                    on_close=close
                />
            }
            .into_any(),
            Dialog::Delete => view! {
                <ConfirmDialog
                    title=K::DeleteContract
                    message=i18n.signal(K::DeleteContractConfirm)
                    busy=deleting
                    on_confirm=on_delete
                    on_cancel=close
                />
            }
            .into_any(),
        }}
    }
}

/// 终止合同: the reason is required.
#[component]
fn TerminateDialog(
    contract_id: Uuid,
    version: i32,
    on_done: Callback<Result<ContractResponse, ApiError>>,
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
                .terminate_contract(
                    contract_id,
                    version,
                    &TerminateContractRequest { reason: text },
                )
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
        <Modal title=i18n.signal(K::TerminateContractTitle) on_close testid="terminate-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid form-grid-single">
                    <p class="field-hint">{i18n.tr(K::TerminateContractHint)}</p>
                    <TextAreaField label=K::TerminationReason name="reason" prefix="terminate" value=reason errors wide=true/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Back)}</button>
                    <button type="submit" class="btn btn-danger" data-testid="terminate-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::TerminateContract) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
