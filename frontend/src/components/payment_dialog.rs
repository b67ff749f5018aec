//! 登记收款: money received from a customer. Applied automatically (one order's instalments,
//! or the customer's, oldest due first, by the server) or by hand (手动核销): the customer's
//! open instalments in the payment's currency, each with an amount to apply. What is not
//! applied stays as the customer's credit (预收款); the dialog says how much that is, and how
//! much credit the customer already has.

use chrono::NaiveDate;
use crm_api_types::receivables::{
    AllocationRequest, CreatePaymentRequest, PaymentMethod, PaymentResponse, ReceivableListQuery,
    ReceivableResponse,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::bind;
use crate::components::form_field::{FormErrors, SelectField, TextField};
use crate::components::modal::Modal;
use crate::components::table::Spinner;
use crate::format::{china_today, grouped, money, non_blank, parse_decimal, plain};
use crate::i18n::{K, payment_method_key, use_i18n};
use crate::rows::RowOwner;

const FIELDS: [&str; 7] = [
    "amount",
    "method",
    "reference",
    "received_on",
    "note",
    "currency",
    "allocations",
];
/// The most open instalments one customer is expected to have; more are not offered.
const OPEN_LIMIT: u32 = 200;

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

/// One open instalment with the amount typed for it.
#[derive(Debug, Clone, Copy)]
struct AllocRow {
    id: Uuid,
    amount: RwSignal<String>,
}

/// The amounts as typed, or the first wrong one's index.
fn typed_allocations(
    rows: &[(ReceivableResponse, AllocRow)],
) -> Result<Vec<AllocationRequest>, (usize, K)> {
    let mut out = Vec::new();
    for (i, (r, row)) in rows.iter().enumerate() {
        match parse_decimal(&row.amount.get_untracked()) {
            None => {}
            Some(Some(n)) if n.is_zero() => {}
            Some(Some(n)) if n < Decimal::ZERO => return Err((i, K::InvalidNumber)),
            Some(Some(n)) if n > r.instalment.outstanding => {
                return Err((i, K::MoreThanOutstanding));
            }
            Some(Some(n)) => out.push(AllocationRequest {
                instalment_id: row.id,
                amount: n,
            }),
            Some(None) => return Err((i, K::InvalidNumber)),
        }
    }
    Ok(out)
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
    let manual = RwSignal::new(false);
    // `None` until the customer's open instalments are loaded (on choosing 手动核销).
    let open = RwSignal::new(None::<Vec<(ReceivableResponse, AllocRow)>>);
    let alloc_error = RwSignal::new(None::<(usize, K)>);
    let existing_credit = RwSignal::new(None::<Decimal>);
    let owner = RowOwner::here();
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

    let load_open = move || {
        if open.with_untracked(Option::is_some) {
            return;
        }
        let query = ReceivableListQuery {
            limit: Some(OPEN_LIMIT),
            customer_id: Some(customer_id),
            ..ReceivableListQuery::default()
        };
        spawn_local(async move {
            match api.list_receivables(&query).await {
                Ok(page) => {
                    let cur = currency.get_value();
                    let rows = page
                        .items
                        .into_iter()
                        .filter(|r| r.currency == cur && r.instalment.outstanding > Decimal::ZERO)
                        .map(|r| {
                            let row = owner.make(|| AllocRow {
                                id: r.instalment.id,
                                amount: RwSignal::new(String::new()),
                            });
                            (r, row)
                        })
                        .collect();
                    open.set(Some(rows));
                }
                Err(error) => {
                    open.set(Some(Vec::new()));
                    api.report(&error);
                }
            }
        });
    };

    // Σ typed amounts (what cannot be read counts as nothing), and the rest of the payment.
    let allocated = Memo::new(move |_| {
        open.with(|rows| {
            rows.as_ref().map_or(Decimal::ZERO, |rows| {
                rows.iter()
                    .filter_map(|(_, row)| parse_decimal(&row.amount.get()).flatten())
                    .filter(|n| *n > Decimal::ZERO)
                    .sum()
            })
        })
    });
    let unallocated = move || {
        let paid = parse_decimal(&amount.get())
            .flatten()
            .unwrap_or(Decimal::ZERO);
        paid - allocated.get()
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        alloc_error.set(None);
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
        let allocations = if manual.get_untracked() {
            let typed =
                open.with_untracked(|rows| typed_allocations(rows.as_deref().unwrap_or(&[])));
            match typed {
                Ok(list) => {
                    let sum: Decimal = list.iter().map(|a| a.amount).sum();
                    if sum > value {
                        errors.push("allocations", i18n.t(K::AllocatedMoreThanPaid));
                        return;
                    }
                    Some(list)
                }
                Err(wrong) => {
                    alloc_error.set(Some(wrong));
                    return;
                }
            }
        } else {
            None
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

    let mode = move |is_manual: bool, testid: &'static str, label: K| {
        view! {
            <label class="check">
                <input type="radio" name="pay-mode" data-testid=testid
                    prop:checked=move || manual.get() == is_manual
                    on:change=move |_| {
                        manual.set(is_manual);
                        if is_manual {
                            load_open();
                        }
                    }/>
                <span>{i18n.tr(label)}</span>
            </label>
        }
    };

    let alloc_table = move || {
        let Some(rows) = open.get() else {
            return view! { <Spinner/> }.into_any();
        };
        if rows.is_empty() {
            return view! {
                <p class="panel-empty muted" data-testid="alloc-empty">{i18n.tr(K::NoOpenInstalments)}</p>
            }
            .into_any();
        }
        let body = rows
            .into_iter()
            .enumerate()
            .map(|(i, (r, row))| {
                let inst = r.instalment;
                let outstanding = inst.outstanding;
                let overdue = inst.days_overdue > 0;
                let wrong = move || alloc_error.get().filter(|(at, _)| *at == i).map(|(_, k)| k);
                view! {
                    <tr data-testid="alloc-row" data-id=inst.id.to_string() class:row-overdue=overdue>
                        <td class="cell-mono">{r.order_number}</td>
                        <td>{inst.name}</td>
                        <td class="cell-time">{inst.due_date.map_or_else(|| "—".to_owned(), |d| d.to_string())}</td>
                        <td class="cell-num" data-testid="alloc-outstanding">{grouped(outstanding)}</td>
                        <td>
                            <input class="input input-num" data-testid=format!("alloc-amount-{i}")
                                aria-label=i18n.tr(K::AllocateAmount)
                                aria-invalid=move || if wrong().is_some() { "true" } else { "false" }
                                placeholder="0"
                                prop:value=bind::value(row.amount) on:input=bind::set(row.amount)/>
                            <button type="button" class="btn btn-link btn-sm" data-testid=format!("alloc-fill-{i}")
                                on:click=move |_| row.amount.set(plain(outstanding))>
                                {i18n.tr(K::AllocateAll)}
                            </button>
                            {move || wrong().map(|k| view! {
                                <p class="field-error" data-testid=format!("error-alloc-{i}")>{i18n.t(k)}</p>
                            })}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="alloc-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::OrderNumber)}</th>
                            <th scope="col">{i18n.tr(K::InstalmentName)}</th>
                            <th scope="col">{i18n.tr(K::DueDate)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::Outstanding)}</th>
                            <th scope="col">{i18n.tr(K::AllocateAmount)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any()
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
                    <fieldset class="field field-wide">
                        <legend class="field-label">{i18n.tr(K::AllocationMode)}</legend>
                        <div class="header-actions">
                            {mode(false, "pay-mode-auto", K::AllocateAuto)}
                            {mode(true, "pay-mode-manual", K::AllocateManual)}
                        </div>
                    </fieldset>
                    <Show when=move || manual.get()>
                        <div class="field-wide" data-testid="pay-allocations">
                            {alloc_table}
                            <p class="field-hint" data-testid="pay-unallocated">
                                {move || {
                                    let cur = currency.get_value();
                                    let rest = unallocated();
                                    format!(
                                        "{} {} · {} {}",
                                        i18n.t(K::Allocated),
                                        money(allocated.get(), &cur),
                                        i18n.t(K::UnallocatedAsCredit),
                                        money(rest.max(Decimal::ZERO), &cur),
                                    )
                                }}
                            </p>
                            {move || errors.message("allocations").map(|m| view! {
                                <p class="field-error" data-testid="error-allocations">{m}</p>
                            })}
                        </div>
                    </Show>
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
