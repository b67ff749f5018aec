//! Inbound sync: the last result of syncing each external record.

pub mod sync_state {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sync_states")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// A `SyncedKind` name: `customer`, `sales_order`, …
        pub kind: String,
        pub external_source: String,
        pub external_id: String,
        /// The record the sync made or changed; none when a create was refused.
        pub record_id: Option<Uuid>,
        /// `succeeded` or `failed`.
        pub result: String,
        /// The problem+json the caller got when it failed.
        #[sea_orm(column_type = "JsonBinary", nullable)]
        pub problem: Option<Json>,
        /// The user or API key that synced.
        pub synced_by: Uuid,
        pub synced_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
