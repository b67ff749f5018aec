//! Targets (业绩目标), performance against them and the forecast: each figure checked against
//! an independent sum of the records the lists show, within the reader's data scope.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::quotes::{act, error_fields, id_of, sales_org};
use crate::sales_orders::{confirmed_order, today_in_china};

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("not money: {value}"))
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// The first day of the month `n` months after `day`'s.
fn months_after(day: NaiveDate, n: u32) -> NaiveDate {
    let index = day.year() * 12 + i32::try_from(day.month0() + n).unwrap_or(0);
    NaiveDate::from_ymd_opt(index / 12, u32::try_from(index % 12).unwrap_or(0) + 1, 1)
        .unwrap_or_else(|| panic!("no month {index}"))
}

async fn set_targets(session: &Session, body: Value) -> reqwest::Response {
    session.put("/targets", &body).await
}

async fn get(session: &Session, path: &str) -> Value {
    let response = session.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    json_of(response).await
}

async fn opportunity(session: &Session, customer: &str, body: Value) -> String {
    let mut body = body;
    body["customer_id"] = json!(customer);
    body["name"] = json!(format!("商机 {}", body["amount"]));
    let response = session.post("/opportunities", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    id_of(&json_of(response).await)
}

async fn win(session: &Session, id: &str) {
    let pipelines = get(session, "/pipelines").await;
    let won = pipelines[0]["stages"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["kind"] == "won"))
        .map(id_of)
        .unwrap_or_else(|| panic!("no won stage"));
    act(
        session,
        &format!("/opportunities/{id}/stage"),
        &json!({"stage_id": won}),
        StatusCode::OK,
    )
    .await;
}

/// Won amounts per owner in one currency, from the list of won opportunities.
async fn won_by_owner(session: &Session, currency: &str) -> HashMap<String, Decimal> {
    let since = today_in_china().with_day(1).unwrap_or_default();
    let page = get(
        session,
        &format!("/opportunities?status=won&closed_since={since}&limit=200"),
    )
    .await;
    let mut sums: HashMap<String, Decimal> = HashMap::new();
    for item in page["items"].as_array().cloned().unwrap_or_default() {
        if item["currency"] == currency {
            *sums
                .entry(item["owner_id"].as_str().unwrap_or_default().to_owned())
                .or_default() += money(&item["amount"]);
        }
    }
    sums
}

