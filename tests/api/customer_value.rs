//! The customer value report (客户价值分析): revenue per customer ranked into ABC classes,
//! new against repeat customers, dormant customers. Every figure is counted again here from
//! the sales orders the same reader sees in the order list.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::api_keys::with_key;
use crate::helpers::{Session, json_of, spawn_app};
use crate::order_reports::confirmed_order;
use crate::quotes::{SalesOrg, act, error_fields, id_of, sales_org};
use crate::sales_orders::{line_id, today_in_china};

const ORDERED: [&str; 4] = ["confirmed", "partially_shipped", "shipped", "completed"];

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("not money: {value}"))
}

fn percent_or_null(value: &Value) -> Option<Decimal> {
    value.as_str().map(|_| money(value))
}

async fn get(session: &Session, path: &str) -> Value {
    let response = session.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    json_of(response).await
}

async fn customer(session: &Session, name: &str) -> String {
    let response = session.post("/customers", &json!({"name": name})).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{name}");
    id_of(&json_of(response).await)
}

/// A confirmed order of one free-text line: `quantity` × `price` (VAT included).
async fn order(
    session: &Session,
    customer: &str,
    date: NaiveDate,
    currency: &str,
    quantity: u32,
    price: u32,
) -> Value {
    confirmed_order(
        session,
        &json!({"customer_id": customer, "order_date": date, "currency": currency,
                "lines": [{"name": "数控加工中心", "quantity": quantity.to_string(),
                           "unit_price": price.to_string()}]}),
    )
    .await
}

/// One order as the order list shows it to a reader.
#[derive(Debug, Clone)]
struct Seen {
    customer: String,
    currency: String,
    date: NaiveDate,
    net: Decimal,
}

