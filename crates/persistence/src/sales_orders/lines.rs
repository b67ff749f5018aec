//! An order's lines: the quote's settled lines plus a promised date (交期) and how far each
//! has shipped, been signed for or been cancelled.

use chrono::NaiveDate;
use crm_api_types::products::{PriceSource, VatRate};
use crm_api_types::sales_orders::SalesOrderLineResponse;
use crm_domain::quote::QuoteLine;
use crm_domain::quote::totals::{self, Totals};
use crm_domain::sales_order::status::LineProgress;
use crm_domain::{Error, new_id};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::entities::{sales_order, sales_order_line};
use crate::error::storage;
use crate::money::{from_units, money_from_units, to_units};

/// A stored line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderLine {
    pub id: Uuid,
    pub line: QuoteLine,
    pub promised_date: Option<NaiveDate>,
    pub progress: LineProgress,
}

fn corrupt(id: Uuid, what: &str) -> Error {
    Error::Storage(format!("sales order {id} has an unknown {what}").into())
}

/// The order's columns that the lines decide.
pub(crate) fn totals_columns(
    lines: &[QuoteLine],
    header_discount_percent: Decimal,
) -> sales_order::ActiveModel {
    let pricing: Vec<_> = lines.iter().map(QuoteLine::pricing).collect();
    let (amounts, t) = totals::compute(&pricing, header_discount_percent);
    sales_order::ActiveModel {
        header_discount_percent: Set(to_units(header_discount_percent)),
        lines_total: Set(to_units(t.lines_total)),
        total_excl_vat: Set(to_units(t.total_excl_vat)),
        vat_amount: Set(to_units(t.vat_amount)),
        total: Set(to_units(t.total)),
        max_discount_percent: Set(to_units(totals::max_discount(&amounts))),
        ..Default::default()
    }
}

pub(crate) fn totals_of(lines: &[OrderLine], header_discount_percent: Decimal) -> Totals {
    let pricing: Vec<_> = lines.iter().map(|l| l.line.pricing()).collect();
    totals::compute(&pricing, header_discount_percent).1
}

