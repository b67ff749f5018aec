//! Built-in roles of existing tenants get the permissions a release adds, as new tenants do.

use sea_orm_migration::prelude::{Alias, DbErr, Expr, ExprTrait, Query, SchemaManager};
use sea_orm_migration::sea_orm::{self, ConnectionTrait};

/// Adds `grants` (built-in role key → permission keys) to every tenant's built-in roles;
/// permissions a role already has stay once.
pub(crate) async fn grant_permissions(
    manager: &SchemaManager<'_>,
    grants: &[(&str, &[&str])],
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let roles = Alias::new("roles");
    let select = Query::select()
        .columns([
            Alias::new("id"),
            Alias::new("key"),
            Alias::new("permissions"),
        ])
        .from(roles.clone())
        .and_where(Expr::col(Alias::new("builtin")).eq(true))
        .to_owned();
    for row in db.query_all(&select).await? {
        let id: sea_orm::prelude::Uuid = row.try_get("", "id")?;
        let key: String = row.try_get("", "key")?;
        let Some((_, added)) = grants.iter().find(|(role, _)| *role == key) else {
            continue;
        };
        let mut permissions: Vec<String> = row
            .try_get::<sea_orm::JsonValue>("", "permissions")
            .ok()
            .and_then(|v| sea_orm::JsonValue::as_array(&v).cloned())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        for grant in added.iter().map(|p| (*p).to_owned()) {
            if !permissions.contains(&grant) {
                permissions.push(grant);
            }
        }
        let update = Query::update()
            .table(roles.clone())
            .value(
                Alias::new("permissions"),
                sea_orm::JsonValue::from(permissions),
            )
            .and_where(Expr::col(Alias::new("id")).eq(id))
            .to_owned();
        db.execute(&update).await?;
    }
    Ok(())
}
