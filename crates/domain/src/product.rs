//! A product's and a category's editable fields and the rules that make them valid.

use crm_api_types::products::{
    CreateProductCategoryRequest, CreateProductRequest, UpdateProductCategoryRequest,
    UpdateProductRequest, VatRate,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::money::{check_amount, parse_currency};
use crate::validation::{FieldErrors, Violation, patch_nullable};

const CODE_MAX: usize = 50;
const NAME_MAX: usize = 200;
const SPEC_MAX: usize = 200;
const UNIT_MAX: usize = 10;
const DESCRIPTION_MAX: usize = 5000;
const EXTERNAL_ID_MAX: usize = 100;
const EXTERNAL_SOURCE_MAX: usize = 50;
const CATEGORY_NAME_MAX: usize = 50;

/// Everything about a product that a user edits. A value of this type is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFields {
    pub code: String,
    pub name: String,
    pub spec: Option<String>,
    pub unit: String,
    pub category_id: Option<Uuid>,
    pub list_price: Decimal,
    pub currency: String,
    pub vat_rate: VatRate,
    pub active: bool,
    pub description: Option<String>,
    /// Both or neither.
    pub external: Option<(String, String)>,
}

impl ProductFields {
    pub fn parse_new(request: &CreateProductRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let fields = Self {
            code: code(e, &request.code),
            name: e.required_text("name", &request.name, NAME_MAX),
            spec: e.optional_text("spec", request.spec.as_deref(), SPEC_MAX),
            unit: e.required_text("unit", &request.unit, UNIT_MAX),
            category_id: request.category_id,
            list_price: check_amount(e, "list_price", request.list_price),
            currency: parse_currency(e, "currency", request.currency.as_deref()),
            vat_rate: request.vat_rate.unwrap_or(VatRate::Goods13),
            active: request.active.unwrap_or(true),
            description: e.optional_text(
                "description",
                request.description.as_deref(),
                DESCRIPTION_MAX,
            ),
            external: external(
                e,
                request.external_id.as_deref(),
                request.external_source.as_deref(),
            ),
        };
        errors.finish(fields)
    }

    /// Applies a PATCH: absent fields stay, `null` clears, values are validated as on create.
    pub fn apply(&self, patch: &UpdateProductRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let mut next = self.clone();
        if let Some(v) = &patch.code {
            next.code = code(e, v);
        }
        if let Some(v) = &patch.name {
            next.name = e.required_text("name", v, NAME_MAX);
        }
        patch_nullable(&mut next.spec, &patch.spec, |v| {
            e.optional_text("spec", v, SPEC_MAX)
        });
        if let Some(v) = &patch.unit {
            next.unit = e.required_text("unit", v, UNIT_MAX);
        }
        if let Some(v) = patch.category_id {
            next.category_id = v;
        }
        if let Some(v) = patch.list_price {
            next.list_price = check_amount(e, "list_price", v);
        }
        if let Some(v) = &patch.currency {
            next.currency = parse_currency(e, "currency", Some(v));
        }
        if let Some(v) = patch.vat_rate {
            next.vat_rate = v;
        }
        if let Some(v) = patch.active {
            next.active = v;
        }
        patch_nullable(&mut next.description, &patch.description, |v| {
            e.optional_text("description", v, DESCRIPTION_MAX)
        });
        if patch.external_id.is_some() || patch.external_source.is_some() {
            let (id, source) = next.external.clone().unzip();
            let id = patch.external_id.clone().unwrap_or(id);
            let source = patch.external_source.clone().unwrap_or(source);
            next.external = external(e, id.as_deref(), source.as_deref());
        }
        errors.finish(next)
    }

    /// The fields as a JSON object, the shape the audit log compares.
    pub fn audit_view(&self) -> Value {
        let (external_id, external_source) = self.external.clone().unzip();
        json!({
            "code": self.code,
            "name": self.name,
            "spec": self.spec,
            "unit": self.unit,
            "category_id": self.category_id,
            "list_price": self.list_price.to_string(),
            "currency": self.currency,
            "vat_rate": self.vat_rate.as_str(),
            "active": self.active,
            "description": self.description,
            "external_id": external_id,
            "external_source": external_source,
        })
    }
}

