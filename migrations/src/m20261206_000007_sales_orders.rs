//! Sales orders and their lines, shipments (发货) and what they carried, collection plans
//! (instalments), payments and their allocations, invoices; a credit limit on customers.
//! Every existing tenant gets the default order policy and the order and receivable
//! permissions.
//!
//! Money and quantities are `BIGINT`s in 1/10,000 units. A few figures are kept on the row
//! that the reads filter or sort by (a line's open quantity, an instalment's outstanding
//! amount, an order's next promised date); each write that changes their inputs rewrites
//! them in the same transaction.

use sea_orm_migration::prelude::{
    DbErr, DeriveMigrationName, MigrationTrait, SchemaManager, Table, TableCreateStatement,
};
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, date, date_null, integer, string, string_null, text,
    text_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::columns::{n, table, versioned};
use crate::policies::{SeededPolicy, seed_policy};
use crate::roles::grant_permissions;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableCreateStatement> {
    let mut orders = table("sales_orders");
    versioned(
        orders
            .col(string(n("number")))
            .col(uuid(n("customer_id")))
            .col(uuid_null(n("contact_id")))
            .col(uuid_null(n("quote_id")))
            .col(uuid_null(n("contract_id")))
            .col(string_null(n("title")))
            .col(string(n("currency")))
            .col(date(n("order_date")))
            .col(string_null(n("customer_po")))
            .col(text_null(n("shipping_address")))
            .col(text_null(n("payment_terms")))
            .col(text_null(n("delivery_terms")))
            .col(text_null(n("notes")))
            .col(text_null(n("internal_note")))
            .col(big_integer(n("header_discount_percent")))
            .col(big_integer(n("lines_total")))
            .col(big_integer(n("total_excl_vat")))
            .col(big_integer(n("vat_amount")))
            .col(big_integer(n("total")))
            .col(big_integer(n("max_discount_percent")))
            .col(big_integer(n("cancelled_amount")))
            .col(big_integer(n("received_amount")))
            .col(big_integer(n("invoiced_amount")))
            .col(string(n("status")))
            .col(uuid_null(n("approval_id")))
            .col(uuid(n("owner_id")))
            // The earliest promised date of a line still to ship.
            .col(date_null(n("next_promised_date")))
            // The events a collection plan's due dates count from.
            .col(date_null(n("confirmed_on")))
            .col(date_null(n("first_shipped_on")))
            .col(date_null(n("fully_shipped_on")))
            .col(date_null(n("accepted_on")))
            .col(timestamp_with_time_zone_null(n("confirmed_at")))
            .col(timestamp_with_time_zone_null(n("cancelled_at")))
            .col(text_null(n("cancel_reason")))
            .col(uuid(n("created_by")))
            .col(timestamp_with_time_zone_null(n("deleted_at"))),
    );

    let order_lines = table("sales_order_lines")
        .col(uuid(n("sales_order_id")))
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
        .col(big_integer(n("net_amount")))
        .col(date_null(n("promised_date")))
        .col(big_integer(n("shipped_quantity")))
        .col(big_integer(n("delivered_quantity")))
        .col(big_integer(n("cancelled_quantity")))
        .col(big_integer(n("open_quantity")))
        .to_owned();

    let mut shipments = table("shipments");
    versioned(
        shipments
            .col(uuid(n("sales_order_id")))
            .col(string(n("number")))
            .col(string(n("status")))
            .col(date(n("shipped_on")))
            .col(string_null(n("carrier")))
            .col(string_null(n("tracking_number")))
            .col(text_null(n("note")))
            .col(date_null(n("delivered_on")))
            .col(string_null(n("received_by")))
            // Who recorded the delivery, and when.
            .col(uuid_null(n("delivered_by")))
            .col(timestamp_with_time_zone_null(n("delivered_at")))
            .col(uuid(n("created_by"))),
    );

    let shipment_lines = table("shipment_lines")
        .col(uuid(n("shipment_id")))
        .col(uuid(n("order_line_id")))
        .col(big_integer(n("quantity")))
        .to_owned();

    let mut instalments = table("instalments");
    versioned(
        instalments
            .col(uuid(n("sales_order_id")))
            // The order's customer, owner and currency, for aging and credit without a join.
            .col(uuid(n("customer_id")))
            .col(uuid(n("owner_id")))
            .col(string(n("currency")))
            .col(integer(n("position")))
            .col(string(n("name")))
            .col(big_integer_null(n("percent")))
            .col(big_integer(n("amount")))
            .col(text(n("due_rule")))
            .col(date_null(n("due_date")))
            .col(big_integer(n("paid_amount")))
            .col(big_integer(n("outstanding")))
            // A draft's plan is a proposal: only a confirmed order's instalments are owed.
            .col(boolean(n("confirmed")))
            // `receivable.overdue` was announced for it.
            .col(boolean(n("overdue_announced"))),
    );

    let mut payments = table("payments");
    versioned(
        payments
            .col(string(n("number")))
            .col(uuid(n("customer_id")))
            .col(date(n("received_on")))
            .col(big_integer(n("amount")))
            .col(string(n("currency")))
            .col(string(n("method")))
            .col(string_null(n("reference")))
            .col(text_null(n("note")))
            .col(big_integer(n("allocated")))
            .col(big_integer(n("unapplied")))
            .col(uuid(n("created_by"))),
    );

    let allocations = table("payment_allocations")
        .col(uuid(n("payment_id")))
        .col(uuid(n("instalment_id")))
        .col(uuid(n("sales_order_id")))
        .col(big_integer(n("amount")))
        .col(uuid(n("created_by")))
        .col(timestamp_with_time_zone(n("created_at")))
        .to_owned();

    let invoices = table("invoices")
        .col(uuid(n("sales_order_id")))
        .col(string(n("number")))
        .col(date(n("issued_on")))
        .col(big_integer(n("amount")))
        .col(big_integer(n("tax_amount")))
        .col(string(n("kind")))
        .col(text_null(n("note")))
        .col(uuid(n("created_by")))
        .col(timestamp_with_time_zone(n("created_at")))
        .to_owned();

    vec![
        orders,
        order_lines,
        shipments,
        shipment_lines,
        instalments,
        payments,
        allocations,
        invoices,
    ]
}

