//! Storage: sea-orm entities (never serialized), and repositories whose every function takes
//! the caller's context, so tenant and data-scope filters are applied here, once.
//!
//! Each write runs in one transaction together with its audit entry.

pub mod activities;
pub mod audit;
pub mod contacts;
mod cursor;
pub mod customers;
pub mod database;
pub mod departments;
mod entities;
mod error;
pub mod imports;
mod keyset;
pub mod leads;
pub mod ownership;
pub mod pool;
pub mod roles;
mod scope;
pub mod sessions;
pub mod settings;
pub mod tasks;
pub mod tenants;
pub mod users;
mod versioned;

pub use cursor::Cursor;
pub use database::{Database, connect};
pub use entities::{assignment_rule, department, lead, role, session, tenant, user};
