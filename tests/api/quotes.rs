//! Quotes end to end: numbering, server-side totals, the default approval chain (department
//! manager, then general manager), the bypass attempts that must fail, versions and their
//! comparison, copies, expiry, and who sees what.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, Tenant, TestApp, json_of, spawn_app};

pub fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

pub async fn code_of(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body = json_of(response).await;
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

/// The fields a 422 names.
pub async fn error_fields(response: reqwest::Response) -> Vec<String> {
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

/// A sales org: 总经理 `gm` manages head office; 华东销售部 under it is managed by `mgr`; `rep`
/// sells there. A product at ¥268,000 and a customer of the rep's.
pub struct SalesOrg {
    pub tenant: Tenant,
    pub gm: Session,
    pub mgr: Session,
    pub rep: Session,
    pub product: String,
    pub customer: String,
}

pub async fn sales_org(app: &TestApp, slug: &str) -> SalesOrg {
    let tenant = app.tenant(slug).await;
    let east = tenant.department("华东销售部", tenant.head_office).await;
    let gm = tenant
        .named_user(app, "gm", "赵总", "sales_director", tenant.head_office)
        .await;
    let mgr = tenant
        .named_user(app, "mgr", "钱经理", "sales_manager", east)
        .await;
    let rep = tenant
        .named_user(app, "rep", "孙销售", "sales_rep", east)
        .await;
    for (department, manager) in [(tenant.head_office, gm.user_id), (east, mgr.user_id)] {
        let response = tenant
            .admin
            .patch(
                &format!("/departments/{department}"),
                &json!({"manager_id": manager}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "manager of {department}");
    }
    let product = json_of(
        tenant
            .admin
            .post(
                "/products",
                &json!({"code": "CNC-850", "name": "立式加工中心", "spec": "VMC-850", "unit": "台", "list_price": "268000.00"}),
            )
            .await,
    )
    .await;
    let customer = json_of(
        rep.post("/customers", &json!({"name": "苏州精工机械有限公司"}))
            .await,
    )
    .await;
    SalesOrg {
        tenant,
        gm,
        mgr,
        rep,
        product: id_of(&product),
        customer: id_of(&customer),
    }
}

impl SalesOrg {
    /// A sales rep of another department (华西销售部), whose scope covers none of the org's
    /// records.
    pub async fn outsider(&self, app: &TestApp) -> Session {
        let west = self
            .tenant
            .department("华西销售部", self.tenant.head_office)
            .await;
        self.tenant.user(app, "west-rep", "sales_rep", west).await
    }
}

pub async fn create_quote(session: &Session, body: &Value) -> Value {
    let response = session.post("/quotes", body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    json_of(response).await
}

/// POSTs an action and returns the answer, asserting its status.
pub async fn act(session: &Session, path: &str, body: &Value, status: StatusCode) -> Value {
    let response = session.post(path, body).await;
    assert_eq!(response.status(), status, "{path} {body}");
    json_of(response).await
}

async fn inbox(session: &Session) -> Vec<String> {
    let page = json_of(session.get("/approvals?assignee=me").await).await;
    page["items"]
        .as_array()
        .map(|items| items.iter().map(id_of).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_large_quote_goes_through_both_managers_and_stays_approved_only_while_unchanged() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let (rep, mgr, gm) = (&org.rep, &org.mgr, &org.gm);

    // Two machines: ¥536,000 ≥ ¥500,000, so the default policy applies.
    let quote = create_quote(
        rep,
        &json!({
            "customer_id": org.customer, "payment_terms": "预付30%，发货前付60%，验收后付10%",
            "lines": [
                {"product_id": org.product, "quantity": "2"},
                {"name": "安装调试费", "quantity": "1", "unit_price": "8000", "vat_rate": "0.06"}
            ]
        }),
    )
    .await;
    let id = id_of(&quote);
    let year = chrono::Utc::now().format("%Y");
    assert_eq!(quote["number"], format!("QT-{year}-000001"));
    assert_eq!(quote["status"], "draft");
    assert_eq!(quote["lines"][0]["name"], "立式加工中心");
    assert_eq!(quote["lines"][0]["unit_price"], "268000.00");
    assert_eq!(quote["lines"][0]["price_source"], "list_price");
    assert_eq!(quote["lines"][1]["unit"], "项");
    assert_eq!(quote["totals"]["lines_total"], "544000.00");
    assert_eq!(quote["totals"]["total"], "544000.00");
    // 536,000 / 1.13 and 8,000 / 1.06, each rounded to the cent.
    assert_eq!(quote["totals"]["total_excl_vat"], "481883.45");
    assert_eq!(quote["totals"]["vat_amount"], "62116.55");

    let submitted = act(
        rep,
        &format!("/quotes/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(submitted["status"], "pending_approval");
    let approval = submitted["approval_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(inbox(mgr).await, std::slice::from_ref(&approval));
    assert!(
        inbox(gm).await.is_empty(),
        "the GM's step is not reached yet"
    );
    let counts = json_of(mgr.get("/approvals/counts").await).await;
    assert_eq!(counts, json!({"awaiting_me": 1, "submitted_pending": 0}));
    assert_eq!(
        json_of(rep.get("/approvals/counts").await).await["submitted_pending"],
        1
    );

    // Nobody edits a quote under approval, and only the step's approver decides it.
    let (status, code) = code_of(
        rep.patch(&format!("/quotes/{id}"), &json!({"notes": "x"}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "invalid_transition")
    );
    let approve = format!("/approvals/{approval}/approve");
    assert_eq!(
        rep.post(&approve, &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        gm.post(&approve, &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    let fields = error_fields(
        mgr.post(&format!("/approvals/{approval}/reject"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(fields, ["comment"]);

    let step = act(mgr, &approve, &json!({"comment": "同意"}), StatusCode::OK).await;
    assert_eq!(step["current_step"], 1);
    assert_eq!(step["current_step_name"], "总经理审批");
    assert_eq!(inbox(gm).await, std::slice::from_ref(&approval));
    let (status, code) = code_of(mgr.post(&approve, &json!({})).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "step_decided")
    );
    let done = act(gm, &approve, &json!({}), StatusCode::OK).await;
    assert_eq!(done["status"], "approved");
    let kinds: Vec<&str> = done["events"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds,
        [
            "submitted",
            "approved",
            "step_completed",
            "approved",
            "step_completed",
            "completed"
        ]
    );
    assert_eq!(done["steps"][0]["assignees"][0]["user_name"], "钱经理");
    assert_eq!(done["steps"][0]["assignees"][0]["comment"], "同意");
    let approved = json_of(rep.get(&format!("/quotes/{id}")).await).await;
    assert_eq!(approved["status"], "approved");

    // An internal note is not material; new payment terms are, and need approval again.
    let noted = json_of(
        rep.patch(
            &format!("/quotes/{id}"),
            &json!({"internal_note": "客户预算紧"}),
        )
        .await,
    )
    .await;
    assert_eq!(noted["status"], "approved");
    let changed = json_of(
        rep.patch(
            &format!("/quotes/{id}"),
            &json!({"payment_terms": "货到付款"}),
        )
        .await,
    )
    .await;
    assert_eq!(changed["status"], "draft");
    assert_eq!(changed["approval_id"], Value::Null);
    let (status, _) = code_of(rep.post(&format!("/quotes/{id}/send"), &json!({})).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "a draft is not sent");

    // The events an OA system will mirror are queued with the changes: the request and its
    // end, not each approver's step; the quote's way back to draft is no event.
    let events: Vec<(String, Value)> = app
        .queued_events(rep)
        .await
        .into_iter()
        .filter(|(name, _)| name.starts_with("quote.") || name.starts_with("approval."))
        .collect();
    let names: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "approval.requested",
            "quote.submitted",
            "approval.decided",
            "quote.approved"
        ]
    );
    let (requested, submitted, decided, approved) =
        (&events[0].1, &events[1].1, &events[2].1, &events[3].1);
    assert_eq!(
        (
            requested["approval_id"].as_str(),
            requested["document_kind"].as_str(),
            requested["document_id"].as_str(),
            requested["amount"].as_str(),
            requested["outcome"].clone(),
        ),
        (
            Some(approval.as_str()),
            Some("quote"),
            Some(id.as_str()),
            Some("544000.00"),
            Value::Null
        )
    );
    assert_eq!(
        (decided["outcome"].as_str(), decided["status"].as_str()),
        (Some("approved"), Some("approved"))
    );
    assert_eq!(
        (
            submitted["quote_id"].as_str(),
            submitted["status"].as_str(),
            submitted["total"].as_str(),
            submitted["currency"].as_str(),
            submitted["owner_id"].clone(),
        ),
        (
            Some(id.as_str()),
            Some("pending_approval"),
            Some("544000.00"),
            Some("CNY"),
            json!(rep.user_id)
        )
    );
    assert_eq!(approved["status"], "approved");
}

#[tokio::test]
async fn versions_freeze_compare_line_by_line_and_copies_start_over() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let rep = &org.rep;
    // One machine: below every threshold, so submitting approves at once.
    let quote = create_quote(
        rep,
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "1"}]}),
    )
    .await;
    let v1 = id_of(&quote);
    let approved = act(
        rep,
        &format!("/quotes/{v1}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["approval_id"], Value::Null);
    let sent = act(
        rep,
        &format!("/quotes/{v1}/send"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(sent["status"], "sent");
    assert!(sent["sent_at"].is_string());

    // The sent price is now the customer's last price for the product.
    let v2 = act(
        rep,
        &format!("/quotes/{v1}/revise"),
        &json!({"note": "客户要求加量"}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (v2["number"].clone(), v2["revision"].clone()),
        (quote["number"].clone(), json!(2))
    );
    assert_eq!(v2["status"], "draft");
    assert_eq!(v2["lines"][0]["last_price"]["unit_price"], "268000.00");
    assert_eq!(v2["lines"][0]["last_price"]["event"], "quoted");
    let v2_id = id_of(&v2);
    let (status, code) = code_of(
        rep.patch(&format!("/quotes/{v1}"), &json!({"notes": "x"}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "quote_superseded")
    );
    let (status, code) = code_of(rep.post(&format!("/quotes/{v1}/revise"), &json!({})).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "quote_superseded")
    );

    let edited = json_of(
        rep.patch(
            &format!("/quotes/{v2_id}"),
            &json!({"lines": [
                {"product_id": org.product, "quantity": "3", "discount_percent": "5"},
                {"name": "培训", "quantity": "2", "unit_price": "1500"}
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(edited["totals"]["lines_total"], "766800.00");

    let comparison = json_of(rep.get(&format!("/quotes/{v2_id}/compare?with={v1}")).await).await;
    assert_eq!(comparison["before"]["revision"], 1);
    assert_eq!(comparison["lines"][0]["kind"], "changed");
    assert_eq!(
        comparison["lines"][0]["changed_fields"],
        json!(["quantity", "discount_percent"])
    );
    assert_eq!(comparison["lines"][1]["kind"], "added");
    assert_eq!(comparison["totals_before"]["total"], "268000.00");
    assert_eq!(comparison["totals_after"]["total"], "766800.00");
    let versions = json_of(rep.get(&format!("/quotes/{v1}/versions")).await).await;
    assert_eq!(versions.as_array().map(Vec::len), Some(2));
    assert_eq!(versions[0]["superseded"], true);
    let listed = json_of(rep.get("/quotes").await).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "latest versions only"
    );
    let all = json_of(rep.get("/quotes?all_versions=true").await).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));

    // A copy of the sent version: a new number, a draft, no approval.
    let copy = act(
        rep,
        &format!("/quotes/{v1}/copy"),
        &json!({}),
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(copy["number"], quote["number"]);
    assert_eq!(copy["status"], "draft");
    assert_eq!(copy["approval_id"], Value::Null);
    assert_eq!(copy["copied_from"], json!(v1));

    // Deleting the draft revision (a manager may) makes v1 the latest again.
    assert_eq!(
        rep.delete(&format!("/quotes/{v2_id}")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        org.mgr.delete(&format!("/quotes/{v2_id}")).await.status(),
        StatusCode::NO_CONTENT
    );
    let v1_again = json_of(rep.get(&format!("/quotes/{v1}")).await).await;
    assert_eq!(v1_again["superseded"], false);
}

#[tokio::test]
async fn numbers_never_repeat_under_concurrent_creates() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let body = json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "1"}]});
    let creates = (0..8).map(|_| org.rep.post("/quotes", &body));
    let mut numbers = Vec::new();
    for response in futures_util::future::join_all(creates).await {
        assert_eq!(response.status(), StatusCode::CREATED);
        numbers.push(
            json_of(response).await["number"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 8, "{numbers:?}");
}

#[tokio::test]
async fn bad_lines_are_named_and_previews_price_without_saving() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let rep = &org.rep;
    // Each line's own faults first; then what the catalogue and price lists cannot settle.
    let fields = error_fields(
        rep.post(
            "/quotes",
            &json!({"customer_id": org.customer, "lines": [
                {"product_id": org.product, "quantity": "1"},
                {"product_id": org.product, "quantity": "0", "discount_percent": "101"}
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(fields, ["lines[1].quantity", "lines[1].discount_percent"]);
    let fields = error_fields(
        rep.post(
            "/quotes",
            &json!({"customer_id": org.customer, "lines": [
                {"product_id": org.product, "quantity": "1"},
                {"name": "无价格的服务", "quantity": "1"},
                {"product_id": Uuid::now_v7(), "quantity": "1"}
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(fields, ["lines[1].unit_price", "lines[2].product_id"]);
    let fields = error_fields(rep.post("/quotes", &json!({"lines": []})).await).await;
    assert_eq!(fields, ["customer_id"]);

    let preview = json_of(
        rep.post(
            "/quotes/preview",
            &json!({"customer_id": org.customer, "header_discount_percent": "10",
                    "lines": [{"product_id": org.product, "quantity": "1", "discount_percent": "10"}]}),
        )
        .await,
    )
    .await;
    assert_eq!(preview["totals"]["lines_total"], "241200.00");
    assert_eq!(preview["totals"]["total"], "217080.00");
    assert_eq!(preview["lines"][0]["effective_discount_percent"], "19");
    let listed = json_of(rep.get("/quotes?include_total=true").await).await;
    assert_eq!(listed["total"], 0, "a preview saves nothing");

    // A 19% discount is above the policy's 15%: approval is needed whatever the amount.
    let quote = create_quote(
        rep,
        &json!({"customer_id": org.customer, "header_discount_percent": "10",
                "lines": [{"product_id": org.product, "quantity": "1", "discount_percent": "10"}]}),
    )
    .await;
    let submitted = act(
        rep,
        &format!("/quotes/{}/submit", id_of(&quote)),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(submitted["status"], "pending_approval");
}

#[tokio::test]
async fn quotes_past_validity_expire_and_are_not_sent() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let rep = &org.rep;
    let yesterday = crm_domain_today() - chrono::Duration::days(1);
    let make = |valid_until: chrono::NaiveDate| {
        json!({"customer_id": org.customer, "valid_until": valid_until,
               "lines": [{"product_id": org.product, "quantity": "1"}]})
    };
    let stale = create_quote(rep, &make(yesterday)).await;
    let fresh = create_quote(rep, &make(yesterday + chrono::Duration::days(30))).await;
    for q in [&stale, &fresh] {
        act(
            rep,
            &format!("/quotes/{}/submit", id_of(q)),
            &json!({}),
            StatusCode::OK,
        )
        .await;
    }
    let (status, code) = code_of(
        rep.post(&format!("/quotes/{}/send", id_of(&stale)), &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "quote_expired")
    );

    let expired = crm_persistence::quotes::expire(&app.db, crm_domain_today())
        .await
        .unwrap_or_default();
    assert_eq!(expired, 1);
    let stale = json_of(rep.get(&format!("/quotes/{}", id_of(&stale))).await).await;
    assert_eq!(stale["status"], "expired");
    let fresh = json_of(rep.get(&format!("/quotes/{}", id_of(&fresh))).await).await;
    assert_eq!(fresh["status"], "approved");
    // An expired quote is revised into a new draft.
    act(
        rep,
        &format!("/quotes/{}/revise", id_of(&stale)),
        &json!({}),
        StatusCode::CREATED,
    )
    .await;
}

/// Today in China, as the server counts days.
fn crm_domain_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

#[tokio::test]
async fn other_reps_and_tenants_reach_no_quote_or_approval_by_guessing_ids() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org
        .tenant
        .department("华西销售部", org.tenant.head_office)
        .await;
    let outsider = org.tenant.user(&app, "west-rep", "sales_rep", west).await;
    let west_mgr = org
        .tenant
        .user(&app, "west-mgr", "sales_manager", west)
        .await;
    let other_tenant = app.tenant("globex").await;
    let quote = create_quote(
        &org.rep,
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "2"}]}),
    )
    .await;
    let id = id_of(&quote);
    let submitted = act(
        &org.rep,
        &format!("/quotes/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let approval = submitted["approval_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    for intruder in [&outsider, &west_mgr, &other_tenant.admin] {
        for path in [
            format!("/quotes/{id}"),
            format!("/quotes/{id}/versions"),
            format!("/quotes/{id}/pdf"),
            format!("/approvals/{approval}"),
        ] {
            assert_eq!(
                intruder.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        for path in [
            format!("/quotes/{id}/submit"),
            format!("/quotes/{id}/copy"),
            format!("/approvals/{approval}/approve"),
            format!("/approvals/{approval}/withdraw"),
        ] {
            assert_eq!(
                intruder.post(&path, &json!({})).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        assert_eq!(
            intruder
                .patch(&format!("/quotes/{id}"), &json!({"notes": "x"}))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let listed = json_of(intruder.get("/quotes").await).await;
        assert_eq!(listed["items"], json!([]));
        let approvals = json_of(intruder.get("/approvals").await).await;
        assert_eq!(approvals["items"], json!([]));
    }
    let named = json_of(org.mgr.get(&format!("/quotes/{id}")).await).await;
    assert_eq!(named["id"], json!(id));
}

/// The text `pdftotext` reads from a PDF, without whitespace (it drops the narrow gaps
/// between Chinese and Latin text unevenly).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("crm-pdf-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("quote.pdf");
    std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
    let output = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (Debian poppler-utils): {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8_lossy(&output.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[tokio::test]
async fn a_quote_prints_in_chinese_with_the_letterhead_and_a_copy_without_prices() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    let template = admin
        .request(reqwest::Method::PUT, "/document-template")
        .json(&json!({"company_name": "苏州智造装备有限公司", "bank_name": "中国银行苏州分行", "bank_account": "5368 1234 5678"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(template.status(), StatusCode::OK);
    let upload = |bytes: &'static [u8]| {
        admin
            .request(reqwest::Method::PUT, "/document-template/logo")
            .header("Content-Type", "image/png")
            .body(bytes)
            .send()
    };
    let refused = upload(b"GIF89a not a png")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(error_fields(refused).await, ["file"]);
    let logo = upload(include_bytes!(
        "../../crates/documents/tests/render/logo.png"
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json_of(logo).await["has_logo"], true);

    let quote = create_quote(
        &org.rep,
        &json!({"customer_id": org.customer, "delivery_terms": "合同生效后45天",
                "internal_note": "底价 25 万", "lines": [{"product_id": org.product, "quantity": "1"}]}),
    )
    .await;
    let path = format!("/quotes/{}/pdf", id_of(&quote));
    let response = org.rep.get(&format!("{path}?download=true")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let bytes = response.bytes().await.unwrap_or_default();
    assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());
    let text = pdf_text(&bytes);
    for expected in [
        "苏州智造装备有限公司",
        "报价单",
        "苏州精工机械有限公司",
        "立式加工中心",
        "268,000.00",
        "贰拾陆万捌仟元整",
        "合同生效后45天",
        "中国银行苏州分行",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("底价"), "the internal note never prints");

    let copy = org
        .rep
        .get(&format!("{path}?variant=no_prices&lang=en"))
        .await;
    assert_eq!(copy.status(), StatusCode::OK);
    let text = pdf_text(&copy.bytes().await.unwrap_or_default());
    assert!(
        text.contains("立式加工中心") && text.contains("Quotation"),
        "{text}"
    );
    assert!(
        !text.contains("268,000.00"),
        "no prices on this copy: {text}"
    );
}

#[tokio::test]
async fn the_customer_accepts_or_declines_with_a_reason() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let rep = &org.rep;
    let body = json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "1"}]});
    let (accepted, declined) = (
        create_quote(rep, &body).await,
        create_quote(rep, &body).await,
    );
    for q in [&accepted, &declined] {
        act(
            rep,
            &format!("/quotes/{}/submit", id_of(q)),
            &json!({}),
            StatusCode::OK,
        )
        .await;
        act(
            rep,
            &format!("/quotes/{}/send", id_of(q)),
            &json!({}),
            StatusCode::OK,
        )
        .await;
    }
    let done = act(
        rep,
        &format!("/quotes/{}/accept", id_of(&accepted)),
        &json!({"note": "已签回"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "accepted");
    assert!(done["accepted_at"].is_string());
    let (status, code) = code_of(
        rep.post(
            &format!("/quotes/{}/decline", id_of(&accepted)),
            &json!({"reason": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "invalid_transition")
    );

    let path = format!("/quotes/{}/decline", id_of(&declined));
    assert_eq!(
        error_fields(rep.post(&path, &json!({"reason": " "})).await).await,
        ["reason"]
    );
    let lost = act(rep, &path, &json!({"reason": "预算取消"}), StatusCode::OK).await;
    assert_eq!(lost["status"], "declined");
    assert_eq!(lost["decline_reason"], "预算取消");
}
