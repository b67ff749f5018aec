//! One sales order (`/sales-orders/{id}`): its header and figures (total, cancelled, received,
//! invoiced), the actions its state allows, the lines with what shipped, the shipments (发货,
//! 签收), the collection plan (收款计划) with 登记收款, the invoices (开票), for an order an ERP
//! syncs or reports on its ERP 同步 status and ERP 对账, its approval, its attachments and the
//! timeline. Every action answers with the whole order, which is drawn anew.

mod actions;
mod invoices;
mod lines;
mod plan;
mod plan_dialog;
mod reconciliation;
mod ship_dialog;
mod shipments;
mod timeline;

use crm_api_types::attachments::AttachmentSubject;
use crm_api_types::identity::Permission;
use crm_api_types::sales_orders::SalesOrderResponse;
use crm_api_types::sync::SyncedKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::approval_panel::ApprovalPanel;
use crate::components::attachments::AttachmentsPanel;
use crate::components::badges::SalesOrderStatusBadge;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::{NoPermission, RecordNotFound};
use crate::components::sync_status::{ExternalId, SyncPanel};
use crate::components::table::Spinner;
use crate::format::{local_datetime, money, or_dash};
use crate::i18n::{K, use_i18n};
use crate::load::{Load, id_param};
use crate::pages::sales_orders::use_sales_order_list_state;

use actions::OrderActions;
use invoices::InvoicesPanel;
use lines::LinesPanel;
use plan::PlanPanel;
use reconciliation::ReconciliationPanel;
use shipments::ShipmentsPanel;
use timeline::TimelinePanel;

/// Told when an action changed the order: the new order, or `None` to fetch it again.
pub type OnChanged = Callback<Option<SalesOrderResponse>>;

