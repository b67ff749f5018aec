pub mod demo;
pub mod import;
pub mod pool;
pub mod serve;
pub mod tenant;
pub mod user;

use crm_persistence::Database;
use tracing_subscriber::EnvFilter;

use crate::settings::Settings;

pub fn init_logging(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if settings.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Connects (creating the SQLite file's directory if needed) and applies pending migrations.
pub async fn migrate(settings: &Settings) -> anyhow::Result<Database> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let db = crm_persistence::connect(&url).await?;
    let applied = crm_persistence::database::migrate(&db).await?;
    tracing::info!(applied, "migrations up to date");
    Ok(db)
}
