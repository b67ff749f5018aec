//! Access tokens are short-lived HS256 JWTs naming the user, tenant and session; refresh
//! tokens are 256 random bits, given to the client once and stored only as a SHA-256 hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const ACCESS_TTL: Duration = Duration::minutes(15);
pub const REFRESH_TTL: Duration = Duration::days(30);

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub tid: Uuid,
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue(
        &self,
        user: Uuid,
        tenant: Uuid,
        session: Uuid,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user,
            tid: tenant,
            sid: session,
            iat: now,
            exp: now + ACCESS_TTL.num_seconds(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The claims of a valid, unexpired token; `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// A new refresh token and the hash to store for it.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_secret(&token);
    (token, hash)
}

/// What every API key starts with: tells a key from a JWT at a glance.
pub const API_KEY_MARK: &str = "crm_";

/// A new API key (`crm_` and 43 characters of 32 random bytes), the prefix shown to tell it
/// apart, and the hash to store for it.
pub fn new_api_key() -> (String, String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let key = format!("{API_KEY_MARK}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = key.chars().take(API_KEY_MARK.len() + 8).collect();
    let hash = hash_secret(&key);
    (key, prefix, hash)
}

/// SHA-256, hex: for secrets that are random already (refresh tokens, API keys), so a slow
/// password hash adds nothing.
pub fn hash_secret(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_with_their_key_only() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let (user, tenant, session) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let token = keys.issue(user, tenant, session).unwrap_or_default();
        let claims = keys.verify(&token);
        assert_eq!(
            claims.map(|c| (c.sub, c.tid, c.sid)),
            Some((user, tenant, session))
        );
        assert!(
            TokenKeys::new(b"another secret of enough length!")
                .verify(&token)
                .is_none()
        );
        assert!(keys.verify("garbage").is_none());
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let (a, hash_a) = new_refresh_token();
        let (b, _) = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(hash_secret(&a), hash_a);
        assert_eq!(hash_a.len(), 64);
    }
}
