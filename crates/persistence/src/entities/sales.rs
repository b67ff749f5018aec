//! Entities of the catalogue, price lists and opportunities. Money, quantities and
//! percentages are `i64` in 1/10,000 units (see `crate::money`).

pub mod product_category {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "product_categories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub name: String,
        pub parent_id: Option<Uuid>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod product {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "products")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub code: String,
        pub name: String,
        pub spec: Option<String>,
        pub unit: String,
        pub category_id: Option<Uuid>,
        pub list_price: i64,
        pub currency: String,
        pub vat_rate: String,
        pub active: bool,
        #[sea_orm(column_type = "Text", nullable)]
        pub description: Option<String>,
        pub external_id: Option<String>,
        pub external_source: Option<String>,
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

pub mod price_list {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "price_lists")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub name: String,
        pub tier: Option<String>,
        pub customer_id: Option<Uuid>,
        pub currency: String,
        pub valid_from: Option<Date>,
        pub valid_to: Option<Date>,
        pub active: bool,
        #[sea_orm(column_type = "Text", nullable)]
        pub notes: Option<String>,
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

pub mod price_list_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "price_list_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub price_list_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub min_quantity: i64,
        pub tenant_id: Uuid,
        pub unit_price: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod price_history {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "price_history")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub customer_id: Uuid,
        pub product_id: Uuid,
        pub quantity: i64,
        pub unit_price: i64,
        pub discount_percent: i64,
        pub currency: String,
        pub event: String,
        pub source_id: Uuid,
        pub source_name: String,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod pipeline {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pipelines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub name: String,
        pub is_default: bool,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod pipeline_stage {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pipeline_stages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub pipeline_id: Uuid,
        pub name: String,
        pub kind: String,
        pub probability: i16,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod opportunity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "opportunities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub name: String,
        pub customer_id: Uuid,
        pub pipeline_id: Uuid,
        pub stage_id: Uuid,
        pub status: String,
        pub probability: i16,
        pub amount: i64,
        pub entered_amount: i64,
        pub amount_from_lines: bool,
        pub currency: String,
        pub expected_close_date: Date,
        pub kind: String,
        pub source: Option<String>,
        pub lead_id: Option<Uuid>,
        pub owner_id: Uuid,
        pub next_step: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub description: Option<String>,
        /// JSON text: `[{name, price, strengths, weaknesses}]`.
        #[sea_orm(column_type = "Text")]
        pub competitors: String,
        /// JSON text: `[{name, role}]`.
        #[sea_orm(column_type = "Text")]
        pub partners: String,
        pub lost_reason: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub lost_note: Option<String>,
        pub winning_competitor: Option<String>,
        pub won_on: Option<Date>,
        pub closed_at: Option<DateTimeUtc>,
        pub stage_entered_at: DateTimeUtc,
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

pub mod opportunity_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "opportunity_lines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub opportunity_id: Uuid,
        pub position: i32,
        pub product_id: Uuid,
        pub quantity: i64,
        pub list_price: i64,
        pub unit_price: i64,
        pub price_source: Option<String>,
        pub discount_percent: i64,
        pub vat_rate: String,
        pub amount: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod opportunity_contact {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "opportunity_contacts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub opportunity_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub contact_id: Uuid,
        pub tenant_id: Uuid,
        pub role: String,
        pub note: Option<String>,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod opportunity_member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "opportunity_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub opportunity_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub tenant_id: Uuid,
        pub role: Option<String>,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod closed_deal_day {
    //! A rollup (see `crate::rollups::deals`): the deals won or lost per day in China,
    //! department of the owner, closing stage, currency and probability.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "closed_deal_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub stage_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub currency: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub probability: i16,
        pub deals: i64,
        pub amount: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod funnel_day {
    //! A rollup (see `crate::rollups::deals`): per day in China, department of the
    //! opportunity's owner and stage, the first entries into the stage, how many of them
    //! have advanced since, and the departures from it with the seconds spent in it.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "funnel_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub department_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub stage_id: Uuid,
        pub entered: i64,
        pub advanced: i64,
        pub departed: i64,
        pub departed_seconds: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stage_change {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "opportunity_stage_changes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub opportunity_id: Uuid,
        pub kind: String,
        pub from_stage_id: Option<Uuid>,
        pub to_stage_id: Uuid,
        pub seconds_in_previous: Option<i64>,
        pub probability: i16,
        #[sea_orm(column_type = "Text", nullable)]
        pub note: Option<String>,
        pub changed_by: Uuid,
        pub changed_at: DateTimeUtc,
        /// The first change that brought the opportunity into `to_stage_id`.
        pub first_entry: bool,
        /// A first entry into an open stage after which the opportunity went further (a
        /// later open stage, or won). Kept up to date by later changes.
        pub advanced: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod saved_filter {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "saved_filters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub user_id: Uuid,
        pub resource: String,
        pub name: String,
        #[sea_orm(column_type = "Text")]
        pub query: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
