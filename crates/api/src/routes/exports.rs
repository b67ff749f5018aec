//! `/exports`: every record of a filtered list that the caller may see, as CSV or XLSX.
//! The lists' own filters and data scope apply (the same persistence functions, paged through
//! with their cursor); at most `MAX_ROWS` rows.

use super::Registry;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, FixedOffset, Utc};
use crm_api_types::customers::{CustomerStatus, DecisionRole};
use crm_api_types::identity::Permission;
use crm_api_types::imports::{
    ContactExportQuery, CustomerExportQuery, FileFormat, ImportKind, LeadExportQuery,
};
use crm_api_types::leads::{LeadSource, LeadStatus};
use crm_domain::import as rows;
use crm_domain::listing::{Sort, parse_sort};
use crm_persistence::customers::{self, CustomerFilter, CustomerSortKey};
use crm_persistence::leads::{self, LeadFilter, LeadSortKey};
use crm_persistence::{Cursor, contacts};

use super::imports::{file, label, lang};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::i18n::Lang;
use crate::openapi::Problems;

/// The most rows one export holds; `x-export-truncated: true` says when there were more.
pub const MAX_ROWS: usize = 100_000;
const PAGE: u64 = 1000;
const TRUNCATED: HeaderName = HeaderName::from_static("x-export-truncated");

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(export_leads)
        .service(export_customers)
        .service(export_contacts);
}

/// Column headers: an importable field's name (so the file imports again as is), or one of
/// the read-only columns.
fn headers(lang: Lang, kind: ImportKind, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|key| match rows::field(kind, key) {
            Some(spec) => label(lang, spec),
            None => extra_label(lang, key).to_owned(),
        })
        .collect()
}

fn extra_label(lang: Lang, key: &str) -> &'static str {
    let (zh, en) = match key {
        "status" => ("状态", "Status"),
        "owner" => ("负责人", "Owner"),
        "parent" => ("上级客户", "Parent"),
        "is_primary" => ("主联系人", "Primary"),
        "last_activity_at" => ("最近跟进", "Last activity"),
        "created_at" => ("创建时间", "Created"),
        _ => ("", ""),
    };
    pick(lang, zh, en)
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// China Standard Time (UTC+8), as users read times in a spreadsheet.
pub(crate) fn time(at: DateTime<Utc>) -> String {
    const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => at.with_timezone(&offset).format(FORMAT).to_string(),
        None => at.format(FORMAT).to_string(),
    }
}

pub(crate) fn source(lang: Lang, source: LeadSource) -> String {
    match lang {
        Lang::ZhCn => rows::source_label(source).to_owned(),
        Lang::En => match source {
            LeadSource::Phone => "Phone",
            LeadSource::Referral => "Referral",
            LeadSource::Exhibition => "Exhibition",
            LeadSource::Website => "Website",
            LeadSource::DesignInstitute => "Design institute",
            LeadSource::Campaign => "Campaign",
            LeadSource::Other => "Other",
        }
        .to_owned(),
    }
}

fn lead_status(lang: Lang, status: LeadStatus) -> &'static str {
    match status {
        LeadStatus::New => pick(lang, "新建", "New"),
        LeadStatus::Working => pick(lang, "跟进中", "Working"),
        LeadStatus::Qualified => pick(lang, "已认定", "Qualified"),
        LeadStatus::Disqualified => pick(lang, "无效", "Disqualified"),
        LeadStatus::Converted => pick(lang, "已转化", "Converted"),
    }
}

fn customer_status(lang: Lang, status: CustomerStatus) -> String {
    match lang {
        Lang::ZhCn => rows::status_label(status).to_owned(),
        Lang::En => match status {
            CustomerStatus::Potential => "Potential",
            CustomerStatus::Active => "Active",
            CustomerStatus::Dormant => "Dormant",
            CustomerStatus::Lost => "Lost",
        }
        .to_owned(),
    }
}

fn decision_role(lang: Lang, role: DecisionRole) -> String {
    match lang {
        Lang::ZhCn => rows::decision_role_label(role).to_owned(),
        Lang::En => match role {
            DecisionRole::DecisionMaker => "Decision maker",
            DecisionRole::Influencer => "Influencer",
            DecisionRole::User => "User",
            DecisionRole::TechnicalGate => "Technical gate",
        }
        .to_owned(),
    }
}

fn pool(lang: Lang) -> String {
    pick(lang, "公海", "Pool").to_owned()
}

