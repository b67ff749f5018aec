//! What a report's drill-down narrows the order list by — order dates, customer, product,
//! department, owner (`/sales-orders?order_date_from=…&product_id=…`) — and the chips that
//! name it over the list.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::report_filters::{ChipNames, ReportFilterChips, day_range};
use crate::i18n::{K, use_i18n};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportDrill {
    pub order_date_from: Option<NaiveDate>,
    pub order_date_to: Option<NaiveDate>,
    pub customer_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    /// Owned in this department or one below it.
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
}

impl ReportDrill {
    /// The drill-down in a URL, whose parameters `param` looks up.
    pub fn of(param: impl Fn(&str) -> Option<String>) -> Self {
        let id = |name: &str| param(name).and_then(|v| v.parse().ok());
        let day = |name: &str| param(name).and_then(|v| v.parse().ok());
        Self {
            order_date_from: day("order_date_from"),
            order_date_to: day("order_date_to"),
            customer_id: id("customer_id"),
            product_id: id("product_id"),
            department_id: id("department_id"),
            owner_id: id("owner_id"),
        }
    }

    pub fn is_set(&self) -> bool {
        *self != Self::default()
    }
}

/// The drill-down's chips; ids are named once their names arrive (a department by name for
/// user managers, who may list departments; for others, as "a department").
#[component]
pub fn DrillChips(
    #[prop(into)] drill: Signal<ReportDrill>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let names = ChipNames::new();
    Effect::new(move |_| {
        let d = drill.get();
        names.fetch_people(api, session, d.owner_id, d.department_id);
        if let Some(id) = d.customer_id {
            spawn_local(async move {
                if let Ok(found) = api.get_customer(id).await {
                    names.add(id, found.value.name);
                }
            });
        }
        if let Some(id) = d.product_id {
            spawn_local(async move {
                if let Ok(found) = api.get_product(id).await {
                    names.add(id, found.name);
                }
            });
        }
    });
    let chips = move || {
        let d = drill.get();
        let mut chips = Vec::new();
        if d.order_date_from.is_some() || d.order_date_to.is_some() {
            chips.push((K::OrderDate, day_range(d.order_date_from, d.order_date_to)));
        }
        for (id, label) in [
            (d.customer_id, K::FieldCustomer),
            (d.product_id, K::FieldProduct),
            (d.owner_id, K::FieldOwner),
        ] {
            if let Some(id) = id {
                chips.push((label, names.name(id, "…")));
            }
        }
        if let Some(id) = d.department_id {
            chips.push((
                K::FieldDepartment,
                names.name(id, i18n.t(K::SomeDepartment)),
            ));
        }
        chips
    };
    view! { <ReportFilterChips chips=Signal::derive(chips) on_clear/> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drill_down_reads_from_the_url() {
        let product = Uuid::from_u128(7);
        let url = |name: &str| match name {
            "order_date_from" => Some("2026-03-01".to_owned()),
            "product_id" => Some(product.to_string()),
            "owner_id" => Some("not-an-id".to_owned()),
            _ => None,
        };
        let drill = ReportDrill::of(url);
        assert_eq!(
            drill,
            ReportDrill {
                order_date_from: "2026-03-01".parse().ok(),
                product_id: Some(product),
                ..ReportDrill::default()
            }
        );
        assert!(drill.is_set());
        assert!(!ReportDrill::default().is_set());
    }
}