/// The orders the reader sees that count as ordered (confirmed or further), net of what was
/// cancelled.
async fn orders_seen(session: &Session) -> Vec<Seen> {
    let page = get(session, "/sales-orders?limit=200").await;
    assert!(page["next_cursor"].is_null(), "one page holds them all");
    page["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|o| ORDERED.contains(&o["status"].as_str().unwrap_or_default()))
        .map(|o| Seen {
            customer: o["customer_id"].as_str().unwrap_or_default().to_owned(),
            currency: o["currency"].as_str().unwrap_or_default().to_owned(),
            date: o["order_date"]
                .as_str()
                .and_then(|d| d.parse().ok())
                .unwrap_or_default(),
            net: money(&o["total"]) - money(&o["cancelled_amount"]),
        })
        .collect()
}

/// `part ÷ whole` in percent to one decimal, as the reports write it.
fn share(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (whole > Decimal::ZERO).then(|| {
        let mut p = (part * Decimal::ONE_HUNDRED / whole).round_dp(1);
        p.rescale(1);
        p
    })
}

/// The report as counted here from the orders a reader sees.
#[derive(Debug)]
struct Expected {
    /// (customer, revenue, orders), largest first (then by id).
    ranked: Vec<(String, Decimal, u64)>,
    total: Decimal,
    classes: Vec<char>,
    top_fifth: (u64, Decimal),
    new: (u64, Decimal),
    repeat: (u64, Decimal),
    /// (customer, last order, lifetime in the currency), longest dormant first.
    dormant: Vec<(String, NaiveDate, Decimal)>,
}

fn expected(
    orders: &[Seen],
    (first, last): (NaiveDate, NaiveDate),
    currency: &str,
    today: NaiveDate,
    dormant_days: i64,
) -> Expected {
    let mut revenue: BTreeMap<String, (Decimal, u64)> = BTreeMap::new();
    for o in orders {
        if o.currency == currency && o.date >= first && o.date <= last {
            let entry = revenue.entry(o.customer.clone()).or_default();
            entry.0 += o.net;
            entry.1 += 1;
        }
    }
    let mut ranked: Vec<(String, Decimal, u64)> = revenue
        .into_iter()
        .map(|(customer, (amount, count))| (customer, amount, count))
        .collect();
    // UUIDs as lowercase text sort as their bytes do.
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: Decimal = ranked.iter().map(|r| r.1).sum();
    let mut before = Decimal::ZERO;
    let mut classes = Vec::new();
    for (_, amount, _) in &ranked {
        classes.push(if before * Decimal::from(100) < total * Decimal::from(80) {
            'a'
        } else if before * Decimal::from(100) < total * Decimal::from(95) {
            'b'
        } else {
            'c'
        });
        before += amount;
    }
    let fifth = ranked.len().div_ceil(5);
    let top_fifth = (
        fifth as u64,
        ranked.iter().take(fifth).map(|r| r.1).sum::<Decimal>(),
    );
    let (mut new, mut repeat) = ((0, Decimal::ZERO), (0, Decimal::ZERO));
    for (customer, amount, _) in &ranked {
        let earlier = orders
            .iter()
            .any(|o| &o.customer == customer && o.date < first);
        let cohort = if earlier { &mut repeat } else { &mut new };
        cohort.0 += 1;
        cohort.1 += amount;
    }
    let mut last_orders: BTreeMap<String, (NaiveDate, Decimal)> = BTreeMap::new();
    for o in orders {
        let entry = last_orders
            .entry(o.customer.clone())
            .or_insert((o.date, Decimal::ZERO));
        entry.0 = entry.0.max(o.date);
        if o.currency == currency {
            entry.1 += o.net;
        }
    }
    let cutoff = today - Duration::days(dormant_days);
    let mut dormant: Vec<(String, NaiveDate, Decimal)> = last_orders
        .into_iter()
        .filter(|(_, (date, _))| *date <= cutoff)
        .map(|(customer, (date, lifetime))| (customer, date, lifetime))
        .collect();
    dormant.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Expected {
        ranked,
        total,
        classes,
        top_fifth,
        new,
        repeat,
        dormant,
    }
}

/// Checks every figure of `report` against what was counted here.
fn check(report: &Value, e: &Expected, who: &str) {
    let n = e.ranked.len() as u64;
    assert_eq!(report["customers"], n, "{who}: {report}");
    assert_eq!(money(&report["revenue"]), e.total, "{who}");
    let top = report["top"].as_array().cloned().unwrap_or_default();
    assert_eq!(top.len(), e.ranked.len().min(20), "{who}: {report}");
    let mut running = Decimal::ZERO;
    for (i, row) in top.iter().enumerate() {
        let (customer, amount, orders) = &e.ranked[i];
        running += amount;
        assert_eq!(row["rank"], i + 1, "{who}: {row}");
        assert_eq!(row["customer_id"], customer.as_str(), "{who}: {row}");
        assert_eq!(money(&row["revenue"]), *amount, "{who}: {row}");
        assert_eq!(row["orders"], *orders, "{who}: {row}");
        assert_eq!(
            percent_or_null(&row["revenue_percent"]),
            share(*amount, e.total)
        );
        assert_eq!(
            percent_or_null(&row["cumulative_percent"]),
            share(running, e.total),
            "{who}: {row}"
        );
        assert_eq!(
            row["class"],
            e.classes[i].to_string(),
            "{who}: rank {}",
            i + 1
        );
        assert!(row["name"].as_str().is_some_and(|s| !s.is_empty()), "{row}");
    }
    let classes = report["classes"].as_array().cloned().unwrap_or_default();
    assert_eq!(classes.len(), 3, "{report}");
    for (class, row) in ['a', 'b', 'c'].iter().zip(&classes) {
        assert_eq!(row["class"], class.to_string());
        let members: Vec<usize> = (0..e.ranked.len())
            .filter(|i| e.classes[*i] == *class)
            .collect();
        let amount: Decimal = members.iter().map(|i| e.ranked[*i].1).sum();
        assert_eq!(row["customers"], members.len(), "{who}: {row}");
        assert_eq!(money(&row["revenue"]), amount, "{who}: {row}");
        assert_eq!(
            percent_or_null(&row["revenue_percent"]),
            share(amount, e.total)
        );
        assert_eq!(
            percent_or_null(&row["customers_percent"]),
            share(Decimal::from(members.len()), Decimal::from(n)),
            "{who}: {row}"
        );
    }
    assert_eq!(report["top_fifth_customers"], e.top_fifth.0, "{who}");
    assert_eq!(
        percent_or_null(&report["top_fifth_revenue_percent"]),
        share(e.top_fifth.1, e.total),
        "{who}"
    );
    for (field, (count, amount)) in [("new_customers", e.new), ("repeat_customers", e.repeat)] {
        let cohort = &report[field];
        assert_eq!(cohort["customers"], count, "{who}: {field} {cohort}");
        assert_eq!(money(&cohort["revenue"]), amount, "{who}: {field}");
        assert_eq!(
            percent_or_null(&cohort["revenue_percent"]),
            share(amount, e.total)
        );
    }
    let dormant = &report["dormant"];
    assert_eq!(dormant["count"], e.dormant.len(), "{who}: {dormant}");
    let listed = dormant["customers"].as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), e.dormant.len(), "{who}: {dormant}");
    for (row, (customer, last, lifetime)) in listed.iter().zip(&e.dormant) {
        assert_eq!(row["customer_id"], customer.as_str(), "{who}: {row}");
        assert_eq!(row["last_order_date"], last.to_string(), "{who}: {row}");
        assert_eq!(money(&row["lifetime_revenue"]), *lifetime, "{who}: {row}");
    }
}

