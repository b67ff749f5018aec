//! Converting a qualified lead: first the duplicate check on the lead's company, mobile and
//! email; then the user either creates a new customer (name and credit code editable) or
//! converts into one of the matches they may see. A match they may not see shows only a
//! masked name and where it sits; creating a duplicate of it is refused (409), and the
//! dialog says so. The conversion may also open an opportunity for the customer.

use chrono::NaiveDate;
use crm_api_types::customers::{DuplicateCheckQuery, DuplicateMatch};
use crm_api_types::leads::{
    ConvertLeadRequest, ConvertLeadResponse, ConvertOpportunityRequest, LeadResponse,
};
use crm_api_types::opportunities::OpportunityKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::duplicates::{DuplicateAlert, DuplicateCheck, MatchLine, blocks_create};
use crate::components::form_field::{FormErrors, SelectField, TextField, scroll_to_testid};
use crate::components::modal::Modal;
use crate::components::table::Spinner;
use crate::format::{non_blank, parse_decimal};
use crate::i18n::{K, opportunity_kind_key, use_i18n};

const FIELDS: [&str; 8] = [
    "customer_name",
    "credit_code",
    "existing_customer_id",
    "create_contact",
    "opportunity.name",
    "opportunity.amount",
    "opportunity.expected_close_date",
    "opportunity.kind",
];

/// Where the lead goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    NewCustomer,
    Existing(Uuid),
}

