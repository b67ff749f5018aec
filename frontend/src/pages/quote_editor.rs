//! Creating and editing a quote (`/quotes/new?opportunity_id=…|customer_id=…`,
//! `/quotes/{id}/edit`): the header (customer and opportunity, contact, title, currency,
//! validity, 付款方式, 交货期, notes, internal note, 整单折扣) and the line grid.
//!
//! Every change asks `POST /quotes/preview` (after a short pause in typing) what the server
//! makes of the quote: its prices, amounts and totals are shown as the server computed them,
//! and its field errors appear under the lines they name. Saving is a POST, or a PATCH with
//! `If-Match` that sends only what changed (an unchanged line list is left out, so editing
//! the internal note of an approved quote keeps it approved).

pub mod lines;

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDate;
use crm_api_types::FieldError;
use crm_api_types::customers::{ContactResponse, CustomerResponse};
use crm_api_types::identity::Permission;
use crm_api_types::opportunities::{OpportunityListQuery, OpportunitySummary};
use crm_api_types::quotes::{
    CreateQuoteRequest, QuoteLineRequest, QuoteLineResponse, QuotePreviewResponse, QuoteResponse,
    QuoteStatus, UpdateQuoteRequest,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

use crate::api::{ApiError, use_api};
use crate::auth::use_session;
use crate::components::customer_picker::CustomerPicker;
use crate::components::editor_page::{Editing, EditorHome, EditorPage, LoadState, is_empty_update};
use crate::components::form_field::{
    Field, FormErrors, SelectField, TextAreaField, TextField, currency_options,
};
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::StaleWarning;
use crate::components::quote_totals::QuoteTotalsList;
use crate::format::{non_blank, parse_decimal, plain};
use crate::i18n::{I18n, K, use_i18n};
use crate::pages::quotes::{quote_number, use_quote_list_state};

use lines::{LineGrid, Lines};

/// The header fields the form shows errors for (line errors are `lines[i].…`).
const FIELDS: [&str; 12] = [
    "customer_id",
    "opportunity_id",
    "contact_id",
    "title",
    "currency",
    "valid_until",
    "payment_terms",
    "delivery_terms",
    "notes",
    "internal_note",
    "header_discount_percent",
    "lines",
];
const PREVIEW_DELAY: Duration = Duration::from_millis(300);
/// How many of a customer's opportunities the picker offers.
const OPPORTUNITIES: u32 = 50;

/// The header as typed.
#[derive(Debug, Clone, Copy)]
struct Header {
    customer: RwSignal<Option<(Uuid, String)>>,
    /// The opportunity's id (a select's value; empty for none).
    opportunity_id: RwSignal<String>,
    contact_id: RwSignal<String>,
    title: RwSignal<String>,
    currency: RwSignal<String>,
    valid_until: RwSignal<String>,
    payment_terms: RwSignal<String>,
    delivery_terms: RwSignal<String>,
    notes: RwSignal<String>,
    internal_note: RwSignal<String>,
    header_discount: RwSignal<String>,
}

impl Header {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            customer: RwSignal::new(None),
            opportunity_id: s(),
            contact_id: s(),
            title: s(),
            currency: RwSignal::new("CNY".to_owned()),
            valid_until: s(),
            payment_terms: s(),
            delivery_terms: s(),
            notes: s(),
            internal_note: s(),
            header_discount: s(),
        }
    }

    fn load(self, q: &QuoteResponse) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let s = &q.summary;
        self.customer
            .set(Some((s.customer_id, s.customer_name.clone())));
        self.opportunity_id.set(
            s.opportunity_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        self.contact_id
            .set(q.contact_id.map(|id| id.to_string()).unwrap_or_default());
        self.title.set(text(&s.title));
        self.currency.set(s.currency.clone());
        self.valid_until.set(s.valid_until.to_string());
        self.payment_terms.set(text(&q.payment_terms));
        self.delivery_terms.set(text(&q.delivery_terms));
        self.notes.set(text(&q.notes));
        self.internal_note.set(text(&q.internal_note));
        let discount = q.totals.header_discount_percent;
        self.header_discount.set(if discount.is_zero() {
            String::new()
        } else {
            plain(discount)
        });
    }

    /// Makes the running effect depend on every input.
    fn track(self) {
        self.customer.track();
        for signal in [
            self.opportunity_id,
            self.contact_id,
            self.title,
            self.currency,
            self.valid_until,
            self.payment_terms,
            self.delivery_terms,
            self.notes,
            self.internal_note,
            self.header_discount,
        ] {
            signal.track();
        }
    }
}

