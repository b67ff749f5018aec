//! Sales orders and receivables end to end: an accepted quote becomes an order, ships in
//! parts, is signed for and paid through its collection plan; large orders need the general
//! manager; credit limits warn or block; money never goes where it is not owed; aging adds up
//! to an independent count; nobody reaches another's order by guessing ids.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, json_of, spawn_app};
use crate::quotes::{SalesOrg, act, code_of, create_quote, error_fields, id_of, sales_org};

pub(crate) async fn put(session: &Session, path: &str, body: &Value) -> reqwest::Response {
    session
        .request(Method::PUT, path)
        .json(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("PUT {path}: {e}"))
}

/// An accepted quote for two spare-part kits at ¥100,000 (under every approval threshold).
async fn accepted_quote(org: &SalesOrg) -> Value {
    let quote = create_quote(
        &org.rep,
        &json!({"customer_id": org.customer, "payment_terms": "预付30%，验收后付70%",
                "lines": [{"name": "备件包", "quantity": "2", "unit_price": "100000"}]}),
    )
    .await;
    let id = id_of(&quote);
    for action in ["submit", "send", "accept"] {
        act(
            &org.rep,
            &format!("/quotes/{id}/{action}"),
            &json!({}),
            StatusCode::OK,
        )
        .await;
    }
    quote
}

/// A confirmed order entered directly for `quantity` machines.
pub async fn confirmed_order(org: &SalesOrg, quantity: &str) -> Value {
    let order = act(
        &org.rep,
        "/sales-orders",
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": quantity}]}),
        StatusCode::CREATED,
    )
    .await;
    act(
        &org.rep,
        &format!("/sales-orders/{}/submit", id_of(&order)),
        &json!({}),
        StatusCode::OK,
    )
    .await
}

/// Today in China, as the server counts days.
pub(crate) fn today_in_china() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

