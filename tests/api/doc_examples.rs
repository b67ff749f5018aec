//! Every example of docs/integration.md runs, in the page's order, as an ERP would run it:
//! with an API key, subscribed to a receiver that stands in for `erp.example.com`. A call's
//! answer must match what the page shows (`…` stands for what it leaves out, `{name}` for a
//! value taken from an earlier answer); the delivery the page shows must be what the receiver
//! got; the page's Python verifies that delivery's signature.

use std::collections::HashMap;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::api_keys::with_key;
use crate::helpers::{Session, TestApp, json_of, spawn_app};
use crate::quotes::{act, id_of, sales_org};
use crate::sales_orders::{confirmed_order, line_id};
use crate::webhooks::{Received, Receiver, allow_loopback, dispatch};

const PAGE: &str = "../docs/integration.md";
/// The host the page's examples send webhooks to; the test's receiver stands in for it.
const DOCUMENTED_HOST: &str = "https://erp.example.com";
const ELLIPSIS: &str = "…";

/// A fenced example of the page.
enum Example {
    /// Calls of the API, each with the answer the page shows.
    Calls(Vec<Call>),
    /// A webhook delivery as the receiver sees it.
    Delivery { headers: Vec<String>, body: String },
    /// Code a receiver runs.
    Python(String),
}

struct Call {
    method: Method,
    path: String,
    body: Option<String>,
    status: u16,
    answer: Option<String>,
}

/// The page's ```http and ```python blocks, in order.
fn examples(page: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let language = match line.trim() {
            "```http" => "http",
            "```python" => "python",
            _ => continue,
        };
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        found.push(match language {
            "python" => Example::Python(block.join("\n")),
            _ if block.first().is_some_and(|l| l.ends_with(" HTTP/1.1")) => delivery(&block),
            _ => Example::Calls(calls(&block)),
        });
    }
    found
}

fn delivery(block: &[&str]) -> Example {
    let blank = block
        .iter()
        .position(|l| l.is_empty())
        .unwrap_or(block.len());
    Example::Delivery {
        headers: block[1..blank].iter().map(|l| (*l).to_owned()).collect(),
        body: block[blank..].join("\n"),
    }
}

/// Calls start at a line `METHOD /path`; the body runs to the `→ status answer` line.
fn calls(block: &[&str]) -> Vec<Call> {
    let starts: Vec<usize> = block
        .iter()
        .enumerate()
        .filter(|(_, l)| request_line(l).is_some())
        .map(|(i, _)| i)
        .collect();
    starts
        .iter()
        .zip(starts.iter().skip(1).copied().chain([block.len()]))
        .map(|(&start, end)| {
            let lines = &block[start..end];
            let (method, path) = request_line(lines[0]).unwrap_or_else(|| unreachable!());
            let arrow = lines
                .iter()
                .position(|l| l.starts_with('→'))
                .unwrap_or_else(|| panic!("no answer shown for {}", lines[0]));
            let body = lines[1..arrow].join("\n");
            let answer = lines[arrow..].join("\n");
            let answer = answer.trim_start_matches('→').trim();
            let (status, rest) = answer.split_once(' ').unwrap_or((answer, ""));
            Call {
                method,
                path,
                body: (!body.trim().is_empty()).then_some(body),
                status: status
                    .parse()
                    .unwrap_or_else(|_| panic!("status in {answer}")),
                answer: (!rest.trim().is_empty()).then(|| rest.to_owned()),
            }
        })
        .collect()
}

fn request_line(line: &str) -> Option<(Method, String)> {
    let (method, path) = line.split_once(' ')?;
    let method = match method {
        "GET" => Method::GET,
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "PATCH" => Method::PATCH,
        "DELETE" => Method::DELETE,
        _ => return None,
    };
    Some((method, path.strip_prefix("/api/v1")?.to_owned()))
}

/// Reads an answer as the page shows it: JSON where `…` may stand for a value, other
/// members of an object, or other items of an array (kept as a `"…"` item).
fn shown(text: &str) -> Value {
    let mut json = String::new();
    let mut open: Vec<char> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            in_string = c != '"' || escaped;
            escaped = c == '\\' && !escaped;
            json.push(c);
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => open.push(c),
            '}' | ']' => {
                open.pop();
            }
            _ => {}
        }
        if c.to_string() == ELLIPSIS {
            if open.last() == Some(&'[') || json.trim_end().ends_with(':') {
                json.push_str("\"…\"");
            } else {
                let kept = json.trim_end().trim_end_matches(',').len();
                json.truncate(kept);
            }
            continue;
        }
        json.push(c);
    }
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("the page's answer {text}: {e}"))
}

/// Values the examples take from earlier answers, by name.
#[derive(Default)]
struct Bound(HashMap<String, String>);

