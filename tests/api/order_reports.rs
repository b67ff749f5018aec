//! Reports over orders and receivables: collections, DSO, orders by month, product and
//! customer, on-time delivery. Each figure checked against the orders, instalments and
//! payments the API shows the same reader.

use std::collections::HashMap;

use chrono::{Datelike, Duration, Months, NaiveDate};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::quotes::{SalesOrg, act, error_fields, id_of, sales_org};
use crate::sales_orders::{line_id, today_in_china};

pub(crate) fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("not money: {value}"))
}

pub(crate) async fn get(session: &Session, path: &str) -> Value {
    let response = session.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    json_of(response).await
}

/// An order created from `body` and submitted: confirmed at once (no approval policy).
pub(crate) async fn confirmed_order(session: &Session, body: &Value) -> Value {
    let order = act(session, "/sales-orders", body, StatusCode::CREATED).await;
    let order = act(
        session,
        &format!("/sales-orders/{}/submit", id_of(&order)),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(order["status"], "confirmed", "{order}");
    order
}

/// A confirmed order of `quantity` machines, each line promised for `promised`.
async fn order(
    session: &Session,
    customer: &str,
    product: &str,
    quantity: &str,
    promised: &str,
) -> Value {
    confirmed_order(
        session,
        &json!({"customer_id": customer, "promised_date": promised,
                "lines": [{"product_id": product, "quantity": quantity}]}),
    )
    .await
}

/// Every order the session sees, in full.
pub(crate) async fn orders_seen(session: &Session) -> Vec<Value> {
    let page = get(session, "/sales-orders?limit=200").await;
    let mut orders = Vec::new();
    for item in page["items"].as_array().cloned().unwrap_or_default() {
        orders.push(get(session, &format!("/sales-orders/{}", id_of(&item))).await);
    }
    orders
}

pub(crate) async fn scenario(app: &crate::helpers::TestApp) -> (SalesOrg, Session, Session) {
    let org = sales_org(app, "acme").await;
    let west = org.outsider(app).await;
    let finance = org
        .tenant
        .user(app, "finance", "finance", org.tenant.head_office)
        .await;
    let today = today_in_china();
    let promised = (today - Duration::days(3)).to_string();
    let big = order(&org.rep, &org.customer, &org.product, "2", &promised).await;
    let small = order(
        &org.rep,
        &org.customer,
        &org.product,
        "1",
        &today.to_string(),
    )
    .await;
    let west_customer = id_of(
        &json_of(
            west.post("/customers", &json!({"name": "成都天府机械"}))
                .await,
        )
        .await,
    );
    order(&west, &west_customer, &org.product, "3", &promised).await;
    // One machine left before its promise, one after; the small order's on the day.
    let line = line_id(&big, 0);
    for (shipped_on, quantity) in [(today - Duration::days(5), "1"), (today, "1")] {
        act(
            &org.rep,
            &format!("/sales-orders/{}/shipments", id_of(&big)),
            &json!({"shipped_on": shipped_on, "lines": [{"line_id": line, "quantity": quantity}]}),
            StatusCode::CREATED,
        )
        .await;
    }
    act(
        &org.rep,
        &format!("/sales-orders/{}/shipments", id_of(&small)),
        &json!({"lines": [{"line_id": line_id(&small, 0), "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    act(
        &finance,
        "/payments",
        &json!({"customer_id": org.customer, "amount": "100000", "method": "bank_transfer",
                "sales_order_id": id_of(&big)}),
        StatusCode::CREATED,
    )
    .await;
    (org, west, finance)
}

/// The reader's collections up to the month `to`, checked against their orders counted
/// again: what fell due and was paid per month (from every visible order's instalments),
/// what came in this month (every payment of the test is received today), what is
/// outstanding and what was ordered.
async fn collections_add_up(reader: &Session, to: &str) -> Value {
    let report = get(reader, &format!("/reports/collections?to={to}")).await;
    let today = today_in_china();
    let this_month = format!("{:04}-{:02}", today.year(), today.month());
    let mut due: HashMap<String, (Decimal, Decimal)> = HashMap::new();
    let (mut outstanding, mut ordered, mut received) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for order in orders_seen(reader).await {
        ordered += money(&order["total"]) - money(&order["cancelled_amount"]);
        received += money(&order["received_amount"]);
        for instalment in order["instalments"].as_array().cloned().unwrap_or_default() {
            outstanding += money(&instalment["outstanding"]);
            if let Some(date) = instalment["due_date"].as_str() {
                let entry = due.entry(date[..7].to_owned()).or_default();
                entry.0 += money(&instalment["amount"]);
                entry.1 += money(&instalment["paid_amount"]);
            }
        }
    }
    let months = report["months"].as_array().cloned().unwrap_or_default();
    for m in &months {
        let (amount, paid) = due
            .get(m["month"].as_str().unwrap_or_default())
            .copied()
            .unwrap_or_default();
        assert_eq!(
            (money(&m["due"]), money(&m["collected"])),
            (amount, paid),
            "{m}"
        );
    }
    let current = months
        .iter()
        .find(|m| m["month"] == this_month.as_str())
        .unwrap_or_else(|| panic!("no {this_month}"));
    assert_eq!(money(&current["received"]), received, "received");
    assert_eq!(money(&report["dso"]["outstanding"]), outstanding);
    assert_eq!(money(&report["dso"]["ordered"]), ordered);
    report
}

#[tokio::test]
async fn collections_and_dso_add_up_the_instalments_and_payments_each_reader_sees() {
    let app = spawn_app().await;
    let (org, west, finance) = scenario(&app).await;
    let today = today_in_china();
    let this_month = format!("{:04}-{:02}", today.year(), today.month());
    // The default plan falls due a month after the order: the report runs two months ahead.
    let ahead = today + Duration::days(62);
    let to = format!("{:04}-{:02}", ahead.year(), ahead.month());

    for reader in [&org.mgr, &finance] {
        let report = collections_add_up(reader, &to).await;
        let months = report["months"].as_array().cloned().unwrap_or_default();
        assert_eq!(months.len(), 6);
        assert_eq!(report["to"], to.as_str());
        assert_eq!(
            get(reader, "/reports/collections").await["to"],
            this_month.as_str()
        );
        assert!(money(&report["total"]["due"]) > Decimal::ZERO, "{report}");
        let received = money(&report["total"]["received"]);
        let outstanding = money(&report["dso"]["outstanding"]);
        let ordered = money(&report["dso"]["ordered"]);
        let first_day = format!("{this_month}-01");
        let payments = get(
            reader,
            &format!("/payments?received_from={first_day}&received_to={today}"),
        )
        .await;
        let paid: Decimal = payments["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|p| money(&p["allocated"]))
            .sum();
        assert_eq!(
            paid, received,
            "the month's payments open from its received figure"
        );
        let open = get(
            reader,
            &format!("/receivables?due_from={first_day}&due_to={}", ahead),
        )
        .await;
        assert!(open["items"].as_array().is_some_and(|i| {
            i.iter()
                .all(|r| r["due_date"].as_str() >= Some(first_day.as_str()))
        }));
        let days = report["dso"]["days"].as_u64().unwrap_or(0);
        let first = ahead.with_day(1).unwrap_or(today) - chrono::Months::new(5);
        assert_eq!(
            days,
            u64::try_from((today - first).num_days() + 1).unwrap_or(0)
        );
        let dso = (outstanding * Decimal::from(days) / ordered).round_dp(1);
        assert_eq!(money(&report["dso"]["dso_days"]), dso);
        assert!(ordered > Decimal::ZERO && received == Decimal::from(100_000));
    }
    // The manager's tree holds the rep's two orders, finance sees the west order too.
    let mine = get(&org.mgr, &format!("/reports/collections?to={to}")).await;
    let all = get(&finance, &format!("/reports/collections?to={to}")).await;
    assert!(money(&all["total"]["due"]) > money(&mine["total"]["due"]));
    assert!(money(&all["dso"]["ordered"]) > money(&mine["dso"]["ordered"]));
    // Narrowed to the west rep, the manager sees nothing of theirs.
    let narrowed = get(
        &org.mgr,
        &format!("/reports/collections?owner_id={}", west.user_id),
    )
    .await;
    assert_eq!(money(&narrowed["dso"]["ordered"]), Decimal::ZERO);
    assert!(narrowed["dso"]["dso_days"].is_null());

    for (query, field) in [
        ("from=2026-13", "from"),
        ("from=2026-02&to=2026-01", "from"),
        ("currency=12", "currency"),
        ("region=", ""),
    ] {
        let response = org.mgr.get(&format!("/reports/collections?{query}")).await;
        if field.is_empty() {
            assert_eq!(response.status(), StatusCode::OK, "{query}");
        } else {
            assert_eq!(error_fields(response).await, [field], "{query}");
        }
    }
    let rep = org.rep.get("/reports/collections").await;
    assert_eq!(
        rep.status(),
        StatusCode::OK,
        "reps read their own receivables"
    );
}

#[tokio::test]
async fn orders_add_up_by_month_product_and_customer_and_deliveries_by_promise() {
    let app = spawn_app().await;
    let (org, west, _) = scenario(&app).await;

    for reader in [&org.mgr, &org.gm] {
        let orders = orders_seen(reader).await;
        let total: Decimal = orders
            .iter()
            .map(|o| money(&o["total"]) - money(&o["cancelled_amount"]))
            .sum();
        let by_month = get(reader, "/reports/orders").await;
        assert_eq!(by_month["rows"].as_array().map(Vec::len), Some(1));
        assert_eq!(by_month["total"]["orders"], orders.len());
        assert_eq!(money(&by_month["total"]["amount"]), total);

        let by_customer = get(reader, "/reports/orders?group_by=customer").await;
        let mut customers: HashMap<String, (u64, Decimal)> = HashMap::new();
        for o in &orders {
            let entry = customers
                .entry(o["customer_id"].as_str().unwrap_or_default().to_owned())
                .or_default();
            entry.0 += 1;
            entry.1 += money(&o["total"]) - money(&o["cancelled_amount"]);
        }
        for row in by_customer["rows"].as_array().cloned().unwrap_or_default() {
            let (count, amount) = customers[row["key"].as_str().unwrap_or_default()];
            assert_eq!(
                (row["orders"].as_u64(), money(&row["amount"])),
                (Some(count), amount),
                "{row}"
            );
        }
        assert_eq!(
            by_customer["rows"].as_array().map(Vec::len),
            Some(customers.len())
        );

        let by_product = get(reader, "/reports/orders?group_by=product").await;
        let lines: Vec<Value> = orders
            .iter()
            .flat_map(|o| o["lines"].as_array().cloned().unwrap_or_default())
            .collect();
        let row = &by_product["rows"][0];
        assert_eq!(row["key"], org.product.as_str());
        assert_eq!(row["name"], "立式加工中心");
        assert_eq!(
            money(&row["quantity"]),
            lines.iter().map(|l| money(&l["quantity"])).sum::<Decimal>()
        );
        assert_eq!(
            money(&row["amount"]),
            lines
                .iter()
                .map(|l| money(&l["net_amount"]))
                .sum::<Decimal>()
        );
        assert_eq!(by_product["total"]["orders"], orders.len());

        // Each row opens its orders: the period, and the row's customer or product.
        let period = format!(
            "order_date_from={}&order_date_to={}",
            by_month["from"].as_str().unwrap_or_default(),
            by_month["to"].as_str().unwrap_or_default()
        );
        for (rows, filter) in [(&by_customer, "customer_id"), (&by_product, "product_id")] {
            for row in rows["rows"].as_array().cloned().unwrap_or_default() {
                let key = row["key"].as_str().unwrap_or_default();
                let drill = get(
                    reader,
                    &format!("/sales-orders?{period}&{filter}={key}&limit=200"),
                )
                .await;
                assert_eq!(
                    drill["items"].as_array().map(Vec::len),
                    row["orders"].as_u64().and_then(|n| usize::try_from(n).ok()),
                    "{filter}={key}"
                );
            }
        }
        let before = get(reader, "/sales-orders?order_date_to=2000-01-01").await;
        assert_eq!(before["items"], json!([]));
    }
    // The manager: the big order's two shipments (one early, one late) and the small one's on
    // the day; the director also sees the west order, not shipped.
    let delivery = get(&org.mgr, "/reports/orders").await["delivery"].clone();
    assert_eq!(
        delivery,
        json!({"shipped_lines": 3, "on_time": 2, "on_time_percent": "66.7"})
    );
    let narrowed = get(
        &org.gm,
        &format!("/reports/orders?owner_id={}", west.user_id),
    )
    .await;
    assert_eq!(narrowed["total"]["orders"], 1);
    assert_eq!(narrowed["delivery"]["shipped_lines"], 0);
    assert!(narrowed["delivery"]["on_time_percent"].is_null());
    let elsewhere = get(&org.gm, "/reports/orders?region=西北").await;
    assert_eq!(elsewhere["total"]["orders"], 0);
    let other_currency = get(&org.gm, "/reports/orders?currency=USD").await;
    assert_eq!(other_currency["rows"], json!([]));

    for (query, field) in [
        ("group_by=week", "group_by"),
        ("from=2026-02-30", "from"),
        (
            "product_category_id=00000000-0000-0000-0000-000000000000",
            "product_category_id",
        ),
    ] {
        let response = org.gm.get(&format!("/reports/orders?{query}")).await;
        assert_eq!(error_fields(response).await, [field], "{query}");
    }
}

/// On-time delivery keeps counting what the orders show as promises move (改交期: a line
/// shipped late is on time against its new date), as an order changes hands across
/// departments, and as a rep moves to another department with their orders; the director's
/// and the east manager's figures come from the rollup.
#[tokio::test]
async fn deliveries_follow_moved_promises_new_owners_and_department_moves() {
    let app = spawn_app().await;
    let (org, west, _) = scenario(&app).await;
    let delivery = |reader: &Session| {
        let reader = reader.clone();
        async move {
            let figures = get(&reader, "/reports/orders").await["delivery"].clone();
            (
                figures["shipped_lines"].as_u64().unwrap_or_default(),
                figures["on_time"].as_u64().unwrap_or_default(),
            )
        }
    };
    let west_order = get(&west, "/sales-orders").await["items"][0].clone();
    let west_order = get(&west, &format!("/sales-orders/{}", id_of(&west_order))).await;
    let path = format!("/sales-orders/{}", id_of(&west_order));
    let line = line_id(&west_order, 0);

    // The west order ships one machine today, after its promise: late.
    act(
        &west,
        &format!("{path}/shipments"),
        &json!({"lines": [{"line_id": line, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(delivery(&org.gm).await, (4, 2));
    assert_eq!(delivery(&org.mgr).await, (3, 2));

    // 改交期: the rest of the line is promised in ten days; the machine shipped today is on
    // time against the promise the line now carries.
    let later = (today_in_china() + Duration::days(10)).to_string();
    let moved = org
        .gm
        .patch(
            &path,
            &json!({"promised_dates": [{"line_id": line, "promised_date": later}]}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(delivery(&org.gm).await, (4, 3));

    // The west order goes to the east rep: the east manager counts its shipment now.
    let handed = org
        .gm
        .patch(&path, &json!({"owner_id": org.rep.user_id}))
        .await;
    assert_eq!(handed.status(), StatusCode::OK, "{}", json_of(handed).await);
    assert_eq!(delivery(&org.mgr).await, (4, 3));
    assert_eq!(delivery(&org.gm).await, (4, 3));

    // The east rep moves to the west department with their three orders: none left in the east.
    let west_department = get(&west, "/me").await["user"]["department_id"].clone();
    org.tenant
        .move_user(org.rep.user_id, &west_department)
        .await;
    assert_eq!(delivery(&org.mgr).await, (0, 0));
    assert_eq!(delivery(&org.gm).await, (4, 3));
}

/// Collections keep adding up to the orders as money comes in, a plan is redrawn, an order
/// is confirmed and cancelled, an order changes hands across departments and a rep moves to
/// another department with their orders; the manager's and finance's figures come from the
/// rollup.
#[tokio::test]
async fn collections_follow_payments_plans_cancellations_and_moves() {
    let app = spawn_app().await;
    let (org, west, finance) = scenario(&app).await;
    let today = today_in_china();
    let ahead = today + Duration::days(62);
    let to = format!("{:04}-{:02}", ahead.year(), ahead.month());
    let adds_up = || async {
        for reader in [&org.mgr, &finance] {
            collections_add_up(reader, &to).await;
        }
    };
    let big = orders_seen(&org.rep)
        .await
        .into_iter()
        .find(|o| money(&o["lines"][0]["quantity"]) == Decimal::from(2))
        .unwrap_or_else(|| panic!("no order of two machines"));
    let west_order = orders_seen(&west).await.remove(0);

    // The west customer pays part of their order.
    let pay = |amount: &'static str| {
        let (finance, customer) = (finance.clone(), west_order["customer_id"].clone());
        async move {
            act(
                &finance,
                "/payments",
                &json!({"customer_id": customer, "amount": amount, "method": "bank_transfer"}),
                StatusCode::CREATED,
            )
            .await;
        }
    };
    pay("50000").await;
    adds_up().await;

    // The big order's plan is redrawn: half now, half in a month.
    let plan = json!({"instalments": [
        {"name": "预付款", "percent": "50", "due": {"kind": "date", "date": today}},
        {"name": "尾款", "percent": "50", "due": {"kind": "date", "date": today + Duration::days(31)}}
    ]});
    let response = org
        .rep
        .put(
            &format!("/sales-orders/{}/collection-plan", id_of(&big)),
            &plan,
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        json_of(response).await
    );
    adds_up().await;

    // A new order is confirmed, then cancelled: it owes nothing.
    let cancelled = order(
        &org.rep,
        &org.customer,
        &org.product,
        "1",
        &today.to_string(),
    )
    .await;
    adds_up().await;
    act(
        &org.rep,
        &format!("/sales-orders/{}/cancel", id_of(&cancelled)),
        &json!({"reason": "客户取消"}),
        StatusCode::OK,
    )
    .await;
    adds_up().await;

    // The west order goes to the east rep, and its customer pays the rest (and more).
    let handed = org
        .gm
        .patch(
            &format!("/sales-orders/{}", id_of(&west_order)),
            &json!({"owner_id": org.rep.user_id}),
        )
        .await;
    assert_eq!(handed.status(), StatusCode::OK);
    adds_up().await;
    pay("1000000").await;
    adds_up().await;

    // The east rep moves to the west department with their orders.
    let west_department = get(&west, "/me").await["user"]["department_id"].clone();
    org.tenant
        .move_user(org.rep.user_id, &west_department)
        .await;
    adds_up().await;
    let east = get(&org.mgr, &format!("/reports/collections?to={to}")).await;
    assert_eq!(money(&east["total"]["due"]), Decimal::ZERO);
}

/// The reader's orders by month and by product over `from`..`to`, checked against their
/// orders counted again: per month, the orders and their amount net of cancellations; per
/// product (or none, for free-text lines), the orders with such a line and the lines'
/// quantity and net amount; in all, the orders. Returns how many orders that is.
async fn orders_add_up(reader: &Session, from: NaiveDate, to: NaiveDate) -> usize {
    const ORDERED: [&str; 4] = ["confirmed", "partially_shipped", "shipped", "completed"];
    let orders: Vec<Value> = orders_seen(reader)
        .await
        .into_iter()
        .filter(|o| ORDERED.contains(&o["status"].as_str().unwrap_or_default()))
        .filter(|o| {
            let date = o["order_date"]
                .as_str()
                .and_then(|d| d.parse::<NaiveDate>().ok());
            date.is_some_and(|date| from <= date && date <= to)
        })
        .collect();
    let period = format!("from={from}&to={to}");

    let mut months: HashMap<String, (u64, Decimal)> = HashMap::new();
    for o in &orders {
        let month = o["order_date"].as_str().unwrap_or_default()[..7].to_owned();
        let entry = months.entry(month).or_default();
        entry.0 += 1;
        entry.1 += money(&o["total"]) - money(&o["cancelled_amount"]);
    }
    let by_month = get(reader, &format!("/reports/orders?{period}")).await;
    let reported: HashMap<String, (u64, Decimal)> = by_month["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let key = r["key"].as_str().unwrap_or_default().to_owned();
            (
                key,
                (r["orders"].as_u64().unwrap_or(0), money(&r["amount"])),
            )
        })
        .collect();
    assert_eq!(reported, months, "by month, {period}");
    assert_eq!(by_month["total"]["orders"], orders.len(), "{period}");

    let mut products: HashMap<Option<String>, (u64, Decimal, Decimal)> = HashMap::new();
    for o in &orders {
        let mut seen = Vec::new();
        for line in o["lines"].as_array().cloned().unwrap_or_default() {
            let product = line["product_id"].as_str().map(str::to_owned);
            let entry = products.entry(product.clone()).or_default();
            if !seen.contains(&product) {
                entry.0 += 1;
                seen.push(product);
            }
            entry.1 += money(&line["quantity"]);
            entry.2 += money(&line["net_amount"]);
        }
    }
    let by_product = get(
        reader,
        &format!("/reports/orders?{period}&group_by=product"),
    )
    .await;
    let reported: HashMap<Option<String>, (u64, Decimal, Decimal)> = by_product["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let key = r["key"].as_str().map(str::to_owned);
            let figures = (
                r["orders"].as_u64().unwrap_or(0),
                money(&r["quantity"]),
                money(&r["amount"]),
            );
            (key, figures)
        })
        .collect();
    assert_eq!(reported, products, "by product, {period}");
    let total = &by_product["total"];
    assert_eq!(total["orders"], orders.len(), "{period}");
    assert_eq!(
        money(&total["amount"]),
        products.values().map(|p| p.2).sum::<Decimal>(),
        "{period}"
    );
    orders.len()
}

/// Orders by month and by product read the whole months of a period from the monthly
/// rollups and the days around them from the orders. Both keep adding up to the orders as
/// orders (one with a free-text line) are confirmed with last month's date, one is partly
/// shipped and the rest cancelled, one changes hands across departments and a rep moves to
/// another department with their orders.
#[tokio::test]
async fn orders_by_month_and_product_follow_confirmations_cancellations_and_moves() {
    let app = spawn_app().await;
    let (org, west, _) = scenario(&app).await;
    let today = today_in_china();
    let this_month = today - Duration::days(i64::from(today.day0()));
    let last_month = this_month - Months::new(1);
    let dated = (last_month + Duration::days(9)).to_string();
    confirmed_order(
        &org.rep,
        &json!({"customer_id": org.customer, "order_date": dated, "lines": [
            {"product_id": org.product, "quantity": "2"},
            {"name": "安装调试服务", "quantity": "1", "unit_price": "5000"}]}),
    )
    .await;
    let partly = confirmed_order(
        &org.rep,
        &json!({"customer_id": org.customer, "order_date": dated,
               "lines": [{"product_id": org.product, "quantity": "2"}]}),
    )
    .await;
    let west_customer = id_of(&get(&west, "/customers").await["items"][0]);
    let handed = confirmed_order(
        &west,
        &json!({"customer_id": west_customer, "order_date": dated,
               "lines": [{"product_id": org.product, "quantity": "1"}]}),
    )
    .await;
    // Last month alone (the rollups), from the 2nd of the month before to today (the rollups
    // for last month, the orders for the days either side), this month (the orders).
    let periods = [
        (last_month, this_month - Duration::days(1)),
        (last_month - Months::new(1) + Duration::days(1), today),
        (this_month, today),
    ];
    let last_months_orders = |reader: &Session| {
        let reader = reader.clone();
        async move {
            let mut counted = 0;
            for (from, to) in periods {
                let count = orders_add_up(&reader, from, to).await;
                if from == last_month {
                    counted = count;
                }
            }
            counted
        }
    };
    assert_eq!(last_months_orders(&org.mgr).await, 2);
    assert_eq!(last_months_orders(&org.gm).await, 3);

    // One of two machines ships, the other is cancelled: the order counts what is left.
    act(
        &org.rep,
        &format!("/sales-orders/{}/shipments", id_of(&partly)),
        &json!({"lines": [{"line_id": line_id(&partly, 0), "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    act(
        &org.rep,
        &format!("/sales-orders/{}/cancel", id_of(&partly)),
        &json!({"reason": "余量取消"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(last_months_orders(&org.mgr).await, 2);

    // The west order goes to the east rep: the east manager counts it now.
    let handover = org
        .gm
        .patch(
            &format!("/sales-orders/{}", id_of(&handed)),
            &json!({"owner_id": org.rep.user_id}),
        )
        .await;
    assert_eq!(handover.status(), StatusCode::OK);
    assert_eq!(last_months_orders(&org.mgr).await, 3);

    // The east rep moves to the west department with their orders: none left in the east.
    let west_department = get(&west, "/me").await["user"]["department_id"].clone();
    org.tenant
        .move_user(org.rep.user_id, &west_department)
        .await;
    assert_eq!(last_months_orders(&org.mgr).await, 0);
    assert_eq!(last_months_orders(&org.gm).await, 3);
}
