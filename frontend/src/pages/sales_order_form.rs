//! Entering an order directly (`/sales-orders/new?customer_id=…`) and editing one
//! (`/sales-orders/{id}/edit`): the customer, subject, customer PO (客户 PO 号), dates,
//! shipping address, terms and notes, and the lines — a product from the catalogue or free
//! text, quantity, unit price (blank: the customer's price lists) and promised date (交期;
//! blank: the default one).
//!
//! A draft takes every field (the lines are sent whole). Once submitted, an order keeps what
//! was approved: only the PO number, shipping address, internal note and the promised dates of
//! lines still to ship change (改交期); the rest of the form is read-only. Saving sends
//! `If-Match` with the version loaded, so a change made meanwhile is refused (412).

use chrono::NaiveDate;
use crm_api_types::FieldError;
use crm_api_types::customers::CustomerResponse;
use crm_api_types::identity::Permission;
use crm_api_types::products::{ProductResponse, VatRate};
use crm_api_types::sales_orders::{
    CreateSalesOrderRequest, PromisedDateChange, SalesOrderLineRequest, SalesOrderResponse,
    SalesOrderStatus, UpdateSalesOrderRequest,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::{ApiError, use_api};
use crate::bind;
use crate::components::customer_picker::CustomerPicker;
use crate::components::editor_page::{Editing, EditorHome, EditorPage, is_empty_update};
use crate::components::form_field::{
    Field, FormErrors, SelectField, TextAreaField, TextField, currency_options,
};
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::StaleWarning;
use crate::components::product_picker::ProductPicker;
use crate::format::{non_blank, parse_decimal, plain};
use crate::i18n::{I18n, K, use_i18n};
use crate::pages::sales_orders::use_sales_order_list_state;
use crate::rows::RowOwner;

/// The header fields the form shows errors for (line errors are `lines[i].…`).
const FIELDS: [&str; 13] = [
    "customer_id",
    "title",
    "currency",
    "order_date",
    "promised_date",
    "customer_po",
    "shipping_address",
    "payment_terms",
    "delivery_terms",
    "notes",
    "internal_note",
    "lines",
    "promised_dates",
];

/// The header as typed.
#[derive(Debug, Clone, Copy)]
struct Header {
    customer: RwSignal<Option<(Uuid, String)>>,
    title: RwSignal<String>,
    currency: RwSignal<String>,
    order_date: RwSignal<String>,
    promised_date: RwSignal<String>,
    customer_po: RwSignal<String>,
    shipping_address: RwSignal<String>,
    payment_terms: RwSignal<String>,
    delivery_terms: RwSignal<String>,
    notes: RwSignal<String>,
    internal_note: RwSignal<String>,
}

impl Header {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            customer: RwSignal::new(None),
            title: s(),
            currency: RwSignal::new("CNY".to_owned()),
            order_date: s(),
            promised_date: s(),
            customer_po: s(),
            shipping_address: s(),
            payment_terms: s(),
            delivery_terms: s(),
            notes: s(),
            internal_note: s(),
        }
    }

    fn load(self, o: &SalesOrderResponse) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let s = &o.summary;
        self.customer
            .set(Some((s.customer_id, s.customer_name.clone())));
        self.title.set(text(&s.title));
        self.currency.set(s.currency.clone());
        self.order_date.set(s.order_date.to_string());
        self.customer_po.set(text(&s.customer_po));
        self.shipping_address.set(text(&o.shipping_address));
        self.payment_terms.set(text(&o.payment_terms));
        self.delivery_terms.set(text(&o.delivery_terms));
        self.notes.set(text(&o.notes));
        self.internal_note.set(text(&o.internal_note));
    }
}

/// One line as typed. A loaded line keeps its id, discount and VAT rate (not on the form).
#[derive(Debug, Clone, Copy)]
struct LineRow {
    id: u64,
    line_id: Option<Uuid>,
    /// `(id, code)` of the product, for a catalogue line.
    product: StoredValue<Option<(Uuid, String)>>,
    name: RwSignal<String>,
    /// The product's name, unit and spec: the inputs' placeholders.
    hints: StoredValue<(String, String)>,
    quantity: RwSignal<String>,
    unit: RwSignal<String>,
    unit_price: RwSignal<String>,
    promised_date: RwSignal<String>,
    loaded_date: Option<NaiveDate>,
    discount_percent: Option<Decimal>,
    vat_rate: Option<VatRate>,
    /// Something is still to ship: its date may move once the order is submitted.
    open: bool,
}

