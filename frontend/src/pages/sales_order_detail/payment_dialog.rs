//! 登记收款: money received from the order's customer, applied to this order's instalments
//! oldest due first by the server. The amount starts as what the first open instalment still
//! owes; anything beyond what the order owes stays as the customer's credit.

use chrono::NaiveDate;
use crm_api_types::receivables::{CreatePaymentRequest, PaymentMethod};
use crm_api_types::sales_orders::SalesOrderResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::modal::Modal;
use crate::format::{china_today, grouped, non_blank, parse_decimal, plain};
use crate::i18n::{K, payment_method_key, use_i18n};

const FIELDS: [&str; 6] = [
    "amount",
    "method",
    "reference",
    "received_on",
    "note",
    "currency",
];

#[component]
pub fn PaymentDialog(
    order: SalesOrderResponse,
    on_done: Callback<Option<SalesOrderResponse>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let order_id = order.summary.id;
    let customer_id = order.summary.customer_id;
    let currency = order.summary.currency.clone();
    let first_open = order
        .instalments
        .iter()
        .find(|i| i.outstanding > Decimal::ZERO)
        .map(|i| i.outstanding);
    let amount = RwSignal::new(first_open.map(plain).unwrap_or_default());
    let method = RwSignal::new(PaymentMethod::BankTransfer.as_str().to_owned());
    let reference = RwSignal::new(String::new());
    let received_on = RwSignal::new(china_today().to_string());
    let note = RwSignal::new(String::new());
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
    let outstanding: Decimal = order.instalments.iter().map(|i| i.outstanding).sum();

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
        let (Some(value), Some(method)) = (value, PaymentMethod::parse(&method.get_untracked()))
        else {
            return;
        };
        if day.is_none() {
            return;
        }
        let body = CreatePaymentRequest {
            customer_id,
            received_on: day,
            amount: value,
            currency: Some(currency.clone()),
            method,
            reference: non_blank(&reference.get_untracked()),
            note: non_blank(&note.get_untracked()),
            allocations: None,
            sales_order_id: Some(order_id),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.create_payment(&body).await;
            saving.set(false);
            match result {
                Ok(payment) => {
                    let unapplied = (payment.unapplied > Decimal::ZERO)
                        .then(|| crate::format::money(payment.unapplied, &payment.currency));
                    api.toasts.success(
                        api.i18n
                            .payment_recorded(&payment.number, unapplied.as_deref()),
                    );
                    on_done.try_run(None);
                }
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    view! {
        <Modal title=i18n.signal(K::RecordPaymentTitle) on_close testid="pay-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <p class="field-hint field-wide" data-testid="pay-outstanding">
                        {move || format!("{} {}", i18n.t(K::OrderOutstanding), grouped(outstanding))}
                    </p>
                    <TextField label=K::PaymentAmount name="amount" prefix="pay" value=amount errors required=true/>
                    <SelectField label=K::PaymentMethod name="method" prefix="pay" value=method errors options=methods required=true/>
                    <TextField label=K::ReceivedOn name="received_on" prefix="pay" value=received_on errors input_type="date" required=true/>
                    <TextField label=K::PaymentReference name="reference" prefix="pay" value=reference errors placeholder=K::PaymentReferencePlaceholder/>
                    <TextField label=K::FieldNote name="note" prefix="pay" value=note errors wide=true/>
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
