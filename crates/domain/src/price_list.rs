//! A price list as an admin writes it: audience, currency, validity and quantity breaks.

use std::collections::HashSet;

use chrono::NaiveDate;
use crm_api_types::products::{PriceListAudience, PriceListRequest};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::money::{check_amount, check_quantity, parse_currency};
use crate::pricing::Audience;
use crate::settings::Settings;
use crate::validation::{FieldErrors, Violation};

const NAME_MAX: usize = 100;
const NOTES_MAX: usize = 2000;
pub const ITEMS_MAX: usize = 5000;

/// One quantity break for one product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceBreak {
    pub product_id: Uuid,
    pub min_quantity: Decimal,
    pub unit_price: Decimal,
}

/// A valid price list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceListFields {
    pub name: String,
    pub audience: Audience,
    pub currency: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub active: bool,
    pub notes: Option<String>,
    /// Each (product, min_quantity) once.
    pub items: Vec<PriceBreak>,
}

impl PriceListFields {
    pub fn parse(request: &PriceListRequest, settings: &Settings) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let audience = match &request.audience {
            PriceListAudience::Tier { tier } => {
                if !settings.is_customer_tier(tier) {
                    e.add("audience.tier", Violation::UnknownValue);
                }
                Audience::Tier(tier.clone())
            }
            PriceListAudience::Customer { customer_id, .. } => Audience::Customer(*customer_id),
        };
        if let (Some(from), Some(to)) = (request.valid_from, request.valid_to)
            && to < from
        {
            e.add("valid_to", Violation::InvalidFormat);
        }
        if request.items.len() > ITEMS_MAX {
            e.add(
                "items",
                Violation::OutOfRange {
                    min: 0,
                    max: ITEMS_MAX as i64,
                },
            );
        }
        let mut seen = HashSet::new();
        let items = request
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let min_quantity = item.min_quantity.unwrap_or(Decimal::ONE);
                let min_quantity =
                    check_quantity(e, &format!("items[{i}].min_quantity"), min_quantity);
                if !seen.insert((item.product_id, min_quantity)) {
                    e.add(&format!("items[{i}].min_quantity"), Violation::Duplicate);
                }
                PriceBreak {
                    product_id: item.product_id,
                    min_quantity,
                    unit_price: check_amount(e, &format!("items[{i}].unit_price"), item.unit_price),
                }
            })
            .collect();
        let fields = Self {
            name: e.required_text("name", &request.name, NAME_MAX),
            audience,
            currency: parse_currency(e, "currency", request.currency.as_deref()),
            valid_from: request.valid_from,
            valid_to: request.valid_to,
            active: request.active.unwrap_or(true),
            notes: e.optional_text("notes", request.notes.as_deref(), NOTES_MAX),
            items,
        };
        errors.finish(fields)
    }
}

#[cfg(test)]
mod tests {
    use crm_api_types::products::PriceListItemRequest;

    use super::*;

    fn item(product: u128, min: Option<&str>, price: &str) -> PriceListItemRequest {
        PriceListItemRequest {
            product_id: Uuid::from_u128(product),
            min_quantity: min.map(|m| m.parse().unwrap_or_else(|e| panic!("{e:?}"))),
            unit_price: price.parse().unwrap_or_else(|e| panic!("{e:?}")),
        }
    }

    fn request(items: Vec<PriceListItemRequest>) -> PriceListRequest {
        PriceListRequest {
            name: "A 类 2027".into(),
            audience: PriceListAudience::Tier { tier: "A".into() },
            currency: None,
            valid_from: Some("2027-01-01".parse().unwrap_or_else(|e| panic!("{e:?}"))),
            valid_to: Some("2027-12-31".parse().unwrap_or_else(|e| panic!("{e:?}"))),
            active: None,
            notes: None,
            items,
        }
    }

    #[test]
    fn breaks_default_to_one_and_repeat_only_per_quantity() {
        let ok = request(vec![
            item(1, None, "90"),
            item(1, Some("10"), "85"),
            item(2, None, "5"),
        ]);
        let fields =
            PriceListFields::parse(&ok, &Settings::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.items[0].min_quantity, Decimal::ONE);
        assert_eq!(fields.currency, "CNY");
        let twice = request(vec![item(1, None, "90"), item(1, Some("1.0"), "85")]);
        let errors = PriceListFields::parse(&twice, &Settings::default())
            .err()
            .unwrap_or_default();
        let found: Vec<_> = errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect();
        assert_eq!(found, [("items[1].min_quantity".to_owned(), "duplicate")]);
    }

    #[test]
    fn unknown_tiers_reversed_dates_and_bad_prices_are_refused() {
        let mut bad = request(vec![item(1, Some("0"), "-5")]);
        bad.audience = PriceListAudience::Tier { tier: "Z".into() };
        bad.valid_to = Some("2026-12-31".parse().unwrap_or_else(|e| panic!("{e:?}")));
        let errors = PriceListFields::parse(&bad, &Settings::default())
            .err()
            .unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f.to_owned()).collect();
        assert_eq!(
            fields,
            [
                "audience.tier",
                "valid_to",
                "items[0].min_quantity",
                "items[0].unit_price"
            ]
        );
    }
}
