//! Reconciliation: an order's figures as the CRM has them next to those an ERP reports, and
//! the fields where they disagree. Figures the ERP left out are not compared; when it
//! reports line quantities, every line counts (one it left out shipped nothing there).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crm_api_types::reconciliation::ReportFiguresRequest;

use crate::money::{check_amount, check_count};
use crate::sync::ExternalRef;
use crate::{FieldErrors, Violation};

/// An order's figures. The CRM's are all known; an ERP's are what it reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// What the order is worth: its total less what was cancelled.
    pub total: Option<Decimal>,
    pub invoiced: Option<Decimal>,
    pub paid: Option<Decimal>,
    /// Shipped quantity by line position (0-based, as the order's lines are numbered).
    pub shipped: Option<BTreeMap<u32, Decimal>>,
}

/// One field on which the two disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// `total`, `invoiced`, `paid` or `lines[<position>].shipped_quantity`.
    pub field: String,
    pub crm: Decimal,
    pub erp: Decimal,
}

/// Where `erp` disagrees with `crm`, field by field, in a stable order.
pub fn differences(crm: &Figures, erp: &Figures) -> Vec<Difference> {
    let mut found = Vec::new();
    for (field, ours, theirs) in [
        ("total", crm.total, erp.total),
        ("invoiced", crm.invoiced, erp.invoiced),
        ("paid", crm.paid, erp.paid),
    ] {
        if let (Some(ours), Some(theirs)) = (ours, theirs)
            && ours != theirs
        {
            found.push(Difference {
                field: field.to_owned(),
                crm: ours,
                erp: theirs,
            });
        }
    }
    if let Some(theirs) = &erp.shipped {
        let empty = BTreeMap::new();
        let ours = crm.shipped.as_ref().unwrap_or(&empty);
        let positions: std::collections::BTreeSet<u32> =
            ours.keys().chain(theirs.keys()).copied().collect();
        for position in positions {
            let ours = ours.get(&position).copied().unwrap_or_default();
            let theirs = theirs.get(&position).copied().unwrap_or_default();
            if ours != theirs {
                found.push(Difference {
                    field: format!("lines[{position}].shipped_quantity"),
                    crm: ours,
                    erp: theirs,
                });
            }
        }
    }
    found
}

