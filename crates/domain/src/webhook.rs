//! Outgoing webhooks' rules: which URLs an endpoint may have, which addresses it may reach,
//! when a failed delivery is tried again and what a receiver's answer means.

use std::net::IpAddr;
use std::time::Duration;

use ipnet::IpNet;
use url::Url;

use crate::validation::Violation;

/// Longest endpoint URL accepted.
pub const URL_MAX: usize = 2000;

/// An endpoint URL: absolute `http` or `https`, with a host, without credentials in it
/// (a receiver authenticates us by the signature, and a password in a URL leaks into logs).
pub fn parse_url(raw: &str) -> Result<Url, Violation> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Violation::Required);
    }
    if raw.chars().count() > URL_MAX {
        return Err(Violation::TooLong { max: URL_MAX });
    }
    let url = Url::parse(raw).map_err(|_| Violation::InvalidFormat)?;
    let usable = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none();
    if usable {
        Ok(url)
    } else {
        Err(Violation::InvalidFormat)
    }
}

/// Address ranges a webhook must not reach unless the tenant allows them: loopback, private,
/// link-local (cloud metadata services live there), carrier-grade NAT, multicast and the
/// reserved blocks. Everything else is the public internet.
const INTERNAL_NETS: [&str; 17] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "64:ff9b::/96",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
];

/// Whether `ip` lies in the public internet (an IPv4-mapped IPv6 address counts as its
/// IPv4 address, so `::ffff:127.0.0.1` is loopback).
pub fn is_public(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    !INTERNAL_NETS
        .iter()
        .filter_map(|net| net.parse::<IpNet>().ok())
        .any(|net| net.contains(&ip))
}

/// The hosts and networks a tenant's admin allows webhooks to reach although they are
/// internal: an ERP on the intranet (`erp.corp.local`, `10.8.0.0/16`) is a normal target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

impl AllowList {
    /// Reads the setting's entries; each is a host name, an IP address or a CIDR network.
    pub fn parse(entries: &[String]) -> Result<Self, (usize, Violation)> {
        let mut list = Self::default();
        for (index, entry) in entries.iter().enumerate() {
            match parse_entry(entry) {
                Ok(Entry::Host(host)) => list.hosts.push(host),
                Ok(Entry::Net(net)) => list.nets.push(net),
                Err(violation) => return Err((index, violation)),
            }
        }
        Ok(list)
    }

    /// Whether a request to `host` may go to `ip`: public addresses always, internal ones when
    /// the host name or the address is allowed.
    pub fn permits(&self, host: &str, ip: IpAddr) -> bool {
        is_public(ip)
            || self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
            || self.nets.iter().any(|net| net.contains(&ip))
    }
}

enum Entry {
    Host(String),
    Net(IpNet),
}

fn parse_entry(entry: &str) -> Result<Entry, Violation> {
    let entry = entry.trim();
    if entry.is_empty() {
        return Err(Violation::Required);
    }
    if let Ok(net) = entry.parse::<IpNet>() {
        return Ok(Entry::Net(net.trunc()));
    }
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Ok(Entry::Net(IpNet::from(ip)));
    }
    let valid_host = entry.len() <= 253
        && entry.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if valid_host {
        Ok(Entry::Host(entry.to_ascii_lowercase()))
    } else {
        Err(Violation::InvalidFormat)
    }
}

/// Waits before each retry: quick ones for a receiver that blinked, then hours, for
/// 3.6 days in all (at least 3.2 with the jitter), after which the delivery has failed.
const RETRY_DELAYS_SECS: [u64; 13] = [
    5,
    30,
    2 * 60,
    5 * 60,
    30 * 60,
    60 * 60,
    2 * 3600,
    5 * 3600,
    10 * 3600,
    10 * 3600,
    14 * 3600,
    20 * 3600,
    24 * 3600,
];

/// Every attempt a delivery gets: the first and the retries.
pub const MAX_ATTEMPTS: u32 = RETRY_DELAYS_SECS.len() as u32 + 1;

/// The wait before the next attempt after `attempts` failed ones, `None` when it has had all
/// of them. `jitter` in `[0, 1)` spreads retries ±10 % so a receiver coming back is not hit
/// by every delivery in the same second. A receiver's `Retry-After` is honoured when longer,
/// up to a day. `scale` shrinks the schedule (1 but in tests), never `Retry-After`.
pub fn retry_delay(
    attempts: u32,
    jitter: f64,
    retry_after: Option<Duration>,
    scale: f64,
) -> Option<Duration> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    let base = *RETRY_DELAYS_SECS.get(index)?;
    let factor = (0.9 + 0.2 * jitter.clamp(0.0, 1.0)) * scale.max(0.0);
    let planned = Duration::from_secs_f64(base as f64 * factor);
    let asked = retry_after.map(|d| d.min(Duration::from_secs(24 * 3600)));
    Some(asked.map_or(planned, |asked| asked.max(planned)))
}

/// What a receiver's answer means for the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: delivered.
    Delivered,
    /// 410 Gone: the receiver says the endpoint no longer exists; stop and disable it.
    Gone,
    /// Anything else (including redirects, which are not followed, and no answer at all):
    /// try again later.
    Failed,
}