fn row(report: &Value, id: impl std::fmt::Display) -> &Value {
    let id = id.to_string();
    report["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["subject_id"] == id.as_str()))
        .unwrap_or_else(|| panic!("no row {id} in {report}"))
}

fn row_ids(report: &Value) -> Vec<String> {
    report["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| r["subject_id"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn admins_set_targets_that_each_reader_sees_within_scope() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    let admin = &org.tenant.admin;
    let me = get(&org.mgr, "/me").await;
    let east = me["user"]["department_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{me}"));

    let set = set_targets(
        admin,
        json!({"metric": "won_amount", "targets": [
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-12", "amount": "500000"},
            {"subject_kind": "user", "subject_id": west.user_id, "period": "2026-12", "amount": "300000"},
            {"subject_kind": "department", "subject_id": east, "period": "2026-Q4", "amount": "1500000.50"}
        ]}),
    )
    .await;
    assert_eq!(set.status(), StatusCode::OK);
    let set = json_of(set).await;
    assert_eq!(set["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(set["removed"], 0);

    let plan = get(&org.gm, "/targets?year=2026").await;
    let cells: Vec<(String, String, String)> = plan["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|t| {
                    (
                        t["subject_name"].as_str().unwrap_or_default().to_owned(),
                        t["period"].as_str().unwrap_or_default().to_owned(),
                        t["amount"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        cells,
        [
            (
                "west-rep".to_owned(),
                "2026-12".to_owned(),
                "300000.00".to_owned()
            ),
            (
                "孙销售".to_owned(),
                "2026-12".to_owned(),
                "500000.00".to_owned()
            ),
            (
                "华东销售部".to_owned(),
                "2026-Q4".to_owned(),
                "1500000.50".to_owned()
            ),
        ]
    );
    // A manager sees their department's people and the department; a rep only their own.
    let seen = |plan: &Value| -> Vec<String> {
        plan["items"]
            .as_array()
            .map(|i| {
                i.iter()
                    .map(|t| t["subject_name"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        seen(&get(&org.mgr, "/targets?year=2026").await),
        ["孙销售", "华东销售部"]
    );
    assert_eq!(seen(&get(&west, "/targets?year=2026").await), ["west-rep"]);
    assert_eq!(
        seen(&get(&org.gm, "/targets?year=2027").await),
        Vec::<String>::new()
    );
    assert_eq!(
        seen(&get(&org.gm, "/targets?year=2026&metric=collections").await),
        Vec::<String>::new()
    );

    // A change bumps the version; null removes; unchanged cells stay.
    let changed = json_of(
        set_targets(
            admin,
            json!({"metric": "won_amount", "targets": [
                {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-12", "amount": "550000"},
                {"subject_kind": "user", "subject_id": west.user_id, "period": "2026-12", "amount": null}
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(changed["items"][0]["version"], 2);
    assert_eq!(changed["items"][0]["amount"], "550000.00");
    assert_eq!(changed["removed"], 1);
    assert_eq!(
        seen(&get(&org.gm, "/targets?year=2026").await),
        ["孙销售", "华东销售部"]
    );

    // Only settings managers set targets; bad cells are named; nothing is half written.
    let refused = set_targets(
        &org.mgr,
        json!({"metric": "won_amount", "targets": [
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-11", "amount": "1"}]}),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let bad = set_targets(
        admin,
        json!({"metric": "won_amount", "targets": [
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-11", "amount": "100"},
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-11", "amount": "200"},
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-10", "amount": "-5"},
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-09", "amount": "1.001", "currency": "RMB!"}
        ]}),
    )
    .await;
    assert_eq!(
        error_fields(bad).await,
        [
            "targets[1].period",
            "targets[2].amount",
            "targets[3].amount",
            "targets[3].currency"
        ]
    );
    let malformed = set_targets(
        admin,
        json!({"metric": "won_amount", "targets": [
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-13", "amount": "1"}]}),
    )
    .await;
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(malformed).await;
    assert!(
        problem["errors"][0]["field"]
            .as_str()
            .unwrap_or_default()
            .contains("period"),
        "{problem}"
    );
    assert_eq!(
        error_fields(get_response(&org.gm, "/targets?year=12026").await).await,
        ["year"]
    );

    // Another tenant's user is as unknown as a made-up id, and the valid cell beside it is not
    // written either.
    let other = app.tenant("globex").await;
    let stranger = other
        .user(&app, "stranger", "sales_rep", other.head_office)
        .await;
    let outside = set_targets(
        admin,
        json!({"metric": "won_amount", "targets": [
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": "2026-08", "amount": "1"},
            {"subject_kind": "user", "subject_id": stranger.user_id, "period": "2026-08", "amount": "1"}]}),
    )
    .await;
    assert_eq!(error_fields(outside).await, ["targets[1].subject_id"]);
    assert_eq!(
        seen(&get(&other.admin, "/targets?year=2026").await),
        Vec::<String>::new()
    );
    let plan = get(&org.gm, "/targets?year=2026").await;
    assert!(
        !plan["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|t| t["period"] == "2026-08")),
        "{plan}"
    );
}

async fn get_response(session: &Session, path: &str) -> reqwest::Response {
    session.get(path).await
}

#[tokio::test]
async fn performance_ranks_each_owner_and_department_against_target() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    let admin = &org.tenant.admin;
    let today = today_in_china();
    let month = month_of(today);
    let quarter = format!("{}-Q{}", today.year(), today.month0() / 3 + 1);
    let east = get(&org.mgr, "/me").await["user"]["department_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let west_department = get(&west, "/me").await["user"]["department_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let west_customer = id_of(
        &json_of(
            west.post("/customers", &json!({"name": "成都天府机械"}))
                .await,
        )
        .await,
    );

    let deals = [
        (&org.rep, &org.customer, "400000", "CNY"),
        (&org.rep, &org.customer, "100000", "CNY"),
        (&org.rep, &org.customer, "700000", "USD"),
        (&org.mgr, &org.customer, "300000", "CNY"),
        (&west, &west_customer, "900000", "CNY"),
    ];
    for (session, customer, amount, currency) in deals {
        let id = opportunity(
            session,
            customer,
            json!({"amount": amount, "currency": currency, "expected_close_date": "2030-06-30"}),
        )
        .await;
        win(session, &id).await;
    }
    opportunity(
        &org.rep,
        &org.customer,
        json!({"amount": "50000", "expected_close_date": "2030-06-30"}),
    )
    .await;
    let set = set_targets(
        admin,
        json!({"metric": "won_amount", "targets": [
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": month, "amount": "1000000"},
            {"subject_kind": "user", "subject_id": org.mgr.user_id, "period": month, "amount": "200000"},
            {"subject_kind": "department", "subject_id": east, "period": month, "amount": "2000000"}
        ]}),
    )
    .await;
    assert_eq!(set.status(), StatusCode::OK);

    // By user, for the director: every owner, ranked by what they won (CNY only).
    let report = get(&org.gm, &format!("/reports/performance?period={month}")).await;
    let won = won_by_owner(&org.gm, "CNY").await;
    assert_eq!(won.len(), 3);
    for (owner, amount) in &won {
        assert_eq!(money(&row(&report, owner)["actual"]), *amount, "{owner}");
    }
    assert_eq!(
        row_ids(&report),
        [
            west.user_id.to_string(),
            org.rep.user_id.to_string(),
            org.mgr.user_id.to_string()
        ]
    );
    let rep = row(&report, org.rep.user_id);
    assert_eq!(
        (
            rep["rank"].clone(),
            rep["target"].clone(),
            rep["completion_percent"].clone()
        ),
        (json!(2), json!("1000000.00"), json!("50.0"))
    );
    assert_eq!(row(&report, org.mgr.user_id)["completion_percent"], "150.0");
    assert!(row(&report, west.user_id)["target"].is_null());
    let dollars = get(
        &org.gm,
        &format!("/reports/performance?period={month}&currency=usd"),
    )
    .await;
    assert_eq!(row_ids(&dollars), [org.rep.user_id.to_string()]);
    assert_eq!(dollars["currency"], "USD");

    // By department: each adds up the departments below it and ranks beside its siblings.
    let departments = get(
        &org.gm,
        &format!("/reports/performance?period={month}&by=department"),
    )
    .await;
    let head = row(&departments, org.tenant.head_office);
    assert_eq!(
        (money(&head["actual"]), head["depth"].clone()),
        (d("1700000"), json!(0))
    );
    let east_row = row(&departments, &east);
    assert_eq!(
        money(&east_row["actual"]),
        won[&org.rep.user_id.to_string()] + won[&org.mgr.user_id.to_string()]
    );
    assert_eq!(
        (
            east_row["depth"].clone(),
            east_row["rank"].clone(),
            east_row["completion_percent"].clone()
        ),
        (json!(1), json!(2), json!("40.0"))
    );
    assert_eq!(row(&departments, &west_department)["rank"], 1);

    // A manager's report holds their tree only; a rep's, themselves.
    let team = get(&org.mgr, &format!("/reports/performance?period={month}")).await;
    assert_eq!(
        row_ids(&team),
        [org.rep.user_id.to_string(), org.mgr.user_id.to_string()]
    );
    assert_eq!(
        row_ids(
            &get(
                &org.mgr,
                &format!("/reports/performance?period={month}&by=department")
            )
            .await
        ),
        [east.as_str()]
    );
    assert_eq!(
        row_ids(&get(&west, &format!("/reports/performance?period={month}")).await),
        [west.user_id.to_string()]
    );
    // Narrowed to the east department, the director sees the same two.
    let narrowed = get(
        &org.gm,
        &format!("/reports/performance?period={month}&department_id={east}"),
    )
    .await;
    assert_eq!(row_ids(&narrowed), row_ids(&team));

    // A quarter takes its own target, else its months' only when all three are set.
    let q = get(&org.gm, &format!("/reports/performance?period={quarter}")).await;
    assert!(row(&q, org.rep.user_id)["target"].is_null());
    let first = months_after(today, 0)
        .with_month(today.month0() / 3 * 3 + 1)
        .unwrap_or(today);
    let months: Vec<String> = (0..3).map(|i| month_of(months_after(first, i))).collect();
    let cells: Vec<Value> = months
        .iter()
        .map(|m| json!({"subject_kind": "user", "subject_id": org.rep.user_id, "period": m, "amount": "1000000"}))
        .collect();
    set_targets(admin, json!({"metric": "won_amount", "targets": cells})).await;
    let q = get(&org.gm, &format!("/reports/performance?period={quarter}")).await;
    assert_eq!(row(&q, org.rep.user_id)["target"], "3000000.00");
    assert_eq!(row(&q, org.rep.user_id)["completion_percent"], "16.7");

    // Orders and collections count by the order's owner.
    let order = confirmed_order(&org, "1").await;
    assert_eq!(order["status"], "confirmed", "{order}");
    let ordered = money(&order["total"]) - money(&order["cancelled_amount"]);
    let orders = get(
        &org.gm,
        &format!("/reports/performance?period={month}&metric=order_amount"),
    )
    .await;
    assert_eq!(row_ids(&orders), [org.rep.user_id.to_string()]);
    assert_eq!(money(&row(&orders, org.rep.user_id)["actual"]), ordered);
    let finance = org
        .tenant
        .user(&app, "finance", "finance", org.tenant.head_office)
        .await;
    act(
        &finance,
        "/payments",
        &json!({"customer_id": org.customer, "amount": "100000", "method": "bank_transfer",
                "sales_order_id": id_of(&order)}),
        StatusCode::CREATED,
    )
    .await;
    let collected = get(
        &org.gm,
        &format!("/reports/performance?period={month}&metric=collections"),
    )
    .await;
    assert_eq!(
        money(&row(&collected, org.rep.user_id)["actual"]),
        d("100000")
    );
    let last_year = format!("{}-{:02}", today.year() - 1, today.month());
    let none = get(
        &org.gm,
        &format!("/reports/performance?period={last_year}&metric=collections"),
    )
    .await;
    assert_eq!(row_ids(&none), Vec::<String>::new());

    for (query, field) in [
        ("period=2026-13", "period"),
        ("metric=revenue", "metric"),
        ("by=team", "by"),
        ("currency=RMB1", "currency"),
    ] {
        let response = get_response(&org.gm, &format!("/reports/performance?{query}")).await;
        assert_eq!(error_fields(response).await, [field], "{query}");
    }
    let unknown = get_response(
        &org.gm,
        &format!("/reports/performance?department_id={}", uuid::Uuid::nil()),
    )
    .await;
    assert_eq!(error_fields(unknown).await, ["department_id"]);
}

#[tokio::test]
async fn the_forecast_adds_up_the_open_pipeline_by_expected_month_next_to_won_and_target() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    let admin = &org.tenant.admin;
    let today = today_in_china();
    let first = months_after(today, 0);
    let east = get(&org.mgr, "/me").await["user"]["department_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let day = |months: u32, day: u32| {
        months_after(today, months)
            .with_day(day)
            .unwrap_or(first)
            .to_string()
    };
    let west_customer = id_of(
        &json_of(
            west.post("/customers", &json!({"name": "成都天府机械"}))
                .await,
        )
        .await,
    );

    let open = [
        (&org.rep, day(0, 28), "100000", 10, "CNY"),
        (&org.rep, day(0, 1), "200000", 75, "CNY"),
        (&org.mgr, day(1, 15), "300000", 50, "CNY"),
        (&org.rep, day(2, 1), "400000", 90, "CNY"),
        (&org.rep, day(3, 1), "800000", 90, "CNY"),
        (&org.rep, day(0, 10), "999999", 90, "USD"),
        (&west, day(0, 10), "555555", 90, "CNY"),
    ];
    for (session, close, amount, probability, currency) in &open {
        let customer = if std::ptr::eq(*session, &west) {
            &west_customer
        } else {
            &org.customer
        };
        opportunity(
            session,
            customer,
            json!({"amount": amount, "currency": currency, "expected_close_date": close,
                   "probability": probability}),
        )
        .await;
    }
    // A deal that slipped: expected last month, still open.
    let slipped = opportunity(
        &org.rep,
        &org.customer,
        json!({"amount": "60000", "expected_close_date": "2030-06-30", "probability": 25}),
    )
    .await;
    let last_month = first.pred_opt().unwrap_or(first).to_string();
    let response = org
        .rep
        .patch(
            &format!("/opportunities/{slipped}"),
            &json!({"expected_close_date": last_month}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a past expected date may be kept"
    );
    let won = opportunity(
        &org.rep,
        &org.customer,
        json!({"amount": "250000", "expected_close_date": "2030-06-30"}),
    )
    .await;
    win(&org.rep, &won).await;
    set_targets(
        admin,
        json!({"metric": "won_amount", "targets": [
            {"subject_kind": "department", "subject_id": east, "period": month_of(first), "amount": "1000000"},
            {"subject_kind": "user", "subject_id": org.rep.user_id, "period": month_of(first), "amount": "600000"}
        ]}),
    )
    .await;

    // The manager's forecast: their tree, three months from this one, their department's target.
    let report = get(&org.mgr, "/reports/forecast").await;
    assert_eq!(report["from"], month_of(first));
    assert_eq!(report["to"], month_of(months_after(today, 2)));
    assert_eq!(report["commit_probability"], 75);
    assert_eq!(report["target_subject"]["name"], "华东销售部");
    assert_eq!(report["other_currencies"], json!(["USD"]));
    let months = report["months"].as_array().cloned().unwrap_or_default();
    assert_eq!(months.len(), 3);

    // Counted again from the list, month by month.
    for (i, m) in months.iter().enumerate() {
        let start = months_after(today, u32::try_from(i).unwrap_or(0));
        let end = months_after(today, u32::try_from(i + 1).unwrap_or(0))
            .pred_opt()
            .unwrap_or(start);
        let page = get(
            &org.mgr,
            &format!("/opportunities?status=open&close_from={start}&close_to={end}&limit=200"),
        )
        .await;
        let items: Vec<Value> = page["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|item| item["currency"] == "CNY")
            .collect();
        let amount = |item: &Value| money(&item["amount"]);
        let pipeline: Decimal = items.iter().map(amount).sum();
        let weighted: Decimal = items
            .iter()
            .map(|item| {
                amount(item) * Decimal::from(item["probability"].as_u64().unwrap_or(0))
                    / Decimal::ONE_HUNDRED
            })
            .sum();
        let commit: Decimal = items
            .iter()
            .filter(|item| item["probability"].as_u64() >= Some(75))
            .map(amount)
            .sum();
        assert_eq!(m["open_count"], items.len(), "month {i}");
        assert_eq!(money(&m["pipeline"]), pipeline, "month {i}");
        assert_eq!(money(&m["weighted"]), weighted, "month {i}");
        assert_eq!(money(&m["commit"]), commit, "month {i}");
    }
    assert_eq!(
        (
            months[0]["open_count"].clone(),
            money(&months[0]["pipeline"])
        ),
        (json!(2), d("300000"))
    );
    assert_eq!(
        (money(&months[0]["won"]), months[0]["won_count"].clone()),
        (d("250000"), json!(1))
    );
    assert_eq!(money(&months[0]["target"]), d("1000000"));
    assert!(months[1]["target"].is_null());
    assert_eq!(
        (
            report["past_due"]["open_count"].clone(),
            money(&report["past_due"]["pipeline"])
        ),
        (json!(1), d("60000"))
    );
    assert_eq!(money(&report["total"]["pipeline"]), d("1000000"));
    assert_eq!(money(&report["total"]["commit"]), d("600000"));
    assert!(report["total"]["target"].is_null(), "two months have none");

    // The commit threshold is the tenant's; a rep's forecast is their own, with their target.
    let response = admin
        .patch("/settings", &json!({"forecast_commit_probability": 50}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let report = get(&org.mgr, "/reports/forecast").await;
    assert_eq!(money(&report["total"]["commit"]), d("900000"));
    let mine = get(&org.rep, "/reports/forecast").await;
    assert_eq!(mine["target_subject"]["name"], "孙销售");
    assert_eq!(money(&mine["months"][0]["target"]), d("600000"));
    assert_eq!(money(&mine["total"]["pipeline"]), d("700000"));
    // Narrowed to the rep, the manager sees the rep's figures and target; the director's
    // tenant-wide view counts the other department too.
    let narrowed = get(
        &org.mgr,
        &format!("/reports/forecast?owner_id={}", org.rep.user_id),
    )
    .await;
    assert_eq!(narrowed["total"], mine["total"]);
    let all = get(
        &org.gm,
        &format!("/reports/forecast?to={}", month_of(months_after(today, 3))),
    )
    .await;
    assert_eq!(money(&all["total"]["pipeline"]), d("2355555"));
    assert_eq!(all["months"].as_array().map(Vec::len), Some(4));
    // The west rep sees none of the east's deals nor their targets.
    let outsider = get(&west, &format!("/reports/forecast?department_id={east}")).await;
    assert_eq!(outsider["total"]["open_count"], 0);
    assert!(outsider["target_subject"].is_null());
    assert!(outsider["months"][0]["target"].is_null());

    for (query, field) in [
        ("from=2026-13", "from"),
        ("from=2027-02&to=2027-01", "from"),
        ("from=2026-01&to=2029-01", "to"),
        ("currency=R", "currency"),
    ] {
        let response = get_response(&org.mgr, &format!("/reports/forecast?{query}")).await;
        assert_eq!(error_fields(response).await, [field], "{query}");
    }
}
