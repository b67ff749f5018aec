//! The OpenAPI document: paths and schemas are collected from the handlers by
//! utoipa-actix-web; this module adds the header, security scheme and error responses.

use std::collections::BTreeMap;

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CRM API",
        version = "1.0.0",
        description = "REST API of the CRM. Errors are `application/problem+json` (RFC 9457) with stable `code`s; \
            messages follow `Accept-Language` (zh-CN default, en). Lists use cursor pagination. \
            Writes carry `version`; send it back in `If-Match` to avoid overwriting others' changes. \
            Any POST takes an `Idempotency-Key` so that a retry never does the work twice. \
            Every response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` \
            (seconds until the caller's bucket is full); past the limit, 429 with `Retry-After`."
    ),
    // Schemas that only query parameters use are not collected from the handlers.
    components(schemas(crm_api_types::ProblemDetails, crm_api_types::FieldError, crm_api_types::imports::FileFormat, crm_api_types::quotes::PdfVariant, crm_api_types::quotes::DocumentLanguage, crm_api_types::approvals::ApprovalStatus, crm_api_types::approvals::DocumentKind, crm_api_types::receivables::AgingBucket)),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Login, token refresh, logout, the current user"),
        (name = "leads", description = "线索 Leads and their lifecycle: qualify, disqualify, convert"),
        (name = "customers", description = "客户 Customers, duplicate checks and merges"),
        (name = "contacts", description = "联系人 Contacts"),
        (name = "activities", description = "跟进记录 Activities and 待办 tasks"),
        (name = "settings", description = "设置 Tenant settings"),
        (name = "departments", description = "部门 Departments"),
        (name = "users", description = "用户 Users"),
        (name = "roles", description = "角色 Roles and permissions"),
        (name = "api-keys", description = "API 密钥 Keys for integrators: shown once, stored hashed, revocable"),
        (name = "webhooks", description = "Webhook 推送 Signed event deliveries to ERP/OA systems, their log, and the change feed"),
        (name = "sync", description = "数据同步 Inbound sync from ERP/OA systems: the last result per external record, failed syncs"),
        (name = "reconciliation", description = "对账 An ERP's figures per order next to the CRM's, and the orders that disagree"),
        (name = "reports", description = "统计分析 Funnel, forecast, performance and other reports, within the caller's data scope"),
        (name = "targets", description = "业绩目标 Monthly and quarterly targets per user and department: won amount, order amount, collections"),
        (name = "audit", description = "审计日志 Audit log"),
        (name = "opportunities", description = "商机 Opportunities, the pipeline board, stage changes and pipelines"),
        (name = "saved-filters", description = "常用筛选 A user's saved list filters"),
        (name = "products", description = "产品 The product catalogue and its categories"),
        (name = "price-lists", description = "价格 Price lists with quantity breaks, price resolution and price history"),
        (name = "quotes", description = "报价单 Quotes: versions, approval, sending, PDF documents"),
        (name = "contracts", description = "合同 Contracts: approval (department manager, finance, legal), in force, fulfilled or terminated"),
        (name = "attachments", description = "附件 Files on customers, opportunities, quotes, contracts and orders"),
        (name = "sales-orders", description = "销售订单 Sales orders: approval, credit check, shipments and delivery, collection plans, invoices, timeline"),
        (name = "notifications", description = "站内提醒 The caller's reminders: overdue deliveries and receivables"),
        (name = "receivables", description = "应收款 Receivables: payments and their allocation, open instalments, aging, credit limits"),
        (name = "approvals", description = "审批流 The approval engine: policies, requests, the inbox and decisions"),
        (name = "documents", description = "单据模板 The letterhead and texts printed on documents"),
        (name = "imports", description = "导入导出 Imports of leads, customers and contacts from CSV/XLSX, and exports of any list"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The error answers any endpoint may give, each a `ProblemDetails`.
pub struct Problems;

impl IntoResponses for Problems {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [
            ("400", "Malformed JSON"),
            ("401", "Missing, invalid or expired credentials"),
            ("403", "The caller's role lacks the permission"),
            (
                "404",
                "No such record in the caller's tenant and data scope",
            ),
            ("409", "Conflicts with existing data or the record's state"),
            ("412", "`If-Match` names a stale version"),
            ("413", "Body too large"),
            ("415", "Body is not JSON"),
            ("422", "Invalid fields or parameters; `errors` names each"),
            (
                "429",
                "Too many requests (`rate_limited`) or login attempts; see `Retry-After`",
            ),
        ]
        .into_iter()
        .map(|(status, description)| {
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ProblemDetails")))
                        .build(),
                )
                .build();
            (status.to_owned(), RefOr::T(response))
        })
        .collect()
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut spec) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::document)
        .split_for_parts();
    // After the paths are collected: `#[openapi(modifiers)]` run before there are any.
    IdempotencyKeyHeader.modify(&mut spec);
    spec
}

/// `Idempotency-Key` on every POST a caller makes (not login or refresh, which have none).
struct IdempotencyKeyHeader;

impl Modify for IdempotencyKeyHeader {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let header = ParameterBuilder::new()
            .name(crate::idempotency::HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes the POST safe to retry: the same key with the same request within 24 hours \
                 returns the first response (errors included, 5xx excepted) with \
                 `Idempotent-Replayed: true` instead of doing the work again; with another \
                 request it is a 422. Keys belong to the caller (user or API key). A retry \
                 while the first is still running waits for it, or gets a 409 with `Retry-After`.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(crate::idempotency::MAX_KEY_LEN))
                    .pattern(Some("^[ -~]+$")),
            ))
            .build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path == "/api/v1/auth/login" || path == "/api/v1/auth/refresh" {
                continue;
            }
            if let Some(post) = item.post.as_mut() {
                post.parameters
                    .get_or_insert_with(Vec::new)
                    .push(header.clone());
            }
        }
    }
}

/// Where the document is served.
pub const SPEC_PATH: &str = "/api/v1/openapi.json";

/// Swagger UI at `/api/docs/`, from assets compiled into the binary (works offline); it
/// loads the document from `SPEC_PATH`.
pub fn docs_ui() -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").config(utoipa_swagger_ui::Config::new([SPEC_PATH]))
}
