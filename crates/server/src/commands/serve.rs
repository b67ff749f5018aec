use std::net::TcpListener;
use std::time::{Duration, Instant};

use crm_api::auth::{throttle::LoginThrottle, tokens::TokenKeys};
use crm_api::rate_limit::RateLimiter;
use crm_api::{AppState, ServeOptions};

use crate::settings::Settings;

pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = super::migrate(settings).await?;
    super::spawn_periodic(
        db.clone(),
        settings.pool_sweep_interval_secs,
        "pool sweep",
        |db| async move {
            let report = crm_persistence::pool::sweep(&db, crm_domain::now()).await?;
            Ok(u64::try_from(report.warned + report.returned).unwrap_or(u64::MAX))
        },
    );
    super::spawn_periodic(
        db.clone(),
        settings.quote_expiry_interval_secs,
        "quote expiry",
        |db| async move { crm_persistence::quotes::expire(&db, crm_domain::today_in_china()).await },
    );
    super::spawn_periodic(
        db.clone(),
        settings.idempotency_purge_interval_secs,
        "idempotency key purge",
        |db| async move { crm_persistence::idempotency::purge(&db, crm_domain::now()).await },
    );
    let mailer = settings.mailer()?;
    super::spawn_periodic(
        db.clone(),
        settings.reminder_interval_secs,
        "reminders",
        move |db| {
            let mailer = mailer.clone();
            async move {
                let (report, mailed) =
                    crate::mail::remind(&db, mailer.as_ref(), crm_domain::today_in_china())
                        .await
                        .map_err(|e| crm_domain::Error::Storage(e.into()))?;
                Ok(report.notified + report.announced + mailed)
            }
        },
    );
    let state = AppState {
        db,
        files: crm_persistence::attachments::FileStore::new(settings.data_dir.join("attachments")),
        tokens: TokenKeys::new(&settings.jwt_secret()?),
        login_throttle: LoginThrottle::default(),
        rate_limiter: RateLimiter::new(settings.rate_limits()?),
    };
    crm_api::import_worker::spawn(state.db.clone(), crm_api::import_worker::POLL);
    if settings.webhook_dispatcher {
        crm_api::webhooks::dispatcher::spawn(state.db.clone(), settings.dispatcher())?;
    }
    let listener = TcpListener::bind(settings.listen)?;
    let options = ServeOptions {
        spa_dir: Some(settings.spa_dir.clone()),
        shutdown_timeout: Duration::from_secs(settings.shutdown_timeout_secs),
        workers: settings.workers,
    };
    let server = crm_api::serve(listener, state, options)?;
    tracing::info!(address = %settings.listen, startup_ms = started.elapsed().as_millis() as u64, "serving");
    server.await?;
    tracing::info!("stopped");
    Ok(())
}
