//! `/imports`: upload a CSV or XLSX file, map its columns, preview, commit (a worker runs it
//! in the background), follow its progress, download the rejected rows with their reasons.

use super::Registry;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use crm_api_types::Page;
use crm_api_types::imports::{
    CreateImportQuery, FileFormat, ImportCounts, ImportField, ImportKind, ImportListQuery,
    ImportProblem, ImportProgress, ImportResponse, PreviewImportRequest, PreviewImportResponse,
    RejectionsQuery,
};
use crm_domain::Violation;
use crm_domain::import::{
    self as rows, CUSTOMER_DUPLICATE, DUPLICATE_IN_FILE, NOT_PROCESSED, RowProblem,
};
use crm_domain::listing::parse_limit;
use crm_persistence::Cursor;
use crm_persistence::imports::{self, ImportView, NewImport, NumberedProblem};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, FileBytes, read_body};
use crate::i18n::{self, Lang};
use crate::openapi::Problems;
use crate::tabular::{self, TabularError};

/// Largest accepted upload.
pub const UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(create)
        .service(list)
        .service(read)
        .service(preview)
        .service(commit)
        .service(rejections);
}

pub(crate) fn lang(req: &HttpRequest) -> Lang {
    Lang::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

pub(crate) fn label(lang: Lang, spec: &rows::FieldSpec) -> String {
    match lang {
        Lang::ZhCn => spec.zh.to_owned(),
        Lang::En => spec.en.to_owned(),
    }
}

/// The header of the column that fills `field` under `mapping`, else the field's name.
fn column_name(view: &ImportView, field: &str) -> Option<String> {
    let mapping = view.mapping.as_ref()?;
    let index = mapping.iter().position(|k| k.as_deref() == Some(field))?;
    view.headers.get(index).cloned()
}

/// A problem in words, in the caller's language.
fn message(lang: Lang, problem: &RowProblem) -> String {
    let detail = problem.detail.as_deref().unwrap_or("");
    match (problem.code.as_str(), lang) {
        (DUPLICATE_IN_FILE, Lang::ZhCn) => format!("与第 {detail} 行重复"),
        (DUPLICATE_IN_FILE, Lang::En) => format!("Repeats row {detail}"),
        (CUSTOMER_DUPLICATE, _) => {
            let (name, owner): (String, Option<String>) =
                serde_json::from_str(detail).unwrap_or_default();
            match (lang, owner) {
                (Lang::ZhCn, Some(owner)) => format!("客户已存在：{name}（{owner}）"),
                (Lang::ZhCn, None) => format!("客户已存在：{name}（公海）"),
                (Lang::En, Some(owner)) => format!("The customer exists already: {name} ({owner})"),
                (Lang::En, None) => format!("The customer exists already: {name} (in the pool)"),
            }
        }
        (NOT_PROCESSED, Lang::ZhCn) => "导入中止，此行未导入".to_owned(),
        (NOT_PROCESSED, Lang::En) => "The import stopped before this row".to_owned(),
        ("not_found", Lang::ZhCn) if problem.field == "customer_name" => {
            "找不到该客户，或客户不在你的数据范围内".to_owned()
        }
        ("not_found", Lang::En) if problem.field == "customer_name" => {
            "No such customer in your data scope".to_owned()
        }
        _ => match problem.violation() {
            Some(violation) => i18n::field_message(lang, violation),
            None => problem.code.clone(),
        },
    }
}

fn problem(lang: Lang, view: &ImportView, numbered: &NumberedProblem) -> ImportProblem {
    let p = &numbered.problem;
    ImportProblem {
        row: numbered.row,
        field: p.field.clone(),
        column: column_name(view, &p.field),
        code: p.code.clone(),
        message: message(lang, p),
    }
}

pub(crate) fn response(lang: Lang, view: ImportView) -> ImportResponse {
    let problems = view
        .problems
        .iter()
        .map(|p| problem(lang, &view, p))
        .collect();
    ImportResponse {
        id: view.id,
        kind: view.kind,
        fields: rows::fields(view.kind)
            .iter()
            .map(|spec| ImportField {
                key: spec.key.to_owned(),
                label: label(lang, spec),
                required: spec.required,
            })
            .collect(),
        suggested_mapping: rows::suggest_mapping(view.kind, &view.headers)
            .into_iter()
            .map(|k| k.map(str::to_owned))
            .collect(),
        counts: view
            .counts
            .map(|(valid, rejected)| ImportCounts { valid, rejected }),
        progress: ImportProgress {
            total: view.total_rows,
            processed: view.processed,
            inserted: view.inserted,
            rejected: view.rejected,
        },
        problems,
        file_name: view.file_name,
        status: view.status,
        headers: view.headers,
        mapping: view.mapping,
        owner: view.owner,
        sample_rows: view.sample_rows,
        total_rows: view.total_rows,
        error: view.error,
        created_at: view.created_at,
        updated_at: view.updated_at,
        started_at: view.started_at,
        finished_at: view.finished_at,
    }
}

fn file_error(error: TabularError) -> ApiError {
    let violation = match error {
        TabularError::Unreadable => Violation::InvalidFormat,
        TabularError::Empty => Violation::Required,
        TabularError::TooManyRows => Violation::OutOfRange {
            min: 1,
            max: tabular::MAX_ROWS as i64,
        },
        TabularError::TooManyColumns => Violation::OutOfRange {
            min: 1,
            max: tabular::MAX_COLUMNS as i64,
        },
    };
    ApiError::field("file", violation)
}

/// Upload a file to import. The body is the file itself: CSV (UTF-8 with or without BOM, or
/// GBK/GB18030 as Chinese Excel saves it; comma, tab or semicolon separated) or XLSX (the
/// first sheet), at most 20 MiB (413 beyond), at most 200,000 rows and 200 columns. The first
/// non-blank row is the header; blank rows are skipped. Nothing is imported yet: the answer
/// carries the headers, a suggested mapping guessed from them (`公司名称`, `Mobile`, …) and
/// sample rows. A file without data rows is a 422 on `file`.
#[utoipa::path(
    tag = "imports",
    params(CreateImportQuery),
    request_body(
        description = "The file, as is",
        content(
            (FileBytes = "text/csv"),
            (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (FileBytes = "application/octet-stream"),
        )
    ),
    responses((status = 201, description = "Stored; map and preview next", body = ImportResponse), Problems),
    security(("bearer" = []))
)]
#[post("/imports")]
async fn create(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<CreateImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let CreateImportQuery { kind, file_name } = query.0;
    caller.require(imports::permission(kind))?;
    let file_name = file_name.trim().to_owned();
    if file_name.is_empty() {
        return Err(ApiError::field("file_name", Violation::Required));
    }
    if file_name.chars().count() > 200 {
        return Err(ApiError::field(
            "file_name",
            Violation::TooLong { max: 200 },
        ));
    }
    let bytes = read_body(&req, payload, UPLOAD_LIMIT).await?;
    let sheet = web::block(move || tabular::read(&bytes))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(file_error)?;
    let new = NewImport {
        kind,
        file_name,
        headers: sheet.headers,
        rows: sheet.rows,
    };
    let view = imports::create(&state.db, &caller, new).await?;
    Ok(HttpResponse::Created().json(response(lang(&req), view)))
}