impl Bound {
    /// `text` with every `{name}` replaced by its value.
    fn fill(&self, text: &str) -> String {
        let mut filled = text.to_owned();
        for (name, value) in &self.0 {
            filled = filled.replace(&format!("{{{name}}}"), value);
        }
        filled = filled.replace(DOCUMENTED_HOST, &self.0["receiver"]);
        let unbound = filled
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}'))
            .find(|(name, _)| is_name(&format!("{{{name}}}")));
        assert!(
            unbound.is_none(),
            "nothing bound to {unbound:?} in {filled}"
        );
        filled
    }

    /// Whether `actual` matches what the page shows, binding the names it meets first;
    /// otherwise why not, at `path`.
    fn matches(&mut self, shown: &Value, actual: &Value, path: &str) -> Result<(), String> {
        let differs = || {
            Err(format!(
                "{path}: the page shows {shown}, the API answered {actual}"
            ))
        };
        match (shown, actual) {
            (Value::String(s), _) if s == ELLIPSIS => Ok(()),
            (Value::String(s), _) if is_name(s) => {
                let name = &s[1..s.len() - 1];
                let value = actual
                    .as_str()
                    .map_or_else(|| actual.to_string(), str::to_owned);
                match self.0.get(name) {
                    Some(bound) if *bound != value => differs(),
                    Some(_) => Ok(()),
                    None => {
                        self.0.insert(name.to_owned(), value);
                        Ok(())
                    }
                }
            }
            (Value::String(s), Value::String(a)) if s.contains(ELLIPSIS) => {
                if glob(s, a) {
                    Ok(())
                } else {
                    differs()
                }
            }
            (Value::Object(shown), Value::Object(actual)) => {
                for (key, value) in shown {
                    let Some(got) = actual.get(key) else {
                        return Err(format!("{path}.{key}: missing from the answer"));
                    };
                    self.matches(value, got, &format!("{path}.{key}"))?;
                }
                Ok(())
            }
            (Value::Array(shown), Value::Array(actual)) => {
                let open = shown.last() == Some(&json!(ELLIPSIS));
                let items = &shown[..shown.len() - usize::from(open)];
                if actual.len() < items.len() || (!open && actual.len() != items.len()) {
                    return differs();
                }
                for (i, (s, a)) in items.iter().zip(actual).enumerate() {
                    self.matches(s, a, &format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            _ if shown == actual => Ok(()),
            _ => differs(),
        }
    }
}

fn is_name(text: &str) -> bool {
    text.len() > 2
        && text.starts_with('{')
        && text.ends_with('}')
        && text[1..text.len() - 1]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_')
}

/// Whether `text` reads as `pattern` with each `…` standing for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split(ELLIPSIS).collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

async fn run(erp: &Session, bound: &mut Bound, call: &Call) {
    let path = bound.fill(&call.path);
    let mut request = erp.request(call.method.clone(), &path);
    if let Some(body) = &call.body {
        request = request
            .header("content-type", "application/json")
            .body(bound.fill(body));
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    let status = response.status();
    let answer = json_of(response).await;
    let what = format!("{} {path}", call.method);
    assert_eq!(status.as_u16(), call.status, "{what}: {answer}");
    if let Some(shown_answer) = &call.answer {
        let shown_answer = shown(shown_answer);
        if let Err(why) = bound.matches(&shown_answer, &answer, "answer") {
            panic!("{what}: {why}");
        }
    }
}

/// The business the page's later examples read: an order for two machines (536,000.00),
/// confirmed, one shipped, 100,000 invoiced and 50,000 paid.
async fn an_order_is_confirmed_shipped_invoiced_and_paid(
    org: &crate::quotes::SalesOrg,
    bound: &mut Bound,
) {
    let order = confirmed_order(org, "2").await;
    let id = id_of(&order);
    let admin = &org.tenant.admin;
    let shipment =
        json!({"carrier": "德邦物流", "lines": [{"line_id": line_id(&order, 0), "quantity": "1"}]});
    act(
        admin,
        &format!("/sales-orders/{id}/shipments"),
        &shipment,
        StatusCode::CREATED,
    )
    .await;
    let invoice = json!({"number": "04412345", "amount": "100000.00", "tax_amount": "11504.42", "kind": "vat_special"});
    act(
        admin,
        &format!("/sales-orders/{id}/invoices"),
        &invoice,
        StatusCode::CREATED,
    )
    .await;
    let payment = json!({"customer_id": org.customer, "sales_order_id": id, "amount": "50000.00", "method": "bank_transfer"});
    act(admin, "/payments", &payment, StatusCode::CREATED).await;
    bound.0.insert("order_id".to_owned(), id);
}

/// Waits until the endpoint has nothing left to send and the change feed has numbered
/// every event (the dispatcher does both; the later examples read them); answers what the
/// receiver got.
async fn settled(
    app: &TestApp,
    admin: &Session,
    bound: &Bound,
    receiver: &Receiver,
) -> Vec<Received> {
    let endpoint = format!("/webhook-endpoints/{}", bound.0["endpoint_id"]);
    for _ in 0..200 {
        if json_of(admin.get(&endpoint).await).await["pending_deliveries"] == 0 {
            while crm_persistence::event_feed::sequence(&app.db)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                > 0
            {}
            return receiver.received();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the endpoint's deliveries are still pending after 10 s");
}

/// The receiver's delivery of the page's event, checked against the page: its headers (a
/// shown Unix time stands for any) and its body.
fn check_delivery(bound: &mut Bound, got: &Received, headers: &[String], body: &str) {
    for header in headers {
        let (name, shown_value) = header.split_once(": ").unwrap_or((header, ""));
        let value = match name {
            "content-type" => got.content_type.clone(),
            "webhook-id" => got.id.clone(),
            "webhook-timestamp" => got.timestamp.to_string(),
            "webhook-signature" => got.signatures.join(" "),
            other => panic!("the page shows a header {other} the receiver does not look at"),
        };
        let unix_time = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit());
        if !(unix_time(shown_value) && unix_time(&value)) {
            let (shown_value, value) = (json!(shown_value), json!(value));
            if let Err(why) = bound.matches(&shown_value, &value, name) {
                panic!("the delivery's header: {why}");
            }
        }
    }
    if let Err(why) = bound.matches(&shown(body), &got.json(), "body") {
        panic!("the delivery: {why}");
    }
}

/// Runs the page's Python on the delivery: it must accept it and refuse it tampered with.
fn verify_in_python(code: &str, secret: &str, got: &Received) {
    let harness = r#"
import json, sys
given = json.load(sys.stdin)
headers, body = given["headers"], given["body"].encode()
stale = dict(headers, **{"webhook-timestamp": str(int(headers["webhook-timestamp"]) - 3600)})
print(json.dumps([verify(given["secret"], headers, body),
                  verify(given["secret"], headers, body + b" "),
                  verify(given["secret"], stale, body)]))
"#;
    let input = json!({
        "secret": secret,
        "headers": {"webhook-id": got.id, "webhook-timestamp": got.timestamp.to_string(),
                    "webhook-signature": got.signatures.join(" ")},
        "body": got.body,
    });
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!("{code}\n{harness}"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(input.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        printed.trim(),
        "[true, false, false]",
        "verify(): genuine, tampered, stale; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn every_example_of_the_integration_guide_runs() {
    let page = std::fs::read_to_string(PAGE).unwrap_or_else(|e| panic!("{PAGE}: {e}"));
    let app = spawn_app().await;
    let org = sales_org(&app, "acme").await;
    let admin = &org.tenant.admin;
    allow_loopback(&org.tenant).await;
    dispatch(&app, 1.0);
    let receiver = Receiver::start(&[]).await;
    let key = json_of(
        admin
            .post(
                "/api-keys",
                &json!({"name": "金蝶云星空 同步", "data_scope": "all", "user_id": admin.user_id,
                        "permissions": ["settings.manage", "customer.read", "customer.write",
                                        "sales_order.read", "sales_order.write",
                                        "receivable.read", "receivable.write"]}),
            )
            .await,
    )
    .await;
    let erp = with_key(admin, key["key"].as_str().unwrap_or_default());

    let mut bound = Bound::default();
    let base = receiver.url.trim_end_matches("/hooks/crm").to_owned();
    bound.0.insert("receiver".to_owned(), base);
    let mut delivered = None;
    let examples = examples(&page);
    assert!(examples.len() >= 8, "the page's examples were not found");
    for example in examples {
        match example {
            Example::Calls(calls) => {
                for call in &calls {
                    run(&erp, &mut bound, call).await;
                }
            }
            Example::Delivery { headers, body } => {
                an_order_is_confirmed_shipped_invoiced_and_paid(&org, &mut bound).await;
                let received = settled(&app, admin, &bound, &receiver).await;
                let got = received
                    .into_iter()
                    .find(|d| d.json()["type"] == "sales_order.confirmed")
                    .unwrap_or_else(|| panic!("no sales_order.confirmed delivered"));
                check_delivery(&mut bound, &got, &headers, &body);
                delivered = Some(got);
            }
            Example::Python(code) => {
                let got = delivered
                    .as_ref()
                    .unwrap_or_else(|| panic!("Python before a delivery"));
                let endpoint = &bound.0["endpoint_id"];
                let secret = json_of(
                    admin
                        .get(&format!("/webhook-endpoints/{endpoint}/secret"))
                        .await,
                )
                .await;
                verify_in_python(&code, secret["secret"].as_str().unwrap_or_default(), got);
            }
        }
    }
}
