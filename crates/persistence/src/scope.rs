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

/// Owners in the department or below it: the department's path is the prefix of theirs.
pub(crate) fn owned_in_department_tree(
    tenant_id: uuid::Uuid,
    owner_column: impl ColumnTrait,
    department_path: &str,
) -> Condition {
    Condition::all().add(
        owner_column.in_subquery(
            Query::select()
                .column((user::Entity, user::Column::Id))
                .from(user::Entity)
                .inner_join(
                    department::Entity,
                    Expr::col((department::Entity, department::Column::Id))
                        .equals((user::Entity, user::Column::DepartmentId)),
                )
                .and_where(Expr::col((user::Entity, user::Column::TenantId)).eq(tenant_id))
                .and_where(prefix_match(
                    (department::Entity, department::Column::Path),
                    department_path,
                ))
                .to_owned(),
        ),
    )
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

/// A business document's scope: owned within the caller's data scope, or named on one of its
/// approval requests (an approver must read what they approve).
pub(crate) fn owned_or_to_approve(
    caller: &Caller,
    owner_column: impl ColumnTrait,
    id_column: impl ColumnTrait,
    kind: crm_api_types::approvals::DocumentKind,
) -> Condition {
    Condition::any()
        .add(owned_by_visible(caller, owner_column))
        .add(id_column.in_subquery(crate::approvals::documents_to_approve(caller, kind)))
}

/// The documents' search box: `q` (trimmed, case-insensitive) within any of `text_columns`
/// or the name of the customer in `customer_column`. `None` for an empty `q`.
pub(crate) fn matching_text<C: ColumnTrait>(
    caller: &Caller,
    q: Option<&str>,
    text_columns: &[C],
    customer_column: C,
) -> Option<Condition> {
    use crate::entities::customer;
    use sea_orm::sea_query::Func;
    let q = q.map(str::trim).filter(|q| !q.is_empty())?;
    let pattern = format!("%{}%", q.to_lowercase());
    let customers = Query::select()
        .column(customer::Column::Id)
        .from(customer::Entity)
        .and_where(customer::Column::TenantId.eq(caller.tenant_id))
        .and_where(Func::lower(Expr::col(customer::Column::Name)).like(pattern.clone()))
        .to_owned();
    let condition = text_columns.iter().fold(Condition::any(), |any, column| {
        any.add(Func::lower(Expr::col(*column)).like(pattern.clone()))
    });
    Some(condition.add(customer_column.in_subquery(customers)))
}
