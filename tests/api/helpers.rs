//! `spawn_app()`: a real server on a random port over a fresh database — a SQLite file by
//! default, or a new PostgreSQL database when `CRM_TEST_PG_URL` names a server.

use std::net::TcpListener;
use std::sync::OnceLock;
use std::time::Duration;

use crm_api::auth::{passwords, throttle::LoginThrottle, tokens::TokenKeys};
use crm_api::rate_limit::{Limit, RateLimiter, RateLimits};
use crm_api::{AppState, ServeOptions};
use crm_api_types::Page;
use crm_api_types::identity::{
    CreateDepartmentRequest, CreateUserRequest, DepartmentResponse, RoleResponse, UserResponse,
};
use crm_persistence::tenants::{self, NewTenant};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

pub const PASSWORD: &str = "Passw0rd!2026";

/// One hash for every test user: argon2 is slow by design, and the tests need not be.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| passwords::hash(PASSWORD).unwrap_or_default())
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: crm_persistence::Database,
    /// For a second process on the same database.
    pub database_url: String,
    _database: TestDatabase,
    /// The attachment store, removed with the app.
    _files: tempdir::Dir,
}

enum TestDatabase {
    Sqlite(#[allow(dead_code)] tempdir::Dir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop the database on a separate runtime: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async {
                        if let Ok(db) = crm_persistence::connect(&admin_url).await {
                            use sea_orm::ConnectionTrait;
                            let _ = db
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

mod tempdir {
    /// A directory removed when dropped.
    pub struct Dir(pub std::path::PathBuf);

    impl Dir {
        pub fn new() -> std::io::Result<Self> {
            let path =
                std::env::temp_dir().join(format!("crm-test-{}", uuid::Uuid::now_v7().simple()));
            std::fs::create_dir_all(&path)?;
            Ok(Self(path))
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_serving(None).await
}

/// Like `spawn_app`, also serving the built SPA from `spa_dir`.
pub async fn spawn_app_serving(spa_dir: Option<std::path::PathBuf>) -> TestApp {
    spawn(spa_dir, unlimited()).await
}

/// Like `spawn_app`, with the given rate limits (tests otherwise get limits they never reach).
pub async fn spawn_app_limited(limits: RateLimits) -> TestApp {
    spawn(None, limits).await
}

fn unlimited() -> RateLimits {
    let limit = Limit {
        per_second: 1e6,
        burst: 1_000_000,
    };
    RateLimits {
        user: limit,
        api_key: limit,
        anonymous: limit,
    }
}

async fn spawn(spa_dir: Option<std::path::PathBuf>, limits: RateLimits) -> TestApp {
    if let Ok(filter) = std::env::var("CRM_TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    }
    let (url, database) = match std::env::var("CRM_TEST_PG_URL") {
        Ok(base) => {
            let name = format!("t_{}", Uuid::now_v7().simple());
            let admin_url = format!("{base}/postgres");
            let admin = crm_persistence::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("postgres: {e}"));
            use sea_orm::ConnectionTrait;
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            (
                format!("{base}/{name}"),
                TestDatabase::Postgres { admin_url, name },
            )
        }
        Err(_) => {
            let dir = tempdir::Dir::new().unwrap_or_else(|e| panic!("{e}"));
            let url = format!("sqlite://{}?mode=rwc", dir.0.join("crm.sqlite").display());
            (url, TestDatabase::Sqlite(dir))
        }
    };
    let db = crm_persistence::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("connect {url}: {e}"));
    crm_persistence::database::migrate(&db)
        .await
        .unwrap_or_else(|e| panic!("migrate: {e}"));

    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let files = tempdir::Dir::new().unwrap_or_else(|e| panic!("{e}"));
    let state = AppState {
        db: db.clone(),
        files: crm_persistence::attachments::FileStore::new(files.0.clone()),
        tokens: TokenKeys::new(b"test-secret-of-at-least-32-bytes!!"),
        login_throttle: LoginThrottle::default(),
        rate_limiter: RateLimiter::new(limits),
    };
    let options = ServeOptions {
        spa_dir,
        shutdown_timeout: Duration::from_secs(1),
        workers: 2,
    };
    let server = crm_api::serve(listener, state, options).unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(server);
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        database_url: url,
        _database: database,
        _files: files,
    }
}

/// A logged-in user of a tenant, able to send requests with their token.
#[derive(Clone)]
pub struct Session {
    pub address: String,
    pub client: reqwest::Client,
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: Uuid,
}

impl Session {
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}/api/v1{path}", self.address))
            .bearer_auth(&self.access_token)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PUT, path)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Creates a lead and returns its JSON.
    pub async fn create_lead(&self, company: &str) -> Value {
        let response = self
            .post("/leads", &json!({"company_name": company, "contact_name": "王磊", "source": "phone", "mobile": "13812345678"}))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "create lead {company}"
        );
        json_of(response).await
    }
}

