//! Quotes and their lines; the tenant's number series; the approval engine (policies,
//! requests, their steps, assignees and timeline); domain events waiting for delivery; the
//! document template with its logo. Every existing tenant gets the default quote policy and
//! the quote permissions.
//!
//! Money, quantities and percentages are `BIGINT`s in 1/10,000 units, as in the opportunity
//! tables. Policies keep their conditions and steps as JSON text: they are read whole.

use sea_orm_migration::prelude::{
    DbErr, DeriveMigrationName, MigrationTrait, SchemaManager, Table, TableCreateStatement,
};
use sea_orm_migration::schema::{
    big_integer, big_integer_null, blob_null, boolean, date, integer, small_integer,
    small_integer_null, string, string_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::policies::{SeededPolicy, seed_policy};
use crate::roles::grant_permissions;

use crate::columns::{n, table, versioned};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableCreateStatement> {
    let number_series = Table::create()
        .table(n("number_series"))
        .col(uuid(n("tenant_id")))
        .col(string(n("kind")))
        .col(integer(n("year")))
        .col(big_integer(n("last_value")))
        .primary_key(
            sea_orm_migration::prelude::Index::create()
                .col(n("tenant_id"))
                .col(n("kind"))
                .col(n("year")),
        )
        .to_owned();

    let mut quotes = table("quotes");
    versioned(
        quotes
            .col(string(n("number")))
            .col(integer(n("revision")))
            .col(uuid(n("customer_id")))
            .col(uuid_null(n("opportunity_id")))
            .col(uuid_null(n("contact_id")))
            .col(string_null(n("title")))
            .col(string(n("currency")))
            .col(date(n("valid_until")))
            .col(text_null(n("payment_terms")))
            .col(text_null(n("delivery_terms")))
            .col(text_null(n("notes")))
            .col(text_null(n("internal_note")))
            .col(big_integer(n("header_discount_percent")))
            .col(big_integer(n("lines_total")))
            .col(big_integer(n("total_excl_vat")))
            .col(big_integer(n("vat_amount")))
            .col(big_integer(n("total")))
            // The largest effective line discount, for approval policies and lists.
            .col(big_integer(n("max_discount_percent")))
            .col(string(n("status")))
            .col(boolean(n("superseded")))
            .col(uuid_null(n("revised_from")))
            .col(uuid_null(n("copied_from")))
            .col(uuid_null(n("approval_id")))
            .col(uuid(n("owner_id")))
            .col(timestamp_with_time_zone_null(n("sent_at")))
            .col(timestamp_with_time_zone_null(n("accepted_at")))
            .col(timestamp_with_time_zone_null(n("declined_at")))
            .col(text_null(n("decline_reason")))
            .col(uuid(n("created_by")))
            .col(timestamp_with_time_zone_null(n("deleted_at"))),
    );

    let quote_lines = table("quote_lines")
        .col(uuid(n("quote_id")))
        .col(integer(n("position")))
        .col(uuid_null(n("product_id")))
        .col(string_null(n("product_code")))
        .col(string(n("name")))
        .col(string_null(n("spec")))
        .col(text_null(n("description")))
        .col(big_integer(n("quantity")))
        .col(string(n("unit")))
        .col(big_integer_null(n("list_price")))
        .col(big_integer(n("unit_price")))
        .col(string_null(n("price_source")))
        .col(big_integer(n("discount_percent")))
        .col(string(n("vat_rate")))
        .to_owned();

    let mut policies = table("approval_policies");
    versioned(
        policies
            .col(string(n("document_kind")))
            .col(string(n("name")))
            .col(integer(n("priority")))
            .col(boolean(n("active")))
            .col(string(n("match_mode")))
            .col(text(n("conditions")))
            .col(text(n("steps")))
            .col(boolean(n("allow_self_approval"))),
    );

    let mut requests = table("approval_requests");
    versioned(
        requests
            .col(string(n("document_kind")))
            .col(uuid(n("document_id")))
            .col(string(n("document_number")))
            .col(string(n("document_title")))
            .col(big_integer(n("amount")))
            .col(string(n("currency")))
            .col(uuid(n("policy_id")))
            .col(string(n("policy_name")))
            .col(boolean(n("allow_self_approval")))
            .col(string(n("status")))
            .col(small_integer_null(n("current_step")))
            .col(uuid(n("submitted_by")))
            .col(timestamp_with_time_zone(n("submitted_at")))
            .col(timestamp_with_time_zone_null(n("finished_at"))),
    );

    let steps = table("approval_steps")
        .col(uuid(n("request_id")))
        .col(small_integer(n("position")))
        .col(string(n("name")))
        .col(string(n("mode")))
        .col(string(n("status")))
        .to_owned();

    let assignees = table("approval_assignees")
        .col(uuid(n("request_id")))
        .col(small_integer(n("step")))
        .col(small_integer(n("position")))
        .col(uuid(n("user_id")))
        .col(string_null(n("decision")))
        .col(text_null(n("comment")))
        .col(timestamp_with_time_zone_null(n("decided_at")))
        .col(uuid_null(n("delegated_to")))
        .col(uuid_null(n("delegated_from")))
        // Whether this assignee's decision is awaited now: the inbox reads it by index.
        .col(boolean(n("awaiting")))
        .to_owned();

    let events = table("approval_events")
        .col(uuid(n("request_id")))
        .col(string(n("kind")))
        .col(small_integer_null(n("step")))
        .col(uuid(n("actor_id")))
        .col(text_null(n("comment")))
        .col(uuid_null(n("delegated_to")))
        .col(timestamp_with_time_zone(n("at")))
        .to_owned();

    let outbox = table("outbox_events")
        .col(string(n("event_type")))
        .col(string(n("subject_kind")))
        .col(uuid(n("subject_id")))
        .col(text(n("payload")))
        .col(timestamp_with_time_zone(n("created_at")))
        .to_owned();

    let mut template = table("document_templates");
    versioned(
        template
            .col(text(n("texts")))
            .col(blob_null(n("logo")))
            .col(string_null(n("logo_content_type"))),
    );

    vec![
        number_series,
        quotes,
        quote_lines,
        policies,
        requests,
        steps,
        assignees,
        events,
        outbox,
        template,
    ]
}

const INDEXES: [&str; 13] = [
    "CREATE UNIQUE INDEX ux_quotes_number ON quotes (tenant_id, number, revision)",
    "CREATE INDEX ix_quotes_created ON quotes (tenant_id, created_at, id)",
    "CREATE INDEX ix_quotes_updated ON quotes (tenant_id, updated_at, id)",
    "CREATE INDEX ix_quotes_owner ON quotes (tenant_id, owner_id, status)",
    "CREATE INDEX ix_quotes_customer ON quotes (tenant_id, customer_id)",
    "CREATE INDEX ix_quotes_opportunity ON quotes (tenant_id, opportunity_id)",
    "CREATE INDEX ix_quotes_expiry ON quotes (status, valid_until)",
    "CREATE INDEX ix_quote_lines ON quote_lines (quote_id, position)",
    "CREATE INDEX ix_approval_policies ON approval_policies (tenant_id, document_kind, priority)",
    "CREATE INDEX ix_approval_requests_document ON approval_requests (tenant_id, document_kind, document_id)",
    "CREATE INDEX ix_approval_requests_submitter ON approval_requests (tenant_id, submitted_by, status)",
    "CREATE INDEX ix_approval_assignees_inbox ON approval_assignees (tenant_id, user_id, awaiting, request_id)",
    "CREATE UNIQUE INDEX ux_document_templates ON document_templates (tenant_id)",
];

const MORE_INDEXES: [&str; 3] = [
    "CREATE INDEX ix_approval_steps ON approval_steps (request_id, position)",
    "CREATE INDEX ix_approval_events ON approval_events (request_id, at, id)",
    "CREATE INDEX ix_outbox_events ON outbox_events (tenant_id, created_at, id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for statement in tables() {
            manager.create_table(statement).await?;
        }
        let db = manager.get_connection();
        for statement in INDEXES.iter().chain(&MORE_INDEXES) {
            db.execute_unprepared(statement).await?;
        }
        seed_default_policies(manager).await?;
        grant_permissions(
            manager,
            &[
                ("admin", &["quote.read", "quote.write", "quote.delete"]),
                (
                    "sales_director",
                    &["quote.read", "quote.write", "quote.delete"],
                ),
                (
                    "sales_manager",
                    &["quote.read", "quote.write", "quote.delete"],
                ),
                ("sales_rep", &["quote.read", "quote.write"]),
                ("finance", &["quote.read"]),
                ("service", &["quote.read"]),
                ("viewer", &["quote.read"]),
            ],
        )
        .await
    }
}

/// The policy new tenants start with: quotes of 500,000 CNY or more, or with a discount above
/// 15%, go to the department manager, then the general manager. A snapshot, not a call into
/// the domain: migrations never change once released.
async fn seed_default_policies(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    const CONDITIONS: &str = r#"[{"kind":"total_at_least","amount":"500000","currency":"CNY"},{"kind":"discount_above","percent":"15"}]"#;
    const STEPS: &str = r#"[{"name":"部门经理审批","approvers":[{"kind":"department_manager"}],"mode":"any"},{"name":"总经理审批","approvers":[{"kind":"top_manager"}],"mode":"any"}]"#;
    seed_policy(
        manager,
        SeededPolicy {
            document_kind: "quote",
            name: "大额或高折扣报价",
            conditions: CONDITIONS,
            steps: STEPS,
        },
    )
    .await
}
