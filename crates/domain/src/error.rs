use crate::validation::FieldErrors;

/// Why a use case did not happen. The API maps each variant to one HTTP status and code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// Absent, deleted, in another tenant, or outside the caller's data scope: the caller
    /// cannot tell which, so ids cannot be probed.
    #[error("not found")]
    NotFound,
    #[error("missing permission {0}")]
    Forbidden(&'static str),
    /// The write would break a uniqueness or state rule; `code` is stable, `field` optional.
    #[error("conflict: {code}")]
    Conflict {
        code: &'static str,
        field: Option<&'static str>,
    },
    /// The write would create a customer that exists already; the matches are masked where
    /// the caller may not see them.
    #[error("duplicate customer")]
    Duplicate(Vec<crm_api_types::customers::DuplicateMatch>),
    /// The record was merged into another; reads redirect there, writes are refused.
    #[error("merged into {into}")]
    Merged { into: uuid::Uuid },
    /// `If-Match` named a version that is no longer current.
    #[error("stale version; current is {current}")]
    StaleVersion { current: i32 },
    #[error("storage: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Self::Validation(errors)
    }
}
