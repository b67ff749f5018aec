//! 登记收款: money received from a customer. Applied automatically (one order's instalments,
//! or the customer's, oldest due first, by the server) or by hand (手动核销): the customer's
//! open instalments in the payment's currency, each with an amount to apply. What is not
//! applied stays as the customer's credit (预收款); the dialog says how much that is, and how
//! much credit the customer already has.

use chrono::NaiveDate;
use crm_api_types::receivables::{CreatePaymentRequest, PaymentMethod, PaymentResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::allocation::{ALLOCATIONS, Allocation, AllocationChoice};
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::modal::Modal;
use crate::format::{china_today, grouped, money, non_blank, parse_decimal, plain};
use crate::i18n::{K, payment_method_key, use_i18n};

const FIELDS: [&str; 7] = [
    "amount",
    "method",
    "reference",
    "received_on",
    "note",
    "currency",
    ALLOCATIONS,
];

/// Whose money it is and where it goes by default.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentTarget {
    pub customer_id: Uuid,
    pub currency: String,
    /// Automatic allocation stays within this order.
    pub order_id: Option<Uuid>,
    /// What the amount starts as (the first open instalment's rest).
    pub suggested: Option<Decimal>,
    /// What the order (or the customer) still owes, shown as a hint.
    pub outstanding: Option<Decimal>,
}

#[component]
pub fn PaymentDialog(
    target: PaymentTarget,
    on_done: Callback<PaymentResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let customer_id = target.customer_id;
    let order_id = target.order_id;
    let currency = StoredValue::new(target.currency.clone());
    let amount = RwSignal::new(target.suggested.map(plain).unwrap_or_default());
    let method = RwSignal::new(PaymentMethod::BankTransfer.as_str().to_owned());
    let reference = RwSignal::new(String::new());
    let received_on = RwSignal::new(china_today().to_string());
    let note = RwSignal::new(String::new());
    let allocation = Allocation::new(customer_id, target.currency.clone(), false);
    let existing_credit = RwSignal::new(None::<Decimal>);
    let methods = Signal::derive(move || {
        PaymentMethod::ALL
            .into_iter()
            .map(|m| {
                (
                    m.as_str().to_owned(),
                    i18n.t(payment_method_key(m)).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });

    spawn_local(async move {
        if let Ok(credit) = api.customer_credit(customer_id).await {
            existing_credit.set(Some(credit.unapplied_payments));
        }
    });

    // What is paid (what cannot be read counts as nothing), for what is left as credit.
    let paid = Signal::derive(move || {
        parse_decimal(&amount.get())
            .flatten()
            .unwrap_or(Decimal::ZERO)
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let value = match parse_decimal(&amount.get_untracked()) {
            Some(Some(v)) if v > Decimal::ZERO => Some(v),
            None => {
                errors.push("amount", i18n.t(K::ValueRequired));
                None
            }
            _ => {
                errors.push("amount", i18n.t(K::InvalidNumber));
                None
            }
        };
        let day = received_on.get_untracked().trim().parse::<NaiveDate>().ok();
        if day.is_none() {
            errors.push("received_on", i18n.t(K::InvalidDate));
        }
        let (Some(value), Some(method), Some(day)) =
            (value, PaymentMethod::parse(&method.get_untracked()), day)
        else {
            return;
        };
        let Ok(allocations) = allocation.request(value, errors) else {
            return;
        };
        let body = CreatePaymentRequest {
            customer_id,
            received_on: Some(day),
            amount: value,
            currency: Some(currency.get_value()),
            method,
            reference: non_blank(&reference.get_untracked()),
            note: non_blank(&note.get_untracked()),
            sales_order_id: if allocations.is_some() {
                None
            } else {
                order_id
            },
            allocations,
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.create_payment(&body).await;
            saving.set(false);
            match result {
                Ok(payment) => {
                    let unapplied = (payment.unapplied > Decimal::ZERO)
                        .then(|| money(payment.unapplied, &payment.currency));
                    api.toasts.success(
                        api.i18n
                            .payment_recorded(&payment.number, unapplied.as_deref()),
                    );
                    on_done.try_run(payment);
                }
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let outstanding = target.outstanding;

    view! {
        <Modal title=i18n.signal(K::RecordPaymentTitle) on_close testid="pay-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    {outstanding.map(|o| view! {
                        <p class="field-hint field-wide" data-testid="pay-outstanding">
                            {move || format!("{} {}", i18n.t(K::OrderOutstanding), grouped(o))}
                        </p>
                    })}
                    {move || existing_credit.get().filter(|c| *c > Decimal::ZERO).map(|c| view! {
                        <p class="field-hint field-wide" data-testid="pay-existing-credit">
                            {format!("{} {}", i18n.t(K::CustomerCreditNow), money(c, &currency.get_value()))}
                        </p>
                    })}
                    <TextField label=K::PaymentAmount name="amount" prefix="pay" value=amount errors required=true/>
                    <SelectField label=K::PaymentMethod name="method" prefix="pay" value=method errors options=methods required=true/>
                    <TextField label=K::ReceivedOn name="received_on" prefix="pay" value=received_on errors input_type="date" required=true/>
                    <TextField label=K::PaymentReference name="reference" prefix="pay" value=reference errors placeholder=K::PaymentReferencePlaceholder/>
                    <TextField label=K::FieldNote name="note" prefix="pay" value=note errors wide=true/>
                    <AllocationChoice allocation available=paid errors prefix="pay"/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="pay-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::RecordPayment) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
