//! The JSON contract of `/api/v1`: every request and response body, in one crate that the
//! server and the Leptos SPA both compile, so the two cannot drift apart.
//!
//! Naming: `…Request` for bodies the client sends, `…Response` for what the API returns,
//! `Page<T>` for lists. Fields are `snake_case`, ids are UUID strings, times RFC 3339 UTC.

pub mod activities;
pub mod api_keys;
pub mod approvals;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod contracts;
pub mod customers;
pub mod identity;
pub mod imports;
mod keys;
pub mod leads;
pub mod notifications;
pub mod opportunities;
pub mod ownership;
pub mod page;
pub mod patch;
pub mod pipelines;
pub mod problem;
pub mod products;
pub mod quotes;
pub mod receivables;
pub mod reconciliation;
pub mod reports;
pub mod sales_orders;
pub mod saved_filters;
pub mod settings;
pub mod sync;
pub mod targets;
pub mod webhooks;

pub use page::Page;
pub use problem::{FieldError, ProblemDetails};
