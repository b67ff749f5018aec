//! Imports: the uploaded file's rows in chunks, the mapping, progress and the worker's claim.
//! Kept in the database, not on a node's disk, so any node can run or resume an import.

use sea_orm_migration::prelude::{
    DbErr, DeriveIden, DeriveMigrationName, Index, MigrationTrait, SchemaManager, Table,
};
use sea_orm_migration::schema::{
    big_integer, integer, pk_uuid, string, string_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::{self, ConnectionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    TenantId,
    CreatedBy,
    /// `leads`, `customers` or `contacts`.
    Kind,
    FileName,
    /// `uploaded`, `previewed`, `queued`, `running`, `done`, `failed`.
    Status,
    /// JSON text: the header row.
    Headers,
    /// JSON text: the first five data rows.
    SampleRows,
    /// JSON text: the mapping of the last preview (one field key or null per column).
    Mapping,
    /// `me` or `pool`.
    OwnerChoice,
    TotalRows,
    ChunkCount,
    /// The last preview's counts.
    PreviewValid,
    PreviewRejected,
    /// JSON text: the first 50 problems of the last preview or of the run.
    Problems,
    Processed,
    Inserted,
    Rejected,
    /// The next chunk a worker processes: committed together with each chunk's rows, so a
    /// restarted worker resumes exactly there.
    NextChunk,
    /// Why a failed import stopped (a stable code).
    Error,
    /// The worker's claim: batches commit only while it holds this token.
    ClaimToken,
    /// Renewed with every batch; a running import whose heartbeat is old is claimed again.
    HeartbeatAt,
    Attempts,
    CreatedAt,
    UpdatedAt,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum ImportChunks {
    Table,
    ImportId,
    Seq,
    /// JSON text: `[{"n": row number in the file, "c": [cell, …]}, …]`.
    Rows,
    /// JSON text: the rejected rows of this chunk with their problems, once processed.
    Rejected,
}

const INDEXES: [&str; 2] = [
    "CREATE INDEX ix_imports_creator ON imports (tenant_id, created_by, created_at, id)",
    // The workers' poll: queued imports and running ones whose worker went quiet.
    "CREATE INDEX ix_imports_status ON imports (status, heartbeat_at)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Imports::Table)
                    .col(pk_uuid(Imports::Id))
                    .col(uuid(Imports::TenantId))
                    .col(uuid(Imports::CreatedBy))
                    .col(string(Imports::Kind))
                    .col(string(Imports::FileName))
                    .col(string(Imports::Status))
                    .col(text(Imports::Headers))
                    .col(text(Imports::SampleRows))
                    .col(text_null(Imports::Mapping))
                    .col(string_null(Imports::OwnerChoice))
                    .col(big_integer(Imports::TotalRows))
                    .col(integer(Imports::ChunkCount))
                    .col(big_integer(Imports::PreviewValid).null())
                    .col(big_integer(Imports::PreviewRejected).null())
                    .col(text(Imports::Problems))
                    .col(big_integer(Imports::Processed))
                    .col(big_integer(Imports::Inserted))
                    .col(big_integer(Imports::Rejected))
                    .col(integer(Imports::NextChunk))
                    .col(string_null(Imports::Error))
                    .col(uuid_null(Imports::ClaimToken))
                    .col(timestamp_with_time_zone_null(Imports::HeartbeatAt))
                    .col(integer(Imports::Attempts))
                    .col(timestamp_with_time_zone(Imports::CreatedAt))
                    .col(timestamp_with_time_zone(Imports::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Imports::StartedAt))
                    .col(timestamp_with_time_zone_null(Imports::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportChunks::Table)
                    .col(uuid(ImportChunks::ImportId))
                    .col(integer(ImportChunks::Seq))
                    .col(text(ImportChunks::Rows))
                    .col(text_null(ImportChunks::Rejected))
                    .primary_key(
                        Index::create()
                            .col(ImportChunks::ImportId)
                            .col(ImportChunks::Seq),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
