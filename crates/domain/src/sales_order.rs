//! A sales order's editable fields and lines, the state rules (`status`) and its shipments
//! (`shipment`). Lines are settled and priced exactly as on quotes (`quote::settle`,
//! `quote::totals`); an order made from a quote starts from the quote's terms.

pub mod shipment;
pub mod status;

use chrono::NaiveDate;
use crm_api_types::quotes::QuoteLineRequest;
use crm_api_types::sales_orders::{
    CreateSalesOrderRequest, SalesOrderLineRequest, UpdateSalesOrderRequest,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::money::{check_percent, parse_currency};
use crate::quote::{LineInput, NOTES_MAX, TERMS_MAX, TITLE_MAX, line_input};
use crate::validation::{FieldErrors, Violation, patch_nullable};

pub const LINES_MAX: usize = 500;
const CUSTOMER_PO_MAX: usize = 60;
const SHIPPING_ADDRESS_MAX: usize = 500;
/// At most this many characters in an action's note, a cancel reason or a shipment's note.
pub const NOTE_MAX: usize = 2000;

/// The header of an order as a user edits it. A value of this type is valid; the customer,
/// contact and owner still need checking against the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFields {
    pub customer_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub title: Option<String>,
    pub currency: String,
    pub order_date: NaiveDate,
    pub customer_po: Option<String>,
    pub shipping_address: Option<String>,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub notes: Option<String>,
    pub internal_note: Option<String>,
    pub header_discount_percent: Decimal,
    pub owner_id: Uuid,
}

/// A line as asked: the quote's `LineInput` plus the promised date (交期).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLineInput {
    pub line: LineInput,
    pub promised_date: Option<NaiveDate>,
}

/// The defaults a quote gives a new order (all `None` for a direct order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderDefaults {
    pub currency: Option<String>,
    pub contact_id: Option<Uuid>,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub notes: Option<String>,
    pub header_discount_percent: Option<Decimal>,
}

impl OrderFields {
    /// Validates a create request; a field given in the request wins over the quote's default
    /// (an empty text clears it). Lines get `request.promised_date` when they name none.
    /// Without a quote the lines are required; with one, lines left out are the quote's
    /// (`None`).
    pub fn parse_new(
        request: &CreateSalesOrderRequest,
        customer_id: Uuid,
        defaults: OrderDefaults,
        owner_id: Uuid,
        today: NaiveDate,
    ) -> Result<(Self, Option<Vec<OrderLineInput>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let given_or = |asked: &Option<String>, default: Option<String>| asked.clone().or(default);
        let fields = Self {
            customer_id,
            contact_id: request.contact_id.or(defaults.contact_id),
            title: e.optional_text("title", request.title.as_deref(), TITLE_MAX),
            currency: parse_currency(
                e,
                "currency",
                given_or(&request.currency, defaults.currency).as_deref(),
            ),
            order_date: request.order_date.unwrap_or(today),
            customer_po: e.optional_text(
                "customer_po",
                request.customer_po.as_deref(),
                CUSTOMER_PO_MAX,
            ),
            shipping_address: e.optional_text(
                "shipping_address",
                request.shipping_address.as_deref(),
                SHIPPING_ADDRESS_MAX,
            ),
            payment_terms: e.optional_text(
                "payment_terms",
                given_or(&request.payment_terms, defaults.payment_terms).as_deref(),
                TERMS_MAX,
            ),
            delivery_terms: e.optional_text(
                "delivery_terms",
                given_or(&request.delivery_terms, defaults.delivery_terms).as_deref(),
                TERMS_MAX,
            ),
            notes: e.optional_text(
                "notes",
                given_or(&request.notes, defaults.notes).as_deref(),
                NOTES_MAX,
            ),
            internal_note: e.optional_text(
                "internal_note",
                request.internal_note.as_deref(),
                NOTES_MAX,
            ),
            header_discount_percent: check_percent(
                e,
                "header_discount_percent",
                request
                    .header_discount_percent
                    .or(defaults.header_discount_percent)
                    .unwrap_or(Decimal::ZERO),
            ),
            owner_id,
        };
        // A quote or contract brings its own lines.
        let lines = match (&request.lines, request.quote_id.or(request.contract_id)) {
            (Some(requests), _) => Some(lines(e, requests, request.promised_date)),
            (None, Some(_)) => None,
            (None, None) => {
                e.add("lines", Violation::Required);
                None
            }
        };
        errors.finish((fields, lines))
    }

