//! What reports over orders and receivables share: the records a caller's report counts
//! (their data scope by owner, and the narrowing asked for), and months of dates in SQL.

use crm_domain::Caller;
use sea_orm::sea_query::{Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend};
use uuid::Uuid;

use crate::entities::customer;
use crate::scope::{owned_by_visible, owned_in_department_tree};

/// The narrowing of a report over records with an owner and a customer.
#[derive(Debug, Clone, Default)]
pub struct RecordNarrowing {
    pub owner_id: Option<Uuid>,
    /// Owners in this department or below it (its path).
    pub department_path: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
}

impl RecordNarrowing {
    /// Whether it narrows by more than a department tree, which rollups can't tell apart.
    /// Every field is named, so a new one has to be considered here.
    pub(crate) fn beyond_departments(&self) -> bool {
        let Self {
            owner_id,
            department_path: _,
            region,
            industry,
        } = self;
        owner_id.is_some() || region.is_some() || industry.is_some()
    }

    /// The records the caller's scope covers, narrowed: `owner` and `customer` are the
    /// record's columns.
    pub(crate) fn condition(
        &self,
        caller: &Caller,
        owner: impl ColumnTrait + Copy,
        customer_column: impl ColumnTrait,
    ) -> Condition {
        let mut condition = owned_by_visible(caller, owner);
        if let Some(id) = self.owner_id {
            condition = condition.add(owner.eq(id));
        }
        if let Some(path) = &self.department_path {
            condition = condition.add(owned_in_department_tree(caller.tenant_id, owner, path));
        }
        if self.region.is_some() || self.industry.is_some() {
            let mut customers = Query::select()
                .column(customer::Column::Id)
                .from(customer::Entity)
                .and_where(customer::Column::TenantId.eq(caller.tenant_id))
                .to_owned();
            if let Some(region) = &self.region {
                customers.and_where(customer::Column::Region.eq(region.as_str()));
            }
            if let Some(industry) = &self.industry {
                customers.and_where(customer::Column::Industry.eq(industry.as_str()));
            }
            condition = condition.add(customer_column.in_subquery(customers));
        }
        condition
    }
}

/// `YYYY-MM` of a date column, as SQL.
pub(crate) fn month_of(backend: DatabaseBackend, column: &str) -> SimpleExpr {
    let sql = match backend {
        DatabaseBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
        _ => format!("substr({column}, 1, 7)"),
    };
    sea_orm::sea_query::Expr::cust(sql)
}

/// An id column as text, the same on both databases (`0193…-…`): SQLite stores ids as
/// 16-byte blobs.
pub(crate) fn id_text(backend: DatabaseBackend, column: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST({column} AS TEXT)"),
        _ => format!(
            "lower(substr(hex({column}), 1, 8) || '-' || substr(hex({column}), 9, 4) || '-' || substr(hex({column}), 13, 4) || '-' || substr(hex({column}), 17, 4) || '-' || substr(hex({column}), 21))"
        ),
    }
}
