//! Per-request plumbing every response gets.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing_actix_web::RequestId;

use crate::error::ApiError;
use crate::i18n::Lang;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Echoes the request id in `x-request-id`, and re-renders problem bodies in the language
/// the caller asked for (handlers return errors without knowing it).
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = req.extensions().get::<RequestId>().map(ToString::to_string);
    let lang = request_lang(&req);
    let mut response = localize(next.call(req).await?.map_into_boxed_body(), lang);
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response.headers_mut().insert(REQUEST_ID, id);
    }
    Ok(response)
}

/// The language the caller asked for in `Accept-Language`.
pub fn request_lang(req: &ServiceRequest) -> Lang {
    Lang::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// Renders a problem response again in `lang` (handlers render zh-CN).
pub fn localize(response: ServiceResponse<BoxBody>, lang: Lang) -> ServiceResponse<BoxBody> {
    match response
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
    {
        Some(api_error) if lang != Lang::ZhCn => {
            let localized = api_error.render(lang);
            response.into_response(localized)
        }
        _ => response,
    }
}
