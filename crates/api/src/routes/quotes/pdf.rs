//! `GET /quotes/{id}/pdf`: the quote printed in the tenant's template, in zh-CN or English,
//! priced (the customer's copy) or without prices (the warehouse's or engineer's copy).

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use crm_api_types::identity::Permission;
use crm_api_types::quotes::PdfQuery;
use crm_documents::{CustomerBlock, QuoteDocument, RenderError, SellerContact, render_quote};
use crm_domain::Violation;
use crm_persistence::{document_templates, quotes};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::openapi::Problems;

/// The quote as a PDF with the tenant's letterhead, the lines, totals in figures and in
/// Chinese capitals (大写金额), the terms and a signature block; `variant=no_prices` leaves
/// out every price and amount. The CJK font ships with the server and only the glyphs used
/// are embedded, so a one-page quote stays small. A logo that does not decode: 422 on `logo`.
#[utoipa::path(
    tag = "quotes",
    params(("id" = Uuid, Path, description = "Quote id"), PdfQuery),
    responses(
        (status = 200, description = "The PDF", content(("application/pdf")),
            headers(("Content-Disposition" = String, description = "inline or attachment; filename=QT-….pdf"))),
        Problems
    ),
    security(("bearer" = []))
)]
#[get("/quotes/{id}/pdf")]
pub async fn pdf(
    Auth(caller): Auth,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: ApiQuery<PdfQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::QuoteRead)?;
    let query = query.0;
    let printable = quotes::printable(&state.db, &caller, id.into_inner()).await?;
    let (template, logo) = document_templates::for_printing(&state.db, &caller).await?;
    let file_name = match printable.quote.summary.revision {
        1 => format!("{}.pdf", printable.quote.summary.number),
        n => format!("{}-v{n}.pdf", printable.quote.summary.number),
    };
    let language = query.lang.unwrap_or_default();
    let variant = query.variant.unwrap_or_default();
    let rendered = web::block(move || {
        let quote = &printable.quote;
        let document = QuoteDocument {
            quote,
            template: &template,
            tenant_name: &printable.tenant_name,
            logo: logo.as_ref().map(|l| l.bytes.as_slice()),
            customer: CustomerBlock {
                name: &quote.summary.customer_name,
                address: printable.customer_address.as_deref(),
                contact_name: quote.contact_name.as_deref(),
                contact_phone: printable.contact_phone.as_deref(),
                contact_mobile: printable.contact_mobile.as_deref(),
                contact_email: printable.contact_email.as_deref(),
            },
            seller_contact: SellerContact {
                name: &quote.summary.owner_name,
                phone: printable.owner_phone.as_deref(),
                email: printable.owner_email.as_deref(),
            },
            issued_on: (quote.summary.created_at + chrono::Duration::hours(8)).date_naive(),
            language,
            variant,
        };
        render_quote(&document)
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    let bytes = match rendered {
        Ok(bytes) => bytes,
        Err(RenderError::Logo(_)) => return Err(ApiError::field("logo", Violation::InvalidFormat)),
        Err(e) => return Err(ApiError::internal(&e)),
    };
    let disposition = if query.download.unwrap_or(false) {
        "attachment"
    } else {
        "inline"
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"{file_name}\""),
        ))
        .body(bytes))
}
