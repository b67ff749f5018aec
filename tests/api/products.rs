//! The catalogue and its prices: products and their category tree, price lists written whole,
//! price resolution (customer list, then tier list, then list price; quantity breaks and
//! validity days), the price history seen only within the data scope, and who may write.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, json_of, spawn_app};

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

/// The (field, code) pairs a 422 names.
async fn field_errors(response: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    json_of(response).await["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect()
}

async fn created(response: reqwest::Response, what: &str) -> Value {
    assert_eq!(response.status(), StatusCode::CREATED, "create {what}");
    json_of(response).await
}

async fn product(session: &Session, body: Value) -> Value {
    created(session.post("/products", &body).await, "product").await
}

async fn category(session: &Session, name: &str, parent: Option<&Value>) -> Value {
    let body = json!({"name": name, "parent_id": parent.map(id_of)});
    created(session.post("/product-categories", &body).await, name).await
}

async fn customer(session: &Session, name: &str, tier: Option<&str>) -> String {
    let body = json!({"name": name, "tier": tier});
    id_of(&created(session.post("/customers", &body).await, name).await)
}

/// A request with `If-Match: "<version>"`.
async fn send_if_match(
    session: &Session,
    method: Method,
    path: &str,
    version: i64,
    body: &Value,
) -> reqwest::Response {
    session
        .request(method, path)
        .header("If-Match", format!("\"{version}\""))
        .json(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn codes(session: &Session, query: &str) -> Vec<String> {
    let page = json_of(session.get(&format!("/products?{query}")).await).await;
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_product_is_created_read_edited_found_and_deleted() {
    let app = spawn_app().await;
    let admin = app.tenant("acme").await.admin;
    let machines = category(&admin, "数控机床", None).await;
    let milling = category(&admin, "加工中心", Some(&machines)).await;
    let created = product(
        &admin,
        json!({"code": "CNC-850", "name": "立式加工中心", "spec": "VMC-850 / 行程 800×500×500",
               "unit": "台", "category_id": id_of(&milling), "list_price": "268000.00"}),
    )
    .await;
    assert_eq!(
        (
            created["list_price"].as_str(),
            created["currency"].as_str(),
            created["vat_rate"].as_str(),
            created["active"].as_bool(),
            created["category_name"].as_str(),
            created["version"].as_i64(),
        ),
        (
            Some("268000.00"),
            Some("CNY"),
            Some("0.13"),
            Some(true),
            Some("加工中心"),
            Some(1)
        )
    );
    let id = id_of(&created);
    product(
        &admin,
        json!({"code": "LATHE-6140", "name": "普通车床", "unit": "台", "list_price": "45000", "vat_rate": "0.09"}),
    )
    .await;
    product(
        &admin,
        json!({"code": "SVC-INSTALL", "name": "安装调试", "unit": "次", "list_price": "3000",
               "vat_rate": "0.06", "category_id": id_of(&machines), "active": false}),
    )
    .await;

    let read = admin.get(&format!("/products/{id}")).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.headers()["etag"], "\"1\"");

    let path = format!("/products/{id}");
    let patch = json!({"list_price": "259000.5", "spec": null, "active": false});
    let edited = send_if_match(&admin, Method::PATCH, &path, 1, &patch).await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited = json_of(edited).await;
    assert_eq!(
        (
            edited["list_price"].as_str(),
            edited["spec"].clone(),
            edited["version"].as_i64()
        ),
        (Some("259000.50"), Value::Null, Some(2))
    );
    let stale = send_if_match(&admin, Method::PATCH, &path, 1, &json!({"name": "x"})).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);

    assert_eq!(
        codes(&admin, "q=cnc").await,
        ["CNC-850"],
        "codes match ignoring case"
    );
    assert_eq!(
        codes(&admin, "q=%E8%BD%A6%E5%BA%8A").await,
        ["LATHE-6140"],
        "车床 in the name"
    );
    assert_eq!(
        codes(&admin, &format!("category_id={}", id_of(&machines))).await,
        ["CNC-850", "SVC-INSTALL"],
        "a category takes in the categories below it"
    );
    assert_eq!(codes(&admin, "active=true").await, ["LATHE-6140"]);
    assert_eq!(
        codes(&admin, "sort=-code").await,
        ["SVC-INSTALL", "LATHE-6140", "CNC-850"]
    );
    let first = json_of(admin.get("/products?limit=2&include_total=true").await).await;
    assert_eq!(first["total"], 3);
    let cursor = first["next_cursor"].as_str().unwrap_or_default();
    assert_eq!(
        codes(&admin, &format!("limit=2&cursor={cursor}")).await,
        ["SVC-INSTALL"]
    );
    for bad in ["sort=price", "limit=201", "colour=red", "cursor=nonsense"] {
        assert_eq!(
            admin.get(&format!("/products?{bad}")).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }

    let deleted = send_if_match(&admin, Method::DELETE, &path, 2, &json!(null)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(admin.get(&path).await.status(), StatusCode::NOT_FOUND);
    product(
        &admin,
        json!({"code": "CNC-850", "name": "立式加工中心（新款）", "unit": "台", "list_price": "270000"}),
    )
    .await;
}

#[tokio::test]
async fn codes_and_erp_ids_are_unique_and_bad_fields_are_named() {
    let app = spawn_app().await;
    let admin = app.tenant("acme").await.admin;
    let body = json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000",
                      "external_id": "M-001", "external_source": "kingdee"});
    let first = product(&admin, body.clone()).await;

    let mut same_code = body.clone();
    same_code["external_id"] = json!("M-002");
    let twice = admin.post("/products", &same_code).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(twice).await["code"], "product_code_taken");
    let same_erp_id = admin
        .post(
            "/products",
            &json!({"code": "CNC-1000", "name": "x", "unit": "台", "list_price": "1",
                                   "external_id": "M-001", "external_source": "kingdee"}),
        )
        .await;
    assert_eq!(same_erp_id.status(), StatusCode::CONFLICT);
    assert_eq!(
        json_of(same_erp_id).await["code"],
        "product_external_id_taken"
    );

    let other = product(
        &admin,
        json!({"code": "LATHE-6140", "name": "普通车床", "unit": "台", "list_price": "45000"}),
    )
    .await;
    let renamed = admin
        .patch(
            &format!("/products/{}", id_of(&other)),
            &json!({"code": "CNC-850"}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::CONFLICT);
    assert_eq!(json_of(renamed).await["code"], "product_code_taken");

    let bad = admin
        .post(
            "/products",
            &json!({"code": "CNC 850", "name": " ", "unit": "台", "list_price": "-1",
                                   "currency": "人民币", "external_id": "M-9"}),
        )
        .await;
    assert_eq!(
        field_errors(bad).await,
        pairs(&[
            ("code", "invalid_format"),
            ("name", "required"),
            ("list_price", "out_of_range"),
            ("currency", "invalid_format"),
            ("external_source", "required"),
        ])
    );
    let nowhere = admin
        .patch(
            &format!("/products/{}", id_of(&first)),
            &json!({"category_id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(
        field_errors(nowhere).await,
        pairs(&[("category_id", "not_found")])
    );
    let vat = admin
        .post(
            "/products",
            &json!({"code": "X", "name": "x", "unit": "台", "list_price": "1", "vat_rate": "0.17"}),
        )
        .await;
    assert_eq!(
        field_errors(vat).await,
        pairs(&[("vat_rate", "unknown_value")])
    );
    let price = admin
        .post(
            "/products",
            &json!({"code": "X", "name": "x", "unit": "台", "list_price": 12.5}),
        )
        .await;
    assert_eq!(
        price.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "money is a string, never a float"
    );
}

#[tokio::test]
async fn the_category_tree_refuses_cycles_and_keeps_categories_in_use() {
    let app = spawn_app().await;
    let admin = app.tenant("acme").await.admin;
    let root = category(&admin, "数控机床", None).await;
    let child = category(&admin, "加工中心", Some(&root)).await;
    let grandchild = category(&admin, "立式加工中心", Some(&child)).await;
    let item = product(
        &admin,
        json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000",
               "category_id": id_of(&grandchild)}),
    )
    .await;

    let root_path = format!("/product-categories/{}", id_of(&root));
    for parent in [&grandchild, &root] {
        let looped = admin
            .patch(&root_path, &json!({"parent_id": id_of(parent)}))
            .await;
        assert_eq!(
            field_errors(looped).await,
            pairs(&[("parent_id", "invalid_format")])
        );
    }
    let orphan = admin
        .post(
            "/product-categories",
            &json!({"name": "x", "parent_id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(
        field_errors(orphan).await,
        pairs(&[("parent_id", "not_found")])
    );

    let moved = admin
        .patch(
            &format!("/product-categories/{}", id_of(&grandchild)),
            &json!({"parent_id": id_of(&root), "name": "立加"}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved = json_of(moved).await;
    assert_eq!(
        (
            moved["name"].as_str(),
            moved["product_count"].as_u64(),
            moved["version"].as_i64()
        ),
        (Some("立加"), Some(1), Some(2))
    );

    let all = json_of(admin.get("/product-categories").await).await;
    let tree: Vec<(String, u64)> = all
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_owned(),
                c["product_count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        tree,
        [
            ("加工中心".to_owned(), 0),
            ("数控机床".to_owned(), 0),
            ("立加".to_owned(), 1)
        ],
        "a plain array, by name, counting products directly in each"
    );

    let in_use = [
        (root_path.clone(), "it has sub-categories"),
        (
            format!("/product-categories/{}", id_of(&grandchild)),
            "it has a product",
        ),
    ];
    for (path, why) in &in_use {
        let refused = admin.delete(path).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT, "{why}");
        assert_eq!(json_of(refused).await["code"], "category_in_use");
    }
    let gone = admin.delete(&format!("/products/{}", id_of(&item))).await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    for path in [
        format!("/product-categories/{}", id_of(&grandchild)),
        format!("/product-categories/{}", id_of(&child)),
        root_path,
    ] {
        assert_eq!(
            admin.delete(&path).await.status(),
            StatusCode::NO_CONTENT,
            "{path}"
        );
    }
    assert_eq!(
        json_of(admin.get("/product-categories").await).await,
        json!([])
    );
}

#[tokio::test]
async fn price_lists_are_written_whole_and_their_errors_named() {
    let app = spawn_app().await;
    let admin = app.tenant("acme").await.admin;
    let cnc = id_of(&product(&admin, json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000"})).await);
    let lathe = id_of(
        &product(
            &admin,
            json!({"code": "LATHE-6140", "name": "普通车床", "unit": "台", "list_price": "45000"}),
        )
        .await,
    );
    let customer_id = customer(&admin, "苏州精工机械有限公司", Some("A")).await;

    let body = json!({
        "name": "A 类客户 2027 价格", "audience": {"kind": "tier", "tier": "A"},
        "valid_from": "2027-01-01", "valid_to": "2027-12-31",
        "items": [
            {"product_id": cnc, "min_quantity": "5", "unit_price": "249000"},
            {"product_id": lathe, "unit_price": "43000"},
            {"product_id": cnc, "unit_price": "258000.00"}
        ]
    });
    let list = created(admin.post("/price-lists", &body).await, "price list").await;
    let items: Vec<(&str, &str, &str)> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["product_code"].as_str().unwrap_or_default(),
                i["min_quantity"].as_str().unwrap_or_default(),
                i["unit_price"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("CNC-850", "1", "258000.00"),
            ("CNC-850", "5", "249000.00"),
            ("LATHE-6140", "1", "43000.00")
        ],
        "by product code then quantity; min_quantity defaults to 1"
    );
    assert_eq!(
        (list["item_count"].as_u64(), list["currency"].as_str()),
        (Some(3), Some("CNY"))
    );
    let path = format!("/price-lists/{}", id_of(&list));

    let own = json!({
        "name": "精工专属价", "audience": {"kind": "customer", "customer_id": customer_id},
        "items": [{"product_id": lathe, "unit_price": "41000"}]
    });
    let own = created(admin.post("/price-lists", &own).await, "customer list").await;
    assert_eq!(own["audience"]["customer_name"], "苏州精工机械有限公司");

    let bad = json!({
        "name": "坏的", "audience": {"kind": "tier", "tier": "Z"}, "valid_from": "2027-12-31", "valid_to": "2027-01-01",
        "items": [
            {"product_id": uuid::Uuid::now_v7(), "unit_price": "1"},
            {"product_id": cnc, "min_quantity": "10", "unit_price": "1"},
            {"product_id": cnc, "min_quantity": "10.0", "unit_price": "0.00001"}
        ]
    });
    assert_eq!(
        field_errors(admin.post("/price-lists", &bad).await).await,
        pairs(&[
            ("audience.tier", "unknown_value"),
            ("valid_to", "invalid_format"),
            ("items[2].min_quantity", "duplicate"),
            ("items[2].unit_price", "invalid_format"),
        ])
    );
    let unknown = json!({
        "name": "坏的", "audience": {"kind": "customer", "customer_id": uuid::Uuid::now_v7()},
        "items": [{"product_id": cnc, "unit_price": "1"}]
    });
    assert_eq!(
        field_errors(admin.post("/price-lists", &unknown).await).await,
        pairs(&[("audience.customer_id", "not_found")])
    );
    let stray = json!({
        "name": "坏的", "audience": {"kind": "tier", "tier": "B"},
        "items": [{"product_id": cnc, "unit_price": "1"}, {"product_id": uuid::Uuid::now_v7(), "unit_price": "1"}]
    });
    assert_eq!(
        field_errors(admin.post("/price-lists", &stray).await).await,
        pairs(&[("items[1].product_id", "not_found")])
    );

    let replacement = json!({
        "name": "A 类客户 2027 价格（修订）", "audience": {"kind": "tier", "tier": "A"},
        "items": [{"product_id": cnc, "unit_price": "255000"}]
    });
    let replaced = send_if_match(&admin, Method::PUT, &path, 1, &replacement).await;
    assert_eq!(replaced.status(), StatusCode::OK);
    let replaced = json_of(replaced).await;
    assert_eq!(
        (
            replaced["item_count"].as_u64(),
            replaced["valid_from"].clone(),
            replaced["version"].as_i64()
        ),
        (Some(1), Value::Null, Some(2)),
        "PUT replaces everything, dates and items included"
    );
    let stale = send_if_match(&admin, Method::PUT, &path, 1, &replacement).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);

    let names = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| l["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let by_lathe = json_of(admin.get(&format!("/price-lists?product_id={lathe}")).await).await;
    assert_eq!(
        names(by_lathe),
        ["精工专属价"],
        "the tier list no longer prices the lathe"
    );
    let by_tier = json_of(admin.get("/price-lists?tier=A&include_total=true").await).await;
    assert_eq!(by_tier["total"], 1);
    assert!(
        by_tier["items"][0].get("items").is_none(),
        "pages leave items out"
    );
    let by_customer = json_of(
        admin
            .get(&format!("/price-lists?customer_id={customer_id}"))
            .await,
    )
    .await;
    assert_eq!(names(by_customer), ["精工专属价"]);

    assert_eq!(admin.delete(&path).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(admin.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        names(json_of(admin.get("/price-lists").await).await),
        ["精工专属价"]
    );
}

/// The prices `session` is quoted for one product at each quantity, on `date`:
/// (unit_price, source, min_quantity) per quantity.
async fn quote(
    session: &Session,
    customer_id: Option<&str>,
    date: &str,
    product_id: &str,
    quantities: &[&str],
) -> Vec<(Value, Value, Value)> {
    let lines: Vec<Value> = quantities
        .iter()
        .map(|q| json!({"product_id": product_id, "quantity": q}))
        .collect();
    let body = json!({"customer_id": customer_id, "date": date, "lines": lines});
    let response = session.post("/prices/resolve", &body).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    json_of(response).await["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            (
                l["unit_price"].clone(),
                l["source"].clone(),
                l["min_quantity"].clone(),
            )
        })
        .collect()
}

fn priced(price: &str, source: &str, min: Option<&str>) -> (Value, Value, Value) {
    (json!(price), json!(source), json!(min))
}

#[tokio::test]
async fn prices_come_from_the_customers_list_then_its_tier_then_the_list_price() {
    let app = spawn_app().await;
    let admin = app.tenant("acme").await.admin;
    let cnc = id_of(
        &product(
            &admin,
            json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "100"}),
        )
        .await,
    );
    let jinggong = customer(&admin, "苏州精工机械有限公司", Some("A")).await;
    let huaguang = customer(&admin, "无锡华光电子有限公司", Some("A")).await;
    let haitian = customer(&admin, "宁波海天塑机有限公司", Some("B")).await;
    let tier_a = json!({
        "name": "A 类 2027", "audience": {"kind": "tier", "tier": "A"},
        "valid_from": "2027-01-01", "valid_to": "2027-12-31",
        "items": [{"product_id": cnc, "unit_price": "95"}, {"product_id": cnc, "min_quantity": "10", "unit_price": "90"}]
    });
    created(admin.post("/price-lists", &tier_a).await, "tier list").await;
    let negotiated = json!({
        "name": "精工框架协议", "audience": {"kind": "customer", "customer_id": jinggong},
        "items": [{"product_id": cnc, "min_quantity": "5", "unit_price": "92"}]
    });
    created(
        admin.post("/price-lists", &negotiated).await,
        "customer list",
    )
    .await;
    let dollars = json!({
        "name": "A 类美元价", "audience": {"kind": "tier", "tier": "A"}, "currency": "USD",
        "items": [{"product_id": cnc, "unit_price": "13"}]
    });
    created(admin.post("/price-lists", &dollars).await, "USD list").await;

    assert_eq!(
        quote(
            &admin,
            Some(&huaguang),
            "2027-06-01",
            &cnc,
            &["1", "9.5", "10", "500"]
        )
        .await,
        [
            priced("95.00", "tier", Some("1")),
            priced("95.00", "tier", Some("1")),
            priced("90.00", "tier", Some("10")),
            priced("90.00", "tier", Some("10")),
        ],
        "the largest break not above the quantity"
    );
    assert_eq!(
        quote(&admin, Some(&jinggong), "2027-06-01", &cnc, &["4", "5"]).await,
        [
            priced("95.00", "tier", Some("1")),
            priced("92.00", "customer", Some("5"))
        ],
        "the customer's own list wins, even dearer, where its breaks reach"
    );
    assert_eq!(
        quote(&admin, Some(&huaguang), "2026-12-31", &cnc, &["10"]).await,
        [priced("100.00", "list_price", None)],
        "the day before the tier list starts"
    );
    assert_eq!(
        quote(&admin, Some(&huaguang), "2027-12-31", &cnc, &["10"]).await,
        [priced("90.00", "tier", Some("10"))],
        "its last day still counts"
    );
    assert_eq!(
        quote(&admin, Some(&haitian), "2027-06-01", &cnc, &["10"]).await,
        [priced("100.00", "list_price", None)],
        "another tier's list does not apply"
    );
    assert_eq!(
        quote(&admin, None, "2027-06-01", &cnc, &["10"]).await,
        [priced("100.00", "list_price", None)],
        "without a customer, only the list price"
    );

    let usd = json_of(
        admin
            .post(
                "/prices/resolve",
                &json!({"customer_id": huaguang, "currency": "usd", "date": "2027-06-01",
                                             "lines": [{"product_id": cnc, "quantity": "1"}]}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (
            usd["currency"].as_str(),
            usd["lines"][0]["unit_price"].as_str(),
            usd["lines"][0]["price_list_name"].as_str()
        ),
        (Some("USD"), Some("13.00"), Some("A 类美元价"))
    );
    let haitian_usd = json_of(
        admin
            .post(
                "/prices/resolve",
                &json!({"customer_id": haitian, "currency": "USD",
                                             "lines": [{"product_id": cnc, "quantity": "1"}]}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (
            haitian_usd["lines"][0]["unit_price"].clone(),
            haitian_usd["lines"][0]["list_price"].as_str()
        ),
        (Value::Null, Some("100.00")),
        "nothing prices it in dollars for tier B"
    );
    assert!(
        haitian_usd["date"].is_string(),
        "the day defaults to today in China"
    );

    let bad = json!({"customer_id": huaguang, "lines": [
        {"product_id": cnc, "quantity": "0"},
        {"product_id": uuid::Uuid::now_v7(), "quantity": "1"}
    ]});
    assert_eq!(
        field_errors(admin.post("/prices/resolve", &bad).await).await,
        pairs(&[("lines[0].quantity", "out_of_range")])
    );
    let unknown = json!({"customer_id": huaguang, "lines": [
        {"product_id": cnc, "quantity": "1"},
        {"product_id": uuid::Uuid::now_v7(), "quantity": "1"}
    ]});
    assert_eq!(
        field_errors(admin.post("/prices/resolve", &unknown).await).await,
        pairs(&[("lines[1].product_id", "not_found")])
    );
    let none = json!({"lines": []});
    assert_eq!(
        field_errors(admin.post("/prices/resolve", &none).await).await,
        pairs(&[("lines", "out_of_range")])
    );
    let too_many: Vec<Value> = (0..501)
        .map(|_| json!({"product_id": cnc, "quantity": "1"}))
        .collect();
    assert_eq!(
        field_errors(
            admin
                .post("/prices/resolve", &json!({"lines": too_many}))
                .await
        )
        .await,
        pairs(&[("lines", "out_of_range")])
    );
}

/// Two reps in two departments, each with a customer, and a product on a won opportunity
/// of the first rep's customer.
struct Market {
    _app: TestApp,
    admin: Session,
    east_rep: Session,
    south_rep: Session,
    east_customer: String,
    product_id: String,
}

async fn market() -> Market {
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
    let admin = acme.admin;
    let product_id = id_of(&product(&admin, json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000"})).await);
    let east_customer = customer(&east_rep, "苏州精工机械有限公司", Some("A")).await;
    let opportunity = created(
        east_rep
            .post(
                "/opportunities",
                &json!({"name": "二期产线改造", "customer_id": east_customer, "expected_close_date": "2030-03-31",
                        "lines": [{"product_id": product_id, "quantity": "2", "unit_price": "250000"}]}),
            )
            .await,
        "opportunity",
    )
    .await;
    let pipelines = json_of(east_rep.get("/pipelines").await).await;
    let won = pipelines[0]["stages"]
        .as_array()
        .and_then(|stages| stages.iter().find(|s| s["kind"] == "won"))
        .map(id_of)
        .unwrap_or_default();
    let moved = east_rep
        .post(
            &format!("/opportunities/{}/stage", id_of(&opportunity)),
            &json!({"stage_id": won}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK, "win the opportunity");
    Market {
        _app: app,
        admin,
        east_rep,
        south_rep,
        east_customer,
        product_id,
    }
}

#[tokio::test]
async fn price_history_and_customer_prices_stay_within_the_data_scope() {
    let Market {
        _app,
        admin,
        east_rep,
        south_rep,
        east_customer,
        product_id,
    } = market().await;

    let mine = json_of(
        east_rep
            .get(&format!("/price-history?product_id={product_id}"))
            .await,
    )
    .await;
    assert_eq!(
        (
            mine["items"][0]["customer_name"].as_str(),
            mine["items"][0]["product_code"].as_str(),
            mine["items"][0]["unit_price"].as_str(),
            mine["items"][0]["event"].as_str(),
        ),
        (
            Some("苏州精工机械有限公司"),
            Some("CNC-850"),
            Some("250000.00"),
            Some("won")
        )
    );
    for path in [
        "/price-history".to_owned(),
        format!("/price-history?customer_id={east_customer}"),
        format!("/price-history?product_id={product_id}"),
    ] {
        let theirs = json_of(south_rep.get(&path).await).await;
        assert_eq!(theirs["items"], json!([]), "{path}: another rep's customer");
    }

    let resolved = json_of(
        east_rep
            .post("/prices/resolve", &json!({"customer_id": east_customer, "lines": [{"product_id": product_id, "quantity": "1"}]}))
            .await,
    )
    .await;
    assert_eq!(
        (
            resolved["lines"][0]["unit_price"].as_str(),
            resolved["lines"][0]["last_price"]["unit_price"].as_str(),
            resolved["lines"][0]["last_price"]["source_name"].as_str(),
        ),
        (Some("268000.00"), Some("250000.00"), Some("二期产线改造")),
        "the list price, next to the last price this customer got"
    );
    let probing = south_rep
        .post("/prices/resolve", &json!({"customer_id": east_customer, "lines": [{"product_id": product_id, "quantity": "1"}]}))
        .await;
    assert_eq!(
        field_errors(probing).await,
        pairs(&[("customer_id", "not_found")])
    );

    let negotiated = json!({
        "name": "精工框架协议", "audience": {"kind": "customer", "customer_id": east_customer},
        "items": [{"product_id": product_id, "unit_price": "240000"}]
    });
    let list = created(
        admin.post("/price-lists", &negotiated).await,
        "customer list",
    )
    .await;
    let path = format!("/price-lists/{}", id_of(&list));
    assert_eq!(east_rep.get(&path).await.status(), StatusCode::OK);
    assert_eq!(south_rep.get(&path).await.status(), StatusCode::NOT_FOUND);
    let listed = json_of(south_rep.get("/price-lists").await).await;
    assert_eq!(
        listed["items"],
        json!([]),
        "another rep's customer's list is left out"
    );
}

#[tokio::test]
async fn only_product_managers_write_and_other_tenants_records_are_not_found() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme
        .user(&app, "zhangwei", "sales_rep", acme.head_office)
        .await;
    let admin = acme.admin;
    let mine = product(
        &admin,
        json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000"}),
    )
    .await;
    let tools = category(&admin, "刀具", None).await;
    let list = created(
        admin
            .post("/price-lists", &json!({"name": "A 类", "audience": {"kind": "tier", "tier": "A"},
                                          "items": [{"product_id": id_of(&mine), "unit_price": "1"}]}))
            .await,
        "price list",
    )
    .await;

    assert_eq!(
        rep.get("/products").await.status(),
        StatusCode::OK,
        "everyone reads the catalogue"
    );
    assert_eq!(
        rep.get("/product-categories").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        rep.get(&format!("/price-lists/{}", id_of(&list)))
            .await
            .status(),
        StatusCode::OK
    );
    let writes = [
        (
            Method::POST,
            "/products".to_owned(),
            json!({"code": "X", "name": "x", "unit": "台", "list_price": "1"}),
        ),
        (
            Method::PATCH,
            format!("/products/{}", id_of(&mine)),
            json!({"name": "x"}),
        ),
        (
            Method::DELETE,
            format!("/products/{}", id_of(&mine)),
            json!(null),
        ),
        (
            Method::POST,
            "/product-categories".to_owned(),
            json!({"name": "x"}),
        ),
        (
            Method::PATCH,
            format!("/product-categories/{}", id_of(&tools)),
            json!({"name": "x"}),
        ),
        (
            Method::DELETE,
            format!("/product-categories/{}", id_of(&tools)),
            json!(null),
        ),
        (
            Method::POST,
            "/price-lists".to_owned(),
            json!({"name": "x", "audience": {"kind": "tier", "tier": "A"}}),
        ),
        (
            Method::PUT,
            format!("/price-lists/{}", id_of(&list)),
            json!({"name": "x", "audience": {"kind": "tier", "tier": "A"}}),
        ),
        (
            Method::DELETE,
            format!("/price-lists/{}", id_of(&list)),
            json!(null),
        ),
    ];
    for (method, path, body) in &writes {
        let response = rep
            .request(method.clone(), path)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
    }

    let outsider = app.tenant("globex").await.admin;
    let reads = [
        (
            Method::GET,
            format!("/products/{}", id_of(&mine)),
            json!(null),
        ),
        (
            Method::PATCH,
            format!("/products/{}", id_of(&mine)),
            json!({"name": "x"}),
        ),
        (
            Method::DELETE,
            format!("/products/{}", id_of(&mine)),
            json!(null),
        ),
        (
            Method::PATCH,
            format!("/product-categories/{}", id_of(&tools)),
            json!({"name": "x"}),
        ),
        (
            Method::DELETE,
            format!("/product-categories/{}", id_of(&tools)),
            json!(null),
        ),
        (
            Method::GET,
            format!("/price-lists/{}", id_of(&list)),
            json!(null),
        ),
        (
            Method::PUT,
            format!("/price-lists/{}", id_of(&list)),
            json!({"name": "x", "audience": {"kind": "tier", "tier": "A"}}),
        ),
        (
            Method::DELETE,
            format!("/price-lists/{}", id_of(&list)),
            json!(null),
        ),
    ];
    for (method, path, body) in &reads {
        let response = outsider
            .request(method.clone(), path)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    assert_eq!(
        json_of(outsider.get("/products").await).await["items"],
        json!([])
    );
    let borrowed = outsider
        .post(
            "/prices/resolve",
            &json!({"lines": [{"product_id": id_of(&mine), "quantity": "1"}]}),
        )
        .await;
    assert_eq!(
        field_errors(borrowed).await,
        pairs(&[("lines[0].product_id", "not_found")])
    );
    let foreign_item = outsider
        .post(
            "/price-lists",
            &json!({"name": "x", "audience": {"kind": "tier", "tier": "A"},
                                      "items": [{"product_id": id_of(&mine), "unit_price": "1"}]}),
        )
        .await;
    assert_eq!(
        field_errors(foreign_item).await,
        pairs(&[("items[0].product_id", "not_found")])
    );
    assert_eq!(
        admin
            .get(&format!("/products/{}", id_of(&mine)))
            .await
            .status(),
        StatusCode::OK,
        "nothing the others tried changed it"
    );
}
