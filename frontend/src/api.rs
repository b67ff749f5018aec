//! The HTTP client of `/api/v1`: one method per endpoint, typed with `crm-api-types`.
//!
//! Every call sends `Accept-Language` (so server messages match the UI) and the access token;
//! a 401 triggers one token refresh and one retry (see [`crate::auth::refresh`]). Errors come
//! back as [`ApiError`], which carries the server's `ProblemDetails` when there is one.
//! The endpoints added with customers live in the submodules, one per resource (`api_keys`
//! too); owners, the
//! pool and assignment rules in `ownership`; imports, exports and file downloads in `imports`;
//! the catalogue and price lists in `products`; opportunities, `pipelines` and `saved_filters`
//! in theirs; quotes in `quotes`, the approval engine in `approvals`, the printed
//! documents' letterhead in `document_template`; orders, shipments, plans and invoices in
//! `sales_orders`, payments and aging in `receivables`; `contracts`, `attachments` (upload as
//! the raw body, download with the token), `notifications` (the bell), `webhooks` (outgoing
//! webhooks: endpoints, secrets, the delivery log), `sync` (how ERP syncs by external id
//! ended), `reconciliation` (对账: ERP figures next to the CRM's) and `reports` (统计分析).

mod activities;
mod api_keys;
mod approvals;
mod attachments;
mod contacts;
mod contracts;
mod customers;
mod document_template;
mod imports;
mod lead_actions;
mod notifications;
mod opportunities;
mod ownership;
mod pipelines;
mod products;
mod quotes;
mod receivables;
mod reconciliation;
mod reports;
mod sales_orders;
mod saved_filters;
mod settings;
mod sync;
mod targets;
mod webhooks;

pub use approvals::Decide;
pub use contracts::ContractAction;
pub use imports::Download;
pub use ownership::OwnedRecord;
pub use quotes::QuoteAction;

use crm_api_types::audit::{AdminListQuery, AuditEntryResponse, AuditListQuery};
use crm_api_types::auth::{LoginRequest, LogoutRequest, MeResponse, RefreshRequest, TokenResponse};
use crm_api_types::customers::DuplicateMatch;
use crm_api_types::identity::{
    CreateDepartmentRequest, CreateRoleRequest, CreateUserRequest, DepartmentResponse,
    DirectoryEntry, DirectoryQuery, RoleResponse, UpdateDepartmentRequest, UpdateRoleRequest,
    UpdateUserRequest, UserResponse,
};
use crm_api_types::leads::{CreateLeadRequest, LeadListQuery, LeadResponse, UpdateLeadRequest};
use crm_api_types::{FieldError, Page, ProblemDetails};
use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::auth::{self, Session};
use crate::components::toast::Toasts;
use crate::i18n::{I18n, K};

const API_BASE: &str = "/api/v1";

/// The most a list page may hold; pickers need the whole (small) set of users.
const ADMIN_PAGE: u32 = 200;
/// A guard against a server that keeps returning cursors.
const MAX_PAGES: usize = 50;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with `application/problem+json`.
    Problem(Box<ProblemDetails>),
    /// No answer: offline, DNS, connection reset, CORS.
    Network,
    /// An answer that is neither the expected body nor a problem document.
    Unexpected(u16),
    /// The refresh token was refused: the app has signed out and shows the login page.
    SessionExpired,
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Unexpected(status) => Some(*status),
            ApiError::Network | ApiError::SessionExpired => None,
        }
    }

    /// The per-field validation errors, to show under the form fields.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem(p) => &p.errors,
            _ => &[],
        }
    }

    /// The problem's stable `code` (`invalid_transition`, `customer_duplicate`, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Problem(p) => Some(&p.code),
            _ => None,
        }
    }

    /// For `409 customer_duplicate`: the customers the write would duplicate.
    pub fn duplicates(&self) -> &[DuplicateMatch] {
        match self {
            ApiError::Problem(p) => &p.duplicates,
            _ => &[],
        }
    }

    /// 412: the record changed since it was loaded.
    pub fn is_stale(&self) -> bool {
        self.status() == Some(412)
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// A one-line message for a toast, in the UI language (the server localizes its own).
    pub fn message(&self, i18n: I18n) -> String {
        match self {
            ApiError::Problem(p) => {
                // Field messages say more than "validation failed" when no form field shows them.
                let details: Vec<&str> = if p.errors.is_empty() {
                    p.detail
                        .iter()
                        .map(String::as_str)
                        .filter(|d| !d.is_empty() && *d != p.title)
                        .collect()
                } else {
                    p.errors.iter().map(|e| e.message.as_str()).collect()
                };
                if details.is_empty() {
                    return p.title.clone();
                }
                let (sep, list_sep) = match i18n.lang_untracked() {
                    crate::i18n::Lang::ZhCn => ("：", "；"),
                    crate::i18n::Lang::En => (": ", "; "),
                };
                format!("{}{sep}{}", p.title, details.join(list_sep))
            }
            ApiError::Network => i18n.t(K::NetworkError).to_owned(),
            ApiError::Unexpected(status) => {
                format!("{} (HTTP {status})", i18n.t(K::UnexpectedError))
            }
            ApiError::SessionExpired => i18n.t(K::SessionExpired).to_owned(),
        }
    }
}

