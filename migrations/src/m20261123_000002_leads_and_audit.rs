//! Leads, and the audit log every write lands in.

use sea_orm_migration::prelude::{
    DbErr, DeriveIden, DeriveMigrationName, Index, IndexCreateStatement, MigrationTrait,
    SchemaManager, Table,
};
use sea_orm_migration::schema::{
    integer, json_binary, pk_uuid, string, string_null, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid,
};
use sea_orm_migration::sea_orm;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Leads {
    Table,
    Id,
    TenantId,
    CompanyName,
    ContactName,
    Title,
    Phone,
    Mobile,
    Email,
    Source,
    Region,
    Industry,
    Status,
    OwnerId,
    Notes,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    DeletedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    TenantId,
    ActorId,
    Action,
    EntityType,
    EntityId,
    Changes,
    RequestId,
    OccurredAt,
}

fn index(
    name: &str,
    table: impl sea_orm_migration::prelude::IntoIden,
    cols: Vec<Leads>,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Leads::Table)
                    .col(pk_uuid(Leads::Id))
                    .col(uuid(Leads::TenantId))
                    .col(string(Leads::CompanyName))
                    .col(string(Leads::ContactName))
                    .col(string_null(Leads::Title))
                    .col(string_null(Leads::Phone))
                    .col(string_null(Leads::Mobile))
                    .col(string_null(Leads::Email))
                    .col(string(Leads::Source))
                    .col(string_null(Leads::Region))
                    .col(string_null(Leads::Industry))
                    .col(string(Leads::Status))
                    .col(uuid(Leads::OwnerId))
                    .col(text_null(Leads::Notes))
                    .col(integer(Leads::Version))
                    .col(timestamp_with_time_zone(Leads::CreatedAt))
                    .col(timestamp_with_time_zone(Leads::UpdatedAt))
                    .col(uuid(Leads::CreatedBy))
                    .col(timestamp_with_time_zone_null(Leads::DeletedAt))
                    .to_owned(),
            )
            .await?;
        // One index per sort key the list offers, each ending in `id` for the keyset cursor;
        // the status and owner variants serve the most common filters without a sort step.
        use Leads::{CompanyName, CreatedAt, Id, OwnerId, Status, TenantId, UpdatedAt};
        for statement in [
            index(
                "ix_leads_created",
                Leads::Table,
                vec![TenantId, CreatedAt, Id],
            ),
            index(
                "ix_leads_updated",
                Leads::Table,
                vec![TenantId, UpdatedAt, Id],
            ),
            index(
                "ix_leads_company",
                Leads::Table,
                vec![TenantId, CompanyName, Id],
            ),
            index(
                "ix_leads_status_created",
                Leads::Table,
                vec![TenantId, Status, CreatedAt, Id],
            ),
            index(
                "ix_leads_owner_created",
                Leads::Table,
                vec![TenantId, OwnerId, CreatedAt, Id],
            ),
        ] {
            manager.create_index(statement).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_uuid(AuditLog::Id))
                    .col(uuid(AuditLog::TenantId))
                    .col(sea_orm_migration::schema::uuid_null(AuditLog::ActorId))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::EntityType))
                    .col(uuid(AuditLog::EntityId))
                    .col(json_binary(AuditLog::Changes))
                    .col(string_null(AuditLog::RequestId))
                    .col(timestamp_with_time_zone(AuditLog::OccurredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::TenantId)
                    .col(AuditLog::EntityId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_tenant")
                    .table(AuditLog::Table)
                    .col(AuditLog::TenantId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await
    }
}
