//! 核销: applying what is left of a payment (the customer's credit) later, to the customer's
//! open instalments in the payment's currency: by hand, or oldest due first by the server.

use crm_api_types::receivables::{AllocatePaymentRequest, PaymentResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::components::allocation::{ALLOCATIONS, Allocation, AllocationChoice};
use crate::components::form_field::FormErrors;
use crate::components::modal::Modal;
use crate::format::money;
use crate::i18n::{K, use_i18n};

#[component]
pub fn ApplyCreditDialog(
    payment: PaymentResponse,
    on_done: Callback<PaymentResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let payment_id = payment.id;
    let available = payment.unapplied;
    // Applying credit is mostly choosing the instalment: the list is shown at once.
    let allocation = Allocation::new(payment.customer_id, payment.currency.clone(), true);
    let left = money(available, &payment.currency);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let Ok(allocations) = allocation.request(available, errors) else {
            return;
        };
        if allocations.as_ref().is_some_and(Vec::is_empty) {
            errors.push(ALLOCATIONS, i18n.t(K::ApplyNothingTyped));
            return;
        }
        let body = AllocatePaymentRequest {
            allocations,
            sales_order_id: None,
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.allocate_payment(payment_id, &body).await;
            saving.set(false);
            match result {
                Ok(payment) => {
                    api.toasts.success(api.i18n.t(K::CreditApplied));
                    on_done.try_run(payment);
                }
                Err(error) => {
                    if !errors.absorb(&error, &[ALLOCATIONS]) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=i18n.signal(K::ApplyCreditTitle) on_close testid="apply-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <p class="field-hint field-wide" data-testid="apply-available">
                        {move || format!("{} {} {}", payment.number, i18n.t(K::ApplyAvailable), left)}
                    </p>
                    <AllocationChoice allocation available=Signal::stored(available) errors prefix="apply"/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="apply-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::ApplyCredit) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
