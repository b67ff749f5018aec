//! Outgoing webhooks: an admin subscribes a receiver; business events reach it signed per
//! Standard Webhooks, at least once, retried on the schedule when it fails, and the endpoint
//! is switched off when the receiver says it is gone. The delivery log, resend, replay, secret
//! rotation and the SSRF guard are driven through the API, and one tenant never sees
//! another's endpoints or events.

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crm_api::webhooks::dispatcher::{self, DispatcherOptions};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{Session, Tenant, TestApp, json_of, spawn_app};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub content_type: String,
    pub id: String,
    pub timestamp: i64,
    pub signatures: Vec<String>,
    pub body: String,
    pub at: Instant,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// Whether one of the signatures is `secret`'s, checked the way the spec tells
    /// receivers to (written here independently of the server's code).
    pub fn signed_with(&self, secret: &str) -> bool {
        let key = STANDARD
            .decode(secret.trim_start_matches("whsec_"))
            .unwrap_or_default();
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
            return false;
        };
        mac.update(format!("{}.{}.{}", self.id, self.timestamp, self.body).as_bytes());
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        self.signatures.contains(&expected)
    }
}

/// One scripted answer: a status and an optional `Retry-After`.
type Answer = (u16, Option<&'static str>);

/// A webhook receiver on loopback: records what it gets and answers from a script (status,
/// optional `Retry-After`), 204 once the script is used up.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    log: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<Answer>>>,
    /// How long each answer takes.
    delay: Duration,
}

impl Receiver {
    pub async fn start(script: &[Answer]) -> Self {
        Self::start_slow(script, Duration::ZERO).await
    }

    pub async fn start_slow(script: &[Answer], delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let url = format!(
            "http://{}/hooks/crm",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let receiver = Self {
            url,
            log: Arc::default(),
            script: Arc::new(Mutex::new(script.iter().copied().collect())),
            delay,
        };
        let state = web::Data::new(receiver.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .default_service(web::to(receive))
        })
        .workers(2)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .unwrap_or_else(|e| panic!("{e}"))
        .run();
        tokio::spawn(server);
        receiver
    }

    pub fn received(&self) -> Vec<Received> {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// Waits until `done` holds for what was received, up to `timeout`.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if done(&received) || started.elapsed() > timeout {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, state: web::Data<Receiver>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let received = Received {
        content_type: header("content-type"),
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp").parse().unwrap_or_default(),
        signatures: header("webhook-signature")
            .split(' ')
            .map(str::to_owned)
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        at: Instant::now(),
    };
    if let Ok(mut log) = state.log.lock() {
        log.push(received);
    }
    tokio::time::sleep(state.delay).await;
    let next = state.script.lock().ok().and_then(|mut s| s.pop_front());
    match next {
        Some((status, retry_after)) => {
            let status = actix_web::http::StatusCode::from_u16(status)
                .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = HttpResponse::build(status);
            if let Some(seconds) = retry_after {
                response.insert_header(("Retry-After", seconds));
            }
            response.body("receiver says no")
        }
        None => HttpResponse::NoContent().finish(),
    }
}

