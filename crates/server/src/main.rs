//! `crm`: the whole product in one binary.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use crm_server::commands;
use crm_server::settings::Settings;

#[derive(Parser)]
#[command(
    name = "crm",
    version,
    about = "B2B CRM: API server, SPA and administration"
)]
struct Cli {
    /// Settings file (default: ./crm.toml when present). `CRM_*` variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the API under /api/v1 and the SPA at /.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Tenants (companies).
    Tenant {
        #[command(subcommand)]
        command: commands::tenant::TenantCommand,
    },
    /// Users of a tenant.
    User {
        #[command(subcommand)]
        command: commands::user::UserCommand,
    },
    /// The customer pool (公海).
    Pool {
        #[command(subcommand)]
        command: commands::pool::PoolCommand,
    },
    /// Quotes.
    Quotes {
        #[command(subcommand)]
        command: commands::quotes::QuoteCommand,
    },
    /// Overdue reminders.
    Reminders {
        #[command(subcommand)]
        command: commands::reminders::ReminderCommand,
    },
    /// Load a realistic zh-CN demo company (tenant `demo`, admin@demo.cn / Demo@2026).
    Demo(commands::demo::DemoArgs),
    /// Import a CSV or XLSX file of leads, customers or contacts as a user, timed.
    Import(commands::import::ImportArgs),
    /// Print the OpenAPI document.
    Openapi,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        println!("{}", crm_api::openapi_json());
        return Ok(());
    }
    let settings =
        Settings::load(cli.config.as_deref()).map_err(|e| anyhow::anyhow!("settings: {e}"))?;
    commands::init_logging(&settings);
    match cli.command {
        Command::Serve => commands::serve::run(&settings).await,
        Command::Migrate => commands::migrate(&settings).await.map(drop),
        Command::Tenant { command } => commands::tenant::run(&settings, command).await,
        Command::User { command } => commands::user::run(&settings, command).await,
        Command::Demo(args) => commands::demo::run(&settings, args).await,
        Command::Pool { command } => commands::pool::run(&settings, command).await,
        Command::Quotes { command } => commands::quotes::run(&settings, command).await,
        Command::Reminders { command } => commands::reminders::run(&settings, command).await,
        Command::Import(args) => commands::import::run(&settings, args).await,
        Command::Openapi => Ok(()),
    }
}
