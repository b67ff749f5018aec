//! An ERP keeps the CRM in step: it posts shipments, delivery confirmations and payments
//! with its API key; the order's status and receivables follow, and the ERP's webhook
//! receiver hears each step, signed.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Session, json_of, spawn_app};
use crate::quotes::{act, id_of, sales_org};
use crate::sales_orders::{confirmed_order, line_id};
use crate::webhooks::{Receiver, allow_loopback, dispatch, subscribe};

/// A session whose bearer token is `key`.
fn erp_session(admin: &Session, key: &str) -> Session {
    Session {
        access_token: key.to_owned(),
        refresh_token: String::new(),
        ..admin.clone()
    }
}

#[tokio::test]
async fn an_erp_posts_shipments_and_payments_and_hears_each_step() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    allow_loopback(&org.tenant).await;
    let receiver = Receiver::start(&[]).await;
    let (_, secret) = subscribe(
        admin,
        &receiver.url,
        &[
            "sales_order.confirmed",
            "sales_order.completed",
            "shipment.created",
            "shipment.delivered",
            "payment.received",
        ],
    )
    .await;
    let key = act(
        admin,
        "/api-keys",
        &json!({"name": "用友 U8 同步", "data_scope": "all",
                "permissions": ["sales_order.read", "sales_order.write", "receivable.read", "receivable.write"]}),
        StatusCode::CREATED,
    )
    .await;
    let erp = erp_session(admin, key["key"].as_str().unwrap_or_default());
    dispatch(&app, 1.0);

    let order = confirmed_order(&org, "2").await;
    let id = id_of(&order);
    let total = order["total"].as_str().unwrap_or_default().to_owned();
    let line = line_id(&order, 0);

    // The warehouse ships one machine, then the other; the customer signs for both.
    let ship = format!("/sales-orders/{id}/shipments");
    let shipped = act(
        &erp,
        &ship,
        &json!({"carrier": "德邦物流", "tracking_number": "DB2026120601", "lines": [{"line_id": line, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(shipped["status"], "partially_shipped");
    let shipped = act(
        &erp,
        &ship,
        &json!({"carrier": "德邦物流", "tracking_number": "DB2026120602", "lines": [{"line_id": line, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(shipped["status"], "shipped");
    for shipment in shipped["shipments"].as_array().cloned().unwrap_or_default() {
        act(
            &erp,
            &format!("/shipments/{}/deliver", id_of(&shipment)),
            &json!({"received_by": "仓库 李工"}),
            StatusCode::OK,
        )
        .await;
    }
    // Finance in the ERP books the customer's transfer for the whole order.
    let payment = act(
        &erp,
        "/payments",
        &json!({"customer_id": org.customer, "amount": total, "method": "bank_transfer",
                "reference": "工商银行回单 8812", "sales_order_id": id}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(payment["unapplied"], "0.00");

    let order = json_of(erp.get(&format!("/sales-orders/{id}")).await).await;
    assert_eq!(order["status"], "completed");
    assert_eq!(order["received_amount"], total.as_str());
    let instalments = order["instalments"].as_array().cloned().unwrap_or_default();
    assert!(
        instalments.iter().all(|i| i["status"] == "paid"),
        "{instalments:?}"
    );

    let received = receiver
        .wait_for(Duration::from_secs(15), |r| r.len() >= 7)
        .await;
    assert!(received.iter().all(|r| r.signed_with(&secret)));
    let mut types: Vec<String> = received
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    types.sort();
    assert_eq!(
        types,
        [
            "payment.received",
            "sales_order.completed",
            "sales_order.confirmed",
            "shipment.created",
            "shipment.created",
            "shipment.delivered",
            "shipment.delivered",
        ]
    );
}
