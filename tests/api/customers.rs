//! Customers and contacts: CRUD, duplicates refused by the database and told without
//! leaking, the duplicate check, merges, and data scopes on every route.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, json_of, spawn_app};

async fn create_customer(session: &Session, body: Value) -> Value {
    let response = session.post("/customers", &body).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "create customer {body}"
    );
    json_of(response).await
}

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

/// Two departments with a rep each, and the manager of the first.
/// Keep `app` bound while the test runs: dropping it drops the test database.
struct Org {
    app: TestApp,
    admin: Session,
    east_rep: Session,
    east_manager: Session,
    south_rep: Session,
}

async fn org() -> Org {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let south = acme.department("华南区", acme.head_office).await;
    let east_rep = acme
        .named_user(&app, "zhangwei", "张伟", "sales_rep", east)
        .await;
    let east_manager = acme
        .named_user(&app, "liqiang", "李强", "sales_manager", east)
        .await;
    let south_rep = acme
        .named_user(&app, "wangfang", "王芳", "sales_rep", south)
        .await;
    Org {
        admin: acme.admin,
        app,
        east_rep,
        east_manager,
        south_rep,
    }
}

#[tokio::test]
async fn a_customer_is_created_read_edited_and_filtered() {
    let Org {
        app: _app,
        east_rep,
        ..
    } = org().await;
    let created = create_customer(&east_rep, json!({
        "name": "苏州精工机械有限公司", "credit_code": "91320500ma1mxxxx0x", "tier": "A",
        "tags": ["重点", "华东"], "industry": "机械制造", "region": "华东", "province": "江苏省", "city": "苏州市",
        "website": "www.jinggong.cn", "source": "exhibition"
    }))
    .await;
    assert_eq!(
        created["credit_code"], "91320500MA1MXXXX0X",
        "stored uppercase"
    );
    assert_eq!(created["status"], "potential");
    assert_eq!(created["owner_id"], json!(east_rep.user_id));
    assert_eq!(created["owner_name"], "张伟");
    let id = id_of(&created);

    let patched = east_rep
        .patch(
            &format!("/customers/{id}"),
            &json!({"status": "active", "short_name": "精工", "tags": ["重点"]}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let patched = json_of(patched).await;
    assert_eq!(
        (
            patched["status"].as_str(),
            patched["short_name"].as_str(),
            patched["version"].as_i64()
        ),
        (Some("active"), Some("精工"), Some(2))
    );

    create_customer(
        &east_rep,
        json!({"name": "无锡华光电子有限公司", "tier": "B", "tags": ["华东"]}),
    )
    .await;
    let by_tag = json_of(east_rep.get("/customers?tag=%E9%87%8D%E7%82%B9").await).await;
    assert_eq!(
        by_tag["items"].as_array().map(Vec::len),
        Some(1),
        "only one still has the tag 重点"
    );
    let by_tier = json_of(east_rep.get("/customers?tier=B&include_total=true").await).await;
    assert_eq!(by_tier["total"], 1);
    assert_eq!(by_tier["items"][0]["name"], "无锡华光电子有限公司");
    let searched = json_of(east_rep.get("/customers?q=91320500MA1M").await).await;
    assert_eq!(
        searched["items"][0]["id"],
        json!(id),
        "search covers the credit code"
    );
}

#[tokio::test]
async fn bad_fields_are_named_and_unknown_filters_refused() {
    let Org {
        app: _app,
        east_rep,
        ..
    } = org().await;
    let response = east_rep
        .post("/customers", &json!({"name": " ", "credit_code": "91320500MA1MXXXX01", "tier": "Z", "website": "a b"}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(response).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["name", "credit_code", "website", "tier"]);
    assert_eq!(
        east_rep.get("/customers?colour=red").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn a_duplicate_is_refused_with_a_masked_hint_outside_the_scope() {
    let Org {
        app: _app,
        east_rep,
        south_rep,
        east_manager,
        ..
    } = org().await;
    let original = create_customer(
        &east_rep,
        json!({"name": "苏州精工机械有限公司", "credit_code": "91350100M000100Y43"}),
    )
    .await;

    // Another spelling of the same company, by a rep who cannot see the original.
    let response = south_rep
        .post(
            "/customers",
            &json!({"name": "苏州 精工机械（集团）股份有限公司"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let problem = json_of(response).await;
    assert_eq!(problem["code"], "customer_duplicate");
    assert_eq!(problem["detail"], "已存在：苏州**有限公司（华东区 张*）");
    let hint = &problem["duplicates"][0];
    assert_eq!(
        (hint["reason"].as_str(), hint["visible"].as_bool()),
        (Some("name"), Some(false))
    );
    assert_eq!(hint["customer_id"], Value::Null, "no id to probe with");
    assert!(
        !problem.to_string().contains("张伟"),
        "the owner's full name does not leak: {problem}"
    );

    // The same credit code under another name is the same company too.
    let by_code = south_rep
        .post(
            "/customers",
            &json!({"name": "完全不同的名字有限公司", "credit_code": "91350100m000100y43"}),
        )
        .await;
    assert_eq!(by_code.status(), StatusCode::CONFLICT);
    assert_eq!(
        json_of(by_code).await["duplicates"][0]["reason"],
        "credit_code"
    );

    // The owner's manager is told everything, with the id to open it.
    let response = east_manager
        .post("/customers", &json!({"name": "苏州精工机械有限责任公司"}))
        .await;
    let problem = json_of(response).await;
    assert_eq!(problem["duplicates"][0]["customer_id"], original["id"]);
    assert_eq!(problem["duplicates"][0]["owner_hint"], "华东区 张伟");

    // Renaming another customer into the same company is refused as well.
    let other = create_customer(&east_rep, json!({"name": "无锡华光电子有限公司"})).await;
    let rename = east_rep
        .patch(
            &format!("/customers/{}", id_of(&other)),
            &json!({"name": "苏州精工机械公司"}),
        )
        .await;
    assert_eq!(rename.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn concurrent_creates_of_one_company_let_exactly_one_through() {
    let Org {
        app: _app,
        east_rep,
        south_rep,
        ..
    } = org().await;
    let attempts = (0..8).map(|i| {
        let session = if i % 2 == 0 {
            east_rep.clone()
        } else {
            south_rep.clone()
        };
        let name = if i % 2 == 0 {
            "杭州云帆科技有限公司".to_owned()
        } else {
            format!(
                "杭州云帆科技{}",
                ["股份有限公司", "集团", "有限责任公司", "(杭州)有限公司"][i / 2]
            )
        };
        tokio::spawn(async move {
            session
                .post("/customers", &json!({"name": name}))
                .await
                .status()
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap_or_else(|e| panic!("{e}")));
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, refused), (1, 7), "{statuses:?}");
}

#[tokio::test]
async fn the_duplicate_check_finds_exact_and_similar_matches_and_masks_them() {
    let Org {
        app: _app,
        east_rep,
        south_rep,
        ..
    } = org().await;
    let mine = create_customer(&south_rep, json!({"name": "上海精工机械有限公司"})).await;
    let theirs = create_customer(&east_rep, json!({"name": "苏州精工机械有限公司"})).await;
    let contact = east_rep
        .post("/contacts", &json!({"customer_id": theirs["id"], "name": "王磊", "mobile": "13812345678", "email": "WangLei@JingGong.cn"}))
        .await;
    assert_eq!(contact.status(), StatusCode::CREATED);

    let check = json_of(south_rep.get("/customers/duplicate-check?name=%E8%8B%8F%E5%B7%9E%E7%B2%BE%E5%B7%A5%E6%9C%BA%E6%A2%B0").await).await;
    assert_eq!(
        check["exact"][0]["name"], "苏州**有限公司",
        "苏州精工机械 is the name key of the other rep's customer"
    );
    assert_eq!(check["exact"][0]["visible"], false);
    assert_eq!(
        check["similar"][0]["name"], "上海精工机械有限公司",
        "the same core name in another city"
    );
    assert_eq!(check["similar"][0]["customer_id"], mine["id"]);

    let by_phone = json_of(
        south_rep
            .get("/customers/duplicate-check?phone=%2B86%20138-1234-5678")
            .await,
    )
    .await;
    assert_eq!(by_phone["exact"][0]["reason"], "phone");
    let by_email = json_of(
        south_rep
            .get("/customers/duplicate-check?email=wanglei%40jinggong.cn")
            .await,
    )
    .await;
    assert_eq!(by_email["exact"][0]["reason"], "email");
    let editing = json_of(east_rep.get(&format!("/customers/duplicate-check?name=%E8%8B%8F%E5%B7%9E%E7%B2%BE%E5%B7%A5%E6%9C%BA%E6%A2%B0&exclude_id={}", id_of(&theirs))).await).await;
    assert_eq!(
        editing["exact"],
        json!([]),
        "the customer being edited is not its own duplicate"
    );
}

#[tokio::test]
async fn contacts_keep_one_primary_per_customer() {
    let Org {
        app: _app,
        east_rep,
        ..
    } = org().await;
    let customer = create_customer(&east_rep, json!({"name": "宁波海天塑机有限公司"})).await;
    let first = json_of(
        east_rep
            .post(
                "/contacts",
                &json!({"customer_id": customer["id"], "name": "赵敏"}),
            )
            .await,
    )
    .await;
    assert_eq!(
        first["is_primary"], true,
        "the first contact is the primary one"
    );
    let second = east_rep
        .post("/contacts", &json!({"customer_id": customer["id"], "name": "钱进", "decision_role": "decision_maker", "is_primary": true, "birthday": "1980-02-29"}))
        .await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let contacts = json_of(
        east_rep
            .get(&format!("/contacts?customer_id={}", id_of(&customer)))
            .await,
    )
    .await;
    let primaries: Vec<&str> = contacts["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["is_primary"] == true)
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(primaries, vec!["钱进"]);
    let bad = east_rep
        .post(
            "/contacts",
            &json!({"customer_id": customer["id"], "name": "孙", "mobile": "123"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_merge_moves_everything_to_the_survivor_and_redirects() {
    let Org {
        app,
        admin,
        east_rep,
        east_manager,
        ..
    } = org().await;
    let survivor = create_customer(
        &east_rep,
        json!({"name": "苏州精工机械有限公司", "tags": ["重点"]}),
    )
    .await;
    let source = create_customer(&east_rep, json!({"name": "精工机械苏州分公司", "credit_code": "91350100M000100Y43", "industry": "机械", "tags": ["老客户"]})).await;
    let (survivor_id, source_id) = (id_of(&survivor), id_of(&source));
    east_rep
        .post(
            "/contacts",
            &json!({"customer_id": source_id, "name": "王磊"}),
        )
        .await;
    let logged = east_rep
        .post(
            "/activities",
            &json!({"kind": "call", "subject": "电话回访", "customer_id": source_id}),
        )
        .await;
    assert_eq!(logged.status(), StatusCode::CREATED);
    let deal = east_rep
        .post(
            "/opportunities",
            &json!({"name": "分公司扩产", "customer_id": source_id, "expected_close_date": "2030-03-31"}),
        )
        .await;
    assert_eq!(deal.status(), StatusCode::CREATED);
    let deal_id = id_of(&json_of(deal).await);

    let by_rep = east_rep
        .post(
            &format!("/customers/{survivor_id}/merge"),
            &json!({"source_id": source_id}),
        )
        .await;
    assert_eq!(
        by_rep.status(),
        StatusCode::FORBIDDEN,
        "merging needs customer.merge"
    );
    let merged = east_manager
        .post(
            &format!("/customers/{survivor_id}/merge"),
            &json!({"source_id": source_id}),
        )
        .await;
    assert_eq!(merged.status(), StatusCode::OK);
    let merged = json_of(merged).await;
    assert_eq!(
        merged["credit_code"], "91350100M000100Y43",
        "blanks filled from the merged customer"
    );
    assert_eq!(merged["tags"], json!(["重点", "老客户"]));

    let contacts = json_of(
        east_rep
            .get(&format!("/contacts?customer_id={survivor_id}"))
            .await,
    )
    .await;
    assert_eq!(contacts["items"][0]["name"], "王磊");
    let timeline = json_of(
        east_rep
            .get(&format!("/activities?customer_id={survivor_id}"))
            .await,
    )
    .await;
    assert_eq!(timeline["items"][0]["subject"], "电话回访");
    let deal = json_of(east_rep.get(&format!("/opportunities/{deal_id}")).await).await;
    assert_eq!(deal["customer_id"], json!(survivor_id), "the deal follows");
    let list = json_of(east_rep.get("/customers").await).await;
    assert_eq!(
        list["items"].as_array().map(Vec::len),
        Some(1),
        "the merged customer leaves the lists"
    );

    // The merged id redirects to the survivor; writes to it are refused.
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let response = no_follow
        .get(format!("{}/api/v1/customers/{source_id}", app.address))
        .bearer_auth(&east_rep.access_token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some(format!("/api/v1/customers/{survivor_id}").as_str())
    );
    let followed = json_of(east_rep.get(&format!("/customers/{source_id}")).await).await;
    assert_eq!(
        followed["id"],
        json!(survivor_id),
        "clients that follow redirects land on the survivor"
    );
    assert_eq!(
        east_rep
            .patch(&format!("/customers/{source_id}"), &json!({"notes": "x"}))
            .await
            .status(),
        StatusCode::CONFLICT
    );

    let audit = json_of(
        admin
            .get(&format!("/audit-log?entity_id={survivor_id}"))
            .await,
    )
    .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"merged"),
        "the merge is audited: {actions:?}"
    );
}

#[tokio::test]
async fn nobody_reaches_customers_or_contacts_outside_their_scope() {
    let Org {
        app,
        east_rep,
        south_rep,
        admin,
        ..
    } = org().await;
    let customer = create_customer(&east_rep, json!({"name": "苏州精工机械有限公司"})).await;
    let id = id_of(&customer);
    let contact = json_of(
        east_rep
            .post("/contacts", &json!({"customer_id": id, "name": "王磊"}))
            .await,
    )
    .await;
    let contact_id = id_of(&contact);

    // Another rep guessing the ids.
    assert_eq!(
        south_rep.get(&format!("/customers/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        south_rep
            .patch(&format!("/customers/{id}"), &json!({"notes": "x"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        south_rep
            .get(&format!("/contacts/{contact_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        south_rep
            .patch(&format!("/contacts/{contact_id}"), &json!({"name": "x"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        south_rep
            .delete(&format!("/contacts/{contact_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        south_rep
            .get(&format!("/activities?customer_id={id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let attach = south_rep
        .post("/contacts", &json!({"customer_id": id, "name": "混进来"}))
        .await;
    assert_eq!(
        attach.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a customer the caller cannot see is not a valid reference"
    );
    let log = south_rep
        .post(
            "/activities",
            &json!({"kind": "call", "subject": "x", "customer_id": id}),
        )
        .await;
    assert_eq!(log.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let listed = json_of(south_rep.get(&format!("/contacts?customer_id={id}")).await).await;
    assert_eq!(listed["items"], json!([]));

    // Another tenant's admin, who sees everything in their own tenant.
    let other = app.tenant("other").await;
    assert_eq!(
        other.admin.get(&format!("/customers/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .admin
            .delete(&format!("/customers/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .admin
            .get(&format!("/contacts/{contact_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let cross = json_of(other.admin.get("/customers/duplicate-check?name=%E8%8B%8F%E5%B7%9E%E7%B2%BE%E5%B7%A5%E6%9C%BA%E6%A2%B0").await).await;
    assert_eq!(cross["exact"], json!([]), "duplicates are per tenant");

    // Nothing changed.
    let still = json_of(admin.get(&format!("/customers/{id}")).await).await;
    assert_eq!(still["version"], 1);
}
