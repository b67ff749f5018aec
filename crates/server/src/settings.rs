//! Typed settings: defaults → optional `crm.toml` → `CRM_*` environment variables.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crm_api::rate_limit::{Limit, RateLimits};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `sqlite://…` (default: `<data_dir>/crm.sqlite`) or `postgres://…`.
    pub database_url: Option<String>,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the SQLite file and the generated JWT secret live.
    pub data_dir: PathBuf,
    /// HS256 signing secret (≥ 32 bytes). Generated and kept in `<data_dir>/jwt-secret` when unset.
    #[serde(skip_serializing)]
    pub jwt_secret: Option<SecretString>,
    /// The built SPA to serve at `/`.
    pub spa_dir: PathBuf,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// HTTP worker threads (default: one per core).
    pub workers: usize,
    /// `tracing` filter, e.g. `info,crm_api=debug`.
    pub log: String,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// How often the server returns unfollowed customers to the pool; 0 turns it off.
    pub pool_sweep_interval_secs: u64,
    /// How often the server expires quotes past their validity; 0 turns it off.
    pub quote_expiry_interval_secs: u64,
    /// How often the server sends overdue reminders (each at most once a day); 0 turns it off.
    pub reminder_interval_secs: u64,
    /// An SMTP relay for reminder emails, e.g. `smtps://user:pass@smtp.exmail.qq.com`; unset,
    /// reminders stay in the app.
    pub smtp_url: Option<String>,
    /// The sender of reminder emails, e.g. `CRM <crm@example.cn>`.
    pub smtp_from: Option<String>,
    /// Whether this process sends webhooks (every API node may: they share the work).
    pub webhook_dispatcher: bool,
    /// Webhook deliveries in flight at once per process.
    pub webhook_concurrency: usize,
    /// Seconds one webhook attempt may take (connect, send, read the answer).
    pub webhook_timeout_secs: u64,
    /// An endpoint is switched off after this many failed attempts in a row …
    pub webhook_disable_after_failures: u32,
    /// … that span at least this many hours.
    pub webhook_disable_after_hours: u32,
    /// Requests per second a user (all their sessions together) may sustain, and how many
    /// at once. Per server process: N nodes allow up to N times as many.
    pub rate_limit_user_per_second: f64,
    pub rate_limit_user_burst: u32,
    /// The same for each API key.
    pub rate_limit_api_key_per_second: f64,
    pub rate_limit_api_key_burst: u32,
    /// The same per client address, for requests without a valid credential (logins).
    pub rate_limit_anonymous_per_second: f64,
    pub rate_limit_anonymous_burst: u32,
    /// How often the server forgets `Idempotency-Key`s older than 24 hours; 0 turns it off.
    pub idempotency_purge_interval_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        let defaults = RateLimits::default();
        Self {
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            jwt_secret: None,
            spa_dir: PathBuf::from("frontend/dist"),
            shutdown_timeout_secs: 30,
            workers: std::thread::available_parallelism().map_or(2, usize::from),
            log: "info".to_owned(),
            log_format: "text".to_owned(),
            pool_sweep_interval_secs: 3600,
            quote_expiry_interval_secs: 3600,
            reminder_interval_secs: 3600,
            smtp_url: None,
            smtp_from: None,
            webhook_dispatcher: true,
            webhook_concurrency: 32,
            webhook_timeout_secs: 15,
            webhook_disable_after_failures: 15,
            webhook_disable_after_hours: 24,
            rate_limit_user_per_second: defaults.user.per_second,
            rate_limit_user_burst: defaults.user.burst,
            rate_limit_api_key_per_second: defaults.api_key.per_second,
            rate_limit_api_key_burst: defaults.api_key.burst,
            rate_limit_anonymous_per_second: defaults.anonymous.per_second,
            rate_limit_anonymous_burst: defaults.anonymous.burst,
            idempotency_purge_interval_secs: 3600,
        }
    }
}