pub fn line_id(order: &Value, position: usize) -> String {
    order["lines"][position]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_accepted_quote_is_ordered_shipped_in_two_parts_signed_for_and_paid() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let rep = &org.rep;
    let finance = org
        .tenant
        .user(&app, "finance", "finance", org.tenant.head_office)
        .await;

    // A draft quote is not an order.
    let draft = create_quote(
        rep,
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "1"}]}),
    )
    .await;
    let (status, code) = code_of(
        rep.post("/sales-orders", &json!({"quote_id": id_of(&draft)}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "quote_not_accepted")
    );

    let quote = accepted_quote(&org).await;
    let order = act(
        rep,
        "/sales-orders",
        &json!({"quote_id": id_of(&quote), "customer_po": "PO-88231", "promised_date": "2027-02-28"}),
        StatusCode::CREATED,
    )
    .await;
    let id = id_of(&order);
    let year = chrono::Utc::now().format("%Y");
    assert_eq!(order["number"], format!("SO-{year}-000001"));
    assert_eq!(order["status"], "draft");
    assert_eq!(order["quote_number"], quote["number"]);
    assert_eq!(order["payment_terms"], "预付30%，验收后付70%");
    assert_eq!(order["lines"][0]["unit_price"], "100000.00");
    assert_eq!(order["lines"][0]["promised_date"], "2027-02-28");
    assert_eq!(order["total"], "200000.00");
    let (status, code) = code_of(
        rep.post("/sales-orders", &json!({"quote_id": id_of(&quote)}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "quote_already_ordered")
    );

    // Under 1,000,000: no approval; confirmed with the default plan.
    let order = act(
        rep,
        &format!("/sales-orders/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(order["status"], "confirmed");
    assert_eq!(order["instalments"].as_array().map(Vec::len), Some(1));
    assert_eq!(order["instalments"][0]["amount"], "200000.00");
    assert_eq!(order["instalments"][0]["status"], "not_due");
    let status_only = rep
        .patch(&format!("/sales-orders/{id}"), &json!({"notes": "改"}))
        .await;
    assert_eq!(error_fields(status_only).await, ["notes"]);
    let both = rep
        .patch(
            &format!("/sales-orders/{id}"),
            &json!({"lines": [], "promised_dates": [{"line_id": line_id(&order, 0), "promised_date": "2027-03-31"}]}),
        )
        .await;
    assert_eq!(error_fields(both).await, ["promised_dates"]);
    let moved = rep
        .patch(
            &format!("/sales-orders/{id}"),
            &json!({"promised_dates": [{"line_id": line_id(&order, 0), "promised_date": "2027-03-31"}]}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(
        json_of(moved).await["lines"][0]["promised_date"],
        "2027-03-31"
    );

    // 30% now, 70% thirty days after acceptance; a plan that does not add up is refused.
    let plan_path = format!("/sales-orders/{id}/collection-plan");
    let short = put(
        rep,
        &plan_path,
        &json!({"instalments": [{"percent": "30", "due": {"kind": "after_event", "event": "order_confirmed", "days": 0}}]}),
    )
    .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let plan = json!({"instalments": [
        {"name": "预付款", "percent": "30", "due": {"kind": "after_event", "event": "order_confirmed", "days": 0}},
        {"name": "验收款", "percent": "70", "due": {"kind": "after_event", "event": "accepted", "days": 30}}
    ]});
    let response = put(rep, &plan_path, &plan).await;
    assert_eq!(response.status(), StatusCode::OK);
    let order = json_of(response).await;
    assert_eq!(order["instalments"][0]["amount"], "60000.00");
    assert_eq!(order["instalments"][1]["amount"], "140000.00");
    assert_eq!(order["instalments"][1]["status"], "scheduled");

    // Two parts: more than is open is refused and names the line.
    let ship = format!("/sales-orders/{id}/shipments");
    let line = line_id(&order, 0);
    let order = act(
        rep,
        &ship,
        &json!({"carrier": "顺丰速运", "tracking_number": "SF1001", "lines": [{"line_id": line, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(order["status"], "partially_shipped");
    assert_eq!(order["lines"][0]["open_quantity"], "1");
    let too_many = rep
        .post(
            &ship,
            &json!({"lines": [{"line_id": line, "quantity": "2"}]}),
        )
        .await;
    assert_eq!(error_fields(too_many).await, ["lines[0].quantity"]);
    let order = act(
        rep,
        &ship,
        &json!({"lines": [{"line_id": line, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(order["status"], "shipped");
    assert_eq!(order["shipments"].as_array().map(Vec::len), Some(2));
    assert_eq!(order["shipments"][0]["number"], format!("SH-{year}-000001"));
    assert_eq!(order["shipments"][0]["line_count"], 1);
    let carried = json_of(rep.get(&format!("/sales-orders/{id}/shipments")).await).await;
    assert_eq!(carried[1]["lines"][0]["line_id"], line.as_str());
    assert_eq!(carried[1]["lines"][0]["quantity"], "1");

    // Finance records the advance: it closes the first instalment only.
    let payment = act(
        &finance,
        "/payments",
        &json!({"customer_id": org.customer, "amount": "60000.00", "method": "bank_transfer",
                "reference": "招商银行回单 001", "sales_order_id": id}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(payment["allocated"], "60000.00");
    assert_eq!(payment["unapplied"], "0.00");
    let order = json_of(rep.get(&format!("/sales-orders/{id}")).await).await;
    assert_eq!(order["instalments"][0]["status"], "paid");
    assert_eq!(order["instalments"][1]["outstanding"], "140000.00");
    assert_eq!(order["received_amount"], "60000.00");

    // Signing for both completes the order and starts the 30 days of the second instalment.
    for shipment in order["shipments"].as_array().cloned().unwrap_or_default() {
        act(
            rep,
            &format!("/shipments/{}/deliver", id_of(&shipment)),
            &json!({"received_by": "王工"}),
            StatusCode::OK,
        )
        .await;
    }
    let order = json_of(rep.get(&format!("/sales-orders/{id}")).await).await;
    assert_eq!(order["status"], "completed");
    let due = order["instalments"][1]["due_date"]
        .as_str()
        .unwrap_or_default();
    let expected = today_in_china() + chrono::Duration::days(30);
    assert_eq!(due, expected.to_string());
    let (status, code) = code_of(
        rep.post(
            &format!("/shipments/{}/deliver", id_of(&order["shipments"][0])),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "shipment_delivered")
    );

    let timeline = json_of(rep.get(&format!("/sales-orders/{id}/timeline")).await).await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .map(|t| t.iter().filter_map(|e| e["kind"].as_str()).collect())
        .unwrap_or_default();
    for kind in [
        "quote_accepted",
        "created",
        "status_changed",
        "plan_changed",
        "shipped",
        "delivered",
        "payment_allocated",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert_eq!(kinds.first(), Some(&"quote_accepted"));
}

#[tokio::test]
async fn an_order_of_a_million_waits_for_the_general_manager() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let order = act(
        &org.rep,
        "/sales-orders",
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "4"}]}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(order["total"], "1072000.00");
    let id = id_of(&order);
    let order = act(
        &org.rep,
        &format!("/sales-orders/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(order["status"], "pending_approval");
    let approval = order["approval_id"].as_str().unwrap_or_default().to_owned();
    // Not the department manager's to decide; shipping waits.
    let (status, _) = code_of(
        org.mgr
            .post(&format!("/approvals/{approval}/approve"), &json!({}))
            .await,
    )
    .await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND);
    let (status, code) = code_of(
        org.rep
            .post(
                &format!("/sales-orders/{id}/shipments"),
                &json!({"lines": [{"line_id": line_id(&order, 0), "quantity": "1"}]}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "invalid_transition")
    );
    act(
        &org.gm,
        &format!("/approvals/{approval}/approve"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let order = json_of(org.rep.get(&format!("/sales-orders/{id}")).await).await;
    assert_eq!(order["status"], "confirmed");
    assert_eq!(order["instalments"][0]["amount"], "1072000.00");
}

#[tokio::test]
async fn a_credit_limit_warns_then_blocks() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    let credit = format!("/customers/{}/credit", org.customer);
    assert_eq!(
        put(&org.rep, &credit, &json!({"credit_limit": "300000"}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let response = put(admin, &credit, &json!({"credit_limit": "300000"})).await;
    assert_eq!(response.status(), StatusCode::OK);

    confirmed_order(&org, "1").await;
    let figures = json_of(org.rep.get(&credit).await).await;
    assert_eq!(figures["open_receivables"], "268000.00");
    assert_eq!(figures["available"], "32000.00");

    // Warn (the default): the second order goes through, the check shows why it would not.
    let second = act(
        &org.rep,
        "/sales-orders",
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    let check = json_of(
        org.rep
            .get(&format!("/sales-orders/{}/credit-check", id_of(&second)))
            .await,
    )
    .await;
    assert_eq!(check["exceeded"], true);
    assert_eq!(check["exposure"], "536000.00");
    assert_eq!(check["mode"], "warn");
    act(
        &org.rep,
        &format!("/sales-orders/{}/submit", id_of(&second)),
        &json!({}),
        StatusCode::OK,
    )
    .await;

    let response = admin
        .patch("/settings", &json!({"credit_check_mode": "block"}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let third = act(
        &org.rep,
        "/sales-orders",
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    let (status, code) = code_of(
        org.rep
            .post(
                &format!("/sales-orders/{}/submit", id_of(&third)),
                &json!({}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "credit_limit_exceeded")
    );
    let third = json_of(
        org.rep
            .get(&format!("/sales-orders/{}", id_of(&third)))
            .await,
    )
    .await;
    assert_eq!(third["status"], "draft");
}

#[tokio::test]
async fn money_goes_only_where_it_is_owed() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    let order = confirmed_order(&org, "2").await;
    let id = id_of(&order);
    let instalment = order["instalments"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // More than the instalment owes, or than the payment brings, is refused.
    let over = admin
        .post(
            "/payments",
            &json!({"customer_id": org.customer, "amount": "600000", "method": "bank_transfer",
                    "allocations": [{"instalment_id": instalment, "amount": "536000.01"}]}),
        )
        .await;
    assert_eq!(error_fields(over).await, ["allocations[0].amount"]);
    let beyond = admin
        .post(
            "/payments",
            &json!({"customer_id": org.customer, "amount": "1000", "method": "cash",
                    "allocations": [{"instalment_id": instalment, "amount": "2000"}]}),
        )
        .await;
    assert_eq!(error_fields(beyond).await, ["allocations"]);
    let bad = admin
        .post(
            "/payments",
            &json!({"customer_id": org.customer, "amount": "-5", "method": "cheque"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A payment larger than everything owed leaves the rest as credit.
    let payment = act(
        admin,
        "/payments",
        &json!({"customer_id": org.customer, "amount": "600000.00", "method": "bank_acceptance_bill"}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(payment["allocated"], "536000.00");
    assert_eq!(payment["unapplied"], "64000.00");
    let (status, code) = code_of(
        org.rep
            .post(
                &format!("/sales-orders/{id}/cancel"),
                &json!({"reason": "客户取消"}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "payments_received")
    );

    // The credit pays the next order when asked.
    let next = confirmed_order(&org, "1").await;
    let applied = act(
        admin,
        &format!("/payments/{}/allocate", id_of(&payment)),
        &json!({"sales_order_id": id_of(&next)}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(applied["unapplied"], "0.00");
    assert_eq!(applied["allocations"].as_array().map(Vec::len), Some(2));
    let next = json_of(
        org.rep
            .get(&format!("/sales-orders/{}", id_of(&next)))
            .await,
    )
    .await;
    assert_eq!(next["instalments"][0]["paid_amount"], "64000.00");
    assert_eq!(next["instalments"][0]["outstanding"], "204000.00");
    let (status, code) = code_of(
        admin
            .post(
                &format!("/payments/{}/allocate", id_of(&payment)),
                &json!({}),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "nothing_unapplied")
    );

    // Half shipped, the rest cancelled: the plan shrinks to what is still owed.
    let third = confirmed_order(&org, "2").await;
    let third_id = id_of(&third);
    act(
        &org.rep,
        &format!("/sales-orders/{third_id}/shipments"),
        &json!({"lines": [{"line_id": line_id(&third, 0), "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    let cancelled = act(
        &org.rep,
        &format!("/sales-orders/{third_id}/cancel"),
        &json!({"reason": "客户只要一台"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "shipped");
    assert_eq!(cancelled["cancelled_amount"], "268000.00");
    assert_eq!(cancelled["lines"][0]["cancelled_quantity"], "1");
    assert_eq!(cancelled["instalments"][0]["amount"], "268000.00");

    // Invoices stay within what is owed; a number is used once.
    let invoices = format!("/sales-orders/{third_id}/invoices");
    let invoice = json!({"number": "04412345", "amount": "268000.00", "tax_amount": "30831.86"});
    act(admin, &invoices, &invoice, StatusCode::CREATED).await;
    let more = admin
        .post(
            &invoices,
            &json!({"number": "04412346", "amount": "0.01", "tax_amount": "0"}),
        )
        .await;
    assert_eq!(error_fields(more).await, ["amount"]);
    let (status, code) = code_of(
        admin
            .post(&format!("/sales-orders/{id}/invoices"), &invoice)
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "invoice_number_taken")
    );
}

#[tokio::test]
async fn aging_adds_up_to_an_independent_count_and_drills_down() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let today = today_in_china();
    let days_ago = |n: i64| (today - chrono::Duration::days(n)).to_string();
    // One order, five instalments: due in the future, 1, 31, 95 and 200 days ago.
    let order = confirmed_order(&org, "1").await;
    // Read once before the plan changes: the aging balances are counted now and must follow
    // every later write.
    let before = json_of(org.mgr.get("/receivables/aging?group_by=customer").await).await;
    assert_eq!(before["row_count"], 1);
    let plan = json!({"instalments": [
        {"amount": "100000", "due": {"kind": "date", "date": days_ago(-10)}},
        {"amount": "50000", "due": {"kind": "date", "date": days_ago(1)}},
        {"amount": "40000", "due": {"kind": "date", "date": days_ago(31)}},
        {"amount": "48000", "due": {"kind": "date", "date": days_ago(95)}},
        {"amount": "30000", "due": {"kind": "date", "date": days_ago(200)}}
    ]});
    let path = format!("/sales-orders/{}/collection-plan", id_of(&order));
    assert_eq!(put(&org.rep, &path, &plan).await.status(), StatusCode::OK);
    // 10,000 paid: oldest due first, so off the 200-day one.
    act(
        &org.tenant.admin,
        "/payments",
        &json!({"customer_id": org.customer, "amount": "10000", "method": "bank_transfer"}),
        StatusCode::CREATED,
    )
    .await;

    let aging = json_of(org.mgr.get("/receivables/aging?group_by=customer").await).await;
    let row = &aging["rows"][0];
    assert_eq!(row["name"], "苏州精工机械有限公司");
    for (bucket, amount) in [
        ("not_due", "100000.00"),
        ("days_1_to_30", "50000.00"),
        ("days_31_to_60", "40000.00"),
        ("days_61_to_90", "0.00"),
        ("days_91_to_180", "48000.00"),
        ("over_180", "20000.00"),
        ("total", "258000.00"),
    ] {
        assert_eq!(row[bucket], amount, "{bucket}");
        assert_eq!(aging["totals"][bucket], amount, "totals {bucket}");
    }
    let by_department = json_of(org.gm.get("/receivables/aging?group_by=department").await).await;
    assert_eq!(by_department["rows"][0]["name"], "华东销售部");
    assert_eq!(by_department["rows"][0]["total"], "258000.00");
    let drill = json_of(org.gm.get("/receivables?bucket=days_91_to_180").await).await;
    assert_eq!(drill["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(drill["items"][0]["outstanding"], "48000.00");
    assert_eq!(drill["items"][0]["status"], "overdue");
    assert_eq!(drill["items"][0]["days_overdue"], 95);
    let department = by_department["rows"][0]["key"].as_str().unwrap_or_default();
    let theirs = json_of(
        org.gm
            .get(&format!(
                "/receivables?department_id={department}&include_total=true"
            ))
            .await,
    )
    .await;
    assert_eq!(theirs["total"], 5);

    // Another department's manager sees none of it.
    let west = org
        .tenant
        .department("华西销售部", org.tenant.head_office)
        .await;
    let west_mgr = org
        .tenant
        .user(&app, "west-mgr", "sales_manager", west)
        .await;
    let theirs = json_of(west_mgr.get("/receivables/aging").await).await;
    assert_eq!(theirs["rows"].as_array().map(Vec::len), Some(0));
    assert_eq!(theirs["totals"]["total"], "0.00");

    // Another payment clears what was over 180 days; the next read shows it.
    act(
        &org.tenant.admin,
        "/payments",
        &json!({"customer_id": org.customer, "amount": "20000", "method": "cash"}),
        StatusCode::CREATED,
    )
    .await;
    let aging = json_of(org.mgr.get("/receivables/aging").await).await;
    assert_eq!(aging["totals"]["over_180"], "0.00");
    assert_eq!(aging["totals"]["total"], "238000.00");

    // Balances last counted yesterday (the 1-day-old instalment was not due then) are
    // counted again on the first read of today.
    crm_persistence::receivables::refresh_aging(
        &app.db,
        org.tenant.id,
        today - chrono::Days::new(1),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let aging = json_of(org.mgr.get("/receivables/aging").await).await;
    assert_eq!(aging["totals"]["days_1_to_30"], "50000.00");
    assert_eq!(aging["totals"]["not_due"], "100000.00");
    // As of another day the instalments are summed directly: tomorrow the first one is
    // still not due and the 1-day-old one is 2 days overdue.
    let tomorrow = today + chrono::Days::new(1);
    let aging = json_of(
        org.mgr
            .get(&format!("/receivables/aging?as_of={tomorrow}"))
            .await,
    )
    .await;
    assert_eq!(aging["totals"]["days_1_to_30"], "50000.00");
    assert_eq!(aging["totals"]["total"], "238000.00");
}

#[tokio::test]
async fn other_reps_and_tenants_reach_no_order_by_guessing_ids() {
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let outsider = org.outsider(&app).await;
    let other_tenant = app.tenant("globex").await;
    let order = confirmed_order(&org, "2").await;
    let id = id_of(&order);
    let shipment_body = json!({"lines": [{"line_id": line_id(&order, 0), "quantity": "1"}]});
    for session in [&outsider, &other_tenant.admin] {
        for path in [
            format!("/sales-orders/{id}"),
            format!("/sales-orders/{id}/timeline"),
            format!("/sales-orders/{id}/credit-check"),
        ] {
            assert_eq!(
                session.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        for (path, body) in [
            (
                format!("/sales-orders/{id}/shipments"),
                shipment_body.clone(),
            ),
            (format!("/sales-orders/{id}/submit"), json!({})),
            (format!("/sales-orders/{id}/cancel"), json!({"reason": "x"})),
        ] {
            assert_eq!(
                session.post(&path, &body).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let patched = session
            .patch(
                &format!("/sales-orders/{id}"),
                &json!({"internal_note": "x"}),
            )
            .await;
        assert_eq!(patched.status(), StatusCode::NOT_FOUND);
        let list = json_of(session.get("/sales-orders").await).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    }
    // A payment for a customer one cannot see, or onto another tenant's instalment.
    let stranger = other_tenant
        .admin
        .post(
            "/payments",
            &json!({"customer_id": org.customer, "amount": "1", "method": "cash"}),
        )
        .await;
    assert_eq!(error_fields(stranger).await, ["customer_id"]);
    let theirs = json_of(
        other_tenant
            .admin
            .post("/customers", &json!({"name": "别家客户有限公司"}))
            .await,
    )
    .await;
    let instalment = order["instalments"][0]["id"].clone();
    let across = other_tenant
        .admin
        .post(
            "/payments",
            &json!({"customer_id": id_of(&theirs), "amount": "1", "method": "cash",
                    "allocations": [{"instalment_id": instalment, "amount": "1"}]}),
        )
        .await;
    assert_eq!(error_fields(across).await, ["allocations[0].instalment_id"]);
    let order = json_of(org.rep.get(&format!("/sales-orders/{id}")).await).await;
    assert_eq!(order["received_amount"], "0.00");
    assert_eq!(order["status"], "confirmed");
}

#[tokio::test]
async fn overdue_deliveries_and_instalments_remind_the_owner_and_manager_once_a_day() {
    // One summary a day per user: the owner's deliveries and receivables, the manager's team.
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let today = today_in_china();
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let order = act(
        &org.rep,
        "/sales-orders",
        &json!({"customer_id": org.customer, "promised_date": yesterday,
                "lines": [{"product_id": org.product, "quantity": "1"}]}),
        StatusCode::CREATED,
    )
    .await;
    let id = id_of(&order);
    let plan = json!({"instalments": [
        {"name": "预付款", "amount": "100000", "due": {"kind": "date", "date": (today - chrono::Duration::days(3)).to_string()}},
        {"name": "尾款", "amount": "168000", "due": {"kind": "after_event", "event": "accepted", "days": 30}}
    ]});
    let path = format!("/sales-orders/{id}/collection-plan");
    assert_eq!(put(&org.rep, &path, &plan).await.status(), StatusCode::OK);
    let order = act(
        &org.rep,
        &format!("/sales-orders/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(order["delivery_overdue"], true);
    assert_eq!(order["lines"][0]["overdue"], true);
    let overdue = json_of(org.mgr.get("/sales-orders/overdue-deliveries").await).await;
    assert_eq!(overdue[0]["order_number"], order["number"]);
    assert_eq!(overdue[0]["days_overdue"], 1);

    let report = crm_persistence::reminders::run(&app.db, today)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    // The rep: late delivery and late instalment; the manager: late delivery.
    assert_eq!((report.notified, report.announced), (3, 1));
    // The same run with SMTP configured mails what is new: nothing, the second time today.
    let sink = SmtpSink::start();
    let mailer = crm_server::mail::Mailer::new(&sink.url(), "CRM <crm@acme.cn>")
        .unwrap_or_else(|e| panic!("{e}"));
    let (again, mailed) = crm_server::mail::remind(&app.db, Some(&mailer), today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((again.notified, again.announced, mailed), (0, 0, 0));
    let mailed = crm_server::mail::send_all(&app.db, &mailer, &report.fresh)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mailed, 3);
    let messages = sink.messages();
    assert_eq!(messages.len(), 3);
    assert!(
        messages.iter().any(|m| m.contains("RCPT TO:<mgr@acme.cn>")
            && m.contains("您的团队有 1 个订单交期超期")
            && m.contains("/sales-orders/overdue")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("RCPT TO:<rep@acme.cn>")
            && m.contains("您有 1 个订单应收逾期，共 ¥100000.00")),
        "{messages:?}"
    );

    let count = json_of(org.rep.get("/notifications/count").await).await;
    assert_eq!(count["unread"], 2);
    let mine = json_of(org.rep.get("/notifications").await).await;
    let kinds: Vec<&str> = mine["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|n| n["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(kinds.contains(&"delivery_overdue") && kinds.contains(&"receivable_overdue"));
    let receivable = mine["items"]
        .as_array()
        .and_then(|i| i.iter().find(|n| n["kind"] == "receivable_overdue"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(receivable["order_count"], 1);
    assert_eq!(receivable["amount"], "100000.00");
    assert_eq!(receivable["days_overdue"], 3);
    let manager = json_of(org.mgr.get("/notifications").await).await;
    assert_eq!(manager["items"][0]["kind"], "delivery_overdue");
    assert_eq!(manager["items"][0]["as_manager"], true);
    assert_eq!(manager["items"][0]["order_count"], 1);
    assert_eq!(manager["items"][0]["days_overdue"], 1);

    // One's own only: the manager cannot mark the rep's as read.
    let first = id_of(&mine["items"][0]);
    let response = org
        .mgr
        .post(&format!("/notifications/{first}/read"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let read = act(
        &org.rep,
        &format!("/notifications/{first}/read"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    assert!(read["read_at"].is_string());
    act(
        &org.rep,
        "/notifications/read-all",
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let count = json_of(org.rep.get("/notifications/count").await).await;
    assert_eq!(count["unread"], 0);
}

/// A minimal SMTP server that accepts every message and keeps each session's transcript.
struct SmtpSink {
    port: u16,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    fn start() -> Self {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut writer = stream.try_clone().unwrap_or_else(|e| panic!("{e}"));
                let mut reader = BufReader::new(stream);
                let mut transcript = String::new();
                let _ = writer.write_all(b"220 sink ESMTP\r\n");
                let mut in_data = false;
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 {
                    transcript.push_str(&line);
                    let reply: &[u8] = if in_data {
                        if line == ".\r\n" {
                            in_data = false;
                            // One message done: keep its transcript (a pooled connection
                            // may stay open for the next).
                            if let Ok(mut all) = kept.lock() {
                                all.push(std::mem::take(&mut transcript));
                            }
                            b"250 queued\r\n"
                        } else {
                            b""
                        }
                    } else if line.to_ascii_uppercase().starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if line.to_ascii_uppercase().starts_with("QUIT") {
                        let _ = writer.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = writer.write_all(reply);
                    line.clear();
                }
            }
        });
        Self { port, received }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, their quoted-printable bodies decoded.
    fn messages(&self) -> Vec<String> {
        self.received
            .lock()
            .map(|m| m.iter().map(|t| quoted_printable(t)).collect())
            .unwrap_or_default()
    }
}

/// Undoes quoted-printable: soft line breaks (`=` at a line's end) and `=XX` bytes.
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
