//! Shipments (发货) and their signing for (签收). A date that cannot be (in the future,
//! before the shipment) is `InvalidFormat`, as activity dates are.

use std::collections::HashSet;

use chrono::NaiveDate;
use crm_api_types::sales_orders::{CreateShipmentRequest, DeliverShipmentRequest};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{LINES_MAX, NOTE_MAX};
use crate::money::check_quantity;
use crate::validation::{FieldErrors, Violation};

const CARRIER_MAX: usize = 100;
const TRACKING_NUMBER_MAX: usize = 100;
const RECEIVED_BY_MAX: usize = 100;

/// A shipment's header; its lines come with it as (order line id, quantity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentFields {
    pub shipped_on: NaiveDate,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub note: Option<String>,
}

/// Validates a shipment of the order whose lines are `open` (id, open quantity). Each line
/// is shipped at most once, more than 0 (`OutOfRange`, as line quantities are) and at most
/// its open quantity (`ExceedsAvailable`), with at most four decimal places.
pub fn parse_shipment(
    request: &CreateShipmentRequest,
    open: &[(Uuid, Decimal)],
    today: NaiveDate,
) -> Result<(ShipmentFields, Vec<(Uuid, Decimal)>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let e = &mut errors;
    let shipped_on = request.shipped_on.unwrap_or(today);
    if shipped_on > today {
        e.add("shipped_on", Violation::InvalidFormat);
    }
    let fields = ShipmentFields {
        shipped_on,
        carrier: e.optional_text("carrier", request.carrier.as_deref(), CARRIER_MAX),
        tracking_number: e.optional_text(
            "tracking_number",
            request.tracking_number.as_deref(),
            TRACKING_NUMBER_MAX,
        ),
        note: e.optional_text("note", request.note.as_deref(), NOTE_MAX),
    };
    if request.lines.is_empty() {
        e.add("lines", Violation::Required);
    } else if request.lines.len() > LINES_MAX {
        e.add(
            "lines",
            Violation::OutOfRange {
                min: 1,
                max: LINES_MAX as i64,
            },
        );
    }
    let mut seen = HashSet::new();
    let mut lines = Vec::with_capacity(request.lines.len());
    for (i, line) in request.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        let quantity = check_quantity(e, &field("quantity"), line.quantity);
        let Some(&(_, available)) = open.iter().find(|(id, _)| *id == line.line_id) else {
            e.add(&field("line_id"), Violation::NotFound);
            continue;
        };
        if !seen.insert(line.line_id) {
            e.add(&field("line_id"), Violation::Duplicate);
        } else if quantity > available {
            e.add(&field("quantity"), Violation::ExceedsAvailable);
        }
        lines.push((line.line_id, quantity));
    }
    errors.finish((fields, lines))
}

/// Validates signing for a shipment sent on `shipped_on`: the day defaults to today and lies
/// between the shipment and today (`delivered_on` `InvalidFormat` otherwise). Returns the
/// day and who signed.
pub fn parse_delivery(
    request: &DeliverShipmentRequest,
    shipped_on: NaiveDate,
    today: NaiveDate,
) -> Result<(NaiveDate, Option<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let delivered_on = request.delivered_on.unwrap_or(today);
    if delivered_on < shipped_on || delivered_on > today {
        errors.add("delivered_on", Violation::InvalidFormat);
    }
    let received_by = errors.optional_text(
        "received_by",
        request.received_by.as_deref(),
        RECEIVED_BY_MAX,
    );
    errors.finish((delivered_on, received_by))
}

#[cfg(test)]
mod tests {
    use crm_api_types::sales_orders::ShipmentLineRequest;

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

    fn ship(lines: &[(u128, &str)]) -> CreateShipmentRequest {
        CreateShipmentRequest {
            carrier: Some("顺丰速运".into()),
            lines: lines
                .iter()
                .map(|&(id, quantity)| ShipmentLineRequest {
                    line_id: Uuid::from_u128(id),
                    quantity: d(quantity),
                })
                .collect(),
            ..Default::default()
        }
    }

    fn open() -> Vec<(Uuid, Decimal)> {
        vec![
            (Uuid::from_u128(1), d("2")),
            (Uuid::from_u128(2), d("0.5")),
            (Uuid::from_u128(3), d("5")),
        ]
    }

    const TODAY: &str = "2027-01-15";

    #[test]
    fn a_shipment_takes_up_to_each_line_open_quantity_and_defaults_to_today() {
        let (fields, lines) = parse_shipment(&ship(&[(1, "2"), (2, "0.25")]), &open(), day(TODAY))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.shipped_on, day(TODAY));
        assert_eq!(fields.carrier.as_deref(), Some("顺丰速运"));
        assert_eq!(
            lines,
            [
                (Uuid::from_u128(1), d("2")),
                (Uuid::from_u128(2), d("0.25"))
            ]
        );
    }

    #[test]
    fn unknown_repeated_empty_and_excessive_lines_are_refused() {
        let request = ship(&[(1, "2.5"), (9, "1"), (1, "1"), (2, "0"), (3, "0.00001")]);
        let errors = parse_shipment(&request, &open(), day(TODAY))
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("lines[0].quantity".to_owned(), "exceeds_available"),
                ("lines[1].line_id".to_owned(), "not_found"),
                ("lines[2].line_id".to_owned(), "duplicate"),
                ("lines[3].quantity".to_owned(), "out_of_range"),
                ("lines[4].quantity".to_owned(), "invalid_format"),
            ]
        );
        let errors = parse_shipment(&ship(&[]), &open(), day(TODAY))
            .err()
            .unwrap_or_default();
        assert_eq!(codes(errors), [("lines".to_owned(), "required")]);
    }

    #[test]
    fn a_shipment_is_not_dated_in_the_future() {
        let mut request = ship(&[(1, "1")]);
        request.shipped_on = Some(day("2027-01-16"));
        request.tracking_number = Some("S".repeat(101));
        let errors = parse_shipment(&request, &open(), day(TODAY))
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("shipped_on".to_owned(), "invalid_format"),
                ("tracking_number".to_owned(), "too_long")
            ]
        );
    }

    #[test]
    fn signing_for_falls_between_the_shipment_and_today() {
        let shipped_on = day("2027-01-10");
        let signed = |on: Option<&str>| {
            let request = DeliverShipmentRequest {
                delivered_on: on.map(day),
                received_by: Some(" 王磊 ".into()),
            };
            parse_delivery(&request, shipped_on, day(TODAY))
        };
        assert_eq!(
            signed(None).ok(),
            Some((day(TODAY), Some("王磊".to_owned())))
        );
        assert!(signed(Some("2027-01-10")).is_ok());
        for refused in ["2027-01-09", "2027-01-16"] {
            let errors = signed(Some(refused)).err().unwrap_or_default();
            assert_eq!(
                codes(errors),
                [("delivered_on".to_owned(), "invalid_format")]
            );
        }
    }
}
