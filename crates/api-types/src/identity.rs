//! Departments, users and roles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which records a role sees, by the record owner's department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DataScope {
    /// Only records the user owns.
    Own,
    /// Records owned by anyone in the user's department.
    Department,
    /// Records owned by anyone in the user's department or the departments below it.
    DepartmentTree,
    /// Every record of the tenant.
    All,
}

impl DataScope {
    pub const ALL: [DataScope; 4] = [Self::Own, Self::Department, Self::DepartmentTree, Self::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Department => "department",
            Self::DepartmentTree => "department_tree",
            Self::All => "all",
        }
    }
}

/// A function permission: what a role may do, whatever the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Permission {
    #[serde(rename = "lead.read")]
    LeadRead,
    #[serde(rename = "lead.write")]
    LeadWrite,
    #[serde(rename = "lead.delete")]
    LeadDelete,
    /// Qualify and disqualify leads (线索认定).
    #[serde(rename = "lead.qualify")]
    LeadQualify,
    #[serde(rename = "customer.read")]
    CustomerRead,
    /// Customers and their contacts.
    #[serde(rename = "customer.write")]
    CustomerWrite,
    #[serde(rename = "customer.delete")]
    CustomerDelete,
    /// Merge duplicate customers.
    #[serde(rename = "customer.merge")]
    CustomerMerge,
    #[serde(rename = "opportunity.read")]
    OpportunityRead,
    /// Opportunities, their lines, team and stage changes.
    #[serde(rename = "opportunity.write")]
    OpportunityWrite,
    #[serde(rename = "opportunity.delete")]
    OpportunityDelete,
    #[serde(rename = "quote.read")]
    QuoteRead,
    /// Quotes: create, edit, submit for approval, send, revise, copy.
    #[serde(rename = "quote.write")]
    QuoteWrite,
    #[serde(rename = "quote.delete")]
    QuoteDelete,
    #[serde(rename = "contract.read")]
    ContractRead,
    /// Contracts: create, edit, submit for approval, complete, terminate.
    #[serde(rename = "contract.write")]
    ContractWrite,
    #[serde(rename = "contract.delete")]
    ContractDelete,
    #[serde(rename = "sales_order.read")]
    SalesOrderRead,
    /// Sales orders: create, edit, submit, cancel, ship and sign for shipments.
    #[serde(rename = "sales_order.write")]
    SalesOrderWrite,
    #[serde(rename = "sales_order.delete")]
    SalesOrderDelete,
    /// Collection plans, invoices, payments, aging and credit limits (read).
    #[serde(rename = "receivable.read")]
    ReceivableRead,
    /// Record invoices and payments, allocate payments, set collection plans and credit
    /// limits.
    #[serde(rename = "receivable.write")]
    ReceivableWrite,
    /// The product catalogue, its categories and price lists.
    #[serde(rename = "product.manage")]
    ProductManage,
    /// Departments, users and roles.
    #[serde(rename = "user.manage")]
    UserManage,
    /// Tenant settings: qualification rules, reasons, tiers.
    #[serde(rename = "settings.manage")]
    SettingsManage,
    /// Read the audit log.
    #[serde(rename = "audit.read")]
    AuditRead,
}

impl Permission {
    pub const ALL: [Permission; 26] = [
        Self::LeadRead,
        Self::LeadWrite,
        Self::LeadDelete,
        Self::LeadQualify,
        Self::CustomerRead,
        Self::CustomerWrite,
        Self::CustomerDelete,
        Self::CustomerMerge,
        Self::OpportunityRead,
        Self::OpportunityWrite,
        Self::OpportunityDelete,
        Self::QuoteRead,
        Self::QuoteWrite,
        Self::QuoteDelete,
        Self::ContractRead,
        Self::ContractWrite,
        Self::ContractDelete,
        Self::SalesOrderRead,
        Self::SalesOrderWrite,
        Self::SalesOrderDelete,
        Self::ReceivableRead,
        Self::ReceivableWrite,
        Self::ProductManage,
        Self::UserManage,
        Self::SettingsManage,
        Self::AuditRead,
    ];

