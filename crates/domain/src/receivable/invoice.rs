//! Invoices (开票) issued against an order. Whether they stay within what the customer owes
//! depends on the order's other invoices: the caller checks that.

use chrono::NaiveDate;
use crm_api_types::receivables::{CreateInvoiceRequest, InvoiceKind};
use rust_decimal::Decimal;

use crate::money::check_cents;
use crate::validation::{FieldErrors, Violation};

const NUMBER_MAX: usize = 40;
const NOTE_MAX: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFields {
    /// As printed on the invoice.
    pub number: String,
    pub issued_on: NaiveDate,
    /// VAT included.
    pub amount: Decimal,
    /// The VAT in `amount`.
    pub tax_amount: Decimal,
    pub kind: InvoiceKind,
    pub note: Option<String>,
}

/// Validates an invoice: a number of 1–40 characters, an amount to the cent with its VAT
/// from 0 up to the amount (`ExceedsAvailable` above it), issued today (the default) or
/// earlier (`issued_on` `InvalidFormat` when in the future).
pub fn parse_invoice(
    request: &CreateInvoiceRequest,
    today: NaiveDate,
) -> Result<InvoiceFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let e = &mut errors;
    let number = e.required_text("number", &request.number, NUMBER_MAX);
    let issued_on = request.issued_on.unwrap_or(today);
    if issued_on > today {
        e.add("issued_on", Violation::InvalidFormat);
    }
    let amount = check_cents(e, "amount", request.amount);
    let tax_amount = if request.tax_amount.is_zero() {
        Decimal::ZERO
    } else {
        check_cents(e, "tax_amount", request.tax_amount)
    };
    if tax_amount > amount {
        e.add("tax_amount", Violation::ExceedsAvailable);
    }
    let fields = InvoiceFields {
        number,
        issued_on,
        amount,
        tax_amount,
        kind: request.kind,
        note: e.optional_text("note", request.note.as_deref(), NOTE_MAX),
    };
    errors.finish(fields)
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

    fn invoice(amount: &str, tax: &str) -> CreateInvoiceRequest {
        CreateInvoiceRequest {
            number: " 04412345 ".into(),
            issued_on: None,
            amount: d(amount),
            tax_amount: d(tax),
            kind: InvoiceKind::VatSpecial,
            note: None,
        }
    }

    const TODAY: &str = "2027-01-18";

    #[test]
    fn an_invoice_defaults_to_today_and_may_carry_no_tax() {
        let fields = parse_invoice(&invoice("384000.00", "44176.99"), day(TODAY))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.number, "04412345");
        assert_eq!(fields.issued_on, day(TODAY));
        assert_eq!(fields.tax_amount, d("44176.99"));
        assert!(parse_invoice(&invoice("100", "0"), day(TODAY)).is_ok());
        assert!(parse_invoice(&invoice("100", "100"), day(TODAY)).is_ok());
    }

    #[test]
    fn the_tax_stays_within_the_amount_and_the_date_in_the_past() {
        let mut request = invoice("100", "100.01");
        request.number = " ".into();
        request.issued_on = Some(day("2027-01-19"));
        let errors = parse_invoice(&request, day(TODAY))
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("number".to_owned(), "required"),
                ("issued_on".to_owned(), "invalid_format"),
                ("tax_amount".to_owned(), "exceeds_available"),
            ]
        );
        let errors = parse_invoice(&invoice("0", "-1"), day(TODAY))
            .err()
            .unwrap_or_default();
        assert_eq!(
            codes(errors),
            [
                ("amount".to_owned(), "out_of_range"),
                ("tax_amount".to_owned(), "out_of_range"),
            ]
        );
    }
}
