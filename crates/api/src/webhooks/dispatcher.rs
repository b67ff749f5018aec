//! The dispatcher: every server process runs one. It numbers new events for the change feed,
//! claims due deliveries (as many as it has free sending slots), sends each on its own task
//! and records the result; once an hour it purges what is past retention.
//!
//! A slow receiver holds one slot for up to the timeout, never the whole dispatcher.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crm_domain::webhook::DisablePolicy;
use crm_persistence::Database;
use crm_persistence::event_feed;
use crm_persistence::webhooks::dispatch::{self, Claimed};
use rand::Rng;
use tokio::sync::Semaphore;

use super::sender::Sender;

/// How often housekeeping (purging old events and deliveries) runs.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// How often the change feed is numbered while no events arrive.
const SEQUENCE_IDLE_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct DispatcherOptions {
    /// How long an idle dispatcher waits before looking for due deliveries again.
    pub poll: Duration,
    /// Deliveries in flight at once.
    pub concurrency: usize,
    /// Per attempt: connecting, sending and reading the answer.
    pub timeout: Duration,
    pub disable: DisablePolicy,
    /// Multiplies the retry schedule: 1 in production; tests shrink it to watch a whole
    /// schedule in seconds.
    pub retry_scale: f64,
}

impl Default for DispatcherOptions {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(100),
            concurrency: 32,
            timeout: Duration::from_secs(15),
            disable: DisablePolicy::default(),
            retry_scale: 1.0,
        }
    }
}

/// Starts the dispatcher on the current Tokio runtime; it runs until the runtime stops.
pub fn spawn(
    db: Database,
    options: DispatcherOptions,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let sender = Sender::new(options.timeout).map_err(std::io::Error::other)?;
    Ok(tokio::spawn(run(db, options, Arc::new(sender))))
}

async fn run(db: Database, options: DispatcherOptions, sender: Arc<Sender>) {
    let slots = Arc::new(Semaphore::new(options.concurrency.max(1)));
    // The claim outlives the attempt, so a delivery is never sent twice by the normal path.
    let lease = options.timeout * 2 + Duration::from_secs(10);
    let mut purged = Instant::now();
    // Numbering the feed is a transaction (and an advisory lock on PostgreSQL): every poll
    // while events keep coming, once a second when they stopped.
    let mut sequenced = Instant::now() - SEQUENCE_IDLE_EVERY;
    let mut numbering = false;
    loop {
        if numbering || sequenced.elapsed() >= SEQUENCE_IDLE_EVERY {
            sequenced = Instant::now();
            numbering = match event_feed::sequence(&db).await {
                Ok(numbered) => numbered > 0,
                Err(error) => {
                    tracing::warn!(%error, "cannot number events for the change feed");
                    false
                }
            };
        }
        if purged.elapsed() >= PURGE_EVERY {
            purged = Instant::now();
            match event_feed::purge(&db, crm_domain::now()).await {
                Ok(n) => tracing::info!(events = n, "purged events past retention"),
                Err(error) => tracing::warn!(%error, "cannot purge old events"),
            }
        }
        let free = slots.available_permits();
        if free == 0 {
            // Wait for a slot to come free rather than polling.
            if let Ok(permit) = slots.clone().acquire_owned().await {
                drop(permit);
            }
            continue;
        }
        let claimed = match dispatch::claim(&db, free as u64, lease).await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(%error, "cannot claim webhook deliveries");
                tokio::time::sleep(options.poll).await;
                continue;
            }
        };
        if claimed.is_empty() {
            tokio::time::sleep(options.poll).await;
            continue;
        }
        for delivery in claimed {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let (db, sender, options) = (db.clone(), sender.clone(), options.clone());
            tokio::spawn(async move {
                deliver(&db, &sender, &options, delivery).await;
                drop(permit);
            });
        }
    }
}

async fn deliver(db: &Database, sender: &Sender, options: &DispatcherOptions, claimed: Claimed) {
    let result = sender.send(&claimed).await;
    let jitter = rand::rng().random::<f64>();
    match dispatch::record(
        db,
        &claimed,
        result,
        options.disable,
        jitter,
        options.retry_scale,
    )
    .await
    {
        Ok(recorded) => tracing::debug!(
            delivery_id = %claimed.delivery_id,
            attempt = claimed.attempt,
            settled = ?recorded.settled,
            "webhook attempt"
        ),
        // The claim runs out and the delivery is tried again: at least once.
        Err(error) => {
            tracing::warn!(delivery_id = %claimed.delivery_id, %error, "cannot record a webhook attempt")
        }
    }
}
