//! 新建合同 (`/contracts/new?customer_id=…`): a draft contract entered directly — the
//! customer, title, dates (签订, 生效, 到期), currency, terms and the lines (the quote editor's
//! grid: a product or free text, quantity, price, discount, VAT rate). The server prices
//! lines left without a price from the customer's price lists; the contract page shows the
//! result.

use chrono::NaiveDate;
use crm_api_types::FieldError;
use crm_api_types::contracts::CreateContractRequest;
use crm_api_types::customers::CustomerResponse;
use crm_api_types::identity::Permission;
use crm_api_types::quotes::QuoteLineResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::HashMap;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::customer_picker::CustomerPicker;
use crate::components::form_field::{Field, FormErrors, SelectField, TextAreaField, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::format::non_blank;
use crate::i18n::{K, use_i18n};
use crate::pages::contracts::open_created_contract;
use crate::pages::quote_editor::lines::{LineGrid, Lines};

const FIELDS: [&str; 10] = [
    "customer_id",
    "title",
    "currency",
    "signed_on",
    "starts_on",
    "ends_on",
    "payment_terms",
    "delivery_terms",
    "terms",
    "lines",
];
const CURRENCIES: [&str; 4] = ["CNY", "USD", "EUR", "HKD"];

#[component]
pub fn ContractCreatePage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::ContractWrite) {
            view! { <ContractForm/> }.into_any()
        } else {
            view! { <NoPermission back_href="/contracts" back_label=K::BackToContracts/> }
                .into_any()
        }
    }
}

fn problem(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: "invalid".to_owned(),
        message: message.to_owned(),
    }
}

/// The server's `lines[k].…` (the `k`-th sent line) as the grid's row; blank rows were not
/// sent.
fn to_rows(errors: &[FieldError], sent_rows: &[usize]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            let row = e
                .field
                .strip_prefix("lines[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(k, tail)| {
                    let row = sent_rows.get(k.parse::<usize>().ok()?)?;
                    Some(format!("lines[{row}]{tail}"))
                });
            FieldError {
                field: row.unwrap_or_else(|| e.field.clone()),
                ..e.clone()
            }
        })
        .collect()
}

