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
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_owned());
        let request_id = req.extensions().get::<RequestId>().map(ToString::to_string);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(&"application state missing"))?;
            let token = token.ok_or_else(ApiError::unauthorized)?;
            if token.starts_with(tokens::API_KEY_MARK) {
                let hash = tokens::hash_secret(&token);
                let caller = crm_persistence::api_keys::caller(&state.db, &hash, request_id)
                    .await?
                    .ok_or_else(ApiError::unauthorized)?;
                return Ok(Auth(caller));
            }
            let claims = state
                .tokens
                .verify(&token)
                .ok_or_else(ApiError::unauthorized)?;
            let caller = crm_persistence::users::caller(
                &state.db, claims.tid, claims.sub, claims.sid, request_id,
            )
            .await?
            .ok_or_else(ApiError::unauthorized)?;
            Ok(Auth(caller))
        })
    }
}
