//! A quote's editable fields and lines, how a line is settled from the catalogue and price
//! lists, the state rules (`status`), the arithmetic (`totals`) and how two versions differ
//! (`compare`).

pub mod compare;
pub mod status;
pub mod totals;

use chrono::NaiveDate;
use crm_api_types::products::{PriceSource, VatRate};
use crm_api_types::quotes::{CreateQuoteRequest, QuoteLineRequest, UpdateQuoteRequest};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::money::{AMOUNT_MAX, check_amount, check_percent, check_quantity, parse_currency};
use crate::validation::{FieldErrors, Violation, patch_nullable};

pub const LINES_MAX: usize = 500;
/// Sales orders keep the header limits of the quotes they copy.
pub(crate) const TITLE_MAX: usize = 200;
pub(crate) const TERMS_MAX: usize = 1000;
pub(crate) const NOTES_MAX: usize = 5000;
const LINE_NAME_MAX: usize = 200;
const SPEC_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 1000;
const UNIT_MAX: usize = 10;
pub const NOTE_MAX: usize = 2000;
/// Days a new quote stays valid unless told otherwise.
pub const DEFAULT_VALIDITY_DAYS: i64 = 30;
/// The unit of a free-text line when none is given.
pub const FREE_LINE_UNIT: &str = "项";

/// The header of a quote as a user edits it. A value of this type is valid; the customer,
/// opportunity and contact still need checking against the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteFields {
    pub customer_id: Uuid,
    pub opportunity_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub title: Option<String>,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub notes: Option<String>,
    pub internal_note: Option<String>,
    pub header_discount_percent: Decimal,
    pub owner_id: Uuid,
}

/// A line as asked, before the catalogue and price lists fill it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub product_id: Option<Uuid>,
    pub name: Option<String>,
    pub spec: Option<String>,
    pub description: Option<String>,
    pub quantity: Decimal,
    pub unit: Option<String>,
    pub unit_price: Option<Decimal>,
    pub discount_percent: Decimal,
    pub vat_rate: Option<VatRate>,
}

/// A settled line: everything printed on it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLine {
    pub product_id: Option<Uuid>,
    pub product_code: Option<String>,
    pub name: String,
    pub spec: Option<String>,
    pub description: Option<String>,
    pub quantity: Decimal,
    pub unit: String,
    pub list_price: Option<Decimal>,
    pub unit_price: Decimal,
    /// `None` when the price was given on the line.
    pub price_source: Option<PriceSource>,
    pub discount_percent: Decimal,
    pub vat_rate: VatRate,
}

impl QuoteLine {
    pub fn pricing(&self) -> totals::Pricing {
        totals::Pricing {
            quantity: self.quantity,
            unit_price: self.unit_price,
            discount_percent: self.discount_percent,
            vat_rate: self.vat_rate,
            list_price: self.list_price,
        }
    }
}

/// What the catalogue says of a line's product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFacts {
    pub code: String,
    pub name: String,
    pub spec: Option<String>,
    pub unit: String,
    pub vat_rate: VatRate,
    /// The list price, when the product is priced in the quote's currency.
    pub list_price: Option<Decimal>,
    pub active: bool,
}

/// The price lists' answer for a line's product and quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub unit_price: Decimal,
    pub source: PriceSource,
}

impl QuoteFields {
    /// Validates a create request whose customer is known (given, or the opportunity's).
    pub fn parse_new(
        request: &CreateQuoteRequest,
        customer_id: Uuid,
        default_currency: Option<&str>,
        owner_id: Uuid,
        today: NaiveDate,
    ) -> Result<(Self, Option<Vec<LineInput>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let fields = Self {
            customer_id,
            opportunity_id: request.opportunity_id,
            contact_id: request.contact_id,
            title: e.optional_text("title", request.title.as_deref(), TITLE_MAX),
            currency: parse_currency(
                e,
                "currency",
                request.currency.as_deref().or(default_currency),
            ),
            valid_until: request
                .valid_until
                .unwrap_or(today + chrono::Duration::days(DEFAULT_VALIDITY_DAYS)),
            payment_terms: e.optional_text(
                "payment_terms",
                request.payment_terms.as_deref(),
                TERMS_MAX,
            ),
            delivery_terms: e.optional_text(
                "delivery_terms",
                request.delivery_terms.as_deref(),
                TERMS_MAX,
            ),
            notes: e.optional_text("notes", request.notes.as_deref(), NOTES_MAX),
            internal_note: e.optional_text(
                "internal_note",
                request.internal_note.as_deref(),
                NOTES_MAX,
            ),
            header_discount_percent: check_percent(
                e,
                "header_discount_percent",
                request.header_discount_percent.unwrap_or(Decimal::ZERO),
            ),
            owner_id,
        };
        let lines = request.lines.as_ref().map(|l| lines(e, l));
        errors.finish((fields, lines))
    }

