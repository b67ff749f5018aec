//! Outgoing webhooks: endpoints, deliveries and their attempts.

pub mod webhook_endpoint {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_endpoints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        #[sea_orm(column_type = "Text")]
        pub url: String,
        pub description: Option<String>,
        /// A JSON array of event type names; `["*"]` for every event.
        #[sea_orm(column_type = "JsonBinary")]
        pub event_types: Json,
        pub enabled: bool,
        /// `manual`, `gone` or `failing` while disabled.
        pub disabled_reason: Option<String>,
        /// `whsec_` + base64 of the signing key.
        pub secret: String,
        /// The secret before the last rotation, still signed with until `previous_secret_until`.
        pub previous_secret: Option<String>,
        pub previous_secret_until: Option<DateTimeUtc>,
        pub consecutive_failures: i32,
        /// The first failure of the current run of failures.
        pub failing_since: Option<DateTimeUtc>,
        pub created_by: Uuid,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod webhook_delivery {
    use sea_orm::entity::prelude::*;

    /// One event to send to one endpoint, until it is delivered or given up.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub endpoint_id: Uuid,
        /// The outbox event.
        pub event_id: Uuid,
        pub event_type: String,
        /// `pending`, `delivered` or `failed`.
        pub status: String,
        pub attempts: i32,
        /// When it is due; while an attempt is in flight, when its claim runs out.
        pub next_attempt_at: DateTimeUtc,
        pub last_attempt_at: Option<DateTimeUtc>,
        pub last_status_code: Option<i32>,
        #[sea_orm(column_type = "Text", nullable)]
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub delivered_at: Option<DateTimeUtc>,
        /// Who asked for a resend or replay; `None` for the delivery made when the event
        /// happened.
        pub requested_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod webhook_attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_attempts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub delivery_id: Uuid,
        pub endpoint_id: Uuid,
        pub attempted_at: DateTimeUtc,
        /// `None` when no answer came (refused, timed out, blocked address).
        pub status_code: Option<i32>,
        pub latency_ms: i32,
        #[sea_orm(column_type = "Text", nullable)]
        pub response_excerpt: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub error: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
