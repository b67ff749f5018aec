//! The caller context: who is asking, in which tenant, with which rights. Every persistence
//! call takes one, so tenant and data-scope filtering cannot be forgotten by a handler.

use std::collections::BTreeSet;

use crm_api_types::identity::{DataScope, Permission};
use uuid::Uuid;

use crate::Error;

#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub department_id: Uuid,
    /// The materialized path of the caller's department (`/root/…/own/`).
    pub department_path: String,
    pub data_scope: DataScope,
    pub permissions: BTreeSet<Permission>,
    /// What vouched for the caller.
    pub credential: Credential,
    /// The HTTP request id, recorded with audit entries.
    pub request_id: Option<String>,
}

/// What authenticated a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A user's login session.
    Session(Uuid),
    /// An integrator's API key, acting as the user it names with its own permissions and
    /// data scope.
    ApiKey(Uuid),
    /// The server itself: command-line tools and background jobs.
    System,
}

impl Credential {
    pub fn session_id(self) -> Option<Uuid> {
        match self {
            Self::Session(id) => Some(id),
            Self::ApiKey(_) | Self::System => None,
        }
    }
}

/// Which owners' records a caller sees: the filter every scoped query applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility<'a> {
    All,
    /// Owners whose department path starts with this prefix.
    DepartmentTree(&'a str),
    /// Owners in exactly this department.
    Department(Uuid),
    /// Only this owner.
    Owner(Uuid),
}

/// Where a record's owner sits, for checks made in memory (e.g. assigning an owner).
#[derive(Debug, Clone)]
pub struct OwnerPlacement<'a> {
    pub user_id: Uuid,
    pub department_id: Uuid,
    pub department_path: &'a str,
}

impl Caller {
    pub fn visibility(&self) -> Visibility<'_> {
        match self.data_scope {
            DataScope::All => Visibility::All,
            DataScope::DepartmentTree => Visibility::DepartmentTree(&self.department_path),
            DataScope::Department => Visibility::Department(self.department_id),
            DataScope::Own => Visibility::Owner(self.user_id),
        }
    }

    /// Whether records owned by `owner` are within the caller's data scope.
    pub fn covers(&self, owner: &OwnerPlacement<'_>) -> bool {
        match self.visibility() {
            Visibility::All => true,
            Visibility::DepartmentTree(prefix) => owner.department_path.starts_with(prefix),
            Visibility::Department(id) => owner.department_id == id,
            Visibility::Owner(id) => owner.user_id == id,
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// 403 unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), Error> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(permission.key()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(scope: DataScope) -> Caller {
        Caller {
            tenant_id: Uuid::nil(),
            user_id: Uuid::from_u128(1),
            department_id: Uuid::from_u128(10),
            department_path: "/r/east/".to_owned(),
            data_scope: scope,
            permissions: BTreeSet::new(),
            credential: Credential::System,
            request_id: None,
        }
    }

    fn owner(user: u128, department: u128, path: &str) -> OwnerPlacement<'_> {
        OwnerPlacement {
            user_id: Uuid::from_u128(user),
            department_id: Uuid::from_u128(department),
            department_path: path,
        }
    }

    #[test]
    fn each_scope_covers_what_its_name_says() {
        let me = owner(1, 10, "/r/east/");
        let colleague = owner(2, 10, "/r/east/");
        let below = owner(3, 11, "/r/east/suzhou/");
        let sibling = owner(4, 12, "/r/eastern/");
        let elsewhere = owner(5, 13, "/r/north/");

        let own = caller(DataScope::Own);
        assert!(own.covers(&me) && !own.covers(&colleague));

        let department = caller(DataScope::Department);
        assert!(department.covers(&colleague) && !department.covers(&below));

        let tree = caller(DataScope::DepartmentTree);
        assert!(tree.covers(&colleague) && tree.covers(&below));
        assert!(
            !tree.covers(&sibling),
            "a path prefix ends at a slash, so /r/eastern/ is not under /r/east/"
        );
        assert!(!tree.covers(&elsewhere));

        let all = caller(DataScope::All);
        assert!(all.covers(&elsewhere));
    }

    #[test]
    fn permissions_are_required_explicitly() {
        let mut c = caller(DataScope::All);
        assert!(matches!(
            c.require(Permission::LeadRead),
            Err(Error::Forbidden("lead.read"))
        ));
        c.permissions.insert(Permission::LeadRead);
        assert!(c.require(Permission::LeadRead).is_ok());
    }
}
