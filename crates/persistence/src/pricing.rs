//! Price resolution against the database: two queries gather every product and every break
//! that could apply, whatever the number of lines, then `crm_domain::pricing::resolve`
//! decides each line in memory.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use crm_api_types::products::VatRate;
use crm_domain::pricing::{Buyer, ListPrice, ListTerms, Offer, Resolved};
use crm_domain::{Caller, Error, FieldErrors, Violation};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, FromQueryResult, QueryFilter};
use uuid::Uuid;

use crate::entities::{price_list, price_list_item, product};
use crate::error::storage;
use crate::money::{from_units, money_from_units};
use crate::price_history::PriceHistoryRow;
use crate::price_lists::audience_of;

/// A line's product and the price that applies to it (`None`: nothing prices it in the
/// asked currency).
pub struct PricedLine {
    pub product: product::Model,
    pub resolved: Option<Resolved>,
}

/// `lines[i]` is (product_id, quantity). An unknown or deleted product is a 422 on
/// `lines[i].product_id`; an inactive one on `lines[i].product_id` with code unknown_value
/// (only when `refuse_inactive`).
pub async fn resolve(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    buyer: &Buyer,
    currency: &str,
    date: NaiveDate,
    lines: &[(Uuid, Decimal)],
    refuse_inactive: bool,
) -> Result<Vec<PricedLine>, Error> {
    let products = products(db, tenant_id, lines, refuse_inactive).await?;
    let product_ids: HashSet<Uuid> = products.iter().map(|p| p.id).collect();
    let offers = offers(db, tenant_id, buyer, currency, date, product_ids).await?;
    Ok(products
        .into_iter()
        .zip(lines)
        .map(|(product, (_, quantity))| {
            let list_price = ListPrice {
                price: money_from_units(product.list_price),
                currency: product.currency.clone(),
            };
            let candidates = offers.breaks.get(&product.id).into_iter().flatten();
            let resolved = crm_domain::pricing::resolve(
                buyer,
                &list_price,
                *quantity,
                currency,
                date,
                candidates.filter_map(|b| offers.offer(b)),
            );
            PricedLine { product, resolved }
        })
        .collect())
}

/// Each line's live product; a field error for each line whose product is missing (or
/// inactive, when refused).
async fn products(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    lines: &[(Uuid, Decimal)],
    refuse_inactive: bool,
) -> Result<Vec<product::Model>, Error> {
    let ids: HashSet<Uuid> = lines.iter().map(|(id, _)| *id).collect();
    let found: HashMap<Uuid, product::Model> = crate::products::live(tenant_id)
        .filter(product::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut errors = FieldErrors::new();
    let mut products = Vec::with_capacity(lines.len());
    for (i, (id, _)) in lines.iter().enumerate() {
        let field = format!("lines[{i}].product_id");
        match found.get(id) {
            None => errors.add(&field, Violation::NotFound),
            Some(p) if refuse_inactive && !p.active => errors.add(&field, Violation::UnknownValue),
            Some(p) => products.push(p.clone()),
        }
    }
    Ok(errors.finish(products)?)
}

/// One break of a candidate list.
struct Break {
    list_id: Uuid,
    min_quantity: Decimal,
    unit_price: Decimal,
}

/// The lists that may apply, and their breaks by product.
#[derive(Default)]
struct Offers {
    lists: HashMap<Uuid, ListTerms>,
    breaks: HashMap<Uuid, Vec<Break>>,
}

impl Offers {
    fn offer(&self, b: &Break) -> Option<Offer<'_>> {
        self.lists.get(&b.list_id).map(|list| Offer {
            list,
            min_quantity: b.min_quantity,
            unit_price: b.unit_price,
        })
    }
}

