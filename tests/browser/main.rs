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
use serde_json::json;

use helpers::{PASSWORD, spawn_app_serving};

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
    let profile = std::env::temp_dir().join(format!("crm-chromium-{}", uuid::Uuid::now_v7().simple()));
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
    assert!(dir.join("index.html").is_file(), "build the SPA first: scripts/build-frontend.sh");
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap_or_else(|e| panic!("{e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots").join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("{e}"));
}

fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

async fn find(client: &Client, id: &str) -> fantoccini::elements::Element {
    client.wait().at_most(WAIT).for_element(Locator::Css(&testid(id))).await.unwrap_or_else(|e| panic!("{id}: {e}"))
}

async fn type_into(client: &Client, id: &str, text: &str) {
    let element = find(client, id).await;
    element.clear().await.unwrap_or_else(|e| panic!("{id}: {e}"));
    element.send_keys(text).await.unwrap_or_else(|e| panic!("{id}: {e}"));
}

async fn click(client: &Client, id: &str) {
    find(client, id).await.click().await.unwrap_or_else(|e| panic!("{id}: {e}"));
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
        assert!(std::time::Instant::now() < deadline, "{id} never matched; last text: {text:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn rows_text(client: &Client) -> Vec<String> {
    let mut texts = Vec::new();
    for row in client.find_all(Locator::Css(&testid("lead-row"))).await.unwrap_or_default() {
        texts.push(row.text().await.unwrap_or_default());
    }
    texts
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

    client.goto(&format!("{}/", app.address)).await.unwrap_or_else(|e| panic!("{e}"));
    type_into(&client, "login-tenant", "acme").await;
    type_into(&client, "login-email", "admin@acme.cn").await;
    type_into(&client, "login-password", "wrong-password").await;
    click(&client, "login-submit").await;
    let error = wait_for_text(&client, "login-error", |t| !t.is_empty()).await;
    assert!(error.contains("账号或密码错误"), "login error shown: {error}");
    screenshot(&client, "01-login-error").await;

    type_into(&client, "login-password", PASSWORD).await;
    click(&client, "login-submit").await;
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
    find(&client, "lead-source").await.select_by_value("exhibition").await.unwrap_or_else(|e| panic!("{e}"));
    click(&client, "lead-submit").await;
    let field_error = wait_for_text(&client, "error-email", |t| !t.is_empty()).await;
    assert!(field_error.contains("格式不正确"), "the API's message under the field: {field_error}");
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
        assert!(std::time::Instant::now() < deadline, "search did not narrow to the new lead: {rows:?}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    screenshot(&client, "05-leads-search").await;

    // Switch to English: navigation and table re-render at once.
    let nav_zh = find(&client, "nav-leads").await.text().await.unwrap_or_default();
    assert!(nav_zh.contains("线索"), "{nav_zh}");
    find(&client, "lang-switch").await.select_by_value("en").await.unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&client, "nav-leads", |t| t.contains("Leads")).await;
    screenshot(&client, "06-leads-english").await;

    client.close().await.unwrap_or_else(|e| panic!("{e}"));
}
