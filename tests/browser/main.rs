//! Browser tests: the built SPA, served by a real server, driven in headless Chromium through
//! chromedriver. Screenshots land in `tests/screenshots/` — look at them.
//!
//! Needs `frontend/dist` (scripts/build-frontend.sh), `chromium` and `chromium-driver`
//! (scripts/setup.sh installs both).

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use helpers::{PASSWORD, Session, Tenant, TestApp, json_of, spawn_app_serving};

const WAIT: Duration = Duration::from_secs(15);

/// chromedriver on a free port, killed when dropped.
struct Driver(Child, u16);

impl Driver {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("chromedriver (scripts/setup.sh installs it): {e}"));
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver(child, port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn browser(driver: &Driver) -> Client {
    // reqwest and fantoccini each enable a rustls crypto provider; rustls wants one chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let profile =
        std::env::temp_dir().join(format!("crm-chromium-{}", uuid::Uuid::now_v7().simple()));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1440,900", "--lang=zh-CN",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::rustls()
        .unwrap_or_else(|e| panic!("{e}"))
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .unwrap_or_else(|e| panic!("chromedriver session: {e}"))
}

fn spa_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist");
    assert!(
        dir.join("index.html").is_file(),
        "build the SPA first: scripts/build-frontend.sh"
    );
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap_or_else(|e| panic!("{e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("screenshots")
        .join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("{e}"));
}

fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

async fn find(client: &Client, id: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&testid(id)))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