/// Every break, for the given products, of the tenant's live and active lists in `currency`
/// valid on `date` for the buyer or its tier: one query. The domain applies the same rules
/// again, so this only has to gather no less than what may apply.
async fn offers(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    buyer: &Buyer,
    currency: &str,
    date: NaiveDate,
    product_ids: HashSet<Uuid>,
) -> Result<Offers, Error> {
    #[derive(FromQueryResult)]
    struct Joined {
        price_list_id: Uuid,
        product_id: Uuid,
        min_quantity: i64,
        unit_price: i64,
        name: String,
        tier: Option<String>,
        customer_id: Option<Uuid>,
        valid_from: Option<NaiveDate>,
        valid_to: Option<NaiveDate>,
    }
    let mut audience = Condition::any();
    if let Some(id) = buyer.customer_id {
        audience =
            audience.add(Expr::col((price_list::Entity, price_list::Column::CustomerId)).eq(id));
    }
    if let Some(tier) = &buyer.tier {
        audience = audience
            .add(Expr::col((price_list::Entity, price_list::Column::Tier)).eq(tier.as_str()));
    }
    if product_ids.is_empty() || audience.is_empty() {
        return Ok(Offers::default());
    }
    let list = |column: price_list::Column| Expr::col((price_list::Entity, column));
    let item = |column: price_list_item::Column| Expr::col((price_list_item::Entity, column));
    let query = Query::select()
        .column((
            price_list_item::Entity,
            price_list_item::Column::PriceListId,
        ))
        .column((price_list_item::Entity, price_list_item::Column::ProductId))
        .column((
            price_list_item::Entity,
            price_list_item::Column::MinQuantity,
        ))
        .column((price_list_item::Entity, price_list_item::Column::UnitPrice))
        .column((price_list::Entity, price_list::Column::Name))
        .column((price_list::Entity, price_list::Column::Tier))
        .column((price_list::Entity, price_list::Column::CustomerId))
        .column((price_list::Entity, price_list::Column::ValidFrom))
        .column((price_list::Entity, price_list::Column::ValidTo))
        .from(price_list_item::Entity)
        .inner_join(
            price_list::Entity,
            list(price_list::Column::Id).equals((
                price_list_item::Entity,
                price_list_item::Column::PriceListId,
            )),
        )
        .and_where(item(price_list_item::Column::TenantId).eq(tenant_id))
        .and_where(item(price_list_item::Column::ProductId).is_in(product_ids))
        .and_where(list(price_list::Column::TenantId).eq(tenant_id))
        .and_where(list(price_list::Column::DeletedAt).is_null())
        .and_where(list(price_list::Column::Active).eq(true))
        .and_where(list(price_list::Column::Currency).eq(currency))
        .cond_where(
            Condition::all()
                .add(audience)
                .add(
                    Condition::any()
                        .add(list(price_list::Column::ValidFrom).is_null())
                        .add(list(price_list::Column::ValidFrom).lte(date)),
                )
                .add(
                    Condition::any()
                        .add(list(price_list::Column::ValidTo).is_null())
                        .add(list(price_list::Column::ValidTo).gte(date)),
                ),
        )
        .to_owned();
    let joined = Joined::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
        .map_err(storage)?;
    let mut offers = Offers::default();
    for j in joined {
        if let Entry::Vacant(slot) = offers.lists.entry(j.price_list_id) {
            slot.insert(ListTerms {
                id: j.price_list_id,
                name: j.name,
                audience: audience_of(j.price_list_id, j.tier, j.customer_id)?,
                currency: currency.to_owned(),
                valid_from: j.valid_from,
                valid_to: j.valid_to,
                active: true,
            });
        }
        offers.breaks.entry(j.product_id).or_default().push(Break {
            list_id: j.price_list_id,
            min_quantity: from_units(j.min_quantity),
            unit_price: money_from_units(j.unit_price),
        });
    }
    Ok(offers)
}

/// One line of a price lookup as the resolve endpoint answers it.
pub struct QuotedLine {
    pub product_id: Uuid,
    pub quantity: Decimal,
    /// The product's own price, in its own currency.
    pub list_price: Decimal,
    pub vat_rate: VatRate,
    pub resolved: Option<Resolved>,
    /// The last price this customer got for the product.
    pub last_price: Option<PriceHistoryRow>,
}

/// Prices `lines` for `customer_id` (one the caller sees; its tier counts too), or at list
/// price without a customer, each with the customer's last price for the product. Inactive
/// products are priced: looking a price up changes nothing.
pub async fn quote(
    db: &impl ConnectionTrait,
    caller: &Caller,
    customer_id: Option<Uuid>,
    currency: &str,
    date: NaiveDate,
    lines: &[(Uuid, Decimal)],
) -> Result<Vec<QuotedLine>, Error> {
    let customer = match customer_id {
        Some(id) => Some(crate::customers::find_referenced(db, caller, id, "customer_id").await?),
        None => None,
    };
    let buyer = Buyer {
        customer_id,
        tier: customer.as_ref().and_then(|c| c.tier.clone()),
    };
    let priced = resolve(db, caller.tenant_id, &buyer, currency, date, lines, false).await?;
    let last = match &customer {
        Some(c) => {
            let ids: Vec<Uuid> = priced.iter().map(|p| p.product.id).collect();
            crate::price_history::last_prices(db, caller.tenant_id, c.id, &ids).await?
        }
        None => HashMap::new(),
    };
    priced
        .into_iter()
        .zip(lines)
        .map(|(line, (_, quantity))| {
            let last_price = match (&customer, last.get(&line.product.id)) {
                (Some(c), Some(entry)) => Some(PriceHistoryRow::of(entry, &c.name, &line.product)?),
                _ => None,
            };
            Ok(QuotedLine {
                product_id: line.product.id,
                quantity: *quantity,
                list_price: money_from_units(line.product.list_price),
                vat_rate: crate::products::vat_rate(&line.product)?,
                resolved: line.resolved,
                last_price,
            })
        })
        .collect()
}
