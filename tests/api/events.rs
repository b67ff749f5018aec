//! The business events integrators subscribe to: every change in the catalogue queues its
//! event in the outbox with the change, named as the catalogue names it, with a compact
//! payload.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, json_of, spawn_app};

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

pub(crate) async fn ok(response: reqwest::Response, expected: StatusCode, what: &str) -> Value {
    let status = response.status();
    let body = json_of(response).await;
    assert_eq!(status, expected, "{what}: {body}");
    body
}

/// Stage ids of the default pipeline by name.
pub(crate) async fn stage(session: &Session, name: &str) -> String {
    let pipelines = json_of(session.get("/pipelines").await).await;
    pipelines[0]["stages"]
        .as_array()
        .and_then(|stages| stages.iter().find(|s| s["name"] == name))
        .map(id_of)
        .unwrap_or_else(|| panic!("no stage {name}"))
}

/// The events queued since the first `skip`.
async fn events_after(app: &TestApp, session: &Session, skip: usize) -> Vec<(String, Value)> {
    app.queued_events(session)
        .await
        .into_iter()
        .skip(skip)
        .collect()
}

fn names(events: &[(String, Value)]) -> Vec<&str> {
    events.iter().map(|(name, _)| name.as_str()).collect()
}

#[tokio::test]
async fn a_lead_becomes_a_customer_and_a_won_deal_and_every_step_is_an_event() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let admin = &acme.admin;

    let lead = ok(
        rep.post("/leads", &json!({"company_name": "苏州精工机械有限公司", "contact_name": "王磊", "mobile": "13812345678", "industry": "机械", "source": "exhibition"})).await,
        StatusCode::CREATED,
        "lead",
    )
    .await;
    let lead_id = id_of(&lead);
    ok(
        admin
            .post(&format!("/leads/{lead_id}/qualify"), &json!({}))
            .await,
        StatusCode::OK,
        "qualify",
    )
    .await;
    let converted = ok(
        rep.post(
            &format!("/leads/{lead_id}/convert"),
            &json!({"opportunity": {"name": "新产线设备", "amount": "800000", "expected_close_date": "2030-06-30"}}),
        )
        .await,
        StatusCode::OK,
        "convert",
    )
    .await;
    let customer_id = converted["customer_id"].clone();
    let contact_id = converted["contact_id"].clone();
    let converted_deal = converted["opportunity_id"].clone();

    let events = app.queued_events(&rep).await;
    assert_eq!(
        names(&events),
        [
            "lead.created",
            "customer.created",
            "contact.created",
            "opportunity.created",
            "lead.converted",
        ],
        "qualifying is no event; the conversion's records come before the conversion"
    );
    let payload = |i: usize| events[i].1.clone();
    assert_eq!(
        (
            payload(0)["lead_id"].as_str(),
            payload(0)["company_name"].as_str(),
            payload(0)["status"].as_str(),
            payload(0)["owner_id"].clone(),
        ),
        (
            Some(lead_id.as_str()),
            Some("苏州精工机械有限公司"),
            Some("new"),
            json!(rep.user_id)
        )
    );
    assert!(
        payload(0).get("mobile").is_none(),
        "no phone numbers in events"
    );
    assert_eq!(
        (
            payload(1)["customer_id"].clone(),
            payload(1)["name"].clone()
        ),
        (customer_id.clone(), json!("苏州精工机械有限公司"))
    );
    assert_eq!(
        (
            payload(2)["contact_id"].clone(),
            payload(2)["customer_id"].clone(),
            payload(2)["is_primary"].clone()
        ),
        (contact_id.clone(), customer_id.clone(), json!(true))
    );
    assert_eq!(
        (
            payload(3)["opportunity_id"].clone(),
            payload(3)["lead_id"].clone(),
            payload(3)["stage_name"].clone(),
            payload(3)["amount"].clone(),
            payload(3)["currency"].clone(),
        ),
        (
            converted_deal.clone(),
            json!(lead_id),
            json!("初步接洽"),
            json!("800000.00"),
            json!("CNY")
        )
    );
    assert_eq!(
        (
            payload(4)["lead_id"].clone(),
            payload(4)["status"].clone(),
            payload(4)["customer_id"].clone(),
            payload(4)["customer_created"].clone(),
            payload(4)["contact_id"].clone(),
            payload(4)["opportunity_id"].clone(),
        ),
        (
            json!(lead_id),
            json!("converted"),
            customer_id.clone(),
            json!(true),
            contact_id.clone(),
            converted_deal.clone()
        )
    );
    let seen = events.len();

    // A PATCH names what it changed; one that changes nothing is no news.
    let customer_path = format!("/customers/{}", customer_id.as_str().unwrap_or_default());
    ok(
        rep.patch(
            &customer_path,
            &json!({"short_name": "精工", "website": "https://jinggong.cn"}),
        )
        .await,
        StatusCode::OK,
        "update customer",
    )
    .await;
    ok(
        rep.patch(&customer_path, &json!({"short_name": "精工"}))
            .await,
        StatusCode::OK,
        "same value again",
    )
    .await;
    // The duplicate a colleague entered is merged into the converted customer.
    let duplicate = ok(
        rep.post(
            "/customers",
            &json!({"name": "精工机械苏州分公司", "credit_code": "91350100M000100Y43"}),
        )
        .await,
        StatusCode::CREATED,
        "duplicate customer",
    )
    .await;
    ok(
        admin
            .post(
                &format!("{customer_path}/merge"),
                &json!({"source_id": id_of(&duplicate)}),
            )
            .await,
        StatusCode::OK,
        "merge",
    )
    .await;
    let contact = ok(
        rep.post(
            "/contacts",
            &json!({"customer_id": customer_id, "name": "李娜", "title": "工程师"}),
        )
        .await,
        StatusCode::CREATED,
        "contact",
    )
    .await;
    ok(
        rep.patch(
            &format!("/contacts/{}", id_of(&contact)),
            &json!({"title": "总工程师"}),
        )
        .await,
        StatusCode::OK,
        "update contact",
    )
    .await;

    let events = events_after(&app, &rep, seen).await;
    assert_eq!(
        names(&events),
        [
            "customer.updated",
            "customer.created",
            "customer.merged",
            "contact.created",
            "contact.updated",
        ]
    );
    assert_eq!(
        (
            events[0].1["customer_id"].clone(),
            events[0].1["short_name"].clone(),
            events[0].1["changed"].clone()
        ),
        (
            customer_id.clone(),
            json!("精工"),
            json!(["short_name", "website"])
        )
    );
    assert_eq!(
        (
            events[2].1["customer_id"].clone(),
            events[2].1["merged_customer_id"].clone(),
            events[2].1["credit_code"].clone(),
        ),
        (
            customer_id.clone(),
            json!(id_of(&duplicate)),
            json!("91350100M000100Y43")
        ),
        "the survivor, the customer merged into it, and what the survivor took over"
    );
    assert_eq!(
        (
            events[3].1["contact_id"].clone(),
            events[3].1["is_primary"].clone()
        ),
        (json!(id_of(&contact)), json!(false))
    );
    assert_eq!(
        (events[4].1["title"].clone(), events[4].1["changed"].clone()),
        (json!("总工程师"), json!(["title"]))
    );
    let seen = seen + events.len();

    // A new deal moves on and is won; the converted one is lost to a competitor.
    let deal = ok(
        rep.post(
            "/opportunities",
            &json!({"name": "二期产线改造", "customer_id": customer_id, "amount": "268000", "expected_close_date": "2030-03-31"}),
        )
        .await,
        StatusCode::CREATED,
        "opportunity",
    )
    .await;
    let deal_id = id_of(&deal);
    let (first, quoting, won, lost) = (
        stage(&rep, "初步接洽").await,
        stage(&rep, "方案/报价").await,
        stage(&rep, "赢单").await,
        stage(&rep, "输单").await,
    );
    let move_to = |id: String, body: Value| {
        let rep = rep.clone();
        async move {
            ok(
                rep.post(&format!("/opportunities/{id}/stage"), &body).await,
                StatusCode::OK,
                "move",
            )
            .await
        }
    };
    move_to(deal_id.clone(), json!({"stage_id": quoting})).await;
    move_to(deal_id.clone(), json!({"stage_id": won})).await;
    let converted_deal = converted_deal.as_str().unwrap_or_default().to_owned();
    move_to(
        converted_deal.clone(),
        json!({"stage_id": lost, "lost_reason": "price", "winning_competitor": "德玛吉"}),
    )
    .await;

    let events = events_after(&app, &rep, seen).await;
    assert_eq!(
        names(&events),
        [
            "opportunity.created",
            "opportunity.stage_changed",
            "opportunity.won",
            "opportunity.lost",
        ],
        "one event per change: a win is not also a stage change"
    );
    assert_eq!(
        (
            events[0].1["opportunity_id"].clone(),
            events[0].1["customer_id"].clone(),
            events[0].1["owner_id"].clone(),
            events[0].1["amount"].clone(),
            events[0].1["status"].clone(),
        ),
        (
            json!(deal_id),
            customer_id.clone(),
            json!(rep.user_id),
            json!("268000.00"),
            json!("open")
        )
    );
    assert_eq!(
        (
            events[1].1["from_stage_id"].clone(),
            events[1].1["from_stage_name"].clone(),
            events[1].1["to_stage_id"].clone(),
            events[1].1["to_stage_name"].clone(),
            events[1].1["probability"].clone(),
        ),
        (
            json!(first),
            json!("初步接洽"),
            json!(quoting),
            json!("方案/报价"),
            json!(50)
        )
    );
    assert_eq!(
        (
            events[2].1["opportunity_id"].clone(),
            events[2].1["status"].clone(),
            events[2].1["from_stage_name"].clone(),
            events[2].1["to_stage_name"].clone(),
        ),
        (
            json!(deal_id),
            json!("won"),
            json!("方案/报价"),
            json!("赢单")
        )
    );
    assert!(events[2].1["won_on"].is_string());
    assert_eq!(
        (
            events[3].1["opportunity_id"].clone(),
            events[3].1["status"].clone(),
            events[3].1["lost_reason"].clone(),
            events[3].1["winning_competitor"].clone(),
        ),
        (
            json!(converted_deal),
            json!("lost"),
            json!("price"),
            json!("德玛吉")
        )
    );

    // Reopening moves it back to an open stage: a stage change.
    ok(
        rep.post(
            &format!("/opportunities/{converted_deal}/reopen"),
            &json!({}),
        )
        .await,
        StatusCode::OK,
        "reopen",
    )
    .await;
    let events = events_after(&app, &rep, seen + 4).await;
    assert_eq!(names(&events), ["opportunity.stage_changed"]);
    assert_eq!(
        (
            events[0].1["from_stage_name"].clone(),
            events[0].1["to_stage_name"].clone(),
            events[0].1["status"].clone()
        ),
        (json!("输单"), json!("初步接洽"), json!("open"))
    );
}

#[tokio::test]
async fn a_failed_change_queues_nothing() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    ok(
        admin
            .post("/customers", &json!({"name": "苏州精工机械有限公司"}))
            .await,
        StatusCode::CREATED,
        "customer",
    )
    .await;
    let before = app.queued_events(admin).await.len();
    let duplicate = admin
        .post("/customers", &json!({"name": "苏州精工机械有限公司"}))
        .await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let lead = admin.create_lead("无锡华光电子有限公司").await;
    let refused = admin
        .post(&format!("/leads/{}/convert", id_of(&lead)), &json!({}))
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT, "not qualified yet");
    let events = events_after(&app, admin, before).await;
    assert_eq!(names(&events), ["lead.created"]);
}
