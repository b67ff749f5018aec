//! Entities of sales orders, their lines and shipments, and of receivables: instalments,
//! payments, allocations and invoices. Money and quantities are `i64` in 1/10,000 units.

pub mod delivery_day {
    //! A rollup (see `crate::rollups::orders`): per day shipped and department of the order's
    //! owner, the order lines with a promised date shipped, and those on time.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "delivery_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: Uuid,
        pub lines: i64,
        pub on_time: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod receivable_day {
    //! A rollup (see `crate::rollups::orders`): per day, department of the owner and
    //! currency, what confirmed instalments fall due and what has been paid on them, and what
    //! payments received that day brought in, as allocated.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "receivable_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub currency: String,
        pub due: i64,
        pub collected: i64,
        pub received: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod order_month {
    //! A rollup (see `crate::rollups::orders`): per month of the order date (its first day),
    //! department of the owner and currency, the orders confirmed or further and their amount
    //! net of cancellations.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "order_months")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub currency: String,
        pub orders: i64,
        pub amount: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod order_product_month {
    //! A rollup (see `crate::rollups::orders`): per month of the order date, department of
    //! the owner, currency and product (the nil id for lines without one), the orders
    //! confirmed or further with such a line, and the lines' quantity and net amount.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "order_product_months")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub currency: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        pub orders: i64,
        pub quantity: i64,
        pub amount: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sales_order {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sales_orders")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The ERP or OA system that owns this record (`PUT …/by-external-id`), and its id there.
        pub external_source: Option<String>,
        pub external_id: Option<String>,
        pub number: String,
        pub customer_id: Uuid,
        pub contact_id: Option<Uuid>,
        pub quote_id: Option<Uuid>,
        pub contract_id: Option<Uuid>,
        pub title: Option<String>,
        pub currency: String,
        pub order_date: Date,
        pub customer_po: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub shipping_address: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub payment_terms: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub delivery_terms: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub internal_note: Option<String>,
        pub header_discount_percent: i64,
        pub lines_total: i64,
        pub total_excl_vat: i64,
        pub vat_amount: i64,
        pub total: i64,
        pub max_discount_percent: i64,
        pub cancelled_amount: i64,
        pub received_amount: i64,
        pub invoiced_amount: i64,
        pub status: String,
        pub approval_id: Option<Uuid>,
        pub owner_id: Uuid,
        pub next_promised_date: Option<Date>,
        pub confirmed_on: Option<Date>,
        pub first_shipped_on: Option<Date>,
        pub fully_shipped_on: Option<Date>,
        pub accepted_on: Option<Date>,
        pub confirmed_at: Option<DateTimeUtc>,
        pub cancelled_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text", nullable)]
        pub cancel_reason: Option<String>,
        pub created_by: Uuid,
        pub deleted_at: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sales_order_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sales_order_lines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub sales_order_id: Uuid,
        pub position: i32,
        pub product_id: Option<Uuid>,
        pub product_code: Option<String>,
        pub name: String,
        pub spec: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub description: Option<String>,
        pub quantity: i64,
        pub unit: String,
        pub list_price: Option<i64>,
        pub unit_price: i64,
        pub price_source: Option<String>,
        pub discount_percent: i64,
        pub vat_rate: String,
        pub net_amount: i64,
        pub promised_date: Option<Date>,
        pub shipped_quantity: i64,
        pub delivered_quantity: i64,
        pub cancelled_quantity: i64,
        pub open_quantity: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod shipment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "shipments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The ERP or OA system that owns this record (`PUT …/by-external-id`), and its id there.
        pub external_source: Option<String>,
        pub external_id: Option<String>,
        pub sales_order_id: Uuid,
        pub number: String,
        pub status: String,
        pub shipped_on: Date,
        pub carrier: Option<String>,
        pub tracking_number: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub note: Option<String>,
        pub delivered_on: Option<Date>,
        pub received_by: Option<String>,
        pub delivered_by: Option<Uuid>,
        pub delivered_at: Option<DateTimeUtc>,
        /// How many order lines it carried (its lines never change).
        pub line_count: i32,
        pub created_by: Uuid,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod shipment_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "shipment_lines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub shipment_id: Uuid,
        pub order_line_id: Uuid,
        pub quantity: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod instalment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "instalments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub sales_order_id: Uuid,
        pub customer_id: Uuid,
        pub owner_id: Uuid,
        pub currency: String,
        pub position: i32,
        pub name: String,
        pub percent: Option<i64>,
        pub amount: i64,
        /// The `DueRule` as JSON.
        #[sea_orm(column_type = "Text")]
        pub due_rule: String,
        pub due_date: Option<Date>,
        pub paid_amount: i64,
        pub outstanding: i64,
        pub confirmed: bool,
        pub overdue_announced: bool,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What a customer owes an owner in a currency, per aging bucket, counted as of the day in
/// `aging_refreshes` (see `receivables::balances`).
pub mod aging_balance {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "aging_balances")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub owner_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub currency: String,
        pub not_due: i64,
        pub days_1_to_30: i64,
        pub days_31_to_60: i64,
        pub days_61_to_90: i64,
        pub days_91_to_180: i64,
        pub over_180: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod payment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "payments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The ERP or OA system that owns this record (`PUT …/by-external-id`), and its id there.
        pub external_source: Option<String>,
        pub external_id: Option<String>,
        pub number: String,
        pub customer_id: Uuid,
        pub received_on: Date,
        pub amount: i64,
        pub currency: String,
        pub method: String,
        pub reference: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub note: Option<String>,
        pub allocated: i64,
        pub unapplied: i64,
        pub created_by: Uuid,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod payment_allocation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "payment_allocations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub payment_id: Uuid,
        pub instalment_id: Uuid,
        pub sales_order_id: Uuid,
        pub amount: i64,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod invoice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The ERP or OA system that owns this record (`PUT …/by-external-id`), and its id there.
        pub external_source: Option<String>,
        pub external_id: Option<String>,
        pub sales_order_id: Uuid,
        pub number: String,
        pub issued_on: Date,
        pub amount: i64,
        pub tax_amount: i64,
        pub kind: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub note: Option<String>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub user_id: Uuid,
        pub kind: String,
        pub subject_id: Uuid,
        /// What the notification shows (number, customer, counts), as JSON.
        #[sea_orm(column_type = "Text")]
        pub params: String,
        /// One notification per user, subject, kind and day.
        pub dedupe_key: String,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attachment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub subject_kind: String,
        pub subject_id: Uuid,
        pub file_name: String,
        pub content_type: String,
        pub size: i64,
        pub sha256: String,
        pub storage_key: String,
        pub uploaded_by: Uuid,
        pub created_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contract {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contracts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub number: String,
        pub customer_id: Uuid,
        pub contact_id: Option<Uuid>,
        pub quote_id: Option<Uuid>,
        pub opportunity_id: Option<Uuid>,
        pub title: String,
        pub currency: String,
        pub signed_on: Option<Date>,
        pub starts_on: Option<Date>,
        pub ends_on: Option<Date>,
        #[sea_orm(column_type = "Text", nullable)]
        pub payment_terms: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub delivery_terms: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub terms: Option<String>,
        pub header_discount_percent: i64,
        pub lines_total: i64,
        pub total_excl_vat: i64,
        pub vat_amount: i64,
        pub total: i64,
        pub max_discount_percent: i64,
        /// The settled lines as JSON: read whole, never queried line by line.
        #[sea_orm(column_type = "Text")]
        pub lines: String,
        pub status: String,
        pub approval_id: Option<Uuid>,
        pub owner_id: Uuid,
        pub activated_at: Option<DateTimeUtc>,
        pub completed_at: Option<DateTimeUtc>,
        pub terminated_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text", nullable)]
        pub termination_reason: Option<String>,
        pub created_by: Uuid,
        pub deleted_at: Option<DateTimeUtc>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
