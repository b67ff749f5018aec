//! Storage: sea-orm entities (never serialized), and repositories whose every function takes
//! the caller's context, so tenant and data-scope filters are applied here, once.
//!
//! Each write runs in one transaction together with its audit entry.

pub mod activities;
pub mod api_keys;
pub mod approvals;
pub mod attachments;
pub mod audit;
pub mod contacts;
pub mod contracts;
mod cursor;
pub mod customers;
pub mod database;
pub mod departments;
pub mod document_templates;
mod entities;
mod error;
pub mod event_feed;
pub mod history;
pub mod idempotency;
pub mod imports;
mod keyset;
pub mod leads;
mod money;
pub mod notifications;
mod numbering;
pub mod opportunities;
pub mod outbox;
pub mod ownership;
pub mod pipelines;
pub mod pool;
pub mod price_history;
pub mod price_lists;
pub mod pricing;
pub mod product_categories;
pub mod products;
pub mod quotes;
pub mod receivables;
pub mod reconciliation;
pub mod reminders;
pub mod reports;
pub mod roles;
mod rollups;
pub mod sales_orders;
pub mod saved_filters;
mod scope;
pub mod sessions;
pub mod settings;
pub mod sync;
pub mod targets;
pub mod tasks;
pub mod tenants;
pub mod users;
mod versioned;
pub mod webhooks;

pub use cursor::Cursor;

/// How many ids one `IN (…)` name lookup binds: far below the 65,535 bound values a statement
/// may carry on either database.
pub(crate) const NAMES_PER_QUERY: usize = 10_000;
pub use database::{Database, connect};
pub use entities::{assignment_rule, department, lead, role, session, tenant, user};
