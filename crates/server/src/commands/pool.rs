//! The pool sweep (公海回收): in the server, every `pool_sweep_interval_secs`; on demand with
//! `crm pool sweep` (e.g. from cron when the server's own loop is turned off).

use std::time::Duration;

use clap::Subcommand;
use crm_persistence::Database;

use crate::settings::Settings;

#[derive(Subcommand)]
pub enum PoolCommand {
    /// Warn owners and return overdue customers to the pool, once, now.
    Sweep,
}

pub async fn run(settings: &Settings, command: PoolCommand) -> anyhow::Result<()> {
    let db = super::migrate(settings).await?;
    match command {
        PoolCommand::Sweep => {
            let report = crm_persistence::pool::sweep(&db, crm_domain::now()).await?;
            println!(
                "warned {} owners, returned {} customers to the pool",
                report.warned, report.returned
            );
        }
    }
    Ok(())
}

/// Runs the sweep in the background of the server; 0 seconds turns it off. A failed sweep is
/// logged and tried again at the next tick.
pub fn spawn_sweeper(db: Database, interval_secs: u64) {
    if interval_secs == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut ticks = actix_web::rt::time::interval(Duration::from_secs(interval_secs));
        loop {
            ticks.tick().await;
            match crm_persistence::pool::sweep(&db, crm_domain::now()).await {
                Ok(report) if report.warned + report.returned > 0 => {
                    tracing::info!(
                        warned = report.warned,
                        returned = report.returned,
                        "pool sweep"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "pool sweep failed"),
            }
        }
    });
}
