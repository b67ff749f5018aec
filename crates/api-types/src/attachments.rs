//! Attachments (附件): signed contracts, drawings, bank slips… on customers, opportunities,
//! quotes, contracts and orders. Stored on the server's disk, read by whoever may read the
//! record they are attached to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kind of record a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttachmentSubject {
    Customer,
    Opportunity,
    Quote,
    Contract,
    SalesOrder,
}

crate::keyed!(AttachmentSubject {
    Customer => "customer",
    Opportunity => "opportunity",
    Quote => "quote",
    Contract => "contract",
    SalesOrder => "sales_order",
});

/// Where an upload goes; the file is the raw request body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UploadAttachmentQuery {
    pub subject_kind: AttachmentSubject,
    pub subject_id: Uuid,
    /// The file's name as the user sees it, e.g. `合同扫描件.pdf`: 1–200 characters, no path.
    pub file_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AttachmentListQuery {
    pub subject_kind: AttachmentSubject,
    pub subject_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentResponse {
    pub id: Uuid,
    pub subject_kind: AttachmentSubject,
    pub subject_id: Uuid,
    pub file_name: String,
    /// What the file's bytes are (not what the client said), e.g. `application/pdf`.
    pub content_type: String,
    pub size: u64,
    /// Hex SHA-256 of the bytes: a signed copy can be checked against it later.
    pub sha256: String,
    pub uploaded_by: Uuid,
    pub uploaded_by_name: String,
    pub created_at: DateTime<Utc>,
}
