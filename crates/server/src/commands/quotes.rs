//! Quote expiry (已过期): approved or sent quotes past their validity expire. In the server,
//! every `quote_expiry_interval_secs`; on demand with `crm quotes expire` (e.g. from cron
//! when the server's own loop is turned off).

use clap::Subcommand;

use crate::settings::Settings;

#[derive(Subcommand)]
pub enum QuoteCommand {
    /// Expire the quotes whose validity ended before today (China time), once, now.
    Expire,
}

pub async fn run(settings: &Settings, command: QuoteCommand) -> anyhow::Result<()> {
    let db = super::migrate(settings).await?;
    match command {
        QuoteCommand::Expire => {
            let expired =
                crm_persistence::quotes::expire(&db, crm_domain::today_in_china()).await?;
            println!("expired {expired} quotes");
        }
    }
    Ok(())
}
