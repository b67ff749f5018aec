//! Authentication: password hashes, JWT access tokens, opaque refresh tokens, login
//! throttling, and the extractor that turns a bearer token into the caller's context.

pub mod passwords;
pub mod throttle;
pub mod tokens;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use crm_domain::Caller;
use tracing_actix_web::RequestId;

use crate::AppState;
use crate::error::ApiError;

/// The authenticated caller. Extracting it checks the token's signature and expiry, then
/// that the session is open and the user active, on every request; or, for an API key
/// (`crm_…`), that the key is known, neither revoked nor expired, and its user active.
pub struct Auth(pub Caller);

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            caller(&req)
                .await?
                .map(Auth)
                .ok_or_else(ApiError::unauthorized)
        })
    }
}

/// The outcome of authenticating a request, kept in its extensions: the rate limiter, the
/// idempotency layer and the handler all ask who the caller is, the database answers once.
#[derive(Clone)]
struct Resolved(Option<Caller>);

/// Who sent the request: `None` without credentials or with bad ones (a 401 where a caller
/// is required). A storage failure is an error and is not remembered, so a later ask tries
/// again.
pub(crate) async fn caller(req: &HttpRequest) -> Result<Option<Caller>, ApiError> {
    if let Some(Resolved(caller)) = req.extensions().get::<Resolved>() {
        return Ok(caller.clone());
    }
    let resolved = authenticate(req).await?;
    req.extensions_mut().insert(Resolved(resolved.clone()));
    Ok(resolved)
}

async fn authenticate(req: &HttpRequest) -> Result<Option<Caller>, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal(&"application state missing"))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned());
    let Some(token) = token else {
        return Ok(None);
    };
    let request_id = req.extensions().get::<RequestId>().map(ToString::to_string);
    if token.starts_with(tokens::API_KEY_MARK) {
        let hash = tokens::hash_secret(&token);
        return Ok(crm_persistence::api_keys::caller(&state.db, &hash, request_id).await?);
    }
    let Some(claims) = state.tokens.verify(&token) else {
        return Ok(None);
    };
    Ok(
        crm_persistence::users::caller(&state.db, claims.tid, claims.sub, claims.sid, request_id)
            .await?,
    )
}
