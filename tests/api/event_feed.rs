//! The change feed: `GET /events?after=` pages through the tenant's events in the order they
//! committed, showing each caller only what their permissions and data scope let them read.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};

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
