//! `Idempotency-Key` on POST: the first request with a key runs and its response (errors
//! included, except 5xx) is kept for 24 hours; the same key with the same request gets that
//! response again with `Idempotent-Replayed: true`, without running the handler; the same
//! key with another request is a 422. A duplicate arriving while the first still runs waits
//! for it (up to [`WAIT`]), then gets its response, or a 409 with `Retry-After`.
//!
//! Keys belong to the caller that sent them (the user behind a session, or the API key), so
//! two integrators' keys never meet. Requests without the header, or without a valid
//! credential, pass untouched.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use crm_domain::{Caller, Credential, Violation, now};
use crm_persistence::Database;
use crm_persistence::idempotency::{self, Claim, Existing, KeyedRequest, StoredResponse};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiError;
use crate::middleware::{localize, request_lang};

/// The request header, as problem bodies name it.
pub const HEADER: &str = "Idempotency-Key";
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// Longest accepted key.
pub const MAX_KEY_LEN: usize = 255;
/// How long a duplicate waits for the first request before it gets a 409.
const WAIT: Duration = Duration::from_secs(10);
/// The response headers a replay repeats; the rest (request id, rate limits) are the
/// replaying request's own.
const KEPT_HEADERS: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::CONTENT_LANGUAGE,
    header::LOCATION,
    header::ETAG,
];
/// The largest body any POST accepts (imports and attachments); each handler still applies
/// its own, smaller limit to the buffered body.
const BODY_LIMIT: usize =
    if crate::routes::imports::UPLOAD_LIMIT > crm_domain::attachment::MAX_BYTES {
        crate::routes::imports::UPLOAD_LIMIT
    } else {
        crm_domain::attachment::MAX_BYTES
    };

/// Runs a keyed POST at most once per caller and key; see the module docs.
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req
        .headers()
        .get(HEADER)
        .filter(|_| req.method() == Method::POST && req.path().starts_with("/api/"))
        .cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(key), Some(state)) = (key, state) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let caller = match crate::auth::caller(req.request()).await {
        Ok(Some(caller)) => caller,
        // Without a caller the handler refuses the request (or, for login, needs no key).
        _ => {
            return next
                .call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body);
        }
    };
    let key = match parse_key(&key) {
        Ok(key) => key,
        Err(err) => return Ok(req.error_response(err)),
    };
    let payload = req.take_payload();
    let body = match crate::extract::read_body(req.request(), payload, BODY_LIMIT).await {
        Ok(body) => web::Bytes::from(body),
        Err(err) => return Ok(req.error_response(err)),
    };
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let keyed = KeyedRequest {
        tenant_id: caller.tenant_id,
        principal: principal(&caller),
        key: &key,
        method: &method,
        path: &path,
        request_hash: request_hash(&method, &path, &body),
    };
    let id = match settle(&state.db, &keyed).await {
        Ok(Settled::Run(id)) => id,
        Ok(Settled::Replay(stored)) => return Ok(req.into_response(replay(&stored))),
        Err(err) => return Ok(req.error_response(err)),
    };
    req.set_payload(Payload::from(body));
    let lang = request_lang(&req);
    let mut claim = Release::new(state.db.clone(), id);
    let response = localize(next.call(req).await?.map_into_boxed_body(), lang);
    if response.status().is_server_error() {
        // Ours to fix, not the caller's: a retry runs again.
        claim.release().await;
        return Ok(response);
    }
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let body = match actix_web::body::to_bytes(body).await {
        Ok(body) => body,
        Err(_) => {
            claim.release().await;
            let err =
                ApiError::internal(&"response body could not be read for the idempotency record");
            return Ok(ServiceResponse::new(request, err.render(lang)));
        }
    };
    let stored = StoredResponse {
        status: head.status().as_u16(),
        headers: KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                let value = head.headers().get(name)?.to_str().ok()?;
                Some((name.as_str().to_owned(), value.to_owned()))
            })
            .collect(),
        body: body.to_vec(),
    };
    match idempotency::complete(&state.db, id, &stored, now()).await {
        Ok(()) => claim.keep(),
        Err(error) => {
            tracing::error!(%error, "idempotency record not completed; the key is released");
            claim.release().await;
        }
    }
    Ok(ServiceResponse::new(
        request,
        head.set_body(BoxBody::new(body)),
    ))
}

