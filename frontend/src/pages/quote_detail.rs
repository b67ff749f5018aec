//! One quote (`/quotes/{id}`): its header, lines and totals, the actions its state allows,
//! the PDF (preview and download, with or without prices, in Chinese or English), its
//! approval, its versions with a line-by-line comparison, and its attachments.

mod actions;
mod compare;
mod pdf;
mod versions;

use crm_api_types::attachments::AttachmentSubject;
use crm_api_types::identity::Permission;
use crm_api_types::quotes::QuoteResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::approval_panel::ApprovalPanel;
use crate::components::attachments::AttachmentsPanel;
use crate::components::badges::QuoteStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::{NoPermission, RecordNotFound};
use crate::components::quote_totals::QuoteTotalsList;
use crate::components::table::Spinner;
use crate::format::{grouped, local_datetime, or_dash, plain};
use crate::i18n::{K, price_source_key, use_i18n, vat_rate_label};
use crate::load::{Load, id_param};
use crate::pages::quotes::{quote_number, use_quote_list_state};

use actions::QuoteActions;
use pdf::PdfPanel;
use versions::VersionsPanel;

#[component]
pub fn QuoteDetailPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::QuoteRead) {
            view! { <QuoteDetail/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn QuoteDetail() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let list = use_quote_list_state();
    let id = id_param();
    let quote = RwSignal::new(Load::<QuoteResponse>::Loading);

    let fetch = move |quiet: bool| {
        let Some(id) = id.get_untracked() else {
            quote.set(Load::NotFound);
            return;
        };
        if !quiet {
            quote.set(Load::Loading);
        }
        spawn_local(async move {
            match api.get_quote(id).await {
                Ok(found) => quote.set(Load::Loaded(found.value)),
                Err(error) if error.is_not_found() => quote.set(Load::NotFound),
                Err(error) => {
                    api.report(&error);
                    quote.set(Load::Failed);
                }
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        fetch(false);
    });
    // An action or a decision moved the quote: show it as it is now.
    let on_changed = Callback::new(move |changed: Option<QuoteResponse>| {
        list.invalidate();
        match changed {
            Some(found) => quote.set(Load::Loaded(found)),
            None => fetch(true),
        }
    });

    let content = move || {
        match quote.get() {
        Load::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        Load::NotFound | Load::Failed => view! {
            <RecordNotFound hint=K::QuoteNotFound back_href="/quotes" back_label=K::BackToQuotes testid="quote-not-found"/>
        }
        .into_any(),
        Load::Loaded(found) => view! { <QuoteView quote=found on_changed/> }.into_any(),
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/quotes" data-testid="back-to-quotes">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToQuotes)}</span>
            </a>
            {content}
        </div>
    }
}

#[component]
fn QuoteView(quote: QuoteResponse, on_changed: Callback<Option<QuoteResponse>>) -> impl IntoView {
    let i18n = use_i18n();
    let s = quote.summary.clone();
    let currency = s.currency.clone();
    let item = move |label: K, testid: &'static str, text: String| {
        view! {
            <div class="dl-item">
                <dt>{i18n.tr(label)}</dt>
                <dd data-testid=testid>{text}</dd>
            </div>
        }
    };
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|at| local_datetime(&at));
    let figure = move |label: K, testid: &'static str, text: String| {
        view! {
            <div class="figure">
                <span class="figure-label">{i18n.tr(label)}</span>
                <span class="figure-value" data-testid=testid>{text}</span>
            </div>
        }
    };
    let link = |href: String, testid: &'static str, text: String| {
        view! { <a href=href data-testid=testid>{text}</a> }
    };
    let totals = quote.totals.clone();
    let approval_id = s.approval_id;

    view! {
        <header class="page-header">
            <div>
                <h1 data-testid="quote-title">
                    <span class="cell-mono" data-testid="quote-number">{quote_number(&s.number, s.revision)}</span>
                    <QuoteStatusBadge status=s.status title=true/>
                    {s.superseded.then(|| view! {
                        <span class="badge badge-outline title-badge" data-testid="quote-superseded">{i18n.tr(K::Superseded)}</span>
                    })}
                </h1>
                <p class="page-subtitle">
                    {link(format!("/customers/{}", s.customer_id), "quote-customer-link", s.customer_name.clone())}
                    {s.opportunity_id.zip(s.opportunity_name.clone()).map(|(id, name)| view! {
                        " · "{link(format!("/opportunities/{id}"), "quote-opportunity-link", name)}
                    })}
                    {s.title.clone().map(|t| view! { " · "<span data-testid="quote-subject">{t}</span> })}
                </p>
            </div>
            <div class="header-actions">
                <QuoteActions quote=quote.clone() on_changed/>
            </div>
        </header>

        <div class="card figures" data-testid="quote-figures">
            {figure(K::GrandTotal, "quote-total", crate::format::money(s.total, &s.currency))}
            {figure(K::ValidUntil, "quote-valid-until", s.valid_until.to_string())}
            {figure(K::FieldOwner, "quote-owner", s.owner_name.clone())}
            {figure(K::QuoteVersion, "quote-revision", format!("v{}", s.revision))}
        </div>

        <div class="detail-grid">
            <div class="detail-main">
                <section class="card" aria-labelledby="quote-details-title">
                    <h2 class="card-title" id="quote-details-title">{i18n.tr(K::QuoteDetails)}</h2>
                    <dl class="dl">
                        {item(K::FieldContact, "detail-contact", or_dash(quote.contact_name.as_deref()))}
                        {item(K::FieldCurrency, "detail-currency", s.currency.clone())}
                        {item(K::PaymentTerms, "detail-payment_terms", or_dash(quote.payment_terms.as_deref()))}
                        {item(K::DeliveryTerms, "detail-delivery_terms", or_dash(quote.delivery_terms.as_deref()))}
                        {item(K::FieldCreatedAt, "detail-created_at", local_datetime(&s.created_at))}
                        {item(K::FieldUpdatedAt, "detail-updated_at", local_datetime(&s.updated_at))}
                        {when(quote.sent_at).map(|t| item(K::SentAt, "detail-sent_at", t))}
                        {when(quote.accepted_at).map(|t| item(K::AcceptedAt, "detail-accepted_at", t))}
                        {when(quote.declined_at).map(|t| item(K::DeclinedAt, "detail-declined_at", t))}
                        {quote.decline_reason.clone().map(|r| item(K::DeclineReason, "detail-decline_reason", r))}
                        {quote.revised_from.map(|id| view! {
                            <div class="dl-item">
                                <dt>{i18n.tr(K::RevisedFrom)}</dt>
                                <dd>{link(format!("/quotes/{id}"), "detail-revised_from", i18n.t(K::PreviousVersion).to_owned())}</dd>
                            </div>
                        })}
                        {quote.copied_from.map(|id| view! {
                            <div class="dl-item">
                                <dt>{i18n.tr(K::CopiedFrom)}</dt>
                                <dd>{link(format!("/quotes/{id}"), "detail-copied_from", i18n.t(K::OriginalQuote).to_owned())}</dd>
                            </div>
                        })}
                        <div class="dl-item dl-wide">
                            <dt>{i18n.tr(K::QuoteNotes)}</dt>
                            <dd class="notes" data-testid="detail-notes">{or_dash(quote.notes.as_deref())}</dd>
                        </div>
                        <div class="dl-item dl-wide">
                            <dt>{i18n.tr(K::InternalNote)}</dt>
                            <dd class="notes" data-testid="detail-internal_note">{or_dash(quote.internal_note.as_deref())}</dd>
                        </div>
                    </dl>
                </section>
                <section class="card" aria-labelledby="quote-lines-title" data-testid="quote-lines">
                    <h2 class="card-title" id="quote-lines-title">
                        <Icon name=IconName::Box/>
                        <span>{i18n.tr(K::Lines)}</span>
                    </h2>
                    <LinesTable quote=quote.clone()/>
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
                <PdfPanel quote_id=s.id number=s.number.clone()/>
                <VersionsPanel quote_id=s.id revision=s.revision/>
                <AttachmentsPanel subject_kind=AttachmentSubject::Quote subject_id=s.id/>
            </div>
        </div>
    }
}

