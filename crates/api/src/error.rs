//! One error type for every handler, rendered as RFC 9457 problem+json in the caller's language.
//!
//! Handlers return `ApiError`; `ResponseError` renders it in zh-CN, and the `localize`
//! middleware renders it again when the request asked for English. Internal failures are
//! logged in full under an error id that the response repeats; clients never see their text.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use crm_api_types::customers::DuplicateMatch;
use crm_api_types::{FieldError, ProblemDetails};
use crm_domain::{Error, FieldErrors, Violation};

use crate::i18n::{self, Lang};

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    fields: Vec<(String, Violation)>,
    detail: Detail,
    retry_after: Option<u64>,
}

#[derive(Debug)]
enum Detail {
    None,
    Permission(&'static str),
    CurrentVersion(i32),
    Field(Option<&'static str>),
    ErrorId(String),
    Duplicates(Vec<DuplicateMatch>),
    /// Where the record lives now (a merged customer's survivor).
    Location(String),
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            fields: Vec::new(),
            detail: Detail::None,
            retry_after: None,
        }
    }

    pub fn malformed_json() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed_json")
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized")
    }

    pub fn invalid_credentials() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_credentials")
    }

    pub fn invalid_refresh_token() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_refresh_token")
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }

    pub fn precondition_failed() -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, "version_conflict")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    }

    pub fn payload_too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_acceptable")
    }

    pub fn too_many_attempts(retry_after_secs: u64) -> Self {
        Self {
            retry_after: Some(retry_after_secs.max(1)),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
        }
    }

    /// `429`: the caller's rate limit is spent; a token is back after `retry_after_secs`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self {
            retry_after: Some(retry_after_secs.max(1)),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        }
    }

    /// `409`: the first request with this `Idempotency-Key` is still running.
    pub fn idempotency_key_in_use(retry_after_secs: u64) -> Self {
        Self {
            retry_after: Some(retry_after_secs.max(1)),
            detail: Detail::Field(Some(crate::idempotency::HEADER)),
            ..Self::new(StatusCode::CONFLICT, "idempotency_key_in_use")
        }
    }

    /// `308` to where a merged record lives now; clients follow it like any redirect.
    pub fn moved(location: String) -> Self {
        Self {
            detail: Detail::Location(location),
            ..Self::new(StatusCode::PERMANENT_REDIRECT, "record_merged")
        }
    }

    pub fn validation(errors: FieldErrors) -> Self {
        let fields = errors.iter().map(|(f, v)| (f.to_owned(), v)).collect();
        Self {
            fields,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        }
    }

    pub fn field(field: &str, violation: Violation) -> Self {
        Self::validation(FieldErrors::single(field, violation))
    }

    /// A failure that is ours, not the client's: logged with an id the client can quote.
    pub fn internal(source: &dyn std::fmt::Display) -> Self {
        let error_id = uuid::Uuid::now_v7().to_string();
        tracing::error!(%error_id, error = %source, "internal error");
        Self {
            detail: Detail::ErrorId(error_id),
            ..Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The problem+json body in `lang`.
    pub fn problem(&self, lang: Lang) -> ProblemDetails {
        let detail = match &self.detail {
            Detail::None if !self.fields.is_empty() => {
                Some(i18n::validation_detail(lang, self.fields.len()))
            }
            Detail::None | Detail::ErrorId(_) | Detail::Location(_) => None,
            Detail::Duplicates(matches) => matches.first().map(|m| i18n::duplicate_detail(lang, m)),
            Detail::Permission(p) => Some(i18n::forbidden_detail(lang, p)),
            Detail::CurrentVersion(v) => Some(i18n::stale_detail(lang, *v)),
            Detail::Field(f) => f.map(str::to_owned),
        };
        ProblemDetails {
            type_uri: format!("https://crm.example/problems/{}", self.code),
            title: i18n::title(lang, self.code).to_owned(),
            status: self.status.as_u16(),
            code: self.code.to_owned(),
            detail,
            errors: self
                .fields
                .iter()
                .map(|(field, v)| FieldError {
                    field: field.clone(),
                    code: v.code().to_owned(),
                    message: i18n::field_message(lang, *v),
                })
                .collect(),
            duplicates: match &self.detail {
                Detail::Duplicates(matches) => matches.clone(),
                _ => Vec::new(),
            },
            error_id: match &self.detail {
                Detail::ErrorId(id) => Some(id.clone()),
                _ => None,
            },
        }
    }

    pub fn render(&self, lang: Lang) -> HttpResponse {
        let body = self.problem(lang);
        let mut response = HttpResponse::build(self.status);
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        response.insert_header((
            header::CONTENT_LANGUAGE,
            match lang {
                Lang::ZhCn => "zh-CN",
                Lang::En => "en",
            },
        ));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        match &self.detail {
            Detail::CurrentVersion(v) => {
                response.insert_header((header::ETAG, format!("\"{v}\"")));
            }
            Detail::Location(location) => {
                response.insert_header((header::LOCATION, location.clone()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&body).unwrap_or_default())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        self.render(Lang::ZhCn)
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::Validation(errors) => Self::validation(errors),
            Error::NotFound => Self::not_found(),
            Error::Forbidden(permission) => Self {
                detail: Detail::Permission(permission),
                ..Self::new(StatusCode::FORBIDDEN, "forbidden")
            },
            Error::Conflict { code, field } => Self {
                detail: Detail::Field(field),
                ..Self::new(StatusCode::CONFLICT, code)
            },
            Error::Duplicate(matches) => Self {
                detail: Detail::Duplicates(matches),
                ..Self::new(StatusCode::CONFLICT, "customer_duplicate")
            },
            Error::Merged { .. } => Self::new(StatusCode::CONFLICT, "record_merged"),
            Error::StaleVersion { current } => Self {
                detail: Detail::CurrentVersion(current),
                ..Self::new(StatusCode::PRECONDITION_FAILED, "version_conflict")
            },
            Error::Storage(source) => Self::internal(&source),
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        Self::validation(errors)
    }
}
