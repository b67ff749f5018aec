//! Argon2id password hashes (PHC strings). Hashing is CPU-heavy, so it runs off the async workers.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::error::ApiError;

pub fn hash(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(&e))
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

pub async fn hash_blocking(password: String) -> Result<String, ApiError> {
    actix_web::web::block(move || hash(&password))
        .await
        .map_err(|e| ApiError::internal(&e))?
}

/// Verifies against `phc`, or against a fixed dummy hash when there is no user, so a
/// missing account costs the same time as a wrong password and emails cannot be probed.
pub async fn verify_blocking(password: String, phc: Option<String>) -> bool {
    actix_web::web::block(move || match phc {
        Some(phc) => verify(&password, &phc),
        None => {
            let _ = verify(&password, DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Argon2id of a random string nobody knows, with default parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0bN3mZ2cD5bS3oE0Qh2m8y5nQ7kK2tR9wS1xV4zY6aA";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = hash("Passw0rd!2026").unwrap_or_default();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("Passw0rd!2026", &phc));
        assert!(!verify("passw0rd!2026", &phc));
        assert!(!verify("anything", "not a hash"));
    }
}