    /// Applies a PATCH; returns the new lines when the patch replaces them. Once submitted
    /// (`draft` false) the order is what was approved: only `customer_po`,
    /// `shipping_address`, `internal_note` and `owner_id` change here (`promised_dates` is
    /// the caller's), and any other field given is read-only.
    pub fn apply(
        &self,
        patch: &UpdateSalesOrderRequest,
        draft: bool,
    ) -> Result<(Self, Option<Vec<OrderLineInput>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        if patch.status.is_some() {
            e.add("status", Violation::ReadOnly);
        }
        if !draft {
            for field in approved_fields_given(patch) {
                e.add(field, Violation::ReadOnly);
            }
        }
        let mut next = self.clone();
        if let Some(v) = patch.contact_id {
            next.contact_id = v;
        }
        patch_nullable(&mut next.title, &patch.title, |v| {
            e.optional_text("title", v, TITLE_MAX)
        });
        if let Some(v) = patch.order_date {
            next.order_date = v;
        }
        patch_nullable(&mut next.customer_po, &patch.customer_po, |v| {
            e.optional_text("customer_po", v, CUSTOMER_PO_MAX)
        });
        patch_nullable(&mut next.shipping_address, &patch.shipping_address, |v| {
            e.optional_text("shipping_address", v, SHIPPING_ADDRESS_MAX)
        });
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
        let lines = patch.lines.as_ref().map(|l| lines(e, l, None));
        errors.finish((next, lines))
    }

    /// The fields as the audit log compares them.
    pub fn audit_view(&self) -> Value {
        json!({
            "customer_id": self.customer_id,
            "contact_id": self.contact_id,
            "title": self.title,
            "currency": self.currency,
            "order_date": self.order_date,
            "customer_po": self.customer_po,
            "shipping_address": self.shipping_address,
            "payment_terms": self.payment_terms,
            "delivery_terms": self.delivery_terms,
            "notes": self.notes,
            "internal_note": self.internal_note,
            "header_discount_percent": self.header_discount_percent.normalize().to_string(),
            "owner_id": self.owner_id,
        })
    }
}

/// The fields a PATCH gives that were approved with the order, by request field name.
fn approved_fields_given(patch: &UpdateSalesOrderRequest) -> impl Iterator<Item = &'static str> {
    [
        ("contact_id", patch.contact_id.is_some()),
        ("title", patch.title.is_some()),
        ("order_date", patch.order_date.is_some()),
        ("payment_terms", patch.payment_terms.is_some()),
        ("delivery_terms", patch.delivery_terms.is_some()),
        ("notes", patch.notes.is_some()),
        (
            "header_discount_percent",
            patch.header_discount_percent.is_some(),
        ),
        ("lines", patch.lines.is_some()),
    ]
    .into_iter()
    .filter_map(|(field, given)| given.then_some(field))
}

/// 1–500 lines, each checked as a quote line; a line naming no promised date takes
/// `promised_date`.
fn lines(
    errors: &mut FieldErrors,
    requests: &[SalesOrderLineRequest],
    promised_date: Option<NaiveDate>,
) -> Vec<OrderLineInput> {
    if requests.is_empty() {
        errors.add("lines", Violation::Required);
    } else if requests.len() > LINES_MAX {
        errors.add(
            "lines",
            Violation::OutOfRange {
                min: 1,
                max: LINES_MAX as i64,
            },
        );
    }
    requests
        .iter()
        .enumerate()
        .map(|(i, request)| OrderLineInput {
            line: line_input(errors, i, &as_quote_line(request)),
            promised_date: request.promised_date.or(promised_date),
        })
        .collect()
}

