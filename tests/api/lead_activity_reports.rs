//! Lead sources and activity (线索来源分析, 跟进分析): each figure checked against what the lists
//! and timelines show the same reader, counted here independently; a manager's reports count
//! their department tree, a rep's their own records; bad input is a 422 naming the field.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::imports::download;
use crate::quotes::{act, error_fields, id_of, sales_org};
use crate::sales_orders::today_in_china;

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("not money: {value}"))
}

fn instant(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().and_then(|v| v.parse().ok())
}

async fn get(session: &Session, path: &str) -> Value {
    let response = session.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    json_of(response).await
}

/// Every item of a list the session sees (one page is enough here).
async fn items(session: &Session, path: &str) -> Vec<Value> {
    let page = get(session, path).await;
    assert!(page["next_cursor"].is_null(), "{path}: one page is enough");
    page["items"].as_array().cloned().unwrap_or_default()
}

/// The start of a day in China time, as the lead list's `created_from` takes it.
fn day_start(day: NaiveDate) -> String {
    format!("{day}T00:00:00%2B08:00")
}

fn china_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

async fn lead(session: &Session, company: &str, source: &str, region: &str) -> String {
    let body = json!({"company_name": company, "contact_name": "王工", "source": source,
                      "mobile": "13800138000", "region": region, "industry": "机械制造"});
    id_of(&act(session, "/leads", &body, StatusCode::CREATED).await)
}

