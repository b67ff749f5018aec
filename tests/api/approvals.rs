//! The approval engine through the API: concurrent decisions, 或签 and 会签, withdrawal,
//! delegation, returns, self-approval, and the policies an admin keeps.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::quotes::{act, code_of, create_quote, error_fields, id_of, sales_org};

/// A policy for every quote: one step decided by `approvers` in `mode`.
async fn one_step_policy(admin: &Session, approvers: Value, mode: &str) -> Value {
    let response = admin
        .post(
            "/approval-policies",
            &json!({
                "document_kind": "quote", "name": "所有报价", "priority": 1,
                "steps": [{"name": "商务审批", "approvers": approvers, "mode": mode}]
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json_of(response).await
}

/// Creates and submits a quote that needs approval: its id and its approval's.
pub(crate) async fn submitted(rep: &Session, body: &Value) -> (String, String) {
    let quote = create_quote(rep, body).await;
    let id = id_of(&quote);
    let submitted = act(
        rep,
        &format!("/quotes/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(submitted["status"], "pending_approval");
    (
        id,
        submitted["approval_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn two_approvers_deciding_at_once_yield_one_decision_in_an_or_step_and_both_in_an_and_step() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let a = org
        .tenant
        .user(&app, "biz-a", "sales_manager", org.tenant.head_office)
        .await;
    let b = org
        .tenant
        .user(&app, "biz-b", "sales_manager", org.tenant.head_office)
        .await;
    let body = json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "1"}]});
    let users =
        json!([{"kind": "user", "user_id": a.user_id}, {"kind": "user", "user_id": b.user_id}]);
    let policy = one_step_policy(&org.tenant.admin, users.clone(), "any").await;

    let empty = json!({});
    for _ in 0..4 {
        let (quote, approval) = submitted(&org.rep, &body).await;
        let path = format!("/approvals/{approval}/approve");
        let (first, second) = tokio::join!(a.post(&path, &empty), b.post(&path, &empty));
        let mut statuses = [first.status(), second.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
        let request = json_of(a.get(&format!("/approvals/{approval}")).await).await;
        let approvals = request["events"]
            .as_array()
            .map(|e| e.iter().filter(|e| e["kind"] == "approved").count());
        assert_eq!(approvals, Some(1), "exactly one decision: {request}");
        let quote = json_of(org.rep.get(&format!("/quotes/{quote}")).await).await;
        assert_eq!(quote["status"], "approved");
    }

    // 会签: both must approve; deciding at the same moment, both decisions count.
    let response = org
        .tenant
        .admin
        .request(
            reqwest::Method::PUT,
            &format!("/approval-policies/{}", id_of(&policy)),
        )
        .json(&json!({
            "document_kind": "quote", "name": "所有报价", "priority": 1,
            "steps": [{"name": "会签", "approvers": users, "mode": "all"}]
        }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK);
    let (quote, approval) = submitted(&org.rep, &body).await;
    let path = format!("/approvals/{approval}/approve");
    let (first, second) = tokio::join!(a.post(&path, &empty), b.post(&path, &empty));
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let quote = json_of(org.rep.get(&format!("/quotes/{quote}")).await).await;
    assert_eq!(quote["status"], "approved");
}

#[tokio::test]
async fn the_submitter_withdraws_before_a_decision_and_a_delegate_decides_in_the_approvers_stead() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org
        .tenant
        .department("华西销售部", org.tenant.head_office)
        .await;
    let deputy = org
        .tenant
        .named_user(&app, "deputy", "李副经理", "sales_manager", west)
        .await;
    let body = json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "2"}]});
    let (quote, approval) = submitted(&org.rep, &body).await;

    assert_eq!(
        org.mgr
            .post(&format!("/approvals/{approval}/withdraw"), &json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "only the submitter withdraws"
    );
    let withdrawn = act(
        &org.rep,
        &format!("/approvals/{approval}/withdraw"),
        &json!({"comment": "改一下交期"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["steps"][0]["status"], "cancelled");
    let draft = json_of(org.rep.get(&format!("/quotes/{quote}")).await).await;
    assert_eq!(draft["status"], "draft");

    // Submitted again: the manager hands the step to a deputy outside the rep's department.
    let again = act(
        &org.rep,
        &format!("/quotes/{quote}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let approval = again["approval_id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        deputy.get(&format!("/quotes/{quote}")).await.status(),
        StatusCode::NOT_FOUND,
        "not theirs to see yet"
    );
    let fields = error_fields(
        org.mgr
            .post(
                &format!("/approvals/{approval}/delegate"),
                &json!({"user_id": uuid::Uuid::now_v7()}),
            )
            .await,
    )
    .await;
    assert_eq!(fields, ["user_id"]);
    let delegated = act(
        &org.mgr,
        &format!("/approvals/{approval}/delegate"),
        &json!({"user_id": deputy.user_id, "comment": "出差，请代批"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        delegated["steps"][0]["assignees"][0]["decision"],
        "delegated"
    );
    assert_eq!(
        delegated["steps"][0]["assignees"][1]["user_name"],
        "李副经理"
    );
    assert_eq!(delegated["awaiting_me"], false);
    let inbox = json_of(deputy.get("/approvals?assignee=me").await).await;
    assert_eq!(inbox["items"][0]["id"], json!(approval));
    assert_eq!(
        deputy.get(&format!("/quotes/{quote}")).await.status(),
        StatusCode::OK,
        "an approver reads what they approve"
    );
    let (status, _) = code_of(
        org.mgr
            .post(&format!("/approvals/{approval}/approve"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the manager's place is the deputy's now"
    );

    let returned = act(
        &deputy,
        &format!("/approvals/{approval}/return"),
        &json!({"comment": "请补充交货期"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(returned["status"], "returned");
    let draft = json_of(org.rep.get(&format!("/quotes/{quote}")).await).await;
    assert_eq!(draft["status"], "draft");
    let (status, code) = code_of(
        org.rep
            .post(&format!("/approvals/{approval}/withdraw"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "approval_closed")
    );

    // Rejected: the quote is rejected, edited, and submitted again.
    let again = act(
        &org.rep,
        &format!("/quotes/{quote}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let approval = again["approval_id"].as_str().unwrap_or_default().to_owned();
    act(
        &org.mgr,
        &format!("/approvals/{approval}/reject"),
        &json!({"comment": "价格过低"}),
        StatusCode::OK,
    )
    .await;
    let rejected = json_of(org.rep.get(&format!("/quotes/{quote}")).await).await;
    assert_eq!(rejected["status"], "rejected");
    let mine = json_of(
        org.rep
            .get(&format!(
                "/approvals?submitted_by=me&document_kind=quote&document_id={quote}"
            ))
            .await,
    )
    .await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(3));

    // Integrators hear of each request and how it ended, not of the delegation in between;
    // a quote back in draft is no event.
    let events: Vec<String> = app
        .queued_events(&org.rep)
        .await
        .into_iter()
        .filter(|(name, _)| name.starts_with("quote.") || name.starts_with("approval."))
        .map(|(name, payload)| match payload["outcome"].as_str() {
            Some(outcome) => format!("{name}:{outcome}"),
            None => name,
        })
        .collect();
    assert_eq!(
        events,
        [
            "approval.requested",
            "quote.submitted",
            "approval.decided:withdrawn",
            "approval.requested",
            "quote.submitted",
            "approval.decided:returned",
            "approval.requested",
            "quote.submitted",
            "approval.decided:rejected",
            "quote.rejected",
        ]
    );
}

#[tokio::test]
async fn a_manager_cannot_approve_their_own_quote_it_goes_one_level_up() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let quote = create_quote(
        &org.mgr,
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "2"}]}),
    )
    .await;
    let submitted = act(
        &org.mgr,
        &format!("/quotes/{}/submit", id_of(&quote)),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let approval = submitted["approval_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let request = json_of(org.mgr.get(&format!("/approvals/{approval}")).await).await;
    assert_eq!(request["steps"][0]["assignees"][0]["user_name"], "赵总");
    assert_eq!(
        org.mgr
            .post(&format!("/approvals/{approval}/approve"), &json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn admins_keep_the_policies_and_a_deleted_policy_needs_no_approval() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    let policies = json_of(admin.get("/approval-policies?document_kind=quote").await).await;
    assert_eq!(policies[0]["name"], "大额或高折扣报价");
    assert_eq!(policies[0]["conditions"][0]["amount"], "500000");
    let default_id = id_of(&policies[0]);

    let bad = json!({"document_kind": "quote", "name": "", "steps": []});
    assert_eq!(
        org.rep.post("/approval-policies", &bad).await.status(),
        StatusCode::FORBIDDEN
    );
    let fields = error_fields(admin.post("/approval-policies", &bad).await).await;
    assert_eq!(fields, ["name", "steps"]);
    let stale = admin
        .request(
            reqwest::Method::DELETE,
            &format!("/approval-policies/{default_id}"),
        )
        .header("If-Match", "\"7\"")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        admin
            .delete(&format!("/approval-policies/{default_id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let quote = create_quote(
        &org.rep,
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "5"}]}),
    )
    .await;
    let approved = act(
        &org.rep,
        &format!("/quotes/{}/submit", id_of(&quote)),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
}
