//! 价格履历: every price a customer was given for a product, kept as it was agreed. Rows are
//! written by the records that agree prices (a won opportunity, a quote, an order) inside
//! their own transaction, and never change.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use crm_api_types::products::{PriceEvent, PriceHistoryResponse};
use crm_domain::{Caller, Error, new_id, now};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::entities::{customer, price_history, product};
use crate::error::storage;
use crate::keyset::{self, KeyKind, Keyset};
use crate::money::{from_units, money_from_units, to_units};

/// A price to remember, as the record that agreed it gives it.
pub struct NewPrice {
    pub customer_id: Uuid,
    pub product_id: Uuid,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub currency: String,
    pub event: PriceEvent,
    pub source_id: Uuid,
    pub source_name: String,
}

/// One remembered price with the names of its customer and product.
#[derive(Debug, Clone)]
pub struct PriceHistoryRow {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub product_id: Uuid,
    pub product_code: String,
    pub product_name: String,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub currency: String,
    pub event: PriceEvent,
    pub source_id: Uuid,
    pub source_name: String,
    pub recorded_at: DateTime<Utc>,
}

impl PriceHistoryRow {
    /// As the API shows it.
    pub fn response(self) -> PriceHistoryResponse {
        PriceHistoryResponse {
            id: self.id,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            product_id: self.product_id,
            product_code: self.product_code,
            product_name: self.product_name,
            quantity: self.quantity,
            unit_price: self.unit_price,
            discount_percent: self.discount_percent,
            currency: self.currency,
            event: self.event,
            source_id: self.source_id,
            source_name: self.source_name,
            recorded_at: self.recorded_at,
        }
    }

    pub(crate) fn of(
        m: &price_history::Model,
        customer_name: &str,
        product: &product::Model,
    ) -> Result<Self, Error> {
        Self::named(m, customer_name, &product.code, &product.name)
    }

    pub(crate) fn named(
        m: &price_history::Model,
        customer_name: &str,
        product_code: &str,
        product_name: &str,
    ) -> Result<Self, Error> {
        let event = PriceEvent::parse(&m.event).ok_or_else(|| {
            Error::Storage(format!("price history {} has an unknown event", m.id).into())
        })?;
        Ok(Self {
            id: m.id,
            customer_id: m.customer_id,
            customer_name: customer_name.to_owned(),
            product_id: m.product_id,
            product_code: product_code.to_owned(),
            product_name: product_name.to_owned(),
            quantity: from_units(m.quantity),
            unit_price: money_from_units(m.unit_price),
            discount_percent: from_units(m.discount_percent),
            currency: m.currency.clone(),
            event,
            source_id: m.source_id,
            source_name: m.source_name.clone(),
            recorded_at: m.recorded_at,
        })
    }
}