/// The data set: customers of the rep's (华东) with orders in the period and a year before,
/// one order cancelled whole and one cancelled after half of it shipped, one in USD; an order
/// the manager owns; and the west rep's customers, which only the director sees.
struct Book {
    org: SalesOrg,
    west: Session,
    customers: HashMap<&'static str, String>,
    /// The period's first and last day, as the query string names its months.
    period: (NaiveDate, NaiveDate),
    query: String,
    today: NaiveDate,
}

async fn book(app: &crate::helpers::TestApp) -> Book {
    let org = sales_org(app, "acme").await;
    let west = org.outsider(app).await;
    let today = today_in_china();
    let this_month = today.with_day(1).unwrap_or(today);
    let first = this_month - chrono::Months::new(5);
    let in_period = this_month - chrono::Months::new(2) + Duration::days(9);
    let old = today - Duration::days(400);
    let (rep, mgr) = (&org.rep, &org.mgr);

    let mut customers = HashMap::new();
    customers.insert("suzhou", org.customer.clone());
    for (key, name) in [
        ("wuxi", "无锡华光机床有限公司"),
        ("changzhou", "常州恒通精密机械"),
        ("nanjing", "南京远大重工"),
        ("hangzhou", "杭州新锐自动化"),
        ("taicang", "太仓德力五金"),
    ] {
        customers.insert(key, customer(rep, name).await);
    }
    for (key, name) in [("chengdu", "成都天府机械"), ("chongqing", "重庆长江机电")] {
        customers.insert(key, customer(&west, name).await);
    }
    let c = |key: &str| customers[key].clone();

    // 苏州: a repeat customer (ordered a year before the period).
    order(rep, &c("suzhou"), old, "CNY", 1, 100_000).await;
    order(rep, &c("suzhou"), today, "CNY", 1, 500_000).await;
    order(rep, &c("suzhou"), in_period, "CNY", 3, 100_000).await;
    // 无锡: new; one order of the rep's and one of the manager's.
    order(rep, &c("wuxi"), in_period, "CNY", 2, 100_000).await;
    order(mgr, &c("wuxi"), today, "CNY", 1, 150_000).await;
    // 常州: new; one order cancelled whole, one cancelled after half of it shipped.
    order(rep, &c("changzhou"), today, "CNY", 1, 100_000).await;
    let cancelled = order(rep, &c("changzhou"), today, "CNY", 4, 100_000).await;
    act(
        rep,
        &format!("/sales-orders/{}/cancel", id_of(&cancelled)),
        &json!({"reason": "客户取消"}),
        StatusCode::OK,
    )
    .await;
    let halved = order(rep, &c("changzhou"), in_period, "CNY", 2, 50_000).await;
    act(
        rep,
        &format!("/sales-orders/{}/shipments", id_of(&halved)),
        &json!({"shipped_on": today, "lines": [{"line_id": line_id(&halved, 0), "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    let halved = act(
        rep,
        &format!("/sales-orders/{}/cancel", id_of(&halved)),
        &json!({"reason": "余量取消"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(money(&halved["cancelled_amount"]), Decimal::from(50_000));
    // 南京: ordered in CNY long ago and in USD in the period: not dormant, absent in CNY.
    order(rep, &c("nanjing"), old, "CNY", 1, 80_000).await;
    order(rep, &c("nanjing"), today, "USD", 1, 10_000).await;
    // 杭州: dormant.
    order(rep, &c("hangzhou"), old, "CNY", 1, 60_000).await;
    // 太仓: a small new customer (class C for the director).
    order(rep, &c("taicang"), in_period, "CNY", 1, 20_000).await;
    // The west rep's: 成都 new and large, 重庆 dormant.
    order(&west, &c("chengdu"), in_period, "CNY", 1, 700_000).await;
    order(&west, &c("chongqing"), old, "CNY", 1, 90_000).await;

    let last = (this_month + chrono::Months::new(1)) - Duration::days(1);
    let query = format!(
        "from={}&to={}",
        first.format("%Y-%m"),
        this_month.format("%Y-%m")
    );
    Book {
        org,
        west,
        customers,
        period: (first, last),
        query,
        today,
    }
}

#[tokio::test]
async fn customer_value_ranks_splits_and_finds_dormant_customers_as_the_orders_add_up() {
    let app = spawn_app().await;
    let b = book(&app).await;
    let (org, c) = (&b.org, |key: &str| b.customers[key].clone());

    for (who, reader) in [
        ("director", &org.gm),
        ("manager", &org.mgr),
        ("rep", &org.rep),
    ] {
        let orders = orders_seen(reader).await;
        for currency in ["CNY", "USD"] {
            let report = get(
                reader,
                &format!("/reports/customer-value?{}&currency={currency}", b.query),
            )
            .await;
            assert_eq!(report["currency"], currency);
            let e = expected(&orders, b.period, currency, b.today, 180);
            check(&report, &e, &format!("{who} {currency}"));
        }
        // A customer's revenue opens their orders of the period.
        let report = get(reader, &format!("/reports/customer-value?{}", b.query)).await;
        for row in report["top"].as_array().cloned().unwrap_or_default() {
            let listed = get(
                reader,
                &format!(
                    "/sales-orders?customer_id={}&order_date_from={}&order_date_to={}&limit=200",
                    row["customer_id"].as_str().unwrap_or_default(),
                    b.period.0,
                    b.period.1
                ),
            )
            .await;
            let counted: Vec<Value> = listed["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|o| {
                    ORDERED.contains(&o["status"].as_str().unwrap_or_default())
                        && o["currency"] == "CNY"
                })
                .collect();
            assert_eq!(row["orders"], counted.len(), "{who}: {row}");
            let sum: Decimal = counted
                .iter()
                .map(|o| money(&o["total"]) - money(&o["cancelled_amount"]))
                .sum();
            assert_eq!(money(&row["revenue"]), sum, "{who}: {row}");
        }
    }

    // The director's figures, by hand: 苏州 800,000 · 成都 700,000 · 无锡 350,000 (crossing
    // 80 %: A) · 常州 150,000 (B) · 太仓 20,000 (C), of 2,020,000.
    let director = get(&org.gm, &format!("/reports/customer-value?{}", b.query)).await;
    let ids: Vec<&str> = director["top"]
        .as_array()
        .map(|t| t.iter().filter_map(|r| r["customer_id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        ["suzhou", "chengdu", "wuxi", "changzhou", "taicang"].map(|k| b.customers[k].as_str())
    );
    let classes: Vec<&str> = director["top"]
        .as_array()
        .map(|t| t.iter().filter_map(|r| r["class"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(classes, ["a", "a", "a", "b", "c"]);
    assert_eq!(director["revenue"], "2020000.00");
    assert_eq!(director["top_fifth_customers"], 1);
    assert_eq!(director["top_fifth_revenue_percent"], "39.6");
    assert_eq!(
        director["repeat_customers"],
        json!({"customers": 1, "revenue": "800000.00", "revenue_percent": "39.6"})
    );
    assert_eq!(director["new_customers"]["customers"], 4);
    let dormant: BTreeSet<&str> = director["dormant"]["customers"]
        .as_array()
        .map(|d| d.iter().filter_map(|r| r["customer_id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        dormant,
        BTreeSet::from([
            b.customers["hangzhou"].as_str(),
            b.customers["chongqing"].as_str()
        ])
    );
    let hangzhou = director["dormant"]["customers"]
        .as_array()
        .and_then(|d| {
            d.iter()
                .find(|r| r["customer_id"] == c("hangzhou").as_str())
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(hangzhou["days_since"], 400);
    assert_eq!(hangzhou["owner_id"], org.rep.user_id.to_string());
    assert_eq!(hangzhou["owner_name"], "孙销售");
    assert_eq!(hangzhou["lifetime_revenue"], "60000.00");
    assert_eq!(
        director["dormant"]["last_order_by"],
        (b.today - Duration::days(180)).to_string()
    );

    // Dormancy counts whole days: a last order 400 days ago is dormant at 400, not at 401;
    // at one day, every customer who did not order today is.
    let orders = orders_seen(&org.gm).await;
    for (days, count) in [(400, Some(2)), (401, Some(0)), (1, None)] {
        let report = get(
            &org.gm,
            &format!("/reports/customer-value?{}&dormant_days={days}", b.query),
        )
        .await;
        let e = expected(&orders, b.period, "CNY", b.today, days);
        if let Some(count) = count {
            assert_eq!(report["dormant"]["count"], count, "{days}");
        }
        check(&report, &e, &format!("dormant_days={days}"));
    }
    assert_eq!(
        expected(&orders, b.period, "CNY", b.today, 1).dormant.len(),
        4,
        "杭州, 太仓, 成都, 重庆"
    );
}

#[tokio::test]
async fn a_manager_counts_their_tree_a_rep_their_own_and_the_narrowing_applies() {
    let app = spawn_app().await;
    let b = book(&app).await;
    let org = &b.org;
    let path = |extra: &str| format!("/reports/customer-value?{}{extra}", b.query);
    let director = get(&org.gm, &path("")).await;
    let manager = get(&org.mgr, &path("")).await;
    let rep = get(&org.rep, &path("")).await;
    let customers = |report: &Value| -> BTreeSet<String> {
        report["top"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter_map(|r| r["customer_id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    // The west rep's customers only in the director's; the manager's order not in the rep's.
    assert!(customers(&director).contains(&b.customers["chengdu"]));
    assert!(!customers(&manager).contains(&b.customers["chengdu"]));
    assert_eq!(money(&manager["revenue"]), Decimal::from(1_320_000));
    assert_eq!(money(&rep["revenue"]), Decimal::from(1_170_000));
    assert_eq!(manager["dormant"]["count"], 1);
    // The manager narrowed to the west rep sees nothing; the director does.
    let west = format!("&owner_id={}", b.west.user_id);
    let outside = get(&org.mgr, &path(&west)).await;
    assert_eq!(outside["customers"], 0);
    assert_eq!(outside["revenue"], "0.00");
    assert!(outside["top_fifth_revenue_percent"].is_null());
    assert_eq!(outside["dormant"]["count"], 0);
    let theirs = get(&org.gm, &path(&west)).await;
    assert_eq!(theirs["revenue"], "700000.00");
    assert_eq!(theirs["dormant"]["count"], 1);
    // Narrowed to the rep's own orders, the director's report is the rep's.
    let reps = get(&org.gm, &path(&format!("&owner_id={}", org.rep.user_id))).await;
    assert_eq!(reps["revenue"], rep["revenue"]);
    assert_eq!(reps["classes"], rep["classes"]);
    // By department: 华东 (with the manager's order) and by region (none set).
    let departments = get(&org.tenant.admin, "/departments").await;
    let east = departments["items"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["name"] == "华东销售部"))
        .map(id_of)
        .unwrap_or_default();
    let by_department = get(&org.gm, &path(&format!("&department_id={east}"))).await;
    assert_eq!(by_department["revenue"], manager["revenue"]);
    let by_region = get(&org.gm, &path("&region=西北")).await;
    assert_eq!(by_region["customers"], 0);
    // Another tenant sees none of it; a key without orders may not read it.
    let other = app.tenant("globex").await;
    let theirs = get(&other.admin, &path("")).await;
    assert_eq!(theirs["customers"], 0);
    assert_eq!(theirs["dormant"]["count"], 0);
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
    let response = customers_only.get(&path("")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_input_is_a_problem_naming_the_field() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let today = today_in_china();
    let default = get(&org.rep, "/reports/customer-value").await;
    assert_eq!(default["to"], today.format("%Y-%m").to_string());
    let from = today.with_day(1).unwrap_or(today) - chrono::Months::new(11);
    assert_eq!(default["from"], from.format("%Y-%m").to_string());
    assert_eq!(default["currency"], "CNY");
    assert_eq!(default["dormant"]["dormant_days"], 180);
    assert_eq!(default["classes"].as_array().map(Vec::len), Some(3));
    for (query, field) in [
        ("from=2026-13", "from"),
        ("from=2026-02&to=2026-01", "from"),
        ("from=2020-01&to=2026-01", "to"),
        ("currency=12", "currency"),
        ("dormant_days=0", "dormant_days"),
        ("dormant_days=1096", "dormant_days"),
        ("dormant_days=abc", "dormant_days"),
        ("dormant_days=-5", "dormant_days"),
        (
            "department_id=00000000-0000-0000-0000-000000000000",
            "department_id",
        ),
        ("owner_id=nobody", "owner_id"),
        ("group_by=customer", "group_by"),
    ] {
        let response = org
            .gm
            .get(&format!("/reports/customer-value?{query}"))
            .await;
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(content_type, "application/problem+json", "{query}");
        assert_eq!(error_fields(response).await, [field], "{query}");
    }
}
