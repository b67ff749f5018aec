//! Entities of quotes, their lines, the numbering series and the document template. Money,
//! quantities and percentages are `i64` in 1/10,000 units (see `crate::money`).

pub mod quote {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quotes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub number: String,
        pub revision: i32,
        pub customer_id: Uuid,
        pub opportunity_id: Option<Uuid>,
        pub contact_id: Option<Uuid>,
        pub title: Option<String>,
        pub currency: String,
        pub valid_until: Date,
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
        pub status: String,
        pub superseded: bool,
        pub revised_from: Option<Uuid>,
        pub copied_from: Option<Uuid>,
        pub approval_id: Option<Uuid>,
        pub owner_id: Uuid,
        pub sent_at: Option<DateTimeUtc>,
        pub accepted_at: Option<DateTimeUtc>,
        pub declined_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text", nullable)]
        pub decline_reason: Option<String>,
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

pub mod quote_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quote_lines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub quote_id: Uuid,
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
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod document_template {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "document_templates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        /// The template's texts as JSON (`DocumentTemplate`).
        #[sea_orm(column_type = "Text")]
        pub texts: String,
        #[sea_orm(column_type = "Blob", nullable)]
        pub logo: Option<Vec<u8>>,
        pub logo_content_type: Option<String>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
