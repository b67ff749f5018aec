//! The `crm` binary's pieces: settings and subcommands (see `main.rs`).

pub mod commands;
pub mod mail;
pub mod settings;
