//! Storage: sea-orm entities (never serialized), and repositories whose every function takes
//! the caller's context, so tenant and data-scope filters are applied here, once.
//!
//! Each write runs in one transaction together with its audit entry.

pub mod audit;
mod cursor;
pub mod database;
pub mod departments;
mod entities;
mod error;
pub mod leads;
pub mod roles;
mod scope;
pub mod sessions;
pub mod tenants;
pub mod users;
mod versioned;

pub use cursor::Cursor;
pub use database::{Database, connect};
pub use entities::{department, lead, role, session, tenant, user};
