//! The event catalogue in `docs/events.md`: one scenario makes every event type happen, and
//! the first event of each type, read from the change feed as an integrator reads it, is that
//! type's example. Ids, times, dates and years are replaced by stable stand-ins, so the page
//! changes only when what the code sends changes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use crm_api_types::Page;
use crm_api_types::webhooks::{EventResponse, EventTypeResponse};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::approvals::submitted;
use crate::contracts::approve_current_step;
use crate::events::{ok, stage};
use crate::helpers::{Session, TestApp, spawn_app};
use crate::quotes::{SalesOrg, act, create_quote, id_of, sales_org};
use crate::sales_orders::{line_id, put, today_in_china};

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/events.md");
const STALE: &str = "docs/events.md is stale: run UPDATE_DOCS=1 cargo test -p crm-tests --test api -- event_catalogue";

/// The day and time the examples show, whatever day the test runs.
const SHOWN_DAY: (i32, u32, u32) = (2026, 12, 6);
const SHOWN_TIME: &str = "2026-12-06T08:00:00Z";

#[tokio::test]
async fn every_event_type_has_an_example_in_docs_events_md() {
    let app = spawn_app().await;
    let cast = Cast::hire(&app).await;
    let deal = leads_and_customers(&cast).await;
    opportunities(&cast, &deal).await;
    let quote = quotes(&app, &cast, &deal).await;
    // The customer accepted the quote: the deal is won.
    let stage_won = stage(&cast.org.rep, "赢单").await;
    move_deal(&cast.org.rep, &deal, json!({"stage_id": stage_won})).await;
    orders(&app, &cast, &quote).await;

    let admin = &cast.org.tenant.admin;
    let catalogue: Vec<EventTypeResponse> = admin
        .get("/event-types")
        .await
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let examples = first_of_each_type(feed(&app, admin).await);
    let missing: Vec<&str> = catalogue
        .iter()
        .map(|t| t.name.as_str())
        .filter(|name| !examples.contains_key(*name))
        .collect();
    assert!(
        missing.is_empty(),
        "the scenario causes no {missing:?}: extend it so every type has an example"
    );
    check_or_write(&render(&catalogue, &examples, cast.today));
}

/// Compares the page with the checked-in one, naming the first line that differs; with
/// `UPDATE_DOCS=1`, writes it instead.
fn check_or_write(page: &str) {
    if std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1") {
        std::fs::write(DOC, page).unwrap_or_else(|e| panic!("{DOC}: {e}"));
        return;
    }
    let checked_in = std::fs::read_to_string(DOC).unwrap_or_default();
    if let Some((line, (was, is))) = checked_in
        .lines()
        .zip(page.lines())
        .enumerate()
        .find(|(_, (was, is))| was != is)
    {
        panic!(
            "{STALE}\nline {}:\n  in the file: {was}\n  now:         {is}",
            line + 1
        );
    }
    assert!(checked_in == page, "{STALE}");
}

/// The people of the story: the sales org of `sales_org` (rep 孙销售, manager 钱经理, general
/// manager 赵总, the customer 苏州精工机械有限公司 and the CNC-850 at ¥268,000), with finance
/// and legal to approve contracts and book payments.
struct Cast {
    org: SalesOrg,
    finance: Session,
    legal: Session,
    today: NaiveDate,
}

impl Cast {
    async fn hire(app: &TestApp) -> Self {
        let org = sales_org(app, "jinggong").await;
        let head = org.tenant.head_office;
        let finance = org
            .tenant
            .named_user(app, "finance", "周会计", "finance", head)
            .await;
        let legal = org
            .tenant
            .named_user(app, "legal", "吴法务", "legal", head)
            .await;
        Self {
            org,
            finance,
            legal,
            today: today_in_china(),
        }
    }

    /// A day relative to today, as the API writes dates.
    fn day(&self, offset: i64) -> String {
        (self.today + chrono::Duration::days(offset)).to_string()
    }
}

