//! Login, refresh rotation, logout, lockout, and sessions ending when a user is disabled.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, json_of, spawn_app};

#[tokio::test]
async fn a_wrong_password_is_a_401_problem_in_the_callers_language() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    let response = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .header("Accept-Language", "en-US,en;q=0.9")
        .json(&json!({"tenant": "acme", "email": "admin@acme.cn", "password": "wrong-password"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = json_of(response).await;
    assert_eq!(body["code"], "invalid_credentials");
    assert_eq!(body["title"], "Wrong email or password");

    let zh = app.login_response("acme", "nobody@acme.cn", PASSWORD).await;
    assert_eq!(
        zh.status(),
        StatusCode::UNAUTHORIZED,
        "an unknown email answers exactly like a wrong password"
    );
    assert_eq!(json_of(zh).await["title"], "账号或密码错误");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_even_for_the_right_one() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    for _ in 0..5 {
        let response = app
            .login_response("acme", "admin@acme.cn", "wrong-password")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = app.login_response("acme", "admin@acme.cn", PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = locked.headers()["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(retry_after > 0 && retry_after <= 15 * 60);
}

#[tokio::test]
async fn the_login_tenant_may_be_omitted_only_when_there_is_one() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    let response = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"email": "admin@acme.cn", "password": PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK);

    app.tenant("globex").await;
    let response = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"email": "admin@acme.cn", "password": PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_every_session() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let refresh = |token: String| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/auth/refresh", app.address);
        async move {
            client
                .post(url)
                .json(&json!({"refresh_token": token}))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };

    let first = refresh(acme.admin.refresh_token.clone()).await;
    assert_eq!(first.status(), StatusCode::OK);
    let pair = json_of(first).await;
    let new_refresh = pair["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let new_access = pair["access_token"].as_str().unwrap_or_default().to_owned();
    assert_ne!(new_refresh, acme.admin.refresh_token);

    let me = app
        .client
        .get(format!("{}/api/v1/me", app.address))
        .bearer_auth(&new_access)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(me.status(), StatusCode::OK, "the new access token works");

    let reused = refresh(acme.admin.refresh_token.clone()).await;
    assert_eq!(
        reused.status(),
        StatusCode::UNAUTHORIZED,
        "a rotated token cannot be used again"
    );
    assert_eq!(json_of(reused).await["code"], "invalid_refresh_token");

    let after_theft = refresh(new_refresh).await;
    assert_eq!(
        after_theft.status(),
        StatusCode::UNAUTHORIZED,
        "reuse revoked the whole family"
    );
    let me = app
        .client
        .get(format!("{}/api/v1/me", app.address))
        .bearer_auth(&new_access)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        me.status(),
        StatusCode::UNAUTHORIZED,
        "and its access tokens stop working at once"
    );
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let response = acme
        .admin
        .post(
            "/auth/logout",
            &json!({"refresh_token": acme.admin.refresh_token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        acme.admin.get("/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_blocks_login() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    assert_eq!(rep.get("/leads").await.status(), StatusCode::OK);

    let disabled = acme
        .admin
        .post(&format!("/users/{}/disable", rep.user_id), &json!({}))
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(json_of(disabled).await["active"], false);
    assert_eq!(rep.get("/leads").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login_response("acme", "rep@acme.cn", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let enabled = acme
        .admin
        .post(&format!("/users/{}/enable", rep.user_id), &json!({}))
        .await;
    assert_eq!(enabled.status(), StatusCode::OK);
    assert_eq!(
        app.login_response("acme", "rep@acme.cn", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn requests_without_a_valid_token_are_401() {
    let app = spawn_app().await;
    let none = app
        .client
        .get(format!("{}/api/v1/leads", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let forged = app
        .client
        .get(format!("{}/api/v1/leads", app.address))
        .bearer_auth("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(forged).await["code"], "unauthorized");
}

#[tokio::test]
async fn a_new_password_ends_other_sessions_but_not_the_one_that_set_it() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let admin_elsewhere = app.login("acme", "admin@acme.cn", PASSWORD).await;

    let own = acme
        .admin
        .patch(
            &format!("/users/{}", acme.admin.user_id),
            &json!({"password": "N3w-passw0rd!"}),
        )
        .await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(
        acme.admin.get("/me").await.status(),
        StatusCode::OK,
        "the session that changed it stays"
    );
    assert_eq!(
        admin_elsewhere.get("/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "other sessions end"
    );

    let reset = acme
        .admin
        .patch(
            &format!("/users/{}", rep.user_id),
            &json!({"password": "Res3t-passw0rd!"}),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        rep.get("/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "an admin's reset ends all of the user's sessions"
    );
    assert_eq!(
        app.login_response("acme", "rep@acme.cn", "Res3t-passw0rd!")
            .await
            .status(),
        StatusCode::OK
    );
}
