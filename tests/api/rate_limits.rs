//! Rate limits: every API response says where the caller stands; an empty bucket is a 429
//! with `Retry-After`, and the bucket fills again with time. Buckets are per caller.

use std::time::Duration;

use crm_api::rate_limit::{Limit, RateLimits};
use reqwest::{Response, StatusCode};

use crate::helpers::{json_of, spawn_app_limited};

fn header(response: &Response, name: &str) -> Option<u64> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn a_caller_past_the_limit_waits_then_goes_on() {
    let tight = Limit {
        per_second: 1.0,
        burst: 5,
    };
    let app = spawn_app_limited(RateLimits {
        user: tight,
        api_key: tight,
        anonymous: Limit {
            per_second: 100.0,
            burst: 100,
        },
    })
    .await;
    let acme = app.tenant("acme").await;

    let mut remaining = Vec::new();
    let refused = loop {
        let response = acme.admin.get("/me").await;
        assert_eq!(header(&response, "x-ratelimit-limit"), Some(5));
        assert!(header(&response, "x-ratelimit-reset").is_some());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break response;
        }
        assert_eq!(response.status(), StatusCode::OK);
        remaining.push(header(&response, "x-ratelimit-remaining").unwrap_or(u64::MAX));
        assert!(
            remaining.len() <= 5,
            "refused by the sixth request: {remaining:?}"
        );
    };
    assert!(
        remaining.windows(2).all(|w| w[1] < w[0]) && remaining.last() == Some(&0),
        "counts down to zero: {remaining:?}"
    );
    let retry_after = header(&refused, "retry-after").unwrap_or_default();
    assert!((1..=2).contains(&retry_after), "Retry-After {retry_after}");
    assert_eq!(header(&refused, "x-ratelimit-remaining"), Some(0));
    assert_eq!(
        refused
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert_eq!(json_of(refused).await["code"], "rate_limited");

    // Another user has a bucket of their own.
    let globex = app.tenant("globex").await;
    assert_eq!(globex.admin.get("/me").await.status(), StatusCode::OK);

    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    let after = acme.admin.get("/me").await;
    assert_eq!(after.status(), StatusCode::OK, "a token is back");

    // Requests without credentials count per address, and carry the headers too.
    let anonymous = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(header(&anonymous, "x-ratelimit-limit"), Some(100));
}
