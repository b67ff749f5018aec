//! How two versions of a quote differ, line by line and field by field.

use crm_api_types::quotes::LineChangeKind;

use super::{QuoteFields, QuoteLine};

/// One row of the comparison: indexes into the two versions' lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    pub kind: LineChangeKind,
    pub before: Option<usize>,
    pub after: Option<usize>,
    pub changed_fields: Vec<&'static str>,
}

/// Lines are the same line when they name the same product, or (free lines) the same name.
fn key(line: &QuoteLine) -> (Option<uuid::Uuid>, Option<&str>) {
    match line.product_id {
        Some(id) => (Some(id), None),
        None => (None, Some(line.name.as_str())),
    }
}

fn changed_fields(before: &QuoteLine, after: &QuoteLine) -> Vec<&'static str> {
    let mut fields = Vec::new();
    let mut check = |name: &'static str, differs: bool| {
        if differs {
            fields.push(name);
        }
    };
    check("name", before.name != after.name);
    check("spec", before.spec != after.spec);
    check("description", before.description != after.description);
    check(
        "quantity",
        before.quantity.normalize() != after.quantity.normalize(),
    );
    check("unit", before.unit != after.unit);
    check(
        "unit_price",
        before.unit_price.normalize() != after.unit_price.normalize(),
    );
    check(
        "discount_percent",
        before.discount_percent.normalize() != after.discount_percent.normalize(),
    );
    check("vat_rate", before.vat_rate != after.vat_rate);
    fields
}

/// Walks the new version's lines in order, matching each to the first unmatched old line
/// with the same key; old lines left over were removed and come last.
pub fn lines(before: &[QuoteLine], after: &[QuoteLine]) -> Vec<LineChange> {
    let mut matched = vec![false; before.len()];
    let mut changes = Vec::with_capacity(after.len().max(before.len()));
    for (a, line) in after.iter().enumerate() {
        let found = before
            .iter()
            .enumerate()
            .position(|(b, old)| !matched[b] && key(old) == key(line));
        changes.push(match found {
            Some(b) => {
                matched[b] = true;
                let fields = changed_fields(&before[b], line);
                LineChange {
                    kind: if fields.is_empty() {
                        LineChangeKind::Unchanged
                    } else {
                        LineChangeKind::Changed
                    },
                    before: Some(b),
                    after: Some(a),
                    changed_fields: fields,
                }
            }
            None => LineChange {
                kind: LineChangeKind::Added,
                before: None,
                after: Some(a),
                changed_fields: Vec::new(),
            },
        });
    }
    changes.extend(
        matched
            .iter()
            .enumerate()
            .filter(|(_, m)| !**m)
            .map(|(b, _)| LineChange {
                kind: LineChangeKind::Removed,
                before: Some(b),
                after: None,
                changed_fields: Vec::new(),
            }),
    );
    changes
}

/// The printed header fields that differ, as (field, before, after) text.
pub fn fields(
    before: &QuoteFields,
    after: &QuoteFields,
) -> Vec<(&'static str, Option<String>, Option<String>)> {
    let view = |f: &QuoteFields| -> [(&'static str, Option<String>); 8] {
        [
            ("contact_id", f.contact_id.map(|c| c.to_string())),
            ("title", f.title.clone()),
            ("currency", Some(f.currency.clone())),
            ("valid_until", Some(f.valid_until.to_string())),
            ("payment_terms", f.payment_terms.clone()),
            ("delivery_terms", f.delivery_terms.clone()),
            ("notes", f.notes.clone()),
            (
                "header_discount_percent",
                Some(f.header_discount_percent.normalize().to_string()),
            ),
        ]
    };
    view(before)
        .into_iter()
        .zip(view(after))
        .filter(|((_, b), (_, a))| a != b)
        .map(|((field, b), (_, a))| (field, b, a))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_api_types::products::VatRate;
    use rust_decimal::Decimal;
    use uuid::Uuid;

    fn line(product: Option<u128>, name: &str, quantity: i64) -> QuoteLine {
        QuoteLine {
            product_id: product.map(Uuid::from_u128),
            product_code: None,
            name: name.into(),
            spec: None,
            description: None,
            quantity: Decimal::from(quantity),
            unit: "台".into(),
            list_price: None,
            unit_price: Decimal::from(100),
            price_source: None,
            discount_percent: Decimal::ZERO,
            vat_rate: VatRate::Goods13,
        }
    }

    #[test]
    fn lines_are_matched_by_product_or_free_name() {
        let before = [
            line(Some(1), "加工中心", 2),
            line(Some(2), "数控车床", 1),
            line(None, "安装调试费", 1),
        ];
        let after = [
            line(Some(1), "加工中心", 3),
            line(None, "安装调试费", 1),
            line(Some(3), "刀库", 1),
        ];
        let changes = lines(&before, &after);
        let kinds: Vec<_> = changes.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                LineChangeKind::Changed,
                LineChangeKind::Unchanged,
                LineChangeKind::Added,
                LineChangeKind::Removed
            ]
        );
        assert_eq!(changes[0].changed_fields, ["quantity"]);
        assert_eq!(changes[3].before, Some(1));
    }

    #[test]
    fn the_same_product_twice_pairs_in_order() {
        let before = [line(Some(1), "a", 1), line(Some(1), "a", 2)];
        let after = [line(Some(1), "a", 2)];
        let changes = lines(&before, &after);
        assert_eq!(changes[0].before, Some(0));
        assert_eq!(changes[0].changed_fields, ["quantity"]);
        assert_eq!(changes[1].kind, LineChangeKind::Removed);
    }
}