/// Replaces the lines of a draft: nothing has shipped, so every line is open.
pub(crate) async fn write(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    order_id: Uuid,
    lines: &[(QuoteLine, Option<NaiveDate>)],
    header_discount_percent: Decimal,
) -> Result<(), Error> {
    sales_order_line::Entity::delete_many()
        .filter(sales_order_line::Column::TenantId.eq(tenant_id))
        .filter(sales_order_line::Column::SalesOrderId.eq(order_id))
        .exec(db)
        .await
        .map_err(storage)?;
    let rows: Vec<sales_order_line::ActiveModel> = lines
        .iter()
        .enumerate()
        .map(|(i, (l, promised_date))| {
            let net = totals::line_amounts(&l.pricing(), header_discount_percent).net_amount;
            sales_order_line::ActiveModel {
                id: Set(new_id()),
                tenant_id: Set(tenant_id),
                sales_order_id: Set(order_id),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                product_id: Set(l.product_id),
                product_code: Set(l.product_code.clone()),
                name: Set(l.name.clone()),
                spec: Set(l.spec.clone()),
                description: Set(l.description.clone()),
                quantity: Set(to_units(l.quantity)),
                unit: Set(l.unit.clone()),
                list_price: Set(l.list_price.map(to_units)),
                unit_price: Set(to_units(l.unit_price)),
                price_source: Set(l.price_source.map(|s| s.as_str().to_owned())),
                discount_percent: Set(to_units(l.discount_percent)),
                vat_rate: Set(l.vat_rate.as_str().to_owned()),
                net_amount: Set(to_units(net)),
                promised_date: Set(*promised_date),
                shipped_quantity: Set(0),
                delivered_quantity: Set(0),
                cancelled_quantity: Set(0),
                open_quantity: Set(to_units(l.quantity)),
            }
        })
        .collect();
    // 21 columns: 500 rows stay under either database's bind parameter limit.
    for chunk in rows.chunks(500) {
        sales_order_line::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

pub(crate) async fn stored(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<Vec<OrderLine>, Error> {
    rows(db, order)
        .await?
        .into_iter()
        .map(|l| of_row(order.id, l))
        .collect()
}

pub(crate) async fn rows(
    db: &impl ConnectionTrait,
    order: &sales_order::Model,
) -> Result<Vec<sales_order_line::Model>, Error> {
    sales_order_line::Entity::find()
        .filter(sales_order_line::Column::TenantId.eq(order.tenant_id))
        .filter(sales_order_line::Column::SalesOrderId.eq(order.id))
        .order_by_asc(sales_order_line::Column::Position)
        .all(db)
        .await
        .map_err(storage)
}

fn of_row(order_id: Uuid, l: sales_order_line::Model) -> Result<OrderLine, Error> {
    Ok(OrderLine {
        id: l.id,
        promised_date: l.promised_date,
        progress: LineProgress {
            quantity: from_units(l.quantity),
            shipped: from_units(l.shipped_quantity),
            delivered: from_units(l.delivered_quantity),
            cancelled: from_units(l.cancelled_quantity),
        },
        line: QuoteLine {
            product_id: l.product_id,
            product_code: l.product_code,
            name: l.name,
            spec: l.spec,
            description: l.description,
            quantity: from_units(l.quantity),
            unit: l.unit,
            list_price: l.list_price.map(money_from_units),
            unit_price: money_from_units(l.unit_price),
            price_source: match l.price_source.as_deref() {
                Some(key) => {
                    Some(PriceSource::parse(key).ok_or_else(|| corrupt(order_id, "price source"))?)
                }
                None => None,
            },
            discount_percent: from_units(l.discount_percent),
            vat_rate: VatRate::parse(&l.vat_rate).ok_or_else(|| corrupt(order_id, "VAT rate"))?,
        },
    })
}

/// Stores a line's shipped, delivered and cancelled quantities (and the open quantity they
/// leave) and its promised date.
pub(crate) async fn write_progress(
    db: &impl ConnectionTrait,
    line: &OrderLine,
) -> Result<(), Error> {
    let p = &line.progress;
    sales_order_line::Entity::update_many()
        .set(sales_order_line::ActiveModel {
            shipped_quantity: Set(to_units(p.shipped)),
            delivered_quantity: Set(to_units(p.delivered)),
            cancelled_quantity: Set(to_units(p.cancelled)),
            open_quantity: Set(to_units(p.open())),
            promised_date: Set(line.promised_date),
            ..Default::default()
        })
        .filter(sales_order_line::Column::Id.eq(line.id))
        .exec(db)
        .await
        .map_err(storage)?;
    Ok(())
}

/// The earliest promised date of a line still to ship.
pub(crate) fn next_promised_date(lines: &[OrderLine]) -> Option<NaiveDate> {
    lines
        .iter()
        .filter(|l| l.progress.open() > Decimal::ZERO)
        .filter_map(|l| l.promised_date)
        .min()
}

/// The lines as the API shows them; `today` is given while the order ships (a line is
/// overdue only then).
pub(crate) fn responses(
    lines: &[OrderLine],
    header_discount_percent: Decimal,
    today: Option<NaiveDate>,
) -> Vec<SalesOrderLineResponse> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let a = totals::line_amounts(&l.line.pricing(), header_discount_percent);
            let open = l.progress.open();
            SalesOrderLineResponse {
                id: l.id,
                position: u32::try_from(i).unwrap_or(u32::MAX),
                product_id: l.line.product_id,
                product_code: l.line.product_code.clone(),
                name: l.line.name.clone(),
                spec: l.line.spec.clone(),
                description: l.line.description.clone(),
                quantity: l.line.quantity.normalize(),
                unit: l.line.unit.clone(),
                unit_price: crm_domain::money::to_cents_at_least(l.line.unit_price),
                discount_percent: l.line.discount_percent.normalize(),
                vat_rate: l.line.vat_rate,
                amount: a.amount,
                net_amount: a.net_amount,
                promised_date: l.promised_date,
                shipped_quantity: l.progress.shipped.normalize(),
                delivered_quantity: l.progress.delivered.normalize(),
                cancelled_quantity: l.progress.cancelled.normalize(),
                open_quantity: open.normalize(),
                overdue: open > Decimal::ZERO
                    && l.promised_date.zip(today).is_some_and(|(d, t)| d < t),
            }
        })
        .collect()
}
