//! `/document-template`: the letterhead, texts and logo every printed document carries.
//! Everyone signed in reads it (the SPA previews documents); `settings.manage` changes it.

use super::Registry;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use crm_api_types::identity::Permission;
use crm_api_types::quotes::{DocumentTemplate, DocumentTemplateResponse};
use crm_domain::{FieldErrors, Violation};
use crm_persistence::document_templates::{self, Logo};

use super::with_etag;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiJson, FileBytes, if_match, read_body};
use crate::openapi::Problems;

/// Largest logo accepted.
const LOGO_LIMIT: usize = 512 * 1024;
/// Longest text field of the template.
const TEXT_MAX: usize = 500;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(read)
        .service(save)
        .service(logo)
        .service(upload_logo)
        .service(remove_logo);
}

fn etagged(status: StatusCode, response: &DocumentTemplateResponse) -> HttpResponse {
    with_etag(status, response.version, response)
}

/// The template; `version` 0 while the tenant never saved one (defaults print).
#[utoipa::path(
    tag = "documents",
    responses((status = 200, description = "The template", body = DocumentTemplateResponse), Problems),
    security(("bearer" = []))
)]
#[get("/document-template")]
async fn read(Auth(caller): Auth, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let response = document_templates::get(&state.db, &caller).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Trims every text; blank ones fall back to the defaults.
fn clean(template: DocumentTemplate) -> Result<DocumentTemplate, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut text = |field: &str, value: Option<String>| {
        errors.optional_text(field, value.as_deref(), TEXT_MAX)
    };
    let cleaned = DocumentTemplate {
        company_name: text("company_name", template.company_name),
        address: text("address", template.address),
        phone: text("phone", template.phone),
        email: text("email", template.email),
        website: text("website", template.website),
        tax_id: text("tax_id", template.tax_id),
        bank_name: text("bank_name", template.bank_name),
        bank_account: text("bank_account", template.bank_account),
        quote_title: text("quote_title", template.quote_title),
        quote_intro: text("quote_intro", template.quote_intro),
        quote_closing: text("quote_closing", template.quote_closing),
        seller_signature_label: text("seller_signature_label", template.seller_signature_label),
        buyer_signature_label: text("buyer_signature_label", template.buyer_signature_label),
    };
    errors.finish(cleaned)
}

/// Replace the template's texts (each at most 500 characters).
#[utoipa::path(
    tag = "documents",
    params(("If-Match" = Option<String>, Header, description = "The version you edited (`\"0\"` before the first save)")),
    request_body = DocumentTemplate,
    responses((status = 200, description = "Saved", body = DocumentTemplateResponse), Problems),
    security(("bearer" = []))
)]
#[put("/document-template")]
async fn save(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    body: ApiJson<DocumentTemplate>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let texts = clean(body.0)?;
    let response =
        document_templates::save_texts(&state.db, &caller, if_match(&req)?, &texts).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// The logo as uploaded; 404 without one.
#[utoipa::path(
    tag = "documents",
    responses(
        (status = 200, description = "The image", content(("image/png"), ("image/jpeg"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/document-template/logo")]
async fn logo(Auth(caller): Auth, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let logo = document_templates::logo(&state.db, &caller).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, logo.content_type))
        .body(logo.bytes))
}

/// What an image's first bytes say it is: PNG or JPEG, nothing else.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Upload the logo: the body is a PNG or JPEG image of at most 512 KiB (413 beyond; another
/// kind of file is a 422 on `file`).
#[utoipa::path(
    tag = "documents",
    request_body(
        description = "The image, as is",
        content((FileBytes = "image/png"), (FileBytes = "image/jpeg"))
    ),
    responses((status = 200, description = "Saved", body = DocumentTemplateResponse), Problems),
    security(("bearer" = []))
)]
#[put("/document-template/logo")]
async fn upload_logo(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let bytes = read_body(&req, payload, LOGO_LIMIT).await?;
    let content_type =
        image_type(&bytes).ok_or_else(|| ApiError::field("file", Violation::InvalidFormat))?;
    let image = Logo {
        bytes,
        content_type: content_type.to_owned(),
    };
    let response = document_templates::save_logo(&state.db, &caller, Some(image)).await?;
    Ok(etagged(StatusCode::OK, &response))
}

/// Remove the logo.
#[utoipa::path(
    tag = "documents",
    responses((status = 200, description = "Removed", body = DocumentTemplateResponse), Problems),
    security(("bearer" = []))
)]
#[delete("/document-template/logo")]
async fn remove_logo(
    Auth(caller): Auth,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::SettingsManage)?;
    let response = document_templates::save_logo(&state.db, &caller, None).await?;
    Ok(etagged(StatusCode::OK, &response))
}