/// A record together with the version its `ETag` named, for `If-Match` on the next write.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i32,
}

/// What a request carries.
enum Body {
    Json(String),
    /// A file as the user chose it, sent as is (imports).
    File(web_sys::File),
}

/// One request, kept as data so it can be sent again after a token refresh.
struct Call {
    method: Method,
    /// After `/api/v1`.
    path: String,
    query: Vec<(String, String)>,
    body: Option<Body>,
    if_match: Option<i32>,
    /// Send the access token, and refresh it on a 401.
    authed: bool,
}

impl Call {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            if_match: None,
            authed: true,
        }
    }

    fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// The query structs are flat; absent (`null`) parameters are left out.
    fn with_query<Q: Serialize>(mut self, query: &Q) -> Result<Self, ApiError> {
        // Only our own plain structs go through here; a failure would be a bug, not input.
        let serde_json::Value::Object(fields) =
            serde_json::to_value(query).map_err(|_| ApiError::Unexpected(0))?
        else {
            return Err(ApiError::Unexpected(0));
        };
        self.query = fields
            .into_iter()
            .filter_map(|(name, value)| match value {
                serde_json::Value::Null => None,
                serde_json::Value::String(text) => Some((name, text)),
                other => Some((name, other.to_string())),
            })
            .collect();
        Ok(self)
    }

    fn with_json<B: Serialize>(mut self, body: &B) -> Result<Self, ApiError> {
        let json = serde_json::to_string(body).map_err(|_| ApiError::Unexpected(0))?;
        self.body = Some(Body::Json(json));
        Ok(self)
    }

    fn with_file(mut self, file: web_sys::File) -> Self {
        self.body = Some(Body::File(file));
        self
    }

    fn if_match(mut self, version: i32) -> Self {
        self.if_match = Some(version);
        self
    }

    fn anonymous(mut self) -> Self {
        self.authed = false;
        self
    }
}

/// The client. `Copy`, so async blocks and event handlers can each take one.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    pub session: Session,
    pub i18n: I18n,
    pub toasts: Toasts,
}

pub fn use_api() -> Api {
    expect_context::<Api>()
}

impl Api {
    async fn fetch(self, call: &Call, token: Option<&str>) -> Result<Response, ApiError> {
        let url = format!("{API_BASE}{}", call.path);
        let mut builder = RequestBuilder::new(&url)
            .method(call.method.clone())
            .query(
                call.query
                    .iter()
                    .map(|(name, value)| (name.as_str(), value)),
            )
            .header("Accept", "application/json, application/problem+json")
            .header("Accept-Language", self.i18n.lang_untracked().tag());
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(version) = call.if_match {
            builder = builder.header("If-Match", &format!("\"{version}\""));
        }
        let request = match &call.body {
            Some(Body::Json(json)) => builder
                .header("Content-Type", "application/json")
                .body(json.clone()),
            // The browser streams the file and names its type.
            Some(Body::File(file)) => builder.body(file.clone()),
            None => builder.build(),
        }
        .map_err(|_| ApiError::Network)?;
        request.send().await.map_err(|_| ApiError::Network)
    }

    /// Sends `call`; on a 401 refreshes the tokens once and sends it again.
    async fn send(self, call: Call) -> Result<Response, ApiError> {
        if !call.authed {
            return self.fetch(&call, None).await;
        }
        let mut token = self.session.access_token();
        if token.is_none() {
            auth::refresh(self, None).await?;
            token = self.session.access_token();
        }
        let response = self.fetch(&call, token.as_deref()).await?;
        if response.status() != 401 {
            return Ok(response);
        }
        auth::refresh(self, token).await?;
        let token = self.session.access_token();
        let response = self.fetch(&call, token.as_deref()).await?;
        if response.status() == 401 {
            auth::expire(self);
            return Err(ApiError::SessionExpired);
        }
        Ok(response)
    }

    async fn json<T: DeserializeOwned>(self, call: Call) -> Result<T, ApiError> {
        let response = self.send(call).await?;
        decode(response).await
    }