fn parse_key(value: &HeaderValue) -> Result<String, ApiError> {
    let key = value.to_str().unwrap_or("\u{0}");
    if key.is_empty() {
        Err(ApiError::field(HEADER, Violation::Required))
    } else if key.len() > MAX_KEY_LEN {
        Err(ApiError::field(
            HEADER,
            Violation::TooLong { max: MAX_KEY_LEN },
        ))
    } else if !key.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        Err(ApiError::field(HEADER, Violation::InvalidFormat))
    } else {
        Ok(key.to_owned())
    }
}

/// The user behind a session, or the API key itself (a key is a caller of its own, even
/// though it acts as a user).
fn principal(caller: &Caller) -> Uuid {
    match caller.credential {
        Credential::ApiKey(id) => id,
        Credential::Session(_) | Credential::System => caller.user_id,
    }
}

fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

enum Settled {
    /// The key is ours: run the handler.
    Run(Uuid),
    Replay(StoredResponse),
}

/// Claims the key, or waits for the request that holds it.
async fn settle(db: &Database, keyed: &KeyedRequest<'_>) -> Result<Settled, ApiError> {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut pause = Duration::from_millis(50);
    loop {
        let existing = match idempotency::claim(db, keyed, now()).await? {
            Claim::Claimed(id) => return Ok(Settled::Run(id)),
            Claim::Taken(existing) => existing,
        };
        if existing.request_hash() != keyed.request_hash {
            return Err(ApiError::field(HEADER, Violation::KeyReused));
        }
        if let Existing::Done { response, .. } = existing {
            return Ok(Settled::Replay(response));
        }
        if tokio::time::Instant::now() + pause > deadline {
            return Err(ApiError::idempotency_key_in_use(1));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

fn replay(stored: &StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    for (name, value) in &stored.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(value),
        ) {
            response.insert_header((name, value));
        }
    }
    response.insert_header((REPLAYED, HeaderValue::from_static("true")));
    response.body(stored.body.clone())
}

/// A claim the handler is running under. Dropped before it is kept or released (the client
/// went away and the request was cancelled), it is released in the background, so a retry
/// is not told to wait for a request that will never finish.
struct Release {
    db: Database,
    id: Option<Uuid>,
}

impl Release {
    fn new(db: Database, id: Uuid) -> Self {
        Self { db, id: Some(id) }
    }

    fn keep(&mut self) {
        self.id = None;
    }

    async fn release(&mut self) {
        if let Some(id) = self.id.take()
            && let Err(error) = idempotency::release(&self.db, id).await
        {
            tracing::error!(%error, "idempotency key not released");
        }
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            let db = self.db.clone();
            actix_web::rt::spawn(async move {
                if let Err(error) = idempotency::release(&db, id).await {
                    tracing::error!(%error, "idempotency key not released");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_printable_ascii() {
        let parse =
            |s: &str| parse_key(&HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("")));
        assert_eq!(
            parse("order-2026-0001").ok().as_deref(),
            Some("order-2026-0001")
        );
        assert!(parse("").is_err());
        assert!(parse(&"k".repeat(256)).is_err());
        assert!(parse(&"k".repeat(255)).is_ok());
        assert!(parse("tab\there").is_err());
    }

    #[test]
    fn the_hash_covers_method_path_and_body() {
        let a = request_hash("POST", "/api/v1/leads", b"{}");
        assert_eq!(a, request_hash("POST", "/api/v1/leads", b"{}"));
        assert_ne!(a, request_hash("POST", "/api/v1/customers", b"{}"));
        assert_ne!(a, request_hash("POST", "/api/v1/leads", b"{ }"));
    }
}
