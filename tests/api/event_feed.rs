//! The change feed: `GET /events?after=` pages through the tenant's events in the order they
//! committed, showing each caller only what their permissions and data scope let them read.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::quotes::{act, id_of, sales_org};
use crate::sales_orders::{confirmed_order, line_id, today_in_china};

async fn page(session: &Session, query: &str) -> (Vec<Value>, String) {
    let response = session.get(&format!("/events{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "/events{query}");
    let body = json_of(response).await;
    let cursor = body["next_cursor"].as_str().unwrap_or_default().to_owned();
    (
        body["items"].as_array().cloned().unwrap_or_default(),
        cursor,
    )
}

fn summary(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| {
            let name = e["data"]["name"]
                .as_str()
                .or(e["data"]["company_name"].as_str())
                .unwrap_or_default();
            (
                e["type"].as_str().unwrap_or_default().to_owned(),
                name.to_owned(),
            )
        })
        .collect()
}

async fn customer(session: &Session, name: &str) {
    let response = session.post("/customers", &json!({"name": name})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_feed_pages_in_commit_order_within_the_callers_rights() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let legal = acme.user(&app, "legal", "legal", acme.head_office).await;

    acme.admin.create_lead("线索公司").await;
    customer(&acme.admin, "管理员的客户").await;
    customer(&rep, "销售代表的客户").await;
    customer(&globex.admin, "别家的客户").await;
    let numbered = crm_persistence::event_feed::sequence(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(numbered >= 4);

    let (all, end) = page(&acme.admin, "?type=lead.created,customer.created").await;
    assert_eq!(
        summary(&all),
        vec![
            ("lead.created".to_owned(), "线索公司".to_owned()),
            ("customer.created".to_owned(), "管理员的客户".to_owned()),
            ("customer.created".to_owned(), "销售代表的客户".to_owned()),
        ],
        "the tenant's own events, oldest first"
    );

    // Paging one by one gives the same events; the cursor stays put at the end.
    let mut cursor = String::new();
    let mut paged = Vec::new();
    loop {
        let base = "?type=lead.created,customer.created&limit=1";
        let query = if cursor.is_empty() {
            base.to_owned()
        } else {
            format!("{base}&after={cursor}")
        };
        let (items, next) = page(&acme.admin, &query).await;
        if items.is_empty() {
            assert_eq!(next, cursor, "nothing new: the same position");
            break;
        }
        paged.extend(items);
        cursor = next;
    }
    assert_eq!(summary(&paged), summary(&all));
    let (nothing, same) = page(&acme.admin, &format!("?after={end}")).await;
    assert!(nothing.is_empty());
    assert_eq!(same, end);

    // Later events follow the cursor.
    customer(&acme.admin, "后来的客户").await;
    crm_persistence::event_feed::sequence(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (later, _) = page(&acme.admin, &format!("?after={end}")).await;
    assert_eq!(
        summary(&later),
        vec![("customer.created".to_owned(), "后来的客户".to_owned())]
    );

    // A rep sees events about their own records only; legal reads no leads.
    let (reps, _) = page(&rep, "?type=customer.created,lead.created").await;
    assert_eq!(
        summary(&reps),
        vec![("customer.created".to_owned(), "销售代表的客户".to_owned())]
    );
    let (legals, _) = page(&legal, "?type=customer.created,lead.created").await;
    assert!(
        summary(&legals)
            .iter()
            .all(|(t, _)| t == "customer.created")
            && legals.len() == 3,
        "{:?}",
        summary(&legals)
    );

    for bad in ["?after=abc", "?type=order.created", "?limit=500"] {
        let response = acme.admin.get(&format!("/events{bad}")).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[tokio::test]
async fn an_orders_shipments_invoices_and_overdue_instalments_reach_who_sees_the_order() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let outsider = org.outsider(&app).await;
    let finance = org
        .tenant
        .user(&app, "finance", "finance", org.tenant.head_office)
        .await;
    let order = confirmed_order(&org, "2").await;
    let id = id_of(&order);
    act(
        &org.rep,
        &format!("/sales-orders/{id}/shipments"),
        &json!({"lines": [{"line_id": line_id(&order, 0), "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    act(
        &finance,
        &format!("/sales-orders/{id}/invoices"),
        &json!({"number": "04410001", "amount": "268000.00", "tax_amount": "30831.86"}),
        StatusCode::CREATED,
    )
    .await;
    // The default plan is due 30 days after confirmation.
    crm_persistence::reminders::run(&app.db, today_in_china() + chrono::Duration::days(31))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    crm_persistence::event_feed::sequence(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // The events name the order's owner: the owner and their manager see them, a rep of
    // another department does not.
    let owner = org.rep.user_id.to_string();
    let about_the_order = [
        ("shipment.created", id.as_str(), owner.as_str()),
        ("invoice.created", id.as_str(), owner.as_str()),
        ("receivable.overdue", id.as_str(), owner.as_str()),
    ];
    let query = "?type=shipment.created,invoice.created,receivable.overdue";
    for (who, session, sees) in [
        ("owner", &org.rep, true),
        ("manager", &org.mgr, true),
        ("other department", &outsider, false),
    ] {
        let (items, _) = page(session, query).await;
        let seen: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|e| {
                (
                    e["type"].as_str().unwrap_or_default(),
                    e["data"]["sales_order_id"].as_str().unwrap_or_default(),
                    e["data"]["owner_id"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        let expected = if sees { &about_the_order[..] } else { &[] };
        assert_eq!(seen, expected, "{who}");
    }
}
