//! Imports (导入) of leads, customers and contacts from CSV or XLSX files, and exports (导出)
//! of any filtered list.
//!
//! The flow: `POST /imports` with the file → `POST /imports/{id}/preview` with a column
//! mapping → `POST /imports/{id}/commit` → poll `GET /imports/{id}` until `done` →
//! `GET /imports/{id}/rejections` for the rows that did not go in, each with its reason.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::customers::CustomerStatus;
use crate::leads::{LeadReach, LeadSource, LeadStatus};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// 线索; needs `lead.write`.
    Leads,
    /// 客户; needs `customer.write`.
    Customers,
    /// 联系人 of existing customers, found by name; needs `customer.write`.
    Contacts,
}

crate::keyed!(ImportKind {
    Leads => "leads",
    Customers => "customers",
    Contacts => "contacts",
});

/// Where an import stands: `uploaded → previewed → queued → running → done | failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// The file is stored; choose a mapping and preview.
    Uploaded,
    /// Validated with a mapping; preview again or commit.
    Previewed,
    /// Committed, waiting for a worker.
    Queued,
    /// A worker is inserting rows; see `progress`.
    Running,
    /// Every row is in or rejected.
    Done,
    /// Stopped by an error (`error`); rows already committed stay, the others are reported
    /// in the rejection file.
    Failed,
}

crate::keyed!(ImportStatus {
    Uploaded => "uploaded",
    Previewed => "previewed",
    Queued => "queued",
    Running => "running",
    Done => "done",
    Failed => "failed",
});

/// Who owns the imported records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportOwner {
    /// The importing user.
    #[default]
    Me,
    /// Nobody: the records go to the pool (公海). Not for contacts.
    Pool,
}

crate::keyed!(ImportOwner {
    Me => "me",
    Pool => "pool",
});

/// File format of downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// UTF-8 with a byte-order mark, so Excel shows Chinese correctly.
    #[default]
    Csv,
    /// Excel 2007+ workbook.
    Xlsx,
}

crate::keyed!(FileFormat {
    Csv => "csv",
    Xlsx => "xlsx",
});

/// Query of `POST /imports`; the body is the file itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CreateImportQuery {
    pub kind: ImportKind,
    /// The file's name as the user chose it, shown in the import list (at most 200 characters).
    #[cfg_attr(
        feature = "openapi",
        param(min_length = 1, max_length = 200, example = "客户名单.csv")
    )]
    pub file_name: String,
}

/// A field a column can be mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportField {
    /// The key to put in `mapping`, e.g. `credit_code`.
    pub key: String,
    /// Its name in the caller's language (`Accept-Language`), e.g. `统一社会信用代码`.
    pub label: String,
    /// A mapping must map every required field.
    pub required: bool,
}

/// How far a committed import got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProgress {
    /// Data rows in the file.
    pub total: u64,
    /// Rows dealt with so far (`inserted + rejected`).
    pub processed: u64,
    pub inserted: u64,
    pub rejected: u64,
}

/// The outcome of the last preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    /// Rows that would go in.
    pub valid: u64,
    /// Rows that would be rejected.
    pub rejected: u64,
}

/// Why a row cannot go in. A row may have several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "row": 3, "field": "credit_code", "column": "统一社会信用代码", "code": "invalid_format",
    "message": "格式不正确"
})))]
pub struct ImportProblem {
    /// The row as numbered in the file, 1-based, the header being row 1.
    pub row: u64,
    /// The target field (`name`, `credit_code`, `customer_name`, …).
    pub field: String,
    /// The header of the column mapped to the field, when one is.
    pub column: Option<String>,
    /// `required`, `invalid_format`, `too_long`, `unknown_value`, `duplicate_in_file`
    /// (repeats an earlier row), `customer_duplicate` (the customer exists already),
    /// `not_found` (no such customer in your data scope), `not_processed` (the import failed
    /// before this row).
    pub code: String,
    /// In the caller's language.
    pub message: String,
}