async fn type_into(client: &Client, id: &str, text: &str) {
    let element = find(client, id).await;
    element
        .clear()
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    element
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

async fn click(client: &Client, id: &str) {
    find(client, id)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

/// Waits until the text of the first `id` element satisfies `check`.
async fn wait_for_text(client: &Client, id: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let text = match client.find(Locator::Css(&testid(id))).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if check(&text) {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{id} never matched; last text: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn rows_text(client: &Client) -> Vec<String> {
    texts_of(client, "lead-row").await
}

/// The texts of every `id` element now on the page.
async fn texts_of(client: &Client, id: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client
        .find_all(Locator::Css(&testid(id)))
        .await
        .unwrap_or_default()
    {
        texts.push(element.text().await.unwrap_or_default());
    }
    texts
}

/// Chooses `value` in a select, once that option is there (some lists load from the API).
async fn select(client: &Client, id: &str, value: &str) {
    let option = format!("{} option[value=\"{value}\"]", testid(id));
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&option))
        .await
        .unwrap_or_else(|e| panic!("{id}={value}: {e}"));
    find(client, id)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{id}={value}: {e}"));
}

/// Sets a date or time input the way a picker would (typing into one depends on the locale).
async fn set_input(client: &Client, id: &str, value: &str) {
    find(client, id).await;
    let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                  el.dispatchEvent(new Event('input', { bubbles: true }));";
    client
        .execute(script, vec![json!(testid(id)), json!(value)])
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

async fn log_in(client: &Client, app: &TestApp, tenant: &str, email: &str) {
    client
        .goto(&format!("{}/login", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    type_into(client, "login-tenant", tenant).await;
    type_into(client, "login-email", email).await;
    type_into(client, "login-password", PASSWORD).await;
    click(client, "login-submit").await;
    find(client, "current-user").await;
}

async fn log_out(client: &Client) {
    click(client, "logout").await;
    find(client, "login-submit").await;
}

/// A user with a Chinese name (the shared helper names users by their login), logged in.
async fn staff(
    app: &TestApp,
    tenant: &Tenant,
    login: &str,
    name: &str,
    role: &str,
    department: Uuid,
) -> Session {
    let email = format!("{login}@{}.cn", tenant.slug);
    let body = json!({
        "email": email, "name": name, "password": PASSWORD,
        "department_id": department, "role_id": tenant.role_id(role).await,
    });
    let response = tenant.admin.post("/users", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "create user {name}");
    app.login(&tenant.slug, &email, PASSWORD).await
}

async fn create_lead(session: &Session, body: Value) -> Uuid {
    let response = session.post("/leads", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "create lead {body}");
    let lead = json_of(response).await;
    lead["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("lead id in {lead}"))
}

/// Waits until `id` elements are on the page and one of them satisfies `check`.
async fn wait_for_any(client: &Client, id: &str, check: impl Fn(&str) -> bool) -> Vec<String> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let texts = texts_of(client, id).await;
        if texts.iter().any(|t| check(t)) {
            return texts;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {id} matched; texts: {texts:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_user_logs_in_creates_a_lead_finds_it_and_switches_language() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    for company in ["无锡恒通机械有限公司", "宁波华锐电子有限公司"] {
        acme.admin.create_lead(company).await;
    }
    let driver = Driver::start();
    let client = browser(&driver).await;

    client
        .goto(&format!("{}/", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    type_into(&client, "login-tenant", "acme").await;
    type_into(&client, "login-email", "admin@acme.cn").await;
    type_into(&client, "login-password", "wrong-password").await;
    click(&client, "login-submit").await;
    let error = wait_for_text(&client, "login-error", |t| !t.is_empty()).await;
    assert!(
        error.contains("账号或密码错误"),
        "login error shown: {error}"
    );
    screenshot(&client, "01-login-error").await;

    type_into(&client, "login-password", PASSWORD).await;
    click(&client, "login-submit").await;
    // The home page first: nothing is due yet.
    find(&client, "tasks-empty").await;
    click(&client, "nav-leads").await;
    find(&client, "lead-row").await;
    let rows = rows_text(&client).await;
    assert_eq!(rows.len(), 2, "both leads listed: {rows:?}");
    screenshot(&client, "02-leads-list").await;

    // Create a lead: a bad email is refused inline, then fixed.
    click(&client, "lead-new").await;
    type_into(&client, "lead-company_name", "苏州精工智能装备有限公司").await;
    type_into(&client, "lead-contact_name", "王磊").await;
    type_into(&client, "lead-mobile", "13812345678").await;
    type_into(&client, "lead-email", "wanglei@").await;
    select(&client, "lead-source", "exhibition").await;
    click(&client, "lead-submit").await;
    let field_error = wait_for_text(&client, "error-email", |t| !t.is_empty()).await;
    assert!(
        field_error.contains("格式不正确"),
        "the API's message under the field: {field_error}"
    );
    screenshot(&client, "03-lead-form-error").await;

    type_into(&client, "lead-email", "wanglei@jinggong.cn").await;
    click(&client, "lead-submit").await;
    find(&client, "lead-edit").await;
    find(&client, "audit-entry").await;
    screenshot(&client, "04-lead-detail").await;

    // Find it by search.
    click(&client, "nav-leads").await;
    find(&client, "lead-row").await;
    type_into(&client, "leads-search", "精工").await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let rows = rows_text(&client).await;
        if rows.len() == 1 && rows[0].contains("苏州精工智能装备有限公司") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "search did not narrow to the new lead: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    screenshot(&client, "05-leads-search").await;

    // Switch to English: navigation and table re-render at once.
    let nav_zh = find(&client, "nav-leads")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(nav_zh.contains("线索"), "{nav_zh}");
    select(&client, "lang-switch", "en").await;
    wait_for_text(&client, "nav-leads", |t| t.contains("Leads")).await;
    screenshot(&client, "06-leads-english").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// The lead's company is a customer already, owned in another department: its rep sees only a
/// masked hint and cannot create a duplicate; a manager who sees both converts it into the
/// existing customer.
#[tokio::test]
async fn convert_a_lead_with_a_duplicate_warning() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("销售部", acme.head_office).await;
    let east = acme.department("华东区", sales).await;
    let south = acme.department("华南区", sales).await;
    staff(&app, &acme, "zhangwei", "张伟", "sales_rep", east).await;
    let lina = staff(&app, &acme, "lina", "李娜", "sales_rep", south).await;
    let manager = staff(&app, &acme, "wangqiang", "王强", "sales_manager", sales).await;
    let driver = Driver::start();
    let client = browser(&driver).await;

    // 张伟 (华东区) creates the customer in the browser; nothing like it exists yet.
    log_in(&client, &app, "acme", "zhangwei@acme.cn").await;
    click(&client, "nav-customers").await;
    find(&client, "customers-empty").await;
    click(&client, "customer-new").await;
    type_into(&client, "customer-name", "苏州精工机械有限公司").await;
    type_into(&client, "customer-industry", "机械制造").await;
    type_into(&client, "customer-region", "华东").await;
    click(&client, "customer-submit").await;
    wait_for_text(&client, "customer-title", |t| {
        t.contains("苏州精工机械有限公司")
    })
    .await;
    log_out(&client).await;

    // 李娜 (华南区) has a lead for the same company under its 股份有限公司 name; a manager
    // qualified it.
    let lead = create_lead(&lina, json!({
        "company_name": "苏州精工机械股份有限公司", "contact_name": "王磊", "mobile": "13912345678",
        "source": "exhibition", "industry": "机械制造", "region": "华东",
    }))
    .await;
    let qualified = manager
        .request(Method::POST, &format!("/leads/{lead}/qualify"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        qualified.status(),
        StatusCode::OK,
        "qualify: {}",
        qualified.text().await.unwrap_or_default()
    );

    // She opens the convert dialog: the check names the existing customer, masked.
    log_in(&client, &app, "acme", "lina@acme.cn").await;
    client
        .goto(&format!("{}/leads/{lead}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "lead-status", |t| t.contains("已认定")).await;
    click(&client, "lead-convert").await;
    let matches = wait_for_text(&client, "convert-matches", |t| t.contains("已存在")).await;
    assert!(
        matches.contains("华东区 张*"),
        "where the customer sits, masked: {matches}"
    );
    assert!(
        matches.contains("苏州**有限公司"),
        "the masked name: {matches}"
    );
    assert!(
        !matches.contains("苏州精工机械有限公司"),
        "never the full name: {matches}"
    );
    assert!(
        texts_of(&client, "convert-pick").await.is_empty(),
        "a customer she may not see cannot be picked"
    );
    screenshot(&client, "07-convert-masked-match").await;

    // Creating a new customer anyway is refused, and the dialog says why.
    click(&client, "convert-new").await;
    click(&client, "convert-submit").await;
    let warning = wait_for_text(&client, "duplicate-warning", |t| !t.is_empty()).await;
    assert!(warning.contains("不能新建客户"), "the refusal: {warning}");
    assert!(
        warning.contains("已存在：华东区 张*"),
        "the masked owner hint: {warning}"
    );
    screenshot(&client, "08-convert-refused").await;
    client
        .find(Locator::Css(".modal-header .icon-button"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "lead-status", |t| t.contains("已认定")).await;
    log_out(&client).await;

    // 王强 manages both departments: he sees the customer and converts the lead into it.
    log_in(&client, &app, "acme", "wangqiang@acme.cn").await;
    client
        .goto(&format!("{}/leads/{lead}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(&client, "lead-convert").await;
    let picks = wait_for_any(&client, "duplicate-match", |t| {
        t.contains("苏州精工机械有限公司")
    })
    .await;
    assert!(
        picks.iter().all(|t| !t.contains('*')),
        "nothing masked for him: {picks:?}"
    );
    screenshot(&client, "09-convert-manager-picks").await;
    click(&client, "convert-pick").await;
    click(&client, "convert-submit").await;
    wait_for_text(&client, "lead-status", |t| t.contains("已转化")).await;
    find(&client, "lead-converted").await;
    screenshot(&client, "10-lead-converted").await;

    // The customer now has the lead's contact, and no second customer was created.
    click(&client, "lead-customer-link").await;
    wait_for_text(&client, "customer-title", |t| {
        t.contains("苏州精工机械有限公司")
    })
    .await;
    wait_for_any(&client, "contact-row", |t| t.contains("王磊")).await;
    screenshot(&client, "11-customer-after-conversion").await;
    click(&client, "nav-customers").await;
    wait_for_any(&client, "customer-row", |t| {
        t.contains("苏州精工机械有限公司")
    })
    .await;
    assert_eq!(
        texts_of(&client, "customer-row").await.len(),
        1,
        "still one customer"
    );
    screenshot(&client, "12-customers-list").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// A rep keeps a customer: tags and tier, a primary contact, a follow-up that plans the next
/// one, which then shows on the home page until it is done. A second customer with the same
/// name is named before it is saved; one with a similar name, saved anyway, is merged into
/// the first by a manager.
#[tokio::test]
async fn a_rep_keeps_a_customer_and_follows_up() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    staff(&app, &acme, "zhangwei", "张伟", "sales_rep", east).await;
    staff(&app, &acme, "wangqiang", "王强", "sales_manager", east).await;
    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "zhangwei@acme.cn").await;

    click(&client, "nav-customers").await;
    click(&client, "customer-new").await;
    type_into(&client, "customer-name", "无锡恒通精密机械有限公司").await;
    type_into(&client, "customer-credit_code", "91320505MA1N2K3L4Y").await;
    select(&client, "customer-tier", "A").await;
    type_into(&client, "customer-tags", "重点客户\n").await;
    type_into(&client, "customer-tags", "老客户\n").await;
    assert_eq!(texts_of(&client, "tag-chip").await.len(), 2, "two tags");
    type_into(&client, "customer-region", "华东").await;
    screenshot(&client, "13-customer-form").await;
    click(&client, "customer-submit").await;
    wait_for_text(&client, "customer-title", |t| {
        t.contains("无锡恒通精密机械有限公司")
    })
    .await;
    wait_for_text(&client, "customer-tier", |t| t.contains("A")).await;
    let tags = find(&client, "detail-tags")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(
        tags.contains("重点客户") && tags.contains("老客户"),
        "{tags}"
    );

    // A primary contact with a buying role.
    click(&client, "contact-new").await;
    type_into(&client, "contact-name", "王磊").await;
    type_into(&client, "contact-title", "采购经理").await;
    type_into(&client, "contact-mobile", "13812345678").await;
    select(&client, "contact-decision_role", "decision_maker").await;
    click(&client, "contact-is_primary").await;
    click(&client, "contact-submit").await;
    let contact = wait_for_any(&client, "contact-row", |t| t.contains("王磊")).await;
    assert!(
        contact[0].contains("主要联系人") && contact[0].contains("决策者"),
        "{contact:?}"
    );

    // A visit that plans the next follow-up for today.
    let today = chrono::Local::now().date_naive().to_string();
    click(&client, "activity-new").await;
    select(&client, "activity-kind", "visit").await;
    type_into(&client, "activity-subject", "上门拜访采购部").await;
    type_into(&client, "activity-outcome", "确认二季度有扩产计划").await;
    set_input(&client, "activity-next_follow_up_on", &today).await;
    click(&client, "activity-contact").await;
    click(&client, "activity-submit").await;
    let entries = wait_for_any(&client, "activity-entry", |t| t.contains("上门拜访采购部")).await;
    assert!(
        entries[0].contains("确认二季度有扩产计划") && entries[0].contains("王磊"),
        "{entries:?}"
    );
    assert!(
        entries[0].contains(&today),
        "the next follow-up: {entries:?}"
    );
    screenshot(&client, "14-customer-detail").await;

    // It is due today, so the home page lists it until it is done.
    click(&client, "nav-home").await;
    let tasks = wait_for_any(&client, "task-row", |t| {
        t.contains("无锡恒通精密机械有限公司")
    })
    .await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    find(&client, "task-today").await;
    screenshot(&client, "15-home-tasks").await;
    click(&client, "task-complete").await;
    find(&client, "tasks-empty").await;

    // The same company typed again is named before saving, and saving is held back.
    click(&client, "nav-customers").await;
    click(&client, "customer-new").await;
    type_into(&client, "customer-name", "无锡恒通精密机械股份有限公司").await;
    let warning = wait_for_text(&client, "duplicate-warning", |t| !t.is_empty()).await;
    assert!(
        warning.contains("无锡恒通精密机械有限公司"),
        "a link to the existing one: {warning}"
    );
    find(&client, "duplicate-link").await;
    let disabled = find(&client, "customer-submit")
        .await
        .attr("disabled")
        .await
        .unwrap_or_default();
    assert!(disabled.is_some(), "save is held back");
    screenshot(&client, "16-customer-duplicate-live").await;

    // A shorter name is only similar: it may be saved, with the hint in view.
    type_into(&client, "customer-name", "无锡恒通精密").await;
    wait_for_text(&client, "duplicate-similar", |t| {
        t.contains("无锡恒通精密机械有限公司")
    })
    .await;
    assert!(
        texts_of(&client, "duplicate-warning").await.is_empty(),
        "nothing blocks it"
    );
    click(&client, "customer-submit").await;
    wait_for_text(&client, "customer-title", |t| t.contains("无锡恒通精密")).await;
    let duplicate_url = client
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string();
    assert!(
        texts_of(&client, "customer-merge").await.is_empty(),
        "a rep may not merge"
    );
    log_out(&client).await;

    // The manager merges it into the first customer, which keeps its contact.
    log_in(&client, &app, "acme", "wangqiang@acme.cn").await;
    client
        .goto(&duplicate_url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "customer-title", |t| t.contains("无锡恒通精密")).await;
    click(&client, "customer-merge").await;
    type_into(&client, "merge-search", "恒通精密机械").await;
    click(&client, "merge-search-option").await;
    click(&client, "merge-keep-other").await;
    screenshot(&client, "17-merge-dialog").await;
    click(&client, "merge-confirm").await;
    wait_for_text(&client, "customer-title", |t| {
        t.contains("无锡恒通精密机械有限公司")
    })
    .await;
    wait_for_any(&client, "contact-row", |t| t.contains("王磊")).await;
    let survivor_url = client
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string();
    assert_ne!(survivor_url, duplicate_url, "landed on the survivor");

    // The merged customer's address leads to the survivor.
    client
        .goto(&duplicate_url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "customer-title", |t| {
        t.contains("无锡恒通精密机械有限公司")
    })
    .await;
    let deadline = std::time::Instant::now() + WAIT;
    while client
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default()
        != survivor_url
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the address never changed to the survivor's"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// An admin requires the region before qualification and adds a reason; a manager then meets
/// both on a lead.
#[tokio::test]
async fn business_rules_shape_the_lead_lifecycle() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("销售部", acme.head_office).await;
    let manager = staff(&app, &acme, "wangqiang", "王强", "sales_manager", sales).await;
    let lead = create_lead(
        &manager,
        json!({
            "company_name": "常州华腾电气有限公司", "contact_name": "陈静", "mobile": "13712345678",
            "source": "website", "industry": "电气设备",
        }),
    )
    .await;
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-settings").await;
    click(&client, "tab-rules").await;
    click(&client, "qualification-region").await;
    click(&client, "reasons-add").await;
    let keys = client
        .find_all(Locator::Css(&testid("reasons-key")))
        .await
        .unwrap_or_default();
    let labels = client
        .find_all(Locator::Css(&testid("reasons-label")))
        .await
        .unwrap_or_default();
    let (Some(key), Some(label)) = (keys.last(), labels.last()) else {
        panic!("a new reason row")
    };
    key.send_keys("budget_frozen")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    label
        .send_keys("预算冻结")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(&client, "rules-submit").await;
    wait_for_text(&client, "toast", |t| t.contains("业务规则已保存")).await;
    screenshot(&client, "18-business-rules").await;
    log_out(&client).await;

    log_in(&client, &app, "acme", "wangqiang@acme.cn").await;
    client
        .goto(&format!("{}/leads/{lead}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "lead-status", |t| t.contains("新建")).await;
    click(&client, "lead-start-working").await;
    wait_for_text(&client, "lead-status", |t| t.contains("跟进中")).await;

    // Qualifying names what is missing: the region the admin just required.
    click(&client, "lead-qualify").await;
    let missing = wait_for_text(&client, "qualify-missing", |t| !t.is_empty()).await;
    assert!(missing.contains("区域"), "{missing}");
    screenshot(&client, "19-qualify-missing").await;

    click(&client, "lead-disqualify").await;
    select(&client, "disqualify-reason", "budget_frozen").await;
    type_into(&client, "disqualify-note", "预算明年才批").await;
    click(&client, "disqualify-submit").await;
    wait_for_text(&client, "lead-status", |t| t.contains("无效")).await;
    let reason = wait_for_text(&client, "detail-disqualify_reason", |t| !t.is_empty()).await;
    assert!(
        reason.contains("预算冻结") && reason.contains("预算明年才批"),
        "{reason}"
    );

    click(&client, "lead-reopen").await;
    wait_for_text(&client, "lead-status", |t| t.contains("跟进中")).await;
    screenshot(&client, "20-lead-reopened").await;
    log_out(&client).await;

    // The history tells each step in words, the reason by its label.
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    client
        .goto(&format!("{}/leads/{lead}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let history = wait_for_any(&client, "audit-entry", |t| t.contains("预算冻结")).await;
    assert!(
        history.iter().filter(|t| t.contains("变更了状态")).count() >= 3,
        "started, disqualified, reopened: {history:?}"
    );
    screenshot(&client, "21-lead-history").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}