/// The (field, code) pairs of a 422.
async fn field_codes(response: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    json_of(response).await["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
                    (text("field"), text("code"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A dispatcher for the test's database: quick to poll, with the retry schedule shrunk.
pub fn dispatch(app: &TestApp, retry_scale: f64) {
    let options = DispatcherOptions {
        poll: Duration::from_millis(20),
        timeout: Duration::from_secs(5),
        retry_scale,
        ..DispatcherOptions::default()
    };
    dispatcher::spawn(app.db.clone(), options).unwrap_or_else(|e| panic!("{e}"));
}

/// Lets the tenant's webhooks reach loopback, where the test receivers listen.
pub async fn allow_loopback(tenant: &Tenant) {
    let response = tenant
        .admin
        .patch(
            "/settings",
            &json!({"webhook_allowed_hosts": ["127.0.0.1"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "allow loopback");
}

/// Subscribes `url` to `events`; returns the endpoint's id and secret.
pub async fn subscribe(admin: &Session, url: &str, events: &[&str]) -> (String, String) {
    let response = admin
        .post(
            "/webhook-endpoints",
            &json!({"url": url, "events": events, "description": "ERP"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "subscribe");
    let created = json_of(response).await;
    let secret = created["secret"].as_str().unwrap_or_default().to_owned();
    assert!(secret.starts_with("whsec_"), "{created}");
    let id = created["endpoint"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (id, secret)
}

async fn create_customer(session: &Session, name: &str) -> Value {
    let response = session.post("/customers", &json!({"name": name})).await;
    assert_eq!(response.status(), StatusCode::CREATED, "customer {name}");
    json_of(response).await
}

async fn deliveries(admin: &Session, endpoint: &str) -> Vec<Value> {
    let page = json_of(
        admin
            .get(&format!("/webhook-endpoints/{endpoint}/deliveries"))
            .await,
    )
    .await;
    page["items"].as_array().cloned().unwrap_or_default()
}

const WAIT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn events_reach_the_receiver_signed_once_each() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let receiver = Receiver::start(&[]).await;

    // Loopback is refused until an admin allows it.
    let refused = acme
        .admin
        .post(
            "/webhook-endpoints",
            &json!({"url": receiver.url, "events": ["customer.created"]}),
        )
        .await;
    assert_eq!(
        field_codes(refused).await,
        vec![("url".to_owned(), "internal_address".to_owned())]
    );
    allow_loopback(&acme).await;
    let (endpoint, secret) = subscribe(&acme.admin, &receiver.url, &["customer.created"]).await;
    dispatch(&app, 1.0);

    let created = create_customer(&acme.admin, "苏州精工机械有限公司").await;
    create_customer(&acme.admin, "无锡华光电子有限公司").await;
    let received = receiver.wait_for(WAIT, |r| r.len() >= 2).await;
    assert_eq!(received.len(), 2, "one delivery per event");
    let first = received
        .iter()
        .find(|r| r.json()["subject_id"] == created["id"])
        .unwrap_or_else(|| panic!("no delivery for {created}"));
    assert!(
        received.iter().all(|r| r.signed_with(&secret)),
        "signatures verify"
    );
    assert!((chrono::Utc::now().timestamp() - first.timestamp).abs() < 60);
    let body = first.json();
    assert_eq!(body["id"], first.id.as_str(), "webhook-id is the event id");
    assert_eq!(body["type"], "customer.created");
    assert_eq!(body["subject_id"], created["id"]);
    assert_eq!(body["data"]["name"], "苏州精工机械有限公司");

    // The log shows both delivered, with one attempt each.
    let log = deliveries(&acme.admin, &endpoint).await;
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|d| d["status"] == "delivered" && d["attempts"] == 1)
    );
    let delivery = log[0]["id"].as_str().unwrap_or_default();
    let attempts = json_of(
        acme.admin
            .get(&format!("/webhook-deliveries/{delivery}/attempts"))
            .await,
    )
    .await;
    assert_eq!(attempts[0]["status_code"], 204);

    // Nothing else is sent later (no duplicates in the normal case).
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 2);
}

#[tokio::test]
async fn a_failing_receiver_sees_the_retry_schedule_then_succeeds() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    allow_loopback(&acme).await;
    let receiver = Receiver::start(&[(500, None), (503, None), (502, None), (500, None)]).await;
    let (endpoint, _) = subscribe(&acme.admin, &receiver.url, &["*"]).await;
    // The schedule shrunk 100×: 5 s → 50 ms, 30 s → 300 ms, 2 min → 1.2 s, 5 min → 3 s.
    dispatch(&app, 0.01);

    create_customer(&acme.admin, "常州恒力机电有限公司").await;
    let received = receiver
        .wait_for(Duration::from_secs(30), |r| r.len() >= 5)
        .await;
    assert_eq!(received.len(), 5, "four failures, then delivered");
    assert!(
        received.iter().all(|r| r.id == received[0].id),
        "same webhook-id"
    );
    let gaps: Vec<Duration> = received.windows(2).map(|w| w[1].at - w[0].at).collect();
    let expected = [0.05, 0.3, 1.2, 3.0];
    for (gap, planned) in gaps.iter().zip(expected) {
        let gap = gap.as_secs_f64();
        assert!(
            gap >= planned * 0.85 && gap < planned * 1.1 + 0.5,
            "gaps {gaps:?} follow the schedule {expected:?}"
        );
    }

    let log = deliveries(&acme.admin, &endpoint).await;
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["attempts"], 5);
    let delivery = log[0]["id"].as_str().unwrap_or_default();
    let attempts = json_of(
        acme.admin
            .get(&format!("/webhook-deliveries/{delivery}/attempts"))
            .await,
    )
    .await;
    let codes: Vec<i64> = attempts
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["status_code"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(codes, vec![500, 503, 502, 500, 204]);
    assert_eq!(attempts[0]["response_excerpt"], "receiver says no");
    let endpoint = json_of(
        acme.admin
            .get(&format!("/webhook-endpoints/{endpoint}"))
            .await,
    )
    .await;
    assert_eq!(
        endpoint["consecutive_failures"], 0,
        "success clears the count"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    allow_loopback(&acme).await;
    let receiver = Receiver::start(&[(429, Some("2"))]).await;
    subscribe(&acme.admin, &receiver.url, &["customer.created"]).await;
    dispatch(&app, 0.01);
    create_customer(&acme.admin, "南通远洋船舶配件有限公司").await;
    let received = receiver.wait_for(WAIT, |r| r.len() >= 2).await;
    assert_eq!(received.len(), 2);
    let gap = received[1].at - received[0].at;
    assert!(
        gap >= Duration::from_millis(1900),
        "waited {gap:?} for Retry-After: 2"
    );
}

#[tokio::test]
async fn gone_switches_the_endpoint_off_and_tells_its_creator() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    allow_loopback(&acme).await;
    let receiver = Receiver::start(&[(410, None)]).await;
    let (endpoint, _) = subscribe(&acme.admin, &receiver.url, &["customer.created"]).await;
    dispatch(&app, 0.01);
    create_customer(&acme.admin, "扬州金泰阀门有限公司").await;
    receiver.wait_for(WAIT, |r| !r.is_empty()).await;

    let path = format!("/webhook-endpoints/{endpoint}");
    let mut state = Value::Null;
    for _ in 0..100 {
        state = json_of(acme.admin.get(&path).await).await;
        if state["enabled"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(state["enabled"], false);
    assert_eq!(state["disabled_reason"], "gone");
    let log = deliveries(&acme.admin, &endpoint).await;
    assert_eq!(log[0]["status"], "failed", "410 is not retried");

    let notes = json_of(acme.admin.get("/notifications").await).await;
    assert_eq!(notes["items"][0]["kind"], "webhook_disabled");
    assert_eq!(notes["items"][0]["subject_id"], endpoint.as_str());

    // Events while it is off are not queued for it; switching it on again resumes.
    create_customer(&acme.admin, "泰州新能源科技有限公司").await;
    let version = state["version"].as_i64().unwrap_or_default();
    let enabled = acme
        .admin
        .request(reqwest::Method::PATCH, &path)
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(enabled.status(), StatusCode::OK);
    let enabled = json_of(enabled).await;
    assert_eq!(enabled["disabled_reason"], Value::Null);
    create_customer(&acme.admin, "盐城海德环保设备有限公司").await;
    let received = receiver.wait_for(WAIT, |r| r.len() >= 2).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[1].json()["data"]["name"],
        "盐城海德环保设备有限公司"
    );
}

#[tokio::test]
async fn a_rotated_secret_keeps_signing_during_the_overlap() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    allow_loopback(&acme).await;
    let receiver = Receiver::start(&[]).await;
    let (endpoint, old) = subscribe(&acme.admin, &receiver.url, &["customer.created"]).await;
    let rotated = json_of(
        acme.admin
            .post(
                &format!("/webhook-endpoints/{endpoint}/rotate-secret"),
                &json!({"overlap_hours": 2}),
            )
            .await,
    )
    .await;
    let new = rotated["secret"].as_str().unwrap_or_default().to_owned();
    assert_ne!(new, old);
    assert_eq!(rotated["previous_secret"], old.as_str());
    dispatch(&app, 1.0);
    create_customer(&acme.admin, "镇江大港化工有限公司").await;
    let received = receiver.wait_for(WAIT, |r| !r.is_empty()).await;
    assert_eq!(received[0].signatures.len(), 2);
    assert!(received[0].signed_with(&new) && received[0].signed_with(&old));

    let too_long = acme
        .admin
        .post(
            &format!("/webhook-endpoints/{endpoint}/rotate-secret"),
            &json!({"overlap_hours": 1000}),
        )
        .await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // No body: the default overlap; the secret it replaces keeps signing.
    let again = acme
        .admin
        .request(
            reqwest::Method::POST,
            &format!("/webhook-endpoints/{endpoint}/rotate-secret"),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(json_of(again).await["previous_secret"], new.as_str());
}

#[tokio::test]
async fn one_delivery_is_resent_and_a_time_range_replayed() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    allow_loopback(&acme).await;
    let receiver = Receiver::start(&[]).await;
    let from = chrono::Utc::now() - chrono::Duration::seconds(1);
    create_customer(&acme.admin, "before the endpoint existed").await;
    let (endpoint, _) = subscribe(&acme.admin, &receiver.url, &["customer.created"]).await;
    dispatch(&app, 1.0);
    create_customer(&acme.admin, "宿迁洋河包装有限公司").await;
    let received = receiver.wait_for(WAIT, |r| !r.is_empty()).await;
    assert_eq!(received.len(), 1);

    let log = deliveries(&acme.admin, &endpoint).await;
    let delivery = log[0]["id"].as_str().unwrap_or_default();
    let resent = acme
        .admin
        .post(
            &format!("/webhook-deliveries/{delivery}/resend"),
            &json!({}),
        )
        .await;
    assert_eq!(resent.status(), StatusCode::ACCEPTED);
    let received = receiver.wait_for(WAIT, |r| r.len() >= 2).await;
    assert_eq!(received[1].id, received[0].id, "the same event again");

    let to = chrono::Utc::now() + chrono::Duration::seconds(1);
    let replayed = json_of(
        acme.admin
            .post(
                &format!("/webhook-endpoints/{endpoint}/replay"),
                &json!({"from": from, "to": to}),
            )
            .await,
    )
    .await;
    assert_eq!(replayed["queued"], 2, "both customers, the earlier one too");
    let received = receiver.wait_for(WAIT, |r| r.len() >= 4).await;
    assert_eq!(received.len(), 4);
    let names: Vec<Value> = received[2..]
        .iter()
        .map(|r| r.json()["data"]["name"].clone())
        .collect();
    assert!(
        names.contains(&json!("before the endpoint existed")),
        "{names:?}"
    );
}

#[tokio::test]
async fn endpoints_are_checked_and_kept_to_their_tenant() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    allow_loopback(&acme).await;
    allow_loopback(&globex).await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;

    let bad = acme
        .admin
        .post(
            "/webhook-endpoints",
            &json!({"url": "ftp://erp.example.com/", "events": ["order.created", "customer.created", "customer.created"]}),
        )
        .await;
    assert_eq!(
        field_codes(bad).await,
        vec![
            ("url".to_owned(), "invalid_format".to_owned()),
            ("events[0]".to_owned(), "unknown_value".to_owned()),
            ("events[2]".to_owned(), "duplicate".to_owned()),
        ]
    );
    let metadata = acme
        .admin
        .post(
            "/webhook-endpoints",
            &json!({"url": "http://169.254.169.254/latest/meta-data", "events": ["*"]}),
        )
        .await;
    assert_eq!(
        metadata.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "cloud metadata"
    );
    assert_eq!(
        rep.get("/webhook-endpoints").await.status(),
        StatusCode::FORBIDDEN,
        "a rep cannot manage webhooks"
    );

    let acme_receiver = Receiver::start(&[]).await;
    let globex_receiver = Receiver::start(&[]).await;
    let (acme_endpoint, _) = subscribe(&acme.admin, &acme_receiver.url, &["*"]).await;
    subscribe(&globex.admin, &globex_receiver.url, &["*"]).await;
    dispatch(&app, 1.0);
    create_customer(&globex.admin, "globex only").await;
    globex_receiver.wait_for(WAIT, |r| !r.is_empty()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        acme_receiver.received().is_empty(),
        "another tenant's events"
    );

    for path in [
        format!("/webhook-endpoints/{acme_endpoint}"),
        format!("/webhook-endpoints/{acme_endpoint}/secret"),
        format!("/webhook-endpoints/{acme_endpoint}/deliveries"),
    ] {
        assert_eq!(
            globex.admin.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let patched = globex
        .admin
        .patch(
            &format!("/webhook-endpoints/{acme_endpoint}"),
            &json!({"url": "https://evil.example.com/"}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        globex
            .admin
            .delete(&format!("/webhook-endpoints/{acme_endpoint}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let types = json_of(acme.admin.get("/event-types").await).await;
    let names: Vec<&str> = types
        .as_array()
        .map(|t| t.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(names.contains(&"payment.received") && names.contains(&"lead.converted"));
}

#[tokio::test]
async fn two_dispatchers_share_the_work_without_sending_twice() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    allow_loopback(&acme).await;
    let receiver = Receiver::start(&[]).await;
    subscribe(&acme.admin, &receiver.url, &["customer.created"]).await;
    dispatch(&app, 1.0);
    dispatch(&app, 1.0);
    for n in 0..40 {
        create_customer(&acme.admin, &format!("客户 {n:02}")).await;
    }
    let received = receiver.wait_for(WAIT, |r| r.len() >= 40).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut ids: Vec<String> = receiver.received().into_iter().map(|r| r.id).collect();
    assert_eq!(received.len(), 40);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "each event once");
}

/// The `crm` binary next to this test binary (`target/debug/crm`; `make test` builds it
/// before the API tests run).
fn server_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let debug = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap_or_else(|| panic!("no target dir above {}", exe.display()));
    let binary = debug.join("crm");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p crm-server` first",
        binary.display()
    );
    binary
}

/// A `crm serve` process on the test's database, sending webhooks.
fn start_server(app: &TestApp, data_dir: &std::path::Path) -> std::process::Child {
    std::process::Command::new(server_binary())
        .arg("serve")
        .env("CRM_DATABASE_URL", &app.database_url)
        .env("CRM_LISTEN", "127.0.0.1:0")
        .env("CRM_DATA_DIR", data_dir)
        .env("CRM_JWT_SECRET", "test-secret-of-at-least-32-bytes!!")
        .env("CRM_WORKERS", "1")
        .env("CRM_WEBHOOK_TIMEOUT_SECS", "2")
        .env("CRM_WEBHOOK_CONCURRENCY", "4")
        .env("CRM_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start crm: {e}"))
}

/// SIGKILL while deliveries are in flight loses none: the restarted server takes over the
/// claims that ran out and sends every event at least once.
#[tokio::test]
async fn a_killed_server_loses_no_event() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    allow_loopback(&acme).await;
    let receiver = Receiver::start_slow(&[], Duration::from_millis(500)).await;
    let (endpoint, _) = subscribe(&acme.admin, &receiver.url, &["customer.created"]).await;
    for n in 0..60 {
        create_customer(&acme.admin, &format!("客户 {n:02}")).await;
    }
    let data_dir = std::env::temp_dir().join(format!("crm-kill-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&data_dir).unwrap_or_else(|e| panic!("{e}"));

    let mut first = start_server(&app, &data_dir);
    receiver.wait_for(WAIT, |r| r.len() >= 5).await;
    first.kill().unwrap_or_else(|e| panic!("SIGKILL: {e}"));
    let _ = first.wait();
    let before = receiver.received().len();
    assert!(before < 60, "killed mid-way ({before} received)");

    let mut second = start_server(&app, &data_dir);
    let mut settled = false;
    for _ in 0..600 {
        let pending = json_of(
            acme.admin
                .get(&format!(
                    "/webhook-endpoints/{endpoint}/deliveries?status=pending"
                ))
                .await,
        )
        .await;
        if pending["items"].as_array().is_some_and(Vec::is_empty) {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let received = receiver.received();
    let _ = second.kill();
    let _ = second.wait();
    let _ = std::fs::remove_dir_all(&data_dir);
    let ids: std::collections::BTreeSet<String> = received.into_iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 60, "every event delivered at least once");
    assert!(settled, "every delivery settled after the restart");
    let log = deliveries(&acme.admin, &endpoint).await;
    assert!(log.iter().all(|d| d["status"] == "delivered"));
}
