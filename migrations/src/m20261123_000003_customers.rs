//! Customers, contacts, activities, tasks, tenant settings, ownership (pool, rules, history),
//! and the lead lifecycle columns; a lead may now be without owner (in the pool).

use sea_orm_migration::prelude::{
    ColumnDef, DbErr, DeriveIden, DeriveMigrationName, MigrationTrait, SchemaManager, Table,
};
use sea_orm_migration::schema::{
    boolean, date, date_null, integer, json_binary, pk_uuid, string, string_null, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::{self, ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    TenantId,
    Name,
    ShortName,
    CreditCode,
    /// The normalized name (see `crm_domain::company::name_key`), unique per tenant.
    NameKey,
    /// The key without leading place names, for "similar" matches.
    NameCore,
    Industry,
    Region,
    Province,
    City,
    Address,
    Website,
    Tier,
    Tags,
    Source,
    Status,
    ParentId,
    OwnerId,
    Notes,
    LastActivityAt,
    /// When the pool clock last restarted: creation, a new owner, or a follow-up.
    PoolClockAt,
    /// When the owner was last warned of the coming return to the pool.
    PoolWarnedAt,
    /// Set when merged into another customer: the row stays as a redirect.
    MergedInto,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
    TenantId,
    CustomerId,
    Name,
    Title,
    Department,
    Mobile,
    Phone,
    /// The landline's digits, for duplicate checks.
    PhoneKey,
    Email,
    Wechat,
    Birthday,
    DecisionRole,
    IsPrimary,
    Notes,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    TenantId,
    Kind,
    OccurredAt,
    Subject,
    Notes,
    Outcome,
    LeadId,
    CustomerId,
    ContactIds,
    NextFollowUpOn,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Tasks {
    Table,
    Id,
    TenantId,
    OwnerId,
    Subject,
    DueOn,
    Status,
    LeadId,
    CustomerId,
    ActivityId,
    CompletedAt,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum TenantSettings {
    Table,
    TenantId,
    Document,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OwnerChanges {
    Table,
    Id,
    TenantId,
    EntityType,
    EntityId,
    FromOwner,
    ToOwner,
    Reason,
    Note,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum AssignmentRules {
    Table,
    Id,
    TenantId,
    Position,
    Region,
    Industry,
    UserId,
    DepartmentId,
    /// The user the round-robin gave the last lead to.
    LastUserId,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Leads {
    Table,
    DisqualifyReason,
    DisqualifyNote,
    QualifiedAt,
    ConvertedAt,
    CustomerId,
    ContactId,
    LastActivityAt,
}

/// Indexes in plain SQL: the partial ones (`WHERE …`) are spelled the same on SQLite and
/// PostgreSQL, and sea-query cannot express them.
const INDEXES: [&str; 14] = [
    // A live customer's normalized name and credit code are unique per tenant: two concurrent
    // creates of one company cannot both commit. Merged and deleted rows step aside.
    "CREATE UNIQUE INDEX ux_customers_name_key ON customers (tenant_id, name_key) \
     WHERE deleted_at IS NULL AND merged_into IS NULL",
    "CREATE UNIQUE INDEX ux_customers_credit_code ON customers (tenant_id, credit_code) \
     WHERE deleted_at IS NULL AND merged_into IS NULL AND credit_code IS NOT NULL",
    "CREATE INDEX ix_customers_core ON customers (tenant_id, name_core) WHERE deleted_at IS NULL AND merged_into IS NULL",
    "CREATE INDEX ix_customers_created ON customers (tenant_id, created_at, id)",
    "CREATE INDEX ix_customers_updated ON customers (tenant_id, updated_at, id)",
    "CREATE INDEX ix_customers_name ON customers (tenant_id, name, id)",
    "CREATE INDEX ix_customers_owner_created ON customers (tenant_id, owner_id, created_at, id)",
    "CREATE INDEX ix_customers_parent ON customers (tenant_id, parent_id)",
    "CREATE INDEX ix_contacts_customer ON contacts (tenant_id, customer_id, created_at, id)",
    "CREATE INDEX ix_contacts_mobile ON contacts (tenant_id, mobile)",
    "CREATE INDEX ix_contacts_phone_key ON contacts (tenant_id, phone_key)",
    "CREATE INDEX ix_contacts_email ON contacts (tenant_id, email)",
    // At most one primary contact per customer.
    "CREATE UNIQUE INDEX ux_contacts_primary ON contacts (customer_id) WHERE is_primary AND deleted_at IS NULL",
    "CREATE INDEX ix_leads_customer ON leads (tenant_id, customer_id)",
];

const OWNERSHIP_INDEXES: [&str; 3] = [
    "CREATE INDEX ix_owner_changes_entity ON owner_changes (tenant_id, entity_id, changed_at)",
    "CREATE INDEX ix_assignment_rules_position ON assignment_rules (tenant_id, position)",
    // The pool sweep: owned live customers by the age of their clock, across tenants.
    "CREATE INDEX ix_customers_pool_clock ON customers (pool_clock_at) \
     WHERE owner_id IS NOT NULL AND deleted_at IS NULL AND merged_into IS NULL",
];

/// SQLite cannot drop a NOT NULL constraint: the leads table is rebuilt with a nullable
/// owner, its rows copied, and its indexes made again.
const SQLITE_NULLABLE_LEAD_OWNER: [&str; 9] = [
    "CREATE TABLE leads_rebuilt ( \"id\" uuid_text NOT NULL PRIMARY KEY, \"tenant_id\" uuid_text NOT NULL, \
     \"company_name\" varchar NOT NULL, \"contact_name\" varchar NOT NULL, \"title\" varchar NULL, \"phone\" varchar NULL, \
     \"mobile\" varchar NULL, \"email\" varchar NULL, \"source\" varchar NOT NULL, \"region\" varchar NULL, \
     \"industry\" varchar NULL, \"status\" varchar NOT NULL, \"owner_id\" uuid_text NULL, \"notes\" text NULL, \
     \"version\" integer NOT NULL, \"created_at\" timestamp_with_timezone_text NOT NULL, \
     \"updated_at\" timestamp_with_timezone_text NOT NULL, \"created_by\" uuid_text NOT NULL, \
     \"deleted_at\" timestamp_with_timezone_text NULL, \"disqualify_reason\" varchar NULL, \"disqualify_note\" text NULL, \
     \"qualified_at\" timestamp_with_timezone_text NULL, \"converted_at\" timestamp_with_timezone_text NULL, \
     \"customer_id\" uuid_text NULL, \"contact_id\" uuid_text NULL, \"last_activity_at\" timestamp_with_timezone_text NULL)",
    "INSERT INTO leads_rebuilt SELECT id, tenant_id, company_name, contact_name, title, phone, mobile, email, source, \
     region, industry, status, owner_id, notes, version, created_at, updated_at, created_by, deleted_at, \
     disqualify_reason, disqualify_note, qualified_at, converted_at, customer_id, contact_id, last_activity_at FROM leads",
    "DROP TABLE leads",
    "ALTER TABLE leads_rebuilt RENAME TO leads",
    "CREATE INDEX ix_leads_created ON leads (tenant_id, created_at, id)",
    "CREATE INDEX ix_leads_updated ON leads (tenant_id, updated_at, id)",
    "CREATE INDEX ix_leads_company ON leads (tenant_id, company_name, id)",
    "CREATE INDEX ix_leads_status_created ON leads (tenant_id, status, created_at, id)",
    "CREATE INDEX ix_leads_owner_created ON leads (tenant_id, owner_id, created_at, id)",
];

const ACTIVITY_AND_TASK_INDEXES: [&str; 3] = [
    "CREATE INDEX ix_activities_lead ON activities (tenant_id, lead_id, occurred_at, id)",
    "CREATE INDEX ix_activities_customer ON activities (tenant_id, customer_id, occurred_at, id)",
    "CREATE INDEX ix_tasks_owner_due ON tasks (tenant_id, owner_id, status, due_on, id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(pk_uuid(Customers::Id))
                    .col(uuid(Customers::TenantId))
                    .col(string(Customers::Name))
                    .col(string_null(Customers::ShortName))
                    .col(string_null(Customers::CreditCode))
                    .col(string(Customers::NameKey))
                    .col(string(Customers::NameCore))
                    .col(string_null(Customers::Industry))
                    .col(string_null(Customers::Region))
                    .col(string_null(Customers::Province))
                    .col(string_null(Customers::City))
                    .col(string_null(Customers::Address))
                    .col(string_null(Customers::Website))
                    .col(string_null(Customers::Tier))
                    .col(json_binary(Customers::Tags))
                    .col(string_null(Customers::Source))
                    .col(string(Customers::Status))
                    .col(uuid_null(Customers::ParentId))
                    .col(uuid_null(Customers::OwnerId))
                    .col(text_null(Customers::Notes))
                    .col(timestamp_with_time_zone_null(Customers::LastActivityAt))
                    .col(timestamp_with_time_zone(Customers::PoolClockAt))
                    .col(timestamp_with_time_zone_null(Customers::PoolWarnedAt))
                    .col(uuid_null(Customers::MergedInto))
                    .col(integer(Customers::Version))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .col(uuid(Customers::CreatedBy))
                    .col(timestamp_with_time_zone_null(Customers::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Contacts::Table)
                    .col(pk_uuid(Contacts::Id))
                    .col(uuid(Contacts::TenantId))
                    .col(uuid(Contacts::CustomerId))
                    .col(string(Contacts::Name))
                    .col(string_null(Contacts::Title))
                    .col(string_null(Contacts::Department))
                    .col(string_null(Contacts::Mobile))
                    .col(string_null(Contacts::Phone))
                    .col(string_null(Contacts::PhoneKey))
                    .col(string_null(Contacts::Email))
                    .col(string_null(Contacts::Wechat))
                    .col(date_null(Contacts::Birthday))
                    .col(string_null(Contacts::DecisionRole))
                    .col(boolean(Contacts::IsPrimary))
                    .col(text_null(Contacts::Notes))
                    .col(integer(Contacts::Version))
                    .col(timestamp_with_time_zone(Contacts::CreatedAt))
                    .col(timestamp_with_time_zone(Contacts::UpdatedAt))
                    .col(uuid(Contacts::CreatedBy))
                    .col(timestamp_with_time_zone_null(Contacts::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Activities::Table)
                    .col(pk_uuid(Activities::Id))
                    .col(uuid(Activities::TenantId))
                    .col(string(Activities::Kind))
                    .col(timestamp_with_time_zone(Activities::OccurredAt))
                    .col(string(Activities::Subject))
                    .col(text_null(Activities::Notes))
                    .col(string_null(Activities::Outcome))
                    .col(uuid_null(Activities::LeadId))
                    .col(uuid_null(Activities::CustomerId))
                    .col(json_binary(Activities::ContactIds))
                    .col(date_null(Activities::NextFollowUpOn))
                    .col(integer(Activities::Version))
                    .col(timestamp_with_time_zone(Activities::CreatedAt))
                    .col(timestamp_with_time_zone(Activities::UpdatedAt))
                    .col(uuid(Activities::CreatedBy))
                    .col(timestamp_with_time_zone_null(Activities::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Tasks::Table)
                    .col(pk_uuid(Tasks::Id))
                    .col(uuid(Tasks::TenantId))
                    .col(uuid(Tasks::OwnerId))
                    .col(string(Tasks::Subject))
                    .col(date(Tasks::DueOn))
                    .col(string(Tasks::Status))
                    .col(uuid_null(Tasks::LeadId))
                    .col(uuid_null(Tasks::CustomerId))
                    .col(uuid_null(Tasks::ActivityId))
                    .col(timestamp_with_time_zone_null(Tasks::CompletedAt))
                    .col(integer(Tasks::Version))
                    .col(timestamp_with_time_zone(Tasks::CreatedAt))
                    .col(timestamp_with_time_zone(Tasks::UpdatedAt))
                    .col(uuid(Tasks::CreatedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TenantSettings::Table)
                    .col(pk_uuid(TenantSettings::TenantId))
                    .col(json_binary(TenantSettings::Document))
                    .col(integer(TenantSettings::Version))
                    .col(timestamp_with_time_zone(TenantSettings::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        // SQLite alters one column per statement.
        let lead_columns: [ColumnDef; 7] = [
            string_null(Leads::DisqualifyReason),
            text_null(Leads::DisqualifyNote),
            timestamp_with_time_zone_null(Leads::QualifiedAt),
            timestamp_with_time_zone_null(Leads::ConvertedAt),
            uuid_null(Leads::CustomerId),
            uuid_null(Leads::ContactId),
            timestamp_with_time_zone_null(Leads::LastActivityAt),
        ];
        for mut column in lead_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Leads::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(OwnerChanges::Table)
                    .col(pk_uuid(OwnerChanges::Id))
                    .col(uuid(OwnerChanges::TenantId))
                    .col(string(OwnerChanges::EntityType))
                    .col(uuid(OwnerChanges::EntityId))
                    .col(uuid_null(OwnerChanges::FromOwner))
                    .col(uuid_null(OwnerChanges::ToOwner))
                    .col(string(OwnerChanges::Reason))
                    .col(string_null(OwnerChanges::Note))
                    .col(uuid_null(OwnerChanges::ChangedBy))
                    .col(timestamp_with_time_zone(OwnerChanges::ChangedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssignmentRules::Table)
                    .col(pk_uuid(AssignmentRules::Id))
                    .col(uuid(AssignmentRules::TenantId))
                    .col(integer(AssignmentRules::Position))
                    .col(string_null(AssignmentRules::Region))
                    .col(string_null(AssignmentRules::Industry))
                    .col(uuid_null(AssignmentRules::UserId))
                    .col(uuid_null(AssignmentRules::DepartmentId))
                    .col(uuid_null(AssignmentRules::LastUserId))
                    .col(integer(AssignmentRules::Version))
                    .col(timestamp_with_time_zone(AssignmentRules::CreatedAt))
                    .col(timestamp_with_time_zone(AssignmentRules::UpdatedAt))
                    .col(uuid(AssignmentRules::CreatedBy))
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared("ALTER TABLE leads ALTER COLUMN owner_id DROP NOT NULL")
                .await?;
            // Name keys are machine keys: byte order makes `>= prefix AND < successor` a correct
            // prefix search that the index serves, whatever the database's locale.
            for column in ["name_key", "name_core"] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE customers ALTER COLUMN {column} TYPE varchar COLLATE \"C\""
                ))
                .await?;
            }
        } else {
            for statement in SQLITE_NULLABLE_LEAD_OWNER {
                db.execute_unprepared(statement).await?;
            }
        }
        for statement in INDEXES
            .iter()
            .chain(&ACTIVITY_AND_TASK_INDEXES)
            .chain(&OWNERSHIP_INDEXES)
        {
            db.execute_unprepared(statement).await?;
        }
        grant_new_permissions(manager).await
    }
}

/// Built-in roles of existing tenants get the permissions this release adds, as new tenants
/// do. A snapshot, not a reference to the domain: migrations never change once released.
async fn grant_new_permissions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    const MANAGER: &[&str] = &[
        "lead.qualify",
        "customer.read",
        "customer.write",
        "customer.delete",
        "customer.merge",
    ];
    const GRANTS: [(&str, &[&str]); 7] = [
        (
            "admin",
            &[
                "lead.qualify",
                "customer.read",
                "customer.write",
                "customer.delete",
                "customer.merge",
                "settings.manage",
            ],
        ),
        ("sales_director", MANAGER),
        ("sales_manager", MANAGER),
        ("sales_rep", &["customer.read", "customer.write"]),
        ("finance", &["customer.read"]),
        ("service", &["customer.read"]),
        ("viewer", &["customer.read"]),
    ];
    crate::roles::grant_permissions(manager, &GRANTS).await
}
