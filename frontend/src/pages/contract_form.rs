//! 新建合同 (`/contracts/new?customer_id=…`) and editing a draft (`/contracts/{id}/edit`): the
//! customer, title, dates (签订, 生效, 到期), currency, terms and the lines (the quote editor's
//! grid: a product or free text, quantity, price, discount, VAT rate). The server prices
//! lines left without a price from the customer's price lists; the contract page shows the
//! result.
//!
//! Only a draft is edited (once submitted, a contract keeps what was approved); its customer
//! and currency stay. Saving sends what changed (the lines whole, if any changed) with
//! `If-Match`: a contract changed meanwhile is refused (412) and the stale warning shown.

use chrono::NaiveDate;
use crm_api_types::FieldError;
use crm_api_types::contracts::{
    ContractResponse, ContractStatus, CreateContractRequest, UpdateContractRequest,
};
use crm_api_types::customers::CustomerResponse;
use crm_api_types::identity::Permission;
use crm_api_types::quotes::{QuoteLineRequest, QuoteLineResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::HashMap;
use uuid::Uuid;

use crate::api::{ApiError, use_api};
use crate::components::customer_picker::CustomerPicker;
use crate::components::editor_page::{Editing, EditorHome, EditorPage, is_empty_update};
use crate::components::form_field::{
    Field, FormErrors, SelectField, TextAreaField, TextField, currency_options,
};
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::StaleWarning;
use crate::format::non_blank;
use crate::i18n::{I18n, K, use_i18n};
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

/// Who may enter contracts, and where the form's notices lead.
const HOME: EditorHome = EditorHome::new(
    Permission::ContractWrite,
    "/contracts",
    K::BackToContracts,
    K::ContractNotFound,
)
.not_found_testid("contract-not-found");

#[component]
pub fn ContractCreatePage() -> impl IntoView {
    view! { <EditorPage home=HOME form=|contract_id| view! { <ContractForm contract_id/> }/> }
}

#[component]
pub fn ContractEditPage() -> impl IntoView {
    view! { <EditorPage home=HOME edit=true form=|contract_id| view! { <ContractForm contract_id/> }/> }
}

/// The header as typed.
#[derive(Debug, Clone, Copy)]
struct Header {
    customer: RwSignal<Option<(Uuid, String)>>,
    title: RwSignal<String>,
    currency: RwSignal<String>,
    signed_on: RwSignal<String>,
    starts_on: RwSignal<String>,
    ends_on: RwSignal<String>,
    payment_terms: RwSignal<String>,
    delivery_terms: RwSignal<String>,
    terms: RwSignal<String>,
}

impl Header {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            customer: RwSignal::new(None),
            title: s(),
            currency: RwSignal::new("CNY".to_owned()),
            signed_on: s(),
            starts_on: s(),
            ends_on: s(),
            payment_terms: s(),
            delivery_terms: s(),
            terms: s(),
        }
    }

    fn load(self, c: &ContractResponse) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let s = &c.summary;
        self.customer
            .set(Some((s.customer_id, s.customer_name.clone())));
        self.title.set(s.title.clone());
        self.currency.set(s.currency.clone());
        self.signed_on.set(date(s.signed_on));
        self.starts_on.set(date(s.starts_on));
        self.ends_on.set(date(s.ends_on));
        self.payment_terms.set(text(&c.payment_terms));
        self.delivery_terms.set(text(&c.delivery_terms));
        self.terms.set(text(&c.terms));
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

/// The form as a create request, with the grid row of each line sent, or what was typed
/// wrong.
fn draft(
    header: Header,
    lines: Lines,
    i18n: I18n,
) -> Result<(CreateContractRequest, Vec<usize>), Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut date = |signal: RwSignal<String>, field: &str| match non_blank(&signal.get_untracked())
    {
        None => None,
        Some(day) => {
            let parsed = day.parse::<NaiveDate>().ok();
            if parsed.is_none() {
                problems.push(problem(field, i18n.t(K::InvalidDate)));
            }
            parsed
        }
    };
    let signed_on = date(header.signed_on, "signed_on");
    let starts_on = date(header.starts_on, "starts_on");
    let ends_on = date(header.ends_on, "ends_on");
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
    let customer_id = header.customer.get_untracked().map(|(id, _)| id);
    if customer_id.is_none() {
        problems.push(problem("customer_id", i18n.t(K::ValueRequired)));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let text = |s: RwSignal<String>| non_blank(&s.get_untracked());
    let request = CreateContractRequest {
        customer_id,
        title: text(header.title),
        currency: text(header.currency),
        signed_on,
        starts_on,
        ends_on,
        payment_terms: text(header.payment_terms),
        delivery_terms: text(header.delivery_terms),
        terms: text(header.terms),
        lines: Some(sent),
        ..CreateContractRequest::default()
    };
    Ok((request, sent_rows))
}