/// The caller's imports, newest first. Others' imports are never listed.
#[utoipa::path(
    tag = "imports",
    params(ImportListQuery),
    responses((status = 200, description = "One page of imports", body = Page<ImportResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/imports")]
async fn list(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<ImportListQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = parse_limit(query.0.limit)?;
    let cursor = query.0.cursor.as_deref().map(Cursor::decode).transpose()?;
    let (views, next) = imports::list(&state.db, &caller, limit, cursor.as_ref()).await?;
    let lang = lang(&req);
    Ok(HttpResponse::Ok().json(Page {
        items: views.into_iter().map(|v| response(lang, v)).collect(),
        next_cursor: next.map(|c| c.encode()),
        total: None,
    }))
}

/// One import with its status and progress; poll it while `queued` or `running`.
/// Only its creator sees it (404 for anyone else).
#[utoipa::path(
    tag = "imports",
    params(("id" = Uuid, Path, description = "Import id")),
    responses((status = 200, description = "The import", body = ImportResponse), Problems),
    security(("bearer" = []))
)]
#[get("/imports/{id}")]
async fn read(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = imports::get(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(response(lang(&req), view)))
}

/// Validate every row with a column mapping, as the single-record endpoints would, and check
/// duplicates: customers against existing ones (normalized name, credit code) and against
/// earlier rows of the file; contacts find their customer by name within the caller's data
/// scope. Nothing is written but the outcome; preview again with another mapping as often as
/// needed. Mapping problems are a 422 naming `mapping[i]` (unknown or repeated field) or
/// `mapping.<field>` (a required field left unmapped); `409 invalid_transition` once committed.
#[utoipa::path(
    tag = "imports",
    params(("id" = Uuid, Path, description = "Import id")),
    request_body = PreviewImportRequest,
    responses((status = 200, description = "What a commit would do", body = PreviewImportResponse), Problems),
    security(("bearer" = []))
)]
#[post("/imports/{id}/preview")]
async fn preview(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: ApiJson<PreviewImportRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let outcome = imports::preview(&state.db, &caller, id, &body.0.mapping, body.0.owner).await?;
    let view = imports::get(&state.db, &caller, id).await?;
    let lang = lang(&req);
    Ok(HttpResponse::Ok().json(PreviewImportResponse {
        valid: outcome.valid,
        rejected: outcome.rejected,
        problems: outcome
            .problems
            .iter()
            .map(|p| problem(lang, &view, p))
            .collect(),
    }))
}