/// What the form would send, and which row each sent line came from (blank rows are left
/// out, so the server's `lines[i]` is not always the grid's row `i`).
#[derive(Debug, Clone)]
struct Draft {
    request: CreateQuoteRequest,
    rows: Vec<u64>,
}

fn problem(field: String, message: &str) -> FieldError {
    FieldError {
        field,
        code: "invalid".to_owned(),
        message: message.to_owned(),
    }
}

/// The request the form stands for, or what the user typed wrong (numbers and dates, by the
/// fields' API names, lines by their row in the grid).
fn draft(header: Header, lines: Lines, i18n: I18n) -> Result<Draft, Vec<FieldError>> {
    let mut problems = Vec::new();
    let header_discount_percent = match parse_decimal(&header.header_discount.get_untracked()) {
        None => None,
        Some(Some(n)) => Some(n),
        Some(None) => {
            problems.push(problem(
                "header_discount_percent".to_owned(),
                i18n.t(K::InvalidNumber),
            ));
            None
        }
    };
    let valid_until = match non_blank(&header.valid_until.get_untracked()) {
        None => None,
        Some(day) => {
            let parsed = day.parse::<NaiveDate>().ok();
            if parsed.is_none() {
                problems.push(problem("valid_until".to_owned(), i18n.t(K::InvalidDate)));
            }
            parsed
        }
    };
    let mut sent = Vec::new();
    let mut rows = Vec::new();
    for (i, row) in lines.rows.get_untracked().into_iter().enumerate() {
        match row.to_request() {
            Ok(Some(line)) => {
                sent.push(line);
                rows.push(row.id);
            }
            Ok(None) => {}
            Err(wrong) => problems.extend(
                wrong
                    .into_iter()
                    .map(|(field, k)| problem(format!("lines[{i}].{field}"), i18n.t(k))),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let id = |s: RwSignal<String>| s.get_untracked().parse::<Uuid>().ok();
    let text = |s: RwSignal<String>| non_blank(&s.get_untracked());
    let request = CreateQuoteRequest {
        opportunity_id: id(header.opportunity_id),
        customer_id: header.customer.get_untracked().map(|(id, _)| id),
        contact_id: id(header.contact_id),
        title: text(header.title),
        currency: text(header.currency),
        valid_until,
        payment_terms: text(header.payment_terms),
        delivery_terms: text(header.delivery_terms),
        notes: text(header.notes),
        internal_note: text(header.internal_note),
        header_discount_percent,
        lines: Some(sent),
        owner_id: None,
    };
    Ok(Draft { request, rows })
}

/// The server's `lines[k].…` as the grid's `lines[row].…`.
fn to_rows(errors: &[FieldError], sent: &[u64], lines: Lines) -> Vec<FieldError> {
    let positions: Vec<Option<usize>> = lines
        .rows
        .try_with_untracked(|rows| {
            sent.iter()
                .map(|id| rows.iter().position(|r| r.id == *id))
                .collect()
        })
        .unwrap_or_default();
    remap(errors, &positions)
}

/// `positions[k]`: the grid row the `k`-th sent line came from, if it is still there.
fn remap(errors: &[FieldError], positions: &[Option<usize>]) -> Vec<FieldError> {
    errors
        .iter()
        .filter_map(|e| {
            let Some(rest) = e.field.strip_prefix("lines[") else {
                return Some(e.clone());
            };
            let (k, tail) = rest.split_once(']')?;
            let row = (*positions.get(k.parse::<usize>().ok()?)?)?;
            Some(FieldError {
                field: format!("lines[{row}]{tail}"),
                ..e.clone()
            })
        })
        .collect()
}

/// Only what differs from `loaded`; `lines` only when they changed.
fn to_update(
    request: CreateQuoteRequest,
    loaded: &QuoteResponse,
    loaded_lines: &[QuoteLineRequest],
) -> UpdateQuoteRequest {
    let s = &loaded.summary;
    let optional = |new: Option<String>, old: &Option<String>| {
        let old = old.as_deref().and_then(non_blank);
        (new != old).then_some(new)
    };
    let discount = request.header_discount_percent.unwrap_or_default();
    UpdateQuoteRequest {
        contact_id: (request.contact_id != loaded.contact_id).then_some(request.contact_id),
        title: optional(request.title, &s.title),
        currency: request.currency.filter(|c| *c != s.currency),
        valid_until: request.valid_until.filter(|d| *d != s.valid_until),
        payment_terms: optional(request.payment_terms, &loaded.payment_terms),
        delivery_terms: optional(request.delivery_terms, &loaded.delivery_terms),
        notes: optional(request.notes, &loaded.notes),
        internal_note: optional(request.internal_note, &loaded.internal_note),
        header_discount_percent: (discount.normalize()
            != loaded.totals.header_discount_percent.normalize())
        .then_some(discount),
        lines: request
            .lines
            .filter(|lines| lines.as_slice() != loaded_lines),
        ..UpdateQuoteRequest::default()
    }
}

/// Whether the quote may be edited at all (the server says so too).
fn editable(quote: &QuoteResponse) -> bool {
    !quote.summary.superseded
        && matches!(
            quote.summary.status,
            QuoteStatus::Draft | QuoteStatus::Rejected | QuoteStatus::Approved
        )
}

/// Who may edit quotes, and where the form's notices lead.
const HOME: EditorHome = EditorHome::new(
    Permission::QuoteWrite,
    "/quotes",
    K::BackToQuotes,
    K::QuoteNotFound,
);

#[component]
pub fn QuoteCreatePage() -> impl IntoView {
    view! { <EditorPage home=HOME form=|quote_id| view! { <QuoteEditor quote_id/> }/> }
}

#[component]
pub fn QuoteEditPage() -> impl IntoView {
    view! { <EditorPage home=HOME edit=true form=|quote_id| view! { <QuoteEditor quote_id/> }/> }
}

#[component]
fn QuoteEditor(quote_id: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let list = use_quote_list_state();
    let navigate = use_navigate();

    let header = Header::new();
    let lines = Lines::new();
    let errors = FormErrors::new();
    let editing = Editing::<QuoteResponse>::new(quote_id);
    let Editing {
        loaded,
        state: load_state,
        stale,
    } = editing;
    let loaded_lines = StoredValue::new(Vec::<QuoteLineRequest>::new());
    let saving = RwSignal::new(false);
    let opportunities = RwSignal::new(Vec::<OpportunitySummary>::new());
    let contacts = RwSignal::new(Vec::<ContactResponse>::new());

    let preview = RwSignal::new(None::<QuotePreviewResponse>);
    let priced = RwSignal::new(HashMap::<u64, QuoteLineResponse>::new());
    let previewing = RwSignal::new(false);
    let preview_failed = RwSignal::new(false);
    // The shown totals are not those of the form as it is (it has errors).
    let preview_outdated = RwSignal::new(false);
    let preview_seq = StoredValue::new(0_u64);
    let preview_timer = StoredValue::new(None::<TimeoutHandle>);
    let cancel_preview = move || {
        if let Some(Some(handle)) = preview_timer.try_get_value() {
            handle.clear();
        }
        preview_seq.try_update_value(|n| *n += 1);
    };
    on_cleanup(cancel_preview);

    let load = move || {
        editing.load(
            api,
            quote_id,
            errors,
            |id| api.get_quote(id),
            move |quote| {
                header.load(quote);
                lines.load(&quote.lines);
                loaded_lines.set_value(lines.requests());
            },
        );
    };
    load();

    // Opened from an opportunity or a customer: that one is chosen already.
    let (preset_opportunity, preset_customer) = use_query_map().with_untracked(|q| {
        (
            q.get("opportunity_id")
                .and_then(|id| id.parse::<Uuid>().ok()),
            q.get("customer_id").and_then(|id| id.parse::<Uuid>().ok()),
        )
    });
    // An opportunity chosen for a new quote brings its customer, currency, name and lines.
    let taken = StoredValue::new(None::<Uuid>);
    let take_opportunity = move |id: Uuid| {
        taken.set_value(Some(id));
        spawn_local(async move {
            match api.get_opportunity(id).await {
                Ok(found) => {
                    let o = found.value;
                    header.customer.set(Some((
                        o.summary.customer_id,
                        o.summary.customer_name.clone(),
                    )));
                    header.opportunity_id.set(id.to_string());
                    header.currency.set(o.summary.currency.clone());
                    if header.title.with_untracked(|t| t.trim().is_empty()) {
                        header.title.set(o.summary.name.clone());
                    }
                    if lines.rows.with_untracked(Vec::is_empty) {
                        lines.load_opportunity(&o.lines);
                    }
                }
                Err(error) => api.report(&error),
            }
        });
    };
    if quote_id.is_none() {
        if let Some(id) = preset_opportunity {
            take_opportunity(id);
        } else if let Some(customer_id) = preset_customer {
            spawn_local(async move {
                if let Ok(found) = api.get_customer(customer_id).await {
                    header
                        .customer
                        .set(Some((found.value.id, found.value.name)));
                }
            });
        }
    }

    // The chosen customer's opportunities (new quotes) and contacts.
    Effect::new(move |previous: Option<Option<Uuid>>| {
        let customer = header.customer.with(|c| c.as_ref().map(|(id, _)| *id));
        if matches!(previous, Some(Some(p)) if Some(p) != customer) {
            header.contact_id.set(String::new());
            if quote_id.is_none() {
                header.opportunity_id.set(String::new());
            }
        }
        opportunities.set(Vec::new());
        contacts.set(Vec::new());
        if let Some(customer_id) = customer {
            if quote_id.is_none() && session.can(Permission::OpportunityRead) {
                let query = OpportunityListQuery {
                    limit: Some(OPPORTUNITIES),
                    customer_id: Some(customer_id),
                    ..OpportunityListQuery::default()
                };
                spawn_local(async move {
                    if let Ok(page) = api.list_opportunities(&query).await {
                        opportunities.set(page.items);
                    }
                });
            }
            if session.can(Permission::CustomerRead) {
                spawn_local(async move {
                    if let Ok(all) = api.customer_contacts(customer_id).await {
                        contacts.set(all);
                    }
                });
            }
        }
        customer
    });

    // Live totals: every change (after a pause) asks the server what the quote comes to.
    let send_preview = move |draft: Draft| {
        let Some(n) = preview_seq.try_get_value().map(|n| n + 1) else {
            return;
        };
        preview_seq.set_value(n);
        spawn_local(async move {
            let result = api.preview_quote(&draft.request).await;
            if preview_seq.try_get_value() != Some(n) {
                return;
            }
            previewing.set(false);
            match result {
                Ok(found) => {
                    priced.set(
                        draft
                            .rows
                            .iter()
                            .copied()
                            .zip(found.lines.iter().cloned())
                            .collect(),
                    );
                    preview.set(Some(found));
                    preview_failed.set(false);
                    preview_outdated.set(false);
                    errors.set_quietly(Vec::new());
                }
                Err(error) if error.status() == Some(422) => {
                    preview_failed.set(false);
                    preview_outdated.set(true);
                    errors.set_quietly(to_rows(error.field_errors(), &draft.rows, lines));
                }
                Err(_) => preview_failed.set(true),
            }
        });
    };
    Effect::new(move |_| {
        if load_state.get() != LoadState::Ready {
            return;
        }
        header.track();
        lines.rows.with(|rows| rows.iter().for_each(|r| r.track()));
        cancel_preview();
        match draft(header, lines, i18n) {
            Err(problems) => {
                previewing.set(false);
                preview_outdated.set(true);
                errors.set_quietly(problems);
            }
            Ok(draft)
                if draft.request.customer_id.is_none()
                    && draft.request.opportunity_id.is_none() =>
            {
                previewing.set(false);
            }
            Ok(draft) => {
                previewing.set(true);
                let handle =
                    set_timeout_with_handle(move || send_preview(draft), PREVIEW_DELAY).ok();
                preview_timer.set_value(handle);
            }
        }
    });

    let on_failure = move |error: ApiError, rows: Vec<u64>| {
        let mapped = to_rows(error.field_errors(), &rows, lines);
        editing.failed(api, &error, mapped, &FIELDS, errors);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let draft = match draft(header, lines, i18n) {
            Ok(draft) => draft,
            Err(problems) => {
                errors.set(problems);
                return;
            }
        };
        if draft.request.customer_id.is_none() && draft.request.opportunity_id.is_none() {
            errors.push("customer_id", i18n.t(K::ValueRequired));
            return;
        }
        let navigate = navigate.clone();
        let navigate_back = navigate.clone();
        let done = move |id: Uuid, message: K| {
            list.invalidate();
            api.toasts.success(api.i18n.t(message));
            navigate(&format!("/quotes/{id}"), Default::default());
        };
        let Draft { request, rows } = draft;
        match (quote_id, loaded.get_untracked()) {
            (None, _) => {
                saving.set(true);
                spawn_local(async move {
                    let result = api.create_quote(&request).await;
                    saving.set(false);
                    match result {
                        Ok(created) => done(created.summary.id, K::QuoteCreated),
                        Err(error) => on_failure(error, rows),
                    }
                });
            }
            (Some(id), Some(found)) => {
                let update = loaded_lines.with_value(|old| to_update(request, &found.value, old));
                if is_empty_update(&update) {
                    api.toasts.info(api.i18n.t(K::NoChanges));
                    navigate_back(&format!("/quotes/{id}"), Default::default());
                    return;
                }
                saving.set(true);
                spawn_local(async move {
                    let result = api.update_quote(id, found.version, &update).await;
                    saving.set(false);
                    match result {
                        Ok(saved) => done(saved.summary.id, K::QuoteSaved),
                        Err(error) => on_failure(error, rows),
                    }
                });
            }
            (Some(_), None) => {}
        }
    };

    let currency_options = currency_options(header.currency);
    let opportunity_options = Signal::derive(move || {
        opportunities
            .get()
            .into_iter()
            .map(|o| (o.id.to_string(), o.name))
            .collect()
    });
    let contact_options = Signal::derive(move || {
        contacts
            .get()
            .into_iter()
            .map(|c| (c.id.to_string(), c.name))
            .collect()
    });
    // Choosing an opportunity for a new quote takes its lines when there are none yet.
    Effect::new(move |_| {
        let chosen = header.opportunity_id.get().parse::<Uuid>().ok();
        if quote_id.is_none()
            && let Some(id) = chosen
            && taken.get_value() != Some(id)
        {
            take_opportunity(id);
        }
    });

    let customer_field = move || {
        let picked = header.customer.get();
        let control = match (picked, quote_id) {
            (Some((id, name)), Some(_)) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="quote-customer">{name}</a>
                </div>
            }
            .into_any(),
            (Some((id, name)), None) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="quote-customer">{name}</a>
                    <button type="button" class="btn btn-link btn-sm" data-testid="quote-customer-clear" on:click=move |_| header.customer.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
            }
            .into_any(),
            (None, _) => view! {
                <CustomerPicker
                    testid="quote-customer_id"
                    exclude=None
                    on_pick=Callback::new(move |c: CustomerResponse| header.customer.set(Some((c.id, c.name))))
                />
            }
            .into_any(),
        };
        view! {
            <Field label=K::FieldCustomer name="customer_id" input_id="quote-customer_id".to_owned() errors required=true>
                {control}
            </Field>
        }
    };
    let opportunity_field = move || {
        let name = loaded.with(|l| {
            l.as_ref().and_then(|l| {
                l.value
                    .summary
                    .opportunity_id
                    .zip(l.value.summary.opportunity_name.clone())
            })
        });
        match (quote_id, name) {
            (Some(_), Some((id, name))) => view! {
                <div class="field">
                    <span class="field-label">{i18n.tr(K::FieldOpportunity)}</span>
                    <div class="picked"><a href=format!("/opportunities/{id}") data-testid="quote-opportunity">{name}</a></div>
                </div>
            }
            .into_any(),
            (Some(_), None) => ().into_any(),
            (None, _) => view! {
                <SelectField label=K::FieldOpportunity name="opportunity_id" prefix="quote" value=header.opportunity_id errors
                    options=opportunity_options empty_label=K::NoOpportunity hint=Some(K::QuoteOpportunityHint)/>
            }
            .into_any(),
        }
    };

    let locked = move || loaded.with(|l| l.as_ref().is_some_and(|l| !editable(&l.value)));
    let approved = move || {
        !locked()
            && loaded.with(|l| {
                l.as_ref()
                    .is_some_and(|l| l.value.summary.status == QuoteStatus::Approved)
            })
    };
    let back_href = move || match quote_id {
        Some(id) => format!("/quotes/{id}"),
        None => "/quotes".to_owned(),
    };
    let title = move || match (quote_id, loaded.get()) {
        (None, _) => i18n.t(K::NewQuote).to_owned(),
        (Some(_), Some(found)) => format!(
            "{} {}",
            i18n.t(K::EditQuote),
            quote_number(&found.value.summary.number, found.value.summary.revision)
        ),
        (Some(_), None) => i18n.t(K::EditQuote).to_owned(),
    };
    let currency = Signal::derive(move || header.currency.get());
    let totals = Signal::derive(move || preview.with(|p| p.as_ref().map(|p| p.totals.clone())));

    let form = move || {
        match HOME.notice(load_state.get()) {
        Some(notice) => notice,
        None => view! {
            <form class="quote-editor" novalidate=true on:submit=on_submit.clone() data-testid="quote-form">
                {move || stale.get().then(|| view! { <StaleWarning on_reload=Callback::new(move |()| load())/> })}
                <Show when=approved>
                    <div class="alert alert-warning" role="note" data-testid="quote-approved-warning">
                        <Icon name=IconName::Alert/>
                        <div class="alert-body"><p>{i18n.tr(K::EditApprovedWarning)}</p></div>
                    </div>
                </Show>
                <Show when=locked>
                    <div class="alert alert-error" role="alert" data-testid="quote-not-editable">
                        <Icon name=IconName::Lock/>
                        <div class="alert-body"><p>{i18n.tr(K::QuoteNotEditable)}</p></div>
                    </div>
                </Show>
                <section class="card form">
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionCustomer)}</legend>
                        <div class="form-grid">
                            {customer_field}
                            {opportunity_field}
                            <SelectField label=K::FieldContact name="contact_id" prefix="quote" value=header.contact_id errors
                                options=contact_options empty_label=K::SelectPlaceholder/>
                            <TextField label=K::QuoteTitle name="title" prefix="quote" value=header.title errors placeholder=K::QuoteTitlePlaceholder/>
                        </div>
                    </fieldset>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionTerms)}</legend>
                        <div class="form-grid form-grid-3">
                            <SelectField label=K::FieldCurrency name="currency" prefix="quote" value=header.currency errors options=currency_options/>
                            <TextField label=K::ValidUntil name="valid_until" prefix="quote" value=header.valid_until errors input_type="date" hint=Some(K::ValidUntilHint)/>
                            <TextField label=K::HeaderDiscountPercent name="header_discount_percent" prefix="quote" value=header.header_discount errors input_type="number" example="0"/>
                            <TextField label=K::PaymentTerms name="payment_terms" prefix="quote" value=header.payment_terms errors placeholder=K::PaymentTermsPlaceholder wide=true/>
                            <TextField label=K::DeliveryTerms name="delivery_terms" prefix="quote" value=header.delivery_terms errors placeholder=K::DeliveryTermsPlaceholder/>
                        </div>
                    </fieldset>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionNotes)}</legend>
                        <div class="form-grid">
                            <TextAreaField label=K::QuoteNotes name="notes" prefix="quote" value=header.notes errors/>
                            <TextAreaField label=K::InternalNote name="internal_note" prefix="quote" value=header.internal_note errors/>
                        </div>
                    </fieldset>
                </section>
                <section class="card" aria-labelledby="quote-lines-title">
                    <h2 class="card-title" id="quote-lines-title">
                        <Icon name=IconName::Box/>
                        <span>{i18n.tr(K::Lines)}</span>
                    </h2>
                    <LineGrid lines priced errors/>
                    <div class="quote-summary">
                        <p class="muted preview-state">
                            {move || if preview_failed.get() {
                                view! { <span class="field-error" data-testid="preview-error">{i18n.tr(K::PreviewFailed)}</span> }.into_any()
                            } else if previewing.get() {
                                view! { <span data-testid="preview-pending">{i18n.tr(K::PreviewPending)}</span> }.into_any()
                            } else {
                                view! { <span>{i18n.tr(K::PreviewHint)}</span> }.into_any()
                            }}
                        </p>
                        <QuoteTotalsList totals currency stale=Signal::derive(move || previewing.get() || preview_outdated.get())/>
                    </div>
                </section>
                <footer class="form-footer">
                    <a class="btn btn-secondary" href=back_href data-testid="quote-cancel">{i18n.tr(K::Cancel)}</a>
                    <button type="submit" class="btn btn-primary" data-testid="quote-save" disabled=move || saving.get() || locked()>
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
                <span>{i18n.tr(K::Back)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1 data-testid="quote-editor-title">{title}</h1>
                </div>
            </header>
            {form}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    fn summary() -> crm_api_types::quotes::QuoteSummary {
        let at = chrono::DateTime::<chrono::Utc>::default();
        crm_api_types::quotes::QuoteSummary {
            id: Uuid::nil(),
            number: "QT-2026-000001".into(),
            revision: 1,
            title: Some("一期".into()),
            customer_id: Uuid::nil(),
            customer_name: "苏州".into(),
            opportunity_id: None,
            opportunity_name: None,
            status: QuoteStatus::Approved,
            superseded: false,
            total: Decimal::ZERO,
            currency: "CNY".into(),
            valid_until: NaiveDate::default(),
            owner_id: Uuid::nil(),
            owner_name: "李娜".into(),
            approval_id: None,
            version: 3,
            created_at: at,
            updated_at: at,
        }
    }

    fn quote() -> QuoteResponse {
        QuoteResponse {
            summary: summary(),
            contact_id: None,
            contact_name: None,
            payment_terms: Some("预付30%".into()),
            delivery_terms: None,
            notes: None,
            internal_note: None,
            lines: Vec::new(),
            totals: crm_api_types::quotes::QuoteTotals {
                lines_total: Decimal::ZERO,
                header_discount_percent: Decimal::new(30, 1),
                header_discount_amount: Decimal::ZERO,
                total_excl_vat: Decimal::ZERO,
                vat_amount: Decimal::ZERO,
                total: Decimal::ZERO,
            },
            revised_from: None,
            copied_from: None,
            sent_at: None,
            accepted_at: None,
            declined_at: None,
            decline_reason: None,
            created_by: Uuid::nil(),
        }
    }

    #[test]
    fn an_internal_note_alone_is_all_the_update_sends() {
        let loaded = quote();
        let request = CreateQuoteRequest {
            title: Some("一期".into()),
            currency: Some("CNY".into()),
            valid_until: Some(NaiveDate::default()),
            payment_terms: Some("预付30%".into()),
            internal_note: Some("客户急单".into()),
            header_discount_percent: Some(Decimal::new(3, 0)),
            lines: Some(Vec::new()),
            ..CreateQuoteRequest::default()
        };
        let update = to_update(request, &loaded, &[]);
        let json = serde_json::to_value(&update).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"internal_note": "客户急单"}));
    }

    #[test]
    fn line_errors_name_the_grid_rows() {
        let error = |field: &str| FieldError {
            field: field.to_owned(),
            code: "required".to_owned(),
            message: "必填".to_owned(),
        };
        // Row 1 was blank and not sent; row 3 was removed since.
        let positions = [Some(0), Some(2), None];
        let mapped = remap(
            &[
                error("lines[1].quantity"),
                error("lines[2].name"),
                error("title"),
                error("lines"),
            ],
            &positions,
        );
        let fields: Vec<&str> = mapped.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["lines[2].quantity", "title", "lines"]);
    }

    #[test]
    fn a_cleared_field_is_sent_as_null() {
        let loaded = quote();
        let request = CreateQuoteRequest {
            title: Some("一期".into()),
            currency: Some("CNY".into()),
            header_discount_percent: Some(Decimal::new(3, 0)),
            lines: Some(Vec::new()),
            ..CreateQuoteRequest::default()
        };
        let update = to_update(request, &loaded, &[]);
        let json = serde_json::to_value(&update).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"payment_terms": null}));
    }
}
