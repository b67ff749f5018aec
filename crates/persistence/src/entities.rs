//! One sea-orm entity per table. Entities stay inside this crate's API surface: the API
//! crate maps them into response types and never serializes them.

mod approvals;
pub mod imports;
mod orders;
mod quotes;
mod sales;
mod sync;
mod webhooks;

pub use approvals::{
    approval_assignee, approval_event, approval_policy, approval_request, approval_step,
    outbox_event,
};
pub use orders::{
    aging_balance, attachment, contract, delivery_day, instalment, invoice, notification,
    order_month, order_product_month, payment, payment_allocation, receivable_day, sales_order,
    sales_order_line, shipment, shipment_line,
};
pub use quotes::{document_template, quote, quote_line};

pub use sales::{
    closed_deal_day, funnel_day, opportunity, opportunity_contact, opportunity_line,
    opportunity_member, pipeline, pipeline_stage, price_history, price_list, price_list_item,
    product, product_category, saved_filter, stage_change,
};
pub use sync::{order_figure_line, order_figures, sync_state};
pub use webhooks::{webhook_attempt, webhook_delivery, webhook_endpoint};

pub mod tenant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub slug: String,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod department {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "departments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub name: String,
        pub parent_id: Option<Uuid>,
        pub manager_id: Option<Uuid>,
        pub path: String,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An integrator's API key: the hash of the key, never the key.
pub mod api_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub name: String,
        pub prefix: String,
        /// SHA-256 of the key, hex.
        pub key_hash: String,
        /// The user the key acts as.
        pub user_id: Uuid,
        /// A JSON array of permission keys.
        #[sea_orm(column_type = "JsonBinary")]
        pub permissions: Json,
        pub data_scope: String,
        pub expires_at: Option<DateTimeUtc>,
        pub last_used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub created_by: Uuid,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod idempotency_key {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The user (session) or API key that sent the key.
        pub principal: Uuid,
        pub idempotency_key: String,
        pub method: String,
        pub path: String,
        /// SHA-256 of method, path and body, hex.
        pub request_hash: String,
        pub response_status: Option<i32>,
        /// Header name → value, for the headers worth replaying.
        #[sea_orm(column_type = "JsonBinary", nullable)]
        pub response_headers: Option<Json>,
        #[sea_orm(column_type = "Blob", nullable)]
        pub response_body: Option<Vec<u8>>,
        pub created_at: DateTimeUtc,
        /// `None` while the first request is still running.
        pub completed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod role {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "roles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub key: String,
        pub name: String,
        /// A JSON array of permission keys.
        #[sea_orm(column_type = "JsonBinary")]
        pub permissions: Json,
        pub data_scope: String,
        pub builtin: bool,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub email: String,
        pub name: String,
        pub phone: Option<String>,
        pub password_hash: String,
        pub department_id: Uuid,
        pub role_id: Uuid,
        pub active: bool,
        pub failed_logins: i32,
        pub locked_until: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub user_id: Uuid,
        /// SHA-256 of the refresh token; the token itself is never stored.
        pub token_hash: String,
        pub expires_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lead {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "leads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub company_name: String,
        pub contact_name: String,
        pub title: Option<String>,
        pub phone: Option<String>,
        pub mobile: Option<String>,
        pub email: Option<String>,
        pub source: String,
        pub region: Option<String>,
        pub industry: Option<String>,
        pub status: String,
        pub owner_id: Option<Uuid>,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
        pub disqualify_reason: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub disqualify_note: Option<String>,
        pub qualified_at: Option<DateTimeUtc>,
        pub converted_at: Option<DateTimeUtc>,
        pub customer_id: Option<Uuid>,
        pub contact_id: Option<Uuid>,
        pub last_activity_at: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Uuid,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod customer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The ERP or OA system that owns this record (`PUT …/by-external-id`), and its id there.
        pub external_source: Option<String>,
        pub external_id: Option<String>,
        pub name: String,
        pub short_name: Option<String>,
        pub credit_code: Option<String>,
        pub name_key: String,
        pub name_core: String,
        pub industry: Option<String>,
        pub region: Option<String>,
        pub province: Option<String>,
        pub city: Option<String>,
        pub address: Option<String>,
        pub website: Option<String>,
        pub tier: Option<String>,
        /// A JSON array of strings.
        pub tags: Json,
        pub source: Option<String>,
        pub status: String,
        pub parent_id: Option<Uuid>,
        pub owner_id: Option<Uuid>,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
        pub last_activity_at: Option<DateTimeUtc>,
        pub pool_clock_at: DateTimeUtc,
        pub pool_warned_at: Option<DateTimeUtc>,
        pub merged_into: Option<Uuid>,
        /// 信用额度 in CNY, 1/10,000 units; `None`: no limit.
        pub credit_limit: Option<i64>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Uuid,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contact {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contacts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The ERP or OA system that owns this record (`PUT …/by-external-id`), and its id there.
        pub external_source: Option<String>,
        pub external_id: Option<String>,
        pub customer_id: Uuid,
        pub name: String,
        pub title: Option<String>,
        pub department: Option<String>,
        pub mobile: Option<String>,
        pub phone: Option<String>,
        pub phone_key: Option<String>,
        pub email: Option<String>,
        pub wechat: Option<String>,
        pub birthday: Option<Date>,
        pub decision_role: Option<String>,
        pub is_primary: bool,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Uuid,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub kind: String,
        pub occurred_at: DateTimeUtc,
        pub subject: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
        pub outcome: Option<String>,
        pub lead_id: Option<Uuid>,
        /// Also set on a lead's activities once the lead is converted, so the customer's
        /// timeline carries its history.
        pub customer_id: Option<Uuid>,
        pub opportunity_id: Option<Uuid>,
        /// A JSON array of contact ids.
        pub contact_ids: Json,
        pub next_follow_up_on: Option<Date>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Uuid,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod task {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tasks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub owner_id: Uuid,
        pub subject: String,
        pub due_on: Date,
        pub status: String,
        pub lead_id: Option<Uuid>,
        pub customer_id: Option<Uuid>,
        pub activity_id: Option<Uuid>,
        pub completed_at: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod owner_change {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "owner_changes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub entity_type: String,
        pub entity_id: Uuid,
        pub from_owner: Option<Uuid>,
        pub to_owner: Option<Uuid>,
        pub reason: String,
        pub note: Option<String>,
        pub changed_by: Option<Uuid>,
        pub changed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment_rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignment_rules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub position: i32,
        pub region: Option<String>,
        pub industry: Option<String>,
        pub user_id: Option<Uuid>,
        pub department_id: Option<Uuid>,
        pub last_user_id: Option<Uuid>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub created_by: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod tenant_settings {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenant_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub document: Json,
        pub version: i32,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub actor_id: Option<Uuid>,
        pub action: String,
        pub entity_type: String,
        pub entity_id: Uuid,
        /// `[{"field", "old", "new"}, …]`
        #[sea_orm(column_type = "JsonBinary")]
        pub changes: Json,
        pub request_id: Option<String>,
        pub occurred_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A sales target (业绩目标) of a user or a department for one metric and period.
pub mod target {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "targets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub subject_kind: String,
        pub subject_id: Uuid,
        pub metric: String,
        pub year: i32,
        /// `2026-03` or `2026-Q1`.
        pub period: String,
        pub amount: i64,
        pub currency: String,
        pub created_by: Uuid,
        pub updated_by: Uuid,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
