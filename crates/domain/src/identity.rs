//! Users, departments and roles: the built-in roles and the rules for their fields.

use crm_api_types::identity::{DataScope, Permission};
use uuid::Uuid;

use crate::validation::{FieldErrors, Violation, parse_email, parse_phone};

/// The roles every tenant starts with. Admins may edit them; their keys never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinRole {
    Admin,
    SalesDirector,
    SalesManager,
    SalesRep,
    Finance,
    Service,
    Viewer,
    /// 法务: reviews contracts (the default contract chain's last step).
    Legal,
}

impl BuiltinRole {
    pub const ALL: [BuiltinRole; 8] = [
        Self::Admin,
        Self::SalesDirector,
        Self::SalesManager,
        Self::SalesRep,
        Self::Finance,
        Self::Service,
        Self::Viewer,
        Self::Legal,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::SalesDirector => "sales_director",
            Self::SalesManager => "sales_manager",
            Self::SalesRep => "sales_rep",
            Self::Finance => "finance",
            Self::Service => "service",
            Self::Viewer => "viewer",
            Self::Legal => "legal",
        }
    }

    /// The name a new tenant sees (zh-CN is the working language).
    pub fn name(self) -> &'static str {
        match self {
            Self::Admin => "管理员",
            Self::SalesDirector => "销售总监",
            Self::SalesManager => "销售经理",
            Self::SalesRep => "销售代表",
            Self::Finance => "财务",
            Self::Service => "客服",
            Self::Viewer => "只读",
            Self::Legal => "法务",
        }
    }

    pub fn data_scope(self) -> DataScope {
        match self {
            Self::Admin | Self::SalesDirector | Self::Finance | Self::Viewer | Self::Legal => {
                DataScope::All
            }
            Self::SalesManager => DataScope::DepartmentTree,
            Self::SalesRep | Self::Service => DataScope::Own,
        }
    }

    pub fn permissions(self) -> Vec<Permission> {
        use Permission::{
            AuditRead, ContractDelete, ContractRead, ContractWrite, CustomerDelete, CustomerMerge,
            CustomerRead, CustomerWrite, LeadDelete, LeadQualify, LeadRead, LeadWrite,
            OpportunityDelete, OpportunityRead, OpportunityWrite, QuoteDelete, QuoteRead,
            QuoteWrite, ReceivableRead, ReceivableWrite, SalesOrderDelete, SalesOrderRead,
            SalesOrderWrite,
        };
        let manager = [
            LeadRead,
            LeadWrite,
            LeadDelete,
            LeadQualify,
            CustomerRead,
            CustomerWrite,
            CustomerDelete,
            CustomerMerge,
            OpportunityRead,
            OpportunityWrite,
            OpportunityDelete,
            QuoteRead,
            QuoteWrite,
            QuoteDelete,
            ContractRead,
            ContractWrite,
            ContractDelete,
            SalesOrderRead,
            SalesOrderWrite,
            SalesOrderDelete,
            ReceivableRead,
        ];
        match self {
            Self::Admin => Permission::ALL.to_vec(),
            Self::SalesDirector => [manager.as_slice(), &[ReceivableWrite, AuditRead]].concat(),
            // The audit log is tenant-wide: a department-scoped manager would read other
            // departments' changes through it.
            Self::SalesManager => manager.to_vec(),
            Self::SalesRep => vec![
                LeadRead,
                LeadWrite,
                CustomerRead,
                CustomerWrite,
                OpportunityRead,
                OpportunityWrite,
                QuoteRead,
                QuoteWrite,
                ContractRead,
                ContractWrite,
                SalesOrderRead,
                SalesOrderWrite,
                ReceivableRead,
            ],
            Self::Finance => vec![
                LeadRead,
                CustomerRead,
                OpportunityRead,
                QuoteRead,
                ContractRead,
                SalesOrderRead,
                ReceivableRead,
                ReceivableWrite,
            ],
            Self::Service => vec![
                LeadRead,
                CustomerRead,
                OpportunityRead,
                QuoteRead,
                SalesOrderRead,
            ],
            Self::Viewer => vec![
                LeadRead,
                CustomerRead,
                OpportunityRead,
                QuoteRead,
                ContractRead,
                SalesOrderRead,
                ReceivableRead,
            ],
            Self::Legal => vec![
                CustomerRead,
                OpportunityRead,
                QuoteRead,
                ContractRead,
                SalesOrderRead,
            ],
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A role key: lowercase ASCII letters, digits and `_`, starting with a letter, 2–40 long.
pub fn parse_role_key(errors: &mut FieldErrors, key: &str) -> String {
    let key = key.trim();
    let well_formed = (2..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if key.is_empty() {
        errors.add("key", Violation::Required);
    } else if !well_formed {
        errors.add("key", Violation::InvalidFormat);
    }
    key.to_owned()
}

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

pub fn check_password(errors: &mut FieldErrors, password: &str) {
    let length = password.chars().count();
    if length == 0 {
        errors.add("password", Violation::Required);
    } else if length < PASSWORD_MIN {
        errors.add("password", Violation::TooShort { min: PASSWORD_MIN });
    } else if length > PASSWORD_MAX {
        errors.add("password", Violation::TooLong { max: PASSWORD_MAX });
    }
}

/// A user as an admin creates one; the password is hashed by the caller of the store.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub department_id: Uuid,
    pub role_id: Uuid,
}

impl NewUser {
    pub fn parse(
        request: &crm_api_types::identity::CreateUserRequest,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = parse_user_email(&mut errors, &request.email);
        let name = errors.required_text("name", &request.name, 50);
        let phone = errors.optional_parsed("phone", request.phone.as_deref(), 30, parse_phone);
        check_password(&mut errors, &request.password);
        errors.finish(Self {
            email,
            name,
            phone,
            department_id: request.department_id,
            role_id: request.role_id,
        })
    }
}

pub fn parse_user_email(errors: &mut FieldErrors, email: &str) -> String {
    let trimmed = errors.required_text("email", email, 254);
    if trimmed.is_empty() {
        return trimmed;
    }
    parse_email(&trimmed).unwrap_or_else(|| {
        errors.add("email", Violation::InvalidFormat);
        trimmed
    })
}

/// The materialized path of a department: its parent's path, then its own id.
pub fn department_path(parent_path: Option<&str>, id: Uuid) -> String {
    format!("{}{}/", parent_path.unwrap_or("/"), id.simple())
}

/// A tenant slug: lowercase ASCII letters, digits and `-`, 2–40 long, as it appears in logins.
pub fn parse_slug(slug: &str) -> Result<String, FieldErrors> {
    let slug = slug.trim();
    let ok = (2..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-');
    if ok {
        Ok(slug.to_owned())
    } else {
        Err(FieldErrors::single("slug", Violation::InvalidFormat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_roles_grant_what_the_org_chart_expects() {
        assert_eq!(BuiltinRole::SalesRep.data_scope(), DataScope::Own);
        assert_eq!(
            BuiltinRole::SalesManager.data_scope(),
            DataScope::DepartmentTree
        );
        assert_eq!(BuiltinRole::SalesDirector.data_scope(), DataScope::All);
        assert!(
            BuiltinRole::Admin
                .permissions()
                .contains(&Permission::UserManage)
        );
        assert!(
            !BuiltinRole::SalesDirector
                .permissions()
                .contains(&Permission::UserManage)
        );
        assert!(
            !BuiltinRole::Viewer
                .permissions()
                .contains(&Permission::LeadWrite)
        );
        for role in BuiltinRole::ALL {
            assert_eq!(BuiltinRole::from_key(role.key()), Some(role));
        }
    }

    #[test]
    fn role_keys_are_identifiers() {
        let mut errors = FieldErrors::new();
        parse_role_key(&mut errors, "region_manager");
        assert!(errors.is_empty());
        for bad in ["Region", "1abc", "a-b", "x"] {
            let mut errors = FieldErrors::new();
            parse_role_key(&mut errors, bad);
            assert!(!errors.is_empty(), "{bad} should be refused");
        }
    }

    #[test]
    fn department_paths_nest() {
        let root = Uuid::from_u128(1);
        let child = Uuid::from_u128(2);
        let root_path = department_path(None, root);
        let child_path = department_path(Some(&root_path), child);
        assert!(child_path.starts_with(&root_path));
        assert!(child_path.ends_with('/'));
    }
}
