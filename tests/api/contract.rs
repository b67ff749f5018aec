//! The API contract itself: the checked-in spec, health endpoints, problem bodies.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{json_of, spawn_app};

#[test]
fn the_checked_in_openapi_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let generated = crm_api::openapi_json();
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, format!("{generated}\n")).unwrap_or_else(|e| panic!("{e}"));
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in.trim_end() == generated.trim_end(),
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    );
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(health.status(), StatusCode::OK);
    let ready = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(json_of(ready).await["status"], "ready");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_unknown_paths_are_problem_404s() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/no-such-thing", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .headers()
            .get("x-request-id")
            .is_some_and(|v| !v.is_empty())
    );
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body = json_of(response).await;
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["status"], 404);
}

#[tokio::test]
async fn the_spec_is_served_and_the_docs_ui_works_offline() {
    let app = spawn_app().await;
    let spec: Value = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(spec["paths"]["/api/v1/leads"]["get"].is_object());
    let ui = app
        .client
        .get(format!("{}/api/docs/", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ui.status(), StatusCode::OK);
    let html = ui.text().await.unwrap_or_default();
    assert!(
        html.contains("swagger"),
        "the Swagger UI page is served from the binary"
    );
}
