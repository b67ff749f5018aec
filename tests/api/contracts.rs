//! Contracts and attachments end to end: an accepted quote becomes a contract that the
//! department manager, finance and legal approve in turn; active contracts take several
//! orders; signed copies are attached, checked by their bytes and hash, and read only by
//! whoever may read the contract.

use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::{Session, json_of, spawn_app};
use crate::quotes::{SalesOrg, act, code_of, create_quote, error_fields, id_of, sales_org};

/// An accepted quote of two spare-part kits at ¥100,000 (no quote approval needed).
async fn accepted_quote(org: &SalesOrg) -> String {
    let quote = create_quote(
        &org.rep,
        &json!({"customer_id": org.customer, "payment_terms": "预付30%，验收后付70%",
                "lines": [{"name": "备件包", "quantity": "2", "unit_price": "100000"}]}),
    )
    .await;
    let id = id_of(&quote);
    for action in ["submit", "send", "accept"] {
        act(
            &org.rep,
            &format!("/quotes/{id}/{action}"),
            &json!({}),
            StatusCode::OK,
        )
        .await;
    }
    id
}

pub(crate) async fn approve_current_step(session: &Session, approval: &str) {
    act(
        session,
        &format!("/approvals/{approval}/approve"),
        &json!({"comment": "同意"}),
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn a_contract_passes_manager_finance_and_legal_then_takes_orders() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let head = org.tenant.head_office;
    let finance = org.tenant.user(&app, "cw", "finance", head).await;
    let legal = org.tenant.user(&app, "fw", "legal", head).await;

    let quote = accepted_quote(&org).await;
    let contract = act(
        &org.rep,
        "/contracts",
        &json!({"quote_id": quote, "starts_on": "2027-01-10", "ends_on": "2027-12-31",
                "terms": "质保一年"}),
        StatusCode::CREATED,
    )
    .await;
    let id = id_of(&contract);
    let year = chrono::Utc::now().format("%Y");
    assert_eq!(contract["number"], format!("HT-{year}-000001"));
    assert_eq!(contract["title"], "苏州精工机械有限公司合同");
    assert_eq!(contract["payment_terms"], "预付30%，验收后付70%");
    assert_eq!(contract["total"], "200000.00");
    assert_eq!(contract["lines"][0]["name"], "备件包");
    let bad_period = org
        .rep
        .post(
            "/contracts",
            &json!({"customer_id": org.customer, "starts_on": "2027-02-01", "ends_on": "2027-01-01"}),
        )
        .await;
    assert_eq!(error_fields(bad_period).await, ["ends_on"]);

    // An order needs an active contract.
    let (status, code) = code_of(
        org.rep
            .post("/sales-orders", &json!({"contract_id": id}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "contract_not_active")
    );

    let submitted = act(
        &org.rep,
        &format!("/contracts/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(submitted["status"], "pending_approval");
    let approval = submitted["approval_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Legal cannot jump the queue; each step in turn.
    let (status, _) = code_of(
        legal
            .post(&format!("/approvals/{approval}/approve"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    approve_current_step(&org.mgr, &approval).await;
    approve_current_step(&finance, &approval).await;
    let pending = json_of(org.rep.get(&format!("/contracts/{id}")).await).await;
    assert_eq!(pending["status"], "pending_approval");
    approve_current_step(&legal, &approval).await;
    let active = json_of(org.rep.get(&format!("/contracts/{id}")).await).await;
    assert_eq!(active["status"], "active");
    assert!(active["signed_on"].is_string());
    assert!(active["activated_at"].is_string());
    let edit = org
        .rep
        .patch(&format!("/contracts/{id}"), &json!({"terms": "改"}))
        .await;
    assert_eq!(error_fields(edit).await, ["terms"]);

    // Two call-off orders from one contract, each with its lines and terms.
    for _ in 0..2 {
        let order = act(
            &org.rep,
            "/sales-orders",
            &json!({"contract_id": id}),
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(order["contract_id"], id.as_str());
        assert_eq!(order["total"], "200000.00");
        assert_eq!(order["payment_terms"], "预付30%，验收后付70%");
    }

    let done = act(
        &org.rep,
        &format!("/contracts/{id}/complete"),
        &json!({"note": "已全部交付"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "completed");
    let (status, code) = code_of(
        org.rep
            .post(
                &format!("/contracts/{id}/terminate"),
                &json!({"reason": "x"}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "invalid_transition")
    );
}

#[tokio::test]
async fn a_direct_contract_without_approvers_falls_to_the_admins_and_can_be_terminated() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    // Nobody holds finance or legal: those steps go to the tenant's admins.
    let contract = act(
        &org.rep,
        "/contracts",
        &json!({"customer_id": org.customer, "title": "年度框架协议",
                "lines": [{"product_id": org.product, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    let id = id_of(&contract);
    assert_eq!(contract["lines"][0]["unit_price"], "268000.00");
    let submitted = act(
        &org.rep,
        &format!("/contracts/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let approval = submitted["approval_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    approve_current_step(&org.mgr, &approval).await;
    approve_current_step(&org.tenant.admin, &approval).await;
    approve_current_step(&org.tenant.admin, &approval).await;
    let path = format!("/contracts/{id}/terminate");
    assert_eq!(
        error_fields(org.rep.post(&path, &json!({"reason": ""})).await).await,
        ["reason"]
    );
    let ended = act(
        &org.rep,
        &path,
        &json!({"reason": "客户经营异常"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(ended["status"], "terminated");
    assert_eq!(ended["termination_reason"], "客户经营异常");
}

#[tokio::test]
async fn signed_copies_are_kept_by_their_bytes_and_read_only_by_who_may_read_the_contract() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let outsider = org.outsider(&app).await;
    let viewer = org
        .tenant
        .user(&app, "auditor", "viewer", org.tenant.head_office)
        .await;
    let other_tenant = app.tenant("globex").await;
    let contract = act(
        &org.rep,
        "/contracts",
        &json!({"customer_id": org.customer, "lines": [{"name": "服务", "quantity": "1", "unit_price": "1000"}]}),
        StatusCode::CREATED,
    )
    .await;
    let id = id_of(&contract);
    let upload = |session: &Session, name: &str, bytes: Vec<u8>| {
        let url = format!(
            "/attachments?subject_kind=contract&subject_id={id}&file_name={}",
            name.bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        );
        session
            .request(reqwest::Method::POST, &url)
            .body(bytes)
            .send()
    };

    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer\n%%EOF\n".to_vec();
    let response = upload(&org.rep, "合同扫描件.pdf", pdf.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::CREATED);
    let stored = json_of(response).await;
    let digest: String = Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stored["sha256"], digest);
    assert_eq!(stored["content_type"], "application/pdf");
    assert_eq!(stored["file_name"], "合同扫描件.pdf");

    // The bytes decide: an executable named .pdf is refused; so is an empty file.
    let fake = upload(&org.rep, "invoice.pdf", b"MZ\x90\x00\x03\x00".to_vec())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(error_fields(fake).await, ["file"]);
    let big = upload(&org.rep, "big.pdf", vec![b'%'; 20 * 1024 * 1024 + 1])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let list = json_of(
        org.rep
            .get(&format!(
                "/attachments?subject_kind=contract&subject_id={id}"
            ))
            .await,
    )
    .await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let content = format!("/attachments/{}/content", id_of(&stored));
    let download = viewer.get(&content).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(
        download
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let bytes = download.bytes().await.unwrap_or_default();
    assert_eq!(bytes.as_ref(), pdf.as_slice());
    // Reading is not changing.
    let refused = upload(&viewer, "x.pdf", pdf.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    for session in [&outsider, &other_tenant.admin] {
        assert_eq!(session.get(&content).await.status(), StatusCode::NOT_FOUND);
        let listed = session
            .get(&format!(
                "/attachments?subject_kind=contract&subject_id={id}"
            ))
            .await;
        assert_eq!(listed.status(), StatusCode::NOT_FOUND);
        let onto = upload(session, "x.pdf", pdf.clone())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(onto.status(), StatusCode::NOT_FOUND);
        let removed = session
            .delete(&format!("/attachments/{}", id_of(&stored)))
            .await;
        assert_eq!(removed.status(), StatusCode::NOT_FOUND);
    }

    let removed = org
        .rep
        .delete(&format!("/attachments/{}", id_of(&stored)))
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(org.rep.get(&content).await.status(), StatusCode::NOT_FOUND);
}
