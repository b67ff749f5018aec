//! Ownership: assignment rules and round-robin, manual assignment, the pool (claim, release,
//! the claim limit, automatic returns with a warning first), and the history of owners.

use chrono::{Duration, Utc};
use crm_persistence::pool;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{json_of, spawn_app};

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn rules_route_leads_by_region_and_industry_and_rotate_in_a_department() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let machinery = acme.department("机械行业部", acme.head_office).await;
    let east_rep = acme.user(&app, "east", "sales_rep", east).await;
    let rep_a = acme.user(&app, "repa", "sales_rep", machinery).await;
    let rep_b = acme.user(&app, "repb", "sales_rep", machinery).await;
    let manager = acme
        .user(&app, "mgr", "sales_manager", acme.head_office)
        .await;

    let to_user = acme
        .admin
        .post(
            "/assignment-rules",
            &json!({"region": "华东", "user_id": east_rep.user_id}),
        )
        .await;
    assert_eq!(to_user.status(), StatusCode::CREATED);
    let to_department = acme
        .admin
        .post(
            "/assignment-rules",
            &json!({"industry": "机械", "department_id": machinery}),
        )
        .await;
    assert_eq!(to_department.status(), StatusCode::CREATED);
    let bad = acme
        .admin
        .post(
            "/assignment-rules",
            &json!({"region": "华南", "user_id": east_rep.user_id, "department_id": east}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        manager.get("/assignment-rules").await.status(),
        StatusCode::FORBIDDEN,
        "rules are settings"
    );

    let create = |company: &str, region: &str, industry: &str| json!({"company_name": company, "contact_name": "王磊", "source": "website", "region": region, "industry": industry, "assign_by_rules": true});
    let east_lead = json_of(manager.post("/leads", &create("甲", "华东", "机械")).await).await;
    assert_eq!(
        east_lead["owner_id"],
        json!(east_rep.user_id),
        "the first matching rule wins"
    );
    let mut rotation = Vec::new();
    for company in ["乙", "丙", "丁"] {
        let lead = json_of(
            manager
                .post("/leads", &create(company, "华北", "机械"))
                .await,
        )
        .await;
        rotation.push(lead["owner_id"].as_str().unwrap_or_default().to_owned());
    }
    let (a, b) = (rep_a.user_id.to_string(), rep_b.user_id.to_string());
    let first = if a < b { a.clone() } else { b.clone() };
    let second = if a < b { b } else { a };
    assert_eq!(
        rotation,
        vec![first.clone(), second, first],
        "round-robin among the department's reps"
    );
    let unmatched = json_of(manager.post("/leads", &create("戊", "华南", "纺织")).await).await;
    assert_eq!(
        unmatched["owner_id"],
        Value::Null,
        "no rule matches: the pool"
    );

    // A manager re-runs the rules on a lead, or hands it to someone by hand.
    let id = id_of(&unmatched);
    let by_hand = json_of(
        manager
            .post(
                &format!("/leads/{id}/assign"),
                &json!({"owner_id": rep_b.user_id}),
            )
            .await,
    )
    .await;
    assert_eq!(by_hand["owner_id"], json!(rep_b.user_id));
    let neither = manager
        .post(&format!("/leads/{id}/assign"), &json!({}))
        .await;
    assert_eq!(neither.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let history = json_of(manager.get(&format!("/leads/{id}/owner-history")).await).await;
    let reasons: Vec<&str> = history
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["reason"].as_str())
        .collect();
    assert_eq!(
        reasons,
        vec!["assigned"],
        "created into the pool, then assigned: {history}"
    );
    assert_eq!(history[0]["to_owner_name"], "repb");
}

