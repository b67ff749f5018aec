//! The pool sweep (公海回收): in the server, every `pool_sweep_interval_secs`; on demand with
//! `crm pool sweep` (e.g. from cron when the server's own loop is turned off).

use clap::Subcommand;

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
