//! `Idempotency-Key` on POST: a repeat gets the first response (errors too) without the work
//! being done twice, another request under the same key is a 422, concurrent duplicates wait
//! for the first, and keys belong to their caller.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::api_keys::with_key;
use crate::helpers::{Session, json_of, spawn_app};

fn lead(company: &str) -> Value {
    json!({"company_name": company, "contact_name": "王磊", "source": "phone", "mobile": "13812345678"})
}

async fn post_keyed(session: &Session, path: &str, key: &str, body: &Value) -> Response {
    session
        .request(Method::POST, path)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Status, the headers a replay repeats, whether it was a replay, and the body.
async fn parts(response: Response) -> (StatusCode, Option<String>, bool, String) {
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header("etag");
    let replayed = header("idempotent-replayed").as_deref() == Some("true");
    let body = response.text().await.unwrap_or_default();
    (status, etag, replayed, body)
}

async fn lead_count(session: &Session) -> u64 {
    json_of(session.get("/leads?include_total=true").await).await["total"]
        .as_u64()
        .unwrap_or_default()
}

async fn reused_field(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, json_of(response).await["errors"][0].clone())
}

#[tokio::test]
async fn a_repeated_post_replays_the_first_response_and_a_different_one_is_refused() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let first =
        parts(post_keyed(&acme.admin, "/leads", "order-0001", &lead("苏州精工")).await).await;
    assert_eq!(first.0, StatusCode::CREATED);
    assert!(!first.2, "the first response is not a replay");
    let again =
        parts(post_keyed(&acme.admin, "/leads", "order-0001", &lead("苏州精工")).await).await;
    assert_eq!(
        (again.0, &again.1, &again.3),
        (first.0, &first.1, &first.3),
        "the same response"
    );
    assert!(again.2, "marked as a replay");
    assert_eq!(lead_count(&acme.admin).await, 1, "created once");

    // The same key with another body, or on another path: a 422 naming the header.
    let (status, error) =
        reused_field(post_keyed(&acme.admin, "/leads", "order-0001", &lead("无锡机床")).await)
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field"], "Idempotency-Key");
    assert_eq!(error["code"], "idempotency_key_reused");
    let (status, error) =
        reused_field(post_keyed(&acme.admin, "/customers", "order-0001", &lead("苏州精工")).await)
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["code"], "idempotency_key_reused");
    assert_eq!(lead_count(&acme.admin).await, 1);

    // Keys are checked: empty or longer than 255 characters is a 422 on the header.
    for bad in [String::new(), "k".repeat(256)] {
        let (status, error) =
            reused_field(post_keyed(&acme.admin, "/leads", &bad, &lead("常州")).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "key {bad:?}");
        assert_eq!(error["field"], "Idempotency-Key");
    }
    // Without the header nothing changes: two posts, two leads.
    acme.admin.create_lead("南通").await;
    acme.admin.create_lead("南通").await;
    assert_eq!(lead_count(&acme.admin).await, 3);
}

#[tokio::test]
async fn errors_are_replayed_too_in_the_first_responses_language() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let invalid = json!({"company_name": "", "contact_name": "王磊", "source": "phone"});
    let send = || {
        acme.admin
            .request(Method::POST, "/leads")
            .header("Idempotency-Key", "bad-lead")
            .header("Accept-Language", "en")
            .json(&invalid)
            .send()
    };
    let first = parts(send().await.unwrap_or_else(|e| panic!("{e}"))).await;
    assert_eq!(first.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(first.3.contains("Some fields are invalid"), "{}", first.3);
    let again = parts(send().await.unwrap_or_else(|e| panic!("{e}"))).await;
    assert_eq!((again.0, &again.3), (first.0, &first.3));
    assert!(again.2);
    // The corrected body needs a new key: this one stands for the invalid request.
    let (status, error) =
        reused_field(post_keyed(&acme.admin, "/leads", "bad-lead", &lead("苏州")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["code"], "idempotency_key_reused");
    assert_eq!(
        post_keyed(&acme.admin, "/leads", "good-lead", &lead("苏州"))
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn concurrent_duplicates_run_once_and_get_the_same_answer() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let body = lead("并发科技");
    let (a, b, c) = tokio::join!(
        post_keyed(&acme.admin, "/leads", "same", &body),
        post_keyed(&acme.admin, "/leads", "same", &body),
        post_keyed(&acme.admin, "/leads", "same", &body),
    );
    let (a, b, c) = (parts(a).await, parts(b).await, parts(c).await);
    assert_eq!(a.0, StatusCode::CREATED, "{}", a.3);
    assert_eq!((&a.0, &a.3), (&b.0, &b.3));
    assert_eq!((&a.0, &a.3), (&c.0, &c.3));
    assert_eq!(
        [a.2, b.2, c.2].iter().filter(|r| !**r).count(),
        1,
        "one ran, the others were replays"
    );
    assert_eq!(lead_count(&acme.admin).await, 1);
}

#[tokio::test]
async fn keys_belong_to_their_caller() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let rep = acme.user(&app, "rep", "sales_rep", acme.head_office).await;
    let created = json_of(
        acme.admin
            .post(
                "/api-keys",
                &json!({"name": "ERP", "permissions": ["lead.read", "lead.write"],
                        "data_scope": "all", "user_id": rep.user_id}),
            )
            .await,
    )
    .await;
    let erp = with_key(&acme.admin, created["key"].as_str().unwrap_or_default());
    let body = lead("同名键");
    for (who, session) in [("admin", &acme.admin), ("rep", &rep), ("key", &erp)] {
        let (status, _, replayed, _) =
            parts(post_keyed(session, "/leads", "k-1", &body).await).await;
        assert_eq!(status, StatusCode::CREATED, "{who}");
        assert!(!replayed, "{who} has keys of their own");
    }
    // The key acts as the rep, yet its keys are its own, and the rep's stay the rep's.
    let (_, _, replayed, _) = parts(post_keyed(&rep, "/leads", "k-1", &body).await).await;
    assert!(replayed);
    // Another tenant's admin with the same key string, too.
    let globex = app.tenant("globex").await;
    assert_eq!(
        post_keyed(&globex.admin, "/leads", "k-1", &body)
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(lead_count(&acme.admin).await, 3);
}
