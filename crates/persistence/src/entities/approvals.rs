//! Entities of the approval engine and of the events waiting for delivery.

pub mod approval_policy {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "approval_policies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub document_kind: String,
        pub name: String,
        pub priority: i32,
        pub active: bool,
        pub match_mode: String,
        /// JSON: `Vec<Condition>`.
        #[sea_orm(column_type = "Text")]
        pub conditions: String,
        /// JSON: `Vec<PolicyStep>`.
        #[sea_orm(column_type = "Text")]
        pub steps: String,
        pub allow_self_approval: bool,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod approval_request {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "approval_requests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub document_kind: String,
        pub document_id: Uuid,
        pub document_number: String,
        pub document_title: String,
        pub amount: i64,
        pub currency: String,
        pub policy_id: Uuid,
        pub policy_name: String,
        pub allow_self_approval: bool,
        pub status: String,
        pub current_step: Option<i16>,
        pub submitted_by: Uuid,
        pub submitted_at: DateTimeUtc,
        pub finished_at: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod approval_step {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "approval_steps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub request_id: Uuid,
        pub position: i16,
        pub name: String,
        pub mode: String,
        pub status: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod approval_assignee {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "approval_assignees")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub request_id: Uuid,
        pub step: i16,
        pub position: i16,
        pub user_id: Uuid,
        pub decision: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
        pub decided_at: Option<DateTimeUtc>,
        pub delegated_to: Option<Uuid>,
        pub delegated_from: Option<Uuid>,
        pub awaiting: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod approval_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "approval_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub request_id: Uuid,
        pub kind: String,
        pub step: Option<i16>,
        pub actor_id: Uuid,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
        pub delegated_to: Option<Uuid>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod outbox_event {
    use sea_orm::entity::prelude::*;

    /// An event written in the same transaction as the change it tells of, for the webhook
    /// deliverer (issue 7) to send at least once.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// A name from the catalogue (`crm_domain::event::EventType`), e.g. `quote.sent`.
        pub event_type: String,
        pub subject_kind: String,
        pub subject_id: Uuid,
        /// JSON.
        #[sea_orm(column_type = "Text")]
        pub payload: String,
        pub created_at: DateTimeUtc,
        /// The change feed's position, given after commit; `None` until then.
        pub seq: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