    /// The stable key, as in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::LeadRead => "lead.read",
            Self::LeadWrite => "lead.write",
            Self::LeadDelete => "lead.delete",
            Self::LeadQualify => "lead.qualify",
            Self::CustomerRead => "customer.read",
            Self::CustomerWrite => "customer.write",
            Self::CustomerDelete => "customer.delete",
            Self::CustomerMerge => "customer.merge",
            Self::OpportunityRead => "opportunity.read",
            Self::OpportunityWrite => "opportunity.write",
            Self::OpportunityDelete => "opportunity.delete",
            Self::QuoteRead => "quote.read",
            Self::QuoteWrite => "quote.write",
            Self::QuoteDelete => "quote.delete",
            Self::ContractRead => "contract.read",
            Self::ContractWrite => "contract.write",
            Self::ContractDelete => "contract.delete",
            Self::SalesOrderRead => "sales_order.read",
            Self::SalesOrderWrite => "sales_order.write",
            Self::SalesOrderDelete => "sales_order.delete",
            Self::ReceivableRead => "receivable.read",
            Self::ReceivableWrite => "receivable.write",
            Self::ProductManage => "product.manage",
            Self::UserManage => "user.manage",
            Self::SettingsManage => "settings.manage",
            Self::AuditRead => "audit.read",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentResponse {
    pub id: Uuid,
    pub name: String,
    /// `null` for a top-level department.
    pub parent_id: Option<Uuid>,
    /// The department's manager (a user), if any.
    pub manager_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "华东销售部"})))]
pub struct CreateDepartmentRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
}

/// Fields left out stay as they are; `null` clears a nullable field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateDepartmentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub manager_id: Option<Option<Uuid>>,
}

/// A colleague as every user sees them: enough to pick an owner or a team member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryEntry {
    pub id: Uuid,
    pub name: String,
    pub department_id: Uuid,
    pub department_name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DirectoryQuery {
    /// Only the users the caller may give records to (those their data scope covers).
    pub assignable: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub department_id: Uuid,
    pub role_id: Uuid,
    /// The stable key of the user's role, e.g. `sales_rep`.
    pub role_key: String,
    /// Disabled users cannot log in and their sessions are ended.
    pub active: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "email": "li.na@demo.cn", "name": "李娜", "password": "Passw0rd!2026",
    "department_id": "0192f0c1-7a4e-7c3b-9d5e-2a1b3c4d5e6f", "role_id": "0192f0c1-7a4e-7c3b-9d5e-2a1b3c4d5e70"
})))]
pub struct CreateUserRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub name: String,
    /// At least 8 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub phone: Option<String>,
    pub department_id: Uuid,
    pub role_id: Uuid,
}

/// Fields left out stay as they are. Use `/users/{id}/disable` and `/enable` for `active`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::some",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub phone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<Uuid>,
    /// A new password (at least 8 characters). Ends the user's sessions — all of them, or all
    /// but the current one when users change their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Refused: use the `disable` / `enable` actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleResponse {
    pub id: Uuid,
    /// Stable key; built-in roles keep theirs (`admin`, `sales_director`, `sales_manager`,
    /// `sales_rep`, `finance`, `service`, `viewer`).
    pub key: String,
    pub name: String,
    pub permissions: Vec<Permission>,
    pub data_scope: DataScope,
    /// Built-in roles can be edited but not deleted, and their key is fixed; the `admin`
    /// role always keeps every permission.
    pub builtin: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "key": "region_manager", "name": "区域经理", "permissions": ["lead.read", "lead.write"], "data_scope": "department_tree"
})))]
pub struct CreateRoleRequest {
    /// Lowercase letters, digits and `_`; unique in the tenant.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z][a-z0-9_]{1,39}$"))]
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub name: String,
    pub permissions: Vec<Permission>,
    pub data_scope: DataScope,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateRoleRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Permission>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_scope: Option<DataScope>,
}
