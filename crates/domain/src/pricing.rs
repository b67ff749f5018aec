//! Price resolution: what a customer pays for a product, for a quantity, on a day.
//!
//! The rules, in order:
//! 1. Only active price lists in the asked currency, valid on the day (`valid_from` and
//!    `valid_to` inclusive, either open), for this customer or for its tier, count.
//! 2. A list for the customer itself beats a list for its tier (a negotiated price beats
//!    the tier's); between two lists of the same kind, the one valid from the later day
//!    wins (the newer agreement).
//! 3. Within a list, the largest quantity break not above the quantity applies. A list
//!    without a break that low does not price the line, and the next list is tried.
//! 4. Without a list, the product's list price, if it is in the asked currency.

use chrono::NaiveDate;
use crm_api_types::products::PriceSource;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Who a price list is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Tier(String),
    Customer(Uuid),
}

/// A price list's terms, without its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTerms {
    pub id: Uuid,
    pub name: String,
    pub audience: Audience,
    pub currency: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub active: bool,
}

impl ListTerms {
    fn applies(&self, buyer: &Buyer, currency: &str, date: NaiveDate) -> bool {
        let audience = match &self.audience {
            Audience::Customer(id) => buyer.customer_id == Some(*id),
            Audience::Tier(tier) => buyer.tier.as_deref() == Some(tier.as_str()),
        };
        self.active
            && audience
            && self.currency == currency
            && self.valid_from.is_none_or(|from| from <= date)
            && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// One quantity break of one list: from `min_quantity` on, `unit_price`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer<'a> {
    pub list: &'a ListTerms,
    pub min_quantity: Decimal,
    pub unit_price: Decimal,
}

/// The customer asking; `None` fields match no list of that kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buyer {
    pub customer_id: Option<Uuid>,
    pub tier: Option<String>,
}

/// What the product costs without any list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPrice {
    pub price: Decimal,
    pub currency: String,
}

/// The price that applies and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub unit_price: Decimal,
    pub source: PriceSource,
    /// The list and the break that applied; `None` for the list price.
    pub from_list: Option<(Uuid, String, Decimal)>,
}

/// Resolves one product's price. `offers` are the product's breaks in any lists; those that
/// do not apply are skipped here, so the caller may pass more than it needs to.
pub fn resolve<'a>(
    buyer: &Buyer,
    list_price: &ListPrice,
    quantity: Decimal,
    currency: &str,
    date: NaiveDate,
    offers: impl IntoIterator<Item = Offer<'a>>,
) -> Option<Resolved> {
    let best = offers
        .into_iter()
        .filter(|o| o.min_quantity <= quantity && o.list.applies(buyer, currency, date))
        .max_by(|a, b| rank(a).cmp(&rank(b)));
    match best {
        Some(offer) => Some(Resolved {
            unit_price: offer.unit_price,
            source: match offer.list.audience {
                Audience::Customer(_) => PriceSource::Customer,
                Audience::Tier(_) => PriceSource::Tier,
            },
            from_list: Some((offer.list.id, offer.list.name.clone(), offer.min_quantity)),
        }),
        None if list_price.currency == currency => Some(Resolved {
            unit_price: list_price.price,
            source: PriceSource::ListPrice,
            from_list: None,
        }),
        None => None,
    }
}