/// lead.created, lead.converted (into the existing customer), contact.created,
/// opportunity.created, customer.updated, customer.created and .merged, contact.updated;
/// returns the deal the conversion opened.
async fn leads_and_customers(cast: &Cast) -> String {
    let (rep, admin) = (&cast.org.rep, &cast.org.tenant.admin);
    let lead = act(
        rep,
        "/leads",
        &json!({"company_name": "苏州精工机械有限公司", "contact_name": "王磊", "mobile": "13812345678",
                "industry": "机械", "source": "exhibition"}),
        StatusCode::CREATED,
    )
    .await;
    let lead = id_of(&lead);
    act(
        admin,
        &format!("/leads/{lead}/qualify"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let converted = act(
        rep,
        &format!("/leads/{lead}/convert"),
        &json!({"existing_customer_id": cast.org.customer,
                "opportunity": {"name": "新产线设备", "amount": "800000", "expected_close_date": cast.day(90)}}),
        StatusCode::OK,
    )
    .await;

    let customer = format!("/customers/{}", cast.org.customer);
    ok(
        rep.patch(
            &customer,
            &json!({"short_name": "精工", "website": "https://jinggong.cn"}),
        )
        .await,
        StatusCode::OK,
        "update customer",
    )
    .await;
    let duplicate = act(
        rep,
        "/customers",
        &json!({"name": "精工机械苏州分公司", "credit_code": "91350100M000100Y43"}),
        StatusCode::CREATED,
    )
    .await;
    act(
        admin,
        &format!("{customer}/merge"),
        &json!({"source_id": id_of(&duplicate)}),
        StatusCode::OK,
    )
    .await;
    let contact = converted["contact_id"].as_str().unwrap_or_default();
    ok(
        rep.patch(
            &format!("/contacts/{contact}"),
            &json!({"title": "设备部经理"}),
        )
        .await,
        StatusCode::OK,
        "update contact",
    )
    .await;
    converted["opportunity_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// opportunity.stage_changed (the converted deal goes to quoting) and opportunity.lost (a
/// second deal lost on price).
async fn opportunities(cast: &Cast, deal: &str) {
    let rep = &cast.org.rep;
    let quoting = stage(rep, "方案/报价").await;
    move_deal(rep, deal, json!({"stage_id": quoting})).await;
    let other = act(
        rep,
        "/opportunities",
        &json!({"name": "二期产线改造", "customer_id": cast.org.customer, "amount": "268000",
                "expected_close_date": cast.day(60)}),
        StatusCode::CREATED,
    )
    .await;
    let lost = stage(rep, "输单").await;
    move_deal(
        rep,
        &id_of(&other),
        json!({"stage_id": lost, "lost_reason": "price", "winning_competitor": "德玛吉"}),
    )
    .await;
}

async fn move_deal(rep: &Session, deal: &str, body: Value) {
    act(
        rep,
        &format!("/opportunities/{deal}/stage"),
        &body,
        StatusCode::OK,
    )
    .await;
}

/// Every quote and approval event: two machines (¥536,000) need both managers, are sent and
/// accepted; another such quote is rejected; one machine is approved at once, then declined;
/// one past its validity expires in the daily job. Returns the accepted quote.
async fn quotes(app: &TestApp, cast: &Cast, deal: &str) -> String {
    let org = &cast.org;
    let rep = &org.rep;
    let two_machines = json!({"opportunity_id": deal, "payment_terms": "预付30%，验收后付70%",
                              "lines": [{"product_id": org.product, "quantity": "2"}]});
    let (accepted, approval) = submitted(rep, &two_machines).await;
    for approver in [&org.mgr, &org.gm] {
        approve_current_step(approver, &approval).await;
    }
    for action in ["send", "accept"] {
        act(
            rep,
            &format!("/quotes/{accepted}/{action}"),
            &json!({}),
            StatusCode::OK,
        )
        .await;
    }

    let (_, rejected) = submitted(rep, &two_machines).await;
    act(
        &org.mgr,
        &format!("/approvals/{rejected}/reject"),
        &json!({"comment": "价格过低，请重新核算"}),
        StatusCode::OK,
    )
    .await;

    let one_machine = |valid_until: String| {
        json!({"customer_id": org.customer, "valid_until": valid_until,
               "lines": [{"product_id": org.product, "quantity": "1"}]})
    };
    let declined = id_of(&create_quote(rep, &one_machine(cast.day(30))).await);
    for action in ["submit", "send"] {
        act(
            rep,
            &format!("/quotes/{declined}/{action}"),
            &json!({}),
            StatusCode::OK,
        )
        .await;
    }
    act(
        rep,
        &format!("/quotes/{declined}/decline"),
        &json!({"reason": "预算取消"}),
        StatusCode::OK,
    )
    .await;
    let stale = id_of(&create_quote(rep, &one_machine(cast.day(-1))).await);
    act(
        rep,
        &format!("/quotes/{stale}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let expired = crm_persistence::quotes::expire(&app.db, cast.today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(expired, 1);
    accepted
}

/// Every contract, order, shipment and money event: the accepted quote becomes a contract,
/// approved and ordered; its first instalment falls overdue, is paid; the goods ship, are
/// signed for, invoiced, and the contract is fulfilled. A framework contract is terminated,
/// and an order of a million waits for the general manager and is cancelled.
async fn orders(app: &TestApp, cast: &Cast, quote: &str) {
    let org = &cast.org;
    let rep = &org.rep;
    let contract = approved_contract(
        cast,
        &json!({"quote_id": quote, "starts_on": cast.day(7), "ends_on": cast.day(372),
                "terms": "质保一年，免费培训操作人员"}),
    )
    .await;
    let order = act(
        rep,
        "/sales-orders",
        &json!({"contract_id": contract, "customer_po": "JG-PO-0088"}),
        StatusCode::CREATED,
    )
    .await;
    let id = id_of(&order);
    let plan = json!({"instalments": [
        {"name": "预付款", "percent": "30", "due": {"kind": "date", "date": cast.day(-3)}},
        {"name": "验收款", "percent": "70", "due": {"kind": "after_event", "event": "accepted", "days": 30}}
    ]});
    let path = format!("/sales-orders/{id}/collection-plan");
    ok(put(rep, &path, &plan).await, StatusCode::OK, "plan").await;
    act(
        rep,
        &format!("/sales-orders/{id}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    crm_persistence::reminders::run(&app.db, cast.today)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    act(
        &cast.finance,
        "/payments",
        &json!({"customer_id": org.customer, "amount": "160800.00", "method": "bank_transfer",
                "reference": "招商银行回单 0001", "sales_order_id": id}),
        StatusCode::CREATED,
    )
    .await;

    let shipped = act(
        rep,
        &format!("/sales-orders/{id}/shipments"),
        &json!({"carrier": "顺丰速运", "tracking_number": "SF1001234567",
                "lines": [{"line_id": line_id(&order, 0), "quantity": "2"}]}),
        StatusCode::CREATED,
    )
    .await;
    act(
        rep,
        &format!("/shipments/{}/deliver", id_of(&shipped["shipments"][0])),
        &json!({"received_by": "王磊"}),
        StatusCode::OK,
    )
    .await;
    act(
        &cast.finance,
        &format!("/sales-orders/{id}/invoices"),
        &json!({"number": "04412345", "amount": "536000.00", "tax_amount": "61663.72"}),
        StatusCode::CREATED,
    )
    .await;
    act(
        rep,
        &format!("/contracts/{contract}/complete"),
        &json!({"note": "设备已验收"}),
        StatusCode::OK,
    )
    .await;

    let framework = approved_contract(
        cast,
        &json!({"customer_id": org.customer, "title": "年度备件框架协议",
                "starts_on": cast.day(7), "ends_on": cast.day(372),
                "lines": [{"product_id": org.product, "quantity": "1"}]}),
    )
    .await;
    act(
        rep,
        &format!("/contracts/{framework}/terminate"),
        &json!({"reason": "客户经营异常"}),
        StatusCode::OK,
    )
    .await;

    let million = act(
        rep,
        "/sales-orders",
        &json!({"customer_id": org.customer, "lines": [{"product_id": org.product, "quantity": "4"}]}),
        StatusCode::CREATED,
    )
    .await;
    let million = id_of(&million);
    let waiting = act(
        rep,
        &format!("/sales-orders/{million}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    approve_current_step(&org.gm, waiting["approval_id"].as_str().unwrap_or_default()).await;
    act(
        rep,
        &format!("/sales-orders/{million}/cancel"),
        &json!({"reason": "客户预算调整"}),
        StatusCode::OK,
    )
    .await;
}

/// A contract drafted, submitted and approved by the manager, finance and legal in turn.
async fn approved_contract(cast: &Cast, body: &Value) -> String {
    let rep = &cast.org.rep;
    let contract = id_of(&act(rep, "/contracts", body, StatusCode::CREATED).await);
    let submitted = act(
        rep,
        &format!("/contracts/{contract}/submit"),
        &json!({}),
        StatusCode::OK,
    )
    .await;
    let approval = submitted["approval_id"].as_str().unwrap_or_default();
    for approver in [&cast.org.mgr, &cast.finance, &cast.legal] {
        approve_current_step(approver, approval).await;
    }
    contract
}

/// Every event of the tenant the caller may read, through the change feed, oldest first.
async fn feed(app: &TestApp, caller: &Session) -> Vec<EventResponse> {
    while crm_persistence::event_feed::sequence(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        > 0
    {}
    let mut events = Vec::new();
    let mut after = String::from("0");
    loop {
        let response = caller
            .get(&format!("/events?after={after}&limit=200"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let page: Page<EventResponse> = response.json().await.unwrap_or_else(|e| panic!("{e}"));
        if page.items.is_empty() {
            return events;
        }
        events.extend(page.items);
        after = page.next_cursor.unwrap_or_default();
    }
}

fn first_of_each_type(events: Vec<EventResponse>) -> HashMap<String, EventResponse> {
    let mut first = HashMap::new();
    for event in events {
        first.entry(event.event_type.clone()).or_insert(event);
    }
    first
}

fn render(
    catalogue: &[EventTypeResponse],
    examples: &HashMap<String, EventResponse>,
    today: NaiveDate,
) -> String {
    let mut stable = Stabiliser::new(today);
    let mut page = String::from(INTRO);
    for event_type in catalogue {
        let Some(example) = examples.get(&event_type.name) else {
            continue;
        };
        let json = serde_json::to_string_pretty(&stable.event(example)).unwrap_or_default();
        page.push_str(&format!(
            "\n## {}\n\n{}\n\n```json\n{json}\n```\n",
            event_type.name, event_type.description
        ));
    }
    page
}

const INTRO: &str = "# Event catalogue

<!-- Generated by tests/api/event_catalogue.rs, which fails when this page no longer matches
what the CRM sends: UPDATE_DOCS=1 cargo test -p crm-tests --test api -- event_catalogue -->

Every business event the CRM sends, with an example of each. How to subscribe, verify and
poll is in [integration.md](integration.md); `GET /api/v1/event-types` lists the same types
with their meaning.

A webhook body and an item of the change feed (`GET /api/v1/events`) are the same envelope:

- `id`: unique per event, also sent as the `webhook-id` header. Delivery is **at least
  once**: skip ids you have already processed.
- `type`: one of the names below; a name never changes meaning.
- `timestamp`: when the change committed (UTC, RFC 3339).
- `subject_kind`, `subject_id`: the record the event is about.
- `data`: a compact snapshot of that record after the change: its id as `<kind>_id`, number
  or name, status, `owner_id` and `customer_id` where it has them. Read the record through the
  API for the rest; notes, phone numbers and e-mail addresses are never in events.

Ids are UUIDs. Money is a decimal string (`\"536000.00\"`) with `currency`; dates are
`YYYY-MM-DD` in China time.

The examples come from one scenario (`tests/api/event_catalogue.rs`): a lead from an exhibition
turns out to be the existing customer 苏州精工机械有限公司, whose deal is quoted, approved,
contracted, ordered, shipped, invoiced and paid. Ids are replaced by placeholders, the same id
by the same placeholder throughout (so `customer_id` in `lead.converted` is the customer of
`customer.created`); times, dates and the year in document numbers are fixed.
";

/// Replaces what changes from run to run: every id by a placeholder numbered in order of first
/// appearance, times by one fixed time, dates by the fixed day plus their distance from today,
/// and the year in document numbers (`SO-2026-000001`) by the fixed day's.
struct Stabiliser {
    ids: HashMap<Uuid, Uuid>,
    today: NaiveDate,
    shown_day: NaiveDate,
}

impl Stabiliser {
    fn new(today: NaiveDate) -> Self {
        let (year, month, day) = SHOWN_DAY;
        Self {
            ids: HashMap::new(),
            today,
            shown_day: NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default(),
        }
    }

    /// The envelope's fields in the order they are printed, so placeholders count up down
    /// the page.
    fn event(&mut self, event: &EventResponse) -> EventResponse {
        EventResponse {
            id: self.id(event.id),
            event_type: event.event_type.clone(),
            timestamp: SHOWN_TIME.parse::<DateTime<Utc>>().unwrap_or_default(),
            subject_kind: event.subject_kind.clone(),
            subject_id: self.id(event.subject_id),
            data: self.value(&event.data),
        }
    }

    /// Object keys come sorted (serde_json keeps no insertion order here), as they print.
    fn value(&mut self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.text(text)),
            Value::Array(items) => items.iter().map(|v| self.value(v)).collect(),
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.value(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn text(&mut self, text: &str) -> String {
        if let Some(id) = text.parse::<Uuid>().ok().filter(|_| text.len() == 36) {
            self.id(id).to_string()
        } else if DateTime::parse_from_rfc3339(text).is_ok() {
            SHOWN_TIME.to_owned()
        } else if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            (self.shown_day + (date - self.today)).to_string()
        } else {
            self.number(text).unwrap_or_else(|| text.to_owned())
        }
    }

    fn id(&mut self, id: Uuid) -> Uuid {
        let next = self.ids.len() as u128 + 1;
        *self
            .ids
            .entry(id)
            .or_insert_with(|| Uuid::from_u128(0x0193_a5d2_0000_7000_8000_0000_0000_0000 + next))
    }

    /// A document number `PREFIX-YYYY-NNNNNN` with the shown year.
    fn number(&self, text: &str) -> Option<String> {
        let mut parts = text.splitn(3, '-');
        let (prefix, year, serial) = (parts.next()?, parts.next()?, parts.next()?);
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (!prefix.is_empty()
            && prefix.bytes().all(|b| b.is_ascii_uppercase())
            && year.len() == 4
            && numeric(year)
            && numeric(serial))
        .then(|| format!("{prefix}-{}-{serial}", SHOWN_DAY.0))
    }
}