/// Checks figures reported for an order of `line_count` lines: the source is a system's slug,
/// amounts are 0 or more, each line position is one of the order's, reported once, with a
/// quantity of 0 or more.
pub fn parse_reported(
    request: &ReportFiguresRequest,
    line_count: usize,
) -> Result<(String, Figures), FieldErrors> {
    let source = request.source.as_str();
    let mut errors = FieldErrors::new();
    if let Err(refused) = ExternalRef::parse(source, "-") {
        for (field, violation) in refused.iter() {
            if field == "external_source" {
                errors.add("source", violation);
            }
        }
    }
    let mut amount = |field: &str, value: Option<Decimal>| {
        value.map(|v| check_amount(&mut errors, field, v).normalize())
    };
    let (total, invoiced, paid) = (
        amount("total", request.total),
        amount("invoiced", request.invoiced),
        amount("paid", request.paid),
    );
    let shipped = request.lines.as_ref().map(|lines| {
        let mut shipped = BTreeMap::new();
        for (i, line) in lines.iter().enumerate() {
            let field = format!("lines[{i}].shipped_quantity");
            let quantity = check_count(&mut errors, &field, line.shipped_quantity);
            if usize::try_from(line.position).map_or(true, |p| p >= line_count) {
                let max = i64::try_from(line_count).unwrap_or(i64::MAX) - 1;
                errors.add(
                    &format!("lines[{i}].position"),
                    Violation::OutOfRange { min: 0, max },
                );
            } else if shipped
                .insert(line.position, quantity.normalize())
                .is_some()
            {
                errors.add(&format!("lines[{i}].position"), Violation::Duplicate);
            }
        }
        shipped
    });
    if total.is_none() && invoiced.is_none() && paid.is_none() && shipped.is_none() {
        errors.add("total", Violation::Required);
    }
    errors.finish((
        source.to_owned(),
        Figures {
            total,
            invoiced,
            paid,
            shipped,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_api_types::reconciliation::FigureLine;

    fn dec(value: i64) -> Decimal {
        Decimal::from(value)
    }

    fn crm() -> Figures {
        Figures {
            total: Some(dec(536000)),
            invoiced: Some(dec(100000)),
            paid: Some(dec(50000)),
            shipped: Some(BTreeMap::from([(0, dec(1)), (1, dec(0))])),
        }
    }

    #[test]
    fn figures_that_agree_have_no_differences_and_unreported_ones_are_not_compared() {
        assert!(differences(&crm(), &crm()).is_empty());
        let only_paid = Figures {
            paid: Some(dec(50000)),
            ..Figures::default()
        };
        assert!(differences(&crm(), &only_paid).is_empty());
    }

    #[test]
    fn every_field_that_disagrees_is_named_with_both_values() {
        let erp = Figures {
            total: Some(dec(530000)),
            invoiced: Some(dec(100000)),
            paid: Some(dec(80000)),
            shipped: Some(BTreeMap::from([(0, dec(1)), (2, dec(3))])),
        };
        let found: Vec<(String, Decimal, Decimal)> = differences(&crm(), &erp)
            .into_iter()
            .map(|d| (d.field, d.crm, d.erp))
            .collect();
        assert_eq!(
            found,
            [
                ("total".to_owned(), dec(536000), dec(530000)),
                ("paid".to_owned(), dec(50000), dec(80000)),
                ("lines[2].shipped_quantity".to_owned(), dec(0), dec(3)),
            ]
        );
    }

    #[test]
    fn a_line_the_erp_left_out_shipped_nothing_there() {
        let erp = Figures {
            shipped: Some(BTreeMap::new()),
            ..Figures::default()
        };
        let found = differences(&crm(), &erp);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].field.as_str(), found[0].crm, found[0].erp),
            ("lines[0].shipped_quantity", dec(1), dec(0))
        );
    }

    #[test]
    fn reports_are_checked_field_by_field() {
        let codes =
            |result: Result<(String, Figures), FieldErrors>| -> Vec<(String, &'static str)> {
                match result {
                    Ok(_) => Vec::new(),
                    Err(e) => e.iter().map(|(f, v)| (f.to_owned(), v.code())).collect(),
                }
            };
        let report = |source: &str,
                      total: Option<i64>,
                      paid: Option<i64>,
                      lines: Option<Vec<(u32, i64)>>| {
            parse_reported(
                &ReportFiguresRequest {
                    source: source.to_owned(),
                    total: total.map(dec),
                    invoiced: None,
                    paid: paid.map(dec),
                    lines: lines.map(|lines| {
                        lines
                            .into_iter()
                            .map(|(position, quantity)| FigureLine {
                                position,
                                shipped_quantity: dec(quantity),
                            })
                            .collect()
                    }),
                },
                2,
            )
        };
        assert_eq!(
            codes(report(
                "Kingdee",
                Some(-1),
                None,
                Some(vec![(0, 1), (0, 2), (2, 1), (u32::MAX, 1)])
            )),
            [
                ("source".to_owned(), "invalid_format"),
                ("total".to_owned(), "out_of_range"),
                ("lines[1].position".to_owned(), "duplicate"),
                ("lines[2].position".to_owned(), "out_of_range"),
                ("lines[3].position".to_owned(), "out_of_range"),
            ]
        );
        assert_eq!(
            codes(report("kingdee", None, None, None)),
            [("total".to_owned(), "required")]
        );
        assert!(codes(report("kingdee", None, Some(0), None)).is_empty());
    }
}
