//! An ERP records an order, its shipments, invoices and payments by its own ids: the order
//! changes as PATCH allows, recorded documents are kept as they were when sent again (so an
//! ERP can resend safely), a shipment sent with its delivery is signed for once.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::json_of;
use crate::helpers::spawn_app;
use crate::inbound_sync::{field_codes, put};
use crate::quotes::{act, id_of, sales_org};
use crate::sales_orders::line_id;

fn count(order: &Value, list: &str) -> usize {
    order[list].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn an_erp_records_an_order_its_shipment_invoice_and_payment_once_each() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;

    let order_path = "/sales-orders/by-external-id/kingdee/SO-2026-0001";
    let body = json!({"customer_id": org.customer, "customer_po": "PO-1",
                      "lines": [{"product_id": org.product, "quantity": "2"}]});
    let (status, order) = put(admin, order_path, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["external_id"], "SO-2026-0001");
    let id = id_of(&order);

    // The whole order again, with another PO number: the same order, changed.
    let mut again = body.clone();
    again["customer_po"] = json!("PO-2");
    let (status, order) = put(admin, order_path, &again).await;
    assert_eq!((status, id_of(&order)), (StatusCode::OK, id.clone()));
    assert_eq!(order["customer_po"], "PO-2");
    let mut moved = again.clone();
    moved["customer_id"] = json!("01938f2e-7c4a-7d10-9a51-3c2b1e0f4a11");
    let (status, problem) = put(admin, order_path, &moved).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [("customer_id".to_owned(), "read_only".to_owned())]
    );
    let order = act(
        admin,
        &format!("/sales-orders/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(order["status"], "confirmed");

    // A shipment of one machine; sent again it is the same shipment; sent with its
    // delivery it is signed for.
    let shipment_path = "/shipments/by-external-id/kingdee/FH-0001";
    let shipment = json!({"sales_order_id": id, "carrier": "德邦物流",
                          "lines": [{"line_id": line_id(&order, 0), "quantity": "1"}]});
    let (status, order) = put(admin, shipment_path, &shipment).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["status"], "partially_shipped");
    assert_eq!(order["shipments"][0]["external_id"], "FH-0001");
    let (status, order) = put(admin, shipment_path, &shipment).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        count(&order, "shipments"),
        1,
        "a resend records nothing new"
    );
    let mut signed = shipment.clone();
    signed["received_by"] = json!("仓库 李工");
    let (status, order) = put(admin, shipment_path, &signed).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(order["shipments"][0]["status"], "delivered");
    let (status, _) = put(admin, shipment_path, &signed).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "signed for once; a resend is no error"
    );

    // An invoice, once.
    let invoice_path = "/invoices/by-external-id/kingdee/FP-0001";
    let invoice = json!({"sales_order_id": id, "number": "04412345", "amount": "100000.00",
                         "tax_amount": "11504.42", "kind": "vat_special"});
    let (status, order) = put(admin, invoice_path, &invoice).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let (status, order) = put(admin, invoice_path, &invoice).await;
    assert_eq!((status, count(&order, "invoices")), (StatusCode::OK, 1));
    assert_eq!(order["invoiced_amount"], "100000.00");

    // A payment, once, applied to the order.
    let payment_path = "/payments/by-external-id/kingdee/SK-0001";
    let payment = json!({"customer_id": org.customer, "sales_order_id": id,
                         "amount": "50000.00", "method": "bank_transfer"});
    let (status, paid) = put(admin, payment_path, &payment).await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    assert_eq!(paid["external_id"], "SK-0001");
    let (status, again) = put(admin, payment_path, &payment).await;
    assert_eq!((status, &again["id"]), (StatusCode::OK, &paid["id"]));
    let read = json_of(admin.get(payment_path).await).await;
    assert_eq!(read["id"], paid["id"]);
    let order = json_of(admin.get(&format!("/sales-orders/{id}")).await).await;
    assert_eq!(order["received_amount"], "50000.00", "paid once, not twice");

    let answer = json_of(
        admin
            .post(
                "/payments/bulk",
                &json!({"items": [
                    {"external_source": "kingdee", "external_id": "SK-0001", "data": {"customer_id": org.customer, "amount": "50000.00", "method": "bank_transfer"}},
                    {"external_source": "kingdee", "external_id": "SK-0002", "data": {"customer_id": org.customer, "amount": "20000.00", "method": "bank_acceptance_bill"}},
                ]}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (&answer["unchanged"], &answer["created"], &answer["failed"]),
        (&json!(1), &json!(1), &json!(0)),
        "{answer}"
    );

    // The order's last sync is the refused move to another customer, as its page shows;
    // the payment's succeeded.
    let state = |kind: &str, record: &str| {
        let path = format!("/sync-states?kind={kind}&record_id={record}");
        async move { json_of(admin.get(&path).await).await["items"][0].clone() }
    };
    let order_state = state("sales_order", &id).await;
    assert_eq!(order_state["result"], "failed", "{order_state}");
    assert_eq!(
        field_codes(&order_state["problem"]),
        [("customer_id".to_owned(), "read_only".to_owned())]
    );
    assert_eq!(state("payment", &id_of(&paid)).await["result"], "succeeded");
}

#[tokio::test]
async fn a_shipment_beyond_the_open_quantity_is_refused_and_listed() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    let order = crate::sales_orders::confirmed_order(&org, "1").await;
    let (status, problem) = put(
        admin,
        "/shipments/by-external-id/kingdee/FH-0009",
        &json!({"sales_order_id": id_of(&order),
                "lines": [{"line_id": line_id(&order, 0), "quantity": "5"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let failed = json_of(admin.get("/sync-states?result=failed&kind=shipment").await).await;
    assert_eq!(failed["items"][0]["external_id"], "FH-0009");
    assert_eq!(failed["items"][0]["problem"]["code"], "validation_failed");

    // Shipped today but signed for a year ago: refused whole, so nothing is shipped.
    let (status, problem) = put(
        admin,
        "/shipments/by-external-id/kingdee/FH-0010",
        &json!({"sales_order_id": id_of(&order), "delivered_on": "2025-01-02",
                "lines": [{"line_id": line_id(&order, 0), "quantity": "1"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        field_codes(&problem),
        [("delivered_on".to_owned(), "invalid_format".to_owned())]
    );
    let order = json_of(admin.get(&format!("/sales-orders/{}", id_of(&order))).await).await;
    assert_eq!(
        (order["status"].as_str(), count(&order, "shipments")),
        (Some("confirmed"), 0)
    );
}