impl TestApp {
    /// The events queued in the outbox for `session`'s tenant, oldest first: the name and the
    /// payload.
    pub async fn queued_events(&self, session: &Session) -> Vec<(String, Value)> {
        let me = json_of(session.get("/me").await).await;
        let tenant_id: Uuid = me["tenant"]["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no tenant in {me}"));
        crm_persistence::outbox::pending(&self.db, tenant_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|(name, _, payload)| (name, payload))
            .collect()
    }
}

pub async fn json_of(response: Response) -> Value {
    response
        .json::<Value>()
        .await
        .unwrap_or_else(|e| panic!("not JSON: {e}"))
}

/// A tenant with its admin logged in, and helpers to build an org chart through the API.
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub admin: Session,
    pub head_office: Uuid,
}

impl TestApp {
    pub async fn tenant(&self, slug: &str) -> Tenant {
        let created = tenants::create(
            &self.db,
            NewTenant {
                slug: slug.to_owned(),
                name: format!("{slug} 有限公司"),
                admin_email: format!("admin@{slug}.cn"),
                admin_name: "管理员".to_owned(),
                admin_password_hash: password_hash().to_owned(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let admin = self
            .login(slug, &format!("admin@{slug}.cn"), PASSWORD)
            .await;
        Tenant {
            id: created.tenant.id,
            slug: slug.to_owned(),
            admin,
            head_office: created.head_office.id,
        }
    }

    pub async fn login_response(&self, tenant: &str, email: &str, password: &str) -> Response {
        self.client
            .post(format!("{}/api/v1/auth/login", self.address))
            .json(&json!({"tenant": tenant, "email": email, "password": password}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn login(&self, tenant: &str, email: &str, password: &str) -> Session {
        let response = self.login_response(tenant, email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login {email}");
        let tokens = json_of(response).await;
        let mut session = Session {
            address: self.address.clone(),
            client: self.client.clone(),
            access_token: tokens["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            refresh_token: tokens["refresh_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            user_id: Uuid::nil(),
        };
        let me = json_of(session.get("/me").await).await;
        session.user_id = me["user"]["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default();
        session
    }
}

impl Tenant {
    /// The admin moves `user` to `department` (as the user's edit form does, with its
    /// version).
    pub async fn move_user(&self, user: Uuid, department: &Value) {
        let path = format!("/users/{user}");
        let current = json_of(self.admin.get(&path).await).await;
        let response = self
            .admin
            .request(reqwest::Method::PATCH, &path)
            .header("If-Match", format!("\"{}\"", current["version"]))
            .json(&serde_json::json!({"department_id": department}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK, "move {user}");
    }

    pub async fn department(&self, name: &str, parent: Uuid) -> Uuid {
        let body = CreateDepartmentRequest {
            name: name.to_owned(),
            parent_id: Some(parent),
            manager_id: None,
        };
        let response = self
            .admin
            .post(
                "/departments",
                &serde_json::to_value(body).unwrap_or_default(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let department: DepartmentResponse =
            response.json().await.unwrap_or_else(|e| panic!("{e}"));
        department.id
    }

    pub async fn role_id(&self, key: &str) -> Uuid {
        let roles: Page<RoleResponse> = self
            .admin
            .get("/roles")
            .await
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        roles
            .items
            .into_iter()
            .find(|r| r.key == key)
            .map(|r| r.id)
            .unwrap_or_else(|| panic!("no role {key}"))
    }

    /// Creates a user through the API and logs them in.
    pub async fn user(&self, app: &TestApp, login: &str, role: &str, department: Uuid) -> Session {
        self.named_user(app, login, login, role, department).await
    }

    /// Like `user`, with a display name other than the login (e.g. a Chinese name).
    pub async fn named_user(
        &self,
        app: &TestApp,
        login: &str,
        name: &str,
        role: &str,
        department: Uuid,
    ) -> Session {
        let email = format!("{login}@{}.cn", self.slug);
        let body = CreateUserRequest {
            email: email.clone(),
            name: name.to_owned(),
            password: PASSWORD.to_owned(),
            phone: None,
            department_id: department,
            role_id: self.role_id(role).await,
        };
        let response = self
            .admin
            .post("/users", &serde_json::to_value(body).unwrap_or_default())
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "create user {login}"
        );
        let _: UserResponse = response.json().await.unwrap_or_else(|e| panic!("{e}"));
        app.login(&self.slug, &email, PASSWORD).await
    }
}
