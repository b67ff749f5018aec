//! Inbound sync: records an ERP or OA system owns, known by that system's identity for them.
//!
//! A record's external identity is a source (which system: `kingdee`, `u8`, `dingtalk`) and
//! the id it has there. Both are part of the path of `PUT …/by-external-id/{source}/{id}`,
//! so the source is a short lowercase slug and the id any printable text an ERP uses as a
//! document number.

use crate::{FieldErrors, Violation};

/// The most items one `POST …/bulk` takes.
pub const BULK_LIMIT: usize = 1_000;

/// The kinds of record an external system can own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncedKind {
    Customer,
    Contact,
    Product,
    SalesOrder,
    Shipment,
    Invoice,
    Payment,
}

impl SyncedKind {
    pub const ALL: [Self; 7] = [
        Self::Customer,
        Self::Contact,
        Self::Product,
        Self::SalesOrder,
        Self::Shipment,
        Self::Invoice,
        Self::Payment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Contact => "contact",
            Self::Product => "product",
            Self::SalesOrder => "sales_order",
            Self::Shipment => "shipment",
            Self::Invoice => "invoice",
            Self::Payment => "payment",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// Which system owns a record, and its id there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRef {
    source: String,
    id: String,
}

impl ExternalRef {
    pub const SOURCE_MAX: usize = 50;
    pub const ID_MAX: usize = 100;

    /// Checks both parts; errors name `external_source` and `external_id`.
    pub fn parse(source: &str, id: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Some(violation) = source_violation(source) {
            errors.add("external_source", violation);
        }
        if let Some(violation) = id_violation(id) {
            errors.add("external_id", violation);
        }
        errors.finish(Self {
            source: source.to_owned(),
            id: id.to_owned(),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// A source is a slug: a lowercase letter or digit, then up to 49 of those, `_`, `-` or `.`.
fn source_violation(source: &str) -> Option<Violation> {
    let mut chars = source.chars();
    match chars.next() {
        None => Some(Violation::Required),
        Some(_) if source.len() > ExternalRef::SOURCE_MAX => Some(Violation::TooLong {
            max: ExternalRef::SOURCE_MAX,
        }),
        Some(first) if !(first.is_ascii_lowercase() || first.is_ascii_digit()) => {
            Some(Violation::InvalidFormat)
        }
        Some(_)
            if !chars.all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.')
            }) =>
        {
            Some(Violation::InvalidFormat)
        }
        Some(_) => None,
    }
}

/// An id is up to 100 printable characters without surrounding blanks.
fn id_violation(id: &str) -> Option<Violation> {
    if id.is_empty() {
        Some(Violation::Required)
    } else if id.chars().count() > ExternalRef::ID_MAX {
        Some(Violation::TooLong {
            max: ExternalRef::ID_MAX,
        })
    } else if id.trim() != id || id.chars().any(char::is_control) {
        Some(Violation::InvalidFormat)
    } else {
        None
    }
}

/// How the last sync of an external record ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncResult {
    Succeeded,
    Failed,
}

impl SyncResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Succeeded, Self::Failed]
            .into_iter()
            .find(|r| r.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(source: &str, id: &str) -> Vec<(String, &'static str)> {
        match ExternalRef::parse(source, id) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|(f, v)| (f.to_owned(), v.code()))
                .collect(),
        }
    }

    #[test]
    fn erp_document_numbers_are_accepted_as_they_are() {
        for (source, id) in [
            ("kingdee", "CUST-000123"),
            ("u8", "客户/2026/0001"),
            ("yonyou-nc.v6", "SO 2026 12 06"),
        ] {
            let external = ExternalRef::parse(source, id).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!((external.source(), external.id()), (source, id));
        }
    }

    #[test]
    fn sources_are_slugs_and_ids_are_printable() {
        assert_eq!(
            codes("Kingdee", "1"),
            [("external_source".to_owned(), "invalid_format")]
        );
        assert_eq!(
            codes("-erp", "1"),
            [("external_source".to_owned(), "invalid_format")]
        );
        assert_eq!(
            codes("erp", " 1"),
            [("external_id".to_owned(), "invalid_format")]
        );
        assert_eq!(
            codes("erp", "a\nb"),
            [("external_id".to_owned(), "invalid_format")]
        );
        assert_eq!(
            codes("", ""),
            [
                ("external_source".to_owned(), "required"),
                ("external_id".to_owned(), "required")
            ]
        );
        assert_eq!(codes(&"a".repeat(51), "1")[0].1, "too_long");
        assert_eq!(codes("erp", &"号".repeat(101))[0].1, "too_long");
        assert!(codes("erp", &"号".repeat(100)).is_empty());
    }

    #[test]
    fn kinds_and_results_round_trip_through_their_names() {
        for kind in SyncedKind::ALL {
            assert_eq!(SyncedKind::parse(kind.as_str()), Some(kind));
        }
        for result in [SyncResult::Succeeded, SyncResult::Failed] {
            assert_eq!(SyncResult::parse(result.as_str()), Some(result));
        }
        assert_eq!(SyncedKind::parse("lead"), None);
    }
}