/// Import the previewed file with the mapping and owner of its last preview. The work runs
/// in the background; follow `GET /imports/{id}` until `done`. Rows are inserted in batches of
/// 1,000, each batch in one transaction with its audit entries, and re-checked as they go
/// (a customer someone created since the preview makes its row rejected). A row is either
/// imported or listed in the rejection file, never half. `409 invalid_transition` unless
/// `previewed`.
#[utoipa::path(
    tag = "imports",
    params(("id" = Uuid, Path, description = "Import id")),
    responses((status = 202, description = "Queued", body = ImportResponse), Problems),
    security(("bearer" = []))
)]
#[post("/imports/{id}/commit")]
async fn commit(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = imports::commit(&state.db, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(response(lang(&req), view)))
}

pub(crate) const CSV_TYPE: &str = "text/csv; charset=utf-8";
pub(crate) const XLSX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `attachment` with an ASCII fallback name and the real (UTF-8) one.
pub(crate) fn disposition(ascii: &str, name: &str) -> String {
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A file of rows, as CSV or XLSX, built off the async threads. In XLSX, the numbers of the
/// columns from `numbers_from` on are numbers.
pub(crate) async fn file(
    format: FileFormat,
    sheet_name: String,
    ascii_name: &str,
    name: &str,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    numbers_from: Option<usize>,
) -> Result<HttpResponse, ApiError> {
    let (content_type, extension) = match format {
        FileFormat::Csv => (CSV_TYPE, "csv"),
        FileFormat::Xlsx => (XLSX_TYPE, "xlsx"),
    };
    let bytes = web::block(move || match format {
        FileFormat::Csv => Ok(tabular::write_csv(&headers, &rows)),
        FileFormat::Xlsx => tabular::write_xlsx(&sheet_name, &headers, &rows, numbers_from),
    })
    .await
    .map_err(|e| ApiError::internal(&e))?
    .map_err(|e| ApiError::internal(&e))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            disposition(
                &format!("{ascii_name}.{extension}"),
                &format!("{name}.{extension}"),
            ),
        ))
        .body(bytes))
}

/// The rows that were not imported: the file's own columns plus a reason column (`错误原因`,
/// or `Reason` for `Accept-Language: en`) listing every problem of the row. Fix them and
/// upload this file again. CSV is UTF-8 with BOM. For a failed import the rows it never
/// reached are included. `409 invalid_transition` before the import has run.
#[utoipa::path(
    tag = "imports",
    params(("id" = Uuid, Path, description = "Import id"), RejectionsQuery),
    responses(
        (status = 200, description = "The rejected rows, as an attachment",
            content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
            headers(("Content-Disposition" = String, description = "attachment; filename=…"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/imports/{id}/rejections")]
async fn rejections(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: ApiQuery<RejectionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang(&req);
    let (view, rejected) = imports::rejections(&state.db, &caller, id.into_inner()).await?;
    let reason_header = match lang {
        Lang::ZhCn => "错误原因",
        Lang::En => "Reason",
    };
    let mut headers = view.headers.clone();
    headers.push(reason_header.to_owned());
    let separator = match lang {
        Lang::ZhCn => "；",
        Lang::En => "; ",
    };
    let rows: Vec<Vec<String>> = rejected
        .into_iter()
        .map(|(row, problems)| {
            let reason = problems
                .iter()
                .map(|p| {
                    let name = column_name(&view, &p.field)
                        .or_else(|| rows::field(view.kind, &p.field).map(|s| label(lang, s)));
                    match (name, lang) {
                        (Some(name), Lang::ZhCn) => format!("{name}：{}", message(lang, p)),
                        (Some(name), Lang::En) => format!("{name}: {}", message(lang, p)),
                        (None, _) => message(lang, p),
                    }
                })
                .collect::<Vec<_>>()
                .join(separator);
            let mut cells = row.cells;
            cells.push(reason);
            cells
        })
        .collect();
    let stem = view
        .file_name
        .rsplit_once('.')
        .map_or(view.file_name.as_str(), |(stem, _)| stem)
        .to_owned();
    let (sheet, suffix) = match lang {
        Lang::ZhCn => ("错误行", "错误行"),
        Lang::En => ("Rejected", "rejected"),
    };
    let kind = match view.kind {
        ImportKind::Leads => "leads",
        ImportKind::Customers => "customers",
        ImportKind::Contacts => "contacts",
    };
    file(
        query.0.format.unwrap_or_default(),
        sheet.to_owned(),
        &format!("{kind}-rejected"),
        &format!("{stem}-{suffix}"),
        headers,
        rows,
        None,
    )
    .await
}