#[component]
fn ContractForm() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let errors = FormErrors::new();
    let lines = Lines::new();
    // No live preview here: the grid shows what was typed.
    let priced = RwSignal::new(HashMap::<u64, QuoteLineResponse>::new());
    let customer = RwSignal::new(None::<(Uuid, String)>);
    let s = || RwSignal::new(String::new());
    let (title, signed_on, starts_on, ends_on) = (s(), s(), s(), s());
    let (payment_terms, delivery_terms, terms) = (s(), s(), s());
    let currency = RwSignal::new("CNY".to_owned());
    let saving = RwSignal::new(false);

    if let Some(customer_id) = use_query_map()
        .with_untracked(|q| q.get("customer_id").and_then(|id| id.parse::<Uuid>().ok()))
    {
        spawn_local(async move {
            if let Ok(found) = api.get_customer(customer_id).await {
                customer.set(Some((found.value.id, found.value.name)));
            }
        });
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let mut problems = Vec::new();
        let mut date =
            |signal: RwSignal<String>, field: &str| match non_blank(&signal.get_untracked()) {
                None => None,
                Some(day) => {
                    let parsed = day.parse::<NaiveDate>().ok();
                    if parsed.is_none() {
                        problems.push(problem(field, i18n.t(K::InvalidDate)));
                    }
                    parsed
                }
            };
        let signed = date(signed_on, "signed_on");
        let starts = date(starts_on, "starts_on");
        let ends = date(ends_on, "ends_on");
        let mut sent = Vec::new();
        let mut sent_rows = Vec::new();
        for (i, row) in lines.rows.get_untracked().into_iter().enumerate() {
            match row.to_request() {
                Ok(Some(line)) => {
                    sent.push(line);
                    sent_rows.push(i);
                }
                Ok(None) => {}
                Err(wrong) => problems.extend(
                    wrong
                        .into_iter()
                        .map(|(field, k)| problem(&format!("lines[{i}].{field}"), i18n.t(k))),
                ),
            }
        }
        let Some((customer_id, _)) = customer.get_untracked() else {
            problems.push(problem("customer_id", i18n.t(K::ValueRequired)));
            errors.set(problems);
            return;
        };
        if !problems.is_empty() {
            errors.set(problems);
            return;
        }
        let text = |s: RwSignal<String>| non_blank(&s.get_untracked());
        let body = CreateContractRequest {
            customer_id: Some(customer_id),
            title: text(title),
            currency: text(currency),
            signed_on: signed,
            starts_on: starts,
            ends_on: ends,
            payment_terms: text(payment_terms),
            delivery_terms: text(delivery_terms),
            terms: text(terms),
            lines: Some(sent),
            ..CreateContractRequest::default()
        };
        saving.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api.create_contract(&body).await;
            saving.set(false);
            match result {
                Ok(contract) => open_created_contract(api, navigate, &contract),
                Err(error) => {
                    let mapped = to_rows(error.field_errors(), &sent_rows);
                    let all_shown = !mapped.is_empty()
                        && mapped.iter().all(|e| {
                            FIELDS.contains(&e.field.as_str()) || e.field.starts_with("lines[")
                        });
                    errors.set(mapped);
                    if !all_shown {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let currency_options = Signal::derive(move || {
        CURRENCIES
            .iter()
            .map(|c| ((*c).to_owned(), (*c).to_owned()))
            .collect::<Vec<_>>()
    });
    let customer_field = move || {
        let control = match customer.get() {
            Some((id, name)) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="contract-customer">{name}</a>
                    <button type="button" class="btn btn-link btn-sm" data-testid="contract-customer-clear" on:click=move |_| customer.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
            }
            .into_any(),
            None => view! {
                <CustomerPicker testid="contract-customer_id" exclude=None
                    on_pick=Callback::new(move |c: CustomerResponse| customer.set(Some((c.id, c.name))))/>
            }
            .into_any(),
        };
        view! {
            <Field label=K::FieldCustomer name="customer_id" input_id="contract-customer_id".to_owned() errors required=true>
                {control}
            </Field>
        }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/contracts">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToContracts)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1 data-testid="contract-form-title">{i18n.tr(K::NewContract)}</h1>
                </div>
            </header>
            <form class="quote-editor" novalidate=true on:submit=on_submit data-testid="contract-form">
                <section class="card form">
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionCustomer)}</legend>
                        <div class="form-grid">
                            {customer_field}
                            <TextField label=K::ContractName name="title" prefix="contract" value=title errors placeholder=K::ContractTitlePlaceholder/>
                        </div>
                    </fieldset>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionTerms)}</legend>
                        <div class="form-grid form-grid-3">
                            <TextField label=K::SignedOn name="signed_on" prefix="contract" value=signed_on errors input_type="date"/>
                            <TextField label=K::StartsOn name="starts_on" prefix="contract" value=starts_on errors input_type="date"/>
                            <TextField label=K::EndsOn name="ends_on" prefix="contract" value=ends_on errors input_type="date"/>
                            <SelectField label=K::FieldCurrency name="currency" prefix="contract" value=currency errors options=currency_options/>
                            <TextField label=K::PaymentTerms name="payment_terms" prefix="contract" value=payment_terms errors placeholder=K::PaymentTermsPlaceholder/>
                            <TextField label=K::DeliveryTerms name="delivery_terms" prefix="contract" value=delivery_terms errors placeholder=K::DeliveryTermsPlaceholder/>
                            <TextAreaField label=K::ContractTerms name="terms" prefix="contract" value=terms errors wide=true/>
                        </div>
                    </fieldset>
                </section>
                <section class="card" aria-labelledby="contract-lines-title">
                    <h2 class="card-title" id="contract-lines-title">
                        <Icon name=IconName::Box/>
                        <span>{i18n.tr(K::Lines)}</span>
                    </h2>
                    <LineGrid lines priced errors/>
                    <p class="field-hint grid-hint">{i18n.tr(K::ContractLinesHint)}</p>
                </section>
                <footer class="form-footer">
                    <a class="btn btn-secondary" href="/contracts" data-testid="contract-form-cancel">{i18n.tr(K::Cancel)}</a>
                    <button type="submit" class="btn btn-primary" data-testid="contract-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        </div>
    }
}