    async fn no_content(self, call: Call) -> Result<(), ApiError> {
        let response = self.send(call).await?;
        if response.ok() {
            Ok(())
        } else {
            Err(problem(response).await)
        }
    }

    async fn versioned<T: DeserializeOwned>(
        self,
        call: Call,
        body_version: impl Fn(&T) -> i32,
    ) -> Result<Versioned<T>, ApiError> {
        let response = self.send(call).await?;
        let etag = response.headers().get("etag");
        let value: T = decode(response).await?;
        let version = etag
            .as_deref()
            .and_then(parse_etag)
            .unwrap_or_else(|| body_version(&value));
        Ok(Versioned { value, version })
    }

    /// Every page of an admin list (departments, users, roles are small sets). `page_size`:
    /// `None` sends no parameters at all, for lists that take none (the server refuses unknown
    /// ones), and follows `next_cursor` only if the server hands one out.
    async fn all<T: DeserializeOwned>(
        self,
        path: &str,
        page_size: Option<u32>,
    ) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut cursor = None;
        for _ in 0..MAX_PAGES {
            let query = AdminListQuery {
                limit: page_size,
                cursor,
                q: None,
            };
            let page: Page<T> = self.json(Call::get(path).with_query(&query)?).await?;
            items.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Ok(items)
    }

    /// Sent without a token and never retried (no `send`: these calls are what the retry
    /// logic itself uses).
    async fn anonymous_json<T: DeserializeOwned>(self, call: Call) -> Result<T, ApiError> {
        let response = self.fetch(&call, None).await?;
        decode(response).await
    }

    pub async fn login(self, body: &LoginRequest) -> Result<TokenResponse, ApiError> {
        self.anonymous_json(
            Call::new(Method::POST, "/auth/login")
                .anonymous()
                .with_json(body)?,
        )
        .await
    }

    pub async fn refresh(self, body: &RefreshRequest) -> Result<TokenResponse, ApiError> {
        self.anonymous_json(
            Call::new(Method::POST, "/auth/refresh")
                .anonymous()
                .with_json(body)?,
        )
        .await
    }

    /// Revokes the refresh token. Sent with the access token if there is one, never retried:
    /// the local session ends whatever the answer.
    pub async fn logout(self, body: &LogoutRequest) -> Result<(), ApiError> {
        let call = Call::new(Method::POST, "/auth/logout").with_json(body)?;
        let token = self.session.access_token();
        let response = self.fetch(&call, token.as_deref()).await?;
        if response.ok() {
            Ok(())
        } else {
            Err(problem(response).await)
        }
    }

    pub async fn me(self) -> Result<MeResponse, ApiError> {
        self.json(Call::get("/me")).await
    }

    pub async fn list_leads(self, query: &LeadListQuery) -> Result<Page<LeadResponse>, ApiError> {
        self.json(Call::get("/leads").with_query(query)?).await
    }

    pub async fn create_lead(self, body: &CreateLeadRequest) -> Result<LeadResponse, ApiError> {
        self.json(Call::new(Method::POST, "/leads").with_json(body)?)
            .await
    }

    pub async fn get_lead(self, id: Uuid) -> Result<Versioned<LeadResponse>, ApiError> {
        self.versioned(Call::get(format!("/leads/{id}")), |l: &LeadResponse| {
            l.version
        })
        .await
    }

    pub async fn update_lead(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateLeadRequest,
    ) -> Result<LeadResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/leads/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_lead(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/leads/{id}")))
            .await
    }

    pub async fn list_audit(
        self,
        query: &AuditListQuery,
    ) -> Result<Page<AuditEntryResponse>, ApiError> {
        self.json(Call::get("/audit-log").with_query(query)?).await
    }

    pub async fn all_departments(self) -> Result<Vec<DepartmentResponse>, ApiError> {
        self.all("/departments", None).await
    }

    pub async fn create_department(
        self,
        body: &CreateDepartmentRequest,
    ) -> Result<DepartmentResponse, ApiError> {
        self.json(Call::new(Method::POST, "/departments").with_json(body)?)
            .await
    }

    pub async fn update_department(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateDepartmentRequest,
    ) -> Result<DepartmentResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/departments/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_department(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/departments/{id}")))
            .await
    }

    pub async fn list_users(self, query: &AdminListQuery) -> Result<Page<UserResponse>, ApiError> {
        self.json(Call::get("/users").with_query(query)?).await
    }

    pub async fn all_users(self) -> Result<Vec<UserResponse>, ApiError> {
        self.all("/users", Some(ADMIN_PAGE)).await
    }