#[component]
pub fn ConvertDialog(
    lead: LeadResponse,
    on_converted: Callback<ConvertLeadResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let check = DuplicateCheck::new();
    let customer_name = RwSignal::new(lead.company_name.clone());
    let credit_code = RwSignal::new(String::new());
    let create_contact = RwSignal::new(true);
    let create_opportunity = RwSignal::new(false);
    let opportunity_name = RwSignal::new(lead.company_name.clone());
    let opportunity_amount = RwSignal::new(String::new());
    let opportunity_close = RwSignal::new(String::new());
    let opportunity_kind = RwSignal::new(OpportunityKind::Simple.as_str().to_owned());
    // What the user picked; until then "new" is assumed only when nothing blocks it.
    let picked = RwSignal::new(None::<Target>);
    let refused = RwSignal::new(Vec::<DuplicateMatch>::new());
    let saving = RwSignal::new(false);
    let lead_id = lead.id;
    let (mobile, email) = (lead.mobile.clone(), lead.email.clone());

    // The check follows the new customer's name and credit code as they are edited.
    Effect::new(move |previous: Option<()>| {
        let query = DuplicateCheckQuery {
            name: Some(customer_name.get()),
            credit_code: Some(credit_code.get()),
            phone: mobile.clone(),
            email: email.clone(),
            exclude_id: None,
        };
        if previous.is_none() {
            check.run(api, query);
        } else {
            check.schedule(api, query);
        }
    });

    let target = Memo::new(move |_| {
        picked
            .get()
            .or_else(|| (!check.checking.get() && !check.blocks()).then_some(Target::NewCustomer))
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let Some(target) = target.get_untracked() else {
            errors.push("existing_customer_id", i18n.t(K::ConvertChoose));
            return;
        };
        let opportunity = if create_opportunity.get_untracked() {
            let name = opportunity_name.get_untracked().trim().to_owned();
            if name.is_empty() {
                errors.push("opportunity.name", i18n.t(K::ValueRequired));
            }
            let amount = parse_decimal(&opportunity_amount.get_untracked());
            if amount == Some(None) {
                errors.push("opportunity.amount", i18n.t(K::InvalidNumber));
            }
            let close = opportunity_close.get_untracked().parse::<NaiveDate>().ok();
            if close.is_none() {
                errors.push("opportunity.expected_close_date", i18n.t(K::ValueRequired));
            }
            let Some(expected_close_date) = close.filter(|_| errors.is_empty()) else {
                return;
            };
            Some(ConvertOpportunityRequest {
                name,
                amount: amount.flatten(),
                expected_close_date,
                kind: OpportunityKind::parse(&opportunity_kind.get_untracked()),
            })
        } else {
            None
        };
        let request = match target {
            Target::NewCustomer => ConvertLeadRequest {
                existing_customer_id: None,
                customer_name: non_blank(&customer_name.get_untracked()),
                credit_code: non_blank(&credit_code.get_untracked()).map(|c| c.to_uppercase()),
                create_contact: Some(create_contact.get_untracked()),
                opportunity,
            },
            Target::Existing(id) => ConvertLeadRequest {
                existing_customer_id: Some(id),
                create_contact: Some(create_contact.get_untracked()),
                opportunity,
                ..ConvertLeadRequest::default()
            },
        };
        refused.set(Vec::new());
        saving.set(true);
        spawn_local(async move {
            let result = api.convert_lead(lead_id, &request).await;
            saving.set(false);
            match result {
                Ok(converted) => on_converted.run(converted),
                Err(error) if error.code() == Some("customer_duplicate") => {
                    refused.set(error.duplicates().to_vec());
                    picked.set(None);
                    scroll_to_testid("duplicate-warning");
                }
                Err(error) => {
                    if !errors.absorb(&error, &FIELDS) {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let match_row = move |m: DuplicateMatch| match (m.visible, m.customer_id) {
        (true, Some(id)) => view! {
            <li>
                <label class="check match-choice">
                    <input
                        type="radio"
                        name="convert-target"
                        data-testid="convert-pick"
                        data-id=id.to_string()
                        prop:checked=move || target.get() == Some(Target::Existing(id))
                        on:change=move |_| picked.set(Some(Target::Existing(id)))
                    />
                    <MatchLine m/>
                </label>
            </li>
        }
        .into_any(),
        _ => view! { <li class="match-masked-row"><MatchLine m/></li> }.into_any(),
    };
    let matches = move || {
        let exact = check.exact.get();
        let similar = check.similar.get();
        if check.checking.get() && exact.is_empty() && similar.is_empty() {
            return view! { <Spinner/> }.into_any();
        }
        if exact.is_empty() && similar.is_empty() {
            return view! { <p class="muted" data-testid="convert-no-matches">{i18n.tr(K::ConvertNoMatches)}</p> }
                .into_any();
        }
        let blocking = exact.iter().any(|m| blocks_create(m.reason));
        let pickable = exact.iter().chain(&similar).any(|m| m.visible);
        view! {
            <div class="convert-matches" data-testid="convert-matches">
                {pickable.then(|| view! { <p class="field-hint">{i18n.tr(K::ConvertPickHint)}</p> })}
                {(!exact.is_empty()).then(|| view! {
                    <div class="match-group" class:is-blocking=blocking>
                        <strong>{i18n.tr(K::DuplicateExactTitle)}</strong>
                        <ul class="match-list">{exact.into_iter().map(match_row).collect_view()}</ul>
                    </div>
                })}
                {(!similar.is_empty()).then(|| view! {
                    <div class="match-group">
                        <strong>{i18n.tr(K::DuplicateSimilarTitle)}</strong>
                        <ul class="match-list">{similar.into_iter().map(match_row).collect_view()}</ul>
                    </div>
                })}
            </div>
        }
        .into_any()
    };

    view! {
        <Modal title=Signal::derive(move || i18n.t(K::ConvertTitle).to_owned()) on_close testid="convert-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body convert-body">
                    <p class="muted">{i18n.tr(K::ConvertHint)}</p>
                    <Show when=move || refused.with(|r| !r.is_empty())>
                        <DuplicateAlert
                            title=K::DuplicateRefusedTitle
                            body=Some(K::DuplicateRefusedBody)
                            matches=refused
                            error=true
                            testid="duplicate-warning"
                        />
                    </Show>
                    <section class="convert-section">
                        <h3>{i18n.tr(K::ConvertUseExisting)}</h3>
                        {matches}
                    </section>
                    <section class="convert-section">
                        <label class="check">
                            <input
                                type="radio"
                                name="convert-target"
                                data-testid="convert-new"
                                prop:checked=move || target.get() == Some(Target::NewCustomer)
                                on:change=move |_| picked.set(Some(Target::NewCustomer))
                            />
                            <strong>{i18n.tr(K::ConvertCreateNew)}</strong>
                        </label>
                        <div class="form-grid">
                            <TextField
                                label=K::FieldCustomerName
                                name="customer_name"
                                prefix="convert"
                                value=customer_name
                                errors
                                disabled=Signal::derive(move || target.get() != Some(Target::NewCustomer))
                            />
                            <TextField
                                label=K::FieldCreditCode
                                name="credit_code"
                                prefix="convert"
                                value=credit_code
                                errors
                                example="91320500MA1MXXXX0X"
                                disabled=Signal::derive(move || target.get() != Some(Target::NewCustomer))
                            />
                        </div>
                    </section>
                    <label class="check">
                        <input
                            type="checkbox"
                            data-testid="convert-create_contact"
                            prop:checked=move || create_contact.get()
                            on:change=move |ev| create_contact.set(event_target_checked(&ev))
                        />
                        <span>{i18n.tr(K::ConvertCreateContact)}</span>
                    </label>
                    <section class="convert-section">
                        <label class="check">
                            <input
                                type="checkbox"
                                data-testid="convert-create_opportunity"
                                prop:checked=move || create_opportunity.get()
                                on:change=move |ev| create_opportunity.set(event_target_checked(&ev))
                            />
                            <span>{i18n.tr(K::ConvertCreateOpportunity)}</span>
                        </label>
                        <Show when=move || create_opportunity.get()>
                            <div class="form-grid">
                                <TextField label=K::FieldOpportunityName name="opportunity.name" prefix="convert" value=opportunity_name errors required=true wide=true/>
                                <TextField label=K::FieldAmount name="opportunity.amount" prefix="convert" value=opportunity_amount errors input_type="number"/>
                                <TextField label=K::FieldExpectedClose name="opportunity.expected_close_date" prefix="convert" value=opportunity_close errors input_type="date" required=true/>
                                <SelectField label=K::FieldOpportunityKind name="opportunity.kind" prefix="convert" value=opportunity_kind errors options=Signal::derive(move || {
                                    OpportunityKind::ALL.iter().map(|k| (k.as_str().to_owned(), i18n.t(opportunity_kind_key(*k)).to_owned())).collect()
                                })/>
                            </div>
                        </Show>
                    </section>
                    {move || errors.message("existing_customer_id").map(|message| view! {
                        <p class="field-error" data-testid="error-existing_customer_id">{message}</p>
                    })}
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="convert-submit" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Converting) } else { i18n.t(K::ConvertSubmit) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
