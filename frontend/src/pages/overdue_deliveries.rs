//! `/sales-orders/overdue` (交期超期): every order line past its promised date with quantity
//! still to ship, the oldest promise first, each linking to its order.

use crm_api_types::identity::Permission;
use crm_api_types::sales_orders::OverdueDeliveryResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::icons::{Icon, IconName};
use crate::components::page_state::NoPermission;
use crate::components::table::{EmptyState, SkeletonRows};
use crate::format::plain;
use crate::i18n::{K, use_i18n};
use crate::load::Load;

const COLUMNS: usize = 7;

#[component]
pub fn OverdueDeliveriesPage() -> impl IntoView {
    let session = use_session();
    move || {
        if session.can(Permission::SalesOrderRead) {
            view! { <OverdueDeliveries/> }.into_any()
        } else {
            view! { <NoPermission back_href="/" back_label=K::BackHome/> }.into_any()
        }
    }
}

#[component]
fn OverdueDeliveries() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let lines = RwSignal::new(Load::<Vec<OverdueDeliveryResponse>>::Loading);
    spawn_local(async move {
        match api.overdue_deliveries().await {
            Ok(found) => lines.set(Load::Loaded(found)),
            Err(error) => {
                api.report(&error);
                lines.set(Load::Failed);
            }
        }
    });

    let row = move |d: OverdueDeliveryResponse| {
        view! {
            <tr class="row-overdue" data-testid="overdue-row" data-order-id=d.sales_order_id.to_string()>
                <td class="cell-strong">
                    <a class="cell-link cell-mono" href=format!("/sales-orders/{}", d.sales_order_id) data-testid="overdue-order-link">
                        {d.order_number}
                    </a>
                </td>
                <td class="cell-wrap">
                    <a class="cell-link" href=format!("/customers/{}", d.customer_id)>{d.customer_name}</a>
                </td>
                <td class="cell-wrap">{d.line_name}</td>
                <td class="cell-time">{d.promised_date.to_string()}</td>
                <td data-testid="overdue-days"><span class="task-due">{move || i18n.overdue_days(i64::from(d.days_overdue))}</span></td>
                <td class="cell-num">{format!("{} {}", plain(d.open_quantity), d.unit)}</td>
                <td>{d.owner_name}</td>
            </tr>
        }
    };
    let body = move || match lines.get() {
        Load::Loading => view! { <SkeletonRows cols=COLUMNS rows=4/> }.into_any(),
        Load::Loaded(found) if !found.is_empty() => {
            found.into_iter().map(row).collect_view().into_any()
        }
        other => {
            let (title, icon) = if matches!(other, Load::Failed) {
                (K::UnexpectedError, IconName::Alert)
            } else {
                (K::OverdueEmpty, IconName::Check)
            };
            view! {
                <tr class="empty-row">
                    <td colspan=COLUMNS.to_string()>
                        <EmptyState icon title=i18n.signal(title) hint=i18n.signal(K::OverdueHint) testid="overdue-empty"/>
                    </td>
                </tr>
            }
            .into_any()
        }
    };

    view! {
        <div class="page">
            <a class="back-link" href="/sales-orders" data-testid="back-to-orders">
                <Icon name=IconName::Back/>
                <span>{i18n.tr(K::BackToOrders)}</span>
            </a>
            <header class="page-header">
                <div>
                    <h1>{i18n.tr(K::OverdueDeliveries)}</h1>
                    <p class="page-subtitle">{i18n.tr(K::OverdueSubtitle)}</p>
                </div>
            </header>
            <div class="card">
                <div class="table-wrap">
                    <table class="table" data-testid="overdue-table">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr(K::OrderNumber)}</th>
                                <th scope="col">{i18n.tr(K::FieldCustomer)}</th>
                                <th scope="col">{i18n.tr(K::FieldProductName)}</th>
                                <th scope="col">{i18n.tr(K::PromisedDate)}</th>
                                <th scope="col">{i18n.tr(K::DaysOverdue)}</th>
                                <th scope="col" class="cell-num">{i18n.tr(K::OpenQuantity)}</th>
                                <th scope="col">{i18n.tr(K::FieldOwner)}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            </div>
        </div>
    }
}
