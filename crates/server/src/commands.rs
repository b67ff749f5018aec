pub mod demo;
pub mod import;
pub mod pool;
pub mod quotes;
pub mod reminders;
pub mod serve;
pub mod tenant;
pub mod user;

use std::future::Future;
use std::time::Duration;

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

/// Runs `job` in the background of the server every `interval_secs`; 0 turns it off. A
/// failed run is logged and tried again at the next tick; a run that did something logs
/// its count.
pub fn spawn_periodic<F, Fut>(db: Database, interval_secs: u64, name: &'static str, job: F)
where
    F: Fn(Database) -> Fut + 'static,
    Fut: Future<Output = Result<u64, crm_domain::Error>>,
{
    if interval_secs == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut ticks = actix_web::rt::time::interval(Duration::from_secs(interval_secs));
        loop {
            ticks.tick().await;
            match job(db.clone()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, job = name, "periodic job"),
                Err(error) => tracing::error!(%error, job = name, "periodic job failed"),
            }
        }
    });
}
