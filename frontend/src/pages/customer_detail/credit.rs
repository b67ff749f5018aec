//! 信用额度: the customer's credit limit, what their open receivables use of it, their credit
//! from unapplied payments (预收/多付) and what is left; finance (收款 rights) sets or removes
//! the limit in place. A link leads to the customer's payments.

use crm_api_types::receivables::{CustomerCreditResponse, UpdateCustomerCreditRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::table::Spinner;
use crate::format::{money, parse_decimal, plain};
use crate::i18n::{K, use_i18n};
use crate::load::Load;

const FIELDS: [&str; 1] = ["credit_limit"];

#[component]
pub fn CreditPanel(customer_id: Uuid, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let credit = RwSignal::new(Load::<CustomerCreditResponse>::Loading);
    let editing = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let limit = RwSignal::new(String::new());
    let errors = FormErrors::new();

    spawn_local(async move {
        match api.customer_credit(customer_id).await {
            Ok(found) => credit.set(Load::Loaded(found)),
            Err(error) => {
                if !error.is_not_found() {
                    api.report(&error);
                }
                credit.set(Load::Failed);
            }
        }
    });

    let start_edit = move |_| {
        let current = credit.with_untracked(|c| match c {
            Load::Loaded(c) => c.credit_limit.map(plain).unwrap_or_default(),
            _ => String::new(),
        });
        limit.set(current);
        errors.clear();
        editing.set(true);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        // Blank removes the limit.
        let credit_limit = match parse_decimal(&limit.get_untracked()) {
            None => None,
            Some(Some(n)) if n >= Decimal::ZERO => Some(n),
            Some(_) => {
                errors.push("credit_limit", i18n.t(K::InvalidNumber));
                return;
            }
        };
        let body = UpdateCustomerCreditRequest { credit_limit };
        saving.set(true);
        spawn_local(async move {
            let result = api.set_customer_credit(customer_id, &body).await;
            saving.set(false);
            match result {
                Ok(saved) => {
                    credit.set(Load::Loaded(saved));
                    editing.set(false);
                    api.toasts.success(api.i18n.t(K::CreditLimitSaved));
                }
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let figure = move |label: K, testid: &'static str, text: String| {
        view! {
            <div class="dl-item">
                <dt>{i18n.tr(label)}</dt>
                <dd data-testid=testid>{text}</dd>
            </div>
        }
    };
    let body = move || match credit.get() {
        Load::Loading => view! { <Spinner/> }.into_any(),
        Load::NotFound | Load::Failed => {
            view! { <p class="panel-empty muted">{i18n.tr(K::UnexpectedError)}</p> }.into_any()
        }
        Load::Loaded(c) => {
            let cur = c.currency.clone();
            let limit_text = c
                .credit_limit
                .map_or_else(|| i18n.t(K::NoCreditLimit).to_owned(), |l| money(l, &cur));
            let available = c
                .available
                .map_or_else(|| "—".to_owned(), |a| money(a, &cur));
            let over = c.available.is_some_and(|a| a < Decimal::ZERO);
            view! {
                <dl class="dl" data-testid="customer-credit">
                    {figure(K::CreditLimit, "credit-limit", limit_text)}
                    // The API nets the credit off; the panel shows what is owed and the credit apart.
                    {figure(K::OpenReceivables, "credit-open", money(c.open_receivables + c.unapplied_payments, &cur))}
                    {figure(K::UnappliedCredit, "credit-unapplied", money(c.unapplied_payments, &cur))}
                    <div class="dl-item">
                        <dt>{i18n.tr(K::CreditAvailable)}</dt>
                        <dd data-testid="credit-available" class:text-danger=over>{available}</dd>
                    </div>
                </dl>
            }
            .into_any()
        }
    };

    view! {
        <section class="card" aria-labelledby="customer-credit-title" data-testid="credit-panel">
            <h2 class="card-title" id="customer-credit-title">
                <Icon name=IconName::Receivables/>
                <span>{i18n.tr(K::CreditLimit)}</span>
                <span class="toolbar-spacer"></span>
                <a class="btn btn-link btn-sm" href=format!("/receivables/payments?customer_id={customer_id}") data-testid="customer-payments-link">
                    {i18n.tr(K::PaymentsTitle)}
                </a>
                {can_edit.then(|| view! {
                    <Show when=move || !editing.get()>
                        <button type="button" class="btn btn-secondary btn-sm" data-testid="credit-edit" on:click=start_edit>
                            <Icon name=IconName::Edit/>
                            <span>{i18n.tr(K::Edit)}</span>
                        </button>
                    </Show>
                })}
            </h2>
            {body}
            <Show when=move || editing.get()>
                <form class="form row-editor" novalidate=true on:submit=on_submit data-testid="credit-form">
                    <TextField label=K::CreditLimitCny name="credit_limit" prefix="credit" value=limit errors
                        input_type="number" hint=Some(K::CreditLimitHint) autofocus=true/>
                    <div class="header-actions">
                        <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| editing.set(false)>
                            {i18n.tr(K::Cancel)}
                        </button>
                        <button type="submit" class="btn btn-primary btn-sm" data-testid="credit-save" disabled=move || saving.get()>
                            {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
