//! 订单明细: each line with its price and amount, its promised date (交期, marked 超期 when
//! past with quantity still to ship) and how much shipped, was signed for and is still open;
//! the order's totals below.

use crm_api_types::sales_orders::{SalesOrderLineResponse, SalesOrderResponse};
use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::components::icons::{Icon, IconName};
use crate::components::quote_totals::QuoteTotalsList;
use crate::format::{grouped, or_dash, plain};
use crate::i18n::{K, use_i18n};

#[component]
pub fn LinesPanel(order: SalesOrderResponse) -> impl IntoView {
    let i18n = use_i18n();
    let totals = order.totals.clone();
    let currency = order.summary.currency.clone();
    let body = if order.lines.is_empty() {
        view! { <p class="panel-empty muted" data-testid="order-lines-empty">{i18n.tr(K::QuoteLinesEmpty)}</p> }
            .into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="order-lines-table">
                    <thead>
                        <tr>
                            <th scope="col">"#"</th>
                            <th scope="col">{i18n.tr(K::FieldProductName)}</th>
                            <th scope="col">{i18n.tr(K::FieldSpec)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldQuantity)}</th>
                            <th scope="col">{i18n.tr(K::FieldUnit)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldUnitPrice)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::FieldAmount)}</th>
                            <th scope="col">{i18n.tr(K::PromisedDate)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::ShippedQuantity)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::DeliveredQuantity)}</th>
                            <th scope="col" class="cell-num">{i18n.tr(K::OpenQuantity)}</th>
                        </tr>
                    </thead>
                    <tbody>{order.lines.into_iter().map(line_row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="order-lines-title" data-testid="order-lines">
            <h2 class="card-title" id="order-lines-title">
                <Icon name=IconName::Box/>
                <span>{i18n.tr(K::Lines)}</span>
            </h2>
            {body}
            <div class="quote-summary">
                <span></span>
                <QuoteTotalsList totals=Signal::derive(move || Some(totals.clone())) currency=Signal::derive(move || currency.clone())/>
            </div>
        </section>
    }
}

fn line_row(l: SalesOrderLineResponse) -> impl IntoView {
    let i18n = use_i18n();
    let overdue = l.overdue;
    let discounted = l.discount_percent != Decimal::ZERO;
    let discount = format!("-{}%", plain(l.discount_percent));
    view! {
        <tr class:row-overdue=overdue data-testid=format!("order-line-{}", l.position) data-overdue=overdue.to_string()>
            <td class="cell-mono">{l.position + 1}</td>
            <td class="cell-wrap">
                {l.product_code.map(|c| view! { <span class="cell-code">{c}</span>" " })}
                <span class="cell-strong">{l.name}</span>
                {l.description.map(|d| view! { <span class="cell-sub">{d}</span> })}
            </td>
            <td class="cell-wrap">{or_dash(l.spec.as_deref())}</td>
            <td class="cell-num">{plain(l.quantity)}</td>
            <td>{l.unit}</td>
            <td class="cell-num">
                {grouped(l.unit_price)}
                {discounted.then(|| view! { <span class="cell-sub">{discount}</span> })}
            </td>
            <td class="cell-num cell-strong">{grouped(l.amount)}</td>
            <td class="cell-time" data-testid="line-promised">
                {l.promised_date.map_or_else(|| "—".to_owned(), |d| d.to_string())}
                {overdue.then(|| view! {
                    " "<span class="badge badge-red" data-testid="order-line-overdue">{i18n.tr(K::DeliveryOverdue)}</span>
                })}
            </td>
            <td class="cell-num" data-testid="line-shipped">{plain(l.shipped_quantity)}</td>
            <td class="cell-num" data-testid="line-delivered">{plain(l.delivered_quantity)}</td>
            <td class="cell-num cell-strong" data-testid="line-open">{plain(l.open_quantity)}</td>
        </tr>
    }
}
