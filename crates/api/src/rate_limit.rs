//! Rate limits: a token bucket per API key, per user (all of their sessions together) and,
//! for requests without a valid credential, per client address. In memory, per server
//! process: behind N nodes a caller gets up to N times the limit.
//!
//! Every `/api/` response says where the caller stands (`X-RateLimit-Limit`, `-Remaining`,
//! `-Reset`); an empty bucket answers 429 with `Retry-After` (set by [`ApiError::rate_limited`]).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use crm_domain::Credential;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiError;

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// Beyond this many buckets, full ones are dropped: a full bucket is the same as none.
/// When most are in use, the next prune waits until the map has doubled, so pruning stays
/// cheap per request.
const PRUNE_AT: usize = 10_000;

/// A bucket's shape: `burst` requests at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub per_second: f64,
    pub burst: u32,
}

#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub user: Limit,
    pub api_key: Limit,
    /// Requests without a valid credential (login, refresh), per client address.
    pub anonymous: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            user: Limit {
                per_second: 20.0,
                burst: 100,
            },
            api_key: Limit {
                per_second: 50.0,
                burst: 200,
            },
            anonymous: Limit {
                per_second: 10.0,
                burst: 50,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Principal {
    User(Uuid),
    ApiKey(Uuid),
    Address(IpAddr),
}

struct Bucket {
    limit: Limit,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * self.limit.per_second).min(f64::from(self.limit.burst));
        self.at = now;
    }

    fn is_full(&self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens + elapsed * self.limit.per_second >= f64::from(self.limit.burst)
    }
}

/// Where a caller stands after one request.
struct Decision {
    allowed: bool,
    limit: u32,
    remaining: u32,
    /// Seconds until the bucket is full again.
    reset_secs: u64,
    /// Seconds until the next request may pass (0 when this one did).
    retry_after_secs: u64,
}

pub struct RateLimiter {
    limits: RateLimits,
    buckets: Mutex<Buckets>,
}

struct Buckets {
    by_principal: HashMap<Principal, Bucket>,
    prune_at: usize,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            buckets: Mutex::new(Buckets {
                by_principal: HashMap::new(),
                prune_at: PRUNE_AT,
            }),
        }
    }

    fn take(&self, who: Principal, now: Instant) -> Decision {
        let limit = match who {
            Principal::User(_) => self.limits.user,
            Principal::ApiKey(_) => self.limits.api_key,
            Principal::Address(_) => self.limits.anonymous,
        };
        let rate = limit.per_second.max(f64::MIN_POSITIVE);
        let seconds = |tokens: f64| (tokens / rate).ceil().max(0.0) as u64;
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock (a panic elsewhere) must not take the API down with it.
            return Decision {
                allowed: true,
                limit: limit.burst,
                remaining: limit.burst,
                reset_secs: 0,
                retry_after_secs: 0,
            };
        };
        if buckets.by_principal.len() >= buckets.prune_at {
            buckets
                .by_principal
                .retain(|_, bucket| !bucket.is_full(now));
            buckets.prune_at = PRUNE_AT.max(buckets.by_principal.len() * 2);
        }
        let bucket = buckets.by_principal.entry(who).or_insert(Bucket {
            limit,
            tokens: f64::from(limit.burst),
            at: now,
        });
        bucket.refill(now);
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        Decision {
            allowed,
            limit: limit.burst,
            remaining: bucket.tokens.floor() as u32,
            reset_secs: seconds(f64::from(limit.burst) - bucket.tokens),
            retry_after_secs: if allowed {
                0
            } else {
                seconds(1.0 - bucket.tokens).max(1)
            },
        }
    }
}

/// Takes a token for the caller (resolved here once; handlers reuse it) and adds the
/// `X-RateLimit-*` headers; refuses with 429 when the bucket is empty.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let Some(state) = state.filter(|_| req.path().starts_with("/api/")) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let who = match crate::auth::caller(req.request()).await {
        Ok(Some(caller)) => match caller.credential {
            Credential::ApiKey(id) => Principal::ApiKey(id),
            Credential::Session(_) | Credential::System => Principal::User(caller.user_id),
        },
        // No, bad or unverifiable credentials: the handler answers 401 or 500 itself.
        _ => Principal::Address(
            req.peer_addr()
                .map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip()),
        ),
    };
    let decision = state.rate_limiter.take(who, Instant::now());
    let mut response = if decision.allowed {
        next.call(req).await?.map_into_boxed_body()
    } else {
        req.error_response(ApiError::rate_limited(decision.retry_after_secs))
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (LIMIT, u64::from(decision.limit)),
        (REMAINING, u64::from(decision.remaining)),
        (RESET, decision.reset_secs),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn limiter() -> RateLimiter {
        let limit = Limit {
            per_second: 2.0,
            burst: 3,
        };
        RateLimiter::new(RateLimits {
            user: limit,
            api_key: limit,
            anonymous: limit,
        })
    }

    #[test]
    fn a_bucket_empties_then_refills() {
        let limiter = limiter();
        let who = Principal::User(Uuid::from_u128(1));
        let start = Instant::now();
        let remaining: Vec<u32> = (0..3).map(|_| limiter.take(who, start).remaining).collect();
        assert_eq!(remaining, vec![2, 1, 0]);
        let refused = limiter.take(who, start);
        assert!(!refused.allowed);
        assert_eq!((refused.retry_after_secs, refused.reset_secs), (1, 2));
        assert!(
            limiter
                .take(Principal::User(Uuid::from_u128(2)), start)
                .allowed,
            "another caller has a bucket of their own"
        );
        let later = limiter.take(who, start + Duration::from_millis(500));
        assert!(later.allowed, "one token back after half a second at 2/s");
        assert_eq!(later.remaining, 0);
    }

    #[test]
    fn full_buckets_are_dropped_once_there_are_many() {
        let limiter = limiter();
        let start = Instant::now();
        for i in 0..PRUNE_AT {
            limiter.take(Principal::ApiKey(Uuid::from_u128(i as u128)), start);
        }
        let later = start + Duration::from_secs(10);
        limiter.take(Principal::User(Uuid::nil()), later);
        let len = limiter
            .buckets
            .lock()
            .map(|b| b.by_principal.len())
            .unwrap_or_default();
        assert_eq!(len, 1);
    }
}
