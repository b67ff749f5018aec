//! The demo's order-to-cash: a quote accepted and ordered, a contract waiting for its
//! approvers, and confirmed orders at every stage — not shipped (some past their promised
//! date), partly shipped, shipped, signed for — with 30/60/10 collection plans and payments
//! recorded by finance, so the overdue lists, aging and reminders have something to show.

use chrono::Duration;
use crm_api_types::contracts::CreateContractRequest;
use crm_api_types::quotes::{CreateQuoteRequest, QuoteLineRequest};
use crm_api_types::receivables::{
    CollectionPlanRequest, CreatePaymentRequest, DueRule, InstalmentRequest, PaymentMethod,
    PlanEvent,
};
use crm_api_types::sales_orders::{
    CreateSalesOrderRequest, CreateShipmentRequest, DeliverShipmentRequest, SalesOrderLineRequest,
    SalesOrderResponse, ShipmentLineRequest,
};
use crm_domain::contract::ContractFields;
use crm_domain::quote::QuoteFields;
use crm_domain::sales_order::OrderFields;
use crm_domain::{Caller, today_in_china};
use crm_persistence::{Database, contracts, quotes, receivables, sales_orders};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Catalogue positions priced under 300,000 (see `sales::CATALOGUE`): machines and parts.
const MACHINES: [usize; 5] = [0, 1, 3, 4, 7];
const PARTS: [usize; 3] = [5, 8, 9];

fn fail(e: crm_domain::Error) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

fn plan() -> CollectionPlanRequest {
    let instalment = |name: &str, percent: i64, event: PlanEvent, days: u16| InstalmentRequest {
        name: Some(name.to_owned()),
        percent: Some(Decimal::from(percent)),
        amount: None,
        due: DueRule::AfterEvent { event, days },
    };
    CollectionPlanRequest {
        instalments: vec![
            instalment("预付款", 30, PlanEvent::OrderConfirmed, 7),
            instalment("发货款", 60, PlanEvent::FullyShipped, 30),
            instalment("质保金", 10, PlanEvent::Accepted, 365),
        ],
    }
}

/// How far a demo order has come.
#[derive(Clone, Copy)]
enum Stage {
    Confirmed,
    PartlyShipped,
    Shipped,
    SignedFor,
}

const STAGES: [Stage; 4] = [
    Stage::Confirmed,
    Stage::PartlyShipped,
    Stage::Shipped,
    Stage::SignedFor,
];

/// Seeds up to `count` orders for the first customers (id, owner); returns how many.
pub async fn seed(
    db: &Database,
    admin: &Caller,
    finance: &Caller,
    customers: &[(Uuid, Uuid)],
    products: &[Uuid],
    count: usize,
) -> anyhow::Result<usize> {
    if customers.is_empty() || products.len() < 10 {
        return Ok(0);
    }
    let today = today_in_china();
    let owner = |user_id: Uuid| Caller {
        user_id,
        ..admin.clone()
    };
    let (first_customer, first_owner) = customers[0];
    quoted_order(db, &owner(first_owner), first_customer, products[4]).await?;
    pending_contract(db, &owner(first_owner), first_customer, products[1]).await?;
    let mut made = 1;
    for (i, &(customer, rep)) in customers.iter().skip(1).take(count).enumerate() {
        let rep = owner(rep);
        // Every third order was promised last week: the overdue list has something.
        let promised = if i % 3 == 0 {
            today - Duration::days(7)
        } else {
            today + Duration::days(30 + 7 * i64::try_from(i).unwrap_or(0))
        };
        let lines = vec![
            SalesOrderLineRequest {
                product_id: Some(products[MACHINES[i % MACHINES.len()]]),
                quantity: Decimal::from(1 + i64::try_from(i % 2).unwrap_or(0)),
                ..Default::default()
            },
            SalesOrderLineRequest {
                product_id: Some(products[PARTS[i % PARTS.len()]]),
                quantity: Decimal::from(10),
                ..Default::default()
            },
        ];
        let request = CreateSalesOrderRequest {
            customer_id: Some(customer),
            customer_po: Some(format!("PO-{}", 88_000 + i)),
            promised_date: Some(promised),
            lines: Some(lines),
            ..Default::default()
        };
        let order = order_from(db, &rep, request).await?;
        advance(db, &rep, finance, order, STAGES[i % STAGES.len()]).await?;
        made += 1;
    }
    Ok(made)
}

