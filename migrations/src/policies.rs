//! Approval policies a release gives every existing tenant, as new tenants get them.

use sea_orm_migration::prelude::{DbErr, Query, SchemaManager};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::n;

/// A policy as stored: conditions and steps are the JSON the engine reads.
pub(crate) struct SeededPolicy {
    pub document_kind: &'static str,
    pub name: &'static str,
    pub conditions: &'static str,
    pub steps: &'static str,
}

/// Inserts `policy` (active, priority 100, no self-approval) for every tenant.
pub(crate) async fn seed_policy(
    manager: &SchemaManager<'_>,
    policy: SeededPolicy,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let tenants = Query::select()
        .column(n("id"))
        .from(n("tenants"))
        .to_owned();
    let now = chrono::Utc::now();
    for row in db.query_all(&tenants).await? {
        let tenant: uuid::Uuid = row.try_get("", "id")?;
        let insert = Query::insert()
            .into_table(n("approval_policies"))
            .columns(
                [
                    "id",
                    "tenant_id",
                    "document_kind",
                    "name",
                    "priority",
                    "active",
                    "match_mode",
                    "conditions",
                    "steps",
                    "allow_self_approval",
                    "version",
                    "created_at",
                    "updated_at",
                ]
                .map(n),
            )
            .values_panic([
                uuid::Uuid::now_v7().into(),
                tenant.into(),
                policy.document_kind.into(),
                policy.name.into(),
                100.into(),
                true.into(),
                "any".into(),
                policy.conditions.into(),
                policy.steps.into(),
                false.into(),
                1.into(),
                now.into(),
                now.into(),
            ])
            .to_owned();
        db.execute(&insert).await?;
    }
    Ok(())
}