type RowProblems = Vec<(&'static str, K)>;

fn parse_date(text: &str) -> Result<Option<NaiveDate>, K> {
    match non_blank(text) {
        None => Ok(None),
        Some(day) => day.parse().map(Some).map_err(|_| K::InvalidDate),
    }
}

impl LineRow {
    fn to_request(self) -> Result<SalesOrderLineRequest, RowProblems> {
        let mut problems = RowProblems::new();
        let quantity = match parse_decimal(&self.quantity.get_untracked()) {
            Some(Some(n)) => Some(n),
            None => {
                problems.push(("quantity", K::ValueRequired));
                None
            }
            Some(None) => {
                problems.push(("quantity", K::InvalidNumber));
                None
            }
        };
        let unit_price = match parse_decimal(&self.unit_price.get_untracked()) {
            Some(None) => {
                problems.push(("unit_price", K::InvalidNumber));
                None
            }
            other => other.flatten(),
        };
        let promised_date = match parse_date(&self.promised_date.get_untracked()) {
            Ok(d) => d,
            Err(k) => {
                problems.push(("promised_date", k));
                None
            }
        };
        let (Some(quantity), true) = (quantity, problems.is_empty()) else {
            return Err(problems);
        };
        let text = |s: RwSignal<String>| non_blank(&s.get_untracked());
        Ok(SalesOrderLineRequest {
            product_id: self.product.with_value(|p| p.as_ref().map(|(id, _)| *id)),
            name: text(self.name),
            quantity,
            unit: text(self.unit),
            unit_price,
            discount_percent: self.discount_percent,
            vat_rate: self.vat_rate,
            promised_date,
            ..SalesOrderLineRequest::default()
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct Lines {
    rows: RwSignal<Vec<LineRow>>,
    next_id: StoredValue<u64>,
    owner: RowOwner,
}

impl Lines {
    fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            owner: RowOwner::here(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        self,
        line_id: Option<Uuid>,
        product: Option<(Uuid, String)>,
        hints: (String, String),
        name: String,
        quantity: String,
        unit: String,
        unit_price: String,
        loaded_date: Option<NaiveDate>,
        rest: (Option<Decimal>, Option<VatRate>, bool),
    ) -> LineRow {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.owner.make(|| LineRow {
            id,
            line_id,
            product: StoredValue::new(product),
            name: RwSignal::new(name),
            hints: StoredValue::new(hints),
            quantity: RwSignal::new(quantity),
            unit: RwSignal::new(unit),
            unit_price: RwSignal::new(unit_price),
            promised_date: RwSignal::new(loaded_date.map(|d| d.to_string()).unwrap_or_default()),
            loaded_date,
            discount_percent: rest.0,
            vat_rate: rest.1,
            open: rest.2,
        })
    }

    fn add_product(self, p: ProductResponse) {
        self.add(Some((p.id, p.code)), (p.name, p.unit));
    }

    fn add_free(self) {
        self.add(None, (String::new(), String::new()));
    }

    /// A new line of one piece; price and date blank (the customer's price, the default date).
    fn add(self, product: Option<(Uuid, String)>, hints: (String, String)) {
        let row = self.row(
            None,
            product,
            hints,
            String::new(),
            "1".to_owned(),
            String::new(),
            String::new(),
            None,
            (None, None, true),
        );
        self.rows.update(|rows| rows.push(row));
    }

    fn load(self, order: &SalesOrderResponse) {
        let rows = order
            .lines
            .iter()
            .map(|l| {
                self.row(
                    Some(l.id),
                    l.product_id
                        .map(|id| (id, l.product_code.clone().unwrap_or_default())),
                    (l.name.clone(), l.unit.clone()),
                    l.name.clone(),
                    plain(l.quantity),
                    l.unit.clone(),
                    plain(l.unit_price),
                    l.promised_date,
                    (
                        Some(l.discount_percent),
                        Some(l.vat_rate),
                        l.open_quantity > Decimal::ZERO,
                    ),
                )
            })
            .collect();
        self.rows.set(rows);
    }

    fn remove(self, id: u64) {
        self.rows.update(|rows| rows.retain(|r| r.id != id));
    }
}

fn problem(field: String, message: &str) -> FieldError {
    FieldError {
        field,
        code: "invalid".to_owned(),
        message: message.to_owned(),
    }
}

/// The create request the form stands for, or what was typed wrong.
fn draft(
    header: Header,
    lines: Lines,
    i18n: I18n,
) -> Result<CreateSalesOrderRequest, Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut date = |signal: RwSignal<String>, field: &str| match parse_date(&signal.get_untracked())
    {
        Ok(d) => d,
        Err(k) => {
            problems.push(problem(field.to_owned(), i18n.t(k)));
            None
        }
    };
    let order_date = date(header.order_date, "order_date");
    let promised_date = date(header.promised_date, "promised_date");
    let mut sent = Vec::new();
    for (i, row) in lines.rows.get_untracked().into_iter().enumerate() {
        match row.to_request() {
            Ok(line) => sent.push(line),
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
    let text = |s: RwSignal<String>| non_blank(&s.get_untracked());
    Ok(CreateSalesOrderRequest {
        customer_id: header.customer.get_untracked().map(|(id, _)| id),
        title: text(header.title),
        currency: text(header.currency),
        order_date,
        customer_po: text(header.customer_po),
        shipping_address: text(header.shipping_address),
        payment_terms: text(header.payment_terms),
        delivery_terms: text(header.delivery_terms),
        notes: text(header.notes),
        internal_note: text(header.internal_note),
        promised_date,
        lines: Some(sent),
        ..CreateSalesOrderRequest::default()
    })
}

/// A draft's update: every field as on the form, `null` for a cleared one.
fn draft_update(request: CreateSalesOrderRequest) -> UpdateSalesOrderRequest {
    UpdateSalesOrderRequest {
        title: Some(request.title),
        order_date: request.order_date,
        customer_po: Some(request.customer_po),
        shipping_address: Some(request.shipping_address),
        payment_terms: Some(request.payment_terms),
        delivery_terms: Some(request.delivery_terms),
        notes: Some(request.notes),
        internal_note: Some(request.internal_note),
        lines: request.lines,
        ..UpdateSalesOrderRequest::default()
    }
}

/// A submitted order's update: what may change and did.
fn submitted_update(
    header: Header,
    lines: Lines,
    loaded: &SalesOrderResponse,
    i18n: I18n,
) -> Result<UpdateSalesOrderRequest, Vec<FieldError>> {
    let changed = |signal: RwSignal<String>, old: &Option<String>| {
        let new = non_blank(&signal.get_untracked());
        (new != old.as_deref().and_then(non_blank)).then_some(new)
    };
    let mut problems = Vec::new();
    let mut dates = Vec::new();
    for (i, row) in lines.rows.get_untracked().into_iter().enumerate() {
        let (Some(line_id), true) = (row.line_id, row.open) else {
            continue;
        };
        match parse_date(&row.promised_date.get_untracked()) {
            Ok(Some(day)) if Some(day) != row.loaded_date => dates.push(PromisedDateChange {
                line_id,
                promised_date: day,
            }),
            Ok(_) => {}
            Err(k) => problems.push(problem(format!("lines[{i}].promised_date"), i18n.t(k))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(UpdateSalesOrderRequest {
        customer_po: changed(header.customer_po, &loaded.summary.customer_po),
        shipping_address: changed(header.shipping_address, &loaded.shipping_address),
        internal_note: changed(header.internal_note, &loaded.internal_note),
        promised_dates: (!dates.is_empty()).then_some(dates),
        ..UpdateSalesOrderRequest::default()
    })
}

/// Who may edit orders, and where the form's notices lead.
const HOME: EditorHome = EditorHome::new(
    Permission::SalesOrderWrite,
    "/sales-orders",
    K::BackToOrders,
    K::OrderNotFound,
);

#[component]
pub fn SalesOrderCreatePage() -> impl IntoView {
    view! { <EditorPage home=HOME form=|order_id| view! { <OrderForm order_id/> }/> }
}

#[component]
pub fn SalesOrderEditPage() -> impl IntoView {
    view! { <EditorPage home=HOME edit=true form=|order_id| view! { <OrderForm order_id/> }/> }
}

#[component]
fn OrderForm(order_id: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let list = use_sales_order_list_state();
    let navigate = use_navigate();
    let header = Header::new();
    let lines = Lines::new();
    let errors = FormErrors::new();
    let editing = Editing::<SalesOrderResponse>::new(order_id);
    let Editing {
        loaded,
        state: load_state,
        stale,
    } = editing;
    let saving = RwSignal::new(false);

    let load = move || {
        editing.load(
            api,
            order_id,
            errors,
            |id| api.get_sales_order(id),
            move |order| {
                header.load(order);
                lines.load(order);
            },
        );
    };
    load();

    // A new order opened from a customer has that customer chosen.
    let pick = move |c: CustomerResponse| {
        if header
            .shipping_address
            .with_untracked(|a| a.trim().is_empty())
            && let Some(address) = c.address.clone()
        {
            header.shipping_address.set(address);
        }
        header.customer.set(Some((c.id, c.name)));
    };
    if order_id.is_none()
        && let Some(customer_id) = use_query_map()
            .with_untracked(|q| q.get("customer_id").and_then(|id| id.parse::<Uuid>().ok()))
    {
        spawn_local(async move {
            if let Ok(found) = api.get_customer(customer_id).await {
                pick(found.value);
            }
        });
    }

    // Submitted: only the PO, address, internal note and open lines' dates change.
    let locked = Memo::new(move |_| {
        loaded.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.value.summary.status != SalesOrderStatus::Draft)
        })
    });

    let on_failure = move |error: ApiError| {
        editing.failed(api, &error, error.field_errors().to_vec(), &FIELDS, errors);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let navigate = navigate.clone();
        let done = move |id: Uuid, message: K| {
            list.invalidate();
            api.toasts.success(api.i18n.t(message));
            navigate(&format!("/sales-orders/{id}"), Default::default());
        };
        match (order_id, loaded.get_untracked()) {
            (None, _) => {
                let request = match draft(header, lines, i18n) {
                    Ok(r) => r,
                    Err(problems) => return errors.set(problems),
                };
                if request.customer_id.is_none() {
                    errors.push("customer_id", i18n.t(K::ValueRequired));
                    return;
                }
                saving.set(true);
                spawn_local(async move {
                    let result = api.create_sales_order(&request).await;
                    saving.set(false);
                    match result {
                        Ok(created) => done(created.summary.id, K::OrderCreated),
                        Err(error) => on_failure(error),
                    }
                });
            }
            (Some(id), Some(found)) => {
                let update = if locked.get_untracked() {
                    submitted_update(header, lines, &found.value, i18n)
                } else {
                    draft(header, lines, i18n).map(draft_update)
                };
                let update = match update {
                    Ok(u) => u,
                    Err(problems) => return errors.set(problems),
                };
                if is_empty_update(&update) {
                    done(id, K::NoChanges);
                    return;
                }
                saving.set(true);
                spawn_local(async move {
                    let result = api.update_sales_order(id, found.version, &update).await;
                    saving.set(false);
                    match result {
                        Ok(saved) => done(saved.summary.id, K::OrderSaved),
                        Err(error) => on_failure(error),
                    }
                });
            }
            (Some(_), None) => {}
        }
    };

    let currency_options = currency_options(header.currency);
    let customer_field = move || {
        let control = match (header.customer.get(), order_id) {
            (Some((id, name)), Some(_)) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="order-customer">{name}</a>
                </div>
            }
            .into_any(),
            (Some((id, name)), None) => view! {
                <div class="picked">
                    <a href=format!("/customers/{id}") data-testid="order-customer">{name}</a>
                    <button type="button" class="btn btn-link btn-sm" data-testid="order-customer-clear" on:click=move |_| header.customer.set(None)>
                        {i18n.tr(K::ClearChoice)}
                    </button>
                </div>
            }
            .into_any(),
            (None, _) => view! {
                <CustomerPicker testid="order-customer_id" exclude=None on_pick=Callback::new(pick)/>
            }
            .into_any(),
        };
        view! {
            <Field label=K::FieldCustomer name="customer_id" input_id="order-customer_id".to_owned() errors required=true>
                {control}
            </Field>
        }
    };

    let row_view = move |row: LineRow| {
        let id = row.id;
        let rows = lines.rows;
        let index =
            Memo::new(move |_| rows.with(|rows| rows.iter().position(|r| r.id == id).unwrap_or(0)));
        let invalid = move |name: &'static str| {
            move || {
                let field = format!("lines[{}].{name}", index.get());
                if errors.message(&field).is_some() {
                    "true"
                } else {
                    "false"
                }
            }
        };
        let tid = move |name: &'static str| move || format!("ol-{name}-{}", index.get());
        let (name_hint, unit_hint) = row.hints.get_value();
        let code = row
            .product
            .with_value(|p| p.as_ref().map(|(_, code)| code.clone()));
        let is_product = code.is_some();
        // Submitted: only a line still to ship may move its date.
        let date_locked = move || locked.get() && !row.open;
        view! {
            <tr data-testid="order-line-row" data-index=move || index.get().to_string()>
                <td class="cell-mono line-no">{move || index.get() + 1}</td>
                <td class="line-name">
                    <div class="line-tags">
                        {code.map(|c| view! { <span class="cell-code">{c}</span> })}
                        {(!is_product).then(|| view! { <span class="badge badge-outline">{i18n.tr(K::FreeLine)}</span> })}
                    </div>
                    <input class="input" data-testid=tid("name") aria-label=i18n.tr(K::FieldProductName)
                        aria-invalid=invalid("name") placeholder=name_hint disabled=move || locked.get()
                        prop:value=bind::value(row.name) on:input=bind::set(row.name)/>
                </td>
                <td>
                    <div class="input-unit">
                        <input class="input input-num input-qty" data-testid=tid("quantity") aria-label=i18n.tr(K::FieldQuantity)
                            aria-invalid=invalid("quantity") disabled=move || locked.get()
                            prop:value=bind::value(row.quantity) on:input=bind::set(row.quantity)/>
                        <input class="input input-unit-name" data-testid=tid("unit") aria-label=i18n.tr(K::FieldUnit)
                            aria-invalid=invalid("unit") placeholder=unit_hint disabled=move || locked.get()
                            prop:value=bind::value(row.unit) on:input=bind::set(row.unit)/>
                    </div>
                </td>
                <td>
                    <input class="input input-num" data-testid=tid("unit_price") aria-label=i18n.tr(K::FieldUnitPrice)
                        aria-invalid=invalid("unit_price") placeholder=i18n.tr(K::PriceFromPriceLists) disabled=move || locked.get()
                        prop:value=bind::value(row.unit_price) on:input=bind::set(row.unit_price)/>
                </td>
                <td>
                    <input class="input" type="date" data-testid=tid("promised_date") aria-label=i18n.tr(K::PromisedDate)
                        aria-invalid=invalid("promised_date") disabled=date_locked
                        prop:value=bind::value(row.promised_date) on:input=bind::set(row.promised_date)
                        on:change=bind::set(row.promised_date)/>
                    {move || errors.all_under(&format!("lines[{}]", index.get())).into_iter().map(|e| view! {
                        <p class="field-error" data-testid=format!("error-{}", e.field)>{e.message}</p>
                    }).collect_view()}
                </td>
                <td class="cell-actions line-actions">
                    <button type="button" class="icon-button" data-testid=tid("remove") aria-label=i18n.tr(K::Remove)
                        disabled=move || locked.get() on:click=move |_| lines.remove(id)>
                        <Icon name=IconName::Trash/>
                    </button>
                </td>
            </tr>
        }
    };

    let back_href = move || match order_id {
        Some(id) => format!("/sales-orders/{id}"),
        None => "/sales-orders".to_owned(),
    };
    let title = move || match (order_id, loaded.get()) {
        (None, _) => i18n.t(K::NewOrder).to_owned(),
        (Some(_), Some(found)) => {
            format!("{} {}", i18n.t(K::EditOrder), found.value.summary.number)
        }
        (Some(_), None) => i18n.t(K::EditOrder).to_owned(),
    };
    let disabled = Signal::derive(move || locked.get());

    let form = move || {
        match HOME.notice(load_state.get()) {
        Some(notice) => notice,
        None => view! {
            <form class="quote-editor" novalidate=true on:submit=on_submit.clone() data-testid="order-form">
                {move || stale.get().then(|| view! { <StaleWarning on_reload=Callback::new(move |()| load())/> })}
                <Show when=move || locked.get()>
                    <div class="alert alert-warning" role="note" data-testid="order-locked-hint">
                        <Icon name=IconName::Lock/>
                        <div class="alert-body"><p>{i18n.tr(K::OrderSubmittedEditHint)}</p></div>
                    </div>
                </Show>
                <section class="card form">
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionCustomer)}</legend>
                        <div class="form-grid">
                            {customer_field}
                            <TextField label=K::OrderTitle name="title" prefix="order" value=header.title errors disabled/>
                            <TextField label=K::CustomerPo name="customer_po" prefix="order" value=header.customer_po errors/>
                            <TextField label=K::OrderDate name="order_date" prefix="order" value=header.order_date errors input_type="date" disabled/>
                            <TextField label=K::ShippingAddress name="shipping_address" prefix="order" value=header.shipping_address errors wide=true/>
                        </div>
                    </fieldset>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionTerms)}</legend>
                        <div class="form-grid form-grid-3">
                            <SelectField label=K::FieldCurrency name="currency" prefix="order" value=header.currency errors options=currency_options
                                disabled=Signal::derive(move || order_id.is_some())/>
                            <TextField label=K::DefaultPromisedDate name="promised_date" prefix="order" value=header.promised_date errors input_type="date"
                                disabled=Signal::derive(move || order_id.is_some())/>
                            <TextField label=K::PaymentTerms name="payment_terms" prefix="order" value=header.payment_terms errors placeholder=K::PaymentTermsPlaceholder disabled/>
                            <TextField label=K::DeliveryTerms name="delivery_terms" prefix="order" value=header.delivery_terms errors placeholder=K::DeliveryTermsPlaceholder disabled/>
                        </div>
                    </fieldset>
                    <fieldset class="form-section">
                        <legend>{i18n.tr(K::SectionNotes)}</legend>
                        <div class="form-grid">
                            <TextAreaField label=K::QuoteNotes name="notes" prefix="order" value=header.notes errors/>
                            <TextAreaField label=K::InternalNote name="internal_note" prefix="order" value=header.internal_note errors/>
                        </div>
                    </fieldset>
                </section>
                <section class="card" aria-labelledby="order-form-lines-title">
                    <h2 class="card-title" id="order-form-lines-title">
                        <Icon name=IconName::Box/>
                        <span>{i18n.tr(K::Lines)}</span>
                    </h2>
                    <div class="table-scroll">
                        <table class="table table-compact line-editor" data-testid="order-lines-editor">
                            <thead>
                                <tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{i18n.tr(K::FieldProductName)}</th>
                                    <th scope="col">{i18n.tr(K::FieldQuantity)}</th>
                                    <th scope="col">{i18n.tr(K::FieldUnitPrice)}</th>
                                    <th scope="col">{i18n.tr(K::PromisedDate)}</th>
                                    <th scope="col"><span class="visually-hidden">{i18n.tr(K::Actions)}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || lines.rows.get() key=|r| r.id children=row_view/>
                            </tbody>
                        </table>
                    </div>
                    <Show when=move || lines.rows.with(Vec::is_empty)>
                        <p class="panel-empty muted" data-testid="order-form-lines-empty">{i18n.tr(K::OrderLinesEmpty)}</p>
                    </Show>
                    {move || errors.message("lines").map(|m| view! { <p class="field-error" data-testid="error-lines">{m}</p> })}
                    {move || errors.message("promised_dates").map(|m| view! { <p class="field-error" data-testid="error-promised_dates">{m}</p> })}
                    <Show when=move || !locked.get()>
                        <div class="line-add quote-line-add">
                            <ProductPicker testid="order-line-product" on_pick=Callback::new(move |p| lines.add_product(p))/>
                            <button type="button" class="btn btn-secondary" data-testid="order-line-add" on:click=move |_| lines.add_free()>
                                <Icon name=IconName::Plus/>
                                <span>{i18n.tr(K::AddFreeLine)}</span>
                            </button>
                        </div>
                    </Show>
                    <p class="field-hint grid-hint">{i18n.tr(K::OrderLinesHint)}</p>
                </section>
                <footer class="form-footer">
                    <a class="btn btn-secondary" href=back_href data-testid="order-form-cancel">{i18n.tr(K::Cancel)}</a>
                    <button type="submit" class="btn btn-primary" data-testid="order-save" disabled=move || saving.get()>
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
                    <h1 data-testid="order-form-title">{title}</h1>
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
    fn a_draft_update_sends_cleared_fields_as_null() {
        let request = CreateSalesOrderRequest {
            customer_po: Some("PO-1".into()),
            lines: Some(Vec::new()),
            ..CreateSalesOrderRequest::default()
        };
        let json = serde_json::to_value(draft_update(request)).unwrap_or_default();
        assert_eq!(json["customer_po"], "PO-1");
        assert!(json["shipping_address"].is_null());
        assert!(json.get("promised_dates").is_none());
        assert_eq!(json["lines"], serde_json::json!([]));
    }
}
