//! `/attachments`: upload a file onto a customer, opportunity, quote, contract or order;
//! list, download and remove them. Reading follows the record; uploading and removing need
//! the permission to change it.

use super::Registry;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use crm_api_types::attachments::{
    AttachmentListQuery, AttachmentResponse, AttachmentSubject, UploadAttachmentQuery,
};
use crm_api_types::identity::Permission;
use crm_domain::Caller;
use crm_persistence::attachments;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, FileBytes, read_body};
use crate::openapi::Problems;

pub fn configure(cfg: &mut impl Registry) {
    cfg.service(upload)
        .service(list)
        .service(download)
        .service(remove);
}

fn read_permission(kind: AttachmentSubject) -> Permission {
    match kind {
        AttachmentSubject::Customer => Permission::CustomerRead,
        AttachmentSubject::Opportunity => Permission::OpportunityRead,
        AttachmentSubject::Quote => Permission::QuoteRead,
        AttachmentSubject::Contract => Permission::ContractRead,
        AttachmentSubject::SalesOrder => Permission::SalesOrderRead,
    }
}

fn write_permission(kind: AttachmentSubject) -> Permission {
    match kind {
        AttachmentSubject::Customer => Permission::CustomerWrite,
        AttachmentSubject::Opportunity => Permission::OpportunityWrite,
        AttachmentSubject::Quote => Permission::QuoteWrite,
        AttachmentSubject::Contract => Permission::ContractWrite,
        AttachmentSubject::SalesOrder => Permission::SalesOrderWrite,
    }
}

fn require(caller: &Caller, permission: Permission) -> Result<(), ApiError> {
    Ok(caller.require(permission)?)
}

/// Attach a file: the body is the file as is (at most 20 MiB: 413 beyond). Kept types: PDF,
/// PNG, JPEG, GIF, Word, Excel, PowerPoint, ZIP, text and CSV, recognised from the bytes; the
/// name's extension must match them (422 on `file` otherwise). The answer carries the
/// SHA-256 of what was stored.
#[utoipa::path(
    tag = "attachments",
    params(UploadAttachmentQuery),
    request_body(description = "The file, as is", content((FileBytes = "application/octet-stream"))),
    responses((status = 201, description = "Stored", body = AttachmentResponse), Problems),
    security(("bearer" = []))
)]
#[post("/attachments")]
async fn upload(
    req: HttpRequest,
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<UploadAttachmentQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    require(&caller, write_permission(query.subject_kind))?;
    let bytes = read_body(&req, payload, crm_domain::attachment::MAX_BYTES).await?;
    let checked = crm_domain::attachment::check(&query.file_name, &bytes)?;
    let response = attachments::upload(
        &state.db,
        &state.files,
        &caller,
        query.subject_kind,
        query.subject_id,
        checked,
        bytes,
    )
    .await?;
    Ok(HttpResponse::Created().json(response))
}

/// The files attached to a record, oldest first.
#[utoipa::path(
    tag = "attachments",
    params(AttachmentListQuery),
    responses((status = 200, description = "The attachments", body = Vec<AttachmentResponse>), Problems),
    security(("bearer" = []))
)]
#[get("/attachments")]
async fn list(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    query: ApiQuery<AttachmentListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    require(&caller, read_permission(query.subject_kind))?;
    let items = attachments::list(&state.db, &caller, query.subject_kind, query.subject_id).await?;
    Ok(HttpResponse::Ok().json(items))
}

/// Download a file, for whoever may read its record (404 for anyone else).
#[utoipa::path(
    tag = "attachments",
    params(("id" = Uuid, Path, description = "Attachment id")),
    responses(
        (status = 200, description = "The file as uploaded", content_type = "application/octet-stream",
            headers(("Content-Disposition" = String, description = "attachment; filename*=UTF-8''…"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/attachments/{id}/content")]
async fn download(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let kind = attachments::subject_kind(&state.db, &caller, id).await?;
    require(&caller, read_permission(kind))?;
    let (attachment, bytes) = attachments::content(&state.db, &state.files, &caller, id).await?;
    let encoded: String = attachment
        .file_name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, attachment.content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename*=UTF-8''{encoded}"),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}

/// Remove a file from its record (the audit log keeps its name and hash).
#[utoipa::path(
    tag = "attachments",
    params(("id" = Uuid, Path, description = "Attachment id")),
    responses((status = 204, description = "Removed"), Problems),
    security(("bearer" = []))
)]
#[delete("/attachments/{id}")]
async fn remove(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let kind = attachments::subject_kind(&state.db, &caller, id).await?;
    require(&caller, write_permission(kind))?;
    attachments::delete(&state.db, &caller, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
