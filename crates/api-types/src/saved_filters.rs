//! Saved filters (常用筛选): a user's named list queries, kept on the server so they follow
//! the user from one browser to another.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The list a saved filter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FilterResource {
    Leads,
    Customers,
    Opportunities,
}

crate::keyed!(FilterResource {
    Leads => "leads",
    Customers => "customers",
    Opportunities => "opportunities",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedFilterResponse {
    pub id: Uuid,
    pub resource: FilterResource,
    pub name: String,
    /// The list's query string without `cursor` and `limit`, e.g. `status=open&owner_id=…`.
    pub query: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "resource": "opportunities", "name": "本季度项目型", "query": "kind=project&close_to=2027-03-31"
})))]
#[serde(deny_unknown_fields)]
pub struct CreateSavedFilterRequest {
    pub resource: FilterResource,
    /// 1–50 characters, unique per user and list.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub name: String,
    /// At most 2,000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub query: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SavedFilterQuery {
    pub resource: Option<FilterResource>,
}