#[component]
fn LinesTable(quote: QuoteResponse) -> impl IntoView {
    let i18n = use_i18n();
    if quote.lines.is_empty() {
        return view! { <p class="panel-empty muted" data-testid="quote-lines-empty">{i18n.tr(K::QuoteLinesEmpty)}</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table table-compact" data-testid="quote-lines-table">
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
                    {quote.lines.into_iter().map(|l| {
                        let source = l.price_source;
                        view! {
                            <tr data-testid="quote-line-row" data-product-id=l.product_id.map(|id| id.to_string())>
                                <td class="cell-mono">{l.position + 1}</td>
                                <td class="cell-wrap">
                                    {l.product_code.map(|c| view! { <span class="cell-code">{c}</span>" " })}
                                    <span class="cell-strong">{l.name}</span>
                                    {l.spec.map(|s| view! { <span class="cell-sub">{s}</span> })}
                                    {l.description.map(|d| view! { <span class="cell-sub">{d}</span> })}
                                </td>
                                <td class="cell-num">{format!("{} {}", plain(l.quantity), l.unit)}</td>
                                <td class="cell-num">
                                    {grouped(l.unit_price)}
                                    <span class="cell-sub">{move || source.map_or_else(|| i18n.t(K::PriceByHand), |s| i18n.t(price_source_key(s)))}</span>
                                </td>
                                <td class="cell-num">{format!("{}%", plain(l.discount_percent))}</td>
                                <td class="cell-num">{vat_rate_label(l.vat_rate)}</td>
                                <td class="cell-num cell-strong" data-testid="quote-line-amount">{grouped(l.amount)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
