//! One contract (`/contracts/{id}`): its header and dates, terms, lines with amounts and
//! totals, the actions its state allows (提交, 履行完毕, 终止, 下单), its approval and its
//! attachments. Every action answers with the whole contract, which is drawn anew.

mod actions;

use crm_api_types::attachments::AttachmentSubject;
use crm_api_types::contracts::ContractResponse;
use crm_api_types::identity::Permission;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::approval_panel::ApprovalPanel;
use crate::components::attachments::AttachmentsPanel;
use crate::components::badges::ContractStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::{NoPermission, RecordNotFound};
use crate::components::quote_totals::QuoteTotalsList;
use crate::components::table::Spinner;
use crate::format::{grouped, local_datetime, money, or_dash, plain};
use crate::i18n::{K, use_i18n, vat_rate_label};
use crate::load::{Load, id_param};

use actions::ContractActions;

/// Told when an action changed the contract: the new contract, or `None` to fetch it again.
pub type OnChanged = Callback<Option<ContractResponse>>;

#[component]
pub fn ContractDetailPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::ContractRead) {
            view! { <ContractDetail/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn ContractDetail() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id = id_param();
    let contract = RwSignal::new(Load::<ContractResponse>::Loading);

    let fetch = move |quiet: bool| {
        let Some(id) = id.get_untracked() else {
            contract.set(Load::NotFound);
            return;
        };
        if !quiet {
            contract.set(Load::Loading);
        }
        spawn_local(async move {
            match api.get_contract(id).await {
                Ok(found) => contract.set(Load::Loaded(found.value)),
                Err(error) if error.is_not_found() => contract.set(Load::NotFound),
                Err(error) => {
                    api.report(&error);
                    contract.set(Load::Failed);
                }
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        fetch(false);
    });
    let on_changed = Callback::new(move |changed: Option<ContractResponse>| match changed {
        Some(found) => contract.set(Load::Loaded(found)),
        None => fetch(true),
    });

    let content = move || {
        match contract.get() {
        Load::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        Load::NotFound | Load::Failed => view! {
            <RecordNotFound hint=K::ContractNotFound back_href="/contracts" back_label=K::BackToContracts testid="contract-not-found"/>
        }
        .into_any(),
        Load::Loaded(found) => view! { <ContractView contract=found on_changed/> }.into_any(),
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/contracts" data-testid="back-to-contracts">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToContracts)}</span>
            </a>
            {content}
        </div>
    }
}

#[component]
fn ContractView(contract: ContractResponse, on_changed: OnChanged) -> impl IntoView {
    let i18n = use_i18n();
    let s = contract.summary.clone();
    let item = move |label: K, testid: &'static str, text: String| {
        view! {
            <div class="dl-item">
                <dt>{i18n.tr(label)}</dt>
                <dd data-testid=testid>{text}</dd>
            </div>
        }
    };
    let wide = move |label: K, testid: &'static str, text: String| {
        view! {
            <div class="dl-item dl-wide">
                <dt>{i18n.tr(label)}</dt>
                <dd class="notes" data-testid=testid>{text}</dd>
            </div>
        }
    };
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|at| local_datetime(&at));
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_owned(), |d| d.to_string());
    let figure = move |label: K, testid: &'static str, text: String| {
        view! {
            <div class="figure">
                <span class="figure-label">{i18n.tr(label)}</span>
                <span class="figure-value" data-testid=testid>{text}</span>
            </div>
        }
    };
    let totals = contract.totals.clone();
    let currency = s.currency.clone();
    let approval_id = s.approval_id;

    view! {
        <header class="page-header">
            <div>
                <h1 data-testid="contract-title">
                    <span class="cell-mono" data-testid="contract-number">{s.number.clone()}</span>
                    <ContractStatusBadge status=s.status title=true/>
                </h1>
                <p class="page-subtitle">
                    <a href=format!("/customers/{}", s.customer_id) data-testid="contract-customer-link">{s.customer_name.clone()}</a>
                    {s.quote_id.map(|id| view! {
                        " · "<a href=format!("/quotes/{id}") data-testid="contract-quote-link">{i18n.tr(K::DocumentQuote)}</a>
                    })}
                    " · "<span data-testid="contract-name">{s.title.clone()}</span>
                </p>
            </div>
            <div class="header-actions">
                <ContractActions contract=contract.clone() on_changed/>
            </div>
        </header>

        <div class="card figures" data-testid="contract-figures">
            {figure(K::ContractTotal, "contract-total", money(s.total, &s.currency))}
            {figure(K::SignedOn, "contract-signed-on", date(s.signed_on))}
            {figure(K::StartsOn, "contract-starts-on", date(s.starts_on))}
            {figure(K::EndsOn, "contract-ends-on", date(s.ends_on))}
        </div>

        <div class="detail-grid">
            <div class="detail-main">
                <section class="card" aria-labelledby="contract-details-title" data-testid="contract-details">
                    <h2 class="card-title" id="contract-details-title">{i18n.tr(K::ContractDetails)}</h2>
                    <dl class="dl">
                        {item(K::FieldContact, "detail-contact", or_dash(contract.contact_name.as_deref()))}
                        {item(K::FieldOwner, "detail-owner", s.owner_name.clone())}
                        {item(K::FieldCurrency, "detail-currency", s.currency.clone())}
                        {item(K::FieldCreatedAt, "detail-created_at", local_datetime(&s.created_at))}
                        {when(contract.activated_at).map(|t| item(K::ActivatedAt, "detail-activated_at", t))}
                        {when(contract.completed_at).map(|t| item(K::CompletedAt, "detail-completed_at", t))}
                        {when(contract.terminated_at).map(|t| item(K::TerminatedAt, "detail-terminated_at", t))}
                        {contract.termination_reason.clone().map(|r| item(K::TerminationReason, "detail-termination_reason", r))}
                        {wide(K::PaymentTerms, "detail-payment_terms", or_dash(contract.payment_terms.as_deref()))}
                        {wide(K::DeliveryTerms, "detail-delivery_terms", or_dash(contract.delivery_terms.as_deref()))}
                        {wide(K::ContractTerms, "detail-terms", or_dash(contract.terms.as_deref()))}
                    </dl>
                </section>
                <section class="card" aria-labelledby="contract-lines-title" data-testid="contract-lines">
                    <h2 class="card-title" id="contract-lines-title">
                        <Icon name=IconName::Box/>
                        <span>{i18n.tr(K::Lines)}</span>
                    </h2>
                    <LinesTable contract=contract.clone()/>
                    <div class="quote-summary">
                        <span></span>
                        <QuoteTotalsList totals=Signal::derive(move || Some(totals.clone())) currency=Signal::derive(move || currency.clone())/>
                    </div>
                </section>
            </div>
            <div class="detail-aside">
                {approval_id.map(|approval_id| view! {
                    <ApprovalPanel approval_id on_changed=Callback::new(move |()| on_changed.run(None))/>
                })}
                <AttachmentsPanel subject_kind=AttachmentSubject::Contract subject_id=s.id/>
            </div>
        </div>
    }
}