/// Only what differs from `loaded` (a cleared field as `null`); `lines` only when they
/// changed. A blank title is sent blank, for the server to refuse.
fn to_update(
    request: CreateContractRequest,
    loaded: &ContractResponse,
    loaded_lines: &[QuoteLineRequest],
) -> UpdateContractRequest {
    let s = &loaded.summary;
    let optional = |new: Option<String>, old: &Option<String>| {
        let old = old.as_deref().and_then(non_blank);
        (new != old).then_some(new)
    };
    let date = |new: Option<NaiveDate>, old: Option<NaiveDate>| (new != old).then_some(new);
    let title = request.title.unwrap_or_default();
    UpdateContractRequest {
        title: (title != s.title).then_some(title),
        signed_on: date(request.signed_on, s.signed_on),
        starts_on: date(request.starts_on, s.starts_on),
        ends_on: date(request.ends_on, s.ends_on),
        payment_terms: optional(request.payment_terms, &loaded.payment_terms),
        delivery_terms: optional(request.delivery_terms, &loaded.delivery_terms),
        terms: optional(request.terms, &loaded.terms),
        lines: request
            .lines
            .filter(|lines| lines.as_slice() != loaded_lines),
        ..UpdateContractRequest::default()
    }
}

#[component]
fn ContractForm(contract_id: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let errors = FormErrors::new();
    let header = Header::new();
    let lines = Lines::new();
    // No live preview here: the grid shows what was typed.
    let priced = RwSignal::new(HashMap::<u64, QuoteLineResponse>::new());
    let editing = Editing::<ContractResponse>::new(contract_id);
    let Editing { loaded, stale, .. } = editing;
    let loaded_lines = StoredValue::new(Vec::<QuoteLineRequest>::new());
    let saving = RwSignal::new(false);

    let load = move || {
        editing.load(
            api,
            contract_id,
            errors,
            |id| api.get_contract(id),
            move |contract| {
                header.load(contract);
                lines.load(&contract.lines);
                loaded_lines.set_value(lines.requests());
            },
        );
    };
    load();

    if contract_id.is_none()
        && let Some(customer_id) = use_query_map()
            .with_untracked(|q| q.get("customer_id").and_then(|id| id.parse::<Uuid>().ok()))
    {
        spawn_local(async move {
            if let Ok(found) = api.get_customer(customer_id).await {
                header
                    .customer
                    .set(Some((found.value.id, found.value.name)));
            }
        });
    }

    // Submitted (or further on): what was approved stays.
    let locked = Memo::new(move |_| {
        loaded.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.value.summary.status != ContractStatus::Draft)
        })
    });

    let on_failure = move |error: ApiError, sent_rows: Vec<usize>| {
        let mapped = to_rows(error.field_errors(), &sent_rows);
        editing.failed(api, &error, mapped, &FIELDS, errors);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() || locked.get_untracked() {
            return;
        }
        errors.clear();
        let (request, sent_rows) = match draft(header, lines, i18n) {
            Ok(draft) => draft,
            Err(problems) => return errors.set(problems),
        };
        let navigate = navigate.clone();
        match (contract_id, loaded.get_untracked()) {
            (None, _) => {
                saving.set(true);
                spawn_local(async move {
                    let result = api.create_contract(&request).await;
                    saving.set(false);
                    match result {
                        Ok(contract) => open_created_contract(api, navigate, &contract),
                        Err(error) => on_failure(error, sent_rows),
                    }
                });
            }
            (Some(id), Some(found)) => {
                let update = loaded_lines.with_value(|old| to_update(request, &found.value, old));
                let open = move |message: K| {
                    api.toasts.success(api.i18n.t(message));
                    navigate(&format!("/contracts/{id}"), Default::default());
                };
                if is_empty_update(&update) {
                    open(K::NoChanges);
                    return;
                }
                saving.set(true);
                spawn_local(async move {
                    let result = api.update_contract(id, found.version, &update).await;
                    saving.set(false);
                    match result {
                        Ok(_) => open(K::ContractSaved),
                        Err(error) => on_failure(error, sent_rows),
                    }
                });
            }
            (Some(_), None) => {}
        }
    };

    let currency_options = currency_options(header.currency);
    let customer_field = move || {
        let control = match (header.customer.get(), contract_id) {
            (Some((id, name)), Some(_)) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="contract-customer">{name}</a>
                </div>
            }
            .into_any(),
            (Some((id, name)), None) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="contract-customer">{name}</a>
                    <button type="button" class="btn btn-link btn-sm" data-testid="contract-customer-clear" on:click=move |_| header.customer.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
            }
            .into_any(),
            (None, _) => view! {
                <CustomerPicker testid="contract-customer_id" exclude=None
                    on_pick=Callback::new(move |c: CustomerResponse| header.customer.set(Some((c.id, c.name))))/>
            }
            .into_any(),
        };
        view! {
            <Field label=K::FieldCustomer name="customer_id" input_id="contract-customer_id".to_owned() errors required=true>
                {control}
            </Field>
        }
    };

    let back_href = move || match contract_id {
        Some(id) => format!("/contracts/{id}"),
        None => "/contracts".to_owned(),
    };
    let back_label = if contract_id.is_some() {
        K::Back
    } else {
        K::BackToContracts
    };
    let title = move || match (contract_id, loaded.get()) {
        (None, _) => i18n.t(K::NewContract).to_owned(),
        (Some(_), Some(found)) => {
            format!("{} {}", i18n.t(K::EditContract), found.value.summary.number)
        }
        (Some(_), None) => i18n.t(K::EditContract).to_owned(),
    };

    let form = move || {
        match HOME.notice(editing.state.get()) {
        Some(notice) => notice,
        None => view! {
            <form class="quote-editor" novalidate=true on:submit=on_submit.clone() data-testid="contract-form">
                {move || stale.get().then(|| view! { <StaleWarning on_reload=Callback::new(move |()| load())/> })}
                <Show when=move || locked.get()>
                    <div class="alert alert-error" role="alert" data-testid="contract-not-editable">
                        <Icon name=IconName::Lock/>
                        <div class="alert-body"><p>{i18n.tr(K::ContractNotEditable)}</p></div>
                    </div>
                </Show>
                <section class="card form">
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionCustomer)}</legend>
                        <div class="form-grid">
                            {customer_field}
                            <TextField label=K::ContractName name="title" prefix="contract" value=header.title errors placeholder=K::ContractTitlePlaceholder/>
                        </div>
                    </fieldset>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionTerms)}</legend>
                        <div class="form-grid form-grid-3">
                            <TextField label=K::SignedOn name="signed_on" prefix="contract" value=header.signed_on errors input_type="date"/>
                            <TextField label=K::StartsOn name="starts_on" prefix="contract" value=header.starts_on errors input_type="date"/>
                            <TextField label=K::EndsOn name="ends_on" prefix="contract" value=header.ends_on errors input_type="date"/>
                            <SelectField label=K::FieldCurrency name="currency" prefix="contract" value=header.currency errors options=currency_options
                                disabled=Signal::derive(move || contract_id.is_some())/>
                            <TextField label=K::PaymentTerms name="payment_terms" prefix="contract" value=header.payment_terms errors placeholder=K::PaymentTermsPlaceholder/>
                            <TextField label=K::DeliveryTerms name="delivery_terms" prefix="contract" value=header.delivery_terms errors placeholder=K::DeliveryTermsPlaceholder/>
                            <TextAreaField label=K::ContractTerms name="terms" prefix="contract" value=header.terms errors wide=true/>
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
                    <a class="btn btn-secondary" href=back_href data-testid="contract-form-cancel">{i18n.tr(K::Cancel)}</a>
                    <button type="submit" class="btn btn-primary" data-testid="contract-save" disabled=move || saving.get() || locked.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Save) }}
                    </button>
                </footer>
            </form>
        }
        .into_any(),
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href=back_href>
                <Icon name=IconName::Back/>
                <span>{i18n.tr(back_label)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1 data-testid="contract-form-title">{title}</h1>
                </div>
            </header>
            {form}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_rows_of_sent_lines_take_the_servers_line_errors() {
        let error = |field: &str| FieldError {
            field: field.to_owned(),
            code: "invalid".to_owned(),
            message: String::new(),
        };
        let mapped = to_rows(&[error("lines[1].quantity"), error("title")], &[0, 2]);
        let fields: Vec<&str> = mapped.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["lines[2].quantity", "title"]);
    }
}
