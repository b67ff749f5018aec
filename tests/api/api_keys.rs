//! API keys: an admin makes one and sees it once; the key acts as its user with its own
//! permissions and data scope, never beyond its tenant; revoked or expired keys are refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::permissions::visible_companies;
use crate::quotes::error_fields;

/// A session whose bearer token is the API key.
pub fn with_key(session: &Session, key: &str) -> Session {
    Session {
        address: session.address.clone(),
        client: session.client.clone(),
        access_token: key.to_owned(),
        refresh_token: String::new(),
        user_id: session.user_id,
    }
}

async fn create_key(admin: &Session, body: Value) -> Value {
    let response = admin.post("/api-keys", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "create key");
    json_of(response).await
}

#[tokio::test]
async fn a_key_acts_as_its_user_within_its_permissions_and_scope_until_revoked() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let east = acme.department("华东销售部", acme.head_office).await;
    let south = acme.department("华南销售部", acme.head_office).await;
    let rep_east = acme.user(&app, "rep-east", "sales_rep", east).await;
    let rep_south = acme.user(&app, "rep-south", "sales_rep", south).await;
    rep_east.create_lead("华东客户").await;
    let southern = rep_south.create_lead("华南客户").await;

    // A key for the ERP, acting as the east rep, reading and writing leads in its department.
    let created = create_key(
        &acme.admin,
        json!({
            "name": "金蝶同步",
            "permissions": ["lead.read", "lead.write"],
            "data_scope": "department",
            "user_id": rep_east.user_id,
        }),
    )
    .await;
    let key = created["key"].as_str().unwrap_or_default().to_owned();
    assert!(key.starts_with("crm_") && key.len() > 40, "{key}");
    let id = created["api_key"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(created["api_key"]["status"], "active");
    assert!(key.starts_with(created["api_key"]["prefix"].as_str().unwrap_or("-")));

    // Shown once: neither the list nor the key's own page carries it again.
    let listed = acme
        .admin
        .get("/api-keys")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(listed.contains("金蝶同步") && !listed.contains(&key));

    let erp = with_key(&acme.admin, &key);
    assert_eq!(
        visible_companies(&erp).await,
        vec!["华东客户"],
        "its user's department only"
    );
    let south_id = southern["id"].as_str().unwrap_or_default();
    assert_eq!(
        erp.get(&format!("/leads/{south_id}")).await.status(),
        StatusCode::NOT_FOUND,
        "another department's lead, by its id"
    );
    // What it creates is its user's.
    let made = erp.create_lead("接口线索").await;
    assert_eq!(made["owner_id"], json!(rep_east.user_id));
    // Only its permissions: no customers, no key management.
    assert_eq!(erp.get("/customers").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(erp.get("/api-keys").await.status(), StatusCode::FORBIDDEN);
    let used = json_of(acme.admin.get(&format!("/api-keys/{id}")).await).await;
    assert!(used["last_used_at"].is_string(), "use is noted");

    // Another tenant's admin cannot see or revoke it.
    let globex = app.tenant("globex").await;
    assert_eq!(
        globex.admin.get(&format!("/api-keys/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        globex
            .admin
            .post(&format!("/api-keys/{id}/revoke"), &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Revoked: refused from the next request.
    let revoked = json_of(
        acme.admin
            .post(&format!("/api-keys/{id}/revoke"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(erp.get("/leads").await.status(), StatusCode::UNAUTHORIZED);
    // A made-up key, too.
    let guessed = with_key(
        &acme.admin,
        "crm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    );
    assert_eq!(
        guessed.get("/leads").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn keys_need_an_admin_a_name_permissions_a_future_expiry_and_an_active_user() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let body = json!({"name": "x", "permissions": ["lead.read"], "data_scope": "own"});
    assert_eq!(
        rep.post("/api-keys", &body).await.status(),
        StatusCode::FORBIDDEN
    );
    let fields = error_fields(
        acme.admin
            .post(
                "/api-keys",
                &json!({"name": " ", "permissions": [], "data_scope": "own",
                        "expires_at": "2020-01-01T00:00:00Z"}),
            )
            .await,
    )
    .await;
    assert_eq!(fields, vec!["name", "permissions", "expires_at"]);
    let other = app.tenant("globex").await;
    let fields = error_fields(
        acme.admin
            .post(
                "/api-keys",
                &json!({"name": "x", "permissions": ["lead.read"], "data_scope": "own",
                        "user_id": other.admin.user_id}),
            )
            .await,
    )
    .await;
    assert_eq!(fields, vec!["user_id"]);

    // A key that has expired is refused, and listed as expired.
    let created = create_key(
        &acme.admin,
        json!({"name": "短期", "permissions": ["lead.read"], "data_scope": "all",
               "expires_at": (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339()}),
    )
    .await;
    let key = with_key(&acme.admin, created["key"].as_str().unwrap_or_default());
    assert_eq!(key.get("/leads").await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    assert_eq!(key.get("/leads").await.status(), StatusCode::UNAUTHORIZED);
    let listed = json_of(acme.admin.get("/api-keys").await).await;
    assert_eq!(listed["items"][0]["status"], "expired");

    // A key whose user is deactivated stops working.
    let created = create_key(
        &acme.admin,
        json!({"name": "rep key", "permissions": ["lead.read"], "data_scope": "own",
               "user_id": rep.user_id}),
    )
    .await;
    let key = with_key(&acme.admin, created["key"].as_str().unwrap_or_default());
    assert_eq!(key.get("/leads").await.status(), StatusCode::OK);
    let deactivated = acme
        .admin
        .post(&format!("/users/{}/disable", rep.user_id), &json!({}))
        .await;
    assert!(
        deactivated.status().is_success(),
        "{}",
        deactivated.status()
    );
    assert_eq!(key.get("/leads").await.status(), StatusCode::UNAUTHORIZED);
}