#[component]
pub fn SalesOrderDetailPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::SalesOrderRead) {
            view! { <SalesOrderDetail/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn SalesOrderDetail() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let list = use_sales_order_list_state();
    let id = id_param();
    let order = RwSignal::new(Load::<SalesOrderResponse>::Loading);

    let fetch = move |quiet: bool| {
        let Some(id) = id.get_untracked() else {
            order.set(Load::NotFound);
            return;
        };
        if !quiet {
            order.set(Load::Loading);
        }
        spawn_local(async move {
            match api.get_sales_order(id).await {
                Ok(found) => order.set(Load::Loaded(found.value)),
                Err(error) if error.is_not_found() => order.set(Load::NotFound),
                Err(error) => {
                    api.report(&error);
                    order.set(Load::Failed);
                }
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        fetch(false);
    });
    let on_changed = Callback::new(move |changed: Option<SalesOrderResponse>| {
        list.invalidate();
        match changed {
            Some(found) => order.set(Load::Loaded(found)),
            None => fetch(true),
        }
    });

    let content = move || {
        match order.get() {
        Load::Loading => view! { <div class="card"><Spinner label=true/></div> }.into_any(),
        Load::NotFound | Load::Failed => view! {
            <RecordNotFound hint=K::OrderNotFound back_href="/sales-orders" back_label=K::BackToOrders testid="order-not-found"/>
        }
        .into_any(),
        Load::Loaded(found) => view! { <OrderView order=found on_changed/> }.into_any(),
    }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/sales-orders" data-testid="back-to-orders">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToOrders)}</span>
            </a>
            {content}
        </div>
    }
}

#[component]
fn OrderView(order: SalesOrderResponse, on_changed: OnChanged) -> impl IntoView {
    let i18n = use_i18n();
    let s = order.summary.clone();
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
    let approval_id = s.approval_id;
    let order_id = s.id;
    let external = ExternalId::of(s.external_source.as_ref(), s.external_id.as_ref());

    view! {
        <header class="page-header">
            <div>
                <h1 data-testid="order-title">
                    <span class="cell-mono" data-testid="order-number">{s.number.clone()}</span>
                    <SalesOrderStatusBadge status=s.status title=true/>
                </h1>
                <p class="page-subtitle">
                    {link(format!("/customers/{}", s.customer_id), "order-customer-link", s.customer_name.clone())}
                    {s.quote_id.zip(s.quote_number.clone()).map(|(id, number)| view! {
                        " · "{link(format!("/quotes/{id}"), "order-quote-link", number)}
                    })}
                    {s.title.clone().map(|t| view! { " · "<span data-testid="order-subject">{t}</span> })}
                </p>
            </div>
            <div class="header-actions">
                <OrderActions order=order.clone() on_changed/>
            </div>
        </header>

        <div class="card figures" data-testid="order-figures">
            {figure(K::OrderTotal, "order-total", money(s.total, &s.currency))}
            {figure(K::CancelledAmount, "order-cancelled", money(s.cancelled_amount, &s.currency))}
            {figure(K::ReceivedAmount, "order-received", money(s.received_amount, &s.currency))}
            {figure(K::InvoicedAmount, "order-invoiced", money(order.invoiced_amount, &s.currency))}
        </div>

        <div class:detail-grid=approval_id.is_some()>
            <section class="card" aria-labelledby="order-details-title">
                <h2 class="card-title" id="order-details-title">{i18n.tr(K::OrderDetails)}</h2>
                <dl class="dl">
                    {item(K::CustomerPo, "detail-customer_po", or_dash(s.customer_po.as_deref()))}
                    {item(K::OrderDate, "detail-order_date", s.order_date.to_string())}
                    {item(K::FieldContact, "detail-contact", or_dash(order.contact_name.as_deref()))}
                    {item(K::FieldOwner, "detail-owner", s.owner_name.clone())}
                    {item(K::FieldCurrency, "detail-currency", s.currency.clone())}
                    {item(K::ShippingAddress, "detail-shipping_address", or_dash(order.shipping_address.as_deref()))}
                    {item(K::PaymentTerms, "detail-payment_terms", or_dash(order.payment_terms.as_deref()))}
                    {item(K::DeliveryTerms, "detail-delivery_terms", or_dash(order.delivery_terms.as_deref()))}
                    {item(K::FieldCreatedAt, "detail-created_at", local_datetime(&s.created_at))}
                    {when(order.confirmed_at).map(|t| item(K::ConfirmedAt, "detail-confirmed_at", t))}
                    {when(order.cancelled_at).map(|t| item(K::CancelledAt, "detail-cancelled_at", t))}
                    {order.cancel_reason.clone().map(|r| item(K::CancelReason, "detail-cancel_reason", r))}
                    <div class="dl-item dl-wide">
                        <dt>{i18n.tr(K::QuoteNotes)}</dt>
                        <dd class="notes" data-testid="detail-notes">{or_dash(order.notes.as_deref())}</dd>
                    </div>
                    <div class="dl-item dl-wide">
                        <dt>{i18n.tr(K::InternalNote)}</dt>
                        <dd class="notes" data-testid="detail-internal_note">{or_dash(order.internal_note.as_deref())}</dd>
                    </div>
                </dl>
            </section>
            {approval_id.map(|approval_id| view! {
                <div class="detail-aside">
                    <ApprovalPanel approval_id on_changed=Callback::new(move |()| on_changed.run(None))/>
                </div>
            })}
        </div>
        // The wide tables get the page's whole width.
        <div class="detail-main order-sections">
            <LinesPanel order=order.clone()/>
            <ShipmentsPanel order=order.clone() on_changed/>
            <PlanPanel order=order.clone() on_changed/>
            <InvoicesPanel order=order.clone() on_changed/>
            <SyncPanel kind=SyncedKind::SalesOrder record_id=order_id external/>
            <ReconciliationPanel order_id/>
            <AttachmentsPanel subject_kind=AttachmentSubject::SalesOrder subject_id=order_id/>
            // Drawn anew with the order, so it fetches the entries again after each change.
            <TimelinePanel order_id/>
        </div>
    }
}
