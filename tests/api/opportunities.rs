//! Opportunities: the stage rules end to end, the team's access, the board's sums, pipelines
//! that guard the stages in use, and saved filters that stay private.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

/// The fields a 422 names.
async fn error_fields(response: reqwest::Response) -> Vec<String> {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    json_of(response).await["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn customer(session: &Session, name: &str) -> String {
    let response = session.post("/customers", &json!({"name": name})).await;
    assert_eq!(response.status(), StatusCode::CREATED, "customer {name}");
    id_of(&json_of(response).await)
}

async fn opportunity(session: &Session, body: &Value) -> Value {
    let response = session.post("/opportunities", body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    json_of(response).await
}

/// Stage ids of the default pipeline by name.
async fn stage(session: &Session, name: &str) -> String {
    let pipelines = json_of(session.get("/pipelines").await).await;
    pipelines[0]["stages"]
        .as_array()
        .and_then(|stages| stages.iter().find(|s| s["name"] == name))
        .map(id_of)
        .unwrap_or_else(|| panic!("no stage {name}"))
}

async fn move_to(session: &Session, id: &str, body: &Value) -> reqwest::Response {
    session
        .post(&format!("/opportunities/{id}/stage"), body)
        .await
}

#[tokio::test]
async fn an_opportunity_moves_through_the_pipeline_and_keeps_its_history() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let customer_id = customer(admin, "苏州精工机械有限公司").await;
    let product = json_of(
        admin
            .post(
                "/products",
                &json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000.00"}),
            )
            .await,
    )
    .await;
    let created = opportunity(
        admin,
        &json!({
            "name": "二期产线改造", "customer_id": customer_id, "expected_close_date": "2030-03-31",
            "amount": "1", "lines": [{"product_id": id_of(&product), "quantity": "2", "discount_percent": "5"}]
        }),
    )
    .await;
    let id = id_of(&created);
    assert_eq!(
        (
            created["amount"].as_str(),
            created["amount_from_lines"].as_bool(),
            created["stage_name"].as_str(),
            created["probability"].as_u64(),
            created["weighted_amount"].as_str(),
        ),
        (
            Some("509200.00"),
            Some(true),
            Some("初步接洽"),
            Some(10),
            Some("50920.00")
        ),
        "the lines' total wins over the entered amount; the first stage's probability applies"
    );
    assert_eq!(created["lines"][0]["price_source"], "list_price");

    let quoted = move_to(
        admin,
        &id,
        &json!({"stage_id": stage(admin, "方案/报价").await}),
    )
    .await;
    assert_eq!(quoted.status(), StatusCode::OK);
    assert_eq!(json_of(quoted).await["probability"], 50);

    let refused = move_to(admin, &id, &json!({"stage_id": stage(admin, "输单").await})).await;
    assert_eq!(
        error_fields(refused).await,
        ["lost_reason", "winning_competitor"],
        "a loss needs its reason and its winner"
    );
    let unknown = move_to(
        admin,
        &id,
        &json!({"stage_id": stage(admin, "输单").await, "lost_reason": "weather", "winning_competitor": "德玛吉"}),
    )
    .await;
    assert_eq!(error_fields(unknown).await, ["lost_reason"]);

    let patched = admin
        .patch(
            &format!("/opportunities/{id}"),
            &json!({"stage_id": stage(admin, "赢单").await}),
        )
        .await;
    assert_eq!(
        error_fields(patched).await,
        ["stage_id"],
        "PATCH cannot move it"
    );

    let won = move_to(admin, &id, &json!({"stage_id": stage(admin, "赢单").await})).await;
    assert_eq!(won.status(), StatusCode::OK);
    let won = json_of(won).await;
    assert_eq!(
        (won["stage_kind"].as_str(), won["probability"].as_u64()),
        (Some("won"), Some(100))
    );
    assert!(won["won_on"].is_string() && won["closed_at"].is_string());
    let prices = json_of(
        admin
            .get(&format!("/price-history?customer_id={customer_id}"))
            .await,
    )
    .await;
    assert_eq!(
        (
            prices["items"][0]["unit_price"].as_str(),
            prices["items"][0]["event"].as_str(),
            prices["items"][0]["source_name"].as_str()
        ),
        (Some("268000.00"), Some("won"), Some("二期产线改造")),
        "winning keeps the price agreed with this customer"
    );

    let again = move_to(
        admin,
        &id,
        &json!({"stage_id": stage(admin, "商务谈判").await}),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "closed: reopen first");
    assert_eq!(json_of(again).await["code"], "invalid_transition");

    let reopened = admin
        .post(
            &format!("/opportunities/{id}/reopen"),
            &json!({"note": "客户追加预算"}),
        )
        .await;
    assert_eq!(reopened.status(), StatusCode::OK);
    let reopened = json_of(reopened).await;
    assert_eq!(
        (
            reopened["stage_name"].as_str(),
            reopened["probability"].as_u64(),
            reopened["won_on"].clone()
        ),
        (Some("方案/报价"), Some(50), json!(null)),
        "back to the stage it closed from"
    );

    let history = json_of(
        admin
            .get(&format!("/opportunities/{id}/stage-history"))
            .await,
    )
    .await;
    let kinds: Vec<&str> = history
        .as_array()
        .map(|h| h.iter().filter_map(|c| c["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["created", "moved", "won", "reopened"]);
    assert_eq!(history[1]["from_stage_name"], "初步接洽");
    assert!(
        history[1]["seconds_in_previous"]
            .as_i64()
            .is_some_and(|s| s >= 0)
    );
    assert_eq!(history[3]["note"], "客户追加预算");
    assert_eq!(history[3]["changed_by_name"], "管理员");
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let customer_id = customer(admin, "苏州精工机械有限公司").await;
    let other_customer = customer(admin, "无锡华光电子有限公司").await;
    let contact = json_of(
        admin
            .post(
                "/contacts",
                &json!({"customer_id": other_customer, "name": "李娜"}),
            )
            .await,
    )
    .await;
    let base =
        json!({"name": "改造", "customer_id": customer_id, "expected_close_date": "2030-03-31"});
    let with = |extra: Value| {
        let mut body = base.clone();
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    };
    for (extra, field) in [
        (json!({"amount": "abc"}), "amount"),
        (json!({"amount": 100}), "amount"),
        (json!({"amount": "-1"}), "amount"),
        (json!({"amount": "0.00001"}), "amount"),
        (json!({"amount": "1000000000000.01"}), "amount"),
        (json!({"currency": "人民币"}), "currency"),
        (json!({"probability": 101}), "probability"),
        (
            json!({"contacts": [{"contact_id": id_of(&contact), "role": "decision_maker"}]}),
            "contacts",
        ),
        (json!({"team": [{"user_id": id_of(&contact)}]}), "team"),
        (
            json!({"lines": [{"product_id": id_of(&contact), "quantity": "1"}]}),
            "lines[0].product_id",
        ),
        (
            json!({"competitors": [{"name": " "}]}),
            "competitors[0].name",
        ),
        (json!({"stage_id": customer_id}), "stage_id"),
    ] {
        let response = admin.post("/opportunities", &with(extra.clone())).await;
        assert_eq!(error_fields(response).await, [field], "{extra}");
    }
}

#[tokio::test]
async fn team_members_see_and_work_on_it_but_cannot_hand_it_over() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let south = acme.department("华南区", acme.head_office).await;
    let owner = acme.user(&app, "owner", "sales_rep", east).await;
    let engineer = acme.user(&app, "engineer", "sales_rep", south).await;
    let customer_id = customer(&owner, "苏州精工机械有限公司").await;
    let created = opportunity(
        &owner,
        &json!({"name": "二期", "customer_id": customer_id, "expected_close_date": "2030-03-31"}),
    )
    .await;
    let id = id_of(&created);
    let path = format!("/opportunities/{id}");
    assert_eq!(engineer.get(&path).await.status(), StatusCode::NOT_FOUND);

    let team = json!({"team": [{"user_id": engineer.user_id, "role": "售前工程师"}]});
    let joined = owner.patch(&path, &team).await;
    assert_eq!(joined.status(), StatusCode::OK);
    assert_eq!(json_of(joined).await["team"][0]["name"], "engineer");

    assert_eq!(engineer.get(&path).await.status(), StatusCode::OK);
    let mine = json_of(engineer.get("/opportunities?member=true").await).await;
    assert_eq!(mine["items"][0]["id"], json!(id));
    let edited = engineer
        .patch(&path, &json!({"next_step": "技术交流"}))
        .await;
    assert_eq!(edited.status(), StatusCode::OK, "members work on it");
    let moved = move_to(
        &engineer,
        &id,
        &json!({"stage_id": stage(&engineer, "需求确认").await}),
    )
    .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let logged = engineer
        .post(
            "/activities",
            &json!({"kind": "visit", "subject": "技术交流", "opportunity_id": id}),
        )
        .await;
    assert_eq!(
        logged.status(),
        StatusCode::CREATED,
        "on the opportunity even though the customer is not theirs"
    );
    let timeline = json_of(
        engineer
            .get(&format!("/activities?opportunity_id={id}"))
            .await,
    )
    .await;
    assert_eq!(timeline["items"][0]["subject"], "技术交流");
    let on_customer = json_of(
        owner
            .get(&format!("/activities?customer_id={customer_id}"))
            .await,
    )
    .await;
    assert_eq!(on_customer["items"][0]["opportunity_id"], json!(id));

    let handover = engineer
        .patch(&path, &json!({"owner_id": engineer.user_id}))
        .await;
    assert_eq!(handover.status(), StatusCode::FORBIDDEN);
    let regroup = engineer.patch(&path, &json!({"team": []})).await;
    assert_eq!(regroup.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        engineer
            .get(&format!("/customers/{customer_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "the team sees the deal, not the customer record"
    );

    let left = owner.patch(&path, &json!({"team": []})).await;
    assert_eq!(left.status(), StatusCode::OK);
    assert_eq!(engineer.get(&path).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_board_sums_each_column_per_currency_and_pages_its_cards() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let director = acme
        .user(&app, "director", "sales_director", acme.head_office)
        .await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let customer_id = customer(&rep, "苏州精工机械有限公司").await;
    for (name, amount, currency, close) in [
        ("甲", "100000", "CNY", "2030-01-31"),
        ("乙", "50000.50", "CNY", "2030-02-28"),
        ("丙", "20000", "USD", "2030-03-31"),
    ] {
        opportunity(
            &rep,
            &json!({"name": name, "customer_id": customer_id, "expected_close_date": close, "amount": amount, "currency": currency}),
        )
        .await;
    }
    let lost = opportunity(
        &rep,
        &json!({"name": "丁", "customer_id": customer_id, "expected_close_date": "2030-01-01", "amount": "7"}),
    )
    .await;
    let lost_move = move_to(
        &rep,
        &id_of(&lost),
        &json!({"stage_id": stage(&rep, "输单").await, "lost_reason": "price", "winning_competitor": "德玛吉"}),
    )
    .await;
    assert_eq!(lost_move.status(), StatusCode::OK);

    let board = json_of(director.get("/opportunities/board?per_stage=2").await).await;
    let first = &board["columns"][0];
    assert_eq!(
        (first["name"].as_str(), first["count"].as_u64()),
        (Some("初步接洽"), Some(3))
    );
    let totals = first["totals"].as_array().cloned().unwrap_or_default();
    let cny = totals.iter().find(|t| t["currency"] == "CNY");
    assert_eq!(
        cny.map(|t| (t["amount"].clone(), t["weighted_amount"].clone())),
        Some((json!("150000.50"), json!("15000.05"))),
        "10% of the column, exact to the cent"
    );
    assert!(
        totals
            .iter()
            .any(|t| t["currency"] == "USD" && t["amount"] == "20000.00")
    );
    let names: Vec<&str> = first["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["甲", "乙"], "soonest close first");
    let cursor = first["next_cursor"].as_str().unwrap_or_default().to_owned();
    let stage_id = first["stage_id"].as_str().unwrap_or_default().to_owned();
    let more = json_of(
        director
            .get(&format!(
                "/opportunities?stage_id={stage_id}&sort=expected_close_date&cursor={cursor}"
            ))
            .await,
    )
    .await;
    assert_eq!(more["items"][0]["name"], "丙");

    let lost_column = board["columns"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["kind"] == "lost"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(lost_column["count"], 1, "closed in the last 30 days");
    let later = json_of(
        director
            .get("/opportunities/board?closed_since=2099-01-01")
            .await,
    )
    .await;
    let lost_later = later["columns"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["kind"] == "lost"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(lost_later["count"], 0);
    assert_eq!(
        director
            .get("/opportunities/board?per_stage=500")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn pipelines_are_configurable_and_guard_the_stages_in_use() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let stages = json!([
        {"name": "接洽", "probability": 10}, {"name": "立项", "probability": 30},
        {"name": "赢单", "kind": "won", "probability": 100}, {"name": "输单", "kind": "lost", "probability": 0}
    ]);
    assert_eq!(
        rep.post("/pipelines", &json!({"name": "项目型", "stages": stages}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let no_lost = admin
        .post(
            "/pipelines",
            &json!({"name": "项目型", "stages": [{"name": "接洽", "probability": 10}, {"name": "立项", "probability": 30}, {"name": "赢", "kind": "won", "probability": 100}]}),
        )
        .await;
    assert_eq!(error_fields(no_lost).await, ["stages.lost"]);
    let created = admin
        .post("/pipelines", &json!({"name": "项目型", "stages": stages}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let pipeline = json_of(created).await;
    let pipeline_id = id_of(&pipeline);
    let first_stage = id_of(&pipeline["stages"][0]);

    let customer_id = customer(&rep, "苏州精工机械有限公司").await;
    let deal = opportunity(
        &rep,
        &json!({"name": "二期", "customer_id": customer_id, "expected_close_date": "2030-03-31", "pipeline_id": pipeline_id}),
    )
    .await;
    assert_eq!(deal["stage_id"], json!(first_stage));

    let path = format!("/pipelines/{pipeline_id}");
    let keep = |first: Value| {
        json!({"name": "项目型（新）", "stages": [
            first, {"id": pipeline["stages"][1]["id"], "name": "立项", "probability": 30},
            {"id": pipeline["stages"][2]["id"], "name": "赢单", "kind": "won", "probability": 100},
            {"id": pipeline["stages"][3]["id"], "name": "输单", "kind": "lost", "probability": 0}
        ]})
    };
    let dropped = admin
        .request(reqwest::Method::PUT, &path)
        .json(&keep(json!({"name": "新接洽", "probability": 5})))
        .send()
        .await
        .map(|r| r.status())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dropped, StatusCode::CONFLICT, "its stage holds a deal");
    let renamed = admin
        .request(reqwest::Method::PUT, &path)
        .json(&keep(
            json!({"id": first_stage, "name": "初次接洽", "probability": 15}),
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(renamed.status(), StatusCode::OK);
    let deal_now = json_of(rep.get(&format!("/opportunities/{}", id_of(&deal))).await).await;
    assert_eq!(deal_now["stage_name"], "初次接洽");

    assert_eq!(
        admin.delete(&path).await.status(),
        StatusCode::CONFLICT,
        "in use"
    );
    let pipelines = json_of(admin.get("/pipelines").await).await;
    let default = id_of(&pipelines[0]);
    assert_eq!(pipelines[0]["is_default"], true);
    let response = admin.delete(&format!("/pipelines/{default}")).await;
    assert_eq!(json_of(response).await["code"], "pipeline_is_default");
}

#[tokio::test]
async fn saved_filters_belong_to_their_user() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let ann = acme.user(&app, "ann", "sales_rep", acme.head_office).await;
    let bob = acme.user(&app, "bob", "sales_rep", acme.head_office).await;
    let body = json!({"resource": "opportunities", "name": "本季度项目型", "query": "?kind=project&close_to=2027-03-31"});
    let saved = ann.post("/saved-filters", &body).await;
    assert_eq!(saved.status(), StatusCode::CREATED);
    let saved = json_of(saved).await;
    assert_eq!(saved["query"], "kind=project&close_to=2027-03-31");
    assert_eq!(
        ann.post("/saved-filters", &body).await.status(),
        StatusCode::CONFLICT
    );
    let mine = json_of(ann.get("/saved-filters?resource=opportunities").await).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    let theirs = json_of(bob.get("/saved-filters").await).await;
    assert_eq!(theirs.as_array().map(Vec::len), Some(0));
    let path = format!("/saved-filters/{}", id_of(&saved));
    assert_eq!(bob.delete(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ann.delete(&path).await.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn converting_a_lead_can_open_its_opportunity_once() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let lead = admin.create_lead("苏州精工机械有限公司").await;
    let id = id_of(&lead);
    let path = |action: &str| format!("/leads/{id}/{action}");
    let industry = admin
        .patch(&format!("/leads/{id}"), &json!({"industry": "机械"}))
        .await;
    assert_eq!(industry.status(), StatusCode::OK);
    for action in ["start-working", "qualify"] {
        assert_eq!(
            admin.post(&path(action), &json!({})).await.status(),
            StatusCode::OK
        );
    }
    let bad = admin
        .post(
            &path("convert"),
            &json!({"opportunity": {"name": " ", "expected_close_date": "2030-06-30"}}),
        )
        .await;
    assert_eq!(error_fields(bad).await, ["opportunity.name"]);
    let body = json!({"opportunity": {"name": "新产线设备", "amount": "800000", "expected_close_date": "2030-06-30", "kind": "project"}});
    let converted = json_of(admin.post(&path("convert"), &body).await).await;
    let opportunity_id = converted["opportunity_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let opened = json_of(admin.get(&format!("/opportunities/{opportunity_id}")).await).await;
    assert_eq!(
        (
            opened["lead_id"].clone(),
            opened["customer_id"].clone(),
            opened["source"].as_str(),
            opened["amount"].as_str()
        ),
        (
            json!(id),
            converted["customer_id"].clone(),
            Some("phone"),
            Some("800000.00")
        )
    );
    let again = json_of(admin.post(&path("convert"), &body).await).await;
    assert_eq!(
        again["opportunity_id"],
        json!(opportunity_id),
        "converted once"
    );
}

#[tokio::test]
async fn every_user_sees_the_directory_and_assignable_follows_the_scope() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let south = acme.department("华南区", acme.head_office).await;
    let rep = acme
        .named_user(&app, "rep", "李娜", "sales_rep", east)
        .await;
    let manager = acme
        .named_user(&app, "mgr", "王经理", "sales_manager", east)
        .await;
    let other = acme
        .named_user(&app, "other", "张伟", "sales_rep", south)
        .await;
    let names = |entries: &Value| -> Vec<String> {
        entries
            .as_array()
            .map(|e| {
                e.iter()
                    .filter_map(|u| u["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let everyone = json_of(rep.get("/user-directory").await).await;
    assert_eq!(names(&everyone).len(), 4, "admin and the three colleagues");
    assert!(everyone.as_array().is_some_and(|e| {
        e.iter()
            .any(|u| u["name"] == "张伟" && u["department_name"] == "华南区")
    }));
    let for_rep = json_of(rep.get("/user-directory?assignable=true").await).await;
    assert_eq!(names(&for_rep), ["李娜"]);
    let for_manager = json_of(manager.get("/user-directory?assignable=true").await).await;
    let mut managed = names(&for_manager);
    managed.sort();
    assert_eq!(managed, ["李娜", "王经理"]);
    assert!(!names(&for_manager).contains(&"张伟".to_owned()));
    assert_eq!(
        other.get("/user-directory?bogus=1").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