    /// Applies a PATCH; returns the new lines when the patch replaces them.
    pub fn apply(
        &self,
        patch: &UpdateQuoteRequest,
    ) -> Result<(Self, Option<Vec<LineInput>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        if patch.status.is_some() {
            e.add("status", Violation::ReadOnly);
        }
        let mut next = self.clone();
        if let Some(v) = patch.contact_id {
            next.contact_id = v;
        }
        patch_nullable(&mut next.title, &patch.title, |v| {
            e.optional_text("title", v, TITLE_MAX)
        });
        if let Some(v) = &patch.currency {
            next.currency = parse_currency(e, "currency", Some(v));
        }
        if let Some(v) = patch.valid_until {
            next.valid_until = v;
        }
        patch_nullable(&mut next.payment_terms, &patch.payment_terms, |v| {
            e.optional_text("payment_terms", v, TERMS_MAX)
        });
        patch_nullable(&mut next.delivery_terms, &patch.delivery_terms, |v| {
            e.optional_text("delivery_terms", v, TERMS_MAX)
        });
        patch_nullable(&mut next.notes, &patch.notes, |v| {
            e.optional_text("notes", v, NOTES_MAX)
        });
        patch_nullable(&mut next.internal_note, &patch.internal_note, |v| {
            e.optional_text("internal_note", v, NOTES_MAX)
        });
        if let Some(v) = patch.header_discount_percent {
            next.header_discount_percent = check_percent(e, "header_discount_percent", v);
        }
        if let Some(v) = patch.owner_id {
            next.owner_id = v;
        }
        let lines = patch.lines.as_ref().map(|l| lines(e, l));
        errors.finish((next, lines))
    }

    /// Whether going from `self` to `next` changes what the customer is offered: anything
    /// but the internal note and the owner.
    pub fn differs_materially(&self, next: &Self) -> bool {
        let offer = |f: &Self| {
            (
                f.customer_id,
                f.contact_id,
                f.title.clone(),
                f.currency.clone(),
                f.valid_until,
                f.payment_terms.clone(),
                f.delivery_terms.clone(),
                f.notes.clone(),
                f.header_discount_percent.normalize(),
            )
        };
        offer(self) != offer(next)
    }

    /// The fields as the audit log compares them.
    pub fn audit_view(&self) -> Value {
        json!({
            "customer_id": self.customer_id,
            "opportunity_id": self.opportunity_id,
            "contact_id": self.contact_id,
            "title": self.title,
            "currency": self.currency,
            "valid_until": self.valid_until,
            "payment_terms": self.payment_terms,
            "delivery_terms": self.delivery_terms,
            "notes": self.notes,
            "internal_note": self.internal_note,
            "header_discount_percent": self.header_discount_percent.normalize().to_string(),
            "owner_id": self.owner_id,
        })
    }
}

pub(crate) fn lines(errors: &mut FieldErrors, requests: &[QuoteLineRequest]) -> Vec<LineInput> {
    if requests.len() > LINES_MAX {
        errors.add(
            "lines",
            Violation::OutOfRange {
                min: 0,
                max: LINES_MAX as i64,
            },
        );
    }
    requests
        .iter()
        .enumerate()
        .map(|(i, line)| line_input(errors, i, line))
        .collect()
}

