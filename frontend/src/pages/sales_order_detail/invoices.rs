//! 发票: the invoices issued for the order, and 开票 to record one (its number as printed, day,
//! amount with the VAT in it, and kind). All invoices together stay within what is owed.

use chrono::NaiveDate;
use crm_api_types::identity::Permission;
use crm_api_types::receivables::{CreateInvoiceRequest, InvoiceKind, InvoiceResponse};
use crm_api_types::sales_orders::{SalesOrderResponse, SalesOrderStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;

use super::OnChanged;
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::format::{china_today, grouped, money, non_blank, or_dash, parse_decimal, plain};
use crate::i18n::{K, invoice_kind_key, use_i18n};

const FIELDS: [&str; 6] = [
    "number",
    "issued_on",
    "amount",
    "tax_amount",
    "kind",
    "note",
];

#[component]
pub fn InvoicesPanel(order: SalesOrderResponse, on_changed: OnChanged) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let open = RwSignal::new(false);
    let status = order.summary.status;
    let owed = order.summary.total - order.summary.cancelled_amount;
    let uninvoiced = owed - order.invoiced_amount;
    let can_invoice = session.can(Permission::ReceivableWrite)
        && uninvoiced > Decimal::ZERO
        && matches!(
            status,
            SalesOrderStatus::Confirmed
                | SalesOrderStatus::PartiallyShipped
                | SalesOrderStatus::Shipped
                | SalesOrderStatus::Completed
        );
    let currency = order.summary.currency.clone();
    let stored = StoredValue::new(order.clone());

    let body = if order.invoices.is_empty() {
        view! { <p class="panel-empty muted" data-testid="invoices-empty">{i18n.tr(K::InvoicesEmpty)}</p> }
            .into_any()
    } else {
        let rows = order
            .invoices
            .into_iter()
            .map(|invoice| invoice_row(invoice, currency.clone()))
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="invoices-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::InvoiceNumber)}</th>
                            <th scope="col">{i18n.tr(K::IssuedOn)}</th>
                            <th scope="col">{i18n.tr(K::InvoiceKind)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::TaxAmount)}</th>
                            <th scope="col">{i18n.tr(K::FieldNote)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="card" aria-labelledby="order-invoices-title" data-testid="order-invoices">
            <h2 class="card-title" id="order-invoices-title">
                <Icon name=IconName::Quotes/>
                <span>{i18n.tr(K::Invoices)}</span>
                <span class="toolbar-spacer"></span>
                {can_invoice.then(|| view! {
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="order-invoice" on:click=move |_| open.set(true)>
                        {i18n.tr(K::IssueInvoice)}
                    </button>
                })}
            </h2>
            {body}
            <Show when=move || open.get()>
                <InvoiceDialog
                    order=stored.get_value()
                    on_done=Callback::new(move |changed| {
                        open.set(false);
                        on_changed.run(Some(changed));
                    })
                    on_close=Callback::new(move |()| open.set(false))
                />
            </Show>
        </section>
    }
}

fn invoice_row(invoice: InvoiceResponse, currency: String) -> impl IntoView {
    let i18n = use_i18n();
    let kind = invoice.kind;
    view! {
        <tr data-testid="invoice-row" data-id=invoice.id.to_string()>
            <td class="cell-mono cell-strong">{invoice.number}</td>
            <td class="cell-time">{invoice.issued_on.to_string()}</td>
            <td>{i18n.tr(invoice_kind_key(kind))}</td>
            <td class="cell-num">{money(invoice.amount, &currency)}</td>
            <td class="cell-num">{grouped(invoice.tax_amount)}</td>
            <td class="cell-wrap">{or_dash(invoice.note.as_deref())}</td>
        </tr>
    }
}

/// 开票: the amount starts as what is not invoiced yet, the VAT as its share of the order's.
#[component]
fn InvoiceDialog(
    order: SalesOrderResponse,
    on_done: Callback<SalesOrderResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let order_id = order.summary.id;
    let owed = order.summary.total - order.summary.cancelled_amount;
    let rest = (owed - order.invoiced_amount).max(Decimal::ZERO);
    let tax = if order.totals.total.is_zero() {
        Decimal::ZERO
    } else {
        (order.totals.vat_amount * rest / order.totals.total).round_dp(2)
    };
    let number = RwSignal::new(String::new());
    let issued_on = RwSignal::new(china_today().to_string());
    let amount = RwSignal::new(plain(rest));
    let tax_amount = RwSignal::new(plain(tax));
    let kind = RwSignal::new(InvoiceKind::default().as_str().to_owned());
    let note = RwSignal::new(String::new());
    let kinds = Signal::derive(move || {
        InvoiceKind::ALL
            .into_iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    i18n.t(invoice_kind_key(k)).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let number_text = number.get_untracked().trim().to_owned();
        if number_text.is_empty() {
            errors.push("number", i18n.t(K::ValueRequired));
        }
        let decimal =
            |signal: RwSignal<String>, field: &str| match parse_decimal(&signal.get_untracked()) {
                Some(Some(v)) if v >= Decimal::ZERO => Some(v),
                _ => {
                    errors.push(field, i18n.t(K::InvalidNumber));
                    None
                }
            };
        let amount_value = decimal(amount, "amount");
        let tax_value = decimal(tax_amount, "tax_amount");
        let day = issued_on.get_untracked().trim().parse::<NaiveDate>().ok();
        if day.is_none() {
            errors.push("issued_on", i18n.t(K::InvalidDate));
        }
        let (Some(amount_value), Some(tax_value), Some(day)) = (amount_value, tax_value, day)
        else {
            return;
        };
        if number_text.is_empty() {
            return;
        }
        let body = CreateInvoiceRequest {
            number: number_text,
            issued_on: Some(day),
            amount: amount_value,
            tax_amount: tax_value,
            kind: InvoiceKind::parse(&kind.get_untracked()).unwrap_or_default(),
            note: non_blank(&note.get_untracked()),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.create_invoice(order_id, &body).await;
            saving.set(false);
            match result {
                Ok(order) => {
                    api.toasts.success(api.i18n.t(K::InvoiceRecorded));
                    on_done.try_run(order);
                }
                Err(error) if error.code() == Some("invoice_number_taken") => {
                    errors.push("number", &error.message(api.i18n));
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
        <Modal title=i18n.signal(K::IssueInvoiceTitle) on_close testid="invoice-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField label=K::InvoiceNumber name="number" prefix="invoice" value=number errors required=true/>
                    <TextField label=K::IssuedOn name="issued_on" prefix="invoice" value=issued_on errors input_type="date" required=true/>
                    <TextField label=K::InvoiceAmount name="amount" prefix="invoice" value=amount errors required=true/>
                    <TextField label=K::TaxAmount name="tax_amount" prefix="invoice" value=tax_amount errors required=true/>
                    <SelectField label=K::InvoiceKind name="kind" prefix="invoice" value=kind errors options=kinds required=true/>
                    <TextField label=K::FieldNote name="note" prefix="invoice" value=note errors/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="invoice-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::IssueInvoice) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
