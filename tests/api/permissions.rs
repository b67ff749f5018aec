//! Data permissions: a rep sees their own leads, a manager their department tree, a
//! director everything, and nobody anything of another tenant — whatever ids they guess.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Session, json_of, spawn_app};

/// The company names of the leads `session` sees, sorted.
pub async fn visible_companies(session: &Session) -> Vec<String> {
    let page = json_of(session.get("/leads?limit=200").await).await;
    let mut names: Vec<String> = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["company_name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn scopes_decide_who_sees_which_leads_and_outsiders_get_404() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("销售中心", acme.head_office).await;
    let east = acme.department("华东销售部", sales).await;
    let suzhou = acme.department("苏州办事处", east).await;
    let south = acme.department("华南销售部", sales).await;

    let director = acme.user(&app, "director", "sales_director", sales).await;
    let east_manager = acme.user(&app, "eastmgr", "sales_manager", east).await;
    let rep_a = acme.user(&app, "repa", "sales_rep", east).await;
    let rep_b = acme.user(&app, "repb", "sales_rep", suzhou).await;
    let rep_c = acme.user(&app, "repc", "sales_rep", south).await;
    let south_manager = acme.user(&app, "southmgr", "sales_manager", south).await;

    let lead_a = rep_a.create_lead("A 的客户").await;
    rep_b.create_lead("B 的客户").await;
    rep_c.create_lead("C 的客户").await;
    let a_id = lead_a["id"].as_str().unwrap_or_default().to_owned();

    assert_eq!(visible_companies(&rep_a).await, vec!["A 的客户"]);
    assert_eq!(visible_companies(&rep_b).await, vec!["B 的客户"]);
    assert_eq!(
        visible_companies(&east_manager).await,
        vec!["A 的客户", "B 的客户"],
        "the tree below 华东 included"
    );
    assert_eq!(
        visible_companies(&director).await,
        vec!["A 的客户", "B 的客户", "C 的客户"]
    );
    assert_eq!(visible_companies(&south_manager).await, vec!["C 的客户"]);

    // Rep B guesses rep A's lead id: every route answers 404 and nothing changes.
    assert_eq!(
        rep_b.get(&format!("/leads/{a_id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let patch = rep_b
        .patch(&format!("/leads/{a_id}"), &json!({"company_name": "改掉"}))
        .await;
    assert_eq!(patch.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        rep_b.delete(&format!("/leads/{a_id}")).await.status(),
        StatusCode::FORBIDDEN,
        "reps may not delete at all"
    );
    // A manager of another department, who may delete, still cannot reach it.
    assert_eq!(
        south_manager.get(&format!("/leads/{a_id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        south_manager
            .delete(&format!("/leads/{a_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let still = json_of(rep_a.get(&format!("/leads/{a_id}")).await).await;
    assert_eq!(still["company_name"], "A 的客户");
    assert_eq!(still["version"], 1);

    // The manager of 华东 can work on A's lead but not on C's (华南).
    let reassigned = east_manager
        .patch(
            &format!("/leads/{a_id}"),
            &json!({"owner_id": rep_b.user_id}),
        )
        .await;
    assert_eq!(reassigned.status(), StatusCode::OK);
    let to_outsider = east_manager
        .patch(
            &format!("/leads/{a_id}"),
            &json!({"owner_id": rep_c.user_id}),
        )
        .await;
    assert_eq!(
        to_outsider.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "cannot hand a lead to someone outside the scope"
    );
    assert_eq!(json_of(to_outsider).await["errors"][0]["field"], "owner_id");

    // A rep may not create leads for others.
    let for_other = rep_c.post("/leads", &json!({"company_name": "丙", "contact_name": "丁", "source": "phone", "owner_id": rep_a.user_id})).await;
    assert_eq!(for_other.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Counts follow the scope too.
    let counted = json_of(rep_c.get("/leads?include_total=true").await).await;
    assert_eq!(counted["total"], 1);
}

#[tokio::test]
async fn another_tenant_sees_nothing_and_changes_nothing() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    let lead = acme.admin.create_lead("Acme 客户").await;
    let id = lead["id"].as_str().unwrap_or_default();

    assert!(visible_companies(&globex.admin).await.is_empty());
    assert_eq!(
        globex.admin.get(&format!("/leads/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        globex
            .admin
            .patch(&format!("/leads/{id}"), &json!({"notes": "x"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        globex.admin.delete(&format!("/leads/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        globex
            .admin
            .get(&format!("/users/{}", acme.admin.user_id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let audit = json_of(
        globex
            .admin
            .get(&format!("/audit-log?entity_id={id}"))
            .await,
    )
    .await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(0));
    let owner_elsewhere = globex.admin.post("/leads", &json!({"company_name": "x", "contact_name": "y", "source": "phone", "owner_id": acme.admin.user_id})).await;
    assert_eq!(owner_elsewhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        acme.admin.get(&format!("/leads/{id}")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn function_permissions_are_enforced_with_403() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let viewer = acme.user(&app, "viewer", "viewer", acme.head_office).await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let lead = rep.create_lead("甲").await;
    let id = lead["id"].as_str().unwrap_or_default();

    assert_eq!(viewer.get("/leads").await.status(), StatusCode::OK);
    let create = viewer
        .post(
            "/leads",
            &json!({"company_name": "x", "contact_name": "y", "source": "phone"}),
        )
        .await;
    assert_eq!(create.status(), StatusCode::FORBIDDEN);
    assert_eq!(json_of(create).await["code"], "forbidden");
    assert_eq!(
        rep.delete(&format!("/leads/{id}")).await.status(),
        StatusCode::FORBIDDEN,
        "reps may not delete"
    );
    assert_eq!(rep.get("/users").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(rep.get("/audit-log").await.status(), StatusCode::FORBIDDEN);
    let escalate = rep
        .request(Method::PATCH, &format!("/users/{}", rep.user_id))
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(escalate.status(), StatusCode::FORBIDDEN);
}

/// Every route that takes a lead, customer, contact, activity or task id, tried with another
/// rep's ids (same tenant, other department) and another tenant's admin: nothing is found,
/// nothing changes.
#[tokio::test]
async fn guessed_ids_reach_nothing_on_any_route() {
    use reqwest::Method;
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let south = acme.department("华南区", acme.head_office).await;
    let owner = acme.user(&app, "owner", "sales_manager", east).await;
    let other_rep = acme.user(&app, "other", "sales_rep", south).await;
    let outsider = app.tenant("other").await.admin;

    let lead = owner.create_lead("苏州精工机械有限公司").await;
    let lead_id = lead["id"].as_str().unwrap_or_default().to_owned();
    let customer = json_of(
        owner
            .post("/customers", &json!({"name": "无锡华光电子有限公司"}))
            .await,
    )
    .await;
    let customer_id = customer["id"].as_str().unwrap_or_default().to_owned();
    let contact = json_of(
        owner
            .post(
                "/contacts",
                &json!({"customer_id": customer_id, "name": "王磊"}),
            )
            .await,
    )
    .await;
    let contact_id = contact["id"].as_str().unwrap_or_default().to_owned();
    let activity = json_of(
        owner.post("/activities", &json!({"kind": "call", "subject": "回访", "customer_id": customer_id, "next_follow_up_on": "2030-01-01"})).await,
    )
    .await;
    let activity_id = activity["id"].as_str().unwrap_or_default().to_owned();
    let opportunity = json_of(
        owner
            .post(
                "/opportunities",
                &json!({"name": "二期产线", "customer_id": customer_id, "expected_close_date": "2030-03-31", "amount": "100000"}),
            )
            .await,
    )
    .await;
    let opportunity_id = opportunity["id"].as_str().unwrap_or_default().to_owned();
    let stage_id = opportunity["stage_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let tasks = json_of(owner.get("/tasks").await).await;
    let task_id = tasks["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let routes: Vec<(Method, String, serde_json::Value)> = vec![
        (Method::GET, format!("/leads/{lead_id}"), json!(null)),
        (
            Method::PATCH,
            format!("/leads/{lead_id}"),
            json!({"notes": "x"}),
        ),
        (
            Method::POST,
            format!("/leads/{lead_id}/start-working"),
            json!({}),
        ),
        (Method::POST, format!("/leads/{lead_id}/convert"), json!({})),
        (
            Method::POST,
            format!("/leads/{lead_id}/assign"),
            json!({"by_rules": true}),
        ),
        (Method::POST, format!("/leads/{lead_id}/claim"), json!({})),
        (Method::POST, format!("/leads/{lead_id}/release"), json!({})),
        (
            Method::GET,
            format!("/leads/{lead_id}/owner-history"),
            json!(null),
        ),
        (
            Method::GET,
            format!("/activities?lead_id={lead_id}"),
            json!(null),
        ),
        (
            Method::GET,
            format!("/customers/{customer_id}"),
            json!(null),
        ),
        (
            Method::PATCH,
            format!("/customers/{customer_id}"),
            json!({"notes": "x"}),
        ),
        (
            Method::POST,
            format!("/customers/{customer_id}/claim"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/customers/{customer_id}/release"),
            json!({}),
        ),
        (
            Method::GET,
            format!("/customers/{customer_id}/owner-history"),
            json!(null),
        ),
        (
            Method::GET,
            format!("/activities?customer_id={customer_id}"),
            json!(null),
        ),
        (Method::GET, format!("/contacts/{contact_id}"), json!(null)),
        (
            Method::PATCH,
            format!("/contacts/{contact_id}"),
            json!({"name": "x"}),
        ),
        (
            Method::DELETE,
            format!("/contacts/{contact_id}"),
            json!(null),
        ),
        (
            Method::DELETE,
            format!("/activities/{activity_id}"),
            json!(null),
        ),
        (
            Method::POST,
            format!("/tasks/{task_id}/complete"),
            json!({}),
        ),
        (
            Method::GET,
            format!("/opportunities/{opportunity_id}"),
            json!(null),
        ),
        (
            Method::PATCH,
            format!("/opportunities/{opportunity_id}"),
            json!({"next_step": "x"}),
        ),
        (
            Method::POST,
            format!("/opportunities/{opportunity_id}/stage"),
            json!({"stage_id": stage_id}),
        ),
        (
            Method::POST,
            format!("/opportunities/{opportunity_id}/reopen"),
            json!({}),
        ),
        (
            Method::GET,
            format!("/opportunities/{opportunity_id}/stage-history"),
            json!(null),
        ),
        (
            Method::GET,
            format!("/activities?opportunity_id={opportunity_id}"),
            json!(null),
        ),
    ];
    for intruder in [&other_rep, &outsider] {
        for (method, path, body) in &routes {
            let mut request = intruder.request(method.clone(), path);
            if !body.is_null() {
                request = request.json(body);
            }
            let status = request
                .send()
                .await
                .map(|r| r.status())
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
    let unchanged = json_of(owner.get(&format!("/customers/{customer_id}")).await).await;
    assert_eq!(
        (unchanged["version"].as_i64(), unchanged["owner_id"].clone()),
        (Some(1), json!(owner.user_id))
    );
    let lead_now = json_of(owner.get(&format!("/leads/{lead_id}")).await).await;
    assert_eq!(
        (lead_now["version"].as_i64(), lead_now["status"].as_str()),
        (Some(1), Some("new"))
    );
    assert_eq!(
        json_of(owner.get("/tasks").await).await["items"][0]["status"],
        "open"
    );
    let opportunity_now =
        json_of(owner.get(&format!("/opportunities/{opportunity_id}")).await).await;
    assert_eq!(
        (
            opportunity_now["version"].as_i64(),
            opportunity_now["next_step"].clone()
        ),
        (Some(1), json!(null))
    );
}