const INDEXES: [&str; 17] = [
    "CREATE UNIQUE INDEX ux_sales_orders_number ON sales_orders (tenant_id, number)",
    "CREATE INDEX ix_sales_orders_created ON sales_orders (tenant_id, created_at, id)",
    "CREATE INDEX ix_sales_orders_updated ON sales_orders (tenant_id, updated_at, id)",
    "CREATE INDEX ix_sales_orders_owner ON sales_orders (tenant_id, owner_id, status)",
    "CREATE INDEX ix_sales_orders_customer ON sales_orders (tenant_id, customer_id)",
    "CREATE INDEX ix_sales_orders_quote ON sales_orders (tenant_id, quote_id, contract_id)",
    "CREATE INDEX ix_sales_order_lines ON sales_order_lines (sales_order_id, position)",
    // The overdue-delivery dashboard reads only lines still to ship.
    "CREATE INDEX ix_sales_order_lines_open ON sales_order_lines (tenant_id, promised_date) WHERE open_quantity > 0",
    "CREATE UNIQUE INDEX ux_shipments_number ON shipments (tenant_id, number)",
    "CREATE INDEX ix_shipments_order ON shipments (sales_order_id, shipped_on, id)",
    "CREATE INDEX ix_shipment_lines ON shipment_lines (shipment_id)",
    "CREATE INDEX ix_instalments_order ON instalments (sales_order_id, position)",
    // Aging and the receivables list read only what is outstanding.
    "CREATE INDEX ix_instalments_open ON instalments (tenant_id, currency, due_date, owner_id) WHERE outstanding > 0",
    "CREATE INDEX ix_instalments_customer ON instalments (tenant_id, customer_id) WHERE outstanding > 0",
    "CREATE UNIQUE INDEX ux_payments_number ON payments (tenant_id, number)",
    "CREATE INDEX ix_payments_customer ON payments (tenant_id, customer_id, received_on)",
    "CREATE UNIQUE INDEX ux_invoices_number ON invoices (tenant_id, number)",
];

const MORE_INDEXES: [&str; 5] = [
    // The reminder job and the overdue list find shipping orders by their next promised date.
    "CREATE INDEX ix_sales_orders_promised ON sales_orders (status, next_promised_date)",
    "CREATE INDEX ix_payments_created ON payments (tenant_id, created_at, id)",
    "CREATE INDEX ix_payment_allocations_payment ON payment_allocations (payment_id)",
    "CREATE INDEX ix_payment_allocations_order ON payment_allocations (sales_order_id)",
    "CREATE INDEX ix_invoices_order ON invoices (sales_order_id)",
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
                    .table(n("customers"))
                    .add_column(big_integer_null(n("credit_limit")))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in INDEXES.iter().chain(&MORE_INDEXES) {
            db.execute_unprepared(statement).await?;
        }
        // Aging reads every open instalment of a tenant: from a covering index it never
        // touches the table (SQLite has no INCLUDE; the columns go in the key there).
        let aging = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                "CREATE INDEX ix_instalments_aging ON instalments (tenant_id, currency, customer_id) \
                 INCLUDE (owner_id, due_date, outstanding) WHERE confirmed AND outstanding > 0"
            }
            _ => {
                "CREATE INDEX ix_instalments_aging ON instalments \
                 (tenant_id, currency, customer_id, owner_id, due_date, outstanding) \
                 WHERE confirmed AND outstanding > 0"
            }
        };
        db.execute_unprepared(aging).await?;
        // A snapshot of `default_sales_order_policy`: orders of 1,000,000 CNY or more need
        // the general manager (001 §2.1 #1).
        seed_policy(
            manager,
            SeededPolicy {
                document_kind: "sales_order",
                name: "大额销售订单",
                conditions: r#"[{"kind":"total_at_least","amount":"1000000","currency":"CNY"}]"#,
                steps: r#"[{"name":"总经理审批","approvers":[{"kind":"top_manager"}],"mode":"any"}]"#,
            },
        )
        .await?;
        const ORDERS: [&str; 3] = [
            "sales_order.read",
            "sales_order.write",
            "sales_order.delete",
        ];
        const RECEIVABLES: [&str; 2] = ["receivable.read", "receivable.write"];
        let all: Vec<&str> = ORDERS.iter().chain(&RECEIVABLES).copied().collect();
        grant_permissions(
            manager,
            &[
                ("admin", &all),
                ("sales_director", &all),
                (
                    "sales_manager",
                    &[
                        "sales_order.read",
                        "sales_order.write",
                        "sales_order.delete",
                        "receivable.read",
                    ],
                ),
                (
                    "sales_rep",
                    &["sales_order.read", "sales_order.write", "receivable.read"],
                ),
                (
                    "finance",
                    &["sales_order.read", "receivable.read", "receivable.write"],
                ),
                ("service", &["sales_order.read"]),
                ("viewer", &["sales_order.read", "receivable.read"]),
            ],
        )
        .await
    }
}
