//! Products, their categories, price lists and price history; pipelines and their stages;
//! opportunities with lines, decision chain, team and stage changes; saved filters; and
//! activities about an opportunity.
//!
//! Money, quantities and percentages are `BIGINT`s in 1/10,000 units (see
//! `crm_persistence::money`): exact, summable in SQL and the same on SQLite and PostgreSQL.

use sea_orm_migration::prelude::{
    ColumnDef, DbErr, DeriveMigrationName, Index, MigrationTrait, Query, SchemaManager, Table,
    TableCreateStatement,
};
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, date, date_null, integer, small_integer, string,
    string_null, text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
    uuid_null,
};
use sea_orm_migration::sea_orm::{self, ConnectionTrait};

use crate::columns::{n, table, versioned};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableCreateStatement> {
    let mut categories = table("product_categories");
    versioned(
        categories
            .col(string(n("name")))
            .col(uuid_null(n("parent_id"))),
    );

    let mut products = table("products");
    versioned(
        products
            .col(string(n("code")))
            .col(string(n("name")))
            .col(string_null(n("spec")))
            .col(string(n("unit")))
            .col(uuid_null(n("category_id")))
            .col(big_integer(n("list_price")))
            .col(string(n("currency")))
            .col(string(n("vat_rate")))
            .col(boolean(n("active")))
            .col(text_null(n("description")))
            .col(string_null(n("external_id")))
            .col(string_null(n("external_source")))
            .col(uuid(n("created_by")))
            .col(timestamp_with_time_zone_null(n("deleted_at"))),
    );

    let mut price_lists = table("price_lists");
    versioned(
        price_lists
            .col(string(n("name")))
            // Exactly one of the two: a tier key or a customer.
            .col(string_null(n("tier")))
            .col(uuid_null(n("customer_id")))
            .col(string(n("currency")))
            .col(date_null(n("valid_from")))
            .col(date_null(n("valid_to")))
            .col(boolean(n("active")))
            .col(text_null(n("notes")))
            .col(uuid(n("created_by")))
            .col(timestamp_with_time_zone_null(n("deleted_at"))),
    );

    let price_list_items = Table::create()
        .table(n("price_list_items"))
        .col(uuid(n("price_list_id")))
        .col(uuid(n("product_id")))
        .col(big_integer(n("min_quantity")))
        .col(uuid(n("tenant_id")))
        .col(big_integer(n("unit_price")))
        .primary_key(
            Index::create()
                .col(n("price_list_id"))
                .col(n("product_id"))
                .col(n("min_quantity")),
        )
        .to_owned();

    let mut price_history = table("price_history");
    price_history
        .col(uuid(n("customer_id")))
        .col(uuid(n("product_id")))
        .col(big_integer(n("quantity")))
        .col(big_integer(n("unit_price")))
        .col(big_integer(n("discount_percent")))
        .col(string(n("currency")))
        // `won`, `quoted` or `sold`.
        .col(string(n("event")))
        .col(uuid(n("source_id")))
        .col(string(n("source_name")))
        .col(uuid(n("recorded_by")))
        .col(timestamp_with_time_zone(n("recorded_at")));

    let mut pipelines = table("pipelines");
    versioned(
        pipelines
            .col(string(n("name")))
            .col(boolean(n("is_default"))),
    );

    let mut stages = table("pipeline_stages");
    stages
        .col(uuid(n("pipeline_id")))
        .col(string(n("name")))
        // `open`, `won` or `lost`.
        .col(string(n("kind")))
        .col(small_integer(n("probability")))
        .col(integer(n("position")));

    let mut opportunities = table("opportunities");
    versioned(
        opportunities
            .col(string(n("name")))
            .col(uuid(n("customer_id")))
            .col(uuid(n("pipeline_id")))
            .col(uuid(n("stage_id")))
            // The stage's kind, kept here so lists filter and index on it.
            .col(string(n("status")))
            .col(small_integer(n("probability")))
            // The lines' total while there are lines, else `entered_amount`.
            .col(big_integer(n("amount")))
            .col(big_integer(n("entered_amount")))
            .col(boolean(n("amount_from_lines")))
            .col(string(n("currency")))
            .col(date(n("expected_close_date")))
            .col(string(n("kind")))
            .col(string_null(n("source")))
            .col(uuid_null(n("lead_id")))
            .col(uuid(n("owner_id")))
            .col(string_null(n("next_step")))
            .col(text_null(n("description")))
            // JSON text: lists nothing queries into.
            .col(text(n("competitors")))
            .col(text(n("partners")))
            .col(string_null(n("lost_reason")))
            .col(text_null(n("lost_note")))
            .col(string_null(n("winning_competitor")))
            .col(date_null(n("won_on")))
            .col(timestamp_with_time_zone_null(n("closed_at")))
            .col(timestamp_with_time_zone(n("stage_entered_at")))
            .col(uuid(n("created_by")))
            .col(timestamp_with_time_zone_null(n("deleted_at"))),
    );

    let mut lines = table("opportunity_lines");
    lines
        .col(uuid(n("opportunity_id")))
        .col(integer(n("position")))
        .col(uuid(n("product_id")))
        .col(big_integer(n("quantity")))
        .col(big_integer(n("list_price")))
        .col(big_integer(n("unit_price")))
        .col(string_null(n("price_source")))
        .col(big_integer(n("discount_percent")))
        .col(string(n("vat_rate")))
        .col(big_integer(n("amount")));

    let contacts = Table::create()
        .table(n("opportunity_contacts"))
        .col(uuid(n("opportunity_id")))
        .col(uuid(n("contact_id")))
        .col(uuid(n("tenant_id")))
        .col(string(n("role")))
        .col(string_null(n("note")))
        .col(integer(n("position")))
        .primary_key(
            Index::create()
                .col(n("opportunity_id"))
                .col(n("contact_id")),
        )
        .to_owned();

    let members = Table::create()
        .table(n("opportunity_members"))
        .col(uuid(n("opportunity_id")))
        .col(uuid(n("user_id")))
        .col(uuid(n("tenant_id")))
        .col(string_null(n("role")))
        .col(integer(n("position")))
        .primary_key(Index::create().col(n("opportunity_id")).col(n("user_id")))
        .to_owned();

    let mut changes = table("opportunity_stage_changes");
    changes
        .col(uuid(n("opportunity_id")))
        // `created`, `moved`, `won`, `lost` or `reopened`.
        .col(string(n("kind")))
        .col(uuid_null(n("from_stage_id")))
        .col(uuid(n("to_stage_id")))
        .col(big_integer_null(n("seconds_in_previous")))
        .col(small_integer(n("probability")))
        .col(text_null(n("note")))
        .col(uuid(n("changed_by")))
        .col(timestamp_with_time_zone(n("changed_at")));

    let mut saved_filters = table("saved_filters");
    saved_filters
        .col(uuid(n("user_id")))
        .col(string(n("resource")))
        .col(string(n("name")))
        .col(text(n("query")))
        .col(timestamp_with_time_zone(n("created_at")));

    vec![
        categories,
        products,
        price_lists,
        price_list_items,
        price_history,
        pipelines,
        stages,
        opportunities,
        lines,
        contacts,
        members,
        changes,
        saved_filters,
    ]
}

