//! The leads slice: CRUD, validation, optimistic concurrency, paging, the audit trail.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn a_lead_is_created_read_updated_and_deleted_with_its_history() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;

    let created = admin
        .post(
            "/leads",
            &json!({
                "company_name": "苏州精工机械有限公司", "contact_name": "王磊", "title": "采购经理",
                "mobile": "+86 138-1234-5678", "email": "WangLei@JingGong.cn", "source": "exhibition",
                "region": "华东", "industry": "机械制造"
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()["etag"], "\"1\"");
    let lead = json_of(created).await;
    let id = lead["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(lead["status"], "new");
    assert_eq!(
        lead["mobile"], "13812345678",
        "the mobile number is stored normalized"
    );
    assert_eq!(lead["email"], "wanglei@jinggong.cn");
    assert_eq!(
        lead["owner_id"].as_str(),
        Some(admin.user_id.to_string().as_str()),
        "the creator owns it"
    );

    let read = admin.get(&format!("/leads/{id}")).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(json_of(read).await["company_name"], "苏州精工机械有限公司");

    let updated = admin
        .request(Method::PATCH, &format!("/leads/{id}"))
        .header("If-Match", "\"1\"")
        .json(&json!({"contact_name": "李娜", "region": null}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(updated.headers()["etag"], "\"2\"");
    let lead = json_of(updated).await;
    assert_eq!(lead["contact_name"], "李娜");
    assert_eq!(lead["region"], Value::Null);
    assert_eq!(
        lead["industry"], "机械制造",
        "fields left out stay as they were"
    );

    let deleted = admin.delete(&format!("/leads/{id}")).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        admin.get(&format!("/leads/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let list = json_of(admin.get("/leads").await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));

    let history = json_of(
        admin
            .get(&format!("/audit-log?entity_type=lead&entity_id={id}"))
            .await,
    )
    .await;
    let actions: Vec<&str> = history["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        vec!["deleted", "updated", "created"],
        "newest first"
    );
    let update = &history["items"][1];
    assert_eq!(
        update["actor_id"].as_str(),
        Some(admin.user_id.to_string().as_str())
    );
    let changes = update["changes"].as_array().cloned().unwrap_or_default();
    assert!(changes.contains(&json!({"field": "contact_name", "old": "王磊", "new": "李娜"})));
    assert!(changes.contains(&json!({"field": "region", "old": "华东", "new": null})));
    assert_eq!(changes.len(), 2, "only what changed is recorded");
}

#[tokio::test]
async fn a_stale_if_match_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let lead = acme.admin.create_lead("甲公司").await;
    let id = lead["id"].as_str().unwrap_or_default();

    let first = acme
        .admin
        .request(Method::PATCH, &format!("/leads/{id}"))
        .header("If-Match", "\"1\"")
        .json(&json!({"notes": "第一次"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.status(), StatusCode::OK);
    let stale = acme
        .admin
        .request(Method::PATCH, &format!("/leads/{id}"))
        .header("If-Match", "\"1\"")
        .json(&json!({"notes": "覆盖"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        stale.headers()["etag"],
        "\"2\"",
        "the answer names the current version"
    );
    assert_eq!(json_of(stale).await["code"], "version_conflict");
    let now = json_of(acme.admin.get(&format!("/leads/{id}")).await).await;
    assert_eq!(now["notes"], "第一次");
    assert_eq!(now["version"], 2);

    let stale_delete = acme
        .admin
        .request(Method::DELETE, &format!("/leads/{id}"))
        .header("If-Match", "\"1\"")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stale_delete.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        acme.admin.get(&format!("/leads/{id}")).await.status(),
        StatusCode::OK,
        "a stale delete deletes nothing"
    );
}

#[tokio::test]
async fn bad_input_gets_field_errors_never_a_500() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;

    let invalid = admin
        .request(Method::POST, "/leads")
        .header("Accept-Language", "en")
        .json(&json!({"company_name": " ", "contact_name": "王磊", "email": "wang@", "mobile": "123", "source": "phone"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        invalid.headers()["content-type"],
        "application/problem+json"
    );
    let body = json_of(invalid).await;
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or(""),
                e["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            ("company_name", "required"),
            ("mobile", "invalid_format"),
            ("email", "invalid_format")
        ]
    );
    assert_eq!(body["errors"][0]["message"], "Required");

    let unknown_source = admin
        .post(
            "/leads",
            &json!({"company_name": "甲", "contact_name": "乙", "source": "tv"}),
        )
        .await;
    assert_eq!(unknown_source.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json_of(unknown_source).await["errors"][0]["field"],
        "source"
    );

    let missing = admin.post("/leads", &json!({"company_name": "甲"})).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let malformed = admin
        .request(Method::POST, "/leads")
        .header("content-type", "application/json")
        .body("{\"company_name\": ")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);

    let lead = admin.create_lead("甲公司").await;
    let id = lead["id"].as_str().unwrap_or_default();
    let status = admin
        .patch(&format!("/leads/{id}"), &json!({"status": "new"}))
        .await;
    assert_eq!(
        status.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "state changes only through actions"
    );
    assert_eq!(json_of(status).await["errors"][0]["code"], "read_only");

    for query in [
        "limit=201",
        "limit=0",
        "limit=abc",
        "colour=red",
        "sort=password_hash",
        "cursor=garbage",
        "status=won",
        "created_from=yesterday",
    ] {
        let response = admin.get(&format!("/leads?{query}")).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
        let body = json_of(response).await;
        let field = body["errors"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            query.starts_with(&field),
            "{query} names its parameter, got {field}"
        );
    }
    assert_eq!(
        admin.get("/leads/not-a-uuid").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .get(&format!("/leads/{}", uuid::Uuid::now_v7()))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lists_page_by_cursor_search_filter_and_sort() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let names = [
        "华东甲",
        "华南乙",
        "华北丙",
        "西南丁",
        "华中戊",
        "东北己",
        "西北庚",
    ];
    for name in names {
        admin.create_lead(name).await;
    }
    admin.post("/leads", &json!({"company_name": "宁波展会客户", "contact_name": "赵六", "source": "exhibition", "email": "zhao@ningbo.cn"})).await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/leads?limit=3&cursor={c}"),
            None => "/leads?limit=3&include_total=true".to_owned(),
        };
        let page = json_of(admin.get(&path).await).await;
        if cursor.is_none() {
            assert_eq!(page["total"], 8);
        }
        seen.extend(
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l["company_name"].as_str().map(str::to_owned)),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 8, "every lead once: {seen:?}");
    assert_eq!(seen[0], "宁波展会客户", "newest first by default");
    assert_eq!(seen[7], "华东甲");

    let by_name = json_of(admin.get("/leads?sort=company_name&limit=200").await).await;
    let sorted: Vec<String> = by_name["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["company_name"].as_str().map(str::to_owned))
        .collect();
    let mut expected = sorted.clone();
    expected.sort();
    assert_eq!(sorted, expected);

    let found = json_of(admin.get("/leads?q=ZHAO%40").await).await;
    assert_eq!(
        found["items"].as_array().map(Vec::len),
        Some(1),
        "search ignores case and covers email"
    );
    let filtered = json_of(admin.get("/leads?source=exhibition&status=new").await).await;
    assert_eq!(filtered["items"][0]["company_name"], "宁波展会客户");
    assert_eq!(filtered["items"].as_array().map(Vec::len), Some(1));
    let future = json_of(admin.get("/leads?created_from=2999-01-01T00:00:00Z").await).await;
    assert_eq!(future["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn nul_characters_are_a_field_error_on_every_database() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let body = acme
        .admin
        .post(
            "/leads",
            &json!({"company_name": "a\u{0}b", "contact_name": "王磊", "source": "phone"}),
        )
        .await;
    assert_eq!(body.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(body).await["errors"][0]["field"], "company_name");

    let query = acme.admin.get("/leads?q=%00").await;
    assert_eq!(query.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(query).await["errors"][0]["field"], "q");

    let login = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"tenant": "ac\u{0}me", "email": "admin@acme.cn", "password": "x"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(login.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json_of(acme.admin.get("/leads?include_total=true").await).await["total"],
        0,
        "nothing was written"
    );
}
