//! Optimistic concurrency, in one place: every update of a versioned row names the version
//! it read, and loses (as a stale version) to any write that got there first.

use crm_domain::{Error, now};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{
    activity, approval_policy, approval_request, assignment_rule, contact, contract, customer,
    department, document_template, instalment, lead, opportunity, payment, pipeline, price_list,
    product, product_category, quote, role, sales_order, shipment, task, user, webhook_endpoint,
};

/// An entity with `id`, `version` and `updated_at` columns.
pub(crate) trait Versioned: EntityTrait {
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
}

macro_rules! versioned {
    ($($entity:ident),*) => {$(
        impl Versioned for $entity::Entity {
            const ID: Self::Column = $entity::Column::Id;
            const VERSION: Self::Column = $entity::Column::Version;
            const UPDATED_AT: Self::Column = $entity::Column::UpdatedAt;
        }
    )*};
}
versioned!(
    activity,
    approval_policy,
    approval_request,
    assignment_rule,
    contact,
    contract,
    customer,
    department,
    document_template,
    instalment,
    lead,
    opportunity,
    payment,
    pipeline,
    price_list,
    product,
    product_category,
    quote,
    role,
    sales_order,
    shipment,
    task,
    user,
    webhook_endpoint
);

/// Writes the set columns of `changes` to row `id` if it still has `version`, bumping the
/// version and `updated_at` in the same statement. `map_err` sorts database errors (e.g.
/// unique violations) for the caller.
pub(crate) async fn update<E>(
    db: &impl ConnectionTrait,
    mut changes: E::ActiveModel,
    id: Uuid,
    version: i32,
    map_err: impl FnOnce(DbErr) -> Error,
) -> Result<(), Error>
where
    E: Versioned,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    changes.set(E::VERSION, (version + 1).into());
    changes.set(E::UPDATED_AT, now().into());
    let result = E::update_many()
        .set(changes)
        .filter(E::ID.eq(id))
        .filter(E::VERSION.eq(version))
        .exec(db)
        .await
        .map_err(map_err)?;
    if result.rows_affected == 0 {
        return Err(Error::StaleVersion {
            current: version + 1,
        });
    }
    Ok(())
}
