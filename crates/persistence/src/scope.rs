//! The data-scope filter: which owners' records the caller may see, as a SQL condition.

use crm_domain::{Caller, Visibility};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition};

use crate::entities::{department, user};

/// Restricts `owner_column` to the owners the caller's data scope covers. The subqueries go
/// through `users` (and `departments`) so a user's move to another department takes effect
/// at once, with nothing denormalized to keep in step.
pub(crate) fn owned_by_visible(caller: &Caller, owner_column: impl ColumnTrait) -> Condition {
    let condition = Condition::all();
    match caller.visibility() {
        Visibility::All => condition,
        Visibility::Owner(user_id) => condition.add(owner_column.eq(user_id)),
        Visibility::Department(department_id) => condition.add(
            owner_column.in_subquery(
                Query::select()
                    .column(user::Column::Id)
                    .from(user::Entity)
                    .and_where(user::Column::TenantId.eq(caller.tenant_id))
                    .and_where(user::Column::DepartmentId.eq(department_id))
                    .to_owned(),
            ),
        ),
        Visibility::DepartmentTree(prefix) => condition.add(
            owner_column.in_subquery(
                Query::select()
                    .column((user::Entity, user::Column::Id))
                    .from(user::Entity)
                    .inner_join(
                        department::Entity,
                        Expr::col((department::Entity, department::Column::Id))
                            .equals((user::Entity, user::Column::DepartmentId)),
                    )
                    .and_where(
                        Expr::col((user::Entity, user::Column::TenantId)).eq(caller.tenant_id),
                    )
                    .and_where(prefix_match(
                        (department::Entity, department::Column::Path),
                        prefix,
                    ))
                    .to_owned(),
            ),
        ),
    }
}

/// `column LIKE 'prefix%'`. Paths hold only hex digits and `/`, so no escaping is needed.
fn prefix_match(column: (department::Entity, department::Column), prefix: &str) -> SimpleExpr {
    Expr::col(column).like(format!("{prefix}%"))
}

/// Like `owned_by_visible`, plus the pool (公海): records without owner are open to every
/// user of the tenant, who may claim them.
pub(crate) fn owned_by_visible_or_pooled(
    caller: &Caller,
    owner_column: impl ColumnTrait + Copy,
) -> Condition {
    match caller.visibility() {
        Visibility::All => Condition::all(),
        _ => Condition::any()
            .add(owned_by_visible(caller, owner_column))
            .add(owner_column.is_null()),
    }
}
