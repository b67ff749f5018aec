//! The background worker of imports: claims queued imports from the database and runs them.
//! Every node that serves the API runs one, so any node can take an import and an import whose
//! node died is taken over once its claim goes stale (see `crm_persistence::imports`).

use std::time::Duration;

use crm_persistence::Database;
use crm_persistence::imports::{self, RunEnd};

/// How often an idle worker looks for queued imports.
pub const POLL: Duration = Duration::from_secs(1);

/// Starts the worker on the current Tokio runtime; it runs until the runtime stops.
pub fn spawn(db: Database, poll: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match imports::claim_next(&db).await {
                Ok(Some(claim)) => match imports::run(&db, claim).await {
                    Ok(RunEnd::Done) => {
                        tracing::info!(import_id = %claim.import_id, "import done");
                    }
                    Ok(end) => {
                        tracing::warn!(import_id = %claim.import_id, ?end, "import stopped");
                    }
                    Err(error) => {
                        tracing::error!(import_id = %claim.import_id, %error, "import run failed");
                        tokio::time::sleep(poll).await;
                    }
                },
                Ok(None) => tokio::time::sleep(poll).await,
                Err(error) => {
                    tracing::warn!(%error, "cannot poll for imports");
                    tokio::time::sleep(poll).await;
                }
            }
        }
    })
}
