//! The tables of imports (see `crate::imports`).

pub mod import {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "imports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub created_by: Uuid,
        pub kind: String,
        pub file_name: String,
        pub status: String,
        /// JSON: the header row.
        #[sea_orm(column_type = "Text")]
        pub headers: String,
        /// JSON: the first five data rows.
        #[sea_orm(column_type = "Text")]
        pub sample_rows: String,
        /// JSON: the last preview's mapping.
        #[sea_orm(column_type = "Text", nullable)]
        pub mapping: Option<String>,
        pub owner_choice: Option<String>,
        pub total_rows: i64,
        pub chunk_count: i32,
        pub preview_valid: Option<i64>,
        pub preview_rejected: Option<i64>,
        /// JSON: the first 50 problems.
        #[sea_orm(column_type = "Text")]
        pub problems: String,
        pub processed: i64,
        pub inserted: i64,
        pub rejected: i64,
        pub next_chunk: i32,
        pub error: Option<String>,
        pub claim_token: Option<Uuid>,
        pub heartbeat_at: Option<DateTimeUtc>,
        pub attempts: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub started_at: Option<DateTimeUtc>,
        pub finished_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod import_chunk {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_chunks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub import_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i32,
        /// JSON: the chunk's rows with their numbers in the file.
        #[sea_orm(column_type = "Text")]
        pub rows: String,
        /// JSON: the rows this chunk rejected, once processed.
        #[sea_orm(column_type = "Text", nullable)]
        pub rejected: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
