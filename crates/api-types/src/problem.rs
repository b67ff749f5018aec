//! RFC 9457 problem details: the body of every 4xx and 5xx answer.

use serde::{Deserialize, Serialize};

/// An error answer (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "https://crm.example/problems/validation_failed",
    "title": "请求参数有误",
    "status": 422,
    "code": "validation_failed",
    "detail": "1 个字段未通过校验",
    "errors": [{"field": "email", "code": "invalid_format", "message": "邮箱格式不正确"}]
})))]
pub struct ProblemDetails {
    /// A URI naming the kind of problem; its last segment equals `code`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short human summary in the caller's language (`Accept-Language`).
    pub title: String,
    /// The HTTP status code, repeated.
    pub status: u16,
    /// A stable machine-readable identifier, e.g. `not_found`, `validation_failed`.
    pub code: String,
    /// A longer explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// One entry per offending field, for validation errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `409 customer_duplicate`: the existing customers the write collides with, masked
    /// where the caller may not see them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<crate::customers::DuplicateMatch>,
    /// For 5xx answers: the id under which the server logged the failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
}

/// What is wrong with one field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as sent (`email`, `owner_id`, or a query parameter such as `limit`).
    pub field: String,
    /// A stable identifier: `required`, `invalid_format`, `too_long`, `unknown_value`, …
    pub code: String,
    /// The message to show next to the field, in the caller's language.
    pub message: String,
}