/// An import: its file, its mapping and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": "0193a5a0-0000-7000-8000-0000000000aa", "kind": "customers", "file_name": "客户名单.csv",
    "status": "uploaded", "headers": ["客户名称", "统一社会信用代码", "行业", "备用列"],
    "suggested_mapping": ["name", "credit_code", "industry", null], "mapping": null, "owner": null,
    "fields": [{"key": "name", "label": "客户名称", "required": true}],
    "sample_rows": [["苏州精工机械有限公司", "91320500MA1MXXXX0X", "机械制造", ""]],
    "total_rows": 1200, "counts": null,
    "progress": {"total": 1200, "processed": 0, "inserted": 0, "rejected": 0},
    "problems": [], "error": null, "created_at": "2026-11-23T08:00:00Z",
    "updated_at": "2026-11-23T08:00:00Z", "started_at": null, "finished_at": null
})))]
pub struct ImportResponse {
    pub id: Uuid,
    pub kind: ImportKind,
    pub file_name: String,
    pub status: ImportStatus,
    /// The file's header row, one entry per column.
    pub headers: Vec<String>,
    /// One entry per column: the field the header suggests, or `null` to skip the column.
    pub suggested_mapping: Vec<Option<String>>,
    /// The mapping of the last preview; `null` before one.
    pub mapping: Option<Vec<Option<String>>>,
    /// The owner choice of the last preview.
    pub owner: Option<ImportOwner>,
    /// The fields of this kind that columns can be mapped to.
    pub fields: Vec<ImportField>,
    /// The first five data rows, as text, one entry per column.
    pub sample_rows: Vec<Vec<String>>,
    /// Data rows in the file (empty rows are skipped).
    pub total_rows: u64,
    /// The outcome of the last preview.
    pub counts: Option<ImportCounts>,
    pub progress: ImportProgress,
    /// The first 50 problems of the last preview, or of the run once committed.
    pub problems: Vec<ImportProblem>,
    /// Why a `failed` import stopped: a stable code such as `forbidden` or `internal_error`.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When a worker started it.
    pub started_at: Option<DateTime<Utc>>,
    /// When it became `done` or `failed`.
    pub finished_at: Option<DateTime<Utc>>,
}

/// `POST /imports/{id}/preview`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "mapping": ["name", "credit_code", "industry", null], "owner": "me"
})))]
#[serde(deny_unknown_fields)]
pub struct PreviewImportRequest {
    /// One entry per column of the file: a field key from `fields`, or `null` to skip the
    /// column. Every required field must be mapped, none twice.
    pub mapping: Vec<Option<String>>,
    /// Default `me`.
    #[serde(default)]
    pub owner: ImportOwner,
}

/// What committing with this mapping would do, row by row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewImportResponse {
    /// Rows that would go in.
    pub valid: u64,
    /// Rows that would be rejected.
    pub rejected: u64,
    /// The first 50 problems, in file order.
    pub problems: Vec<ImportProblem>,
}

/// Query of `GET /imports`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ImportListQuery {
    /// Page size, 1–200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// Query of `GET /imports/{id}/rejections`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RejectionsQuery {
    /// Default `csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<FileFormat>,
}

/// Query of `GET /exports/leads`: the filters of `GET /leads`, without paging.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct LeadExportQuery {
    /// Default `csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<FileFormat>,
    /// As in `GET /leads`. Default `-created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Searches company, contact, phone, mobile and email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LeadStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<LeadSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    /// `true`: only the pool; `false`: only owned leads; absent: both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_from: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_to: Option<DateTime<Utc>>,
    /// Owned by people in this department or one below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<Uuid>,
    /// As in `GET /leads`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reached: Option<LeadReach>,
}

/// Query of `GET /exports/customers`: the filters of `GET /customers`, without paging.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CustomerExportQuery {
    /// Default `csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<FileFormat>,
    /// As in `GET /customers`. Default `-created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Searches the name, short name and credit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Uuid>,
    /// `true`: only the pool; `false`: only owned customers; absent: both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    /// Owned by people in this department or one below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<Uuid>,
    /// As in `GET /customers`: owned customers not followed up for more than this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 3650))]
    pub idle_days: Option<u32>,
}

/// Query of `GET /exports/contacts`: the filters of `GET /contacts`, without paging.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ContactExportQuery {
    /// Default `csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<FileFormat>,
    /// The contacts of one customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Uuid>,
    /// Searches name, mobile, phone and email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_json_names() {
        for kind in ImportKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::json!(kind.as_str()))
            );
        }
        for status in ImportStatus::ALL {
            assert_eq!(
                serde_json::to_value(status).ok(),
                Some(serde_json::json!(status.as_str()))
            );
        }
        for owner in ImportOwner::ALL {
            assert_eq!(
                serde_json::to_value(owner).ok(),
                Some(serde_json::json!(owner.as_str()))
            );
        }
        for format in FileFormat::ALL {
            assert_eq!(
                serde_json::to_value(format).ok(),
                Some(serde_json::json!(format.as_str()))
            );
        }
    }
}
