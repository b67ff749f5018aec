//! Request extractors whose failures are problem+json with the offending field named:
//! bodies and query strings are read with `serde_path_to_error`, so "which field" is known.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use crm_domain::{FieldErrors, Violation};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest accepted JSON body.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON body; malformed JSON is a 400, a well-formed body with a wrong field is a 422 on it.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = json_bytes(req, payload);
        Box::pin(async move { parse_json(&body.await?).map(ApiJson) })
    }
}

/// A JSON body that may be left out: no body (or `null`) reads as `T::default()` (an action
/// whose options all have defaults, such as rotating a secret).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = json_bytes(req, payload);
        Box::pin(async move {
            let bytes = body.await?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(T::default()));
            }
            parse_json::<Option<T>>(&bytes).map(|body| OptionalJson(body.unwrap_or_default()))
        })
    }
}

/// The body's bytes, refused (415) unless it is JSON or says nothing of its type.
fn json_bytes(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<web::Bytes, ApiError>> + use<> {
    let json_content = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("application/json") || v.ends_with("+json"));
    let bytes = web::Bytes::from_request(req, payload);
    async move {
        if !json_content {
            return Err(ApiError::unsupported_media_type());
        }
        bytes.await.map_err(|_| ApiError::payload_too_large())
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // JSON can only carry NUL escaped, so the byte search finds every one (and costs nothing
    // on ordinary bodies); the slow path parses again only to name the field.
    if bytes.windows(6).any(|w| w == br"\u0000") {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|_| ApiError::malformed_json())?;
        if let Some(field) = field_with_nul(&value, "") {
            return Err(ApiError::field(&field, Violation::InvalidFormat));
        }
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::malformed_json();
        }
        let message = inner.to_string();
        let (field, violation) = classify(&path, &message);
        ApiError::field(&field, violation)
    })
}

/// Reads a JSON value already parsed (one item of a bulk body) as `T`; errors name the
/// field like a body's would.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, FieldErrors> {
    if let Some(field) = field_with_nul(&value, "") {
        return Err(FieldErrors::single(&field, Violation::InvalidFormat));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let (field, violation) = classify(&path, &err.into_inner().to_string());
        FieldErrors::single(&field, violation)
    })
}

/// PostgreSQL cannot store NUL in text, and no field has a use for it: refused at the edge,
/// so no query or insert ever sees one. Returns the path of the first string holding one.
fn field_with_nul(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some(if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| field_with_nul(v, &join(&i.to_string()))),
        Value::Object(fields) => fields.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(k))
            } else {
                field_with_nul(v, &join(k))
            }
        }),
        _ => None,
    }
}

/// Query parameters; an unknown parameter or an unreadable value is a 422 naming it.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = form_urlencoded::parse(req.query_string().as_bytes());
        if let Some((key, _)) = parsed
            .clone()
            .find(|(key, value)| key.contains('\0') || value.contains('\0'))
        {
            return std::future::ready(Err(ApiError::field(
                &key.replace('\0', ""),
                Violation::InvalidFormat,
            )));
        }
        let deserializer = serde_urlencoded::Deserializer::new(parsed);
        std::future::ready(
            serde_path_to_error::deserialize(deserializer)
                .map(ApiQuery)
                .map_err(|err| {
                    let path = err.path().to_string();
                    let message = err.into_inner().to_string();
                    let (field, violation) = classify(&path, &message);
                    ApiError::field(&field, violation)
                }),
        )
    }
}

/// Names the field and the kind of problem from serde's path and message.
fn classify(path: &str, message: &str) -> (String, Violation) {
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(name) = quoted("unknown field `") {
        // serde_path_to_error already ends the path with the unknown field's name.
        let field = if path == "." { name } else { path.to_owned() };
        return (field, Violation::UnknownField);
    }
    if let Some(name) = quoted("missing field `") {
        let field = if path == "." {
            name
        } else {
            format!("{path}.{name}")
        };
        return (field, Violation::Required);
    }
    let field = if path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    if message.starts_with("unknown variant") {
        (field, Violation::UnknownValue)
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid digit")
        || message.contains("invalid value")
    {
        (field, Violation::InvalidType)
    } else {
        (field, Violation::InvalidFormat)
    }
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`); `*` or no header means "any".
/// A value that names no version can match none, so it is a 412 like a stale one.
pub fn if_match(req: &HttpRequest) -> Result<Option<i32>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    let bare = text.trim_start_matches("W/").trim_matches('"');
    bare.parse::<i32>()
        .map(Some)
        .map_err(|_| ApiError::precondition_failed())
}

/// A file's bytes, as the body of an upload.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// Reads the body up to `limit` bytes; more is a 413, whatever `Content-Length` said.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: impl futures_util::Stream<Item = Result<web::Bytes, PayloadError>> + Unpin,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::payload_too_large());
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::payload_too_large())?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::payload_too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_field_errors() {
        assert_eq!(
            classify("foo", "unknown field `foo`, expected one of `limit`"),
            ("foo".into(), Violation::UnknownField)
        );
        assert_eq!(
            classify(".", "missing field `company_name`"),
            ("company_name".into(), Violation::Required)
        );
        assert_eq!(
            classify("source", "unknown variant `tv`, expected one of `phone`"),
            ("source".into(), Violation::UnknownValue)
        );
        assert_eq!(
            classify("limit", "invalid digit found in string"),
            ("limit".into(), Violation::InvalidType)
        );
    }

    #[test]
    fn bodies_with_wrong_types_name_the_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            name: String,
        }
        let err = parse_json::<Body>(br#"{"name": 5}"#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("422 validation_failed"));
        let err = parse_json::<Body>(br#"{"name": "#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("400 malformed_json"));
    }

    #[test]
    fn nul_characters_are_found_wherever_they_hide() {
        let value = serde_json::json!({"a": "ok", "b": [{"c": "x\u{0}y"}]});
        assert_eq!(field_with_nul(&value, "").as_deref(), Some("b.0.c"));
        assert_eq!(field_with_nul(&serde_json::json!({"a": "ok"}), ""), None);
    }
}