#[component]
fn LinesTable(contract: ContractResponse) -> impl IntoView {
    let i18n = use_i18n();
    if contract.lines.is_empty() {
        return view! { <p class="panel-empty muted" data-testid="contract-lines-empty">{i18n.tr(K::QuoteLinesEmpty)}</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table table-compact" data-testid="contract-lines-table">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{i18n.tr(K::FieldProductName)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldQuantity)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldUnitPrice)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldDiscount)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldVatRate)}</th>
                        <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                    </tr>
                </thead>
                <tbody>
                    {contract.lines.into_iter().map(|l| view! {
                        <tr data-testid=format!("contract-line-{}", l.position)>
                            <td class="cell-mono">{l.position + 1}</td>
                            <td class="cell-wrap">
                                {l.product_code.map(|c| view! { <span class="cell-code">{c}</span>" " })}
                                <span class="cell-strong" data-testid="contract-line-name">{l.name}</span>
                                {l.spec.map(|s| view! { <span class="cell-sub">{s}</span> })}
                                {l.description.map(|d| view! { <span class="cell-sub">{d}</span> })}
                            </td>
                            <td class="cell-num" data-testid="contract-line-quantity">{format!("{} {}", plain(l.quantity), l.unit)}</td>
                            <td class="cell-num">{grouped(l.unit_price)}</td>
                            <td class="cell-num">{format!("{}%", plain(l.discount_percent))}</td>
                            <td class="cell-num">{vat_rate_label(l.vat_rate)}</td>
                            <td class="cell-num cell-strong" data-testid="contract-line-amount">{grouped(l.amount)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
