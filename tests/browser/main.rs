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
    launch(driver, None).await
}

/// A browser that saves downloads into `dir` without asking.
async fn browser_saving_to(driver: &Driver, dir: &Path) -> Client {
    launch(driver, Some(dir)).await
}

async fn launch(driver: &Driver, downloads: Option<&Path>) -> Client {
    // reqwest and fantoccini each enable a rustls crypto provider; rustls wants one chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let profile =
        std::env::temp_dir().join(format!("crm-chromium-{}", uuid::Uuid::now_v7().simple()));
    let mut options = json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1440,900", "--lang=zh-CN",
            format!("--user-data-dir={}", profile.display()),
        ]
    });
    if let Some(dir) = downloads {
        options["prefs"] = json!({
            "download.default_directory": dir.display().to_string(),
            "download.prompt_for_download": false,
        });
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), options);
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

/// Waits until the input or textarea `id` holds `value` (set by the page, not typed).
async fn wait_for_value(client: &Client, id: &str, value: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let current = find(client, id)
            .await
            .prop("value")
            .await
            .unwrap_or_default();
        if current.as_deref() == Some(value) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{id} never held {value:?}; last: {current:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

/// Clicks `button` inside the first `row` element whose text contains `text`.
async fn click_in_row(client: &Client, row: &str, text: &str, button: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        for element in client
            .find_all(Locator::Css(&testid(row)))
            .await
            .unwrap_or_default()
        {
            if element.text().await.unwrap_or_default().contains(text)
                && let Ok(target) = element.find(Locator::Css(&testid(button))).await
            {
                target.click().await.unwrap_or_else(|e| panic!("{e}"));
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {row} with {text:?} and a {button}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A quote of ten units of `product` for `customer` (¥128,000 at the demo price, no discount:
/// approved at submit), sent and accepted through the API; returns its id.
async fn accepted_quote(rep: &Session, customer: Uuid, product: &Value) -> String {
    let response = rep
        .post(
            "/quotes",
            &json!({"customer_id": customer, "payment_terms": "预付30%，验收后付70%",
                    "lines": [{"product_id": product, "quantity": "10"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let quote_id = json_of(response).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for action in ["submit", "send", "accept"] {
        let response = rep
            .post(&format!("/quotes/{quote_id}/{action}"), &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "quote {action}");
    }
    quote_id
}

async fn create_customer(session: &Session, name: &str) -> Uuid {
    let response = session
        .post("/customers", &json!({"name": name, "region": "华东"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {name}");
    json_of(response).await["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("customer id"))
}

/// An admin caps claims at one customer each. A rep gives a customer back to the pool with a
/// note; a colleague claims it from the 公海 view, is refused a second one, and the
/// customer's owner history tells both steps.
#[tokio::test]
async fn the_pool() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let zhangwei = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", east).await;
    staff(&app, &acme, "lina", "李娜", "sales_rep", east).await;
    let customer = create_customer(&zhangwei, "苏州精工机械有限公司").await;
    let other = create_customer(&acme.admin, "无锡恒通精密机械有限公司").await;
    let released = acme
        .admin
        .post(&format!("/customers/{other}/release"), &json!({}))
        .await;
    assert_eq!(released.status(), StatusCode::OK, "release the second one");
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-settings").await;
    click(&client, "tab-rules").await;
    type_into(&client, "settings-pool_claim_limit", "1").await;
    click(&client, "rules-submit").await;
    wait_for_any(&client, "toast", |t| t.contains("业务规则已保存")).await;
    log_out(&client).await;

    // 张伟 gives the customer back, saying why.
    log_in(&client, &app, "acme", "zhangwei@acme.cn").await;
    client
        .goto(&format!("{}/customers/{customer}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "detail-owner", |t| t.contains("张伟")).await;
    click(&client, "owner-release").await;
    type_into(&client, "release-note", "今年没有预算，明年再跟").await;
    screenshot(&client, "22-release-dialog").await;
    click(&client, "release-submit").await;
    wait_for_text(&client, "detail-owner", |t| t.contains("公海")).await;
    find(&client, "owner-claim").await;
    log_out(&client).await;

    // 李娜 owns nothing yet; the pool holds both customers.
    log_in(&client, &app, "acme", "lina@acme.cn").await;
    click(&client, "nav-customers").await;
    wait_for_text(&client, "view-owned", |t| t.contains("我的")).await;
    find(&client, "customers-empty").await;
    click(&client, "view-pool").await;
    wait_for_any(&client, "customer-row", |t| {
        t.contains("苏州精工机械有限公司")
    })
    .await;
    wait_for_any(&client, "customer-row", |t| {
        t.contains("无锡恒通精密机械有限公司")
    })
    .await;
    screenshot(&client, "23-customers-pool").await;
    click_in_row(
        &client,
        "customer-row",
        "苏州精工机械有限公司",
        "pool-claim",
    )
    .await;
    wait_for_any(&client, "toast", |t| t.contains("已从公海领取")).await;
    let deadline = std::time::Instant::now() + WAIT;
    while texts_of(&client, "customer-row")
        .await
        .iter()
        .any(|t| t.contains("苏州精工机械有限公司"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the claimed customer left the pool view"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // One customer is her limit: the second claim is refused in words.
    click_in_row(
        &client,
        "customer-row",
        "无锡恒通精密机械有限公司",
        "pool-claim",
    )
    .await;
    wait_for_any(&client, "toast", |t| t.contains("已达到领取上限")).await;
    screenshot(&client, "24-claim-limit").await;

    click(&client, "view-owned").await;
    let mine = wait_for_any(&client, "customer-row", |t| {
        t.contains("苏州精工机械有限公司")
    })
    .await;
    assert!(
        mine.len() == 1 && mine[0].contains("李娜"),
        "hers now: {mine:?}"
    );
    find(&client, "customer-row")
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "detail-owner", |t| t.contains("李娜")).await;
    let history = wait_for_any(&client, "owner-change", |t| t.contains("领取")).await;
    assert_eq!(history.len(), 3, "created, released, claimed: {history:?}");
    assert!(
        history[0].contains("领取") && history[0].contains("公海") && history[0].contains("李娜"),
        "newest first, the claim: {history:?}"
    );
    assert!(
        history[1].contains("退回")
            && history[1].contains("张伟")
            && history[1].contains("公海")
            && history[1].contains("今年没有预算，明年再跟"),
        "the release with its note: {history:?}"
    );
    assert!(
        history[2].contains("创建") && history[2].contains("张伟"),
        "{history:?}"
    );
    screenshot(&client, "25-owner-history").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// An admin routes 华东 leads to a rep with an assignment rule; a lead created with "let the
/// rules choose" goes to him, is handed to a colleague, and its owner history shows both.
#[tokio::test]
async fn assignment_rules_and_assigning_a_lead() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let zhangwei = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", east).await;
    let lina = staff(&app, &acme, "lina", "李娜", "sales_rep", east).await;
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-settings").await;
    click(&client, "tab-rules").await;
    find(&client, "assignment-rules-empty").await;
    click(&client, "assignment-rule-new").await;
    type_into(&client, "rule-region", "华东").await;
    click(&client, "rule-target-user").await;
    select(&client, "rule-user_id", &zhangwei.user_id.to_string()).await;
    screenshot(&client, "26-assignment-rule-dialog").await;
    click(&client, "rule-submit").await;
    let rules = wait_for_any(&client, "assignment-rule-row", |t| t.contains("张伟")).await;
    assert!(
        rules[0].contains("华东") && rules[0].contains("不限"),
        "region 华东, any industry: {rules:?}"
    );
    screenshot(&client, "27-assignment-rules").await;

    // The rules choose the owner: the owner picker goes away.
    click(&client, "nav-leads").await;
    click(&client, "lead-new").await;
    type_into(&client, "lead-company_name", "杭州华锐自动化有限公司").await;
    type_into(&client, "lead-contact_name", "赵敏").await;
    select(&client, "lead-source", "website").await;
    type_into(&client, "lead-region", "华东").await;
    find(&client, "lead-owner_id").await;
    click(&client, "lead-assign_by_rules").await;
    assert!(
        texts_of(&client, "lead-owner_id").await.is_empty(),
        "no owner picker when the rules choose"
    );
    click(&client, "lead-submit").await;
    wait_for_text(&client, "detail-owner", |t| t.contains("张伟")).await;

    // Handed to 李娜.
    click(&client, "owner-assign").await;
    select(&client, "assign-owner_id", &lina.user_id.to_string()).await;
    click(&client, "assign-submit").await;
    wait_for_text(&client, "detail-owner", |t| t.contains("李娜")).await;
    let history = wait_for_any(&client, "owner-change", |t| t.contains("李娜")).await;
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        history[0].contains("分配") && history[0].contains("张伟") && history[0].contains("李娜"),
        "{history:?}"
    );
    assert!(
        history[1].contains("规则分配") && history[1].contains("张伟"),
        "{history:?}"
    );
    screenshot(&client, "28-lead-assigned").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// Takes the file the browser saved into `dir`, once it has finished saving it.
async fn downloaded(dir: &Path) -> (String, Vec<u8>) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let done = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|e| e != "crdownload"));
        if let Some(path) = done {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
            return (name, bytes);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "nothing was downloaded into {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A rep imports customers from a CSV saved by Chinese Excel (GBK), one row with a credit code
/// that cannot be one: the columns are matched by their Chinese headers, the preview names the
/// bad row and its field, the run reaches 100 %, the good rows are in the list, and the
/// rejection file (saved by the browser) holds the bad row with its reason; the filtered list
/// exports as CSV and Excel.
#[tokio::test]
async fn import_a_gbk_csv_with_one_bad_row_and_download_the_rejection_file() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    crm_api::import_worker::spawn(app.db.clone(), Duration::from_millis(100));
    let acme = app.tenant("acme").await;
    let east = acme.department("华东区", acme.head_office).await;
    let zhangwei = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", east).await;

    let text = "客户名称,统一社会信用代码,行业,省份,城市\r\n\
                无锡华光电子有限公司,91320200MA1N00001F,电子,江苏省,无锡市\r\n\
                上海浦江阀门有限公司,91310000MA1K00004J,阀门,上海市,上海市\r\n\
                常州恒力精工有限公司,9132041234,机械,江苏省,常州市\r\n\
                杭州西湖机电有限公司,91330100MA2B00002B,机电,浙江省,杭州市\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(
        !unmappable && std::str::from_utf8(&gbk).is_err(),
        "GBK, not UTF-8"
    );
    let dir = std::env::temp_dir().join(format!("crm-import-{}", Uuid::now_v7().simple()));
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("客户名单.csv");
    std::fs::write(&file, &gbk).unwrap_or_else(|e| panic!("{e}"));

    let driver = Driver::start();
    let client = browser_saving_to(&driver, &downloads).await;
    log_in(&client, &app, "acme", "zhangwei@acme.cn").await;
    click(&client, "nav-customers").await;
    click(&client, "import-open").await;
    let kind = find(&client, "import-kind")
        .await
        .prop("value")
        .await
        .unwrap_or_default();
    assert_eq!(kind.as_deref(), Some("customers"), "opened on customers");
    find(&client, "import-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(&client, "import-upload").await;

    // The columns were matched by their Chinese headers.
    wait_for_text(&client, "import-file-name", |t| {
        t.contains("客户名单.csv") && t.contains('4')
    })
    .await;
    assert_eq!(
        texts_of(&client, "import-header").await,
        ["客户名称", "统一社会信用代码", "行业", "省份", "城市"]
    );
    let mut mapping = Vec::new();
    for select in client
        .find_all(Locator::Css(&testid("import-map")))
        .await
        .unwrap_or_default()
    {
        mapping.push(
            select
                .prop("value")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
    }
    assert_eq!(
        mapping,
        ["name", "credit_code", "industry", "province", "city"]
    );
    let samples = texts_of(&client, "import-sample-row").await;
    assert!(
        samples
            .first()
            .is_some_and(|r| r.contains("无锡华光电子有限公司")),
        "{samples:?}"
    );
    screenshot(&client, "29-import-mapping").await;

    // The preview names the bad row, its field and why.
    click(&client, "import-preview").await;
    wait_for_text(&client, "import-valid", |t| t == "3").await;
    wait_for_text(&client, "import-rejected", |t| t == "1").await;
    let problems = client
        .find_all(Locator::Css(&testid("import-problem")))
        .await
        .unwrap_or_default();
    assert_eq!(problems.len(), 1, "one problem");
    let row = problems[0].attr("data-row").await.ok().flatten();
    let field = problems[0].attr("data-field").await.ok().flatten();
    assert_eq!(
        (row.as_deref(), field.as_deref()),
        (Some("4"), Some("credit_code"))
    );
    let problem = problems[0].text().await.unwrap_or_default();
    assert!(
        problem.contains("统一社会信用代码") && problem.contains("格式不正确"),
        "{problem}"
    );
    screenshot(&client, "30-import-preview").await;

    // Committed, it runs to the end.
    click(&client, "import-commit").await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let status = find(&client, "import-status")
            .await
            .attr("data-status")
            .await
            .ok()
            .flatten();
        if status.as_deref() == Some("done") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import never finished: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let progress = find(&client, "import-progress")
        .await
        .attr("aria-valuenow")
        .await
        .ok()
        .flatten();
    assert_eq!(progress.as_deref(), Some("100"));
    let line = wait_for_text(&client, "import-progress-text", |t| t.contains("100%")).await;
    assert!(line.contains("4 / 4"), "{line}");
    let summary = wait_for_text(&client, "import-summary", |t| !t.is_empty()).await;
    assert!(
        summary.contains("成功导入 3 行") && summary.contains("1 行未导入"),
        "{summary}"
    );
    screenshot(&client, "31-import-done").await;

    // The browser saves the rejected rows as the server names them, byte for byte.
    click(&client, "import-rejections-csv").await;
    let (name, saved) = downloaded(&downloads).await;
    assert_eq!(name, "客户名单-错误行.csv");
    let imports = json_of(zhangwei.get("/imports").await).await;
    let id = imports["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let served = zhangwei
        .get(&format!("/imports/{id}/rejections?format=csv"))
        .await
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(saved, served.to_vec(), "the file as the API serves it");
    let rejected = String::from_utf8(saved).unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<&str> = rejected.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "the header and the bad row: {rejected}");
    assert!(lines[0].ends_with("错误原因"), "{rejected}");
    assert!(
        lines[1].starts_with("常州恒力精工有限公司,9132041234")
            && lines[1].contains("统一社会信用代码：格式不正确"),
        "{rejected}"
    );

    // The good rows are the rep's customers now; the bad one is not.
    click(&client, "import-done").await;
    let rows = wait_for_any(&client, "customer-row", |t| {
        t.contains("杭州西湖机电有限公司")
    })
    .await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        ["无锡华光电子有限公司", "上海浦江阀门有限公司"]
            .iter()
            .all(|name| rows.iter().any(|r| r.contains(name))),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.contains("常州恒力精工")), "{rows:?}");
    screenshot(&client, "32-customers-imported").await;

    // Exported with the list's filters, they come back out the same way.
    type_into(&client, "customers-search", "无锡").await;
    wait_for_text(&client, "customers-total", |t| t.contains("共 1 条")).await;
    click(&client, "export-csv").await;
    let (name, csv) = downloaded(&downloads).await;
    assert!(
        name.starts_with("客户-") && name.ends_with(".csv"),
        "{name}"
    );
    let csv = String::from_utf8(csv).unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "the header and the one match: {csv}");
    assert!(
        lines[0].starts_with("客户名称") && lines[1].starts_with("无锡华光电子有限公司"),
        "{csv}"
    );
    click(&client, "export-xlsx").await;
    let (name, xlsx) = downloaded(&downloads).await;
    assert!(
        name.ends_with(".xlsx") && xlsx.starts_with(b"PK"),
        "a workbook: {name}"
    );

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Drags `card` onto `target` with the HTML5 drag events Chromium does not synthesise from
/// WebDriver actions: one shared DataTransfer, as a real drag would carry.
async fn drag_and_drop(client: &Client, card: &str, target: &str) {
    let script = "const card = document.querySelector(arguments[0]); \
                  const target = document.querySelector(arguments[1]); \
                  const data = new DataTransfer(); \
                  const fire = (el, type) => el.dispatchEvent(new DragEvent(type, \
                      { bubbles: true, cancelable: true, dataTransfer: data })); \
                  fire(card, 'dragstart'); fire(target, 'dragenter'); fire(target, 'dragover'); \
                  fire(target, 'drop'); fire(card, 'dragend');";
    client
        .execute(script, vec![json!(card), json!(target)])
        .await
        .unwrap_or_else(|e| panic!("drag {card} to {target}: {e}"));
}

/// A rep drags an opportunity's card to 输单 on the board: the dialog asks why and who won,
/// the card lands in the lost column, and the API has the reason.
#[tokio::test]
async fn drag_a_card_to_lost_and_give_the_reason() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let customer = create_customer(&rep, "苏州精工机械有限公司").await;
    let response = rep
        .post(
            "/opportunities",
            &json!({
                "name": "精工 二期产线改造", "customer_id": customer,
                "expected_close_date": "2027-03-31", "amount": "1200000.00", "kind": "project",
                "competitors": [{"name": "德玛吉", "strengths": "品牌"}],
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create opportunity");
    let id = json_of(response).await["id"]
        .as_str()
        .unwrap_or_else(|| panic!("opportunity id"))
        .to_owned();
    let settings = json_of(rep.get("/settings").await).await;
    let reason = settings["lost_reasons"][0]["key"]
        .as_str()
        .unwrap_or_else(|| panic!("a default lost reason in {settings}"))
        .to_owned();
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "zhangwei@acme.cn").await;
    click(&client, "nav-opportunities").await;
    let card = format!("{}[data-id=\"{id}\"]", testid("opportunity-card"));
    let lost_column = format!("{}[data-stage-kind=\"lost\"]", testid("board-column"));
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&card))
        .await
        .unwrap_or_else(|e| panic!("the card on the board: {e}"));
    let open_column = find(&client, "board-column").await;
    assert_eq!(
        open_column
            .attr("data-stage-kind")
            .await
            .ok()
            .flatten()
            .as_deref(),
        Some("open"),
        "the first column is an open stage"
    );
    assert!(
        open_column
            .text()
            .await
            .unwrap_or_default()
            .contains("¥1,200,000.00"),
        "the column total, as money"
    );
    screenshot(&client, "40-board").await;

    // Cancelling the dialog leaves the card where it was.
    drag_and_drop(&client, &card, &lost_column).await;
    find(&client, "lost-dialog").await;
    click(&client, "lost-cancel").await;
    let still_open = json_of(rep.get(&format!("/opportunities/{id}")).await).await;
    assert_eq!(still_open["stage_kind"], "open", "{still_open}");

    drag_and_drop(&client, &card, &lost_column).await;
    find(&client, "lost-dialog").await;
    // Both are required: submitting without them names the fields.
    click(&client, "lost-submit").await;
    find(&client, "error-lost_reason").await;
    find(&client, "error-winning_competitor").await;
    select(&client, "lost-reason", &reason).await;
    type_into(&client, "lost-competitor", "德玛吉").await;
    type_into(&client, "lost-note", "对方报价低 12%").await;
    screenshot(&client, "41-lost-dialog").await;
    click(&client, "lost-submit").await;

    let in_lost = format!("{lost_column} {card}");
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&in_lost))
        .await
        .unwrap_or_else(|e| panic!("the card in the lost column: {e}"));
    screenshot(&client, "42-board-lost").await;

    let lost = json_of(rep.get(&format!("/opportunities/{id}")).await).await;
    assert_eq!(lost["stage_kind"], "lost", "{lost}");
    assert_eq!(lost["lost_reason"], reason.as_str(), "{lost}");
    assert_eq!(lost["winning_competitor"], "德玛吉", "{lost}");
    assert_eq!(lost["lost_note"], "对方报价低 12%", "{lost}");

    // The opportunity's page tells it too, and offers to reopen it.
    client
        .find(Locator::Css(&in_lost))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "detail-winning_competitor", |t| {
        t.contains("德玛吉")
    })
    .await;
    find(&client, "opportunity-reopen").await;
    wait_for_any(&client, "stage-change", |t| t.contains("输单")).await;
    screenshot(&client, "43-opportunity-lost").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// The admin puts a product in the catalogue and gives tier A a price for it; a rep's line
/// on an opportunity for a tier-A customer then takes that price, and says where it came from.
#[tokio::test]
async fn a_tier_price_list_prices_an_opportunity_line() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let customer = json_of(
        admin
            .post(
                "/customers",
                &json!({"name": "苏州精工机械有限公司", "tier": "A"}),
            )
            .await,
    )
    .await;
    let opportunity = json_of(
        admin
            .post(
                "/opportunities",
                &json!({"name": "二期产线改造", "customer_id": customer["id"], "expected_close_date": "2027-03-31"}),
            )
            .await,
    )
    .await;
    let id = opportunity["id"]
        .as_str()
        .unwrap_or_else(|| panic!("opportunity id in {opportunity}"))
        .to_owned();
    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;

    click(&client, "nav-products").await;
    click(&client, "product-new").await;
    type_into(&client, "product-code", "CNC-850").await;
    type_into(&client, "product-name", "立式加工中心").await;
    type_into(&client, "product-unit", "台").await;
    type_into(&client, "product-list_price", "268000").await;
    click(&client, "product-submit").await;
    wait_for_any(&client, "product-row", |t| t.contains("CNC-850")).await;
    screenshot(&client, "44-products").await;

    click(&client, "price-lists-link").await;
    click(&client, "price-list-new").await;
    type_into(&client, "price-list-name", "A 类客户价格").await;
    select(&client, "price-list-audience.tier", "A").await;
    type_into(&client, "item-product", "CNC").await;
    click(&client, "item-product-option").await;
    type_into(&client, "item-unit_price", "255000").await;
    screenshot(&client, "45-price-list").await;
    click(&client, "price-list-submit").await;
    wait_for_any(&client, "toast", |t| t.contains("价格表已保存")).await;
    let lists = json_of(admin.get("/price-lists").await).await;
    assert_eq!(lists["items"][0]["item_count"], 1, "{lists}");

    client
        .goto(&format!("{}/opportunities/{id}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(&client, "lines-edit").await;
    type_into(&client, "line-product", "CNC").await;
    click(&client, "line-product-option").await;
    type_into(&client, "line-quantity", "2").await;
    wait_for_text(&client, "line-price-source", |t| !t.trim().is_empty()).await;
    screenshot(&client, "46-lines").await;
    click(&client, "lines-save").await;
    wait_for_any(&client, "line-row", |t| t.contains("CNC-850")).await;

    let priced = json_of(admin.get(&format!("/opportunities/{id}")).await).await;
    assert_eq!(
        (
            priced["lines"][0]["unit_price"].as_str(),
            priced["lines"][0]["price_source"].as_str(),
            priced["amount"].as_str()
        ),
        (Some("255000.00"), Some("tier"), Some("510000.00")),
        "{priced}"
    );
    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// A rep builds a quote in the editor (a product from the catalogue, a free-text service line,
/// live totals from the server), submits it; the department manager and then the general
/// manager approve it from their inboxes; the rep previews the PDF.
#[tokio::test]
async fn a_quote_is_built_in_the_editor_and_approved_by_both_managers() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东销售部", acme.head_office).await;
    let gm = staff(
        &app,
        &acme,
        "zhao",
        "赵总",
        "sales_director",
        acme.head_office,
    )
    .await;
    let mgr = staff(&app, &acme, "qian", "钱经理", "sales_manager", east).await;
    let rep = staff(&app, &acme, "sun", "孙销售", "sales_rep", east).await;
    for (department, manager) in [(acme.head_office, gm.user_id), (east, mgr.user_id)] {
        let response = acme
            .admin
            .patch(
                &format!("/departments/{department}"),
                &json!({"manager_id": manager}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let product = acme
        .admin
        .post(
            "/products",
            &json!({"code": "CNC-850", "name": "立式加工中心", "unit": "台", "list_price": "268000.00"}),
        )
        .await;
    assert_eq!(product.status(), StatusCode::CREATED);
    let customer = create_customer(&rep, "苏州精工机械有限公司").await;
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "sun@acme.cn").await;
    client
        .goto(&format!(
            "{}/quotes/new?customer_id={customer}",
            app.address
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    type_into(&client, "line-product", "CNC").await;
    click(&client, "line-product-option").await;
    type_into(&client, "line-quantity", "2").await;
    wait_for_text(&client, "totals-total", |t| t.contains("536,000.00")).await;
    click(&client, "line-add").await;
    let rows = client
        .find_all(Locator::Css(&testid("line-row")))
        .await
        .unwrap_or_default();
    assert_eq!(rows.len(), 2, "a product line and a free line");
    let free = &rows[1];
    for (field, value) in [
        ("line-name", "安装调试费"),
        ("line-quantity", "1"),
        ("line-unit_price", "8000"),
    ] {
        let input = free
            .find(Locator::Css(&testid(field)))
            .await
            .unwrap_or_else(|e| panic!("{field}: {e}"));
        input.clear().await.unwrap_or_else(|e| panic!("{e}"));
        input
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    wait_for_text(&client, "totals-total", |t| t.contains("544,000.00")).await;
    type_into(
        &client,
        "quote-payment_terms",
        "预付30%，发货前付60%，验收后付10%",
    )
    .await;
    screenshot(&client, "50-quote-editor").await;
    click(&client, "quote-save").await;

    wait_for_text(&client, "quote-number", |t| t.starts_with("QT-")).await;
    click(&client, "quote-submit").await;
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!(
            "{}[data-status=\"pending_approval\"]",
            testid("quote-status")
        )))
        .await
        .unwrap_or_else(|e| panic!("pending approval: {e}"));
    find(&client, "approval-panel").await;
    screenshot(&client, "51-quote-pending").await;
    let quotes = json_of(rep.get("/quotes").await).await;
    let quote_id = quotes["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    log_out(&client).await;

    // Each manager finds it in the inbox, with the count in the header, and approves.
    for (email, comment) in [("qian@acme.cn", "同意，注意交期"), ("zhao@acme.cn", "同意")]
    {
        log_in(&client, &app, "acme", email).await;
        wait_for_text(&client, "approvals-badge-count", |t| t.trim() == "1").await;
        click(&client, "nav-approvals").await;
        click(&client, "approval-row").await;
        type_into(&client, "approval-comment", comment).await;
        screenshot(&client, &format!("52-approve-{}", &email[..4])).await;
        click(&client, "approval-approve").await;
        wait_for_any(&client, "approval-assignee", |t| t.contains(comment)).await;
        log_out(&client).await;
    }
    let approved = json_of(rep.get(&format!("/quotes/{quote_id}")).await).await;
    assert_eq!(approved["status"], "approved", "{approved}");

    // The rep previews the printed quote.
    log_in(&client, &app, "acme", "sun@acme.cn").await;
    client
        .goto(&format!("{}/quotes/{quote_id}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!(
            "{}[data-status=\"approved\"]",
            testid("quote-status")
        )))
        .await
        .unwrap_or_else(|e| panic!("approved: {e}"));
    click(&client, "pdf-preview").await;
    find(&client, "pdf-frame").await;
    screenshot(&client, "53-quote-pdf").await;
}

/// Waits until the `id` element carries `data-status="status"`.
async fn wait_for_status(client: &Client, id: &str, status: &str) {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!(
            "{}[data-status=\"{status}\"]",
            testid(id)
        )))
        .await
        .unwrap_or_else(|e| panic!("{id} {status}: {e}"));
}

/// The text of the `cell` element inside the first `row` element.
async fn text_in(client: &Client, row: &str, cell: &str) -> String {
    let selector = format!("{} {}", testid(row), testid(cell));
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&selector))
        .await
        .unwrap_or_else(|e| panic!("{row} {cell}: {e}"))
        .text()
        .await
        .unwrap_or_default()
}

/// Brings the `id` element to the top of the window, for a screenshot of it.
async fn scroll_to(client: &Client, id: &str) {
    find(client, id).await;
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });",
            vec![json!(testid(id))],
        )
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

async fn goto(client: &Client, app: &TestApp, path: &str) {
    client
        .goto(&format!("{}{path}", app.address))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
}

/// A rep takes an accepted quote to an order, submits it (under 1,000,000: confirmed at
/// once), sets a 30/70 plan in the plan dialog (a plan that does not add up is refused on the
/// dialog), ships ten machines as four and six; finance records the advance, which closes the
/// first instalment only, and finds the rest in the aging table; the rep has both shipments
/// signed for and the order completes.
#[tokio::test]
async fn an_accepted_quote_becomes_an_order_that_ships_in_two_parts_and_is_paid() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "sun", "孙销售", "sales_rep", east).await;
    staff(&app, &acme, "li", "李会计", "finance", acme.head_office).await;
    let product = json_of(
        acme.admin
            .post(
                "/products",
                &json!({"code": "SRV-750", "name": "伺服电机", "spec": "750W", "unit": "台", "list_price": "12800.00"}),
            )
            .await,
    )
    .await;
    let customer = create_customer(&rep, "苏州精工机械有限公司").await;
    let quote_id = accepted_quote(&rep, customer, &product["id"]).await;
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "sun@acme.cn").await;
    goto(&client, &app, &format!("/quotes/{quote_id}")).await;
    wait_for_status(&client, "quote-status", "accepted").await;
    click(&client, "quote-create-order").await;
    let number = wait_for_text(&client, "order-number", |t| t.starts_with("SO-")).await;
    wait_for_status(&client, "order-status", "draft").await;
    assert!(
        text_in(&client, "order-figures", "order-total")
            .await
            .contains("128,000.00")
    );
    assert_eq!(text_in(&client, "order-line-0", "line-open").await, "10");
    screenshot(&client, "60-order-draft").await;

    click(&client, "order-submit").await;
    wait_for_status(&client, "order-status", "confirmed").await;
    wait_for_status(&client, "instalment-status-0", "not_due").await;

    // The plan: 30% at once, 70% thirty days after acceptance. 30 + 60 does not add up.
    click(&client, "plan-edit").await;
    find(&client, "plan-dialog").await;
    type_into(&client, "plan-name-0", "预付款").await;
    type_into(&client, "plan-value-0", "30").await;
    select(&client, "plan-event-0", "order_confirmed").await;
    type_into(&client, "plan-days-0", "0").await;
    click(&client, "plan-add").await;
    let rest = find(&client, "plan-value-1")
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rest.as_deref(), Some("70"), "a new row takes what is left");
    type_into(&client, "plan-name-1", "验收款").await;
    type_into(&client, "plan-value-1", "60").await;
    select(&client, "plan-event-1", "accepted").await;
    type_into(&client, "plan-days-1", "30").await;
    click(&client, "plan-save").await;
    wait_for_text(&client, "error-instalments", |t| !t.is_empty()).await;
    screenshot(&client, "61-plan-does-not-add-up").await;
    type_into(&client, "plan-value-1", "70").await;
    wait_for_text(&client, "plan-sum", |t| t.contains("128,000.00 /")).await;
    click(&client, "plan-save").await;
    wait_for_status(&client, "instalment-status-1", "scheduled").await;
    assert!(
        text_in(&client, "instalment-0", "instalment-amount")
            .await
            .contains("38,400.00")
    );
    assert!(
        text_in(&client, "instalment-1", "instalment-amount")
            .await
            .contains("89,600.00")
    );

    // Two shipments: four machines, then the six left.
    click(&client, "order-ship").await;
    let open = find(&client, "ship-qty-0")
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        open.as_deref(),
        Some("10"),
        "prefilled with the open quantity"
    );
    type_into(&client, "ship-qty-0", "4").await;
    type_into(&client, "ship-carrier", "顺丰速运").await;
    type_into(&client, "ship-tracking_number", "SF1001").await;
    screenshot(&client, "62-ship-dialog").await;
    click(&client, "ship-save").await;
    wait_for_status(&client, "order-status", "partially_shipped").await;
    assert_eq!(text_in(&client, "order-line-0", "line-shipped").await, "4");
    assert_eq!(text_in(&client, "order-line-0", "line-open").await, "6");
    click(&client, "order-ship").await;
    let open = find(&client, "ship-qty-0")
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(open.as_deref(), Some("6"));
    type_into(&client, "ship-tracking_number", "SF1002").await;
    click(&client, "ship-save").await;
    wait_for_status(&client, "order-status", "shipped").await;
    assert_eq!(texts_of(&client, "shipment-row").await.len(), 2);
    // A sales rep records no payments.
    assert!(
        client
            .find(Locator::Css(&testid("order-pay")))
            .await
            .is_err(),
        "登记收款 is finance's"
    );
    let order_path = client
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .path()
        .to_owned();
    log_out(&client).await;

    // Finance records the advance: the first instalment is paid, the second still open.
    log_in(&client, &app, "acme", "li@acme.cn").await;
    goto(&client, &app, &order_path).await;
    click(&client, "order-pay").await;
    let amount = find(&client, "pay-amount")
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        amount.as_deref(),
        Some("38400"),
        "the first instalment's rest"
    );
    select(&client, "pay-method", "bank_transfer").await;
    type_into(&client, "pay-reference", "招商银行回单 001").await;
    click(&client, "pay-save").await;
    wait_for_status(&client, "instalment-status-0", "paid").await;
    wait_for_status(&client, "instalment-status-1", "scheduled").await;
    assert!(
        text_in(&client, "order-figures", "order-received")
            .await
            .contains("38,400.00")
    );
    assert!(
        text_in(&client, "instalment-1", "instalment-outstanding")
            .await
            .contains("89,600.00")
    );
    scroll_to(&client, "order-shipments").await;
    screenshot(&client, "63-order-paid-in-part").await;

    // The rest is not due yet in the aging table; the amount drills down to the instalment.
    click(&client, "nav-receivables").await;
    wait_for_any(&client, "aging-row", |t| {
        t.contains("苏州精工机械有限公司") && t.contains("89,600.00")
    })
    .await;
    click_in_row(&client, "aging-row", "苏州精工机械", "aging-amount").await;
    let rows = wait_for_any(&client, "receivable-row", |t| t.contains(&number)).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    screenshot(&client, "64-receivables").await;
    log_out(&client).await;

    // The customer signs for both shipments: the order completes and the rest falls due.
    log_in(&client, &app, "acme", "sun@acme.cn").await;
    goto(&client, &app, &order_path).await;
    for index in 0..2 {
        click(&client, &format!("shipment-deliver-{index}")).await;
        type_into(&client, "deliver-received_by", "王工").await;
        click(&client, "deliver-save").await;
        client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!(
                "{}:nth-child({}) {}[data-status=\"delivered\"]",
                testid("shipment-row"),
                index + 1,
                testid("shipment-status")
            )))
            .await
            .unwrap_or_else(|e| panic!("shipment {index} signed for: {e}"));
    }
    wait_for_status(&client, "order-status", "completed").await;
    wait_for_status(&client, "instalment-status-0", "paid").await;
    wait_for_status(&client, "instalment-status-1", "not_due").await;
    wait_for_any(&client, "timeline-entry", |t| t.contains("签收")).await;
    scroll_to(&client, "order-plan").await;
    screenshot(&client, "65-order-completed").await;

    // The list shows it completed, paid in part.
    click(&client, "nav-sales-orders").await;
    let rows = wait_for_any(&client, "sales-order-row", |t| t.contains(&number)).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    wait_for_status(&client, "sales-order-row-status", "completed").await;
    assert!(
        text_in(&client, "sales-order-row", "sales-order-row-received")
            .await
            .contains("38,400.00")
    );
    screenshot(&client, "66-orders-list").await;
    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// A rep makes a contract from an accepted quote with 生成合同 and submits it; the department
/// manager, finance and legal approve it in turn; the rep finds it in force, attaches the
/// signed PDF and places an order against it, which copies the contract's lines. Overnight the
/// reminders run: the rep's late delivery rings the bell and leads to 交期超期.
#[tokio::test]
async fn a_contract_from_a_quote_is_approved_carries_its_signed_copy_and_takes_an_order() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东销售部", acme.head_office).await;
    let manager = staff(&app, &acme, "qian", "钱经理", "sales_manager", east).await;
    let response = acme
        .admin
        .patch(
            &format!("/departments/{east}"),
            &json!({"manager_id": manager.user_id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "manager of 华东销售部");
    let rep = staff(&app, &acme, "sun", "孙销售", "sales_rep", east).await;
    let finance = staff(&app, &acme, "li", "李会计", "finance", acme.head_office).await;
    let legal = staff(&app, &acme, "zhou", "周法务", "legal", acme.head_office).await;
    let product = json_of(
        acme.admin
            .post(
                "/products",
                &json!({"code": "SRV-750", "name": "伺服电机", "spec": "750W", "unit": "台", "list_price": "12800.00"}),
            )
            .await,
    )
    .await;
    let customer = create_customer(&rep, "苏州精工机械有限公司").await;
    let quote_id = accepted_quote(&rep, customer, &product["id"]).await;
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "sun@acme.cn").await;
    goto(&client, &app, &format!("/quotes/{quote_id}")).await;
    wait_for_status(&client, "quote-status", "accepted").await;
    click(&client, "quote-create-contract").await;
    let number = wait_for_text(&client, "contract-number", |t| t.starts_with("HT-")).await;
    wait_for_status(&client, "contract-status", "draft").await;
    assert!(
        text_in(&client, "contract-figures", "contract-total")
            .await
            .contains("128,000.00")
    );
    assert_eq!(
        text_in(&client, "contract-line-0", "contract-line-name").await,
        "伺服电机"
    );
    assert_eq!(
        text_in(&client, "contract-details", "detail-payment_terms").await,
        "预付30%，验收后付70%"
    );
    screenshot(&client, "70-contract-draft").await;
    let contract_path = client
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .path()
        .to_owned();
    let contract_id = contract_path.trim_start_matches("/contracts/").to_owned();

    // The draft edited through the form: a new title and 12 motors instead of 10. Someone
    // adds a clause meanwhile, so the first save is refused as stale and the form reloaded.
    click(&client, "contract-edit").await;
    wait_for_text(&client, "contract-form-title", |t| t.contains(&number)).await;
    let response = rep
        .patch(
            &format!("/contracts/{contract_id}"),
            &json!({"terms": "质保一年"}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a clause added meanwhile"
    );
    type_into(&client, "contract-title", "伺服电机采购合同（二期）").await;
    type_into(&client, "line-quantity", "12").await;
    click(&client, "contract-save").await;
    find(&client, "stale-warning").await;
    click(&client, "reload-latest").await;
    wait_for_value(&client, "contract-terms", "质保一年").await;
    type_into(&client, "contract-title", "伺服电机采购合同（二期）").await;
    type_into(&client, "line-quantity", "12").await;
    screenshot(&client, "70b-contract-edit").await;
    click(&client, "contract-save").await;
    wait_for_text(&client, "contract-name", |t| {
        t == "伺服电机采购合同（二期）"
    })
    .await;
    wait_for_status(&client, "contract-status", "draft").await;
    assert_eq!(
        text_in(&client, "contract-line-0", "contract-line-quantity").await,
        "12 台"
    );
    assert!(
        text_in(&client, "contract-figures", "contract-total")
            .await
            .contains("153,600.00")
    );
    assert_eq!(
        text_in(&client, "contract-details", "detail-terms").await,
        "质保一年"
    );

    click(&client, "contract-submit").await;
    wait_for_status(&client, "contract-status", "pending_approval").await;
    wait_for_status(&client, "approval-status", "pending").await;

    // 部门经理 → 财务 → 法务, each in turn.
    let contract = json_of(rep.get(&format!("/contracts/{contract_id}")).await).await;
    let approval = contract["approval_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for (approver, who) in [
        (&manager, "manager"),
        (&finance, "finance"),
        (&legal, "legal"),
    ] {
        let response = approver
            .post(
                &format!("/approvals/{approval}/approve"),
                &json!({"comment": "同意"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{who} approves");
    }

    client.refresh().await.unwrap_or_else(|e| panic!("{e}"));
    wait_for_status(&client, "contract-status", "active").await;
    wait_for_text(&client, "contract-status", |t| t == "生效").await;
    wait_for_status(&client, "approval-status", "approved").await;

    // The signed copy: a small PDF, found by its bytes.
    find(&client, "attachments-empty").await;
    let dir = std::env::temp_dir().join(format!("crm-attachment-{}", Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let pdf = dir.join("合同扫描件.pdf");
    std::fs::write(
        &pdf,
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    find(&client, "attachment-upload")
        .await
        .send_keys(&pdf.to_string_lossy())
        .await
        .unwrap_or_else(|e| panic!("attachment-upload: {e}"));
    let name = text_in(&client, "attachment-row-0", "attachment-name").await;
    assert_eq!(name, "合同扫描件.pdf");
    assert_eq!(
        text_in(&client, "attachment-row-0", "attachment-uploader").await,
        "孙销售"
    );
    assert!(
        text_in(&client, "attachment-row-0", "attachment-sha256")
            .await
            .starts_with("SHA-256 ")
    );
    scroll_to(&client, "attachments").await;
    screenshot(&client, "71-contract-active-with-attachment").await;

    // 下单: a draft order with the contract's lines.
    click(&client, "contract-create-order").await;
    wait_for_text(&client, "order-number", |t| t.starts_with("SO-")).await;
    wait_for_status(&client, "order-status", "draft").await;
    assert_eq!(text_in(&client, "order-line-0", "line-open").await, "12");
    assert!(
        text_in(&client, "order-figures", "order-total")
            .await
            .contains("153,600.00")
    );
    find(&client, "attachments").await;
    screenshot(&client, "72-order-from-contract").await;

    // The contracts list shows it in force.
    click(&client, "nav-contracts").await;
    let rows = wait_for_any(&client, "contract-row", |t| t.contains(&number)).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    wait_for_status(&client, "contract-row-status", "active").await;

    // A delivery promised for yesterday: the night's reminders ring the rep's bell.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let response = rep
        .post(
            "/sales-orders",
            &json!({"customer_id": customer, "promised_date": yesterday,
                    "lines": [{"product_id": product["id"], "quantity": "1"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "late order");
    let late = json_of(response).await;
    let late_id = late["id"].as_str().unwrap_or_default().to_owned();
    let response = rep
        .post(&format!("/sales-orders/{late_id}/submit"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "submit the late order");
    crm_persistence::reminders::run(&app.db, today)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    click(&client, "nav-sales-orders").await;
    wait_for_text(&client, "notifications-bell-count", |t| t == "1").await;
    click(&client, "notifications-bell").await;
    let texts = wait_for_any(&client, "notification-text", |t| {
        t.contains("您有 1 个订单交期超期，最长 1 天")
    })
    .await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    screenshot(&client, "73-notifications").await;
    click(&client, "notification-row").await;
    find(&client, "overdue-table").await;
    wait_for_any(&client, "overdue-row", |t| !t.is_empty()).await;
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&format!(
            "{}[data-count=\"0\"]",
            testid("notifications-bell")
        )))
        .await
        .unwrap_or_else(|e| panic!("the bell clears once read: {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// A rep enters an order directly (a catalogue line with a price and a promised date, and a
/// free 安装调试费 line), submits it and moves the first line's date (改交期). Finance records
/// ¥70,000 and applies ¥50,000 of it by hand: the instalment still owes ¥14,000 and the other
/// ¥20,000 shows as the customer's credit, on the customer page and in the payments list;
/// finance then sets the customer's credit limit there, and later applies ¥14,000 of the
/// credit to the instalment from the payments list (核销): it is paid, ¥6,000 credit is left.
#[tokio::test]
async fn an_order_entered_by_hand_is_paid_with_a_manual_allocation_that_leaves_credit() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "sun", "孙销售", "sales_rep", east).await;
    staff(&app, &acme, "li", "李会计", "finance", acme.head_office).await;
    let response = acme
        .admin
        .post(
            "/products",
            &json!({"code": "SRV-750", "name": "伺服电机", "spec": "750W", "unit": "台", "list_price": "12800.00"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    create_customer(&rep, "苏州精工机械有限公司").await;
    let driver = Driver::start();
    let client = browser(&driver).await;

    // 新建订单: customer, PO, address, a product line and a free line.
    log_in(&client, &app, "acme", "sun@acme.cn").await;
    click(&client, "nav-sales-orders").await;
    click(&client, "order-new").await;
    find(&client, "order-form").await;
    type_into(&client, "order-customer_id", "苏州精工").await;
    click(&client, "order-customer_id-option").await;
    wait_for_text(&client, "order-customer", |t| t.contains("苏州精工机械")).await;
    type_into(&client, "order-customer_po", "PO-88231").await;
    type_into(
        &client,
        "order-shipping_address",
        "江苏省苏州市工业园区星湖街 328 号",
    )
    .await;
    type_into(&client, "order-line-product", "SRV").await;
    click(&client, "order-line-product-option").await;
    type_into(&client, "ol-quantity-0", "5").await;
    type_into(&client, "ol-unit_price-0", "12000").await;
    set_input(&client, "ol-promised_date-0", "2030-03-31").await;
    click(&client, "order-line-add").await;
    type_into(&client, "ol-name-1", "安装调试费").await;
    type_into(&client, "ol-quantity-1", "1").await;
    type_into(&client, "ol-unit_price-1", "4000").await;
    set_input(&client, "ol-promised_date-1", "2030-04-30").await;
    screenshot(&client, "80-order-form").await;
    click(&client, "order-save").await;
    wait_for_text(&client, "order-number", |t| t.starts_with("SO-")).await;
    wait_for_status(&client, "order-status", "draft").await;
    assert!(
        text_in(&client, "order-figures", "order-total")
            .await
            .contains("64,000.00")
    );
    assert_eq!(
        wait_for_text(&client, "detail-customer_po", |t| !t.is_empty()).await,
        "PO-88231"
    );
    assert!(
        text_in(&client, "order-line-0", "line-promised")
            .await
            .contains("2030-03-31")
    );

    // Submitted (under the approval threshold: confirmed at once), then 改交期 on line 1.
    click(&client, "order-submit").await;
    wait_for_status(&client, "order-status", "confirmed").await;
    click(&client, "order-edit").await;
    find(&client, "order-locked-hint").await;
    set_input(&client, "ol-promised_date-0", "2030-05-15").await;
    click(&client, "order-save").await;
    wait_for_text(&client, "order-number", |t| t.starts_with("SO-")).await;
    wait_for_text(&client, "order-line-0", |t| t.contains("2030-05-15")).await;
    wait_for_status(&client, "instalment-status-0", "not_due").await;
    let order_path = client
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .path()
        .to_owned();
    log_out(&client).await;

    // Finance: ¥70,000 received, ¥50,000 applied by hand to the one instalment.
    log_in(&client, &app, "acme", "li@acme.cn").await;
    goto(&client, &app, &order_path).await;
    click(&client, "order-pay").await;
    type_into(&client, "pay-amount", "70000").await;
    click(&client, "pay-mode-manual").await;
    let rows = wait_for_any(&client, "alloc-row", |t| t.contains("64,000.00")).await;
    assert_eq!(
        rows.len(),
        1,
        "the customer's one open instalment: {rows:?}"
    );
    type_into(&client, "alloc-amount-0", "50000").await;
    wait_for_text(&client, "pay-unallocated", |t| {
        t.contains("50,000.00") && t.contains("20,000.00")
    })
    .await;
    type_into(&client, "pay-reference", "招商银行回单 002").await;
    screenshot(&client, "81-manual-allocation").await;
    click(&client, "pay-save").await;
    wait_for_text(&client, "instalment-0", |t| t.contains("14,000.00")).await;
    assert!(
        text_in(&client, "instalment-0", "instalment-outstanding")
            .await
            .contains("14,000.00")
    );
    assert!(
        text_in(&client, "order-figures", "order-received")
            .await
            .contains("50,000.00")
    );

    // The customer page shows the ¥20,000 credit; finance sets a credit limit there.
    click(&client, "order-customer-link").await;
    wait_for_text(&client, "credit-unapplied", |t| t.contains("20,000.00")).await;
    assert!(
        text_in(&client, "credit-panel", "credit-open")
            .await
            .contains("14,000.00")
    );
    assert!(
        text_in(&client, "credit-panel", "credit-limit")
            .await
            .contains("未设置")
    );
    click(&client, "credit-edit").await;
    type_into(&client, "credit-credit_limit", "500000").await;
    click(&client, "credit-save").await;
    wait_for_text(&client, "credit-limit", |t| t.contains("500,000.00")).await;
    find(&client, "credit-available").await;
    screenshot(&client, "82-customer-credit").await;

    // The payments list: applied to the order, the rest unapplied.
    click(&client, "customer-payments-link").await;
    let rows = wait_for_any(&client, "payment-row", |t| t.contains("RC-")).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        text_in(&client, "payment-row", "payment-allocated")
            .await
            .contains("50,000.00")
    );
    assert!(
        text_in(&client, "payment-row", "payment-unapplied")
            .await
            .contains("20,000.00")
    );
    assert!(
        wait_for_text(&client, "payments-credit", |t| t.contains("20,000.00"))
            .await
            .contains("20,000.00")
    );
    screenshot(&client, "83-payments").await;

    // 核销: ¥14,000 of the credit to the instalment; the row and the credit follow.
    click(&client, "payment-apply").await;
    find(&client, "apply-dialog").await;
    assert!(
        wait_for_text(&client, "apply-available", |t| t.contains("20,000.00"))
            .await
            .contains("RC-")
    );
    let rows = wait_for_any(&client, "alloc-row", |t| t.contains("14,000.00")).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    click(&client, "alloc-fill-0").await;
    wait_for_text(&client, "apply-unallocated", |t| {
        t.contains("14,000.00") && t.contains("6,000.00")
    })
    .await;
    screenshot(&client, "84-apply-credit").await;
    click(&client, "apply-save").await;
    wait_for_text(&client, "payment-unapplied", |t| t.contains("6,000.00")).await;
    assert!(
        text_in(&client, "payment-row", "payment-allocated")
            .await
            .contains("64,000.00")
    );
    wait_for_text(&client, "payments-credit", |t| t.contains("6,000.00")).await;
    let applied = texts_of(&client, "payment-order-link").await;
    assert_eq!(
        applied.len(),
        2,
        "two allocations to the one instalment: {applied:?}"
    );

    // The order: the instalment is paid in full; the customer keeps ¥6,000 of credit.
    goto(&client, &app, &order_path).await;
    wait_for_status(&client, "instalment-status-0", "paid").await;
    assert!(
        text_in(&client, "instalment-0", "instalment-outstanding")
            .await
            .contains("0.00")
    );
    assert!(
        text_in(&client, "order-figures", "order-received")
            .await
            .contains("64,000.00")
    );
    click(&client, "order-customer-link").await;
    wait_for_text(&client, "credit-unapplied", |t| t.contains("6,000.00")).await;
    assert!(
        !text_in(&client, "credit-panel", "credit-unapplied")
            .await
            .contains("20,000.00")
    );
    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// An admin makes an API key for an ERP connector in 设置 → API 密钥: without a permission it
/// is refused under the field; with two it is made, and the whole key is shown once. The list
/// shows its prefix, active. The key reads leads from a server-to-server request until the
/// admin revokes it in the list; then the same request gets 401 and the row says 已吊销.
#[tokio::test]
async fn an_admin_creates_an_api_key_that_works_until_revoked() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    acme.admin.create_lead("无锡恒通机械有限公司").await;
    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    // The roles page shares the permission checkboxes and the list body.
    goto(&client, &app, "/settings/roles").await;
    find(&client, "role-row").await;
    click(&client, "role-new").await;
    find(&client, "role-permission-lead.read").await;
    goto(&client, &app, "/settings").await;
    click(&client, "tab-api-keys").await;
    find(&client, "empty-state").await;

    click(&client, "api-key-new").await;
    find(&client, "api-key-dialog").await;
    type_into(&client, "api-key-name", "金蝶云星空 同步").await;
    select(&client, "api-key-data_scope", "all").await;
    click(&client, "api-key-submit").await;
    wait_for_text(&client, "error-permissions", |t| !t.is_empty()).await;
    click(&client, "api-key-permission-lead.read").await;
    click(&client, "api-key-permission-lead.write").await;
    screenshot(&client, "85-api-key-new").await;
    click(&client, "api-key-submit").await;

    let key = wait_for_text(&client, "api-key-secret", |t| !t.is_empty()).await;
    assert!(key.starts_with("crm_"), "the whole key: {key}");
    let warning = find(&client, "api-key-once")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(warning.contains("关闭后将无法再次查看"), "{warning}");
    screenshot(&client, "86-api-key-created").await;
    click(&client, "api-key-done").await;
    assert!(
        client
            .find(Locator::Css(&testid("api-key-secret")))
            .await
            .is_err(),
        "the key is not shown again"
    );
    let prefix = text_in(&client, "api-key-row", "api-key-prefix").await;
    let prefix = prefix.trim_end_matches('…');
    assert!(
        prefix.starts_with("crm_") && key.starts_with(prefix) && prefix.len() < key.len(),
        "prefix {prefix:?} of {key:?}"
    );
    wait_for_status(&client, "api-key-status", "active").await;
    assert!(
        text_in(&client, "api-key-row", "api-key-status")
            .await
            .contains("有效")
    );

    let leads_with_key = || async {
        app.client
            .get(format!("{}/api/v1/leads", app.address))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .status()
    };
    assert_eq!(leads_with_key().await, StatusCode::OK);

    click_in_row(&client, "api-key-row", "金蝶云星空 同步", "api-key-revoke").await;
    find(&client, "confirm-dialog").await;
    click(&client, "confirm-ok").await;
    wait_for_status(&client, "api-key-status", "revoked").await;
    assert!(
        text_in(&client, "api-key-row", "api-key-status")
            .await
            .contains("已吊销")
    );
    screenshot(&client, "87-api-key-revoked").await;
    assert_eq!(leads_with_key().await, StatusCode::UNAUTHORIZED);

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// An admin subscribes an ERP receiver on the internal network: the URL is refused until the
/// host is on the allow-list in 业务规则; the new endpoint's secret is shown with a copy button
/// and again on its page; switching it off and on shows in its badge; a replay of the day queues
/// the customer created before, which shows in the delivery log as 待发送 with no attempts
/// yet (no dispatcher runs here); deleting the endpoint empties the list.
#[tokio::test]
async fn an_admin_subscribes_a_webhook_on_the_allow_list_and_replays_the_day() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    create_customer(&acme.admin, "常州恒力精密机械有限公司").await;
    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    goto(&client, &app, "/settings").await;
    click(&client, "tab-webhooks").await;
    find(&client, "empty-state").await;

    let url = "http://127.0.0.1:9/hooks/crm";
    click(&client, "webhook-new").await;
    find(&client, "webhook-dialog").await;
    type_into(&client, "webhook-url", url).await;
    type_into(&client, "webhook-description", "金蝶云星空 客户同步").await;
    click(&client, "webhook-submit").await;
    wait_for_text(&client, "error-events", |t| !t.is_empty()).await;
    click(&client, "webhook-event-customer.created").await;
    click(&client, "webhook-submit").await;
    let refused = wait_for_text(&client, "error-url", |t| !t.is_empty()).await;
    assert!(
        refused.contains("业务规则"),
        "explains the allow-list: {refused}"
    );
    screenshot(&client, "88-webhook-internal-address").await;

    goto(&client, &app, "/settings/rules").await;
    type_into(
        &client,
        "settings-webhook_allowed_hosts",
        "127.0.0.1\n\n10.8.0.0/16",
    )
    .await;
    click(&client, "rules-submit").await;
    wait_for_any(&client, "toast", |t| t.contains("业务规则已保存")).await;
    let settings = json_of(acme.admin.get("/settings").await).await;
    assert_eq!(
        settings["webhook_allowed_hosts"],
        json!(["127.0.0.1", "10.8.0.0/16"])
    );

    goto(&client, &app, "/settings/webhooks").await;
    click(&client, "webhook-new").await;
    type_into(&client, "webhook-url", url).await;
    type_into(&client, "webhook-description", "金蝶云星空 客户同步").await;
    click(&client, "webhook-event-customer.created").await;
    click(&client, "webhook-event-customer.updated").await;
    click(&client, "webhook-submit").await;
    let secret = wait_for_text(&client, "webhook-created-secret", |t| !t.is_empty()).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    find(&client, "webhook-created-copy").await;
    screenshot(&client, "89-webhook-created").await;
    click(&client, "webhook-done").await;
    assert!(
        text_in(&client, "webhook-row", "webhook-events")
            .await
            .contains("2 个事件")
    );
    wait_for_status(&client, "webhook-status", "enabled").await;

    click(&client, "webhook-url").await;
    wait_for_text(&client, "webhook-detail-url", |t| t == url).await;
    click(&client, "webhook-secret-reveal").await;
    assert_eq!(
        wait_for_text(&client, "webhook-secret", |t| !t.is_empty()).await,
        secret
    );

    click(&client, "webhook-toggle").await;
    wait_for_status(&client, "webhook-status", "disabled").await;
    wait_for_text(&client, "webhook-disabled-reason", |t| {
        t.contains("手动停用")
    })
    .await;
    click(&client, "webhook-toggle").await;
    wait_for_status(&client, "webhook-status", "enabled").await;

    click(&client, "webhook-replay").await;
    find(&client, "replay-dialog").await;
    let today = chrono::Utc::now().date_naive();
    let day = chrono::Days::new(1);
    let from = today.checked_sub_days(day).unwrap_or(today);
    let to = today.checked_add_days(day).unwrap_or(today);
    set_input(&client, "replay-from", &format!("{from}T00:00")).await;
    set_input(&client, "replay-to", &format!("{to}T00:00")).await;
    click(&client, "replay-submit").await;
    wait_for_any(&client, "toast", |t| t.contains("已加入发送队列")).await;
    click_in_row(
        &client,
        "delivery-row",
        "customer.created",
        "delivery-expand",
    )
    .await;
    wait_for_status(&client, "delivery-status", "pending").await;
    find(&client, "attempts-empty").await;
    scroll_to(&client, "webhook-deliveries").await;
    screenshot(&client, "90-webhook-deliveries").await;

    click(&client, "webhook-delete").await;
    find(&client, "confirm-dialog").await;
    click(&client, "confirm-ok").await;
    wait_for_any(&client, "toast", |t| t.contains("推送地址已删除")).await;
    find(&client, "empty-state").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// Writes a record by its external id, as an ERP does; answers the status and the body.
async fn put_by_external_id(session: &Session, path: &str, body: Value) -> (StatusCode, Value) {
    let response = session
        .request(Method::PUT, path)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = response.status();
    (status, json_of(response).await)
}

/// `at` (an API time) as the page shows it: `2026-11-23 16:05` in the browser's time zone.
async fn browser_local_time(client: &Client, at: &Value) -> String {
    let script = "const d = new Date(arguments[0]); const p = (n) => String(n).padStart(2, '0'); \
                  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} \
                  ${p(d.getHours())}:${p(d.getMinutes())}`;";
    client
        .execute(script, vec![at.clone()])
        .await
        .unwrap_or_else(|e| panic!("local time of {at}: {e}"))
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The texts of every `cell` element inside a `row` element, row by row.
async fn column(client: &Client, row: &str, cell: &str) -> Vec<String> {
    let selector = format!("{} {}", testid(row), testid(cell));
    let mut texts = Vec::new();
    for element in client
        .find_all(Locator::Css(&selector))
        .await
        .unwrap_or_default()
    {
        texts.push(element.text().await.unwrap_or_default());
    }
    texts
}

/// The ERP (here the admin's own session) writes a customer, one of its contacts and a product
/// by their kingdee ids, and sends a customer the CRM refuses for its credit code. The
/// customer's page shows its ERP 同步 panel (kingdee, CUST-0001, 同步成功, the time in local
/// time) and the contact's ERP id with its result. 设置 → 数据同步 lists only the refused
/// customer, with the field error and no CRM record; a kind without failures shows the empty
/// state; 全部结果 lists all four newest first, and the product's row opens its sync status.
#[tokio::test]
async fn an_admin_sees_a_customers_erp_sync_and_the_refused_one_in_data_sync() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let erp = &acme.admin;
    let (status, customer) = put_by_external_id(
        erp,
        "/customers/by-external-id/kingdee/CUST-0001",
        json!({"name": "苏州精密机械有限公司", "industry": "机械制造", "city": "苏州"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let customer_id = customer["id"].as_str().unwrap_or_default().to_owned();
    let (status, contact) = put_by_external_id(
        erp,
        "/contacts/by-external-id/kingdee/CON-0007",
        json!({"customer_id": customer_id, "name": "周建国", "title": "采购经理"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    let (status, product) = put_by_external_id(
        erp,
        "/products/by-external-id/kingdee/ITEM-0750",
        json!({"code": "SRV-750", "name": "伺服电机", "unit": "台", "list_price": "12800.00"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{product}");
    let (status, refused) = put_by_external_id(
        erp,
        "/customers/by-external-id/kingdee/CUST-0042",
        json!({"name": "无锡重工", "credit_code": "123"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let states = json_of(erp.get("/sync-states").await).await;
    let synced_at = |external_id: &str| {
        states["items"]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["external_id"] == external_id))
            .map(|s| s["synced_at"].clone())
            .unwrap_or_else(|| panic!("{external_id} in {states}"))
    };

    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;

    goto(&client, &app, &format!("/customers/{customer_id}")).await;
    wait_for_text(&client, "customer-title", |t| {
        t.contains("苏州精密机械有限公司")
    })
    .await;
    find(&client, "sync-panel").await;
    assert_eq!(texts_of(&client, "sync-entry").await.len(), 1);
    assert_eq!(
        text_in(&client, "sync-panel", "sync-source").await,
        "kingdee"
    );
    assert_eq!(
        text_in(&client, "sync-panel", "sync-external-id").await,
        "CUST-0001"
    );
    wait_for_status(&client, "sync-result", "succeeded").await;
    assert_eq!(
        text_in(&client, "sync-panel", "sync-result").await,
        "同步成功"
    );
    assert_eq!(
        text_in(&client, "sync-panel", "sync-time").await,
        browser_local_time(&client, &synced_at("CUST-0001")).await
    );
    assert!(
        texts_of(&client, "sync-problem").await.is_empty(),
        "a success shows no problem"
    );
    let contact_sync = wait_for_text(&client, "contact-sync", |t| t.contains("同步成功")).await;
    assert_eq!(
        text_in(&client, "contact-row", "contact-external").await,
        "kingdee · CON-0007"
    );
    assert!(
        contact_sync.contains(&browser_local_time(&client, &synced_at("CON-0007")).await),
        "{contact_sync}"
    );
    scroll_to(&client, "sync-panel").await;
    screenshot(&client, "91-customer-erp-sync").await;

    goto(&client, &app, "/settings").await;
    click(&client, "tab-data-sync").await;
    find(&client, "sync-row").await;
    assert_eq!(
        column(&client, "sync-row", "sync-external-id").await,
        ["CUST-0042"]
    );
    assert_eq!(column(&client, "sync-row", "sync-kind").await, ["客户"]);
    assert_eq!(
        column(&client, "sync-row", "sync-source").await,
        ["kingdee"]
    );
    assert_eq!(column(&client, "sync-row", "sync-record").await, ["未创建"]);
    wait_for_status(&client, "sync-result", "failed").await;
    assert_eq!(
        column(&client, "sync-row", "sync-result").await,
        ["同步失败"]
    );
    assert_eq!(
        column(&client, "sync-row", "sync-problem-title").await,
        ["请求参数有误"]
    );
    assert_eq!(
        column(&client, "sync-row", "sync-field-error").await,
        ["credit_code：格式不正确"]
    );
    assert_eq!(
        column(&client, "sync-row", "sync-time").await,
        [browser_local_time(&client, &synced_at("CUST-0042")).await]
    );
    screenshot(&client, "92-data-sync-failed").await;

    select(&client, "sync-filter-kind", "product").await;
    assert_eq!(
        wait_for_text(&client, "sync-empty", |t| !t.is_empty()).await,
        "没有失败的同步\nERP 按外部编号写入客户、联系人或产品被拒绝时，会连同原因列在这里，直到该记录再次同步成功。"
    );
    select(&client, "sync-filter-kind", "").await;
    select(&client, "sync-filter-result", "").await;
    let deadline = std::time::Instant::now() + WAIT;
    let ids = loop {
        let ids = column(&client, "sync-row", "sync-external-id").await;
        if ids.len() == 4 || std::time::Instant::now() > deadline {
            break ids;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(ids, ["CUST-0042", "ITEM-0750", "CON-0007", "CUST-0001"]);
    assert_eq!(
        column(&client, "sync-row", "sync-kind").await,
        ["客户", "产品", "联系人", "客户"]
    );
    assert_eq!(
        column(&client, "sync-row", "sync-result").await,
        ["同步失败", "同步成功", "同步成功", "同步成功"]
    );
    assert_eq!(
        column(&client, "sync-row", "sync-record").await,
        ["未创建", "查看", "已在 CRM 中", "查看"]
    );

    click_in_row(&client, "sync-row", "ITEM-0750", "sync-record-link").await;
    find(&client, "product-sync-dialog").await;
    let dialog = wait_for_text(&client, "product-sync-dialog", |t| t.contains("同步成功")).await;
    assert!(dialog.contains("ERP 同步 · SRV-750 伺服电机"), "{dialog}");
    assert_eq!(
        text_in(&client, "product-sync-dialog", "sync-source").await,
        "kingdee"
    );
    assert_eq!(
        text_in(&client, "product-sync-dialog", "sync-external-id").await,
        "ITEM-0750"
    );
    screenshot(&client, "93-product-erp-sync").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// An order of two machines, confirmed, with one shipped in the CRM; kingdee reports 80,000
/// paid and both machines shipped. The order's ERP 对账 panel shows kingdee's report with the
/// two differences (and no ERP 同步 panel: the order has no external id); 对账差异, reached
/// from the orders list, lists the order with them, a system that never reported shows the
/// empty state, and the order number opens the order.
#[tokio::test]
async fn an_erp_reports_figures_that_disagree_and_the_order_shows_up_in_reconciliation() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let admin = &acme.admin;
    let product = json_of(
        admin
            .post(
                "/products",
                &json!({"code": "SRV-750", "name": "伺服电机", "unit": "台", "list_price": "12800.00"}),
            )
            .await,
    )
    .await;
    let customer = create_customer(admin, "苏州精工机械有限公司").await;
    let response = admin
        .post(
            "/sales-orders",
            &json!({"customer_id": customer, "lines": [{"product_id": product["id"], "quantity": "2"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "order");
    let order = json_of(response).await;
    let id = order["id"].as_str().unwrap_or_default().to_owned();
    let number = order["number"].as_str().unwrap_or_default().to_owned();
    let response = admin
        .post(&format!("/sales-orders/{id}/submit"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "submit");
    assert_eq!(json_of(response).await["status"], "confirmed");
    let response = admin
        .post(
            &format!("/sales-orders/{id}/shipments"),
            &json!({"lines": [{"line_id": order["lines"][0]["id"], "quantity": "1"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "shipment");
    let response = admin
        .request(Method::PUT, &format!("/sales-orders/{id}/erp-figures"))
        .json(&json!({"source": "kingdee", "paid": "80000",
                      "lines": [{"position": 0, "shipped_quantity": "2"}]}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("erp-figures: {e}"));
    assert_eq!(response.status(), StatusCode::OK, "erp-figures");
    let report = json_of(response).await;
    assert_eq!(report["agrees"], false, "{report}");

    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    let reported_at = browser_local_time(&client, &report["reported_at"]).await;

    goto(&client, &app, &format!("/sales-orders/{id}")).await;
    wait_for_text(&client, "order-number", |t| t == number).await;
    find(&client, "recon-report").await;
    assert_eq!(texts_of(&client, "recon-report").await.len(), 1);
    wait_for_status(&client, "order-status", "partially_shipped").await;
    assert_eq!(
        text_in(&client, "order-reconciliation", "recon-source").await,
        "kingdee"
    );
    assert_eq!(
        text_in(&client, "order-reconciliation", "recon-time").await,
        reported_at
    );
    assert!(texts_of(&client, "recon-agrees").await.is_empty());
    assert_eq!(
        column(&client, "recon-diff", "recon-field").await,
        ["已收款", "第 1 行已发货"]
    );
    assert_eq!(
        column(&client, "recon-diff", "recon-crm").await,
        ["¥0.00", "1"]
    );
    assert_eq!(
        column(&client, "recon-diff", "recon-erp").await,
        ["¥80,000.00", "2"]
    );
    assert!(
        texts_of(&client, "sync-panel").await.is_empty(),
        "an order no ERP syncs has no ERP 同步 panel"
    );
    scroll_to(&client, "order-reconciliation").await;
    screenshot(&client, "94-order-erp-reconciliation").await;

    click(&client, "nav-sales-orders").await;
    click(&client, "reconciliation-link").await;
    find(&client, "recon-row").await;
    assert_eq!(
        column(&client, "recon-row", "recon-order-link").await,
        [number.as_str()]
    );
    assert_eq!(
        column(&client, "recon-row", "recon-customer").await,
        ["苏州精工机械有限公司"]
    );
    assert_eq!(
        column(&client, "recon-row", "recon-source").await,
        ["kingdee"]
    );
    assert_eq!(
        column(&client, "recon-row", "recon-time").await,
        [reported_at]
    );
    assert_eq!(
        column(&client, "recon-row", "recon-diff").await,
        ["已收款：¥0.00 → ¥80,000.00", "第 1 行已发货：1 → 2"]
    );
    screenshot(&client, "95-reconciliation").await;

    type_into(&client, "recon-filter-source", "u8\u{E007}").await;
    assert_eq!(
        wait_for_text(&client, "recon-empty", |t| !t.is_empty()).await,
        "ERP 数据与 CRM 一致\nERP 报告的订单金额、开票、收款或发货数量与 CRM 不一致时，订单会列在这里。"
    );
    type_into(&client, "recon-filter-source", "kingdee\u{E007}").await;
    wait_for_text(&client, "recon-order-link", |t| t == number).await;

    click(&client, "recon-order-link").await;
    wait_for_text(&client, "order-number", |t| t == number).await;
    find(&client, "order-reconciliation").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// Waits until the element at `css` has a text that satisfies `check`.
async fn wait_for_css_text(client: &Client, css: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let text = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if check(&text) {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css} never matched; last text: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the opportunity list shows exactly `ids`.
async fn wait_for_opportunity_rows(client: &Client, ids: &[String]) {
    let mut want = ids.to_vec();
    want.sort();
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let mut shown = Vec::new();
        for row in client
            .find_all(Locator::Css(&testid("opportunity-row")))
            .await
            .unwrap_or_default()
        {
            shown.push(row.attr("data-id").await.ok().flatten().unwrap_or_default());
        }
        shown.sort();
        if shown == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the list shows {shown:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A manager opens 报表 → 销售漏斗: one bar per stage of the default pipeline, the table
/// counts what sits in each stage; narrowed to the customers of 华东, the count of 需求确认
/// opens the opportunity list with exactly those deals, and says which filters it applies.
#[tokio::test]
async fn the_sales_funnel_counts_each_stage_and_a_count_opens_its_deals() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let east = create_customer(&rep, "苏州精工机械有限公司").await;
    let response = rep
        .post(
            "/customers",
            &json!({"name": "广州华南电子有限公司", "region": "华南"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "customer in 华南");
    let south = json_of(response).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let pipelines = json_of(rep.get("/pipelines").await).await;
    let pipeline = pipelines
        .as_array()
        .and_then(|all| all.iter().find(|p| p["is_default"] == true))
        .cloned()
        .unwrap_or_else(|| panic!("a default pipeline in {pipelines}"));
    let stages = pipeline["stages"].as_array().cloned().unwrap_or_default();
    let stage_id = |name: &str| {
        stages
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["id"].as_str())
            .unwrap_or_else(|| panic!("stage {name} in {pipeline}"))
            .to_owned()
    };
    let first = stages[0]["id"].as_str().unwrap_or_default().to_owned();
    let (needs, won) = (stage_id("需求确认"), stage_id("赢单"));
    let mut ids = Vec::new();
    for (i, customer) in [
        east.to_string(),
        east.to_string(),
        east.to_string(),
        east.to_string(),
        south.clone(),
        east.to_string(),
    ]
    .iter()
    .enumerate()
    {
        let response = rep
            .post(
                "/opportunities",
                &json!({"name": format!("精工 产线 {}", i + 1), "customer_id": customer,
                        "expected_close_date": "2030-06-30", "amount": "100000.00"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "opportunity {i}");
        ids.push(
            json_of(response).await["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    // Two stay in the first stage; three (one of them in 华南) reach 需求确认; one is won.
    for (id, to) in [
        (&ids[2], &needs),
        (&ids[3], &needs),
        (&ids[4], &needs),
        (&ids[5], &won),
    ] {
        let response = rep
            .post(
                &format!("/opportunities/{id}/stage"),
                &json!({"stage_id": to}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "move {id}");
    }
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "zhangwei@acme.cn").await;
    click(&client, "nav-reports").await;
    find(&client, "funnel-chart").await;
    let row = |stage: &str, cell: &str| {
        format!(
            "{}[data-stage-id=\"{stage}\"] {}",
            testid("funnel-row"),
            testid(cell)
        )
    };
    wait_for_css_text(&client, &row(&first, "funnel-count"), |t| t == "2").await;
    wait_for_css_text(&client, &row(&needs, "funnel-count"), |t| t == "3").await;
    wait_for_css_text(&client, &row(&won, "funnel-count"), |t| t == "1").await;
    let bars = client
        .find_all(Locator::Css(&testid("funnel-bar")))
        .await
        .unwrap_or_default();
    assert_eq!(bars.len(), stages.len(), "one bar per stage");
    let chart = find(&client, "funnel-chart").await;
    let label = chart
        .attr("aria-label")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(label.contains("需求确认 3 个"), "{label}");
    let period = wait_for_text(&client, "report-period", |t| t.contains("统计期间")).await;
    assert!(period.contains("–"), "{period}");
    screenshot(&client, "96-funnel").await;

    // Narrowed to 华东: 需求确认 holds two, and its count opens exactly those two.
    let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                  el.dispatchEvent(new Event('change', { bubbles: true }));";
    client
        .execute(script, vec![json!(testid("report-region")), json!("华东")])
        .await
        .unwrap_or_else(|e| panic!("region: {e}"));
    wait_for_css_text(&client, &row(&needs, "funnel-count"), |t| t == "2").await;
    let link = format!(
        "{}[data-stage-id=\"{needs}\"] {}",
        testid("funnel-row"),
        testid("funnel-count-link")
    );
    client
        .find(Locator::Css(&link))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_opportunity_rows(&client, &ids[2..4]).await;
    wait_for_any(&client, "report-filter", |t| t.contains("华东")).await;
    wait_for_value(&client, "filter-stage", &needs).await;
    screenshot(&client, "97-funnel-drill-down").await;

    // Clearing the filters shows every deal again.
    click(&client, "clear-report-filters").await;
    wait_for_opportunity_rows(&client, &ids).await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// The admin opens 报表 and switches to 赢率与周期: per owner, 张伟 won 2 of 3 and 李娜 1 of 2;
/// a won count opens the opportunity list with exactly those deals. Grouped by source, the
/// rows are named as people read them, and 展会's won count opens its two deals.
#[tokio::test]
async fn the_win_rate_report_counts_each_owners_closed_deals_and_a_count_opens_them() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let zhang = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let li = staff(&app, &acme, "lina", "李娜", "sales_rep", sales).await;
    let pipelines = json_of(zhang.get("/pipelines").await).await;
    let stages = pipelines
        .as_array()
        .and_then(|all| all.iter().find(|p| p["is_default"] == true))
        .map(|p| p["stages"].clone())
        .unwrap_or_else(|| panic!("a default pipeline in {pipelines}"));
    let stage_id = |name: &str| {
        stages
            .as_array()
            .and_then(|all| all.iter().find(|s| s["name"] == name))
            .and_then(|s| s["id"].as_str())
            .unwrap_or_else(|| panic!("stage {name} in {stages}"))
            .to_owned()
    };
    let won = json!({"stage_id": stage_id("赢单")});
    let lost = json!({"stage_id": stage_id("输单"), "lost_reason": "price",
                      "winning_competitor": "亚威"});
    // 张伟: two won (展会, 转介绍), one lost (展会); 李娜: one won (展会), one lost (no source).
    let mut ids = Vec::new();
    for (i, (rep, source, close)) in [
        (&zhang, Some("exhibition"), &won),
        (&zhang, Some("referral"), &won),
        (&zhang, Some("exhibition"), &lost),
        (&li, Some("exhibition"), &won),
        (&li, None, &lost),
    ]
    .into_iter()
    .enumerate()
    {
        let customer = create_customer(rep, &format!("华东客户 {}", i + 1)).await;
        let mut body = json!({"name": format!("产线改造 {}", i + 1), "customer_id": customer,
                              "expected_close_date": "2030-06-30", "amount": "100000.00"});
        if let Some(source) = source {
            body["source"] = json!(source);
        }
        let response = rep.post("/opportunities", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "opportunity {i}");
        let id = json_of(response).await["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let response = rep.post(&format!("/opportunities/{id}/stage"), close).await;
        assert_eq!(response.status(), StatusCode::OK, "close {id}");
        ids.push(id);
    }
    let driver = Driver::start();
    let client = browser(&driver).await;

    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-reports").await;
    click(&client, "report-tab-win-rate").await;
    find(&client, "winrate-chart").await;
    let cell = |key: &str, cell: &str| {
        format!(
            "{}[data-key=\"{key}\"] {}",
            testid("winrate-row"),
            testid(cell)
        )
    };
    let (zhang_id, li_id) = (zhang.user_id.to_string(), li.user_id.to_string());
    for (key, name, won, lost, rate) in [
        (&zhang_id, "张伟", "2", "1", "66.7%"),
        (&li_id, "李娜", "1", "1", "50.0%"),
    ] {
        wait_for_css_text(&client, &cell(key, "winrate-name"), |t| t == name).await;
        wait_for_css_text(&client, &cell(key, "winrate-won"), |t| t == won).await;
        wait_for_css_text(&client, &cell(key, "winrate-lost"), |t| t == lost).await;
        wait_for_css_text(&client, &cell(key, "winrate-rate"), |t| t == rate).await;
    }
    let total = |cell: &str| format!("{} {}", testid("winrate-total"), testid(cell));
    wait_for_css_text(&client, &total("winrate-won"), |t| t == "3").await;
    wait_for_css_text(&client, &total("winrate-lost"), |t| t == "2").await;
    wait_for_css_text(&client, &total("winrate-rate"), |t| t == "60.0%").await;
    let bars = client
        .find_all(Locator::Css(&testid("winrate-bar")))
        .await
        .unwrap_or_default();
    assert_eq!(bars.len(), 2, "one bar per owner");
    let label = find(&client, "winrate-chart")
        .await
        .attr("aria-label")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(
        label.contains("张伟 66.7%") && label.contains("李娜 50.0%"),
        "{label}"
    );
    let period = wait_for_text(&client, "report-period", |t| t.contains("统计期间")).await;
    assert!(period.contains("按负责人"), "{period}");
    screenshot(&client, "98-win-rate").await;

    // 张伟's won count: his two won deals, closed in the period.
    let won_link = |key: &str| {
        format!(
            "{}[data-key=\"{key}\"] {}",
            testid("winrate-row"),
            testid("winrate-won-link")
        )
    };
    client
        .find(Locator::Css(&won_link(&zhang_id)))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_opportunity_rows(&client, &ids[0..2]).await;
    wait_for_value(&client, "filter-status", "won").await;
    wait_for_value(&client, "filter-owner", &zhang_id).await;
    wait_for_any(&client, "report-filter", |t| t.contains("关闭日期")).await;

    // Back on the report, grouped by source: 展会 2 won of 3, 转介绍 1 of 1, and the deal
    // without a source on a row of its own.
    client.back().await.unwrap_or_else(|e| panic!("{e}"));
    find(&client, "winrate-chart").await;
    click(&client, "winrate-group-source").await;
    for (key, name, won, lost, rate) in [
        ("exhibition", "展会", "2", "1", "66.7%"),
        ("referral", "转介绍", "1", "0", "100.0%"),
        ("", "未填写来源", "0", "1", "0.0%"),
    ] {
        wait_for_css_text(&client, &cell(key, "winrate-name"), |t| t == name).await;
        wait_for_css_text(&client, &cell(key, "winrate-won"), |t| t == won).await;
        wait_for_css_text(&client, &cell(key, "winrate-lost"), |t| t == lost).await;
        wait_for_css_text(&client, &cell(key, "winrate-rate"), |t| t == rate).await;
    }
    let url = client
        .current_url()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string();
    assert!(url.contains("group_by=source"), "{url}");
    screenshot(&client, "99-win-rate-by-source").await;

    client
        .find(Locator::Css(&won_link("exhibition")))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_opportunity_rows(&client, &[ids[0].clone(), ids[3].clone()]).await;
    wait_for_any(&client, "report-filter", |t| t.contains("展会")).await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// An admin sets a rep's target for this month in 设置 → 业绩目标; 业绩完成情况 then sets what
/// the rep won against it, and 销售预测 shows this month's open deals, their commit part and
/// what was won, a count opening exactly those deals.
#[tokio::test]
async fn a_target_set_in_the_grid_shows_in_performance_and_the_forecast_opens_its_deals() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let customer = create_customer(&rep, "苏州精工机械有限公司").await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let month = today.format("%Y-%m").to_string();
    let mut open = Vec::new();
    for (name, amount, probability) in [
        ("SMT 产线", "100000", 80),
        ("注塑机", "100000", 10),
        ("立加", "250000", 10),
    ] {
        let response = rep
            .post(
                "/opportunities",
                &json!({"name": name, "customer_id": customer, "amount": amount,
                        "probability": probability, "expected_close_date": today.to_string()}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name}");
        open.push(
            json_of(response).await["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    let won_stage = won_stage(&rep).await;
    let won = open.pop().unwrap_or_default();
    let response = rep
        .post(
            &format!("/opportunities/{won}/stage"),
            &json!({"stage_id": won_stage}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "won");

    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    client
        .goto(&format!("{}/settings/targets", app.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(&client, "targets-people").await;
    let cell = format!(
        "{}[data-subject=\"{}\"][data-period=\"{month}\"]",
        testid("target-cell"),
        rep.user_id
    );
    let input = client
        .wait()
        .for_element(Locator::Css(&cell))
        .await
        .unwrap_or_else(|e| panic!("{cell}: {e}"));
    input
        .send_keys("500000")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let quarter = format!(
        "{}[data-subject=\"{}\"][data-period$=\"-Q1\"]",
        testid("target-cell"),
        rep.user_id
    );
    client
        .find(Locator::Css(&quarter))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .send_keys("一百万")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(&client, "targets-save").await;
    // The cell that is no amount is marked and nothing is sent until it is mended.
    client
        .wait()
        .for_element(Locator::Css(&format!("{quarter}.invalid")))
        .await
        .unwrap_or_else(|e| panic!("marked: {e}"));
    let plan = json_of(
        acme.admin
            .get(&format!("/targets?year={}", today.format("%Y")))
            .await,
    )
    .await;
    assert_eq!(
        plan["items"],
        json!([]),
        "nothing saved while a cell is wrong"
    );
    let quarter_input = client
        .find(Locator::Css(&quarter))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    quarter_input
        .send_keys("\u{E003}\u{E003}\u{E003}")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    click(&client, "targets-save").await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let plan = json_of(
            acme.admin
                .get(&format!("/targets?year={}", today.format("%Y")))
                .await,
        )
        .await;
        if plan["items"][0]["amount"] == "500000.00" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "target never saved: {plan}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(&client, "100-targets").await;

    client
        .goto(&format!(
            "{}/reports/performance?period={month}",
            app.address
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let row = |cell: &str| {
        format!(
            "{}[data-subject=\"{}\"] {}",
            testid("performance-row"),
            rep.user_id,
            testid(cell)
        )
    };
    wait_for_css_text(&client, &row("performance-actual"), |t| t == "¥250,000.00").await;
    wait_for_css_text(&client, &row("performance-target"), |t| t == "¥500,000.00").await;
    wait_for_css_text(&client, &row("performance-completion"), |t| {
        t.contains("50.0%")
    })
    .await;
    wait_for_css_text(&client, &row("performance-rank"), |t| t == "1").await;
    screenshot(&client, "101-performance").await;

    click(&client, "report-tab-forecast").await;
    find(&client, "forecast-chart").await;
    let month_row = |cell: &str| {
        format!(
            "{}[data-month=\"{month}\"] {}",
            testid("forecast-row"),
            testid(cell)
        )
    };
    wait_for_css_text(&client, &month_row("forecast-open"), |t| t == "2").await;
    wait_for_css_text(&client, &month_row("forecast-pipeline"), |t| {
        t == "¥200,000.00"
    })
    .await;
    wait_for_css_text(&client, &month_row("forecast-commit"), |t| {
        t == "¥100,000.00"
    })
    .await;
    wait_for_css_text(&client, &month_row("forecast-won"), |t| {
        t.contains("¥250,000.00")
    })
    .await;
    screenshot(&client, "102-forecast").await;
    client
        .find(Locator::Css(&month_row("forecast-open-link")))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_opportunity_rows(&client, &open).await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// Yuan as the SPA shows them: `¥1,234,567.00`.
fn yuan(amount: rust_decimal::Decimal) -> String {
    let text = format!("{:.2}", amount.round_dp(2));
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("¥{grouped}.{cents}")
}

/// China's today, the first of this month and of the month before.
fn china_months() -> (chrono::NaiveDate, chrono::NaiveDate, chrono::NaiveDate) {
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let this = today.with_day(1).unwrap_or(today);
    let last = (this - chrono::Duration::days(1))
        .with_day(1)
        .unwrap_or(this);
    (today, this, last)
}

fn same_month(a: chrono::NaiveDate, b: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    (a.year(), a.month()) == (b.year(), b.month())
}

/// A confirmed order by `rep` dated `date`, one line per (product, quantity, unit price with
/// VAT, promised date).
async fn confirmed_order(
    rep: &Session,
    customer: Uuid,
    date: chrono::NaiveDate,
    lines: &[(&str, u32, u32, chrono::NaiveDate)],
) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(product, quantity, price, promised)| {
            json!({"product_id": product, "quantity": quantity.to_string(),
                   "unit_price": price.to_string(), "promised_date": promised})
        })
        .collect();
    let response = rep
        .post(
            "/sales-orders",
            &json!({"customer_id": customer, "order_date": date, "lines": lines}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "order of {date}");
    let id = json_of(response).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let response = rep
        .post(&format!("/sales-orders/{id}/submit"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "submit {id}");
    let order = json_of(response).await;
    assert_eq!(order["status"], "confirmed", "{order}");
    order
}

/// The default pipeline's won stage.
async fn won_stage(session: &Session) -> String {
    let pipelines = json_of(session.get("/pipelines").await).await;
    pipelines[0]["stages"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["kind"] == "won"))
        .and_then(|s| s["id"].as_str())
        .unwrap_or_default()
        .to_owned()
}

async fn create_product(admin: &Session, code: &str, name: &str) -> String {
    let response = admin
        .post(
            "/products",
            &json!({"code": code, "name": name, "unit": "台", "list_price": "100000.00"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "product {name}");
    json_of(response).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the rows `row` show exactly the records `ids` (by `data-id`).
async fn wait_for_rows(client: &Client, row: &str, ids: &[String]) {
    let mut want = ids.to_vec();
    want.sort();
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let mut shown = Vec::new();
        for element in client
            .find_all(Locator::Css(&testid(row)))
            .await
            .unwrap_or_default()
        {
            shown.push(
                element
                    .attr("data-id")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        shown.sort();
        if shown == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{row}: the list shows {shown:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click_css(client: &Client, css: &str) {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

/// Two orders with fixed collection plans, and two payments applied by hand: last month
/// ¥70,000 fell due and ¥40,000 of it is paid, this month ¥70,000 and ¥20,000. The admin opens
/// 报表 → 回款分析 and reads each month's due, collected, rate, outstanding and received, the
/// totals and DSO, as counted here from the data set; last month's outstanding opens exactly
/// the instalment still open, its received amount exactly the payment that came in.
#[tokio::test]
async fn the_collections_report_adds_up_each_months_instalments_and_opens_what_is_behind_them() {
    use rust_decimal::Decimal;

    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let product = create_product(&acme.admin, "CNC-850", "立式加工中心").await;
    let customer = create_customer(&rep, "苏州精工机械有限公司").await;
    let (today, this, last) = china_months();
    let day = |month: chrono::NaiveDate, d: i64| month + chrono::Duration::days(d - 1);

    // Each order: its date, its one line (quantity × price), its instalments (amount, due).
    let plans = [
        (
            day(last, 5),
            2,
            50_000,
            vec![(30_000, day(last, 10)), (70_000, day(this, 20))],
        ),
        (day(last, 12), 1, 40_000, vec![(40_000, day(last, 25))]),
    ];
    let mut instalments: Vec<Vec<(String, i64, chrono::NaiveDate)>> = Vec::new();
    let mut ordered = Decimal::ZERO;
    for (date, quantity, price, plan) in &plans {
        let order = confirmed_order(
            &rep,
            customer,
            *date,
            &[(&product, *quantity, *price, *date)],
        )
        .await;
        ordered += Decimal::from(quantity * price);
        let id = order["id"].as_str().unwrap_or_default().to_owned();
        let body: Vec<Value> = plan
            .iter()
            .map(|(amount, due)| {
                json!({"amount": amount.to_string(), "due": {"kind": "date", "date": due}})
            })
            .collect();
        let response = rep
            .put(
                &format!("/sales-orders/{id}/collection-plan"),
                &json!({"instalments": body}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "plan of {id}");
        let order = json_of(response).await;
        instalments.push(
            plan.iter()
                .enumerate()
                .map(|(i, (amount, due))| {
                    let id = order["instalments"][i]["id"].as_str().unwrap_or_default();
                    (id.to_owned(), i64::from(*amount), *due)
                })
                .collect(),
        );
    }
    // Payments: when received, and what of them goes to which (order, instalment).
    let payments = [
        (day(last, 15), vec![(0, 0, 30_000)]),
        (this, vec![(1, 0, 10_000), (0, 1, 20_000)]),
    ];
    let mut payment_ids = Vec::new();
    for (received_on, allocations) in &payments {
        let amount: i64 = allocations.iter().map(|(_, _, a)| a).sum();
        let allocations: Vec<Value> = allocations
            .iter()
            .map(|(o, i, a)| json!({"instalment_id": instalments[*o][*i].0, "amount": a.to_string()}))
            .collect();
        let response = acme
            .admin
            .post(
                "/payments",
                &json!({"customer_id": customer, "received_on": received_on,
                        "amount": amount.to_string(), "method": "bank_transfer",
                        "allocations": allocations}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "payment of {received_on}"
        );
        payment_ids.push(
            json_of(response).await["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }

    // What the page should say, counted from the data set.
    let paid_on = |o: usize, i: usize| -> i64 {
        payments
            .iter()
            .flat_map(|(_, a)| a.iter())
            .filter(|(po, pi, _)| (*po, *pi) == (o, i))
            .map(|(_, _, a)| a)
            .sum()
    };
    let figures = |month: Option<chrono::NaiveDate>| {
        let inside = |d: chrono::NaiveDate| month.is_none_or(|m| same_month(d, m));
        let (mut due, mut collected) = (0, 0);
        for (o, plan) in instalments.iter().enumerate() {
            for (i, (_, amount, due_on)) in plan.iter().enumerate() {
                if inside(*due_on) {
                    due += amount;
                    collected += paid_on(o, i);
                }
            }
        }
        let received: i64 = payments
            .iter()
            .filter(|(on, _)| inside(*on))
            .flat_map(|(_, a)| a.iter().map(|(_, _, a)| a))
            .sum();
        let (due, collected) = (Decimal::from(due), Decimal::from(collected));
        let rate = (collected * Decimal::ONE_HUNDRED / due).round_dp(1);
        [
            ("collections-due", yuan(due)),
            ("collections-collected", yuan(collected)),
            ("collections-rate", format!("{rate:.1}%")),
            ("collections-outstanding", yuan(due - collected)),
            ("collections-received", yuan(Decimal::from(received))),
        ]
    };
    let outstanding_now: i64 = instalments
        .iter()
        .enumerate()
        .flat_map(|(o, plan)| {
            plan.iter()
                .enumerate()
                .map(move |(i, (_, a, _))| (o, i, *a))
        })
        .map(|(o, i, amount)| amount - paid_on(o, i))
        .sum();
    let days = (today - last).num_days() + 1;
    let dso = (Decimal::from(outstanding_now * days) / ordered).round_dp(1);

    let downloads =
        std::env::temp_dir().join(format!("crm-downloads-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&downloads).unwrap_or_else(|e| panic!("{e}"));
    let driver = Driver::start();
    let client = browser_saving_to(&driver, &downloads).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-reports").await;
    click(&client, "report-tab-collections").await;
    find(&client, "collections-table").await;
    goto(
        &client,
        &app,
        &format!("/reports/collections?from={last}&to={today}"),
    )
    .await;
    let cell = |month: chrono::NaiveDate, cell: &str| {
        format!(
            "{}[data-month=\"{}\"] {}",
            testid("collections-row"),
            month.format("%Y-%m"),
            testid(cell)
        )
    };
    for month in [last, this] {
        for (id, want) in figures(Some(month)) {
            wait_for_css_text(&client, &cell(month, id), |t| t == want).await;
        }
    }
    for (id, want) in figures(None) {
        let total = format!("{} {}", testid("collections-total"), testid(id));
        wait_for_css_text(&client, &total, |t| t == want).await;
    }
    wait_for_text(&client, "dso-days", |t| t == format!("{dso:.1}")).await;
    wait_for_text(&client, "dso-outstanding", |t| {
        t == yuan(Decimal::from(outstanding_now))
    })
    .await;
    let bars = client
        .find_all(Locator::Css(&testid("collections-bars")))
        .await
        .unwrap_or_default();
    assert_eq!(bars.len(), 2, "one pair of bars per month");
    let aging = find(&client, "collections-aging-link").await;
    assert_eq!(
        aging.attr("href").await.ok().flatten().as_deref(),
        Some("/receivables")
    );
    screenshot(&client, "103-collections").await;

    // 导出 CSV: the table as a file, each month's due and received as plain numbers.
    click(&client, "export-csv").await;
    let (name, bytes) = downloaded(&downloads).await;
    assert!(
        name.starts_with("回款分析-") && name.ends_with(".csv"),
        "{name}"
    );
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for (month, row) in [(last, figures(Some(last))), (this, figures(Some(this)))] {
        let due = row
            .iter()
            .find(|(id, _)| *id == "collections-due")
            .map(|(_, shown)| shown.replace(['¥', ','], ""))
            .unwrap_or_default();
        let line = format!("{},{due},", month.format("%Y-%m"));
        assert!(text.contains(&line), "{line} in {text}");
    }

    // Last month's outstanding: the one instalment still open (the other is paid).
    click_css(&client, &cell(last, "collections-outstanding-link")).await;
    let open: Vec<String> = instalments
        .iter()
        .enumerate()
        .flat_map(|(o, plan)| plan.iter().enumerate().map(move |(i, inst)| (o, i, inst)))
        .filter(|(o, i, (_, amount, due))| same_month(*due, last) && *amount > paid_on(*o, *i))
        .map(|(_, _, (id, _, _))| id.clone())
        .collect();
    assert_eq!(open.len(), 1, "{open:?}");
    wait_for_rows(&client, "receivable-row", &open).await;
    wait_for_text(&client, "receivables-filter", |t| t.contains("到期日")).await;
    screenshot(&client, "104-collections-drill-down").await;

    // Last month's received: the payment that came in then.
    client.back().await.unwrap_or_else(|e| panic!("{e}"));
    click_css(&client, &cell(last, "collections-received-link")).await;
    wait_for_rows(&client, "payment-row", &payment_ids[..1]).await;
    wait_for_any(&client, "report-filter", |t| t.contains("收款日期")).await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// Three confirmed orders of two products for two customers, over last month and this one,
/// and two shipments, one before its promised date and one after. The admin opens 报表 →
/// 订单与交付: order counts and amounts by month, by product (with the quantities) and by
/// customer, and the on-time rate, as counted here; a product's order count opens exactly
/// the orders with that product.
#[tokio::test]
async fn the_orders_report_adds_up_orders_by_month_product_and_customer_and_opens_them() {
    use rust_decimal::Decimal;

    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let machine = create_product(&acme.admin, "CNC-850", "立式加工中心").await;
    let motor = create_product(&acme.admin, "SRV-750", "伺服电机").await;
    let suzhou = create_customer(&rep, "苏州精工机械有限公司").await;
    let wuxi = create_customer(&rep, "无锡华光机床有限公司").await;
    let (today, this, last) = china_months();
    let day = |month: chrono::NaiveDate, d: i64| month + chrono::Duration::days(d - 1);
    let promised = day(last, 25);

    // (customer, date, promised, lines of (product, quantity, price)).
    let orders = [
        (
            suzhou,
            day(last, 5),
            promised,
            vec![(&machine, 2, 100_000), (&motor, 3, 10_000)],
        ),
        (wuxi, day(last, 20), promised, vec![(&machine, 1, 100_000)]),
        (
            suzhou,
            this,
            today + chrono::Duration::days(30),
            vec![(&motor, 5, 10_000)],
        ),
    ];
    let mut created = Vec::new();
    for (customer, date, promised, lines) in &orders {
        let lines: Vec<(&str, u32, u32, chrono::NaiveDate)> = lines
            .iter()
            .map(|(p, q, price)| (p.as_str(), *q, *price, *promised))
            .collect();
        created.push(confirmed_order(&rep, *customer, *date, &lines).await);
    }
    let order_id = |i: usize| created[i]["id"].as_str().unwrap_or_default().to_owned();
    // The first order's machines leave before the promised date, the second's today (late).
    let shipments = [(0, 0, day(last, 20)), (1, 0, today)];
    for (o, line, shipped_on) in shipments {
        let line_id = created[o]["lines"][line]["id"].as_str().unwrap_or_default();
        let quantity = orders[o].3[line].1;
        let response = rep
            .post(
                &format!("/sales-orders/{}/shipments", order_id(o)),
                &json!({"shipped_on": shipped_on,
                        "lines": [{"line_id": line_id, "quantity": quantity.to_string()}]}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "shipment of order {o}"
        );
    }

    // What the page should say, counted from the data set.
    let total_of = |lines: &[(&String, u32, u32)]| -> i64 {
        lines.iter().map(|(_, q, p)| i64::from(q * p)).sum()
    };
    let group = |of: &dyn Fn(usize) -> Option<i64>| -> (String, String) {
        let mut count = 0;
        let mut amount = 0;
        for i in 0..orders.len() {
            if let Some(a) = of(i) {
                count += 1;
                amount += a;
            }
        }
        (count.to_string(), yuan(Decimal::from(amount)))
    };
    let by_month =
        |month| group(&|i| same_month(orders[i].1, month).then(|| total_of(&orders[i].3)));
    let by_customer =
        |customer: Uuid| group(&|i| (orders[i].0 == customer).then(|| total_of(&orders[i].3)));
    let by_product = |product: &String| {
        let lines = |i: usize| -> Vec<(&String, u32, u32)> {
            orders[i]
                .3
                .iter()
                .filter(|(p, _, _)| *p == product)
                .copied()
                .collect()
        };
        let (count, amount) = group(&|i| {
            let mine = lines(i);
            (!mine.is_empty()).then(|| total_of(&mine))
        });
        let quantity: u32 = (0..orders.len())
            .flat_map(|i| lines(i).into_iter().map(|(_, q, _)| q))
            .sum();
        (count, quantity.to_string(), amount)
    };
    let on_time = shipments
        .iter()
        .filter(|(_, _, shipped_on)| *shipped_on <= promised)
        .count();
    let rate = Decimal::from(on_time * 100) / Decimal::from(shipments.len());

    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-reports").await;
    click(&client, "report-tab-orders").await;
    find(&client, "orders-table").await;
    goto(
        &client,
        &app,
        &format!("/reports/orders?from={last}&to={today}"),
    )
    .await;
    let cell = |key: &str, cell: &str| {
        format!(
            "{}[data-key=\"{key}\"] {}",
            testid("orders-row"),
            testid(cell)
        )
    };
    for month in [last, this] {
        let key = month.format("%Y-%m").to_string();
        let (count, amount) = by_month(month);
        wait_for_css_text(&client, &cell(&key, "orders-count"), |t| t == count).await;
        wait_for_css_text(&client, &cell(&key, "orders-amount"), |t| t == amount).await;
    }
    let (count, amount) = group(&|i| Some(total_of(&orders[i].3)));
    let total = |id: &str| format!("{} {}", testid("orders-total"), testid(id));
    wait_for_css_text(&client, &total("orders-count"), |t| t == count).await;
    wait_for_css_text(&client, &total("orders-amount"), |t| t == amount).await;
    wait_for_text(&client, "delivery-rate", |t| t == format!("{rate:.1}%")).await;
    wait_for_text(&client, "delivery-shipped", |t| {
        t == shipments.len().to_string()
    })
    .await;
    wait_for_text(&client, "delivery-on-time", |t| t == on_time.to_string()).await;
    let bars = client
        .find_all(Locator::Css(&testid("orders-bar")))
        .await
        .unwrap_or_default();
    assert_eq!(bars.len(), 2, "one bar per month");
    screenshot(&client, "105-orders").await;

    // By product, with the quantities; the motor's count opens its orders.
    click(&client, "orders-group-product").await;
    for product in [&machine, &motor] {
        let (count, quantity, amount) = by_product(product);
        wait_for_css_text(&client, &cell(product, "orders-count"), |t| t == count).await;
        wait_for_css_text(&client, &cell(product, "orders-quantity"), |t| {
            t == quantity
        })
        .await;
        wait_for_css_text(&client, &cell(product, "orders-amount"), |t| t == amount).await;
    }
    wait_for_css_text(&client, &cell(&motor, "orders-name"), |t| t == "伺服电机").await;
    screenshot(&client, "106-orders-by-product").await;
    click_css(&client, &cell(&motor, "orders-count-link")).await;
    let with_motor: Vec<String> = (0..orders.len())
        .filter(|i| orders[*i].3.iter().any(|(p, _, _)| *p == &motor))
        .map(order_id)
        .collect();
    wait_for_rows(&client, "sales-order-row", &with_motor).await;
    wait_for_any(&client, "report-filter", |t| t.contains("伺服电机")).await;
    wait_for_any(&client, "report-filter", |t| t.contains("下单日期")).await;
    screenshot(&client, "107-orders-drill-down").await;

    // By customer.
    client.back().await.unwrap_or_else(|e| panic!("{e}"));
    find(&client, "orders-table").await;
    click(&client, "orders-group-customer").await;
    for customer in [suzhou, wuxi] {
        let (count, amount) = by_customer(customer);
        let key = customer.to_string();
        wait_for_css_text(&client, &cell(&key, "orders-count"), |t| t == count).await;
        wait_for_css_text(&client, &cell(&key, "orders-amount"), |t| t == amount).await;
    }

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// A rep's customers: 苏州 ordered a year ago and this month (a repeat customer), 无锡 and 常州
/// for the first time in the last months (new), 杭州 only a year ago (dormant). The admin
/// opens 报表 → 客户价值分析: the revenue, the ABC classes (苏州 and 无锡 make 80 %, 常州 is
/// C), the ranked customers, new against repeat and the dormant customer, as counted here; a
/// customer's revenue opens exactly their orders of the period; at 730 days nobody is dormant.
#[tokio::test]
async fn the_customer_value_report_ranks_customers_splits_new_from_repeat_and_finds_dormant_ones() {
    use rust_decimal::Decimal;

    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let machine = create_product(&acme.admin, "CNC-850", "立式加工中心").await;
    let suzhou = create_customer(&rep, "苏州精工机械有限公司").await;
    let wuxi = create_customer(&rep, "无锡华光机床有限公司").await;
    let changzhou = create_customer(&rep, "常州恒通精密机械").await;
    let hangzhou = create_customer(&rep, "杭州新锐自动化").await;
    let (today, this, last) = china_months();
    let old = today - chrono::Duration::days(400);
    let promised = today + chrono::Duration::days(30);

    // (customer, date, quantity, price).
    let orders = [
        (suzhou, old, 1, 50_000),
        (suzhou, this, 2, 100_000),
        (wuxi, last + chrono::Duration::days(4), 1, 100_000),
        (changzhou, this, 1, 10_000),
        (hangzhou, old, 1, 80_000),
    ];
    let mut created = Vec::new();
    for (customer, date, quantity, price) in orders {
        created.push(
            confirmed_order(
                &rep,
                customer,
                date,
                &[(machine.as_str(), quantity, price, promised)],
            )
            .await,
        );
    }
    let amount = |i: usize| Decimal::from(orders[i].2 * orders[i].3);
    // The last twelve months hold every order but the year-old ones.
    let in_period = |i: usize| orders[i].1 != old;
    let revenue = |customer: Uuid| -> Decimal {
        (0..orders.len())
            .filter(|i| in_period(*i) && orders[*i].0 == customer)
            .map(amount)
            .sum()
    };
    let total: Decimal = [suzhou, wuxi, changzhou].into_iter().map(revenue).sum();

    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-reports").await;
    click(&client, "report-tab-customer-value").await;
    wait_for_text(&client, "value-customers", |t| t == "3").await;
    wait_for_text(&client, "value-revenue", |t| t == yuan(total)).await;
    let class_cell = |class: &str, cell: &str| {
        format!(
            "{}[data-class=\"{class}\"] {}",
            testid("value-class-row"),
            testid(cell)
        )
    };
    let a = revenue(suzhou) + revenue(wuxi);
    wait_for_css_text(&client, &class_cell("A", "value-class-customers"), |t| {
        t == "2"
    })
    .await;
    wait_for_css_text(&client, &class_cell("A", "value-class-revenue"), |t| {
        t == yuan(a)
    })
    .await;
    wait_for_css_text(&client, &class_cell("B", "value-class-customers"), |t| {
        t == "0"
    })
    .await;
    wait_for_css_text(&client, &class_cell("C", "value-class-revenue"), |t| {
        t == yuan(revenue(changzhou))
    })
    .await;
    let top_cell = |customer: Uuid, cell: &str| {
        format!(
            "{}[data-key=\"{customer}\"] {}",
            testid("value-top-row"),
            testid(cell)
        )
    };
    for (rank, customer, class) in [(1, suzhou, "A"), (2, wuxi, "A"), (3, changzhou, "C")] {
        wait_for_css_text(&client, &top_cell(customer, "value-rank"), |t| {
            t == rank.to_string()
        })
        .await;
        wait_for_css_text(&client, &top_cell(customer, "value-class"), |t| t == class).await;
        wait_for_css_text(&client, &top_cell(customer, "value-revenue-cell"), |t| {
            t == yuan(revenue(customer))
        })
        .await;
    }
    let bars = client
        .find_all(Locator::Css(&testid("value-pareto-bar")))
        .await
        .unwrap_or_default();
    assert_eq!(bars.len(), 3, "one bar per customer");
    let cohort = |key: &str, cell: &str| {
        format!(
            "{}[data-key=\"{key}\"] {}",
            testid("value-cohort-row"),
            testid(cell)
        )
    };
    wait_for_css_text(&client, &cohort("new", "value-cohort-customers"), |t| {
        t == "2"
    })
    .await;
    wait_for_css_text(&client, &cohort("new", "value-cohort-revenue"), |t| {
        t == yuan(revenue(wuxi) + revenue(changzhou))
    })
    .await;
    wait_for_css_text(&client, &cohort("repeat", "value-cohort-revenue"), |t| {
        t == yuan(revenue(suzhou))
    })
    .await;
    let dormant = |cell: &str| {
        format!(
            "{}[data-key=\"{hangzhou}\"] {}",
            testid("value-dormant-row"),
            testid(cell)
        )
    };
    wait_for_css_text(&client, &dormant("value-dormant-lifetime"), |t| {
        t == yuan(amount(4))
    })
    .await;
    wait_for_css_text(&client, &dormant("value-dormant-days-since"), |t| {
        t == "400"
    })
    .await;
    wait_for_css_text(&client, &dormant("value-dormant-owner"), |t| t == "张伟").await;
    wait_for_text(&client, "value-dormant-count", |t| t == "1").await;
    screenshot(&client, "108-customer-value").await;
    scroll_to(&client, "value-pareto").await;
    screenshot(&client, "109-customer-value-pareto").await;
    scroll_to(&client, "value-cohort-chart").await;
    screenshot(&client, "110-customer-value-cohorts").await;

    // 苏州's revenue opens their orders of the period: this month's, not last year's.
    click_css(&client, &top_cell(suzhou, "value-revenue-link")).await;
    let order_id = |i: usize| created[i]["id"].as_str().unwrap_or_default().to_owned();
    wait_for_rows(&client, "sales-order-row", &[order_id(1)]).await;
    client.back().await.unwrap_or_else(|e| panic!("{e}"));
    find(&client, "value-top-table").await;

    // At 730 days nobody is dormant.
    select(&client, "value-dormant-days", "730").await;
    find(&client, "value-dormant-empty").await;
    wait_for_text(&client, "value-dormant-count", |t| t == "0").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// The start page opens on the view that fits the role. A rep reads their open deals, what
/// they won this month against their target, their overdue receivables and delivery lines; a
/// manager reads the approval waiting for them, the team's month against the department's
/// target, the weighted forecast and the team's overdue items, and may switch to 我的 and 财务;
/// finance reads what is outstanding, overdue, collected this month and the aging table. Every
/// figure is counted here from the data set; a figure opens the list behind it.
#[tokio::test]
async fn the_start_page_shows_each_role_the_figures_it_reads_first() {
    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let manager = staff(&app, &acme, "qian", "钱经理", "sales_manager", sales).await;
    let response = acme
        .admin
        .patch(
            &format!("/departments/{sales}"),
            &json!({"manager_id": manager.user_id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "manager of 华东销售部");
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    staff(&app, &acme, "li", "李会计", "finance", acme.head_office).await;
    let product = create_product(&acme.admin, "CNC-850", "立式加工中心").await;
    let customer = create_customer(&rep, "苏州精工机械有限公司").await;
    let (today, _, last) = china_months();
    let month = today.format("%Y-%m").to_string();

    // One deal open at 60%, one won today.
    let mut deals = Vec::new();
    for (name, amount, probability) in [("SMT 产线", "100000", 60), ("立加", "250000", 10)] {
        let response = rep
            .post(
                "/opportunities",
                &json!({"name": name, "customer_id": customer, "amount": amount,
                        "probability": probability, "expected_close_date": today}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name}");
        deals.push(
            json_of(response).await["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    let won_stage = won_stage(&rep).await;
    let response = rep
        .post(
            &format!("/opportunities/{}/stage", deals[1]),
            &json!({"stage_id": won_stage}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "won");
    let response = acme
        .admin
        .put(
            "/targets",
            &json!({"metric": "won_amount", "targets": [
                {"subject_kind": "user", "subject_id": rep.user_id, "period": month, "amount": "500000"},
                {"subject_kind": "department", "subject_id": sales, "period": month, "amount": "1000000"}
            ]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "targets");

    // An order of last month promised for last month and not shipped: ¥30,000 fell due last
    // month and is unpaid, ¥70,000 falls due today and ¥20,000 of it came in today.
    let order = confirmed_order(
        &rep,
        customer,
        last + chrono::Duration::days(4),
        &[(&product, 2, 50_000, last + chrono::Duration::days(9))],
    )
    .await;
    let order_id = order["id"].as_str().unwrap_or_default().to_owned();
    let response = rep
        .put(
            &format!("/sales-orders/{order_id}/collection-plan"),
            &json!({"instalments": [
                {"amount": "30000", "due": {"kind": "date", "date": last + chrono::Duration::days(9)}},
                {"amount": "70000", "due": {"kind": "date", "date": today}}
            ]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "collection plan");
    let plan = json_of(response).await;
    let response = acme
        .admin
        .post(
            "/payments",
            &json!({"customer_id": customer, "received_on": today, "amount": "20000",
                    "method": "bank_transfer",
                    "allocations": [{"instalment_id": plan["instalments"][1]["id"], "amount": "20000"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "payment");

    // A quote of ¥600,000 waits for the manager's approval.
    let response = rep
        .post(
            "/quotes",
            &json!({"customer_id": customer, "lines": [{"product_id": product, "quantity": "6"}]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "quote");
    let quote = json_of(response).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let response = rep
        .post(&format!("/quotes/{quote}/submit"), &json!({}))
        .await;
    assert_eq!(json_of(response).await["status"], "pending_approval");

    let driver = Driver::start();
    let client = browser(&driver).await;

    // The rep: one view, their own figures.
    log_in(&client, &app, "acme", "zhangwei@acme.cn").await;
    click(&client, "nav-home").await;
    let pipeline = wait_for_text(&client, "home-my-pipeline", |t| !t.is_empty()).await;
    assert_eq!(pipeline, "1");
    let won = wait_for_text(&client, "home-my-won", |t| t.starts_with('¥')).await;
    assert_eq!(won, "¥250,000.00");
    let hints = wait_for_text(&client, "home-figures", |t| t.contains("目标")).await;
    assert!(hints.contains("¥100,000.00"), "the open amount: {hints}");
    assert!(
        hints.contains("目标 ¥500,000.00 · 50.0%"),
        "won against the rep's target: {hints}"
    );
    let overdue = wait_for_text(&client, "home-my-overdue-receivables", |t| {
        t.starts_with('¥')
    })
    .await;
    assert_eq!(overdue, "¥30,000.00");
    assert_eq!(
        wait_for_text(&client, "home-my-overdue-deliveries", |t| !t.is_empty()).await,
        "1"
    );
    find(&client, "my-tasks").await;
    find(&client, "home-my-funnel").await;
    assert!(
        texts_of(&client, "home-view-team").await.is_empty(),
        "no other view"
    );
    screenshot(&client, "95-home-rep").await;
    click(&client, "home-my-overdue-receivables").await;
    let rows = wait_for_any(&client, "receivable-row", |t| t.contains("30,000.00")).await;
    assert_eq!(rows.len(), 1, "only the overdue instalment: {rows:?}");
    log_out(&client).await;

    // The manager opens on the team.
    log_in(&client, &app, "acme", "qian@acme.cn").await;
    click(&client, "nav-home").await;
    assert_eq!(
        wait_for_text(&client, "home-awaiting-me", |t| !t.is_empty()).await,
        "1"
    );
    assert_eq!(
        wait_for_text(&client, "home-team-won", |t| t.starts_with('¥')).await,
        "¥250,000.00"
    );
    assert_eq!(
        wait_for_text(&client, "home-team-expected", |t| t.starts_with('¥')).await,
        "¥60,000.00",
        "¥100,000 at 60%"
    );
    assert_eq!(
        wait_for_text(&client, "home-team-overdue-deliveries", |t| !t.is_empty()).await,
        "1"
    );
    assert_eq!(
        wait_for_text(&client, "home-team-overdue-receivables", |t| t
            .starts_with('¥'))
        .await,
        "¥30,000.00"
    );
    let hints = wait_for_text(&client, "home-figures", |t| t.contains("目标")).await;
    assert!(
        hints.contains("目标 ¥1,000,000.00 · 25.0%"),
        "against the department's target: {hints}"
    );
    find(&client, "home-team-funnel").await;
    find(&client, "home-forecast").await;
    screenshot(&client, "96-home-manager").await;
    click(&client, "home-view-finance").await;
    assert_eq!(
        wait_for_text(&client, "home-outstanding", |t| t.starts_with('¥')).await,
        "¥80,000.00"
    );
    click(&client, "home-view-mine").await;
    assert_eq!(
        wait_for_text(&client, "home-my-pipeline", |t| !t.is_empty()).await,
        "0"
    );
    click(&client, "home-view-team").await;
    click(&client, "home-awaiting-me").await;
    wait_for_any(&client, "approval-row", |t| {
        t.contains("苏州精工机械有限公司")
    })
    .await;
    log_out(&client).await;

    // Finance opens on receivables.
    log_in(&client, &app, "acme", "li@acme.cn").await;
    click(&client, "nav-home").await;
    assert_eq!(
        wait_for_text(&client, "home-outstanding", |t| t.starts_with('¥')).await,
        "¥80,000.00",
        "¥30,000 overdue and ¥50,000 due today"
    );
    assert_eq!(
        wait_for_text(&client, "home-finance-overdue", |t| t.starts_with('¥')).await,
        "¥30,000.00"
    );
    assert_eq!(
        wait_for_text(&client, "home-collection-rate", |t| t.ends_with('%')).await,
        "28.6%",
        "¥20,000 of the ¥70,000 due this month"
    );
    find(&client, "home-collections").await;
    wait_for_any(&client, "aging-row", |t| t.contains("苏州精工机械有限公司")).await;
    screenshot(&client, "97-home-finance").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// Three exhibition leads (one converted with a deal that was won at ¥100,000) and one referral
/// lead, all created today by the rep. The admin opens 报表 → 线索来源分析 and reads each
/// source's leads, qualified, converted and won, the amount and the rates, as counted here;
/// the exhibition's lead count opens exactly its three leads, with the creation days as a chip.
#[tokio::test]
async fn the_lead_sources_report_counts_each_sources_leads_and_a_count_opens_them() {
    use rust_decimal::Decimal;

    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let lead = |company: &str, source: &str| {
        json!({"company_name": company, "contact_name": "王工", "source": source,
               "mobile": "13800138000", "industry": "机械制造"})
    };
    let mut exhibition = Vec::new();
    for company in [
        "苏州明达机械有限公司",
        "杭州恒润科技有限公司",
        "宁波远大模具厂",
    ] {
        exhibition.push(
            create_lead(&rep, lead(company, "exhibition"))
                .await
                .to_string(),
        );
    }
    create_lead(&rep, lead("无锡华光电子有限公司", "referral")).await;
    let won_lead = &exhibition[0];
    let response = acme
        .admin
        .post(&format!("/leads/{won_lead}/qualify"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "qualify");
    let response = acme
        .admin
        .post(
            &format!("/leads/{won_lead}/convert"),
            &json!({"opportunity": {"name": "首单", "amount": "100000", "expected_close_date": "2030-06-30"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "convert");
    let deal = json_of(response).await["opportunity_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let pipelines = json_of(rep.get("/pipelines").await).await;
    let won_stage = pipelines[0]["stages"]
        .as_array()
        .and_then(|stages| stages.iter().find(|s| s["kind"] == "won"))
        .and_then(|s| s["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let response = rep
        .post(
            &format!("/opportunities/{deal}/stage"),
            &json!({"stage_id": won_stage}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "win");

    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-reports").await;
    click(&client, "report-tab-lead-sources").await;
    find(&client, "lead-sources-table").await;
    let cell = |source: &str, cell: &str| {
        format!(
            "{}[data-source=\"{source}\"] {}",
            testid("lead-sources-row"),
            testid(cell)
        )
    };
    // Exhibition: 3 leads, 1 qualified (and converted), 1 won; referral: 1 untouched lead.
    let expected = [
        (
            "exhibition",
            [
                ("lead-sources-leads", "3".to_owned()),
                ("lead-sources-qualified", "1".to_owned()),
                ("lead-sources-converted", "1".to_owned()),
                ("lead-sources-won-leads", "1".to_owned()),
                ("lead-sources-won-deals", "1".to_owned()),
                ("lead-sources-won-amount", yuan(Decimal::from(100_000))),
                ("lead-sources-qualified-rate", "33.3%".to_owned()),
                ("lead-sources-converted-rate", "33.3%".to_owned()),
                ("lead-sources-qualified-won-rate", "100.0%".to_owned()),
                ("lead-sources-won-rate", "33.3%".to_owned()),
            ],
        ),
        (
            "referral",
            [
                ("lead-sources-leads", "1".to_owned()),
                ("lead-sources-qualified", "0".to_owned()),
                ("lead-sources-converted", "0".to_owned()),
                ("lead-sources-won-leads", "0".to_owned()),
                ("lead-sources-won-deals", "0".to_owned()),
                ("lead-sources-won-amount", "—".to_owned()),
                ("lead-sources-qualified-rate", "0.0%".to_owned()),
                ("lead-sources-converted-rate", "0.0%".to_owned()),
                ("lead-sources-qualified-won-rate", "—".to_owned()),
                ("lead-sources-won-rate", "0.0%".to_owned()),
            ],
        ),
    ];
    for (source, figures) in &expected {
        for (id, want) in figures {
            wait_for_css_text(&client, &cell(source, id), |t| t == want).await;
        }
    }
    let total = format!(
        "{} {}",
        testid("lead-sources-total"),
        testid("lead-sources-leads")
    );
    wait_for_css_text(&client, &total, |t| t == "4").await;
    let bars = client
        .find_all(Locator::Css(&testid("lead-sources-bar")))
        .await
        .unwrap_or_default();
    assert_eq!(bars.len(), 2, "one bar per source");
    find(&client, "lead-sources-campaign-note").await;
    screenshot(&client, "107-lead-sources").await;

    // The exhibition's count: its three leads, created today.
    click_css(&client, &cell("exhibition", "lead-sources-leads-link")).await;
    wait_for_rows(&client, "lead-row", &exhibition).await;
    wait_for_any(&client, "report-filter", |t| t.contains("创建时间")).await;
    screenshot(&client, "108-lead-sources-drill-down").await;

    // Back (the browser's) on the report, the won count: the one lead with a won deal.
    client.back().await.unwrap_or_else(|e| panic!("{e}"));
    click_css(&client, &cell("exhibition", "lead-sources-won-leads-link")).await;
    wait_for_rows(&client, "lead-row", std::slice::from_ref(won_lead)).await;
    wait_for_any(&client, "report-filter", |t| t.contains("已赢单")).await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}

/// The rep follows up three customers: one 40 days ago, one 35 days ago, the third 8 days ago
/// and twice today. The admin opens 报表 → 跟进分析 over the last two weeks and reads the rep's
/// follow-ups week by week and in total, as counted here; the two customers idle for more
/// than 30 days are listed longest first, and their count opens exactly them in the customer
/// list.
#[tokio::test]
async fn the_activity_report_counts_each_reps_follow_ups_by_week_and_opens_the_idle_customers() {
    use chrono::Datelike;

    let app = spawn_app_serving(Some(spa_dir())).await;
    let acme = app.tenant("acme").await;
    let sales = acme.department("华东销售部", acme.head_office).await;
    let rep = staff(&app, &acme, "zhangwei", "张伟", "sales_rep", sales).await;
    let older = create_customer(&rep, "苏州老客户机械有限公司").await;
    let old = create_customer(&rep, "无锡老客户电子有限公司").await;
    let recent = create_customer(&rep, "杭州近期客户有限公司").await;
    let now = chrono::Utc::now();
    let follow_ups = [
        (older, "visit", 40),
        (old, "call", 35),
        (recent, "call", 8),
        (recent, "call", 0),
        (recent, "wechat", 0),
    ];
    for (customer, kind, days) in follow_ups {
        let at = now - chrono::Duration::days(days);
        let response = rep
            .post(
                "/activities",
                &json!({"kind": kind, "subject": "回访", "customer_id": customer,
                        "occurred_at": at.to_rfc3339()}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "follow-up {days}");
    }
    let today = (now + chrono::Duration::hours(8)).date_naive();
    let from = today - chrono::Duration::days(13);
    let monday = |d: chrono::NaiveDate| {
        d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
    };
    // Per week of the period, the rep's follow-ups in it.
    let mut weeks = vec![monday(from)];
    while let Some(next) = weeks.last().map(|d| *d + chrono::Duration::days(7)) {
        if next > today {
            break;
        }
        weeks.push(next);
    }
    let in_period: Vec<chrono::NaiveDate> = follow_ups
        .iter()
        .map(|(_, _, days)| {
            (now - chrono::Duration::days(*days) + chrono::Duration::hours(8)).date_naive()
        })
        .filter(|d| *d >= from && *d <= today)
        .collect();
    let per_week: Vec<String> = weeks
        .iter()
        .map(|w| {
            in_period
                .iter()
                .filter(|d| monday(**d) == *w)
                .count()
                .to_string()
        })
        .collect();

    let driver = Driver::start();
    let client = browser(&driver).await;
    log_in(&client, &app, "acme", "admin@acme.cn").await;
    click(&client, "nav-reports").await;
    click(&client, "report-tab-activity").await;
    find(&client, "activity-table").await;
    goto(
        &client,
        &app,
        &format!("/reports/activity?from={from}&to={today}"),
    )
    .await;
    let rep_row = format!(
        "{}[data-user=\"{}\"]",
        testid("activity-rep-row"),
        rep.user_id
    );
    let total = format!("{rep_row} {}", testid("activity-rep-total"));
    wait_for_css_text(&client, &total, |t| t == in_period.len().to_string()).await;
    let mut shown = Vec::new();
    for cell in client
        .find_all(Locator::Css(&format!(
            "{rep_row} {}",
            testid("activity-rep-week")
        )))
        .await
        .unwrap_or_default()
    {
        shown.push(cell.text().await.unwrap_or_default());
    }
    assert_eq!(shown, per_week, "the rep's follow-ups per week from {from}");
    wait_for_css_text(
        &client,
        &format!("{rep_row} {}", testid("activity-rep-kinds")),
        |t| t.contains("电话 2") && t.contains("微信 1"),
    )
    .await;
    wait_for_text(&client, "activity-grand-total", |t| {
        t == in_period.len().to_string()
    })
    .await;
    wait_for_text(&client, "activity-total", |t| {
        t == in_period.len().to_string()
    })
    .await;
    let columns = client
        .find_all(Locator::Css(&testid("activity-week")))
        .await
        .unwrap_or_default();
    assert_eq!(columns.len(), weeks.len(), "one column per week");

    // Idle for more than 30 days: the one followed up 40 days ago first.
    wait_for_text(&client, "activity-idle-count", |t| t == "2").await;
    let idle = [older.to_string(), old.to_string()];
    let mut listed = Vec::new();
    for row in client
        .find_all(Locator::Css(&testid("activity-idle-row")))
        .await
        .unwrap_or_default()
    {
        listed.push(row.attr("data-id").await.ok().flatten().unwrap_or_default());
    }
    assert_eq!(listed, idle, "longest idle first");
    let days = texts_of(&client, "activity-idle-days").await;
    assert_eq!(days, ["40", "35"]);
    screenshot(&client, "109-activity").await;

    click(&client, "activity-idle-link").await;
    wait_for_rows(&client, "customer-row", &idle).await;
    wait_for_any(&client, "report-filter", |t| t.contains("未跟进超过")).await;
    screenshot(&client, "110-activity-drill-down").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}