/// An order line is a quote line with a promised date.
fn as_quote_line(line: &SalesOrderLineRequest) -> QuoteLineRequest {
    QuoteLineRequest {
        product_id: line.product_id,
        name: line.name.clone(),
        spec: line.spec.clone(),
        description: line.description.clone(),
        quantity: line.quantity,
        unit: line.unit.clone(),
        unit_price: line.unit_price,
        discount_percent: line.discount_percent,
        vat_rate: line.vat_rate,
    }
}

/// An order number from the tenant's series: `SO-2026-000123`.
pub fn number(year: i32, sequence: i64) -> String {
    format!("SO-{year}-{sequence:06}")
}

/// A shipment number from the tenant's series: `SH-2026-000045`.
pub fn shipment_number(year: i32, sequence: i64) -> String {
    format!("SH-{year}-{sequence:06}")
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

    fn codes(errors: FieldErrors) -> Vec<(String, &'static str)> {
        errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect()
    }

    fn line(quantity: &str) -> SalesOrderLineRequest {
        SalesOrderLineRequest {
            name: Some("立式加工中心".into()),
            quantity: d(quantity),
            unit_price: Some(d("268000")),
            ..Default::default()
        }
    }

    fn quote_defaults() -> OrderDefaults {
        OrderDefaults {
            currency: Some("USD".into()),
            contact_id: Some(Uuid::from_u128(7)),
            payment_terms: Some("30% 预付".into()),
            delivery_terms: Some("到厂交货".into()),
            notes: Some("含安装".into()),
            header_discount_percent: Some(d("3")),
        }
    }

    fn parse_new(
        request: &CreateSalesOrderRequest,
        defaults: OrderDefaults,
    ) -> Result<(OrderFields, Option<Vec<OrderLineInput>>), FieldErrors> {
        OrderFields::parse_new(
            request,
            Uuid::from_u128(1),
            defaults,
            Uuid::from_u128(2),
            day("2027-01-10"),
        )
    }

    fn order() -> OrderFields {
        let request = CreateSalesOrderRequest {
            lines: Some(vec![line("1")]),
            ..Default::default()
        };
        parse_new(&request, OrderDefaults::default())
            .unwrap_or_else(|e| panic!("{e:?}"))
            .0
    }

    #[test]
    fn an_order_from_a_quote_takes_its_terms_unless_the_request_gives_them() {
        let request = CreateSalesOrderRequest {
            quote_id: Some(Uuid::from_u128(3)),
            payment_terms: Some("货到付款".into()),
            notes: Some(" ".into()),
            ..Default::default()
        };
        let (fields, lines) =
            parse_new(&request, quote_defaults()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.currency, "USD");
        assert_eq!(fields.contact_id, Some(Uuid::from_u128(7)));
        assert_eq!(fields.payment_terms.as_deref(), Some("货到付款"));
        assert_eq!(fields.delivery_terms.as_deref(), Some("到厂交货"));
        assert_eq!(fields.notes, None, "an empty text clears the quote's");
        assert_eq!(fields.header_discount_percent, d("3"));
        assert_eq!(fields.order_date, day("2027-01-10"));
        assert_eq!(lines, None, "the quote's lines");
    }

    #[test]
    fn a_direct_order_needs_one_to_five_hundred_lines() {
        let none = CreateSalesOrderRequest::default();
        let errors = parse_new(&none, OrderDefaults::default())
            .err()
            .unwrap_or_default();
        assert_eq!(codes(errors), [("lines".to_owned(), "required")]);
        let empty = CreateSalesOrderRequest {
            lines: Some(Vec::new()),
            ..Default::default()
        };
        let errors = parse_new(&empty, OrderDefaults::default())
            .err()
            .unwrap_or_default();
        assert_eq!(codes(errors), [("lines".to_owned(), "required")]);
        let many = CreateSalesOrderRequest {
            lines: Some(vec![line("1"); LINES_MAX + 1]),
            ..Default::default()
        };
        let errors = parse_new(&many, OrderDefaults::default())
            .err()
            .unwrap_or_default();
        assert_eq!(codes(errors), [("lines".to_owned(), "out_of_range")]);
    }

    #[test]
    fn lines_are_checked_as_on_quotes_and_take_the_order_promised_date() {
        let mut dated = line("2");
        dated.promised_date = Some(day("2027-03-01"));
        let request = CreateSalesOrderRequest {
            promised_date: Some(day("2027-02-28")),
            lines: Some(vec![line("1"), dated]),
            ..Default::default()
        };
        let (fields, lines) =
            parse_new(&request, OrderDefaults::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.currency, "CNY");
        let lines = lines.unwrap_or_default();
        assert_eq!(lines[0].promised_date, Some(day("2027-02-28")));
        assert_eq!(lines[1].promised_date, Some(day("2027-03-01")));
        assert_eq!(lines[1].line.quantity, d("2"));

        let request = CreateSalesOrderRequest {
            customer_po: Some("P".repeat(61)),
            lines: Some(vec![line("0"), line("1")]),
            ..Default::default()
        };
        let errors = parse_new(&request, OrderDefaults::default())
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("customer_po".to_owned(), "too_long"),
                ("lines[0].quantity".to_owned(), "out_of_range")
            ]
        );
    }

    #[test]
    fn a_draft_takes_every_field() {
        let patch = UpdateSalesOrderRequest {
            title: Some(Some("二期设备".into())),
            header_discount_percent: Some(d("5")),
            lines: Some(vec![line("3")]),
            customer_po: Some(None),
            ..Default::default()
        };
        let (next, lines) = order()
            .apply(&patch, true)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(next.title.as_deref(), Some("二期设备"));
        assert_eq!(next.header_discount_percent, d("5"));
        assert_eq!(next.customer_po, None);
        assert_eq!(lines.map(|l| l.len()), Some(1));
    }

    #[test]
    fn a_submitted_order_changes_only_its_po_address_note_and_owner() {
        let allowed = UpdateSalesOrderRequest {
            customer_po: Some(Some("PO-88231".into())),
            shipping_address: Some(Some("苏州工业园区星湖街 328 号".into())),
            internal_note: Some(Some("客户要求分批".into())),
            owner_id: Some(Uuid::from_u128(9)),
            ..Default::default()
        };
        let (next, lines) = order()
            .apply(&allowed, false)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(next.customer_po.as_deref(), Some("PO-88231"));
        assert_eq!(next.owner_id, Uuid::from_u128(9));
        assert_eq!(lines, None);

        let approved = UpdateSalesOrderRequest {
            title: Some(None),
            header_discount_percent: Some(d("5")),
            lines: Some(vec![line("3")]),
            status: Some(crm_api_types::sales_orders::SalesOrderStatus::Confirmed),
            ..Default::default()
        };
        let errors = order().apply(&approved, false).err().unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("status".to_owned(), "read_only"),
                ("title".to_owned(), "read_only"),
                ("header_discount_percent".to_owned(), "read_only"),
                ("lines".to_owned(), "read_only")
            ]
        );
    }

    #[test]
    fn the_audit_view_names_every_field() {
        let view = order().audit_view();
        assert_eq!(view["currency"], "CNY");
        assert_eq!(view["header_discount_percent"], "0");
        assert_eq!(view.as_object().map(|o| o.len()), Some(13));
    }

    #[test]
    fn numbers_are_zero_padded_per_year() {
        assert_eq!(number(2026, 123), "SO-2026-000123");
        assert_eq!(shipment_number(2026, 45), "SH-2026-000045");
        assert_eq!(number(2027, 1_234_567), "SO-2027-1234567");
    }
}
