//! A quote's lines: settled against the catalogue and the customer's price lists (two rounds
//! of queries whatever the number of lines), stored, read back, and shown with their amounts
//! and the customer's last price.

use std::collections::{HashMap, HashSet};

use crm_api_types::products::{PriceSource, VatRate};
use crm_api_types::quotes::{QuoteLineResponse, QuoteTotals};
use crm_domain::pricing::Buyer;
use crm_domain::quote::totals::{self, Totals};
use crm_domain::quote::{LineInput, ProductFacts, QuoteLine, Resolved, settle};
use crm_domain::{Error, new_id, today_in_china};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::entities::{customer, product, quote, quote_line};
use crate::error::storage;
use crate::money::{from_units, money_from_units, to_units};

fn corrupt(id: Uuid, what: &str) -> Error {
    Error::Storage(format!("quote {id} has an unknown {what}").into())
}

/// Settles `inputs` for `customer` in `currency`: products from the catalogue, prices not
/// given from the price lists. `kept` are products already on the quote, which stay even
/// when deactivated since.
pub(crate) async fn settle_lines(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    customer: &customer::Model,
    currency: &str,
    inputs: &[LineInput],
    kept: &HashSet<Uuid>,
    header_discount_percent: Decimal,
) -> Result<Vec<QuoteLine>, Error> {
    let ids: Vec<Uuid> = inputs.iter().filter_map(|l| l.product_id).collect();
    let products: HashMap<Uuid, product::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        product::Entity::find()
            .filter(product::Column::TenantId.eq(tenant_id))
            .filter(product::Column::DeletedAt.is_null())
            .filter(product::Column::Id.is_in(ids))
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|p| (p.id, p))
            .collect()
    };
    // Only lines with a known product and no price given are looked up.
    let asked: Vec<(usize, (Uuid, Decimal))> = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match (l.product_id, l.unit_price) {
            (Some(id), None) if products.contains_key(&id) => Some((i, (id, l.quantity))),
            _ => None,
        })
        .collect();
    let mut resolved: Vec<Option<Resolved>> = vec![None; inputs.len()];
    if !asked.is_empty() {
        let buyer = Buyer {
            customer_id: Some(customer.id),
            tier: customer.tier.clone(),
        };
        let lookups: Vec<(Uuid, Decimal)> = asked.iter().map(|(_, l)| *l).collect();
        let priced = crate::pricing::resolve(
            db,
            tenant_id,
            &buyer,
            currency,
            today_in_china(),
            &lookups,
            false,
        )
        .await?;
        for ((i, _), found) in asked.iter().zip(priced) {
            resolved[*i] = found.resolved.map(|r| Resolved {
                unit_price: r.unit_price,
                source: r.source,
            });
        }
    }
    let facts: Vec<Option<ProductFacts>> = inputs
        .iter()
        .map(|l| {
            let p = products.get(&l.product_id?)?;
            Some(ProductFacts {
                code: p.code.clone(),
                name: p.name.clone(),
                spec: p.spec.clone(),
                unit: p.unit.clone(),
                vat_rate: VatRate::parse(&p.vat_rate).unwrap_or(VatRate::Goods13),
                list_price: (p.currency == currency).then(|| money_from_units(p.list_price)),
                active: p.active,
            })
        })
        .collect();
    let was_on_quote: Vec<bool> = inputs
        .iter()
        .map(|l| l.product_id.is_some_and(|id| kept.contains(&id)))
        .collect();
    Ok(settle(
        inputs,
        &facts,
        &resolved,
        &was_on_quote,
        header_discount_percent,
    )?)
}

/// The totals of settled lines.
pub(crate) fn totals_of(lines: &[QuoteLine], header_discount_percent: Decimal) -> Totals {
    let pricing: Vec<_> = lines.iter().map(QuoteLine::pricing).collect();
    totals::compute(&pricing, header_discount_percent).1
}

pub(crate) fn totals_response(t: &Totals) -> QuoteTotals {
    QuoteTotals {
        lines_total: t.lines_total,
        header_discount_percent: t.header_discount_percent.normalize(),
        header_discount_amount: t.header_discount_amount,
        total_excl_vat: t.total_excl_vat,
        vat_amount: t.vat_amount,
        total: t.total,
    }
}