fn text(value: Option<String>) -> String {
    value.unwrap_or_default()
}

/// `leads-20261123` and `线索-20261123`.
fn names(lang: Lang, ascii: &str, zh: &str) -> (String, String) {
    let day = time(crm_domain::now())[..10].replace('-', "");
    let name = match lang {
        Lang::ZhCn => zh,
        Lang::En => ascii,
    };
    (format!("{ascii}-{day}"), format!("{name}-{day}"))
}

async fn respond(
    format: FileFormat,
    lang: Lang,
    (ascii, zh): (&'static str, &'static str),
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    truncated: bool,
) -> Result<HttpResponse, ApiError> {
    let (ascii_name, name) = names(lang, ascii, zh);
    let sheet = pick(lang, zh, ascii).to_owned();
    let mut response = file(format, sheet, &ascii_name, &name, headers, rows, None).await?;
    if truncated {
        response
            .headers_mut()
            .insert(TRUNCATED, HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// Export the leads the caller may see, filtered as `GET /leads` filters (same parameters,
/// without paging), in `sort` order. Headers follow `Accept-Language` (zh-CN or en) and are
/// the import's column names, so an export imports again as is. At most 100,000 rows; when
/// more match, the file holds the first 100,000 and `x-export-truncated: true` is set.
#[utoipa::path(
    tag = "imports",
    params(LeadExportQuery),
    responses(
        (status = 200, description = "The file, as an attachment",
            content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
            headers(
                ("Content-Disposition" = String, description = "attachment; filename=…"),
                ("x-export-truncated" = String, description = "`true` when more than 100,000 rows matched"),
            )),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/exports/leads")]
async fn export_leads(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<LeadExportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::LeadRead)?;
    let query = query.0;
    let lang = lang(&req);
    let sort = parse_sort(
        query.sort.as_deref(),
        &LeadSortKey::NAMES,
        Sort {
            key: LeadSortKey::CreatedAt,
            descending: true,
        },
    )?;
    let filter = LeadFilter {
        q: query.q,
        status: query.status,
        source: query.source,
        owner_id: query.owner_id,
        pool: query.pool,
        region: query.region,
        industry: query.industry,
        created_from: query.created_from,
        created_to: query.created_to,
        department_path: crm_persistence::departments::filter_path(
            &state.db,
            &caller,
            query.department_id,
        )
        .await?,
        reached: query.reached,
    };
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let truncated = loop {
        let page = leads::list(
            &state.db,
            &caller,
            &filter,
            sort,
            PAGE,
            cursor.as_ref(),
            false,
        )
        .await?;
        for row in page.rows {
            let (lead, owner) = (row.lead, row.owner_name);
            let f = lead.fields;
            out.push(vec![
                f.company_name,
                f.contact_name,
                text(f.title),
                text(f.phone),
                text(f.mobile),
                text(f.email),
                source(lang, f.source),
                text(f.region),
                text(f.industry),
                lead_status(lang, lead.status).to_owned(),
                owner.unwrap_or_else(|| pool(lang)),
                text(f.notes),
                time(lead.created_at),
            ]);
        }
        cursor = page.next;
        if out.len() >= MAX_ROWS || cursor.is_none() {
            break out.len() > MAX_ROWS || (out.len() == MAX_ROWS && cursor.is_some());
        }
    };
    out.truncate(MAX_ROWS);
    let keys = [
        "company_name",
        "contact_name",
        "title",
        "phone",
        "mobile",
        "email",
        "source",
        "region",
        "industry",
        "status",
        "owner",
        "notes",
        "created_at",
    ];
    let format = query.format.unwrap_or_default();
    let headers = headers(lang, ImportKind::Leads, &keys);
    respond(format, lang, ("leads", "线索"), headers, out, truncated).await
}

/// Export the customers the caller may see, filtered as `GET /customers` filters (same
/// parameters, without paging). Otherwise as `GET /exports/leads`.
#[utoipa::path(
    tag = "imports",
    params(CustomerExportQuery),
    responses(
        (status = 200, description = "The file, as an attachment",
            content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
            headers(
                ("Content-Disposition" = String, description = "attachment; filename=…"),
                ("x-export-truncated" = String, description = "`true` when more than 100,000 rows matched"),
            )),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/exports/customers")]
async fn export_customers(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<CustomerExportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let query = query.0;
    let lang = lang(&req);
    let sort = parse_sort(
        query.sort.as_deref(),
        &CustomerSortKey::NAMES,
        Sort {
            key: CustomerSortKey::CreatedAt,
            descending: true,
        },
    )?;
    let filter = CustomerFilter {
        q: query.q,
        status: query.status,
        owner_id: query.owner_id,
        industry: query.industry,
        region: query.region,
        province: query.province,
        tier: query.tier,
        tag: query.tag,
        parent_id: query.parent_id,
        pool: query.pool,
        department_path: crm_persistence::departments::filter_path(
            &state.db,
            &caller,
            query.department_id,
        )
        .await?,
        idle_before: super::customers::idle_before(query.idle_days)?,
    };
    let tag_separator = pick(lang, "、", ", ");
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let truncated = loop {
        let page = customers::list(
            &state.db,
            &caller,
            &filter,
            sort,
            PAGE,
            cursor.as_ref(),
            false,
        )
        .await?;
        for row in page.rows {
            let f = row.fields;
            out.push(vec![
                f.name,
                text(f.short_name),
                text(f.credit_code),
                text(f.industry),
                text(f.region),
                text(f.province),
                text(f.city),
                text(f.address),
                text(f.website),
                text(f.tier),
                f.tags.join(tag_separator),
                f.source.map(|s| source(lang, s)).unwrap_or_default(),
                customer_status(lang, f.status),
                row.owner_name.unwrap_or_else(|| pool(lang)),
                text(row.parent_name),
                text(f.notes),
                row.last_activity_at.map(time).unwrap_or_default(),
                time(row.created_at),
            ]);
        }
        cursor = page.next;
        if out.len() >= MAX_ROWS || cursor.is_none() {
            break out.len() > MAX_ROWS || (out.len() == MAX_ROWS && cursor.is_some());
        }
    };
    out.truncate(MAX_ROWS);
    let keys = [
        "name",
        "short_name",
        "credit_code",
        "industry",
        "region",
        "province",
        "city",
        "address",
        "website",
        "tier",
        "tags",
        "source",
        "status",
        "owner",
        "parent",
        "notes",
        "last_activity_at",
        "created_at",
    ];
    let format = query.format.unwrap_or_default();
    let headers = headers(lang, ImportKind::Customers, &keys);
    respond(format, lang, ("customers", "客户"), headers, out, truncated).await
}

/// Export the contacts of the customers the caller may see, filtered as `GET /contacts`
/// filters, oldest first. Otherwise as `GET /exports/leads`.
#[utoipa::path(
    tag = "imports",
    params(ContactExportQuery),
    responses(
        (status = 200, description = "The file, as an attachment",
            content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
            headers(
                ("Content-Disposition" = String, description = "attachment; filename=…"),
                ("x-export-truncated" = String, description = "`true` when more than 100,000 rows matched"),
            )),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/exports/contacts")]
async fn export_contacts(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ContactExportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::CustomerRead)?;
    let query = query.0;
    let lang = lang(&req);
    let yes_no = |primary: bool| {
        if primary {
            pick(lang, "是", "Yes")
        } else {
            pick(lang, "否", "No")
        }
    };
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let truncated = loop {
        let (page, next) = contacts::list(
            &state.db,
            &caller,
            query.customer_id,
            query.q.as_deref(),
            PAGE,
            cursor.as_ref(),
        )
        .await?;
        for row in page {
            let f = row.fields;
            out.push(vec![
                row.customer_name,
                f.name,
                text(f.title),
                text(f.department),
                text(f.mobile),
                text(f.phone),
                text(f.email),
                text(f.wechat),
                f.birthday.map(|d| d.to_string()).unwrap_or_default(),
                f.decision_role
                    .map(|r| decision_role(lang, r))
                    .unwrap_or_default(),
                yes_no(f.is_primary).to_owned(),
                text(f.notes),
                time(row.created_at),
            ]);
        }
        cursor = next;
        if out.len() >= MAX_ROWS || cursor.is_none() {
            break out.len() > MAX_ROWS || (out.len() == MAX_ROWS && cursor.is_some());
        }
    };
    out.truncate(MAX_ROWS);
    let keys = [
        "customer_name",
        "name",
        "title",
        "department",
        "mobile",
        "phone",
        "email",
        "wechat",
        "birthday",
        "decision_role",
        "is_primary",
        "notes",
        "created_at",
    ];
    let format = query.format.unwrap_or_default();
    let headers = headers(lang, ImportKind::Contacts, &keys);
    respond(
        format,
        lang,
        ("contacts", "联系人"),
        headers,
        out,
        truncated,
    )
    .await
}
