//! Reconciliation: an ERP reports its figures for an order; every order where they disagree
//! with the CRM's is listed field by field, compared again on each read, within the
//! caller's data scope.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::inbound_sync::field_codes;
use crate::quotes::{act, id_of, sales_org};
use crate::sales_orders::{confirmed_order, line_id};

async fn report(session: &Session, order: &str, figures: &Value) -> (StatusCode, Value) {
    let response = session
        .request(Method::PUT, &format!("/sales-orders/{order}/erp-figures"))
        .json(figures)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    (status, json_of(response).await)
}

fn differences(answer: &Value) -> Vec<(String, String, String)> {
    answer["differences"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            (text("field"), text("crm"), text("erp"))
        })
        .collect()
}

async fn disagreeing(session: &Session) -> Vec<Value> {
    let page = json_of(session.get("/reconciliation").await).await;
    page["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn orders_whose_erp_figures_disagree_are_listed_field_by_field() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    let order = confirmed_order(&org, "2").await;
    let id = id_of(&order);
    let line = line_id(&order, 0);
    let ship = json!({"lines": [{"line_id": line, "quantity": "1"}]});
    act(
        admin,
        &format!("/sales-orders/{id}/shipments"),
        &ship,
        StatusCode::CREATED,
    )
    .await;
    act(
        admin,
        "/payments",
        &json!({"customer_id": org.customer, "sales_order_id": id, "amount": "50000.00", "method": "bank_transfer"}),
        StatusCode::CREATED,
    )
    .await;

    // The ERP agrees: nothing to list.
    let (status, answer) = report(
        admin,
        &id,
        &json!({"source": "kingdee", "total": "536000", "invoiced": "0", "paid": "50000.00",
                "lines": [{"position": 0, "shipped_quantity": "1"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["agrees"], true);
    assert!(disagreeing(admin).await.is_empty());

    // The ERP booked more money and both machines shipped.
    let (_, answer) = report(
        admin,
        &id,
        &json!({"source": "kingdee", "total": "536000", "paid": "80000",
                "lines": [{"position": 0, "shipped_quantity": "2"}]}),
    )
    .await;
    assert_eq!(answer["agrees"], false);
    let expected = vec![
        (
            "paid".to_owned(),
            "50000.00".to_owned(),
            "80000.00".to_owned(),
        ),
        (
            "lines[0].shipped_quantity".to_owned(),
            "1".to_owned(),
            "2".to_owned(),
        ),
    ];
    assert_eq!(differences(&answer), expected);
    let listed = disagreeing(admin).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["sales_order_id"], json!(id));
    assert_eq!(listed[0]["source"], "kingdee");
    assert_eq!(differences(&listed[0]), expected);

    // The CRM catches up on the shipment: only the money still differs, on the next read.
    act(
        admin,
        &format!("/sales-orders/{id}/shipments"),
        &ship,
        StatusCode::CREATED,
    )
    .await;
    let listed = disagreeing(admin).await;
    assert_eq!(
        differences(&listed[0]),
        [(
            "paid".to_owned(),
            "50000.00".to_owned(),
            "80000.00".to_owned()
        )]
    );

    // A second system reports apart from the first; the order's page shows both.
    let (_, answer) = report(
        admin,
        &id,
        &json!({"source": "wms", "lines": [{"position": 0, "shipped_quantity": "2"}]}),
    )
    .await;
    assert_eq!(answer["agrees"], true);
    let both = json_of(admin.get(&format!("/sales-orders/{id}/erp-figures")).await).await;
    let sources: Vec<&str> = both
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["source"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(sources, ["kingdee", "wms"]);
}

#[tokio::test]
async fn reconciliation_keeps_to_the_callers_orders_and_checks_its_input() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    let order = confirmed_order(&org, "1").await;
    let id = id_of(&order);
    let (_, answer) = report(admin, &id, &json!({"source": "kingdee", "paid": "1"})).await;
    assert_eq!(answer["agrees"], false);

    // Another department's rep neither sees the order in the list nor reports on it.
    let outsider = org
        .tenant
        .user(&app, "rep2", "sales_rep", org.tenant.head_office)
        .await;
    assert!(disagreeing(&outsider).await.is_empty());
    let (status, _) = report(&outsider, &id, &json!({"source": "kingdee", "paid": "1"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(disagreeing(&org.rep).await.len(), 1, "the owner sees it");
    let other = app.tenant("other").await;
    assert!(disagreeing(&other.admin).await.is_empty());

    let (status, problem) = report(
        admin,
        &id,
        &json!({"source": "Kingdee", "total": "-1",
                "lines": [{"position": 0, "shipped_quantity": "1"}, {"position": 0, "shipped_quantity": "1"},
                          {"position": 9, "shipped_quantity": "1"}, {"position": 4294967295u32, "shipped_quantity": "1"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [
            ("source".to_owned(), "invalid_format".to_owned()),
            ("total".to_owned(), "out_of_range".to_owned()),
            ("lines[1].position".to_owned(), "duplicate".to_owned()),
            ("lines[2].position".to_owned(), "out_of_range".to_owned()),
            ("lines[3].position".to_owned(), "out_of_range".to_owned()),
        ]
    );
    let (status, problem) = report(admin, &id, &json!({"source": "kingdee"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [("total".to_owned(), "required".to_owned())]
    );
}