/// A SKU: 1–50 characters without spaces or control characters.
fn code(errors: &mut FieldErrors, value: &str) -> String {
    let value = errors.required_text("code", value, CODE_MAX);
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.add("code", Violation::InvalidFormat);
    }
    value
}

fn external(
    errors: &mut FieldErrors,
    id: Option<&str>,
    source: Option<&str>,
) -> Option<(String, String)> {
    let id = errors.optional_text("external_id", id, EXTERNAL_ID_MAX);
    let source = errors.optional_text("external_source", source, EXTERNAL_SOURCE_MAX);
    match (id, source) {
        (Some(id), Some(source)) => Some((id, source)),
        (Some(_), None) => {
            errors.add("external_source", Violation::Required);
            None
        }
        (None, Some(_)) => {
            errors.add("external_id", Violation::Required);
            None
        }
        (None, None) => None,
    }
}

/// A category's name and place in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFields {
    pub name: String,
    pub parent_id: Option<Uuid>,
}

impl CategoryFields {
    pub fn parse_new(request: &CreateProductCategoryRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let fields = Self {
            name: errors.required_text("name", &request.name, CATEGORY_NAME_MAX),
            parent_id: request.parent_id,
        };
        errors.finish(fields)
    }

    pub fn apply(&self, patch: &UpdateProductCategoryRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut next = self.clone();
        if let Some(name) = &patch.name {
            next.name = errors.required_text("name", name, CATEGORY_NAME_MAX);
        }
        if let Some(parent) = patch.parent_id {
            next.parent_id = parent;
        }
        errors.finish(next)
    }
}

/// Whether making `parent` the parent of `category` would close a loop: walks up from
/// `parent` through `parent_of` (the current tree) looking for `category`.
pub fn would_cycle(category: Uuid, parent: Uuid, parent_of: impl Fn(Uuid) -> Option<Uuid>) -> bool {
    let mut cursor = Some(parent);
    // A tree deeper than this is already broken; stop rather than loop.
    for _ in 0..1000 {
        match cursor {
            Some(id) if id == category => return true,
            Some(id) => cursor = parent_of(id),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn request() -> CreateProductRequest {
        CreateProductRequest {
            code: "CNC-850".into(),
            name: "立式加工中心".into(),
            unit: "台".into(),
            list_price: "268000.00".parse().unwrap_or_else(|e| panic!("{e:?}")),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_are_cny_thirteen_percent_and_active() {
        let fields = ProductFields::parse_new(&request()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.currency, "CNY");
        assert_eq!(fields.vat_rate, VatRate::Goods13);
        assert!(fields.active);
        assert_eq!(fields.list_price.to_string(), "268000");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = CreateProductRequest {
            code: "CNC 850".into(),
            name: " ".into(),
            unit: String::new(),
            list_price: "-1".parse().unwrap_or_else(|e| panic!("{e:?}")),
            external_id: Some("M-1".into()),
            ..Default::default()
        };
        let errors = ProductFields::parse_new(&bad).err().unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["code", "name", "unit", "list_price", "external_source"]
        );
    }

    #[test]
    fn patching_the_external_id_keeps_the_source() {
        let mut create = request();
        create.external_id = Some("M-1".into());
        create.external_source = Some("kingdee".into());
        let fields = ProductFields::parse_new(&create).unwrap_or_else(|e| panic!("{e:?}"));
        let patch = UpdateProductRequest {
            external_id: Some(Some("M-2".into())),
            ..Default::default()
        };
        let next = fields.apply(&patch).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(next.external, Some(("M-2".into(), "kingdee".into())));
        let clear = UpdateProductRequest {
            external_id: Some(None),
            external_source: Some(None),
            ..Default::default()
        };
        assert_eq!(
            next.apply(&clear)
                .unwrap_or_else(|e| panic!("{e:?}"))
                .external,
            None
        );
    }

    #[test]
    fn a_category_cannot_move_under_itself_or_a_descendant() {
        let (root, child, grandchild, other) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let tree: HashMap<Uuid, Uuid> = [(child, root), (grandchild, child)].into();
        let parent_of = |id| tree.get(&id).copied();
        assert!(would_cycle(root, grandchild, parent_of));
        assert!(would_cycle(child, child, parent_of));
        assert!(!would_cycle(grandchild, root, parent_of));
        assert!(!would_cycle(root, other, parent_of));
    }
}
