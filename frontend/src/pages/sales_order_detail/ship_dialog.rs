//! 发货: how much of each open line goes out now (prefilled with all that is open; blank or 0
//! leaves a line for later), the carrier, tracking number and day. The API names a line by
//! its place in the request (`lines[i].quantity`); its errors are shown on the order line's
//! row (`lines[position].quantity`).

use chrono::NaiveDate;
use crm_api_types::FieldError;
use crm_api_types::sales_orders::{CreateShipmentRequest, SalesOrderResponse, ShipmentLineRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::api::use_api;
use crate::components::form_field::{FormErrors, TextField};
use crate::components::modal::Modal;
use crate::format::{china_today, non_blank, parse_decimal, plain};
use crate::i18n::{K, use_i18n};

/// One open order line and the quantity typed for it.
#[derive(Debug, Clone)]
struct ShipRow {
    line_id: Uuid,
    position: u32,
    name: String,
    spec: Option<String>,
    unit: String,
    open: Decimal,
    quantity: RwSignal<String>,
}

const HEADER_FIELDS: [&str; 5] = ["shipped_on", "carrier", "tracking_number", "note", "lines"];

/// `lines[i].quantity` of the request → `lines[position].quantity` of the order line sent
/// `i`-th; anything else as it is.
fn to_rows(errors: &[FieldError], sent: &[u32]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            let field = e
                .field
                .strip_prefix("lines[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(i, rest)| {
                    let position = sent.get(i.parse::<usize>().ok()?)?;
                    Some(format!("lines[{position}]{rest}"))
                })
                .unwrap_or_else(|| e.field.clone());
            FieldError { field, ..e.clone() }
        })
        .collect()
}

