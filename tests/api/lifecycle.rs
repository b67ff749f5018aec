//! The lead lifecycle: new → working → qualified → converted, disqualify and reopen, the
//! tenant's qualification rules, conversion without duplicates, and activities with the
//! follow-up tasks they leave.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

fn fields_of(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
}

async fn act(session: &Session, lead_id: &str, action: &str, body: Value) -> (StatusCode, Value) {
    let response = session
        .post(&format!("/leads/{lead_id}/{action}"), &body)
        .await;
    (response.status(), json_of(response).await)
}

#[tokio::test]
async fn a_lead_moves_only_through_its_actions_and_qualifies_by_the_tenants_rules() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let manager = acme
        .user(&app, "mgr", "sales_manager", acme.head_office)
        .await;
    let lead = rep.create_lead("苏州精工机械有限公司").await;
    let id = id_of(&lead);
    assert_eq!(lead["status"], "new");

    let (status, _) = act(&rep, &id, "qualify", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reps do not qualify leads");

    // The admin requires more fields; every missing one is reported at once.
    let rules = acme
        .admin
        .patch(
            "/settings",
            &json!({"lead_qualification_fields": ["mobile", "industry", "email", "title"]}),
        )
        .await;
    assert_eq!(rules.status(), StatusCode::OK);
    let (status, problem) = act(&manager, &id, "qualify", json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields_of(&problem),
        vec!["title", "email", "industry"],
        "in the order the form shows them"
    );

    let patched = rep
        .patch(
            &format!("/leads/{id}"),
            &json!({"industry": "机械", "email": "a@jinggong.cn", "title": "经理"}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let (status, working) = act(&rep, &id, "start-working", json!({})).await;
    assert_eq!(
        (status, working["status"].as_str()),
        (StatusCode::OK, Some("working"))
    );
    let (status, qualified) = act(&manager, &id, "qualify", json!({})).await;
    assert_eq!(
        (status, qualified["status"].as_str()),
        (StatusCode::OK, Some("qualified"))
    );
    assert!(qualified["qualified_at"].is_string());

    let (status, problem) = act(&rep, &id, "start-working", json!({})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition"))
    );
    let by_patch = rep
        .patch(&format!("/leads/{id}"), &json!({"status": "new"}))
        .await;
    assert_eq!(
        by_patch.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "PATCH cannot change the status"
    );

    let (status, problem) = act(
        &manager,
        &id,
        "disqualify",
        json!({"reason": "too_expensive"}),
    )
    .await;
    assert_eq!(
        (status, fields_of(&problem)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_owned()])
    );
    let (status, disqualified) = act(
        &manager,
        &id,
        "disqualify",
        json!({"reason": "no_budget", "note": "明年再说"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            disqualified["status"].as_str(),
            disqualified["disqualify_reason"].as_str()
        ),
        (Some("disqualified"), Some("no_budget"))
    );
    let (status, reopened) = act(&manager, &id, "reopen", json!({})).await;
    assert_eq!(
        (
            status,
            reopened["status"].as_str(),
            reopened["disqualify_reason"].as_str()
        ),
        (StatusCode::OK, Some("working"), None)
    );

    let listed = json_of(rep.get("/leads?status=working").await).await;
    assert_eq!(listed["items"][0]["id"], json!(id));
    let history = json_of(acme.admin.get(&format!("/audit-log?entity_id={id}")).await).await;
    let actions: Vec<&str> = history["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "status_changed").count(),
        4,
        "{actions:?}"
    );
}

#[tokio::test]
async fn conversion_makes_a_customer_and_contact_once_and_never_a_duplicate() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let south = acme.department("华南区", acme.head_office).await;
    let east_rep = acme
        .named_user(&app, "zhangwei", "张伟", "sales_rep", east)
        .await;
    let south_rep = acme
        .named_user(&app, "wangfang", "王芳", "sales_rep", south)
        .await;
    let director = acme
        .user(&app, "director", "sales_director", acme.head_office)
        .await;

    let lead = east_rep
        .post("/leads", &json!({"company_name": "苏州精工机械有限公司", "contact_name": "王磊", "mobile": "13812345678", "industry": "机械", "source": "exhibition", "title": "采购经理"}))
        .await;
    let id = id_of(&json_of(lead).await);
    let (status, problem) = act(&east_rep, &id, "convert", json!({})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition")),
        "only qualified leads convert"
    );

    let (status, _) = act(&director, &id, "qualify", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, converted) = act(&east_rep, &id, "convert", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{converted}");
    assert_eq!(converted["customer_created"], true);
    assert_eq!(converted["lead"]["status"], "converted");
    let customer_id = converted["customer_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        converted["lead"]["customer_id"],
        json!(customer_id),
        "the lead keeps its link"
    );
    let customer = json_of(east_rep.get(&format!("/customers/{customer_id}")).await).await;
    assert_eq!(
        (
            customer["name"].as_str(),
            customer["industry"].as_str(),
            customer["owner_name"].as_str()
        ),
        (Some("苏州精工机械有限公司"), Some("机械"), Some("张伟"))
    );
    let contact = json_of(
        east_rep
            .get(&format!(
                "/contacts/{}",
                converted["contact_id"].as_str().unwrap_or_default()
            ))
            .await,
    )
    .await;
    assert_eq!(
        (
            contact["name"].as_str(),
            contact["mobile"].as_str(),
            contact["is_primary"].as_bool()
        ),
        (Some("王磊"), Some("13812345678"), Some(true))
    );

    // Converting again is idempotent: the same customer and contact, nothing new.
    let (status, again) = act(&east_rep, &id, "convert", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            again["customer_id"].clone(),
            again["contact_id"].clone(),
            again["customer_created"].clone()
        ),
        (
            converted["customer_id"].clone(),
            converted["contact_id"].clone(),
            json!(false)
        )
    );
    let customers = json_of(director.get("/customers?include_total=true").await).await;
    assert_eq!(customers["total"], 1);

    // Another rep's lead for the same company cannot become a second customer; they are
    // told who has it, masked, and the lead stays qualified.
    let other = json_of(south_rep.post("/leads", &json!({"company_name": "苏州精工机械股份有限公司", "contact_name": "李娜", "mobile": "13900001111", "industry": "机械", "source": "phone"})).await).await;
    let other_id = id_of(&other);
    act(&director, &other_id, "qualify", json!({})).await;
    let (status, problem) = act(&south_rep, &other_id, "convert", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "customer_duplicate");
    assert_eq!(problem["duplicates"][0]["owner_hint"], "华东区 张*");
    assert_eq!(problem["duplicates"][0]["customer_id"], Value::Null);
    let (status, picked) = act(
        &south_rep,
        &other_id,
        "convert",
        json!({"existing_customer_id": customer_id}),
    )
    .await;
    assert_eq!(
        (status, fields_of(&picked)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["existing_customer_id".to_owned()]
        ),
        "a customer the rep cannot see cannot be picked"
    );
    let still = json_of(south_rep.get(&format!("/leads/{other_id}")).await).await;
    assert_eq!(still["status"], "qualified", "nothing half-done");

    // The director sees the existing customer and converts the lead into it.
    let (status, into_existing) = act(
        &director,
        &other_id,
        "convert",
        json!({"existing_customer_id": customer_id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{into_existing}");
    assert_eq!(
        (
            into_existing["customer_id"].as_str(),
            into_existing["customer_created"].as_bool()
        ),
        (Some(customer_id.as_str()), Some(false))
    );
    let contacts = json_of(
        director
            .get(&format!("/contacts?customer_id={customer_id}"))
            .await,
    )
    .await;
    let names: Vec<&str> = contacts["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, vec!["王磊", "李娜"]);
    let (status, problem) = act(
        &director,
        &other_id,
        "convert",
        json!({"existing_customer_id": id_of(&other)}),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("lead_already_converted"))
    );
}

#[tokio::test]
async fn an_activity_works_the_lead_and_leaves_a_task_for_its_owner() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let manager = acme
        .user(&app, "mgr", "sales_manager", acme.head_office)
        .await;
    let other_rep = acme
        .user(&app, "other", "sales_rep", acme.head_office)
        .await;
    let lead = rep.create_lead("杭州云帆科技有限公司").await;
    let id = id_of(&lead);

    // The manager logs a visit on the rep's lead and plans the next follow-up.
    let logged = manager
        .post("/activities", &json!({"kind": "visit", "subject": "上门拜访", "outcome": "有扩产计划", "lead_id": id, "next_follow_up_on": "2030-01-15"}))
        .await;
    assert_eq!(logged.status(), StatusCode::CREATED);
    let lead = json_of(rep.get(&format!("/leads/{id}")).await).await;
    assert_eq!(
        lead["status"], "working",
        "the first activity starts the work"
    );
    assert!(lead["last_activity_at"].is_string());

    let timeline = json_of(rep.get(&format!("/activities?lead_id={id}")).await).await;
    assert_eq!(
        (
            timeline["items"][0]["subject"].as_str(),
            timeline["items"][0]["created_by_name"].as_str()
        ),
        (Some("上门拜访"), Some("mgr"))
    );

    // The task is the owner's, not the manager's; due by 2030-01-15, not by 2030-01-14.
    let due = json_of(rep.get("/tasks?status=open&due_to=2030-01-15").await).await;
    assert_eq!(due["items"][0]["subject"], "跟进：上门拜访");
    assert_eq!(due["items"][0]["related_name"], "杭州云帆科技有限公司");
    let not_yet = json_of(rep.get("/tasks?due_to=2030-01-14").await).await;
    assert_eq!(not_yet["items"], json!([]));
    assert_eq!(
        json_of(manager.get("/tasks").await).await["items"],
        json!([])
    );
    let task_id = due["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        other_rep
            .post(&format!("/tasks/{task_id}/complete"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let done = json_of(
        rep.post(&format!("/tasks/{task_id}/complete"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(done["status"], "done");
    assert_eq!(json_of(rep.get("/tasks").await).await["items"], json!([]));

    // Bad input is named; another rep can neither read nor write the timeline.
    let bad = rep
        .post(
            "/activities",
            &json!({"kind": "call", "subject": "", "lead_id": id, "customer_id": id}),
        )
        .await;
    let problem = json_of(bad).await;
    assert_eq!(fields_of(&problem), vec!["subject", "customer_id"]);
    assert_eq!(
        other_rep
            .get(&format!("/activities?lead_id={id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let intrude = other_rep
        .post(
            "/activities",
            &json!({"kind": "call", "subject": "x", "lead_id": id}),
        )
        .await;
    assert_eq!(intrude.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let activity_id = timeline["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        rep.delete(&format!("/activities/{activity_id}"))
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "not the author"
    );
    assert_eq!(
        other_rep
            .delete(&format!("/activities/{activity_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        manager
            .delete(&format!("/activities/{activity_id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn settings_are_validated_versioned_and_admin_only() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let read = rep.get("/settings").await;
    assert_eq!(
        read.status(),
        StatusCode::OK,
        "everyone reads the choices forms offer"
    );
    let settings = json_of(read).await;
    assert_eq!(settings["customer_tiers"][0]["key"], "A");
    assert_eq!(
        rep.patch("/settings", &json!({"customer_tiers": []}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let bad = acme
        .admin
        .patch(
            "/settings",
            &json!({"customer_tiers": [{"key": "A", "label": "甲"}, {"key": "A", "label": "乙"}]}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields_of(&json_of(bad).await),
        vec!["customer_tiers[1].key"]
    );
    let saved = acme
        .admin
        .request(reqwest::Method::PATCH, "/settings")
        .header("if-match", "\"0\"")
        .json(&json!({"customer_tiers": [{"key": "VIP", "label": "战略客户"}]}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved.status(), StatusCode::OK);
    let stale = acme
        .admin
        .request(reqwest::Method::PATCH, "/settings")
        .header("if-match", "\"0\"")
        .json(&json!({}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let tiered = rep
        .post(
            "/customers",
            &json!({"name": "宁波海天塑机有限公司", "tier": "A"}),
        )
        .await;
    assert_eq!(
        fields_of(&json_of(tiered).await),
        vec!["tier"],
        "A is no longer a tier"
    );
}