async fn qualify(session: &Session, lead: &str) {
    act(
        session,
        &format!("/leads/{lead}/qualify"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
}

/// Qualifies and converts; with `amount`, the conversion opens an opportunity. Returns the
/// customer and the opportunity.
async fn convert(
    session: &Session,
    lead: &str,
    amount: Option<&str>,
    existing_customer: Option<&str>,
) -> (String, Option<String>) {
    qualify(session, lead).await;
    let mut body = json!({});
    if let Some(amount) = amount {
        body["opportunity"] =
            json!({"name": "首单", "amount": amount, "expected_close_date": "2030-06-30"});
    }
    if let Some(customer) = existing_customer {
        body["existing_customer_id"] = json!(customer);
    }
    let converted = act(
        session,
        &format!("/leads/{lead}/convert"),
        &body,
        StatusCode::OK,
    )
    .await;
    (
        converted["customer_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        converted["opportunity_id"].as_str().map(str::to_owned),
    )
}

async fn opportunity(session: &Session, customer: &str, amount: &str) -> String {
    let body = json!({"name": "增购", "customer_id": customer, "amount": amount,
                      "expected_close_date": "2030-06-30"});
    id_of(&act(session, "/opportunities", &body, StatusCode::CREATED).await)
}

async fn stage(session: &Session, name: &str) -> String {
    let pipelines = get(session, "/pipelines").await;
    pipelines[0]["stages"]
        .as_array()
        .and_then(|stages| stages.iter().find(|s| s["name"] == name))
        .map(id_of)
        .unwrap_or_else(|| panic!("no stage {name}"))
}

async fn close(session: &Session, opportunity: &str, stage_id: &str, body: Value) {
    let mut body = body;
    body["stage_id"] = json!(stage_id);
    let response = session
        .post(&format!("/opportunities/{opportunity}/stage"), &body)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "close {opportunity}");
}

/// One source's figures as counted here.
#[derive(Debug, Default, PartialEq)]
struct SourceCount {
    leads: u64,
    qualified: u64,
    converted: u64,
    won_leads: u64,
    won_opportunities: u64,
    won_amount: Decimal,
}

/// Lead sources counted from the leads and opportunities the reader sees: a won opportunity
/// counts for the lead it names, or else for the latest lead converted into its customer
/// before it was created.
async fn count_sources(reader: &Session, today: NaiveDate) -> BTreeMap<String, SourceCount> {
    let leads = items(reader, "/leads?limit=200&pool=false").await;
    let mut opportunities = Vec::new();
    for summary in items(reader, "/opportunities?limit=200").await {
        opportunities.push(get(reader, &format!("/opportunities/{}", id_of(&summary))).await);
    }
    let converted_into = |customer: &Value, before: DateTime<Utc>| {
        leads
            .iter()
            .filter(|l| l["customer_id"] == *customer)
            .filter_map(|l| instant(&l["converted_at"]).map(|at| (at, id_of(l))))
            .filter(|(at, _)| *at <= before)
            .max()
            .map(|(_, id)| id)
    };
    let mut won_by_lead: HashMap<String, Vec<Decimal>> = HashMap::new();
    for o in opportunities.iter().filter(|o| o["stage_kind"] == "won") {
        let credited = match o["lead_id"].as_str() {
            Some(lead) => Some(lead.to_owned()),
            None => instant(&o["created_at"]).and_then(|at| converted_into(&o["customer_id"], at)),
        };
        if let Some(lead) = credited {
            won_by_lead
                .entry(lead)
                .or_default()
                .push(money(&o["amount"]));
        }
    }
    let mut counts: BTreeMap<String, SourceCount> = BTreeMap::new();
    for l in &leads {
        let created = instant(&l["created_at"]).map(china_day);
        if created != Some(today) {
            continue;
        }
        let source = l["source"].as_str().unwrap_or_default().to_owned();
        let count = counts.entry(source).or_default();
        count.leads += 1;
        count.qualified += u64::from(!l["qualified_at"].is_null() || !l["converted_at"].is_null());
        count.converted += u64::from(!l["converted_at"].is_null());
        if let Some(won) = won_by_lead.get(&id_of(l)) {
            count.won_leads += 1;
            count.won_opportunities += won.len() as u64;
            count.won_amount += won.iter().copied().sum::<Decimal>();
        }
    }
    counts
}

fn reported_sources(report: &Value) -> BTreeMap<String, SourceCount> {
    report["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|row| {
            let amounts = row["won_amounts"].as_array().cloned().unwrap_or_default();
            assert!(amounts.iter().all(|a| a["currency"] == "CNY"), "{row}");
            let count = SourceCount {
                leads: row["leads"].as_u64().unwrap_or_default(),
                qualified: row["qualified"].as_u64().unwrap_or_default(),
                converted: row["converted"].as_u64().unwrap_or_default(),
                won_leads: row["won_leads"].as_u64().unwrap_or_default(),
                won_opportunities: row["won_opportunities"].as_u64().unwrap_or_default(),
                won_amount: amounts.iter().map(|a| money(&a["amount"])).sum(),
            };
            (row["source"].as_str().unwrap_or_default().to_owned(), count)
        })
        .collect()
}

#[tokio::test]
async fn lead_sources_count_each_sources_leads_and_what_they_became_within_the_readers_scope() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    let legal = org
        .tenant
        .user(&app, "legal", "legal", org.tenant.head_office)
        .await;
    let today = today_in_china();
    let won = stage(&org.rep, "赢单").await;
    let lost = stage(&org.rep, "输单").await;

    // Exhibition: converted with a deal that was won, then a second deal on the customer, won
    // too; converted without a deal; qualified, then disqualified.
    let fair = lead(&org.rep, "苏州明达机械有限公司", "exhibition", "华东").await;
    let (fair_customer, fair_deal) = convert(&org.mgr, &fair, Some("100000"), None).await;
    let fair_deal = fair_deal.unwrap_or_default();
    close(&org.rep, &fair_deal, &won, json!({})).await;
    let repeat = opportunity(&org.rep, &fair_customer, "50000").await;
    close(&org.rep, &repeat, &won, json!({})).await;
    let plain = lead(&org.rep, "杭州恒润科技有限公司", "exhibition", "华东").await;
    convert(&org.mgr, &plain, None, None).await;
    let dropped = lead(&org.rep, "宁波远大模具厂", "exhibition", "华南").await;
    qualify(&org.mgr, &dropped).await;
    act(
        &org.mgr,
        &format!("/leads/{dropped}/disqualify"),
        &json!({"reason": "no_budget"}),
        StatusCode::OK,
    )
    .await;
    // Referral: one untouched, one whose deal was lost.
    lead(&org.rep, "无锡华光电子有限公司", "referral", "华东").await;
    let lost_lead = lead(&org.rep, "常州金坛精密有限公司", "referral", "华南").await;
    let (_, lost_deal) = convert(&org.mgr, &lost_lead, Some("70000"), None).await;
    close(
        &org.rep,
        &lost_deal.unwrap_or_default(),
        &lost,
        json!({"lost_reason": "price", "winning_competitor": "海天"}),
    )
    .await;
    // Campaign: a second lead of the exhibition's customer, converted into it; the deal
    // opened after that counts for the campaign, the earlier one stays with the exhibition.
    let again = lead(&org.rep, "苏州明达机械有限公司", "campaign", "华东").await;
    convert(&org.mgr, &again, None, Some(&fair_customer)).await;
    let later = opportunity(&org.rep, &fair_customer, "30000").await;
    close(&org.rep, &later, &won, json!({})).await;
    // The manager's own lead, and one of the west rep's (converted and won by the director).
    lead(&org.mgr, "上海申江自动化有限公司", "website", "华东").await;
    let far = lead(&west, "成都天府机械有限公司", "website", "西南").await;
    let (_, far_deal) = convert(&org.gm, &far, Some("80000"), None).await;
    close(&west, &far_deal.unwrap_or_default(), &won, json!({})).await;

    let period = format!("from={today}&to={today}");
    for reader in [&org.gm, &org.mgr, &org.rep, &west] {
        let report = get(reader, &format!("/reports/lead-sources?{period}")).await;
        let counted = count_sources(reader, today).await;
        assert_eq!(reported_sources(&report), counted);
        let total = &report["total"];
        let sum = |f: fn(&SourceCount) -> u64| counted.values().map(f).sum::<u64>();
        assert_eq!(total["leads"].as_u64(), Some(sum(|c| c.leads)));
        assert_eq!(
            total["won_opportunities"].as_u64(),
            Some(sum(|c| c.won_opportunities))
        );
        // Most leads first.
        let leads: Vec<u64> = report["rows"]
            .as_array()
            .map(|rows| rows.iter().filter_map(|r| r["leads"].as_u64()).collect())
            .unwrap_or_default();
        assert!(leads.windows(2).all(|w| w[0] >= w[1]), "{leads:?}");
    }

    // Spelled out for the manager: the tree's eight leads, not the west rep's.
    let report = get(&org.mgr, &format!("/reports/lead-sources?{period}")).await;
    let exhibition = &report["rows"][0];
    assert_eq!(exhibition["source"], "exhibition");
    assert_eq!(
        (
            exhibition["leads"].as_u64(),
            exhibition["qualified"].as_u64(),
            exhibition["converted"].as_u64(),
            exhibition["won_leads"].as_u64(),
            exhibition["won_opportunities"].as_u64(),
        ),
        (Some(3), Some(3), Some(2), Some(1), Some(2))
    );
    assert_eq!(
        money(&exhibition["won_amounts"][0]["amount"]),
        Decimal::from(150_000)
    );
    assert_eq!(exhibition["qualified_percent"], "100.0");
    assert_eq!(exhibition["converted_percent"], "66.7");
    assert_eq!(exhibition["qualified_won_percent"], "33.3");
    assert_eq!(exhibition["won_percent"], "33.3");
    assert_eq!(report["total"]["leads"], 7);
    assert_eq!(report["total"]["won_opportunities"], 3);
    assert_eq!(
        money(&report["total"]["won_amounts"][0]["amount"]),
        Decimal::from(180_000)
    );
    let rep = get(&org.rep, &format!("/reports/lead-sources?{period}")).await;
    assert_eq!(rep["total"]["leads"], 6, "the rep's own, not the manager's");
    let director = get(&org.gm, &format!("/reports/lead-sources?{period}")).await;
    assert_eq!(director["total"]["leads"], 8);
    assert_eq!(
        money(&director["total"]["won_amounts"][0]["amount"]),
        Decimal::from(260_000)
    );

    // Narrowed: by department, owner, the lead's region; each count opens the lead list (the
    // leads, those qualified once, converted, or with a won deal).
    let departments = items(&org.tenant.admin, "/departments").await;
    let east = departments
        .iter()
        .find(|d| d["name"] == "华东销售部")
        .map(id_of)
        .unwrap_or_default();
    let narrowed = [
        (format!("department_id={east}"), 7),
        (format!("owner_id={}", org.rep.user_id), 6),
        ("region=%E5%8D%8E%E5%8D%97".to_owned(), 2),
    ];
    let window = format!(
        "created_from={}&created_to={}",
        day_start(today),
        day_start(today + Duration::days(1))
    );
    for (filter, leads) in narrowed {
        let report = get(&org.gm, &format!("/reports/lead-sources?{period}&{filter}")).await;
        assert_eq!(report["total"]["leads"], leads, "{filter}");
        for row in report["rows"].as_array().cloned().unwrap_or_default() {
            for (got, count) in [
                ("", "leads"),
                ("&reached=qualified", "qualified"),
                ("&status=converted", "converted"),
                ("&reached=won", "won_leads"),
            ] {
                let listed = get(
                    &org.gm,
                    &format!(
                        "/leads?limit=200&pool=false&include_total=true&source={}&{window}&{filter}{got}",
                        row["source"].as_str().unwrap_or_default()
                    ),
                )
                .await;
                assert_eq!(listed["total"], row[count], "{filter}{got} {row}");
            }
        }
    }
    let response = org.gm.get("/leads?reached=lost").await;
    assert_eq!(error_fields(response).await, ["reached"]);
    // The lead export takes the same drill-down: the director's exhibition leads with a won
    // deal in the east department (a header line, then one per lead).
    let (_, csv) = download(
        &org.gm,
        &format!("/exports/leads?format=csv&pool=false&source=exhibition&{window}&department_id={east}&reached=won"),
        "zh-CN",
    )
    .await;
    assert_eq!(String::from_utf8_lossy(&csv).lines().count(), 2);

    // Bad input names the field; another tenant's department is unknown.
    for (query, field) in [
        (format!("from={today}&to=2020-01-01"), "from"),
        ("to=soon".to_owned(), "to"),
        (
            "department_id=0193a5d2-0000-7000-8000-000000000001".to_owned(),
            "department_id",
        ),
        ("owner=me".to_owned(), "owner"),
        ("from=2020-01-01&to=2026-01-01".to_owned(), "to"),
    ] {
        let response = org.gm.get(&format!("/reports/lead-sources?{query}")).await;
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{query}"
        );
        assert_eq!(error_fields(response).await, [field], "{query}");
    }
    let response = legal.get("/reports/lead-sources").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no lead.read");
}