#[tokio::test]
async fn the_pool_is_open_to_claim_within_the_limit_and_keeps_the_history() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let south = acme.department("华南区", acme.head_office).await;
    let owner = acme.user(&app, "owner", "sales_rep", east).await;
    let claimer = acme.user(&app, "claimer", "sales_rep", south).await;
    acme.admin
        .patch("/settings", &json!({"pool_claim_limit": 1}))
        .await;

    let first = json_of(
        owner
            .post("/customers", &json!({"name": "苏州精工机械有限公司"}))
            .await,
    )
    .await;
    let second = json_of(
        owner
            .post("/customers", &json!({"name": "无锡华光电子有限公司"}))
            .await,
    )
    .await;
    let (first_id, second_id) = (id_of(&first), id_of(&second));
    assert_eq!(
        claimer
            .get(&format!("/customers/{first_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "owned by someone out of scope"
    );
    assert_eq!(
        claimer
            .post(&format!("/customers/{first_id}/claim"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    for id in [&first_id, &second_id] {
        let released = owner
            .post(
                &format!("/customers/{id}/release"),
                &json!({"note": "无人跟进"}),
            )
            .await;
        assert_eq!(released.status(), StatusCode::OK);
    }
    let pool = json_of(claimer.get("/customers?pool=true").await).await;
    assert_eq!(
        pool["items"].as_array().map(Vec::len),
        Some(2),
        "the pool is open to every rep"
    );
    let claimed = claimer
        .post(&format!("/customers/{first_id}/claim"), &json!({}))
        .await;
    assert_eq!(claimed.status(), StatusCode::OK);
    assert_eq!(json_of(claimed).await["owner_id"], json!(claimer.user_id));
    let over = claimer
        .post(&format!("/customers/{second_id}/claim"), &json!({}))
        .await;
    assert_eq!(over.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(over).await["code"], "claim_limit_reached");
    let taken = owner
        .post(&format!("/customers/{first_id}/claim"), &json!({}))
        .await;
    assert_eq!(
        taken.status(),
        StatusCode::NOT_FOUND,
        "now out of the first owner's scope"
    );

    let history = json_of(
        claimer
            .get(&format!("/customers/{first_id}/owner-history"))
            .await,
    )
    .await;
    let steps: Vec<(Option<&str>, Option<&str>)> = history
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| (h["reason"].as_str(), h["to_owner_name"].as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (Some("created"), Some("owner")),
            (Some("released"), None),
            (Some("claimed"), Some("claimer"))
        ]
    );
    assert_eq!(history[1]["note"], "无人跟进");

    // Leads have a pool too.
    let lead = owner.create_lead("杭州云帆科技有限公司").await;
    let lead_id = id_of(&lead);
    owner
        .post(&format!("/leads/{lead_id}/release"), &json!({}))
        .await;
    let pooled = json_of(claimer.get("/leads?pool=true").await).await;
    assert_eq!(pooled["items"][0]["id"], json!(lead_id));
    let claimed = claimer
        .post(&format!("/leads/{lead_id}/claim"), &json!({}))
        .await;
    assert_eq!(claimed.status(), StatusCode::OK);
    let again = owner
        .post(&format!("/leads/{lead_id}/release"), &json!({}))
        .await;
    assert_eq!(
        again.status(),
        StatusCode::NOT_FOUND,
        "no longer the owner's to release"
    );
}

#[tokio::test]
async fn unfollowed_customers_warn_their_owner_then_return_to_the_pool() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    acme.admin
        .patch(
            "/settings",
            &json!({"pool_return_days": 10, "pool_warning_days": 3}),
        )
        .await;
    let quiet = json_of(
        rep.post("/customers", &json!({"name": "苏州精工机械有限公司"}))
            .await,
    )
    .await;
    let busy = json_of(
        rep.post("/customers", &json!({"name": "无锡华光电子有限公司"}))
            .await,
    )
    .await;
    let won = json_of(
        rep.post(
            "/customers",
            &json!({"name": "宁波海天塑机有限公司", "status": "active"}),
        )
        .await,
    )
    .await;
    let quiet_id = id_of(&quiet);

    // Day 8: the owner is warned about both unwon customers, once.
    let day8 = Utc::now() + Duration::days(8);
    let report = pool::sweep(&app.db, day8)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.warned, report.returned), (2, 0));
    let again = pool::sweep(&app.db, day8)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.warned, 0, "a warning is given once");
    let tasks = json_of(rep.get("/tasks?status=open").await).await;
    let warning = tasks["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["customer_id"] == quiet["id"])
        .cloned()
        .unwrap_or_default();
    assert!(
        warning["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("将退回公海"),
        "{warning}"
    );

    // A follow-up on one restarts its clock.
    let logged = rep.post("/activities", &json!({"kind": "call", "subject": "回访", "customer_id": busy["id"], "occurred_at": (Utc::now() + Duration::days(1)).to_rfc3339()})).await;
    assert_eq!(logged.status(), StatusCode::CREATED);

    // Day 10½: the quiet one returns; the followed-up and the won one stay.
    let report = pool::sweep(&app.db, Utc::now() + Duration::hours(252))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.returned, 1);
    let returned = json_of(rep.get(&format!("/customers/{quiet_id}")).await).await;
    assert_eq!(returned["owner_id"], Value::Null);
    assert_eq!(
        json_of(rep.get(&format!("/customers/{}", id_of(&busy))).await).await["owner_id"],
        json!(rep.user_id)
    );
    assert_eq!(
        json_of(rep.get(&format!("/customers/{}", id_of(&won))).await).await["owner_id"],
        json!(rep.user_id)
    );
    let history = json_of(
        rep.get(&format!("/customers/{quiet_id}/owner-history"))
            .await,
    )
    .await;
    assert_eq!(history[1]["reason"], "auto_returned");
    assert_eq!(history[1]["changed_by"], Value::Null, "the system did it");
}