/// Higher is better: customer over tier, then the later start, then the larger break; the
/// list id last keeps the choice the same between two runs over equal terms.
fn rank(offer: &Offer<'_>) -> (bool, Option<NaiveDate>, Decimal, Uuid) {
    (
        matches!(offer.list.audience, Audience::Customer(_)),
        offer.list.valid_from,
        offer.min_quantity,
        offer.list.id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn customer() -> Uuid {
        Uuid::from_u128(7)
    }

    fn buyer() -> Buyer {
        Buyer {
            customer_id: Some(customer()),
            tier: Some("A".into()),
        }
    }

    fn list(id: u128, audience: Audience) -> ListTerms {
        ListTerms {
            id: Uuid::from_u128(id),
            name: format!("list {id}"),
            audience,
            currency: "CNY".into(),
            valid_from: None,
            valid_to: None,
            active: true,
        }
    }

    fn tier_a(id: u128) -> ListTerms {
        list(id, Audience::Tier("A".into()))
    }

    fn own(id: u128) -> ListTerms {
        list(id, Audience::Customer(customer()))
    }

    fn offer<'a>(list: &'a ListTerms, min: &str, price: &str) -> Offer<'a> {
        Offer {
            list,
            min_quantity: d(min),
            unit_price: d(price),
        }
    }

    fn catalogue() -> ListPrice {
        ListPrice {
            price: d("100"),
            currency: "CNY".into(),
        }
    }

    fn price<'a>(
        quantity: &str,
        date: &str,
        offers: impl IntoIterator<Item = Offer<'a>>,
    ) -> Option<(Decimal, PriceSource)> {
        resolve(
            &buyer(),
            &catalogue(),
            d(quantity),
            "CNY",
            day(date),
            offers,
        )
        .map(|r| (r.unit_price, r.source))
    }

    #[test]
    fn without_lists_the_list_price_applies() {
        assert_eq!(
            price("1", "2027-01-01", []),
            Some((d("100"), PriceSource::ListPrice))
        );
    }

    #[test]
    fn the_largest_break_not_above_the_quantity_applies() {
        let a = tier_a(1);
        let offers = [
            offer(&a, "1", "95"),
            offer(&a, "10", "90"),
            offer(&a, "50", "85"),
        ];
        assert_eq!(
            price("9.99", "2027-01-01", offers),
            Some((d("95"), PriceSource::Tier))
        );
        assert_eq!(
            price("10", "2027-01-01", offers),
            Some((d("90"), PriceSource::Tier))
        );
        assert_eq!(
            price("49", "2027-01-01", offers),
            Some((d("90"), PriceSource::Tier))
        );
        assert_eq!(
            price("500", "2027-01-01", offers),
            Some((d("85"), PriceSource::Tier))
        );
    }

    #[test]
    fn a_list_whose_smallest_break_is_above_the_quantity_does_not_price_it() {
        let a = tier_a(1);
        let offers = [offer(&a, "10", "90")];
        assert_eq!(
            price("5", "2027-01-01", offers),
            Some((d("100"), PriceSource::ListPrice))
        );
    }

    #[test]
    fn the_customers_own_list_beats_its_tier_even_when_dearer() {
        let a = tier_a(1);
        let mine = own(2);
        let offers = [offer(&a, "1", "80"), offer(&mine, "1", "92")];
        assert_eq!(
            price("1", "2027-01-01", offers),
            Some((d("92"), PriceSource::Customer))
        );
    }

    #[test]
    fn the_own_list_falls_back_to_the_tier_when_its_breaks_are_too_high() {
        let a = tier_a(1);
        let mine = own(2);
        let offers = [offer(&a, "1", "95"), offer(&mine, "100", "70")];
        assert_eq!(
            price("20", "2027-01-01", offers),
            Some((d("95"), PriceSource::Tier))
        );
        assert_eq!(
            price("100", "2027-01-01", offers),
            Some((d("70"), PriceSource::Customer))
        );
    }

    #[test]
    fn other_tiers_and_other_customers_lists_do_not_apply() {
        let b = list(1, Audience::Tier("B".into()));
        let theirs = list(2, Audience::Customer(Uuid::from_u128(99)));
        let offers = [offer(&b, "1", "50"), offer(&theirs, "1", "40")];
        assert_eq!(
            price("1", "2027-01-01", offers),
            Some((d("100"), PriceSource::ListPrice))
        );
    }

    #[test]
    fn a_customer_without_tier_gets_only_its_own_lists() {
        let a = tier_a(1);
        let buyer = Buyer {
            customer_id: Some(customer()),
            tier: None,
        };
        let resolved = resolve(
            &buyer,
            &catalogue(),
            d("1"),
            "CNY",
            day("2027-01-01"),
            [offer(&a, "1", "50")],
        );
        assert_eq!(resolved.map(|r| r.source), Some(PriceSource::ListPrice));
    }

    #[test]
    fn validity_days_are_inclusive_at_both_ends() {
        let mut a = tier_a(1);
        a.valid_from = Some(day("2027-01-01"));
        a.valid_to = Some(day("2027-12-31"));
        let offers = [offer(&a, "1", "90")];
        assert_eq!(
            price("1", "2026-12-31", offers),
            Some((d("100"), PriceSource::ListPrice))
        );
        assert_eq!(
            price("1", "2027-01-01", offers),
            Some((d("90"), PriceSource::Tier))
        );
        assert_eq!(
            price("1", "2027-12-31", offers),
            Some((d("90"), PriceSource::Tier))
        );
        assert_eq!(
            price("1", "2028-01-01", offers),
            Some((d("100"), PriceSource::ListPrice))
        );
    }

    #[test]
    fn between_two_valid_lists_of_a_kind_the_later_start_wins() {
        let mut old = tier_a(1);
        old.valid_from = Some(day("2026-01-01"));
        let mut new = tier_a(2);
        new.valid_from = Some(day("2027-01-01"));
        let open = tier_a(3);
        let offers = [
            offer(&old, "1", "80"),
            offer(&new, "1", "90"),
            offer(&open, "1", "70"),
        ];
        assert_eq!(
            price("1", "2027-06-01", offers),
            Some((d("90"), PriceSource::Tier))
        );
        assert_eq!(
            price("1", "2026-06-01", offers),
            Some((d("80"), PriceSource::Tier))
        );
    }

    #[test]
    fn inactive_lists_and_other_currencies_are_skipped() {
        let mut off = own(1);
        off.active = false;
        let mut dollars = tier_a(2);
        dollars.currency = "USD".into();
        let offers = [offer(&off, "1", "10"), offer(&dollars, "1", "12")];
        assert_eq!(
            price("1", "2027-01-01", offers),
            Some((d("100"), PriceSource::ListPrice))
        );
    }

    #[test]
    fn a_list_price_in_another_currency_gives_no_price() {
        let dollars = ListPrice {
            price: d("14"),
            currency: "USD".into(),
        };
        assert_eq!(
            resolve(&buyer(), &dollars, d("1"), "CNY", day("2027-01-01"), []),
            None
        );
        let mut usd = tier_a(1);
        usd.currency = "USD".into();
        let resolved = resolve(
            &buyer(),
            &dollars,
            d("1"),
            "USD",
            day("2027-01-01"),
            [offer(&usd, "1", "13")],
        );
        assert_eq!(resolved.map(|r| r.unit_price), Some(d("13")));
    }

    #[test]
    fn the_answer_names_the_list_and_break() {
        let a = tier_a(1);
        let resolved = resolve(
            &buyer(),
            &catalogue(),
            d("12"),
            "CNY",
            day("2027-01-01"),
            [offer(&a, "10", "90")],
        );
        assert_eq!(
            resolved.and_then(|r| r.from_list),
            Some((Uuid::from_u128(1), "list 1".to_owned(), d("10")))
        );
    }

    #[test]
    fn without_a_customer_only_the_list_price_applies() {
        let a = tier_a(1);
        let resolved = resolve(
            &Buyer::default(),
            &catalogue(),
            d("1"),
            "CNY",
            day("2027-01-01"),
            [offer(&a, "1", "1")],
        );
        assert_eq!(resolved.map(|r| r.source), Some(PriceSource::ListPrice));
    }
}
