//! Imports and exports: GBK CSV and XLSX uploads, mapping, preview, the background run, the
//! rejection file, contacts resolved by customer name, exports within the data scope, and an
//! import that another user cannot see.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, json_of, spawn_app};

/// Two departments with a rep each; the import worker runs, polling quickly.
/// Keep `app` bound while the test runs: dropping it drops the test database.
struct Org {
    app: TestApp,
    admin: Session,
    east_rep: Session,
    south_rep: Session,
}

async fn org() -> Org {
    let app = spawn_app().await;
    crm_api::import_worker::spawn(app.db.clone(), Duration::from_millis(50));
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let south = acme.department("华南区", acme.head_office).await;
    let east_rep = acme
        .named_user(&app, "zhangwei", "张伟", "sales_rep", east)
        .await;
    let south_rep = acme
        .named_user(&app, "wangfang", "王芳", "sales_rep", south)
        .await;
    Org {
        admin: acme.admin,
        app,
        east_rep,
        south_rep,
    }
}

async fn upload(
    session: &Session,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    session
        .request(
            Method::POST,
            &format!("/imports?kind={kind}&file_name={file_name}"),
        )
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn uploaded(session: &Session, kind: &str, file_name: &str, bytes: Vec<u8>) -> Value {
    let response = upload(session, kind, file_name, bytes).await;
    assert_eq!(response.status(), StatusCode::CREATED, "upload {file_name}");
    json_of(response).await
}

fn id_of(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_owned()
}

async fn preview(session: &Session, id: &str, mapping: &Value, owner: &str) -> Value {
    let response = session
        .post(
            &format!("/imports/{id}/preview"),
            &json!({"mapping": mapping, "owner": owner}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "preview");
    json_of(response).await
}

/// Commits and waits for the worker to finish.
async fn commit(session: &Session, id: &str) -> Value {
    let response = session
        .post(&format!("/imports/{id}/commit"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED, "commit");
    for _ in 0..400 {
        let import = json_of(session.get(&format!("/imports/{id}")).await).await;
        if matches!(import["status"].as_str(), Some("done" | "failed")) {
            return import;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish");
}

fn problems(body: &Value) -> Vec<(u64, String, String)> {
    body["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["row"].as_u64().unwrap_or_default(),
                p["field"].as_str().unwrap_or_default().to_owned(),
                p["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn names(page: &Value, field: &str) -> Vec<String> {
    let mut names: Vec<String> = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c[field].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

pub(crate) async fn download(
    session: &Session,
    path: &str,
    lang: &str,
) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = session
        .request(Method::GET, path)
        .header("accept-language", lang)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK, "download {path}");
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap_or_else(|e| panic!("{e}"));
    (headers, bytes.to_vec())
}

/// The rows of a UTF-8 CSV with BOM.
pub(crate) fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(
        bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or_else(|| panic!("no BOM")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|line| {
            line.split(',')
                .map(|c| c.trim_matches('"').to_owned())
                .collect()
        })
        .collect()
}

/// The rows of an XLSX's first sheet.
pub(crate) fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .unwrap_or_else(|e| panic!("{e}"));
    let range = workbook
        .worksheet_range_at(0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

#[tokio::test]
async fn a_gbk_csv_of_customers_goes_in_except_a_bad_row_and_a_duplicate() {
    let Org { app, east_rep, .. } = org().await;
    let existing = east_rep
        .post("/customers", &json!({"name": "苏州精工机械有限公司"}))
        .await;
    assert_eq!(existing.status(), StatusCode::CREATED);

    let text = "客户名称,统一社会信用代码,行业,省份,城市,备用列\r\n\
                无锡华光电子有限公司,91320200MA1N00001F,电子,江苏省,无锡市,x\r\n\
                上海浦江阀门有限公司,91310000MA1K000041,阀门,上海市,上海市,\r\n\
                苏州精工机械股份有限公司,,机械,江苏省,苏州市,\r\n\
                杭州西湖机电有限公司,91330100MA2B00002B,机电,浙江省,杭州市,\r\n\
                ,,,,,\r\n\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let import = uploaded(&east_rep, "customers", "客户名单.csv", gbk.into_owned()).await;
    assert_eq!(import["status"], "uploaded");
    assert_eq!(import["total_rows"], 4, "blank trailing rows are not rows");
    assert_eq!(import["headers"][0], "客户名称");
    assert_eq!(
        import["suggested_mapping"],
        json!(["name", "credit_code", "industry", "province", "city", null])
    );
    assert_eq!(import["sample_rows"][0][0], "无锡华光电子有限公司");
    assert!(import["fields"].as_array().is_some_and(|f| {
        f.iter()
            .any(|f| f["key"] == "name" && f["required"] == true)
    }));
    let id = id_of(&import);

    let outcome = preview(&east_rep, &id, &import["suggested_mapping"], "me").await;
    assert_eq!(
        (outcome["valid"].as_u64(), outcome["rejected"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        problems(&outcome),
        vec![
            (3, "credit_code".to_owned(), "invalid_format".to_owned()),
            (4, "name".to_owned(), "customer_duplicate".to_owned()),
        ]
    );
    assert_eq!(outcome["problems"][0]["column"], "统一社会信用代码");
    assert!(
        outcome["problems"][1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("苏州精工机械有限公司")),
        "the rep sees whose customer it is: {}",
        outcome["problems"][1]
    );

    let done = commit(&east_rep, &id).await;
    assert_eq!(done["status"], "done");
    assert_eq!(
        done["progress"],
        json!({"total": 4, "processed": 4, "inserted": 2, "rejected": 2})
    );
    let listed = json_of(east_rep.get("/customers").await).await;
    assert_eq!(
        names(&listed, "name"),
        vec![
            "无锡华光电子有限公司",
            "杭州西湖机电有限公司",
            "苏州精工机械有限公司"
        ]
    );
    let wuxi = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == "无锡华光电子有限公司")
        .cloned()
        .unwrap_or_default();
    assert_eq!(wuxi["owner_id"], json!(east_rep.user_id));
    assert_eq!(wuxi["credit_code"], "91320200MA1N00001F");
    assert_eq!(wuxi["province"], "江苏省");
    let created: Vec<(String, Value, Value)> = app
        .queued_events(&east_rep)
        .await
        .into_iter()
        .map(|(name, payload)| (name, payload["name"].clone(), payload["owner_id"].clone()))
        .collect();
    let owner = json!(east_rep.user_id);
    assert_eq!(
        created,
        [
            (
                "customer.created".to_owned(),
                json!("苏州精工机械有限公司"),
                owner.clone()
            ),
            (
                "customer.created".to_owned(),
                json!("无锡华光电子有限公司"),
                owner.clone()
            ),
            (
                "customer.created".to_owned(),
                json!("杭州西湖机电有限公司"),
                owner
            ),
        ],
        "the imported rows are announced in file order, with the one created by hand"
    );

    let (headers, bytes) = download(
        &east_rep,
        &format!("/imports/{id}/rejections?format=csv"),
        "zh-CN",
    )
    .await;
    assert!(
        headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/csv"))
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.starts_with("attachment;") && d.contains("filename*=UTF-8''")),
        "{:?}",
        headers["content-disposition"]
    );
    let rows = csv_rows(&bytes);
    assert_eq!(
        rows.len(),
        3,
        "a header and the two rejected rows: {rows:?}"
    );
    assert_eq!(rows[0].last().map(String::as_str), Some("错误原因"));
    assert_eq!(rows[1][0], "上海浦江阀门有限公司");
    assert!(
        rows[1][6].contains("统一社会信用代码：格式不正确"),
        "{}",
        rows[1][6]
    );
    assert_eq!(rows[2][0], "苏州精工机械股份有限公司");
    assert!(rows[2][6].contains("客户已存在"), "{}", rows[2][6]);

    let (_, bytes) = download(
        &east_rep,
        &format!("/imports/{id}/rejections?format=xlsx"),
        "en",
    )
    .await;
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows[0].last().map(String::as_str), Some("Reason"));
    assert!(rows[1][6].contains("Invalid format"), "{}", rows[1][6]);

    let again = east_rep
        .post(&format!("/imports/{id}/commit"), &json!({}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "an import runs once");
    let listed = json_of(east_rep.get("/imports").await).await;
    assert_eq!(listed["items"][0]["id"], json!(id));
}

#[tokio::test]
async fn leads_come_from_xlsx_with_english_headers() {
    use rust_xlsxwriter::Workbook;
    let Org { app, east_rep, .. } = org().await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let rows = [
        ["Company", "Contact Name", "Mobile", "E-mail", "Lead Source"],
        [
            "苏州精工机械有限公司",
            "王磊",
            "13812345678",
            "wanglei@jinggong.cn",
            "展会",
        ],
        [
            "无锡华光电子有限公司",
            "李娜",
            "",
            "not-an-email",
            "exhibition",
        ],
        ["杭州西湖机电有限公司", "赵敏", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                let _ = sheet.write_string(r as u32, c as u16, *cell);
            }
        }
    }
    let _ = sheet.write_number(3, 2, 13900001111.0);
    let bytes = workbook.save_to_buffer().unwrap_or_else(|e| panic!("{e}"));
    let import = uploaded(&east_rep, "leads", "leads.xlsx", bytes).await;
    assert_eq!(
        import["suggested_mapping"],
        json!(["company_name", "contact_name", "mobile", "email", "source"])
    );
    let id = id_of(&import);
    let outcome = preview(&east_rep, &id, &import["suggested_mapping"], "me").await;
    assert_eq!(
        problems(&outcome),
        vec![(3, "email".to_owned(), "invalid_format".to_owned())]
    );
    let done = commit(&east_rep, &id).await;
    assert_eq!(done["progress"]["inserted"], 2);
    let leads = json_of(east_rep.get("/leads?sort=company_name").await).await;
    assert_eq!(
        names(&leads, "company_name"),
        vec!["杭州西湖机电有限公司", "苏州精工机械有限公司"]
    );
    let hangzhou = &leads["items"][0];
    assert_eq!(
        hangzhou["mobile"], "13900001111",
        "a number cell reads as its digits"
    );
    assert_eq!(hangzhou["source"], "other", "a blank source is `other`");
    assert_eq!(leads["items"][1]["source"], "exhibition");
    assert_eq!(leads["items"][1]["owner_id"], json!(east_rep.user_id));
    let mut created: Vec<(String, String)> = app
        .queued_events(&east_rep)
        .await
        .into_iter()
        .map(|(name, payload)| {
            let company = payload["company_name"].as_str().unwrap_or_default();
            (name, company.to_owned())
        })
        .collect();
    created.sort();
    assert_eq!(
        created,
        [
            ("lead.created".to_owned(), "杭州西湖机电有限公司".to_owned()),
            ("lead.created".to_owned(), "苏州精工机械有限公司".to_owned()),
        ],
        "every imported row is announced, the rejected one is not"
    );
}

#[tokio::test]
async fn contacts_find_their_customer_by_name_within_the_scope() {
    let Org {
        app,
        east_rep,
        south_rep,
        ..
    } = org().await;
    let jinggong = json_of(
        east_rep
            .post("/customers", &json!({"name": "苏州精工机械有限公司"}))
            .await,
    )
    .await;
    let created = south_rep
        .post("/customers", &json!({"name": "广州南方化工有限公司"}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let text = "公司名称,联系人,手机,职务,决策角色\n\
                苏州精工机械（集团）有限公司,王磊,13812345678,采购经理,决策者\n\
                苏州精工机械有限公司,李娜,13812345679,工程师,\n\
                广州南方化工有限公司,陈晨,13812345670,,\n\
                不存在的公司,赵敏,,,\n";
    let import = uploaded(
        &east_rep,
        "contacts",
        "联系人.csv",
        text.as_bytes().to_vec(),
    )
    .await;
    let id = id_of(&import);
    let outcome = preview(&east_rep, &id, &import["suggested_mapping"], "me").await;
    assert_eq!(
        problems(&outcome),
        vec![
            (4, "customer_name".to_owned(), "not_found".to_owned()),
            (5, "customer_name".to_owned(), "not_found".to_owned()),
        ],
        "another department's customer is as unknown as a missing one"
    );
    let done = commit(&east_rep, &id).await;
    assert_eq!(done["progress"]["inserted"], 2);
    let contacts = json_of(
        east_rep
            .get(&format!("/contacts?customer_id={}", id_of(&jinggong)))
            .await,
    )
    .await;
    let items = contacts["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    let wang = items
        .iter()
        .find(|c| c["name"] == "王磊")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        wang["is_primary"], true,
        "the customer's first contact is its primary one"
    );
    assert_eq!(wang["decision_role"], "decision_maker");
    let li = items
        .iter()
        .find(|c| c["name"] == "李娜")
        .cloned()
        .unwrap_or_default();
    assert_eq!(li["is_primary"], false);
    let events: Vec<(String, Value)> = app
        .queued_events(&east_rep)
        .await
        .into_iter()
        .filter(|(name, _)| name.starts_with("contact."))
        .collect();
    assert_eq!(
        events
            .iter()
            .map(|(name, payload)| (
                name.as_str(),
                payload["name"].as_str(),
                payload["is_primary"].as_bool()
            ))
            .collect::<Vec<_>>(),
        [
            ("contact.created", Some("王磊"), Some(true)),
            ("contact.created", Some("李娜"), Some(false)),
        ]
    );

    let pooled = east_rep
        .post(
            &format!("/imports/{id}/preview"),
            &json!({"mapping": import["suggested_mapping"], "owner": "pool"}),
        )
        .await;
    assert_eq!(
        pooled.status(),
        StatusCode::CONFLICT,
        "a committed import is not previewed again"
    );
}

#[tokio::test]
async fn bad_mappings_files_and_parameters_are_named() {
    let Org {
        app: _app,
        east_rep,
        ..
    } = org().await;
    let import = uploaded(
        &east_rep,
        "leads",
        "a.csv",
        "公司名称,联系人,备注\n精工,王磊,\n".as_bytes().to_vec(),
    )
    .await;
    let id = id_of(&import);
    let response = east_rep
        .post(
            &format!("/imports/{id}/preview"),
            &json!({"mapping": ["company_name", "company_name", "shoe_size"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(response).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        vec!["mapping[1]", "mapping[2]", "mapping.contact_name"]
    );
    let short = east_rep
        .post(
            &format!("/imports/{id}/preview"),
            &json!({"mapping": ["company_name"]}),
        )
        .await;
    assert_eq!(json_of(short).await["errors"][0]["field"], "mapping");
    let early = east_rep
        .post(&format!("/imports/{id}/commit"), &json!({}))
        .await;
    assert_eq!(
        early.status(),
        StatusCode::CONFLICT,
        "commit needs a preview"
    );
    let early = east_rep.get(&format!("/imports/{id}/rejections")).await;
    assert_eq!(early.status(), StatusCode::CONFLICT);

    let empty = upload(&east_rep, "leads", "b.csv", b"company,contact\n\n".to_vec()).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(empty).await["errors"][0]["field"], "file");
    // Past the 1 MiB of JSON bodies, within the 20 MiB of uploads.
    let mut big = "公司名称,联系人\n".to_owned();
    for i in 0..60_000 {
        big.push_str(&format!("精工机械{i},王磊\n"));
    }
    assert!(big.len() > 1024 * 1024);
    let big = uploaded(&east_rep, "leads", "big.csv", big.into_bytes()).await;
    assert_eq!(big["total_rows"], 60_000);
    let huge = upload(
        &east_rep,
        "leads",
        "c.csv",
        vec![b'a'; 20 * 1024 * 1024 + 1],
    )
    .await;
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let unknown = upload(&east_rep, "invoices", "d.csv", b"a\nb\n".to_vec()).await;
    assert_eq!(json_of(unknown).await["errors"][0]["field"], "kind");
    let extra = east_rep
        .request(
            Method::POST,
            "/imports?kind=leads&file_name=x.csv&colour=red",
        )
        .body("a\nb\n")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(extra.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let extra = east_rep.get("/exports/customers?colour=red").await;
    assert_eq!(extra.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_import_is_its_creators_alone() {
    let Org {
        app,
        admin,
        east_rep,
        south_rep,
    } = org().await;
    let import = uploaded(
        &east_rep,
        "customers",
        "mine.csv",
        "客户名称\n苏州精工机械有限公司\n".as_bytes().to_vec(),
    )
    .await;
    let id = id_of(&import);
    for other in [&admin, &south_rep] {
        assert_eq!(
            other.get(&format!("/imports/{id}")).await.status(),
            StatusCode::NOT_FOUND
        );
        let preview = other
            .post(
                &format!("/imports/{id}/preview"),
                &json!({"mapping": ["name"]}),
            )
            .await;
        assert_eq!(preview.status(), StatusCode::NOT_FOUND);
        let listed = json_of(other.get("/imports").await).await;
        assert_eq!(listed["items"], json!([]));
    }
    let elsewhere = app.tenant("other").await;
    assert_eq!(
        elsewhere
            .admin
            .get(&format!("/imports/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        json_of(east_rep.get(&format!("/imports/{id}")).await).await["id"],
        json!(id)
    );
}

#[tokio::test]
async fn pool_imports_leave_customers_without_owner() {
    let Org {
        app: _app,
        admin,
        east_rep,
        ..
    } = org().await;
    let import = uploaded(
        &east_rep,
        "customers",
        "pool.csv",
        "客户名称,客户等级,标签\n宁波海港物流有限公司,A,重点；华东\n"
            .as_bytes()
            .to_vec(),
    )
    .await;
    let id = id_of(&import);
    preview(&east_rep, &id, &import["suggested_mapping"], "pool").await;
    let done = commit(&east_rep, &id).await;
    assert_eq!(done["owner"], "pool");
    assert_eq!(done["progress"]["inserted"], 1);
    let found = json_of(admin.get("/customers?q=%E5%AE%81%E6%B3%A2").await).await;
    assert_eq!(found["items"][0]["owner_id"], Value::Null);
    assert_eq!(found["items"][0]["tier"], "A");
    assert_eq!(found["items"][0]["tags"], json!(["重点", "华东"]));
}

#[tokio::test]
async fn exports_hold_what_the_caller_may_see() {
    let Org {
        app: _app,
        admin,
        east_rep,
        south_rep,
    } = org().await;
    for (session, name) in [
        (&east_rep, "苏州精工机械有限公司"),
        (&east_rep, "无锡华光电子有限公司"),
        (&south_rep, "广州南方化工有限公司"),
    ] {
        let created = session
            .post(
                "/customers",
                &json!({"name": name, "industry": "机械", "tags": ["重点", "华东"]}),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let (headers, bytes) = download(&east_rep, "/exports/customers?format=csv", "zh-CN").await;
    assert!(
        headers["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("customers-") && d.ends_with(".csv")),
        "{:?}",
        headers["content-disposition"]
    );
    assert!(headers.get("x-export-truncated").is_none());
    let rows = csv_rows(&bytes);
    assert_eq!(rows[0][0], "客户名称");
    let mut exported: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    exported.sort();
    assert_eq!(
        exported,
        vec!["无锡华光电子有限公司", "苏州精工机械有限公司"],
        "the rep's export lacks the other department's customer"
    );
    assert_eq!(rows[1][13], "张伟", "the owner's name");

    let (_, bytes) = download(
        &admin,
        "/exports/customers?format=xlsx&industry=%E6%9C%BA%E6%A2%B0",
        "en",
    )
    .await;
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows[0][0], "Customer");
    assert_eq!(rows.len(), 4, "the admin sees all three: {rows:?}");
    let (_, bytes) = download(
        &admin,
        "/exports/customers?format=csv&q=%E5%B9%BF%E5%B7%9E",
        "zh-CN",
    )
    .await;
    assert_eq!(csv_rows(&bytes).len(), 2, "filters apply");

    // An export imports again as is: its headers are the import's column names.
    let (_, bytes) = download(&east_rep, "/exports/customers?format=xlsx", "zh-CN").await;
    let again = uploaded(&east_rep, "customers", "again.xlsx", bytes).await;
    let mapping = again["suggested_mapping"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(mapping.first(), Some(&json!("name")));
    let outcome = preview(&east_rep, &id_of(&again), &again["suggested_mapping"], "me").await;
    assert_eq!(outcome["rejected"], 2, "both exist already");

    east_rep.create_lead("宁波海港物流有限公司").await;
    south_rep.create_lead("厦门鹭岛贸易有限公司").await;
    let (_, bytes) = download(&east_rep, "/exports/leads", "zh-CN").await;
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "宁波海港物流有限公司");
    let (_, bytes) = download(&south_rep, "/exports/contacts?format=xlsx", "zh-CN").await;
    assert_eq!(xlsx_rows(&bytes).len(), 1, "a header alone");
    let viewer_forbidden = east_rep.get("/exports/leads?sort=shoe_size").await;
    assert_eq!(viewer_forbidden.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// On PostgreSQL, a customer committed by someone else while a batch runs makes the batch's
/// insert hit the unique index: the batch is retried, that row is rejected, the others go in.
#[tokio::test]
async fn a_duplicate_created_during_a_batch_costs_only_its_row() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait};
    let app = spawn_app().await;
    if app.db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let acme = app.tenant("acme").await;
    let admin = acme.admin;
    let other = json_of(
        admin
            .post("/customers", &json!({"name": "厦门鹭岛贸易有限公司"}))
            .await,
    )
    .await;
    let import = uploaded(
        &admin,
        "customers",
        "race.csv",
        "客户名称\n苏州精工机械有限公司\n无锡华光电子有限公司\n杭州西湖机电有限公司\n"
            .as_bytes()
            .to_vec(),
    )
    .await;
    let id = id_of(&import);
    let outcome = preview(&admin, &id, &import["suggested_mapping"], "me").await;
    assert_eq!(outcome["valid"], 3);
    let response = admin
        .post(&format!("/imports/{id}/commit"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);

    // Another transaction gives an existing customer the name key of row 3, uncommitted.
    let race = app.db.begin().await.unwrap_or_else(|e| panic!("{e}"));
    race.execute_unprepared(&format!(
        "UPDATE customers SET name_key = '无锡华光电子' WHERE id = '{}'",
        id_of(&other)
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let db = app.db.clone();
    let run = tokio::spawn(async move {
        let claim = crm_persistence::imports::claim_next(&db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("nothing queued"));
        crm_persistence::imports::run(&db, claim).await
    });
    // The batch's insert now waits on the unique index for the other transaction.
    tokio::time::sleep(Duration::from_millis(500)).await;
    race.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let end = run.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(end, Ok(crm_persistence::imports::RunEnd::Done)),
        "{end:?}"
    );

    let done = json_of(admin.get(&format!("/imports/{id}")).await).await;
    assert_eq!(
        done["progress"],
        json!({"total": 3, "processed": 3, "inserted": 2, "rejected": 1})
    );
    assert_eq!(
        problems(&done),
        vec![(3, "name".to_owned(), "customer_duplicate".to_owned())]
    );
}