    /// The colleagues any user may pick from; `assignable`: those the caller may give
    /// records to.
    pub async fn directory(self, assignable: bool) -> Result<Vec<DirectoryEntry>, ApiError> {
        let query = DirectoryQuery {
            assignable: Some(assignable),
        };
        self.json(Call::get("/user-directory").with_query(&query)?)
            .await
    }

    pub async fn create_user(self, body: &CreateUserRequest) -> Result<UserResponse, ApiError> {
        self.json(Call::new(Method::POST, "/users").with_json(body)?)
            .await
    }

    pub async fn update_user(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateUserRequest,
    ) -> Result<UserResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/users/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn disable_user(self, id: Uuid) -> Result<UserResponse, ApiError> {
        self.user_action(id, "disable").await
    }

    pub async fn enable_user(self, id: Uuid) -> Result<UserResponse, ApiError> {
        self.user_action(id, "enable").await
    }

    /// The actions may answer with the user or with 204; either way return the fresh user.
    async fn user_action(self, id: Uuid, action: &str) -> Result<UserResponse, ApiError> {
        let response = self
            .send(Call::new(Method::POST, format!("/users/{id}/{action}")))
            .await?;
        if response.status() == 204 {
            return self.json(Call::get(format!("/users/{id}"))).await;
        }
        decode(response).await
    }

    pub async fn all_roles(self) -> Result<Vec<RoleResponse>, ApiError> {
        self.all("/roles", None).await
    }

    pub async fn create_role(self, body: &CreateRoleRequest) -> Result<RoleResponse, ApiError> {
        self.json(Call::new(Method::POST, "/roles").with_json(body)?)
            .await
    }

    pub async fn update_role(
        self,
        id: Uuid,
        version: i32,
        body: &UpdateRoleRequest,
    ) -> Result<RoleResponse, ApiError> {
        let call = Call::new(Method::PATCH, format!("/roles/{id}"))
            .with_json(body)?
            .if_match(version);
        self.json(call).await
    }

    pub async fn delete_role(self, id: Uuid) -> Result<(), ApiError> {
        self.no_content(Call::new(Method::DELETE, format!("/roles/{id}")))
            .await
    }

    /// Shows `error` in a toast, unless it is the expired session (the login page says that).
    pub fn report(self, error: &ApiError) {
        if *error != ApiError::SessionExpired {
            self.toasts.error(error.message(self.i18n));
        }
    }

    /// After a write that answers with the record: says `done` and shows the record as it is
    /// now; on a stale version or a conflict, reloads it (`None`) so the page shows what
    /// someone else changed.
    pub fn settle<T: Send + Sync + 'static>(
        self,
        result: Result<T, ApiError>,
        done: K,
        on_changed: Callback<Option<T>>,
    ) {
        match result {
            Ok(changed) => {
                self.toasts.success(self.i18n.t(done));
                on_changed.try_run(Some(changed));
            }
            Err(error) if error.is_stale() => {
                self.toasts.error(self.i18n.t(K::StaleTitle));
                on_changed.try_run(None);
            }
            Err(error) => {
                self.report(&error);
                if matches!(error.status(), Some(409 | 412)) {
                    on_changed.try_run(None);
                }
            }
        }
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(problem(response).await);
    }
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::Unexpected(status))
}

async fn problem(response: Response) -> ApiError {
    let status = response.status();
    match response.text().await {
        Ok(text) => match serde_json::from_str::<ProblemDetails>(&text) {
            Ok(problem) => ApiError::Problem(Box::new(problem)),
            Err(_) => ApiError::Unexpected(status),
        },
        Err(_) => ApiError::Unexpected(status),
    }
}

/// `"7"` or `W/"7"` → 7.
fn parse_etag(etag: &str) -> Option<i32> {
    etag.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_versions() {
        assert_eq!(parse_etag("\"7\""), Some(7));
        assert_eq!(parse_etag("W/\"12\""), Some(12));
        assert_eq!(parse_etag("abc"), None);
    }

    #[test]
    fn query_leaves_out_absent_parameters() {
        let query = LeadListQuery {
            limit: Some(20),
            q: Some("苏州".into()),
            include_total: Some(true),
            ..Default::default()
        };
        let call = Call::get("/leads").with_query(&query);
        let pairs = call.map(|c| c.query).unwrap_or_default();
        assert_eq!(
            pairs,
            vec![
                ("include_total".to_owned(), "true".to_owned()),
                ("limit".to_owned(), "20".to_owned()),
                ("q".to_owned(), "苏州".to_owned()),
            ]
        );
    }
}