impl Outcome {
    pub fn of_status(status: u16) -> Self {
        match status {
            200..=299 => Self::Delivered,
            410 => Self::Gone,
            _ => Self::Failed,
        }
    }
}

/// Why an endpoint was switched off by the system rather than by an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisabledReason {
    /// Switched off by an admin.
    Manual,
    /// The receiver answered 410 Gone.
    Gone,
    /// Too many failures in a row for too long.
    Failing,
}

impl DisabledReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Gone => "gone",
            Self::Failing => "failing",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Manual, Self::Gone, Self::Failing]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// When an endpoint that keeps failing is switched off: after `failures` failed attempts in a
/// row that span at least `span`, so a receiver restarting for a minute under heavy traffic
/// is not cut off, while one that is gone for good is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisablePolicy {
    pub failures: u32,
    pub span: chrono::Duration,
}

impl Default for DisablePolicy {
    fn default() -> Self {
        Self {
            failures: 15,
            span: chrono::Duration::hours(24),
        }
    }
}

impl DisablePolicy {
    pub fn should_disable(
        &self,
        consecutive_failures: u32,
        failing_since: chrono::DateTime<chrono::Utc>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        consecutive_failures >= self.failures && at - failing_since >= self.span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_plain_http_or_https() {
        assert!(parse_url("https://erp.example.com/hooks/crm").is_ok());
        assert!(parse_url("http://10.0.0.8:8080/in").is_ok());
        for bad in [
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "/relative",
            "https://example.com/#frag",
            "not a url",
        ] {
            assert_eq!(
                parse_url(bad).err(),
                Some(Violation::InvalidFormat),
                "{bad}"
            );
        }
        assert_eq!(parse_url(" ").err(), Some(Violation::Required));
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(
                !is_public(ip.parse().unwrap_or(IpAddr::from([1, 1, 1, 1]))),
                "{ip}"
            );
        }
        for ip in ["1.1.1.1", "114.114.114.114", "2400:3200::1"] {
            assert!(
                is_public(ip.parse().unwrap_or(IpAddr::from([127, 0, 0, 1]))),
                "{ip}"
            );
        }
    }

    #[test]
    fn the_allow_list_opens_named_hosts_and_networks_only() {
        let list =
            AllowList::parse(&["ERP.corp.local".into(), "10.8.0.0/16".into()]).unwrap_or_default();
        let ten = |last| IpAddr::from([10, 8, 3, last]);
        assert!(list.permits("erp.corp.local", IpAddr::from([192, 168, 0, 5])));
        assert!(list.permits("anything", ten(1)));
        assert!(!list.permits("other.corp.local", IpAddr::from([192, 168, 0, 5])));
        assert!(!list.permits("anything", IpAddr::from([10, 9, 0, 1])));
        assert!(list.permits("example.com", IpAddr::from([93, 184, 216, 34])));
        assert_eq!(
            AllowList::parse(&["ok.example".into(), "bad host".into()]),
            Err((1, Violation::InvalidFormat))
        );
    }

    #[test]
    fn retries_back_off_for_more_than_three_days_then_stop() {
        let total = |jitter| {
            (1..MAX_ATTEMPTS)
                .map(|n| retry_delay(n, jitter, None, 1.0).unwrap_or_default())
                .sum::<Duration>()
        };
        assert!(total(0.0) >= Duration::from_secs(3 * 24 * 3600));
        assert!(total(0.999) < Duration::from_secs(4 * 24 * 3600 + 3600 * 12));
        assert_eq!(retry_delay(MAX_ATTEMPTS, 0.5, None, 1.0), None);
        assert_eq!(retry_delay(1, 0.5, None, 1.0), Some(Duration::from_secs(5)));
        let first = retry_delay(1, 0.0, None, 1.0).unwrap_or_default();
        let later = retry_delay(5, 0.0, None, 1.0).unwrap_or_default();
        assert!(later > first * 10);
    }

    #[test]
    fn retry_after_is_honoured_when_longer_and_capped_at_a_day() {
        let asked = Some(Duration::from_secs(120));
        assert_eq!(
            retry_delay(1, 0.5, asked, 1.0),
            Some(Duration::from_secs(120))
        );
        let short = Some(Duration::from_secs(1));
        assert_eq!(
            retry_delay(1, 0.5, short, 1.0),
            Some(Duration::from_secs(5))
        );
        let huge = Some(Duration::from_secs(30 * 24 * 3600));
        assert_eq!(
            retry_delay(1, 0.5, huge, 1.0),
            Some(Duration::from_secs(24 * 3600))
        );
    }

    #[test]
    fn answers_are_sorted() {
        assert_eq!(Outcome::of_status(204), Outcome::Delivered);
        assert_eq!(Outcome::of_status(410), Outcome::Gone);
        for status in [301, 400, 404, 429, 500, 503] {
            assert_eq!(Outcome::of_status(status), Outcome::Failed);
        }
    }

    #[test]
    fn an_endpoint_is_disabled_only_after_many_failures_over_time() {
        let policy = DisablePolicy::default();
        let start = chrono::DateTime::UNIX_EPOCH;
        let day = chrono::Duration::hours(24);
        assert!(!policy.should_disable(1000, start, start + chrono::Duration::minutes(5)));
        assert!(!policy.should_disable(3, start, start + day * 3));
        assert!(policy.should_disable(15, start, start + day));
    }
}
