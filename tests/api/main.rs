//! Black-box API tests: HTTP against a real server, on SQLite by default and on PostgreSQL
//! when `CRM_TEST_PG_URL` is set (`make test` runs both).

mod helpers;

mod admin;
mod api_keys;
mod approvals;
mod auth;
mod contract;
mod contracts;
mod customer_value;
mod customers;
mod doc_examples;
mod erp_sync;
mod event_catalogue;
mod event_feed;
mod events;
mod idempotency;
mod imports;
mod inbound_documents;
mod inbound_sync;
mod lead_activity_reports;
mod leads;
mod lifecycle;
mod opportunities;
mod order_reports;
mod ownership;
mod permissions;
mod products;
mod quotes;
mod rate_limits;
mod reconciliation;
mod report_files;
mod reports;
mod sales_orders;
mod targets;
mod webhooks;
