//! Departments, users and roles administration.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn roles_can_be_customised_and_take_effect_on_the_next_request() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    assert_eq!(
        rep.delete(&format!(
            "/leads/{}",
            rep.create_lead("甲").await["id"]
                .as_str()
                .unwrap_or_default()
        ))
        .await
        .status(),
        StatusCode::FORBIDDEN
    );

    let role_id = acme.role_id("sales_rep").await;
    let granted = acme
        .admin
        .patch(
            &format!("/roles/{role_id}"),
            &json!({"permissions": ["lead.read", "lead.write", "lead.delete"]}),
        )
        .await;
    assert_eq!(granted.status(), StatusCode::OK);
    let lead = rep.create_lead("乙").await;
    assert_eq!(
        rep.delete(&format!(
            "/leads/{}",
            lead["id"].as_str().unwrap_or_default()
        ))
        .await
        .status(),
        StatusCode::NO_CONTENT
    );

    let builtin = acme.admin.delete(&format!("/roles/{role_id}")).await;
    assert_eq!(builtin.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(builtin).await["code"], "builtin_role");

    let custom = acme.admin.post("/roles", &json!({"key": "region_manager", "name": "区域经理", "permissions": ["lead.read"], "data_scope": "department_tree"})).await;
    assert_eq!(custom.status(), StatusCode::CREATED);
    let custom = json_of(custom).await;
    let duplicate = acme.admin.post("/roles", &json!({"key": "region_manager", "name": "重复", "permissions": [], "data_scope": "own"})).await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let bad_key = acme
        .admin
        .post(
            "/roles",
            &json!({"key": "Region Manager", "name": "x", "permissions": [], "data_scope": "own"}),
        )
        .await;
    assert_eq!(bad_key.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        acme.admin
            .delete(&format!(
                "/roles/{}",
                custom["id"].as_str().unwrap_or_default()
            ))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn departments_form_a_tree_that_moves_whole_and_deletes_only_when_empty() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("销售中心", acme.head_office).await;
    let east = acme.department("华东销售部", sales).await;
    let suzhou = acme.department("苏州办事处", east).await;
    let other = acme.department("海外事业部", acme.head_office).await;

    let manager = acme.user(&app, "mgr", "sales_manager", other).await;
    let rep = acme.user(&app, "rep", "sales_rep", suzhou).await;
    rep.create_lead("苏州客户").await;
    assert_eq!(
        json_of(manager.get("/leads").await).await["items"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    // Moving 华东 (with 苏州 below it) under 海外事业部 brings rep's lead into mgr's tree.
    let moved = acme
        .admin
        .patch(
            &format!("/departments/{east}"),
            &json!({"parent_id": other}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(
        json_of(manager.get("/leads").await).await["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    let cycle = acme
        .admin
        .patch(
            &format!("/departments/{east}"),
            &json!({"parent_id": suzhou}),
        )
        .await;
    assert_eq!(
        cycle.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a department cannot move below itself"
    );

    let not_empty = acme.admin.delete(&format!("/departments/{suzhou}")).await;
    assert_eq!(not_empty.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(not_empty).await["code"], "department_not_empty");
    let duplicate = acme
        .admin
        .post(
            "/departments",
            &json!({"name": "华东销售部", "parent_id": sales}),
        )
        .await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let empty = acme.department("临时项目组", sales).await;
    assert_eq!(
        acme.admin
            .delete(&format!("/departments/{empty}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn users_are_unique_by_email_and_edits_are_audited() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let role_id = acme.role_id("sales_rep").await;
    let again = acme
        .admin
        .post(
            "/users",
            &json!({
                "email": "REP@acme.cn", "name": "重复", "password": "Passw0rd!2026",
                "department_id": acme.head_office, "role_id": role_id
            }),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(again).await["code"], "email_taken");

    let weak = acme
        .admin
        .post(
            "/users",
            &json!({
                "email": "new@acme.cn", "name": "新人", "password": "short",
                "department_id": acme.head_office, "role_id": uuid::Uuid::now_v7()
            }),
        )
        .await;
    let body = json_of(weak).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["password"]);

    let renamed = acme
        .admin
        .request(Method::PATCH, &format!("/users/{}", rep.user_id))
        .header("If-Match", "\"1\"")
        .json(&json!({"name": "李娜"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(json_of(renamed).await["name"], "李娜");
    assert_eq!(
        json_of(acme.admin.get(&format!("/users/{}", rep.user_id)).await).await["name"],
        "李娜"
    );
    let active = acme
        .admin
        .patch(
            &format!("/users/{}", rep.user_id),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(
        active.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "use the disable action"
    );
    let me_disable = acme
        .admin
        .post(
            &format!("/users/{}/disable", acme.admin.user_id),
            &json!({}),
        )
        .await;
    assert_eq!(me_disable.status(), StatusCode::CONFLICT);
    let me_demote = acme
        .admin
        .patch(
            &format!("/users/{}", acme.admin.user_id),
            &json!({"role_id": role_id}),
        )
        .await;
    assert_eq!(me_demote.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(me_demote).await["code"], "cannot_change_own_role");
    let admin_role = acme.role_id("admin").await;
    let strip = acme
        .admin
        .patch(
            &format!("/roles/{admin_role}"),
            &json!({"permissions": ["lead.read"]}),
        )
        .await;
    assert_eq!(
        strip.status(),
        StatusCode::CONFLICT,
        "the admin role cannot be stripped"
    );
    let rename = acme
        .admin
        .patch(
            &format!("/roles/{admin_role}"),
            &json!({"name": "系统管理员"}),
        )
        .await;
    assert_eq!(rename.status(), StatusCode::OK, "but it can be renamed");
    assert_eq!(
        acme.admin.get("/users").await.status(),
        StatusCode::OK,
        "administration still works"
    );

    let history = json_of(
        acme.admin
            .get(&format!(
                "/audit-log?entity_type=user&entity_id={}",
                rep.user_id
            ))
            .await,
    )
    .await;
    let update = &history["items"][0];
    assert_eq!(update["action"], "updated");
    assert_eq!(
        update["changes"],
        json!([{"field": "name", "old": "rep", "new": "李娜"}])
    );
}
