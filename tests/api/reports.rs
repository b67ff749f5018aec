//! Reports: every number checked against an independent count of the records behind it
//! (read through the lists and histories the API shows), within the reader's data scope.

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, Query};
use serde_json::{Value, json};

use crate::api_keys::with_key;
use crate::helpers::{Session, TestApp, json_of, spawn_app};
use crate::quotes::{SalesOrg, error_fields, id_of, sales_org};

/// The default pipeline's stage ids, by name.
async fn stages(session: &Session) -> HashMap<String, String> {
    let pipelines = json_of(session.get("/pipelines").await).await;
    pipelines[0]["stages"]
        .as_array()
        .map(|stages| {
            stages
                .iter()
                .map(|s| (s["name"].as_str().unwrap_or_default().to_owned(), id_of(s)))
                .collect()
        })
        .unwrap_or_default()
}

async fn customer(session: &Session, name: &str, region: &str, industry: &str) -> String {
    let response = session
        .post(
            "/customers",
            &json!({"name": name, "region": region, "industry": industry}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "customer {name}");
    id_of(&json_of(response).await)
}

async fn opportunity(session: &Session, customer: &str, name: &str, amount: &str) -> String {
    let body = json!({"name": name, "customer_id": customer, "amount": amount,
                      "expected_close_date": "2030-06-30"});
    let response = session.post("/opportunities", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    id_of(&json_of(response).await)
}

async fn move_to(session: &Session, id: &str, body: Value) {
    let response = session
        .post(&format!("/opportunities/{id}/stage"), &body)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "move {id} {body}");
}

async fn funnel(session: &Session, query: &str) -> Value {
    let response = session.get(&format!("/reports/funnel{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "funnel{query}");
    json_of(response).await
}

/// Every opportunity the session sees, through the list.
async fn visible(session: &Session, query: &str) -> Vec<Value> {
    let page = json_of(
        session
            .get(&format!("/opportunities?limit=200{query}"))
            .await,
    )
    .await;
    assert!(page["next_cursor"].is_null(), "one page is enough here");
    page["items"].as_array().cloned().unwrap_or_default()
}

/// One stage's figures as the test counts them.
#[derive(Debug, Default, PartialEq)]
struct Counted {
    count: u64,
    amount: Decimal,
    entered: u64,
    advanced: u64,
    left: u64,
    seconds: i64,
}

/// The funnel counted independently: "now" from the list, the moves from each visible
/// opportunity's stage history (a stage entered today, got further if a later change went
/// to a later open stage or a won one).
async fn counted(
    session: &Session,
    stage_order: &[(String, String, &str)],
) -> HashMap<String, Counted> {
    let position = |id: &str| stage_order.iter().position(|(s, _, _)| s == id);
    let kind = |id: &str| {
        stage_order
            .iter()
            .find(|(s, _, _)| s == id)
            .map(|(_, _, k)| *k)
    };
    let mut counted: HashMap<String, Counted> = HashMap::new();
    for item in visible(session, "").await {
        let stage = item["stage_id"].as_str().unwrap_or_default().to_owned();
        let entry = counted.entry(stage).or_default();
        entry.count += 1;
        entry.amount += item["amount"]
            .as_str()
            .and_then(|a| a.parse::<Decimal>().ok())
            .unwrap_or_default();
        let history = json_of(
            session
                .get(&format!("/opportunities/{}/stage-history", id_of(&item)))
                .await,
        )
        .await;
        let changes = history.as_array().cloned().unwrap_or_default();
        let mut entered_stages: Vec<String> = Vec::new();
        for (i, change) in changes.iter().enumerate() {
            let to = change["to_stage_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if !entered_stages.contains(&to) {
                entered_stages.push(to.clone());
                let further = changes[i + 1..].iter().any(|later| {
                    let reached = later["to_stage_id"].as_str().unwrap_or_default();
                    kind(reached) == Some("won")
                        || (kind(reached) == Some("open") && position(reached) > position(&to))
                });
                let entry = counted.entry(to).or_default();
                entry.entered += 1;
                entry.advanced += u64::from(further);
            }
            if let Some(from) = change["from_stage_id"].as_str() {
                let entry = counted.entry(from.to_owned()).or_default();
                entry.left += 1;
                entry.seconds += change["seconds_in_previous"].as_i64().unwrap_or_default();
            }
        }
    }
    counted
}

fn figures(stage: &Value) -> Counted {
    Counted {
        count: stage["count"].as_u64().unwrap_or_default(),
        amount: stage["totals"]
            .as_array()
            .and_then(|t| t.first())
            .and_then(|t| t["amount"].as_str())
            .and_then(|a| a.parse().ok())
            .unwrap_or_default(),
        entered: stage["entered"].as_u64().unwrap_or_default(),
        advanced: stage["advanced"].as_u64().unwrap_or_default(),
        left: stage["left"].as_u64().unwrap_or_default(),
        seconds: 0,
    }
}

/// Four deals of the east rep (华东 and 华南 customers), one of the west rep: moved, won and
/// lost today after three and a half days in 初步接洽, one left where it started.
async fn deals(app: &TestApp, org: &SalesOrg, west: &Session) {
    let stage = stages(&org.rep).await;
    let east_a = customer(&org.rep, "无锡华光电子有限公司", "华东", "电子").await;
    let south = customer(&org.rep, "佛山顺德家电有限公司", "华南", "家电").await;
    let west_customer = customer(west, "成都天府机械有限公司", "西南", "机械").await;
    let first = opportunity(&org.rep, &east_a, "SMT 产线", "500000").await;
    let second = opportunity(&org.rep, &south, "注塑机更新", "300000").await;
    let third = opportunity(&org.rep, &org.customer, "立加采购", "200000").await;
    let spares = json_of(
        org.tenant
            .admin
            .post("/product-categories", &json!({"name": "备件"}))
            .await,
    )
    .await;
    let kits = json_of(
        org.tenant
            .admin
            .post(
                "/product-categories",
                &json!({"name": "保养包", "parent_id": id_of(&spares)}),
            )
            .await,
    )
    .await;
    let kit = json_of(
        org.tenant
            .admin
            .post(
                "/products",
                &json!({"code": "KIT-01", "name": "年度保养包", "unit": "套", "list_price": "100000",
                        "category_id": id_of(&kits)}),
            )
            .await,
    )
    .await;
    let body = json!({"name": "备件框架", "customer_id": org.customer, "expected_close_date": "2030-06-30",
                      "lines": [{"product_id": id_of(&kit), "quantity": "1"}]});
    let response = org.rep.post("/opportunities", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    let outside = opportunity(west, &west_customer, "龙门铣", "900000").await;
    // Every deal has waited in 初步接洽 for three and a half days before it moves on.
    use sea_orm::sea_query::ExprTrait;
    let waited = Query::update()
        .table(Alias::new("opportunities"))
        .value(
            Alias::new("stage_entered_at"),
            chrono::Utc::now() - chrono::Duration::seconds(3 * 86_400 + 43_200),
        )
        .and_where(Expr::col(Alias::new("tenant_id")).eq(org.tenant.id))
        .to_owned();
    let done = app
        .db
        .execute(&waited)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 5, "the deals in 初步接洽");
    move_to(&org.rep, &first, json!({"stage_id": stage["需求确认"]})).await;
    move_to(&org.rep, &first, json!({"stage_id": stage["方案/报价"]})).await;
    move_to(&org.rep, &second, json!({"stage_id": stage["需求确认"]})).await;
    move_to(
        &org.rep,
        &second,
        json!({"stage_id": stage["输单"], "lost_reason": "price", "winning_competitor": "海天"}),
    )
    .await;
    move_to(&org.rep, &third, json!({"stage_id": stage["赢单"]})).await;
    move_to(west, &outside, json!({"stage_id": stage["需求确认"]})).await;
}

/// The default pipeline's stages in order: id, name and kind (`open`, `won` or `lost`).
async fn stage_order(session: &Session) -> Vec<(String, String, &'static str)> {
    let pipelines = json_of(session.get("/pipelines").await).await;
    pipelines[0]["stages"]
        .as_array()
        .map(|stages| {
            stages
                .iter()
                .map(|s| {
                    let kind = match s["kind"].as_str() {
                        Some("won") => "won",
                        Some("lost") => "lost",
                        _ => "open",
                    };
                    (
                        id_of(s),
                        s["name"].as_str().unwrap_or_default().to_owned(),
                        kind,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The reader's funnel over `query` equals the independent count, stage by stage.
async fn assert_funnel_counts(reader: &Session, order: &[(String, String, &str)], query: &str) {
    let report = funnel(reader, query).await;
    let expected = counted(reader, order).await;
    for (id, name, kind) in order {
        let shown = report["stages"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["stage_id"] == json!(id)))
            .cloned()
            .unwrap_or_else(|| panic!("no stage {name} in {report}"));
        let want = expected.get(id).map_or_else(Counted::default, |c| Counted {
            advanced: if *kind == "open" { c.advanced } else { 0 },
            seconds: 0,
            ..*c
        });
        assert_eq!(figures(&shown), want, "{name} for {}", reader.user_id);
        if *kind != "open" {
            assert!(shown["advanced"].is_null() && shown["conversion_percent"].is_null());
        }
        let seconds = expected.get(id).map_or(0, |c| c.seconds);
        let days = (want.left > 0).then(|| {
            (Decimal::from(seconds) / Decimal::from(86_400) / Decimal::from(want.left)).round_dp(1)
        });
        let shown_days = shown["average_days"]
            .as_str()
            .and_then(|d| d.parse::<Decimal>().ok());
        assert_eq!(shown_days, days, "average days in {name}");
    }
}

/// History bulk-inserted for a demo or a benchmark (`crm demo --history-opportunities`)
/// carries the same cohort marks as history written deal by deal: its funnel over the two
/// years adds up to the deals' own stage histories, for the director and for a manager. Its
/// leads and follow-ups count in the lead-source and activity reports like any others.
#[tokio::test]
async fn bulk_inserted_history_counts_in_the_funnel_like_history_worked_deal_by_deal() {
    let app = spawn_app().await;
    let org = sales_org(&app, "history").await;
    let east = customer(&org.rep, "历史客户甲", "华东", "机械").await;
    let other = customer(&org.gm, "历史客户乙", "华南", "电子").await;
    let accounts: Vec<(uuid::Uuid, uuid::Uuid)> = [(&east, &org.rep), (&other, &org.gm)]
        .iter()
        .map(|(customer, owner)| (customer.parse().unwrap_or_default(), owner.user_id))
        .collect();
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let seeded = crm_persistence::history::seed(
        &app.db,
        org.tenant.id,
        &accounts,
        crm_persistence::history::HistorySize {
            leads: 40,
            activities: 100,
            opportunities: 60,
            orders: 0,
        },
        today,
    )
    .await
    .unwrap_or_else(|e| panic!("history: {e}"));
    assert_eq!(seeded.opportunities, 60);
    assert!(seeded.stage_changes > 60, "deals moved: {seeded:?}");
    assert_eq!((seeded.leads, seeded.activities), (40, 100));

    let order = stage_order(&org.gm).await;
    let period = format!("?from={}&to={today}", today - chrono::Duration::days(1000));
    for (reader, deals) in [(&org.gm, 60), (&org.mgr, 30)] {
        assert_eq!(visible(reader, "").await.len(), deals);
        assert_funnel_counts(reader, &order, &period).await;
    }
    let leads = json_of(org.gm.get(&format!("/reports/lead-sources{period}")).await).await;
    let counted = |field: &str| leads["total"][field].as_u64().unwrap_or_default();
    assert_eq!(counted("leads"), 40, "{leads}");
    assert!(
        counted("converted") > 0 && counted("converted") <= counted("qualified"),
        "{leads}"
    );
    let activity = json_of(org.gm.get(&format!("/reports/activity{period}")).await).await;
    assert_eq!(activity["total"], 100);
    // Each customer's last follow-up is kept, as logging them one by one keeps it.
    for id in [&east, &other] {
        let shown = json_of(org.gm.get(&format!("/customers/{id}")).await).await;
        assert!(shown["last_activity_at"].is_string(), "{shown}");
    }
}

#[tokio::test]
async fn the_funnel_counts_what_the_lists_and_histories_show_within_each_scope() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    deals(&app, &org, &west).await;
    let order = stage_order(&org.gm).await;

    // The director, the east manager and the west rep each see their own funnel, and it
    // adds up to what their lists and histories show.
    for (reader, opportunities) in [(&org.gm, 5), (&org.mgr, 4), (&west, 1)] {
        assert_eq!(visible(reader, "").await.len(), opportunities);
        assert_funnel_counts(reader, &order, "").await;
    }

    // The director's numbers, spelled out once: five deals entered 初步接洽 today, four got
    // further, each after three and a half days there.
    let report = funnel(&org.gm, "").await;
    let first = &report["stages"][0];
    assert_eq!(first["name"], "初步接洽");
    assert_eq!(
        (first["entered"].as_u64(), first["advanced"].as_u64()),
        (Some(5), Some(4))
    );
    assert_eq!(first["conversion_percent"], "80.0");
    assert_eq!(first["average_days"], "3.5");
    assert_eq!(report["stages"][4]["name"], "赢单");
    assert_eq!(report["stages"][4]["count"], 1);
    assert_eq!(report["stages"][4]["totals"][0]["amount"], "200000.00");

    // Narrowed: to the east department, to 华南's customers, to one owner.
    let me = json_of(org.mgr.get("/me").await).await;
    let east = me["user"]["department_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let by_department = funnel(&org.gm, &format!("?department_id={east}")).await;
    assert_eq!(by_department["stages"][0]["entered"], 4);
    let south = funnel(&org.gm, "?region=%E5%8D%8E%E5%8D%97").await;
    let south_entered: Vec<u64> = south["stages"]
        .as_array()
        .map(|s| {
            s.iter()
                .map(|s| s["entered"].as_u64().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        south_entered,
        [1, 1, 0, 0, 0, 1],
        "初步接洽 → 需求确认 → 输单"
    );
    assert_eq!(
        visible(&org.gm, "&region=%E5%8D%8E%E5%8D%97").await.len(),
        1,
        "the list drills down the same way"
    );
    let categories = json_of(org.gm.get("/product-categories").await).await;
    let spares = categories
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "备件"))
        .map(id_of)
        .unwrap_or_default();
    let with_spares = funnel(&org.gm, &format!("?product_category_id={spares}")).await;
    assert_eq!(
        (
            &with_spares["stages"][0]["count"],
            &with_spares["stages"][0]["entered"]
        ),
        (&json!(1), &json!(1)),
        "a line in a category below 备件"
    );
    let mine = funnel(&org.gm, &format!("?owner_id={}", west.user_id)).await;
    assert_eq!(mine["stages"][1]["count"], 1);

    // A period before anything happened: nothing entered, the pipeline as it stands.
    let past = funnel(&org.gm, "?from=2026-01-01&to=2026-01-31").await;
    assert_eq!(past["stages"][0]["entered"], 0);
    assert!(past["stages"][0]["conversion_percent"].is_null());
    assert_eq!(
        past["stages"][1]["count"], 1,
        "the west deal is in 需求确认 now"
    );
    assert_eq!(past["stages"][4]["count"], 0, "won today, not in January");

    // Bad input names the field.
    for (query, field) in [
        ("?from=2026-12-07&to=2026-12-06", "from"),
        ("?from=2020-01-01&to=2026-12-06", "to"),
        (
            "?department_id=01938f2e-7c4a-7d10-9a51-3c2b1e0f4a11",
            "department_id",
        ),
        (
            "?pipeline_id=01938f2e-7c4a-7d10-9a51-3c2b1e0f4a11",
            "pipeline_id",
        ),
        (
            "?product_category_id=01938f2e-7c4a-7d10-9a51-3c2b1e0f4a11",
            "product_category_id",
        ),
        ("?from=yesterday", "from"),
    ] {
        let response = org.gm.get(&format!("/reports/funnel{query}")).await;
        assert_eq!(error_fields(response).await, [field], "{query}");
    }
    // The first day chrono can name, a day long: refused, not a panic.
    let response = org
        .gm
        .get("/reports/funnel?from=-262143-01-01&to=-262143-01-01")
        .await;
    assert_eq!(error_fields(response).await, ["from", "to"]);
}

/// The director's and the east manager's funnels (which the rollups answer) keep adding up
/// to the lists and histories as deals change hands across departments, have their amount
/// corrected, are deleted and reopened, take the manager onto another department's team, and as a rep moves to another
/// department with their deals.
#[tokio::test]
async fn the_funnel_keeps_adding_up_through_handovers_deletions_reopens_and_department_moves() {
    let app = spawn_app().await;
    let org = sales_org(&app, "moves").await;
    let west = org.outsider(&app).await;
    deals(&app, &org, &west).await;
    let order = stage_order(&org.gm).await;
    let deal = |name: &'static str| {
        let gm = &org.gm;
        async move {
            visible(gm, "")
                .await
                .into_iter()
                .find(|d| d["name"] == name)
                .map(|d| (id_of(&d), d["version"].as_i64().unwrap_or_default()))
                .unwrap_or_else(|| panic!("no deal {name}"))
        }
    };
    let adds_up = || async {
        for reader in [&org.gm, &org.mgr] {
            assert_funnel_counts(reader, &order, "").await;
        }
    };
    let east_entered = || async { funnel(&org.mgr, "").await["stages"][0]["entered"].clone() };
    assert_eq!(east_entered().await, 4);

    // The east rep's SMT deal goes to the west rep: out of the east funnel.
    let (smt, version) = deal("SMT 产线").await;
    let response = org
        .gm
        .request(Method::PATCH, &format!("/opportunities/{smt}"))
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"owner_id": west.user_id}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(east_entered().await, 3);
    adds_up().await;

    // The lost deal's amount is corrected, then the next step noted: the lost column's
    // amount follows the first edit and stands after the second.
    let (lost, _) = deal("注塑机更新").await;
    for edit in [
        json!({"amount": "350000"}),
        json!({"next_step": "复盘丢单原因"}),
    ] {
        let response = org.gm.patch(&format!("/opportunities/{lost}"), &edit).await;
        assert_eq!(response.status(), StatusCode::OK, "{edit}");
        adds_up().await;
    }
    let lost_column = funnel(&org.gm, "").await["stages"][5].clone();
    assert_eq!(lost_column["name"], "输单");
    assert_eq!(lost_column["totals"][0]["amount"], "350000.00");

    // The lost deal is deleted: out of both funnels.
    let (lost, version) = deal("注塑机更新").await;
    let response = org
        .gm
        .request(Method::DELETE, &format!("/opportunities/{lost}"))
        .header("If-Match", format!("\"{version}\""))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(east_entered().await, 2);
    adds_up().await;

    // The won deal is reopened: a new move the funnels count.
    let (won, _) = deal("立加采购").await;
    let response = org
        .rep
        .post(&format!("/opportunities/{won}/reopen"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    adds_up().await;

    // The west rep puts the east manager on the team of their 龙门铣 deal: the manager sees
    // it as a team member, and their funnel counts it.
    let (mill, _) = deal("龙门铣").await;
    let team = json!({"team": [{"user_id": org.mgr.user_id, "role": "技术支持"}]});
    let response = west.patch(&format!("/opportunities/{mill}"), &team).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(east_entered().await, 3);
    adds_up().await;

    // The west rep joins the east department, with both their deals.
    let me = json_of(org.mgr.get("/me").await).await;
    org.tenant
        .move_user(west.user_id, &me["user"]["department_id"])
        .await;
    assert_eq!(east_entered().await, 4);
    adds_up().await;
}

#[tokio::test]
async fn another_tenant_and_a_reader_without_opportunities_see_no_funnel() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    deals(&app, &org, &west).await;
    let other = app.tenant("globex").await;
    let theirs = funnel(&other.admin, "").await;
    assert!(
        theirs["stages"]
            .as_array()
            .is_some_and(|s| s.iter().all(|s| s["count"] == 0 && s["entered"] == 0)),
        "{theirs}"
    );
    let key = json_of(
        org.tenant
            .admin
            .post(
                "/api-keys",
                &json!({"name": "客户同步", "permissions": ["customer.read"], "data_scope": "all",
                        "user_id": org.tenant.admin.user_id}),
            )
            .await,
    )
    .await;
    let customers_only = with_key(&org.tenant.admin, key["key"].as_str().unwrap_or_default());
    let response = customers_only.get("/reports/funnel").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// One group's closed opportunities as the test counts them.
#[derive(Debug, Default, PartialEq)]
struct Closed {
    won: u64,
    lost: u64,
    won_amount: Decimal,
    cycle_seconds: i64,
}

/// The win-rate report's rows counted from the list of closed opportunities, each one's
/// record (its source, creation and closing) and customer (its industry, as `director` reads
/// it: a deal seen as a team member may belong to a customer the reader cannot open), and
/// the owners' departments.
async fn closed_by(
    session: &Session,
    director: &Session,
    group_by: &str,
    departments: &HashMap<String, String>,
) -> HashMap<Option<String>, Closed> {
    let mut groups: HashMap<Option<String>, Closed> = HashMap::new();
    for status in ["won", "lost"] {
        for item in visible(session, &format!("&status={status}")).await {
            let record = json_of(
                session
                    .get(&format!("/opportunities/{}", id_of(&item)))
                    .await,
            )
            .await;
            let key = match group_by {
                "owner" => item["owner_id"].as_str().map(str::to_owned),
                "department" => item["owner_id"]
                    .as_str()
                    .and_then(|o| departments.get(o).cloned()),
                "source" => record["source"].as_str().map(str::to_owned),
                _ => {
                    let customer = json_of(
                        director
                            .get(&format!(
                                "/customers/{}",
                                item["customer_id"].as_str().unwrap_or_default()
                            ))
                            .await,
                    )
                    .await;
                    customer["industry"].as_str().map(str::to_owned)
                }
            };
            let group = groups.entry(key).or_default();
            if status == "won" {
                group.won += 1;
                group.won_amount += item["amount"]
                    .as_str()
                    .and_then(|a| a.parse::<Decimal>().ok())
                    .unwrap_or_default();
                let at = |field: &str| {
                    record[field]
                        .as_str()
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                        .map(|t| t.timestamp())
                        .unwrap_or_default()
                };
                group.cycle_seconds += at("closed_at") - at("created_at");
            } else {
                group.lost += 1;
            }
        }
    }
    groups
}

/// Opened `days` before it was closed, as if the deal had taken that long.
async fn opened_before_closing(app: &TestApp, session: &Session, id: &str, days: i64) {
    use sea_orm::sea_query::ExprTrait;
    let record = json_of(session.get(&format!("/opportunities/{id}")).await).await;
    let closed: chrono::DateTime<chrono::Utc> = record["closed_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("{id} is not closed: {record}"));
    let opportunity: uuid::Uuid = id.parse().unwrap_or_else(|e| panic!("{e}"));
    let update = Query::update()
        .table(Alias::new("opportunities"))
        .value(
            Alias::new("created_at"),
            closed - chrono::Duration::days(days),
        )
        .and_where(Expr::col(Alias::new("id")).eq(opportunity))
        .to_owned();
    let done = app
        .db
        .execute(&update)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1);
}

#[tokio::test]
async fn win_rates_and_cycles_add_up_per_owner_department_source_and_industry() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    let stage = stages(&org.rep).await;
    let machinery = customer(&org.rep, "常州恒立机械有限公司", "华东", "机械").await;
    let electronics = customer(&org.rep, "昆山精密电子有限公司", "华东", "电子").await;
    let west_customer = customer(&west, "重庆长安配套有限公司", "西南", "汽车").await;
    let new =
        |session: &Session, customer: &str, name: &str, amount: &str, source: Option<&str>| {
            let mut body = json!({"name": name, "customer_id": customer, "amount": amount,
                              "expected_close_date": "2030-06-30"});
            if let Some(source) = source {
                body["source"] = json!(source);
            }
            let session = session.clone();
            async move {
                let response = session.post("/opportunities", &body).await;
                assert_eq!(response.status(), StatusCode::CREATED, "{body}");
                id_of(&json_of(response).await)
            }
        };
    let a = new(&org.rep, &machinery, "液压站", "400000", Some("exhibition")).await;
    let b = new(&org.rep, &electronics, "贴片机", "250000", Some("referral")).await;
    let c = new(&org.rep, &machinery, "折弯机", "150000", None).await;
    new(
        &org.rep,
        &electronics,
        "回流焊",
        "90000",
        Some("exhibition"),
    )
    .await;
    let d = new(
        &west,
        &west_customer,
        "焊装线",
        "1200000",
        Some("exhibition"),
    )
    .await;
    // The west rep puts the east manager on 焊装线's team: the manager sees it as a member
    // only (it is owned outside their department), and their win rate counts it.
    let team = json!({"team": [{"user_id": org.mgr.user_id, "role": "技术支持"}]});
    let response = west.patch(&format!("/opportunities/{d}"), &team).await;
    assert_eq!(response.status(), StatusCode::OK);
    let won = json!({"stage_id": stage["赢单"]});
    for (session, id) in [(&org.rep, &a), (&org.rep, &b), (&west, &d)] {
        move_to(session, id, won.clone()).await;
    }
    move_to(
        &org.rep,
        &c,
        json!({"stage_id": stage["输单"], "lost_reason": "price", "winning_competitor": "亚威"}),
    )
    .await;
    opened_before_closing(&app, &org.rep, &a, 30).await;
    opened_before_closing(&app, &org.rep, &b, 45).await;
    opened_before_closing(&app, &west, &d, 90).await;

    // Each owner's department, as the owners themselves read it.
    let mut departments = HashMap::new();
    for owner in [&org.rep, &west] {
        let me = json_of(owner.get("/me").await).await;
        departments.insert(
            owner.user_id.to_string(),
            me["user"]["department_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    for group_by in ["owner", "department", "source", "industry"] {
        for reader in [&org.gm, &org.mgr, &west] {
            let report = json_of(
                reader
                    .get(&format!("/reports/win-rate?group_by={group_by}"))
                    .await,
            )
            .await;
            let expected = closed_by(reader, &org.gm, group_by, &departments).await;
            let rows = report["rows"].as_array().cloned().unwrap_or_default();
            assert_eq!(rows.len(), expected.len(), "{group_by}: {report}");
            for row in &rows {
                let key = row["key"].as_str().map(str::to_owned);
                let want = expected
                    .get(&key)
                    .unwrap_or_else(|| panic!("{group_by} {key:?} not expected: {report}"));
                let won_amount = row["won_amounts"][0]["amount"]
                    .as_str()
                    .and_then(|a| a.parse::<Decimal>().ok())
                    .unwrap_or_default();
                assert_eq!(
                    (row["won"].as_u64(), row["lost"].as_u64(), won_amount),
                    (Some(want.won), Some(want.lost), want.won_amount),
                    "{group_by} {key:?}"
                );
                let days = (want.won > 0).then(|| {
                    (Decimal::from(want.cycle_seconds)
                        / Decimal::from(86_400)
                        / Decimal::from(want.won))
                    .round_dp(1)
                });
                let shown = row["average_cycle_days"]
                    .as_str()
                    .and_then(|d| d.parse::<Decimal>().ok());
                assert_eq!(shown, days, "{group_by} {key:?} cycle");
            }
        }
    }

    // Spelled out for the director: by owner, the east rep won 2 of 3 (66.7%) in 37.5 days
    // on average, the west rep 1 of 1 in 90; over all 3 of 4.
    let by_owner = json_of(org.gm.get("/reports/win-rate").await).await;
    assert_eq!(
        by_owner["rows"][0]["key"],
        json!(org.rep.user_id.to_string())
    );
    assert_eq!(by_owner["rows"][0]["name"], "孙销售");
    assert_eq!(by_owner["rows"][0]["win_rate_percent"], "66.7");
    assert_eq!(by_owner["rows"][0]["average_cycle_days"], "37.5");
    assert_eq!(
        by_owner["rows"][0]["won_amounts"],
        json!([{"currency": "CNY", "amount": "650000.00"}])
    );
    assert_eq!(by_owner["total"]["won"], 3);
    assert_eq!(by_owner["total"]["lost"], 1);
    assert_eq!(by_owner["total"]["win_rate_percent"], "75.0");
    let by_source = json_of(org.gm.get("/reports/win-rate?group_by=source").await).await;
    let exhibition = by_source["rows"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["key"] == "exhibition"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (exhibition["won"].as_u64(), exhibition["lost"].as_u64()),
        (Some(2), Some(0))
    );
    // Drill down: the list shows the same opportunities for a row.
    assert_eq!(
        visible(&org.gm, "&status=won&source=exhibition")
            .await
            .len(),
        2
    );
    // Nothing closed in January.
    let january = json_of(
        org.gm
            .get("/reports/win-rate?from=2026-01-01&to=2026-01-31")
            .await,
    )
    .await;
    assert_eq!(january["rows"], json!([]));
    assert!(january["total"]["win_rate_percent"].is_null());
    let response = org.gm.get("/reports/win-rate?group_by=colour").await;
    assert_eq!(error_fields(response).await, ["group_by"]);
}