/// Remembers `entries`, in the caller's transaction, in as few statements as the database's
/// bind parameter limit allows.
pub(crate) async fn record(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    entries: &[NewPrice],
) -> Result<(), Error> {
    let at = now();
    let models: Vec<price_history::ActiveModel> = entries
        .iter()
        .map(|e| price_history::ActiveModel {
            id: Set(new_id()),
            tenant_id: Set(caller.tenant_id),
            customer_id: Set(e.customer_id),
            product_id: Set(e.product_id),
            quantity: Set(to_units(e.quantity)),
            unit_price: Set(to_units(e.unit_price)),
            discount_percent: Set(to_units(e.discount_percent)),
            currency: Set(e.currency.clone()),
            event: Set(e.event.as_str().to_owned()),
            source_id: Set(e.source_id),
            source_name: Set(e.source_name.clone()),
            recorded_by: Set(caller.user_id),
            recorded_at: Set(at),
        })
        .collect();
    // 13 columns: 1,000 rows stay under either database's bind parameter limit.
    for chunk in models.chunks(1000) {
        price_history::Entity::insert_many(chunk.to_vec())
            .exec(conn)
            .await
            .map_err(storage)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct PriceHistoryFilter {
    pub customer_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    pub event: Option<PriceEvent>,
}

/// Newest first, keyset-paginated on (recorded_at, id); only prices of customers the
/// caller's data scope covers.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &PriceHistoryFilter,
    limit: u64,
    cursor: Option<&Cursor>,
) -> Result<(Vec<PriceHistoryRow>, Option<Cursor>), Error> {
    let visible_customers = crate::customers::visible(caller)
        .select_only()
        .column(customer::Column::Id)
        .into_query();
    let mut query = price_history::Entity::find()
        .filter(price_history::Column::TenantId.eq(caller.tenant_id))
        .filter(price_history::Column::CustomerId.in_subquery(visible_customers));
    if let Some(v) = filter.customer_id {
        query = query.filter(price_history::Column::CustomerId.eq(v));
    }
    if let Some(v) = filter.product_id {
        query = query.filter(price_history::Column::ProductId.eq(v));
    }
    if let Some(v) = filter.event {
        query = query.filter(price_history::Column::Event.eq(v.as_str()));
    }
    let keyset = Keyset {
        column: price_history::Column::RecordedAt,
        kind: KeyKind::Time,
        id: price_history::Column::Id,
        descending: true,
    };
    let (models, next) = keyset::page(db, query, keyset, limit, cursor, |m| Cursor {
        value: m.recorded_at.to_rfc3339(),
        id: m.id,
    })
    .await?;
    Ok((rows(db, caller.tenant_id, &models).await?, next))
}

/// Rows with customer and product names, two queries for the whole page.
async fn rows(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    models: &[price_history::Model],
) -> Result<Vec<PriceHistoryRow>, Error> {
    let customers = crate::customers::names(
        db,
        tenant_id,
        models.iter().map(|m| m.customer_id).collect(),
    )
    .await?;
    let products =
        product_names(db, tenant_id, models.iter().map(|m| m.product_id).collect()).await?;
    models
        .iter()
        .map(|m| {
            let customer = customers.get(&m.customer_id).map_or("", String::as_str);
            let (code, name) = products
                .get(&m.product_id)
                .map_or(("", ""), |(c, n)| (c.as_str(), n.as_str()));
            PriceHistoryRow::named(m, customer, code, name)
        })
        .collect()
}

/// Code and name of the given products of one tenant, deleted ones too.
async fn product_names(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, (String, String)>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found: Vec<(Uuid, String, String)> = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .column(product::Column::Code)
        .column(product::Column::Name)
        .filter(product::Column::TenantId.eq(tenant_id))
        .filter(product::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(found
        .into_iter()
        .map(|(id, code, name)| (id, (code, name)))
        .collect())
}

/// The latest price of each product for one customer, in one query: the rows with no later
/// row for the same customer and product (the history index answers each probe).
pub async fn last_prices(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    customer_id: Uuid,
    product_ids: &[Uuid],
) -> Result<HashMap<Uuid, price_history::Model>, Error> {
    if product_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let later = Alias::new("later");
    let this = |column: price_history::Column| Expr::col((price_history::Entity, column));
    let other = |column: price_history::Column| Expr::col((later.clone(), column));
    let newer = Query::select()
        .expr(Expr::val(1))
        .from_as(price_history::Entity, later.clone())
        .and_where(other(price_history::Column::TenantId).eq(tenant_id))
        .and_where(other(price_history::Column::CustomerId).eq(customer_id))
        .and_where(
            other(price_history::Column::ProductId)
                .equals((price_history::Entity, price_history::Column::ProductId)),
        )
        .and_where(
            Expr::tuple([
                other(price_history::Column::RecordedAt),
                other(price_history::Column::Id),
            ])
            .gt(Expr::tuple([
                this(price_history::Column::RecordedAt),
                this(price_history::Column::Id),
            ])),
        )
        .to_owned();
    let latest = price_history::Entity::find()
        .filter(price_history::Column::TenantId.eq(tenant_id))
        .filter(price_history::Column::CustomerId.eq(customer_id))
        .filter(price_history::Column::ProductId.is_in(product_ids.iter().copied()))
        .filter(Expr::exists(newer).not())
        .all(db)
        .await
        .map_err(storage)?;
    Ok(latest.into_iter().map(|m| (m.product_id, m)).collect())
}