const INDEXES: [&str; 23] = [
    "CREATE INDEX ix_product_categories_tenant ON product_categories (tenant_id, parent_id)",
    "CREATE UNIQUE INDEX ux_products_code ON products (tenant_id, code) WHERE deleted_at IS NULL",
    "CREATE UNIQUE INDEX ux_products_external ON products (tenant_id, external_source, external_id) \
     WHERE deleted_at IS NULL AND external_id IS NOT NULL",
    "CREATE INDEX ix_products_name ON products (tenant_id, name, id)",
    "CREATE INDEX ix_products_created ON products (tenant_id, created_at, id)",
    "CREATE INDEX ix_products_updated ON products (tenant_id, updated_at, id)",
    "CREATE INDEX ix_products_category ON products (tenant_id, category_id)",
    "CREATE INDEX ix_price_lists_name ON price_lists (tenant_id, name, id)",
    "CREATE INDEX ix_price_lists_customer ON price_lists (tenant_id, customer_id)",
    "CREATE INDEX ix_price_lists_tier ON price_lists (tenant_id, tier)",
    "CREATE INDEX ix_price_list_items_product ON price_list_items (tenant_id, product_id)",
    "CREATE INDEX ix_price_history_customer ON price_history (tenant_id, customer_id, product_id, recorded_at, id)",
    "CREATE INDEX ix_price_history_product ON price_history (tenant_id, product_id, recorded_at, id)",
    "CREATE INDEX ix_price_history_recorded ON price_history (tenant_id, recorded_at, id)",
    "CREATE INDEX ix_pipeline_stages ON pipeline_stages (pipeline_id, position)",
    // The board: a stage's cards, soonest close first.
    "CREATE INDEX ix_opportunities_stage ON opportunities (tenant_id, stage_id, expected_close_date, id) \
     WHERE deleted_at IS NULL",
    "CREATE INDEX ix_opportunities_created ON opportunities (tenant_id, created_at, id)",
    "CREATE INDEX ix_opportunities_owner ON opportunities (tenant_id, owner_id, status)",
    "CREATE INDEX ix_opportunities_customer ON opportunities (tenant_id, customer_id)",
    "CREATE INDEX ix_opportunity_lines ON opportunity_lines (opportunity_id, position)",
    "CREATE INDEX ix_opportunity_members_user ON opportunity_members (tenant_id, user_id, opportunity_id)",
    "CREATE INDEX ix_opportunity_stage_changes ON opportunity_stage_changes (opportunity_id, changed_at, id)",
    "CREATE UNIQUE INDEX ux_saved_filters ON saved_filters (user_id, resource, name)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for statement in tables() {
            manager.create_table(statement).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(n("activities"))
                    .add_column(ColumnDef::new(n("opportunity_id")).uuid().null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in INDEXES.iter().chain(&[
            "CREATE INDEX ix_activities_opportunity ON activities (tenant_id, opportunity_id, occurred_at, id)",
        ]) {
            db.execute_unprepared(statement).await?;
        }
        seed_standard_pipelines(manager).await?;
        grant_new_permissions(manager).await
    }
}

