//! Overdue reminders (催办): in the server, every `reminder_interval_secs` (each reminder at
//! most once a day, mailed too when SMTP is configured); on demand with `crm reminders run`
//! (e.g. from cron when the server's own loop is turned off).

use clap::Subcommand;

use crate::settings::Settings;

#[derive(Subcommand)]
pub enum ReminderCommand {
    /// Send today's overdue-delivery and overdue-receivable reminders, once, now.
    Run,
}

pub async fn run(settings: &Settings, command: ReminderCommand) -> anyhow::Result<()> {
    let db = super::migrate(settings).await?;
    match command {
        ReminderCommand::Run => {
            let mailer = settings.mailer()?;
            let (report, mailed) =
                crate::mail::remind(&db, mailer.as_ref(), crm_domain::today_in_china()).await?;
            println!(
                "{} notifications ({mailed} mailed), {} instalments announced overdue",
                report.notified, report.announced
            );
        }
    }
    Ok(())
}
