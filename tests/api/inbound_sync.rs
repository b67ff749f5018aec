//! Inbound sync: an ERP creates and changes customers, contacts and products by its own ids
//! (`PUT …/by-external-id`, `POST …/bulk`); every outcome becomes the external record's sync
//! state, and the refused ones are listed for the operators with the problem the ERP got.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};

pub async fn put(session: &Session, path: &str, body: &Value) -> (StatusCode, Value) {
    let response = session
        .request(Method::PUT, path)
        .json(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    (status, json_of(response).await)
}

pub fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn failed_syncs(admin: &Session) -> Vec<Value> {
    let page = json_of(admin.get("/sync-states?result=failed").await).await;
    page["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_erp_creates_a_customer_by_its_id_then_changes_only_what_it_sends() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let path = "/customers/by-external-id/kingdee/CUST-0001";

    let (status, created) = put(
        admin,
        path,
        &json!({"name": "苏州精密机械有限公司", "industry": "机械制造", "city": "苏州"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["external_source"], "kingdee");
    assert_eq!(created["external_id"], "CUST-0001");

    let (status, changed) = put(admin, path, &json!({"city": "无锡"})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["id"], created["id"]);
    assert_eq!(changed["city"], "无锡");
    assert_eq!(
        changed["name"], "苏州精密机械有限公司",
        "fields not sent stay"
    );

    let read = json_of(admin.get(path).await).await;
    assert_eq!(
        (&read["id"], &read["city"]),
        (&created["id"], &json!("无锡"))
    );
    let id = created["id"].as_str().unwrap_or_default();
    let page = json_of(admin.get(&format!("/customers/{id}")).await).await;
    assert_eq!(page["external_id"], "CUST-0001");

    let states = json_of(
        admin
            .get(&format!("/sync-states?kind=customer&record_id={id}"))
            .await,
    )
    .await;
    assert_eq!(states["items"][0]["result"], "succeeded");
    assert_eq!(states["items"][0]["external_source"], "kingdee");

    let events: Vec<String> = app
        .queued_events(admin)
        .await
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(events, ["customer.created", "customer.updated"]);

    // Another system's id for the same number is another record's identity.
    assert_eq!(
        admin
            .get("/customers/by-external-id/u8/CUST-0001")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_refused_sync_is_listed_with_its_problem_until_a_later_one_succeeds() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let path = "/customers/by-external-id/kingdee/CUST-0042";

    let (status, problem) = put(
        admin,
        path,
        &json!({"name": "无锡重工", "credit_code": "123"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [("credit_code".to_owned(), "invalid_format".to_owned())]
    );
    let failed = failed_syncs(admin).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["kind"], "customer");
    assert_eq!(failed[0]["external_id"], "CUST-0042");
    assert_eq!(failed[0]["record_id"], Value::Null);
    assert_eq!(failed[0]["problem"]["code"], "validation_failed");
    assert_eq!(field_codes(&failed[0]["problem"]), field_codes(&problem));

    let (status, _) = put(admin, path, &json!({"name": "无锡重工"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(failed_syncs(admin).await.is_empty());

    // A company the CRM has already (entered by hand) is a duplicate, not a second record.
    let (status, problem) = put(
        admin,
        "/customers/by-external-id/kingdee/CUST-0043",
        &json!({"name": "无锡重工"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "customer_duplicate");
    assert_eq!(failed_syncs(admin).await[0]["external_id"], "CUST-0043");

    // Only admins see the tenant's sync states.
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    assert_eq!(
        rep.get("/sync-states?result=failed").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn bulk_writes_each_item_on_its_own_and_answers_for_each() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let (status, _) = put(
        admin,
        "/customers/by-external-id/kingdee/C-1",
        &json!({"name": "常州电机厂"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let response = admin
        .post(
            "/customers/bulk",
            &json!({"items": [
                {"external_source": "kingdee", "external_id": "C-2", "data": {"name": "南通纺织机械"}},
                {"external_source": "kingdee", "external_id": "C-3", "data": {"city": "扬州"}},
                {"external_source": "kingdee", "external_id": "C-1", "data": {"city": "常州"}},
                {"external_source": "Kingdee", "external_id": "C-4", "data": {"name": "泰州船舶"}},
            ]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer = json_of(response).await;
    let statuses: Vec<&str> = answer["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(statuses, ["created", "failed", "updated", "failed"]);
    assert_eq!(
        (&answer["created"], &answer["updated"], &answer["failed"]),
        (&json!(1), &json!(1), &json!(2))
    );
    assert_eq!(
        field_codes(&answer["items"][1]["problem"]),
        [("name".to_owned(), "required".to_owned())]
    );
    assert_eq!(
        field_codes(&answer["items"][3]["problem"]),
        [("external_source".to_owned(), "invalid_format".to_owned())]
    );
    let changed = json_of(admin.get("/customers/by-external-id/kingdee/C-1").await).await;
    assert_eq!(changed["city"], "常州");
    // The item with a valid identity is listed as failed; the one without cannot be.
    let failed: Vec<Value> = failed_syncs(admin)
        .await
        .iter()
        .map(|s| s["external_id"].clone())
        .collect();
    assert_eq!(failed, [json!("C-3")]);

    let too_many: Vec<Value> = (0..1001)
        .map(|i| json!({"external_source": "kingdee", "external_id": format!("X-{i}"), "data": {"name": format!("客户{i}")}}))
        .collect();
    let response = admin
        .post("/customers/bulk", &json!({"items": too_many}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_codes(&json_of(response).await)[0].0, "items");
}

#[tokio::test]
async fn concurrent_syncs_of_a_new_record_make_one_record() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let path = "/customers/by-external-id/kingdee/RACE-1";
    let body = json!({"name": "镇江港机"});
    let (a, b) = tokio::join!(put(admin, path, &body), put(admin, path, &body));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CREATED],
        "{} {}",
        a.1,
        b.1
    );
    assert_eq!(a.1["id"], b.1["id"]);
}

#[tokio::test]
async fn external_ids_belong_to_a_tenant_and_reads_keep_to_the_callers_scope() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let other = app.tenant("other").await;
    let path = "/customers/by-external-id/kingdee/SAME-1";
    let (_, ours) = put(&acme.admin, path, &json!({"name": "盐城汽配"})).await;
    let (status, theirs) = put(&other.admin, path, &json!({"name": "淮安化工"})).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the same ERP id in another tenant is new"
    );
    assert_ne!(ours["id"], theirs["id"]);
    assert_eq!(
        json_of(acme.admin.get(path).await).await["name"],
        "盐城汽配"
    );

    // A rep who sees only their own customers cannot read or change the admin's by its ERP id.
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    assert_eq!(rep.get(path).await.status(), StatusCode::NOT_FOUND);
    let (status, _) = put(&rep, path, &json!({"city": "盐城"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let id = ours["id"].as_str().unwrap_or_default();
    assert_eq!(
        rep.get(&format!("/sync-states?kind=customer&record_id={id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn contacts_and_products_sync_the_same_way() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let (_, customer) = put(
        admin,
        "/customers/by-external-id/kingdee/C-9",
        &json!({"name": "宿迁纺机"}),
    )
    .await;
    let contact_path = "/contacts/by-external-id/kingdee/P-9";
    let (status, contact) = put(
        admin,
        contact_path,
        &json!({"customer_id": customer["id"], "name": "周工", "title": "采购经理"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    assert_eq!(contact["external_id"], "P-9");
    // The whole contact again, its customer repeated: changed; moved to another: refused.
    let (status, contact) = put(
        admin,
        contact_path,
        &json!({"customer_id": customer["id"], "name": "周工", "title": "采购总监"}),
    )
    .await;
    assert_eq!(
        (status, &contact["title"]),
        (StatusCode::OK, &json!("采购总监"))
    );
    let (_, other) = put(
        admin,
        "/customers/by-external-id/kingdee/C-10",
        &json!({"name": "淮安纺机"}),
    )
    .await;
    let (status, problem) = put(
        admin,
        contact_path,
        &json!({"customer_id": other["id"], "name": "周工"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [("customer_id".to_owned(), "read_only".to_owned())]
    );
    let (status, problem) = put(
        admin,
        "/contacts/by-external-id/kingdee/P-10",
        &json!({"customer_id": "01938f2e-7c4a-7d10-9a51-3c2b1e0f4a11", "name": "吴工"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [("customer_id".to_owned(), "not_found".to_owned())]
    );

    let product_path = "/products/by-external-id/kingdee/MAT-850";
    let (status, product) = put(
        admin,
        product_path,
        &json!({"code": "VMC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    assert_eq!(
        (&product["external_source"], &product["external_id"]),
        (&json!("kingdee"), &json!("MAT-850"))
    );
    let (status, problem) = put(admin, product_path, &json!({"external_id": "MAT-851"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [("external_id".to_owned(), "read_only".to_owned())]
    );
    let answer = json_of(
        admin
            .post(
                "/products/bulk",
                &json!({"items": [
                    {"external_source": "kingdee", "external_id": "MAT-850", "data": {"list_price": "259000"}},
                    {"external_source": "kingdee", "external_id": "MAT-900", "data": {"code": "VMC-900", "name": "龙门加工中心", "unit": "台", "list_price": "498000"}},
                ]}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (&answer["updated"], &answer["created"]),
        (&json!(1), &json!(1)),
        "{answer}"
    );
    let product = json_of(admin.get(product_path).await).await;
    assert_eq!(product["list_price"], "259000.00");
}

#[tokio::test]
async fn a_bad_path_identity_names_the_field() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let (status, problem) = put(
        &acme.admin,
        "/customers/by-external-id/Kingdee%20K3/C-1",
        &json!({"name": "连云港石化"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_codes(&problem),
        [("external_source".to_owned(), "invalid_format".to_owned())]
    );
    // An ERP number with a slash travels percent-encoded and comes back as it was.
    let (status, created) = put(
        &acme.admin,
        "/customers/by-external-id/u8/KH%2F2026%2F0001",
        &json!({"name": "连云港石化"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["external_id"], "KH/2026/0001");
}