/// Validates the line at position `i` (fields `lines[i].…`). Sales orders take the same lines.
pub(crate) fn line_input(errors: &mut FieldErrors, i: usize, line: &QuoteLineRequest) -> LineInput {
    let field = |name: &str| format!("lines[{i}].{name}");
    LineInput {
        product_id: line.product_id,
        name: errors.optional_text(&field("name"), line.name.as_deref(), LINE_NAME_MAX),
        spec: errors.optional_text(&field("spec"), line.spec.as_deref(), SPEC_MAX),
        description: errors.optional_text(
            &field("description"),
            line.description.as_deref(),
            DESCRIPTION_MAX,
        ),
        quantity: check_quantity(errors, &field("quantity"), line.quantity),
        unit: errors.optional_text(&field("unit"), line.unit.as_deref(), UNIT_MAX),
        unit_price: line
            .unit_price
            .map(|p| check_amount(errors, &field("unit_price"), p)),
        discount_percent: check_percent(
            errors,
            &field("discount_percent"),
            line.discount_percent.unwrap_or(Decimal::ZERO),
        ),
        vat_rate: line.vat_rate,
    }
}

/// Fills each line from its product (`products[i]`, `None` for a free line or an unknown
/// product) and the price lists (`resolved[i]`): a name, spec, unit, VAT rate or price given
/// on the line stands. A free line needs a name and a price; an inactive product cannot be
/// added (`was_on_quote[i]` lets an existing line keep one); an amount stops at
/// `AMOUNT_MAX`, and so does the total.
pub fn settle(
    inputs: &[LineInput],
    products: &[Option<ProductFacts>],
    resolved: &[Option<Resolved>],
    was_on_quote: &[bool],
    header_discount_percent: Decimal,
) -> Result<Vec<QuoteLine>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut settled = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        let product = products.get(i).and_then(Option::as_ref);
        if input.product_id.is_some() {
            let usable =
                product.is_some_and(|p| p.active || was_on_quote.get(i).copied().unwrap_or(false));
            if !usable {
                errors.add(&field("product_id"), Violation::NotFound);
                continue;
            }
        }
        let name = input
            .name
            .clone()
            .or_else(|| product.map(|p| p.name.clone()));
        let Some(name) = name else {
            errors.add(&field("name"), Violation::Required);
            continue;
        };
        let found = resolved.get(i).copied().flatten();
        let (unit_price, price_source) = match (input.unit_price, found) {
            (Some(price), _) => (price, None),
            (None, Some(r)) => (r.unit_price, Some(r.source)),
            (None, None) => {
                errors.add(&field("unit_price"), Violation::Required);
                continue;
            }
        };
        let line = QuoteLine {
            product_id: input.product_id,
            product_code: product.map(|p| p.code.clone()),
            name,
            spec: input
                .spec
                .clone()
                .or_else(|| product.and_then(|p| p.spec.clone())),
            description: input.description.clone(),
            quantity: input.quantity,
            unit: input
                .unit
                .clone()
                .or_else(|| product.map(|p| p.unit.clone()))
                .unwrap_or_else(|| FREE_LINE_UNIT.to_owned()),
            list_price: product.and_then(|p| p.list_price),
            unit_price,
            price_source,
            discount_percent: input.discount_percent,
            vat_rate: input
                .vat_rate
                .or_else(|| product.map(|p| p.vat_rate))
                .unwrap_or(VatRate::Goods13),
        };
        if totals::line_amounts(&line.pricing(), Decimal::ZERO).amount > Decimal::from(AMOUNT_MAX) {
            errors.add(&field("quantity"), too_much());
        }
        settled.push(line);
    }
    let pricing: Vec<_> = settled.iter().map(QuoteLine::pricing).collect();
    if totals::compute(&pricing, header_discount_percent)
        .1
        .lines_total
        > Decimal::from(AMOUNT_MAX)
    {
        errors.add("lines", too_much());
    }
    errors.finish(settled)
}

fn too_much() -> Violation {
    Violation::OutOfRange {
        min: 0,
        max: AMOUNT_MAX,
    }
}

