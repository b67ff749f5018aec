//! The signed-in session: who the user is, and keeping the tokens fresh.
//!
//! The access token lives only in memory (a script injected later cannot read it back from
//! storage); the refresh token lives in `localStorage` so a reload keeps the user signed in.
//! Refresh tokens rotate on every use, so refreshing is single-flight: concurrent 401s wait
//! for one refresh instead of racing and burning each other's token. A timer refreshes
//! shortly before the access token expires, so calls rarely meet a 401 at all.

use std::sync::Arc;
use std::time::Duration;

use crm_api_types::auth::{LoginRequest, LogoutRequest, MeResponse, RefreshRequest, TokenResponse};
use crm_api_types::identity::Permission;
use futures::lock::Mutex;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError};
use crate::i18n::K;
use crate::storage;

const REFRESH_TOKEN_KEY: &str = "crm.refresh_token";
/// Refresh this long before expiry (capped at a quarter of the lifetime for short tokens).
const REFRESH_MARGIN_SECS: u64 = 60;

#[derive(Debug, Clone, PartialEq)]
pub enum AuthState {
    /// Start-up: trying the stored refresh token.
    Checking,
    SignedOut,
    SignedIn(Box<MeResponse>),
}

#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub state: RwSignal<AuthState>,
    access_token: StoredValue<Option<String>>,
    refresh_lock: StoredValue<Arc<Mutex<()>>>,
    refresh_timer: StoredValue<Option<TimeoutHandle>>,
}

impl Session {
    pub fn new() -> Self {
        Self {
            state: RwSignal::new(AuthState::Checking),
            access_token: StoredValue::new(None),
            refresh_lock: StoredValue::new(Arc::new(Mutex::new(()))),
            refresh_timer: StoredValue::new(None),
        }
    }

    pub fn access_token(self) -> Option<String> {
        self.access_token.get_value()
    }

    /// Whether the signed-in user's role grants `permission` (tracked).
    pub fn can(self, permission: Permission) -> bool {
        self.state.with(|state| match state {
            AuthState::SignedIn(me) => me.permissions.contains(&permission),
            _ => false,
        })
    }

    /// The signed-in user (tracked).
    pub fn me(self) -> Option<MeResponse> {
        self.state.with(|state| match state {
            AuthState::SignedIn(me) => Some((**me).clone()),
            _ => None,
        })
    }

    fn clear(self) {
        storage::remove(REFRESH_TOKEN_KEY);
        self.access_token.set_value(None);
        if let Some(timer) = self.refresh_timer.get_value() {
            timer.clear();
        }
        self.refresh_timer.set_value(None);
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Gets a new token pair, unless another caller already did while we waited.
/// `stale` is the access token the caller saw fail (or `None` when it had none).
/// On a refused refresh token the session ends ([`expire`]); on a network or server failure
/// the session stays, so a flaky connection does not sign anybody out.
pub async fn refresh(api: Api, stale: Option<String>) -> Result<(), ApiError> {
    let session = api.session;
    let lock = session.refresh_lock.get_value();
    let _guard = lock.lock().await;
    let current = session.access_token();
    if current.is_some() && current != stale {
        return Ok(());
    }
    // Read it fresh each time: another tab of the same browser may have rotated it.
    let mut attempts = 0;
    loop {
        let Some(refresh_token) = storage::get(REFRESH_TOKEN_KEY) else {
            expire(api);
            return Err(ApiError::SessionExpired);
        };
        let used = refresh_token.clone();
        match api.refresh(&RefreshRequest { refresh_token }).await {
            Ok(tokens) => {
                store_tokens(api, tokens);
                return Ok(());
            }
            Err(error @ ApiError::Network) => return Err(error),
            Err(error) if error.status().is_some_and(|s| s >= 500 || s == 429) => {
                return Err(error);
            }
            // Another tab rotated the token while ours was in flight: try theirs once.
            Err(_)
                if attempts == 0 && storage::get(REFRESH_TOKEN_KEY).is_some_and(|t| t != used) =>
            {
                attempts += 1;
            }
            Err(_) => {
                expire(api);
                return Err(ApiError::SessionExpired);
            }
        }
    }
}

fn store_tokens(api: Api, tokens: TokenResponse) {
    let session = api.session;
    storage::set(REFRESH_TOKEN_KEY, &tokens.refresh_token);
    session
        .access_token
        .set_value(Some(tokens.access_token.clone()));
    if let Some(timer) = session.refresh_timer.get_value() {
        timer.clear();
    }
    let margin = REFRESH_MARGIN_SECS.min(tokens.expires_in / 4);
    let delay = Duration::from_secs(tokens.expires_in.saturating_sub(margin).max(1));
    let token = tokens.access_token;
    let timer = set_timeout_with_handle(
        move || {
            spawn_local(async move {
                // Failures are handled inside: expiry signs out, a network error waits for
                // the next call's 401 to try again.
                let _ = refresh(api, Some(token)).await;
            });
        },
        delay,
    );
    session.refresh_timer.set_value(timer.ok());
}

/// Ends the session locally after the server refused it; the shell then shows the login page.
pub fn expire(api: Api) {
    let session = api.session;
    session.clear();
    let was_signed_in = session
        .state
        .with_untracked(|s| matches!(s, AuthState::SignedIn(_)));
    if was_signed_in {
        api.toasts.info(api.i18n.t(K::SessionExpired).to_owned());
    }
    session.state.set(AuthState::SignedOut);
}

/// At start-up: resume the session from the stored refresh token, if any.
pub async fn resume(api: Api) {
    if storage::get(REFRESH_TOKEN_KEY).is_none() {
        api.session.state.set(AuthState::SignedOut);
        return;
    }
    match refresh(api, None).await {
        Ok(()) => load_me(api).await,
        Err(error) => {
            api.report(&error);
            api.session.state.set(AuthState::SignedOut);
        }
    }
}

async fn load_me(api: Api) {
    match api.me().await {
        Ok(me) => api.session.state.set(AuthState::SignedIn(Box::new(me))),
        Err(error) => {
            api.report(&error);
            api.session.clear();
            api.session.state.set(AuthState::SignedOut);
        }
    }
}

pub async fn login(api: Api, request: &LoginRequest) -> Result<(), ApiError> {
    let tokens = api.login(request).await?;
    store_tokens(api, tokens);
    let me = api.me().await?;
    api.session.state.set(AuthState::SignedIn(Box::new(me)));
    Ok(())
}

/// Revokes the refresh token on the server (best effort) and forgets the session.
pub async fn logout(api: Api) {
    if let Some(refresh_token) = storage::get(REFRESH_TOKEN_KEY) {
        // Signing out locally must work offline too.
        let _ = api.logout(&LogoutRequest { refresh_token }).await;
    }
    api.session.clear();
    api.session.state.set(AuthState::SignedOut);
}