#[component]
pub fn ShipDialog(
    order: SalesOrderResponse,
    on_done: Callback<SalesOrderResponse>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let errors = FormErrors::new();
    let saving = RwSignal::new(false);
    let order_id = order.summary.id;
    let rows: Vec<ShipRow> = order
        .lines
        .into_iter()
        .filter(|l| l.open_quantity > Decimal::ZERO)
        .map(|l| ShipRow {
            line_id: l.id,
            position: l.position,
            name: l.name,
            spec: l.spec,
            unit: l.unit,
            open: l.open_quantity,
            quantity: RwSignal::new(plain(l.open_quantity)),
        })
        .collect();
    let rows = StoredValue::new(rows);
    let shipped_on = RwSignal::new(china_today().to_string());
    let carrier = RwSignal::new(String::new());
    let tracking_number = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        errors.clear();
        let mut found = Vec::new();
        let mut lines = Vec::new();
        let mut sent = Vec::new();
        for row in rows.get_value() {
            let field = format!("lines[{}].quantity", row.position);
            match parse_decimal(&row.quantity.get_untracked()) {
                None => {}
                Some(Some(q)) if q.is_zero() => {}
                Some(Some(q)) if q < Decimal::ZERO => found.push((field, K::InvalidNumber)),
                Some(Some(q)) if q > row.open => found.push((field, K::MoreThanOpen)),
                Some(Some(q)) => {
                    sent.push(row.position);
                    lines.push(ShipmentLineRequest {
                        line_id: row.line_id,
                        quantity: q,
                    });
                }
                Some(None) => found.push((field, K::InvalidNumber)),
            }
        }
        let day = shipped_on.get_untracked().trim().parse::<NaiveDate>().ok();
        if day.is_none() {
            found.push(("shipped_on".to_owned(), K::InvalidDate));
        }
        if found.is_empty() && lines.is_empty() {
            found.push(("lines".to_owned(), K::NothingToShip));
        }
        if !found.is_empty() {
            for (field, message) in found {
                errors.push(&field, i18n.t(message));
            }
            return;
        }
        let body = CreateShipmentRequest {
            shipped_on: day,
            carrier: non_blank(&carrier.get_untracked()),
            tracking_number: non_blank(&tracking_number.get_untracked()),
            note: non_blank(&note.get_untracked()),
            lines,
        };
        saving.set(true);
        spawn_local(async move {
            let result = api.ship_sales_order(order_id, &body).await;
            saving.set(false);
            match result {
                Ok(order) => {
                    api.toasts.success(api.i18n.t(K::ShippedToast));
                    on_done.try_run(order);
                }
                Err(error) => {
                    let mapped = to_rows(error.field_errors(), &sent);
                    let known = !mapped.is_empty()
                        && mapped.iter().all(|e| {
                            e.field.starts_with("lines[")
                                || HEADER_FIELDS.contains(&e.field.as_str())
                        });
                    errors.set(mapped);
                    if !known {
                        api.report(&error);
                    }
                }
            }
        });
    };

    let line_rows = rows
        .get_value()
        .into_iter()
        .map(|row| {
            let field = format!("lines[{}].quantity", row.position);
            let error_field = field.clone();
            let error = move || errors.message(&error_field);
            let has_error = error.clone();
            let input_id = format!("ship-qty-{}", row.position);
            view! {
                <tr data-testid="ship-row" data-position=row.position.to_string()>
                    <td class="cell-mono">{row.position + 1}</td>
                    <td class="cell-wrap">
                        <label for=input_id.clone() class="cell-strong">{row.name}</label>
                        {row.spec.map(|s| view! { <span class="cell-sub">{s}</span> })}
                    </td>
                    <td class="cell-num">{format!("{} {}", plain(row.open), row.unit)}</td>
                    <td class:has-error=move || has_error().is_some()>
                        <input
                            class="input input-num input-qty"
                            id=input_id.clone()
                            inputmode="decimal"
                            data-testid=input_id
                            aria-invalid=move || if error().is_some() { "true" } else { "false" }
                            prop:value=move || row.quantity.get()
                            on:input=move |ev| row.quantity.set(event_target_value(&ev))
                            on:change=move |ev| row.quantity.set(event_target_value(&ev))
                        />
                        {move || errors.message(&field).map(|m| view! {
                            <p class="field-error" data-testid=format!("error-{field}")>{m}</p>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <Modal title=i18n.signal(K::ShipTitle) on_close testid="ship-dialog" wide=true>
            <form class="form" novalidate=true on:submit=on_submit>
                <div class="modal-body">
                    <div class="table-scroll">
                        <table class="table table-compact" data-testid="ship-lines">
                            <thead>
                                <tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{i18n.tr(K::FieldProductName)}</th>
                                    <th scope="col" class="cell-num">{i18n.tr(K::OpenQuantity)}</th>
                                    <th scope="col">{i18n.tr(K::ShipQuantity)}</th>
                                </tr>
                            </thead>
                            <tbody>{line_rows}</tbody>
                        </table>
                    </div>
                    {move || errors.message("lines").map(|m| view! { <p class="field-error" data-testid="error-lines">{m}</p> })}
                    <div class="form-grid">
                        <TextField label=K::ShippedOn name="shipped_on" prefix="ship" value=shipped_on errors input_type="date" required=true/>
                        <TextField label=K::Carrier name="carrier" prefix="ship" value=carrier errors/>
                        <TextField label=K::TrackingNumber name="tracking_number" prefix="ship" value=tracking_number errors/>
                        <TextField label=K::FieldNote name="note" prefix="ship" value=note errors/>
                    </div>
                </div>
                <footer class="modal-footer">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{i18n.tr(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="ship-save" disabled=move || saving.get()>
                        {move || if saving.get() { i18n.t(K::Saving) } else { i18n.t(K::Ship) }}
                    </button>
                </footer>
            </form>
        </Modal>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(field: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: "exceeds_available".to_owned(),
            message: "m".to_owned(),
        }
    }

    #[test]
    fn request_errors_land_on_the_order_lines_sent() {
        // Lines 0 and 3 were sent (1 and 2 had nothing to ship).
        let mapped = to_rows(
            &[
                error("lines[1].quantity"),
                error("lines[0].line_id"),
                error("carrier"),
                error("lines[7].quantity"),
            ],
            &[0, 3],
        );
        let fields: Vec<&str> = mapped.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "lines[3].quantity",
                "lines[0].line_id",
                "carrier",
                "lines[7].quantity"
            ]
        );
    }
}
