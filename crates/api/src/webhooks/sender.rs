//! One HTTP attempt of a delivery, to an address the tenant may reach.
//!
//! The host is resolved here, each address checked against the internal ranges and the
//! tenant's allow-list, and the request pinned to the addresses that passed, so a DNS answer
//! that changes between the check and the connection (DNS rebinding) cannot redirect a
//! webhook to the intranet. Redirects are not followed, for the same reason.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crm_persistence::webhooks::dispatch::{AttemptResult, Claimed};
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use reqwest::{Client, Url, redirect};

use super::signature;

/// How much of a response is read (the log keeps less).
const RESPONSE_READ_MAX: usize = 4096;

/// Pinned clients kept (one per host and address set); the cache is emptied when full.
const CLIENTS_MAX: usize = 256;

pub struct Sender {
    timeout: Duration,
    /// For URLs whose host is an IP address: nothing to resolve.
    direct: Client,
    pinned: Mutex<HashMap<(String, Vec<SocketAddr>), Client>>,
}

fn builder(timeout: Duration) -> reqwest::ClientBuilder {
    Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(redirect::Policy::none())
        .no_proxy()
}

impl Sender {
    pub fn new(timeout: Duration) -> Result<Self, reqwest::Error> {
        Ok(Self {
            timeout,
            direct: builder(timeout).build()?,
            pinned: Mutex::new(HashMap::new()),
        })
    }

    /// Sends `claimed` once; never fails, an error is part of the result.
    pub async fn send(&self, claimed: &Claimed) -> AttemptResult {
        let started = Instant::now();
        let mut result = match self.client_for(claimed).await {
            Ok((client, url)) => self.post(&client, url, claimed).await,
            Err(error) => AttemptResult {
                error: Some(error),
                ..AttemptResult::default()
            },
        };
        result.latency_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        result
    }

    /// The client to use for the endpoint's URL, or why it may not be reached.
    async fn client_for(&self, claimed: &Claimed) -> Result<(Client, Url), String> {
        let url = Url::parse(&claimed.url).map_err(|e| format!("invalid URL: {e}"))?;
        let host = url.host_str().ok_or("URL without host")?.to_owned();
        let port = url.port_or_known_default().ok_or("URL without port")?;
        let literal = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .ok();
        if let Some(ip) = literal {
            return if claimed.allow_list.permits(&host, ip) {
                Ok((self.direct.clone(), url))
            } else {
                Err(refused(ip))
            };
        }
        let resolved: Vec<SocketAddr> =
            tokio::time::timeout(self.timeout, tokio::net::lookup_host((host.as_str(), port)))
                .await
                .map_err(|_| format!("resolving {host} timed out"))?
                .map_err(|e| format!("cannot resolve {host}: {e}"))?
                .collect();
        let mut allowed: Vec<SocketAddr> = resolved
            .iter()
            .copied()
            .filter(|addr| claimed.allow_list.permits(&host, addr.ip()))
            .collect();
        if allowed.is_empty() {
            return Err(match resolved.first() {
                Some(addr) => refused(addr.ip()),
                None => format!("{host} has no address"),
            });
        }
        allowed.sort();
        let key = (host.clone(), allowed.clone());
        let mut clients = self.pinned.lock().map_err(|_| "client cache poisoned")?;
        if let Some(client) = clients.get(&key) {
            return Ok((client.clone(), url));
        }
        let client = builder(self.timeout)
            .resolve_to_addrs(&host, &allowed)
            .build()
            .map_err(|e| format!("cannot build a client: {e}"))?;
        if clients.len() >= CLIENTS_MAX {
            clients.clear();
        }
        clients.insert(key, client.clone());
        Ok((client, url))
    }

    async fn post(&self, client: &Client, url: Url, claimed: &Claimed) -> AttemptResult {
        let id = claimed.event_id.to_string();
        let timestamp = chrono::Utc::now().timestamp();
        let signature = signature::header(&claimed.secrets, &id, timestamp, &claimed.body);
        let sent = client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header(
                USER_AGENT,
                concat!("crm-webhooks/", env!("CARGO_PKG_VERSION")),
            )
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(claimed.body.clone())
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => {
                return AttemptResult {
                    error: Some(describe(&error)),
                    ..AttemptResult::default()
                };
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let mut bytes = Vec::new();
        while bytes.len() < RESPONSE_READ_MAX {
            match response.chunk().await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        bytes.truncate(RESPONSE_READ_MAX);
        AttemptResult {
            status: Some(status),
            response_excerpt: (!bytes.is_empty())
                .then(|| String::from_utf8_lossy(&bytes).into_owned()),
            retry_after,
            ..AttemptResult::default()
        }
    }
}

fn refused(ip: IpAddr) -> String {
    format!("{ip} is an internal address; an admin can allow it in webhook_allowed_hosts")
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "connection refused or unreachable".to_owned()
    } else {
        error.to_string()
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::parse_retry_after;
    use std::time::Duration;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        let later = chrono::Utc::now() + chrono::Duration::minutes(10);
        let date = later.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let parsed = parse_retry_after(&date).unwrap_or_default();
        assert!(parsed > Duration::from_secs(590) && parsed <= Duration::from_secs(600));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