impl Settings {
    /// The rate limits, each a sustained rate above zero and a burst of at least one.
    pub fn rate_limits(&self) -> anyhow::Result<RateLimits> {
        let limit = |name: &str, per_second: f64, burst: u32| {
            anyhow::ensure!(
                per_second.is_finite() && per_second > 0.0 && burst >= 1,
                "rate_limit_{name}: per_second must be above 0 and burst at least 1"
            );
            Ok(Limit { per_second, burst })
        };
        Ok(RateLimits {
            user: limit(
                "user",
                self.rate_limit_user_per_second,
                self.rate_limit_user_burst,
            )?,
            api_key: limit(
                "api_key",
                self.rate_limit_api_key_per_second,
                self.rate_limit_api_key_burst,
            )?,
            anonymous: limit(
                "anonymous",
                self.rate_limit_anonymous_per_second,
                self.rate_limit_anonymous_burst,
            )?,
        })
    }

    /// The mailer for reminder emails, when both `smtp_url` and `smtp_from` are set.
    pub fn mailer(&self) -> anyhow::Result<Option<crate::mail::Mailer>> {
        match (&self.smtp_url, &self.smtp_from) {
            (Some(url), Some(from)) => Ok(Some(crate::mail::Mailer::new(url, from)?)),
            (None, None) => Ok(None),
            _ => anyhow::bail!("set both smtp_url and smtp_from, or neither"),
        }
    }

    /// How the webhook dispatcher runs.
    pub fn dispatcher(&self) -> crm_api::webhooks::dispatcher::DispatcherOptions {
        crm_api::webhooks::dispatcher::DispatcherOptions {
            concurrency: self.webhook_concurrency,
            timeout: std::time::Duration::from_secs(self.webhook_timeout_secs),
            disable: crm_domain::webhook::DisablePolicy {
                failures: self.webhook_disable_after_failures,
                span: chrono::Duration::hours(i64::from(self.webhook_disable_after_hours)),
            },
            ..Default::default()
        }
    }

    /// Loads the layers; `config_file` defaults to `crm.toml` in the working directory.
    pub fn load(config_file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        Self::figment(config_file).extract().map_err(Box::new)
    }

    fn figment(config_file: Option<&Path>) -> Figment {
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(config_file.unwrap_or(Path::new("crm.toml"))))
            .merge(Env::prefixed("CRM_"))
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("crm.sqlite").display()
            )
        })
    }

    /// The configured secret, or the one kept in the data directory (created on first use).
    pub fn jwt_secret(&self) -> anyhow::Result<Vec<u8>> {
        if let Some(secret) = &self.jwt_secret {
            let bytes = secret.expose_secret().as_bytes().to_vec();
            anyhow::ensure!(
                bytes.len() >= 32,
                "CRM_JWT_SECRET must be at least 32 bytes"
            );
            return Ok(bytes);
        }
        let path = self.data_dir.join("jwt-secret");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            return Ok(existing.trim().as_bytes().to_vec());
        }
        use base64::Engine;
        use rand::RngCore;
        let mut bytes = [0u8; 48];
        rand::rng().fill_bytes(&mut bytes);
        let secret = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes);
        std::fs::create_dir_all(&self.data_dir)?;
        write_private(&path, &secret)?;
        Ok(secret.into_bytes())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("crm.toml", "listen = \"0.0.0.0:9000\"\nlog = \"debug\"")?;
            jail.set_env("CRM_LOG", "warn");
            let settings = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(settings.listen, SocketAddr::from(([0, 0, 0, 0], 9000)));
            assert_eq!(settings.log, "warn");
            assert_eq!(settings.database_url(), "sqlite://data/crm.sqlite?mode=rwc");
            Ok(())
        });
    }

    #[test]
    fn a_jwt_secret_is_generated_once_and_kept() {
        figment::Jail::expect_with(|jail| {
            let settings = Settings {
                data_dir: jail.directory().join("d"),
                ..Settings::default()
            };
            let first = settings.jwt_secret().map_err(|e| e.to_string())?;
            let second = settings.jwt_secret().map_err(|e| e.to_string())?;
            assert_eq!(first, second);
            assert!(first.len() >= 32);
            Ok(())
        });
    }
}