async fn order_from(
    db: &Database,
    rep: &Caller,
    request: CreateSalesOrderRequest,
) -> anyhow::Result<SalesOrderResponse> {
    let origin = sales_orders::origin(
        db,
        rep,
        request.quote_id,
        request.contract_id,
        request.customer_id,
    )
    .await
    .map_err(fail)?;
    let (fields, lines) = OrderFields::parse_new(
        &request,
        origin.customer_id,
        origin.defaults.clone(),
        rep.user_id,
        today_in_china(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let order = sales_orders::create(db, rep, origin, fields, lines, request.promised_date, None)
        .await
        .map_err(fail)?;
    receivables::set_plan(db, rep, order.summary.id, &plan())
        .await
        .map_err(fail)?;
    sales_orders::submit(db, rep, order.summary.id, None, None)
        .await
        .map_err(fail)
}

/// Ships, signs for and collects as far as `stage`.
async fn advance(
    db: &Database,
    rep: &Caller,
    finance: &Caller,
    order: SalesOrderResponse,
    stage: Stage,
) -> anyhow::Result<SalesOrderResponse> {
    let id = order.summary.id;
    let ship = |all: bool| CreateShipmentRequest {
        carrier: Some("顺丰速运".to_owned()),
        tracking_number: Some(format!("SF{}", &id.simple().to_string()[20..])),
        lines: order
            .lines
            .iter()
            .filter(|l| all || l.position == 0)
            .map(|l| ShipmentLineRequest {
                line_id: l.id,
                quantity: l.open_quantity,
            })
            .collect(),
        ..Default::default()
    };
    let advance_payment = order
        .instalments
        .first()
        .map(|i| i.amount)
        .unwrap_or_default();
    match stage {
        Stage::Confirmed => return Ok(order),
        Stage::PartlyShipped => {
            return sales_orders::create_shipment(db, rep, id, &ship(false), None, None)
                .await
                .map_err(fail);
        }
        Stage::Shipped | Stage::SignedFor => {}
    }
    let shipped = sales_orders::create_shipment(db, rep, id, &ship(true), None, None)
        .await
        .map_err(fail)?;
    receivables::create_payment(
        db,
        finance,
        &CreatePaymentRequest {
            customer_id: order.summary.customer_id,
            received_on: None,
            amount: advance_payment,
            currency: None,
            method: PaymentMethod::BankTransfer,
            reference: Some(format!("回单 {}", order.summary.number)),
            note: None,
            allocations: None,
            sales_order_id: Some(id),
        },
        None,
    )
    .await
    .map_err(fail)?;
    let Stage::SignedFor = stage else {
        return Ok(shipped);
    };
    let mut last = shipped;
    for shipment in last.shipments.clone() {
        let request = DeliverShipmentRequest {
            delivered_on: None,
            received_by: Some("仓库 王工".to_owned()),
        };
        last = sales_orders::deliver_shipment(db, rep, shipment.id, &request, None)
            .await
            .map_err(fail)?;
    }
    Ok(last)
}

/// A quote the customer accepted, then ordered.
async fn quoted_order(
    db: &Database,
    rep: &Caller,
    customer: Uuid,
    product: Uuid,
) -> anyhow::Result<()> {
    let quote = accepted_quote(db, rep, customer, product).await?;
    let request = CreateSalesOrderRequest {
        quote_id: Some(quote),
        customer_po: Some("PO-87999".to_owned()),
        promised_date: Some(today_in_china() + Duration::days(45)),
        ..Default::default()
    };
    order_from(db, rep, request).await.map(drop)
}

async fn accepted_quote(
    db: &Database,
    rep: &Caller,
    customer: Uuid,
    product: Uuid,
) -> anyhow::Result<Uuid> {
    let request = CreateQuoteRequest {
        customer_id: Some(customer),
        payment_terms: Some("预付30%，发货后付60%，质保金10%".to_owned()),
        lines: Some(vec![QuoteLineRequest {
            product_id: Some(product),
            quantity: Decimal::from(2),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let origin = quotes::origin(db, rep, None, Some(customer))
        .await
        .map_err(fail)?;
    let (fields, lines) = QuoteFields::parse_new(
        &request,
        origin.customer_id,
        None,
        rep.user_id,
        today_in_china(),
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let quote = quotes::create(db, rep, fields, lines.unwrap_or_default())
        .await
        .map_err(fail)?;
    let id = quote.summary.id;
    quotes::submit(db, rep, id, None, None)
        .await
        .map_err(fail)?;
    quotes::send(db, rep, id, None, None).await.map_err(fail)?;
    quotes::accept(db, rep, id, None, Some("客户已盖章回传"))
        .await
        .map_err(fail)?;
    Ok(id)
}

/// A contract from an accepted quote, waiting for its approvers (manager, finance, legal).
async fn pending_contract(
    db: &Database,
    rep: &Caller,
    customer: Uuid,
    product: Uuid,
) -> anyhow::Result<()> {
    let quote = accepted_quote(db, rep, customer, product).await?;
    let request = CreateContractRequest {
        quote_id: Some(quote),
        title: Some("年度设备采购合同".to_owned()),
        starts_on: Some(today_in_china()),
        ends_on: Some(today_in_china() + Duration::days(365)),
        terms: Some("质保期一年；逾期交货按日千分之一支付违约金。".to_owned()),
        ..Default::default()
    };
    let origin = contracts::origin(db, rep, Some(quote), None, None)
        .await
        .map_err(fail)?;
    let (fields, lines) = ContractFields::parse_new(
        &request,
        origin.customer_id,
        &origin.customer_name,
        origin.defaults.clone(),
        rep.user_id,
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let contract = contracts::create(db, rep, origin, fields, lines)
        .await
        .map_err(fail)?;
    contracts::submit(db, rep, contract.summary.id, None, Some("请审批"))
        .await
        .map_err(fail)
        .map(drop)
}
