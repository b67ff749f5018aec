//! A contract's fields as a user edits them, and the state rules (`status`). Its lines are a
//! quote's lines, settled the same way.

pub mod status;

use chrono::NaiveDate;
use crm_api_types::contracts::{CreateContractRequest, UpdateContractRequest};
use crm_api_types::quotes::QuoteLineRequest;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::money::{check_percent, parse_currency};
use crate::quote::{LineInput, NOTES_MAX, TERMS_MAX, TITLE_MAX};
use crate::validation::{FieldErrors, Violation, patch_nullable};

/// A valid contract header; the customer, contact and owner still need checking against the
/// tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractFields {
    pub customer_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub title: String,
    pub currency: String,
    pub signed_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub terms: Option<String>,
    pub header_discount_percent: Decimal,
    pub owner_id: Uuid,
}

/// What the contract's origin (a quote or opportunity) gives a new contract.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractDefaults {
    pub currency: Option<String>,
    pub contact_id: Option<Uuid>,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub header_discount_percent: Option<Decimal>,
}

fn check_period(errors: &mut FieldErrors, fields: &ContractFields) {
    if let (Some(starts), Some(ends)) = (fields.starts_on, fields.ends_on)
        && ends < starts
    {
        errors.add("ends_on", Violation::InvalidFormat);
    }
}

fn parse_lines(
    errors: &mut FieldErrors,
    lines: Option<&Vec<QuoteLineRequest>>,
) -> Option<Vec<LineInput>> {
    lines.map(|l| crate::quote::lines(errors, l))
}