/// Monday of the week.
fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

async fn follow_up(session: &Session, customer: &str, kind: &str, at: DateTime<Utc>) {
    let body = json!({"kind": kind, "subject": "回访", "customer_id": customer,
                      "occurred_at": at.to_rfc3339()});
    act(session, "/activities", &body, StatusCode::CREATED).await;
}

/// Follow-ups in the period counted from the timelines of the customers the reader sees:
/// per (week's Monday, recorder) and per kind, only those whose recorder is among `reps`.
async fn count_follow_ups(
    reader: &Session,
    from: NaiveDate,
    to: NaiveDate,
    reps: &[uuid::Uuid],
) -> (BTreeMap<(NaiveDate, String), u64>, BTreeMap<String, u64>) {
    let mut by_week = BTreeMap::new();
    let mut by_kind = BTreeMap::new();
    for customer in items(reader, "/customers?limit=200").await {
        let path = format!("/activities?limit=200&customer_id={}", id_of(&customer));
        for activity in items(reader, &path).await {
            let Some(day) = instant(&activity["occurred_at"]).map(china_day) else {
                continue;
            };
            let by = activity["created_by"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if day < from || day > to || !reps.iter().any(|r| r.to_string() == by) {
                continue;
            }
            *by_week.entry((monday(day), by)).or_insert(0) += 1;
            let kind = activity["kind"].as_str().unwrap_or_default().to_owned();
            *by_kind.entry(kind).or_insert(0) += 1;
        }
    }
    (by_week, by_kind)
}

#[tokio::test]
async fn activity_counts_follow_ups_per_rep_and_week_and_lists_idle_customers_longest_first() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let west = org.outsider(&app).await;
    let now = Utc::now();
    let days_ago = |days: i64| now - Duration::days(days);
    let customer = |session: &Session, name: &'static str| {
        let session = session.clone();
        async move {
            id_of(
                &act(
                    &session,
                    "/customers",
                    &json!({"name": name}),
                    StatusCode::CREATED,
                )
                .await,
            )
        }
    };
    // The rep's customers: followed up 40, 35 and 10 days ago, and never (created today).
    let old = customer(&org.rep, "苏州老客户机械有限公司").await;
    let older = customer(&org.rep, "苏州更老客户机械有限公司").await;
    let recent = customer(&org.rep, "杭州近期客户有限公司").await;
    customer(&org.rep, "南京新客户有限公司").await;
    follow_up(&org.rep, &older, "visit", days_ago(40)).await;
    follow_up(&org.rep, &old, "call", days_ago(35)).await;
    for (days, kind) in [(10, "call"), (9, "wechat"), (3, "visit"), (1, "call")] {
        follow_up(&org.rep, &recent, kind, days_ago(days)).await;
    }
    // The manager follows up the rep's customer; the west rep their own, idle for 50 days.
    follow_up(&org.mgr, &recent, "meeting", days_ago(2)).await;
    let far = customer(&west, "成都天府机械有限公司").await;
    follow_up(&west, &far, "call", days_ago(50)).await;
    follow_up(&west, &far, "call", days_ago(4)).await;
    let stale = customer(&west, "重庆山城机械有限公司").await;
    follow_up(&west, &stale, "visit", days_ago(50)).await;

    let to = today_in_china();
    let from = to - Duration::days(41);
    let period = format!("from={from}&to={to}");
    let (gm, mgr, rep, west_id) = (
        org.gm.user_id,
        org.mgr.user_id,
        org.rep.user_id,
        west.user_id,
    );
    for (reader, reps, idle) in [
        (&org.gm, vec![gm, mgr, rep, west_id], 3),
        (&org.mgr, vec![mgr, rep], 2),
        (&org.rep, vec![rep], 2),
        (&west, vec![west_id], 1),
    ] {
        let report = get(reader, &format!("/reports/activity?{period}")).await;
        let (by_week, by_kind) = count_follow_ups(reader, from, to, &reps).await;
        let weeks: Vec<Value> = report["weeks"].as_array().cloned().unwrap_or_default();
        // Every week the period touches, Monday first, labelled by ISO week.
        let mondays: Vec<NaiveDate> = weeks
            .iter()
            .filter_map(|w| w["starts_on"].as_str().and_then(|d| d.parse().ok()))
            .collect();
        let mut expected = vec![monday(from)];
        while let Some(next) = expected.last().map(|d| *d + Duration::days(7)) {
            if next > to {
                break;
            }
            expected.push(next);
        }
        assert_eq!(mondays, expected);
        for (week, monday) in weeks.iter().zip(&mondays) {
            let iso = monday.iso_week();
            assert_eq!(week["week"], format!("{}-W{:02}", iso.year(), iso.week()));
            let counted: u64 = by_week
                .iter()
                .filter(|((m, _), _)| m == monday)
                .map(|(_, n)| n)
                .sum();
            assert_eq!(week["count"].as_u64(), Some(counted), "{monday}");
        }
        let mut reported = BTreeMap::new();
        for r in report["reps"].as_array().cloned().unwrap_or_default() {
            let counts: Vec<u64> = r["weeks"]
                .as_array()
                .map(|c| c.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default();
            assert_eq!(r["total"].as_u64(), Some(counts.iter().sum()));
            for (count, monday) in counts.iter().zip(&mondays) {
                if *count > 0 {
                    let by = r["user_id"].as_str().unwrap_or_default().to_owned();
                    reported.insert((*monday, by), *count);
                }
            }
        }
        assert_eq!(reported, by_week);
        let kinds: BTreeMap<String, u64> = report["kinds"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|k| {
                (
                    k["kind"].as_str().unwrap_or_default().to_owned(),
                    k["count"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(kinds, by_kind);
        assert_eq!(report["total"].as_u64(), Some(by_kind.values().sum()));

        // Idle: counted again from the customers the reader sees.
        let mut idle_seen: Vec<(DateTime<Utc>, String)> = items(reader, "/customers?limit=200")
            .await
            .iter()
            .filter(|c| !c["owner_id"].is_null())
            .filter_map(|c| {
                let since =
                    instant(&c["last_activity_at"]).or_else(|| instant(&c["created_at"]))?;
                (since < days_ago(30)).then(|| (since, id_of(c)))
            })
            .collect();
        idle_seen.sort();
        let listed: Vec<String> = report["idle"]["customers"]
            .as_array()
            .map(|c| c.iter().map(id_of).collect())
            .unwrap_or_default();
        let ids: Vec<String> = idle_seen.into_iter().map(|(_, id)| id).collect();
        assert_eq!(listed, ids);
        assert_eq!(report["idle"]["count"], idle);
        assert_eq!(report["idle"]["idle_days"], 30);
        // The count opens the customer list narrowed the same way, and its export holds
        // the same customers (a header line, then one per customer).
        let drill = get(reader, "/customers?idle_days=30&include_total=true").await;
        assert_eq!(drill["total"], idle);
        let (_, csv) = download(
            reader,
            "/exports/customers?idle_days=30&format=csv",
            "zh-CN",
        )
        .await;
        let lines = String::from_utf8_lossy(&csv).lines().count();
        assert_eq!(Some(lines as u64 - 1), drill["total"].as_u64());
    }

    // Spelled out for the rep: six follow-ups of theirs; the longest idle first, with its
    // owner and last follow-up.
    let report = get(&org.rep, &format!("/reports/activity?{period}")).await;
    assert_eq!(report["total"], 6);
    assert_eq!(report["reps"][0]["name"], "孙销售");
    let first = &report["idle"]["customers"][0];
    assert_eq!(first["id"], older.as_str());
    assert_eq!(first["owner_name"], "孙销售");
    assert_eq!(first["idle_days"], 40);
    // Eight days: still the two, the recent one was followed up yesterday.
    let eight = get(&org.rep, &format!("/reports/activity?{period}&idle_days=8")).await;
    assert_eq!(eight["idle"]["count"], 2);
    let week = get(
        &org.gm,
        &format!("/reports/activity?{period}&owner_id={}", org.rep.user_id),
    )
    .await;
    assert_eq!(week["total"], 6);
    assert_eq!(week["idle"]["count"], 2);

    for (query, fields) in [
        ("idle_days=0".to_owned(), vec!["idle_days"]),
        ("idle_days=3651".to_owned(), vec!["idle_days"]),
        ("idle_days=many".to_owned(), vec!["idle_days"]),
        (
            format!("from={to}&to={from}&idle_days=0"),
            vec!["from", "idle_days"],
        ),
    ] {
        let response = org.gm.get(&format!("/reports/activity?{query}")).await;
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{query}"
        );
        assert_eq!(error_fields(response).await, fields, "{query}");
    }
    let response = org.gm.get("/customers?idle_days=0").await;
    assert_eq!(error_fields(response).await, ["idle_days"]);
}
