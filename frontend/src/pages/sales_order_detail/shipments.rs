//! 发货记录: the order's shipments with what each carried, and 签收 for those in transit;
//! 发货 opens the dialog that records the next one. The order lists its shipments without
//! their lines; what each carried comes from `GET /sales-orders/{id}/shipments`.

use chrono::NaiveDate;
use crm_api_types::identity::Permission;
use crm_api_types::sales_orders::{
    DeliverShipmentRequest, SalesOrderLineResponse, SalesOrderResponse, SalesOrderStatus,
    ShipmentLineResponse, ShipmentStatus, ShipmentSummary,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::OnChanged;
use super::ship_dialog::ShipDialog;
use crate::api::use_api;
use crate::auth::use_session;
use crate::components::badges::ShipmentStatusBadge;
use crate::components::form_field::{FormErrors, TextField};
use crate::components::icons::{Icon, IconName};
use crate::components::modal::Modal;
use crate::format::{china_today, non_blank, or_dash, plain};
use crate::i18n::{K, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Dialog {
    Closed,
    Ship,
    /// 签收 of this shipment, shipped on that day.
    Deliver(Uuid, NaiveDate),
}

#[component]
pub fn ShipmentsPanel(order: SalesOrderResponse, on_changed: OnChanged) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let dialog = RwSignal::new(Dialog::Closed);
    let can_write = session.can(Permission::SalesOrderWrite);
    let status = order.summary.status;
    let any_open = order.lines.iter().any(|l| l.open_quantity > Decimal::ZERO);
    let can_ship = can_write
        && any_open
        && matches!(
            status,
            SalesOrderStatus::Confirmed | SalesOrderStatus::PartiallyShipped
        );
    let order_for_dialog = StoredValue::new(order.clone());
    let close = Callback::new(move |()| dialog.set(Dialog::Closed));
    let done = Callback::new(move |changed: SalesOrderResponse| {
        dialog.set(Dialog::Closed);
        on_changed.run(Some(changed));
    });

    // What each shipment carried, by shipment id; filled in once the lines have loaded.
    let carried = RwSignal::new(Vec::<(Uuid, Vec<ShipmentLineResponse>)>::new());
    if !order.shipments.is_empty() {
        let api = use_api();
        let order_id = order.summary.id;
        spawn_local(async move {
            match api.sales_order_shipments(order_id).await {
                Ok(found) => {
                    carried.try_set(found.into_iter().map(|s| (s.summary.id, s.lines)).collect());
                }
                Err(error) => api.report(&error),
            }
        });
    }
    let body = if order.shipments.is_empty() {
        view! { <p class="panel-empty muted" data-testid="shipments-empty">{i18n.tr(K::ShipmentsEmpty)}</p> }
            .into_any()
    } else {
        let lines = order.lines;
        let rows = order
            .shipments
            .into_iter()
            .enumerate()
            .map(|(index, shipment)| {
                shipment_row(index, shipment, lines.clone(), carried, can_write, dialog)
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table table-compact" data-testid="shipments-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.tr(K::ShipmentNumber)}</th>
                            <th scope="col">{i18n.tr(K::ShippedOn)}</th>
                            <th scope="col">{i18n.tr(K::Carrier)}</th>
                            <th scope="col">{i18n.tr(K::TrackingNumber)}</th>
                            <th scope="col">{i18n.tr(K::Lines)}</th>
                            <th scope="col">{i18n.tr(K::FieldStatus)}</th>
                            <th scope="col"><span class="visually-hidden">{i18n.tr(K::Actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="card" aria-labelledby="order-shipments-title" data-testid="order-shipments">
            <h2 class="card-title" id="order-shipments-title">
                <Icon name=IconName::Box/>
                <span>{i18n.tr(K::Shipments)}</span>
                <span class="toolbar-spacer"></span>
                {can_ship.then(|| view! {
                    <button type="button" class="btn btn-primary btn-sm" data-testid="order-ship" on:click=move |_| dialog.set(Dialog::Ship)>
                        {i18n.tr(K::Ship)}
                    </button>
                })}
            </h2>
            {body}
            {move || match dialog.get() {
                Dialog::Closed => ().into_any(),
                Dialog::Ship => view! {
                    <ShipDialog order=order_for_dialog.get_value() on_done=done on_close=close/>
                }
                .into_any(),
                Dialog::Deliver(shipment_id, shipped_on) => view! {
                    <DeliverDialog shipment_id shipped_on on_done=done on_close=close/>
                }
                .into_any(),
            }}
        </section>
    }
}

/// A shipment's lines name the order's lines by id; the names and units come from those.
fn shipment_row(
    index: usize,
    shipment: ShipmentSummary,
    order_lines: Vec<SalesOrderLineResponse>,
    carried: RwSignal<Vec<(Uuid, Vec<ShipmentLineResponse>)>>,
    can_write: bool,
    dialog: RwSignal<Dialog>,
) -> impl IntoView {
    let i18n = use_i18n();
    let in_transit = shipment.status == ShipmentStatus::Shipped;
    let (id, shipped_on) = (shipment.id, shipment.shipped_on);
    let carried = move || {
        carried.with(|all| {
            all.iter()
                .find(|(shipment_id, _)| *shipment_id == id)
                .map(|(_, lines)| {
                    lines
                        .iter()
                        .filter_map(|l| {
                            let line = order_lines.iter().find(|o| o.id == l.line_id)?;
                            Some(format!(
                                "{} × {} {}",
                                line.name,
                                plain(l.quantity),
                                line.unit
                            ))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let signed = shipment.delivered_on.map(|on| {
        let by = shipment
            .received_by
            .clone()
            .map(|b| format!(" · {b}"))
            .unwrap_or_default();
        format!("{on}{by}")
    });
    view! {
        <tr data-testid="shipment-row" data-status=shipment.status.as_str() data-id=id.to_string()>
            <td class="cell-mono cell-strong">{shipment.number}</td>
            <td class="cell-time">{shipped_on.to_string()}</td>
            <td>{or_dash(shipment.carrier.as_deref())}</td>
            <td class="cell-mono">{or_dash(shipment.tracking_number.as_deref())}</td>
            <td class="cell-wrap" data-testid="shipment-lines">
                {move || carried().into_iter().map(|text| view! { <span class="cell-sub">{text}</span> }).collect_view()}
            </td>
            <td>
                <ShipmentStatusBadge status=shipment.status/>
                {signed.map(|text| view! { <span class="cell-sub" data-testid="shipment-delivered">{text}</span> })}
            </td>
            <td class="cell-actions">
                {(in_transit && can_write).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-sm" data-testid=format!("shipment-deliver-{index}")
                        on:click=move |_| dialog.set(Dialog::Deliver(id, shipped_on))>
                        {i18n.tr(K::Deliver)}
                    </button>
                })}
            </td>
        </tr>
    }
}

/// 签收: the day the customer received the shipment (today by default) and who signed.
#[component]
fn DeliverDialog(
    shipment_id: Uuid,
    shipped_on: NaiveDate,
    on_done: Callback<SalesOrderResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let delivered_on = RwSignal::new(china_today().max(shipped_on).to_string());
    let received_by = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let day = delivered_on.get_untracked();
        let Ok(day) = day.trim().parse::<NaiveDate>() else {
            errors.push("delivered_on", i18n.t(K::InvalidDate));
            return;
        };
        let body = DeliverShipmentRequest {
            delivered_on: Some(day),
            received_by: non_blank(&received_by.get_untracked()),
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.deliver_shipment(shipment_id, &body).await;
            saving.set(false);
            match result {
                Ok(order) => {
                    api.toasts.success(api.i18n.t(K::ShipmentDeliveredToast));
                    on_done.try_run(order);
                }
                Err(error) => {
                    if !errors.absorb(&error, &["delivered_on", "received_by"]) {
                        api.report(&error);
                    }
                }
            }
        });
    };
    view! {
        <Modal title=i18n.signal(K::DeliverTitle) on_close testid="deliver-dialog">
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body form-grid">
                    <TextField label=K::DeliveredOn name="delivered_on" prefix="deliver" value=delivered_on errors input_type="date" required=true/>
                    <TextField label=K::ReceivedBy name="received_by" prefix="deliver" value=received_by errors/>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="deliver-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Deliver) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}
