use serde::{Deserialize, Serialize};

/// One page of a list. Pass `next_cursor` back as `cursor` for the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Absent (`null`) on the last page.
    pub next_cursor: Option<String>,
    /// The number of matching records, only when asked with `include_total=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}