/// A quote number from the tenant's series: `QT-2026-000123`.
pub fn number(year: i32, sequence: i64) -> String {
    format!("QT-{year}-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn facts(active: bool) -> ProductFacts {
        ProductFacts {
            code: "CNC-850".into(),
            name: "立式加工中心".into(),
            spec: Some("VMC-850".into()),
            unit: "台".into(),
            vat_rate: VatRate::Goods13,
            list_price: Some(d("268000")),
            active,
        }
    }

    fn input(product: Option<u128>) -> LineInput {
        LineInput {
            product_id: product.map(Uuid::from_u128),
            name: None,
            spec: None,
            description: None,
            quantity: d("2"),
            unit: None,
            unit_price: None,
            discount_percent: Decimal::ZERO,
            vat_rate: None,
        }
    }

    fn codes(errors: FieldErrors) -> Vec<(String, &'static str)> {
        errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect()
    }

    #[test]
    fn a_product_line_takes_the_catalogue_and_the_price_list() {
        let resolved = Resolved {
            unit_price: d("250000"),
            source: PriceSource::Tier,
        };
        let lines = settle(
            &[input(Some(1))],
            &[Some(facts(true))],
            &[Some(resolved)],
            &[false],
            Decimal::ZERO,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(lines[0].name, "立式加工中心");
        assert_eq!(lines[0].unit, "台");
        assert_eq!(lines[0].unit_price, d("250000"));
        assert_eq!(lines[0].price_source, Some(PriceSource::Tier));
        assert_eq!(lines[0].list_price, Some(d("268000")));
    }

    #[test]
    fn a_free_line_needs_a_name_and_a_price_and_inactive_products_are_refused() {
        let mut free = input(None);
        let errors = settle(
            &[free.clone(), input(Some(2))],
            &[None, Some(facts(false))],
            &[None, None],
            &[false, false],
            Decimal::ZERO,
        )
        .err()
        .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("lines[0].name".to_owned(), "required"),
                ("lines[1].product_id".to_owned(), "not_found")
            ]
        );
        free.name = Some("安装调试费".into());
        free.unit_price = Some(d("8000"));
        let lines = settle(&[free], &[None], &[None], &[false], Decimal::ZERO)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(lines[0].unit, FREE_LINE_UNIT);
        assert_eq!(lines[0].vat_rate, VatRate::Goods13);
        assert_eq!(lines[0].price_source, None);
    }

    #[test]
    fn an_inactive_product_already_on_the_quote_stays() {
        let mut line = input(Some(2));
        line.unit_price = Some(d("1"));
        assert!(
            settle(
                &[line],
                &[Some(facts(false))],
                &[None],
                &[true],
                Decimal::ZERO
            )
            .is_ok()
        );
    }

    #[test]
    fn amounts_past_a_trillion_are_refused() {
        let mut line = input(None);
        line.name = Some("x".into());
        line.quantity = d("1000000");
        line.unit_price = Some(d("1000000000"));
        let errors = settle(&[line], &[None], &[None], &[false], Decimal::ZERO)
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("lines[0].quantity".to_owned(), "out_of_range"),
                ("lines".to_owned(), "out_of_range")
            ]
        );
    }

    #[test]
    fn only_the_internal_note_and_owner_are_not_material() {
        let fields = QuoteFields {
            customer_id: Uuid::from_u128(1),
            opportunity_id: None,
            contact_id: None,
            title: None,
            currency: "CNY".into(),
            valid_until: "2027-01-31".parse().unwrap_or_else(|e| panic!("{e:?}")),
            payment_terms: None,
            delivery_terms: None,
            notes: None,
            internal_note: None,
            header_discount_percent: Decimal::ZERO,
            owner_id: Uuid::from_u128(2),
        };
        let mut next = fields.clone();
        next.internal_note = Some("客户预算紧".into());
        next.owner_id = Uuid::from_u128(3);
        assert!(!fields.differs_materially(&next));
        next.header_discount_percent = d("2");
        assert!(fields.differs_materially(&next));
        let mut same = fields.clone();
        same.header_discount_percent = d("0.00");
        assert!(!fields.differs_materially(&same));
    }

    #[test]
    fn numbers_are_zero_padded_per_year() {
        assert_eq!(number(2026, 123), "QT-2026-000123");
        assert_eq!(number(2027, 1_234_567), "QT-2027-1234567");
    }
}