impl ContractFields {
    /// Validates a create request; `customer_name` titles an untitled contract.
    pub fn parse_new(
        request: &CreateContractRequest,
        customer_id: Uuid,
        customer_name: &str,
        defaults: ContractDefaults,
        owner_id: Uuid,
    ) -> Result<(Self, Option<Vec<LineInput>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let title = match request.title.as_deref() {
            Some(title) => e.required_text("title", title, TITLE_MAX),
            None => format!("{customer_name}合同"),
        };
        let text =
            |e: &mut FieldErrors, field: &str, given: Option<&str>, default: Option<String>| {
                match given {
                    Some(v) => e.optional_text(field, Some(v), TERMS_MAX),
                    None => default,
                }
            };
        let fields = Self {
            customer_id,
            contact_id: request.contact_id.or(defaults.contact_id),
            title,
            currency: parse_currency(
                e,
                "currency",
                request.currency.as_deref().or(defaults.currency.as_deref()),
            ),
            signed_on: request.signed_on,
            starts_on: request.starts_on,
            ends_on: request.ends_on,
            payment_terms: text(
                e,
                "payment_terms",
                request.payment_terms.as_deref(),
                defaults.payment_terms,
            ),
            delivery_terms: text(
                e,
                "delivery_terms",
                request.delivery_terms.as_deref(),
                defaults.delivery_terms,
            ),
            terms: e.optional_text("terms", request.terms.as_deref(), NOTES_MAX),
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
        check_period(e, &fields);
        let lines = parse_lines(e, request.lines.as_ref());
        errors.finish((fields, lines))
    }

    /// Applies a PATCH. `draft` false: only `owner_id` may be given; any other field given is
    /// `read_only`. `status` is always `read_only`.
    pub fn apply(
        &self,
        patch: &UpdateContractRequest,
        draft: bool,
    ) -> Result<(Self, Option<Vec<LineInput>>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        if patch.status.is_some() {
            e.add("status", Violation::ReadOnly);
        }
        if !draft {
            let given = [
                ("contact_id", patch.contact_id.is_some()),
                ("title", patch.title.is_some()),
                ("signed_on", patch.signed_on.is_some()),
                ("starts_on", patch.starts_on.is_some()),
                ("ends_on", patch.ends_on.is_some()),
                ("payment_terms", patch.payment_terms.is_some()),
                ("delivery_terms", patch.delivery_terms.is_some()),
                ("terms", patch.terms.is_some()),
                (
                    "header_discount_percent",
                    patch.header_discount_percent.is_some(),
                ),
                ("lines", patch.lines.is_some()),
            ];
            for (field, _) in given.iter().filter(|(_, given)| *given) {
                e.add(field, Violation::ReadOnly);
            }
        }
        let mut next = self.clone();
        if let Some(v) = patch.contact_id {
            next.contact_id = v;
        }
        if let Some(v) = &patch.title {
            next.title = e.required_text("title", v, TITLE_MAX);
        }
        for (target, given) in [
            (&mut next.signed_on, patch.signed_on),
            (&mut next.starts_on, patch.starts_on),
            (&mut next.ends_on, patch.ends_on),
        ] {
            if let Some(v) = given {
                *target = v;
            }
        }
        patch_nullable(&mut next.payment_terms, &patch.payment_terms, |v| {
            e.optional_text("payment_terms", v, TERMS_MAX)
        });
        patch_nullable(&mut next.delivery_terms, &patch.delivery_terms, |v| {
            e.optional_text("delivery_terms", v, TERMS_MAX)
        });
        patch_nullable(&mut next.terms, &patch.terms, |v| {
            e.optional_text("terms", v, NOTES_MAX)
        });
        if let Some(v) = patch.header_discount_percent {
            next.header_discount_percent = check_percent(e, "header_discount_percent", v);
        }
        if let Some(v) = patch.owner_id {
            next.owner_id = v;
        }
        check_period(e, &next);
        let lines = parse_lines(e, patch.lines.as_ref());
        errors.finish((next, lines))
    }

    pub fn audit_view(&self) -> Value {
        json!({
            "customer_id": self.customer_id,
            "contact_id": self.contact_id,
            "title": self.title,
            "currency": self.currency,
            "signed_on": self.signed_on,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "payment_terms": self.payment_terms,
            "delivery_terms": self.delivery_terms,
            "terms": self.terms,
            "header_discount_percent": self.header_discount_percent.normalize().to_string(),
            "owner_id": self.owner_id,
        })
    }
}

/// A contract number from the tenant's series: `HT-2026-000123` (合同).
pub fn number(year: i32, sequence: i64) -> String {
    format!("HT-{year}-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateContractRequest {
        CreateContractRequest {
            starts_on: "2027-01-10".parse().ok(),
            ends_on: "2026-12-31".parse().ok(),
            ..Default::default()
        }
    }

    #[test]
    fn a_contract_ends_after_it_starts_and_is_titled_by_its_customer() {
        let owner = Uuid::from_u128(2);
        let errors = ContractFields::parse_new(
            &request(),
            Uuid::from_u128(1),
            "苏州精工",
            ContractDefaults::default(),
            owner,
        )
        .err()
        .unwrap_or_default();
        assert_eq!(
            errors.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            ["ends_on"]
        );
        let fine = CreateContractRequest {
            ends_on: None,
            ..request()
        };
        let (fields, lines) = ContractFields::parse_new(
            &fine,
            Uuid::from_u128(1),
            "苏州精工",
            ContractDefaults::default(),
            owner,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.title, "苏州精工合同");
        assert_eq!(fields.currency, "CNY");
        assert!(lines.is_none());
    }

    #[test]
    fn a_submitted_contract_only_changes_hands() {
        let (fields, _) = ContractFields::parse_new(
            &CreateContractRequest::default(),
            Uuid::from_u128(1),
            "苏州精工",
            ContractDefaults::default(),
            Uuid::from_u128(2),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let patch = UpdateContractRequest {
            terms: Some(Some("改".into())),
            owner_id: Some(Uuid::from_u128(3)),
            ..Default::default()
        };
        let errors = fields.apply(&patch, false).err().unwrap_or_default();
        assert_eq!(errors.iter().map(|(f, _)| f).collect::<Vec<_>>(), ["terms"]);
        let owner_only = UpdateContractRequest {
            owner_id: Some(Uuid::from_u128(3)),
            ..Default::default()
        };
        let (next, _) = fields
            .apply(&owner_only, false)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(next.owner_id, Uuid::from_u128(3));
    }
}
