//! A user's saved list filters. Private to the user: nobody else reads or deletes them.

use crm_api_types::saved_filters::FilterResource;
use crm_domain::{Caller, Error, FieldErrors, Violation, new_id, now};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::entities::saved_filter;
use crate::error::{storage, unique_violation};

pub use crate::entities::saved_filter::Model as SavedFilter;

const NAME_MAX: usize = 50;
const QUERY_MAX: usize = 2000;
/// Enough for any real use; keeps one user from filling the table.
const PER_USER_MAX: usize = 100;

pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    resource: Option<FilterResource>,
) -> Result<Vec<SavedFilter>, Error> {
    let mut query = mine(caller);
    if let Some(resource) = resource {
        query = query.filter(saved_filter::Column::Resource.eq(resource.as_str()));
    }
    query
        .order_by_asc(saved_filter::Column::Name)
        .all(db)
        .await
        .map_err(storage)
}

fn mine(caller: &Caller) -> sea_orm::Select<saved_filter::Entity> {
    saved_filter::Entity::find()
        .filter(saved_filter::Column::TenantId.eq(caller.tenant_id))
        .filter(saved_filter::Column::UserId.eq(caller.user_id))
}

pub async fn create(
    db: &impl ConnectionTrait,
    caller: &Caller,
    resource: FilterResource,
    name: &str,
    query: &str,
) -> Result<SavedFilter, Error> {
    let mut errors = FieldErrors::new();
    let name = errors.required_text("name", name, NAME_MAX);
    let query = query.trim().trim_start_matches('?');
    if query.chars().count() > QUERY_MAX {
        errors.add("query", Violation::TooLong { max: QUERY_MAX });
    }
    errors.finish(())?;
    if list(db, caller, None).await?.len() >= PER_USER_MAX {
        return Err(Error::Conflict {
            code: "too_many_saved_filters",
            field: None,
        });
    }
    saved_filter::ActiveModel {
        id: Set(new_id()),
        tenant_id: Set(caller.tenant_id),
        user_id: Set(caller.user_id),
        resource: Set(resource.as_str().to_owned()),
        name: Set(name),
        query: Set(query.to_owned()),
        created_at: Set(now()),
    }
    .insert(db)
    .await
    .map_err(|e| {
        unique_violation(
            e,
            &["ux_saved_filters", "saved_filters.user_id"],
            "saved_filter_name_taken",
            "name",
        )
    })
}

pub async fn delete(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> Result<(), Error> {
    let deleted = saved_filter::Entity::delete_many()
        .filter(saved_filter::Column::TenantId.eq(caller.tenant_id))
        .filter(saved_filter::Column::UserId.eq(caller.user_id))
        .filter(saved_filter::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(storage)?;
    if deleted.rows_affected == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}