/// The quote's columns that the lines decide.
pub(crate) fn totals_columns(
    lines: &[QuoteLine],
    header_discount_percent: Decimal,
) -> quote::ActiveModel {
    let pricing: Vec<_> = lines.iter().map(QuoteLine::pricing).collect();
    let (amounts, t) = totals::compute(&pricing, header_discount_percent);
    quote::ActiveModel {
        header_discount_percent: Set(to_units(header_discount_percent)),
        lines_total: Set(to_units(t.lines_total)),
        total_excl_vat: Set(to_units(t.total_excl_vat)),
        vat_amount: Set(to_units(t.vat_amount)),
        total: Set(to_units(t.total)),
        max_discount_percent: Set(to_units(totals::max_discount(&amounts))),
        ..Default::default()
    }
}

pub(crate) async fn write(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    quote_id: Uuid,
    lines: &[QuoteLine],
) -> Result<(), Error> {
    quote_line::Entity::delete_many()
        .filter(quote_line::Column::TenantId.eq(tenant_id))
        .filter(quote_line::Column::QuoteId.eq(quote_id))
        .exec(db)
        .await
        .map_err(storage)?;
    let rows: Vec<quote_line::ActiveModel> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| quote_line::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(tenant_id),
            quote_id: Set(quote_id),
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
        })
        .collect();
    // 16 columns: 500 rows stay under either database's bind parameter limit.
    for chunk in rows.chunks(500) {
        quote_line::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

pub(crate) async fn stored(
    db: &impl ConnectionTrait,
    model: &quote::Model,
) -> Result<Vec<QuoteLine>, Error> {
    quote_line::Entity::find()
        .filter(quote_line::Column::TenantId.eq(model.tenant_id))
        .filter(quote_line::Column::QuoteId.eq(model.id))
        .order_by_asc(quote_line::Column::Position)
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|l| {
            Ok(QuoteLine {
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
                    Some(key) => Some(
                        PriceSource::parse(key).ok_or_else(|| corrupt(model.id, "price source"))?,
                    ),
                    None => None,
                },
                discount_percent: from_units(l.discount_percent),
                vat_rate: VatRate::parse(&l.vat_rate)
                    .ok_or_else(|| corrupt(model.id, "VAT rate"))?,
            })
        })
        .collect()
}

/// The lines as the API shows them, each with its amounts and the customer's last price for
/// its product.
pub(crate) async fn responses(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    customer_id: Uuid,
    customer_name: &str,
    lines: &[QuoteLine],
    header_discount_percent: Decimal,
) -> Result<Vec<QuoteLineResponse>, Error> {
    let product_ids: Vec<Uuid> = lines.iter().filter_map(|l| l.product_id).collect();
    let last = crate::price_history::last_prices(db, tenant_id, customer_id, &product_ids).await?;
    let pricing: Vec<_> = lines.iter().map(QuoteLine::pricing).collect();
    let (amounts, _) = totals::compute(&pricing, header_discount_percent);
    lines
        .iter()
        .zip(amounts)
        .enumerate()
        .map(|(i, (l, a))| {
            let last_price = match l.product_id.and_then(|id| last.get(&id)) {
                Some(entry) => Some(
                    crate::price_history::PriceHistoryRow::named(
                        entry,
                        customer_name,
                        l.product_code.as_deref().unwrap_or_default(),
                        &l.name,
                    )?
                    .response(),
                ),
                None => None,
            };
            Ok(QuoteLineResponse {
                position: u32::try_from(i).unwrap_or(u32::MAX),
                product_id: l.product_id,
                product_code: l.product_code.clone(),
                name: l.name.clone(),
                spec: l.spec.clone(),
                description: l.description.clone(),
                quantity: l.quantity.normalize(),
                unit: l.unit.clone(),
                list_price: l.list_price,
                unit_price: crm_domain::money::to_cents_at_least(l.unit_price),
                price_source: l.price_source,
                last_price,
                discount_percent: l.discount_percent.normalize(),
                vat_rate: l.vat_rate,
                amount: a.amount,
                net_amount: a.net_amount,
                net_amount_excl_vat: a.net_amount_excl_vat,
                vat_amount: a.vat_amount,
                effective_discount_percent: a.effective_discount_percent,
            })
        })
        .collect()
}
