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

pub mod order_figures {
    use sea_orm::entity::prelude::*;

    /// An ERP's figures for one order; amounts in 1/10,000, NULL where not reported.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "order_figures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub sales_order_id: Uuid,
        pub external_source: String,
        pub total: Option<i64>,
        pub invoiced: Option<i64>,
        pub paid: Option<i64>,
        /// Whether the report named line quantities (then `order_figure_lines` has them).
        pub lines_reported: bool,
        pub reported_by: Uuid,
        pub reported_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod order_figure_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "order_figure_lines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub figures_id: Uuid,
        pub position: i32,
        pub shipped_quantity: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