/// Every existing tenant gets the standard pipeline new tenants start with. A snapshot, not a
/// call into the domain: migrations never change once released.
async fn seed_standard_pipelines(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    const STAGES: [(&str, &str, i16); 6] = [
        ("初步接洽", "open", 10),
        ("需求确认", "open", 25),
        ("方案/报价", "open", 50),
        ("商务谈判", "open", 75),
        ("赢单", "won", 100),
        ("输单", "lost", 0),
    ];
    let db = manager.get_connection();
    let tenants = Query::select()
        .column(n("id"))
        .from(n("tenants"))
        .to_owned();
    let now = chrono::Utc::now();
    for row in db.query_all(&tenants).await? {
        let tenant: sea_orm::prelude::Uuid = row.try_get("", "id")?;
        let pipeline = uuid::Uuid::now_v7();
        db.execute(
            &Query::insert()
                .into_table(n("pipelines"))
                .columns(
                    [
                        "id",
                        "tenant_id",
                        "name",
                        "is_default",
                        "version",
                        "created_at",
                        "updated_at",
                    ]
                    .map(n),
                )
                .values_panic([
                    pipeline.into(),
                    tenant.into(),
                    "标准销售流程".into(),
                    true.into(),
                    1.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        for (position, (name, kind, probability)) in STAGES.into_iter().enumerate() {
            db.execute(
                &Query::insert()
                    .into_table(n("pipeline_stages"))
                    .columns(
                        [
                            "id",
                            "tenant_id",
                            "pipeline_id",
                            "name",
                            "kind",
                            "probability",
                            "position",
                        ]
                        .map(n),
                    )
                    .values_panic([
                        uuid::Uuid::now_v7().into(),
                        tenant.into(),
                        pipeline.into(),
                        name.into(),
                        kind.into(),
                        probability.into(),
                        i32::try_from(position).unwrap_or_default().into(),
                    ])
                    .to_owned(),
            )
            .await?;
        }
    }
    Ok(())
}

/// Built-in roles of existing tenants get the permissions this release adds, as new tenants
/// do.
async fn grant_new_permissions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    const MANAGER: &[&str] = &[
        "opportunity.read",
        "opportunity.write",
        "opportunity.delete",
    ];
    const GRANTS: [(&str, &[&str]); 7] = [
        (
            "admin",
            &[
                "opportunity.read",
                "opportunity.write",
                "opportunity.delete",
                "product.manage",
            ],
        ),
        ("sales_director", MANAGER),
        ("sales_manager", MANAGER),
        ("sales_rep", &["opportunity.read", "opportunity.write"]),
        ("finance", &["opportunity.read"]),
        ("service", &["opportunity.read"]),
        ("viewer", &["opportunity.read"]),
    ];
    crate::roles::grant_permissions(manager, &GRANTS).await
}
